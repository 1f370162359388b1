/* tests/models/test_redis.c: the redis kind (models/redis.c), Azure Cache
 * for Redis, a cache-aside cache in front of the next store a population
 * uses, on the single-primary machinery of store_primary.c:
 * - what its check refuses (automatic failover of passive geo-replication,
 *   more caches than its geo-replication links) and what its key table
 *   requires (the workload's hit ratio and warm-up) is located in the file,
 *   FILE:LINE:COLUMN;
 * - its defaults bind (docs/reference.md §7);
 * - its cost method prices it per cache; its SLA is Premium's 99.9%
 *   (passive) or Enterprise's 99.99% (active);
 * - warm, it serves its hit ratio of the reads and passes every miss to
 *   the store behind it; after an outage it comes back cold and its hit
 *   ratio ramps up over its warm-up.
 * A failover's cold cache against the store of record's load is
 * tests/validation/test_store_sql.c (store_redis). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "kind_checks.h"
#include "store.h"

#define HEAD                                                                                       \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 30m, warmup: 5m}\n"                                                            \
    "regions: [{name: weu}, {name: neu}, {name: fra}, {name: sea}, {name: eus}, {name: wus}]\n"   \
    "clusters: [{name: aks, region: weu, service_time: 5ms}]\n"                                    \
    "traffic: {kind: traffic_manager}\n"                                                           \
    "resolvers: [{name: r, count: 10}]\n"                                                          \
    "clients: [{name: u, origin: weu, resolver: r, rate: 0/s}]\n"                                  \
    "datastores:\n"                                                                                \
    "  - name: cache\n"                                                                            \
    "    kind: redis\n"                                                                            \
    "    primary: weu\n"                                                                           \
    "    hit_ratio: 0.8\n"                                                                         \
    "    warm_up: 5m\n"
/* Line 14 is the first after HEAD. */

Test(redis, automatic_failover_of_passive_geo_replication_is_refused_at_its_mode)
{
    kc_refused_with(HEAD "    replicas: [neu]\n"
                         "    failover: {mode: automatic}\n",
                    "FILE:15:22: error: datastores[0].failover.mode: passive geo-replication has "
                    "no automatic failover (docs/reference.md §7): use manual");
}

Test(redis, more_caches_than_its_geo_replication_links_are_refused_at_its_replicas)
{
    kc_refused_with(HEAD "    replicas: [neu, fra]\n",
                    "FILE:14:15: error: datastores[0].replicas: passive geo-replication links at "
                    "most 2 caches (docs/reference.md §7), found 3");
    kc_refused_with(HEAD "    geo: active\n"
                         "    replicas: [neu, fra, sea, eus, wus]\n",
                    "FILE:15:15: error: datastores[0].replicas: active geo-replication links at "
                    "most 5 caches (docs/reference.md §7), found 6");
}

Test(redis, its_workload_keys_are_required)
{
    char *lines[8];
    int n = kc_refusals("version: mrsim/v1\n"
                        "regions: [{name: weu}]\n"
                        "clusters: [{name: aks, region: weu}]\n"
                        "traffic: {kind: traffic_manager}\n"
                        "clients: [{name: u, origin: weu}]\n"
                        "datastores: [{name: cache, kind: redis, primary: weu}]\n",
                        lines, 8);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(lines[0], "FILE:6:14: error: datastores[0]: missing required key 'hit_ratio'");
    cr_expect_str_eq(lines[1], "FILE:6:14: error: datastores[0]: missing required key 'warm_up'");
    free(lines[0]);
    free(lines[1]);
}

Test(redis, its_defaults_bind)
{
    mr_scenario *sc = tsr_load(HEAD "    replicas: [neu]\n", NULL, 0);
    static const char *const want[][2] = {
        {"datastores[0].kind", "redis"},
        {"datastores[0].geo", "passive"},
        {"datastores[0].hit_ratio", "0.8"},
        {"datastores[0].warm_up", "5m"},
        {"datastores[0].usd_per_month", "0"},
        {"datastores[0].replication.lag", "lognormal(50ms, 0.8)"},
        {"datastores[0].replication.hold", "exponential(60s)"},
        {"datastores[0].failover.mode", "manual"},
        {"datastores[0].failover.decision", "triangular(10m, 20m, 1h)"},
        {"datastores[0].failover.duration", "uniform(1m, 5m)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
    const mr_pstore_cfg *cfg = sc->datastores[0].cfg;
    cr_expect_eq(cfg->geo, MR_GEO_PASSIVE);
    cr_expect_eq(cfg->base.mode, MR_FAILOVER_MANUAL);
    cr_expect_float_eq(cfg->hit_ratio, 0.8, 1e-15);
    cr_expect_eq(cfg->warm_up, 5 * MR_MIN);
    cr_expect_eq(cfg->base.ncopies, 2);
    mr_scenario_free(sc);
}

Test(redis, its_cost_is_its_price_per_cache_and_its_sla_follows_its_tier)
{
    mr_scenario *sc = tsr_load(HEAD "    usd_per_month: 50\n    replicas: [neu]\n", NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 100, 1e-9, "two caches");
    mr_model_sla sla = kc_store_sla(sc, 0);
    cr_expect_float_eq(sla.availability, 0.999, 1e-15, "Premium (passive)");
    cr_expect(sla.multi_region);
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    usd_per_month: 50\n"
                       "    geo: active\n"
                       "    failover: {mode: automatic}\n"
                       "    replicas: [neu, fra]\n",
                  NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 150, 1e-9, "three caches");
    cr_expect_float_eq(kc_store_sla(sc, 0).availability, 0.9999, 1e-15, "Enterprise (active)");
    mr_scenario_free(sc);
}

/* Populations read through the cache, then orders (SQL), with no warm-up
 * of the run; the cache fails from 10 to 12 min when `faults` says so. */
static mr_sim *cache_aside(const char *faults, mr_scenario **sc)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 30m, warmup: 0s}\n"
             "regions: [{name: weu}]\n"
             "clusters: [{name: aks, region: weu, service_time: 5ms}]\n"
             "traffic: {kind: traffic_manager}\n"
             "resolvers: [{name: r, count: 10}]\n"
             "clients: [{name: u, origin: weu, resolver: r, rate: 20/s, mix: {read: 1},"
             " uses: [cache, orders]}]\n"
             "datastores:\n"
             "  - {name: cache, kind: redis, primary: weu, hit_ratio: 0.8, warm_up: 4m}\n"
             "  - {name: orders, kind: sql, primary: weu}\n"
             "%s",
             faults);
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

Test(redis, warm_it_serves_its_hit_ratio_and_passes_every_miss_on)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = cache_aside("", &sc);
    mr_report *r = tsr_finish(sim);
    double hits = mr_report_find(r, "data/cache", "reads");
    double misses = mr_report_find(r, "data/cache", "record_reads");
    /* 36,000 reads: the hit share's sd is 0.002. */
    cr_expect(fabs(hits / (hits + misses) - 0.8) < 0.01, "hit share %g", hits / (hits + misses));
    cr_expect_eq(mr_report_find(r, "data/orders", "reads"), misses,
                 "the store of record took exactly the misses");
    cr_expect_eq(mr_report_find(r, "", "availability"), 1);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(redis, after_an_outage_it_comes_back_cold_and_warms_over_its_warm_up)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = cache_aside("faults: [{name: f, kind: datastore_failure, target: cache,"
                              " at: 10m, duration: 2m}]\n",
                              &sc);
    mr_component *cache = mr_sim_find(sim, "data/cache");
    cr_assert_not_null(cache);
    const double at_min[] = {9, 12, 13, 14, 16, 20}, want[] = {0.8, 0, 0.2, 0.4, 0.8, 0.8};
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(at_min[i] * 60)), MR_OK);
        double h = mr_pstore_hit_ratio(cache, mr_sim_now(sim));
        cr_expect_float_eq(h, want[i], 1e-12, "at %g min: %g", at_min[i], h);
    }
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "", "availability"), 1,
                 "the store of record served every miss, the outage's included");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}
