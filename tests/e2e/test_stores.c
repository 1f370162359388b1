/* tests/e2e/test_stores.c: data stores through the program: the result
 * document's "stores" object and per-episode RPO, the same for any --jobs;
 * null data metrics and no "stores" without a store; the reference
 * scenarios that use stores are valid. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

typedef struct out {
    int status;
    char *text;
} out;

/* Runs `mrsim ARGS`, stdout captured; drops the wall-clock line. */
static out mrsim(const char *args)
{
    char path[] = "/tmp/mrsim-stores-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>/dev/null", MRSIM_BINARY, args, path);
    int st = system(cmd);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = calloc((size_t)n + 1, 1);
    buf[fread(buf, 1, (size_t)n, f)] = '\0';
    fclose(f);
    remove(path);
    char *w = strstr(buf, "\"wall_s\"");
    if (w) {
        char *e = strchr(w, '\n');
        memmove(w, e + 1, strlen(e + 1) + 1);
    }
    return (out){WIFEXITED(st) ? WEXITSTATUS(st) : -1, buf};
}

Test(stores, the_result_has_each_store_and_the_rpo_of_the_forced_failover, .timeout = 120)
{
    out a = mrsim("run " FIXTURES "tiny-sql.yaml --json -q -j 1");
    out b = mrsim("run " FIXTURES "tiny-sql.yaml --json -q -j 2");
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(a.text, b.text, "-j 1 and -j 2 differ");
    cr_assert_not_null(strstr(a.text, "\"stores\": {"));
    cr_assert_not_null(strstr(a.text, "\"cache\": {\"kind\": \"redis\", \"rpo_s\": {"));
    cr_assert_not_null(strstr(a.text, "\"orders\": {\"kind\": \"sql\", \"rpo_s\": {\"mean\": "));
    cr_assert_not_null(strstr(a.text, "\"files\": {\"kind\": \"blob\""));
    cr_assert_null(strstr(a.text, "\"rpo_s\": null"), "every RPO applies: %s", a.text);
    cr_assert_null(strstr(a.text, "\"lost_writes\": null"));
    /* The forced failover's episode carries the loss; the outage's is 0. */
    const char *ep = strstr(a.text, "{\"fault\": \"sql-forced\"");
    cr_assert_not_null(ep);
    cr_assert_null(strstr(ep, "\"rpo_s\": {\"mean\": 0,"), "%s", ep);
    free(a.text);
    free(b.text);
}

Test(stores, without_a_store_the_data_metrics_are_null, .timeout = 120)
{
    out a = mrsim("run " FIXTURES "tiny-tm.yaml --json -q -n 2");
    cr_assert_eq(a.status, 0);
    cr_assert_null(strstr(a.text, "\"stores\""));
    cr_assert_not_null(strstr(a.text, "\"rpo_s\": null"));
    cr_assert_not_null(strstr(a.text, "\"stale_read_ratio\": null"));
    cr_assert_not_null(strstr(a.text, "\"write_conflicts\": null"));
    free(a.text);
}

Test(stores, the_reference_scenarios_with_stores_are_valid)
{
    out a = mrsim("validate " MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml "
                  MRSIM_SOURCE_DIR "/scenarios/data-choices.yaml");
    cr_assert_eq(a.status, 0, "%s", a.text);
    free(a.text);
}
