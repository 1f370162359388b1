/* tests/validation/test_cluster_queue.c: the cluster's queue (models/cluster.c,
 * docs/model.md "The cluster queue") against queueing theory, through the
 * cluster as a scenario builds it: slots per pod from rps_per_pod x the
 * mean service time, each request holding a slot for its own service-time
 * draw (mr_cluster_offer, what models/clients.c calls). The FIFO recursion
 * alone is tests/validation/test_queueing.c.
 * - M/M/c: one node of 2 pods, rps_per_pod 10, service_time
 *   exponential(500ms): 10 x 0.5 = 5 slots a pod, c = 10 servers of rate
 *   mu = 2/s, capacity 20/s (= pods x rps_per_pod); Poisson arrivals at
 *   lambda = 18/s, load 0.9, a = lambda / mu = 9. Erlang C:
 *   C(10, 9) = 0.66873 (test_queueing.c by hand), Wq = C / (c mu - lambda)
 *   = 0.66873 / 2 = 0.33437 s. Before the G/G/c queue (a pod of one server
 *   held 1 / rps_per_pod = 100 ms: M/D/2 at the same load) the wait was
 *   neither.
 * - M/G/c, lognormal service of sigma 1 and mean 500 ms (median
 *   500 ms / e^0.5 = 303.265 ms), same c, mu, lambda: Cs^2 = e^(sigma^2) - 1
 *   = 1.71828. Two references: (1) a Monte Carlo of the same M/G/10 queue
 *   written here, apart from the model (its own streams, gsl's lognormal,
 *   a linear scan of the ten servers' free times instead of the model's
 *   heap); tolerance: the two 99.9% batch-means half widths combined
 *   (sqrt(h1^2 + h2^2)); (2) the Allen-Cunneen (Lee-Longton for M/G/c)
 *   approximation Wq ~ Wq(M/M/c) x (1 + Cs^2) / 2 = 0.33437 x 1.35914 =
 *   0.45446 s, exact for c = 1 (Pollaczek-Khinchine) and reported within
 *   about 10% at high load for moderate variability (Cs^2 <= 2; Whitt
 *   1993, "Approximations for the GI/G/m queue"; Tijms 2003, §9.5); its
 *   tolerance: 10% of it plus the estimate's half width. The approximation
 *   is the weaker reference: the Monte Carlo is what pins the model.
 * - Latency p99 of a lightly loaded cluster is the service time's p99 plus
 *   the fixed part: lognormal(25ms, 1) has p99 = 25 x e^(2.326348 x 1) =
 *   256.012 ms; with a 1 ms round trip and a 2 ms ingress the requests'
 *   p99 is 259.012 ms. Load: 100/s on 3 nodes x 4 pods x 2 slots
 *   (40 x 41.218 ms = 1.65, rounded to 2) = 24 servers of capacity 480/s,
 *   a = 100 x 0.0412 = 4.1 busy servers of 24: P(wait) = Erlang C(24, 4.1)
 *   < 1e-8, no queueing to speak of. Tolerance: the p99 of n = 330,000
 *   requests (an hour less a 5 min warm-up at 100/s) has a standard error
 *   sqrt(p (1 - p) / n) / f(x99), f(x99) = phi(2.326) / (x99 sigma) =
 *   0.026652 / 256.012 ms: 1.67 ms, 0.59 ms for the mean of 8
 *   replications; 4 of those plus the histogram's 0.4% relative
 *   resolution (1.04 ms) = 3.4 ms.
 * Batch means: 20 batches of 100,000 offers after 20,000 of warm-up;
 * the seeds are fixed, so a test passes or fails for a reason. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>

#include "cluster.h"
#include "queueing_ref.h"
#include "scenario_run.h"

enum { BATCHES = 20, PER_BATCH = 100000, WARMUP = 20000, REPS = 8 };

/* Offers the scenario's one cluster Poisson arrivals at lambda/s with
 * service times drawn from its service_time; per batch, the mean wait
 * and the share that waits. */
static void cluster_waits(const char *service, double lambda, double *wait, double *waited)
{
    char text[1024];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 1h, warmup: 0s}\n"
             "regions: [{name: a, zones: 1}]\n"
             "traffic: {kind: traffic_manager}\n"
             "resolvers: [{name: r, count: 1}]\n"
             "clusters: [{name: ca, region: a, nodes: {count: 1},"
             " pods: {per_node: 2, rps_per_pod: 10}, service_time: %s}]\n"
             "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n",
             service);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, MR_S), MR_OK);
    mr_component *c = mr_sim_find(sim, "clusters/ca");
    cr_assert_not_null(c);
    mr_cluster_state *cl = c->state;
    const mr_cluster_cfg *cfg = c->cfg;
    cr_assert_eq(cl->slots, 5, "%s: 10/s x 0.5 s", service);
    cr_assert_eq(cl->fifo.c, 10);
    mr_rng *arr = mr_rng_new(21, 0, "arrivals"), *svc = mr_rng_new(21, 0, "service");
    double t = 1;
    for (int b = -1; b < BATCHES; b++) {
        int n = b < 0 ? WARMUP : PER_BATCH;
        double sum = 0, nw = 0;
        for (int i = 0; i < n; i++) {
            t += mr_rng_exponential(arr, 1 / lambda);
            mr_time at = mr_time_from_s(t);
            mr_time start = mr_cluster_offer(cl, at, mr_dist_sample_time(&cfg->service_time, svc),
                                             MR_TIME_NEVER);
            cr_assert_geq(start, at);
            sum += mr_time_to_s(start - at);
            nw += start > at;
        }
        if (b >= 0) {
            wait[b] = sum / n;
            waited[b] = nw / n;
        }
    }
    mr_rng_free(arr);
    mr_rng_free(svc);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(cluster_queue, exponential_service_gives_erlang_c, .timeout = 120)
{
    double wait[BATCHES], waited[BATCHES];
    cluster_waits("exponential(500ms)", 18, wait, waited);
    const double C = erlang_c(10, 9), wq = C / (10 * 2.0 - 18);
    cr_assert_float_eq(C, 0.66873, 1e-5, "Erlang C by hand");
    batch_stats w = batches(wait, BATCHES), p = batches(waited, BATCHES);
    mr_vcase vw = {.id = "cluster_queue.mmc_wait",
                   .what = "mean wait, cluster of 2 pods x 5 slots, exponential service, load 0.9",
                   .reference = "closed form: Erlang C, Wq = C(10, 9) / (c mu - lambda) = "
                                "0.33437 s",
                   .unit = "s", .ref = wq, .tol = w.half};
    mr_vcase vp = {.id = "cluster_queue.mmc_p_wait",
                   .what = "share that waits, cluster of 2 pods x 5 slots, exponential, load 0.9",
                   .reference = "closed form: Erlang C(10, 9) = 0.66873",
                   .unit = "ratio", .ref = C, .tol = p.half};
    mr_vcheck(&vw, "request", w.mean, w.mean - w.half, w.mean + w.half, BATCHES);
    mr_vcheck(&vp, "request", p.mean, p.mean - p.half, p.mean + p.half, BATCHES);
}

/* The reference M/G/10 Monte Carlo: FIFO, ten servers whose free times a
 * linear scan searches, lognormal service of mean 1 / mu. */
static void reference_mgc(double lambda, double mu, double sigma, double *wait)
{
    enum { C = 10 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 31);
    double free_at[C] = {0}, t = 0;
    const double zeta = log(1 / mu) - sigma * sigma / 2; /* mean 1 / mu */
    for (int b = -1; b < BATCHES; b++) {
        int n = b < 0 ? WARMUP : PER_BATCH;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            t += gsl_ran_exponential(g, 1 / lambda);
            int k = 0;
            for (int j = 1; j < C; j++)
                k = free_at[j] < free_at[k] ? j : k;
            double start = free_at[k] > t ? free_at[k] : t;
            free_at[k] = start + gsl_ran_lognormal(g, zeta, sigma);
            sum += start - t;
        }
        if (b >= 0)
            wait[b] = sum / n;
    }
    gsl_rng_free(g);
}

Test(cluster_queue, lognormal_service_matches_a_reference_monte_carlo_and_allen_cunneen,
     .timeout = 120)
{
    double wait[BATCHES], waited[BATCHES], ref[BATCHES];
    cluster_waits("lognormal(303.265ms, 1)", 18, wait, waited);
    reference_mgc(18, 2, 1, ref);
    batch_stats w = batches(wait, BATCHES), r = batches(ref, BATCHES);
    const double cs2 = exp(1.0) - 1, wq_mmc = erlang_c(10, 9) / 2,
                 ac = wq_mmc * (1 + cs2) / 2;
    cr_assert_float_eq(ac, 0.45446, 1e-4, "Allen-Cunneen by hand");
    mr_vcase vm = {.id = "cluster_queue.mgc_wait_monte_carlo",
                   .what = "mean wait, 2 pods x 5 slots, lognormal service (sigma 1), load 0.9",
                   .reference = "reference Monte Carlo of M/G/10 written in the test (independent "
                                "code and streams)",
                   .unit = "s", .ref = r.mean, .tol = sqrt(w.half * w.half + r.half * r.half)};
    mr_vcase va = {.id = "cluster_queue.mgc_wait_allen_cunneen",
                   .what = "mean wait, 2 pods x 5 slots, lognormal service (sigma 1), load 0.9",
                   .reference = "approximation: Allen-Cunneen Wq(M/M/c) (1 + Cs^2) / 2 = 0.45446 s "
                                "(about 10% accurate)",
                   .unit = "s", .ref = ac, .tol = 0.1 * ac + w.half};
    mr_vcheck(&vm, "request", w.mean, w.mean - w.half, w.mean + w.half, BATCHES);
    mr_vcheck(&va, "request", w.mean, w.mean - w.half, w.mean + w.half, BATCHES);
}

Test(cluster_queue, a_lightly_loaded_clusters_latency_p99_is_the_service_times, .timeout = 120)
{
    const char *text = "version: mrsim/v1\n"
                       "run: {horizon: 1h, warmup: 5m}\n"
                       "regions: [{name: a}]\n"
                       "rtt: {local: 1ms}\n"
                       "clusters: [{name: ca, region: a, nodes: {count: 3},"
                       " pods: {per_node: 4, rps_per_pod: 40},"
                       " service_time: lognormal(25ms, 1),"
                       " ingress: {kind: agc, latency: 2ms}}]\n"
                       "traffic: {kind: traffic_manager}\n"
                       "resolvers: [{name: r, count: 10}]\n"
                       "clients: [{name: u, origin: a, resolver: r, rate: 100/s}]\n";
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_component *c = mr_sim_find(sim, "clusters/ca");
    cr_assert_not_null(c);
    cr_assert_eq(((const mr_cluster_state *)c->state)->slots, 2, "40/s x 41.218 ms = 1.65");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_result r;
    tsr_run(text, NULL, 0, REPS, &r);
    const double x99 = 25 * exp(2.326348), want = x99 + 3;
    cr_assert_float_eq(want, 259.012, 1e-3, "by hand");
    const mr_summary *s = &r.metrics[MR_METRIC_LATENCY_MS_P99];
    cr_assert_eq(s->n, REPS);
    mr_vcase v = {.id = "cluster_queue.light_load_latency_p99",
                  .what = "latency p99 at load 0.2, lognormal(25ms, 1) service + 3 ms fixed",
                  .reference = "closed form: lognormal p99 = 25 ms x e^2.326348 = 256.012 ms, "
                               "+ 3 ms",
                  .unit = "ms", .ref = want, .tol = 3.4};
    mr_vcheck(&v, "request", s->mean, s->ci_lo, s->ci_hi, s->n);
    /* Only the draws beyond the 2 s timeout less 3 ms fail (one attempt),
     * and none queues long enough to matter: P(Z > ln(1997 / 25)) =
     * 5.9e-6 of 2.6 million requests, 15.6 failures expected (sd 3.95, a
     * share of 1.5e-6): within 5e-6, 3.3 sd. */
    double fail = gsl_cdf_ugaussian_Q(log(1997.0 / 25));
    cr_expect(fabs(r.metrics[MR_METRIC_AVAILABILITY].mean - (1 - fail)) < 5e-6,
              "availability %.8f, want %.8f", r.metrics[MR_METRIC_AVAILABILITY].mean, 1 - fail);
    mr_result_fini(&r);
}

/* An overloaded cluster serves its capacity, pods x rps_per_pod, and no
 * more: the queue sheds by the wait alone (a request's patience keeps the
 * service time's p99 for its service, not its own draw, which the queue
 * cannot know), so the requests it serves are an unbiased sample of the
 * draws and a saturated queue, always busy, starts 10 slots / E[hold] =
 * 2 pods x 10/s = 20 requests/s. Offered 30/s with one attempt and a 10 s
 * timeout, 20/30 = 0.66667 of the requests start; those that start fail
 * only when their draw overruns the time left (at most the 1% above the
 * p99; nearly that, as a saturated queue's waits sit at the patience);
 * and the requests of the last patience (8.6 s) before the horizon do
 * not complete within it: 0.26% of the 55 min measured (the same run with
 * a constant 500 ms service gives 0.665, 2/3 less 0.25%). So the
 * availability lies in [2/3 x 0.9974 x 0.99, 2/3 x 0.9974] = [0.65827,
 * 0.66493]; reference its middle, tolerance its half width plus 0.003 for
 * the count's noise (the starts in 55 min are busy time / mean hold:
 * relative sd 0.53 / sqrt(66,000) = 0.2%; 0.003 is 2.2 sd of the mean of
 * two replications). Shedding by the draw (the longest first) would serve
 * the shortest 82% (Phi(z - sigma) = 2/3 at z = 0.93), far outside.
 * Aggregate fidelity's fluid capacity: exactly 2/3 (within 1e-3), so the
 * fidelities differ by the overrun and horizon effects, 1.3% here. */
Test(cluster_queue, an_overloaded_cluster_serves_its_capacity_at_both_fidelities, .timeout = 120)
{
    const char *text = "version: mrsim/v1\n"
                       "run: {horizon: 1h, warmup: 5m}\n"
                       "regions: [{name: a}]\n"
                       "rtt: {local: 1ms}\n"
                       "clusters: [{name: ca, region: a, nodes: {count: 1},"
                       " pods: {per_node: 2, rps_per_pod: 10},"
                       " service_time: lognormal(441.25ms, 0.5),"
                       " ingress: {kind: agc, latency: 2ms}}]\n"
                       "traffic: {kind: traffic_manager}\n"
                       "resolvers: [{name: r, count: 10}]\n"
                       "clients: [{name: u, origin: a, resolver: r, rate: 30/s, timeout: 10s,"
                       " retry: {attempts: 1}}]\n";
    mr_result r;
    tsr_run(text, NULL, 0, 2, &r);
    double av = r.metrics[MR_METRIC_AVAILABILITY].mean;
    mr_vcase v = {.id = "cluster_queue.overload_serves_capacity",
                  .what = "availability, 30/s offered to 2 pods x 10/s, lognormal service "
                          "(sigma 0.5)",
                  .reference = "closed form: capacity / offered = 2/3, less the draws above the "
                               "p99 (<= 1%) and the horizon's last 8.6 s (0.26%)",
                  .unit = "ratio", .ref = 0.6616, .tol = 0.00333 + 0.003};
    mr_vcheck(&v, "request", av, r.metrics[MR_METRIC_AVAILABILITY].ci_lo,
              r.metrics[MR_METRIC_AVAILABILITY].ci_hi, r.metrics[MR_METRIC_AVAILABILITY].n);
    mr_result_fini(&r);
    const char *agg[] = {"run.fidelity=aggregate"};
    tsr_run(text, agg, 1, 2, &r);
    av = r.metrics[MR_METRIC_AVAILABILITY].mean;
    mr_vcase va = v;
    va.reference = "closed form: the fluid capacity, capacity / offered = 2/3";
    va.id = "cluster_queue.overload_serves_capacity_aggregate";
    va.ref = 2.0 / 3;
    va.tol = 1e-3;
    mr_vcheck(&va, "aggregate", av, r.metrics[MR_METRIC_AVAILABILITY].ci_lo,
              r.metrics[MR_METRIC_AVAILABILITY].ci_hi, r.metrics[MR_METRIC_AVAILABILITY].n);
    mr_result_fini(&r);
}
