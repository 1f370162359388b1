/* tests/models/test_cosmos.c: the cosmos kind (models/cosmos.c), an Azure
 * Cosmos DB account:
 * - what its check refuses (strong consistency with several write regions,
 *   bounded-staleness keys without bounded consistency, a bound below the
 *   account's minimum) and what its key parser refuses (a popularity that
 *   is no zipf(S)) is located at the key, FILE:LINE:COLUMN;
 * - its defaults bind (docs/reference.md §6), the bounded-staleness
 *   minimums filled in by its check for a multi-region and a
 *   single-region account;
 * - its cost method prices its throughput per region by the hour, at the
 *   multi-write rate when several regions take writes; its SLA depends on
 *   its regions and write regions;
 * - strong consistency makes every write pay 2 x the round trip of the two
 *   farthest regions + 10 ms, and no read.
 * Its consistency levels, failover and conflicts against closed forms are
 * tests/validation/test_store_cosmos.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "kind_checks.h"
#include "store.h"

#define HEAD                                                                                       \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 30m, warmup: 5m}\n"                                                            \
    "regions: [{name: weu}, {name: neu}]\n"                                                        \
    "clusters: [{name: aks, region: weu, service_time: 5ms}]\n"                                    \
    "traffic: {kind: traffic_manager}\n"                                                           \
    "resolvers: [{name: r, count: 10}]\n"                                                          \
    "clients: [{name: u, origin: weu, resolver: r, rate: 0/s}]\n"                                  \
    "datastores:\n"                                                                                \
    "  - name: acct\n"                                                                             \
    "    kind: cosmos\n"
/* Line 11 is the first after HEAD. */

Test(cosmos, strong_consistency_with_several_write_regions_is_refused_at_consistency)
{
    kc_refused_with(HEAD "    regions: [weu, neu]\n"
                         "    write_regions: [weu, neu]\n"
                         "    consistency: strong\n",
                    "FILE:13:18: error: datastores[0].consistency: strong consistency cannot be "
                    "combined with several write regions (docs/reference.md §6)");
}

Test(cosmos, bounded_keys_without_bounded_consistency_are_refused_at_bounded)
{
    kc_refused_with(HEAD "    regions: [weu, neu]\n"
                         "    bounded: {time: 10m}\n",
                    "FILE:12:14: error: datastores[0].bounded: applies to consistency: bounded "
                    "only");
}

Test(cosmos, a_bound_below_the_accounts_minimum_is_refused_at_its_value)
{
    kc_refused_with(HEAD "    regions: [weu, neu]\n"
                         "    consistency: bounded\n"
                         "    bounded: {versions: 50}\n",
                    "FILE:13:25: error: datastores[0].bounded.versions: 50 is out of range: must "
                    "be at least 100000 for a multi-region account (docs/reference.md §6)");
    kc_refused_with(HEAD "    regions: [weu]\n"
                         "    consistency: bounded\n"
                         "    bounded: {time: 2s}\n",
                    "FILE:13:21: error: datastores[0].bounded.time: 2s is out of range [5s, 1d]");
    /* The same K is within a single-region account's minimum (10). */
    mr_scenario *sc = tsr_load(HEAD "    regions: [weu]\n"
                                    "    consistency: bounded\n"
                                    "    bounded: {versions: 50}\n",
                               NULL, 0);
    cr_expect_eq(((const mr_cosmos_cfg *)sc->datastores[0].cfg)->k_versions, 50);
    mr_scenario_free(sc);
}

Test(cosmos, a_popularity_that_is_no_zipf_is_refused_at_its_value)
{
    kc_refused_with(HEAD "    regions: [weu, neu]\n"
                         "    keys: {popularity: zipf(11)}\n",
                    "FILE:12:24: error: datastores[0].keys.popularity: expected uniform or "
                    "zipf(S) with S in [0, 10] (such as zipf(0.9)), found zipf(11)");
    mr_scenario *sc = tsr_load(HEAD "    regions: [weu, neu]\n"
                                    "    keys: {popularity: zipf(0.9)}\n",
                               NULL, 0);
    cr_expect_float_eq(((const mr_cosmos_cfg *)sc->datastores[0].cfg)->zipf, 0.9, 1e-15);
    mr_scenario_free(sc);
}

static void expect_values(const mr_scenario *sc, const char *const (*want)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
}

Test(cosmos, its_defaults_bind_and_its_check_fills_the_bounded_minimums)
{
    mr_scenario *sc = tsr_load(HEAD "    regions: [weu, neu]\n", NULL, 0);
    static const char *const want[][2] = {
        {"datastores[0].consistency", "session"},
        {"datastores[0].ru_per_s", "10000"},
        {"datastores[0].usd_per_month", "0"},
        {"datastores[0].regions", "[weu, neu]"},
        {"datastores[0].write_regions", "[weu]"},
        {"datastores[0].keys.count", "100000"},
        {"datastores[0].keys.popularity", "uniform"},
        {"datastores[0].replication.lag", "lognormal(100ms, 0.8)"},
        {"datastores[0].replication.hold", "exponential(60s)"},
        {"datastores[0].failover.mode", "automatic"},
        {"datastores[0].failover.decision", "triangular(10m, 20m, 1h)"},
        {"datastores[0].failover.duration", "uniform(0s, 15m)"},
    };
    expect_values(sc, want, sizeof want / sizeof want[0]);
    const mr_cosmos_cfg *cfg = sc->datastores[0].cfg;
    cr_expect_eq(cfg->consistency, MR_COSMOS_SESSION);
    cr_expect_eq(cfg->base.ncopies, 2);
    cr_expect(cfg->base.writable[0] && !cfg->base.writable[1], "the first region writes");
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    regions: [weu, neu]\n    consistency: bounded\n", NULL, 0);
    static const char *const multi[][2] = {{"datastores[0].bounded.versions", "100000"},
                                           {"datastores[0].bounded.time", "5m"}};
    expect_values(sc, multi, 2);
    cfg = sc->datastores[0].cfg;
    cr_expect_eq(cfg->k_versions, 100000);
    cr_expect_eq(cfg->t_bound, 5 * MR_MIN);
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    regions: [weu]\n    consistency: bounded\n", NULL, 0);
    static const char *const single[][2] = {{"datastores[0].bounded.versions", "10"},
                                            {"datastores[0].bounded.time", "5s"}};
    expect_values(sc, single, 2);
    cfg = sc->datastores[0].cfg;
    cr_expect_eq(cfg->k_versions, 10);
    cr_expect_eq(cfg->t_bound, 5 * MR_S);
    mr_scenario_free(sc);
}

Test(cosmos, its_cost_is_its_throughput_per_region_and_hour_and_its_sla_follows_its_regions)
{
    /* 1,000 RU/s = 10 x 100 RU/s, in 2 regions for 730 hours, at $0.008
     * (single write) or $0.016 (multi-write) per 100 RU/s-hour, + $5. */
    mr_scenario *sc = tsr_load(HEAD "    regions: [weu, neu]\n"
                                    "    ru_per_s: 1000\n"
                                    "    usd_per_month: 5\n",
                               NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 5 + 10 * 0.008 * 730 * 2, 1e-9);
    mr_model_sla sla = kc_store_sla(sc, 0);
    cr_expect_float_eq(sla.availability, 0.9999, 1e-15, "multi-region, single write");
    cr_expect(sla.multi_region);
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    regions: [weu, neu]\n"
                       "    write_regions: [weu, neu]\n"
                       "    ru_per_s: 1000\n"
                       "    usd_per_month: 5\n"
                       "cost: {cosmos_multi_write_per_100rus_hour: 0.02, hours_per_month: 700}\n",
                  NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 5 + 10 * 0.02 * 700 * 2, 1e-9);
    cr_expect_float_eq(kc_store_sla(sc, 0).availability, 0.99999, 1e-15, "multi-write");
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    regions: [weu]\n", NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 100 * 0.008 * 730, 1e-9,
                       "10,000 RU/s by default, one region");
    sla = kc_store_sla(sc, 0);
    cr_expect_float_eq(sla.availability, 0.9999, 1e-15);
    cr_expect(!sla.multi_region);
    mr_scenario_free(sc);
}

/* The median latency (ms) of a population that only writes (or only
 * reads) to an account in weu and neu (20 ms apart) at that consistency.
 * About 160 requests are measured, so the quantile is exact. */
static double median(const char *consistency, const char *mix)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 30m, warmup: 5m}\n"
             "regions: [{name: weu}, {name: neu}]\n"
             "rtt: {weu-neu: 20ms, local: 1ms}\n"
             "clusters: [{name: aks, region: weu, service_time: 5ms}]\n"
             "traffic: {kind: traffic_manager}\n"
             "resolvers: [{name: r, count: 10}]\n"
             "clients: [{name: u, origin: weu, resolver: r, rate: 0.1/s, mix: {%s},"
             " uses: [acct]}]\n"
             "datastores: [{name: acct, kind: cosmos, regions: [weu, neu],"
             " consistency: %s}]\n",
             mix, consistency);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    double p50 = mr_report_find(r, "", "latency_ms_p50");
    cr_assert_eq(mr_report_find(r, "", "availability"), 1);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return p50;
}

/* docs/reference.md §6: 2 x RTT + 10 ms at P99, the 10 ms being the local
 * write's own P99 (tests/validation/test_store_cosmos.c checks the
 * quantiles): the same draws of the account's latency stream at both
 * consistencies, so the medians differ by the round trips exactly. */
Test(cosmos, strong_writes_pay_twice_the_farthest_round_trip_on_top_of_the_local_write)
{
    double strong = median("strong", "write: 1"), session = median("session", "write: 1");
    cr_expect_float_eq(strong - session, 2 * 20, 1e-9, "strong %g ms, session %g ms",
                       strong, session);
    double strong_read = median("strong", "read: 1"), session_read = median("session", "read: 1");
    cr_expect_float_eq(strong_read, session_read, 1e-9, "reads pay nothing more: %g, %g",
                       strong_read, session_read);
}
