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
#include "validation.h"

#define FIXTURE MRSIM_SOURCE_DIR "/tests/fixtures/run/cost.yaml"

/* Runs replication rep with the overrides; returns the refreshes of the
 * pool and sets the traffic item and the refreshes while no fault was in
 * force (what the run rate bills). */
static double run_rep_normal(const char *const *sets, size_t nsets, uint64_t rep, double *traffic,
                             double *normal)
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
    mr_cost_month(sc, r, items, NULL, NULL);
    *traffic = items[MR_COST_TRAFFIC];
    double refreshes = mr_report_find(r, "resolvers/isp", "refreshes");
    *normal = mr_report_find(r, "resolvers/isp", "refreshes_normal");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_diag_free(d);
    return refreshes;
}

static double run_rep(const char *const *sets, size_t nsets, uint64_t rep, double *traffic)
{
    double normal;
    double refreshes = run_rep_normal(sets, nsets, rep, traffic, &normal);
    /* No fault: every refresh is in normal time. */
    cr_expect_eq(normal, refreshes);
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
     * the no-outage bounds: at most 10 x 120. The run rate is the 50
     * minutes of normal time's: 10 resolvers x 100 refreshes (99 to 100
     * each) scaled by 730 / (50/60 h). */
    const char *sets[] = {"resolvers[0].count=10", "clients[0].rate=500/s", "traffic.ttl=30s",
                          "faults=[{name: tm-down, kind: traffic_layer_outage, at: 20m, "
                          "duration: 10m}]"};
    double traffic, normal;
    double refreshes = run_rep_normal(sets, 4, 0, &traffic, &normal);
    cr_expect(refreshes <= 10 * 120 && refreshes >= 10 * (100 - 2), "%g refreshes", refreshes);
    cr_expect(normal <= 10 * 100 && normal >= 10 * (100 - 2), "%g in normal time", normal);
    cr_expect_float_eq(traffic, 2 * 0.36 + normal * 730 / (50.0 / 60) * 0.54e-6, 1e-9);
}

/* The traffic item at both fidelities, over 3 replications each. */
static void both_fidelities(const char *const *sets, size_t nsets, double *req, double *agg)
{
    const char *with[8];
    for (size_t i = 0; i < nsets; i++)
        with[i] = sets[i];
    *req = *agg = 0;
    for (int f = 0; f < 2; f++) {
        with[nsets] = f ? "run.fidelity=aggregate" : "run.fidelity=request";
        for (uint64_t rep = 0; rep < 3; rep++) {
            double traffic, normal;
            run_rep_normal(with, nsets + 1, rep, &traffic, &normal);
            *(f ? agg : req) += traffic / 3;
        }
    }
}

Test(cost, aggregate_fidelity_bills_the_same_queries_in_closed_form, .timeout = 120)
{
    /* Aggregate fidelity simulates a resolver's refreshes only where they
     * can change its answer, so it bills them in closed form: each of the
     * 10 resolvers asks once per TTL plus the wait for its next query (10
     * resolvers share 500/s: 0.02 s), over the 50 minutes of normal time
     * around a 10-minute region outage: 10 x 3000 / 30.02 = 999.3, a
     * whole count of 999 refreshes, x 730 / (50/60) x 0.54e-6 = 0.47256,
     * + 0.72 = 1.19256. Request fidelity counts 99 or 100 a resolver:
     * within 1%. */
    const char *sets[] = {"resolvers[0].count=10", "clients[0].rate=500/s", "traffic.ttl=30s",
                          "faults=[{name: out, kind: region_outage, target: westeurope, at: 20m, "
                          "duration: 10m}]"};
    double req, agg;
    both_fidelities(sets, 4, &req, &agg);
    static const mr_vcase vc = {
        .id = "cost.tm_queries_closed_form",
        .what = "Traffic Manager run rate, 10 resolvers, TTL 30 s, a 10 min outage",
        .reference = "closed form: 999 refreshes x 730 / (50/60) x $0.54/M + 2 x $0.36",
        .unit = "USD/month", .ref = 1.19256, .tol = 0.01 * 0.4727};
    mr_vcheck(&vc, "request", req, NAN, NAN, 4);
    mr_vcheck(&vc, "aggregate", agg, NAN, NAN, 4);
    cr_expect(fabs(agg - 1.19256) < 1e-5, "aggregate %.6f, closed form 1.19256", agg);
}

Test(cost, aggregate_fidelity_bills_front_door_the_clients_requests, .timeout = 120)
{
    /* Every request goes through the edge: 100/s x 730 h = 262.8 million a
     * month at $1 per million, + $35. Aggregate: exactly 297.80 (expected
     * counts); request: Poisson, sd 0.44 per replication, 0.25 over three. */
    const char *sets[] = {"traffic={kind: front_door, origins: [{cluster: aks-a, priority: 1}, "
                          "{cluster: aks-b, priority: 2}]}"};
    double req, agg;
    both_fidelities(sets, 1, &req, &agg);
    static const mr_vcase vc = {
        .id = "cost.front_door_requests",
        .what = "Front Door run rate at 100 requests/s",
        .reference = "closed form: 262.8 M requests x $1/M + $35 base",
        .unit = "USD/month", .ref = 297.80, .tol = 5 * 0.26};
    mr_vcheck(&vc, "request", req, NAN, NAN, 3);
    mr_vcheck(&vc, "aggregate", agg, NAN, NAN, 3);
    cr_expect(fabs(agg - 297.80) < 1e-6, "aggregate %.6f", agg);
}
