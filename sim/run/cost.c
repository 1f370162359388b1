/* sim/run/cost.c: cost_usd_month of one replication, by item (cost.h has
 * the scalars it reads and why the whole horizon counts). Prices are the
 * scenario's `cost:` keys, whose defaults cite docs/reference.md §10; this file
 * holds no price of its own. Called once per replication, after the run:
 * string work here is outside the event loop. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/cost.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/simtime.h"


static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The sum of metric over the components whose name starts with prefix
 * (every component but the whole system "" for prefix ""). */
static double sum_scalars(const mr_report *r, const char *prefix, const char *metric)
{
    double sum = 0, v;
    const char *comp, *m;
    for (size_t i = 0; mr_report_get(r, i, &comp, &m, &v); i++)
        if (comp[0] != '\0' && has_prefix(comp, prefix) && strcmp(m, metric) == 0)
            sum += v;
    return sum;
}

static double nodes_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    double usd = 0;
    char name[192];
    for (size_t i = 0; i < sc->nclusters; i++) {
        snprintf(name, sizeof name, "clusters/%s", sc->clusters[i].name);
        /* NaN when a cluster did not say: a missing integral is no zero. */
        usd += mr_report_find(r, name, "node_hours") * sc->clusters[i].nodes.usd_per_hour;
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
    mr_cost_ctx ctx = {.report = r,
                       .name = "traffic",
                       .scale = scale,
                       .queries_month = sum_scalars(r, "resolvers/", "refreshes") * scale,
                       .price = price_of,
                       .prices = sc};
    return m->cost(sc->traffic.cfg, &ctx);
}

static double transfer_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    /* GB as Azure bills bandwidth: 10^9 bytes. No store: nothing replicates, 0. */
    double bytes = sum_scalars(r, "data/", "replicated_bytes");
    return bytes / 1e9 * sc->cost.egress_per_gb * scale;
}

static double price_of(const mr_cost_ctx *ctx, const char *key)
{
    return mr_scenario_price(ctx->prices, key);
}

/* The monthly price of one store, as its kind gives it (mr_model.cost);
 * NaN for a kind with none. */
static double store_month(const mr_scenario *sc, const mr_sc_datastore *d, const mr_report *r,
                          double scale)
{
    if (d->model == NULL || d->model->cost == NULL)
        return NAN;
    char name[192];
    snprintf(name, sizeof name, "data/%s", d->name);
    mr_cost_ctx ctx = {.report = r, .name = name, .scale = scale, .price = price_of, .prices = sc};
    return d->model->cost(d->cfg, &ctx);
}

static double datastores_item(const mr_scenario *sc, const mr_report *r, double scale)
{
    /* A store model's own figure wins over the scenario's prices, so a
     * store is never billed twice. */
    double usd = sum_scalars(r, "", "cost_usd_month");
    char name[192];
    for (size_t i = 0; i < sc->ndatastores; i++) {
        snprintf(name, sizeof name, "data/%s", sc->datastores[i].name);
        if (isnan(mr_report_find(r, name, "cost_usd_month")))
            usd += store_month(sc, &sc->datastores[i], r, scale);
    }
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
