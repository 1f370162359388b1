/* sim/tui/screen.h: the screen model of `mrsim tui`: a snapshot of what to
 * show (plain strings and numbers the front end gathered through the live
 * API) laid out into a grid of text cells, character and attribute, at any
 * size from 80 x 24. Plain C without curses, so the layout is tested as
 * text; sim/tui/tui.c only copies the cells to the terminal.
 *
 * Layout (docs/tui.md): row 0 the header; below it the topology panel on
 * the left and, on the right, the chart (success ratio, p99 latency or
 * requests per region: c) above the metrics; the event log across the
 * width; the key line at the bottom. A popup (a menu, the help, a prompt)
 * is drawn over the middle. */
#ifndef MRSIM_TUI_SCREEN_H
#define MRSIM_TUI_SCREEN_H

#include <stddef.h>
#include <stdint.h>

/* Cell attributes: the front end maps them to colours (or, under NO_COLOR
 * and on monochrome terminals, to bold / reverse / plain: every state is
 * also in words). */
enum {
    MR_ATTR_NORMAL = 0,
    MR_ATTR_TITLE,  /* panel titles, the header */
    MR_ATTR_OK,     /* Online, up */
    MR_ATTR_WARN,   /* Degraded, starting, partial */
    MR_ATTR_BAD,    /* down, failed */
    MR_ATTR_DIM,    /* standby, n/a */
    MR_ATTR_SELECT, /* the selection */
    MR_ATTR_SHADE,  /* a chart column while a fault is in force */
    MR_ATTR_TARGET, /* the chart's SLO target line */
    MR_ATTR_COUNT
};

typedef struct mr_cell {
    char ch;
    unsigned char attr;
} mr_cell;

typedef struct mr_screen {
    int w, h;
    mr_cell *cells; /* w x h, row-major */
} mr_screen;

/* The smallest screen laid out; a smaller one shows only a request to
 * enlarge the terminal. */
#define MR_SCREEN_MIN_W 80
#define MR_SCREEN_MIN_H 24

/* A line of a panel: its text and attribute; a topology line may be
 * selectable (a component the keys move between). */
typedef struct mr_scr_line {
    char text[128];
    unsigned char attr;
    int selectable;
} mr_scr_line;

typedef struct mr_scr_state {
    char header[200];         /* scenario, variant, seed, time, speed, rate */
    const mr_scr_line *topo;  /* the topology panel's lines */
    size_t ntopo;
    int selected;             /* index in topo of the selection, -1: none */
    /* The success-ratio chart: one column per SLO window, oldest first;
     * NaN: no request. fault[i] nonzero: a fault was in force. */
    const double *share;
    const unsigned char *fault;
    size_t nshare;
    double target;            /* the SLO's success target */
    int per_column;           /* SLO windows per column (the worst shown); <= 1: one */
    /* Which chart the chart panel shows (c cycles): the success ratio, or
     * the requests routed to each region, one band of bars per region on
     * a common scale (its maximum in the title), a column per period
     * (or the mean of per_served periods). NaN: none yet. */
    int chart;                    /* MR_CHART_* */
    const double *const *served;  /* nregions arrays of nserved columns */
    const char *const *region;    /* their names */
    size_t nregions, nserved;
    int per_served;
    /* The p99 latency chart: a column per period (or the worst of
     * per_p99 periods), in ms on a log scale (mr_screen_p99_scale), shaded
     * where p99_fault is nonzero; NaN: no completed request. no_latency:
     * the run records none (aggregate fidelity), said in words. */
    const double *p99;
    const unsigned char *p99_fault;
    size_t np99;
    int per_p99;
    int no_latency;
    const mr_scr_line *metrics;
    size_t nmetrics;
    const mr_scr_line *log;   /* the event log, oldest first: the newest are shown */
    size_t nlog;
    const char *filter;       /* the log's / filter ("" or NULL: none), shown in its title */
    size_t log_scroll;        /* lines back from the newest (j/k in the log); clamped */
    size_t metrics_scroll;    /* first metrics line shown; clamped */
    int focus;                /* MR_PANEL_*: the panel the keys act in; its title is marked */
    const char *keys;         /* the key line */
    /* A popup over the middle: a title and lines, one highlighted. */
    const char *popup_title;  /* NULL: no popup */
    const mr_scr_line *popup;
    size_t npopup;
    int popup_sel;            /* -1: none */
} mr_scr_state;

/* ---- topology lines ------------------------------------------------------
 * Each writes one topology line for a panel `width` columns wide (the
 * selection marker's column excluded) into buf (n bytes): the fields in
 * order of importance, the least important abbreviated, then dropped,
 * until it fits (a name longer than the panel is cut by the layout). The
 * state is always in words. Numbers in the run table's units
 * (sim/out/human.h). */

/* A cluster: "  aks-weu   up        1234/s  68+4 pods  17 nodes  active".
 * Dropped first: the nodes, then the role; then "pods" reads "p". */
typedef struct mr_scr_cluster {
    const char *name;
    const char *state; /* up, degraded, DOWN, starting, idle */
    const char *role;  /* active, standby */
    double rps;        /* requests a second routed to it lately; NaN: not known yet */
    int pods, starting; /* serving, starting */
    int nodes, provisioning;
} mr_scr_cluster;
void mr_scr_cluster_text(const mr_scr_cluster *c, int width, char *buf, size_t n);

/* A data store in one of its regions: where the primary is now it reads
 * "  store orders (sql) primary up", in a replica's region
 * "  store orders (sql) replica  lag 474 ms" (the realised lag: the largest
 * over its replicas at the last sample); "DOWN" for a primary that is not
 * up, "failing over" while a failover is under way, ", 1 failover" after.
 * Dropped first: the kind, then "store", then the word "lag". */
typedef struct mr_scr_store {
    const char *name, *kind;
    int primary_here;  /* this region holds the primary now */
    int up, switching; /* the primary's */
    int failovers;
    double lag_s;      /* NaN: none yet */
} mr_scr_store;
void mr_scr_store_text(const mr_scr_store *s, int width, char *buf, size_t n);

/* A resolver pool and the share of it holding each endpoint as its live
 * answer: "resolvers isp-eu  aks-weu 92% aks-neu 7%" (the rest hold no
 * live answer: expired, asking again); short of room "isp-eu: aks-weu 92%
 * aks-neu 7%", then the endpoints that do not fit cut from the end, " ..."
 * saying so. nep 0: "resolvers isp-eu (no endpoint answers: Front Door's
 * anycast)". */
void mr_scr_resolver_text(const char *pool, const char *const *ep, const double *share,
                          size_t nep, int width, char *buf, size_t n);

/* A shared dependency: "dependency entra-id (identity)  up" or "DOWN". */
void mr_scr_dependency_text(const char *name, const char *kind, int down, int width, char *buf,
                            size_t n);

enum { MR_CHART_SUCCESS = 0, MR_CHART_P99, MR_CHART_SERVED, MR_CHART_COUNT };

/* The panels tab moves the focus between. The focused one's title row is
 * drawn "=[ Title ]====" instead of "-- Title ----": in characters, so
 * it shows without colour too. */
enum { MR_PANEL_TOPOLOGY = 0, MR_PANEL_CHART, MR_PANEL_METRICS, MR_PANEL_LOG, MR_PANEL_COUNT };

/* The log's first line shown for n lines in rows rows scrolled back by
 * scroll (clamped to the oldest): what the layout uses, for the front end
 * to clamp its own count. */
size_t mr_screen_log_first(size_t n, int rows, size_t scroll);

/* The served chart's bar in a band of `rows` rows: round(v / max x rows),
 * within 0 .. rows; 0 for NaN or max <= 0. */
int mr_screen_served_bar(double v, double max, int rows);

/* The p99 chart's log scale for the columns shown, v[0 .. n): lo the
 * largest of 1, 2, 5 x 10^k ms at or below their least positive value, hi
 * the smallest at or above their largest, and above lo (the step after it
 * when all are equal). Returns 0 (lo, hi untouched) when none is positive
 * (all NaN). */
int mr_screen_p99_scale(const double *v, size_t n, double *lo, double *hi);
/* How many cells of a band of `rows` rows the p99 v fills on that scale:
 * 1 + round(log(v / lo) / log(hi / lo) x (rows - 1)), within 1 .. rows
 * (any latency shows); 0 for NaN or v <= 0. */
int mr_screen_p99_bar(double v, double lo, double hi, int rows);
/* A scale label in at most 5 characters: "20ms", "500ms", "2s", "0.5ms". */
void mr_screen_ms_label(double ms, char *buf, size_t n);

/* Allocates a w x h screen (w, h >= 1). Free with mr_screen_free. */
mr_screen *mr_screen_new(int w, int h);
void mr_screen_free(mr_screen *s);
/* The cell at column x, row y (NULL outside). */
const mr_cell *mr_screen_at(const mr_screen *s, int x, int y);
/* Row y as text (w characters, trailing spaces kept) into buf (w + 1 bytes). */
void mr_screen_row(const mr_screen *s, int y, char *buf);

/* Lays st out over the whole screen. */
void mr_screen_layout(mr_screen *s, const mr_scr_state *st);

/* The chart's geometry at this size, for the tests and the front end:
 * the rows of its bars, and the share its bottom row stands for (the top
 * is 1): 1 - 10 (1 - target), at least 0 (0.9 for a 0.99 target). */
int mr_screen_chart_rows(int w, int h);
double mr_screen_chart_floor(double target);
/* How many cells of a bar of `rows` rows a share fills:
 * round((share - floor) / (1 - floor) x rows), within 0 .. rows. */
int mr_screen_bar(double share, double target, int rows);

#endif
