/* tests/validation/test_aggregate_partial.c: aggregate fidelity under
 * partial faults (issue 13, disagreement 1). A probe path that can fail
 * must keep probing: before, mr_cluster_quiescent (models/cluster.h)
 * ignored a region's partial outage, so the lazy probes of Traffic Manager
 * and Front Door slept after one success and the endpoint was never marked
 * down (aggregate 0.7386 against request 0.7657 behind Traffic Manager,
 * 0 status changes), and the hub's ramp tick (clients_agg.c ramp_in_force)
 * ignored ramped region and ingress outages (aggregate availability 1
 * under a ramp that fails a quarter of the run).
 *
 * 1. Two active regions, region a out at severity s = 1/2 for the whole run
 *    (warm-up excluded), Traffic Manager weighted 1:1, one probe location,
 *    interval I = 30 s, timeout T = 10 s, tolerated k = 3; resolvers honour
 *    the 30 s TTL; one attempt per request. Each probe of a fails with
 *    probability 1/2, independently. Rule 1: a failure is recorded at the
 *    probe + T, a success at once; Degraded at the 4th consecutive
 *    recorded failure, Online at the first success. At time jI + u (probe
 *    j at jI, u in [0, I)), in steady state:
 *      u <  T: Degraded iff probes j-4..j all failed      (1/2)^5 = 1/32
 *      u >= T: Degraded iff probes j-3..j all failed      (1/2)^4 = 1/16
 *    P(Degraded) = (T/I)(1/32) + (1 - T/I)(1/16) = 1/96 + 1/24 = 5/96.
 *    A resolver holds the answer of its last refresh, U ~ U[0, TTL) ago
 *    (rule 3, steady state): a with probability (1/2) P(Online) = (1/2)
 *    (91/96) (weighted answers are redrawn at every refresh; Degraded
 *    sends all to b). Its requests to a fail with probability s, so
 *      availability = 1 - s (1/2) (91/96) = 1 - 91/384 = 0.763021.
 *    The chain forgets its start within a few probes (10 min warm-up).
 *    Measured (40 x 4 h): request 0.76363 [0.76217, 0.76510], aggregate
 *    0.76187 [0.75896, 0.76478]; before the fix aggregate 0.7386 (4 reps).
 * 2. Same with Front Door, 10 edges, sample size n = 4, required x = 3,
 *    weights 1:1 at equal priority (both in the latency window). An edge's
 *    window holds the last 4 recorded outcomes; at jI + u:
 *      u <  T: probe j counted only if it succeeded: healthy iff
 *              (j ok and >= 2 of j-3..j-1 ok) or (j failed and >= 3 of
 *              j-4..j-1 ok): (1/2)(4/8) + (1/2)(5/16) = 13/32
 *      u >= T: >= 3 of j-3..j ok: 5/16
 *    P(healthy) = (1/3)(13/32) + (2/3)(5/16) = 11/32; an edge sends half
 *    of its requests to a while a is healthy there (all to b otherwise):
 *      availability = 1 - s (1/2) (11/32) = 1 - 11/128 = 0.9140625.
 *    Measured (8 x 4 h): request 0.91492 [0.91232, 0.91752], aggregate
 *    0.91486 [0.91220, 0.91753].
 *    In both, the probes draw from the traffic layer's own stream at either
 *    fidelity, so with the fix the verdicts are the same replication by
 *    replication (same seed): status changes are compared exactly.
 * 3. One region, plain DNS (no probes), a region outage ramped from 0 to 1
 *    over its hour, from 30 min into a 2 h run: the lost share is the
 *    ramp's mean over the hour, 1/2, for a quarter of the run:
 *    availability 0.75. Aggregate reads the share at each tick (one per
 *    SLO window, 10 s) and holds it, so it loses about 5 s less
 *    (0.75 + 5/7200 = 0.7507); tolerance 0.002. */
#include <criterion/criterion.h>
#include <math.h>

#include "scenario_run.h"
#include "mrsim/model.h"

static const char *const tm_partial =
    "version: mrsim/v1\n"
    "run: {horizon: 2h, warmup: 10m}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters:\n"
    "  - {name: ca, region: a, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40},"
    " service_time: 5ms}\n"
    "  - {name: cb, region: b, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40},"
    " service_time: 5ms}\n"
    "traffic:\n"
    "  kind: traffic_manager\n"
    "  routing: weighted\n"
    "  endpoints: [{cluster: ca, weight: 1}, {cluster: cb, weight: 1}]\n"
    "  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3, locations: 1}\n"
    "  ttl: 30s\n"
    "resolvers: [{name: r, count: 100, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 200/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: region_outage, target: a, at: 0s, duration: 5h,"
    " severity: 0.5}]\n";

static const char *const fd_partial =
    "version: mrsim/v1\n"
    "run: {horizon: 2h, warmup: 10m}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters:\n"
    "  - {name: ca, region: a, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40},"
    " service_time: 5ms}\n"
    "  - {name: cb, region: b, nodes: {count: 16}, pods: {per_node: 4, rps_per_pod: 40},"
    " service_time: 5ms}\n"
    "traffic:\n"
    "  kind: front_door\n"
    "  origins: [{cluster: ca, priority: 1, weight: 1}, {cluster: cb, priority: 1, weight: 1}]\n"
    "  pops: 10\n"
    "  probe: {interval: 30s, timeout: 10s, sample_size: 4, successful_samples_required: 3}\n"
    "resolvers: [{name: r, count: 100}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 200/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: region_outage, target: a, at: 0s, duration: 5h,"
    " severity: 0.5}]\n";

/* The closed form within the mean's 95% CI, widened by `bias` (what the
 * derivation leaves out: the start-up transient, a held tick). */
/* The closed form holds within the measurement's CI half-width plus a
 * stated bias; recorded in the validation table as id at fidelity. */
static void holds(const char *id, const char *what, const char *how, const char *fidelity,
                  const mr_summary *s, double expect, double bias)
{
    mr_vcase c = {.id = id, .what = what, .reference = how, .unit = "ratio", .ref = expect,
                  .tol = (s->ci_hi - s->ci_lo) / 2 + bias};
    mr_vcheck(&c, fidelity, s->mean, s->ci_lo, s->ci_hi, s->n);
}

/* The traffic layer's verdict changes in replication rep at a fidelity. */
static double changes_of(const char *text, const char *fidelity, const char *key, uint64_t rep)
{
    const char *sets[] = {fidelity};
    mr_scenario *sc = tsr_load(text, sets, 1);
    mr_sim *sim = tsr_build(sc, rep);
    mr_report *r = tsr_finish(sim);
    double n = mr_report_find(r, "traffic", key);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return n;
}

static void partial_case(const char *what, const char *text, const char *key, double expect)
{
    const char *req[] = {"run.fidelity=request"};
    const char *agg[] = {"run.fidelity=aggregate"};
    mr_result a, b;
    tsr_run(text, req, 1, 20, &a);
    tsr_run(text, agg, 1, 20, &b);
    const mr_summary *ra = &a.metrics[MR_METRIC_AVAILABILITY];
    const mr_summary *ag = &b.metrics[MR_METRIC_AVAILABILITY];
    char id[96], desc[160];
    snprintf(id, sizeof id, "aggregate_partial.%s_half_severity", what);
    snprintf(desc, sizeof desc, "availability, one of two weighted regions at severity 0.5 behind %s",
             what);
    holds(id, desc, "closed form (rules 1 and 3): TM 1 - 91/384, FD 1 - 11/128",
          "request", ra, expect, 0.001);
    holds(id, desc, "closed form (rules 1 and 3): TM 1 - 91/384, FD 1 - 11/128",
          "aggregate", ag, expect, 0.001);
    tsr_close_rel(what, "unavailability", ra, ag, 0.03, 1e-4, 1);
    mr_result_fini(&a);
    mr_result_fini(&b);
    for (uint64_t rep = 0; rep < 3; rep++) {
        double cr = changes_of(text, "run.fidelity=request", key, rep);
        double ca = changes_of(text, "run.fidelity=aggregate", key, rep);
        cr_expect(cr > 10 && ca == cr, "%s rep %llu: %s %g aggregate vs %g request", what,
                  (unsigned long long)rep, key, ca, cr);
    }
}

Test(aggregate_partial, region_at_half_severity_behind_traffic_manager_weighted, .timeout = 600)
{
    partial_case("traffic_manager", tm_partial, "status_changes", 1 - 91.0 / 384);
}

Test(aggregate_partial, region_at_half_severity_behind_front_door, .timeout = 600)
{
    partial_case("front_door", fd_partial, "health_changes", 1 - 11.0 / 128);
}

static const char *const ramped =
    "version: mrsim/v1\n"
    "run: {horizon: 2h}\n"
    "regions: [{name: a}]\n"
    "clusters: [{name: ca, region: a, nodes: {count: 4}, service_time: 5ms}]\n"
    "traffic: {kind: dns, endpoints: [{cluster: ca, priority: 1}]}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 100/s, timeout: 2s}]\n"
    "faults: [{name: f, kind: region_outage, target: a, at: 30m, duration: 1h,"
    " ramp: {from: 0, to: 1, over: 1h}}]\n";

Test(aggregate_partial, ramped_region_outage_loses_the_ramps_mean_at_both_fidelities,
     .timeout = 300)
{
    const char *fid[] = {"run.fidelity=request", "run.fidelity=aggregate"};
    for (int f = 0; f < 2; f++) {
        mr_result r;
        tsr_run(ramped, &fid[f], 1, 4, &r);
        holds("aggregate_partial.ramped_outage",
              "availability, a region outage ramping 0 to 1 over its hour (2 h horizon)",
              "closed form: the ramp's mean loss, 1 - 0.5 x 1 h / 2 h", f ? "aggregate" : "request",
              &r.metrics[MR_METRIC_AVAILABILITY], 0.75, 0.002);
        mr_result_fini(&r);
    }
}
