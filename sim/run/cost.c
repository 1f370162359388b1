/* sim/run/cost.c: cost_usd_month of one replication, by item (cost.h has
 * the scalars it reads and why the whole horizon counts). Prices are the
 * scenario's `cost:` keys, whose defaults cite docs/reference.md §10; this file
 * holds no price of its own. Called once per replication, after the run:
 * string work here is outside the event loop. */
#include <math.h>
#include <string.h>

#include "run/build.h"
#include "run/cost.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/simtime.h"


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

static double nodes_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    double usd = 0;
    for (size_t i = 0; i < sc->nclusters; i++) {
        /* NaN when a cluster did not say: a missing integral is no zero. */
        double h = mr_report_find_from(r, mr_build_cluster_id(sc, i), "node_hours");
        usd += h * sc->clusters[i].nodes.usd_per_hour;
    }
    return usd * scale;
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

/* The traffic layer's monthly price, as its kind gives it (mr_model.cost). */
static double traffic_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    const mr_model *m = sc->traffic.model;
    if (m == NULL || m->cost == NULL)
        return NAN;
    /* The resolvers' refreshes are the queries that reach the authority;
     * clients' runtime caches and the resolvers' own caches absorb the rest
     * (docs/reference.md §10 "How to model costs": lookups / cache hit rate). */
    double refreshes = 0;
    for (size_t i = 0; i < sc->nresolvers; i++)
        refreshes += sum_from(r, mr_build_resolver_id(sc, i), "refreshes");
    mr_cost_ctx ctx = {.report = r,
                       .source = mr_build_traffic_id(sc),
                       .scale = scale,
                       .queries_month = refreshes * scale,
                       .price = price_of,
                       .prices = sc};
    return m->cost(sc->traffic.cfg, &ctx);
}

static double transfer_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    /* GB as Azure bills bandwidth: 10^9 bytes. No store: nothing replicates, 0. */
    double bytes = 0;
    for (size_t i = 0; i < sc->ndatastores; i++)
        bytes += sum_from(r, mr_build_store_id(sc, i), "replicated_bytes");
    return bytes / 1e9 * sc->cost.egress_per_gb * scale;
}

static double price_of(const mr_cost_ctx *ctx, const char *key)
{
    return mr_scenario_price(ctx->prices, key);
}

/* The monthly price of one store, as its kind gives it (mr_model.cost);
 * NaN for a kind with none. */
static double store_month(const mr_scenario *sc, size_t i, const mr_report *r, double scale)
{
    const mr_sc_datastore *d = &sc->datastores[i];
    if (d->model == NULL || d->model->cost == NULL)
        return NAN;
    mr_cost_ctx ctx = {.report = r,
                       .source = mr_build_store_id(sc, i),
                       .scale = scale,
                       .price = price_of,
                       .prices = sc};
    return d->model->cost(d->cfg, &ctx);
}

static double datastores_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    /* Every component's own figure (not the runner's whole-system entry,
     * which has no source: it is the metric itself). */
    double usd = 0, v;
    const char *comp, *m;
    for (size_t i = 0; mr_report_get(r, i, &comp, &m, &v); i++)
        if (mr_report_source(r, i) != MR_REPORT_NO_SOURCE && strcmp(m, "cost_usd_month") == 0)
            usd += v;
    /* A store model's own figure wins over the scenario's prices, so a
     * store is never billed twice. */
    for (size_t i = 0; i < sc->ndatastores; i++)
        if (isnan(mr_report_find_from(r, mr_build_store_id(sc, i), "cost_usd_month")))
            usd += store_month(sc, i, r, scale);
    return usd;
}

double mr_cost_month(const mr_scenario *sc, const mr_report *r, double items[MR_COST_ITEM_COUNT])
{
    double horizon_h = mr_time_to_s(sc->run.horizon) / 3600.0;
    double scale = horizon_h > 0 ? sc->cost.hours_per_month / horizon_h : NAN;
    items[MR_COST_NODES] = nodes_item(sc, r, scale);
    items[MR_COST_CLUSTER_FEES] = cluster_fees_item(sc);
    items[MR_COST_TRAFFIC] = traffic_item(sc, r, scale);
    items[MR_COST_TRANSFER] = transfer_item(sc, r, scale);
    items[MR_COST_DATASTORES] = datastores_item(sc, r, scale);
    double total = 0;
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        total += items[i];
    return total;
}
