/* tests/validation/test_rpo.c: docs/model.md rule 4 (replication position, RPO,
 * lost writes at a forced failover) by closed form and by a reference Monte
 * Carlo written here, independently of models/store_common.c.
 *
 * Writes are Poisson at rate w; the lag is drawn from Exp(m) at 0, D, 2D, ...
 * (D = replication.sample) and held. A forced failover happens at
 * t = K D + u, 0 <= u < D. Then
 *   A = t - applied(t) = min(L_K, u + L_{K-1}, u + D + L_{K-2}, ...)
 * so, with the L iid Exp(m),
 *   S(a) = P(A > a) = exp(-sum_j max(0, a - c_j) / m),
 *   c_0 = 0, c_j = u + (j - 1) D for j >= 1.
 * The writes lost are those in (t - A, t], independent of A:
 *   E[lost] = w E[A],  E[A] = int_0^inf S(a) da.
 * RPO is the age of the oldest lost write, A - E with E ~ Exp(w) the wait
 * from t - A to the first write, or 0 when E > A:
 *   E[RPO | A] = A - (1 - exp(-w A)) / w,
 *   E[RPO] = E[A] - int_0^inf exp(-w a) S(a) da   (integrating by parts).
 * Tolerances: 4 standard errors of the simulated mean (from its sample
 * variance); distributions: the empirical CDFs of the simulator and of the
 * reference Monte Carlo agree at several points within 4 standard errors
 * of the difference of two proportions. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "slo.h"
#include "store.h"
#include "validation.h"

enum { N = 20000 };
static const double W = 20, M = 2, D = 1, T = 60.5; /* writes/s, mean lag s, sample s, failover s */

static double survival(double a)
{
    double u = fmod(T, D), sum = a; /* j = 0 */
    for (int j = 1; u + (j - 1) * D < a; j++)
        sum += a - (u + (j - 1) * D);
    return exp(-sum / M);
}

/* int_0^inf f(a) S(a) da by the trapezoid rule on a fine grid. */
static double integrate(double (*f)(double))
{
    double h = 1e-4, total = 0;
    for (double a = 0; a < 60; a += h)
        total += 0.5 * h * (f(a) * survival(a) + f(a + h) * survival(a + h));
    return total;
}

static double one(double a)
{
    (void)a;
    return 1;
}

static double decay(double a)
{
    return exp(-W * a);
}

/* The simulator's machinery: one replication, returns lost and RPO. */
static mr_store_loss simulate(uint64_t rep, mr_time cut_at)
{
    mr_dist lag;
    mr_dist_exponential(&lag, M * 1e9);
    mr_rng *lags = mr_rng_new(5, rep, "store#lag"), *writes = mr_rng_new(5, rep, "clients#writes");
    mr_replica r;
    mr_replica_init(&r, &lag, (mr_time)(D * 1e9), lags);
    mr_store_log log;
    mr_store_log_init(&log);
    mr_time t = mr_time_from_s(T);
    for (mr_time w = mr_time_from_s(mr_rng_exponential(writes, 1 / W)); w <= t;
         w += mr_time_from_s(mr_rng_exponential(writes, 1 / W))) {
        if (cut_at >= 0 && w >= cut_at && !r.cut)
            mr_replica_cut(&r, cut_at, lags);
        mr_store_log_append(&log, w);
        /* Query now and then as a model would; the position must not depend on it. */
        if (rep % 2 == 0)
            mr_replica_applied(&r, w, lags);
    }
    mr_store_loss loss = mr_store_forced_loss(&log, &r, t, lags);
    mr_store_log_fini(&log);
    mr_rng_free(lags);
    mr_rng_free(writes);
    return loss;
}

/* The reference: rule 4 taken literally, with GSL and nothing of store.c. */
static void reference(gsl_rng *g, double *lost, double *rpo)
{
    int K = (int)floor(T / D);
    double u = T - K * D, A = INFINITY;
    for (int j = 0; j <= K; j++) {
        double L = gsl_ran_exponential(g, M);
        double c = j == 0 ? 0 : u + (j - 1) * D;
        A = fmin(A, c + L);
    }
    A = fmin(A, T + 1e9); /* nothing applied before 0: the log starts at 0 */
    int n = 0;
    double first = -1;
    for (double x = T - A + gsl_ran_exponential(g, 1 / W); x <= T; x += gsl_ran_exponential(g, 1 / W)) {
        if (first < 0)
            first = x;
        n++;
    }
    *lost = n;
    *rpo = n ? T - first : 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double cdf(const double *sorted, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo / (double)n;
}

Test(rpo, forced_failover_matches_rule_4_in_closed_form_and_by_reference, .timeout = 120)
{
    static double sim_lost[N], sim_rpo[N], ref_lost[N], ref_rpo[N];
    double sl = 0, sl2 = 0, sr = 0, sr2 = 0;
    for (uint64_t i = 0; i < N; i++) {
        mr_store_loss l = simulate(i, -1);
        sim_lost[i] = (double)l.lost;
        sim_rpo[i] = l.rpo_s;
        sl += sim_lost[i];
        sl2 += sim_lost[i] * sim_lost[i];
        sr += sim_rpo[i];
        sr2 += sim_rpo[i] * sim_rpo[i];
    }
    double ml = sl / N, mr = sr / N;
    double sel = sqrt((sl2 / N - ml * ml) / N), ser = sqrt((sr2 / N - mr * mr) / N);
    double EA = integrate(one), Elost = W * EA, Erpo = EA - integrate(decay);
    mr_vcase vl = {.id = "rpo.forced_failover_lost_writes",
                   .what = "writes lost at a forced failover (the replica's position, rule 4)",
                   .reference = "closed form, rule 4: W x E[A] (numerical integral); also a reference Monte Carlo",
                   .unit = "writes", .ref = Elost, .tol = 4 * sel};
    mr_vcase vr = {.id = "rpo.forced_failover_rpo",
                   .what = "RPO of a forced failover (age of the oldest lost write, rule 4)",
                   .reference = "closed form, rule 4: E[A] - integral of the decay; also a reference Monte Carlo",
                   .unit = "s", .ref = Erpo, .tol = 4 * ser};
    mr_vcheck(&vl, "request", ml, ml - 1.96 * sel, ml + 1.96 * sel, N);
    mr_vcheck(&vr, "request", mr, mr - 1.96 * ser, mr + 1.96 * ser, N);

    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 99);
    for (size_t i = 0; i < N; i++)
        reference(g, &ref_lost[i], &ref_rpo[i]);
    gsl_rng_free(g);
    qsort(sim_lost, N, sizeof(double), cmp);
    qsort(sim_rpo, N, sizeof(double), cmp);
    qsort(ref_lost, N, sizeof(double), cmp);
    qsort(ref_rpo, N, sizeof(double), cmp);
    const double at_rpo[] = {0, 0.05, 0.2, 0.5, 1.0, 2.0};
    const double at_lost[] = {0, 1, 3, 8, 15, 30};
    for (int k = 0; k < 6; k++) {
        double p1 = cdf(sim_rpo, N, at_rpo[k]), p2 = cdf(ref_rpo, N, at_rpo[k]);
        double p = (p1 + p2) / 2, se = sqrt(p * (1 - p) * 2.0 / N) + 1e-9;
        cr_assert(fabs(p1 - p2) < 4 * se, "P(RPO <= %.2f s): simulator %.4f, reference %.4f",
                  at_rpo[k], p1, p2);
        p1 = cdf(sim_lost, N, at_lost[k]);
        p2 = cdf(ref_lost, N, at_lost[k]);
        p = (p1 + p2) / 2;
        se = sqrt(p * (1 - p) * 2.0 / N) + 1e-9;
        cr_assert(fabs(p1 - p2) < 4 * se, "P(lost <= %.0f): simulator %.4f, reference %.4f",
                  at_lost[k], p1, p2);
    }
}

Test(rpo, zero_lag_loses_nothing)
{
    mr_dist lag;
    mr_dist_const(&lag, 0);
    mr_rng *g = mr_rng_new(1, 0, "x");
    mr_replica r;
    mr_replica_init(&r, &lag, MR_S, g);
    mr_store_log log;
    mr_store_log_init(&log);
    for (mr_time w = 0; w <= 100 * MR_S; w += 7 * MR_MS)
        mr_store_log_append(&log, w);
    mr_store_loss l = mr_store_forced_loss(&log, &r, 100 * MR_S, g);
    cr_assert_eq(l.lost, 0);
    cr_assert_float_eq(l.rpo_s, 0, 0);
    mr_store_log_fini(&log);
    mr_rng_free(g);
}

Test(rpo, a_replication_partition_makes_rpo_grow_with_its_length)
{
    double last = 0;
    for (int len = 5; len <= 40; len += 5) {
        mr_time cut = mr_time_from_s(T - len);
        double rpo = 0, lost = 0;
        for (uint64_t rep = 0; rep < 50; rep++) {
            mr_store_loss l = simulate(rep, cut);
            rpo += l.rpo_s / 50;
            lost += (double)l.lost / 50;
        }
        /* Everything since the cut is lost, plus what the lag held back. */
        cr_assert_geq(rpo, len - 0.5, "partition of %d s: RPO %.2f s", len, rpo);
        cr_assert_geq(lost, W * len * 0.9, "partition of %d s: %.1f lost", len, lost);
        cr_assert_gt(rpo, last, "RPO grows with the partition");
        last = rpo;
    }
}

Test(rpo, the_position_never_moves_backwards_and_ignores_query_times)
{
    mr_dist lag;
    mr_dist_lognormal(&lag, 1e9, 1.0);
    mr_rng *a = mr_rng_new(3, 0, "lag"), *b = mr_rng_new(3, 0, "lag");
    mr_replica ra, rb;
    mr_replica_init(&ra, &lag, MR_S, a);
    mr_replica_init(&rb, &lag, MR_S, b);
    mr_time prev = INT64_MIN;
    for (mr_time t = 0; t < 300 * MR_S; t += 37 * MR_MS) {
        mr_time p = mr_replica_applied(&ra, t, a);
        cr_assert_geq(p, prev);
        cr_assert_leq(p, t);
        prev = p;
    }
    /* Queried once at the end instead of 8,000 times: the same position. */
    cr_assert_eq(mr_replica_applied(&rb, 300 * MR_S, b), mr_replica_applied(&ra, 300 * MR_S, a));
    mr_rng_free(a);
    mr_rng_free(b);
}

Test(rpo, the_log_trims_and_counts)
{
    mr_store_log log;
    mr_store_log_init(&log);
    for (int i = 0; i < 5000; i++)
        mr_store_log_append(&log, (mr_time)i * MR_MS);
    cr_assert_eq(mr_store_log_count_after(&log, 999 * MR_MS), 4000);
    mr_store_log_trim(&log, 2999 * MR_MS);
    cr_assert_eq(log.first_seq, 3000);
    cr_assert_eq(mr_store_log_count_after(&log, -1), 2000);
    cr_assert_eq(mr_store_log_first_after(&log, 3500 * MR_MS), 3501 * MR_MS);
    cr_assert_eq(mr_store_log_first_after(&log, 5000 * MR_MS), -1);
    cr_assert_eq(mr_store_log_append(&log, 6 * MR_S), 5000);
    mr_store_log_fini(&log);
}

Test(rpo, a_planned_failover_waits_for_the_replica_and_loses_nothing)
{
    for (uint64_t rep = 0; rep < 200; rep++) {
        mr_dist lag;
        mr_dist_exponential(&lag, M * 1e9);
        mr_rng *g = mr_rng_new(8, rep, "lag");
        mr_replica r;
        mr_replica_init(&r, &lag, (mr_time)(D * 1e9), g);
        mr_store_log log;
        mr_store_log_init(&log);
        mr_time t = mr_time_from_s(T);
        for (mr_time w = 0; w <= t; w += 50 * MR_MS)
            mr_store_log_append(&log, w);
        mr_time ready = mr_replica_caught_up(&r, t, g);
        cr_assert_geq(ready, t);
        if (ready > t) {
            /* The earliest such time: a twin replica (same draws) is behind
             * one nanosecond before. */
            mr_rng *g2 = mr_rng_new(8, rep, "lag");
            mr_replica twin;
            mr_replica_init(&twin, &lag, (mr_time)(D * 1e9), g2);
            cr_assert_lt(mr_replica_applied(&twin, ready - 1, g2), t);
            cr_assert_geq(mr_replica_applied(&twin, ready, g2), t);
            mr_rng_free(g2);
        }
        cr_assert_lt(ready, t + 60 * MR_S, "a 2 s mean lag catches up within a minute");
        /* Writes stop at t while it catches up: at `ready` nothing is lost. */
        mr_store_loss l = mr_store_forced_loss(&log, &r, ready, g);
        cr_assert_eq(l.lost, 0, "rep %llu: %llu lost", (unsigned long long)rep,
                     (unsigned long long)l.lost);
        mr_store_log_fini(&log);
        mr_rng_free(g);
    }
    /* A cut link never catches up. */
    mr_dist lag;
    mr_dist_const(&lag, 0);
    mr_rng *g = mr_rng_new(8, 0, "lag");
    mr_replica r;
    mr_replica_init(&r, &lag, MR_S, g);
    mr_replica_cut(&r, 10 * MR_S, g);
    cr_assert_eq(mr_replica_caught_up(&r, 20 * MR_S, g), MR_TIME_NEVER);
    mr_replica_heal(&r, 30 * MR_S, g);
    cr_assert_eq(mr_replica_caught_up(&r, 30 * MR_S, g), 30 * MR_S);
    mr_rng_free(g);
}
