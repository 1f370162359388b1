/* tests/validation/test_aggregate.c: aggregate fidelity (models/clients_agg.c)
 * against request fidelity and against closed forms.
 *
 * 1. The two fidelities agree on the reference drill (active/passive behind
 *    Traffic Manager, tests/fixtures/run/aggregate-ap-tm.yaml), and on
 *    drills of Front Door (aggregate-fd.yaml) and plain DNS
 *    (aggregate-dns.yaml). Same seed, so the
 *    same fault times, probe phases and initial caches in both (every
 *    component's streams are keyed by its name): what differs is how
 *    traffic is carried (Poisson requests vs a rate) and how a resolver's
 *    refresh times after a change are drawn (simulated vs from the renewal
 *    process in equilibrium). Stated tolerance, over the mean of 20
 *    replications: unavailability (1 - availability) within 10% of request
 *    fidelity's, RTO and client RTO within 10% (or one 10 s window), or
 *    within three standard errors of the difference when the replications
 *    spread wider than that (the RTO is the end of the last window below
 *    99%, set by the few resolvers with long extra holds: its spread
 *    across replications is several minutes at a quarter of the load). The
 *    known biases are far smaller: retries after a switch (aggregate takes
 *    every attempt under the first's state) shift each switch by about
 *    timeout + backoff = 2.2 s of a resolver's ~150 s outage (< 2%); the
 *    Poisson noise of a 10-replication mean of the lost share is ~1%.
 *    Measured on active-passive-tm: unavailability 0.02651 vs 0.02615,
 *    RTO 1609 vs 1605 s, client RTO 183.0 vs 182.3 s.
 *
 * 2. One region failing with exponential up times (mean mtbf) and repairs
 *    (mean mttr), nothing to fail over to: requests fail exactly while it
 *    is down, so availability -> mtbf / (mtbf + mttr) (alternating renewal
 *    process). Over 60 replications of 10 years (about 330 cycles each)
 *    the mean must hold the closed form within its 95% CI, widened by the
 *    start-up bias (the process starts up: + mttr x A(1-A) / H ~ 2.5e-5).
 *
 * 3. Two active regions behind Traffic Manager (weighted 50/50), one
 *    region out for 40 minutes from 10 minutes in: per outage, the
 *    resolvers holding the failed endpoint (half of them) fail from the
 *    fault until their first refresh after detection. Rule 1: detection
 *    D = U + k I + T, U ~ U[0, I) (the probe phase); rule 3: the next
 *    refresh after detection R ~ U[0, TTL) (caches in steady state; the
 *    query gap after expiry costs no request: the first query after expiry
 *    is the refresh). Lost share of the horizon H's requests:
 *      (1/2) (T + k I + I/2 + TTL/2) / H
 *    = (1/2) (10 + 90 + 15 + 15) / 3600 = 0.018056 with the defaults,
 *    every resolver honouring the TTL. (Weighted answers are redrawn at
 *    every refresh, so before detection resolvers move between the two
 *    endpoints; at any instant half hold the failed one all the same, so
 *    the expected loss is unchanged: request fidelity gives 0.0248 here
 *    with the default TTL policies, as aggregate does.)
 *    Over 200 replications its standard error is ~1e-4 (D's and R's
 *    spreads, the binomial split of 100 resolvers, Poisson counts):
 *    checked within 3% relative. */
#include <criterion/criterion.h>
#include <math.h>
#include <unistd.h>

#include "scenario_run.h"
#include "mrsim/model.h"

static double mean(const mr_result *r, mr_metric m)
{
    return r->metrics[m].mean;
}

/* The reference scenarios this build has; missing ones are skipped. */
/* The reference drill before data stores and the autoscaler, which
 * aggregate fidelity refused (the reference scenarios on main now use
 * both; data stores are compared in test_aggregate_stores.c). */
static const char *const reference[] = {
    "tests/fixtures/run/aggregate-ap-tm.yaml",
    "tests/fixtures/run/aggregate-fd.yaml",
    "tests/fixtures/run/aggregate-dns.yaml",
};

Test(aggregate, agrees_with_request_fidelity_on_the_reference_scenarios, .timeout = 1200)
{
    int ran = 0;
    for (size_t f = 0; f < sizeof reference / sizeof reference[0]; f++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", MRSIM_SOURCE_DIR, reference[f]);
        if (access(path, R_OK) != 0)
            continue;
        /* A quarter of the load keeps request fidelity quick; the model's
         * behaviour does not depend on it (capacity only grows). */
        const char *req[] = {"clients[0].rate=500/s", "run.fidelity=request"};
        const char *agg[] = {"clients[0].rate=500/s", "run.fidelity=aggregate"};
        mr_result a, b;
        tsr_run_file(reference[f], req, 2, 20, &a);
        tsr_run_file(reference[f], agg, 2, 20, &b);
        tsr_close_rel(reference[f], "unavailability", &a.metrics[MR_METRIC_AVAILABILITY],
                  &b.metrics[MR_METRIC_AVAILABILITY], 0.10, 1e-5, 1);
        tsr_close_rel(reference[f], "rto_s", &a.metrics[MR_METRIC_RTO_S], &b.metrics[MR_METRIC_RTO_S],
                  0.10, 10, 0);
        tsr_close_rel(reference[f], "client_rto_s", &a.metrics[MR_METRIC_CLIENT_RTO_S],
                  &b.metrics[MR_METRIC_CLIENT_RTO_S], 0.10, 1, 0);
        /* No per-request latency in a fluid model: null, not a number. */
        cr_expect(isnan(mean(&b, MR_METRIC_LATENCY_MS_P99)), "%s: latency in aggregate mode",
                  reference[f]);
        mr_result_fini(&a);
        mr_result_fini(&b);
        ran++;
    }
    cr_assert_geq(ran, 1, "no reference scenario found");
}

static const char *const one_region =
    "version: mrsim/v1\n"
    "run: {horizon: 3650d, fidelity: aggregate}\n"
    "regions: [{name: a}]\n"
    "clusters: [{name: ca, region: a, nodes: {count: 4}, service_time: 5ms}]\n"
    "traffic: {kind: dns, endpoints: [{cluster: ca, priority: 1}]}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 100/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: region_outage, target: a, mtbf: 9d, mttr: exponential(1d)}]\n"
    /* Hour windows: a failing window costs a Poisson draw, and the closed
     * form is about requests, not windows. */
    "slo: {window: 1h}\n";

Test(aggregate, one_region_long_run_availability_is_mtbf_over_mtbf_plus_mttr, .timeout = 300)
{
    mr_result r;
    tsr_run(one_region, NULL, 0, 60, &r);
    const mr_summary *s = &r.metrics[MR_METRIC_AVAILABILITY];
    double expect = 9.0 / (9.0 + 1.0);
    double half = (s->ci_hi - s->ci_lo) / 2;
    mr_vcase c = {.id = "aggregate.one_region_mtbf_mttr",
                  .what = "availability of one region failing (MTBF 9 d, MTTR exponential 1 d), "
                          "nothing to fail over to, 10 years",
                  .reference = "closed form: alternating renewal process, MTBF / (MTBF + MTTR)",
                  .unit = "ratio", .ref = expect, .tol = half + 1e-4};
    mr_vcheck(&c, "aggregate", s->mean, s->ci_lo, s->ci_hi, s->n);
    cr_expect(half < 0.005, "the CI is too wide to say anything: %g", half);
    mr_result_fini(&r);
}

static const char *const two_active =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, fidelity: aggregate}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters:\n"
    "  - {name: ca, region: a, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40}}\n"
    "  - {name: cb, region: b, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40}}\n"
    "traffic:\n"
    "  kind: traffic_manager\n"
    "  routing: weighted\n"
    "  endpoints: [{cluster: ca, weight: 1}, {cluster: cb, weight: 1}]\n"
    "  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3}\n"
    "  ttl: 30s\n"
    "resolvers: [{name: r, count: 100, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 2000/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: region_outage, target: a, at: 10m, duration: 40m}]\n";

Test(aggregate, two_active_regions_lose_what_rules_1_and_3_predict, .timeout = 300)
{
    mr_result r;
    tsr_run(two_active, NULL, 0, 200, &r);
    double T = 10, k = 3, I = 30, ttl = 30, H = 3600;
    double lost = 0.5 * (T + k * I + I / 2 + ttl / 2) / H;
    const mr_summary *s = &r.metrics[MR_METRIC_AVAILABILITY];
    mr_vcase c = {.id = "aggregate.two_active_regions_tm",
                  .what = "unavailability, two active regions behind Traffic Manager, one out 40 min",
                  .reference = "closed form, rules 1 and 3: (1/2)(T + k I + I/2 + TTL/2) / H",
                  .unit = "ratio", .ref = lost, .tol = 0.03 * lost};
    mr_vcheck(&c, "aggregate", 1 - s->mean, 1 - s->ci_hi, 1 - s->ci_lo, s->n);
    mr_result_fini(&r);
}

/* One runtime view per resolver (models/clients_agg.c): populations behind
 * one pool must share their runtime cache kind. */
Test(aggregate, refuses_mixed_runtime_caches_behind_one_pool)
{
    char *path = tsr_write("version: mrsim/v1\n"
                           "run: {horizon: 1h, fidelity: aggregate}\n"
                           "regions: [{name: a}]\n"
                           "clusters: [{name: ca, region: a}]\n"
                           "traffic: {kind: traffic_manager, endpoints: [{cluster: ca}]}\n"
                           "resolvers: [{name: r, count: 10}]\n"
                           "clients: [{name: u, origin: a, resolver: r, rate: 10/s,"
                           " runtime_cache: java},\n"
                           "          {name: v, origin: a, resolver: r, rate: 10/s}]\n");
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    cr_expect_eq(mr_build_check(sc, d), MR_ESCENARIO);
    cr_expect(mr_diag_count(d) > 0 && strstr(mr_diag_line(d, mr_diag_count(d) - 1),
                                             "runtime cache") != NULL);
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
}

/* Autoscaling is carried now (test_aggregate_compute.c): accepted. */
Test(aggregate, accepts_autoscaling_clusters)
{
    char *path = tsr_write("version: mrsim/v1\n"
                           "run: {horizon: 1h, fidelity: aggregate}\n"
                           "regions: [{name: a}]\n"
                           "clusters: [{name: ca, region: a, nodes: {count: 4, min: 2, max: 8}}]\n"
                           "traffic: {kind: traffic_manager, endpoints: [{cluster: ca}]}\n"
                           "resolvers: [{name: r, count: 10}]\n"
                           "clients: [{name: u, origin: a, resolver: r, rate: 10/s}]\n");
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    cr_expect_eq(mr_build_check(sc, d), MR_OK, "%s",
                 mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
}

/* 4. Front Door weighting two healthy origins 1:3 (equal priority, within
 *    the latency window), the first failing every request while its probes
 *    pass (a gray failure: no edge ever marks it unhealthy) for 30 of 60
 *    minutes. Each attempt draws its origin (rule 2; clients.c route()):
 *    it fails with probability 1/4, independently of the attempts before
 *    it, so a request of A attempts fails with (1/4)^A, and the lost share
 *    of the hour is (1/2) (1/4)^A: 0.125, 0.03125, 0.0078125 for A = 1, 2,
 *    3. (Routing one origin per edge, as aggregate fidelity did before,
 *    loses (1/2) (1/4) whatever A.) Capacity is ample: no queue binds. */
static const char *const fd_weighted =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, fidelity: aggregate}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters:\n"
    "  - {name: ca, region: a, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40}}\n"
    "  - {name: cb, region: b, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40}}\n"
    "traffic:\n"
    "  kind: front_door\n"
    "  origins: [{cluster: ca, priority: 1, weight: 1}, {cluster: cb, priority: 1, weight: 3}]\n"
    "  pops: 10\n"
    "resolvers: [{name: r, count: 100}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 1000/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: gray_failure, target: ca, at: 15m, duration: 30m,"
    " severity: 1.0}]\n";

Test(aggregate, front_door_weighted_origins_fail_a_request_per_attempt, .timeout = 300)
{
    for (int a = 1; a <= 3; a++) {
        char set[96];
        snprintf(set, sizeof set, "clients[0].retry={attempts: %d, backoff: exponential(200ms)}",
                 a);
        const char *sets[] = {set};
        mr_result r;
        tsr_run(fd_weighted, sets, 1, 3, &r);
        double lost = 0.5 * pow(0.25, a);
        double got = 1 - r.metrics[MR_METRIC_AVAILABILITY].mean;
        cr_expect(fabs(got - lost) <= 0.02 * lost, "attempts %d: lost share %g, expected %g", a,
                  got, lost);
        mr_result_fini(&r);
    }
}

/* Probes that aggregate fidelity skips (an endpoint quiescent, or down and
 * already tripped) still count in the traffic layer's `probes`, those
 * asleep at the horizon included: the same count as request fidelity's,
 * replication by replication (same seed: same phases and fault times). */
static double probes_of(const char *rel, const char *fidelity, uint64_t rep)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", MRSIM_SOURCE_DIR, rel);
    const char *sets[] = {"clients[0].rate=50/s", fidelity};
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, sets, 2, mr_model_registry(), &sc, d), MR_OK, "%s", rel);
    mr_diag_free(d);
    mr_sim *sim = tsr_build(sc, rep);
    mr_report *r = tsr_finish(sim);
    double n = mr_report_find(r, "traffic", "probes");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return n;
}

Test(aggregate, skipped_probes_count_as_request_fidelity_runs_them, .timeout = 300)
{
    const char *files[] = {"tests/fixtures/run/aggregate-ap-tm.yaml",
                           "tests/fixtures/run/aggregate-fd.yaml"};
    for (size_t f = 0; f < 2; f++)
        for (uint64_t rep = 0; rep < 3; rep++) {
            double req = probes_of(files[f], "run.fidelity=request", rep);
            double agg = probes_of(files[f], "run.fidelity=aggregate", rep);
            cr_expect(req > 0 && agg == req, "%s rep %llu: probes %g aggregate vs %g request",
                      files[f], (unsigned long long)rep, agg, req);
        }
}
