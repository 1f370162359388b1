/* sim/out/report.c: see report.h. The page is built from a few blocks
 * (headings, paragraphs, tables, figures) that each format writes its own
 * way; the numbers come from the database through dbread.c, the figures
 * from plot.c (PNG beside a Markdown page, SVG inlined into HTML). */
#include "out/report.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/bind.h"
#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "out/dbread.h"
#include "out/human.h"
#include "out/plot.h"

typedef struct rp {
    const mr_report_opts *o;
    sqlite3 *db;
    mr_dbr_cand cand[MR_DBR_MAX_CAND];
    size_t ncand;
    FILE *f;
    int html;
    char *err;
    size_t errlen;
    char figdir[4096];  /* where the figures are drawn */
    char figrel[1024];  /* the same relative to the page (Markdown links) */
} rp;

/* A headline metric of the side-by-side table. */
typedef struct rp_metric {
    const char *name, *label;
    mr_hu_kind kind;
    int higher_better;
} rp_metric;

static const rp_metric rows[] = {
    {"availability", "availability", MR_HU_SHARE, 1},
    {"downtime_s", "downtime (SLO windows missed)", MR_HU_SECONDS, 0},
    {"rto_s", "RTO", MR_HU_SECONDS, 0},
    {"client_rto_s", "client RTO (per group)", MR_HU_SECONDS, 0},
    {"rpo_s", "RPO", MR_HU_SECONDS, 0},
    {"lost_writes", "lost writes", MR_HU_COUNT, 0},
    {"stale_read_ratio", "stale reads", MR_HU_SHARE, 0},
    {"latency_ms_p50", "latency p50 (successes)", MR_HU_MS, 0},
    {"latency_ms_p99", "latency p99 (successes)", MR_HU_MS, 0},
    {"cost_usd_month", "run-rate cost", MR_HU_USD_MONTH, 0},
    {"incident_cost_usd", "incident cost (the drill)", MR_HU_USD, 0},
};
enum { NROWS = sizeof rows / sizeof rows[0] };

static int fail(rp *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
    return MR_EIO;
}

/* ---- the blocks, in Markdown or HTML ---- */

/* Text for the page: HTML escapes <, >, &; Markdown escapes the table bar. */
static void text(rp *r, const char *s)
{
    for (; *s; s++) {
        if (r->html && *s == '<')
            fputs("&lt;", r->f);
        else if (r->html && *s == '>')
            fputs("&gt;", r->f);
        else if (r->html && *s == '&')
            fputs("&amp;", r->f);
        else if (!r->html && *s == '|')
            fputs("\\|", r->f);
        else
            fputc(*s, r->f);
    }
}

static void heading(rp *r, int level, const char *s)
{
    if (r->html) {
        fprintf(r->f, "<h%d>", level);
        text(r, s);
        fprintf(r->f, "</h%d>\n", level);
    } else {
        fprintf(r->f, "\n%.*s ", level, "######");
        text(r, s);
        fputs("\n\n", r->f);
    }
}

static void para(rp *r, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs(r->html ? "<p>" : "", r->f);
    text(r, buf);
    fputs(r->html ? "</p>\n" : "\n\n", r->f);
}

/* One row; head != NULL makes it the header, with an alignment per
 * column ('l' text, 'r' numbers). */
static void table_row(rp *r, const char *const *cells, size_t n, const char *head)
{
    if (r->html) {
        fputs("<tr>", r->f);
        for (size_t i = 0; i < n; i++) {
            fputs(head ? "<th>" : i ? "<td class=\"num\">" : "<td>", r->f);
            text(r, cells[i]);
            fputs(head ? "</th>" : "</td>", r->f);
        }
        fputs("</tr>\n", r->f);
        return;
    }
    fputs("|", r->f);
    for (size_t i = 0; i < n; i++) {
        fputc(' ', r->f);
        text(r, cells[i]);
        fputs(" |", r->f);
    }
    fputc('\n', r->f);
    if (head) {
        fputs("|", r->f);
        for (size_t i = 0; i < n; i++)
            fputs(head[i] == 'r' ? " ---: |" : " --- |", r->f);
        fputc('\n', r->f);
    }
}

static void table_open(rp *r)
{
    fputs(r->html ? "<table>\n" : "", r->f);
}

static void table_close(rp *r)
{
    fputs(r->html ? "</table>\n" : "\n", r->f);
}

static void list_item(rp *r, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs(r->html ? "<li>" : "- ", r->f);
    text(r, buf);
    fputs(r->html ? "</li>\n" : "\n", r->f);
}

/* ---- the sections ---- */

/* The value of key in candidate k's first run, "" when none. */
static void attr(rp *r, const mr_dbr_cand *k, const char *key, char *out, size_t len)
{
    out[0] = '\0';
    sqlite3_stmt *st = mr_dbr_runs(r->db, k,
                                   "SELECT a.value FROM runattr a JOIN run u ON u.run_id ="
                                   " a.run_id WHERE u.invocation_id = ? AND u.scenario = ? AND"
                                   " u.variant IS ? AND a.key = ? ORDER BY u.run_id LIMIT 1");
    if (!st)
        return;
    sqlite3_bind_text(st, 4, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void section_question(rp *r)
{
    char name[256], desc[2048], horizon[64], reps[64];
    attr(r, &r->cand[0], "name", name, sizeof name);
    attr(r, &r->cand[0], "description", desc, sizeof desc);
    attr(r, &r->cand[0], "run.horizon", horizon, sizeof horizon);
    char title[400];
    snprintf(title, sizeof title, "%s: design review", name[0] ? name : r->cand[0].scenario);
    if (r->html) {
        fputs("<h1>", r->f);
        text(r, title);
        fputs("</h1>\n", r->f);
    } else {
        fputs("# ", r->f);
        text(r, title);
        fputs("\n\n", r->f);
    }
    if (desc[0])
        para(r, "%s", desc);
    mr_hu_plural(reps, sizeof reps, (unsigned long long)r->cand[0].runs, "replication",
                 "replications");
    para(r, "%zu candidate%s, %s each of %s, simulated by mrsim %s with common random numbers "
            "(replication i of every candidate sees the same faults and draws), so differences "
            "are estimated on pairs.",
         r->ncand, r->ncand == 1 ? "" : "s", reps, horizon[0] ? horizon : "its horizon",
         MR_VERSION);
}

/* The resolved keys of candidate k's first run, in file order. */
typedef struct rp_attrs {
    char **key, **val;
    size_t n;
} rp_attrs;

static void attrs_load(rp *r, const mr_dbr_cand *k, rp_attrs *a)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *st = mr_dbr_runs(r->db, k,
                                   "SELECT a.key, a.value FROM runattr a WHERE a.run_id ="
                                   " (SELECT MIN(run_id) FROM run WHERE invocation_id = ? AND"
                                   " scenario = ? AND variant IS ?) ORDER BY a.rowid");
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        a->key = mr_xrealloc(a->key, (a->n + 1) * sizeof *a->key);
        a->val = mr_xrealloc(a->val, (a->n + 1) * sizeof *a->val);
        const unsigned char *v = sqlite3_column_text(st, 1);
        a->key[a->n] = mr_xstrdup((const char *)sqlite3_column_text(st, 0));
        a->val[a->n] = mr_xstrdup(v ? (const char *)v : "(none)");
        a->n++;
    }
    sqlite3_finalize(st);
}

static void attrs_free(rp_attrs *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->key[i]);
        free(a->val[i]);
    }
    free(a->key);
    free(a->val);
}

static const char *attrs_get(const rp_attrs *a, const char *key)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->key[i], key) == 0)
            return a->val[i];
    return NULL;
}

/* What differs between the candidates: each one's resolved values that the
 * first candidate does not have (the identity keys, name and description,
 * aside), at most a dozen, then how many more. */
static void section_candidates(rp *r)
{
    heading(r, 2, "Candidates");
    table_open(r);
    const char *head[] = {"candidate", "what differs from the first"};
    table_row(r, head, 2, "ll");
    rp_attrs base;
    attrs_load(r, &r->cand[0], &base);
    for (size_t i = 0; i < r->ncand; i++) {
        char diff[2048] = "";
        size_t n = 0, shown = 0, more = 0;
        rp_attrs a;
        attrs_load(r, &r->cand[i], &a);
        for (size_t j = 0; i > 0 && j < a.n; j++) {
            const char *was = attrs_get(&base, a.key[j]);
            if ((was && strcmp(was, a.val[j]) == 0) || strcmp(a.key[j], "name") == 0 ||
                strcmp(a.key[j], "description") == 0)
                continue;
            if (shown == 12 || n + 2 >= sizeof diff) {
                more++;
                continue;
            }
            n += (size_t)snprintf(diff + n, sizeof diff - n, "%s%s = %s", n ? "; " : "",
                                  a.key[j], a.val[j]);
            shown++;
        }
        if (more)
            snprintf(diff + n, sizeof diff - n, "; and %zu more", more);
        attrs_free(&a);
        const char *cells[] = {r->cand[i].variant, i == 0 ? "(the reference)" : diff[0] ? diff : "nothing"};
        table_row(r, cells, 2, NULL);
    }
    attrs_free(&base);
    table_close(r);
}

/* The per-replication values of metric for candidate k, by replication. */
static size_t rep_values(rp *r, const mr_dbr_cand *k, const char *metric, double *x, size_t max)
{
    sqlite3_stmt *st = mr_dbr_runs(r->db, k,
                                   "SELECT u.replication, s.value FROM run u JOIN scalar s ON"
                                   " s.run_id = u.run_id WHERE u.invocation_id = ? AND"
                                   " u.scenario = ? AND u.variant IS ? AND s.component = '' AND"
                                   " s.metric = ? ORDER BY u.replication");
    size_t n = 0;
    if (!st)
        return 0;
    sqlite3_bind_text(st, 4, metric, -1, SQLITE_TRANSIENT);
    for (size_t i = 0; i < max; i++)
        x[i] = NAN;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 rep = sqlite3_column_int64(st, 0);
        if (rep >= 0 && (size_t)rep < max && sqlite3_column_type(st, 1) != SQLITE_NULL) {
            x[rep] = sqlite3_column_double(st, 1);
            if ((size_t)rep + 1 > n)
                n = (size_t)rep + 1;
        }
    }
    sqlite3_finalize(st);
    return n;
}

/* The paired difference b - a over the replications both have, with its
 * t interval; *verdict +1 when b is better, -1 when a is, 0 when the
 * interval holds 0. Returns the pairs. */
static size_t paired(rp *r, const mr_dbr_cand *a, const mr_dbr_cand *b, const rp_metric *m,
                     double *mean, double *lo, double *hi, int *verdict)
{
    enum { MAXREP = 100000 };
    double *x = mr_xmalloc(MAXREP * sizeof *x), *y = mr_xmalloc(MAXREP * sizeof *y);
    size_t na = rep_values(r, a, m->name, x, MAXREP), nb = rep_values(r, b, m->name, y, MAXREP);
    size_t n = 0;
    double sum = 0, ss = 0;
    for (size_t i = 0; i < na && i < nb; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            n++;
            sum += y[i] - x[i];
        }
    *mean = n ? sum / (double)n : NAN;
    for (size_t i = 0; i < na && i < nb; i++)
        if (!isnan(x[i]) && !isnan(y[i]))
            ss += (y[i] - x[i] - *mean) * (y[i] - x[i] - *mean);
    *lo = *hi = NAN;
    *verdict = 0;
    if (n >= 2) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1) / (double)n);
        *lo = *mean - half;
        *hi = *mean + half;
        if (*lo > 0 || *hi < 0) {
            int b_higher = *lo > 0;
            *verdict = b_higher == m->higher_better ? 1 : -1;
        }
    }
    free(x);
    free(y);
    return n;
}

static void section_results(rp *r)
{
    heading(r, 2, "Results");
    para(r, "Each cell: the mean over replications and its 95%% confidence interval. "
            "Availability is the share of requests that succeeded within their timeout "
            "(retries included); latency covers successful requests only; the run-rate cost is "
            "a normal month without faults, the incident cost what the drill's episodes added.");
    const char **cells = mr_xcalloc(r->ncand + 1, sizeof *cells);
    char (*buf)[160] = mr_xcalloc(r->ncand + 1, sizeof *buf);
    table_open(r);
    cells[0] = "metric";
    for (size_t i = 0; i < r->ncand; i++)
        cells[i + 1] = r->cand[i].variant;
    char align[MR_DBR_MAX_CAND + 2] = "l";
    for (size_t i = 0; i < r->ncand; i++)
        align[i + 1] = 'r';
    table_row(r, cells, r->ncand + 1, align);
    for (size_t m = 0; m < NROWS; m++) {
        int any = 0;
        cells[0] = rows[m].label;
        for (size_t i = 0; i < r->ncand; i++) {
            double mean, lo, hi;
            if (!mr_dbr_summary(r->db, &r->cand[i], rows[m].name, &mean, &lo, &hi)) {
                snprintf(buf[i + 1], sizeof buf[0], "n/a");
            } else {
                char v[MR_HU_LEN], ci[2 * MR_HU_LEN];
                mr_hu_value(v, sizeof v, rows[m].kind, mean);
                if (lo == hi)
                    snprintf(buf[i + 1], sizeof buf[0], "%s", v);
                else
                    snprintf(buf[i + 1], sizeof buf[0], "%s %s", v,
                             mr_hu_interval(ci, sizeof ci, rows[m].kind, lo, hi));
                any = 1;
            }
            cells[i + 1] = buf[i + 1];
        }
        if (any)
            table_row(r, cells, r->ncand + 1, NULL);
    }
    table_close(r);
    if (r->ncand < 2) {
        free(cells);
        free(buf);
        return;
    }
    heading(r, 3, "Paired differences against the first candidate");
    para(r, "Each candidate minus %s, replication by replication (common random numbers), "
            "with the 95%% t interval of the mean difference; the verdict says which is better "
            "when the interval excludes 0.",
         r->cand[0].variant);
    table_open(r);
    const char *head[] = {"metric", "candidate", "difference", "95% CI", "verdict"};
    table_row(r, head, 5, "llrrl");
    for (size_t m = 0; m < NROWS; m++)
        for (size_t i = 1; i < r->ncand; i++) {
            double mean, lo, hi;
            int verdict;
            if (paired(r, &r->cand[0], &r->cand[i], &rows[m], &mean, &lo, &hi, &verdict) < 2)
                continue;
            char d[MR_HU_LEN], ci[2 * MR_HU_LEN], v[300];
            mr_hu_delta(d, sizeof d, rows[m].kind, mean);
            mr_hu_delta_interval(ci, sizeof ci, rows[m].kind, lo, hi);
            snprintf(v, sizeof v, "%s", verdict > 0   ? r->cand[i].variant
                                        : verdict < 0 ? r->cand[0].variant
                                                      : "no difference at 95%");
            if (verdict)
                snprintf(v + strlen(v), sizeof v - strlen(v), " better");
            const char *c[] = {rows[m].label, r->cand[i].variant, d, ci, v};
            table_row(r, c, 5, NULL);
        }
    table_close(r);
    free(cells);
    free(buf);
}

/* A milestone's label as the table prints it ("detected by traffic
 * layer"), from the name the database holds. */
static const char *ms_label(const char *name)
{
    for (uint32_t m = 0; m < MR_MS_COUNT; m++)
        if (name && strcmp(mr_milestone_name(m), name) == 0)
            return mr_milestone_label(m);
    return name ? name : "?";
}

/* The milestones in the table's order, for ORDER BY. */
#define RP_MS_ORDER                                                                              \
    "CASE m.milestone WHEN 'detected' THEN 0 WHEN 'routed_50' THEN 1 WHEN 'routed_95' THEN 2" \
    " WHEN 'routed_99' THEN 3 WHEN 'standby_ready' THEN 4 WHEN 'store_failover' THEN 5"      \
    " WHEN 'recovered' THEN 6 ELSE 7 END"

/* The critical path of candidate k's episode e (docs/results.md "Recovery
 * timeline"): per replication the last milestone reached at or before the
 * recovery plus one SLO window (RTO is measured at window ends), the most
 * frequent over replications. */
static void critical_path(rp *r, const mr_dbr_cand *k, sqlite3_int64 e, double window_s)
{
    sqlite3_stmt *st = mr_dbr_runs(r->db, k,
                                   "WITH rec AS (SELECT m.run_id, m.t_s AS t FROM milestone m"
                                   " JOIN run u ON u.run_id = m.run_id WHERE u.invocation_id = ?"
                                   " AND u.scenario = ? AND u.variant IS ? AND m.episode = ? AND"
                                   " m.milestone = 'recovered' AND m.t_s IS NOT NULL),"
                                   " last AS (SELECT m.run_id, m.milestone, m.component,"
                                   " ROW_NUMBER() OVER (PARTITION BY m.run_id ORDER BY m.t_s DESC)"
                                   " AS rn FROM milestone m JOIN rec ON rec.run_id = m.run_id"
                                   " WHERE m.episode = ? AND m.milestone <> 'recovered' AND"
                                   " m.t_s IS NOT NULL AND m.t_s <= rec.t + ?)"
                                   " SELECT milestone, component, COUNT(*) FROM last WHERE rn = 1"
                                   " GROUP BY milestone, component ORDER BY COUNT(*) DESC,"
                                   " milestone LIMIT 1");
    if (!st)
        return;
    sqlite3_bind_int64(st, 4, e);
    sqlite3_bind_int64(st, 5, e);
    sqlite3_bind_double(st, 6, window_s);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *ms = (const char *)sqlite3_column_text(st, 0);
        const char *comp = (const char *)sqlite3_column_text(st, 1);
        para(r, "Critical path: %s%s%s, last before recovery in %d of %d replications.",
             ms_label(ms), comp && comp[0] ? " at " : "", comp && comp[0] ? comp : "",
             sqlite3_column_int(st, 2), k->runs);
    }
    sqlite3_finalize(st);
}

/* The recovery milestones of candidate k: per episode and milestone, the
 * mean time over the replications that reached it, its range and how many
 * did; then the critical path. */
static void timeline_of(rp *r, const mr_dbr_cand *k)
{
    char win[64];
    attr(r, k, "slo.window", win, sizeof win);
    mr_time w = 10 * MR_S;
    char e[64];
    if (win[0])
        mr_units_duration(win, &w, e, sizeof e);
    double window_s = mr_time_to_s(w);
    sqlite3_stmt *st = mr_dbr_runs(r->db, k,
                                   "SELECT m.episode, m.fault, m.milestone, m.component,"
                                   " COUNT(m.t_s), SUM(m.censored), AVG(m.t_s), MIN(m.t_s),"
                                   " MAX(m.t_s) FROM milestone m JOIN run u ON u.run_id ="
                                   " m.run_id WHERE u.invocation_id = ? AND u.scenario = ? AND"
                                   " u.variant IS ? GROUP BY m.episode, m.fault, m.milestone,"
                                   " m.component ORDER BY m.episode, " RP_MS_ORDER);
    if (!st) {
        para(r, "%s: this database holds no recovery milestones (written before schema 3).",
             k->variant);
        return;
    }
    int shown = 0;
    sqlite3_int64 ep = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 en = sqlite3_column_int64(st, 0);
        const char *fault = (const char *)sqlite3_column_text(st, 1);
        const char *ms = (const char *)sqlite3_column_text(st, 2);
        const char *comp = (const char *)sqlite3_column_text(st, 3);
        int reached = sqlite3_column_int(st, 4), cens = sqlite3_column_int(st, 5);
        if (en != ep) {
            if (shown) {
                table_close(r);
                critical_path(r, k, ep, window_s);
            }
            char h[300];
            snprintf(h, sizeof h, "%s: episode %lld (%s)", k->variant, (long long)en + 1,
                     fault ? fault : "fault");
            heading(r, 3, h);
            table_open(r);
            const char *head[] = {"milestone", "component", "mean time from the fault",
                                  "range", "reached"};
            table_row(r, head, 5, "llrrr");
            ep = en;
            shown = 1;
        }
        char mean[MR_HU_LEN] = "-", range[2 * MR_HU_LEN] = "-", n[64];
        if (reached > 0) {
            mr_hu_duration(mean, sizeof mean, sqlite3_column_double(st, 6));
            mr_hu_interval(range, sizeof range, MR_HU_SECONDS, sqlite3_column_double(st, 7),
                           sqlite3_column_double(st, 8));
        }
        snprintf(n, sizeof n, "%d of %d%s", reached, reached + cens,
                 cens ? " (the others not reached before the episode ended)" : "");
        const char *c[] = {ms_label(ms), comp && comp[0] ? comp : "-", mean, range, n};
        table_row(r, c, 5, NULL);
    }
    sqlite3_finalize(st);
    if (shown) {
        table_close(r);
        critical_path(r, k, ep, window_s);
    }
}

static void section_recovery(rp *r)
{
    heading(r, 2, "Recovery timelines");
    para(r, "For each fault episode, the recovery milestones in the order they came: detection "
            "by the traffic layer, the share of requests routed to healthy capacity, standby "
            "capacity ready, the data store's failover, service recovered (RTO). The last one "
            "before recovery is the critical path: what to shorten to recover sooner.");
    for (size_t i = 0; i < r->ncand; i++)
        timeline_of(r, &r->cand[i]);
}

/* ---- figures ---- */

static const struct {
    const char *kind, *caption;
} captions[] = {
    {"metrics", "The headline metrics side by side (mean and 95% CI): look for the candidate "
                "that is low on every panel but cost."},
    {"timeline", "Success ratio over time around the fault (mean over replications, 5-95% band "
                 "shaded, the fault in grey): how deep and how long each candidate's outage is."},
    {"client-rto-cdf", "Client RTO per group of users (Kaplan-Meier): the tail is what the "
                       "unluckiest users live through; a curve that ends below 1 has groups "
                       "that never recovered during the drill."},
    {"sweep", "Each metric against the swept parameters, with 95% CIs: where the curve "
              "flattens, turning the knob further buys nothing."},
    {"pareto", "Run-rate cost against downtime: the candidates on the dashed front are the "
               "only ones worth paying for; the others cost more for no less downtime."},
    {"traffic-shift", "Where the requests were served, region by region, over time: how fast "
                      "and how completely each candidate moves its traffic off the failed "
                      "region, and back."},
    {"dns-stale", "Resolvers (thick) and requests (thin, circles) still on the failed "
                  "endpoint after the DNS answer changed (log time): the drop at the TTL, "
                  "then the tail of resolvers that hold answers past it, which no TTL "
                  "setting removes, and what that tail weighs in requests."},
    {"rpo", "What each data store lost at its failovers, per candidate: every replication's "
            "RPO and lost writes as a dot, the mean with its 95% CI."},
    {"lag", "Realised replication lag of each data store over time (log scale): how far "
            "behind the replica was when the failover came, and how the lag builds while "
            "the link is cut."},
};

static int draw_figures(rp *r, mr_plot_format fmt)
{
    mr_plot_opts po = {.db_path = r->o->db_path,
                       .out_dir = r->figdir,
                       .scripts_dir = r->o->scripts_dir,
                       .gnuplot = r->o->gnuplot,
                       .format = fmt};
    size_t drawn;
    char err[1024];
    if (mr_plot_draw(&po, &drawn, err, sizeof err) != MR_OK)
        return fail(r, "%s", err);
    return MR_OK;
}

/* Copies an SVG into the page, without its XML declaration. */
static void inline_svg(rp *r, const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in)
        return;
    char line[8192];
    while (fgets(line, sizeof line, in))
        if (strncmp(line, "<?xml", 5) != 0 && strncmp(line, "<!DOCTYPE", 9) != 0)
            fputs(line, r->f);
    fclose(in);
}

static void section_figures(rp *r)
{
    heading(r, 2, "Figures");
    for (size_t i = 0; i < sizeof captions / sizeof captions[0]; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s.%s", r->figdir, captions[i].kind, r->html ? "svg" : "png");
        if (access(path, R_OK) != 0)
            continue;
        if (r->html) {
            fputs("<figure>\n", r->f);
            inline_svg(r, path);
            fputs("<figcaption>", r->f);
            text(r, captions[i].caption);
            fputs("</figcaption>\n</figure>\n", r->f);
        } else {
            fprintf(r->f, "![%s](%s/%s.png)\n\n", captions[i].kind, r->figrel, captions[i].kind);
            text(r, captions[i].caption);
            fputs("\n\n", r->f);
        }
    }
}

/* ---- assumptions and reproduction ---- */

/* The key table row of a resolved key such as "clusters[1].pods.startup":
 * its section's table with the indices dropped; NULL when none. */
static const mr_param *key_row(const char *key)
{
    char plain[256];
    size_t n = 0;
    for (const char *s = key; *s && n + 3 < sizeof plain; s++) {
        if (*s == '[') {
            plain[n++] = '[';
            plain[n++] = ']';
            while (*s && *s != ']')
                s++;
            if (!*s)
                break;
        } else {
            plain[n++] = *s;
        }
    }
    plain[n] = '\0';
    const mr_param *best = NULL;
    size_t bestlen = 0;
    for (const mr__section *sec = mr__sections; sec->path; sec++) {
        size_t pl = strlen(sec->path);
        const char *rest;
        if (strcmp(sec->path, "(top level)") == 0) {
            pl = 0;
            rest = plain;
        } else if (strncmp(plain, sec->path, pl) == 0 && plain[pl] == '.') {
            rest = plain + pl + 1;
        } else {
            continue;
        }
        for (const mr_param *k = sec->keys; k->key; k++)
            if (strcmp(k->key, rest) == 0 && (pl >= bestlen || !best)) {
                best = k;
                bestlen = pl;
            }
    }
    return best;
}

/* A price of a service none of the candidates uses is not an assumption
 * of this review (the cost section lists every service's price). */
static int relevant(rp *r, const char *key)
{
    static const struct {
        const char *prefix, *key, *value;
    } uses[] = {
        {"cost.tm_", "traffic.kind", "traffic_manager"},
        {"cost.front_door_", "traffic.kind", "front_door"},
        {"cost.dns_", "traffic.kind", "dns"},
        {"cost.cosmos_", "datastores[%zu].kind", "cosmos"},
    };
    for (size_t u = 0; u < sizeof uses / sizeof uses[0]; u++) {
        if (strncmp(key, uses[u].prefix, strlen(uses[u].prefix)) != 0)
            continue;
        for (size_t i = 0; i < r->ncand; i++)
            for (size_t d = 0; d < 8; d++) {
                char k[64], v[128];
                snprintf(k, sizeof k, uses[u].key, d);
                attr(r, &r->cand[i], k, v, sizeof v);
                if (strcmp(v, uses[u].value) == 0)
                    return 1;
                if (!strchr(uses[u].key, '%'))
                    break;
            }
        return 0;
    }
    return 1;
}

static void section_assumptions(rp *r)
{
    heading(r, 2, "Assumptions");
    para(r, "Defaults the first candidate kept that come from published Azure figures "
            "(docs/reference.md, where each row cites its source). Check them against your own "
            "measurements; the modelling choices marked \"ours\" are listed after.");
    rp_attrs a;
    attrs_load(r, &r->cand[0], &a);
    const mr_param **seen = mr_xcalloc(a.n + 1, sizeof *seen);
    size_t nseen = 0;
    char ours[4096] = "";
    size_t no = 0;
    fputs(r->html ? "<ul>\n" : "", r->f);
    for (size_t i = 0; i < a.n; i++) {
        const mr_param *k = key_row(a.key[i]);
        if (!k || !k->def || !k->ref || strcmp(k->def, a.val[i]) != 0)
            continue;
        int dup = 0;
        for (size_t j = 0; j < nseen; j++)
            dup |= seen[j] == k;
        if (dup)
            continue;
        seen[nseen++] = k;
        if (!relevant(r, a.key[i]))
            continue;
        if (strncmp(k->ref, "docs/reference.md", 17) == 0) {
            list_item(r, "%s = %s: %s (%s)", a.key[i], a.val[i], k->doc ? k->doc : "", k->ref);
        } else if (no + 2 < sizeof ours) {
            no += (size_t)snprintf(ours + no, sizeof ours - no, "%s%s = %s", no ? "; " : "",
                                   a.key[i], a.val[i]);
        }
    }
    fputs(r->html ? "</ul>\n" : "\n", r->f);
    if (ours[0])
        para(r, "Modelling choices (ours): %s.", ours);
    free(seen);
    attrs_free(&a);
    para(r, "What the model leaves out (docs/model.md): store capacity at aggregate fidelity, a "
            "general service-time queue, runtime DNS caches per client process, and operator "
            "actions beyond the stated failover policy and runbook. A price that nobody "
            "published is billed at 0 and named in the run's warnings (cost_unpriced).");
}

static void section_reproduce(rp *r)
{
    heading(r, 2, "Reproduce");
    sqlite3_stmt *st = NULL;
    fputs(r->html ? "<ul>\n" : "", r->f);
    if (sqlite3_prepare_v2(r->db,
                           "SELECT MAX(i.invocation_id), i.command_line, i.mrsim_version,"
                           " GROUP_CONCAT(DISTINCT i.scenario_hash), MIN(u.seed),"
                           " COUNT(u.run_id) FROM invocation i JOIN run u ON u.invocation_id"
                           " = i.invocation_id GROUP BY i.command_line, i.mrsim_version"
                           " ORDER BY MIN(i.invocation_id)",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 inv = sqlite3_column_int64(st, 0);
            int used = 0;
            for (size_t i = 0; i < r->ncand; i++)
                used |= r->cand[i].inv == inv;
            if (!used)
                continue;
            list_item(r, "%s (mrsim %s; resolved scenario hashes %s; seed %lld; %d runs in all)",
                      (const char *)sqlite3_column_text(st, 1),
                      (const char *)sqlite3_column_text(st, 2),
                      (const char *)sqlite3_column_text(st, 3),
                      (long long)sqlite3_column_int64(st, 4), sqlite3_column_int(st, 5));
        }
    }
    sqlite3_finalize(st);
    fputs(r->html ? "</ul>\n" : "\n", r->f);
    para(r, "The same command line, seed and mrsim version give the same numbers, at any --jobs.");
}

/* The temporary folder of the HTML page's figures: its files, then it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4400];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>mrsim design review</title>\n<style>\n"
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}\n"
    "th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "figure{margin:2em 0}figure svg{max-width:100%;height:auto}figcaption{color:#444}\n"
    "</style>\n</head>\n<body>\n";

int mr_report_write(const mr_report_opts *o, char *err, size_t errlen)
{
    rp r = {.o = o, .html = o->format == MR_REPORT_HTML, .err = err, .errlen = errlen};
    err[0] = '\0';
    int rc = mr_dbr_open(o->db_path, &r.db, err, errlen);
    if (rc != MR_OK)
        return rc;
    r.ncand = mr_dbr_candidates(r.db, r.cand, MR_DBR_MAX_CAND);
    if (r.ncand == 0) {
        sqlite3_close(r.db);
        return fail(&r, "%s: no runs in the database", o->db_path);
    }
    /* Markdown: the figures in FILE-figures/ beside the page, linked
     * relatively; HTML: drawn as SVG in a temporary folder and inlined. */
    char tmpdir[64] = "";
    const char *slash = strrchr(o->out_path, '/'), *base = slash ? slash + 1 : o->out_path;
    if (r.html) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/mrsim-report-XXXXXX");
        if (!mkdtemp(tmpdir)) {
            sqlite3_close(r.db);
            return fail(&r, "%s: %s", tmpdir, strerror(errno));
        }
        snprintf(r.figdir, sizeof r.figdir, "%s", tmpdir);
    } else {
        size_t stem = strcspn(base, ".");
        snprintf(r.figrel, sizeof r.figrel, "%.*s-figures", (int)stem, base);
        snprintf(r.figdir, sizeof r.figdir, "%.*s%s", slash ? (int)(slash - o->out_path + 1) : 0,
                 o->out_path, r.figrel);
    }
    rc = draw_figures(&r, r.html ? MR_PLOT_SVG : MR_PLOT_PNG);
    char part[4200];
    snprintf(part, sizeof part, "%s.part", o->out_path);
    if (rc == MR_OK && !(r.f = fopen(part, "w")))
        rc = fail(&r, "%s: %s", part, strerror(errno));
    if (rc == MR_OK) {
        if (r.html)
            fputs(html_head, r.f);
        section_question(&r);
        section_candidates(&r);
        section_results(&r);
        section_recovery(&r);
        section_figures(&r);
        section_assumptions(&r);
        section_reproduce(&r);
        if (r.html)
            fputs("</body>\n</html>\n", r.f);
        int bad = ferror(r.f);
        if (fclose(r.f) != 0 || bad)
            rc = fail(&r, "%s: write failed", part);
        else if (rename(part, o->out_path) != 0)
            rc = fail(&r, "%s: %s", o->out_path, strerror(errno));
        if (rc != MR_OK)
            unlink(part);
    }
    if (tmpdir[0])
        remove_dir(tmpdir);
    sqlite3_close(r.db);
    return rc;
}
