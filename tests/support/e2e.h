/* tests/support/e2e.h: running the mrsim binary from an end-to-end test
 * with stdout and stderr captured. Header-only: each test program is its
 * own executable, and MRSIM_BINARY is defined per test by CMake. */
#ifndef MRSIM_TEST_E2E_H
#define MRSIM_TEST_E2E_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run_out {
    int status; /* exit status, -1 when killed */
    char *out, *err;
} run_out;

/* The whole file at path, or "" when it cannot be read (free it). */
static inline char *slurp(const char *path)
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

/* Removes the first line holding key (a timing, a path) from a document. */
static inline void drop_line(char *s, const char *key)
{
    char *p = strstr(s, key);
    if (p == NULL)
        return;
    char *start = p;
    while (start > s && start[-1] != '\n')
        start--;
    char *end = strchr(p, '\n');
    end = end ? end + 1 : p + strlen(p);
    memmove(start, end, strlen(end) + 1);
}

/* Runs `mrsim COMMAND ARGS` (ARGS through the shell) and captures it. */
static inline run_out e2e_run(const char *command, const char *args)
{
    char outp[] = "/tmp/mrsim-e2e-out-XXXXXX", errp[] = "/tmp/mrsim-e2e-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    size_t n = strlen(MRSIM_BINARY) + strlen(command) + strlen(args) + 2 * sizeof outp + 16;
    char *cmd = malloc(n);
    snprintf(cmd, n, "%s %s %s >%s 2>%s", MRSIM_BINARY, command, args, outp, errp);
    int st = system(cmd);
    free(cmd);
    run_out r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(outp), slurp(errp)};
    remove(outp);
    remove(errp);
    return r;
}

static inline void run_free(run_out *r)
{
    free(r->out);
    free(r->err);
}

#endif
