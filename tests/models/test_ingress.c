/* tests/models/test_ingress.c: the ingress kinds (family "ingress": agc,
 * nginx; models/ingress.c and one file per kind), a cluster's regional
 * entry, which its cluster reads in place:
 * - a whole ingress_failure takes its cluster's endpoint down for requests
 *   and probes alike (Traffic Manager fails over, and back), and whole
 *   failures compose; the cluster's pods and the other clusters are
 *   untouched;
 * - a partial one fails that share of requests and of probes;
 * - its latency is added to every request: with constant service and
 *   round trip, 50 ms more of ingress is 50 ms more of latency, exactly;
 * - each kind binds its keys with their defaults and says it has no
 *   published SLA; the report counts its failures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "scenario_run.h"

/* Two regions behind Traffic Manager with fast probes (detection within
 * 15 s) and a short TTL. */
static const char *const pair =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m}\n"
    "regions: [{name: a}, {name: b}]\n"
    "clusters:\n"
    "  - {name: ca, region: a, service_time: 5ms}\n"
    "  - {name: cb, region: b, service_time: 5ms}\n"
    "traffic:\n"
    "  endpoints: [{cluster: ca, priority: 1}, {cluster: cb, priority: 2}]\n"
    "  probe: {interval: 10s, timeout: 5s, tolerated_failures: 0}\n"
    "  ttl: 10s\n"
    "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

static mr_sim *build_with(const char *base, const char *more, mr_scenario **sc)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", base, more);
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

static const void *state(const mr_sim *sim, const char *name)
{
    const mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static void run_to_min(mr_sim *sim, double m)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(m * 60)), MR_OK);
}

Test(ingress, a_failed_ingress_takes_its_endpoint_down_for_requests_and_probes)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(pair,
                             "faults:\n"
                             "  - {name: i1, kind: ingress_failure, target: ca, at: 10m,"
                             " duration: 10m}\n"
                             "  - {name: i2, kind: ingress_failure, target: ca, at: 15m,"
                             " duration: 10m}\n",
                             &sc);
    const mr_cluster_state *ca = state(sim, "clusters/ca"), *cb = state(sim, "clusters/cb");
    const mr_ingress_state *in = state(sim, "clusters/ca/ingress");
    cr_assert_eq(ca->ingress, in, "the cluster reads its own ingress");
    run_to_min(sim, 12);
    cr_assert_eq(in->down, 1);
    cr_assert(!mr_cluster_up(ca), "down for requests");
    cr_assert(!mr_cluster_probe_ok(ca, mr_sim_now(sim), 0.99), "and for probes");
    cr_assert_eq(ca->down, 0, "the cluster itself has not failed");
    cr_assert_eq(mr_cluster_pods(ca), 12, "its pods are still there");
    cr_assert(mr_cluster_up(cb));
    run_to_min(sim, 22);
    cr_assert_eq(in->down, 1, "i1 has ended, i2 has not: they compose");
    cr_assert(!mr_cluster_up(ca));
    run_to_min(sim, 25);
    cr_assert_eq(in->down, 0);
    cr_assert(mr_cluster_up(ca));
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "traffic", "status_changes"), 2,
                 "Traffic Manager's probes saw it: Degraded, then Online");
    cr_expect_eq(mr_report_find(r, "clusters/ca/ingress", "failures"), 2);
    cr_expect_eq(mr_report_find(r, "clusters/cb/ingress", "failures"), 0);
    cr_expect_eq(mr_report_find(r, "clusters/ca/ingress", "partial_faults_dropped"), 0);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(ingress, a_partial_ingress_failure_fails_that_share_of_requests_and_probes)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(pair,
                             "faults: [{name: i, kind: ingress_failure, target: ca, at: 10m,"
                             " duration: 10m, severity: 0.3}]\n",
                             &sc);
    const mr_cluster_state *ca = state(sim, "clusters/ca"), *cb = state(sim, "clusters/cb");
    run_to_min(sim, 15);
    mr_time now = mr_sim_now(sim);
    cr_assert(mr_cluster_up(ca), "a partial failure does not take it down");
    cr_assert_float_eq(mr_cluster_request_fail_share(ca, now), 0.3, 1e-12);
    cr_assert_float_eq(mr_cluster_probe_fail_share(ca, now), 0.3, 1e-12);
    cr_assert(!mr_cluster_probe_ok(ca, now, 0.29) && mr_cluster_probe_ok(ca, now, 0.31),
              "a probe fails when its draw falls in the failed share");
    cr_assert_float_eq(mr_cluster_request_fail_share(cb, now), 0, 1e-12);
    run_to_min(sim, 20);
    cr_assert_float_eq(mr_cluster_request_fail_share(ca, mr_sim_now(sim)), 0, 1e-12);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(ingress, a_partial_ingress_failure_costs_that_share_of_the_availability, .timeout = 120)
{
    /* One cluster: nowhere to fail over. 0.3 of the requests fail for 20 of
     * the 55 measured minutes. */
    const char *single = "version: mrsim/v1\n"
                         "run: {horizon: 1h, warmup: 5m}\n"
                         "regions: [{name: a}]\n"
                         "clusters: [{name: ca, region: a, service_time: 5ms}]\n"
                         "traffic: {kind: traffic_manager}\n"
                         "resolvers: [{name: r, count: 10}]\n"
                         "clients: [{name: u, origin: a, resolver: r, rate: 50/s}]\n"
                         "faults: [{name: i, kind: ingress_failure, target: ca, at: 10m,"
                         " duration: 20m, severity: 0.3}]\n";
    mr_result r;
    tsr_run(single, NULL, 0, 3, &r);
    double want = 1 - 0.3 * 20 / 55;
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - want) < 0.003, "%g vs %g",
              r.metrics[MR_METRIC_AVAILABILITY].mean, want);
    mr_result_fini(&r);
}

/* The median latency (ms) of a single cluster behind an ingress of that
 * kind and latency: a round trip of 1 ms, 5 ms of service, no queue. About
 * 330 requests are measured, so the quantile is exact (under 512). */
static double median_latency(const char *kind, const char *latency)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 1h, warmup: 5m}\n"
             "regions: [{name: a}]\n"
             "rtt: {local: 1ms}\n"
             "clusters: [{name: ca, region: a, service_time: 5ms, ingress: {kind: %s, latency: %s}}]\n"
             "traffic: {kind: traffic_manager}\n"
             "resolvers: [{name: r, count: 10}]\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 0.1/s}]\n",
             kind, latency);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    double p50 = mr_report_find(r, "", "latency_ms_p50");
    cr_assert_eq(mr_report_find(r, "", "availability"), 1);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return p50;
}

Test(ingress, its_latency_is_added_to_every_request)
{
    const char *kinds[] = {"agc", "nginx"};
    for (int k = 0; k < 2; k++) {
        double fast = median_latency(kinds[k], "2ms"), slow = median_latency(kinds[k], "52ms");
        cr_expect_float_eq(fast, 1 + 2 + 5, 1e-9, "%s: round trip + ingress + service: %g",
                           kinds[k], fast);
        cr_expect_float_eq(slow - fast, 50, 1e-9, "%s: 50 ms more ingress, %g ms more latency",
                           kinds[k], slow - fast);
    }
}

Test(ingress, each_kind_binds_its_keys_with_their_defaults_and_has_no_published_sla)
{
    mr_kinds all = mr_model_registry();
    size_t seen = 0;
    for (size_t i = 0; i < all.n; i++) {
        const mr_model *m = all.v[i];
        if (m->family == NULL || strcmp(m->family, "ingress") != 0)
            continue;
        seen++;
        char set[128];
        snprintf(set, sizeof set, "clusters[1].ingress={kind: %s}", m->kind);
        const char *sets[] = {set, "clusters[0].ingress.latency=7ms"};
        mr_scenario *sc = tsr_load(pair, sets, 2);
        cr_assert_eq(sc->clusters[1].ingress.model, m, "%s", m->kind);
        cr_expect_str_eq(mr_scenario_value(sc, "clusters[1].ingress.kind"), m->kind);
        cr_expect_str_eq(mr_scenario_value(sc, "clusters[1].ingress.latency"), "2ms",
                         "%s: its default", m->kind);
        const mr_ingress_cfg *cfg = sc->clusters[1].ingress.cfg;
        cr_expect_eq(cfg->latency, 2 * MR_MS, "%s", m->kind);
        cr_expect_eq(((const mr_ingress_cfg *)sc->clusters[0].ingress.cfg)->latency, 7 * MR_MS);
        mr_model_sla sla;
        m->sla(cfg, &sla);
        cr_expect_float_eq(sla.availability, 1, 1e-15, "%s", m->kind);
        cr_expect_str_eq(sla.what, m->kind);
        cr_expect(strstr(sla.source, "no docs/reference.md figure") != NULL, "%s: %s", m->kind,
                  sla.source);
        mr_scenario_free(sc);
    }
    cr_assert_eq(seen, 2, "agc and nginx");
    mr_scenario *sc = tsr_load(pair, NULL, 0);
    cr_expect_str_eq(mr_scenario_value(sc, "clusters[0].ingress.kind"), "agc",
                     "agc when the kind is absent");
    mr_scenario_free(sc);
}

/* The node-hours of an autoscaled cluster (3 nodes, floor 1, a light load)
 * through a 30-minute failure of kind `kind`. */
static double node_hours_through(const char *kind)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 1h, warmup: 1m}\n"
             "regions: [{name: a}]\n"
             "clusters:\n"
             "  - {name: ca, region: a, service_time: 5ms, nodes: {count: 3, min: 1, max: 3}}\n"
             "traffic: {endpoints: [{cluster: ca}]}\n"
             "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 17.5/s}]\n"
             "faults:\n"
             "  - {name: f, kind: %s, target: ca, at: 10m, duration: 30m}\n",
             kind);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    double h = mr_report_find(r, "clusters/ca", "node_hours");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return h;
}

Test(ingress, a_failed_ingress_holds_the_autoscaler_as_a_failed_cluster_does, .timeout = 60)
{
    /* No request reaches the pods while the ingress is down, but that is no
     * lack of load: the autoscaler holds (docs/model.md: an ingress failure
     * acts like a cluster failure), as it does for the cluster's own. */
    double ingress = node_hours_through("ingress_failure");
    double cluster = node_hours_through("cluster_failure");
    cr_expect_float_eq(ingress, cluster, 1e-9, "ingress failure %g node-hours, cluster failure %g",
                       ingress, cluster);
}
