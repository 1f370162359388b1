/* tests/e2e/test_jobs.c: `compare` and `sweep` give the same JSON document,
 * byte for byte (wall_s aside), with --jobs 1, 2 and 3: replication i has the
 * same seeds whichever thread runs it, and rows are summarised in index
 * order (runner.h). `run` is checked the same way in test_run.c. */
#include "e2e.h"

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

/* stdout of `mrsim ARGS` without its wall_s lines (timings); asserts that
 * it exits 0. */
static char *json_of(const char *args)
{
    run_out r = e2e_run(args, "");
    cr_assert_eq(r.status, 0, "mrsim %s failed: %s", args, r.err);
    free(r.err);
    drop_lines(r.out, "\"wall_s\"");
    return r.out;
}

static void same_for_any_jobs(const char *args)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s -j 1", args);
    char *a = json_of(buf);
    cr_assert(strlen(a) > 100, "%s", a);
    for (int j = 2; j <= 3; j++) {
        snprintf(buf, sizeof buf, "%s -j %d", args, j);
        char *b = json_of(buf);
        cr_assert_str_eq(a, b, "%s: -j 1 and -j %d differ", args, j);
        free(b);
    }
    free(a);
}

Test(jobs, compare_is_identical_for_any_jobs, .timeout = 180)
{
    same_for_any_jobs("compare " FIXTURES "variants.yaml --json -q -n 5");
}

Test(jobs, sweep_is_identical_for_any_jobs, .timeout = 180)
{
    same_for_any_jobs("sweep " FIXTURES "sweep.yaml --json -q -n 5");
}
