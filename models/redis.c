/* models/redis.c: Azure Cache for Redis geo-replication: a cache-aside
 * cache in front of the next store a client uses, asynchronously
 * replicated, cold after a failover (docs/reference.md §7). The behaviour
 * is the single-primary store of store_primary.c; this file is the kind:
 * its keys, its limits, its price and its SLA. */
#include <stdio.h>
#include <stddef.h>

#include "mrsim/error.h"
#include "store.h"

#define S ((double)MR_S)

static const char *const geo_names[] = {
#define X(c, s) s,
    MR_PSTORE_GEO_MAP(X)
#undef X
        NULL};

static const mr_param redis_params[] = {
    {.key = "geo",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_pstore_cfg, geo),
     .def = "passive",
     .choices = geo_names,
     .doc = "passive (Premium, 2 caches) or active (Enterprise, up to 5)",
     .ref = "docs/reference.md §7"},
    /* docs/reference.md §7 gives no hit ratio: a workload value the scenario states. */
    {.key = "hit_ratio",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_pstore_cfg, hit_ratio),
     .required = true,
     .lo = 0,
     .hi = 1,
     .doc = "share of reads the warm cache serves (cache-aside in front of the next store in "
            "clients' uses)",
     .ref = "ours: workload (docs/reference.md §7 has none)"},
    /* docs/reference.md §7 "Model a hit-ratio ramp": its length is not published. */
    {.key = "warm_up",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_pstore_cfg, warm_up),
     .required = true,
     .lo = 0,
     .hi = 86400 * S,
     .doc = "after a failover or an outage the hit ratio ramps from 0 over this",
     .ref = "ours: docs/reference.md §7 How to model Redis (ramp, no figure)"},
    /* docs/reference.md §10: Redis prices not found; ours 0. */
    {.key = "usd_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_pstore_cfg, usd_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e9,
     .doc = "fixed monthly price per cache (the primary and each replica)",
     .ref = "ours: docs/reference.md §10 prices not found"},
    MR_STORE_PRIMARY_ROWS,
    /* Ours: docs/reference.md §7 "the same lag model as Cosmos DB with a small median". */
    {.key = "replication.lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.lag),
     .def = "lognormal(50ms, 0.8)",
     .doc = "replication lag",
     .ref = "ours: docs/reference.md §7 How to model Redis"},
    MR_STORE_SAMPLE_ROW(mr_pstore_cfg, base),
    MR_STORE_LATENCY_ROW(mr_pstore_cfg, latency),
    /* Ours: StackExchange.Redis's syncTimeout default, 5 s (not in
     * docs/reference.md). */
    MR_PSTORE_CAPACITY_ROWS("5s", "ours: the StackExchange.Redis syncTimeout default, 5 s (not in "
                                  "docs/reference.md)"),
    /* docs/reference.md §7 Redis: no automatic failover of passive geo-replication. */
    {.key = "failover.mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_pstore_cfg, base.mode),
     .def = "manual",
     .choices = mr_store_failover_mode_names,
     .doc = "manual (customer) or automatic",
     .ref = "docs/reference.md §7 Passive geo failover"},
    MR_STORE_DECISION_ROW(mr_pstore_cfg, base),
    /* Ours: docs/reference.md §7 says "minutes; parameter". */
    {.key = "failover.duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.duration),
     .def = "uniform(1m, 5m)",
     .doc = "unlink and repoint",
     .ref = "ours: docs/reference.md §7 (minutes)"},
    MR_PARAM_END,
};

/* docs/reference.md §7: passive geo-replication links two caches and
 * fails over only by hand; active links up to five. */
static int redis_check(void *vcfg, mr_param_ctx *ctx)
{
    const mr_pstore_cfg *cfg = vcfg;
    char msg[200];
    /* replication.sample (deprecated) becomes replication.hold: const(sample). */
    int rc = mr__store_check_hold(&((mr_pstore_cfg *)vcfg)->base, ctx);
    if (mr__pstore_check_capacity(vcfg, ctx) != MR_OK)
        rc = MR_ESCENARIO;
    if (cfg->base.mode == MR_FAILOVER_AUTOMATIC && cfg->geo == MR_GEO_PASSIVE) {
        ctx->error(ctx, "failover.mode",
                   "passive geo-replication has no automatic failover (docs/reference.md §7): "
                   "use manual");
        rc = MR_ESCENARIO;
    }
    int64_t max = cfg->geo == MR_GEO_PASSIVE ? 1 : 4;
    if (cfg->base.ncopies - 1 > max) {
        snprintf(msg, sizeof msg,
                 "%s geo-replication links at most %lld caches (docs/reference.md §7), found "
                 "%lld",
                 geo_names[cfg->geo], (long long)max + 1, (long long)cfg->base.ncopies);
        ctx->error(ctx, "replicas", msg);
        rc = MR_ESCENARIO;
    }
    return rc;
}

static int redis_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    static const mr_pstore_variant redis = {.cache = 1, .min_grace = 0};
    return mr_pstore_init(self, &redis);
}

static double redis_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    const mr_pstore_cfg *cfg = vcfg;
    if (cfg->usd_per_month == 0) /* docs/reference.md §10: no price found */
        ctx->unpriced(ctx, "usd_per_month");
    return cfg->usd_per_month * (double)cfg->base.ncopies;
}

static void redis_sla(const void *vcfg, mr_model_sla *out)
{
    const mr_pstore_cfg *cfg = vcfg;
    int active = cfg->geo == MR_GEO_ACTIVE;
    *out = (mr_model_sla){
        .availability = active ? 0.9999 : 0.999,
        .what = active ? "Redis Enterprise" : "Redis Premium",
        .source = active ? "docs/reference.md §7 SLA (zone redundancy, Enterprise 99.99%)"
                         : "docs/reference.md §7 SLA (standard replication 99.9%)",
        .multi_region = cfg->base.ncopies > 1};
}

const mr_model mr_model_redis = {
    .kind = "redis",
    .summary = "Azure Cache for Redis: cache-aside in front of a store of record, geo-replicated, "
               "cold after failover",
    .params = redis_params,
    .family = "store",
    .ops = &mr_pstore_ops,
    .cfg_size = sizeof(mr_pstore_cfg),
    .state_size = sizeof(mr_pstore_state),
    .init = redis_init,
    .link = mr_pstore_link,
    .start = mr_pstore_start,
    .handle = mr_pstore_handle,
    .report = mr_pstore_report,
    .status = mr_pstore_status,
    .series = mr_store_series,
    .sample = mr_store_sample,
    .event_name = mr_pstore_event_name,
    .event_detail = mr_pstore_event_detail,
    .fini = mr_pstore_fini,
    .check = redis_check,
    .cost = redis_cost,
    .sla = redis_sla,
};
