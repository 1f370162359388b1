/* tests/support/e2e.h: the one way tests run a program and read what it
 * wrote: slurp (a whole file), e2e_sh (any shell command line, both
 * streams captured), e2e_run (the mrsim binary), drop_line/drop_lines (a
 * timing or a path out of a document) and the scenario files of a
 * directory. Header-only: each test program is its own executable, the MPI
 * tests link no support library, and MRSIM_BINARY is defined per test by
 * CMake. Every string these return is the caller's to free (run_free for a
 * run_out). */
#ifndef MRSIM_TEST_E2E_H
#define MRSIM_TEST_E2E_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run_out {
    int status; /* exit status, -1 when killed by a signal */
    char *out, *err;
} run_out;

/* The whole file at path, or "" when it cannot be read (free it). */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return calloc(1, 1);
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            buf = realloc(buf, cap *= 2);
            cr_assert_not_null(buf);
        }
    }
    buf[n] = '\0';
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

/* Removes every line holding key. */
static inline void drop_lines(char *s, const char *key)
{
    while (strstr(s, key) != NULL)
        drop_line(s, key);
}

/* Runs a shell command line made from fmt (printf-style: pass "%s" for a
 * literal line that may hold '%') with its stdout and stderr captured; the
 * status is the line's, i.e. its last command's. */
static inline run_out e2e_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline run_out e2e_sh(const char *fmt, ...)
{
    char outp[] = "/tmp/mrsim-e2e-out-XXXXXX", errp[] = "/tmp/mrsim-e2e-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0, "cannot make temporary files");
    close(fo);
    close(fe);
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    cr_assert(len >= 0);
    char *line = malloc((size_t)len + 1);
    cr_assert_not_null(line);
    va_start(ap, fmt);
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    va_end(ap);
    /* Grouped, so the redirections take every command of the line. */
    size_t n = (size_t)len + 2 * sizeof outp + 16;
    char *cmd = malloc(n);
    cr_assert_not_null(cmd);
    snprintf(cmd, n, "{ %s\n} >%s 2>%s", line, outp, errp);
    free(line);
    int st = system(cmd);
    free(cmd);
    run_out r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(outp), slurp(errp)};
    remove(outp);
    remove(errp);
    return r;
}

/* Runs `mrsim COMMAND ARGS` (ARGS through the shell) and captures it. */
static inline run_out e2e_run(const char *command, const char *args)
{
    return e2e_sh("'%s' %s %s", MRSIM_BINARY, command, args);
}

static inline void run_free(run_out *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

static inline int e2e_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names ending in .yaml in MRSIM_SOURCE_DIR/rel, sorted; sets *n. Free
 * with e2e_free_names. */
static inline char **e2e_yaml_files(const char *rel, size_t *n)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", MRSIM_SOURCE_DIR, rel);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot read %s", dir);
    char **names = NULL;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
            names = realloc(names, (*n + 1) * sizeof *names);
            cr_assert_not_null(names);
            names[(*n)++] = strdup(e->d_name);
        }
    }
    closedir(d);
    if (*n > 0)
        qsort(names, *n, sizeof *names, e2e_cmp_names);
    return names;
}

static inline void e2e_free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

#endif
