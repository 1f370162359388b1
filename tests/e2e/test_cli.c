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

/* Issue 17, the option conventions read from each command's table
 * (sim/cli/opts.c). */
#define TINY MRSIM_SOURCE_DIR "/tests/fixtures/run/tiny-tm.yaml"

static char *json_of(const char *line)
{
    run_out r = e2e_sh("%s", line);
    cr_assert_eq(r.status, 0, "%s: %s", line, r.err);
    drop_line(r.out, "\"wall_s\"");
    drop_line(r.out, "\"file\"");
    char *s = r.out;
    free(r.err);
    return s;
}

/* --opt=value, --opt value, -n1, -n 1 and -n=1 are one option: the same
 * run, so the same document byte for byte; "-" reads the scenario from
 * standard input. */
Test(cli, every_spelling_of_an_option_is_the_same_option, .timeout = 120)
{
    char *a = json_of(MRSIM_BINARY " run " TINY " --json -q -n 3 --seed 9 --set traffic.ttl=10s");
    char *b = json_of(MRSIM_BINARY " run " TINY " --json -q -n3 --seed=9 --set=traffic.ttl=10s");
    char *c = json_of(MRSIM_BINARY " run " TINY " --json --quiet --replications=3 -s9 "
                      "--set traffic.ttl=10s");
    char *d = json_of(MRSIM_BINARY " run - --json -q -n=3 -s 9 --set traffic.ttl=10s < " TINY);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
    cr_assert_str_eq(a, d, "the scenario from stdin differs from the file");
    free(a);
    free(b);
    free(c);
    free(d);
}

/* Unknown commands and options get the closest name (edit distance 1 or
 * 2 here: "rnu" is a transposition, "--replicatoins" one too); a flag
 * given a value and a one-letter typo are refused without a guess. */
Test(cli, did_you_mean_for_commands_and_options)
{
    static const struct {
        const char *args, *says;
    } cases[] = {
        {"rnu x.yaml", "unknown command 'rnu' (did you mean 'run'?)"},
        {"comapre a b", "unknown command 'comapre' (did you mean 'compare'?)"},
        {"run x.yaml --replicatoins 3", "unknown option '--replicatoins' (did you mean "
                                        "'--replications'?)"},
        {"sweep x.yaml --vray a=1,2", "unknown option '--vray' (did you mean '--vary'?)"},
        {"plot x.db --fromat svg", "unknown option '--fromat' (did you mean '--format'?)"},
        {"run x.yaml --json=yes", "option --json takes no value, got 'yes'"},
        {"run x.yaml -qn3", "option -q takes no value"},
        {"run x.yaml -x", "unknown option '-x'\n"},
        {"help nosuch", "unknown command 'nosuch'\n"},
        {"frobnicate", "unknown command 'frobnicate'\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_out r = e2e_run(cases[i].args, "");
        cr_expect_eq(r.status, 2, "mrsim %s: exit %d", cases[i].args, r.status);
        cr_expect(strstr(r.err, cases[i].says), "mrsim %s said: %s", cases[i].args, r.err);
        cr_expect_eq(r.out[0], '\0');
        run_free(&r);
    }
}

/* mrsim help COMMAND prints what COMMAND --help prints, and every option
 * of the command's table is in it. */
Test(cli, help_command_is_command_help)
{
    static const char *const cmds[] = {"run", "compare", "sweep", "validate", "analyze",
                                       "plot", "report", "bench"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "help %s", cmds[i]);
        run_out a = e2e_run(line, "");
        run_out b = e2e_run(cmds[i], "--help");
        cr_assert_eq(a.status, 0);
        cr_assert_str_eq(a.out, b.out, "mrsim help %s", cmds[i]);
        cr_assert(strstr(a.out, "options:") && strstr(a.out, "example"), "%s", a.out);
        run_free(&a);
        run_free(&b);
    }
}

/* -V is --version, and both say where plots/ and scenarios/ are found: in
 * the build tree, the source's. */
Test(cli, version_says_where_the_data_files_are)
{
    run_out a = e2e_run("-V", ""), b = e2e_run("--version", "");
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(a.out, b.out);
    cr_assert(strstr(a.out, "plots:     " MRSIM_SOURCE_DIR "/plots\n") &&
                  strstr(a.out, "scenarios: " MRSIM_SOURCE_DIR "/scenarios\n"),
              "%s", a.out);
    run_free(&a);
    run_free(&b);
}

/* --trace - writes the trace on standard output: its CSV header first. */
Test(cli, trace_dash_is_stdout, .timeout = 60)
{
    run_out r = e2e_run("run", TINY " -q -n 1 --trace -");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strncmp(r.out, "time_s,component,kind,detail\n", 29) == 0, "%.200s", r.out);
    run_free(&r);
}

/* The trace's rows as lines (header dropped), and whether a row's
 * component and kind (its 2nd and 3rd fields: names hold no comma) pass
 * the filter the tests below write by hand. */
static char *trace_of(const char *args)
{
    char path[] = "/tmp/mrsim-trace-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    run_out r = e2e_sh("'%s' run " TINY " -q -n 1 --trace %s %s", MRSIM_BINARY, path, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *s = slurp(path);
    unlink(path);
    cr_assert(strncmp(s, "time_s,component,kind,detail\n", 29) == 0, "%.100s", s);
    return s;
}

static void field(const char *line, int k, char *out, size_t n)
{
    for (int i = 0; i < k; i++)
        line = strchr(line, ',') + 1;
    size_t len = strcspn(line, ",\n");
    cr_assert_lt(len, n);
    memcpy(out, line, len);
    out[len] = '\0';
}

/* Every row of tiny-tm's trace (arrivals, retries, probes, the fault's
 * start and end at the injector and at the region) has a detail: its 4th
 * field is not empty. */
Test(cli, trace_detail_is_filled_for_every_row, .timeout = 120)
{
    char *s = trace_of("");
    size_t rows = 0;
    for (char *line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        const char *d = line;
        for (int i = 0; i < 3; i++)
            d = strchr(d, ',') + 1;
        cr_assert(*d != '\n', "empty detail: %.120s", line);
        rows++;
    }
    cr_expect_gt(rows, 1000);
    free(s);
}

/* --trace-filter keeps exactly the rows a hand filter of the unfiltered
 * trace keeps, in the same order: by component glob, by kind, and both. */
static void filter_case(const char *expr, int (*keep)(const char *comp, const char *kind))
{
    char *all = trace_of(""), *got = trace_of(expr);
    size_t cap = strlen(all) + 1, n = 0;
    char *want = malloc(cap);
    want[0] = '\0';
    n = 0;
    memcpy(want, all, 29); /* the header */
    n = 29;
    for (char *line = all + 29; *line;) {
        char *end = strchr(line, '\n') + 1;
        char comp[128], kind[64];
        field(line, 1, comp, sizeof comp);
        field(line, 2, kind, sizeof kind);
        if (keep(comp, kind)) {
            memcpy(want + n, line, (size_t)(end - line));
            n += (size_t)(end - line);
        }
        line = end;
    }
    want[n] = '\0';
    cr_expect(n > 29, "%s keeps some rows", expr);
    cr_expect(n < strlen(all), "%s drops some rows", expr);
    cr_expect_str_eq(got, want, "%s", expr);
    free(want);
    free(all);
    free(got);
}

static int keep_regions(const char *comp, const char *kind)
{
    (void)kind;
    return strncmp(comp, "regions/", 8) == 0 || strcmp(comp, "faults") == 0;
}

static int keep_fault_kinds(const char *comp, const char *kind)
{
    (void)comp;
    return strcmp(kind, "fault_start") == 0 || strcmp(kind, "fault_end") == 0 ||
           strcmp(kind, "probe_failed") == 0;
}

static int keep_traffic_probes(const char *comp, const char *kind)
{
    return strcmp(comp, "traffic") == 0 && strcmp(kind, "probe_failed") == 0;
}

Test(cli, trace_filter_keeps_exactly_the_matching_rows, .timeout = 300)
{
    filter_case("--trace-filter 'regions/* faults'", keep_regions);
    filter_case("--trace-filter kind=fault_start,fault_end,probe_failed", keep_fault_kinds);
    filter_case("--trace-filter='component=traffic,nosuch kind=probe_failed'",
                keep_traffic_probes);
}

/* A bad filter is a usage error (exit 2) before anything runs, with the
 * closest kind or key; a filter without --trace too. */
Test(cli, trace_filter_errors_exit_2_with_a_hint, .timeout = 60)
{
    static const struct {
        const char *args, *msg;
    } bad[] = {
        {"--trace /dev/null --trace-filter kind=fault_strat",
         "no event kind 'fault_strat'; did you mean 'fault_start'?"},
        {"--trace /dev/null --trace-filter knd=probe", "unknown key 'knd'; did you mean 'kind'?"},
        {"--trace /dev/null --trace-filter 'kind=zzzzzzzzzz'", "the kinds are fault_start, "},
        {"--trace /dev/null --trace-filter 'kind=probe,'", "an empty name"},
        {"--trace /dev/null --trace-filter ' '", "an empty filter"},
        {"--trace-filter traffic", "give --trace FILE too"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_out r = e2e_sh("'%s' run " TINY " -q -n 1 %s", MRSIM_BINARY, bad[i].args);
        cr_expect_eq(r.status, 2, "%s: exit %d", bad[i].args, r.status);
        cr_expect(strstr(r.err, bad[i].msg), "%s: %s", bad[i].args, r.err);
        cr_expect_eq(r.out[0], '\0');
        run_free(&r);
    }
}

/* Colour (issue 17): none with --color never, with NO_COLOR, or (auto) on
 * a pipe; --color always colours even a pipe, so the check can fail. */
Test(cli, color_never_and_no_color_print_no_escape, .timeout = 120)
{
    const char *vars = MRSIM_SOURCE_DIR "/tests/fixtures/run/variants.yaml -q -n 3";
    run_out r = e2e_sh("'%s' compare %s --color never", MRSIM_BINARY, vars);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_null(strchr(r.out, '\033'));
    run_free(&r);
    r = e2e_sh("'%s' compare %s", MRSIM_BINARY, vars);
    cr_expect_null(strchr(r.out, '\033'), "auto on a pipe");
    run_free(&r);
    if (system("command -v script >/dev/null 2>&1") == 0) {
        /* A terminal, but NO_COLOR: none; without it: colour. */
        r = e2e_sh("NO_COLOR=1 script -qc \"'%s' compare %s\" /dev/null", MRSIM_BINARY, vars);
        cr_expect(strstr(r.out, "metric") && strchr(r.out, '\033') == NULL, "%s", r.out);
        run_free(&r);
        r = e2e_sh("NO_COLOR= TERM=xterm script -qc \"'%s' compare %s\" /dev/null", MRSIM_BINARY,
                   vars);
        cr_expect(strstr(r.out, "\033[1mmetric\033[0m"), "%s", r.out);
        run_free(&r);
    }
    r = e2e_sh("NO_COLOR=1 '%s' compare %s --color always", MRSIM_BINARY, vars);
    cr_expect(strstr(r.out, "\033[1mmetric\033[0m"), "--color always wins: %s", r.out);
    run_free(&r);
    r = e2e_run("compare", "x.yaml --color sometimes");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--color: 'sometimes' is not auto, always or never"), "%s", r.err);
    run_free(&r);
}

/* Progress within one long replication (issue 17): one replication of
 * active-passive-tm (request fidelity, an hour: about 3 s here) under a
 * pseudo-terminal (script(1), util-linux) shows the bar moving before the
 * replication ends ("0/1 replications (N% simulated)", N rising), and the
 * line is blanked at the end; the same run with stderr a pipe writes no
 * progress at all; and the results are the same bit for bit (the chunked
 * run changes no event). */
Test(cli, progress_moves_within_one_replication_only_on_a_terminal, .timeout = 300)
{
    cr_assert_eq(system("command -v script >/dev/null 2>&1"), 0,
                 "script(1) (util-linux, in every Debian) is needed");
    const char *args = MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml -n 1 -j 1 --json "
                                        "--set run.horizon=1h";
    char out[] = "/tmp/mrsim-progress-XXXXXX";
    int fd = mkstemp(out);
    cr_assert_geq(fd, 0);
    close(fd);
    run_out t = e2e_sh("script -qc \"'%s' run %s > %s\" /dev/null", MRSIM_BINARY, args, out);
    cr_assert_eq(t.status, 0, "%s", t.err);
    /* Two different shares within the replication: the bar moved. */
    const char *a = strstr(t.out, "0/1 replications (");
    cr_assert_not_null(a, "no progress within the replication:\n%.300s", t.out);
    int first = atoi(a + strlen("0/1 replications ("));
    const char *b = a, *next;
    while ((next = strstr(b + 1, "0/1 replications (")) != NULL)
        b = next;
    int last = atoi(b + strlen("0/1 replications ("));
    cr_expect_gt(last, first, "from %d%% to %d%%", first, last);
    cr_expect(strstr(t.out, "ETA "), "with an ETA");
    /* Blanked at the end: the last progress line is followed by a
     * carriage return, blanks, and a carriage return. */
    const char *end = strstr(b, "1/1 replications");
    cr_assert_not_null(end, "%.200s", b);
    const char *cr = strchr(end, '\r');
    cr_assert_not_null(cr);
    cr++;
    size_t blanks = strspn(cr, " ");
    cr_expect_gt(blanks, 40);
    cr_expect_eq(cr[blanks], '\r', "blanked, then back to the start of the line");
    char *tty_json = slurp(out);
    unlink(out);
    run_free(&t);

    run_out p = e2e_sh("'%s' run %s", MRSIM_BINARY, args);
    cr_assert_eq(p.status, 0, "%s", p.err);
    cr_expect_null(strstr(p.err, "replications"), "progress on a pipe: %s", p.err);
    cr_expect_null(strchr(p.err, '\r'), "%s", p.err);
    /* Same result: the JSON without its wall-clock lines. */
    drop_lines(tty_json, "\"wall_s\"");
    drop_lines(p.out, "\"wall_s\"");
    drop_lines(tty_json, "\"events_per_s\"");
    drop_lines(p.out, "\"events_per_s\"");
    cr_expect_str_eq(tty_json, p.out);
    free(tty_json);
    run_free(&p);
}

/* Replication 0 under --db is sampled window by window (sim/run/vectors.c):
 * its bar moves too, from the samples. */
Test(cli, progress_moves_within_a_replication_that_keeps_vectors, .timeout = 300)
{
    char dir[] = "/tmp/mrsim-progress-db-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    run_out t = e2e_sh("script -qc \"'%s' run %s/scenarios/active-passive-tm.yaml -n 1 -j 1 "
                       "--set run.horizon=1h --db %s/r.db > /dev/null\" /dev/null",
                       MRSIM_BINARY, MRSIM_SOURCE_DIR, dir);
    cr_assert_eq(t.status, 0, "%s", t.err);
    int shares = 0, last = -1;
    for (const char *a = strstr(t.out, "0/1 replications ("); a;
         a = strstr(a + 1, "0/1 replications (")) {
        int v = atoi(a + strlen("0/1 replications ("));
        shares += v != last;
        last = v;
    }
    cr_expect_geq(shares, 2, "the bar did not move within the replication:\n%.300s", t.out);
    run_free(&t);
    run_out rm = e2e_sh("rm -rf %s", dir);
    run_free(&rm);
}
