/* sim/out/result.c: the result document (JSON, docs/cli.md) and the human table.
 * JSON numbers are SI, printed with %.10g so that the same result prints
 * the same bytes on every machine (golden tests compare them), and NaN,
 * which marks a value that does not exist, prints as null. The table's are
 * in human units (human.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "human.h"
#include "mrsim/config.h"
#include "run/result.h"
#include "out/timeline.h"
#include "mrsim/report.h"

static void json_number(FILE *out, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", out);
    else
        fprintf(out, "%.10g", v);
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* A summary (docs/results.md); with censoring, a percentile that is only
 * a lower bound is null and its bound follows as pNN_lower_bound, and
 * "censored" is the censored share. */
static void json_summary(FILE *out, const mr_summary *s)
{
    if (s->n == 0) {
        fputs("null", out);
        return;
    }
    const struct {
        const char *key;
        double v;
        unsigned lb;
    } fields[] = {{"{\"mean\": ", s->mean, 0},     {", \"ci95\": [", s->ci_lo, 0},
                  {", ", s->ci_hi, 0},             {"], \"p50\": ", s->p50, MR_LB_P50},
                  {", \"p95\": ", s->p95, MR_LB_P95}, {", \"p99\": ", s->p99, MR_LB_P99},
                  {", \"min\": ", s->min, 0},      {", \"max\": ", s->max, 0}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        fputs(fields[i].key, out);
        json_number(out, s->lower & fields[i].lb ? NAN : fields[i].v);
    }
    fprintf(out, ", \"n\": %llu, \"ci_method\": ", (unsigned long long)s->n);
    if (s->ci_method)
        json_string(out, s->ci_method);
    else
        fputs("null", out);
    if (s->censorable) {
        fputs(", \"censored\": ", out);
        json_number(out, s->censored);
        if (s->lower & MR_LB_MEAN)
            fputs(", \"mean_is_lower_bound\": true", out);
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (s->lower & fields[i].lb) {
                fprintf(out, ", \"p%s_lower_bound\": ",
                        fields[i].lb == MR_LB_P50 ? "50" : fields[i].lb == MR_LB_P95 ? "95" : "99");
                json_number(out, fields[i].v);
            }
    }
    fputc('}', out);
}

/* {"limit": L, "met": B, "p_met": P, "n": N[, "reason": R]}, with the target
 * name first when named (the slo array of docs/cli.md). Not evaluable: met and
 * p_met are null and the reason says why. */
static void json_verdict(FILE *out, const mr_verdict *v, int named)
{
    fputc('{', out);
    if (named) {
        fputs("\"target\": ", out);
        json_string(out, v->target);
        fputs(", ", out);
    }
    fputs("\"limit\": ", out);
    json_number(out, v->limit);
    if (v->evaluable) {
        fprintf(out, ", \"met\": %s, \"p_met\": ", v->met ? "true" : "false");
        json_number(out, v->p_met);
    } else {
        fputs(", \"met\": null, \"p_met\": null", out);
    }
    fprintf(out, ", \"n\": %llu", (unsigned long long)v->n);
    if (!v->evaluable) {
        fputs(", \"reason\": ", out);
        json_string(out, v->reason);
    }
    fputc('}', out);
}

static void json_verdicts(FILE *out, const mr_verdict *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_verdict(out, &v[i], 1);
    }
    fputs(n ? "\n  ]" : "]", out);
}

static void json_stopping(FILE *out, const mr_stopping *s)
{
    if (!s->adaptive) {
        fputs("{\"rule\": \"fixed\"}", out);
        return;
    }
    fputs("{\"rule\": \"until\", \"metric\": ", out);
    json_string(out, s->metric);
    fputs(", \"target_rel_half_width\": ", out);
    json_number(out, s->target_rel);
    fputs(", \"achieved_rel_half_width\": ", out);
    json_number(out, s->achieved_rel);
    fprintf(out, ", \"min\": %llu, \"max\": %llu, \"batch\": %llu, \"reason\": \"%s\"}",
            (unsigned long long)s->min, (unsigned long long)s->max,
            (unsigned long long)s->batch, s->converged ? "converged" : "max");
}

/* The sections of the document after its header, each from the comma
 * before its key to its closing bracket. */

static void json_vary(FILE *out, const mr_result *r)
{
    fputs(",\n  \"vary\": {", out);
    for (size_t i = 0; i < r->nvary; i++) {
        if (i)
            fputs(", ", out);
        json_string(out, r->vary_keys[i]);
        fputs(": ", out);
        json_string(out, r->vary_values[i]);
    }
    fputs("}", out);
}

static void json_metrics(FILE *out, const mr_result *r)
{
    fputs(",\n  \"metrics\": {", out);
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        fprintf(out, "%s\n    \"%s\": ", m ? "," : "", mr_metric_name((mr_metric)m));
        json_summary(out, &r->metrics[m]);
    }
    /* Beside latency, which covers successes only: the failed requests'. */
    fputs(",\n    \"failed_latency_ms_p50\": ", out);
    json_summary(out, &r->failed_latency_ms[0]);
    fputs(",\n    \"failed_latency_ms_p99\": ", out);
    json_summary(out, &r->failed_latency_ms[1]);
    fputs("\n  }", out);
}

static void json_stores(FILE *out, const mr_result *r)
{
    fputs(",\n  \"stores\": {", out);
    for (size_t d = 0; d < r->nstores; d++) {
        const mr_store_result *st = &r->stores[d];
        fputs(d ? ",\n    " : "\n    ", out);
        json_string(out, st->name);
        fputs(": {\"kind\": ", out);
        json_string(out, st->kind);
        for (size_t k = 0; k < MR_STORE_METRICS; k++) {
            fprintf(out, ", \"%s\": ", mr_metric_name(st->metric[k]));
            json_summary(out, &st->m[k]);
        }
        if (st->capacity) { /* docs/results.md: only a store with a capacity limit */
            fputs(", \"throttled_ratio\": ", out);
            json_summary(out, &st->throttled_ratio);
            fputs(", \"capacity_wait_ms\": ", out);
            json_summary(out, &st->capacity_wait_ms);
        }
        fputs("}", out);
    }
    fputs("\n  }", out);
}

static void json_costs(FILE *out, const mr_result *r)
{
    fputs(",\n  \"cost_breakdown\": {", out);
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++) {
        fprintf(out, "%s\n    \"%s\": ", i ? "," : "", mr_cost_item_name((mr_cost_item)i));
        json_summary(out, &r->cost_breakdown[i]);
    }
    fputs("\n  },\n  \"cost_unpriced\": [", out);
    for (size_t i = 0; i < r->unpriced.n; i++) {
        fputs(i ? ", " : "", out);
        json_string(out, r->unpriced.item[i]);
    }
    fputs("]", out);
}

static void json_populations(FILE *out, const mr_result *r)
{
    fputs(",\n  \"populations\": [", out);
    for (size_t i = 0; i < r->npopulations; i++) {
        const mr_population_result *p = &r->populations[i];
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
        json_string(out, p->name);
        fputs(", \"stamp\": ", out);
        if (p->stamp)
            json_string(out, p->stamp);
        else
            fputs("null", out);
        fputs(", \"availability\": ", out);
        json_summary(out, &p->availability);
        fputs(", \"client_rto_s\": ", out);
        json_summary(out, &p->client_rto_s);
        fputs("}", out);
    }
    fputs(r->npopulations ? "\n  ]" : "]", out);
}

/* The recovery timeline (docs/results.md): each milestone that applied,
 * its summary over the replications it applied in, and the critical path
 * (null when none). */
static void json_timeline(FILE *out, const mr_episode_result *ep)
{
    fputs(", \"timeline\": [", out);
    for (size_t i = 0; i < ep->ntimeline; i++) {
        const mr_milestone_result *m = &ep->timeline[i];
        fputs(i ? ", {\"milestone\": " : "{\"milestone\": ", out);
        json_string(out, mr_milestone_name(m->what));
        fputs(", \"component\": ", out);
        json_string(out, m->component);
        fprintf(out, ", \"applied\": %llu, \"reached\": %llu, \"t_s\": ",
                (unsigned long long)m->applied, (unsigned long long)m->reached);
        json_summary(out, &m->t_s);
        fputs("}", out);
    }
    fputs("], \"critical_path\": ", out);
    if (!ep->has_critical) {
        fputs("null", out);
        return;
    }
    const mr_milestone_result *m = &ep->timeline[ep->critical];
    fputs("{\"milestone\": ", out);
    json_string(out, mr_milestone_name(m->what));
    fputs(", \"component\": ", out);
    json_string(out, m->component);
    fputs(", \"reason\": ", out);
    json_string(out, ep->critical_reason);
    fprintf(out, ", \"awaited\": %s, \"replications\": %llu, \"of\": %llu}",
            ep->critical_censored ? "true" : "false", (unsigned long long)ep->critical_n,
            (unsigned long long)ep->critical_of);
}

static void json_episode(FILE *out, const mr_episode_result *ep)
{
    fputs("{\"fault\": ", out);
    json_string(out, ep->fault);
    fputs(", \"kind\": ", out);
    json_string(out, ep->kind);
    fputs(", \"target\": ", out);
    json_string(out, ep->target);
    fputs(", \"rto_s\": ", out);
    json_summary(out, &ep->rto_s);
    fputs(", \"rpo_s\": ", out);
    json_summary(out, &ep->rpo_s);
    fprintf(out, ", \"censored\": %llu, \"budget_share\": ", (unsigned long long)ep->censored);
    json_summary(out, &ep->budget_share);
    fputs(", \"incident_cost_usd\": ", out);
    json_summary(out, &ep->incident_cost_usd);
    fputs(", \"expect\": {", out);
    for (size_t k = 0; k < ep->nexpect; k++) {
        if (k)
            fputs(", ", out);
        json_string(out, ep->expect[k].target);
        fputs(": ", out);
        json_verdict(out, &ep->expect[k], 0);
    }
    fputs("}", out);
    json_timeline(out, ep);
    fputs("}", out);
}

static void json_episodes(FILE *out, const mr_result *r)
{
    fputs(",\n  \"episodes\": [", out);
    for (size_t e = 0; e < r->nepisodes; e++) {
        fputs(e ? ",\n    " : "\n    ", out);
        json_episode(out, &r->episodes[e]);
    }
    fputs(r->nepisodes ? "\n  ]" : "]", out);
}

void mr_result_write_json(const mr_result *r, FILE *out)
{
    fputs("{\n  \"mrsim\": ", out);
    json_string(out, MR_VERSION);
    fprintf(out, ",\n  \"schema\": %d", MR_JSON_SCHEMA);
    fputs(",\n  \"scenario\": ", out);
    json_string(out, r->scenario);
    fputs(",\n  \"file\": ", out);
    json_string(out, r->file);
    fprintf(out, ",\n  \"seed\": %llu,\n  \"replications\": %llu,\n  \"horizon_s\": ",
            (unsigned long long)r->seed, (unsigned long long)r->replications);
    json_number(out, r->horizon_s);
    fputs(",\n  \"stopping\": ", out);
    json_stopping(out, &r->stopping);
    if (r->nvary > 0)
        json_vary(out, r);
    fprintf(out, ",\n  \"events\": %llu,\n  \"wall_s\": ", (unsigned long long)r->events);
    json_number(out, r->wall_s);
    json_metrics(out, r);
    if (r->nstores > 0)
        json_stores(out, r);
    json_costs(out, r);
    json_populations(out, r);
    json_episodes(out, r);
    fputs(",\n  \"slo\": ", out);
    json_verdicts(out, r->slo, r->nslo);
    fputs(",\n  \"steady_state\": ", out);
    json_verdicts(out, r->steady, r->nsteady);
    fputs("\n}\n", out);
}

int mr_result_slo_missed(const mr_result *r)
{
    for (size_t i = 0; i < r->nslo; i++)
        if (r->slo[i].evaluable && !r->slo[i].met)
            return 1;
    for (size_t e = 0; e < r->nepisodes; e++)
        for (size_t k = 0; k < r->episodes[e].nexpect; k++)
            if (r->episodes[e].expect[k].evaluable && !r->episodes[e].expect[k].met)
                return 1;
    return 0;
}

/* "rto <= 5m 00s" or "availability >= 99.9%". */
static void verdict_label(char *buf, size_t n, const mr_verdict *v)
{
    int up = strcmp(v->target, "availability") == 0;
    char lim[MR_HU_LEN];
    mr_hu_given(lim, sizeof lim, up ? MR_HU_SHARE : MR_HU_SECONDS, v->limit);
    snprintf(buf, n, "%s %s %s", v->target, up ? ">=" : "<=", lim);
}


void mr_result_write_warnings(const mr_result *r, int check, FILE *err)
{
    char label[64], p[MR_HU_LEN];
    if (r->unpriced.n > 0) {
        fprintf(err, "mrsim: warning: %s: unpriced, billed at 0 (the cost is understated):",
                r->scenario);
        for (size_t i = 0; i < r->unpriced.n; i++)
            fprintf(err, "%s %s", i ? "," : "", r->unpriced.item[i]);
        fputc('\n', err);
    }
    for (size_t i = 0; i < r->nsteady; i++) {
        const mr_verdict *v = &r->steady[i];
        verdict_label(label, sizeof label, v);
        if (v->evaluable && !v->met)
            fprintf(err,
                    "mrsim: warning: %s: steady state %s missed on the warm-up (p_met %s): "
                    "a topology that misses it without faults is mis-sized\n",
                    r->scenario, label, mr_hu_given(p, sizeof p, MR_HU_SHARE, v->p_met));
    }
    if (!check)
        return;
    for (size_t i = 0; i < r->nslo; i++) {
        verdict_label(label, sizeof label, &r->slo[i]);
        if (!r->slo[i].evaluable)
            fprintf(err, "mrsim: note: %s: target %s not checked: %s\n", r->scenario, label,
                    r->slo[i].reason);
    }
    for (size_t e = 0; e < r->nepisodes; e++) {
        const mr_episode_result *ep = &r->episodes[e];
        for (size_t k = 0; k < ep->nexpect; k++) {
            verdict_label(label, sizeof label, &ep->expect[k]);
            if (!ep->expect[k].evaluable)
                fprintf(err, "mrsim: note: %s: %s expect %s not checked: %s\n", r->scenario,
                        ep->fault, label, ep->expect[k].reason);
        }
    }
}

/* The human table (docs/results.md "The table"): one row per summary, its
 * numbers in human units (human.h), the unit in the cell and not in the
 * name. It is laid out twice: a first pass measures every column, the
 * second prints with those widths, so a table of short values stays within
 * 80 columns. Each section is one function that emits rows to a layout. */

enum { COLS = 7 }; /* mean, 95% CI, p50, p95, p99, n after the label */

typedef struct layout {
    FILE *out;
    int measure;   /* 1: only widen w; 0: print */
    int w[COLS];   /* label, mean, CI, p50, p95, p99, n */
} layout;

static void lay_cells(layout *t, const char *const cell[COLS])
{
    if (t->measure) {
        for (int i = 0; i < COLS; i++) {
            int n = (int)strlen(cell[i]);
            if (n > t->w[i])
                t->w[i] = n;
        }
        return;
    }
    fprintf(t->out, "%-*s", t->w[0], cell[0]);
    for (int i = 1; i < COLS; i++)
        fprintf(t->out, i == 1 ? " %*s" : i == 2 ? "  %-*s" : "  %*s", t->w[i], cell[i]);
    fputc('\n', t->out);
}

/* A line of text between rows (a note, a heading); printed as is. */
static void lay_text(layout *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lay_text(layout *t, const char *fmt, ...)
{
    if (t->measure)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->out, fmt, ap);
    va_end(ap);
}

/* How a metric's numbers read, from its unit in MR_METRIC_MAP and its range. */
static mr_hu_kind metric_kind(mr_metric m)
{
    const char *u = mr_metric_unit(m);
    if (strcmp(u, "s") == 0)
        return MR_HU_SECONDS;
    if (strcmp(u, "ms") == 0)
        return MR_HU_MS;
    if (strcmp(u, "USD") == 0)
        return m == MR_METRIC_COST_USD_MONTH ? MR_HU_USD_MONTH : MR_HU_USD;
    return mr_metric_range(m) == MR_RANGE_UNIT ? MR_HU_SHARE : MR_HU_COUNT;
}

int mr_metric_table_kind(mr_metric m)
{
    return (int)metric_kind(m);
}

/* The JSON name without its unit, which the cells carry: rto_s -> rto,
 * latency_ms_p99 -> latency_p99, cost_usd_month -> cost_month. */
static void plain_name(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s", name);
    static const char *const units[] = {"_ms", "_usd"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *p = strstr(buf, units[i]);
        if (p)
            memmove(p, p + strlen(units[i]), strlen(p + strlen(units[i])) + 1);
    }
    size_t len = strlen(buf);
    if (len > 2 && strcmp(buf + len - 2, "_s") == 0)
        buf[len - 2] = '\0';
}

/* A value, ">=" before it when it is only a lower bound (censoring). */
static const char *lb_cell(char *buf, size_t n, mr_hu_kind k, double v, int lower)
{
    char num[MR_HU_LEN - 4];
    mr_hu_value(num, sizeof num, k, v);
    snprintf(buf, n, "%s%s", lower && !isnan(v) ? ">=" : "", num);
    return buf;
}

static void table_row(layout *t, const char *label, mr_hu_kind k, const mr_summary *s)
{
    if (s->n == 0) {
        const char *cells[COLS] = {label, "n/a", "", "", "", "", ""};
        if (t->measure)
            lay_cells(t, cells);
        else
            lay_text(t, "%-*s %*s\n", t->w[0], label, t->w[1], "n/a");
        return;
    }
    char c[COLS - 1][MR_HU_LEN], n[24];
    lb_cell(c[0], sizeof c[0], k, s->mean, s->lower & MR_LB_MEAN);
    /* A run rate says "/mo" once, in its mean. */
    k = k == MR_HU_USD_MONTH ? MR_HU_USD : k;
    mr_hu_interval(c[1], sizeof c[1], k, s->ci_lo, s->ci_hi);
    lb_cell(c[2], sizeof c[2], k, s->p50, s->lower & MR_LB_P50);
    lb_cell(c[3], sizeof c[3], k, s->p95, s->lower & MR_LB_P95);
    lb_cell(c[4], sizeof c[4], k, s->p99, s->lower & MR_LB_P99);
    snprintf(n, sizeof n, "%llu", (unsigned long long)s->n);
    const char *cells[COLS] = {label, c[0], c[1], c[2], c[3], c[4], n};
    lay_cells(t, cells);
    if (s->censorable && s->censored > 0) {
        char pct[MR_HU_LEN];
        lay_text(t, "%*s  %s censored: not recovered when its episode ended; >= : a lower bound\n",
                 t->w[0], "", mr_hu_percent(pct, sizeof pct, s->censored));
    }
}

void mr_metric_table_name(mr_metric m, char *buf, size_t n)
{
    plain_name(buf, n, mr_metric_name(m));
}

static void metric_row(layout *t, const char *indent, mr_metric m, const mr_summary *s)
{
    char name[64], label[80];
    plain_name(name, sizeof name, mr_metric_name(m));
    snprintf(label, sizeof label, "%s%s", indent, name);
    table_row(t, label, metric_kind(m), s);
}

static void table_verdict(layout *t, const char *indent, const mr_verdict *v)
{
    char label[64], p[MR_HU_LEN];
    verdict_label(label, sizeof label, v);
    if (v->evaluable)
        lay_text(t, "%s%-30s %-7s p_met %s (n %llu)\n", indent, label, v->met ? "met" : "MISSED",
                 mr_hu_given(p, sizeof p, MR_HU_SHARE, v->p_met), (unsigned long long)v->n);
    else
        lay_text(t, "%s%-30s not evaluable: %s\n", indent, label, v->reason);
}

/* "name (file): 20 replications of 1h 30m, seed 42" and the stopping rule. */
static void table_header(const mr_result *r, FILE *out)
{
    char reps[48], h[MR_HU_LEN];
    fprintf(out, "%s (%s): %s of %s, seed %llu\n", r->scenario, r->file,
            mr_hu_plural(reps, sizeof reps, (unsigned long long)r->replications, "replication",
                         "replications"),
            mr_hu_duration(h, sizeof h, r->horizon_s), (unsigned long long)r->seed);
    const mr_stopping *st = &r->stopping;
    if (st->adaptive) {
        char tgt[MR_HU_LEN], got[MR_HU_LEN];
        fprintf(out, "stopping: %s 95%% CI half-width <= %s of the mean, checked every %llu\n"
                     "  (min %llu, max %llu): ",
                st->metric, mr_hu_given(tgt, sizeof tgt, MR_HU_SHARE, st->target_rel),
                (unsigned long long)st->batch, (unsigned long long)st->min,
                (unsigned long long)st->max);
        mr_hu_percent(got, sizeof got, st->achieved_rel);
        if (st->converged)
            fprintf(out, "converged at %s\n", got);
        else if (isnan(st->achieved_rel) || isinf(st->achieved_rel))
            fputs("stopped at max, half-width not computable\n", out);
        else
            fprintf(out, "stopped at max, half-width %s\n", got);
    }
}

/* The whole system's metrics, the failed requests' latency after the
 * successes', and the run rate's items after the run rate. */
static void table_metrics(layout *t, const mr_result *r)
{
    const char *const head[COLS] = {"metric", "mean", "95% CI", "p50", "p95", "p99", "n"};
    lay_cells(t, head);
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        metric_row(t, "", (mr_metric)m, &r->metrics[m]);
        if (m == MR_METRIC_LATENCY_MS_P99) {
            table_row(t, "failed_latency_p50", MR_HU_MS, &r->failed_latency_ms[0]);
            table_row(t, "failed_latency_p99", MR_HU_MS, &r->failed_latency_ms[1]);
            lay_text(t, "  (latency: successful requests; failed_latency: first try to last timeout)\n");
        }
        if (m == MR_METRIC_COST_USD_MONTH)
            for (int i = 0; i < MR_COST_ITEM_COUNT; i++) {
                char name[48];
                snprintf(name, sizeof name, "  %s", mr_cost_item_name((mr_cost_item)i));
                table_row(t, name, MR_HU_USD_MONTH, &r->cost_breakdown[i]);
            }
    }
}

/* The items billed at 0, wrapped at 80 columns. */
static void table_unpriced(layout *t, const mr_cost_unpriced *u)
{
    if (u->n == 0 || t->measure)
        return;
    int col = fprintf(t->out, "unpriced, billed at 0:");
    for (size_t i = 0; i < u->n; i++) {
        int w = (int)strlen(u->item[i]) + 2;
        if (col + w > 80)
            col = fprintf(t->out, "\n ") - 1;
        col += fprintf(t->out, " %s%s", u->item[i], i + 1 < u->n ? "," : "");
    }
    fputc('\n', t->out);
}

static void table_stores(layout *t, const mr_result *r)
{
    for (size_t d = 0; d < r->nstores; d++) {
        lay_text(t, "data store %s (%s)\n", r->stores[d].name, r->stores[d].kind);
        for (size_t k = 0; k < MR_STORE_METRICS; k++)
            metric_row(t, "  ", r->stores[d].metric[k], &r->stores[d].m[k]);
        if (r->stores[d].capacity) {
            table_row(t, "  throttled_ratio", MR_HU_SHARE, &r->stores[d].throttled_ratio);
            table_row(t, "  capacity_wait", MR_HU_MS, &r->stores[d].capacity_wait_ms);
        }
    }
}

/* With several client populations, each one's own availability and RTO. */
static void table_populations(layout *t, const mr_result *r)
{
    for (size_t i = 0; i < r->npopulations && r->npopulations > 1; i++) {
        const mr_population_result *p = &r->populations[i];
        if (p->stamp)
            lay_text(t, "clients %s (stamp %s)\n", p->name, p->stamp);
        else
            lay_text(t, "clients %s\n", p->name);
        table_row(t, "  availability", MR_HU_SHARE, &p->availability);
        table_row(t, "  client_rto", MR_HU_SECONDS, &p->client_rto_s);
    }
}

static void table_episodes(layout *t, const mr_result *r)
{
    for (size_t e = 0; e < r->nepisodes; e++) {
        const mr_episode_result *ep = &r->episodes[e];
        lay_text(t, "fault %s (%s, %s)\n", ep->fault, ep->kind, ep->target);
        table_row(t, "  rto", MR_HU_SECONDS, &ep->rto_s);
        if (ep->rpo_s.n > 0)
            table_row(t, "  rpo", MR_HU_SECONDS, &ep->rpo_s);
        table_row(t, "  budget_share", MR_HU_SHARE, &ep->budget_share);
        if (ep->incident_cost_usd.n > 0)
            table_row(t, "  incident_cost", MR_HU_USD, &ep->incident_cost_usd);
        for (size_t k = 0; k < ep->nexpect; k++)
            table_verdict(t, "  expect ", &ep->expect[k]);
    }
}

static void table_slo(layout *t, const mr_result *r)
{
    char c[MR_HU_LEN];
    if (r->nslo) {
        lay_text(t, "\nslo targets (met when p_met >= %s):\n",
                 mr_hu_given(c, sizeof c, MR_HU_SHARE, r->slo_confidence));
        for (size_t i = 0; i < r->nslo; i++)
            table_verdict(t, "  ", &r->slo[i]);
    }
    if (r->nsteady) {
        lay_text(t, "\nsteady state (on the warm-up):\n");
        for (size_t i = 0; i < r->nsteady; i++)
            table_verdict(t, "  ", &r->steady[i]);
    }
}

/* The table's rows below the metrics' header (head, when given) and rows
 * (when with_metrics), in two passes (measure, then print), and the
 * recovery timelines. */
static void write_blocks(const mr_result *r, const char *const *head, int with_metrics,
                         FILE *out)
{
    layout t = {.out = out, .measure = 1};
    for (int pass = 0; pass < 2; pass++) {
        if (head)
            lay_cells(&t, head);
        if (with_metrics)
            table_metrics(&t, r);
        table_unpriced(&t, &r->unpriced);
        table_stores(&t, r);
        table_populations(&t, r);
        table_episodes(&t, r);
        table_slo(&t, r);
        t.measure = 0;
    }
    mr_timeline_write_table(r, out);
}

void mr_result_write_details(const mr_result *r, const char *label, FILE *out)
{
    fprintf(out, "\n%s:\n", label);
    const char *const head[COLS] = {"", "mean", "95% CI", "p50", "p95", "p99", "n"};
    write_blocks(r, head, 0, out);
}

void mr_result_write_table(const mr_result *r, FILE *out)
{
    table_header(r, out);
    fputc('\n', out);
    write_blocks(r, NULL, 1, out);
}
