/* tests/e2e/test_explain.c: `mrsim explain` (issue 17) on
 * tests/fixtures/run/tiny-tm.yaml, whose every written key is known: the
 * defaults it lists are exactly the values the file left out, each under
 * its key table row's source; a key the file (or --set) writes is not
 * listed; prices of services the scenario does not use are not listed;
 * unpriced items are. */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define TINY MRSIM_SOURCE_DIR "/tests/fixtures/run/tiny-tm.yaml"

/* The text between heading and the next blank line. */
static char *section(const char *out, const char *heading)
{
    const char *p = strstr(out, heading);
    cr_assert_not_null(p, "no '%s' in:\n%s", heading, out);
    const char *end = strstr(p, "\n\n");
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

Test(explain, defaults_by_source_and_only_those_left_out)
{
    run_out r = e2e_run("explain", TINY);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *ref = section(r.out, "From docs/reference.md");
    char *ours = section(r.out, "Ours, modelling choices");
    /* tiny-tm writes no probe: its interval and tolerated failures are
     * Traffic Manager's documented defaults (docs/reference.md §1). */
    cr_expect(strstr(ref, "  traffic.probe.interval = 30s\n      10s or 30s; docs/reference.md §1 "
                          "Probing interval"),
              "%s", ref);
    cr_expect(strstr(ref, "  traffic.probe.tolerated_failures = 3\n"));
    /* No slo: section: its window and target are ours. */
    cr_expect(strstr(ours, "  slo.window = 10s\n") && strstr(ours, "  slo.success_target = 0.99\n"),
              "%s", ours);
    cr_expect_null(strstr(ref, "slo.window"));
    /* Written by the file: never a default. */
    cr_expect_null(strstr(r.out, "traffic.ttl ="));
    cr_expect_null(strstr(r.out, "run.horizon ="));
    cr_expect_null(strstr(r.out, "clients[0].rate ="));
    /* Traffic Manager's prices apply, Front Door's and Cosmos DB's do not. */
    cr_expect(strstr(ref, "cost.tm_per_million_queries = 0.54"));
    cr_expect_null(strstr(r.out, "cost.front_door_"));
    cr_expect_null(strstr(r.out, "cost.cosmos_"));
    cr_expect(strstr(r.out, "tiny-tm (" TINY ")\n  run:         10m 00s per replication, "
                            "replications 4, seed 7\n"),
              "%s", r.out);
    free(ref);
    free(ours);
    run_free(&r);

    /* --set writes the interval: no longer a default. */
    r = e2e_run("explain", TINY " --set traffic.probe.interval=10s");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_null(strstr(r.out, "traffic.probe.interval ="));
    run_free(&r);
}

/* active-passive-tm.yaml's SQL database has no price: it is named. */
Test(explain, unpriced_items_are_listed)
{
    run_out r = e2e_run("explain", MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *up = section(r.out, "Unpriced, billed at 0");
    cr_expect(strstr(up, "(1):\n  datastores[orders].usd_per_month"), "%s", up);
    free(up);
    run_free(&r);
    r = e2e_run("explain", TINY);
    up = section(r.out, "Unpriced, billed at 0");
    cr_expect(strstr(up, "(0):\n  none"), "%s", up);
    free(up);
    run_free(&r);
}

/* A bad file: its diagnostics and exit 4, nothing on stdout. */
Test(explain, invalid_scenario_exits_4)
{
    run_out r = e2e_sh("echo 'foo: 1' | '%s' explain -", MRSIM_BINARY);
    cr_expect_eq(r.status, 4);
    cr_expect(strstr(r.err, "<stdin>:1:1: error: unknown key 'foo'"), "%s", r.err);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}
