/* tests/unit/test_analyze.c: the closed forms of sim/run/analyze.c against
 * hand computation, and the
 * docs/reference.md §11 worked examples through the fixture scenarios of
 * tests/fixtures/analyze/ (loaded and analysed in-process). The
 * distribution functions it uses are tested in test_distcdf.c.
 *
 * Hand computations used below (D the detection, R a residual):
 * - Traffic Manager defaults (I 30 s, T 10 s, k 3): D ~ U[100, 130).
 * - TTL 30 s honoured: R ~ U[0, 30); D + R is trapezoidal on [100, 160]
 *   (two uniforms of equal width: triangular): mean 130, median 130,
 *   upper tail P(S > x) = (160 - x)^2 / (2 * 30^2), so
 *   p95 = 160 - 30 sqrt(0.1), p99 = 160 - 30 sqrt(0.02).
 * - Floor 300 s: D + U[0, 300): trapezoid, flat top on [130, 400], median
 *   (100 + 430) / 2 = 265, P(S > x) = (430 - x)^2 / (2 * 30 * 300) above
 *   400, so p95 = 400 and p99 = 430 - sqrt(0.01 * 18000).
 * - A Java runtime cache (30 s) behind TTL 30: D + U[0,30) + U[0,30) =
 *   100 + 30 (Irwin-Hall of 3), whose upper tail is (3 - y)^3 / 6:
 *   p95 = 100 + 30 (3 - 0.3^(1/3)), mean 145, max 190.
 * - EXTRA with hold H ~ Exp(m), TTL c, no detection: the stationary residual
 *   has P(L > r) = 1 below c and e^-(r-c)/m above, so its CDF is r / (c+m)
 *   below c and (c + m (1 - e^-(r-c)/m)) / (c+m) above; mean
 *   E[L^2] / (2 E[L]) = (c^2 + 2cm + 2m^2) / (2 (c + m)).
 * - A detection drawn from a distribution: U(0, 600) (as a dist) plus a
 *   TTL of 600 s honoured: a triangle on [0, 1200]: median 600,
 *   p95 = 1200 - 600 sqrt(0.1). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/analyze.h"
#include "mrsim/model.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"
#include "config/scenario.h"
#include "traffic.h"

/* Percentiles come from a CDF tabulated on 32,768 points and interpolated
 * linearly (exact for piecewise-linear CDFs, O(dx^2) otherwise): checked to
 * 1e-5 of the support, about a third of a grid step. */
#define TOL(range) (1e-5 * (range))

/* Traffic Manager's and Front Door's detection as their kinds give it
 * (mr_model.detect), in seconds, the closed form analyze sums. */
static mr_an_detect tm_detect(double interval, double timeout, int tolerated, int locations,
                              int quorum)
{
    mr_tm_cfg cfg = {.interval = (mr_time)(interval * MR_S),
                     .timeout = (mr_time)(timeout * MR_S),
                     .tolerated = tolerated,
                     .locations = locations,
                     .quorum = quorum};
    mr_model_detect d;
    mr_model_find("traffic_manager")->detect(&cfg, &d);
    return mr_an_detect_of(&d);
}

static mr_an_detect fd_detect(double interval, double timeout, int n, int x)
{
    mr_fd_cfg cfg = {.interval = (mr_time)(interval * MR_S),
                     .timeout = (mr_time)(timeout * MR_S),
                     .sample_size = n,
                     .required = x,
                     .pops = 1};
    mr_model_detect d;
    mr_model_find("front_door")->detect(&cfg, &d);
    return mr_an_detect_of(&d);
}

static mr_an_cache honor(double ttl)
{
    return (mr_an_cache){.weight = 1, .ttl = ttl, .mode = MR_TTL_HONOR, .hold_unit = 1};
}

Test(analyze, tm_detection_defaults_are_100_to_130s)
{
    mr_an_detect d = tm_detect(30, 10, 3, 1, 1);
    mr_an_times t = mr_an_uniform_times(d);
    cr_assert_float_eq(t.min, 100, 1e-12);
    cr_assert_float_eq(t.max, 130, 1e-12);
    cr_assert_float_eq(t.mean, 115, 1e-12);
    cr_assert_float_eq(t.p95, 128.5, 1e-12);
    /* Fast probing, no tolerance: 5 s timeout, then at most one interval. */
    t = mr_an_uniform_times(tm_detect(10, 5, 0, 1, 1));
    cr_assert_float_eq(t.min, 5, 1e-12);
    cr_assert_float_eq(t.max, 15, 1e-12);
}

/* Three probing locations, Degraded at the first (quorum 1) or the last
 * (quorum 3) to trip: the min or the max of three uniform phases. With a
 * 30 s TTL on top, S = 100 + 30 (M + V), M the min of three uniforms: for
 * y = (S - 100) / 30 in [0, 1], P(M + V <= y) = integral over m in [0, y]
 * of 1 - (1 - m)^3 = y - (1 - (1 - y)^4) / 4. */
static double min3_plus_u_cdf(double y)
{
    return y - (1 - pow(1 - y, 4)) / 4;
}

Test(analyze, tm_locations_and_quorum_are_order_statistics)
{
    mr_an_times any = mr_an_uniform_times(tm_detect(30, 10, 3, 3, 1));
    cr_assert_float_eq(any.mean, 100 + 30 / 4.0, 1e-12);
    cr_assert_float_eq(any.p50, 100 + 30 * (1 - cbrt(0.5)), 1e-9);
    cr_assert_float_eq(any.max, 130, 1e-12);
    mr_an_times all = mr_an_uniform_times(tm_detect(30, 10, 3, 3, 3));
    cr_assert_float_eq(all.mean, 100 + 30 * 3 / 4.0, 1e-12);
    cr_assert_float_eq(all.p95, 100 + 30 * cbrt(0.95), 1e-9);

    mr_an_detect d = tm_detect(30, 10, 3, 3, 1);
    mr_an_cache c = honor(30);
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, 100 + 7.5 + 15, 1e-9);
    double lo = 0, hi = 1;
    for (int i = 0; i < 100; i++) {
        double mid = (lo + hi) / 2;
        if (min3_plus_u_cdf(mid) < 0.5)
            lo = mid;
        else
            hi = mid;
    }
    /* 2,048 quantile points of the detection: 1/2048 of its 30 s range. */
    cr_assert_float_eq(t.p50, 100 + 30 * lo, 0.05, "p50 %f, expected %f", t.p50, 100 + 30 * lo);
}

Test(analyze, fd_detection_after_n_minus_x_plus_1_failures)
{
    /* 4/3: two failures: the first at phase U, the second one interval on. */
    mr_an_times t = mr_an_uniform_times(fd_detect(30, 0, 4, 3));
    cr_assert_float_eq(t.min, 30, 1e-12);
    cr_assert_float_eq(t.max, 60, 1e-12);
    /* Microsoft's example 5/3 at 30 s, with a 10 s timeout: 3 failures. */
    t = mr_an_uniform_times(fd_detect(30, 10, 5, 3));
    cr_assert_float_eq(t.min, 70, 1e-12);
    cr_assert_float_eq(t.max, 100, 1e-12);
    cr_assert_float_eq(t.mean, 85, 1e-12);
}

Test(analyze, every_edge_is_the_max_of_uniforms)
{
    mr_an_detect d = fd_detect(30, 0, 4, 3);
    mr_an_times t = mr_an_all_edges_times(d, 20);
    cr_assert_float_eq(t.mean, 30 + 30 * 20.0 / 21.0, 1e-12);
    cr_assert_float_eq(t.p50, 30 + 30 * pow(0.5, 1 / 20.0), 1e-12);
    cr_assert_float_eq(t.max, 60, 1e-12);
    /* One edge: the plain uniform. */
    mr_an_times one = mr_an_all_edges_times(d, 1);
    cr_assert_float_eq(one.p95, 58.5, 1e-12);
}

Test(analyze, honoured_ttl_adds_a_uniform_residual)
{
    mr_an_detect d = tm_detect(30, 10, 3, 1, 1);
    mr_an_cache c = honor(30);
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.min, 100, 1e-9);
    cr_assert_float_eq(t.max, 160, 1e-9);
    cr_assert_float_eq(t.mean, 130, 1e-9);
    cr_assert_float_eq(t.p50, 130, TOL(60));
    cr_assert_float_eq(t.p95, 160 - 30 * sqrt(0.1), TOL(60));
    cr_assert_float_eq(t.p99, 160 - 30 * sqrt(0.02), TOL(60));
}

Test(analyze, ttl_floor_stretches_the_residual)
{
    mr_an_detect d = tm_detect(30, 10, 3, 1, 1);
    mr_an_cache c = {.weight = 1, .ttl = 30, .mode = MR_TTL_FLOOR, .min_ttl = 300};
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, 265, 1e-9);
    cr_assert_float_eq(t.max, 430, 1e-9);
    cr_assert_float_eq(t.p50, 265, TOL(330));
    cr_assert_float_eq(t.p95, 400, TOL(330));
    cr_assert_float_eq(t.p99, 430 - sqrt(0.01 * 18000), TOL(330));
}

Test(analyze, java_runtime_cache_adds_a_third_uniform)
{
    mr_an_detect d = tm_detect(30, 10, 3, 1, 1);
    mr_an_cache c = honor(30);
    c.runtime = 30;
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, 145, 1e-9);
    cr_assert_float_eq(t.max, 190, 1e-9);
    cr_assert_float_eq(t.p50, 145, TOL(90));
    cr_assert_float_eq(t.p95, 100 + 30 * (3 - cbrt(0.3)), TOL(90));
}

Test(analyze, extra_hold_has_the_stationary_residual)
{
    const double c = 30, m = 300;
    mr_dist h;
    cr_assert_eq(mr_dist_exponential(&h, m), MR_OK);
    mr_an_detect none = {0};
    mr_an_cache cache = {.weight = 1, .ttl = c, .mode = MR_TTL_EXTRA, .hold = &h, .hold_unit = 1};
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&none, &cache, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, (c * c + 2 * c * m + 2 * m * m) / (2 * (c + m)), 1e-9);
    cr_assert(isinf(t.max));
    cr_assert_float_eq(t.min, 0, 1e-12);
    const double qs[] = {0.50, 0.95, 0.99};
    const double got[] = {t.p50, t.p95, t.p99};
    for (int i = 0; i < 3; i++) {
        double q = qs[i];
        double want = q * (c + m) <= c ? q * (c + m) : c - m * log(1 - (q * (c + m) - c) / m);
        /* The grid spans c + the 1 - 1e-9 quantile of H: ~6,250 s. */
        cr_assert_float_eq(got[i], want, TOL(6300), "q%.2f: %f, expected %f", q, got[i], want);
    }
    mr_dist_fini(&h);
}

Test(analyze, constant_extra_hold_is_a_longer_ttl)
{
    mr_dist h;
    cr_assert_eq(mr_dist_const(&h, 60), MR_OK);
    mr_an_detect none = {0};
    mr_an_cache cache = {.weight = 1, .ttl = 30, .mode = MR_TTL_EXTRA, .hold = &h, .hold_unit = 1};
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&none, &cache, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, 45, 1e-9);
    cr_assert_float_eq(t.max, 90, 1e-9);
    cr_assert_float_eq(t.p50, 45, TOL(90));
    cr_assert_float_eq(t.p95, 85.5, TOL(90));
}

Test(analyze, policies_mix_by_weight)
{
    mr_an_detect none = {0};
    mr_an_cache c[2] = {honor(30), {.weight = 1, .ttl = 30, .mode = MR_TTL_FLOOR, .min_ttl = 300}};
    mr_an_times t, each[2];
    cr_assert_eq(mr_an_switch(&none, c, 2, &t, each), MR_OK);
    /* F(x) = x/60 + x/600 below 30, 1/2 + x/600 above. */
    cr_assert_float_eq(t.p50, 0.5 / (1.0 / 60 + 1.0 / 600), TOL(300));
    cr_assert_float_eq(t.p95, 270, TOL(300));
    cr_assert_float_eq(t.mean, (15 + 150) / 2.0, 1e-9);
    cr_assert_float_eq(t.max, 300, 1e-9);
    cr_assert_float_eq(each[0].p50, 15, TOL(30));
    cr_assert_float_eq(each[1].p50, 150, TOL(300));
}

Test(analyze, a_detection_distribution_is_convolved)
{
    mr_dist u;
    cr_assert_eq(mr_dist_uniform(&u, 0, 600), MR_OK);
    mr_an_detect d = {.dist = &u, .unit = 1};
    mr_an_cache c = honor(600);
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_OK);
    cr_assert_float_eq(t.mean, 600, 1e-9);
    cr_assert_float_eq(t.max, 1200, 1e-9);
    /* DETECT_POINTS = 2048 quantile points: 1/2048 of the detection range. */
    cr_assert_float_eq(t.p50, 600, 1.0);
    cr_assert_float_eq(t.p95, 1200 - 600 * sqrt(0.1), 1.0);
    mr_dist_fini(&u);
}

Test(analyze, switch_refuses_empty_or_negative)
{
    mr_an_detect d = tm_detect(30, 10, 3, 1, 1);
    mr_an_cache c = honor(30);
    mr_an_times t;
    cr_assert_eq(mr_an_switch(&d, &c, 0, &t, NULL), MR_EINVAL);
    c.weight = -1;
    cr_assert_eq(mr_an_switch(&d, &c, 1, &t, NULL), MR_EINVAL);
}

Test(analyze, parallel_and_downtime_match_reference_11)
{
    double two[] = {0.9995, 0.9995};
    cr_assert_float_eq(mr_an_parallel(two, 2), 0.99999975, 1e-15);
    double four[] = {0.9995, 0.9995, 0.9995, 0.9995};
    cr_assert_float_eq(mr_an_parallel(four, 4), 1 - pow(0.0005, 4), 1e-15);
    /* docs/reference.md §11 downtime table. */
    cr_assert_float_eq(mr_an_downtime_month_s(0.999), 43.2 * 60, 1e-6);
    cr_assert_float_eq(mr_an_downtime_year_s(0.999), 8.76 * 3600, 1e-6);
    cr_assert_float_eq(mr_an_downtime_month_s(0.9995), 21.6 * 60, 1e-6);
    cr_assert_float_eq(mr_an_downtime_year_s(0.9999), 52.56 * 60, 1e-6);
    cr_assert_float_eq(mr_an_downtime_month_s(0.99999), 25.92, 1e-6);
    cr_assert_float_eq(mr_an_downtime_year_s(0.99999), 5.256 * 60, 1e-6);
}

/* ---- docs/reference.md §11 through the fixture scenarios ---------------------------- */

static mr_analysis *analyze_fixture(const char *name, const mr_an_override *ov, size_t nov)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/analyze/%s.yaml", MRSIM_SOURCE_DIR, name);
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, diag);
    cr_assert_eq(rc, MR_OK, "%s: %s", path, mr_diag_count(diag) ? mr_diag_line(diag, 0) : "");
    mr_analysis *a = NULL;
    rc = mr_analyze(sc, ov, nov, &a, diag);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(diag) ? mr_diag_line(diag, 0) : "");
    mr_scenario_free(sc);
    mr_diag_free(diag);
    return a;
}

static void expect_exact(double got, double want, const char *what)
{
    /* The same products in the same order: equal to the last bit or two. */
    cr_assert(fabs(got - want) <= 4e-16, "%s: %.17g, expected %.17g", what, got, want);
}

Test(reference11, app_service_x_sql_is_99_94)
{
    mr_analysis *a = analyze_fixture("app-service-sql", NULL, 0);
    expect_exact(a->composite, 0.9995 * 0.9999, "composite");
    cr_assert_eq(a->nunits, 1);
    expect_exact(a->global, 1, "global");
    /* 99.94% as docs/reference.md prints it. */
    cr_assert_float_eq(round(a->composite * 1e4) / 1e4, 0.9994, 1e-15);
    mr_analysis_free(a);
}

Test(reference11, two_regions_in_parallel_are_99_999975)
{
    mr_analysis *a = analyze_fixture("two-regions", NULL, 0);
    expect_exact(a->composite, 1 - 0.0005 * 0.0005, "composite");
    cr_assert_float_eq(a->composite, 0.99999975, 1e-15);
    cr_assert_eq(a->nunits, 2);
    cr_assert(a->units[1].standby, "the standby region counts as redundant");
    mr_analysis_free(a);
}

Test(reference11, mission_critical_global_tier_and_stamps)
{
    const double global = 1.0 * 0.99999 * 0.9999 * 0.9999;
    const double stamp = 0.9999 * 0.9995 * 0.9995 * 0.999 * 0.9999 * 0.9999;
    const char *names[] = {"mission-critical-1", "mission-critical-2", "mission-critical-3"};
    /* docs/reference.md §11 "Recomputed checks", rounded as it prints them. */
    const double printed[] = {0.99749, 0.99978, 0.99979};
    for (int n = 1; n <= 3; n++) {
        mr_analysis *a = analyze_fixture(names[n - 1], NULL, 0);
        cr_assert_float_eq(a->global, global, 1e-15);
        cr_assert_float_eq(round(a->global * 1e5) / 1e5, 0.99979, 1e-15);
        cr_assert_eq(a->nunits, (size_t)n);
        for (int u = 0; u < n; u++) {
            cr_assert_float_eq(a->units[u].availability, stamp, 1e-15);
            cr_assert_float_eq(round(a->units[u].availability * 1e4) / 1e4, 0.9977, 1e-15);
        }
        cr_assert_float_eq(a->composite, global * (1 - pow(1 - stamp, n)), 1e-15);
        cr_assert_float_eq(round(a->composite * 1e5) / 1e5, printed[n - 1], 1e-15,
                           "%d stamps: %.8f", n, a->composite);
        if (n == 3) {
            /* Pinned populations: home + one fallback as 2 stamps, home alone as 1. */
            cr_assert_eq(a->npopulations, 2);
            cr_assert_eq(a->populations[0].stamps, 2);
            cr_assert_float_eq(a->populations[0].availability, global * (1 - pow(1 - stamp, 2)),
                               1e-15);
            cr_assert_float_eq(a->populations[1].availability, global * stamp, 1e-15);
        } else {
            cr_assert_eq(a->npopulations, 0);
        }
        mr_analysis_free(a);
    }
}

Test(reference11, overrides_replace_defaults_and_unknown_names_fail)
{
    mr_an_override ov[] = {{"data/db", 0.999}, {"traffic", 0.9999}};
    mr_analysis *a = analyze_fixture("app-service-sql", ov, 2);
    expect_exact(a->composite, 0.9999 * (0.9995 * 0.999), "composite");
    mr_analysis_free(a);

    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/analyze/app-service-sql.yaml",
             MRSIM_SOURCE_DIR);
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, diag), MR_OK);
    mr_an_override bad = {"clusters/nope", 0.99};
    cr_assert_eq(mr_analyze(sc, &bad, 1, &a, diag), MR_EINVAL);
    cr_assert_eq(mr_diag_count(diag), 1);
    cr_assert(strstr(mr_diag_line(diag, 0), "clusters/web") != NULL, "%s",
              mr_diag_line(diag, 0));
    mr_scenario_free(sc);
    mr_diag_free(diag);
}

Test(reference11, mtbf_mttr_faults_imply_availability)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/good/active-active-fd.yaml", MRSIM_SOURCE_DIR);
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, diag), MR_OK);
    mr_analysis *a = NULL;
    cr_assert_eq(mr_analyze(sc, NULL, 0, &a, diag), MR_OK);
    cr_assert_eq(a->nfaults, 1);
    /* mtbf 90 d, mttr lognormal(40 min, 0.8): mean 40 e^0.32 min. */
    double up = 90 * 86400.0, rep = 40 * 60 * exp(0.32);
    cr_assert_float_eq(a->faults[0].availability, up / (up + rep), 1e-12);
    cr_assert_str_eq(a->faults[0].target, "westeurope/zone-2");
    /* Front Door: no caches, every-edge time present. */
    cr_assert(a->has_all_edges);
    cr_assert_eq(a->pops, 20);
    cr_assert_float_eq(a->client_switch.mean, a->detection.mean, 1e-12);
    mr_analysis_free(a);
    mr_scenario_free(sc);
    mr_diag_free(diag);
}
