/* tests/models/test_cluster.c: the cluster kind (models/cluster.c), an AKS
 * cluster, on its events, with constant provisioning and start-up so that
 * every instant is known:
 * - a zone outage removes that zone's pods, leaves the cluster answering
 *   with the others, and its pods start again pods.startup after it ends;
 *   a cluster whose only zone is down answers nothing, one that does not
 *   span the zone is untouched;
 * - a scale message (the failover policy's) sets the node count at once
 *   and becomes the autoscaler's floor; node_hours is the integral of the
 *   billed nodes, from provisioning to removal, and the report says the
 *   peak, the nodes added and removed;
 * - an idle autoscaler scales in to its floor after 10 minutes unneeded,
 *   but holds while no request can reach the cluster (it has failed);
 * - partial, gray and inverted gray failures fail their share of requests
 *   or probes; whole failures take it down and compose;
 * - a cluster whose bounds contradict each other is refused at init;
 * - a pod has max(1, round(rps_per_pod x mean service time)) slots, each
 *   request holding one for its draw scaled by slots / (rps x mean), and
 *   a zone outage takes its pods' slots; a service time without a finite
 *   mean, or too many servers, is refused at init.
 * The queue against Erlang B and C, standby modes and the autoscaler's
 * catch-up are tests/validation/test_queueing.c, test_cluster_queue.c and
 * test_compute.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "scenario_run.h"

#define HEAD                                                                                       \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 1h, warmup: 5m}\n"                                                             \
    "regions: [{name: a, zones: 3}]\n"                                                             \
    "traffic: {kind: traffic_manager}\n"                                                           \
    "resolvers: [{name: r, count: 10}]\n"

static mr_sim *build_text(const char *text, mr_scenario **sc)
{
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

static mr_component *comp(const mr_sim *sim, const char *name)
{
    mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c;
}

static void run_to_s(mr_sim *sim, double s)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(s)), MR_OK);
}

Test(cluster, a_zone_outage_removes_that_zones_pods_until_they_start_again)
{
    /* ca: 6 nodes of 2 pods over zones 1-3 (2 nodes each); cb: zone 3
     * only; cc: zones 1 and 2. Zone 3 is down from 10 to 20 min. */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_text(
        HEAD "clusters:\n"
             "  - {name: ca, region: a, nodes: {count: 6}, pods: {per_node: 2, startup: 20s}}\n"
             "  - {name: cb, region: a, zones: [3], nodes: {count: 2},"
             " pods: {per_node: 2, startup: 20s}}\n"
             "  - {name: cc, region: a, zones: [1, 2], nodes: {count: 2},"
             " pods: {per_node: 2, startup: 20s}}\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n"
             "faults: [{name: z3, kind: zone_outage, target: {region: a, zone: 3}, at: 10m,"
             " duration: 10m}]\n",
        &sc);
    const mr_cluster_state *ca = comp(sim, "clusters/ca")->state,
                           *cb = comp(sim, "clusters/cb")->state,
                           *cc = comp(sim, "clusters/cc")->state;
    cr_assert_eq(mr_cluster_pods(ca), 12);
    cr_assert_eq(mr_cluster_pods(cb), 4);
    run_to_s(sim, 900);
    cr_assert_eq(mr_cluster_pods(ca), 8, "a third of ca's pods were in zone 3");
    cr_assert_eq(ca->z[2].down, 1);
    cr_assert_eq(ca->z[2].waiting, 4, "its pods wait for the zone");
    cr_assert(mr_cluster_up(ca), "ca answers with the other zones");
    cr_assert_eq(mr_cluster_pods(cb), 0);
    cr_assert(!mr_cluster_up(cb), "cb has no pod left");
    cr_assert_eq(mr_cluster_pods(cc), 4, "cc spans no zone 3");
    run_to_s(sim, 1220 - 0.001);
    cr_assert_eq(mr_cluster_pods(ca), 8, "the zone is back, its pods are starting");
    cr_assert(!mr_cluster_up(cb));
    run_to_s(sim, 1220);
    cr_assert_eq(mr_cluster_pods(ca), 12, "serving pods.startup after the zone returned");
    cr_assert_eq(mr_cluster_pods(cb), 4);
    cr_assert(mr_cluster_up(cb));
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "clusters/ca", "node_hours"), 6, 1e-9,
                       "the nodes stayed billed through the outage");
    cr_expect_eq(mr_report_find(r, "clusters/ca", "nodes_added"), 0);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

static void scale(mr_sim *sim, uint32_t id, double at_s, int32_t nodes)
{
    mr_msg_scale m = {.nodes = nodes};
    cr_assert_eq(mr_sim_schedule_at(sim, mr_time_from_s(at_s), id, MR_MSG_SCALE, &m, sizeof m,
                                    NULL),
                 MR_OK);
}

Test(cluster, a_scale_sets_the_nodes_at_once_and_node_hours_integrate_them)
{
    /* 2 nodes (the floor), scaled to 6 at 10 min and to 1 at 40 min; a
     * node is ready 5 min after it is asked for, its pods 20 s later.
     * Billed: 2 nodes for 600 s, 6 for 1800 s, 1 for 1200 s. */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_text(
        HEAD "clusters: [{name: ca, region: a, nodes: {count: 2, min: 2, max: 10},"
             " pods: {per_node: 2, startup: 20s}, autoscaler: {node_provision: 5m}}]\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n",
        &sc);
    mr_component *c = comp(sim, "clusters/ca");
    const mr_cluster_state *ca = c->state;
    scale(sim, c->id, 600, 6);
    scale(sim, c->id, 2400, 1);
    run_to_s(sim, 600);
    cr_assert_eq(ca->billed, 6, "billed from the start of provisioning");
    cr_assert_eq(ca->floor, 6, "the scale is the autoscaler's floor");
    cr_assert_eq(mr_cluster_pods(ca), 4);
    run_to_s(sim, 920 - 0.001);
    cr_assert_eq(mr_cluster_pods(ca), 4);
    run_to_s(sim, 920);
    cr_assert_eq(mr_cluster_pods(ca), 12, "ready after 5 min, serving 20 s later");
    run_to_s(sim, 2100);
    cr_assert_eq(ca->billed, 6, "idle, but the floor keeps them");
    run_to_s(sim, 2400);
    cr_assert_eq(ca->billed, 1);
    cr_assert_eq(mr_cluster_pods(ca), 2);
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "clusters/ca", "node_hours"),
                       (2 * 600 + 6 * 1800 + 1 * 1200) / 3600.0, 1e-9);
    cr_expect_eq(mr_report_find(r, "clusters/ca", "peak_nodes"), 6);
    cr_expect_eq(mr_report_find(r, "clusters/ca", "nodes_added"), 4);
    cr_expect_eq(mr_report_find(r, "clusters/ca", "nodes_removed"), 5);
    cr_expect_eq(mr_report_find(r, "clusters/ca", "partial_faults_dropped"), 0);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* One cluster of 3 nodes of one pod (10 requests/s each), floor 1, offered
 * rate requests/s, with faults; its report. */
static mr_report *autoscaled(const char *rate, const char *faults)
{
    char text[2048];
    snprintf(text, sizeof text,
             HEAD "clusters: [{name: ca, region: a, nodes: {count: 3, min: 1, max: 3},"
                  " pods: {per_node: 1, rps_per_pod: 10}}]\n"
                  "clients: [{name: u, origin: a, resolver: r, rate: %s}]\n"
                  "%s",
             rate, faults);
    mr_scenario *sc = NULL;
    mr_sim *sim = build_text(text, &sc);
    mr_report *r = tsr_finish(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return r;
}

Test(cluster, an_idle_autoscaler_scales_in_after_10_minutes_but_holds_while_failed)
{
    /* Idle: the first scan (10 s) finds 2 nodes unneeded; 10 minutes
     * later (610 s) they go. */
    mr_report *r = autoscaled("0/s", "");
    cr_expect_eq(mr_report_find(r, "clusters/ca", "nodes_removed"), 2);
    cr_expect_float_eq(mr_report_find(r, "clusters/ca", "node_hours"),
                       (3 * 610 + 1 * 2990) / 3600.0, 1e-9);
    mr_report_free(r);
    /* 17.5 requests/s keep the 3 pods wanted (1.75 busy at 0.7); a 30-minute
     * failure stops every request from reaching them, and the autoscaler
     * holds rather than take the silence for a lack of load. */
    r = autoscaled("17.5/s", "faults: [{name: f, kind: cluster_failure, target: ca, at: 10m,"
                             " duration: 30m}]\n");
    cr_expect_eq(mr_report_find(r, "clusters/ca", "nodes_removed"), 0);
    cr_expect_float_eq(mr_report_find(r, "clusters/ca", "node_hours"), 3, 1e-9);
    mr_report_free(r);
}

Test(cluster, partial_and_gray_failures_fail_their_share_and_whole_ones_compose)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_text(
        HEAD "clusters: [{name: ca, region: a}]\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n"
             "faults:\n"
             "  - {name: part, kind: cluster_failure, target: ca, at: 10m, duration: 10m,"
             " severity: 0.4}\n"
             "  - {name: gray, kind: gray_failure, target: ca, at: 25m, duration: 5m}\n"
             "  - {name: inv, kind: gray_failure, target: ca, at: 35m, duration: 5m,"
             " params: {invert: true}}\n"
             "  - {name: w1, kind: cluster_failure, target: ca, at: 45m, duration: 5m}\n"
             "  - {name: w2, kind: cluster_failure, target: ca, at: 47m, duration: 8m}\n",
        &sc);
    const mr_cluster_state *ca = comp(sim, "clusters/ca")->state;
    /* minute, up, request share, probe share */
    const double at[] = {15, 27, 37, 48, 52, 56};
    const int up[] = {1, 1, 1, 0, 0, 1};
    const double req[] = {0.4, 1, 0, 0, 0, 0}, probe[] = {0.4, 0, 1, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
        run_to_s(sim, at[i] * 60);
        mr_time now = mr_sim_now(sim);
        cr_assert_eq(mr_cluster_up(ca), up[i], "at %g min", at[i]);
        if (!up[i])
            continue;
        cr_assert_float_eq(mr_cluster_request_fail_share(ca, now), req[i], 1e-12, "at %g min",
                           at[i]);
        cr_assert_float_eq(mr_cluster_probe_fail_share(ca, now), probe[i], 1e-12, "at %g min",
                           at[i]);
    }
    cr_assert_eq(ca->down, 0);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(cluster, bounds_that_contradict_each_other_are_refused_at_init)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_cluster_cfg cfg = {.region = 0, .faults = -1, .nodes = 2, .per_node = 2, .min = 5,
                          .max = 3, .target_utilization = 0.7, .rps_per_pod = 40, .ingress = -1};
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_add(sim, mr_model_find("cluster"), "ca", &cfg, d, NULL), MR_ERANGE);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect(strstr(mr_diag_line(d, 0), "ca: needs min <= max, nodes <= max and a target "
                                         "utilization above 0 (min 5, nodes 2, max 3") != NULL,
              "%s", mr_diag_line(d, 0));
    cr_assert_eq(mr_sim_component_count(sim), 0, "nothing was added");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* The queue's slots (docs/model.md "The cluster queue"): slots = max(1,
 * round(rps_per_pod x mean service time)) per serving pod, and a request
 * holds one for its own draw times slots / (rps_per_pod x mean), so a pod
 * frees rps_per_pod slots' worth a second whatever the rounding. One pod of
 * 10 requests/s per zone, constant service times (the draw is the mean):
 * - 260 ms: 2.6 rounds to 3 slots held 260 x 3 / 2.6 = 300 ms each;
 * - 120 ms: 1.2 rounds to 1 slot held 120 / 1.2 = 100 ms;
 * - 0 s: 1 slot held 1 / rps_per_pod = 100 ms (M/D/c).
 * Offered at t = 1 s, four requests start at 1, 1, 1 and 1.3 s on three
 * slots, at 1, 1.1, 1.2 and 1.3 s on one. A zone outage takes that zone's
 * pods and their slots. */
static void offers_start_at(const char *service, uint32_t slots, const double *want_s)
{
    /* ca: one pod in each of zones 1-3 (zone 3 down from 10 to 20 s); cb:
     * one pod in zone 1, which the requests are offered to. */
    char text[1024];
    snprintf(text, sizeof text,
             HEAD "clusters:\n"
                  "  - {name: ca, region: a, nodes: {count: 3}, service_time: %s,"
                  " pods: {per_node: 1, rps_per_pod: 10, startup: 20s}}\n"
                  "  - {name: cb, region: a, zones: [1], nodes: {count: 1}, service_time: %s,"
                  " pods: {per_node: 1, rps_per_pod: 10, startup: 20s}}\n"
                  "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n"
                  "faults: [{name: z3, kind: zone_outage, target: {region: a, zone: 3}, at: 10s,"
                  " duration: 10s}]\n",
             service, service);
    mr_scenario *sc = NULL;
    mr_sim *sim = build_text(text, &sc);
    mr_cluster_state *ca = comp(sim, "clusters/ca")->state;
    mr_component *b = comp(sim, "clusters/cb");
    mr_cluster_state *cb = b->state;
    run_to_s(sim, 1);
    cr_assert_eq(ca->slots, slots, "%s", service);
    cr_assert_eq(mr_cluster_pods(ca), 3, "%s", service);
    cr_assert_eq(ca->fifo.c, 3 * slots, "%s: pods x slots servers", service);
    cr_assert_eq(cb->fifo.c, slots, "%s", service);
    cr_assert_eq(cb->hold, 100 * MR_MS, "%s: the autoscaler's pod time is 1 / rps_per_pod",
                 service);
    /* The draw of a constant law is its value. */
    mr_time svc = (mr_time)(mr_dist_mean(&((const mr_cluster_cfg *)b->cfg)->service_time) + 0.5);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(mr_cluster_offer(cb, MR_S, svc, MR_TIME_NEVER), mr_time_from_s(want_s[i]),
                     "%s: request %d", service, i);
    run_to_s(sim, 15);
    cr_assert_eq(mr_cluster_pods(ca), 2, "%s", service);
    cr_assert_eq(ca->fifo.c, 2 * slots, "%s: zone 3's slots are gone", service);
    run_to_s(sim, 60);
    cr_assert_eq(ca->fifo.c, 3 * slots, "%s: back with its pods", service);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(cluster, a_pod_has_rps_x_mean_service_slots_each_held_for_a_scaled_draw)
{
    const double three[] = {1, 1, 1, 1.3}, one[] = {1, 1.1, 1.2, 1.3};
    offers_start_at("260ms", 3, three);
    offers_start_at("120ms", 1, one);
    offers_start_at("0s", 1, one);
}

Test(cluster, a_service_time_without_a_finite_mean_or_too_many_slots_is_refused_at_init)
{
    /* Pareto of shape 1: no mean, no number of slots. 1e6 requests/s of
     * 20 s: 2e7 slots for one pod, above MR_CLUSTER_MAX_SERVERS. (The
     * scenario refuses both with their location: tests/fixtures/bad/84, 85.) */
    for (int k = 0; k < 2; k++) {
        mr_sim *sim = mr_sim_new(1, 0);
        mr_cluster_cfg cfg = {.region = 0, .faults = -1, .nodes = 1, .pods = 1, .min = 1,
                              .max = 1, .target_utilization = 0.7, .rps_per_pod = 40,
                              .ingress = -1};
        if (k == 0) {
            cr_assert_eq(mr_dist_pareto(&cfg.service_time, 10e6, 1), MR_OK);
        } else {
            cfg.rps_per_pod = 1e6;
            cr_assert_eq(mr_dist_const(&cfg.service_time, 20e9), MR_OK);
        }
        mr_diag *d = mr_diag_new();
        cr_assert_eq(mr_sim_add(sim, mr_model_find("cluster"), "ca", &cfg, d, NULL), MR_ERANGE);
        cr_assert_eq(mr_diag_count(d), 1);
        cr_expect(strstr(mr_diag_line(d, 0), "more than 16777216 servers") != NULL, "%s",
                  mr_diag_line(d, 0));
        mr_diag_free(d);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}
