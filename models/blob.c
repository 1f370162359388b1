/* models/blob.c: Blob Storage with geo-redundancy (GRS, RA-GRS, GZRS,
 * RA-GZRS): asynchronous copy to the paired region with a last-sync time,
 * customer-managed failover, stale reads from an RA secondary
 * (docs/reference.md §8). The behaviour is the single-primary store of
 * store_primary.c; this file is the kind: its keys, its limits, its price
 * and its SLA. */
#include <stdio.h>
#include <stddef.h>

#include "mrsim/error.h"
#include "store.h"

static const char *const redundancy_names[] = {
#define X(c, s) s,
    MR_PSTORE_REDUNDANCY_MAP(X)
#undef X
        NULL};

static const mr_param blob_params[] = {
    {.key = "redundancy",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_pstore_cfg, redundancy),
     .def = "grs",
     .choices = redundancy_names,
     .doc = "storage redundancy",
     .ref = "ours (docs/reference.md §8 lists them)"},
    {.key = "usd_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_pstore_cfg, usd_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e9,
     .doc = "fixed monthly price of the account (the redundancy option's price covers the "
            "copies)",
     .ref = "ours: docs/reference.md §10 prices not found"},
    MR_STORE_PRIMARY_ROWS,
    /* docs/reference.md §8 How to model Blob Storage: median of minutes, mostly under 15 min. */
    {.key = "replication.lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.lag),
     .def = "lognormal(3m, 0.6)",
     .doc = "replication lag",
     .ref = "docs/reference.md §8 Geo RPO (< 15 min typical)"},
    MR_STORE_SAMPLE_ROW(mr_pstore_cfg, base),
    MR_STORE_LATENCY_ROW(mr_pstore_cfg, latency),
    /* docs/reference.md §8: customer-managed failover. */
    {.key = "failover.mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_pstore_cfg, base.mode),
     .def = "manual",
     .choices = mr_store_failover_mode_names,
     .doc = "manual (customer) or automatic (Microsoft-managed, after the decision delay)",
     .ref = "docs/reference.md §8 Customer-managed failover"},
    MR_STORE_DECISION_ROW(mr_pstore_cfg, base),
    /* docs/reference.md §8: customer failover ~ N(60 min, sigma); sigma ours. */
    {.key = "failover.duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_pstore_cfg, base.duration),
     .def = "normal(60m, 15m)",
     .doc = "the account failover",
     .ref = "docs/reference.md §8 Customer-managed failover time (about an hour)"},
    MR_PARAM_END,
};

static int geo_redundant(const mr_pstore_cfg *cfg)
{
    return cfg->redundancy != MR_REDUNDANCY_LRS && cfg->redundancy != MR_REDUNDANCY_ZRS;
}

/* docs/reference.md §8: only geo-redundant storage keeps a copy elsewhere,
 * and then one, in the paired region. */
static int blob_check(void *vcfg, mr_param_ctx *ctx)
{
    mr_pstore_cfg *cfg = vcfg;
    char msg[200];
    /* replication.sample (deprecated) becomes replication.hold: const(sample). */
    int rc = mr__store_check_hold(&((mr_pstore_cfg *)vcfg)->base, ctx);
    int64_t replicas = cfg->base.ncopies - 1;
    if (!geo_redundant(cfg) && replicas > 0) {
        snprintf(msg, sizeof msg,
                 "%s redundancy keeps no copy in another region; use grs, ra_grs, gzrs or "
                 "ra_gzrs",
                 redundancy_names[cfg->redundancy]);
        ctx->error(ctx, "replicas", msg);
        rc = MR_ESCENARIO;
    }
    if (replicas > 1) {
        snprintf(msg, sizeof msg,
                 "geo-redundant storage has one secondary region (the paired one), found %lld "
                 "(docs/reference.md §8)",
                 (long long)replicas);
        ctx->error(ctx, "replicas", msg);
        rc = MR_ESCENARIO;
    }
    /* RA-GRS and RA-GZRS make the secondary readable (docs/reference.md §8). */
    if (cfg->redundancy == MR_REDUNDANCY_RA_GRS || cfg->redundancy == MR_REDUNDANCY_RA_GZRS)
        for (int64_t c = 1; c < cfg->base.ncopies; c++) {
            cfg->base.readable[c] = 1;
            snprintf(msg, sizeof msg, "replicas[%lld].readable", (long long)(c - 1));
            ctx->record(ctx, msg, "true");
        }
    /* A Microsoft-managed failover has no published delay: it takes the
     * decision distribution, with no grace. */
    cfg->base.grace = 0;
    return rc;
}

static int blob_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    static const mr_pstore_variant blob = {.cache = 0, .min_grace = 0};
    return mr_pstore_init(self, &blob);
}

static double blob_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    double usd = ((const mr_pstore_cfg *)vcfg)->usd_per_month;
    if (usd == 0) /* docs/reference.md §10 has no Blob price */
        ctx->unpriced(ctx, "usd_per_month");
    return usd;
}

static void blob_sla(const void *vcfg, mr_model_sla *out)
{
    *out = (mr_model_sla){.availability = 0.999,
                          .what = "Blob Storage",
                          .source = "docs/reference.md §8 write availability SLA (99.9%)",
                          .multi_region = geo_redundant(vcfg)};
}

const mr_model mr_model_blob = {
    .kind = "blob",
    .summary = "Blob Storage GRS / RA-GRS: last-sync lag, customer-managed failover, stale "
               "secondary reads",
    .params = blob_params,
    .family = "store",
    .ops = &mr_pstore_ops,
    .cfg_size = sizeof(mr_pstore_cfg),
    .state_size = sizeof(mr_pstore_state),
    .init = blob_init,
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
    .check = blob_check,
    .cost = blob_cost,
    .sla = blob_sla,
};
