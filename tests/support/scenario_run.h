/* tests/support/scenario_run.h: runs a scenario written inline in a test
 * through the library (load, build, every replication), for tests that
 * check a model's behaviour end to end against a closed form. Header-only:
 * each test program is its own executable. */
#ifndef MRSIM_TEST_SCENARIO_RUN_H
#define MRSIM_TEST_SCENARIO_RUN_H
#include <string.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mrsim/build.h"
#include "mrsim/error.h"

/* Writes text to a fresh temporary file; returns its path (free it). */
static inline char *tsr_write(const char *text)
{
    char *path = strdup("/tmp/mrsim-test-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemps");
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads text (with the overrides sets[0..nsets)) and runs reps replications
 * on two threads into *out. */
static inline void tsr_run(const char *text, const char *const *sets, size_t nsets, uint64_t reps,
                           mr_result *out)
{
    char *path = tsr_write(text);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_run_opts opts = {.replications = reps, .jobs = 2};
    rc = mr_run_scenario(sc, &opts, out, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    out->scenario = NULL;
    out->file = NULL;
    for (size_t e = 0; e < out->nepisodes; e++) /* names belong to the scenario */
        out->episodes[e].fault = out->episodes[e].kind = NULL;
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
}

/* Replication i's value of metric m. */
static inline double tsr_rep(const mr_result *r, uint64_t i, mr_metric m)
{
    return r->per_rep[i * MR_METRIC_COUNT + m];
}

/* The Kolmogorov-Smirnov distance between the sample x[0..n) (sorted in
 * place) and the uniform distribution on [a, b]. */
static inline int tsr_cmp(const void *p, const void *q)
{
    double x = *(const double *)p, y = *(const double *)q;
    return (x > y) - (x < y);
}

static inline double tsr_ks_uniform(double *x, size_t n, double a, double b)
{
    qsort(x, n, sizeof *x, tsr_cmp);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = (x[i] - a) / (b - a);
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        d = lo > d ? lo : d;
        d = hi > d ? hi : d;
    }
    return d;
}

#endif
