/* tests/e2e/test_compare_table.c: the output made for comparing (issue
 * 17): compare's side-by-side table and sweep's table at 80 and 120
 * columns against checked-in goldens, --metrics, COLUMNS, the exports
 * (--export-csv/-markdown/-json) and `mrsim export` with its filter.
 * Regenerate the goldens, after a change meant to change them, from the
 * source directory with:
 *   for w in 80 120; do
 *     build/mrsim compare tests/fixtures/run/variants-wide.yaml -q -n 4 --width $w \
 *       > tests/e2e/golden/compare-wide-$w.txt
 *     build/mrsim sweep tests/fixtures/run/sweep.yaml -q -n 3 \
 *       --vary traffic.probe.interval=10s,30s --width $w > tests/e2e/golden/sweep-$w.txt
 *   done */
#include <criterion/criterion.h>
#include <string.h>

#include "e2e.h"

#define FIX(name) MRSIM_SOURCE_DIR "/tests/fixtures/run/" name
#define GOLDEN(name) MRSIM_SOURCE_DIR "/tests/e2e/golden/" name
#define WIDE FIX("variants-wide.yaml") " -q -n 4 -j 2"
#define SWEEP FIX("sweep.yaml") " -q -n 3 -j 2 --vary traffic.probe.interval=10s,30s"

static size_t longest_line(const char *s)
{
    size_t best = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        best = len > best ? len : best;
        s += len + (nl != NULL);
    }
    return best;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void golden(const char *cmd, const char *args, const char *file, size_t width)
{
    run_out r = e2e_run(cmd, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *g = slurp(file);
    cr_expect_str_eq(r.out, g, "mrsim %s %s differs from %s", cmd, args, file);
    cr_expect_leq(longest_line(r.out), width);
    free(g);
    run_free(&r);
}

/* Five runs at 80 columns: the table splits into two blocks (baseline
 * repeated in the second); at 120 it is one block. Every line fits. */
Test(compare_table, side_by_side_at_80_and_120_columns, .timeout = 300)
{
    golden("compare", WIDE " --width 80", GOLDEN("compare-wide-80.txt"), 80);
    golden("compare", WIDE " --width 120", GOLDEN("compare-wide-120.txt"), 120);
    char *g80 = slurp(GOLDEN("compare-wide-80.txt")), *g120 = slurp(GOLDEN("compare-wide-120.txt"));
    /* The header row: twice at 80 (two blocks), once at 120. */
    cr_expect_eq(count(g80, "\nmetric "), 2);
    cr_expect_eq(count(g120, "\nmetric "), 1);
    /* ttl-10s-fast's unavailability 26.28% -> 12.28%: 2.14x better. */
    cr_expect(strstr(g80, "availability   ttl-10s-fast 2.14x better than baseline"), "%s", g80);
    free(g80);
    free(g120);
}

Test(compare_table, sweep_at_80_and_120_columns, .timeout = 300)
{
    golden("sweep", SWEEP " --width 80", GOLDEN("sweep-80.txt"), 80);
    golden("sweep", SWEEP " --width 120", GOLDEN("sweep-120.txt"), 120);
}

/* COLUMNS is the width when --width is not given (stdout is a pipe here). */
Test(compare_table, columns_env_is_the_width, .timeout = 300)
{
    run_out r = e2e_sh("COLUMNS=120 '%s' compare %s", MRSIM_BINARY, WIDE);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *g = slurp(GOLDEN("compare-wide-120.txt"));
    cr_expect_str_eq(r.out, g);
    free(g);
    run_free(&r);
}

/* --metrics picks the rows, in its order, by JSON or table name. */
Test(compare_table, metrics_choose_the_rows, .timeout = 300)
{
    run_out r = e2e_run("compare", WIDE " --width 200 --metrics client_rto,availability");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *c = strstr(r.out, "\nclient_rto "), *a = strstr(r.out, "\navailability ");
    cr_expect(c && a && c < a, "%s", r.out);
    cr_expect_null(strstr(r.out, "\nrto "));
    cr_expect_null(strstr(r.out, "\nlatency_p50 "));
    run_free(&r);
    r = e2e_run("compare", WIDE " --metrics avialability");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "unknown metric 'avialability' (did you mean 'availability'?)"), "%s",
              r.err);
    run_free(&r);
}

/* The exports: CSV has a row per run and metric (5 x 13 + the header),
 * the paired difference on every run after the first; Markdown a row per
 * metric; JSON the --json document with its version and schema. With -
 * the export is stdout's only document. */
Test(compare_table, exports, .timeout = 300)
{
    run_out r = e2e_run("compare", WIDE " --export-csv -");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(starts(r.out, "run,metric,n,mean,ci95_lo,ci95_hi,p50,p95,p99,min,max,diff_mean,"
                            "diff_ci95_lo,diff_ci95_hi,better\n"),
              "%.200s", r.out);
    cr_expect_eq(count(r.out, "\n"), 1 + 5 * 13);
    cr_expect(strstr(r.out, "\nttl-10s-fast,availability,4,"));
    cr_expect(strstr(r.out, ",ttl-10s-fast\n"), "a difference names the better run");
    run_free(&r);
    r = e2e_run("compare", WIDE " --export-markdown - --metrics availability,rto_s");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(starts(r.out, "| metric | baseline | ttl-10s | ttl-300s | fast-probes | "
                            "ttl-10s-fast |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
                            "| availability | 73.72% [72.75, 74.68%] |"),
              "%s", r.out);
    run_free(&r);
    r = e2e_run("compare", WIDE " --export-json -");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\"schema\": 1, \"runs\": [\n{\n  \"mrsim\": "), "%.200s", r.out);
    run_free(&r);
    /* To a file while the table goes to stdout. */
    char path[] = "/tmp/mrsim-export-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    r = e2e_sh("'%s' run %s -q -n 2 --export-csv %s", MRSIM_BINARY, FIX("tiny-tm.yaml"), path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "metric "), "the table still on stdout");
    char *csv = slurp(path);
    cr_expect_eq(count(csv, "\n"), 1 + 13);
    cr_expect(strstr(csv, "\ntiny-tm,availability,2,"));
    free(csv);
    remove(path);
    run_free(&r);
}

/* mrsim export: the summary of a database; metric=rto_s and an empty
 * component (the whole system) is one row per variant: 3 of variants.yaml. */
Test(compare_table, export_command_filters, .timeout = 300)
{
    char db[] = "/tmp/mrsim-exportdb-XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    remove(db);
    run_out r = e2e_sh("'%s' compare %s -q -n 3 --db %s >/dev/null", MRSIM_BINARY,
                       FIX("variants.yaml"), db);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char args[256];
    snprintf(args, sizeof args, "%s --filter 'metric=rto_s and component='", db);
    r = e2e_run("export", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(count(r.out, "\n"), 4, "%s", r.out);
    cr_expect(strstr(r.out, ",tiny-variants,ttl-300s,,rto_s,3,"), "%s", r.out);
    run_free(&r);
    snprintf(args, sizeof args, "%s --filter 'variant=ttl-* and metric=availability' --format json",
             db);
    r = e2e_run("export", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "{\"mrsim\": \"", 11) == 0 && strstr(r.out, "\"schema\": 1"));
    cr_expect(count(r.out, "\"variant\": \"ttl-300s\"") >= 1);
    cr_expect_eq(count(r.out, "\"variant\": \"base\""), 0);
    run_free(&r);
    static const char *const bad[] = {"--filter 'colour=red'", "--filter 'metric'",
                                      "--filter 'metric=a and'", "--format xml"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(args, sizeof args, "%s %s", db, bad[i]);
        r = e2e_run("export", args);
        cr_expect_eq(r.status, 2, "%s: %d %s", bad[i], r.status, r.err);
        run_free(&r);
    }
    r = e2e_run("export", "/nonexistent/x.db");
    cr_expect_eq(r.status, 5);
    run_free(&r);
    remove(db);
}

/* What the side-by-side table cannot hold is printed per run after the
 * verdicts (issue 12's reading of make run's comparison): in
 * scenarios/compare-topologies.yaml the stamps lose West Europe's tenants
 * for the whole 45-minute outage (their own availability and client RTO,
 * under "clients weu-tenants"), both Front Door variants name the price
 * nobody published, and every run's recovery timeline ends with its
 * critical path. */
Test(compare_table, each_run_s_populations_faults_and_critical_path_follow, .timeout = 300)
{
    run_out r = e2e_run("compare", MRSIM_SOURCE_DIR "/scenarios/compare-topologies.yaml -q -n 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *stamps = strstr(r.out, "\nstamps-fd:\n");
    cr_assert(stamps, "%s", r.out);
    const char *weu = strstr(stamps, "clients weu-tenants (stamp stamp-weu)");
    cr_assert(weu, "%s", stamps);
    cr_expect(strstr(weu, "client_rto    44m 59s") || strstr(weu, "client_rto    45m 00s"),
              "%s", weu);
    cr_expect_eq(count(r.out, "\nrecovery of weu-outage"), 3, "%s", r.out);
    cr_expect_eq(count(r.out, "critical path ("), 3, "%s", r.out);
    cr_expect_eq(count(r.out, "unpriced, billed at 0: cost.front_door_bytes_per_request"), 2,
                 "%s", r.out);
    cr_expect_null(strstr(r.out, "e+"), "no scientific notation: %s", r.out);
    run_free(&r);
}
