/* tests/validation/test_timeline.c: the recovery timeline (docs/model.md
 * "recovery timeline", docs/results.md "Recovery timeline") on small
 * scenarios whose milestones have closed forms, at both fidelities.
 *
 * The drill: West Europe active, North Europe a standby, Traffic Manager
 * with one probing location, interval 30 s, timeout 10 s, 3 tolerated
 * failures (rule 1), resolvers honouring the 30 s TTL; West Europe fails
 * at 2 min. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run/result.h"
#include "scenario_run.h"

static const char DRILL[] =
    "version: mrsim/v1\n"
    "name: tl\n"
    "seed: 3\n"
    "run: {horizon: 30m, warmup: 1m, replications: 10}\n"
    "regions:\n"
    "  - {name: westeurope, zones: 3}\n"
    "  - {name: northeurope, zones: 3}\n"
    "rtt: {westeurope-northeurope: 18ms, default: 80ms}\n"
    "clusters:\n"
    "  - {name: aks-weu, region: westeurope, role: active, nodes: {count: 3},"
    " pods: {per_node: 4, rps_per_pod: 40}}\n"
    "  - {name: aks-neu, region: northeurope, role: standby, standby: cold,"
    " nodes: {count: 3, min: 0, max: 6}, pods: {per_node: 4, rps_per_pod: 40,"
    " startup: const(20s)}, autoscaler: {node_provision: const(5m)}}\n"
    "traffic:\n"
    "  kind: traffic_manager\n"
    "  routing: priority\n"
    "  endpoints: [{cluster: aks-weu, priority: 1}, {cluster: aks-neu, priority: 2}]\n"
    "  ttl: 30s\n"
    "  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3, locations: 1, quorum: 1}\n"
    "resolvers:\n"
    "  - {name: isp, count: 100, ttl_policy: [{share: 1, mode: honor}]}\n"
    "clients:\n"
    "  - {name: users, origin: westeurope, resolver: isp, rate: 100/s, timeout: 2s,"
    " retry: {attempts: 2, backoff: exponential(200ms)}}\n"
    "faults:\n"
    "  - {name: weu-outage, kind: region_outage, target: westeurope, at: 2m, duration: 20m}\n"
    "failover:\n"
    "  trigger: probes\n"
    "  actions:\n"
    "    - {scale: aks-neu, to: 3}\n";

static const mr_milestone_result *milestone(const mr_episode_result *ep, uint32_t what)
{
    for (size_t i = 0; i < ep->ntimeline; i++)
        if (ep->timeline[i].what == what)
            return &ep->timeline[i];
    return NULL;
}

/* Rule 1 with one location: the first failed probe comes U x 30 s after
 * the fault (U uniform on [0, 1): the probe grid's phase), the 4th
 * consecutive failure's timeout ends 3 x 30 + 10 s later, so detection is
 * uniform on [100, 130): mean 115, sd 30 / sqrt(12) = 8.66, over 10
 * replications the mean within 3 x 8.66 / sqrt(10) = 8.2 of 115. The cold
 * standby (0 nodes) is scaled to 3 at detection (trigger: probes, a
 * message of delay 0): its nodes provision in exactly 5 min, their pods
 * start in exactly 20 s, so every replication's standby is ready 320 s
 * after its detection. */
static void check_detection_and_standby(const mr_result *r)
{
    cr_assert_eq(r->nepisodes, 1);
    const mr_episode_result *ep = &r->episodes[0];
    const mr_milestone_result *det = milestone(ep, MR_MS_DETECTED);
    const mr_milestone_result *sb = milestone(ep, MR_MS_STANDBY_READY);
    cr_assert_not_null(det);
    cr_assert_not_null(sb);
    cr_assert_eq(det->reached, 10);
    cr_assert_str_eq(det->component, "traffic");
    cr_assert_geq(det->t_s.min, 100 - 1e-6);
    cr_assert_lt(det->t_s.max, 130);
    cr_assert_lt(fabs(det->t_s.mean - 115), 8.2, "detection mean %g", det->t_s.mean);
    cr_assert_eq(sb->reached, 10);
    cr_assert_str_eq(sb->component, "clusters/aks-neu");
    cr_assert_float_eq(sb->t_s.mean - det->t_s.mean, 320, 1e-6, "%g %g", sb->t_s.mean,
                       det->t_s.mean);
    cr_assert_float_eq(sb->t_s.min - det->t_s.min, 320, 1e-6);
    /* No data store: no store milestone at all (absent, not zero). */
    cr_assert_null(milestone(ep, MR_MS_STORE_FAILOVER));
}

Test(timeline, detection_and_cold_standby_have_their_closed_forms, .timeout = 300)
{
    mr_result r;
    tsr_run(DRILL, NULL, 0, 10, &r);
    check_detection_and_standby(&r);
    /* The priority endpoint is down and the standby Degraded until its
     * pods serve: no client is routed to healthy capacity before the
     * standby is ready, so every routed milestone comes after it. */
    const mr_episode_result *ep = &r.episodes[0];
    const mr_milestone_result *sb = milestone(ep, MR_MS_STANDBY_READY);
    const mr_milestone_result *r50 = milestone(ep, MR_MS_ROUTED_50);
    cr_assert_not_null(r50);
    cr_assert_gt(r50->t_s.min, sb->t_s.min);
    cr_assert(ep->has_critical);
    mr_result_fini(&r);
}

/* The same drill at aggregate fidelity: detection is the same model with
 * the same streams (Traffic Manager does not depend on the fidelity), so
 * the same times to the bit; the standby likewise 320 s after it; the
 * routed shares and the RTO come from the hub's expected counts, within
 * two SLO windows (20 s) of request fidelity's means. */
Test(timeline, aggregate_fidelity_gives_the_same_milestones, .timeout = 300)
{
    const char *agg[] = {"run.fidelity=aggregate"};
    mr_result a, q;
    tsr_run(DRILL, agg, 1, 10, &a);
    tsr_run(DRILL, NULL, 0, 10, &q);
    check_detection_and_standby(&a);
    const mr_episode_result *ea = &a.episodes[0], *eq = &q.episodes[0];
    cr_assert_float_eq(milestone(ea, MR_MS_DETECTED)->t_s.mean,
                       milestone(eq, MR_MS_DETECTED)->t_s.mean, 1e-9);
    for (uint32_t w = MR_MS_ROUTED_50; w <= MR_MS_RECOVERED; w++) {
        const mr_milestone_result *x = milestone(ea, w), *y = milestone(eq, w);
        if (w == MR_MS_STORE_FAILOVER)
            continue;
        cr_assert((x == NULL) == (y == NULL), "%s applies at one fidelity only",
                  mr_milestone_name(w));
        if (x == NULL || y == NULL || w == MR_MS_STANDBY_READY)
            continue;
        cr_assert_lt(fabs(x->t_s.mean - y->t_s.mean), 20.0 + 1e-9, "%s: aggregate %g, request %g",
                     mr_milestone_name(w), x->t_s.mean, y->t_s.mean);
    }
    mr_result_fini(&a);
    mr_result_fini(&q);
}

/* Nodes that take 40 min to provision never arrive in a 30 min run (and
 * West Europe stays down past the horizon): the
 * standby's readiness is due (the failover policy scaled it) but never
 * reached, so it is censored in every replication, the service never
 * recovers (RTO censored) and recovery is still waiting on the standby:
 * the critical path, awaited, in 10 of 10. */
Test(timeline, a_recovery_cut_by_the_horizon_has_censored_milestones, .timeout = 300)
{
    const char *slow[] = {"clusters[1].autoscaler.node_provision=const(40m)",
                          "faults[0].duration=1h"};
    mr_result r;
    tsr_run(DRILL, slow, 2, 10, &r);
    const mr_episode_result *ep = &r.episodes[0];
    const mr_milestone_result *sb = milestone(ep, MR_MS_STANDBY_READY);
    const mr_milestone_result *rec = milestone(ep, MR_MS_RECOVERED);
    cr_assert_not_null(sb);
    cr_assert_eq(sb->applied, 10);
    cr_assert_eq(sb->reached, 0);
    cr_assert_float_eq(sb->t_s.censored, 1, 1e-12);
    /* Censored at the episode's end, the horizon: 30 min - 2 min. */
    cr_assert_float_eq(sb->t_s.mean, 1680, 1e-6);
    cr_assert_eq(rec->reached, 0);
    cr_assert(ep->has_critical);
    cr_assert(ep->critical_censored);
    cr_assert_eq(ep->timeline[ep->critical].what, MR_MS_STANDBY_READY);
    cr_assert_eq(ep->critical_n, 10);
    cr_assert(strstr(ep->critical_reason, "clusters/aks-neu: standby cold"), "%s",
              ep->critical_reason);
    mr_result_fini(&r);
}

/* A hot standby and an SQL failover group (automatic, grace 1 h, switch
 * 30 s: the defaults of docs/reference.md §5) that clients write to: the
 * primary is down from the outage's start, so the failover group fails
 * over at 3600 + 30 = 3630 s in every replication, long after traffic has
 * moved (about 2-3 min); writes fail until then, so the service recovers
 * after it and the critical path is the store's grace period. */
Test(timeline, sql_grace_is_the_critical_path, .timeout = 600)
{
    static const char SQL[] =
        "version: mrsim/v1\n"
        "name: tl-sql\n"
        "seed: 5\n"
        "run: {horizon: 80m, warmup: 1m, replications: 4}\n"
        "regions:\n"
        "  - {name: westeurope, zones: 3}\n"
        "  - {name: northeurope, zones: 3}\n"
        "rtt: {westeurope-northeurope: 18ms, default: 80ms}\n"
        "clusters:\n"
        "  - {name: aks-weu, region: westeurope, role: active, nodes: {count: 2},"
        " pods: {per_node: 4, rps_per_pod: 40}}\n"
        "  - {name: aks-neu, region: northeurope, role: standby, standby: hot,"
        " nodes: {count: 2}, pods: {per_node: 4, rps_per_pod: 40}}\n"
        "traffic:\n"
        "  kind: traffic_manager\n"
        "  routing: priority\n"
        "  endpoints: [{cluster: aks-weu, priority: 1}, {cluster: aks-neu, priority: 2}]\n"
        "  ttl: 30s\n"
        "resolvers:\n"
        "  - {name: isp, count: 100, ttl_policy: [{share: 1, mode: honor}]}\n"
        "clients:\n"
        "  - {name: users, origin: westeurope, resolver: isp, rate: 20/s, timeout: 2s,"
        " mix: {read: 0.5, write: 0.5}, uses: [orders],"
        " retry: {attempts: 2, backoff: exponential(200ms)}}\n"
        "datastores:\n"
        "  - name: orders\n"
        "    kind: sql\n"
        "    primary: westeurope\n"
        "    replicas: [{region: northeurope, readable: true}]\n"
        "    failover: {mode: automatic, grace: 1h}\n"
        "faults:\n"
        "  - {name: weu-outage, kind: region_outage, target: westeurope, at: 2m,"
        " duration: 2h}\n";
    mr_result r;
    tsr_run(SQL, NULL, 0, 4, &r);
    const mr_episode_result *ep = &r.episodes[0];
    const mr_milestone_result *st = milestone(ep, MR_MS_STORE_FAILOVER);
    cr_assert_not_null(st);
    cr_assert_str_eq(st->component, "data/orders");
    cr_assert_eq(st->reached, 4);
    cr_assert_float_eq(st->t_s.min, 3630, 1e-6);
    cr_assert_float_eq(st->t_s.max, 3630, 1e-6);
    const mr_milestone_result *rec = milestone(ep, MR_MS_RECOVERED);
    cr_assert_eq(rec->reached, 4);
    cr_assert_geq(rec->t_s.min, 3630);
    cr_assert(ep->has_critical);
    cr_assert_not(ep->critical_censored);
    cr_assert_eq(ep->timeline[ep->critical].what, MR_MS_STORE_FAILOVER);
    cr_assert_eq(ep->critical_n, 4);
    cr_assert(strstr(ep->critical_reason, "data/orders: automatic after the grace period 1h"),
              "%s", ep->critical_reason);
    mr_result_fini(&r);
}

/* The standby's nodes take 40 min but West Europe is back after 10: no
 * request is routed to healthy capacity before the repair (the standby is
 * still Degraded, Traffic Manager fails open to West Europe), so the
 * routed shares come back only at or after the fault's end (600 s), and
 * the critical path says recovery waited on the repair. */
Test(timeline, a_recovery_that_waited_on_the_repair_says_so, .timeout = 300)
{
    const char *slow[] = {"clusters[1].autoscaler.node_provision=const(40m)",
                          "faults[0].duration=10m"};
    mr_result r;
    tsr_run(DRILL, slow, 2, 10, &r);
    const mr_episode_result *ep = &r.episodes[0];
    const mr_milestone_result *r50 = milestone(ep, MR_MS_ROUTED_50);
    cr_assert_not_null(r50);
    cr_assert_geq(r50->t_s.min, 600);
    cr_assert(ep->has_critical);
    cr_assert_not(ep->critical_censored);
    cr_assert_eq(ep->critical_n, 10);
    cr_assert(strstr(ep->critical_reason, "westeurope back at the fault's end"), "%s",
              ep->critical_reason);
    mr_result_fini(&r);
}

/* Plain DNS (tests/fixtures/run/aggregate-dns.yaml): the traffic layer's
 * detection is the operator's edit of the record, uniform(2m, 4m) after
 * the outage, so every replication's lies in [120, 240] s; the operator's
 * delay is drawn from the DNS component's own stream, the same at either
 * fidelity, so the means agree to the bit. */
Test(timeline, plain_dns_detection_is_the_operators_edit, .timeout = 300)
{
    const char *agg[] = {"run.fidelity=aggregate"}, *req[] = {"run.fidelity=request"};
    const char *path = MRSIM_SOURCE_DIR "/tests/fixtures/run/aggregate-dns.yaml";
    mr_result a, q;
    tsr_run_path(path, "aggregate-dns", agg, 1, 6, &a);
    tsr_run_path(path, "aggregate-dns", req, 1, 6, &q);
    const mr_milestone_result *da = milestone(&a.episodes[0], MR_MS_DETECTED);
    const mr_milestone_result *dq = milestone(&q.episodes[0], MR_MS_DETECTED);
    cr_assert_not_null(da);
    cr_assert_not_null(dq);
    cr_assert_eq(dq->reached, 6);
    cr_assert_geq(dq->t_s.min, 120 - 1e-6);
    cr_assert_leq(dq->t_s.max, 240 + 1e-6);
    cr_assert_float_eq(da->t_s.mean, dq->t_s.mean, 1e-9);
    mr_result_fini(&a);
    mr_result_fini(&q);
}
