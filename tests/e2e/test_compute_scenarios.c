/* tests/e2e/test_compute_scenarios.c: the reference scenarios of the
 * compute issue run end to end with `mrsim run` and give the numbers their
 * comments promise: the identity outage of shared-dependency.yaml costs
 * exactly its duration, the region outage that takes the registry along
 * the whole outage; the zonal outage of az-power-interruption.yaml a dip of
 * the autoscaler's provisioning time, and none with a zone's worth of
 * spare nodes. */
#include "e2e.h"

#define SCENARIOS MRSIM_SOURCE_DIR "/scenarios/"

/* Runs `mrsim run ARGS --json -q` and returns its stdout (caller frees);
 * asserts exit status 0. */
static char *run_json(const char *args)
{
    char line[2048];
    snprintf(line, sizeof line, "%s --json -q", args);
    run_out r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "run %s: %s", line, r.err);
    free(r.err);
    return r.out;
}

/* The mean of the first "KEY": {"mean": X after `after` (NULL: the start). */
static double mean_of(const char *doc, const char *after, const char *key)
{
    const char *p = after ? strstr(doc, after) : doc;
    cr_assert_not_null(p, "%s", after);
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": {\"mean\": ", key);
    p = strstr(p, pat);
    cr_assert_not_null(p, "%s", key);
    return strtod(p + strlen(pat), NULL);
}

Test(compute_scenarios, shared_dependency_hits_every_region_at_once)
{
    char *doc = run_json(SCENARIOS "shared-dependency.yaml -n 1");
    cr_expect_eq(mean_of(doc, "\"fault\": \"entra-outage\"", "rto_s"), 1200);
    double weu = mean_of(doc, "\"fault\": \"weu-outage\"", "rto_s");
    cr_expect(weu >= 2400 && weu <= 2460, "the registry went down with the region: %g", weu);
    free(doc);
    doc = run_json(SCENARIOS "shared-dependency.yaml -n 1 --set dependencies[1].region=northeurope");
    weu = mean_of(doc, "\"fault\": \"weu-outage\"", "rto_s");
    cr_expect(weu >= 100 + 20 && weu < 1200, "the standby scales out: %g", weu);
    free(doc);
}

Test(compute_scenarios, az_power_interruption_dips_until_the_autoscaler_catches_up)
{
    char *doc = run_json(SCENARIOS "az-power-interruption.yaml -n 2");
    double rto = mean_of(doc, NULL, "rto_s");
    double av = mean_of(doc, NULL, "availability");
    cr_expect(rto > 30 && rto < 1800, "a dip of minutes, not the outage: %g", rto);
    cr_expect(av > 0.98 && av < 1, "%g", av);
    free(doc);
    doc = run_json(SCENARIOS "az-power-interruption.yaml -n 2 --set clusters[0].nodes.count=9 "
                   "--set clusters[0].nodes.min=9");
    cr_expect_eq(mean_of(doc, NULL, "rto_s"), 0, "a zone's worth of spare nodes");
    free(doc);
}
