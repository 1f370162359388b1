/* tests/e2e/test_jobs.c: `compare` and `sweep` give the same JSON document,
 * byte for byte (wall_s aside), with --jobs 1, 2 and 3: replication i has the
 * same seeds whichever thread runs it, and rows are summarised in index
 * order (runner.h). `run` is checked the same way in test_run.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return calloc(1, 1);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = calloc((size_t)n + 1, 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* stdout of `mrsim ARGS` without its wall_s lines (timings); NULL unless it
 * exits 0. */
static char *json_of(const char *args)
{
    char outp[] = "/tmp/mrsim-jobs-XXXXXX";
    int fd = mkstemp(outp);
    cr_assert(fd >= 0);
    close(fd);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null | grep -v '\"wall_s\"' >%s", MRSIM_BINARY, args,
             outp);
    int st = system(cmd);
    char *out = slurp(outp);
    remove(outp);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mrsim %s failed", args);
    return out;
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
