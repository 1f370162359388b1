/* tests/validation/test_composite_sla.c: docs/reference.md §11's composite-SLA
 * examples out of simulation, as §11 "How to use the composite SLA in the
 * simulator" asks: every component fails independently with exponential
 * up-times, MTBF = MTTR x A / (1 - A) so that its long-run unavailability
 * is its SLA's; failover delays are zero; then the simulated availability
 * (aggregate fidelity, a long horizon) must hold the composite figure
 * within its 95% CI. Switching the delays on must bring it below.
 *
 * The fixtures (tests/fixtures/composite/) say how each example is built:
 *  - app-service-sql: a cluster (App Service, 99.95%) in series with a
 *    dependency every request needs (SQL DB, 99.99%): 99.940005%;
 *  - two-regions: two clusters at 99.95% in parallel behind Front Door,
 *    which retries a refused request at the next origin (no failover
 *    delay, no DNS cache): 99.999975%;
 *  - mission-critical: Front Door 99.99% x Cosmos DB 99.999% x Entra ID
 *    99.99% in series with three stamps at 99.77% in parallel: 99.979%.
 * Each closed form comes from `mrsim analyze` on the same file (its
 * analyze.sla states the components' SLAs) and is checked against the
 * rounded figure docs/reference.md prints.
 *
 * Why the CI may be trusted: replications are independent (each its own
 * 100-year history), so the CI of their mean availability is a plain
 * t-interval. The test also bounds its half-width (so that a broken model
 * cannot pass by being noisy): at most 25% of the composite
 * unavailability. Measured (seed 1): 0.999403281 [0.999390419,
 * 0.999416143]; 0.999999739 [0.999999683, 0.999999795];
 * 0.999785813 [0.999780483, 0.999791143]. */
#include <criterion/criterion.h>
#include <math.h>

#include "run/analyze.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "scenario_run.h"

static mr_scenario *load(const char *rel, const char *const *sets, size_t nsets)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/composite/%s", MRSIM_SOURCE_DIR, rel);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sc;
}

/* The composite availability `mrsim analyze` gives for the file. */
static double composite(const char *rel)
{
    mr_scenario *sc = load(rel, NULL, 0);
    mr_diag *d = mr_diag_new();
    mr_analysis *a = NULL;
    cr_assert_eq(mr_analyze(sc, NULL, 0, &a, d), MR_OK);
    double c = a->composite;
    mr_analysis_free(a);
    mr_diag_free(d);
    mr_scenario_free(sc);
    return c;
}

/* The simulated availability: its mean and 95% CI. */
static mr_summary simulate(const char *rel, const char *const *sets, size_t nsets)
{
    char path[128];
    snprintf(path, sizeof path, "tests/fixtures/composite/%s", rel);
    mr_result r;
    tsr_run_file(path, sets, nsets, 0, &r); /* the file's run.replications */
    mr_summary s = r.metrics[MR_METRIC_AVAILABILITY];
    mr_result_fini(&r);
    return s;
}

static void holds(const char *rel, double reference)
{
    double c = composite(rel);
    /* docs/reference.md §11 prints the figure rounded to its last digit. */
    cr_expect(fabs(c - reference) < 5e-7 * (reference > 0.99999 ? 0.1 : 1),
              "%s: analyze gives %.9f, docs/reference.md %.9f", rel, c, reference);
    mr_summary s = simulate(rel, NULL, 0);
    char id[96], what[160];
    snprintf(id, sizeof id, "composite_sla.%.*s", (int)strcspn(rel, "."), rel);
    snprintf(what, sizeof what, "availability of tests/fixtures/composite/%s", rel);
    /* Agrees when the composite lies in the simulated 95% CI. */
    mr_vcase vc = {.id = id, .what = what,
                   .reference = "composite SLA, docs/reference.md section 11 (serial product, parallel 1 - prod(1 - a))",
                   .unit = "ratio", .ref = c, .tol = (s.ci_hi - s.ci_lo) / 2};
    mr_vcheck(&vc, "request", s.mean, s.ci_lo, s.ci_hi, s.n);
    double half = (s.ci_hi - s.ci_lo) / 2;
    cr_expect(half <= 0.25 * (1 - c), "%s: CI half-width %.3g too wide for unavailability %.3g",
              rel, half, 1 - c);
}

Test(composite_sla, serial_app_service_and_sql_db, .timeout = 600)
{
    holds("app-service-sql.yaml", 0.9994);
}

Test(composite_sla, two_regions_in_parallel, .timeout = 600)
{
    holds("two-regions.yaml", 0.99999975);
}

Test(composite_sla, mission_critical_global_tier_and_three_stamps, .timeout = 600)
{
    holds("mission-critical.yaml", 0.99979);
}

/* With Front Door's detection window instead of the retry, a failed region
 * costs its share of traffic until the edge drops it: the simulated
 * availability falls below the composite, which assumes instant failover. */
Test(composite_sla, failover_delays_bring_it_below, .timeout = 600)
{
    double c = composite("two-regions.yaml");
    const char *sets[] = {"traffic.retry_next_origin=false", "run.replications=100"};
    mr_summary s = simulate("two-regions.yaml", sets, 2);
    cr_expect(s.ci_hi < c, "with delays %.9f [%.9f, %.9f] not below the composite %.9f", s.mean,
              s.ci_lo, s.ci_hi, c);
}
