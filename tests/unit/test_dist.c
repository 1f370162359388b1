/* tests/unit/test_dist.c: the distributions of sim/dist.c against theory.
 * Every kind is drawn N times on the fixed stream (42, 0, "test") and its
 * sample mean and variance are compared with mr_dist_mean/mr_dist_variance and
 * with textbook formulas written out here, independently of dist.c.
 * Tolerances are confidence bounds, not guesses:
 *   mean:     |xbar - mu| < 5 sigma / sqrt(N)   (CLT; needs a finite variance);
 *   variance: |s2 - var| < 5 var sqrt((kappa - 1) / N), the large-sample
 *             standard error of s2, where kappa = mu4 / var^2 is the kurtosis.
 * kappa is the textbook kurtosis where this file knows it, or the sample
 * kurtosis when that is larger (or the only one at hand). Five standard errors
 * is a 6e-7 false-alarm rate per check, and the seed is fixed, so a failure is
 * a bug, not bad luck. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"

/* Under ASan, LeakSanitizer's report at exit does not fail a Criterion test
 * (the verdict is already in when the test's process exits), so the tests
 * about ownership ask for a leak check themselves. */
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define N 200000

/* Relative tolerance for closed forms computed two ways in double. */
#define CLOSED_REL 1e-9

/* Asserts that call returns MR_EINVAL and leaves the dist out byte for byte
 * as it was (house rule 6: out-parameters are set only on success). */
#define assert_rejected(out, call)                                                                 \
    do {                                                                                           \
        mr_dist before_;                                                                           \
        memset(&(out), 0xA5, sizeof(out));                                                         \
        memcpy(&before_, &(out), sizeof before_);                                                  \
        cr_assert_eq((call), MR_EINVAL, "%s should fail with MR_EINVAL", #call);                   \
        cr_assert(memcmp(&before_, &(out), sizeof before_) == 0, "%s changed *out", #call);        \
    } while (0)

struct sample_stats {
    double mean;
    double var;  /* Unbiased: divides by n - 1. */
    double kurt; /* The kurtosis m4 / m2^2. */
};

static struct sample_stats stats_of(const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    double m2 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double e = x[i] - m;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    struct sample_stats s = {.mean = m, .var = m2 / (double)(n - 1)};
    double pm2 = m2 / (double)n;
    s.kurt = pm2 > 0 ? (m4 / (double)n) / (pm2 * pm2) : 0;
    return s;
}

/* N draws of d from a fresh fixed-seed stream; caller frees. */
static double *draw(const mr_dist *d)
{
    mr_rng *r = mr_rng_new(42, 0, "test");
    double *x = mr_xmalloc(N * sizeof *x);
    for (size_t i = 0; i < N; i++)
        x[i] = mr_dist_sample(d, r);
    mr_rng_free(r);
    return x;
}

static void assert_close(double actual, double expected, double rel, const char *what)
{
    double eps = rel * fmax(fabs(expected), 1e-300);
    cr_assert_float_eq(actual, expected, eps, "%s: %.17g, expected %.17g", what, actual, expected);
}

/* The closed forms of dist.c agree with the textbook ones, and the sample
 * mean agrees with both within 5 standard errors. */
static struct sample_stats check_mean(const mr_dist *d, double mu, double var, double *x)
{
    assert_close(mr_dist_mean(d), mu, CLOSED_REL, "mr_dist_mean");
    struct sample_stats s = stats_of(x, N);
    double tol = 5 * sqrt(var / N);
    cr_assert_float_eq(s.mean, mu, tol, "sample mean %.9g vs textbook %.9g (tol %.3g)", s.mean, mu,
                       tol);
    cr_assert_float_eq(s.mean, mr_dist_mean(d), tol, "sample mean %.9g vs mr_dist_mean %.9g",
                       s.mean, mr_dist_mean(d));
    return s;
}

/* check_mean, plus the variance: closed forms agree, and the sample variance
 * is within 5 standard errors of it. kurt is the textbook kurtosis, or 0 when
 * only the sample's is known. */
static void check_moments(const mr_dist *d, double mu, double var, double kurt)
{
    double *x = draw(d);
    struct sample_stats s = check_mean(d, mu, var, x);
    assert_close(mr_dist_variance(d), var, CLOSED_REL, "mr_dist_variance");
    double kappa = fmax(kurt, s.kurt);
    double tol = 5 * var * sqrt((kappa - 1) / N);
    cr_assert_float_eq(s.var, var, tol,
                       "sample variance %.9g vs textbook %.9g (tol %.3g, kurtosis %.3g)", s.var,
                       var, tol, kappa);
    cr_assert_float_eq(s.var, mr_dist_variance(d), tol, "sample variance vs mr_dist_variance");
    free(x);
}

/* Mean and variance of N(mu, sd) truncated to [0, inf), textbook form:
 * alpha = -mu/sd, lambda = phi(alpha) / (1 - Phi(alpha)). */
static void truncated_normal_moments(double mu, double sd, double *mean, double *var)
{
    double alpha = -mu / sd;
    double lambda = gsl_ran_ugaussian_pdf(alpha) / (1 - gsl_cdf_ugaussian_P(alpha));
    if (alpha > 5) /* 1 - P loses every digit out there; the upper tail does not. */
        lambda = gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
    *mean = mu + sd * lambda;
    *var = sd * sd * (1 + alpha * lambda - lambda * lambda);
}

/* Fails the test if anything allocated so far is unreachable; a no-op
 * without ASan. */
static void assert_no_leaks(void)
{
#ifdef HAVE_LSAN
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "LeakSanitizer found leaks");
#endif
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(dist, const_always_returns_its_value)
{
    mr_dist d;
    cr_assert_eq(mr_dist_const(&d, 2.5), MR_OK);
    mr_rng *r = mr_rng_new(42, 0, "test");
    for (int i = 0; i < 1000; i++)
        cr_assert_float_eq(mr_dist_sample(&d, r), 2.5, 1e-15);
    cr_assert_float_eq(mr_dist_mean(&d), 2.5, 1e-15);
    cr_assert_float_eq(mr_dist_variance(&d), 0.0, 1e-300);
    mr_rng_free(r);
    mr_dist_fini(&d);
}

Test(dist, uniform_mean_and_variance_match_theory)
{
    double a = 2, b = 7;
    mr_dist d;
    cr_assert_eq(mr_dist_uniform(&d, a, b), MR_OK);
    /* Uniform kurtosis is 9/5. */
    check_moments(&d, (a + b) / 2, (b - a) * (b - a) / 12, 1.8);
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++)
        cr_assert(x[i] >= a && x[i] <= b);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, uniform_of_one_point_is_that_point)
{
    mr_dist d;
    cr_assert_eq(mr_dist_uniform(&d, 3, 3), MR_OK);
    mr_rng *r = mr_rng_new(42, 0, "test");
    cr_assert_float_eq(mr_dist_sample(&d, r), 3.0, 1e-15);
    cr_assert_float_eq(mr_dist_variance(&d), 0.0, 1e-300);
    mr_rng_free(r);
}

Test(dist, exponential_mean_and_variance_match_theory)
{
    double m = 3;
    mr_dist d;
    cr_assert_eq(mr_dist_exponential(&d, m), MR_OK);
    /* Exponential kurtosis is 9. */
    check_moments(&d, m, m * m, 9);
    mr_dist_fini(&d);
}

Test(dist, normal_far_from_zero_is_the_plain_normal)
{
    /* P(X < 0) = Phi(-10) = 8e-24: truncation is invisible in double. */
    mr_dist d;
    cr_assert_eq(mr_dist_normal(&d, 10, 1), MR_OK);
    check_moments(&d, 10, 1, 3);
    mr_dist_fini(&d);
}

Test(dist, normal_truncated_near_zero_matches_truncated_theory)
{
    /* Mean half an sd above 0: 31% of the untruncated mass is cut off, so the
     * truncated moments differ from (0.5, 1) by far more than the tolerance. */
    double mu = 0.5, sd = 1, mean, var;
    truncated_normal_moments(mu, sd, &mean, &var);
    cr_assert_gt(mean - mu, 0.4);
    mr_dist d;
    cr_assert_eq(mr_dist_normal(&d, mu, sd), MR_OK);
    check_moments(&d, mean, var, 0);
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++)
        cr_assert_geq(x[i], 0.0);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, normal_with_mean_deep_below_zero_uses_the_tail)
{
    /* alpha = 30: GSL samples by its tail method and dist.c switches to the
     * continued fraction; the textbook upper-tail ratio is still representable
     * (phi(30) = 1e-196), so the two are compared directly. The result is
     * close to an exponential with mean sd / alpha. */
    double mu = -30, sd = 1, mean, var;
    truncated_normal_moments(mu, sd, &mean, &var);
    mr_dist d;
    cr_assert_eq(mr_dist_normal(&d, mu, sd), MR_OK);
    /* Cancellation in mu + sd * lambda costs about log10(alpha^2) digits. */
    assert_close(mr_dist_mean(&d), mean, 1e-11, "tail mean");
    assert_close(mr_dist_variance(&d), var, 1e-9, "tail variance");
    /* lambda = alpha + 1/alpha - 2/alpha^3 + ..., so mean = (1/alpha)(1 - 2/alpha^2 + ...). */
    assert_close(mean, 1 / 30.0, 3.0 / (30 * 30), "exponential approximation of the tail");
    check_moments(&d, mean, var, 0);
    mr_dist_fini(&d);
}

Test(dist, normal_with_zero_sd_is_a_constant_clamped_at_zero)
{
    mr_dist d;
    mr_rng *r = mr_rng_new(42, 0, "test");
    cr_assert_eq(mr_dist_normal(&d, 4, 0), MR_OK);
    cr_assert_float_eq(mr_dist_sample(&d, r), 4.0, 1e-15);
    cr_assert_float_eq(mr_dist_mean(&d), 4.0, 1e-15);
    cr_assert_float_eq(mr_dist_variance(&d), 0.0, 1e-300);
    cr_assert_eq(mr_dist_normal(&d, -4, 0), MR_OK);
    cr_assert_float_eq(mr_dist_sample(&d, r), 0.0, 1e-300);
    cr_assert_float_eq(mr_dist_mean(&d), 0.0, 1e-300);
    mr_rng_free(r);
}

Test(dist, lognormal_mean_and_variance_match_theory)
{
    double median = 4, s = 0.5, mu = log(median);
    double s2 = s * s;
    double excess = exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 6;
    mr_dist d;
    cr_assert_eq(mr_dist_lognormal(&d, median, s), MR_OK);
    check_moments(&d, exp(mu + s2 / 2), (exp(s2) - 1) * exp(2 * mu + s2), 3 + excess);
    mr_dist_fini(&d);
}

Test(dist, lognormal_q_recovers_median_and_p95)
{
    /* "median 4m, p95 9m" in seconds. The standard error of the sample p95 is
     * sqrt(p (1 - p) / N) / f(x95) = 0.2% of 9, so 2% is about 9 of them. */
    mr_dist d;
    cr_assert_eq(mr_dist_lognormal_q(&d, 0.5, 240, 0.95, 540), MR_OK);
    cr_assert_eq(d.kind, MR_DIST_LOGNORMAL);
    assert_close(d.a, 240, 1e-12, "median parameter");
    assert_close(d.b, log(540.0 / 240.0) / 1.6448536269514722, 1e-12, "sigma parameter");
    double *x = draw(&d);
    qsort(x, N, sizeof *x, cmp_double);
    double q50 = x[(size_t)(0.50 * (N - 1))];
    double q95 = x[(size_t)(0.95 * (N - 1))];
    cr_assert_float_eq(q50, 240.0, 0.02 * 240, "sample median %g", q50);
    cr_assert_float_eq(q95, 540.0, 0.02 * 540, "sample p95 %g", q95);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, lognormal_q_with_other_quantiles_recovers_both)
{
    /* Neither quantile is the median: p10 = 1, p99 = 50. */
    mr_dist d;
    cr_assert_eq(mr_dist_lognormal_q(&d, 0.10, 1, 0.99, 50), MR_OK);
    double z1 = gsl_cdf_ugaussian_Pinv(0.10), z2 = gsl_cdf_ugaussian_Pinv(0.99);
    double cdf1 = gsl_cdf_lognormal_P(1, log(d.a), d.b);
    double cdf2 = gsl_cdf_lognormal_P(50, log(d.a), d.b);
    cr_assert_float_eq(cdf1, 0.10, 1e-12);
    cr_assert_float_eq(cdf2, 0.99, 1e-12);
    assert_close(d.b, log(50.0) / (z2 - z1), 1e-12, "sigma");
    mr_dist_fini(&d);
}

Test(dist, triangular_mean_and_variance_match_theory)
{
    double a = 1, c = 2, b = 6; /* min, mode, max */
    mr_dist d;
    cr_assert_eq(mr_dist_triangular(&d, a, c, b), MR_OK);
    /* Triangular excess kurtosis is -3/5 whatever the mode. */
    check_moments(&d, (a + b + c) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18, 2.4);
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++)
        cr_assert(x[i] >= a && x[i] <= b);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, triangular_with_mode_at_an_end_matches_theory)
{
    mr_dist d;
    cr_assert_eq(mr_dist_triangular(&d, 0, 0, 3), MR_OK);
    check_moments(&d, 1, 9.0 / 18, 2.4);
    cr_assert_eq(mr_dist_triangular(&d, 0, 3, 3), MR_OK);
    check_moments(&d, 2, 9.0 / 18, 2.4);
}

Test(dist, weibull_mean_and_variance_match_theory)
{
    double scale = 2, k = 1.5;
    double g1 = gsl_sf_gamma(1 + 1 / k), g2 = gsl_sf_gamma(1 + 2 / k);
    double g3 = gsl_sf_gamma(1 + 3 / k), g4 = gsl_sf_gamma(1 + 4 / k);
    /* Kurtosis from the raw moments E[X^j] = scale^j Gamma(1 + j/k). */
    double v1 = g2 - g1 * g1;
    double c4 = g4 - 4 * g1 * g3 + 6 * g1 * g1 * g2 - 3 * g1 * g1 * g1 * g1;
    mr_dist d;
    cr_assert_eq(mr_dist_weibull(&d, scale, k), MR_OK);
    check_moments(&d, scale * g1, scale * scale * v1, c4 / (v1 * v1));
    mr_dist_fini(&d);
}

Test(dist, weibull_with_shape_one_is_exponential)
{
    mr_dist d;
    cr_assert_eq(mr_dist_weibull(&d, 5, 1), MR_OK);
    check_moments(&d, 5, 25, 9);
}

Test(dist, pareto_mean_and_variance_match_theory)
{
    /* Shape 6 so that the fourth moment, and so the variance's error bar,
     * exists: excess kurtosis 6 (a^3 + a^2 - 6a - 2) / (a (a - 3) (a - 4)). */
    double xm = 2, a = 6;
    double excess = 6 * (a * a * a + a * a - 6 * a - 2) / (a * (a - 3) * (a - 4));
    mr_dist d;
    cr_assert_eq(mr_dist_pareto(&d, xm, a), MR_OK);
    check_moments(&d, a * xm / (a - 1), xm * xm * a / ((a - 1) * (a - 1) * (a - 2)), 3 + excess);
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++)
        cr_assert_geq(x[i], xm);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, pareto_with_shape_three_has_the_textbook_mean)
{
    /* Shape 3: finite variance, so the CLT bound on the mean holds, but no
     * fourth moment, so the sample variance has no usable error bar. */
    double xm = 1, a = 3;
    double var = xm * xm * a / ((a - 1) * (a - 1) * (a - 2));
    mr_dist d;
    cr_assert_eq(mr_dist_pareto(&d, xm, a), MR_OK);
    double *x = draw(&d);
    check_mean(&d, a * xm / (a - 1), var, x);
    assert_close(mr_dist_variance(&d), var, CLOSED_REL, "mr_dist_variance");
    free(x);
}

Test(dist, pareto_with_shape_at_most_one_has_infinite_mean)
{
    mr_dist d;
    cr_assert_eq(mr_dist_pareto(&d, 1, 1), MR_OK);
    cr_assert(isinf(mr_dist_mean(&d)) && mr_dist_mean(&d) > 0);
    cr_assert(isinf(mr_dist_variance(&d)) && mr_dist_variance(&d) > 0);
    cr_assert_eq(mr_dist_pareto(&d, 1, 0.5), MR_OK);
    cr_assert(isinf(mr_dist_mean(&d)) && mr_dist_mean(&d) > 0);
    /* Shape in (1, 2]: finite mean, infinite variance. */
    cr_assert_eq(mr_dist_pareto(&d, 1, 1.5), MR_OK);
    assert_close(mr_dist_mean(&d), 3, CLOSED_REL, "mean at shape 1.5");
    cr_assert(isinf(mr_dist_variance(&d)) && mr_dist_variance(&d) > 0);
}

Test(dist, empirical_mean_and_variance_match_theory)
{
    const double v[] = {1, 2, 2, 5, 10};
    const size_t n = sizeof v / sizeof v[0];
    /* Resampling uniformly makes the values a population: moments over 1/n. */
    double m = 0, m2 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i] / n;
    for (size_t i = 0; i < n; i++) {
        m2 += (v[i] - m) * (v[i] - m) / n;
        m4 += pow(v[i] - m, 4) / n;
    }
    mr_dist d;
    cr_assert_eq(mr_dist_empirical(&d, v, n), MR_OK);
    check_moments(&d, m, m2, m4 / (m2 * m2));
    mr_dist_fini(&d);
}

Test(dist, empirical_copies_values_and_draws_only_them)
{
    double v[] = {1, 2, 3};
    mr_dist d;
    cr_assert_eq(mr_dist_empirical(&d, v, 3), MR_OK);
    v[0] = 100; /* The dist must have its own copy. */
    size_t count[3] = {0};
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++) {
        int k = (int)lround(x[i]);
        cr_assert(k >= 1 && k <= 3, "drew %g", x[i]);
        count[k - 1]++;
    }
    /* Each count is binomial(N, 1/3): sd = sqrt(N 2/9) = 211. */
    for (int k = 0; k < 3; k++)
        cr_assert_float_eq((double)count[k], N / 3.0, 5 * sqrt(N * 2.0 / 9), "count of %d", k + 1);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, mix_mean_and_variance_match_theory)
{
    /* 0.7 exponential(1) + 0.3 uniform(10, 20). */
    mr_dist *parts = mr_xmalloc(2 * sizeof *parts);
    cr_assert_eq(mr_dist_exponential(&parts[0], 1), MR_OK);
    cr_assert_eq(mr_dist_uniform(&parts[1], 10, 20), MR_OK);
    const double p[] = {0.7, 0.3};
    double mean = 0.7 * 1 + 0.3 * 15;
    double ex2 = 0.7 * (1 + 1) + 0.3 * (100.0 / 12 + 15 * 15);
    mr_dist d;
    cr_assert_eq(mr_dist_mix(&d, p, parts, 2), MR_OK);
    check_moments(&d, mean, ex2 - mean * mean, 0);
    mr_dist_fini(&d);
}

Test(dist, mix_never_picks_a_part_of_probability_zero)
{
    mr_dist *parts = mr_xmalloc(3 * sizeof *parts);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(mr_dist_const(&parts[i], i + 1), MR_OK);
    /* Infinite mean in an unreachable part must not poison the moments. */
    cr_assert_eq(mr_dist_pareto(&parts[2], 1, 0.5), MR_OK);
    const double p[] = {0, 1, 0};
    mr_dist d;
    cr_assert_eq(mr_dist_mix(&d, p, parts, 3), MR_OK);
    double *x = draw(&d);
    for (size_t i = 0; i < N; i++)
        cr_assert_float_eq(x[i], 2.0, 1e-15);
    cr_assert_float_eq(mr_dist_mean(&d), 2.0, 1e-15);
    cr_assert_float_eq(mr_dist_variance(&d), 0.0, 1e-300);
    free(x);
    mr_dist_fini(&d);
}

Test(dist, mix_fini_frees_nested_parts)
{
    /* Under ASan, a leak of the inner mix, its p or the empirical values
     * fails the test. */
    const double v[] = {1, 2, 3};
    const double half[] = {0.5, 0.5};
    mr_dist *inner = mr_xmalloc(2 * sizeof *inner);
    cr_assert_eq(mr_dist_empirical(&inner[0], v, 3), MR_OK);
    cr_assert_eq(mr_dist_exponential(&inner[1], 2), MR_OK);
    mr_dist *outer = mr_xmalloc(2 * sizeof *outer);
    cr_assert_eq(mr_dist_mix(&outer[0], half, inner, 2), MR_OK);
    cr_assert_eq(mr_dist_empirical(&outer[1], v, 3), MR_OK);
    mr_dist d;
    cr_assert_eq(mr_dist_mix(&d, half, outer, 2), MR_OK);
    /* E = 0.5 (0.5 * 2 + 0.5 * 2) + 0.5 * 2 = 2. */
    assert_close(mr_dist_mean(&d), 2, CLOSED_REL, "nested mix mean");
    mr_dist_fini(&d);
    cr_assert_null(d.parts);
    cr_assert_null(d.p);
    mr_dist_fini(&d); /* A second fini is harmless. */
    assert_no_leaks();
}

Test(dist, failed_mix_leaves_parts_with_the_caller)
{
    mr_dist *parts = mr_xmalloc(2 * sizeof *parts);
    const double v[] = {1, 2};
    cr_assert_eq(mr_dist_empirical(&parts[0], v, 2), MR_OK);
    cr_assert_eq(mr_dist_const(&parts[1], 1), MR_OK);
    const double bad[] = {0.5, 0.4};
    mr_dist d;
    assert_rejected(d, mr_dist_mix(&d, bad, parts, 2));
    /* Still ours: readable, and ours to free (under ASan, a double free or a
     * leak fails the test if mix had taken them). */
    cr_assert_float_eq(parts[0].values[1], 2.0, 1e-15);
    mr_dist_fini(&parts[0]);
    mr_dist_fini(&parts[1]);
    free(parts);
    assert_no_leaks();
}

Test(dist, constructors_reject_bad_parameters_and_leave_out_unchanged)
{
    mr_dist d;
    assert_rejected(d, mr_dist_const(&d, NAN));
    assert_rejected(d, mr_dist_const(&d, INFINITY));

    assert_rejected(d, mr_dist_uniform(&d, 2, 1));
    assert_rejected(d, mr_dist_uniform(&d, NAN, 1));
    assert_rejected(d, mr_dist_uniform(&d, 0, INFINITY));

    assert_rejected(d, mr_dist_exponential(&d, -1));
    assert_rejected(d, mr_dist_exponential(&d, NAN));
    assert_rejected(d, mr_dist_exponential(&d, INFINITY));

    assert_rejected(d, mr_dist_normal(&d, 0, -1));
    assert_rejected(d, mr_dist_normal(&d, NAN, 1));
    assert_rejected(d, mr_dist_normal(&d, -INFINITY, 1));
    assert_rejected(d, mr_dist_normal(&d, 0, INFINITY));

    assert_rejected(d, mr_dist_lognormal(&d, 0, 1));
    assert_rejected(d, mr_dist_lognormal(&d, -1, 1));
    assert_rejected(d, mr_dist_lognormal(&d, 1, -0.1));
    assert_rejected(d, mr_dist_lognormal(&d, 1, NAN));
    assert_rejected(d, mr_dist_lognormal(&d, INFINITY, 1));

    assert_rejected(d, mr_dist_lognormal_q(&d, 0, 1, 0.5, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 1, 0.5, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.6, 1, 0.5, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 1, 1, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 0, 0.9, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 2, 0.9, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 3, 0.9, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, NAN, 1, 0.9, 2));
    assert_rejected(d, mr_dist_lognormal_q(&d, 0.5, 1, 0.9, INFINITY));

    assert_rejected(d, mr_dist_triangular(&d, 1, 0, 2));
    assert_rejected(d, mr_dist_triangular(&d, 0, 3, 2));
    assert_rejected(d, mr_dist_triangular(&d, 1, 1, 1));
    assert_rejected(d, mr_dist_triangular(&d, 0, NAN, 2));

    assert_rejected(d, mr_dist_weibull(&d, 0, 1));
    assert_rejected(d, mr_dist_weibull(&d, -1, 1));
    assert_rejected(d, mr_dist_weibull(&d, 1, 0));
    assert_rejected(d, mr_dist_weibull(&d, 1, INFINITY));

    assert_rejected(d, mr_dist_pareto(&d, 0, 1));
    assert_rejected(d, mr_dist_pareto(&d, 1, 0));
    assert_rejected(d, mr_dist_pareto(&d, 1, -2));
    assert_rejected(d, mr_dist_pareto(&d, NAN, 1));

    const double good[] = {1, 2, 3};
    const double with_nan[] = {1, NAN, 3};
    const double with_inf[] = {1, 2, -INFINITY};
    assert_rejected(d, mr_dist_empirical(&d, NULL, 3));
    assert_rejected(d, mr_dist_empirical(&d, good, 0));
    assert_rejected(d, mr_dist_empirical(&d, with_nan, 3));
    assert_rejected(d, mr_dist_empirical(&d, with_inf, 3));
}

Test(dist, mix_rejects_bad_probabilities)
{
    mr_dist parts[2];
    cr_assert_eq(mr_dist_const(&parts[0], 1), MR_OK);
    cr_assert_eq(mr_dist_const(&parts[1], 2), MR_OK);
    const double short_sum[] = {0.5, 0.4};
    const double negative[] = {-0.1, 1.1};
    const double above_one[] = {1.5, -0.5};
    const double with_nan[] = {NAN, 1};
    const double just_over[] = {0.5, 0.5 + 2e-9};
    const double ok[] = {0.5, 0.5};
    mr_dist d;
    assert_rejected(d, mr_dist_mix(&d, ok, parts, 0));
    assert_rejected(d, mr_dist_mix(&d, NULL, parts, 2));
    assert_rejected(d, mr_dist_mix(&d, ok, NULL, 2));
    assert_rejected(d, mr_dist_mix(&d, short_sum, parts, 2));
    assert_rejected(d, mr_dist_mix(&d, negative, parts, 2));
    assert_rejected(d, mr_dist_mix(&d, above_one, parts, 2));
    assert_rejected(d, mr_dist_mix(&d, with_nan, parts, 2));
    assert_rejected(d, mr_dist_mix(&d, just_over, parts, 2));
}

Test(dist, mix_accepts_a_sum_within_tolerance)
{
    mr_dist *parts = mr_xmalloc(2 * sizeof *parts);
    cr_assert_eq(mr_dist_const(&parts[0], 1), MR_OK);
    cr_assert_eq(mr_dist_const(&parts[1], 2), MR_OK);
    const double p[] = {0.5, 0.5 - 5e-10};
    mr_dist d;
    cr_assert_eq(mr_dist_mix(&d, p, parts, 2), MR_OK);
    mr_dist_fini(&d);
}

Test(dist, sample_time_is_never_negative)
{
    mr_dist d;
    mr_rng *r = mr_rng_new(42, 0, "test");
    cr_assert_eq(mr_dist_uniform(&d, -5, 5), MR_OK);
    size_t zeros = 0;
    for (int i = 0; i < 10000; i++) {
        mr_time t = mr_dist_sample_time(&d, r);
        cr_assert_geq(t, 0);
        cr_assert_leq(t, 5);
        zeros += t == 0;
    }
    /* Half the mass is below 0.5 and rounds to 0. */
    cr_assert_gt(zeros, 4000);
    cr_assert_eq(mr_dist_const(&d, -3), MR_OK);
    cr_assert_eq(mr_dist_sample_time(&d, r), 0);
    mr_rng_free(r);
}

Test(dist, sample_time_rounds_to_nearest_nanosecond)
{
    mr_dist d;
    mr_rng *r = mr_rng_new(42, 0, "test");
    const double in[] = {0.4, 0.5, 1.4, 1.5, 2.5, 1e6 + 0.49, 1e6 + 0.51, 1.5e9};
    const mr_time want[] = {0, 1, 1, 2, 3, 1000000, 1000001, 1500000000};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        cr_assert_eq(mr_dist_const(&d, in[i]), MR_OK);
        cr_assert_eq(mr_dist_sample_time(&d, r), want[i], "%g ns", in[i]);
    }
    mr_rng_free(r);
}

Test(dist, sample_time_saturates_and_maps_nan_to_zero)
{
    mr_dist d;
    mr_rng *r = mr_rng_new(42, 0, "test");
    cr_assert_eq(mr_dist_const(&d, 1e19), MR_OK);
    cr_assert_eq(mr_dist_sample_time(&d, r), MR_TIME_NEVER);
    cr_assert_eq(mr_dist_const(&d, 0x1p63), MR_OK);
    cr_assert_eq(mr_dist_sample_time(&d, r), MR_TIME_NEVER);
    /* The largest double below 2^63 still fits. */
    cr_assert_eq(mr_dist_const(&d, 0x1p63 - 1024), MR_OK);
    cr_assert_eq(mr_dist_sample_time(&d, r), (mr_time)(INT64_MAX - 1023));
    /* Constructors refuse non-finite values; a hand-built struct can hold them. */
    d = (mr_dist){.kind = MR_DIST_CONST, .a = NAN};
    cr_assert_eq(mr_dist_sample_time(&d, r), 0);
    d = (mr_dist){.kind = MR_DIST_CONST, .a = INFINITY};
    cr_assert_eq(mr_dist_sample_time(&d, r), MR_TIME_NEVER);
    d = (mr_dist){.kind = MR_DIST_CONST, .a = -INFINITY};
    cr_assert_eq(mr_dist_sample_time(&d, r), 0);
    mr_rng_free(r);
}

Test(dist, same_seed_gives_same_sequence)
{
    const double v[] = {1, 2, 3, 4};
    mr_dist d[10];
    cr_assert_eq(mr_dist_uniform(&d[0], 0, 1), MR_OK);
    cr_assert_eq(mr_dist_exponential(&d[1], 1), MR_OK);
    cr_assert_eq(mr_dist_normal(&d[2], 0.5, 1), MR_OK);
    cr_assert_eq(mr_dist_lognormal(&d[3], 1, 0.5), MR_OK);
    cr_assert_eq(mr_dist_triangular(&d[4], 0, 1, 3), MR_OK);
    cr_assert_eq(mr_dist_weibull(&d[5], 1, 2), MR_OK);
    cr_assert_eq(mr_dist_pareto(&d[6], 1, 3), MR_OK);
    cr_assert_eq(mr_dist_empirical(&d[7], v, 4), MR_OK);
    cr_assert_eq(mr_dist_normal(&d[8], -30, 1), MR_OK);
    mr_dist *parts = mr_xmalloc(2 * sizeof *parts);
    cr_assert_eq(mr_dist_exponential(&parts[0], 1), MR_OK);
    cr_assert_eq(mr_dist_uniform(&parts[1], 5, 6), MR_OK);
    const double p[] = {0.3, 0.7};
    cr_assert_eq(mr_dist_mix(&d[9], p, parts, 2), MR_OK);

    enum { DRAWS = 1000 };
    static double x[DRAWS], y[DRAWS], z[DRAWS];
    for (size_t k = 0; k < 10; k++) {
        mr_rng *r1 = mr_rng_new(42, 0, "test");
        mr_rng *r2 = mr_rng_new(42, 0, "test");
        mr_rng *r3 = mr_rng_new(42, 0, "other");
        for (int i = 0; i < DRAWS; i++) {
            x[i] = mr_dist_sample(&d[k], r1);
            y[i] = mr_dist_sample(&d[k], r2);
            z[i] = mr_dist_sample(&d[k], r3);
        }
        /* Bit-for-bit: determinism is about identical bits, not closeness. */
        cr_assert(memcmp(x, y, sizeof x) == 0, "dist %zu differs between equal seeds", k);
        cr_assert(memcmp(x, z, sizeof x) != 0, "dist %zu ignores the stream name", k);
        mr_rng_free(r1);
        mr_rng_free(r2);
        mr_rng_free(r3);
        mr_dist_fini(&d[k]);
    }
}
