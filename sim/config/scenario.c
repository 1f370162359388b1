/* sim/config/scenario.c: mr_scenario_load and the top of the binder: the
 * root keys, run, regions, rtt, slo, cost, labels, variants and sweep, and
 * the registry of every key table (mr__sections) the format reference
 * mirrors. The other sections live in sc_*.c; the checks across sections in
 * validate.c.
 *
 * Order of binding: names of every named section are collected first, so a
 * reference may point forward (a dependency's used_by names clusters declared
 * below it); then sections bind in an order where what a section reads is
 * already bound (regions before clusters, clusters before traffic, ...).
 * Invariant: binding never stops at a problem; mr_scenario_load returns a
 * scenario only when the diagnostic list did not grow. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

_Static_assert(sizeof(mr_role) == sizeof(int), "enums are bound as int");


/* ---- Key tables ---------------------------------------------------------------- */

#define H ((double)MR_H)
#define S ((double)MR_S)
#define MS ((double)MR_MS)
#define NEVER 9.3e18

const mr_param mr__root_keys[] = {
    {.key = "version",
     .type = MR_PARAM_T_CODE,
     .type_doc = "text",
     .doc = "format version; only mrsim/v1",
     .ref = "ours"},
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .doc = "scenario name; the file's base name when absent",
     .ref = "ours"},
    {.key = "description",
     .type = MR_PARAM_T_CODE,
     .type_doc = "text",
     .doc = "free text",
     .ref = "ours"},
    {.key = "labels",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map of text",
     .doc = "free key/value labels",
     .ref = "ours"},
    /* Ours: a simulation setting with no Azure figure. */
    {.key = "seed",
     .type = MR_PARAM_T_CODE,
     .type_doc = "integer in [0, 2^64)",
     .def = "1",
     .doc = "seed of every random stream",
     .ref = "ours (simulation setting)"},
    {.key = "run",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "how to run: horizon, warmup, replications, fidelity",
     .ref = "ours"},
    {.key = "regions",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .required = true,
     .doc = "Azure regions; at least one",
     .ref = "-"},
    {.key = "rtt",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "round-trip times between regions",
     .ref = "ours"},
    {.key = "dependencies",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "shared, common-mode dependencies",
     .ref = "-"},
    {.key = "clusters",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .required = true,
     .doc = "AKS clusters; at least one",
     .ref = "-"},
    {.key = "traffic",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .required = true,
     .doc = "the global traffic layer",
     .ref = "-"},
    {.key = "resolvers",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "recursive DNS resolver populations; one named 'default' when absent",
     .ref = "docs/reference.md §4"},
    {.key = "clients",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .required = true,
     .doc = "client populations; at least one",
     .ref = "-"},
    {.key = "datastores",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "geo-replicated data stores",
     .ref = "-"},
    {.key = "faults",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "what goes wrong, and when",
     .ref = "-"},
    {.key = "failover",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "what the topology does on a failure, and who decides",
     .ref = "-"},
    {.key = "slo", .type = MR_PARAM_T_CODE, .type_doc = "map", .doc = "what good means", .ref = "ours"},
    {.key = "cost",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "cost settings",
     .ref = "docs/reference.md §10"},
    {.key = "stamps",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "deployment stamps",
     .ref = "-"},
    {.key = "analyze",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "settings of mrsim analyze (composite availability)",
     .ref = "-"},
    {.key = "variants",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps",
     .doc = "named sets of overrides, for compare",
     .ref = "-"},
    {.key = "sweep",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map of path to sequence",
     .doc = "values to sweep, one run each (cross product)",
     .ref = "-"},
    {.key = "recommend",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "a design space, objectives and what to minimise, for mrsim recommend",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__run_keys[] = {
    /* Ours: simulation settings with no Azure figure. */
    {.key = "horizon",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_run, horizon),
     .def = "1h",
     .lo = S,
     /* The SLO collector's bound (models/slo.c): a longer history is
      * better had as more replications. */
     .hi = 100 * MR_YEAR,
     .doc = "simulated time of each replication",
     .ref = "ours (simulation setting)"},
    {.key = "warmup",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_run, warmup),
     .def = "0s",
     .lo = 0,
     .hi = NEVER,
     .doc = "initial time that metrics ignore; shorter than horizon",
     .ref = "ours (simulation setting)"},
    {.key = "replications",
     .type = MR_PARAM_T_CODE,
     .type_doc = "integer in [1, 1000000], or a map {min, max, until}",
     .def = "30",
     .doc = "independent replications, or adaptive: stop once a metric's CI is narrow enough",
     .ref = "ours (simulation setting)"},
    {.key = "fidelity",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_run, fidelity),
     .def = "request",
     .choices = mr_fidelity_names,
     .doc = "request: one event per request; aggregate: flows",
     .ref = "ours (simulation setting)"},
    MR_PARAM_END};

const mr_param mr__adaptive_keys[] = {{.key = "min",
                                      .type = MR_PARAM_T_INT,
                                      .off = offsetof(mr_sc_run, rep_min),
                                      .def = "10",
                                      .lo = 1,
                                      .hi = 1000000,
                                      .doc = "replications before the first check",
                                      .ref = "ours (simulation setting)"},
                                     {.key = "max",
                                      .type = MR_PARAM_T_INT,
                                      .off = offsetof(mr_sc_run, rep_max),
                                      .def = "1000",
                                      .lo = 1,
                                      .hi = 1000000,
                                      .doc = "replications at most",
                                      .ref = "ours (simulation setting)"},
                                     {.key = "until",
                                      .type = MR_PARAM_T_CODE,
                                      .type_doc = "map {metric, rel_ci_half_width}",
                                      .required = true,
                                      .doc = "the stopping rule",
                                      .ref = "ours"},
                                     MR_PARAM_END};

const mr_param mr__until_keys[] = {
    {.key = "metric",
     .type = MR_PARAM_T_CODE,
     .type_doc = "metric name of docs/cli.md",
     .required = true,
     .doc = "the metric whose CI decides (rto_s, availability, ...)",
     .ref = "docs/cli.md"},
    {.key = "rel_ci_half_width",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_run, until_rel_ci_half_width),
     .def = "0.05",
     .lo = 1e-9,
     .hi = 1,
     .doc = "stop when the 95% CI half-width is within this share of the mean",
     .ref = "ours (simulation setting)"},
    MR_PARAM_END};

const mr_param mr__region_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "Azure region name, e.g. westeurope",
     .ref = "-"},
    /* docs/reference.md §11 "Zonal": the worked example spreads over 3 AZs. */
    {.key = "zones",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_region, zones),
     .def = "3",
     .lo = 0,
     .hi = 3,
     .doc = "availability zones; 0 for a region without zones",
     .ref = "docs/reference.md §11 Zonal (3 AZs)"},
    MR_PARAM_END};

typedef struct rtt_defaults {
    mr_time def, local;
} rtt_defaults;

const mr_param mr__rtt_keys[] = {
    /* Ours: docs/reference.md gives no inter-region round-trip times. */
    {.key = "default",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(rtt_defaults, def),
     .def = "80ms",
     .lo = 0,
     .hi = 10 * S,
     .doc = "round trip between regions not listed",
     .ref = "ours (no docs/reference.md figure)"},
    {.key = "local",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(rtt_defaults, local),
     .def = "1ms",
     .lo = 0,
     .hi = 10 * S,
     .doc = "round trip within a region",
     .ref = "ours (no docs/reference.md figure)"},
    {.key = "A-B",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration in [0s, 10s]",
     .doc = "round trip between regions A and B (both ways)",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__slo_keys[] = {
    /* Ours: SLO evaluation settings; no Azure figure. */
    {.key = "window",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_slo, window),
     .def = "10s",
     .lo = MS,
     .hi = 24 * H,
     .doc = "length of an SLO window",
     .ref = "ours (docs/scenario-format.md)"},
    {.key = "success_target",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_slo, success_target),
     .def = "0.99",
     .lo = 0,
     .hi = 1,
     .doc = "a window meets the target at this success ratio",
     .ref = "ours"},
    {.key = "stable_for",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_slo, stable_for),
     .def = "60s",
     .lo = 0,
     .hi = 24 * H,
     .doc = "recovery counts once windows meet the target this long",
     .ref = "ours (docs/scenario-format.md)"},
    {.key = "confidence",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_slo, confidence),
     .def = "0.95",
     .lo = 0,
     .hi = 1,
     .doc = "a target is met when this share of replications meets it",
     .ref = "ours"},
    {.key = "targets",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {availability, rto, rpo, latency_p99}",
     .doc = "targets checked by --check-slo; absent ones are not checked",
     .ref = "-"},
    {.key = "steady_state",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {availability, rto, rpo, latency_p99}",
     .doc = "targets checked on the warm-up, without faults",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__slo_target_keys[] = {
    {.key = "availability",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_slo_targets, availability),
     .lo = 0,
     .hi = 1,
     .doc = "success ratio over the run; NaN (unchecked) when absent",
     .ref = "-"},
    {.key = "rto",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_slo_targets, rto),
     .lo = 0,
     .hi = NEVER,
     .doc = "recovery time; -1 (unchecked) when absent",
     .ref = "-"},
    {.key = "rpo",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_slo_targets, rpo),
     .lo = 0,
     .hi = NEVER,
     .doc = "data loss window; -1 (unchecked) when absent",
     .ref = "-"},
    {.key = "latency_p99",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_slo_targets, latency_p99),
     .lo = 0,
     .hi = NEVER,
     .doc = "99th percentile latency; -1 (unchecked) when absent",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__cost_keys[] = {
    {.key = "currency",
     .type = MR_PARAM_T_TEXT,
     .off = offsetof(mr_sc_cost, currency),
     .def = "USD",
     .doc = "currency of every amount",
     .ref = "ours (docs/reference.md §10 is in USD)"},
    /* docs/reference.md §10 AKS Standard tier fee: "$73/month at 730 h". */
    {.key = "hours_per_month",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_sc_cost, hours_per_month),
     .def = "730",
     .lo = 1,
     .hi = 744,
     .doc = "hours in a billing month",
     .ref = "docs/reference.md §10 AKS cluster fee (730 h)"},
    /* docs/reference.md §10 inter-region data transfer: ~$0.02/GB within a continent. */
    {.key = "egress_per_gb",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, egress_per_gb),
     .def = "0.02",
     .lo = 0,
     .hi = 100,
     .doc = "inter-region transfer per GB",
     .ref = "docs/reference.md §10 inter-region data transfer"},
    {.key = "bytes_per_write",
     .type = MR_PARAM_T_SIZE,
     .off = offsetof(mr_sc_cost, bytes_per_write),
     .def = "2KiB",
     .lo = 0,
     .hi = 1e12,
     .doc = "replicated bytes per write, for the transfer cost of geo-replication",
     .ref = "ours (docs/scenario-format.md example)"},
    /* Standard by default: docs/reference.md §9 gives the API server SLA (99.95%
     * with zones) only for Standard; Free has none, an SLO of 99.5% and is
     * meant for non-production, which a multi-region HA design is not. */
    {.key = "aks_tier",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_cost, aks_tier),
     .def = "standard",
     .choices = mr_aks_tier_names,
     .doc = "AKS pricing tier of every cluster; free has no cluster fee (and no SLA)",
     .ref = "docs/reference.md §9 API server SLA, §10 AKS Standard tier cluster fee"},
    /* docs/reference.md §10 AKS Standard tier cluster fee: $0.10 per cluster-hour. */
    {.key = "aks_standard_per_hour",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, aks_standard_per_hour),
     .def = "0.10",
     .lo = 0,
     .hi = 1000,
     .doc = "Standard tier fee per cluster-hour",
     .ref = "docs/reference.md §10 AKS Standard tier cluster fee ($0.10/cluster-hour)"},
    /* docs/reference.md §10 Traffic Manager DNS queries: ~$0.54 per million. */
    {.key = "tm_per_million_queries",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, tm_per_million_queries),
     .def = "0.54",
     .lo = 0,
     .hi = 1e6,
     .doc = "Traffic Manager: per million DNS queries (= resolver refreshes)",
     .ref = "docs/reference.md §10 Traffic Manager DNS queries ($0.54/million, first-billion tier)"},
    /* docs/reference.md §10 Traffic Manager health checks: $0.36 per Azure
     * endpoint-month; sources conflict ($0.54-$1), hence a key. */
    {.key = "tm_per_endpoint_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, tm_per_endpoint_month),
     .def = "0.36",
     .lo = 0,
     .hi = 1e6,
     .doc = "Traffic Manager: health checks per monitored endpoint-month",
     .ref = "docs/reference.md §10 Traffic Manager health checks ($0.36 Azure endpoint; conflicting)"},
    /* docs/reference.md §10 Traffic Manager health checks: fast-interval checks
     * add ~$1.20 (quoted, approximate). */
    {.key = "tm_fast_probe_per_endpoint_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, tm_fast_probe_per_endpoint_month),
     .def = "1.20",
     .lo = 0,
     .hi = 1e6,
     .doc = "Traffic Manager: extra per endpoint-month when traffic.probe.interval < 30s",
     .ref = "docs/reference.md §10 Traffic Manager health checks (fast interval ~$1.20; approximate)"},
    {.key = "front_door_tier",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_cost, front_door_tier),
     .def = "standard",
     .choices = mr_fd_tier_names,
     .doc = "Front Door tier, for its base fee",
     .ref = "ours (the cheaper tier; docs/reference.md §10 prices both)"},
    /* docs/reference.md §10 Front Door Standard base fee: ~$35/month. */
    {.key = "front_door_standard_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, front_door_standard_per_month),
     .def = "35",
     .lo = 0,
     .hi = 1e6,
     .doc = "Front Door Standard base fee per month",
     .ref = "docs/reference.md §10 Front Door Standard base fee (~$35/month)"},
    /* docs/reference.md §10 Front Door Premium base fee: ~$330/month. */
    {.key = "front_door_premium_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, front_door_premium_per_month),
     .def = "330",
     .lo = 0,
     .hi = 1e6,
     .doc = "Front Door Premium base fee per month",
     .ref = "docs/reference.md §10 Front Door Premium base fee (~$330/month)"},
    /* docs/reference.md §10 Front Door per request: Standard ~$0.009-0.010
     * per 10,000 (the upper bound: $1.00 per million), Premium
     * ~$0.012-0.015; two third-party summaries, approximate. */
    {.key = "front_door_per_million_requests",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, front_door_per_million_requests),
     .def = "1.00",
     .lo = 0,
     .hi = 1e6,
     .doc = "Front Door: per million requests (Standard; Premium about 1.20-1.50)",
     .ref = "docs/reference.md §10 Front Door per request (~$0.010 per 10,000, Standard; approximate, third-party)"},
    /* docs/reference.md §10 Front Door edge data transfer out, Zone 1:
     * ~$0.08-0.083/GB (the upper bound), approximate. */
    {.key = "front_door_per_gb",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, front_door_per_gb),
     .def = "0.083",
     .lo = 0,
     .hi = 1e6,
     .doc = "Front Door: per GB delivered from the edge (Zone 1: Europe, North America)",
     .ref = "docs/reference.md §10 Front Door edge data transfer out (~$0.083/GB Zone 1; approximate, third-party)"},
    {.key = "front_door_bytes_per_request",
     .type = MR_PARAM_T_SIZE,
     .off = offsetof(mr_sc_cost, front_door_bytes_per_request),
     .def = "0B",
     .lo = 0,
     .hi = 1e12,
     .doc = "Front Door: bytes delivered per request, for front_door_per_gb",
     .ref = "ours: no figure (depends on the application)"},
    /* docs/reference.md §3 has Azure DNS behaviour but no price. */
    {.key = "dns_per_million_queries",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, dns_per_million_queries),
     .def = "0",
     .lo = 0,
     .hi = 1e6,
     .doc = "plain DNS: per million queries (= resolver refreshes); not published: give it",
     .ref = "ours: Azure DNS prices are not in docs/reference.md"},
    {.key = "dns_zone_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, dns_zone_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e6,
     .doc = "plain DNS: the hosted zone per month; not published: give it",
     .ref = "ours: Azure DNS prices are not in docs/reference.md"},
    /* docs/reference.md §10 Cosmos DB provisioned throughput: $0.008 per 100
     * RU/s per hour per region, single-region write. */
    {.key = "cosmos_per_100rus_hour",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, cosmos_per_100rus_hour),
     .def = "0.008",
     .lo = 0,
     .hi = 1e6,
     .doc = "Cosmos DB: per 100 RU/s per hour per region, single-region write",
     .ref = "docs/reference.md §10 Cosmos DB provisioned throughput ($0.008)"},
    /* docs/reference.md §10 Cosmos DB: $0.016 (2x) for multi-region-write accounts. */
    {.key = "cosmos_multi_write_per_100rus_hour",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_cost, cosmos_multi_write_per_100rus_hour),
     .def = "0.016",
     .lo = 0,
     .hi = 1e6,
     .doc = "Cosmos DB: per 100 RU/s per hour per region, multi-region writes",
     .ref = "docs/reference.md §10 Cosmos DB provisioned throughput ($0.016 multi-write)"},
    MR_PARAM_END};

const mr_param mr__variant_keys[] = {{.key = "name",
                                     .type = MR_PARAM_T_CODE,
                                     .type_doc = "name",
                                     .required = true,
                                     .doc = "variant name",
                                     .ref = "-"},
                                    {.key = "set",
                                     .type = MR_PARAM_T_CODE,
                                     .type_doc = "map of path to value",
                                     .doc = "overrides, as --set takes them",
                                     .ref = "-"},
                                    MR_PARAM_END};

/* ---- Sections bound here ---------------------------------------------------- */

static void bind_text(mr__bind *b, mr_node *root, const char *key, const char **dst)
{
    mr_node *n = mr_node_take(root, key);
    if (n == NULL || mr_node_is_null(n))
        return;
    if (n->kind != MR_NODE_SCALAR) {
        mr_diag_error(b->diag, &n->mark, "%s: expected text, found %s", key, mr_node_describe(n));
        return;
    }
    *dst = mr__str(b, n->text);
    mr__record(b, key, n->text);
}

static void bind_seed(mr__bind *b, mr_node *root)
{
    mr_node *n = mr_node_take(root, "seed");
    b->sc->seed = 1; /* ours: a simulation setting with no Azure figure */
    if (n == NULL || mr_node_is_null(n)) {
        mr__record(b, "seed", "1");
        return;
    }
    const char *t = n->kind == MR_NODE_SCALAR ? n->text : "";
    bool ok = t[0] != '\0' && strlen(t) <= 20;
    for (const char *p = t; ok && *p; p++)
        ok = *p >= '0' && *p <= '9';
    unsigned long long v = 0;
    if (ok) {
        char *end;
        v = strtoull(t, &end, 10);
        ok = *end == '\0' && !(strlen(t) == 20 && strcmp(t, "18446744073709551615") > 0);
    }
    if (!ok) {
        mr_diag_error(b->diag, &n->mark, "seed: expected a whole number in [0, 2^64), found %s",
                      n->kind == MR_NODE_SCALAR ? t : mr_node_describe(n));
        return;
    }
    b->sc->seed = v;
    mr__record(b, "seed", t);
}

static void bind_labels(mr__bind *b, mr_node *root)
{
    mr_node *m = mr__take_map(b, root, "labels", "");
    if (m == NULL)
        return;
    b->sc->labels = mr__alloc(b, m->n * sizeof *b->sc->labels);
    char p[MR__PATH];
    for (size_t i = 0; i < m->n; i++) {
        mr_node_pair *pr = mr_node_pair_at(m, i);
        mr__path(p, "labels", pr->key->text);
        pr->value->used = true;
        if (pr->value->kind != MR_NODE_SCALAR) {
            mr_diag_error(b->diag, &pr->value->mark, "%s: expected text, found %s", p,
                          mr_node_describe(pr->value));
            continue;
        }
        mr_sc_label *l = &b->sc->labels[b->sc->nlabels++];
        l->key = mr__str(b, pr->key->text);
        l->value = mr__str(b, pr->value->text);
        l->mark = pr->key->mark;
        mr__record(b, p, pr->value->text);
    }
}

static void bind_run(mr__bind *b, mr_node *root)
{
    mr_sc_run *run = &b->sc->run;
    mr_node *m = mr__take_map(b, root, "run", "");
    run->mark = m ? m->mark : root->mark;
    mr__bind_keys(b, m, &root->mark, "run", mr__run_keys, 0, "run", run);
    mr_node *reps = mr_node_take(m, "replications");
    if (reps == NULL || mr_node_is_null(reps) || reps->kind == MR_NODE_SCALAR) {
        static const mr_param row = {.key = "replications",
                                    .type = MR_PARAM_T_INT,
                                    .def = "30",
                                    .lo = 1,
                                    .hi = 1000000}; /* ours: simulation setting */
        run->replications = 30;
        mr__bind_value(b, mr_node_is_null(reps) ? NULL : reps, "run.replications", &row,
                       &run->replications);
        run->rep_min = run->rep_max = run->replications;
    } else if (reps->kind == MR_NODE_MAP) {
        reps->used = true;
        run->adaptive = true;
        mr__bind_keys(b, reps, NULL, "run.replications", mr__adaptive_keys, 0, "", run);
        mr_node *until = mr__take_map(b, reps, "until", "run.replications");
        if (until) {
            mr__bind_keys(b, until, NULL, "run.replications.until", mr__until_keys, 0, "", run);
            mr_node *metric = mr_node_take(until, "metric");
            if (metric && !mr_node_is_null(metric)) {
                int v = mr__enum(b, metric, "run.replications.until.metric", mr__metric_names);
                if (v >= 0) {
                    run->until_metric = mr__metric_names[v];
                    mr__record(b, "run.replications.until.metric", metric->text);
                }
            }
            mr__unknown_keys(b, until, mr__until_keys);
        }
        mr__unknown_keys(b, reps, mr__adaptive_keys);
        if (run->rep_min > run->rep_max) {
            mr_diag_error(b->diag, &reps->mark,
                          "run.replications: min (%d) is greater than max (%d)", run->rep_min,
                          run->rep_max);
        }
        run->replications = run->rep_max;
    } else {
        reps->used = true;
        mr_diag_error(b->diag, &reps->mark,
                      "run.replications: expected a whole number or a map {min, max, until}, "
                      "found %s",
                      mr_node_describe(reps));
    }
    mr__unknown_keys(b, m, mr__run_keys);
    if (run->warmup >= run->horizon) {
        char w[32], h[32];
        mr_time_format_unit(run->warmup, w, sizeof w);
        mr_time_format_unit(run->horizon, h, sizeof h);
        mr_node *wn = mr_node_get(m, "warmup");
        mr_diag_error(b->diag, wn ? &wn->mark : &run->mark,
                      "run.warmup: %s must be shorter than run.horizon (%s)", w, h);
    }
}

static void bind_regions(mr__bind *b, mr_node *seq, const mr_mark *root)
{
    mr_scenario *sc = b->sc;
    (void)root;
    if (seq == NULL)
        return; /* reported as missing, or as the wrong shape */
    if (seq->n == 0) {
        mr_diag_error(b->diag, &seq->mark,
                      "regions: the scenario needs at least one region, e.g. {name: westeurope}");
        return;
    }
    sc->nregions = seq->n;
    sc->regions = mr__alloc(b, seq->n * sizeof *sc->regions);
    char p[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_region *r = &sc->regions[i];
        r->name = b->regions.v[i];
        r->mark = seq->items[i]->mark;
        mr_node *m = mr__named_item(b, seq, i, "regions", r->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__region_keys, 0, "", r);
        mr__unknown_keys(b, m, mr__region_keys);
    }
}

/* The index of the region named by text[0, len), or MR_SC_NONE. */
static size_t region_n(const mr__bind *b, const char *text, size_t len)
{
    for (size_t i = 0; i < b->regions.n; i++)
        if (b->regions.v[i] && strlen(b->regions.v[i]) == len &&
            strncmp(b->regions.v[i], text, len) == 0)
            return i;
    return MR_SC_NONE;
}

static void bind_rtt(mr__bind *b, mr_node *root)
{
    mr_scenario *sc = b->sc;
    size_t n = sc->nregions;
    mr_node *m = mr__take_map(b, root, "rtt", "");
    rtt_defaults d = {0};
    mr__bind_keys(b, m, NULL, "rtt", mr__rtt_keys, 0, "", &d);
    sc->rtt = mr__alloc(b, (n ? n * n : 1) * sizeof *sc->rtt);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            sc->rtt[i * n + j] = i == j ? d.local : d.def;
    if (m == NULL)
        return;
    mr_node **set = mr__alloc(b, (n ? n * n : 1) * sizeof *set);
    char p[MR__PATH];
    for (size_t k = 0; k < m->n; k++) {
        mr_node_pair *pr = mr_node_pair_at(m, k);
        const char *key = pr->key->text;
        if (pr->value->used)
            continue; /* default, local */
        pr->value->used = true;
        mr__path(p, "rtt", key);
        /* Region names may hold '-': try every split. */
        size_t len = strlen(key), a = MR_SC_NONE, bb = MR_SC_NONE;
        size_t known_left = MR_SC_NONE, left_len = 0;
        for (size_t cut = 1; cut + 1 < len; cut++) {
            if (key[cut] != '-')
                continue;
            size_t l = region_n(b, key, cut), r = region_n(b, key + cut + 1, len - cut - 1);
            if (l != MR_SC_NONE && r != MR_SC_NONE) {
                a = l;
                bb = r;
                break;
            }
            if (l != MR_SC_NONE && known_left == MR_SC_NONE) {
                known_left = l;
                left_len = cut;
            }
        }
        if (a == MR_SC_NONE) {
            if (known_left != MR_SC_NONE) {
                mr_mark mk = mr_node_text_mark(pr->key, left_len + 1);
                mr__ref_text(b, key + left_len + 1, &mk, p, &b->regions);
            } else {
                const char **valid = mr_xmalloc((b->regions.n + 1) * sizeof *valid);
                size_t nv = 0;
                for (size_t i = 0; i < b->regions.n; i++)
                    if (b->regions.v[i])
                        valid[nv++] = b->regions.v[i];
                char *list = mr__names_list(valid, nv, NULL, false);
                mr_diag_error(b->diag, &pr->key->mark,
                              "rtt: '%s' is not a pair of regions written A-B, nor default or "
                              "local; regions: %s",
                              key, list);
                free(list);
                free(valid);
            }
            continue;
        }
        if (a == bb) {
            mr_diag_error(b->diag, &pr->key->mark,
                          "%s: a region's round trip to itself is rtt.local", p);
            continue;
        }
        if (set[a * n + bb] != NULL) {
            mr_diag_error(b->diag, &pr->key->mark,
                          "%s: the pair %s-%s already has a round trip (line %d)", p,
                          sc->regions[a].name, sc->regions[bb].name, set[a * n + bb]->mark.line);
            continue;
        }
        static const mr_param row = {.key = "rtt", .type = MR_PARAM_T_DURATION, .lo = 0, .hi = 10 * S};
        mr_time t;
        if (mr__bind_value(b, pr->value, p, &row, &t) != MR_OK)
            continue;
        set[a * n + bb] = set[bb * n + a] = pr->key;
        sc->rtt[a * n + bb] = sc->rtt[bb * n + a] = t;
    }
}

static void bind_targets(mr__bind *b, mr_node *slo, const char *key, mr_sc_slo_targets *t)
{
    char p[MR__PATH];
    t->availability = NAN;
    t->rto = t->rpo = t->latency_p99 = MR_SC_UNSET;
    mr_node *m = mr__take_map(b, slo, key, "slo");
    if (m == NULL)
        return;
    mr__bind_keys(b, m, NULL, mr__path(p, "slo", key), mr__slo_target_keys, 0, "", t);
    mr__unknown_keys(b, m, mr__slo_target_keys);
}

static void bind_slo(mr__bind *b, mr_node *root)
{
    mr_sc_slo *slo = &b->sc->slo;
    mr_node *m = mr__take_map(b, root, "slo", "");
    slo->mark = m ? m->mark : root->mark;
    mr__bind_keys(b, m, NULL, "slo", mr__slo_keys, 0, "", slo);
    bind_targets(b, m, "targets", &slo->targets);
    bind_targets(b, m, "steady_state", &slo->steady_state);
    mr__unknown_keys(b, m, mr__slo_keys);
}

static void bind_cost(mr__bind *b, mr_node *root)
{
    mr_sc_cost *c = &b->sc->cost;
    mr_node *m = mr__take_map(b, root, "cost", "");
    c->mark = m ? m->mark : root->mark;
    mr__bind_keys(b, m, NULL, "cost", mr__cost_keys, 0, "", c);
    mr__unknown_keys(b, m, mr__cost_keys);
}

/* ---- Variants and sweeps: overrides kept as text, each checked by binding a copy of
 * the scenario with it applied. ---------------------------------------------------------- */

static int bind_doc(mr_doc *doc, const char *file, mr_kinds kinds, mr_diag *diag, bool overrides,
                    mr_scenario **out);

/* Adds the line (already formatted) to diag unless it is there already,
 * or (with base, the count of the scenario's own lines) another line
 * points at the same place among the first base. */
static void add_line(mr_diag *diag, const char *line, int base)
{
    const char *e0 = strstr(line, ": error: ");
    for (int i = 0; i < mr_diag_count(diag); i++) {
        const char *l = mr_diag_line(diag, i);
        if (strcmp(l, line) == 0)
            return;
        const char *e = strstr(l, ": error: ");
        if (i < base && e0 && e && e - l == e0 - line && strncmp(l, line, (size_t)(e - l)) == 0)
            return;
    }
    /* Split "FILE:LINE:COLUMN: error: MESSAGE" back into a mark and a message. */
    const char *e = strstr(line, ": error: ");
    if (e == NULL) {
        mr_diag_error(diag, NULL, "%s", strncmp(line, "error: ", 7) == 0 ? line + 7 : line);
        return;
    }
    char *loc = mr_xmalloc((size_t)(e - line) + 1);
    memcpy(loc, line, (size_t)(e - line));
    loc[e - line] = '\0';
    mr_mark m = {.file = loc};
    char *c2 = strrchr(loc, ':');
    if (c2) {
        *c2 = '\0';
        char *c1 = strrchr(loc, ':');
        if (c1) {
            *c1 = '\0';
            m.line = atoi(c1 + 1);
            m.column = atoi(c2 + 1);
        } else {
            *c2 = ':';
        }
    }
    mr_diag_error(diag, &m, "%s", e + 9);
    free(loc);
}

/* Binds a copy of the document with values[i] set at paths[i] (i < n), and
 * adds the problems the main binding did not already report. A variant's
 * sets are checked together: one may need another (clients pinned to
 * stamps the same variant declares). */
static void check_overrides(mr__bind *b, size_t n, const char *const *paths,
                            const mr_mark *const *marks, const mr_node *const *values)
{
    mr_doc *copy = mr_doc_clone(b->doc);
    mr_node_free(mr_node_map_remove(copy->root, "variants"));
    mr_node_free(mr_node_map_remove(copy->root, "sweep"));
    mr_node_free(mr_node_map_remove(copy->root, "recommend"));
    mr_diag *d = mr_diag_new();
    int ok = 1;
    for (size_t k = 0; k < n && ok; k++) {
        mr_node *v = mr_node_clone(values[k]);
        if (mr_doc_set_node(copy, paths[k], marks[k], v, d) != MR_OK) {
            mr_node_free(v);
            ok = 0;
        }
    }
    if (ok) {
        mr_scenario *sc = NULL;
        if (bind_doc(copy, b->sc->file, b->sc->kinds, d, false, &sc) == MR_OK)
            mr_scenario_free(sc);
    }
    for (int i = 0; i < mr_diag_count(d); i++)
        add_line(b->diag, mr_diag_line(d, i), b->base_lines);
    mr_diag_free(d);
    mr_doc_free(copy);
}

static void make_override(mr__bind *b, mr_sc_override *o, const char *path, const mr_node *value,
                          const mr_mark *mark)
{
    char *t = mr__flow(value);
    o->text = mr__strf(b, "%s=%s", path, t);
    o->mark = *mark;
    free(t);
}

static void bind_variants(mr__bind *b, mr_node *root, bool check)
{
    mr_node *seq = mr__take_seq(b, root, "variants", "");
    if (seq == NULL)
        return;
    mr__names names = {.what = "variant", .plural = "variants"};
    mr__collect_names(b, seq, "variants", &names);
    b->sc->variants = mr__alloc(b, seq->n * sizeof *b->sc->variants);
    b->sc->nvariants = seq->n;
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_variant *v = &b->sc->variants[i];
        mr__path_index(p, "variants", i);
        v->mark = seq->items[i]->mark;
        v->name = names.v[i];
        mr_node *m = mr__map(b, seq->items[i], p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__variant_keys, 0, "", v);
        if (mr_node_take(m, "name") && v->name)
            mr__record(b, mr__path(q, p, "name"), v->name);
        mr_node *set = mr__take_map(b, m, "set", p);
        mr__unknown_keys(b, m, mr__variant_keys);
        if (set == NULL)
            continue;
        v->sets = mr__alloc(b, set->n * sizeof *v->sets);
        v->nsets = set->n;
        for (size_t k = 0; k < set->n; k++) {
            mr_node_pair *pr = mr_node_pair_at(set, k);
            pr->value->used = true;
            make_override(b, &v->sets[k], pr->key->text, pr->value, &pr->key->mark);
            char r[MR__PATH];
            mr__record(b, mr__path(r, mr__path(q, p, "set"), pr->key->text),
                       strchr(v->sets[k].text, '=') + 1);
        }
        if (check && set->n > 0) {
            const char **paths = mr__alloc(b, set->n * sizeof *paths);
            const mr_mark **marks = mr__alloc(b, set->n * sizeof *marks);
            const mr_node **values = mr__alloc(b, set->n * sizeof *values);
            for (size_t k = 0; k < set->n; k++) {
                mr_node_pair *pr = mr_node_pair_at(set, k);
                paths[k] = pr->key->text;
                marks[k] = &pr->key->mark;
                values[k] = pr->value;
            }
            check_overrides(b, set->n, paths, marks, values);
        }
    }
}

static void bind_sweep(mr__bind *b, mr_node *root, bool check)
{
    mr_node *m = mr__take_map(b, root, "sweep", "");
    if (m == NULL)
        return;
    b->sc->sweeps = mr__alloc(b, m->n * sizeof *b->sc->sweeps);
    char p[MR__PATH];
    for (size_t k = 0; k < m->n; k++) {
        mr_node_pair *pr = mr_node_pair_at(m, k);
        mr__path(p, "sweep", pr->key->text);
        mr_node *vals = mr__seq(b, pr->value, p);
        if (vals == NULL) {
            if (mr_node_is_null(pr->value))
                mr_diag_error(b->diag, &pr->key->mark,
                              "%s: expected a sequence of values such as [10s, 30s], found null",
                              p);
            continue;
        }
        if (vals->n == 0) {
            mr_diag_error(b->diag, &vals->mark, "%s: a sweep needs at least one value", p);
            continue;
        }
        mr_sc_sweep *s = &b->sc->sweeps[b->sc->nsweeps++];
        s->path = mr__str(b, pr->key->text);
        s->mark = pr->key->mark;
        s->values = mr__alloc(b, vals->n * sizeof *s->values);
        s->nvalues = vals->n;
        for (size_t i = 0; i < vals->n; i++) {
            make_override(b, &s->values[i], s->path, vals->items[i], &vals->items[i]->mark);
            if (check)
                check_overrides(b, 1, (const char *const[]){s->path},
                                (const mr_mark *const[]){&pr->key->mark},
                                (const mr_node *const[]){vals->items[i]});
        }
        char *t = mr__flow(vals);
        mr__record(b, p, t);
        free(t);
    }
}

static void check_values(mr__bind *b, const mr_sc_recommend *r, mr_node *space);

/* recommend.space: each candidate value checked on a copy, with the values
 * its condition asks for (sc_recommend.c has bound the section). */
static void check_recommend(mr__bind *b, mr_node *root)
{
    const mr_sc_recommend *r = &b->sc->recommend;
    mr_node *rec = mr_node_get(root, "recommend");
    mr_node *space = rec && rec->kind == MR_NODE_MAP ? mr_node_get(rec, "space") : NULL;
    if (space == NULL || space->kind != MR_NODE_MAP)
        return;
    check_values(b, r, space);
}
static void check_values(mr__bind *b, const mr_sc_recommend *r, mr_node *space)
{
    (void)space;
    /* Each value on its own, with the values its condition asks for (the
     * first `and` group's == atoms): a value valid only under its
     * condition (a Front Door setting) is checked where it applies. */
    for (size_t k = 0; k < r->nkeys; k++) {
        const mr_sc_rec_key *key = &r->keys[k];
        size_t cap = key->nwhen + 1, n;
        const char **paths = mr__alloc(b, cap * sizeof *paths);
        const mr_mark **marks = mr__alloc(b, cap * sizeof *marks);
        const mr_node **nodes = mr__alloc(b, cap * sizeof *nodes);
        for (size_t i = 0; i < key->nvalues; i++) {
            n = 0;
            for (size_t a = 0; a < key->nwhen && !key->when[a].or_before; a++) {
                const mr_sc_rec_atom *at = &key->when[a];
                if (at->neq || at->value == NULL)
                    continue;
                const mr_sc_rec_key *o = &r->keys[at->key];
                for (size_t v = 0; v < o->nvalues; v++)
                    if (o->texts[v] == at->value) {
                        paths[n] = o->path;
                        marks[n] = &o->mark;
                        nodes[n++] = o->nodes[v];
                    }
            }
            paths[n] = key->path;
            marks[n] = &key->mark;
            nodes[n++] = key->nodes[i];
            check_overrides(b, n, paths, marks, nodes);
        }
    }
}

/* ---- The whole scenario ---------------------------------------------------------------- */

static const char *base_name(mr__bind *b, const char *file)
{
    const char *s = strrchr(file, '/');
    s = s ? s + 1 : file;
    size_t n = strlen(s);
    if (n > 5 && strcmp(s + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(s + n - 4, ".yml") == 0)
        n -= 4;
    return mr__strf(b, "%.*s", (int)n, s);
}

static void require(mr__bind *b, mr_node *root, const char *key, const char *example)
{
    mr_node *n = mr_node_get(root, key);
    if (n == NULL || mr_node_is_null(n))
        mr_diag_error(b->diag, &root->mark, "scenario has no %s: add e.g. %s", key, example);
}

/* What each list of names is called in diagnostics. */
static void init_names(mr__bind *b)
{
    b->regions = (mr__names){.what = "region", .plural = "regions"};
    b->clusters = (mr__names){.what = "cluster", .plural = "clusters"};
    b->datastores = (mr__names){.what = "datastore", .plural = "datastores"};
    b->dependencies = (mr__names){.what = "dependency", .plural = "dependencies"};
    b->resolvers = (mr__names){.what = "resolver", .plural = "resolvers"};
    b->clients = (mr__names){.what = "client population", .plural = "client populations"};
    b->stamps = (mr__names){.what = "stamp", .plural = "stamps"};
    b->faults = (mr__names){.what = "fault", .plural = "faults"};
}

/* The top-level sequences, taken from the root (NULL when absent). */
typedef struct sections {
    mr_node *regions, *clusters, *datastores, *dependencies, *resolvers, *clients, *stamps, *faults;
} sections;

/* Takes the top-level sequences from the root, then collects the names in
 * each. */
static void take_sections(mr__bind *b, mr_node *root, sections *sec)
{
    sec->regions = mr__take_seq(b, root, "regions", "");
    sec->clusters = mr__take_seq(b, root, "clusters", "");
    sec->datastores = mr__take_seq(b, root, "datastores", "");
    sec->dependencies = mr__take_seq(b, root, "dependencies", "");
    sec->resolvers = mr__take_seq(b, root, "resolvers", "");
    sec->clients = mr__take_seq(b, root, "clients", "");
    sec->stamps = mr__take_seq(b, root, "stamps", "");
    sec->faults = mr__take_seq(b, root, "faults", "");
    mr__collect_names(b, sec->regions, "regions", &b->regions);
    mr__collect_names(b, sec->clusters, "clusters", &b->clusters);
    mr__collect_names(b, sec->datastores, "datastores", &b->datastores);
    mr__collect_names(b, sec->dependencies, "dependencies", &b->dependencies);
    mr__collect_names(b, sec->resolvers, "resolvers", &b->resolvers);
    mr__collect_names(b, sec->clients, "clients", &b->clients);
    mr__collect_names(b, sec->stamps, "stamps", &b->stamps);
    mr__collect_names(b, sec->faults, "faults", &b->faults);
}

/* version (mrsim/v1 when given) and name (the file's base name when not). */
static void bind_version_name(mr__bind *b, mr_node *root, const char *file)
{
    mr_scenario *sc = b->sc;
    mr_node *version = mr_node_take(root, "version");
    if (version && !mr_node_is_null(version) &&
        (version->kind != MR_NODE_SCALAR || strcmp(version->text, "mrsim/v1") != 0)) {
        mr_diag_error(b->diag, &version->mark,
                      "version: this mrsim reads version mrsim/v1, found %s",
                      version->kind == MR_NODE_SCALAR ? version->text : mr_node_describe(version));
    }
    mr_node *name = mr_node_take(root, "name");
    if (name && !mr_node_is_null(name)) {
        sc->name = mr__name(b, name, "name");
    }
    if (sc->name == NULL)
        sc->name = base_name(b, file);
    mr__record(b, "name", sc->name);
}

static int bind_doc(mr_doc *doc, const char *file, mr_kinds kinds, mr_diag *diag, bool overrides,
                    mr_scenario **out)
{
    int before = mr_diag_count(diag);
    mr_node *root = doc->root;
    if (root->kind != MR_NODE_MAP) {
        mr_diag_error(diag, &root->mark,
                      "expected a map of scenario keys (name, regions, clusters, traffic, "
                      "clients, ...), found %s",
                      mr_node_describe(root));
        return MR_ESCENARIO;
    }
    mr_scenario *sc = mr_xcalloc(1, sizeof *sc);
    sc->internal = mr_xcalloc(1, sizeof *sc->internal);
    sc->kinds = kinds;
    mr__bind b = {.sc = sc, .doc = doc, .diag = diag};
    sc->file = mr__str(&b, file);
    init_names(&b);

    require(&b, root, "regions", "regions: [{name: westeurope}]");
    require(&b, root, "clusters", "clusters: [{name: aks-weu, region: westeurope}]");
    require(&b, root, "traffic", "traffic: {kind: traffic_manager}");
    require(&b, root, "clients", "clients: [{name: users, rate: 100/s}]");

    /* Top-level shapes first, then every name, so references may point forward. */
    sections sec;
    take_sections(&b, root, &sec);
    bind_version_name(&b, root, file);
    sc->description = "";
    bind_text(&b, root, "description", &sc->description);
    bind_labels(&b, root);
    bind_seed(&b, root);
    bind_run(&b, root);
    bind_regions(&b, sec.regions, &root->mark);
    bind_rtt(&b, root);
    mr__bind_dependencies(&b, sec.dependencies);
    mr__bind_clusters(&b, sec.clusters);
    mr__bind_traffic(&b, mr__take_map(&b, root, "traffic", ""), &root->mark);
    mr__bind_datastores(&b, sec.datastores);
    mr__bind_stamps(&b, sec.stamps);
    mr__bind_resolvers(&b, sec.resolvers, &root->mark);
    mr__bind_clients(&b, sec.clients);
    mr__bind_faults(&b, sec.faults);
    mr__bind_failover(&b, mr__take_map(&b, root, "failover", ""));
    bind_slo(&b, root);
    bind_cost(&b, root);
    mr__bind_analyze(&b, mr__take_map(&b, root, "analyze", ""));
    mr__validate(&b);
    /* Overrides are checked also when the scenario has problems of its
     * own, so that every problem shows in one pass (issue 17); a line of
     * theirs at a place the scenario's own problems point at is a
     * follow-on and is left out (add_line). */
    bool check = overrides;
    b.base_lines = mr_diag_count(diag);
    bind_variants(&b, root, check);
    bind_sweep(&b, root, check);
    int before_rec = mr_diag_count(diag);
    mr__bind_recommend(&b, mr__take_map(&b, root, "recommend", ""));
    if (check && mr_diag_count(diag) == before_rec)
        check_recommend(&b, root);
    mr__unknown_keys(&b, root, mr__root_keys);
    for (size_t i = 0; i < b.nfailed; i++)
        free(b.failed[i]);
    free(b.failed);

    if (mr_diag_count(diag) != before) {
        mr_scenario_free(sc);
        return MR_ESCENARIO;
    }
    *out = sc;
    return MR_OK;
}

int mr_scenario_load(const char *path, const char *const *sets, size_t nsets, mr_kinds kinds,
                     mr_scenario **out, mr_diag *diag)
{
    mr_doc *doc = NULL;
    int rc = mr_doc_load_file(path, &doc, diag);
    if (rc != MR_OK)
        return rc;
    rc = mr_doc_extend(doc, diag);
    if (rc != MR_OK) {
        mr_doc_free(doc);
        return rc;
    }
    int bad_sets = 0;
    for (size_t i = 0; i < nsets; i++)
        if (mr_doc_set_arg(doc, sets[i], NULL, diag) != MR_OK)
            bad_sets++;
    mr_scenario *sc = NULL;
    rc = bind_doc(doc, path, kinds, diag, true, &sc);
    if (rc == MR_OK && bad_sets > 0) {
        mr_scenario_free(sc);
        rc = MR_ESCENARIO;
    }
    if (rc != MR_OK) {
        mr_doc_free(doc);
        return rc;
    }
    sc->internal->doc = doc;
    *out = sc;
    return MR_OK;
}

void mr_scenario_free(mr_scenario *sc)
{
    if (sc == NULL)
        return;
    mr_scenario_internal *in = sc->internal;
    for (size_t i = 0; i < in->ndists; i++)
        mr_dist_fini(in->dists[i]);
    for (size_t i = 0; i < in->nallocs; i++)
        free(in->allocs[i]);
    free(in->dists);
    free(in->allocs);
    free(in->vpath);
    free(in->vtext);
    free(in->vdefault);
    mr_doc_free(in->doc);
    free(in);
    free(sc);
}

size_t mr_scenario_each_value(const mr_scenario *sc,
                              void (*fn)(void *ctx, const char *path, const char *value), void *ctx)
{
    const mr_scenario_internal *in = sc->internal;
    for (size_t i = 0; i < in->nvalues; i++)
        fn(ctx, in->vpath[i], in->vtext[i]);
    return in->nvalues;
}

size_t mr_scenario_each_default(const mr_scenario *sc,
                                void (*fn)(void *ctx, const char *path, const char *value,
                                           const char *doc, const char *ref),
                                void *ctx)
{
    const mr_scenario_internal *in = sc->internal;
    size_t n = 0;
    for (size_t i = 0; i < in->nvalues; i++)
        if (in->vdefault[i].is) {
            fn(ctx, in->vpath[i], in->vtext[i], in->vdefault[i].doc, in->vdefault[i].ref);
            n++;
        }
    return n;
}

const char *mr_scenario_value(const mr_scenario *sc, const char *path)
{
    const mr_scenario_internal *in = sc->internal;
    for (size_t i = 0; i < in->nvalues; i++)
        if (strcmp(in->vpath[i], path) == 0)
            return in->vtext[i];
    return NULL;
}

int mr_scenario_price_is_amount(const char *key)
{
    const mr_param *k = mr_param_find(mr__cost_keys, key, 0);
    return k != NULL && (k->type == MR_PARAM_T_MONEY || k->type == MR_PARAM_T_SIZE);
}

double mr_scenario_price(const mr_scenario *sc, const char *key)
{
    const mr_param *k = mr_param_find(mr__cost_keys, key, 0);
    if (k == NULL)
        return NAN;
    if (k->type == MR_PARAM_T_ENUM) {
        int i;
        memcpy(&i, (const char *)&sc->cost + k->off, sizeof i);
        return i;
    }
    if (k->type != MR_PARAM_T_MONEY && k->type != MR_PARAM_T_NUMBER && k->type != MR_PARAM_T_SIZE)
        return NAN;
    double v;
    memcpy(&v, (const char *)&sc->cost + k->off, sizeof v);
    return v;
}
