/* tests/validation/test_crn.c: common random numbers. Replication i uses
 * the same seed in every compared run, and every component's streams are
 * keyed by its name, so:
 * - two variants that differ only in a parameter no model reads have a
 *   paired difference of exactly 0 in every metric;
 * - for a real difference (TTL 30 s against 300 s) the paired 95% CI is
 *   narrower than the unpaired one (t(0.975, n - 1) sqrt(s_a^2/n + s_b^2/n)),
 *   because the same fault times and arrivals appear in both runs. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "run/build.h"
#include "mrsim/model.h"
#include "mrsim/error.h"

#define FIXTURE MRSIM_SOURCE_DIR "/tests/fixtures/run/tiny-tm.yaml"

/* Runs the tiny drill with its fault starting at a random time (so the
 * replications differ), plus the given override if any. */
static void run(const char *set, mr_result *out)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    const char *sets[2] = {"faults[0].at=uniform(1m, 3m)", set};
    int rc = mr_scenario_load(FIXTURE, sets, set ? 2 : 1, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_run_opts opts = {.replications = 12, .jobs = 2};
    rc = mr_run_scenario(sc, &opts, out, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    out->scenario = NULL;
    out->file = NULL;
    mr_scenario_free(sc);
    mr_diag_free(d);
}

Test(crn, an_unrelated_parameter_makes_a_paired_difference_of_exactly_zero, .timeout = 120)
{
    mr_result a, b;
    run(NULL, &a);
    run("cost.egress_per_gb=0.05", &b);
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        mr_difference d;
        mr_result_difference(&a, &b, (mr_metric)m, &d);
        if (d.d.n == 0)
            continue;
        cr_assert_eq(d.d.mean, 0, "%s differs by %g", mr_metric_name((mr_metric)m), d.d.mean);
        cr_assert_eq(d.d.ci_lo, 0);
        cr_assert_eq(d.d.ci_hi, 0);
        cr_assert_eq(d.verdict, 0);
    }
    mr_result_fini(&a);
    mr_result_fini(&b);
}

Test(crn, a_real_difference_has_a_narrower_paired_ci_than_unpaired, .timeout = 120)
{
    mr_result a, b;
    run(NULL, &a);
    run("traffic.ttl=300s", &b);
    const mr_metric ms[] = {MR_METRIC_AVAILABILITY, MR_METRIC_CLIENT_RTO_S};
    for (size_t k = 0; k < 2; k++) {
        mr_metric m = ms[k];
        mr_difference d;
        mr_result_difference(&a, &b, m, &d);
        const mr_summary *sa = &a.metrics[m], *sb = &b.metrics[m];
        double n = (double)d.d.n;
        double unpaired = gsl_cdf_tdist_Pinv(0.975, n - 1) *
                          sqrt(sa->sd * sa->sd / n + sb->sd * sb->sd / n);
        double paired = (d.d.ci_hi - d.d.ci_lo) / 2;
        cr_assert_lt(paired, unpaired, "%s: paired half width %g, unpaired %g",
                     mr_metric_name(m), paired, unpaired);
        cr_assert_neq(d.verdict, 0, "%s: a 300 s TTL is worse, and the pairs show it",
                      mr_metric_name(m));
        cr_assert_eq(d.verdict, -1, "%s: the 30 s TTL (a) is better", mr_metric_name(m));
    }
    mr_result_fini(&a);
    mr_result_fini(&b);
}
