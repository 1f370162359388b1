/* tests/unit/test_distcdf.c: the cdf and quantile functions of
 * sim/distcdf.c: each inverts the other on every kind, and hand values
 * (uniform, exponential median ln 2 x mean, lognormal median, triangular,
 * Pareto, a mixture with an atom, empirical, constant). */
#include <criterion/criterion.h>
#include <math.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"

Test(distcdf, cdf_and_quantile_invert_each_other)
{
    mr_dist d[8];
    cr_assert_eq(mr_dist_uniform(&d[0], 10, 50), MR_OK);
    cr_assert_eq(mr_dist_exponential(&d[1], 2), MR_OK);
    cr_assert_eq(mr_dist_normal(&d[2], 60, 10), MR_OK);
    cr_assert_eq(mr_dist_lognormal(&d[3], 240, 0.5), MR_OK);
    cr_assert_eq(mr_dist_triangular(&d[4], 600, 1200, 3600), MR_OK);
    cr_assert_eq(mr_dist_weibull(&d[5], 30, 1.5), MR_OK);
    cr_assert_eq(mr_dist_pareto(&d[6], 60, 1.5), MR_OK);
    mr_dist *parts = mr_xmalloc(2 * sizeof *parts);
    mr_dist_const(&parts[0], 0);
    mr_dist_lognormal(&parts[1], 300, 1.0);
    double p[] = {0.9, 0.1};
    cr_assert_eq(mr_dist_mix(&d[7], p, parts, 2), MR_OK);
    const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 6; i++) {
            double q = qs[i];
            if (k == 7 && q < 0.9)
                continue; /* the atom at 0 holds 90% */
            double x = mr_dist_quantile(&d[k], q);
            cr_assert_float_eq(mr_dist_cdf(&d[k], x), q, 1e-9, "kind %d q %.2f", k, q);
        }
    /* Hand values. */
    cr_assert_float_eq(mr_dist_quantile(&d[0], 0.25), 20, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&d[1], 0.5), 2 * log(2), 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&d[3], 0.5), 240, 1e-9);
    cr_assert_float_eq(mr_dist_cdf(&d[4], 1200), 600.0 / 3000.0, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&d[6], 0.75), 60 * pow(0.25, -1 / 1.5), 1e-9);
    cr_assert_float_eq(mr_dist_cdf(&d[7], 0), 0.9, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&d[7], 0.95), 300, 1e-6);
    /* Supports: bottom and top. */
    cr_assert_float_eq(mr_dist_quantile(&d[4], 0), 600, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&d[4], 1), 3600, 1e-12);
    cr_assert(isinf(mr_dist_quantile(&d[3], 1)));
    cr_assert(isinf(mr_dist_quantile(&d[7], 1)));
    cr_assert(isnan(mr_dist_quantile(&d[0], 1.5)));
    cr_assert_float_eq(mr_dist_cdf(&d[2], -1), 0, 1e-12);
    for (int k = 0; k < 8; k++)
        mr_dist_fini(&d[k]);
}

Test(distcdf, empirical_and_const)
{
    mr_dist e, c;
    double v[] = {40, 12, 15};
    cr_assert_eq(mr_dist_empirical(&e, v, 3), MR_OK);
    cr_assert_float_eq(mr_dist_cdf(&e, 15), 2.0 / 3, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&e, 0.5), 15, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&e, 1), 40, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&e, 0), 12, 1e-12);
    cr_assert_eq(mr_dist_const(&c, 30), MR_OK);
    cr_assert_float_eq(mr_dist_cdf(&c, 29.9), 0, 1e-12);
    cr_assert_float_eq(mr_dist_cdf(&c, 30), 1, 1e-12);
    cr_assert_float_eq(mr_dist_quantile(&c, 0.3), 30, 1e-12);
    mr_dist_fini(&e);
    mr_dist_fini(&c);
}
