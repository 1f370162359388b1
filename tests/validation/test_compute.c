/* tests/validation/test_compute.c: the compute layer, shared dependencies
 * and the failover policy, built from scenario text through mr_build, with
 * constant distributions so that every time is known in closed form.
 *
 * The base scenario: two regions of three zones, an active cluster in West
 * Europe and a standby in North Europe behind Traffic Manager (priority,
 * probes 30 s / 10 s / 3, TTL 30 s), 50 honouring resolvers, 200 requests/s,
 * one attempt each. A node holds 4 pods of 40 requests/s: 160 requests/s a
 * node. Node provisioning P = 5 min and pod start-up S = 20 s, constant.
 *
 * Closed forms used below:
 * - an operator trigger acts at fault start + decision (const);
 * - a scale-out sent at t serves from t + P + S (nodes ready at t + P,
 *   their pods after S);
 * - node_hours = sum over nodes of (removal or horizon - provisioning start);
 * - a zone outage of a cluster spread evenly over 3 zones leaves 2/3 of the
 *   pods;
 * - a dependency needed for requests fails every request issued while it is
 *   down, in every cluster that uses it: with the outage on SLO-window
 *   boundaries, downtime is exactly its duration. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "mrsim/model.h"
#include "cluster.h"
#include "failover.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "validation.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "mrsim/report.h"

#define P_S 300.0 /* node provisioning */
#define S_S 20.0  /* pod start-up */

static const char *BASE =
    "version: mrsim/v1\n"
    "name: compute\n"
    "seed: 11\n"
    "run: {horizon: 1h, warmup: 1m, replications: 1}\n"
    "regions:\n"
    "  - {name: westeurope, zones: 3}\n"
    "  - {name: northeurope, zones: 3}\n"
    "rtt: {westeurope-northeurope: 18ms, default: 20ms}\n"
    "clusters:\n"
    "  - name: aks-weu\n"
    "    region: westeurope\n"
    "    role: active\n"
    "    nodes: {count: 2}\n"
    "    pods: {per_node: 4, rps_per_pod: 40, startup: 20s}\n"
    "    service_time: 10ms\n"
    "    autoscaler: {node_provision: 5m}\n"
    "  - name: aks-neu\n"
    "    region: northeurope\n"
    "    role: standby\n"
    "    standby: hot\n"
    "    nodes: {count: 2, min: 1, max: 4}\n"
    "    pods: {per_node: 4, rps_per_pod: 40, startup: 20s}\n"
    "    service_time: 10ms\n"
    "    autoscaler: {node_provision: 5m}\n"
    "traffic: {kind: traffic_manager, routing: priority, ttl: 30s}\n"
    "resolvers:\n"
    "  - {name: isp, count: 50, ttl_policy: [{share: 1, mode: honor}]}\n"
    "clients:\n"
    "  - {name: users, origin: westeurope, resolver: isp, rate: 200/s, timeout: 2s,\n"
    "     retry: {attempts: 1}}\n";

static const char *REGION_OUTAGE =
    "faults:\n"
    "  - {name: outage, kind: region_outage, target: westeurope, at: 10m, duration: 20m}\n";

/* Loads BASE + extra with --set overrides. */
static mr_scenario *load(const char *extra, const char *const *sets, size_t nsets)
{
    char path[] = "/tmp/mrsim-compute-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(BASE, f);
    fputs(extra, f);
    fclose(f);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    remove(path);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sc;
}

static mr_sim *build(const mr_scenario *sc, uint64_t rep)
{
    mr_diag *d = mr_diag_new();
    mr_sim *sim = NULL;
    int rc = mr_build(sc, 11, rep, &sim, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

/* Runs to the horizon and returns the report (caller frees). */
static mr_report *finish(mr_sim *sim)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    return r;
}

static const mr_cluster_state *cluster(mr_sim *sim, const char *name)
{
    mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static void run_until_t(mr_sim *sim, mr_time t)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, t), MR_OK);
}

static void run_until(mr_sim *sim, double s)
{
    run_until_t(sim, mr_time_from_s(s));
}

/* ---- standby modes --------------------------------------------------------- */

static const char *PROBES_SCALE =
    "failover:\n"
    "  trigger: probes\n"
    "  actions: [{scale: aks-neu, to: 2}]\n"
    "  failback: {mode: none}\n";

Test(compute, cold_standby_rto_exceeds_hot_by_provisioning_and_startup)
{
    char extra[1024];
    snprintf(extra, sizeof extra, "%s%s", REGION_OUTAGE, PROBES_SCALE);
    const char *cold[] = {"clusters[1].standby=cold"};
    mr_scenario *hot_sc = load(extra, NULL, 0), *cold_sc = load(extra, cold, 1);
    double deltas[3];
    for (uint64_t rep = 0; rep < 3; rep++) {
        mr_sim *hs = build(hot_sc, rep), *cs = build(cold_sc, rep);
        /* A cold standby holds no node until the failover; a hot one its count. */
        cr_assert_eq(mr_cluster_pods(cluster(cs, "clusters/aks-neu")), 0);
        cr_assert_eq(mr_cluster_pods(cluster(hs, "clusters/aks-neu")), 8);
        mr_report *hr = finish(hs), *cr = finish(cs);
        double fo = mr_report_find(cr, "failover", "first_failover_s");
        cr_assert_float_eq(fo, mr_report_find(hr, "failover", "first_failover_s"), 1e-9,
                           "same probe phases (common random numbers)");
        /* Rule 1: Degraded 100 to 130 s after the fault. */
        cr_assert(fo >= 600 + 100 && fo < 600 + 130, "failover at %g", fo);
        double rto_h = mr_report_find(hr, "", "rto_s"), rto_c = mr_report_find(cr, "", "rto_s");
        double delta = rto_c - rto_h;
        /* The cold standby serves from fo + P + S; Traffic Manager sees it at
         * its next probe (< 30 s later) and the caches follow within a TTL,
         * while the hot one takes traffic from fo on: the difference is P + S
         * plus the probe wait, give or take one 10 s window of rounding. */
        cr_assert(delta >= P_S + S_S - 10 && delta <= P_S + S_S + 30 + 10,
                  "rep %llu: cold %g s, hot %g s", (unsigned long long)rep, rto_c, rto_h);
        deltas[rep] = delta;
        /* Billing: the cold standby's 2 nodes from fo to the horizon. */
        cr_assert_float_eq(mr_report_find(cr, "clusters/aks-neu", "node_hours"),
                           2 * (3600 - fo) / 3600, 1e-9);
        cr_assert_float_eq(mr_report_find(hr, "clusters/aks-neu", "node_hours"), 2.0, 1e-9);
        mr_report_free(hr);
        mr_report_free(cr);
        cr_assert_eq(mr_sim_free(hs), MR_OK);
        cr_assert_eq(mr_sim_free(cs), MR_OK);
    }
    /* The bounds above as a case: P + S plus a probe wait uniform on
     * [0, 30 s), give or take a 10 s window. */
    static const mr_vcase vc = {
        .id = "compute.cold_minus_hot_rto",
        .what = "RTO of a cold standby minus a hot one's (same probe phases)",
        .reference = "closed form: provisioning 300 s + pod start 20 s + probe wait U[0, 30 s)",
        .unit = "s", .ref = P_S + S_S + 15, .tol = 25};
    mr_vcheck_sample(&vc, "request", deltas, 3);
    mr_scenario_free(hot_sc);
    mr_scenario_free(cold_sc);
}

Test(compute, undersized_warm_standby_overloads_until_the_scale_out_serves)
{
    /* 400 requests/s need 4 nodes at a 0.7 target (15 pods); the warm
     * standby runs nodes.min = 1 (160/s). The failover scales it to 4 at fo:
     * it is overloaded from the switch until fo + P + S. */
    char extra[1024];
    snprintf(extra, sizeof extra, "%s%s", REGION_OUTAGE,
             "failover:\n  trigger: probes\n  actions: [{scale: aks-neu, to: 4}]\n"
             "  failback: {mode: none}\n");
    const char *sets[] = {"clusters[1].standby=warm", "clients[0].rate=400/s",
                          "clusters[0].nodes.count=4"};
    mr_scenario *sc = load(extra, sets, 3);
    for (uint64_t rep = 0; rep < 2; rep++) {
        mr_sim *sim = build(sc, rep);
        const mr_cluster_state *neu = cluster(sim, "clusters/aks-neu");
        cr_assert_eq(mr_cluster_pods(neu), 4, "warm: nodes.min x per_node");
        run_until(sim, 600 + 99);
        mr_component *fo_c = mr_sim_find(sim, "failover");
        const mr_failover_state *fst = fo_c->state;
        while (fst->first_failover < 0)
            cr_assert_eq(mr_sim_run(sim, MR_RUN_STEP, 0), MR_OK);
        double fo = mr_time_to_s(fst->first_failover);
        mr_time served = fst->first_failover + mr_time_from_s(P_S + S_S);
        run_until_t(sim, served - 1);
        cr_assert_eq(mr_cluster_pods(neu), 4, "still one node just before P + S");
        run_until_t(sim, served);
        cr_assert_eq(mr_cluster_pods(neu), 16, "four nodes serve at fo + P + S");
        mr_report *r = finish(sim);
        /* Overloaded windows (160/s of 400/s served) last until the capacity
         * comes: RTO = fo + P + S - 600, rounded up to the window, plus the
         * drain of at most one 2 s patience. */
        double rto = mr_report_find(r, "", "rto_s");
        double want = fo + P_S + S_S - 600;
        cr_assert(rto >= want - 10 && rto <= want + 12, "rep %llu: RTO %g s, closed form %g s",
                  (unsigned long long)rep, rto, want);
        cr_assert(mr_report_find(r, "", "availability") < 0.95, "the overload cost requests");
        mr_report_free(r);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    mr_scenario_free(sc);
}

Test(compute, the_autoscaler_alone_scales_a_warm_standby_under_load)
{
    /* No failover policy: the load itself makes the autoscaler add nodes at
     * a scan (every 10 s) after the switch; they serve P + S later. */
    const char *sets[] = {"clusters[1].standby=warm", "clients[0].rate=400/s",
                          "clusters[0].nodes.count=4"};
    mr_scenario *sc = load(REGION_OUTAGE, sets, 3);
    mr_sim *sim = build(sc, 0);
    mr_report *r = finish(sim);
    cr_assert_eq(mr_report_find(r, "clusters/aks-neu", "peak_nodes"), 4);
    double rto = mr_report_find(r, "", "rto_s");
    /* Detection (>= 100 s) + P + S at the least, and the whole ramp within
     * detection (130 s) + TTL + two scans + P + S + a window. */
    cr_assert(rto >= 100 + P_S + S_S && rto <= 130 + 30 + 20 + P_S + S_S + 10, "RTO %g", rto);
    /* After the fault the warm standby is idle again: the autoscaler
     * removes its surplus after 10 min unneeded, back to nodes.min. */
    cr_assert_eq(mr_report_find(r, "clusters/aks-neu", "nodes_removed"), 3);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* ---- zones ------------------------------------------------------------------ */

Test(compute, a_zone_outage_removes_a_third_of_the_capacity)
{
    /* 6 nodes of 1 pod (40/s each): 240/s over 3 zones; a zone outage
     * leaves 160/s, below the 200/s offered: requests fail during it only. */
    const char *sets[] = {"clusters[0].nodes.count=6", "clusters[0].pods.per_node=1"};
    mr_scenario *sc = load("faults:\n  - {name: z2, kind: zone_outage, target: {region: "
                           "westeurope, zone: 2}, at: 10m, duration: 10m}\n",
                           sets, 2);
    mr_sim *sim = build(sc, 0);
    const mr_cluster_state *weu = cluster(sim, "clusters/aks-weu");
    cr_assert_eq(mr_cluster_pods(weu), 6);
    run_until(sim, 900);
    cr_assert_eq(mr_cluster_pods(weu), 4, "two of six pods lost with zone 2");
    cr_assert_eq(weu->z[1].down, 1);
    cr_assert(mr_cluster_up(weu), "the cluster still answers");
    run_until(sim, 1200 + S_S - 0.001);
    cr_assert_eq(mr_cluster_pods(weu), 4, "the zone's pods restart when it returns");
    run_until(sim, 1200 + S_S);
    cr_assert_eq(mr_cluster_pods(weu), 6);
    mr_report *r = finish(sim);
    /* About 1 - 160/200 = 20% of the requests of the 600 s outage fail: a
     * downtime of the whole outage, and availability near 1 - 0.2 x 600 /
     * 3540. */
    double av = mr_report_find(r, "", "availability");
    cr_assert(av > 1 - 0.2 * 620 / 3540 - 0.005 && av < 1 - 0.2 * 580 / 3540 + 0.005, "%g", av);
    static const mr_vcase vc = {
        .id = "compute.zone_outage_availability",
        .what = "availability through a 10 min zone outage (a third of the pods, 160/s of 200/s served)",
        .reference = "closed form: 1 - 0.2 x 600 / 3540",
        .unit = "ratio", .ref = 1 - 0.2 * 600 / 3540, .tol = 0.2 * 20 / 3540 + 0.005};
    mr_vcheck(&vc, "request", av, NAN, NAN, 1);
    double down = mr_report_find(r, "", "downtime_s");
    cr_assert(down >= 590 && down <= 640, "%g", down);
    /* Node billing is untouched by the outage: 6 nodes, 1 hour. */
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-weu", "node_hours"), 6.0, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(compute, the_autoscaler_never_places_nodes_in_a_zone_that_is_down)
{
    const char *sets[] = {"clusters[0].nodes.count=6", "clusters[0].nodes.max=12",
                          "clusters[0].pods.per_node=1"};
    mr_scenario *sc = load("faults:\n  - {name: z2, kind: zone_outage, target: {region: "
                           "westeurope, zone: 2}, at: 10m, duration: 20m}\n",
                           sets, 3);
    mr_sim *sim = build(sc, 0);
    const mr_cluster_state *weu = cluster(sim, "clusters/aks-weu");
    run_until(sim, 599);
    int32_t before[3];
    for (int z = 0; z < 3; z++)
        before[z] = weu->z[z].prov + weu->z[z].ready;
    run_until(sim, 1199);
    /* 200/s at 0.7 need 8 pods (nodes of one pod) in the zones that are up. */
    cr_assert_eq(weu->z[1].prov + weu->z[1].ready, before[1], "nothing placed in zone 2");
    cr_assert_eq(weu->z[0].prov + weu->z[0].ready + weu->z[2].prov + weu->z[2].ready, 8);
    cr_assert_eq(mr_cluster_pods(weu), 8, "the survivors serve the load after P + S");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* ---- node_hours and the failover policy -------------------------------------- */

Test(compute, operator_trigger_fires_after_the_decision_and_failback_scales_back)
{
    /* Operator: decision 5 min after the fault (600 s): a cold standby is
     * scaled to 4 at 900 s. The fault ends at 1800 s; automatic failback
     * 2 min later scales it back to none at 1920 s. */
    mr_scenario *sc = load("faults:\n  - {name: outage, kind: region_outage, target: westeurope, "
                           "at: 10m, duration: 20m}\n"
                           "failover:\n  trigger: operator\n  decision: 5m\n"
                           "  actions: [{scale: aks-neu, to: 4}]\n"
                           "  failback: {mode: automatic, delay: 2m}\n",
                           (const char *[]){"clusters[1].standby=cold"}, 1);
    mr_sim *sim = build(sc, 0);
    const mr_cluster_state *neu = cluster(sim, "clusters/aks-neu");
    run_until(sim, 899.999);
    cr_assert_eq(neu->billed, 0);
    run_until(sim, 900);
    cr_assert_eq(neu->billed, 4, "scaled at fault start + decision");
    run_until(sim, 900 + P_S + S_S);
    cr_assert_eq(mr_cluster_pods(neu), 16);
    run_until(sim, 1919.999);
    cr_assert_eq(neu->billed, 4);
    run_until(sim, 1920);
    cr_assert_eq(neu->billed, 0, "failback: back to the cold standby's size");
    cr_assert_eq(mr_cluster_pods(neu), 0);
    mr_report *r = finish(sim);
    cr_assert_float_eq(mr_report_find(r, "failover", "first_failover_s"), 900, 1e-9);
    cr_assert_float_eq(mr_report_find(r, "failover", "failbacks"), 1, 1e-9);
    /* Hand-computed: 4 nodes x (1920 - 900) s; the active's 2 nodes x 1 h. */
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-neu", "node_hours"), 4 * 1020 / 3600.0,
                       1e-9);
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-weu", "node_hours"), 2.0, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(compute, manual_failback_waits_for_its_decision_and_none_never_fails_back)
{
    const char *fmt = "faults:\n  - {name: outage, kind: region_outage, target: westeurope, "
                      "at: 10m, duration: 20m}\n"
                      "failover:\n  trigger: operator\n  decision: 1m\n"
                      "  actions: [{scale: aks-neu, to: 4}]\n"
                      "  failback: {mode: %s, decision: 10m}\n";
    char extra[512];
    snprintf(extra, sizeof extra, fmt, "manual");
    mr_scenario *sc = load(extra, (const char *[]){"clusters[1].standby=warm"}, 1);
    mr_sim *sim = build(sc, 0);
    mr_report *r = finish(sim);
    /* Warm: nodes.min = 1 until 660 s, 4 until 1800 + 600 s, then 1. */
    double want = (660 + 4 * (2400 - 660) + (3600 - 2400)) / 3600.0;
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-neu", "node_hours"), want, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);

    snprintf(extra, sizeof extra, fmt, "none");
    sc = load(extra, (const char *[]){"clusters[1].standby=warm"}, 1);
    sim = build(sc, 0);
    r = finish(sim);
    cr_assert_float_eq(mr_report_find(r, "failover", "failbacks"), 0, 1e-9);
    /* Never failed back: the floor stays at 4 even once idle. */
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-neu", "node_hours"),
                       (660 + 4 * (3600 - 660)) / 3600.0, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(compute, a_fault_that_ends_before_the_decision_cancels_it)
{
    mr_scenario *sc = load("faults:\n  - {name: blip, kind: region_outage, target: westeurope, "
                           "at: 10m, duration: 1m}\n"
                           "failover:\n  trigger: operator\n  decision: 5m\n"
                           "  actions: [{scale: aks-neu, to: 4}]\n",
                           NULL, 0);
    mr_sim *sim = build(sc, 0);
    mr_report *r = finish(sim);
    cr_assert_float_eq(mr_report_find(r, "failover", "failovers"), 0, 1e-9);
    cr_assert_float_eq(mr_report_find(r, "clusters/aks-neu", "node_hours"), 2.0, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* ---- shared dependencies ------------------------------------------------------ */

static mr_report *dependency_run(const char *dep)
{
    char extra[1024];
    snprintf(extra, sizeof extra,
             "dependencies:\n  - %s\n"
             "faults:\n  - {name: dep-out, kind: dependency_outage, target: dep, at: 10m, "
             "duration: 10m}\n",
             dep);
    mr_scenario *sc = load(extra, NULL, 0);
    mr_sim *sim = build(sc, 0);
    mr_report *r = finish(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return r;
}

Test(compute, a_dependency_needed_for_requests_fails_every_region_that_uses_it)
{
    mr_report *r = dependency_run("{name: dep, kind: identity, used_by: [aks-weu, aks-neu], "
                                  "needed_for: requests}");
    /* Every request issued in [600, 1200) fails, in both regions (Traffic
     * Manager fails open and back to the primary: both are down). */
    cr_assert_float_eq(mr_report_find(r, "", "downtime_s"), 600, 1e-9);
    double av = mr_report_find(r, "", "availability");
    static const mr_vcase vc = {
        .id = "compute.shared_dependency_availability",
        .what = "availability when a dependency both regions need is down 10 min",
        .reference = "closed form: every request of the 600 s fails: 1 - 600 / 3540",
        .unit = "ratio", .ref = 1 - 600.0 / 3540, .tol = 0.003};
    mr_vcheck(&vc, "request", av, NAN, NAN, 1);
    cr_assert_float_eq(mr_report_find(r, "dependencies/dep", "outages"), 1, 1e-9);
    mr_report_free(r);
}

Test(compute, a_dependency_outage_spares_clusters_that_do_not_need_it_for_requests)
{
    /* Needed to start pods only: serving clusters go on serving. */
    mr_report *r = dependency_run("{name: dep, kind: registry, used_by: [aks-weu, aks-neu], "
                                  "needed_for: pod_start}");
    cr_assert_float_eq(mr_report_find(r, "", "downtime_s"), 0, 1e-9);
    cr_assert(mr_report_find(r, "", "availability") > 0.9999);
    mr_report_free(r);
    /* Needed for requests, but only by the standby: the active serves. */
    r = dependency_run("{name: dep, kind: identity, used_by: [aks-neu], needed_for: requests}");
    cr_assert_float_eq(mr_report_find(r, "", "downtime_s"), 0, 1e-9);
    cr_assert(mr_report_find(r, "", "availability") > 0.9999);
    mr_report_free(r);
}

Test(compute, a_regional_dependency_goes_down_with_its_region)
{
    /* Identity hosted in West Europe: its region's outage takes the North
     * Europe standby down too, so the failover finds nothing to fail to. */
    const char *extra = "dependencies:\n  - {name: dep, kind: identity, region: westeurope, "
                        "used_by: [aks-weu, aks-neu], needed_for: requests}\n"
                        "faults:\n  - {name: outage, kind: region_outage, target: westeurope, "
                        "at: 10m, duration: 10m}\n";
    mr_scenario *sc = load(extra, NULL, 0);
    mr_sim *sim = build(sc, 0);
    mr_report *r = finish(sim);
    cr_assert_float_eq(mr_report_find(r, "", "downtime_s"), 600, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(compute, a_registry_outage_blocks_a_cold_start_until_it_returns)
{
    /* The registry is down from 5 to 40 min; the operator scales the cold
     * standby at 15 min: nodes ready at 20 min, pods blocked until the
     * registry is back (retried at the next 10 s scan), then S. */
    const char *extra =
        "dependencies:\n  - {name: acr, kind: registry, used_by: [aks-neu], "
        "needed_for: pod_start}\n"
        "faults:\n"
        "  - {name: acr-out, kind: dependency_outage, target: acr, at: 5m, duration: 35m}\n"
        "  - {name: outage, kind: region_outage, target: westeurope, at: 10m, duration: 40m}\n"
        "failover:\n  trigger: operator\n  decision: 5m\n"
        "  actions: [{scale: aks-neu, to: 2}]\n  failback: {mode: none}\n";
    mr_scenario *sc = load(extra, (const char *[]){"clusters[1].standby=cold"}, 1);
    mr_sim *sim = build(sc, 0);
    const mr_cluster_state *neu = cluster(sim, "clusters/aks-neu");
    run_until(sim, 900 + P_S + 1);
    cr_assert_eq(neu->z[0].ready + neu->z[1].ready + neu->z[2].ready, 2, "nodes provision");
    run_until(sim, 2400 - 1);
    cr_assert_eq(mr_cluster_pods(neu), 0, "no pod starts without the registry");
    run_until(sim, 2400 + 10 + S_S);
    cr_assert_eq(mr_cluster_pods(neu), 8, "started at the first scan after its return");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* Whether some diagnostic line contains text. */
static int said(const mr_diag *d, const char *text)
{
    for (int i = 0; i < mr_diag_count(d); i++)
        if (strstr(mr_diag_line(d, i), text))
            return 1;
    return 0;
}

Test(compute, unsupported_failover_parts_are_refused_by_name)
{
    mr_scenario *sc = load("failover: {trigger: datastore}\n", NULL, 0);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_build_check(sc, d), MR_ESCENARIO);
    cr_assert(said(d, "failover.trigger: datastore"), "%s", mr_diag_line(d, 0));
    mr_diag_free(d);
    mr_scenario_free(sc);
}

/* The policy's promote action fails the store over when the probes see the
 * primary region go, long before SQL's own automatic failover (max(1 h,
 * grace), rule 5): writes resume in North Europe after detection, at the
 * price of the writes not yet replicated (a forced failover). */
static double store_scalar(const char *extra, const char *metric)
{
    const char *uses[] = {"clients[0].uses=[orders]"};
    mr_scenario *sc = load(extra, uses, 1);
    mr_sim *sim = build(sc, 0);
    mr_sim_run(sim, MR_RUN_HORIZON, 0);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    double v = mr_report_find(r, "data/orders", metric);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return v;
}

Test(compute, a_promote_action_forces_the_store_over_at_detection)
{
    const char *store = "datastores:\n  - {name: orders, kind: sql, primary: westeurope,\n"
                        "     replicas: [{region: northeurope}]}\n";
    char with[1024], without[1024];
    snprintf(without, sizeof without, "%s%s", store, REGION_OUTAGE);
    snprintf(with, sizeof with, "%s%s%s", store, REGION_OUTAGE,
             "failover: {trigger: probes, actions: [{promote: orders}]}\n");
    double lost_without = store_scalar(without, "lost_writes");
    double lost_with = store_scalar(with, "lost_writes");
    cr_expect_eq(lost_without, 0, "no failover within the 20 minutes: nothing lost");
    cr_expect_gt(lost_with, 0, "a forced promotion loses the unreplicated writes");
}
