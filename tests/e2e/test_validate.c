/* tests/e2e/test_validate.c: `mrsim validate` as a user runs it, from the
 * source directory so that diagnostics name files as the corpus does. Every
 * tests/fixtures/bad/NN-name.yaml must exit 4, print nothing on stdout and
 * print exactly NN-name.err on stderr; every tests/fixtures/good/ file must
 * exit 0 and print nothing; on every scenario of scenarios/ and
 * tests/fixtures/ validate exits as `run` does, with the same diagnostics.
 * The directories are read at run time, so a new fixture is tested without
 * touching this file. */
#include "e2e.h"

/* Runs `cd MRSIM_SOURCE_DIR && mrsim validate ARGS`, capturing both streams. */
static void run(const char *args, run_out *r)
{
    *r = e2e_sh("cd '%s' && '%s' validate %s", MRSIM_SOURCE_DIR, MRSIM_BINARY, args);
}

Test(validate, every_bad_fixture_exits_4_with_exactly_its_diagnostics, .timeout = 300)
{
    size_t n;
    char **names = e2e_yaml_files("tests/fixtures/bad", &n);
    cr_assert_geq(n, 35, "the corpus has %zu bad files; it should have at least 35", n);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char arg[512], errfile[1024];
        snprintf(arg, sizeof arg, "tests/fixtures/bad/%s", names[i]);
        snprintf(errfile, sizeof errfile, "%s/tests/fixtures/bad/%.*s.err", MRSIM_SOURCE_DIR,
                 (int)(strlen(names[i]) - 5), names[i]);
        cr_expect_eq(access(errfile, R_OK), 0, "%s has no .err file", names[i]);
        char *want = slurp(errfile);
        run_out r;
        run(arg, &r);
        bool ok =
            r.status == 4 && r.out && r.out[0] == '\0' && want && r.err && strcmp(r.err, want) == 0;
        if (!ok) {
            failures++;
            cr_log_error("%s: exit %d (want 4), stdout '%s'\n--- want stderr:\n%s--- got:\n%s",
                         names[i], r.status, r.out ? r.out : "", want ? want : "(none)",
                         r.err ? r.err : "");
        }
        free(want);
        run_free(&r);
    }
    e2e_free_names(names, n);
    cr_assert_eq(failures, 0, "%d bad fixtures did not behave", failures);
}

Test(validate, every_good_fixture_exits_0_silently, .timeout = 120)
{
    size_t n;
    char **names = e2e_yaml_files("tests/fixtures/good", &n);
    cr_assert_geq(n, 2);
    for (size_t i = 0; i < n; i++) {
        char arg[512];
        snprintf(arg, sizeof arg, "tests/fixtures/good/%s", names[i]);
        run_out r;
        run(arg, &r);
        cr_expect_eq(r.status, 0, "%s exited %d:\n%s", names[i], r.status, r.err);
        cr_expect_str_empty(r.out, "%s wrote to stdout", names[i]);
        cr_expect_str_empty(r.err, "%s wrote to stderr", names[i]);
        run_free(&r);
    }
    e2e_free_names(names, n);
}

/* The folders whose scenarios validate and run must judge alike:
 * scenarios/ and every folder of tests/fixtures/, read at run time. */
static char **scenario_dirs(size_t *n)
{
    char **dirs = malloc(sizeof *dirs);
    cr_assert_not_null(dirs);
    dirs[0] = strdup("scenarios");
    *n = 1;
    DIR *d = opendir(MRSIM_SOURCE_DIR "/tests/fixtures");
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char rel[512];
        snprintf(rel, sizeof rel, "tests/fixtures/%s", e->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", MRSIM_SOURCE_DIR, rel);
        DIR *sub = opendir(path);
        if (sub == NULL)
            continue;
        closedir(sub);
        dirs = realloc(dirs, (*n + 1) * sizeof *dirs);
        cr_assert_not_null(dirs);
        dirs[(*n)++] = strdup(rel);
    }
    closedir(d);
    qsort(dirs + 1, *n - 1, sizeof *dirs, e2e_cmp_names);
    return dirs;
}

/* validate runs every check run makes before it simulates: on each file
 * both exit with the same status (0 for run without --check-slo), and where
 * they refuse it they print the same diagnostics. One replication of each
 * is run whole, so the verdict is run's own, not a model of it. */
Test(validate, gives_the_verdict_of_run_on_every_scenario_and_fixture, .timeout = 600)
{
    size_t ndirs, checked = 0, refused = 0;
    char **dirs = scenario_dirs(&ndirs);
    cr_assert_geq(ndirs, 3, "scenarios/, fixtures/good and fixtures/bad at least");
    int failures = 0;
    for (size_t k = 0; k < ndirs; k++) {
        size_t n;
        char **names = e2e_yaml_files(dirs[k], &n);
        for (size_t i = 0; i < n; i++) {
            char file[1024];
            snprintf(file, sizeof file, "%s/%s", dirs[k], names[i]);
            run_out v, r;
            run(file, &v);
            r = e2e_sh("cd '%s' && '%s' run %s -n 1 -j 1 -q", MRSIM_SOURCE_DIR, MRSIM_BINARY, file);
            bool same = v.status == r.status && v.out[0] == '\0' &&
                        (v.status == 0 ? v.err[0] == '\0' : strcmp(v.err, r.err) == 0);
            if (!same) {
                failures++;
                cr_log_error("%s: validate exits %d, run %d\n--- validate's stderr:\n%s"
                             "--- run's:\n%s",
                             file, v.status, r.status, v.err, r.err);
            }
            checked++;
            refused += r.status != 0;
            run_free(&v);
            run_free(&r);
        }
        e2e_free_names(names, n);
    }
    e2e_free_names(dirs, ndirs);
    cr_assert_eq(failures, 0, "validate and run disagree on %d of %zu files", failures, checked);
    cr_assert_geq(refused, 35, "the bad fixtures are among them (%zu refused)", refused);
}

Test(validate, several_files_report_each_and_the_worst_status_wins)
{
    run_out r;
    run("tests/fixtures/good/minimal.yaml tests/fixtures/bad/03-unknown-key.yaml "
        "tests/fixtures/bad/23-warmup-horizon.yaml",
        &r);
    cr_expect_eq(r.status, 4);
    cr_expect_str_eq(r.err,
                     "tests/fixtures/bad/03-unknown-key.yaml:3:3: error: unknown key "
                     "'replicatoins' (did you mean 'replications'?)\n"
                     "tests/fixtures/bad/23-warmup-horizon.yaml:3:11: error: run.warmup: 2h must "
                     "be shorter than run.horizon (1h)\n");
    run_free(&r);
    run("tests/fixtures/bad/03-unknown-key.yaml tests/fixtures/no-such-file.yaml", &r);
    cr_expect_eq(r.status, 5, "an unreadable file is an input failure (5)");
    cr_expect(strstr(r.err, "tests/fixtures/no-such-file.yaml: error: cannot open") != NULL, "%s",
              r.err);
    run_free(&r);
}

Test(validate, an_unreadable_file_exits_5)
{
    run_out r;
    run("tests/fixtures/no-such-file.yaml", &r);
    cr_expect_eq(r.status, 5);
    cr_expect_str_eq(r.err, "tests/fixtures/no-such-file.yaml: error: cannot open: No such file "
                            "or directory\n");
    cr_expect_str_empty(r.out);
    run_free(&r);
}

Test(validate, set_overrides_are_checked_with_their_own_marks)
{
    run_out r;
    run("tests/fixtures/good/active-passive-tm.yaml --set traffic.ttl=10s "
        "--set 'clusters[1].standby=cold'",
        &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    run("tests/fixtures/good/active-passive-tm.yaml --set traffic.probe.interval=20s", &r);
    cr_expect_eq(r.status, 4);
    cr_expect_str_eq(r.err, "--set:1:24: error: traffic.probe.interval: Traffic Manager probes "
                            "every 30s or 10s only (docs/reference.md §1), found 20s\n");
    run_free(&r);
    run("tests/fixtures/good/minimal.yaml --set 'clusters[0].rol=standby'", &r);
    cr_expect_eq(r.status, 4);
    cr_expect_str_eq(r.err, "--set:1:13: error: unknown key 'rol' (did you mean 'role'?)\n");
    run_free(&r);
}

Test(validate, usage_errors_exit_2_and_help_has_an_example)
{
    static const char *const bad[] = {"", "--bogus tests/fixtures/good/minimal.yaml",
                                      "tests/fixtures/good/minimal.yaml --set",
                                      "tests/fixtures/good/minimal.yaml --set nokey"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_out r;
        run(bad[i], &r);
        cr_expect_eq(r.status, 2, "'validate %s' exited %d", bad[i], r.status);
        cr_expect_str_empty(r.out);
        cr_expect(strstr(r.err, "mrsim: error: ") == r.err, "%s", r.err);
        run_free(&r);
    }
    run_out r;
    run("--help", &r);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "usage: mrsim validate") && strstr(r.out, "example:"), "%s", r.out);
    run_free(&r);
}

Test(validate, keys_prints_every_section_as_markdown)
{
    run_out r;
    run("--keys", &r);
    cr_expect_eq(r.status, 0);
    /* Each kind's own table follows its family's section. */
    cr_expect(strstr(r.out, "### `traffic (kind: traffic_manager)`") != NULL);
    cr_expect(strstr(r.out, "| `probe.tolerated_failures` | integer | 3 | [0, 9] |") != NULL, "%s",
              r.out);
    cr_expect(strstr(r.out, "### `datastores[] (kind: cosmos)`") != NULL);
    /* The format reference carries the same tables: regenerate it when a key changes. */
    char *doc = slurp(MRSIM_SOURCE_DIR "/docs/scenario-format.md");
    cr_assert_not_null(doc);
    cr_expect(strstr(doc, r.out) != NULL,
              "docs/scenario-format.md is out of date: replace its Keys section with the output "
              "of 'mrsim validate --keys'");
    free(doc);
    run_free(&r);
}

/* Every problem in one pass (issue 17): 150-one-pass holds seven
 * independent problems of every stage (a unit, a distribution, a missing
 * rate unit, warm-up against horizon, a start_after cycle found by the
 * checks across sections, a variant's override); all seven come in one
 * run, each naming its key path, sorted by line (the binder visits
 * faults and clients before clusters, the cycle check runs last and the
 * overrides after it). */
Test(validate, every_problem_of_a_file_in_one_pass_sorted_by_line)
{
    run_out r;
    run("tests/fixtures/bad/150-one-pass.yaml", &r);
    cr_assert_eq(r.status, 4, "%s", r.err);
    static const char *const want[] = {
        "faults[0].duration: unknown unit 'hours'", "faults[1].start_after: start_after chain",
        "clients[0].rate: missing unit",            "run.warmup: 2h must be shorter",
        "clusters[0].service_time: unknown distr",  "traffic.ttl: missing unit in '30'",
        "traffic.ttl: missing unit in '10'",
    };
    const char *p = r.err;
    int last = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *hit = strstr(p, want[i]);
        cr_assert_not_null(hit, "'%s' missing or out of order in:\n%s", want[i], r.err);
        /* Its line number: the field before the column, after the file. */
        const char *line_start = hit;
        while (line_start > r.err && line_start[-1] != '\n')
            line_start--;
        int line = atoi(line_start + strlen("tests/fixtures/bad/150-one-pass.yaml:"));
        cr_expect_gt(line, last, "'%s' at line %d after line %d", want[i], line, last);
        last = line;
        p = hit;
    }
    int lines = 0;
    for (const char *c = r.err; *c; c++)
        lines += *c == '\n';
    cr_expect_eq(lines, 7, "nothing else:\n%s", r.err);
    run_free(&r);
}

/* A refused role leaves the cluster's standby mode and cold steps
 * unjudged: one error, not "(this one is active)" after "unknown value
 * 'stanby'". */
Test(validate, a_refused_value_is_not_the_ground_of_a_follow_on)
{
    run_out r;
    run("tests/fixtures/bad/151-invalid-role-no-follow-on.yaml", &r);
    cr_assert_eq(r.status, 4);
    cr_expect(strstr(r.err, "clusters[1].role: unknown value 'stanby'"), "%s", r.err);
    cr_expect_null(strstr(r.err, "this one is active"), "no claim about the role: %s", r.err);
    cr_expect_null(strstr(r.err, "clusters[1].cold"), "nor about its cold steps: %s", r.err);
    cr_expect_null(strchr(strchr(r.err, '\n') + 1, '\n'), "one line: %s", r.err);
    run_free(&r);
}

/* At most 50 problems, then how many more: 152 has 55 (one per client),
 * so 50 lines and "5 more". */
Test(validate, at_most_50_problems_then_how_many_more)
{
    run_out r;
    run("tests/fixtures/bad/152-too-many-problems.yaml", &r);
    cr_assert_eq(r.status, 4);
    int lines = 0;
    for (const char *c = r.err; *c; c++)
        lines += *c == '\n';
    cr_expect_eq(lines, 51, "%s", r.err);
    cr_expect(strstr(r.err, "error: 5 more problems not shown (the first 50 are above)\n"), "%s",
              r.err);
    run_free(&r);
}
