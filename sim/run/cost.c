/* sim/run/cost.c: the run rate (cost_usd_month) and the incident cost
 * (incident_cost_usd) of one replication, by item, and the items nobody
 * priced (cost.h has the scalars it reads and why). Prices are the
 * scenario's `cost:` keys, whose defaults cite docs/reference.md §10; this
 * file holds no price of its own. Called once per replication, after the
 * run: string work here is outside the event loop. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/build.h"
#include "run/cost.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/simtime.h"

/* What one replication's items are computed from. */
typedef struct usage {
    const mr_scenario *sc;
    const mr_report *r;
    double normal_h;   /* hours with no fault in force */
    double scale;      /* normal-time usage -> a month */
    mr_cost_unpriced *unpriced; /* NULL: not collected */
} usage;

static double nodes_item(const usage *u, double *incident);
static double node_rate(const mr_scenario *sc, const mr_report *r, uint32_t id);
static double incident_of(const mr_report *r, uint32_t id, double rate, double price,
                          const char *hours, const char *node_hours);
static double cluster_fees_item(const mr_scenario *sc);
static double traffic_item(const usage *u);
static double transfer_item(const usage *u);
static double datastores_item(const usage *u);
static double sum_from(const mr_report *r, uint32_t source, const char *metric);
static void note(mr_cost_unpriced *up, const char *fmt, const char *a, const char *b);

double mr_cost_month(const mr_scenario *sc, const mr_report *r, double items[MR_COST_ITEM_COUNT],
                     double *incident_usd, mr_cost_unpriced *unpriced)
{
    double horizon_h = mr_time_to_s(sc->run.horizon) / 3600.0;
    uint32_t faults = mr_build_faults_id(sc);
    usage u = {.sc = sc,
               .r = r,
               .normal_h = mr_report_find_from(r, faults, "normal_hours"),
               .unpriced = unpriced};
    if (isnan(u.normal_h)) /* no injector: all of it is normal */
        u.normal_h = horizon_h;
    u.scale = u.normal_h > 0 ? sc->cost.hours_per_month / u.normal_h : NAN;
    double incident = 0;
    items[MR_COST_NODES] = nodes_item(&u, &incident);
    items[MR_COST_CLUSTER_FEES] = cluster_fees_item(sc);
    items[MR_COST_TRAFFIC] = traffic_item(&u);
    items[MR_COST_TRANSFER] = transfer_item(&u);
    items[MR_COST_DATASTORES] = datastores_item(&u);
    double total = 0;
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        total += items[i];
    if (incident_usd != NULL)
        *incident_usd = incident;
    return total;
}

void mr_cost_unpriced_list(const mr_scenario *sc, mr_cost_unpriced *out)
{
    /* What is unpriced is the scenario's, not a replication's: price an
     * empty report and keep what was asked for and found at 0. */
    memset(out, 0, sizeof *out);
    mr_report *r = mr_report_new();
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(sc, r, items, NULL, out);
    mr_report_free(r);
}

/* ---- the items ---- */

/* Nodes: a cluster's run rate is the nodes it held while settled in
 * normal time (models/cluster.c "settle"), per hour; its incident cost,
 * the node-hours beyond that rate from the first fault's start on while
 * it was not. A cluster that never settled in normal time (a fault in
 * force all along) is billed at its mean over the run. */
static double nodes_item(const usage *u, double *incident)
{
    const mr_scenario *sc = u->sc;
    double usd = 0;
    for (size_t i = 0; i < sc->nclusters; i++) {
        uint32_t id = mr_build_cluster_id(sc, i);
        double price = sc->clusters[i].nodes.usd_per_hour;
        if (price == 0)
            note(u->unpriced, "clusters[%s].nodes.usd_per_hour", sc->clusters[i].name, NULL);
        double rate = node_rate(sc, u->r, id);
        usd += rate * price * sc->cost.hours_per_month;
        *incident += incident_of(u->r, id, rate, price, "incident_hours", "incident_node_hours");
    }
    return usd;
}

void mr_cost_incident_by_fault(const mr_scenario *sc, const mr_report *r, double *per_fault)
{
    uint32_t faults = mr_build_faults_id(sc);
    char hours[48], node_hours[48], started[32];
    for (size_t f = 0; f < sc->nfaults; f++) {
        snprintf(started, sizeof started, "started[%zu]", f);
        double episodes = mr_report_find_from(r, faults, started);
        if (!(episodes > 0)) {
            per_fault[f] = NAN;
            continue;
        }
        snprintf(hours, sizeof hours, "incident_hours[%zu]", f);
        snprintf(node_hours, sizeof node_hours, "incident_node_hours[%zu]", f);
        double usd = 0;
        for (size_t i = 0; i < sc->nclusters; i++) {
            uint32_t id = mr_build_cluster_id(sc, i);
            usd += incident_of(r, id, node_rate(sc, r, id), sc->clusters[i].nodes.usd_per_hour,
                               hours, node_hours);
        }
        per_fault[f] = usd / episodes;
    }
}

/* A cluster's run-rate level of nodes: what it held while settled in
 * normal time, or its mean over the run when it never settled (NaN when
 * it did not say: a missing integral is no zero). */
static double node_rate(const mr_scenario *sc, const mr_report *r, uint32_t id)
{
    double run_h = mr_report_find_from(r, id, "run_hours");
    return run_h > 0 ? mr_report_find_from(r, id, "run_node_hours") / run_h
                     : mr_report_find_from(r, id, "node_hours") /
                           (mr_time_to_s(sc->run.horizon) / 3600.0);
}

/* What a cluster's nodes beyond its run rate cost over the incident time
 * the two metrics name (all of it, or one fault's share). */
static double incident_of(const mr_report *r, uint32_t id, double rate, double price,
                          const char *hours, const char *node_hours)
{
    double inc_h = mr_report_find_from(r, id, hours);
    double inc_nh = mr_report_find_from(r, id, node_hours);
    /* A cluster that held its normal nodes through the incidents adds
     * nothing: not a rounding error's worth either. */
    double extra = inc_nh - rate * inc_h;
    return inc_h > 0 && fabs(extra) > 1e-9 * inc_nh ? extra * price : 0;
}

static double cluster_fees_item(const mr_scenario *sc)
{
    const mr_sc_cost *c = &sc->cost;
    if (c->aks_tier == MR_AKS_TIER_FREE)
        return 0;
    /* A fee per cluster-hour whatever the cluster does: constant per month. */
    return (double)sc->nclusters * c->aks_standard_per_hour * c->hours_per_month;
}

static double price_of(const mr_cost_ctx *ctx, const char *key);
static void unpriced_of(const mr_cost_ctx *ctx, const char *what);

/* The traffic layer's monthly price, as its kind gives it (mr_model.cost),
 * from its usage in normal time. */
static double traffic_item(const usage *u)
{
    const mr_scenario *sc = u->sc;
    const mr_model *m = sc->traffic.model;
    if (m == NULL || m->cost == NULL)
        return NAN;
    /* The resolvers' refreshes are the queries that reach the authority;
     * clients' runtime caches and the resolvers' own caches absorb the rest
     * (docs/reference.md §10 "How to model costs": lookups / cache hit rate). */
    double refreshes = 0, requests = 0;
    for (size_t i = 0; i < sc->nresolvers; i++)
        refreshes += sum_from(u->r, mr_build_resolver_id(sc, i), "refreshes_normal");
    for (size_t p = 0; p < sc->nclients; p++)
        requests += sum_from(u->r, mr_build_population_id(sc, p), "requests_normal");
    mr_cost_ctx ctx = {.report = u->r,
                       .source = mr_build_traffic_id(sc),
                       .scale = u->scale,
                       .queries_month = refreshes * u->scale,
                       .requests_month = requests * u->scale,
                       .price = price_of,
                       .unpriced = unpriced_of,
                       .what = "traffic",
                       .prices = sc,
                       .collect = u->unpriced};
    return m->cost(sc->traffic.cfg, &ctx);
}

static double transfer_item(const usage *u)
{
    const mr_scenario *sc = u->sc;
    /* GB as Azure bills bandwidth: 10^9 bytes. No store: nothing replicates, 0. */
    double bytes = 0;
    for (size_t i = 0; i < sc->ndatastores; i++)
        bytes += sum_from(u->r, mr_build_store_id(sc, i), "replicated_bytes_normal");
    if (sc->ndatastores > 0 && sc->cost.egress_per_gb == 0)
        note(u->unpriced, "cost.egress_per_gb", NULL, NULL);
    return bytes / 1e9 * sc->cost.egress_per_gb * u->scale;
}

/* The monthly price of one store, as its kind gives it (mr_model.cost);
 * NaN for a kind with none. */
static double store_month(const usage *u, size_t i)
{
    const mr_sc_datastore *d = &u->sc->datastores[i];
    if (d->model == NULL || d->model->cost == NULL)
        return NAN;
    char what[160];
    snprintf(what, sizeof what, "datastores[%s]", d->name);
    mr_cost_ctx ctx = {.report = u->r,
                       .source = mr_build_store_id(u->sc, i),
                       .scale = u->scale,
                       .price = price_of,
                       .unpriced = unpriced_of,
                       .what = what,
                       .prices = u->sc,
                       .collect = u->unpriced};
    return d->model->cost(d->cfg, &ctx);
}

static double datastores_item(const usage *u)
{
    const mr_scenario *sc = u->sc;
    /* Every component's own figure (not the runner's whole-system entry,
     * which has no source: it is the metric itself). */
    double usd = 0, v;
    const char *comp, *m;
    for (size_t i = 0; mr_report_get(u->r, i, &comp, &m, &v); i++)
        if (mr_report_source(u->r, i) != MR_REPORT_NO_SOURCE && strcmp(m, "cost_usd_month") == 0)
            usd += v;
    /* A store model's own figure wins over the scenario's prices, so a
     * store is never billed twice. */
    for (size_t i = 0; i < sc->ndatastores; i++)
        if (isnan(mr_report_find_from(u->r, mr_build_store_id(sc, i), "cost_usd_month")))
            usd += store_month(u, i);
    return usd;
}

/* ---- helpers ---- */

/* The sum of metric over the entries component id source added; absent: 0. */
static double sum_from(const mr_report *r, uint32_t source, const char *metric)
{
    double sum = 0, v;
    const char *comp, *m;
    for (size_t i = 0; mr_report_get(r, i, &comp, &m, &v); i++)
        if (mr_report_source(r, i) == source && strcmp(m, metric) == 0)
            sum += v;
    return sum;
}

/* A price a kind asks for and finds at 0 is one nobody published (or the
 * user left out): listed, so a comparison never looks cheaper by omission. */
static double price_of(const mr_cost_ctx *ctx, const char *key)
{
    double v = mr_scenario_price(ctx->prices, key);
    if (v == 0 && mr_scenario_price_is_amount(key))
        note(ctx->collect, "cost.%s", key, NULL);
    return v;
}

static void unpriced_of(const mr_cost_ctx *ctx, const char *what)
{
    note(ctx->collect, "%s.%s", ctx->what, what);
}

/* Adds the item fmt names (at most two %s) to up once. */
static void note(mr_cost_unpriced *up, const char *fmt, const char *a, const char *b)
{
    if (up == NULL)
        return;
    char item[MR_COST_UNPRICED_LEN];
    snprintf(item, sizeof item, fmt, a, b);
    for (size_t i = 0; i < up->n; i++)
        if (strcmp(up->item[i], item) == 0)
            return;
    if (up->n < MR_COST_UNPRICED_MAX)
        snprintf(up->item[up->n++], sizeof up->item[0], "%s", item);
}
