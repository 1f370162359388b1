/* tests/validation/test_runbook.c: the failover policy's runbook
 * (failover.runbook, models/failover.c; docs/model.md "Failover and
 * failback"): an operator disables the endpoint of a cluster missing the
 * SLO, under Traffic Manager, Front Door and plain DNS, at both fidelities.
 *
 * The drill (GRAY below): an active cluster in West Europe, a hot standby
 * in North Europe; 50 requests/s from 100 honouring resolvers (TTL 30 s);
 * SLO windows of 10 s, success target 0.99. At T = 30 min a gray failure
 * fails 80% of the active cluster's requests for 60 min while its probes
 * pass. Runbook: detect D = 5 min, delay X = 10 min, constant.
 *
 * Closed forms (derived by hand):
 * - the operator sees the miss at T (the fault's start: 1 - 0.8 < 0.99),
 *   decides at T + D, disables the endpoint at T + D + X = 2700 s;
 * - Front Door routes every request to the standby from that instant, so
 *   the episode's RTO is D + X = 900 s (the instants fall on window
 *   boundaries);
 * - Traffic Manager and plain DNS answer the standby from then on; every
 *   resolver honours the 30 s TTL and refreshes at its first query after
 *   expiry (2 s mean wait at 0.5 queries/s each), so the RTO is D + X +
 *   at most TTL + a few seconds of wait, rounded up to a 10 s window:
 *   in [900, 950];
 * - without the runbook nobody routes away (probes pass; plain DNS's own
 *   operator moves the record only when a cluster fails every request):
 *   the RTO is the whole fault, 3600 s;
 * - unavailability over the measured 6900 s (2 h - 5 min warm-up) is
 *   0.8 x (outage seconds) / 6900: with the runbook between 0.8 x 900 /
 *   6900 = 0.1043 and 0.8 x 950 / 6900 = 0.1101 (TM), without it
 *   0.8 x 3600 / 6900 = 0.4174 (Poisson noise of 345,000 requests: about
 *   0.001);
 * - failback automatic after 2 min: the endpoint is enabled at T + 60 min
 *   + 2 min = 5520 s. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "failover.h"
#include "traffic.h"
#include "scenario_run.h"

static const char *const GRAY =
    "version: mrsim/v1\n"
    "run: {horizon: 2h, warmup: 5m, replications: 1}\n"
    "regions: [{name: weu, zones: 3}, {name: neu, zones: 3}]\n"
    "rtt: {weu-neu: 18ms, default: 80ms}\n"
    "clusters:\n"
    "  - {name: aks-weu, region: weu, nodes: {count: 2}, pods: {per_node: 4, rps_per_pod: 40},\n"
    "     service_time: 20ms}\n"
    "  - {name: aks-neu, region: neu, role: standby, standby: hot,\n"
    "     nodes: {count: 2, max: 3}, pods: {per_node: 4, rps_per_pod: 40}, service_time: 20ms}\n"
    "traffic: {kind: %s, ttl: 30s}\n"
    "resolvers: [{name: isp, count: 100, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: weu, resolver: isp, rate: 50/s, timeout: 2s}]\n"
    "faults:\n"
    "  - {name: gray, kind: gray_failure, target: aks-weu, at: 30m, duration: 60m,\n"
    "     severity: 0.8%s}\n"
    "failover:\n"
    "  trigger: probes\n"
    "  failback: {mode: automatic, delay: 2m}\n"
    "  runbook: {disable_endpoint: %s, detect: 5m, delay: 10m}\n"
    "%s"
    "slo: {window: 10s, success_target: 0.99, stable_for: 60s}\n";

#define D_S 300.0
#define X_S 600.0
#define T_S 1800.0

/* The drill under traffic kind `kind` (Front Door's TTL is not a key:
 * its `ttl` is left out), with the runbook on or off, extra fault keys and
 * extra failover lines. */
static void drill(char *out, size_t n, const char *kind, int on, const char *fault,
                  const char *more)
{
    char traffic[64];
    snprintf(traffic, sizeof traffic, "%s", kind);
    snprintf(out, n, GRAY, traffic, fault, on ? "true" : "false", more);
    if (strcmp(kind, "front_door") == 0) { /* no TTL: anycast */
        char *p = strstr(out, ", ttl: 30s");
        memmove(p, p + strlen(", ttl: 30s"), strlen(p + strlen(", ttl: 30s")) + 1);
    }
}

/* One replication of text at fidelity fid; its report (free it). */
static mr_report *one(const char *text, const char *fid, mr_sim **simp)
{
    char set[64];
    snprintf(set, sizeof set, "run.fidelity=%s", fid);
    const char *sets[] = {set};
    mr_scenario *sc = tsr_load(text, sets, 1);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    if (simp)
        *simp = sim;
    else
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return r;
}

static const char *const FIDS[] = {"request", "aggregate"};

static void rto_case(const char *kind, double lo, double hi)
{
    char text[4096];
    for (int f = 0; f < 2; f++) {
        drill(text, sizeof text, kind, 1, "", "");
        mr_report *r = one(text, FIDS[f], NULL);
        double rto = mr_report_find(r, "", "rto_s");
        cr_expect(rto >= lo && rto <= hi, "%s %s: runbook rto %g not in [%g, %g]", kind, FIDS[f],
                  rto, lo, hi);
        char id[96], what[160];
        snprintf(id, sizeof id, "runbook.%s_gray_failure_rto", kind);
        snprintf(what, sizeof what,
                 "RTO of a 60 min gray failure behind %s with the runbook (detect 5 min, delay "
                 "10 min)", kind);
        mr_vcase vc = {.id = id, .what = what,
                       .reference = "closed form: detect + delay (+ the TTL's switch under TM "
                                    "and DNS), in [lo, hi]",
                       .unit = "s", .ref = (lo + hi) / 2, .tol = (hi - lo) / 2};
        mr_vcheck(&vc, FIDS[f], rto, NAN, NAN, 1);
        cr_expect_float_eq(mr_report_find(r, "failover", "first_disable_s"), T_S + D_S + X_S,
                           1e-9, "%s %s: disabled at T + D + X", kind, FIDS[f]);
        cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_disables"), 1, 1e-9);
        /* Enabled again at the fault's end + the automatic failback's 2 min. */
        cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_enables"), 1, 1e-9);
        mr_report_free(r);
        drill(text, sizeof text, kind, 0, "", "");
        r = one(text, FIDS[f], NULL);
        rto = mr_report_find(r, "", "rto_s");
        cr_expect(fabs(rto - 3600) <= 10, "%s %s: without the runbook rto %g, not the fault's 3600",
                  kind, FIDS[f], rto);
        mr_report_free(r);
    }
}

Test(runbook, traffic_manager_outage_is_detect_plus_delay_plus_ttl_not_the_whole_fault)
{
    rto_case("traffic_manager", D_S + X_S, D_S + X_S + 50);
}

Test(runbook, front_door_routes_away_at_the_disable_itself)
{
    rto_case("front_door", D_S + X_S, D_S + X_S + 10);
}

Test(runbook, plain_dns_moves_the_record_at_the_disable)
{
    rto_case("dns", D_S + X_S, D_S + X_S + 50);
}

/* The disable and the enable are status changes of Traffic Manager like
 * its probes' (which never change here: the probes pass throughout), and
 * events of the trace: the endpoint is off from 2700 s to 5520 s. */
Test(runbook, the_disable_and_enable_are_status_changes_at_their_instants)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, "", "");
    mr_sim *sim = NULL;
    mr_scenario *sc = tsr_load(text, NULL, 0);
    sim = tsr_build(sc, 0);
    const mr_component *t = mr_sim_find(sim, "traffic");
    const mr_traffic_head *h = mr__traffic_head(t);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T_S + D_S + X_S - 1)), MR_OK);
    cr_expect_eq(h->disabled[0], 0, "not before T + D + X");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T_S + D_S + X_S)), MR_OK);
    cr_expect_eq(h->disabled[0], 1, "disabled at T + D + X");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(5520 - 1)), MR_OK);
    cr_expect_eq(h->disabled[0], 1);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(5520)), MR_OK);
    cr_expect_eq(h->disabled[0], 0, "enabled at the end + 2 min");
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "traffic", "status_changes"), 2, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* A fault shorter than D ends before the decision: nothing is disabled.
 * Failback none: the endpoint stays disabled to the horizon. */
Test(runbook, a_short_fault_is_forgiven_and_failback_none_never_enables)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, "", "");
    const char *shorter[] = {"faults[0].duration=4m"};
    mr_scenario *sc = tsr_load(text, shorter, 1);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_disables"), 0, 1e-9);
    cr_expect_float_eq(mr_report_find(r, "failover", "first_disable_s"), -1, 1e-9);
    mr_report_free(r);
    mr_scenario_free(sc);
    const char *none[] = {"failover.failback.mode=none"};
    sc = tsr_load(text, none, 1);
    sim = tsr_build(sc, 0);
    r = tsr_finish(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_disables"), 1, 1e-9);
    cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_enables"), 0, 1e-9);
    mr_report_free(r);
    mr_scenario_free(sc);
}

/* A ramp from 0 to 0.8 over 10 min crosses 1 - 0.99 = 0.01 at 7.5 s; the
 * operator looks at SLO window boundaries during a ramp, so sees it at
 * T + 10 s, and disables at T + 10 s + D + X = 2710 s. */
Test(runbook, a_ramp_is_seen_at_the_first_window_boundary_past_the_target)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, ", ramp: {from: 0, over: 10m}", "");
    for (int f = 0; f < 2; f++) {
        mr_report *r = one(text, FIDS[f], NULL);
        cr_expect_float_eq(mr_report_find(r, "failover", "first_disable_s"),
                           T_S + 10 + D_S + X_S, 1e-9, "%s", FIDS[f]);
        mr_report_free(r);
    }
}

/* Under the probes trigger a disabled active endpoint is an unhealthy one:
 * the scale action runs at the disable (2700 s), the failback's scale-in
 * at the enable (5520 s) + the same 2 min. */
Test(runbook, the_disable_runs_the_probe_triggers_actions)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, "", "  actions: [{scale: aks-neu, to: 3}]\n");
    for (int f = 0; f < 2; f++) {
        mr_report *r = one(text, FIDS[f], NULL);
        cr_expect_float_eq(mr_report_find(r, "failover", "first_failover_s"), T_S + D_S + X_S,
                           1e-9, "%s", FIDS[f]);
        cr_expect_float_eq(mr_report_find(r, "failover", "failbacks"), 1, 1e-9);
        mr_report_free(r);
    }
}

/* Both clusters gray: the operator disables the first and never the last
 * enabled endpoint. */
Test(runbook, the_last_enabled_endpoint_is_never_disabled)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1,
          "}\n  - {name: gray2, kind: gray_failure, target: aks-neu, at: 30m, duration: 60m,"
          " severity: 0.8",
          "");
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    const mr_traffic_head *h = mr__traffic_head(mr_sim_find(sim, "traffic"));
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T_S + D_S + X_S + 1)), MR_OK);
    cr_expect_eq(h->disabled[0] + h->disabled[1], 1);
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "failover", "endpoint_disables"), 1, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* Request and aggregate fidelity agree over replications: RTO within 2%
 * (or 3 standard errors), unavailability within 5%, for each layer, with
 * and without the runbook. Reference values: the closed forms above. */
Test(runbook, request_and_aggregate_fidelity_agree, .timeout = 120)
{
    static const char *const kinds[] = {"traffic_manager", "front_door", "dns"};
    for (int k = 0; k < 3; k++)
        for (int on = 0; on < 2; on++) {
            char text[4096];
            drill(text, sizeof text, kinds[k], on, "", "");
            mr_result a = {0}, b = {0};
            tsr_run(text, (const char *[]){"run.fidelity=request"}, 1, 4, &a);
            tsr_run(text, (const char *[]){"run.fidelity=aggregate"}, 1, 4, &b);
            char what[64];
            snprintf(what, sizeof what, "%s runbook %d", kinds[k], on);
            tsr_close_rel(what, "rto_s", &a.metrics[MR_METRIC_RTO_S], &b.metrics[MR_METRIC_RTO_S],
                          0.02, 10, 0);
            tsr_close_rel(what, "unavailability", &a.metrics[MR_METRIC_AVAILABILITY],
                          &b.metrics[MR_METRIC_AVAILABILITY], 0.05, 1e-4, 1);
            double un = 1 - a.metrics[MR_METRIC_AVAILABILITY].mean;
            if (on)
                cr_expect(un >= 0.8 * 900 / 6900 - 0.002 && un <= 0.8 * 950 / 6900 + 0.002,
                          "%s: unavailability %g", what, un);
            else
                cr_expect(fabs(un - 0.8 * 3600 / 6900) <= 0.003, "%s: unavailability %g", what,
                          un);
            mr_result_fini(&a);
            mr_result_fini(&b);
        }
}

/* Fail-open never reaches a disabled endpoint: the standby is cold (no
 * pod: its probes fail, Degraded from its first failed probes on), the
 * active gray one is disabled at 2700 s; with no enabled endpoint Online,
 * Traffic Manager answers the enabled ones (the standby), never the
 * disabled active (rule 1's fail-open is over the enabled endpoints). This
 * is the hazard of disabling toward a standby that does not serve yet. */
Test(runbook, a_disabled_endpoint_is_never_answered_even_failing_open)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, "", "");
    const char *cold[] = {"clusters[1].standby=cold"};
    mr_scenario *sc = tsr_load(text, cold, 1);
    mr_sim *sim = tsr_build(sc, 0);
    const mr_component *t = mr_sim_find(sim, "traffic");
    const mr_tm_state *tm = t->state;
    const mr_traffic_base *base = mr__traffic_base(t);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T_S + D_S + X_S - 1)), MR_OK);
    cr_expect_eq(tm->degraded[1], 1, "the cold standby is Degraded");
    cr_expect_eq(mr__tm_answer(t, NULL, 0), (uint32_t)base->cluster[0], "the active before");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T_S + D_S + X_S)), MR_OK);
    cr_expect_eq(tm->degraded[0], 0, "the active's probes still pass");
    cr_expect_eq(mr__tm_answer(t, NULL, 0), (uint32_t)base->cluster[1],
                 "fail-open over the enabled endpoints only");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* Drawn delays (a reference Monte Carlo of the closed form): detect
 * uniform(1m, 9m) and delay triangular(10m, 20m, 1h) put the disable at
 * T + D + X with E[D + X] = 300 + (600 + 1200 + 3600) / 3 = 2100 s and
 * Var = 480^2 / 12 + (600^2 + 1200^2 + 3600^2 - 600 x 1200 - 600 x 3600
 * - 1200 x 3600) / 18 = 19,200 + 420,000 (sd 663 s). Over 400
 * replications the mean is within 4 standard errors (133 s) of 2100 s and
 * the standard deviation within 10% of 663 s. No request is needed: the
 * operator sees the fault, not the traffic (rate 0); the fault lasts
 * 80 min, longer than D + X can (69 min), so every draw disables. */
Test(runbook, drawn_detect_and_delay_have_the_closed_form_mean_and_spread, .timeout = 120)
{
    char text[4096];
    drill(text, sizeof text, "traffic_manager", 1, "", "");
    const char *sets[] = {"failover.runbook.detect=uniform(1m, 9m)",
                          "failover.runbook.delay=triangular(10m, 20m, 1h)",
                          "clients[0].rate=0/s", "faults[0].duration=80m"};
    mr_scenario *sc = tsr_load(text, sets, 4);
    const int n = 400;
    double sum = 0, sum2 = 0;
    for (int rep = 0; rep < n; rep++) {
        mr_sim *sim = tsr_build(sc, (uint64_t)rep);
        mr_report *r = tsr_finish(sim);
        double x = mr_report_find(r, "failover", "first_disable_s") - T_S;
        sum += x;
        sum2 += x * x;
        mr_report_free(r);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    double want_sd = sqrt(480.0 * 480 / 12 + 420000);
    cr_log_info("disable - T: mean %g s (2100), sd %g s (%g)", mean, sd, want_sd);
    mr_vcase vc = {.id = "runbook.drawn_delays_mean",
                   .what = "time from a gray failure to the operator's disable, detect and "
                           "delay drawn (400 replications)",
                   .reference = "closed form: E[detect] + E[delay] = 2100 s",
                   .unit = "s", .ref = 2100, .tol = 4 * want_sd / sqrt(n)};
    mr_vcheck_sample_stats(&vc, "request", mean, sd, (uint64_t)n);
    cr_expect(fabs(sd - want_sd) <= 0.1 * want_sd, "sd %g, want %g", sd, want_sd);
    mr_scenario_free(sc);
}
