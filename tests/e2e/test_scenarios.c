/* tests/e2e/test_scenarios.c: every reference scenario in scenarios/
 * validates, runs through the binary, and says what it was written to show
 * (the figures each file's comments promise, within what its numbers allow). */
#include "e2e.h"

#define DIR_ MRSIM_SOURCE_DIR "/scenarios"

/* The mean of metric in a result document (the first occurrence). */
static double mean_of(const char *json, const char *metric)
{
    char key[96];
    snprintf(key, sizeof key, "\"%s\": {\"mean\": ", metric);
    const char *p = strstr(json, key);
    cr_assert_not_null(p, "no %s in %s", metric, json);
    return strtod(p + strlen(key), NULL);
}

Test(scenarios, every_reference_scenario_validates_and_runs, .timeout = 600)
{
    size_t n;
    char **names = e2e_yaml_files("scenarios", &n);
    for (size_t i = 0; i < n; i++) {
        char args[512];
        snprintf(args, sizeof args, DIR_ "/%s", names[i]);
        run_out v = e2e_run("validate", args);
        cr_expect_eq(v.status, 0, "%s: %s", names[i], v.err);
        run_free(&v);
        /* One replication of each: it must build and run (what each shows
         * is checked below and in the model tests). */
        snprintf(args, sizeof args, DIR_ "/%s -n 1 -j 1 -q --json", names[i]);
        run_out r = e2e_run("run", args);
        cr_expect_eq(r.status, 0, "%s: %s", names[i], r.err);
        cr_expect(strstr(r.out, "\"availability\": {\"mean\": ") != NULL, "%s", names[i]);
        run_free(&r);
    }
    e2e_free_names(names, n);
    cr_expect_geq(n, 9, "the reference scenarios are there");
}

Test(scenarios, front_door_fails_over_faster_than_dns_caches_allow, .timeout = 300)
{
    /* The traffic layers alone: without the data tier (Cosmos clients move
     * to the surviving write region at their SDK's 5-minute refresh). */
    run_out fd = e2e_run("run", DIR_ "/active-active-fd.yaml -n 2 -q --json"
                                     " --set 'clients[0].uses=[]' --set 'clients[1].uses=[]'");
    run_out tm = e2e_run("run", DIR_ "/active-passive-tm.yaml -n 2 -q --json");
    cr_assert_eq(fd.status, 0, "%s", fd.err);
    cr_assert_eq(tm.status, 0, "%s", tm.err);
    /* Front Door: two failed probes at an edge (40-70 s); Traffic Manager:
     * 100-130 s of detection, then the caches (a tail of minutes). */
    const char *fd_ep = strstr(fd.out, "{\"fault\": \"weu-outage\"");
    const char *tm_ep = strstr(tm.out, "{\"fault\": \"weu-outage\"");
    cr_assert(fd_ep && tm_ep);
    cr_expect(mean_of(fd_ep, "rto_s") <= 80, "FD RTO %g", mean_of(fd_ep, "rto_s"));
    cr_expect(mean_of(tm_ep, "rto_s") > 130, "TM RTO %g", mean_of(tm_ep, "rto_s"));
    run_free(&fd);
    run_free(&tm);
}

Test(scenarios, a_stamp_failure_is_its_populations_alone, .timeout = 300)
{
    run_out r = e2e_run("run", DIR_ "/stamps-fd.yaml -n 2 -q --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *pops = strstr(r.out, "\"populations\"");
    cr_assert_not_null(pops);
    /* tenants-b (no fallback) is down for its stamp's 40 of 115 minutes;
     * tenants-c and -d never notice; tenants-a falls back in about a minute. */
    const char *b = strstr(pops, "\"tenants-b\"");
    const char *c = strstr(pops, "\"tenants-c\"");
    const char *a = strstr(pops, "\"tenants-a\"");
    cr_assert(a && b && c);
    double av_a = mean_of(a, "availability"), av_b = mean_of(b, "availability"),
           av_c = mean_of(c, "availability");
    cr_expect(av_b > 0.64 && av_b < 0.66, "tenants-b %g, expected 1 - 40/115", av_b);
    cr_expect_eq(av_c, 1, "tenants-c %g", av_c);
    cr_expect(av_a > 0.98 && av_a < 1, "tenants-a %g", av_a);
    run_free(&r);
}

Test(scenarios, a_gray_failure_is_never_detected_by_probes, .timeout = 300)
{
    run_out r = e2e_run("run", DIR_ "/gray-failure.yaml -n 2 -q --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *gray = strstr(r.out, "{\"fault\": \"gray\"");
    const char *inv = strstr(r.out, "{\"fault\": \"probe-path\"");
    cr_assert(gray && inv, "%s", r.out);
    cr_expect_eq(mean_of(gray, "rto_s"), 900, "the whole gray failure");
    cr_expect_eq(mean_of(inv, "rto_s"), 0, "requests never failed");
    run_free(&r);
}

/* gray-failure-runbook.yaml: the operator disables the gray endpoint at
 * fault start + detect (5 min) + delay (10 min); the resolvers (TTL 30 s,
 * honoured) follow within the TTL and a few seconds of query wait, so the
 * episode lasts 900 s to 950 s (tests/validation/test_runbook.c derives
 * it); without the runbook, the whole fault (3600 s). */
Test(scenarios, a_runbook_cuts_a_gray_failure_to_detect_plus_delay, .timeout = 300)
{
    run_out r = e2e_run("run", DIR_ "/gray-failure-runbook.yaml -n 2 -q --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    double rto = mean_of(r.out, "rto_s");
    cr_expect(rto >= 900 && rto <= 950, "runbook: rto %g", rto);
    run_free(&r);
    r = e2e_run("run", DIR_ "/gray-failure-runbook.yaml -n 2 -q --json "
                "--set failover.runbook.disable_endpoint=false");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(mean_of(r.out, "rto_s"), 3600, "no runbook: the whole gray failure");
    run_free(&r);
}

/* A year of faults of every kind (year-stochastic-data.yaml extends
 * year-stochastic.yaml with the data tier): in 20 years every fault has
 * episodes (the rarest, mtbf 730 d, misses all 20 with probability 5e-5:
 * the seed is fixed), and forced failovers of the SQL group lose writes. */
Test(scenarios, a_year_of_every_fault_kind, .timeout = 300)
{
    run_out r = e2e_run("run", DIR_ "/year-stochastic-data.yaml -n 20 -q --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *kinds[] = {"region_outage",   "cluster_failure",      "ingress_failure",
                           "gray_failure",    "network_partition",    "traffic_layer_outage",
                           "dns_misconfig",   "zone_outage",          "dependency_outage",
                           "datastore_failure", "replication_partition", "datastore_failover"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "\"kind\": \"%s\"", kinds[i]);
        const char *p = strstr(r.out, key);
        cr_expect_not_null(p, "no fault of kind %s", kinds[i]);
        /* Its line in `episodes` has an RTO or RPO measured in some
         * replication: a summary with n >= 1. */
        const char *end = p ? strchr(p, '\n') : NULL, *n = p ? strstr(p, "\"n\": ") : NULL;
        cr_expect(n != NULL && end != NULL && n < end && strtol(n + 5, NULL, 10) >= 1,
                  "kind %s has no episode", kinds[i]);
    }
    cr_expect_gt(mean_of(r.out, "lost_writes"), 0);
    cr_expect_gt(mean_of(r.out, "rpo_s"), 0);
    cr_expect_gt(mean_of(r.out, "availability"), 0.999);
    run_free(&r);
}
