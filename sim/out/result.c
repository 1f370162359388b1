/* sim/out/result.c: the result document (JSON, docs/cli.md) and the human table.
 * Numbers are printed with %.10g so that the same result prints the same
 * bytes on every machine (golden tests compare them), and NaN, which marks
 * a value that does not exist, prints as null. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/config.h"
#include "run/result.h"

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
    fputs(", \"expect\": {", out);
    for (size_t k = 0; k < ep->nexpect; k++) {
        if (k)
            fputs(", ", out);
        json_string(out, ep->expect[k].target);
        fputs(": ", out);
        json_verdict(out, &ep->expect[k], 0);
    }
    fputs("}}", out);
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

/* "rto <= 300 s" or "availability >= 0.999". */
static void verdict_label(char *buf, size_t n, const mr_verdict *v)
{
    int up = strcmp(v->target, "availability") == 0;
    snprintf(buf, n, "%s %s %.10g%s", v->target, up ? ">=" : "<=", v->limit, up ? "" : " s");
}

void mr_result_write_warnings(const mr_result *r, int check, FILE *err)
{
    char label[64];
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
                    "mrsim: warning: %s: steady state %s missed on the warm-up (p_met %.4g): "
                    "a topology that misses it without faults is mis-sized\n",
                    r->scenario, label, v->p_met);
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

/* Six significant digits, and just below 1 (availabilities) at least
 * three of 1 - v, where the digits that matter are (0.999999739, not 1),
 * as many as the column holds. A lower bound (censoring) reads ">=". */
static void table_cell_lb(FILE *out, double v, int lower)
{
    char buf[32];
    if (isnan(v))
        snprintf(buf, sizeof buf, "-");
    else if (v > 0.9 && v < 1) {
        int decimals = (int)ceil(-log10(1 - v)) + 2;
        decimals = decimals < 6 ? 6 : decimals < 10 ? decimals : 10;
        snprintf(buf, sizeof buf, "%.*f", decimals, v);
    } else
        snprintf(buf, sizeof buf, "%.6g", v);
    if (lower && !isnan(v)) {
        char lb[40];
        snprintf(lb, sizeof lb, ">=%s", buf);
        fprintf(out, " %12s", lb);
    } else {
        fprintf(out, " %12s", buf);
    }
}

static void table_cell(FILE *out, double v)
{
    table_cell_lb(out, v, 0);
}

static void table_row(FILE *out, const char *name, const char *unit, const mr_summary *s)
{
    char label[96];
    snprintf(label, sizeof label, "%s%s%s%s", name, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
    fprintf(out, "%-26s", label);
    if (s->n == 0) {
        fprintf(out, " %12s  (does not apply)\n", "null");
        return;
    }
    table_cell_lb(out, s->mean, s->lower & MR_LB_MEAN);
    table_cell(out, s->ci_lo);
    table_cell(out, s->ci_hi);
    table_cell_lb(out, s->p50, s->lower & MR_LB_P50);
    table_cell_lb(out, s->p95, s->lower & MR_LB_P95);
    table_cell_lb(out, s->p99, s->lower & MR_LB_P99);
    fprintf(out, " %6llu\n", (unsigned long long)s->n);
    if (s->censorable && s->censored > 0)
        fprintf(out, "%-26s %.1f%% censored (not recovered by the end of its episode: the next "
                     "fault or the horizon); '>=': a lower bound\n",
                "", 100 * s->censored);
}

/* The items billed at 0, under the cost rows, wrapped at 80 columns. */
static void table_unpriced(FILE *out, const mr_cost_unpriced *u)
{
    if (u->n == 0)
        return;
    int col = fprintf(out, "  cost: (unpriced, billed at 0):");
    for (size_t i = 0; i < u->n; i++) {
        int w = (int)strlen(u->item[i]) + 2;
        if (col + w > 80)
            col = fprintf(out, "\n   ") - 1;
        col += fprintf(out, " %s%s", u->item[i], i + 1 < u->n ? "," : "");
    }
    fputc('\n', out);
}

static void table_verdict(FILE *out, const char *indent, const mr_verdict *v)
{
    char label[64];
    verdict_label(label, sizeof label, v);
    if (v->evaluable)
        fprintf(out, "%s%-30s %-7s p_met %.4g (n %llu)\n", indent, label,
                v->met ? "met" : "MISSED", v->p_met, (unsigned long long)v->n);
    else
        fprintf(out, "%s%-30s not evaluable: %s\n", indent, label, v->reason);
}

void mr_result_write_table(const mr_result *r, FILE *out)
{
    fprintf(out, "%s (%s): %llu replications of %.10g s, seed %llu\n", r->scenario, r->file,
            (unsigned long long)r->replications, r->horizon_s, (unsigned long long)r->seed);
    const mr_stopping *st = &r->stopping;
    if (st->adaptive) {
        fprintf(out, "stopping: %s 95%% CI half-width <= %.4g of the mean, checked every %llu "
                     "(min %llu, max %llu): ",
                st->metric, st->target_rel, (unsigned long long)st->batch,
                (unsigned long long)st->min, (unsigned long long)st->max);
        if (st->converged)
            fprintf(out, "converged at %.4g\n", st->achieved_rel);
        else if (isnan(st->achieved_rel) || isinf(st->achieved_rel))
            fputs("stopped at max, half-width not computable\n", out);
        else
            fprintf(out, "stopped at max, half-width %.4g\n", st->achieved_rel);
    }
    fputc('\n', out);
    fprintf(out, "%-26s %12s %12s %12s %12s %12s %12s %6s\n", "metric", "mean", "ci95 lo",
            "ci95 hi", "p50", "p95", "p99", "n");
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        table_row(out, mr_metric_name((mr_metric)m), mr_metric_unit((mr_metric)m),
                  &r->metrics[m]);
        if (m != MR_METRIC_LATENCY_MS_P99)
            continue;
        table_row(out, "failed_latency_ms_p50", "ms", &r->failed_latency_ms[0]);
        table_row(out, "failed_latency_ms_p99", "ms", &r->failed_latency_ms[1]);
        fprintf(out, "%-26s latency_ms: successful requests only; failed_latency_ms: failed "
                     "ones (first issue to the last attempt's timeout)\n",
                "");
    }
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++) {
        char name[48];
        snprintf(name, sizeof name, "  cost: %s", mr_cost_item_name((mr_cost_item)i));
        table_row(out, name, mr_metric_unit(MR_METRIC_COST_USD_MONTH), &r->cost_breakdown[i]);
    }
    table_unpriced(out, &r->unpriced);
    for (size_t d = 0; d < r->nstores; d++)
        for (size_t k = 0; k < MR_STORE_METRICS; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s %s", r->stores[d].name,
                     mr_metric_name(r->stores[d].metric[k]));
            table_row(out, name, mr_metric_unit(r->stores[d].metric[k]), &r->stores[d].m[k]);
        }
    for (size_t i = 0; i < r->npopulations && r->npopulations > 1; i++) {
        char name[64];
        snprintf(name, sizeof name, "availability %s", r->populations[i].name);
        table_row(out, name, "", &r->populations[i].availability);
    }
    for (size_t i = 0; i < r->npopulations && r->npopulations > 1; i++) {
        char name[64];
        snprintf(name, sizeof name, "client_rto %s", r->populations[i].name);
        table_row(out, name, "s", &r->populations[i].client_rto_s);
    }
    for (size_t e = 0; e < r->nepisodes; e++) {
        const mr_episode_result *ep = &r->episodes[e];
        char name[64];
        snprintf(name, sizeof name, "rto %s", ep->fault);
        table_row(out, name, "s", &ep->rto_s);
        if (ep->rpo_s.n > 0) {
            snprintf(name, sizeof name, "rpo %s", ep->fault);
            table_row(out, name, "s", &ep->rpo_s);
        }
        snprintf(name, sizeof name, "budget_share %s", ep->fault);
        table_row(out, name, "", &ep->budget_share);
        for (size_t k = 0; k < ep->nexpect; k++)
            table_verdict(out, "  expect ", &ep->expect[k]);
    }
    if (r->nslo) {
        fprintf(out, "\nslo targets (met when p_met >= %.4g):\n", r->slo_confidence);
        for (size_t i = 0; i < r->nslo; i++)
            table_verdict(out, "  ", &r->slo[i]);
    }
    if (r->nsteady) {
        fputs("\nsteady state (on the warm-up):\n", out);
        for (size_t i = 0; i < r->nsteady; i++)
            table_verdict(out, "  ", &r->steady[i]);
    }
}
