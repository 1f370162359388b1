/* sim/out/plot.c: see plot.h. Reading: the candidates of a database are
 * its (scenario, variant) pairs, each with the runs of its latest
 * invocation (a database appended to twice compares the newest runs),
 * ordered by their first run, which fixes each one's colour in every
 * figure. A figure is a TSV of what it draws plus a gnuplot script of
 * plots/; this file computes the data (means, bands, Kaplan-Meier curves,
 * the Pareto front) and leaves every look to the script. */
#include "out/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "out/dbread.h"

extern char **environ;

#define PL_MAX_CAND MR_DBR_MAX_CAND
#define PL_MAX_GRID 200000

typedef mr_dbr_cand pl_cand;

typedef struct pl_ctx {
    const mr_plot_opts *o;
    sqlite3 *db;
    pl_cand cand[PL_MAX_CAND];
    size_t ncand;
    char title[256]; /* the scenario's name, or the names joined */
    double tunit_s;  /* the timeline's time unit in seconds: 60, 3600 or 86400 */
    double ymin;     /* the timeline's lowest 5% band edge */
    char *err;
    size_t errlen;
} pl_ctx;

/* One headline metric: its summary name, the panel's title and how its
 * values are shown. */
typedef struct pl_metric {
    const char *name, *title;
    int kind; /* 0: as is, 1: availability as downtime per month, 2: a duration */
    const char *unit;
} pl_metric;

/* Availability as the share of requests that failed: a drill of an hour
 * extrapolated to "minutes per month" would mislead; downtime is what the
 * drill measured. */
static const pl_metric metrics[] = {
    {"availability", "Failed requests", 1, "%"},
    {"downtime_s", "Downtime (SLO windows missed)", 2, "s"},
    {"rto_s", "RTO", 2, "s"},
    {"client_rto_s", "Client RTO", 2, "s"},
    {"rpo_s", "RPO", 2, "s"},
    {"lost_writes", "Lost writes", 0, "writes"},
    {"cost_usd_month", "Run-rate cost", 0, "USD/month"},
};
enum { NMETRICS = sizeof metrics / sizeof metrics[0] };

static const char *const kind_names[] = {
#define MR_PLOT_NAME(id, name, text) name,
    MR_PLOT_KIND_MAP(MR_PLOT_NAME)
#undef MR_PLOT_NAME
};
static const char *const kind_texts[] = {
#define MR_PLOT_TEXT(id, name, text) text,
    MR_PLOT_KIND_MAP(MR_PLOT_TEXT)
#undef MR_PLOT_TEXT
};
static const char *const formats[] = {"png", "svg", "pdf", "dumb"};
static const char *const extensions[] = {"png", "svg", "pdf", "txt"};

static int fail(pl_ctx *c, const char *fmt, ...);
static int open_db(pl_ctx *c);
static int load_candidates(pl_ctx *c);
static int find_program(const char *name, char *path, size_t len);
static int ensure_dir(pl_ctx *c, const char *dir);
static int draw(pl_ctx *c, mr_plot_kind k, int *drew);

const char *mr_plot_kind_name(mr_plot_kind k)
{
    return (unsigned)k < MR_PLOT_KIND_COUNT ? kind_names[k] : NULL;
}

const char *mr_plot_kind_text(mr_plot_kind k)
{
    return (unsigned)k < MR_PLOT_KIND_COUNT ? kind_texts[k] : NULL;
}

int mr_plot_kind_find(const char *name)
{
    for (int k = 0; k < MR_PLOT_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

int mr_plot_format_find(const char *name)
{
    for (int f = 0; f < 4; f++)
        if (strcmp(formats[f], name) == 0)
            return f;
    return -1;
}

int mr_plot_draw(const mr_plot_opts *o, size_t *drawn, char *err, size_t errlen)
{
    pl_ctx c = {.o = o, .err = err, .errlen = errlen};
    *drawn = 0;
    if (errlen)
        err[0] = '\0';
    char prog[4096];
    /* Before anything is written: a missing gnuplot leaves nothing behind. */
    if (find_program(o->gnuplot, prog, sizeof prog) != 0)
        return fail(&c, "%s not found on PATH: install the package gnuplot-nox "
                        "(apt-get install gnuplot-nox)", o->gnuplot);
    int rc = open_db(&c);
    if (rc == MR_OK)
        rc = load_candidates(&c);
    if (rc == MR_OK)
        rc = ensure_dir(&c, o->out_dir);
    for (int k = 0; rc == MR_OK && k < MR_PLOT_KIND_COUNT; k++) {
        if (o->only && !(o->only & (1u << k)))
            continue;
        int drew = 0;
        rc = draw(&c, (mr_plot_kind)k, &drew);
        *drawn += (size_t)drew;
        if (rc == MR_OK && !drew && o->only && o->note)
            fprintf(o->note, "mrsim: note: no %s figure: the database has no data for it\n",
                    kind_names[k]);
    }
    sqlite3_close(c.db);
    return rc;
}

/* ---- helpers ---- */

static int fail(pl_ctx *c, const char *fmt, ...)
{
    if (c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return MR_EIO;
}

static int open_db(pl_ctx *c)
{
    return mr_dbr_open(c->o->db_path, &c->db, c->err, c->errlen);
}

static void copy(char *dst, size_t len, const unsigned char *src)
{
    snprintf(dst, len, "%s", src ? (const char *)src : "");
}

static int load_candidates(pl_ctx *c)
{
    c->ncand = mr_dbr_candidates(c->db, c->cand, PL_MAX_CAND);
    if (c->ncand == 0)
        return fail(c, "%s: no runs in the database", c->o->db_path);
    snprintf(c->title, sizeof c->title, "%s", c->cand[0].scenario);
    for (size_t i = 1; i < c->ncand; i++)
        if (strcmp(c->cand[i].scenario, c->cand[0].scenario) != 0) {
            snprintf(c->title, sizeof c->title, "%zu candidates", c->ncand);
            break;
        }
    return MR_OK;
}

static int find_program(const char *name, char *path, size_t len)
{
    if (strchr(name, '/')) {
        snprintf(path, len, "%s", name);
        return access(path, X_OK) == 0 ? 0 : -1;
    }
    const char *p = getenv("PATH");
    if (!p)
        p = "/usr/bin:/bin";
    while (*p) {
        size_t n = strcspn(p, ":");
        snprintf(path, len, "%.*s/%s", (int)n, n ? p : ".", name);
        if (access(path, X_OK) == 0)
            return 0;
        p += n + (p[n] == ':');
    }
    return -1;
}

static int ensure_dir(pl_ctx *c, const char *dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    /* mkdir -p, one level at a time. */
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return fail(c, "%s: %s", buf, strerror(errno));
        *s = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return fail(c, "%s: %s", buf, strerror(errno));
    if (access(buf, W_OK) != 0)
        return fail(c, "%s: %s", buf, strerror(errno));
    return MR_OK;
}

/* A text for a gnuplot string in single quotes: a quote is doubled. */
static void gp_quote(char *dst, size_t len, const char *src)
{
    size_t j = 0;
    for (; *src && j + 3 < len; src++) {
        if (*src == '\'')
            dst[j++] = '\'';
        dst[j++] = *src;
    }
    dst[j] = '\0';
}

/* ---- the data of each figure ---- */

static int summary(pl_ctx *c, const pl_cand *k, const char *metric, double *mean, double *lo,
                   double *hi)
{
    return mr_dbr_summary(c->db, k, metric, mean, lo, hi);
}

/* A metric's values as the figures show them; *scale set per panel. */
static void shown(const pl_metric *m, double scale, double *mean, double *lo, double *hi)
{
    if (m->kind == 1) {
        double a = *mean, l = *lo, h = *hi;
        *mean = (1 - a) * 100;
        *lo = (1 - h) * 100;
        *hi = (1 - l) * 100;
        if (*lo < 0)
            *lo = 0;
    }
    *mean /= scale;
    *lo /= scale;
    *hi /= scale;
}

/* Durations over three minutes are shown in minutes. */
static double duration_scale(pl_ctx *c, const pl_metric *m, const char **unit)
{
    *unit = m->unit;
    if (m->kind != 2)
        return 1;
    double top = 0, mean, lo, hi;
    for (size_t i = 0; i < c->ncand; i++)
        if (summary(c, &c->cand[i], m->name, &mean, &lo, &hi) && hi > top)
            top = hi;
    if (top > 180) {
        *unit = "min";
        return 60;
    }
    return 1;
}

typedef struct pl_buf {
    char *text;
    size_t len;
    FILE *f;
} pl_buf;

static void buf_open(pl_buf *b)
{
    b->text = NULL;
    b->len = 0;
    b->f = open_memstream(&b->text, &b->len);
}

static void buf_close(pl_buf *b)
{
    if (b->f)
        fclose(b->f);
    b->f = NULL;
}

/* The recovery milestones of each candidate's first episode, as markers on
 * its line: the mean time of each milestone over the replications that
 * reached it, and the candidate's mean success ratio there (read back from
 * the block just written is not possible, so the value comes from the
 * database's windows at that time). One block: t_min, y, point type,
 * colour index, milestone. Returns the markers written. */
static const struct {
    const char *name;
    int pt; /* gnuplot point type: the legend of plots/timeline.gp says which */
} marks[] = {
    {"detected", 9}, {"routed_95", 7}, {"standby_ready", 5}, {"store_failover", 13},
    {"recovered", 3},
};

static double ratio_at(pl_ctx *c, const pl_cand *k, double t);

static int milestone_marks(pl_ctx *c, FILE *f)
{
    int n = 0;
    for (size_t i = 0; i < c->ncand; i++) {
        sqlite3_stmt *st = mr_dbr_runs(c->db, &c->cand[i],
                                   "SELECT m.milestone, AVG(m.t_s + e.start_s) FROM milestone m"
                                   " JOIN run r ON r.run_id = m.run_id JOIN episode e ON"
                                   " e.run_id = m.run_id AND e.rowid = (SELECT MIN(rowid) FROM"
                                   " episode WHERE run_id = m.run_id) WHERE r.invocation_id = ?"
                                   " AND r.scenario = ? AND r.variant IS ? AND m.episode = 0 AND"
                                   " m.t_s IS NOT NULL GROUP BY m.milestone");
        while (st && sqlite3_step(st) == SQLITE_ROW) {
            const char *ms = (const char *)sqlite3_column_text(st, 0);
            double t = sqlite3_column_double(st, 1);
            int pt = -1;
            for (size_t k = 0; ms && k < sizeof marks / sizeof marks[0]; k++)
                if (strcmp(ms, marks[k].name) == 0)
                    pt = marks[k].pt;
            if (pt < 0)
                continue;
            double y = ratio_at(c, &c->cand[i], t);
            if (isnan(y))
                continue;
            fprintf(f, "%s%.6f\t%.6g\t%d\t%d\t%s\n",
                    n ? "" : "\n\n# recovery milestones (first episode, mean time)\n"
                             "# t\ty\tpoint\tcolor\tmilestone (t in the timeline's unit)\n",
                    t / c->tunit_s, y, pt, c->cand[i].color, ms);
            n++;
        }
        sqlite3_finalize(st);
    }
    return n;
}

/* The mean over candidate k's replications of the success ratio of the
 * window holding t (seconds), sample-hold. */
static double ratio_at(pl_ctx *c, const pl_cand *k, double t)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT AVG((SELECT d.value FROM vectordata d WHERE d.vector_id ="
                           " v.vector_id AND d.t_ns <= ? ORDER BY d.t_ns DESC LIMIT 1)) FROM"
                           " run r JOIN vector v ON v.run_id = r.run_id WHERE"
                           " r.invocation_id = ? AND r.scenario = ? AND r.variant IS ? AND"
                           " v.component = '' AND v.metric = 'success_ratio'",
                           -1, &st, NULL) != SQLITE_OK)
        return NAN;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(t * 1e9));
    sqlite3_bind_int64(st, 2, k->inv);
    sqlite3_bind_text(st, 3, k->scenario, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, k->variant, -1, SQLITE_TRANSIENT);
    double y = NAN;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        y = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return y;
}

/* Appends name%d='...' and colour%d=N for block b of candidate k. */
static size_t block_vars(char *vars, size_t vlen, size_t vl, int b, const pl_cand *k)
{
    char q[300];
    gp_quote(q, sizeof q, k->variant);
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "name%d='%s'; colour%d=%d; ", b, q, b,
                               k->color);
    return vl;
}

/* metrics: one block a panel (metric), a row a candidate. */
static int data_metrics(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    int panels = 0;
    size_t vl = strlen(vars);
    for (size_t m = 0; m < NMETRICS; m++) {
        const char *unit;
        double scale = duration_scale(c, &metrics[m], &unit);
        int rows = 0;
        for (size_t i = 0; i < c->ncand; i++) {
            double mean, lo, hi;
            if (!summary(c, &c->cand[i], metrics[m].name, &mean, &lo, &hi))
                continue;
            if (!rows)
                fprintf(f, "%s# %s (%s)\n# variant\tcolor\tmean\tci95_lo\tci95_hi\n",
                        panels ? "\n\n" : "", metrics[m].title, unit);
            shown(&metrics[m], scale, &mean, &lo, &hi);
            fprintf(f, "%s\t%d\t%.6g\t%.6g\t%.6g\n", c->cand[i].variant, c->cand[i].color, mean,
                    lo, hi);
            rows++;
        }
        if (rows) {
            char t[160];
            snprintf(t, sizeof t, "%s (%s)", metrics[m].title, unit);
            char q[200];
            gp_quote(q, sizeof q, t);
            vl += (size_t)snprintf(vars + vl, vl < vlen ? vlen - vl : 0, "panel%d='%s'; ", panels,
                                   q);
            panels++;
        }
    }
    for (size_t i = 0; i < c->ncand; i++)
        vl = block_vars(vars, vlen, vl, (int)i, &c->cand[i]);
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "npanels=%d; ncand=%zu; ", panels, c->ncand);
    return panels > 0;
}

static sqlite3_stmt *runs_of(pl_ctx *c, const pl_cand *k, const char *select)
{
    return mr_dbr_runs(c->db, k, select);
}

typedef struct pl_series {
    sqlite3_int64 *t;
    double *v;
    size_t n, cap;
} pl_series;

static int cmp_i64(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sample-hold: the value of s at t (NaN before its first sample or where a
 * window had no requests); *at advances monotonically. */
static double hold_at(const pl_series *s, size_t *at, sqlite3_int64 t)
{
    while (*at + 1 < s->n && s->t[*at + 1] <= t)
        (*at)++;
    if (s->n == 0 || s->t[*at] > t)
        return NAN;
    return s->v[*at];
}

static void series_free(pl_series *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].t);
        free(s[i].v);
    }
    free(s);
}

/* The success ratio of candidate k's runs: mean and 5-95% band per window. */
static int timeline_of(pl_ctx *c, const pl_cand *k, FILE *f, int first)
{
    sqlite3_stmt *st = runs_of(c, k,
                               /* The vectors first, then their samples by the index
                                * (load_vecs says why). */
                               "SELECT d.vector_id, d.t_ns, d.value FROM vector v CROSS JOIN run r"
                               " ON r.run_id = v.run_id CROSS JOIN vectordata d ON d.vector_id ="
                               " v.vector_id WHERE r.invocation_id = ? AND r.scenario = ? AND"
                               " r.variant IS ? AND v.component = '' AND v.metric ="
                               " 'success_ratio' ORDER BY d.vector_id, d.t_ns");
    if (!st)
        return 0;
    pl_series *s = NULL;
    size_t ns = 0, total = 0;
    sqlite3_int64 last = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id != last) {
            s = mr_xrealloc(s, (ns + 1) * sizeof *s);
            s[ns++] = (pl_series){0};
            last = id;
        }
        pl_series *x = &s[ns - 1];
        if (x->n == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 256;
            x->t = mr_xrealloc(x->t, x->cap * sizeof *x->t);
            x->v = mr_xrealloc(x->v, x->cap * sizeof *x->v);
        }
        x->t[x->n] = sqlite3_column_int64(st, 1);
        x->v[x->n++] = sqlite3_column_type(st, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 2);
        total++;
    }
    sqlite3_finalize(st);
    if (ns == 0 || total > PL_MAX_GRID * 4) {
        series_free(s, ns);
        return 0;
    }
    /* The grid: every time any run has a sample at (sparse aggregate
     * series included), deduplicated. */
    sqlite3_int64 *grid = mr_xmalloc(total * sizeof *grid);
    size_t ng = 0;
    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < s[i].n; j++)
            grid[ng++] = s[i].t[j];
    qsort(grid, ng, sizeof *grid, cmp_i64);
    size_t u = 0;
    for (size_t j = 0; j < ng; j++)
        if (u == 0 || grid[j] != grid[u - 1])
            grid[u++] = grid[j];
    ng = u;
    size_t *at = mr_xcalloc(ns, sizeof *at);
    double *vals = mr_xmalloc(ns * sizeof *vals);
    fprintf(f, "%s# %s (%zu replications)\n# t\tmean\tp5\tp95\tcolor\n", first ? "" : "\n\n",
            k->variant, ns);
    for (size_t j = 0; j < ng && ng <= PL_MAX_GRID; j++) {
        size_t m = 0;
        double sum = 0;
        for (size_t i = 0; i < ns; i++) {
            double v = hold_at(&s[i], &at[i], grid[j]);
            if (!isnan(v)) {
                vals[m++] = v;
                sum += v;
            }
        }
        if (m == 0)
            continue;
        qsort(vals, m, sizeof *vals, cmp_double);
        /* Nearest-rank percentiles across replications. */
        double p5 = vals[(size_t)floor(0.05 * (double)(m - 1) + 0.5)];
        double p95 = vals[(size_t)floor(0.95 * (double)(m - 1) + 0.5)];
        if (p5 < c->ymin)
            c->ymin = p5;
        fprintf(f, "%.6f\t%.6g\t%.6g\t%.6g\t%d\n", (double)grid[j] / (c->tunit_s * 1e9), sum / (double)m, p5,
                p95, k->color);
    }
    free(vals);
    free(at);
    free(grid);
    series_free(s, ns);
    return 1;
}

/* The faults of candidate 0's runs: each fault's mean start and end. */
static int fault_spans(pl_ctx *c, FILE *f, char *label, size_t llen, char *vars, size_t vlen,
                       size_t *vl)
{
    sqlite3_stmt *st = runs_of(c, &c->cand[0],
                               "SELECT e.fault, e.kind, e.target, AVG(e.start_s), AVG(e.end_s),"
                               " COUNT(*) FROM episode e JOIN run r ON r.run_id = e.run_id"
                               " WHERE r.invocation_id = ? AND r.scenario = ? AND r.variant IS ?"
                               " GROUP BY e.fault, e.kind, e.target HAVING COUNT(*) = ?5 AND"
                               " COUNT(DISTINCT e.run_id) = ?5 AND MAX(e.start_s) -"
                               " MIN(e.start_s) <= 0.1 * MAX(e.end_s) ORDER BY AVG(e.start_s)");
    /* Only a fault that comes once in every replication at about the same
     * time (within a tenth of the run) has a span worth drawing: the mean
     * start of a stochastic fault's episodes is no time at which anything
     * happened. */
    if (st)
        sqlite3_bind_int(st, 5, c->cand[0].runs);
    int n = 0;
    label[0] = '\0';
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        const char *target = (const char *)sqlite3_column_text(st, 2);
        double s0 = sqlite3_column_double(st, 3), s1 = sqlite3_column_double(st, 4);
        fprintf(f, "%s%.6f\t%.6f\t%s\n", n ? "" : "\n\n# faults (mean start and end)\n# start\tend\tfault\n",
                s0 / c->tunit_s, s1 / c->tunit_s, name ? name : "fault");
        if (*vl < vlen)
            *vl += (size_t)snprintf(vars + *vl, vlen - *vl, "fault%d_start=%.6f; fault%d_end=%.6f; ",
                                    n, s0 / c->tunit_s, n, s1 / c->tunit_s);
        if (n == 0)
            snprintf(label, llen, "%s (%s of %s)", name ? name : "fault", kind ? kind : "fault",
                     target ? target : "?");
        n++;
    }
    sqlite3_finalize(st);
    if (n == 0)
        snprintf(label, llen, "the faults at their own times in each replication");
    return n;
}

static int data_timeline(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    int blocks = 0;
    size_t vl = strlen(vars);
    /* Minutes up to 3 h, hours up to 3 days, days beyond. */
    sqlite3_stmt *mx = NULL;
    double span_s = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT MAX(t_ns) FROM vectordata", -1, &mx, NULL) == SQLITE_OK &&
        sqlite3_step(mx) == SQLITE_ROW)
        span_s = sqlite3_column_double(mx, 0) / 1e9;
    sqlite3_finalize(mx);
    c->tunit_s = span_s <= 3 * 3600 ? 60 : span_s <= 3 * 86400 ? 3600 : 86400;
    c->ymin = 1;
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "tunit='%s'; ",
                               c->tunit_s == 60 ? "min" : c->tunit_s == 3600 ? "h" : "days");
    for (size_t i = 0; i < c->ncand; i++)
        if (timeline_of(c, &c->cand[i], f, blocks == 0))
            vl = block_vars(vars, vlen, vl, blocks++, &c->cand[i]);
    if (!blocks)
        return 0;
    char label[256], q[300];
    int nf = fault_spans(c, f, label, sizeof label, vars, vlen, &vl);
    int nms = nf > 0 ? milestone_marks(c, f) : 0;
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "nmarks=%d; marksindex=%d; ", nms,
                               blocks + (nf > 0));
    gp_quote(q, sizeof q, label);
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "nblocks=%d; nfaults=%d; faultlabel='%s'; ",
                               blocks, nf, q);
    /* The y axis from a tenth below the lowest band edge (0 at the least),
     * so that the shallow dips of a long run show. */
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "ymin=%.1f; ", fmax(0, floor(c->ymin * 10 - 0.5) / 10));
    return 1;
}

/* Client RTO: the Kaplan-Meier estimate over the pooled histogram bins of
 * the recovered groups and the censored ones; the curve is 1 - S(t). */
static int cdf_of(pl_ctx *c, const pl_cand *k, FILE *f, int first)
{
    sqlite3_stmt *st = runs_of(c, k,
                               "SELECT lower, SUM(d), SUM(cs) FROM temp.plot_rto_bins WHERE"
                               " invocation_id = ? AND scenario = ? AND variant IS ?"
                               " GROUP BY lower ORDER BY lower");
    if (!st)
        return 0;
    double *t = NULL, *d = NULL, *cs = NULL;
    size_t n = 0;
    double at_risk = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        t = mr_xrealloc(t, (n + 1) * sizeof *t);
        d = mr_xrealloc(d, (n + 1) * sizeof *d);
        cs = mr_xrealloc(cs, (n + 1) * sizeof *cs);
        t[n] = sqlite3_column_double(st, 0);
        d[n] = sqlite3_column_double(st, 1);
        cs[n] = sqlite3_column_double(st, 2);
        at_risk += d[n] + cs[n];
        n++;
    }
    sqlite3_finalize(st);
    double events = 0;
    for (size_t i = 0; i < n; i++)
        events += d[i];
    if (events == 0) {
        free(t), free(d), free(cs);
        return 0;
    }
    fprintf(f, "%s# %s (%.0f groups, %.0f censored)\n# client_rto_s\tcdf\tcolor\n",
            first ? "" : "\n\n", k->variant, at_risk, at_risk - events);
    double surv = 1;
    /* Censored at a bin count as still at risk at its events (the usual
     * convention: censoring after the deaths at the same time). */
    for (size_t i = 0; i < n; i++) {
        if (d[i] > 0 && at_risk > 0)
            surv *= 1 - d[i] / at_risk;
        at_risk -= d[i] + cs[i];
        if (d[i] > 0)
            fprintf(f, "%.6g\t%.6g\t%d\n", t[i] > 0 ? t[i] : 0.01, 1 - surv, k->color);
    }
    free(t), free(d), free(cs);
    return 1;
}

static int data_cdf(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    /* histbin has no index on stat_id: read once for every candidate into
     * a temporary table of their client-RTO bins (a scan per candidate
     * took seconds each on a 50-point sweep). */
    if (sqlite3_exec(c->db,
                     "CREATE TEMP TABLE IF NOT EXISTS plot_rto_bins AS SELECT r.invocation_id AS"
                     " invocation_id, r.scenario AS scenario, r.variant AS variant, h.lower AS"
                     " lower, SUM(CASE WHEN s.metric = 'client_rto_s' THEN h.count ELSE 0 END)"
                     " AS d, SUM(CASE WHEN s.metric = 'client_rto_censored_s' THEN h.count ELSE"
                     " 0 END) AS cs FROM histbin h JOIN statistic s ON s.stat_id = h.stat_id"
                     " JOIN run r ON r.run_id = s.run_id WHERE s.component = '' AND s.metric IN"
                     " ('client_rto_s', 'client_rto_censored_s') GROUP BY r.invocation_id,"
                     " r.scenario, r.variant, h.lower;"
                     " CREATE INDEX IF NOT EXISTS temp.plot_rto_bins_key ON plot_rto_bins"
                     " (invocation_id, scenario, variant);",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 0;
    int blocks = 0;
    size_t vl = strlen(vars);
    for (size_t i = 0; i < c->ncand; i++)
        if (cdf_of(c, &c->cand[i], f, blocks == 0))
            vl = block_vars(vars, vlen, vl, blocks++, &c->cand[i]);
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "nblocks=%d; ", blocks);
    return blocks > 0;
}

/* The value of a varied key of candidate k's first run, as a number when
 * it reads as a duration (seconds) or a plain number. */
static int varied_value(pl_ctx *c, const pl_cand *k, const char *key, char *text, size_t tlen,
                        double *num)
{
    sqlite3_stmt *st = runs_of(c, k,
                               "SELECT a.value FROM runattr a JOIN run r ON r.run_id = a.run_id"
                               " WHERE r.invocation_id = ? AND r.scenario = ? AND r.variant IS ?"
                               " AND a.varied = 1 AND a.key = ? ORDER BY r.run_id LIMIT 1");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        copy(text, tlen, sqlite3_column_text(st, 0));
        char e[64];
        mr_time d;
        *num = NAN;
        if (mr_units_duration(text, &d, e, sizeof e) == 0)
            *num = mr_time_to_s(d);
        else if (mr_units_number(text, num, e, sizeof e) != 0)
            *num = NAN;
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

/* The swept keys: those marked varied, in the order of their first row. */
static size_t swept_keys(pl_ctx *c, char keys[2][128])
{
    sqlite3_stmt *st = NULL;
    const char *q = "SELECT key FROM runattr WHERE varied = 1 GROUP BY key ORDER BY MIN(rowid)";
    size_t n = 0;
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 2)
        copy(keys[n++], sizeof keys[0], sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n;
}

typedef struct pl_point {
    double x;
    char xtext[64], group[64];
    size_t cand;
} pl_point;

static int cmp_point(const void *a, const void *b)
{
    const pl_point *p = a, *q = b;
    int g = strcmp(p->group, q->group);
    if (g)
        return g;
    return (p->x > q->x) - (p->x < q->x);
}

/* sweep: a panel a metric, a line a value of the second key, the first
 * key on the x axis (numeric when every value reads as one). */
static int data_sweep(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    char keys[2][128];
    size_t nk = swept_keys(c, keys);
    if (nk == 0 || c->ncand < 2)
        return 0;
    /* A sweep's points are named by their values ("traffic.ttl=30s; ...");
     * the variants of a comparison differ in many keys at once and have
     * no axis: the metrics and Pareto figures show them. */
    for (size_t i = 0; i < c->ncand; i++)
        if (!strchr(c->cand[i].variant, '='))
            return 0;
    pl_point *p = mr_xcalloc(c->ncand, sizeof *p);
    size_t np = 0;
    int numeric = 1;
    for (size_t i = 0; i < c->ncand; i++) {
        double x;
        if (!varied_value(c, &c->cand[i], keys[0], p[np].xtext, sizeof p[np].xtext, &x))
            continue;
        p[np].x = x;
        numeric &= !isnan(x);
        double g;
        if (nk < 2 || !varied_value(c, &c->cand[i], keys[1], p[np].group, sizeof p[np].group, &g))
            snprintf(p[np].group, sizeof p[np].group, "%s", "all");
        p[np].cand = i;
        np++;
    }
    if (np < 2) {
        free(p);
        return 0;
    }
    if (!numeric)
        for (size_t i = 0; i < np; i++)
            p[i].x = (double)i;
    qsort(p, np, sizeof *p, cmp_point);
    int *gix = mr_xcalloc(np, sizeof *gix), ngroups = 0;
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && strcmp(p[i].group, p[i - 1].group) != 0)
            ngroups++;
        gix[i] = ngroups;
    }
    ngroups++;
    int panels = 0;
    size_t vl = strlen(vars);
    for (size_t m = 0; m < NMETRICS; m++) {
        const char *unit;
        double scale = duration_scale(c, &metrics[m], &unit);
        int any = 0;
        for (size_t i = 0; i < np && !any; i++) {
            double mean, lo, hi;
            any = summary(c, &c->cand[p[i].cand], metrics[m].name, &mean, &lo, &hi);
        }
        if (!any)
            continue;
        for (int g = 0; g < ngroups; g++) {
            /* Every group has its block, empty or not, so that block
             * panel x ngroups + g is group g of the panel. */
            const char *gname = "";
            for (size_t i = 0; i < np; i++)
                if (gix[i] == g)
                    gname = p[i].group;
            fprintf(f, "%s# %s (%s)%s%s%s%s\n# %s\tlabel\tmean\tci95_lo\tci95_hi\tcolor\n",
                    g || panels ? "\n\n" : "", metrics[m].title, unit, nk > 1 ? "; " : "",
                    nk > 1 ? keys[1] : "", nk > 1 ? " = " : "", nk > 1 ? gname : "", keys[0]);
            for (size_t i = 0; i < np; i++) {
                double mean, lo, hi;
                if (gix[i] != g || !summary(c, &c->cand[p[i].cand], metrics[m].name, &mean, &lo, &hi))
                    continue;
                shown(&metrics[m], scale, &mean, &lo, &hi);
                fprintf(f, "%.6g\t%s\t%.6g\t%.6g\t%.6g\t%d\n", p[i].x, p[i].xtext, mean, lo, hi, g);
            }
        }
        char t[160], q[200];
        snprintf(t, sizeof t, "%s (%s)", metrics[m].title, unit);
        gp_quote(q, sizeof q, t);
        vl += (size_t)snprintf(vars + vl, vl < vlen ? vlen - vl : 0, "panel%d='%s'; ", panels, q);
        panels++;
    }
    for (int g = 0; g < ngroups; g++)
        for (size_t i = 0; i < np; i++)
            if (gix[i] == g) {
                char q[200];
                gp_quote(q, sizeof q, p[i].group);
                if (vl < vlen)
                    vl += (size_t)snprintf(vars + vl, vlen - vl, "group%d='%s'; ", g, q);
                break;
            }
    free(gix);
    char kq[300], gq[300];
    gp_quote(kq, sizeof kq, keys[0]);
    gp_quote(gq, sizeof gq, nk > 1 ? keys[1] : "");
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "npanels=%d; ngroups=%d; xkey='%s'; gkey='%s'; numeric=%d; ",
                 panels, ngroups, kq, gq, numeric);
    free(p);
    return panels > 0;
}

/* pareto: cost against downtime per candidate; front = not dominated. */
static int data_pareto(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    double x[PL_MAX_CAND][3], y[PL_MAX_CAND][3];
    int ok[PL_MAX_CAND] = {0};
    size_t n = 0;
    for (size_t i = 0; i < c->ncand; i++) {
        ok[i] = summary(c, &c->cand[i], "cost_usd_month", &x[i][0], &x[i][1], &x[i][2]) &&
                summary(c, &c->cand[i], "downtime_s", &y[i][0], &y[i][1], &y[i][2]);
        if (ok[i]) {
            for (int j = 0; j < 3; j++)
                y[i][j] /= 60;
            n++;
        }
    }
    if (n < 2)
        return 0;
    fputs("# cost (USD/month) against downtime in the drill (min); front: 1 when no other is as cheap"
          " and as available and better in one\n# variant\tcolor\tcost\tcost_lo\tcost_hi\tdowntime"
          "\tdown_lo\tdown_hi\tfront\n",
          f);
    int front[PL_MAX_CAND] = {0};
    for (size_t i = 0; i < c->ncand; i++) {
        if (!ok[i])
            continue;
        front[i] = 1;
        for (size_t j = 0; j < c->ncand; j++)
            if (j != i && ok[j] && x[j][0] <= x[i][0] && y[j][0] <= y[i][0] &&
                (x[j][0] < x[i][0] || y[j][0] < y[i][0]))
                front[i] = 0;
        fprintf(f, "%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%d\n", c->cand[i].variant,
                c->cand[i].color, x[i][0], x[i][1], x[i][2], y[i][0], y[i][1], y[i][2], front[i]);
    }
    /* The front again, by cost, for the line that joins it. */
    fputs("\n\n# the Pareto front by cost\n# cost\tdowntime\n", f);
    size_t order[PL_MAX_CAND], m = 0;
    for (size_t i = 0; i < c->ncand; i++)
        if (ok[i] && front[i])
            order[m++] = i;
    for (size_t a = 1; a < m; a++)
        for (size_t b = a; b > 0 && x[order[b]][0] < x[order[b - 1]][0]; b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (size_t i = 0; i < m; i++)
        fprintf(f, "%.6g\t%.6g\n", x[order[i]][0], y[order[i]][0]);
    /* More than four candidates, or long names (a sweep's): the points
     * are numbered and a legend names them (their names beside the points
     * overlapped and ran off the figure). The rows' order. */
    size_t vl = strlen(vars), longest = 0;
    int row = 0;
    for (size_t i = 0; i < c->ncand; i++)
        if (ok[i]) {
            if (strlen(c->cand[i].variant) > longest)
                longest = strlen(c->cand[i].variant);
            vl = block_vars(vars, vlen, vl, row, &c->cand[i]);
            if (vl < vlen)
                vl += (size_t)snprintf(vars + vl, vlen - vl, "front%d=%d; ", row, front[i]);
            row++;
        }
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "nrows=%d; numbered=%d; ", row,
                 row > 4 || longest > 30);
    return 1;
}

/* ---- the vectors' figures: traffic-shift, dns-stale, lag; and rpo ---- */

/* One vector of a candidate's run: its component, metric and samples. */
typedef struct pl_vec {
    char comp[96], metric[96];
    sqlite3_int64 run;
    pl_series s;
} pl_vec;

static void vecs_free(pl_vec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].s.t);
        free(v[i].s.v);
    }
    free(v);
}

/* Candidate k's vectors whose component and metric match the LIKE
 * patterns, in vector order; *n of them (NULL when none). */
static pl_vec *load_vecs(pl_ctx *c, const pl_cand *k, const char *comp_like,
                         const char *metric_like, size_t *n)
{
    sqlite3_stmt *st = runs_of(c, k,
                               /* The vectors first, then their samples by the index:
                                * left to itself SQLite scans every sample of the file
                                * (CROSS JOIN fixes the order). */
                               "SELECT d.vector_id, r.run_id, v.component, v.metric, d.t_ns,"
                               " d.value FROM vector v CROSS JOIN run r ON r.run_id = v.run_id"
                               " CROSS JOIN vectordata d ON d.vector_id = v.vector_id WHERE"
                               " r.invocation_id = ? AND r.scenario = ? AND r.variant IS ? AND"
                               " v.component LIKE ?4 AND v.metric LIKE ?5"
                               " ORDER BY d.vector_id, d.t_ns");
    *n = 0;
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 4, comp_like, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, metric_like, -1, SQLITE_STATIC);
    pl_vec *v = NULL;
    size_t nv = 0, total = 0;
    sqlite3_int64 last = -1;
    while (sqlite3_step(st) == SQLITE_ROW && total < (size_t)PL_MAX_GRID * 64) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id != last) {
            v = mr_xrealloc(v, (nv + 1) * sizeof *v);
            pl_vec *x = &v[nv++];
            memset(x, 0, sizeof *x);
            x->run = sqlite3_column_int64(st, 1);
            copy(x->comp, sizeof x->comp, sqlite3_column_text(st, 2));
            copy(x->metric, sizeof x->metric, sqlite3_column_text(st, 3));
            last = id;
        }
        pl_series *s = &v[nv - 1].s;
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 256;
            s->t = mr_xrealloc(s->t, s->cap * sizeof *s->t);
            s->v = mr_xrealloc(s->v, s->cap * sizeof *s->v);
        }
        s->t[s->n] = sqlite3_column_int64(st, 4);
        s->v[s->n++] = sqlite3_column_type(st, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 5);
        total++;
    }
    sqlite3_finalize(st);
    *n = nv;
    return v;
}

/* Every sample time of the vectors, sorted and deduplicated (*ng). */
static sqlite3_int64 *union_grid(const pl_vec *v, size_t n, size_t *ng)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].s.n;
    sqlite3_int64 *g = mr_xmalloc((total + 1) * sizeof *g);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < v[i].s.n; j++)
            g[m++] = v[i].s.t[j];
    qsort(g, m, sizeof *g, cmp_i64);
    size_t u = 0;
    for (size_t j = 0; j < m; j++)
        if (u == 0 || g[j] != g[u - 1])
            g[u++] = g[j];
    *ng = u;
    return g;
}

/* The time unit of the vectors' figures, as the timeline chooses it. */
static size_t time_unit(pl_ctx *c, char *vars, size_t vlen, size_t vl)
{
    sqlite3_stmt *mx = NULL;
    double span_s = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT MAX(t_ns) FROM vectordata", -1, &mx, NULL) == SQLITE_OK &&
        sqlite3_step(mx) == SQLITE_ROW)
        span_s = sqlite3_column_double(mx, 0) / 1e9;
    sqlite3_finalize(mx);
    c->tunit_s = span_s <= 3 * 3600 ? 60 : span_s <= 3 * 86400 ? 3600 : 86400;
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "tunit='%s'; ",
                               c->tunit_s == 60 ? "min" : c->tunit_s == 3600 ? "h" : "days");
    return vl;
}

/* vecnote: what the vectors' figures say of their replications when the
 * database kept the components' vectors of replication 0 only (`--db-vectors
 * summary`, the default): the subtitle's count is not theirs. */
static size_t vec_note(pl_ctx *c, char *vars, size_t vlen, size_t vl)
{
    sqlite3_stmt *st = NULL;
    int summary = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT vectors FROM invocation WHERE invocation_id = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, c->cand[0].inv);
        summary = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                  strcmp((const char *)sqlite3_column_text(st, 0), "summary") == 0;
    }
    sqlite3_finalize(st);
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "vecnote='%s'; ",
                               summary && c->cand[0].runs > 1 ? " (replication 0)" : "");
    return vl;
}

/* The faults' spans (fault_spans) and their variables. */
static size_t spans(pl_ctx *c, FILE *f, char *vars, size_t vlen, size_t vl, int faultindex)
{
    char label[256], q[300];
    int nf = fault_spans(c, f, label, sizeof label, vars, vlen, &vl);
    gp_quote(q, sizeof q, label);
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "nfaults=%d; faultlabel='%s'; faultindex=%d; ",
                               nf, q, faultindex);
    return vl;
}

/* The index of name in names (added when missing, up to max); -1 when full. */
static int name_index(char (*names)[96], int *n, int max, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    if (*n >= max)
        return -1;
    snprintf(names[*n], sizeof names[0], "%s", name);
    return (*n)++;
}

#define PL_MAX_PANEL 6 /* candidates (traffic-shift) or stores (lag) a figure shows */
#define PL_MAX_REGION 8

/* Why a candidate is in a figure that could not show them all. */
typedef struct pl_tag {
    char s[32];
} pl_tag;

static void tag_add(pl_tag *t, const char *what)
{
    size_t o = strlen(t->s);
    snprintf(t->s + o, sizeof t->s - o, "%s%s", o ? ", " : "", what);
}

/* The candidates a figure over time shows when there are more than max
 * (its panels, or lines that would repeat the palette's colours): the
 * first (the baseline of a comparison, one end of a sweep), the last (the
 * other end), the best and the worst by mean availability, then the
 * others evenly spaced in the database's order; shown in that order. sel:
 * their indexes (max of them), tag[i]: why candidate i was picked ("" when
 * every candidate fits, else "first", "last, worst", "between"...).
 * Writes the variable `pickednote`: '' when all fit, else how many are
 * shown and how they were chosen, for the title. Returns how many. */
static size_t pick_cands(pl_ctx *c, size_t max, size_t *sel, pl_tag *tag, char *vars,
                         size_t vlen, size_t *vl)
{
    size_t n = c->ncand, k = 0;
    memset(tag, 0, n * sizeof *tag);
    if (n <= max) {
        for (size_t i = 0; i < n; i++)
            sel[i] = i;
        if (*vl < vlen)
            *vl += (size_t)snprintf(vars + *vl, vlen - *vl, "pickednote=''; ");
        return n;
    }
    size_t best = SIZE_MAX, worst = SIZE_MAX;
    double bv = -INFINITY, wv = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double mean, lo, hi;
        if (!summary(c, &c->cand[i], "availability", &mean, &lo, &hi) || isnan(mean))
            continue;
        if (mean > bv) { /* the first of equals */
            bv = mean;
            best = i;
        }
        if (mean < wv) {
            wv = mean;
            worst = i;
        }
    }
    tag_add(&tag[0], "first");
    tag_add(&tag[n - 1], "last");
    if (best != SIZE_MAX)
        tag_add(&tag[best], "best");
    if (worst != SIZE_MAX && worst != best)
        tag_add(&tag[worst], "worst");
    for (size_t i = 0; i < n; i++)
        k += tag[i].s[0] != '\0';
    /* The rest evenly: slot j of the r left aims at (j + 1) (n - 1) /
     * (r + 1), taking the nearest candidate not yet picked. */
    size_t r = max > k ? max - k : 0;
    for (size_t j = 0; j < r; j++) {
        double aim = (double)(j + 1) * (double)(n - 1) / (double)(r + 1);
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (tag[i].s[0] == '\0' &&
                (at == SIZE_MAX || fabs((double)i - aim) < fabs((double)at - aim)))
                at = i;
        if (at == SIZE_MAX)
            break;
        tag_add(&tag[at], "between");
    }
    k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        if (tag[i].s[0] != '\0')
            sel[k++] = i;
    if (*vl < vlen)
        *vl += (size_t)snprintf(vars + *vl, vlen - *vl,
                                "pickednote='%zu of %zu shown: first, last, best and worst "
                                "(availability), evenly between'; ",
                                k, n);
    return k;
}

/* traffic-shift: per candidate (a panel, up to PL_MAX_PANEL), the share
 * of the requests served in each region per window: the sum over its
 * replications of each region's served requests over the sum over every
 * region (a ratio of sums, so a replication weighs by its traffic); a
 * window where no region served anything has no share. Columns: t, the
 * shares, then their running sums (the stacked bands' tops). */
static int data_traffic(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    char regions[PL_MAX_REGION][96];
    int nr = 0, blocks = 0;
    size_t vl = vec_note(c, vars, vlen, time_unit(c, vars, vlen, strlen(vars)));
    /* The regions of every candidate first, so that a region keeps its
     * column and colour in every panel. */
    for (size_t i = 0; i < c->ncand; i++) {
        size_t n;
        pl_vec *v = load_vecs(c, &c->cand[i], "regions/%", "served", &n);
        for (size_t j = 0; j < n; j++)
            name_index(regions, &nr, PL_MAX_REGION, v[j].comp + 8);
        vecs_free(v, n);
    }
    if (nr == 0)
        return 0;
    size_t sel[PL_MAX_CAND];
    pl_tag tag[PL_MAX_CAND];
    size_t nsel = pick_cands(c, PL_MAX_PANEL, sel, tag, vars, vlen, &vl);
    for (size_t si = 0; si < nsel; si++) {
        size_t i = sel[si], n, ng;
        pl_vec *v = load_vecs(c, &c->cand[i], "regions/%", "served", &n);
        if (n == 0) {
            vecs_free(v, n);
            continue;
        }
        sqlite3_int64 *grid = union_grid(v, n, &ng);
        size_t *at = mr_xcalloc(n, sizeof *at);
        size_t runs = 0;
        for (size_t j = 0; j < n; j++)
            runs += j == 0 || v[j].run != v[j - 1].run;
        fprintf(f, "%s# %s (%zu replication%s): share of requests served per region\n# t",
                blocks ? "\n\n" : "", c->cand[i].variant, runs, runs == 1 ? "" : "s");
        for (int r = 0; r < nr; r++)
            fprintf(f, "\t%s", regions[r]);
        for (int r = 0; r < nr; r++)
            fprintf(f, "\ttop:%s", regions[r]);
        fputc('\n', f);
        for (size_t g = 0; g < ng; g++) {
            double sum[PL_MAX_REGION] = {0}, all = 0;
            for (size_t j = 0; j < n; j++) {
                double x = hold_at(&v[j].s, &at[j], grid[g]);
                int r = name_index(regions, &nr, PL_MAX_REGION, v[j].comp + 8);
                if (r >= 0 && !isnan(x)) {
                    sum[r] += x;
                    all += x;
                }
            }
            fprintf(f, "%.6f", (double)grid[g] / (c->tunit_s * 1e9));
            double top = 0;
            for (int r = 0; r < nr; r++)
                fprintf(f, "\t%.6g", all > 0 ? sum[r] / all : NAN);
            for (int r = 0; r < nr; r++) {
                top += all > 0 ? sum[r] / all : 0;
                fprintf(f, "\t%.6g", all > 0 ? top : NAN);
            }
            fputc('\n', f);
        }
        free(at);
        free(grid);
        vecs_free(v, n);
        vl = block_vars(vars, vlen, vl, blocks, &c->cand[i]);
        if (vl < vlen)
            vl += (size_t)snprintf(vars + vl, vlen - vl, "tag%d='%s'; ", blocks, tag[i].s);
        blocks++;
    }
    if (!blocks)
        return 0;
    for (int r = 0; r < nr; r++) {
        char q[200];
        gp_quote(q, sizeof q, regions[r]);
        if (vl < vlen)
            vl += (size_t)snprintf(vars + vl, vlen - vl, "region%d='%s'; ", r, q);
    }
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "nblocks=%d; nregions=%d; ", blocks, nr);
    spans(c, f, vars, vlen, vl, blocks);
    return 1;
}

/* When the traffic layer first detected a fault in run `run`, in ns: the
 * earliest "detected" milestone, at its episode's start (episode K is the
 * run's Kth, in order) plus its time; -1 when none. *end: the latest end of
 * the faults in force then (the answer may change back at it; INT64_MAX
 * when one outlasted the run). */
static sqlite3_int64 detected_at(pl_ctx *c, sqlite3_int64 run, sqlite3_int64 *end)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 t = -1;
    *end = INT64_MAX;
    if (sqlite3_prepare_v2(c->db,
                           "WITH d AS (SELECT (SELECT e.start_s FROM episode e WHERE e.run_id ="
                           " m.run_id AND (SELECT COUNT(*) FROM episode x WHERE x.run_id ="
                           " e.run_id AND x.rowid < e.rowid) = m.episode) + m.t_s AS t"
                           " FROM milestone m WHERE m.run_id = ?1 AND m.milestone = 'detected'"
                           " AND m.t_s IS NOT NULL) SELECT MIN(d.t), (SELECT MAX(CASE WHEN"
                           " e.end_s IS NULL THEN 1e300 ELSE e.end_s END) FROM episode e WHERE"
                           " e.run_id = ?1 AND e.start_s <= MIN(d.t)) FROM d",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            t = (sqlite3_int64)llround(sqlite3_column_double(st, 0) * 1e9);
            double e = sqlite3_column_double(st, 1);
            if (sqlite3_column_type(st, 1) != SQLITE_NULL && e < 9e9)
                *end = (sqlite3_int64)llround(e * 1e9);
        }
    }
    sqlite3_finalize(st);
    return t;
}

/* dns-stale: per candidate and resolver pool, the share of resolvers whose
 * live answer is still the endpoint they answered just before the traffic
 * layer detected the fault (the failed one), against the time since that
 * detection, when the authority changed its answer: the mean over the
 * replications that have the vectors and a detection, each aligned on its
 * own; and the share of the pool's requests that used that endpoint's
 * answer in the SLO window holding each instant (request_share: a request
 * counts where its first attempt went), the mean over the replications
 * that have it. Columns: seconds since the change (from 1 s: a log axis),
 * resolvers' share, requests' share (nan where no replication has one). */
static int data_stale(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    int blocks = 0;
    sqlite3_int64 step = 0;
    size_t vl = vec_note(c, vars, vlen, strlen(vars));
    size_t sel[PL_MAX_CAND];
    pl_tag tag[PL_MAX_CAND];
    size_t nsel = pick_cands(c, PL_MAX_PANEL, sel, tag, vars, vlen, &vl);
    for (size_t si = 0; si < nsel && blocks < 2 * PL_MAX_PANEL; si++) {
        size_t i = sel[si], n, nq;
        pl_vec *v = load_vecs(c, &c->cand[i], "resolvers/%", "answer_share/%", &n);
        pl_vec *w = load_vecs(c, &c->cand[i], "resolvers/%", "request_share/%", &nq);
        char pools[PL_MAX_REGION][96];
        int np = 0;
        for (size_t j = 0; j < n; j++)
            name_index(pools, &np, PL_MAX_REGION, v[j].comp);
        for (int p = 0; p < np; p++) {
            /* Per run: the failed endpoint's vectors and the change. */
            size_t *pick = mr_xcalloc(n + 1, sizeof *pick), *rq = mr_xcalloc(n + 1, sizeof *rq);
            sqlite3_int64 *t0 = mr_xcalloc(n + 1, sizeof *t0), *t1 = mr_xcalloc(n + 1, sizeof *t1);
            size_t nrun = 0;
            for (size_t j = 0; j < n; j++) {
                if (strcmp(v[j].comp, pools[p]) != 0 || (nrun && v[pick[nrun - 1]].run == v[j].run))
                    continue;
                sqlite3_int64 end, det = detected_at(c, v[j].run, &end);
                if (det < 0 || end <= det)
                    continue;
                size_t best = SIZE_MAX;
                double top = 0;
                for (size_t q = j; q < n && v[q].run == v[j].run; q++) {
                    size_t a = 0;
                    double x = strcmp(v[q].comp, pools[p]) == 0 ? hold_at(&v[q].s, &a, det - 1) : NAN;
                    if (!isnan(x) && x > top) {
                        top = x;
                        best = q;
                    }
                }
                if (best == SIZE_MAX)
                    continue;
                const char *ep = v[best].metric + strlen("answer_share/");
                rq[nrun] = SIZE_MAX;
                for (size_t q = 0; q < nq; q++)
                    if (w[q].run == v[j].run && strcmp(w[q].comp, pools[p]) == 0 &&
                        strcmp(w[q].metric + strlen("request_share/"), ep) == 0)
                        rq[nrun] = q;
                pick[nrun] = best;
                t1[nrun] = end;
                t0[nrun++] = det;
            }
            if (nrun == 0) {
                free(pick);
                free(rq);
                free(t0);
                free(t1);
                continue;
            }
            /* The x grid: 1 s, then every sample time after the change. */
            size_t cap = 1, nx = 1;
            for (size_t r = 0; r < nrun; r++)
                cap += v[pick[r]].s.n + (rq[r] != SIZE_MAX ? w[rq[r]].s.n : 0);
            sqlite3_int64 *x = mr_xmalloc(cap * sizeof *x);
            x[0] = 1000000000LL;
            for (size_t r = 0; r < nrun; r++)
                for (int which = 0; which < 2; which++) {
                    const pl_series *ser = which == 0 ? &v[pick[r]].s
                                           : rq[r] != SIZE_MAX ? &w[rq[r]].s : NULL;
                    for (size_t s = 0; ser && s < ser->n; s++)
                        if (ser->t[s] - t0[r] > x[0] && ser->t[s] < t1[r])
                            x[nx++] = ser->t[s] - t0[r];
                }
            qsort(x, nx, sizeof *x, cmp_i64);
            /* The vectors' sampling (a long run's is every k windows,
             * docs/results.md): the shortest step between two samples. */
            for (size_t r = 0; r < nrun && rq[r] != SIZE_MAX; r++)
                for (size_t s = 1; s < w[rq[r]].s.n; s++)
                    if (step == 0 || w[rq[r]].s.t[s] - w[rq[r]].s.t[s - 1] < step)
                        step = w[rq[r]].s.t[s] - w[rq[r]].s.t[s - 1];
            const char *ep = v[pick[0]].metric + strlen("answer_share/");
            fprintf(f, "%s# %s, %s: share of resolvers, and of requests, still answering %s "
                       "(%zu replication%s)\n"
                       "# seconds_since_change\tresolver_share\trequest_share\n",
                    blocks ? "\n\n" : "", c->cand[i].variant, pools[p], ep, nrun,
                    nrun == 1 ? "" : "s");
            size_t *at = mr_xcalloc(nrun, sizeof *at), *atq = mr_xcalloc(nrun, sizeof *atq);
            for (size_t g = 0; g < nx; g++) {
                if (g > 0 && x[g] == x[g - 1])
                    continue;
                double sum = 0, sumq = 0;
                size_t m = 0, mq = 0;
                for (size_t r = 0; r < nrun; r++) {
                    /* Until its fault ends: the answer may change back then. */
                    if (t0[r] + x[g] >= t1[r])
                        continue;
                    double y = hold_at(&v[pick[r]].s, &at[r], t0[r] + x[g]);
                    if (!isnan(y)) {
                        sum += y;
                        m++;
                    }
                    y = rq[r] != SIZE_MAX ? hold_at(&w[rq[r]].s, &atq[r], t0[r] + x[g]) : NAN;
                    if (!isnan(y)) {
                        sumq += y;
                        mq++;
                    }
                }
                if (m)
                    fprintf(f, "%.6g\t%.6g\t%.6g\n", (double)x[g] / 1e9, sum / (double)m,
                            mq ? sumq / (double)mq : NAN);
            }
            free(at);
            free(atq);
            free(x);
            free(pick);
            free(rq);
            free(t0);
            free(t1);
            char label[300], q[400];
            if (np > 1)
                snprintf(label, sizeof label, "%s, %s", c->cand[i].variant, pools[p] + 10);
            else
                snprintf(label, sizeof label, "%s", c->cand[i].variant);
            if (tag[i].s[0] && strlen(label) + strlen(tag[i].s) + 4 < sizeof label)
                snprintf(label + strlen(label), sizeof label - strlen(label), " (%s)", tag[i].s);
            gp_quote(q, sizeof q, label);
            if (vl < vlen)
                vl += (size_t)snprintf(vars + vl, vlen - vl, "name%d='%s'; colour%d=%d; ", blocks, q,
                                       blocks, c->cand[i].color);
            blocks++;
        }
        vecs_free(v, n);
        vecs_free(w, nq);
    }
    /* Sampled coarser than a minute (a year's run: every 3,160 s), the
     * curves are steps of that length, far coarser than DNS caches: the
     * title says so rather than letting the steps pass for caches. */
    if (vl < vlen && step > 60 * 1000000000LL)
        vl += (size_t)snprintf(vars + vl, vlen - vl,
                               "stepnote='; sampled every %.0f s, too coarse for the caches'; ",
                               (double)step / 1e9);
    else if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "stepnote=''; ");
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "nblocks=%d; ", blocks);
    return blocks > 0;
}

/* rpo: per data store (an x position) and candidate (an offset around
 * it), each replication's RPO and lost writes as a dot and their mean with
 * its 95% CI (the summary view's t interval). Blocks: the stores' names;
 * then per panel (RPO, lost writes) the dots, then the means. */
static int data_rpo(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    char stores[PL_MAX_REGION][96];
    int ns = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT component FROM scalar WHERE component LIKE 'data/%' AND"
                           " metric = 'rpo_s' GROUP BY component ORDER BY MIN(rowid)",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            char name[96];
            copy(name, sizeof name, sqlite3_column_text(st, 0));
            name_index(stores, &ns, PL_MAX_REGION, name);
        }
    sqlite3_finalize(st);
    if (ns == 0)
        return 0;
    size_t vl = strlen(vars);
    double width = c->ncand > 1 ? 0.6 / (double)c->ncand : 0;
    static const char *const panel_metric[2] = {"rpo_s", "lost_writes"};
    for (int m = 0; m < 2; m++) {
        fprintf(f, "%s# %s of each replication\n# x\tvalue\tcolor\tstore\tvariant\n", m ? "\n\n" : "",
                panel_metric[m]);
        for (size_t i = 0; i < c->ncand; i++) {
            double off = c->ncand > 1 ? ((double)i - (double)(c->ncand - 1) / 2) * width : 0;
            sqlite3_stmt *q = runs_of(c, &c->cand[i],
                                      "SELECT s.component, s.value, r.replication FROM scalar s"
                                      " JOIN run r ON r.run_id = s.run_id WHERE r.invocation_id = ?"
                                      " AND r.scenario = ? AND r.variant IS ? AND s.metric = ?4"
                                      " AND s.component LIKE 'data/%' ORDER BY s.rowid");
            if (!q)
                continue;
            sqlite3_bind_text(q, 4, panel_metric[m], -1, SQLITE_STATIC);
            while (sqlite3_step(q) == SQLITE_ROW) {
                char name[96];
                copy(name, sizeof name, sqlite3_column_text(q, 0));
                int s = name_index(stores, &ns, PL_MAX_REGION, name);
                if (s < 0 || sqlite3_column_type(q, 1) == SQLITE_NULL)
                    continue;
                /* A small spread by replication, so that equal values stay
                 * visible as a column of dots (deterministic). */
                double jit = ((double)(sqlite3_column_int64(q, 2) % 9) - 4) * width / 12;
                fprintf(f, "%.4f\t%.6g\t%d\t%s\t%s\n", s + off + jit, sqlite3_column_double(q, 1),
                        c->cand[i].color, name + 5, c->cand[i].variant);
            }
            sqlite3_finalize(q);
        }
        fprintf(f, "\n\n# %s: mean and 95%% CI over the replications\n"
                   "# x\tmean\tci95_lo\tci95_hi\tcolor\tstore\tvariant\n",
                panel_metric[m]);
        for (size_t i = 0; i < c->ncand; i++) {
            double off = c->ncand > 1 ? ((double)i - (double)(c->ncand - 1) / 2) * width : 0;
            for (int s = 0; s < ns; s++) {
                sqlite3_stmt *q = runs_of(c, &c->cand[i],
                                          "SELECT n, mean, ci95_lo, ci95_hi FROM summary WHERE"
                                          " invocation_id = ? AND scenario = ? AND variant IS ? AND"
                                          " component = ?4 AND metric = ?5");
                if (!q)
                    continue;
                sqlite3_bind_text(q, 4, stores[s], -1, SQLITE_STATIC);
                sqlite3_bind_text(q, 5, panel_metric[m], -1, SQLITE_STATIC);
                if (sqlite3_step(q) == SQLITE_ROW) {
                    double mean = sqlite3_column_double(q, 1);
                    double lo = sqlite3_column_type(q, 2) == SQLITE_NULL ? mean : sqlite3_column_double(q, 2);
                    double hi = sqlite3_column_type(q, 3) == SQLITE_NULL ? mean : sqlite3_column_double(q, 3);
                    fprintf(f, "%.4f\t%.6g\t%.6g\t%.6g\t%d\t%s\t%s\n", s + off, mean, fmax(lo, 0), hi,
                            c->cand[i].color, stores[s] + 5, c->cand[i].variant);
                }
                sqlite3_finalize(q);
            }
        }
    }
    for (int s = 0; s < ns; s++) {
        char q[200];
        gp_quote(q, sizeof q, stores[s] + 5);
        if (vl < vlen)
            vl += (size_t)snprintf(vars + vl, vlen - vl, "store%d='%s'; ", s, q);
    }
    for (size_t i = 0; i < c->ncand; i++)
        vl = block_vars(vars, vlen, vl, (int)i, &c->cand[i]);
    if (vl < vlen)
        snprintf(vars + vl, vlen - vl, "nstores=%d; ncand=%zu; ", ns, c->ncand);
    return 1;
}

/* lag: per data store (a panel, up to PL_MAX_PANEL) and candidate (a
 * line), the realised lag over time, the mean over the replications that
 * have it, sample-hold. Blocks: panel s x ncand + candidate i (empty when
 * it has no such store). */
static int data_lag(pl_ctx *c, FILE *f, char *vars, size_t vlen)
{
    char stores[PL_MAX_PANEL][96], more[PL_MAX_REGION][96];
    int ns = 0, nmore = 0, any = 0;
    size_t vl = vec_note(c, vars, vlen, time_unit(c, vars, vlen, strlen(vars)));
    for (size_t i = 0; i < c->ncand; i++) {
        size_t n;
        pl_vec *v = load_vecs(c, &c->cand[i], "data/%", "lag_s", &n);
        for (size_t j = 0; j < n; j++)
            if (name_index(stores, &ns, PL_MAX_PANEL, v[j].comp) < 0)
                name_index(more, &nmore, PL_MAX_REGION, v[j].comp); /* left out: named */
        vecs_free(v, n);
    }
    if (ns == 0)
        return 0;
    /* A line a candidate: beyond six the palette's colours would repeat. */
    size_t sel[PL_MAX_CAND];
    pl_tag tag[PL_MAX_CAND];
    size_t nsel = pick_cands(c, PL_MAX_PANEL, sel, tag, vars, vlen, &vl);
    char storenote[400] = "";
    if (nmore > 0) {
        size_t o = (size_t)snprintf(storenote, sizeof storenote, "showing %d stores; left out:",
                                    ns);
        for (int m = 0; m < nmore && o < sizeof storenote; m++)
            o += (size_t)snprintf(storenote + o, sizeof storenote - o, "%s %s",
                                  m ? "," : "", more[m] + 5);
        if (nmore == PL_MAX_REGION && o < sizeof storenote)
            snprintf(storenote + o, sizeof storenote - o, " and more");
    }
    char q0[500];
    gp_quote(q0, sizeof q0, storenote);
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "storenote='%s'; ", q0);
    int block = 0;
    for (int s = 0; s < ns; s++) {
        for (size_t si = 0; si < nsel; si++, block++) {
            size_t i = sel[si], n, ng;
            pl_vec *v = load_vecs(c, &c->cand[i], stores[s], "lag_s", &n);
            fprintf(f, "%s# %s, %s: realised lag (s), mean over %zu replication%s\n# t\tlag_s\tcolor\n",
                    block ? "\n\n" : "", stores[s], c->cand[i].variant, n, n == 1 ? "" : "s");
            sqlite3_int64 *grid = union_grid(v, n, &ng);
            size_t *at = mr_xcalloc(n + 1, sizeof *at);
            for (size_t g = 0; g < ng && n > 0; g++) {
                double sum = 0;
                size_t m = 0;
                for (size_t j = 0; j < n; j++) {
                    double x = hold_at(&v[j].s, &at[j], grid[g]);
                    if (!isnan(x)) {
                        sum += x;
                        m++;
                    }
                }
                if (m) {
                    /* A log axis: a lag of 0 shows at its floor, 1 ms. */
                    fprintf(f, "%.6f\t%.6g\t%d\n", (double)grid[g] / (c->tunit_s * 1e9),
                            fmax(sum / (double)m, 1e-3), c->cand[i].color);
                    any = 1;
                }
            }
            if (n == 0 || ng == 0)
                fputs("nan\tnan\tnan\n", f); /* an empty block still counts as one */
            free(at);
            free(grid);
            vecs_free(v, n);
        }
    }
    if (!any)
        return 0;
    for (int s = 0; s < ns; s++) {
        char q[200];
        gp_quote(q, sizeof q, stores[s] + 5);
        if (vl < vlen)
            vl += (size_t)snprintf(vars + vl, vlen - vl, "store%d='%s'; ", s, q);
    }
    for (size_t si = 0; si < nsel; si++) {
        vl = block_vars(vars, vlen, vl, (int)si, &c->cand[sel[si]]);
        if (vl < vlen)
            vl += (size_t)snprintf(vars + vl, vlen - vl, "tag%zu='%s'; ", si, tag[sel[si]].s);
    }
    if (vl < vlen)
        vl += (size_t)snprintf(vars + vl, vlen - vl, "nstores=%d; ncand=%zu; ", ns, nsel);
    spans(c, f, vars, vlen, vl, block);
    return 1;
}

/* ---- writing and drawing ---- */

static int write_file(pl_ctx *c, const char *path, const char *text, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.part", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return fail(c, "%s: %s", tmp, strerror(errno));
    size_t w = fwrite(text, 1, len, f);
    int bad = w != len || ferror(f);
    if (fclose(f) != 0 || bad) {
        unlink(tmp);
        return fail(c, "%s: write failed", tmp);
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return fail(c, "%s: %s", path, strerror(errno));
    }
    return MR_OK;
}

/* gnuplot -e VARS SCRIPT, its stdout and stderr to errpath; 0 on success. */
static int run_gnuplot(pl_ctx *c, const char *vars, const char *script, const char *errpath)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {(char *)c->o->gnuplot, "-e", (char *)vars, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, c->o->gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int draw(pl_ctx *c, mr_plot_kind k, int *drew)
{
    static const char *const terms[] = {
        "pngcairo size 1280,720 enhanced font 'Sans,14'",
        "svg size 1280,720 dynamic enhanced font 'Sans,14'",
        "pdfcairo size 13.33in,7.5in enhanced font 'Sans,14'",
        "dumb size 100,30",
    };
    pl_buf b;
    buf_open(&b);
    if (!b.f)
        return fail(c, "out of memory");
    char vars[20480] = "";
    /* Each kind's data, in the order of MR_PLOT_KIND_MAP. */
    static int (*const data[MR_PLOT_KIND_COUNT])(pl_ctx *, FILE *, char *, size_t) = {
        data_metrics, data_timeline, data_cdf, data_sweep, data_pareto,
        data_traffic, data_stale, data_rpo, data_lag};
    int have = data[k](c, b.f, vars, sizeof vars);
    buf_close(&b);
    *drew = 0;
    if (!have) {
        free(b.text);
        return MR_OK;
    }
    const mr_plot_opts *o = c->o;
    const char *name = kind_names[k];
    char tsv[4096], out[4096], tmp[4200], errpath[4200], script[4096];
    snprintf(tsv, sizeof tsv, "%s/%s.tsv", o->out_dir, name);
    snprintf(out, sizeof out, "%s/%s.%s", o->out_dir, name, extensions[o->format]);
    snprintf(tmp, sizeof tmp, "%s.part", out);
    snprintf(errpath, sizeof errpath, "%s/.%s.gnuplot.log", o->out_dir, name);
    snprintf(script, sizeof script, "%s/%s.gp", o->scripts_dir, name);
    int rc = write_file(c, tsv, b.text, b.len);
    free(b.text);
    if (rc != MR_OK)
        return rc;
    /* The variables every script reads (plots/style.gp). */
    char qd[4200], qo[4200], qt[600], qs[4200];
    gp_quote(qd, sizeof qd, tsv);
    gp_quote(qo, sizeof qo, tmp);
    gp_quote(qs, sizeof qs, o->scripts_dir);
    char title[512];
    int reps = c->cand[0].runs;
    for (size_t i = 1; i < c->ncand; i++)
        if (c->cand[i].runs != reps)
            reps = -1;
    if (reps > 0)
        snprintf(title, sizeof title, "%s, %d replication%s%s", c->title, reps,
                 reps == 1 ? "" : "s", c->ncand > 1 ? " each" : "");
    else
        snprintf(title, sizeof title, "%s", c->title);
    gp_quote(qt, sizeof qt, title);
    size_t vl = strlen(vars);
    int w = snprintf(vars + vl, sizeof vars - vl,
             "datafile='%s'; outfile='%s'; plotdir='%s'; fmt='%s'; term_spec=\"%s\"; "
             "subtitle='%s'",
             qd, qo, qs, formats[o->format], terms[o->format], qt);
    if (w < 0 || (size_t)w >= sizeof vars - vl)
        return fail(c, "%s: path too long", o->out_dir);
    if (run_gnuplot(c, vars, script, errpath) != 0) {
        unlink(tmp);
        char msg[512] = "";
        FILE *e = fopen(errpath, "r");
        if (e) {
            size_t n = fread(msg, 1, sizeof msg - 1, e);
            msg[n] = '\0';
            fclose(e);
        }
        unlink(errpath);
        return fail(c, "gnuplot failed on %s: %s", script, msg[0] ? msg : "(no message)");
    }
    unlink(errpath);
    if (rename(tmp, out) != 0) {
        unlink(tmp);
        return fail(c, "%s: %s", out, strerror(errno));
    }
    if (o->format == MR_PLOT_DUMB && o->term) {
        FILE *d = fopen(out, "r");
        char line[512];
        while (d && fgets(line, sizeof line, d))
            fputs(line, o->term);
        if (d)
            fclose(d);
    }
    if (o->list) {
        fprintf(o->list, "%s\n", out);
        fprintf(o->list, "%s\n", tsv);
    }
    *drew = 1;
    return MR_OK;
}
