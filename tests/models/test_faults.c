/* tests/models/test_faults.c: fault timing, targets and the kinds that act
 * on the compute and traffic layers, end to end through scenarios.
 * - mtbf/mttr: the long-run down fraction is mttr / (mtbf + mttr);
 * - repeat and start_after fire when they should (downtime is exact when
 *   every start falls on an SLO window boundary);
 * - selectors pick what they say, afresh at each start;
 * - gray failures fool the probes one way or the other; partitions cut
 *   clients off a region but not Front Door's backbone; a misconfigured
 *   record is cached; a traffic-layer outage stops Front Door at once;
 *   partial and ramped severities fail that share of requests. */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "clients.h"
#include "mrsim/model.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/report.h"
#include "config/scenario.h"
#include "scenario_run.h"

/* One region, one cluster behind a one-endpoint Traffic Manager: whatever
 * fails the cluster fails the service. */
static const char *const single =
    "version: mrsim/v1\n"
    "run: {horizon: 5h, warmup: 10m}\n"
    "regions: [{name: a}]\n"
    "clusters: [{name: ca, region: a, nodes: {count: 4}, service_time: 5ms}]\n"
    "traffic: {kind: traffic_manager}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 20/s, timeout: 2s}]\n";

/* single + a faults section. */
static char *with(const char *base, const char *faults)
{
    size_t n = strlen(base) + strlen(faults) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%s%s", base, faults);
    return s;
}

static void run_text(const char *base, const char *faults, const char *const *sets, size_t nsets,
                     uint64_t reps, mr_result *r)
{
    char *text = with(base, faults);
    tsr_run(text, sets, nsets, reps, r);
    free(text);
}

/* Builds replication 0 of the scenario, runs it to its horizon and returns
 * the sim (finished) for the caller to inspect; *sc must be freed after. */
static mr_sim *run_sim(const char *base, const char *faults, mr_scenario **sc,
                       mr_trace_fn trace, void *ctx)
{
    char *text = with(base, faults);
    char *path = tsr_write(text);
    free(text);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), sc, d), MR_OK, "%s",
                 mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_sim *sim = NULL;
    cr_assert_eq(mr_build(*sc, 7, 0, &sim, d), MR_OK, "%s",
                 mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    if (trace)
        mr_sim_set_trace(sim, trace, ctx);
    mr_sim_run(sim, MR_RUN_HORIZON, 0);
    mr_sim_finish(sim);
    mr_diag_free(d);
    unlink(path);
    free(path);
    return sim;
}

static double scalar(mr_sim *sim, const char *comp, const char *metric)
{
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    double v = mr_report_find(r, comp, metric);
    mr_report_free(r);
    return v;
}

Test(fault_timing, mtbf_mttr_long_run_down_fraction, .timeout = 300)
{
    /* Up Exp(mean 1 h), down 10 min: down fraction 10 / 70. Requests arrive
     * as a Poisson process, so they see time averages (PASTA): availability
     * estimates the up fraction. */
    mr_result r;
    const char *sets[] = {"run.horizon=300h", "run.warmup=10h", "clients[0].rate=0.5/s"};
    run_text(single,
             "faults: [{name: f, kind: cluster_failure, target: ca, mtbf: 1h, mttr: 10m}]\n",
             sets, 3, 20, &r);
    const mr_summary *a = &r.metrics[MR_METRIC_AVAILABILITY];
    double expect = 1 - 10.0 / 70.0;
    double half = gsl_cdf_tdist_Pinv(0.9995, a->n - 1) * a->sd / sqrt((double)a->n);
    cr_expect(fabs(a->mean - expect) < half + 0.002, "availability %g, expected %g +- %g",
              a->mean, expect, half);
    mr_result_fini(&r);
}

Test(fault_timing, repeat_starts_every_period_count_times)
{
    /* Starts at 1 h, 2 h, 3 h, each 10 min: 1800 s below target, exactly. */
    mr_result r;
    run_text(single,
             "faults: [{name: f, kind: cluster_failure, target: ca, repeat: {every: 1h, count: 3},"
             " duration: 10m}]\n",
             NULL, 0, 4, &r);
    for (uint64_t i = 0; i < 4; i++)
        cr_expect_eq(tsr_rep(&r, i, MR_METRIC_DOWNTIME_S), 1800);
    cr_expect_eq(r.episodes[0].rto_s.mean, 600);
    mr_result_fini(&r);
}

Test(fault_timing, repeat_jitter_moves_each_start_within_bounds)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(single,
                          "faults: [{name: f, kind: cluster_failure, target: ca, repeat: {every: 1h,"
                          " count: 4, jitter: 5m}, duration: 1m}]\n",
                          &sc, NULL, NULL);
    cr_expect_eq(scalar(sim, "faults", "started"), 4);
    const mr_slo_state *slo = mr_sim_find(sim, "slo")->state;
    cr_assert_eq(slo->nep, 4);
    for (size_t k = 0; k < 4; k++) {
        mr_time nominal = (mr_time)(k + 1) * MR_H;
        cr_expect(llabs(slo->ep[k].start - nominal) <= 5 * MR_MIN, "start %zu at %g s", k,
                  mr_time_to_s(slo->ep[k].start));
        if (k < 3) /* an episode is measured up to the next start */
            cr_expect_eq(slo->ep[k].end, slo->ep[k + 1].start);
    }
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_timing, start_after_follows_its_predecessor_by_the_delay)
{
    /* a: 30 min to 35 min; b: 2 min after a's start, for 5 min (32 to 37):
     * down from 30 to 37 min, 420 s. */
    mr_result r;
    run_text(single,
             "faults:\n"
             "  - {name: a, kind: cluster_failure, target: ca, at: 30m, duration: 5m}\n"
             "  - {name: b, kind: cluster_failure, target: ca, start_after: a, delay: 2m,"
             " duration: 5m}\n",
             NULL, 0, 3, &r);
    for (uint64_t i = 0; i < 3; i++)
        cr_expect_eq(tsr_rep(&r, i, MR_METRIC_DOWNTIME_S), 420);
    mr_result_fini(&r);
}

/* Counts fault starts delivered to each cluster. */
typedef struct hits {
    uint32_t cluster0;
    unsigned n[8];
    unsigned starts;
} hits;

static void count_hits(void *ctx, const mr_sim *sim, const mr_component *target, const mr_event *ev)
{
    (void)sim;
    hits *h = ctx;
    if (ev->kind == MR_MSG_FAULT_START && strcmp(target->model->kind, "cluster") == 0)
        h->n[target->id - h->cluster0]++;
    if (strcmp(target->name, "faults") == 0 && ev->kind == MR_MSG_PRIVATE)
        h->starts++;
}

static const char *const four =
    "version: mrsim/v1\n"
    "run: {horizon: 301h, warmup: 0s}\n"
    "regions: [{name: a}, {name: b}]\n"
    "clusters:\n"
    "  - {name: c1, region: a}\n"
    "  - {name: c2, region: a}\n"
    "  - {name: c3, region: b}\n"
    "  - {name: c4, region: b, role: standby}\n"
    "traffic: {kind: traffic_manager}\n"
    "resolvers: [{name: r, count: 1}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

Test(fault_targets, a_count_selector_picks_that_many_afresh_at_each_start)
{
    hits h = {.cluster0 = 2};
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(four,
                          "faults: [{name: f, kind: cluster_failure, target: {kind: cluster, role:"
                          " active, mode: count, value: 2}, repeat: {every: 1h, count: 300},"
                          " duration: 1m}]\n",
                          &sc, count_hits, &h);
    cr_assert_eq(h.starts, 300);
    cr_expect_eq(h.n[0] + h.n[1] + h.n[2], 600, "two clusters per start");
    cr_expect_eq(h.n[3], 0, "the standby is never picked");
    /* Each active cluster is picked with probability 2/3: 200 +- 3.3 sd (8.2). */
    for (int c = 0; c < 3; c++)
        cr_expect(fabs(h.n[c] - 200.0) < 27, "cluster %d picked %u times", c, h.n[c]);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_targets, region_and_percent_selectors)
{
    hits h = {.cluster0 = 2};
    mr_scenario *sc = NULL;
    /* Half of region a's two clusters: one per start; c3, c4 never. */
    mr_sim *sim = run_sim(four,
                          "faults: [{name: f, kind: cluster_failure, target: {kind: cluster, region:"
                          " a, mode: percent, value: 50%}, repeat: {every: 1h, count: 100},"
                          " duration: 1m}]\n",
                          &sc, count_hits, &h);
    cr_expect_eq(h.n[0] + h.n[1], 100);
    cr_expect_eq(h.n[2] + h.n[3], 0);
    cr_expect(h.n[0] > 25 && h.n[1] > 25, "both are picked: %u %u", h.n[0], h.n[1]);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_targets, a_selector_that_matches_nothing_is_refused_where_it_is_written)
{
    char *text = with(four, "faults: [{name: f, kind: cluster_failure, target: {kind: cluster,"
                            " region: b, role: active, mode: count, value: 2}, at: 1h,"
                            " duration: 1m}]\n");
    char *path = tsr_write(text);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    cr_expect_eq(mr_build_check(sc, d), MR_ESCENARIO);
    cr_assert_gt(mr_diag_count(d), 0);
    cr_expect(strstr(mr_diag_line(d, 0), "count 2 is more than the 1 things") != NULL, "%s",
              mr_diag_line(d, 0));
    cr_expect(strstr(mr_diag_line(d, 0), ":12:51:") != NULL, "located: %s", mr_diag_line(d, 0));
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
    free(text);
}

/* Two regions behind Traffic Manager (fast probes, short TTL), or, in
 * pair_fd, behind Front Door. */
#define PAIR_HEAD                                                                                  \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 1h, warmup: 5m}\n"                                                             \
    "regions: [{name: a}, {name: b}]\n"                                                            \
    "clusters:\n"                                                                                  \
    "  - {name: ca, region: a, service_time: 5ms}\n"                                               \
    "  - {name: cb, region: b, service_time: 5ms}\n"
#define PAIR_TAIL                                                                                  \
    "resolvers: [{name: r, count: 50, ttl_policy: [{share: 1, mode: honor}]}]\n"                   \
    "clients: [{name: u, origin: a, resolver: r, rate: 100/s, timeout: 2s}]\n"
static const char *const pair =
    PAIR_HEAD "traffic:\n"
              "  endpoints: [{cluster: ca, priority: 1}, {cluster: cb, priority: 2}]\n"
              "  probe: {interval: 10s, timeout: 5s, tolerated_failures: 0}\n"
              "  ttl: 10s\n" PAIR_TAIL;
static const char *const pair_fd =
    PAIR_HEAD "traffic: {kind: front_door, pops: 4, origins: [{cluster: ca}, {cluster: cb}]}\n"
              PAIR_TAIL;

Test(fault_kinds, a_gray_failure_passes_the_probes_so_nobody_fails_over)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(pair,
                          "faults: [{name: g, kind: gray_failure, target: ca, at: 10m,"
                          " duration: 20m}]\n",
                          &sc, NULL, NULL);
    cr_expect_eq(scalar(sim, "traffic", "status_changes"), 0);
    /* Every request in the 20 minutes fails: 20 of the 55 measured minutes. */
    double a = scalar(sim, "", "availability");
    cr_expect(fabs(a - 35.0 / 55.0) < 0.01, "availability %g", a);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_kinds, an_inverted_gray_failure_fails_over_a_healthy_endpoint)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(pair,
                          "faults: [{name: g, kind: gray_failure, target: ca, at: 10m,"
                          " duration: 20m, params: {invert: true}}]\n",
                          &sc, NULL, NULL);
    cr_expect_eq(scalar(sim, "traffic", "status_changes"), 2, "Degraded, then Online");
    cr_expect_eq(scalar(sim, "", "availability"), 1, "requests never failed");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_kinds, a_partition_cuts_clients_off_but_not_front_door)
{
    const char *f = "faults: [{name: p, kind: network_partition, target: a, at: 10m,"
                    " duration: 20m}]\n";
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(pair, f, &sc, NULL, NULL);
    /* Probes come from Traffic Manager's own locations: no failover. */
    cr_expect_eq(scalar(sim, "traffic", "status_changes"), 0);
    cr_expect(fabs(scalar(sim, "", "availability") - 35.0 / 55.0) < 0.01);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);

    sim = run_sim(pair_fd, f, &sc, NULL, NULL);
    cr_expect_eq(scalar(sim, "", "availability"), 1, "Front Door reaches a over its backbone");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(fault_kinds, a_misconfigured_record_is_cached_past_its_fix)
{
    /* Wrong answers from 10 to 15 min; resolvers keep them up to the TTL
     * (10 s) after the fix: the episode's RTO is 300 s plus at most a TTL
     * (and a window). */
    mr_result r;
    run_text(pair, "faults: [{name: m, kind: dns_misconfig, at: 10m, duration: 5m}]\n", NULL, 0,
             5, &r);
    for (uint64_t i = 0; i < 5; i++) {
        double rto = tsr_rep(&r, i, MR_METRIC_RTO_S);
        cr_expect(rto >= 300 && rto <= 320, "RTO %g", rto);
    }
    mr_result_fini(&r);
}

Test(fault_kinds, a_front_door_outage_stops_requests_at_once)
{
    const char *fd_single = "version: mrsim/v1\n"
                            "run: {horizon: 1h, warmup: 5m}\n"
                            "regions: [{name: a}, {name: b}]\n"
                            "clusters: [{name: ca, region: a}, {name: cb, region: b}]\n"
                            "traffic: {kind: front_door, pops: 4, origins: [{cluster: ca},"
                            " {cluster: cb}]}\n"
                            "resolvers: [{name: r, count: 20}]\n"
                            "clients: [{name: u, origin: a, resolver: r, rate: 50/s}]\n";
    mr_result r;
    run_text(fd_single, "faults: [{name: o, kind: traffic_layer_outage, at: 10m, duration: 5m}]\n",
             NULL, 0, 3, &r);
    for (uint64_t i = 0; i < 3; i++)
        cr_expect_eq(tsr_rep(&r, i, MR_METRIC_DOWNTIME_S), 300);
    mr_result_fini(&r);
}

Test(fault_kinds, a_partial_failure_fails_its_share_and_a_ramp_its_average)
{
    /* Severity 0.4 for 100 of the 290 measured minutes: 1 - 0.4 x 100/290.
     * The ramp from 0 to 1 over 60 min, then 40 min at 1: the failed share
     * integrates to 30 + 40 = 70 minutes' worth. */
    mr_result r;
    const char *sets[] = {"clients[0].rate=50/s"};
    run_text(single,
             "faults: [{name: p, kind: cluster_failure, target: ca, at: 1h, duration: 100m,"
             " severity: 0.4}]\n",
             sets, 1, 4, &r);
    double expect = 1 - 0.4 * 100 / 290;
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - expect) < 0.003, "%g vs %g",
              r.metrics[MR_METRIC_AVAILABILITY].mean, expect);
    mr_result_fini(&r);
    run_text(single,
             "faults: [{name: p, kind: cluster_failure, target: ca, at: 1h, duration: 100m,"
             " ramp: {from: 0, to: 1, over: 60m}}]\n",
             sets, 1, 4, &r);
    expect = 1 - 70.0 / 290;
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - expect) < 0.003, "%g vs %g",
              r.metrics[MR_METRIC_AVAILABILITY].mean, expect);
    mr_result_fini(&r);
}

Test(fault_kinds, a_partial_region_outage_and_a_ramped_front_door_outage)
{
    /* A region outage of severity 0.3 for 60 of the 290 measured minutes. */
    mr_result r;
    const char *sets[] = {"clients[0].rate=50/s"};
    run_text(single,
             "faults: [{name: p, kind: region_outage, target: a, at: 1h, duration: 60m,"
             " severity: 0.3}]\n",
             sets, 1, 4, &r);
    double expect = 1 - 0.3 * 60 / 290;
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - expect) < 0.003, "%g vs %g",
              r.metrics[MR_METRIC_AVAILABILITY].mean, expect);
    mr_result_fini(&r);
    /* Front Door out for 20 minutes, ramping from 0 to 1 over 10: 15
     * minutes' worth of the 55 measured. */
    run_text(pair_fd,
             "faults: [{name: o, kind: traffic_layer_outage, at: 10m, duration: 20m,"
             " ramp: {from: 0, to: 1, over: 10m}}]\n",
             NULL, 0, 4, &r);
    expect = 1 - 15.0 / 55;
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - expect) < 0.005, "%g vs %g",
              r.metrics[MR_METRIC_AVAILABILITY].mean, expect);
    mr_result_fini(&r);
}

Test(fault_kinds, partial_faults_beyond_what_a_target_keeps_are_counted_not_hidden)
{
    /* Nine overlapping partial failures of one cluster: eight are applied
     * (MR_MAX_PARTIAL), the ninth is reported as dropped. */
    char faults[2048] = "faults:\n";
    for (int i = 0; i < 9; i++) {
        char line[160];
        snprintf(line, sizeof line,
                 "  - {name: p%d, kind: cluster_failure, target: ca, at: %dm, duration: 30m,"
                 " severity: 0.01}\n",
                 i, 20 + i);
        strcat(faults, line);
    }
    mr_scenario *sc = NULL;
    mr_sim *sim = run_sim(single, faults, &sc, NULL, NULL);
    cr_expect_eq(scalar(sim, "clusters/ca", "partial_faults_dropped"), 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}
