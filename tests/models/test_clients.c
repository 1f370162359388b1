/* tests/models/test_clients.c: the clients kind, a request-level client
 * population (models/clients.c):
 * - in the hand-built world of tm_world.h: a failed attempt retried after
 *   its timeout and backoff reaches the standby once Traffic Manager has
 *   failed over; a runtime DNS cache holds answers as Java (30 s whatever
 *   the TTL) and Chrome (the TTL, at least 60 s) do, one per client
 *   process (clients[].processes); a diurnal profile shapes the arrivals;
 * - from scenarios: the report counts requests, attempts and failed
 *   attempts (each retry an attempt); a request fails when a store it uses
 *   cannot serve it; an under-sized cluster serves its capacity and the
 *   requests that would wait beyond their patience fail, the others within
 *   their timeout. */
#include <criterion/criterion.h>
#include <math.h>

#include "scenario_run.h"
#include "tm_world.h"

/* Window w's (total, ok) counts of the SLO collector. */
static void window_counts(mr_sim *sim, size_t w, uint64_t *total, uint64_t *ok)
{
    const mr_slo_state *s = mr_sim_component(sim, SLO)->state;
    *total = s->total[w];
    *ok = s->ok[w];
}

Test(clients, a_retry_succeeds_after_the_failover)
{
    world_opts o = defaults();
    o.tolerated = 0;
    o.interval = 10 * MR_S;
    o.timeout = 5 * MR_S;
    o.ttl = 0; /* every request asks Traffic Manager */
    o.rate = 2;
    o.backoff = 30 * MR_S;
    uint64_t total, ok;
    o.attempts = 1;
    mr_sim *sim = world(&o, 0, 400 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    /* Requests issued in [300 s, 305 s): Traffic Manager cannot know before
     * 305 s (the first probe after the fault fails at its 5 s timeout). */
    window_counts(sim, 60, &total, &ok);
    cr_assert_gt(total, 0);
    cr_assert_eq(ok, 0, "without a retry they fail");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    o.attempts = 2;
    sim = world(&o, 0, 400 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    window_counts(sim, 60, &total, &ok);
    cr_assert_gt(total, 0);
    cr_assert_eq(ok, total, "the retry 32 s later reaches the standby");
    const mr_clients_state *c = mr_sim_component(sim, CLIENTS)->state;
    cr_assert_geq(c->failures, total, "every first attempt failed");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* Mean over replications of (client RTO - detection) with every resolver
 * asking the authority at once (TTL 0): what is left is the runtime cache's
 * residual hold, uniform on [0, hold): mean hold / 2; with `processes`
 * runtime caches per resolver, the last of them to refetch. */
static double runtime_residual(int64_t cache, int64_t processes)
{
    world_opts o = defaults();
    o.ttl = 0;
    o.rate = 400; /* 100 requests/s per resolver: the next one is ~10 ms away */
    o.runtime_cache = cache;
    o.processes = processes;
    double sum = 0;
    int n = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        mr_sim *sim = world(&o, rep, 600 * MR_S);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
        const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
        const mr_slo_state *slo = mr_sim_component(sim, SLO)->state;
        for (size_t i = 0; i < slo->client_rto_hist.n_exact; i++) {
            sum += slo->client_rto_hist.exact[i] - mr_time_to_s(tm->changed_at[0] - o.fault_at);
            n++;
        }
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    cr_assert_eq(n, 160, "every resolver recovered in every replication");
    return sum / n;
}

Test(clients, runtime_caches_hold_answers_as_java_and_chrome_do, .timeout = 120)
{
    /* 160 samples of U[0, h): standard error h / sqrt(12 x 160) = 0.023 h;
     * allowed 0.1 h (4 standard errors, and the ~10 ms request gap). */
    double none = runtime_residual(MR_CACHE_NONE, 1);
    double java = runtime_residual(MR_CACHE_JAVA, 1);
    double chrome = runtime_residual(MR_CACHE_CHROME, 1);
    cr_assert(none >= 0 && none < 0.2, "no runtime cache: %.3f s", none);
    cr_assert(fabs(java - 15) < 3, "Java holds 30 s whatever the TTL: mean %.2f s", java);
    cr_assert(fabs(chrome - 30) < 6, "Chrome holds at least 60 s: mean %.2f s", chrome);
}

/* With P processes per resolver, each its own runtime cache of hold h and
 * independent uniform phase (rule 3), and the resolver asking the
 * authority at every query (TTL 0, so nothing locks a runtime to the
 * resolver), process m switches after its residual U_m ~ U[0, h) and the
 * group recovers when the last one has: client RTO - detection = max of P
 * uniforms, mean h P / (P + 1), standard deviation
 * h sqrt(P / ((P + 1)^2 (P + 2))). Java, P = 10: 27.27 s, sd 2.49 s; over
 * 160 samples the standard error is 0.20 s: allowed 1 s (5 standard
 * errors and the request gap: 10 requests/s per process, ~0.1 s). P = 1 is
 * one uniform: 15 s (the test above). Chrome's hold is 60 s: 54.5 s, sd
 * 5.0 s, allowed 2 s. */
Test(clients, every_process_has_its_own_runtime_cache, .timeout = 120)
{
    double java = runtime_residual(MR_CACHE_JAVA, 10);
    double chrome = runtime_residual(MR_CACHE_CHROME, 10);
    cr_log_info("10 processes: Java %.3f s, Chrome %.3f s", java, chrome);
    cr_assert(fabs(java - 30.0 * 10 / 11) < 1, "Java, 10 processes: mean %.2f s", java);
    cr_assert(fabs(chrome - 60.0 * 10 / 11) < 2, "Chrome, 10 processes: mean %.2f s", chrome);
}

Test(clients, a_diurnal_profile_shapes_the_arrivals, .timeout = 120)
{
    /* rate x (trough + (peak - trough)(1 + cos)/2): over a whole day the
     * mean multiplier is (peak + trough) / 2; at the peak hour it is near
     * peak, twelve hours later near trough. */
    world_opts o = defaults();
    o.fault_at = 10 * MR_DAY;
    o.rate = 2;
    o.profile = MR_PROFILE_DIURNAL;
    o.peak = 1.8;
    o.trough = 0.2;
    mr_sim *sim = world(&o, 0, MR_DAY);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_slo_state *slo = mr_sim_component(sim, SLO)->state;
    uint64_t total = 0, at_peak = 0, at_trough = 0;
    for (size_t w = 0; w < slo->nwin; w++) {
        total += slo->total[w];
        mr_time t = (mr_time)w * 5 * MR_S;
        if (t >= 12 * MR_H + 30 * MR_MIN && t < 13 * MR_H + 30 * MR_MIN)
            at_peak += slo->total[w];
        if (t >= 30 * MR_MIN && t < 90 * MR_MIN)
            at_trough += slo->total[w];
    }
    /* Day: mean 2 x 1.0 x 86400 = 172800 (Poisson sd 416). */
    cr_assert(fabs((double)total - 172800) < 2000, "day total %llu", (unsigned long long)total);
    /* Peak hour: about 2 x 1.79 x 3600 = 12900; trough hour about 2 x 0.21 x 3600 = 1500. */
    cr_assert(at_peak > 12000 && at_peak < 13800, "peak hour %llu", (unsigned long long)at_peak);
    cr_assert(at_trough > 1200 && at_trough < 1900, "trough hour %llu",
              (unsigned long long)at_trough);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* One region, one cluster behind Traffic Manager; more follows. */
#define ONE                                                                                        \
    "version: mrsim/v1\n"                                                                          \
    "run: {horizon: 1h, warmup: 5m}\n"                                                             \
    "regions: [{name: a}]\n"                                                                       \
    "traffic: {kind: traffic_manager}\n"                                                           \
    "resolvers: [{name: r, count: 10}]\n"

/* Replication 0's report of text. */
static mr_report *report_of(const char *text)
{
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return r;
}

Test(clients, its_report_counts_requests_attempts_and_failed_attempts)
{
    mr_report *r = report_of(ONE "clusters: [{name: ca, region: a, service_time: 5ms}]\n"
                                 "clients: [{name: u, origin: a, resolver: r, rate: 10/s,"
                                 " retry: {attempts: 3, backoff: 1s}}]\n");
    double requests = mr_report_find(r, "clients/u", "requests");
    cr_expect(fabs(requests - 36000) < 600, "requests %g", requests);
    cr_expect_eq(mr_report_find(r, "clients/u", "attempts"), requests, "nothing failed");
    cr_expect_eq(mr_report_find(r, "clients/u", "failed_attempts"), 0);
    cr_expect_eq(mr_report_find(r, "clients/u", "availability"), 1);
    mr_report_free(r);
    /* Down for 600 s: about 6,000 requests fail their three attempts (2 s
     * timeout + 1 s backoff apart), the last 6 s' worth being rescued by a
     * retry. */
    r = report_of(ONE "clusters: [{name: ca, region: a, service_time: 5ms}]\n"
                      "clients: [{name: u, origin: a, resolver: r, rate: 10/s,"
                      " retry: {attempts: 3, backoff: 1s}}]\n"
                      "faults: [{name: f, kind: cluster_failure, target: ca, at: 10m,"
                      " duration: 10m}]\n");
    requests = mr_report_find(r, "clients/u", "requests");
    double attempts = mr_report_find(r, "clients/u", "attempts");
    double failed = mr_report_find(r, "clients/u", "failed_attempts");
    cr_expect(failed > 17000 && failed < 19000, "failed attempts %g", failed);
    cr_expect(attempts - requests > 11300 && attempts - requests < 12700, "retries %g",
              attempts - requests);
    double av = mr_report_find(r, "clients/u", "availability");
    cr_expect(fabs(av - (1 - 594.0 / 3300)) < 0.01, "availability %g", av);
    mr_report_free(r);
}

Test(clients, a_request_fails_when_a_store_it_uses_cannot_serve_it)
{
    /* Every request writes to orders, whose primary fails from 10 to 20
     * min: one attempt each, so every failed attempt is a failed write. */
    mr_report *r = report_of(ONE "clusters: [{name: ca, region: a, service_time: 5ms}]\n"
                                 "clients: [{name: u, origin: a, resolver: r, rate: 20/s,"
                                 " mix: {write: 1}, uses: [orders]}]\n"
                                 "datastores: [{name: orders, kind: sql, primary: a}]\n"
                                 "faults: [{name: f, kind: datastore_failure, target: orders,"
                                 " at: 10m, duration: 10m}]\n");
    double failed = mr_report_find(r, "clients/u", "failed_attempts");
    cr_expect(failed > 11000 && failed < 13000, "failed attempts %g", failed);
    cr_expect_eq(failed, mr_report_find(r, "data/orders", "failed_writes"));
    double av = mr_report_find(r, "clients/u", "availability");
    cr_expect(fabs(av - (1 - 10.0 / 55)) < 0.01, "availability %g", av);
    mr_report_free(r);
}

Test(clients, an_undersized_cluster_serves_its_capacity_and_times_out_the_rest)
{
    /* One pod of 10 requests/s offered 20/s: it serves 10/s, and a request
     * that would wait beyond its patience (2 s less its round trip, ingress
     * and service) fails; those served wait up to nearly that. */
    mr_report *r = report_of(ONE "clusters: [{name: ca, region: a, service_time: 5ms,"
                                 " nodes: {count: 1}, pods: {per_node: 1, rps_per_pod: 10}}]\n"
                                 "clients: [{name: u, origin: a, resolver: r, rate: 20/s,"
                                 " timeout: 2s}]\n");
    double av = mr_report_find(r, "clients/u", "availability");
    cr_expect(fabs(av - 0.5) < 0.02, "availability %g", av);
    double p50 = mr_report_find(r, "", "latency_ms_p50"), p99 = mr_report_find(r, "", "latency_ms_p99");
    cr_expect(p99 <= 2000, "no success after the timeout: p99 %g ms", p99);
    cr_expect(p50 > 1000, "the queue is full: p50 %g ms", p50);
    mr_report_free(r);
}
