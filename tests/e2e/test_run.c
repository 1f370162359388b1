/* tests/e2e/test_run.c: `mrsim run` as a user runs it: the JSON document is
 * identical run to run and for any --jobs (wall_s aside), and matches the
 * checked-in golden output; --set, --trace, and the exit codes of docs/cli.md
 * for bad input. Regenerate the golden file, after a change that is meant
 * to change the numbers, from the source directory with:
 *   build/mrsim run tests/fixtures/run/tiny-tm.yaml --json -q \
 *     | grep -v -e '"wall_s"' -e '"file"' > tests/e2e/golden/run-tiny.json
 * (wall_s is a timing, and the test names the fixture by its absolute path). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

#define FIXTURE MRSIM_SOURCE_DIR "/tests/fixtures/run/tiny-tm.yaml"

/* A run with what differs from run to run removed: its timing, its path. */
static run_out mrsim(const char *command, const char *args)
{
    run_out r = e2e_run(command, args);
    drop_line(r.out, "\"wall_s\"");
    drop_line(r.out, "\"file\"");
    return r;
}

static run_out run(const char *args)
{
    return mrsim("run", args);
}


Test(run, json_is_identical_run_to_run_and_for_any_jobs, .timeout = 120)
{
    run_out a = run(FIXTURE " --json -q -j 1");
    run_out b = run(FIXTURE " --json -q -j 1");
    run_out c = run(FIXTURE " --json -q -j 2");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_str_eq(a.out, b.out);
    cr_assert_str_eq(a.out, c.out, "-j 1 and -j 2 differ");
    char *golden = slurp(MRSIM_SOURCE_DIR "/tests/e2e/golden/run-tiny.json");
    cr_assert_str_eq(a.out, golden, "the output differs from tests/e2e/golden/run-tiny.json");
    free(golden);
    run_free(&a);
    run_free(&b);
    run_free(&c);
}

Test(run, another_seed_gives_other_numbers, .timeout = 120)
{
    run_out a = run(FIXTURE " --json -q -s 1");
    run_out b = run(FIXTURE " --json -q -s 2");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_str_neq(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

Test(run, the_table_shows_the_metrics_and_the_episode, .timeout = 120)
{
    run_out a = run(FIXTURE " -q -n 2");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert(strstr(a.out, "\navailability ") && strstr(a.out, "\nclient_rto ") &&
                  strstr(a.out, "\nfault weu-outage (region_outage, westeurope)\n  rto ") &&
                  strstr(a.out, " n/a\n"),
              "%s", a.out);
    run_free(&a);
}

Test(run, set_overrides_change_the_result, .timeout = 120)
{
    run_out a = run(FIXTURE " --json -q -n 2");
    run_out b = run(FIXTURE " --json -q -n 2 --set traffic.ttl=300s");
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert_str_neq(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

Test(run, trace_writes_replication_0_as_csv, .timeout = 120)
{
    char path[] = "/tmp/mrsim-trace-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char args[512];
    snprintf(args, sizeof args, FIXTURE " -q -n 2 --trace %s", path);
    run_out a = run(args);
    cr_assert_eq(a.status, 0, "%s", a.err);
    char *csv = slurp(path);
    cr_assert(strncmp(csv, "time_s,component,kind,detail\n", 29) == 0, "%.200s", csv);
    cr_assert(strstr(csv, ",clients/users,arrive,") && strstr(csv, ",traffic,probe,") &&
                  strstr(csv, ",regions/westeurope,fault_start,"),
              "%.300s", csv);
    free(csv);
    remove(path);
    run_free(&a);
}

Test(run, bad_input_exits_with_the_codes_of_cli_md, .timeout = 60)
{
    run_out r = run("");
    cr_assert_eq(r.status, 2, "no file");
    run_free(&r);
    r = run(FIXTURE " --bogus");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run(FIXTURE " -n 0");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run("/nonexistent/x.yaml");
    cr_assert_eq(r.status, 5, "%s", r.err);
    cr_assert_eq(r.out[0], '\0');
    run_free(&r);
    r = run(FIXTURE " --set traffic.ttl=30");
    cr_assert_eq(r.status, 4, "a bare number is not a duration: %s", r.err);
    cr_assert(strstr(r.err, "error:"), "%s", r.err);
    cr_assert_eq(r.out[0], '\0', "nothing on stdout");
    run_free(&r);
    /* Something this version does not simulate (exit 4). */
    r = run(FIXTURE " --set traffic.probe.locations=17");
    cr_assert_eq(r.status, 4, "%s", r.err);
    cr_assert(strstr(r.err, "not simulated by this version"), "%s", r.err);
    run_free(&r);
    char path[] = "/tmp/mrsim-trace-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    remove(path);
    char args[512];
    snprintf(args, sizeof args,
             FIXTURE " --set traffic.probe.locations=17 --trace %s",
             path);
    r = run(args);
    cr_assert_eq(r.status, 4);
    cr_assert_neq(access(path, F_OK), 0, "no trace file written half-way");
    run_free(&r);
}

Test(run, names_shared_across_kinds_and_stochastic_faults_run, .timeout = 120)
{
    run_out a = run(MRSIM_SOURCE_DIR "/tests/fixtures/run/same-names.yaml -q");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert(strstr(a.out, "\nfault weu-outage (") && strstr(a.out, "\nfault neu-flaky ("), "%s",
              a.out);
    run_free(&a);
}

Test(compare, variants_run_with_common_random_numbers_and_pair_differences, .timeout = 120)
{
    run_out r = mrsim("compare", MRSIM_SOURCE_DIR "/tests/fixtures/run/variants.yaml -q --json -n 3");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *head = "\"schema\": 1, \"runs\": [\n{\n  \"mrsim\"";
    cr_assert(strncmp(r.out, "{\"mrsim\": \"", 11) == 0 && strstr(r.out, head), "%.80s", r.out);
    cr_assert(strstr(r.out, "\"scenario\": \"cost-only\"") && strstr(r.out, "\"scenario\": \"ttl-300s\""));
    cr_assert(strstr(r.out, "{\"a\": \"base\", \"b\": \"cost-only\", \"metric\": \"availability\", "
                            "\"mean\": 0, \"ci95\": [0, 0], \"ci_method\": \"t\", \"n\": 3, \"better\": null}"),
              "an unrelated parameter differs by exactly 0:\n%s", r.out);
    cr_assert(strstr(r.out, "\"b\": \"ttl-300s\", \"metric\": \"client_rto_s\""));
    run_free(&r);
    r = mrsim("compare", MRSIM_SOURCE_DIR "/tests/fixtures/run/variants.yaml -q -n 3");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "differences paired against base") && strstr(r.out, "ttl-300s vs base:"),
              "%s", r.out);
    run_free(&r);
}

Test(compare, bad_use_exits_2_or_4, .timeout = 60)
{
    run_out r = mrsim("compare", "");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = mrsim("compare", FIXTURE);
    cr_assert_eq(r.status, 2, "one file without variants: %s", r.err);
    cr_assert(strstr(r.err, "fewer than two variants"), "%s", r.err);
    run_free(&r);
    r = mrsim("compare", FIXTURE " " FIXTURE " --set traffic.ttl=3");
    cr_assert_eq(r.status, 4, "%s", r.err);
    cr_assert_eq(r.out[0], '\0');
    run_free(&r);
}

Test(sweep, the_cross_product_runs_with_its_values_recorded, .timeout = 120)
{
    run_out r = mrsim("sweep", MRSIM_SOURCE_DIR "/tests/fixtures/run/sweep.yaml -q --json -n 2 "
                               "--vary 'clients[0].rate=50/s,100/s'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *want[] = {"\"vary\": {\"traffic.ttl\": \"10s\", \"clients[0].rate\": \"50/s\"}",
                          "\"vary\": {\"traffic.ttl\": \"10s\", \"clients[0].rate\": \"100/s\"}",
                          "\"vary\": {\"traffic.ttl\": \"300s\", \"clients[0].rate\": \"50/s\"}",
                          "\"vary\": {\"traffic.ttl\": \"300s\", \"clients[0].rate\": \"100/s\"}"};
    const char *at = r.out;
    for (size_t i = 0; i < 4; i++) {
        const char *p = strstr(at, want[i]);
        cr_assert_not_null(p, "run %zu (%s) missing or out of order:\n%s", i, want[i], r.out);
        at = p + 1;
    }
    run_free(&r);
    /* A value that is one distribution with a comma inside stays one value. */
    r = mrsim("sweep", FIXTURE " -q -n 2 --vary 'faults[0].duration=2m,lognormal(3m,0.5)'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "lognormal(3m,0.5)"), "%s", r.out);
    run_free(&r);
}

Test(sweep, bad_use_exits_2_or_4, .timeout = 60)
{
    run_out r = mrsim("sweep", FIXTURE " -q");
    cr_assert_eq(r.status, 2, "nothing to sweep");
    run_free(&r);
    r = mrsim("sweep", FIXTURE " -q --vary traffic.ttl");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = mrsim("sweep", FIXTURE " -q --vary traffic.ttl=10,20");
    cr_assert_eq(r.status, 4, "%s", r.err);
    cr_assert(strstr(r.err, "missing unit"), "%s", r.err);
    cr_assert_eq(r.out[0], '\0', "nothing printed before every value is checked");
    run_free(&r);
}
