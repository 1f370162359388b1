/* models/sql.c: an Azure SQL failover group: a primary, geo-secondaries,
 * the listener clients reach it through, automatic (after the grace
 * period) or manual failover. The behaviour is the single-primary store of
 * store_primary.c; this file is the kind: its keys, its limits, its price
 * and its SLA (docs/reference.md §5). */
#include <stdio.h>
#include <stddef.h>

#include "mrsim/error.h"
#include "store.h"

#define S ((double)MR_S)
#define H ((double)MR_H)

/* docs/reference.md §5 "Automatic failover activation": at least 1 hour. */
#define SQL_MIN_GRACE MR_H

static const mr_param sql_params[] = {
    /* docs/reference.md §5 Client redirection: listener TTL 30 s (third parties; unverified). */
    {.key = "listener_ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_pstore_cfg, route_ttl),
     .def = "30s",
     .lo = 0,
     .hi = 86400 * S,
     .doc = "TTL of the failover-group listener CNAME",
     .ref = "docs/reference.md §5 Client redirection (30 s, unverified)"},
    /* docs/reference.md §10: SQL prices not found; ours 0. */
    {.key = "usd_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_pstore_cfg, usd_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e9,
     .doc = "fixed monthly price per copy (the primary and each replica: a geo-secondary is "
            "billed as a database)",
     .ref = "ours: docs/reference.md §10 prices not found"},
    MR_STORE_PRIMARY_ROWS,
    /* docs/reference.md §5 "How to model Azure SQL": lognormal, median ~1 s, p99 <= 5 s
     * (sigma = ln 5 / 2.326). */
    {.key = "replication.lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.lag),
     .def = "lognormal(1s, 0.69)",
     .doc = "replication lag",
     .ref = "docs/reference.md §5 How to model Azure SQL (median 1 s, p99 5 s)"},
    MR_STORE_SAMPLE_ROW(mr_pstore_cfg, base),
    MR_STORE_LATENCY_ROW(mr_pstore_cfg, latency),
    /* Ours: the .NET SqlCommand.CommandTimeout default, 30 s (not in
     * docs/reference.md). */
    MR_PSTORE_CAPACITY_ROWS("30s", "ours: the .NET SqlCommand.CommandTimeout default, 30 s (not "
                                   "in docs/reference.md)"),
    /* docs/reference.md §5 failover groups fail over automatically after the grace period. */
    {.key = "failover.mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_pstore_cfg, base.mode),
     .def = "automatic",
     .choices = mr_store_failover_mode_names,
     .doc = "automatic (failover group) or manual",
     .ref = "docs/reference.md §5 failover group"},
    /* docs/reference.md §5 GracePeriodWithDataLossHours: default 1 h, cannot be below 1 h. */
    {.key = "failover.grace",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_pstore_cfg, base.grace),
     .def = "1h",
     .lo = H,
     .hi = 10000 * H,
     .doc = "automatic mode: wait before failing over with data loss",
     .ref = "docs/reference.md §5 Failover group grace period"},
    MR_STORE_DECISION_ROW(mr_pstore_cfg, base),
    /* docs/reference.md §5 Manual database failover (forced): RTO 30 s. */
    {.key = "failover.duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.duration),
     .def = "30s",
     .doc = "the switch itself",
     .ref = "docs/reference.md §5 RTO/RPO table (forced failover 30 s)"},
    MR_PARAM_END,
};

/* A failover group (automatic mode) has one secondary; active
 * geo-replication (manual) up to four (docs/reference.md §5). */
static int sql_check(void *vcfg, mr_param_ctx *ctx)
{
    const mr_pstore_cfg *cfg = vcfg;
    int64_t replicas = cfg->base.ncopies - 1;
    char msg[200];
    /* replication.sample (deprecated) becomes replication.hold: const(sample). */
    int rc = mr__store_check_hold(&((mr_pstore_cfg *)vcfg)->base, ctx);
    if (mr__pstore_check_capacity(vcfg, ctx) != MR_OK)
        rc = MR_ESCENARIO;
    if (cfg->base.mode == MR_FAILOVER_AUTOMATIC && replicas > 1) {
        snprintf(msg, sizeof msg,
                 "a failover group (automatic mode) has one secondary, found %lld "
                 "(docs/reference.md §5); use failover.mode: manual for active geo-replication",
                 (long long)replicas);
        ctx->error(ctx, "replicas", msg);
        rc = MR_ESCENARIO;
    }
    if (replicas > 4) {
        snprintf(msg, sizeof msg, "at most 4 geo-secondaries (docs/reference.md §5), found %lld",
                 (long long)replicas);
        ctx->error(ctx, "replicas", msg);
        rc = MR_ESCENARIO;
    }
    return rc;
}

static int sql_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    static const mr_pstore_variant sql = {.cache = 0, .min_grace = SQL_MIN_GRACE};
    return mr_pstore_init(self, &sql);
}

/* docs/reference.md §10: a SQL geo-secondary is billed as a database. */
static double sql_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    const mr_pstore_cfg *cfg = vcfg;
    if (cfg->usd_per_month == 0) /* docs/reference.md §10: no price found */
        ctx->unpriced(ctx, "usd_per_month");
    return cfg->usd_per_month * (double)cfg->base.ncopies;
}

static void sql_sla(const void *vcfg, mr_model_sla *out)
{
    const mr_pstore_cfg *cfg = vcfg;
    *out = (mr_model_sla){.availability = 0.9999,
                          .what = "Azure SQL",
                          .source = "docs/reference.md §5 Availability SLA (99.99%)",
                          .multi_region = cfg->base.ncopies > 1};
}

const mr_model mr_model_sql = {
    .kind = "sql",
    .summary = "Azure SQL failover group: primary, geo-secondaries, listener, automatic or manual "
               "failover",
    .params = sql_params,
    .family = "store",
    .ops = &mr_pstore_ops,
    .cfg_size = sizeof(mr_pstore_cfg),
    .state_size = sizeof(mr_pstore_state),
    .init = sql_init,
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
    .check = sql_check,
    .cost = sql_cost,
    .sla = sql_sla,
};
