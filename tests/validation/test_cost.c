/* tests/validation/test_cost.c: the Traffic Manager query charge of a real
 * replication follows the resolvers' refresh count, and that count follows
 * the TTL as docs/model.md rule 3 says it must. tests/fixtures/run/cost.yaml:
 * N resolvers that honour the TTL, queried about 50 times a second each,
 * over H = 1 h. Each refreshes at its first query after its answer expires:
 * first in [0, TTL) (caches start in steady state), then every TTL plus the
 * wait for the next query, so it refreshes floor(H / TTL) or one fewer
 * times; the pool, between N (H / TTL - 1) and N H / TTL. The charge is
 * exactly refreshes x 730 / 1 h x $0.54 per million on top of the health
 * checks (2 endpoints x $0.36). While Traffic Manager is down nothing is
 * answered, so nothing is cached and every client query asks again: those
 * queries are not billed, and the count stays within the same bounds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "run/build.h"
#include "mrsim/model.h"
#include "run/cost.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"

#define FIXTURE MRSIM_SOURCE_DIR "/tests/fixtures/run/cost.yaml"

/* Runs replication rep with the overrides; returns the refreshes of the
 * pool and sets the traffic item. */
static double run_rep(const char *const *sets, size_t nsets, uint64_t rep, double *traffic)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(FIXTURE, sets, nsets, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_sim *sim = NULL;
    rc = mr_build(sc, sc->seed, rep, &sim, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(sc, r, items);
    *traffic = items[MR_COST_TRAFFIC];
    double refreshes = mr_report_find(r, "resolvers/isp", "refreshes");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_diag_free(d);
    return refreshes;
}

static void check_with(const char *const *sets, size_t nsets, double n, double h_over_ttl);

static void check(const char *count, const char *rate, const char *ttl, double n, double h_over_ttl)
{
    const char *sets[] = {count, rate, ttl, NULL};
    check_with(sets, 3, n, h_over_ttl);
}

static void check_with(const char *const *sets, size_t nsets, double n, double h_over_ttl)
{
    const char *count = sets[0], *ttl = sets[2];
    for (uint64_t rep = 0; rep < 3; rep++) {
        double traffic;
        double refreshes = run_rep(sets, nsets, rep, &traffic);
        cr_expect(refreshes >= n * (h_over_ttl - 1) && refreshes <= n * h_over_ttl,
                  "%s %s: %g refreshes, expected %g to %g", count, ttl, refreshes,
                  n * (h_over_ttl - 1), n * h_over_ttl);
        cr_expect_float_eq(traffic, 2 * 0.36 + refreshes * 730 * 0.54e-6, 1e-9,
                           "%s %s: traffic %.9f for %g refreshes", count, ttl, traffic, refreshes);
    }
}

Test(cost, tm_query_charge_follows_the_refresh_count_ttl_30s, .timeout = 120)
{
    /* 10 resolvers, 500/s: 240 to 1200 refreshes, $0.0946 to $0.473 a month. */
    check("resolvers[0].count=10", "clients[0].rate=500/s", "traffic.ttl=30s", 10, 120);
}

Test(cost, tm_query_charge_follows_the_refresh_count_ttl_300s, .timeout = 120)
{
    /* Ten times the TTL, a tenth of the queries: 110 to 120 for 10 resolvers. */
    check("resolvers[0].count=10", "clients[0].rate=500/s", "traffic.ttl=300s", 10, 12);
}

Test(cost, tm_queries_failed_during_a_traffic_layer_outage_are_not_billed, .timeout = 120)
{
    /* Down for 10 of the 60 minutes: the resolvers ask on every client query
     * (500/s), none answered, none billed; the answered ones stay within
     * the no-outage bounds: at most 10 x 120. */
    const char *sets[] = {"resolvers[0].count=10", "clients[0].rate=500/s", "traffic.ttl=30s",
                          "faults=[{name: tm-down, kind: traffic_layer_outage, at: 20m, "
                          "duration: 10m}]"};
    double traffic;
    double refreshes = run_rep(sets, 4, 0, &traffic);
    cr_expect(refreshes <= 10 * 120 && refreshes >= 10 * (100 - 2), "%g refreshes", refreshes);
    cr_expect_float_eq(traffic, 2 * 0.36 + refreshes * 730 * 0.54e-6, 1e-9);
}
