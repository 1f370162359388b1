/* tests/validation/test_redis_warmup.c: a Redis cache's warm-up after a
 * forced failover, its misses at both fidelities against the closed form
 * (issue 13, disagreement 3).
 * Before, aggregate fidelity read the hit-ratio ramp at step midpoints and
 * held each value forward to the next step (store_primary.c agg_wakes),
 * so it counted fewer misses than request fidelity and the closed form.
 *
 * The drill: reads only, Poisson at R = 100/s through the cache (hit
 * ratio h = 0.9, warm-up W = 10 min) to the store of record; the cache
 * failed over by force at t_f = 30 min, the switch taking D = 2 min
 * (during it every read misses), then cold: the hit ratio ramps linearly
 * from 0 to h over W (docs/model.md "redis"); a 1 h run, no warm-up of the
 * run. Clients reach the new primary at once (redis: no route cache).
 * Expected misses (reads that reach the store of record):
 *   steady state   R (1 - h) H         = 100 x 0.1 x 3600       = 36,000
 *   the switch     R h D               = 100 x 0.9 x 120        = 10,800
 *   the ramp       R h W / 2           = 100 x 0.9 x 600 / 2    = 27,000
 *   in all                                                         73,800
 * (the ramp's misses beyond the steady state: the integral over [0, W] of
 * h (1 - t/W) dt = h W / 2). The count is Poisson-binomial with variance
 * below its mean: sd < sqrt(73,800) = 272 per replication; over 8
 * replications the mean's sd is < 96: checked within 3 sd (290, 0.4%).
 * With a run warm-up of 10 min the first 600 s count nothing (rule 6):
 * 6,000 fewer steady-state misses, 67,800. Request fidelity counted the
 * misses of the run's warm-up too (the store of record's reads not): now
 * both fidelities count them the same way, after the warm-up.
 * The steps' bias was 16 steps held forward from each midpoint: misses
 * (about 1/32 of R h W more than the ramp's integral would give at each
 * step's start, less at its middle) of the order of the hundreds the
 * audit saw (844 fewer on its drill). */
#include <criterion/criterion.h>
#include <math.h>

#include "scenario_run.h"
#include "mrsim/model.h"

static const char *const warm =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 0s}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters: [{name: ca, region: a, nodes: {count: 4}, service_time: 5ms}]\n"
    "traffic: {kind: dns, endpoints: [{cluster: ca, priority: 1}]}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 100/s, mix: {read: 1},"
    " timeout: 2s, uses: [cache, orders]}]\n"
    "datastores:\n"
    "  - {name: cache, kind: redis, primary: a, replicas: [{region: b}], hit_ratio: 0.9,"
    " warm_up: 10m, failover: {duration: 2m}}\n"
    "  - {name: orders, kind: sql, primary: a, replicas: [{region: b}]}\n"
    "faults:\n"
    "  - {name: fo, kind: datastore_failover, target: cache, at: 30m, params: {mode: forced}}\n";

static double misses(const char *fidelity, const char *warmup, uint64_t rep)
{
    const char *sets[] = {fidelity, warmup};
    mr_scenario *sc = tsr_load(warm, sets, 2);
    mr_sim *sim = tsr_build(sc, rep);
    mr_report *r = tsr_finish(sim);
    double n = mr_report_find(r, "data/cache", "record_reads");
    cr_expect_eq(mr_report_find(r, "data/orders", "reads"), n,
                 "%s: the store of record took exactly the misses", fidelity);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return n;
}

Test(redis_warmup, misses_of_a_forced_failover_match_the_closed_form_at_both_fidelities,
     .timeout = 300)
{
    const char *fid[] = {"run.fidelity=request", "run.fidelity=aggregate"};
    const char *warmup[] = {"run.warmup=0s", "run.warmup=10m"};
    const double expect[] = {36000 + 10800 + 27000, 30000 + 10800 + 27000};
    enum { R = 8 };
    for (int w = 0; w < 2; w++)
        for (int f = 0; f < 2; f++) {
            double sum = 0;
            for (uint64_t rep = 0; rep < R; rep++)
                sum += misses(fid[f], warmup[w], rep);
            double mean = sum / R;
            cr_log_info("%s %s: misses %.1f, closed form %.0f", fid[f], warmup[w], mean,
                        expect[w]);
            mr_vcase vc = {.id = w ? "redis_warmup.misses_after_warmup" : "redis_warmup.misses",
                           .what = w ? "Redis misses of a forced cache failover, warm-up 10 min excluded"
                                     : "Redis misses of a forced cache failover (cold cache ramping)",
                           .reference = "closed form: the hit-ratio ramp integrated exactly",
                           .unit = "misses", .ref = expect[w], .tol = 3 * sqrt(expect[w] / R)};
            mr_vcheck(&vc, f ? "aggregate" : "request", mean, NAN, NAN, R);
        }
}
