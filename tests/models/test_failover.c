/* tests/models/test_failover.c: the failover kind (models/failover.c), the
 * topology's failover policy, on its events:
 * - probe trigger: the scale action runs the moment Traffic Manager turns
 *   an active endpoint Degraded (no delay), and automatic failback scales
 *   the standby back its delay after the endpoint is Online again; a
 *   standby's endpoint failing triggers nothing; a new failure while the
 *   failback waits cancels it, and the failback waits again;
 * - operator trigger: the actions run a decision after the first fault
 *   starts, and failback waits for the last fault to end;
 * - a scale action that names no cluster, or a promotion that names no
 *   component, is refused at link;
 * - the report: failovers, failbacks, the first failover's time (-1 when
 *   none).
 * The cold and warm standbys' recovery times are
 * tests/validation/test_compute.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "failover.h"
#include "traffic.h"
#include "scenario_run.h"

/* An active cluster in weu; a warm standby in neu (1 node, up to 4; a node
 * ready 5 min after it is asked for); Traffic Manager probing every 10 s
 * (timeout 5 s, no failure tolerated: Degraded within 15 s of a fault). */
static const char *const drill =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m}\n"
    "regions: [{name: weu}, {name: neu}]\n"
    "clusters:\n"
    "  - {name: aks-weu, region: weu, service_time: 5ms}\n"
    "  - {name: aks-neu, region: neu, role: standby, standby: warm,\n"
    "     nodes: {count: 2, min: 1, max: 4}, pods: {per_node: 2, startup: 20s},\n"
    "     autoscaler: {node_provision: 5m}, service_time: 5ms}\n"
    "traffic:\n"
    "  probe: {interval: 10s, timeout: 5s, tolerated_failures: 0}\n"
    "  ttl: 10s\n"
    "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: weu, resolver: r, rate: 0/s}]\n";

static mr_sim *build_with(const char *more, mr_scenario **sc)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", drill, more);
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

static const void *state(const mr_sim *sim, const char *name)
{
    const mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static void run_to_t(mr_sim *sim, mr_time t)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, t), MR_OK);
}

static void run_to_s(mr_sim *sim, double s)
{
    run_to_t(sim, mr_time_from_s(s));
}

Test(failover, a_probe_trigger_scales_the_moment_the_endpoint_turns_degraded_and_fails_back)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults: [{name: o, kind: region_outage, target: weu, at: 10m,"
                             " duration: 10m}]\n"
                             "failover: {trigger: probes, actions: [{scale: aks-neu, to: 4}],\n"
                             "           failback: {mode: automatic, delay: 2m}}\n",
                             &sc);
    const mr_tm_state *tm = state(sim, "traffic");
    const mr_failover_state *fo = state(sim, "failover");
    const mr_cluster_state *neu = state(sim, "clusters/aks-neu");
    cr_assert_eq(neu->billed, 1, "a warm standby runs nodes.min");
    run_to_s(sim, 615);
    cr_assert(tm->degraded[0], "Degraded within a probe interval and a timeout");
    mr_time degraded = tm->changed_at[0];
    cr_assert(degraded > 600 * MR_S && degraded <= 615 * MR_S);
    cr_assert_eq(fo->failovers, 1);
    cr_assert_eq(fo->first_failover, degraded, "no delay after the verdict");
    cr_assert_eq(neu->billed, 4, "scaled at once");
    cr_assert_eq(neu->floor, 4);
    run_to_s(sim, 1210);
    cr_assert(!tm->degraded[0]);
    mr_time online = tm->changed_at[0];
    cr_assert(online >= 1200 * MR_S && online < 1210 * MR_S, "Online at the first probe back");
    run_to_t(sim, online + 120 * MR_S - 1);
    cr_assert_eq(neu->billed, 4, "failback waits its delay");
    cr_assert_eq(fo->failbacks, 0);
    run_to_t(sim, online + 120 * MR_S);
    cr_assert_eq(fo->failbacks, 1);
    cr_assert_eq(neu->billed, 1, "back to the warm standby's size");
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "failover", "failovers"), 1);
    cr_expect_eq(mr_report_find(r, "failover", "failbacks"), 1);
    cr_expect_float_eq(mr_report_find(r, "failover", "first_failover_s"), mr_time_to_s(degraded),
                       1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(failover, a_standby_endpoint_failing_triggers_nothing)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults: [{name: f, kind: cluster_failure, target: aks-neu, at: 10m,"
                             " duration: 10m}]\n"
                             "failover: {trigger: probes, actions: [{scale: aks-neu, to: 4}]}\n",
                             &sc);
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "traffic", "status_changes"), 2,
                 "the probes saw the standby go and come back");
    cr_expect_eq(mr_report_find(r, "failover", "failovers"), 0);
    cr_expect_eq(mr_report_find(r, "failover", "first_failover_s"), -1);
    cr_expect_float_eq(mr_report_find(r, "clusters/aks-neu", "node_hours"), 1, 1e-9,
                       "never scaled");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(failover, a_new_failure_while_failback_waits_cancels_it)
{
    /* Out from 10 to 20 min, failback 10 min after Online (about 30 min);
     * out again from 25 to 35 min: the failback is cancelled, nothing fails
     * over twice, and failback comes 10 min after the second recovery. */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults:\n"
                             "  - {name: o, kind: region_outage, target: weu, at: 10m,"
                             " duration: 10m}\n"
                             "  - {name: f, kind: cluster_failure, target: aks-weu, at: 25m,"
                             " duration: 10m}\n"
                             "failover: {trigger: probes, actions: [{scale: aks-neu, to: 4}],\n"
                             "           failback: {mode: automatic, delay: 10m}}\n",
                             &sc);
    const mr_tm_state *tm = state(sim, "traffic");
    const mr_failover_state *fo = state(sim, "failover");
    const mr_cluster_state *neu = state(sim, "clusters/aks-neu");
    run_to_s(sim, 2400);
    cr_assert_eq(fo->failovers, 1, "the second failure found it failed over");
    cr_assert_eq(fo->failbacks, 0, "the first failback was cancelled");
    cr_assert_eq(neu->billed, 4);
    mr_time online = tm->changed_at[0];
    cr_assert(!tm->degraded[0] && online >= 2100 * MR_S && online < 2110 * MR_S);
    run_to_t(sim, online + 600 * MR_S - 1);
    cr_assert_eq(neu->billed, 4);
    run_to_t(sim, online + 600 * MR_S);
    cr_assert_eq(fo->failbacks, 1);
    cr_assert_eq(neu->billed, 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(failover, an_operator_acts_a_decision_after_the_first_fault_and_fails_back_after_the_last)
{
    /* Faults from 10 to 20 min and from 15 to 30 min; decision 5 min after
     * the first start (900 s); failback 1 min after the last end (1860 s). */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults:\n"
                             "  - {name: o, kind: region_outage, target: weu, at: 10m,"
                             " duration: 10m}\n"
                             "  - {name: f, kind: cluster_failure, target: aks-weu, at: 15m,"
                             " duration: 15m}\n"
                             "failover: {trigger: operator, decision: 5m,"
                             " actions: [{scale: aks-neu, to: 4}],\n"
                             "           failback: {mode: automatic, delay: 1m}}\n",
                             &sc);
    const mr_cluster_state *neu = state(sim, "clusters/aks-neu");
    run_to_s(sim, 900 - 0.001);
    cr_assert_eq(neu->billed, 1, "the probes' verdict at about 10 min moves nothing");
    run_to_s(sim, 900);
    cr_assert_eq(neu->billed, 4);
    run_to_s(sim, 1860 - 0.001);
    cr_assert_eq(neu->billed, 4, "a fault is still in force until 30 min");
    run_to_s(sim, 1860);
    cr_assert_eq(neu->billed, 1);
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "failover", "first_failover_s"), 900, 1e-9);
    cr_expect_eq(mr_report_find(r, "failover", "failovers"), 1);
    cr_expect_eq(mr_report_find(r, "failover", "failbacks"), 1);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(failover, actions_that_name_no_cluster_or_no_component_are_refused_at_link)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_region_cfg region = {.index = 0, .zones = 1, .faults = -1};
    cr_assert_eq(mr_sim_add(sim, mr_model_find("region"), "weu", &region, NULL, NULL), MR_OK);
    mr_failover_cfg cfg = {.trigger = MR_TRIGGER_PROBES, .nactions = 2,
                           .act = {MR_ACT_SCALE, MR_ACT_PROMOTE}, .target = {0, 99},
                           .to = {3, 0}};
    cr_assert_eq(mr_sim_add(sim, mr_model_find("failover"), "failover", &cfg, NULL, NULL), MR_OK);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_ENOCOMP);
    cr_assert_eq(mr_diag_count(d), 2);
    cr_expect_str_eq(mr_diag_line(d, 0),
                     "error: failover: its scale target (component 0) is not a cluster");
    cr_expect_str_eq(mr_diag_line(d, 1), "error: failover: action 1 promotes no component");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
