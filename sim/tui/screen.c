/* sim/tui/screen.c: the screen model (screen.h): a snapshot laid out into
 * cells. Only ASCII is written, so that every terminal and every capture
 * (tmux capture-pane, the tests) reads the same characters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "out/human.h"
#include "tui/screen.h"

mr_screen *mr_screen_new(int w, int h)
{
    mr_screen *s = mr_xcalloc(1, sizeof *s);
    s->w = w < 1 ? 1 : w;
    s->h = h < 1 ? 1 : h;
    s->cells = mr_xcalloc((size_t)s->w * (size_t)s->h, sizeof *s->cells);
    return s;
}

void mr_screen_free(mr_screen *s)
{
    if (s) {
        free(s->cells);
        free(s);
    }
}

const mr_cell *mr_screen_at(const mr_screen *s, int x, int y)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return NULL;
    return &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
}

void mr_screen_row(const mr_screen *s, int y, char *buf)
{
    for (int x = 0; x < s->w; x++) {
        const mr_cell *c = mr_screen_at(s, x, y);
        buf[x] = c ? c->ch : ' ';
    }
    buf[s->w] = '\0';
}

static void set(mr_screen *s, int x, int y, char ch, unsigned char attr)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return;
    mr_cell *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
    c->ch = (ch >= 32 && ch < 127) ? ch : '?';
    c->attr = attr;
}

/* Text at (x, y), at most n cells; the rest of the n cells padded when pad. */
static void put(mr_screen *s, int x, int y, int n, const char *text, unsigned char attr, int pad)
{
    int i = 0;
    for (; text && text[i] && i < n; i++)
        set(s, x + i, y, text[i], attr);
    for (; pad && i < n; i++)
        set(s, x + i, y, ' ', attr);
}

static void fill(mr_screen *s, int x, int y, int w, int h, char ch, unsigned char attr)
{
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
            set(s, x + c, y + r, ch, attr);
}

/* A panel's title row: "-- Title ----", or focused "=[ Title ]====". */
static void title(mr_screen *s, int x, int y, int w, const char *t, int focused)
{
    fill(s, x, y, w, 1, focused ? '=' : '-', MR_ATTR_TITLE);
    char buf[200];
    snprintf(buf, sizeof buf, focused ? "[ %s ]" : " %s ", t);
    put(s, x + (focused ? 1 : 2), y, w - 2, buf, focused ? MR_ATTR_SELECT : MR_ATTR_TITLE, 0);
}

size_t mr_screen_log_first(size_t n, int rows, size_t scroll)
{
    size_t newest = n > (size_t)rows ? n - (size_t)rows : 0;
    return scroll > newest ? 0 : newest - scroll;
}

int mr_screen_chart_rows(int w, int h)
{
    (void)w;
    int top = h - 2 - (h - 2) / 3;
    return top / 2 - 1;
}

double mr_screen_chart_floor(double target)
{
    double f = 1 - 10 * (1 - target);
    return f > 0 ? f : 0;
}

int mr_screen_bar(double share, double target, int rows)
{
    if (isnan(share))
        return 0;
    double f = mr_screen_chart_floor(target);
    long n = lround((share - f) / (1 - f) * rows);
    return n < 0 ? 0 : n > rows ? rows : (int)n;
}

static void lines(mr_screen *s, int x, int y, int w, int h, const mr_scr_line *l, size_t n,
                  size_t first, int sel)
{
    for (int r = 0; r < h; r++) {
        size_t i = first + (size_t)r;
        if (i >= n) {
            fill(s, x, y + r, w, 1, ' ', MR_ATTR_NORMAL);
            continue;
        }
        int is_sel = (int)i == sel;
        put(s, x, y + r, 1, is_sel ? ">" : " ", is_sel ? MR_ATTR_SELECT : MR_ATTR_NORMAL, 1);
        put(s, x + 1, y + r, w - 1, l[i].text, is_sel ? MR_ATTR_SELECT : l[i].attr, 1);
    }
}

static void chart(mr_screen *s, const mr_scr_state *st, int x, int y, int w, int rows)
{
    const int label = 6; /* "100% |" */
    int cols = w - label;
    double f = mr_screen_chart_floor(st->target);
    for (int r = 0; r < rows; r++) {
        int height = rows - r; /* of this row, from 1 at the bottom */
        char lab[16] = "     |";
        if (r == 0)
            snprintf(lab, sizeof lab, "100%% |");
        else if (r == rows - 1)
            snprintf(lab, sizeof lab, "%3.0f%% |", 100 * f);
        put(s, x, y + r, label, lab, MR_ATTR_DIM, 1);
        int tline = mr_screen_bar(st->target, st->target, rows);
        size_t first = st->nshare > (size_t)cols ? st->nshare - (size_t)cols : 0;
        for (int c = 0; c < cols; c++) {
            size_t i = first + (size_t)c;
            char ch = ' ';
            unsigned char a = MR_ATTR_NORMAL;
            if (i < st->nshare) {
                double v = st->share[i];
                int fillh = mr_screen_bar(v, st->target, rows);
                int shaded = st->fault && st->fault[i];
                if (isnan(v)) {
                    ch = height == 1 ? '.' : ' ';
                    a = MR_ATTR_DIM;
                } else if (height <= fillh) {
                    ch = '#';
                    a = v >= st->target ? MR_ATTR_OK : MR_ATTR_BAD;
                } else if (v < st->target && height == 1) {
                    ch = '_'; /* below the chart's floor: still a miss to see */
                    a = MR_ATTR_BAD;
                }
                if (ch == ' ' && height == tline) {
                    ch = '-';
                    a = MR_ATTR_TARGET;
                }
                if (ch == ' ' && shaded) {
                    ch = ':';
                    a = MR_ATTR_SHADE;
                }
            } else if (height == tline) {
                ch = '-';
                a = MR_ATTR_TARGET;
            }
            set(s, x + label + c, y + r, ch, a);
        }
    }
}

int mr_screen_served_bar(double v, double max, int rows)
{
    if (isnan(v) || !(max > 0))
        return 0;
    long n = lround(v / max * rows);
    return n < 0 ? 0 : n > rows ? rows : (int)n;
}

/* The requests-per-region chart: the rows split into one band per region
 * (as many as fit), each band's bars on the scale of the largest column
 * shown, its region's name at the band's top left. */
static double served_max(const mr_scr_state *st, size_t first)
{
    double max = 0;
    for (size_t r = 0; r < st->nregions; r++)
        for (size_t i = first; i < st->nserved; i++)
            if (!isnan(st->served[r][i]) && st->served[r][i] > max)
                max = st->served[r][i];
    return max;
}

static void served_chart(mr_screen *s, const mr_scr_state *st, int x, int y, int w, int rows)
{
    const int label = 6;
    int cols = w - label;
    size_t first = st->nserved > (size_t)cols ? st->nserved - (size_t)cols : 0;
    double max = served_max(st, first);
    int bands = st->nregions < (size_t)rows ? (int)st->nregions : rows;
    if (bands < 1) {
        put(s, x, y, w, "(no region)", MR_ATTR_DIM, 1);
        return;
    }
    int per = rows / bands;
    for (int b = 0; b < bands; b++) {
        for (int r = 0; r < per; r++) {
            int yy = y + b * per + r, height = per - r;
            char lab[16] = "     |";
            if (r == 0)
                snprintf(lab, sizeof lab, "%-5.5s|", st->region[b]);
            put(s, x, yy, label, lab, MR_ATTR_DIM, 1);
            for (int c = 0; c < cols; c++) {
                size_t i = first + (size_t)c;
                char ch = ' ';
                unsigned char a = MR_ATTR_NORMAL;
                if (i < st->nserved) {
                    double v = st->served[b][i];
                    int fillh = mr_screen_served_bar(v, max, per);
                    if (height <= fillh) {
                        ch = '#';
                        a = MR_ATTR_OK;
                    } else if (height == 1 && !isnan(v) && v <= 0) {
                        ch = '_'; /* none at all: seen, not blank */
                        a = MR_ATTR_DIM;
                    }
                }
                set(s, x + label + c, yy, ch, a);
            }
        }
    }
}

/* The 1-2-5 value at or below (up 0) or at or above (up 1) x > 0. The
 * small tolerance keeps 100 from reading as 99.999... through log10. */
static double nice125(double x, int up)
{
    double d = pow(10, floor(log10(x) + 1e-9));
    static const double m[] = {1, 2, 5, 10};
    if (up) {
        for (int i = 0; i < 4; i++)
            if (m[i] * d >= x * (1 - 1e-12))
                return m[i] * d;
        return 10 * d;
    }
    for (int i = 3; i >= 0; i--)
        if (m[i] * d <= x * (1 + 1e-12))
            return m[i] * d;
    return d;
}

int mr_screen_p99_scale(const double *v, size_t n, double *lo, double *hi)
{
    double mn = INFINITY, mx = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0) { /* NaN compares false */
            mn = v[i] < mn ? v[i] : mn;
            mx = v[i] > mx ? v[i] : mx;
        }
    if (!(mx > 0))
        return 0;
    *lo = nice125(mn, 0);
    *hi = nice125(mx, 1);
    if (*hi <= *lo)
        *hi = nice125(*lo * 1.5, 1); /* the next step: 1 -> 2 -> 5 -> 10 */
    return 1;
}

int mr_screen_p99_bar(double v, double lo, double hi, int rows)
{
    if (!(v > 0) || !(hi > lo) || !(lo > 0) || rows < 1)
        return 0;
    long n = 1 + lround(log(v / lo) / log(hi / lo) * (rows - 1));
    return n < 1 ? 1 : n > rows ? rows : (int)n;
}

void mr_screen_ms_label(double ms, char *buf, size_t n)
{
    if (ms >= 1000)
        snprintf(buf, n, "%.0fs", ms / 1000);
    else if (ms >= 1)
        snprintf(buf, n, "%.0fms", ms);
    else
        snprintf(buf, n, "%.1gms", ms);
}

/* The p99 latency chart: bars from the bottom on a log scale between two
 * 1-2-5 values around the columns shown (a 20 ms steady state and a 2 s
 * failover spike both read), the scale's ends as the labels; fault spans
 * shaded as in the success chart. */
static void p99_chart(mr_screen *s, const mr_scr_state *st, int x, int y, int w, int rows)
{
    const int label = 6; /* "500ms|" */
    int cols = w - label;
    if (st->no_latency) {
        put(s, x, y + rows / 2, w, "  no latency at aggregate fidelity", MR_ATTR_DIM, 1);
        return;
    }
    size_t first = st->np99 > (size_t)cols ? st->np99 - (size_t)cols : 0;
    double lo = 1, hi = 10;
    int scaled = mr_screen_p99_scale(st->p99 + first, st->np99 - first, &lo, &hi);
    for (int r = 0; r < rows; r++) {
        int height = rows - r;
        char lab[16] = "     |", v[16];
        if (scaled && (r == 0 || r == rows - 1)) {
            mr_screen_ms_label(r == 0 ? hi : lo, v, sizeof v);
            snprintf(lab, sizeof lab, "%5.5s|", v);
        }
        put(s, x, y + r, label, lab, MR_ATTR_DIM, 1);
        for (int c = 0; c < cols; c++) {
            size_t i = first + (size_t)c;
            char ch = ' ';
            unsigned char a = MR_ATTR_NORMAL;
            if (i < st->np99) {
                double p = st->p99[i];
                if (isnan(p)) {
                    ch = height == 1 ? '.' : ' ';
                    a = MR_ATTR_DIM;
                } else if (height <= mr_screen_p99_bar(p, lo, hi, rows)) {
                    ch = '#';
                    a = MR_ATTR_OK;
                }
                if (ch == ' ' && st->p99_fault && st->p99_fault[i]) {
                    ch = ':';
                    a = MR_ATTR_SHADE;
                }
            }
            set(s, x + label + c, y + r, ch, a);
        }
    }
}

static void popup(mr_screen *s, const mr_scr_state *st)
{
    int need = (int)strlen(st->popup_title) + 6;
    for (size_t i = 0; i < st->npopup; i++) {
        int l = (int)strlen(st->popup[i].text) + 6;
        need = l > need ? l : need;
    }
    int w = need < s->w - 4 ? need : s->w - 4;
    int h = (int)st->npopup + 2 < s->h - 2 ? (int)st->npopup + 2 : s->h - 2;
    int x = (s->w - w) / 2, y = (s->h - h) / 2;
    fill(s, x, y, w, h, ' ', MR_ATTR_NORMAL);
    for (int c = 0; c < w; c++) {
        set(s, x + c, y, '-', MR_ATTR_TITLE);
        set(s, x + c, y + h - 1, '-', MR_ATTR_TITLE);
    }
    for (int r = 0; r < h; r++) {
        set(s, x, y + r, r == 0 || r == h - 1 ? '+' : '|', MR_ATTR_TITLE);
        set(s, x + w - 1, y + r, r == 0 || r == h - 1 ? '+' : '|', MR_ATTR_TITLE);
    }
    char buf[160];
    snprintf(buf, sizeof buf, " %s ", st->popup_title);
    put(s, x + 2, y, w - 4, buf, MR_ATTR_TITLE, 0);
    int rows = h - 2;
    size_t first = 0;
    if (st->popup_sel >= rows)
        first = (size_t)(st->popup_sel - rows + 1);
    for (int r = 0; r < rows; r++) {
        size_t i = first + (size_t)r;
        if (i >= st->npopup)
            break;
        int sel = (int)i == st->popup_sel;
        put(s, x + 1, y + 1 + r, 2, sel ? "> " : "  ", sel ? MR_ATTR_SELECT : MR_ATTR_NORMAL, 1);
        put(s, x + 3, y + 1 + r, w - 4, st->popup[i].text,
            sel ? MR_ATTR_SELECT : st->popup[i].attr, 1);
    }
}

void mr_screen_layout(mr_screen *s, const mr_scr_state *st)
{
    fill(s, 0, 0, s->w, s->h, ' ', MR_ATTR_NORMAL);
    if (s->w < MR_SCREEN_MIN_W || s->h < MR_SCREEN_MIN_H) {
        char buf[96];
        snprintf(buf, sizeof buf, "mrsim tui needs %dx%d (now %dx%d): enlarge, or q to quit",
                 MR_SCREEN_MIN_W, MR_SCREEN_MIN_H, s->w, s->h);
        put(s, 0, s->h / 2, s->w, buf, MR_ATTR_WARN, 0);
        return;
    }
    /* Rows: header, the top panels, the log, the key line. */
    int logh = (s->h - 2) / 3;
    int top = s->h - 2 - logh;
    int lw = s->w / 2;
    int rx = lw + 1, rw = s->w - rx;
    put(s, 0, 0, s->w, st->header, MR_ATTR_TITLE, 1);

    /* Topology: scrolled so that the selection shows. */
    title(s, 0, 1, lw, "Topology", st->focus == MR_PANEL_TOPOLOGY);
    int trows = top - 1;
    size_t first = 0;
    if (st->selected >= trows)
        first = (size_t)(st->selected - trows + 1);
    lines(s, 0, 2, lw, trows, st->topo, st->ntopo, first, st->selected);
    for (int r = 1; r <= top; r++)
        set(s, lw, r, '|', MR_ATTR_DIM);

    /* Chart, then metrics. */
    int crows = mr_screen_chart_rows(s->w, s->h);
    char ct[128];
    if (st->chart == MR_CHART_SERVED) {
        int cols = rw - 6;
        size_t from = st->nserved > (size_t)cols ? st->nserved - (size_t)cols : 0;
        char m[MR_HU_LEN];
        mr_hu_count(m, sizeof m, served_max(st, from));
        /* A column of several windows is their mean: still per window. */
        snprintf(ct, sizeof ct, "Requests/window (max %s)", m);
        title(s, rx, 1, rw, ct, st->focus == MR_PANEL_CHART);
        served_chart(s, st, rx, 2, rw, crows);
    } else if (st->chart == MR_CHART_P99) {
        int cols = rw - 6;
        size_t from = st->np99 > (size_t)cols ? st->np99 - (size_t)cols : 0;
        double mx = NAN;
        for (size_t i = from; i < st->np99; i++)
            if (!isnan(st->p99[i]) && !(st->p99[i] <= mx))
                mx = st->p99[i];
        /* Short: at 80 columns the panel has 39. */
        char m[32] = "";
        if (!st->no_latency && !isnan(mx))
            snprintf(m, sizeof m, ", max %.0f", mx);
        if (st->no_latency)
            snprintf(ct, sizeof ct, "p99 latency, ms");
        else if (st->per_p99 > 1)
            snprintf(ct, sizeof ct, "p99 ms (log%s), worst of %d", m, st->per_p99);
        else
            snprintf(ct, sizeof ct, "p99 latency, ms (log%s)", m);
        title(s, rx, 1, rw, ct, st->focus == MR_PANEL_CHART);
        p99_chart(s, st, rx, 2, rw, crows);
    } else {
        /* Short titles: at 80 columns the panel has 39. */
        if (st->per_column > 1)
            snprintf(ct, sizeof ct, "Success (SLO %.4g%%), worst of %d", 100 * st->target,
                     st->per_column);
        else
            snprintf(ct, sizeof ct, "Success per window (SLO %.4g%%)", 100 * st->target);
        title(s, rx, 1, rw, ct, st->focus == MR_PANEL_CHART);
        chart(s, st, rx, 2, rw, crows);
    }
    int my = 2 + crows;
    int mrows = top - crows - 2;
    size_t mfirst = st->metrics_scroll;
    if (st->nmetrics <= (size_t)mrows)
        mfirst = 0;
    else if (mfirst > st->nmetrics - (size_t)mrows)
        mfirst = st->nmetrics - (size_t)mrows;
    char mt[64];
    if (st->nmetrics > (size_t)mrows)
        snprintf(mt, sizeof mt, "Metrics so far (%zu-%zu of %zu)", mfirst + 1,
                 mfirst + (size_t)mrows, st->nmetrics);
    else
        snprintf(mt, sizeof mt, "Metrics so far");
    title(s, rx, my, rw, mt, st->focus == MR_PANEL_METRICS);
    lines(s, rx, my + 1, rw, mrows, st->metrics, st->nmetrics, mfirst, -1);

    /* The event log: its newest lines. */
    int ly = 1 + top;
    int lrows = logh - 1;
    size_t lfirst = mr_screen_log_first(st->nlog, lrows, st->log_scroll);
    size_t newest = mr_screen_log_first(st->nlog, lrows, 0);
    char lt[160], scroll[48] = "";
    if (lfirst < newest)
        snprintf(scroll, sizeof scroll, ", %zu newer below", newest - lfirst);
    if (st->filter && *st->filter)
        snprintf(lt, sizeof lt, "Event log (filter: %s%s)", st->filter, scroll);
    else if (scroll[0])
        snprintf(lt, sizeof lt, "Event log (%s)", scroll + 2);
    else
        snprintf(lt, sizeof lt, "Event log");
    title(s, 0, ly, s->w, lt, st->focus == MR_PANEL_LOG);
    lines(s, 0, ly + 1, s->w, lrows, st->log, st->nlog, lfirst, -1);

    put(s, 0, s->h - 1, s->w, st->keys, MR_ATTR_TITLE, 1);
    if (st->popup_title)
        popup(s, st);
}

/* ---- topology lines -------------------------------------------------------- */

/* The first of the variants (most detailed first) that fits width, else
 * the last, which the layout cuts. */
static void fit(char *buf, size_t n, int width, char variants[][160], int nv)
{
    int i = 0;
    while (i < nv - 1 && (int)strlen(variants[i]) > width)
        i++;
    snprintf(buf, n, "%s", variants[i]);
}

void mr_scr_cluster_text(const mr_scr_cluster *c, int width, char *buf, size_t n)
{
    char rps[24] = "", pods[24], nodes[24];
    if (!isnan(c->rps))
        snprintf(rps, sizeof rps, "%5.0f/s", c->rps < 0 ? 0 : c->rps);
    if (c->starting > 0)
        snprintf(pods, sizeof pods, "%d+%d", c->pods, c->starting);
    else
        snprintf(pods, sizeof pods, "%d", c->pods);
    if (c->provisioning > 0)
        snprintf(nodes, sizeof nodes, "%d+%d", c->nodes, c->provisioning);
    else
        snprintf(nodes, sizeof nodes, "%d", c->nodes);
    char v[4][160];
    snprintf(v[0], sizeof v[0], "  %-9s %-8s %s  %s pods  %s nodes  %s", c->name, c->state, rps, pods,
             nodes, c->role);
    snprintf(v[1], sizeof v[1], "  %-9s %-8s %s  %s pods  %s", c->name, c->state, rps, pods, c->role);
    snprintf(v[2], sizeof v[2], "  %-9s %-8s %s  %s pods", c->name, c->state, rps, pods);
    snprintf(v[3], sizeof v[3], "  %s %s %s %sp", c->name, c->state, rps, pods);
    fit(buf, n, width, v, 4);
}

void mr_scr_store_text(const mr_scr_store *s, int width, char *buf, size_t n)
{
    char lag[MR_HU_LEN + 8] = "", state[48];
    char d[MR_HU_LEN] = "";
    /* The realised lag is the replicas': on their lines. */
    if (!isnan(s->lag_s) && !s->primary_here) {
        mr_hu_duration(d, sizeof d, s->lag_s);
        snprintf(lag, sizeof lag, "  lag %s", d);
    }
    if (!s->primary_here)
        snprintf(state, sizeof state, "replica");
    else if (s->switching)
        snprintf(state, sizeof state, "primary failing over");
    else if (s->failovers > 0)
        snprintf(state, sizeof state, "primary %s, %d failover%s", s->up ? "up" : "DOWN",
                 s->failovers, s->failovers == 1 ? "" : "s");
    else
        snprintf(state, sizeof state, "primary %s", s->up ? "up" : "DOWN");
    char v[4][160];
    snprintf(v[0], sizeof v[0], "  store %s (%s) %s%s", s->name, s->kind, state, lag);
    snprintf(v[1], sizeof v[1], "  store %s %s%s", s->name, state, lag);
    snprintf(v[2], sizeof v[2], "  %s %s%s%s", s->name, state, d[0] ? " " : "", d);
    snprintf(v[3], sizeof v[3], "  %s %s", s->name, state);
    fit(buf, n, width, v, 4);
}

/* The answer shares after prefix, cut with " ..." where the next one would
 * pass width; returns 1 when every endpoint fit. */
static int shares(char *line, size_t cap, const char *prefix, const char *const *ep,
                  const double *share, size_t nep, int width)
{
    int len = snprintf(line, cap, "%s", prefix);
    for (size_t e = 0; e < nep; e++) {
        char item[128], pct[32];
        /* Whole percents: a pool's share moves by 1 / its resolvers, and
         * a panel reads "98%" at a glance, not "98.50%". */
        if (isnan(share[e]))
            snprintf(pct, sizeof pct, "-");
        else
            snprintf(pct, sizeof pct, "%.0f%%", 100 * share[e]);
        int il = snprintf(item, sizeof item, " %s %s", ep[e], pct);
        /* Room for this one, and for " ..." when more follow. */
        int need = len + il + (e + 1 < nep ? 4 : 0);
        if (need > width || len + il + 4 >= (int)cap) {
            snprintf(line + len, cap - (size_t)len, " ...");
            return 0;
        }
        memcpy(line + len, item, (size_t)il + 1);
        len += il;
    }
    return 1;
}

void mr_scr_resolver_text(const char *pool, const char *const *ep, const double *share,
                          size_t nep, int width, char *buf, size_t n)
{
    if (nep == 0) {
        char v[2][160];
        snprintf(v[0], sizeof v[0], "resolvers %s (no endpoint answers: Front Door's anycast)", pool);
        snprintf(v[1], sizeof v[1], "resolvers %s (anycast)", pool);
        fit(buf, n, width, v, 2);
        return;
    }
    char line[256], prefix[160];
    snprintf(prefix, sizeof prefix, "resolvers %s ", pool);
    if (!shares(line, sizeof line, prefix, ep, share, nep, width)) {
        /* Short of room: the endpoints matter more than the word. */
        snprintf(prefix, sizeof prefix, "%s:", pool);
        shares(line, sizeof line, prefix, ep, share, nep, width);
    }
    snprintf(buf, n, "%s", line);
}

void mr_scr_dependency_text(const char *name, const char *kind, int down, int width, char *buf,
                            size_t n)
{
    char v[3][160];
    snprintf(v[0], sizeof v[0], "dependency %s (%s)  %s", name, kind, down ? "DOWN" : "up");
    snprintf(v[1], sizeof v[1], "dependency %s  %s", name, down ? "DOWN" : "up");
    snprintf(v[2], sizeof v[2], "dep %s %s", name, down ? "DOWN" : "up");
    fit(buf, n, width, v, 3);
}
