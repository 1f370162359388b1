/* sim/run/metrics.c: one replication's report (mrsim/report.h) turned into
 * its row of metrics (metrics.h has the columns). Each metric follows
 * docs/model.md "Metrics: exact definitions": the SLO collector reports the
 * whole-system figures, the fault episodes and the windows; each client
 * population its requests and availability; each data store its reads and
 * failovers. Invariant: the row depends on the report and the event count
 * alone, so it is the same bits whatever thread or rank computed it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics.h"
#include "mrsim/alloc.h"
#include "run/cost.h"
#include "timeline.h"

const mr_metric mr__store_metric[MR_STORE_METRICS] = {
    MR_METRIC_RPO_S, MR_METRIC_LOST_WRITES, MR_METRIC_STALE_READ_RATIO,
    MR_METRIC_STALENESS_MS_P99, MR_METRIC_WRITE_CONFLICTS};

mr__metric_cols mr__metric_cols_of(const mr_scenario *sc)
{
    mr__metric_cols c = {.sc = sc};
    c.slo = (mr__slo_cols){.x0 = mr__col_requests(&c) + 1, .nfaults = sc->nfaults};
    c.ncols = mr__col_fault_incident(&c, sc->nfaults);
    return c;
}

/* cur = max(cur, v), a NaN cur meaning no value yet. */
static void take_max(double *cur, double v)
{
    if (isnan(*cur) || v > *cur)
        *cur = v;
}

static void take_sum(double *cur, double v)
{
    *cur = isnan(*cur) ? v : *cur + v;
}

/* The whole-system metrics the SLO collector reports as scalars of
 * component "", the warm-up's for the steady state, and the cost. */
static void system_metrics(const mr__metric_cols *c, mr_report *r, double *row)
{
    row[MR_METRIC_AVAILABILITY] = mr_report_find(r, "", "availability");
    row[MR_METRIC_DOWNTIME_S] = mr_report_find(r, "", "downtime_s");
    row[MR_METRIC_RTO_S] = mr_report_find(r, "", "rto_s");
    row[MR_METRIC_CLIENT_RTO_S] = mr_report_find(r, "", "client_rto_s");
    row[MR_METRIC_LATENCY_MS_P50] = mr_report_find(r, "", "latency_ms_p50");
    row[MR_METRIC_LATENCY_MS_P99] = mr_report_find(r, "", "latency_ms_p99");
    double items[MR_COST_ITEM_COUNT];
    row[MR_METRIC_COST_USD_MONTH] =
        mr_cost_month(c->sc, r, items, &row[MR_METRIC_INCIDENT_COST_USD], NULL);
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++) {
        row[mr__col_cost(c, i)] = items[i];
        mr_report_scalar(r, "cost_breakdown", mr_cost_item_name((mr_cost_item)i), items[i]);
    }
    /* Each fault's incident cost per episode, in the database as a scalar
     * of component "faults/NAME". */
    mr_cost_incident_by_fault(c->sc, r, &row[mr__col_fault_incident(c, 0)]);
    for (size_t f = 0; f < c->sc->nfaults; f++) {
        char comp[96];
        snprintf(comp, sizeof comp, "faults/%s", c->sc->faults[f].name);
        mr_report_scalar(r, comp, "incident_cost_usd_per_episode",
                         row[mr__col_fault_incident(c, f)]);
    }
    row[mr__col_crto_censored(c)] = mr_report_find(r, "", "client_rto_censored");
    row[mr__col_failed_latency(c, 0)] = mr_report_find(r, "", "failed_latency_ms_p50");
    row[mr__col_failed_latency(c, 1)] = mr_report_find(r, "", "failed_latency_ms_p99");
    row[mr__col_warm_availability(c->slo)] = mr_report_find(r, "", "warmup_availability");
    row[mr__col_warm_latency_ms_p99(c->slo)] = mr_report_find(r, "", "warmup_latency_ms_p99");
}

/* Per client population its availability; the requests of all of them. */
static void population_metrics(const mr__metric_cols *c, const mr_report *r, double *row)
{
    const mr_scenario *sc = c->sc;
    double *requests = &row[mr__col_requests(c)];
    for (size_t p = 0; p < sc->nclients; p++) {
        uint32_t id = mr_build_population_id(sc, p);
        double n = mr_report_find_from(r, id, "requests");
        if (!isnan(n))
            *requests = (isnan(*requests) ? 0 : *requests) + n;
        row[mr__col_population(c, p)] = mr_report_find_from(r, id, "availability");
        /* The SLO collector reports each population's client RTO. */
        char comp[32];
        snprintf(comp, sizeof comp, "population/%zu", p);
        double groups = mr_report_find(r, comp, "client_rto_groups");
        row[mr__col_pop_crto(c, p, 0)] = mr_report_find(r, comp, "client_rto_s");
        row[mr__col_pop_crto(c, p, 1)] =
            groups * mr_report_find(r, comp, "client_rto_censored");
        row[mr__col_pop_crto(c, p, 2)] = groups;
    }
}

/* Per fault: the mean RTO of its episodes, whether one was censored, and
 * for the verdicts the worst RTO (INF once one never recovered: no limit
 * is met) and the downtime inside its episodes. */
static void episode_metrics(const mr__metric_cols *c, const mr_report *r, double *row)
{
    const mr_scenario *sc = c->sc;
    double *sum = mr_xcalloc(sc->nfaults + 1, sizeof *sum);
    size_t *cnt = mr_xcalloc(sc->nfaults + 1, sizeof *cnt);
    size_t n;
    const mr_episode_record *ep = mr_report_episodes(r, &n);
    for (size_t k = 0; k < n; k++) {
        const mr_episode_record *e = &ep[k];
        if (e->fault >= sc->nfaults)
            continue;
        size_t f = e->fault;
        sum[f] += e->rto_s;
        cnt[f]++;
        take_max(&row[mr__col_fault_max_rto(c->slo, f)], e->rto_s);
        take_max(&row[mr__col_rep_max_rto(c->slo)], e->rto_s);
        if (e->censored) {
            row[mr__col_fault_censored(c, f)] = 1;
            row[mr__col_fault_max_rto(c->slo, f)] = INFINITY;
            row[mr__col_rep_max_rto(c->slo)] = INFINITY;
        }
        take_sum(&row[mr__col_fault_downtime(c->slo, f)], e->downtime_s);
    }
    for (size_t f = 0; f < sc->nfaults; f++) {
        row[mr__col_fault_rto(c, f)] = cnt[f] > 0 ? sum[f] / (double)cnt[f] : NAN;
        if (isnan(row[mr__col_fault_censored(c, f)]))
            row[mr__col_fault_censored(c, f)] = 0;
    }
    free(sum);
    free(cnt);
}

/* The data-store metrics, per store and whole-system (docs/model.md: RPO is
 * the worst forced failover, 0 when none lost a write; lost writes and
 * conflicts add up; the stale-read ratio and the staleness percentile are
 * over every read of every store); per fault its worst RPO goes to the
 * verdicts' column. Left NaN without stores. */
static void store_metrics(const mr__metric_cols *c, const mr_report *r, double *row)
{
    const mr_scenario *sc = c->sc;
    if (sc->ndatastores == 0)
        return;
    double rpo = 0, lost = 0, conflicts = 0, reads = 0, stale = 0;
    mr_hist all;
    mr_hist_init(&all);
    for (size_t f = 0; f < sc->nfaults; f++)
        row[mr__col_fault_max_rpo(c->slo, f)] = 0;
    for (size_t d = 0; d < sc->ndatastores; d++) {
        const mr_store_record *s = mr_report_find_store(r, mr_build_store_id(sc, d));
        if (s == NULL)
            continue;
        double drpo = 0, dlost = 0;
        for (size_t k = 0; k < s->nfailovers; k++) {
            const mr_failover_record *fo = &s->failovers[k];
            drpo = fo->rpo_s > drpo ? fo->rpo_s : drpo;
            dlost += (double)fo->lost;
            if (fo->fault < sc->nfaults)
                take_max(&row[mr__col_fault_max_rpo(c->slo, fo->fault)], fo->rpo_s);
        }
        double v[MR_STORE_METRICS] = {
            drpo, dlost, s->reads ? (double)s->stale_reads / (double)s->reads : NAN,
            mr_hist_quantile(s->staleness_ms, 0.99), (double)s->conflicts};
        for (size_t k = 0; k < MR_STORE_METRICS; k++)
            row[mr__col_store(c, d, k)] = v[k];
        /* Reported by a store with a capacity limit only (NaN otherwise). */
        uint32_t id = mr_build_store_id(sc, d);
        row[mr__col_store_capacity(c, d, 0)] = mr_report_find_from(r, id, "capacity_failed_ratio");
        row[mr__col_store_capacity(c, d, 1)] = mr_report_find_from(r, id, "capacity_wait_ms_mean");
        rpo = drpo > rpo ? drpo : rpo;
        lost += dlost;
        conflicts += (double)s->conflicts;
        reads += (double)s->reads;
        stale += (double)s->stale_reads;
        mr_hist_merge(&all, s->staleness_ms);
    }
    row[MR_METRIC_RPO_S] = rpo;
    row[MR_METRIC_LOST_WRITES] = lost;
    row[MR_METRIC_STALE_READ_RATIO] = reads > 0 ? stale / reads : NAN;
    row[MR_METRIC_STALENESS_MS_P99] = mr_hist_quantile(&all, 0.99);
    row[MR_METRIC_WRITE_CONFLICTS] = conflicts;
    mr_hist_fini(&all);
}

void mr__metrics_row(const mr__metric_cols *c, mr_report *r, uint64_t events, double *row)
{
    system_metrics(c, r, row);
    population_metrics(c, r, row);
    episode_metrics(c, r, row);
    row[mr__col_events(c)] = (double)events;
    store_metrics(c, r, row);
    mr__tl_row(c->sc, r, row + mr__col_timeline(c));
}

const mr_hist *mr__metrics_client_rto(const mr_report *r)
{
    return mr_report_find_hist(r, "", "client_rto_s");
}

const mr_hist *mr__metrics_client_rto_censored(const mr_report *r)
{
    return mr_report_find_hist(r, "", "client_rto_censored_s");
}

void mr__metrics_view(const mr_report *r, mr_rep_view *v)
{
    v->latency_ms = mr_report_find_hist(r, "", "latency_ms");
    v->client_rto_s = mr_report_find_hist(r, "", "client_rto_s");
    v->client_rto_censored_s = mr_report_find_hist(r, "", "client_rto_censored_s");
    const mr_windows_record *w = mr_report_find_windows(r);
    if (w == NULL)
        return;
    v->window = w->width;
    v->win_total = w->total;
    v->win_ok = w->ok;
    v->nwin = w->n;
    v->sparse_w = w->sparse_w;
    v->sparse_total = w->sparse_total;
    v->sparse_ok = w->sparse_ok;
    v->nsparse = w->nsparse;
}
