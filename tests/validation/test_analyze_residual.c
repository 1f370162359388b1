/* tests/validation/test_analyze_residual.c: the residual cache life that
 * `mrsim analyze` uses for a resolver with an extra hold (docs/model.md rule 3,
 * mode extra), against a reference Monte Carlo of the cache itself.
 *
 * A resolver refreshes on expiry and keeps each answer ttl + H, H drawn
 * afresh at each refresh. Far from t = 0 the time from a fixed instant to
 * the next refresh is the stationary residual of renewal theory (density
 * P(L > r) / E[L], mean E[L^2] / (2 E[L])), not a uniform fraction of one
 * draw of L: long holds are more likely to cover the instant (the
 * inspection paradox). The Monte Carlo runs N independent caches for 60
 * mean lives and records the residual at that instant; mr_an_switch with
 * no detection delay must match its mean within 5 standard errors and its
 * quantiles within 5 standard errors of a sample quantile
 * (sqrt(q (1 - q) / N) / f(x_q), bounded here by a 2% band of the value,
 * which is wider). The seed is fixed: a failure is a bug. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "run/analyze.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"
#include "validation.h"

#define N 40000

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(residual, extra_hold_matches_a_renewal_monte_carlo, .timeout = 60)
{
    const double ttl = 20;
    mr_dist hold;
    /* docs/reference.md §4 resolver tail fit: lognormal(5m, 1.0). */
    cr_assert_eq(mr_dist_lognormal(&hold, 300, 1.0), MR_OK);
    double mean_life = ttl + mr_dist_mean(&hold);
    double at = 60 * mean_life;
    mr_rng *r = mr_rng_new(11, 0, "residual");
    double *res = malloc(N * sizeof *res);
    double sum = 0, sumsq = 0;
    for (int i = 0; i < N; i++) {
        /* Start anywhere in a first life; by 60 lives the start is forgotten. */
        double t = -mr_rng_uniform(r) * (ttl + mr_dist_sample(&hold, r));
        while (t <= at)
            t += ttl + mr_dist_sample(&hold, r);
        res[i] = t - at;
        sum += res[i];
        sumsq += res[i] * res[i];
    }
    double mc_mean = sum / N, sd = sqrt((sumsq - sum * sum / N) / (N - 1));
    qsort(res, N, sizeof *res, cmp);

    mr_an_detect none = {0};
    mr_an_cache c = {.weight = 1, .ttl = ttl, .mode = MR_TTL_EXTRA, .hold = &hold, .hold_unit = 1};
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&none, &c, 1, &t, NULL), MR_OK);
    /* Here the reference is the Monte Carlo and mrsim's figure is analyze's
     * closed form: the row says so. */
    mr_vcase vc = {.id = "analyze_residual.extra_hold_mean",
                   .what = "analyze: residual hold of a resolver with a random extra hold past the TTL",
                   .reference = "reference Monte Carlo of the renewal process (this test)",
                   .unit = "s", .ref = mc_mean, .tol = 5 * sd / sqrt(N)};
    mr_vcheck(&vc, "exact", t.mean, NAN, NAN, 1);
    /* The naive uniform fraction of one life would give mean_life / 2: far off. */
    cr_assert(fabs(mean_life / 2 - mc_mean) > 20 * sd / sqrt(N));
    const double qs[] = {0.5, 0.95};
    const double got[] = {t.p50, t.p95};
    for (int k = 0; k < 2; k++) {
        double mc = res[(size_t)(qs[k] * N)];
        cr_assert(fabs(got[k] - mc) < 0.02 * mc, "q%.2f: %.1f, Monte Carlo %.1f", qs[k], got[k],
                  mc);
    }
    free(res);
    mr_rng_free(r);
    mr_dist_fini(&hold);
}
