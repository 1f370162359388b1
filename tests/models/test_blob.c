/* tests/models/test_blob.c: the blob kind (models/blob.c), Blob Storage
 * with its redundancy options, on the single-primary machinery of
 * store_primary.c:
 * - what its check refuses (a copy in another region without geo-redundant
 *   storage, more than the one paired secondary) is located at the key,
 *   FILE:LINE:COLUMN;
 * - its defaults bind (docs/reference.md §8); its check makes an RA-GRS or
 *   RA-GZRS secondary readable and leaves a plain GRS one unreadable;
 * - its cost method prices the account once, whatever its copies; its SLA
 *   is 99.9%, multi-region only when geo-redundant;
 * - a Microsoft-managed (automatic) failover waits its decision with no
 *   grace period.
 * Stale secondary reads until a customer failover are
 * tests/validation/test_store_sql.c (store_blob). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "kind_checks.h"
#include "store.h"

#define HEAD                                                                                       \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 30m, warmup: 5m}\n"                                                            \
    "regions: [{name: weu}, {name: neu}, {name: fra}]\n"                                           \
    "clusters: [{name: aks, region: weu, service_time: 5ms}]\n"                                    \
    "traffic: {kind: traffic_manager}\n"                                                           \
    "resolvers: [{name: r, count: 10}]\n"                                                          \
    "clients: [{name: u, origin: weu, resolver: r, rate: 0/s}]\n"                                  \
    "datastores:\n"                                                                                \
    "  - name: files\n"                                                                            \
    "    kind: blob\n"                                                                             \
    "    primary: weu\n"
/* Line 12 is the first after HEAD. */

Test(blob, a_copy_elsewhere_without_geo_redundancy_is_refused_at_its_replicas)
{
    kc_refused_with(HEAD "    redundancy: lrs\n"
                         "    replicas: [neu]\n",
                    "FILE:13:15: error: datastores[0].replicas: lrs redundancy keeps no copy in "
                    "another region; use grs, ra_grs, gzrs or ra_gzrs");
    kc_refused_with(HEAD "    redundancy: zrs\n"
                         "    replicas: [neu]\n",
                    "FILE:13:15: error: datastores[0].replicas: zrs redundancy keeps no copy in "
                    "another region; use grs, ra_grs, gzrs or ra_gzrs");
}

Test(blob, more_than_the_paired_secondary_is_refused_at_its_replicas)
{
    kc_refused_with(HEAD "    replicas: [neu, fra]\n",
                    "FILE:12:15: error: datastores[0].replicas: geo-redundant storage has one "
                    "secondary region (the paired one), found 2 (docs/reference.md §8)");
}

Test(blob, its_defaults_bind_and_read_access_makes_the_secondary_readable)
{
    mr_scenario *sc = tsr_load(HEAD "    replicas: [neu]\n", NULL, 0);
    static const char *const want[][2] = {
        {"datastores[0].kind", "blob"},
        {"datastores[0].redundancy", "grs"},
        {"datastores[0].usd_per_month", "0"},
        {"datastores[0].replication.lag", "lognormal(3m, 0.6)"},
        {"datastores[0].replication.hold", "exponential(60s)"},
        {"datastores[0].failover.mode", "manual"},
        {"datastores[0].failover.decision", "triangular(10m, 20m, 1h)"},
        {"datastores[0].failover.duration", "normal(60m, 15m)"},
        /* The short form of a replica is recorded as the map form. */
        {"datastores[0].replicas[0].region", "neu"},
        {"datastores[0].replicas[0].readable", "false"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
    const mr_pstore_cfg *cfg = sc->datastores[0].cfg;
    cr_expect_eq(cfg->redundancy, MR_REDUNDANCY_GRS);
    cr_expect_eq(cfg->base.mode, MR_FAILOVER_MANUAL);
    cr_expect_eq(cfg->base.ncopies, 2);
    cr_expect_eq(cfg->base.readable[1], 0, "a GRS secondary is not readable");
    cr_expect_eq(cfg->base.grace, 0, "no grace period");
    mr_scenario_free(sc);

    const char *ra[] = {"ra_grs", "ra_gzrs"};
    for (int i = 0; i < 2; i++) {
        char text[2048];
        snprintf(text, sizeof text, HEAD "    redundancy: %s\n    replicas: [neu]\n", ra[i]);
        sc = tsr_load(text, NULL, 0);
        cfg = sc->datastores[0].cfg;
        cr_expect_eq(cfg->base.readable[1], 1, "%s: the secondary serves reads", ra[i]);
        cr_expect_str_eq(mr_scenario_value(sc, "datastores[0].replicas[0].readable"), "true",
                         "%s: and the run's parameters say so", ra[i]);
        mr_scenario_free(sc);
    }
}

Test(blob, its_cost_is_the_accounts_price_once_and_its_sla_99_9)
{
    mr_scenario *sc = tsr_load(HEAD "    usd_per_month: 40\n    replicas: [neu]\n", NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 40, 1e-9,
                       "the redundancy option's price covers the copies");
    mr_model_sla sla = kc_store_sla(sc, 0);
    cr_expect_float_eq(sla.availability, 0.999, 1e-15);
    cr_expect(sla.multi_region, "geo-redundant");
    mr_scenario_free(sc);

    sc = tsr_load(HEAD "    usd_per_month: 40\n    redundancy: zrs\n", NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_DATASTORES), 40, 1e-9);
    sla = kc_store_sla(sc, 0);
    cr_expect_float_eq(sla.availability, 0.999, 1e-15);
    cr_expect(!sla.multi_region, "zone-redundant, one region");
    mr_scenario_free(sc);
}

Test(blob, a_microsoft_managed_failover_waits_its_decision_with_no_grace)
{
    /* The primary's region is down from 10 min for an hour; an automatic
     * failover decides 10 min later and switches in 5 min. */
    mr_scenario *sc = tsr_load(HEAD "    replicas: [neu]\n"
                                    "    failover: {mode: automatic, decision: 10m, duration: 5m}\n"
                                    "faults: [{name: o, kind: region_outage, target: weu, at: 10m,"
                                    " duration: 1h}]\n",
                               NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "data/files", "failovers"), 1);
    cr_expect_float_eq(mr_report_find(r, "data/files", "failover_at_s"), 600 + 600, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}
