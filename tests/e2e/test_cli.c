/* tests/e2e/test_cli.c: the mrsim program as a user runs it: exit codes of
 * docs/cli.md, usage errors on stderr, --help with an example, and the PHOLD
 * benchmark's JSON (same seed, same checksum). */
#include "e2e.h"

Test(cli, help_and_version_exit_zero_with_an_example)
{
    run_out r = e2e_run("--help", "");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: mrsim") && strstr(r.out, "examples:"), "%s", r.out);
    cr_assert(strstr(r.out, "phold"), "component kinds are listed");
    run_free(&r);
    r = e2e_run("bench", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "example:") && strstr(r.out, "--pending"), "%s", r.out);
    run_free(&r);
    r = e2e_run("--version", "");
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "mrsim ", 6) == 0);
    run_free(&r);
}

Test(cli, usage_errors_exit_2_with_a_message)
{
    static const char *const bad[] = {
        "",                          "frobnicate",
        "bench",                     "bench nosuch",
        "bench phold --lps 0",       "bench phold --lps",
        "bench phold --events -5",   "bench phold --pending 12x",
        "bench phold --bogus",       "bench phold --reference --compare",
        "bench phold --seed 99999999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_out r = e2e_run(bad[i], "");
        cr_assert_eq(r.status, 2, "'mrsim %s' exited %d", bad[i], r.status);
        cr_assert_eq(r.out[0], '\0', "'mrsim %s' wrote to stdout", bad[i]);
        cr_assert(strlen(r.err) > 0, "'mrsim %s' said nothing", bad[i]);
        run_free(&r);
    }
    run_out r = e2e_run("bench", "phold --lps 0");
    cr_assert(strstr(r.err, "mrsim: error: --lps must be in [1, "), "%s", r.err);
    run_free(&r);
}

static void checksum_of(const char *args, char *sum)
{
    run_out r = e2e_run(args, "");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *p = strstr(r.out, "\"checksum\": \"");
    cr_assert_not_null(p, "%s", r.out);
    memcpy(sum, p + 13, 16);
    sum[16] = '\0';
    cr_assert(strstr(r.out, "\"events_per_s\"") && strstr(r.out, "\"ns_per_event\"") &&
                  strstr(r.out, "\"peak_rss_kib\""),
              "%s", r.out);
    run_free(&r);
}

Test(cli, phold_json_checksum_depends_on_the_seed_only, .timeout = 60)
{
    char a[17], b[17], c[17], ref1[17], ref2[17];
    checksum_of("bench phold --lps 16 --pending 200 --events 50000 --seed 7 --json", a);
    checksum_of("bench phold --lps 16 --pending 200 --events 50000 --seed 7 --json", b);
    checksum_of("bench phold --lps 16 --pending 200 --events 50000 --seed 8 --json", c);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    checksum_of("bench phold --lps 16 --pending 200 --events 50000 --seed 7 --json --reference",
                ref1);
    checksum_of("bench phold --lps 16 --pending 200 --events 50000 --seed 7 --json --reference",
                ref2);
    cr_assert_str_eq(ref1, ref2);
}

Test(cli, phold_compare_prints_both_and_the_ratio, .timeout = 60)
{
    run_out r = e2e_run("bench", "phold --lps 8 --pending 100 --events 20000 --compare");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "kernel") && strstr(r.out, "reference") &&
                  strstr(r.out, "kernel/reference:"),
              "%s", r.out);
    run_free(&r);
}
