/* tests/unit/test_replicate.c: the replication runner and the aggregate.
 * Determinism: a small PHOLD model's trace hash is the same on two runs and
 * with 1 or 2 threads, and differs for another seed. Aggregates: the CI of
 * a hand-computed sample; NaN values left out; failures reported by the
 * lowest replication index, and no replication handed out after a failure
 * or a stop request. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "phold.h"
#include "mrsim/report.h"
#include "run/runner.h"
#include "mrsim/sim.h"

typedef struct run_ctx {
    uint64_t seed;
} run_ctx;

static void hash_trace(void *ctx, const mr_sim *sim, const mr_component *c, const mr_event *ev)
{
    (void)sim;
    uint64_t *h = ctx;
    *h = (*h ^ (uint64_t)ev->time) * 0x100000001b3ULL;
    *h = (*h ^ c->id) * 0x100000001b3ULL;
}

/* One replication: 8 PHOLD LPs, 32 pending events, 20 simulated seconds.
 * Metrics: [0] the trace hash split in two exact doubles, [1] its low
 * half, [2] events, [3] LP 0's received count from its report. */
static int phold_rep(void *vctx, uint64_t rep, double *m)
{
    const run_ctx *ctx = vctx;
    mr_sim *sim = mr_sim_new(ctx->seed, rep);
    for (int i = 0; i < 8; i++) {
        mr_phold_cfg cfg = {.lps = 8, .first = 0, .initial = 4, .mean = MR_S, .stop_after = 0};
        char name[16];
        snprintf(name, sizeof name, "lp%d", i);
        int rc = mr_sim_add(sim, mr_model_find("phold"), name, &cfg, NULL, NULL);
        if (rc != MR_OK)
            return rc;
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    mr_sim_set_trace(sim, hash_trace, &h);
    mr_sim_set_horizon(sim, 20 * MR_S);
    int rc = mr_sim_start(sim, NULL);
    if (rc == MR_OK)
        rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    m[0] = (double)(h >> 32);
    m[1] = (double)(h & 0xffffffffULL);
    m[2] = (double)mr_sim_events(sim);
    m[3] = mr_report_find(r, "lp0", "received");
    mr_report_free(r);
    int frc = mr_sim_free(sim);
    return rc != MR_OK ? rc : frc;
}

static void run_all(uint64_t seed, int jobs, double *out, uint64_t n)
{
    run_ctx ctx = {seed};
    mr_runner spec = {.replications = n, .jobs = jobs, .nmetrics = 4, .run = phold_rep,
                      .ctx = &ctx};
    cr_assert_eq(mr_replicate(&spec, out, NULL), MR_OK);
}

Test(replicate, trace_hash_is_identical_across_runs_and_thread_counts, .timeout = 60)
{
    enum { N = 12 };
    double a[N * 4], b[N * 4], c[N * 4], d[N * 4];
    run_all(42, 1, a, N);
    run_all(42, 1, b, N);
    run_all(42, 2, c, N);
    run_all(43, 2, d, N);
    cr_assert_arr_eq(a, b, sizeof a, "two runs differ");
    cr_assert_arr_eq(a, c, sizeof a, "1 and 2 threads differ");
    cr_assert(a[0] != d[0] || a[1] != d[1], "another seed gives the same trace");
    cr_assert(a[0] != a[4] || a[1] != a[5], "replications 0 and 1 are the same");
    cr_assert_gt(a[2], 100, "the model ran");
    cr_assert_gt(a[3], 0, "LP 0 reported");
    mr_summary s1, s2;
    mr_summarize(a + 2, N, 4, &s1);
    mr_summarize(c + 2, N, 4, &s2);
    cr_assert_arr_eq(&s1, &s2, sizeof s1, "aggregates differ between thread counts");
}

static int fail_odd(void *ctx, uint64_t rep, double *m)
{
    (void)ctx;
    m[0] = (double)rep;
    return rep >= 3 && rep % 2 == 1 ? MR_EMODEL : MR_OK;
}

Test(replicate, the_lowest_failing_replication_is_reported)
{
    double out[10];
    uint64_t failed = 99;
    mr_runner spec = {.replications = 10, .jobs = 2, .nmetrics = 1, .run = fail_odd};
    cr_assert_eq(mr_replicate(&spec, out, &failed), MR_EMODEL);
    cr_assert_eq(failed, 3);
    spec.jobs = 0;
    cr_assert_eq(mr_replicate(&spec, out, NULL), MR_EINVAL);
}

static void count_progress(void *ctx, uint64_t done, uint64_t total)
{
    uint64_t *last = ctx;
    cr_assert_eq(done, *last + 1);
    cr_assert_eq(total, 9);
    *last = done;
}

static int succeed(void *ctx, uint64_t rep, double *m)
{
    (void)ctx;
    m[0] = (double)rep;
    return MR_OK;
}

Test(replicate, progress_counts_every_replication_once)
{
    double out[9];
    uint64_t last = 0;
    mr_runner spec = {.replications = 9, .jobs = 4, .nmetrics = 1, .run = succeed,
                      .progress = count_progress, .progress_ctx = &last};
    cr_assert_eq(mr_replicate(&spec, out, NULL), MR_OK);
    cr_assert_eq(last, 9);
}

/* Marks each replication that ran; replication 3 fails or raises the stop
 * flag (as a signal handler would). */
typedef struct stop_ctx {
    atomic_int stop;
    atomic_int ran[40];
    int fail; /* 1: replication 3 fails; 0: it sets stop */
} stop_ctx;

static int stop_at_3(void *vctx, uint64_t rep, double *m)
{
    stop_ctx *ctx = vctx;
    m[0] = (double)rep;
    atomic_store(&ctx->ran[rep], 1);
    if (rep == 3 && ctx->fail)
        return MR_EMODEL;
    if (rep == 3)
        atomic_store(&ctx->stop, 1);
    return MR_OK;
}

static void check_prefix(stop_ctx *ctx)
{
    /* Handed out in order: the replications that ran are 0 .. k-1 with
     * k > 3; k < 40 unless the other workers ran all the rest while 3 was
     * still running (a scheduling accident, so not asserted). */
    int k = 0;
    while (k < 40 && atomic_load(&ctx->ran[k]))
        k++;
    for (int i = k; i < 40; i++)
        cr_assert(!atomic_load(&ctx->ran[i]), "replication %d ran after a gap at %d", i, k);
    cr_assert(k > 3, "%d replications ran", k);
}

Test(replicate, a_stop_request_hands_out_no_more_replications)
{
    for (int jobs = 1; jobs <= 3; jobs++) {
        double out[40];
        stop_ctx ctx = {.fail = 0};
        if (jobs == 1) {
            /* One worker: exactly 0 .. 3 ran. */
            mr_runner one = {.replications = 40, .jobs = 1, .nmetrics = 1, .run = stop_at_3,
                             .ctx = &ctx, .stop = &ctx.stop};
            cr_assert_eq(mr_replicate(&one, out, NULL), MR_EINTR);
            cr_assert(atomic_load(&ctx.ran[3]) && !atomic_load(&ctx.ran[4]));
            continue;
        }
        mr_runner spec = {.replications = 40, .jobs = jobs, .nmetrics = 1, .run = stop_at_3,
                          .ctx = &ctx, .stop = &ctx.stop};
        cr_assert_eq(mr_replicate(&spec, out, NULL), MR_EINTR);
        check_prefix(&ctx);
    }
}

Test(replicate, a_failure_hands_out_no_more_replications)
{
    for (int jobs = 1; jobs <= 3; jobs++) {
        double out[40];
        stop_ctx ctx = {.fail = 1};
        uint64_t failed = 0;
        mr_runner spec = {.replications = 40, .jobs = jobs, .nmetrics = 1, .run = stop_at_3,
                          .ctx = &ctx};
        cr_assert_eq(mr_replicate(&spec, out, &failed), MR_EMODEL);
        cr_assert_eq(failed, 3);
        check_prefix(&ctx);
    }
}

Test(aggregate, mean_ci_and_percentiles_of_a_hand_computed_sample)
{
    /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7) = 2.13809;
     * t(0.975, 7) = 2.3646243; half width 2.3646243 * 2.1380899 / sqrt(8) = 1.787488. */
    const double v[] = {9, 4, 2, 5, 4, 7, 4, 5};
    mr_summary s;
    mr_summarize(v, 8, 1, &s);
    cr_assert_eq(s.n, 8);
    cr_assert_float_eq(s.mean, 5.0, 1e-12);
    cr_assert_float_eq(s.sd, sqrt(32.0 / 7.0), 1e-12);
    cr_assert_float_eq(s.ci_hi - s.mean, 1.787488, 1e-6);
    cr_assert_float_eq(s.mean - s.ci_lo, 1.787488, 1e-6);
    cr_assert_float_eq(s.p50, 4.5, 1e-12);
    cr_assert_float_eq(s.min, 2, 0);
    cr_assert_float_eq(s.max, 9, 0);
    /* GSL's p95: index 0.95 * 7 = 6.65 between 7 and 9 -> 8.3. */
    cr_assert_float_eq(s.p95, 8.3, 1e-12);
}

Test(aggregate, nan_values_are_left_out_and_empty_is_all_nan)
{
    const double v[] = {NAN, 1, NAN, 3};
    mr_summary s;
    mr_summarize(v, 4, 1, &s);
    cr_assert_eq(s.n, 2);
    cr_assert_float_eq(s.mean, 2, 1e-15);
    const double none[] = {NAN, NAN};
    mr_summarize(none, 2, 1, &s);
    cr_assert_eq(s.n, 0);
    cr_assert(isnan(s.mean) && isnan(s.ci_lo) && isnan(s.p99));
    mr_summarize(v + 1, 1, 1, &s);
    cr_assert_eq(s.n, 1);
    cr_assert(isnan(s.ci_lo), "no CI from one value");
}

static void last_progress(void *ctx, uint64_t done, uint64_t total)
{
    uint64_t *seen = ctx;
    seen[0] = done;
    seen[1] = total;
}

Test(replicate, batches_from_first_fill_the_same_rows_as_one_call, .timeout = 60)
{
    /* What sequential stopping does: [0, 4), then [4, 7), then [7, 12). */
    enum { N = 12 };
    double one[N * 4], parts[N * 4];
    run_all(42, 2, one, N);
    run_ctx ctx = {42};
    uint64_t seen[2] = {0, 0};
    const uint64_t ends[] = {4, 7, N};
    uint64_t first = 0;
    for (size_t b = 0; b < 3; b++) {
        mr_runner spec = {.first = first, .replications = ends[b], .jobs = 3, .nmetrics = 4,
                          .run = phold_rep, .ctx = &ctx, .progress = last_progress,
                          .progress_ctx = seen};
        cr_assert_eq(mr_replicate(&spec, parts, NULL), MR_OK);
        cr_assert_eq(seen[0], ends[b] - first, "progress counts this call's replications");
        cr_assert_eq(seen[1], ends[b] - first);
        first = ends[b];
    }
    cr_assert_arr_eq(one, parts, sizeof one, "batches differ from one call");
    mr_runner bad = {.first = N, .replications = N, .jobs = 1, .nmetrics = 4, .run = phold_rep,
                     .ctx = &ctx};
    cr_assert_eq(mr_replicate(&bad, parts, NULL), MR_EINVAL, "an empty range is refused");
}

/* mr_summarize_in keeps the t interval when it is inside the range: the
 * hand-computed sample above, 5 -/+ 1.787488, is in [0, inf). */
Test(aggregate, the_t_interval_stays_where_it_is_in_range)
{
    const double v[] = {9, 4, 2, 5, 4, 7, 4, 5};
    mr_summary s;
    mr_summarize_in(v, 8, 1, MR_RANGE_NONNEG, &s);
    cr_assert_str_eq(s.ci_method, "t");
    cr_assert_float_eq(s.ci_hi - s.mean, 1.787488, 1e-6);
}

/* RPOs of three replications 1.5, 4.2, 1.2 (data-choices' shape): mean
 * 2.3, sd 1.652, t(0.975, 2) = 4.303, half 4.303 x 1.652 / 1.732 = 4.10:
 * the t interval [-1.80, 6.40] goes below 0, so the bootstrap replaces it,
 * within [1.2, 4.2]. Availabilities 1, 1, 1, 0.99: mean 0.9975, sd 0.005,
 * t(0.975, 3) = 3.182, half 0.00796: t's upper bound 1.0055 is above 1. */
Test(aggregate, an_interval_that_leaves_the_range_is_bootstrapped)
{
    const double rpo[] = {1.5, 4.2, 1.2};
    mr_summary s;
    mr_summarize(rpo, 3, 1, &s);
    cr_assert(s.ci_lo < 0, "the t interval %g goes below 0", s.ci_lo);
    mr_summarize_in(rpo, 3, 1, MR_RANGE_NONNEG, &s);
    cr_assert_str_eq(s.ci_method, "bootstrap-bca");
    cr_assert(s.ci_lo >= 1.2 && s.ci_lo <= s.mean && s.mean <= s.ci_hi && s.ci_hi <= 4.2,
              "[%g, %g]", s.ci_lo, s.ci_hi);
    const double av[] = {1, 1, 1, 0.99};
    mr_summarize(av, 4, 1, &s);
    cr_assert(s.ci_hi > 1);
    mr_summarize_in(av, 4, 1, MR_RANGE_UNIT, &s);
    cr_assert_str_eq(s.ci_method, "bootstrap-bca");
    cr_assert(s.ci_hi <= 1 && s.ci_lo >= 0.99, "[%g, %g]", s.ci_lo, s.ci_hi);
    /* Any real (incident cost): t stays even below 0. */
    const double cost[] = {-3, 1, 2};
    mr_summarize_in(cost, 3, 1, MR_RANGE_REAL, &s);
    cr_assert_str_eq(s.ci_method, "t");
    cr_assert(s.ci_lo < -3);
}

/* Equal values (a constant latency) and one value: no interval, rather
 * than [x, x], which would claim a certainty three replications lack. */
Test(aggregate, no_spread_or_one_value_gives_no_interval)
{
    const double v[] = {39.625, 39.625, 39.625};
    mr_summary s;
    mr_summarize_in(v, 3, 1, MR_RANGE_NONNEG, &s);
    cr_assert(isnan(s.ci_lo) && isnan(s.ci_hi));
    cr_assert_null(s.ci_method);
    cr_assert_float_eq(s.mean, 39.625, 0);
    mr_summarize_in(v, 1, 1, MR_RANGE_NONNEG, &s);
    cr_assert(isnan(s.ci_lo));
    cr_assert_null(s.ci_method);
}
