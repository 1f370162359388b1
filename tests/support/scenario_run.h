/* tests/support/scenario_run.h: runs a scenario written inline in a test
 * through the library (load, build, every replication), for tests that
 * check a model's behaviour end to end against a closed form. Header-only:
 * each test program is its own executable. */
#ifndef MRSIM_TEST_SCENARIO_RUN_H
#define MRSIM_TEST_SCENARIO_RUN_H
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "run/build.h"
#include "mrsim/model.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"
#include "validation.h"

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

/* Loads the scenario at path (with the overrides sets[0..nsets)) and runs
 * reps replications (0: the file's own) on two threads into *out; what
 * names the file is label. */
static inline void tsr_run_path(const char *path, const char *label, const char *const *sets,
                                size_t nsets, uint64_t reps, mr_result *out)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s: %s", label, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_run_opts opts = {.replications = reps, .jobs = 2};
    rc = mr_run_scenario(sc, &opts, out, d);
    cr_assert_eq(rc, MR_OK, "%s: %s", label, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    out->scenario = NULL;
    out->file = NULL;
    for (size_t e = 0; e < out->nepisodes; e++) /* names belong to the scenario */
        out->episodes[e].fault = out->episodes[e].kind = NULL;
    mr_scenario_free(sc);
    mr_diag_free(d);
}

/* Loads text (with the overrides sets[0..nsets)) and runs reps replications
 * on two threads into *out. */
static inline void tsr_run(const char *text, const char *const *sets, size_t nsets, uint64_t reps,
                           mr_result *out)
{
    char *path = tsr_write(text);
    tsr_run_path(path, "scenario", sets, nsets, reps, out);
    unlink(path);
    free(path);
}

/* Loads text (with the overrides) into a scenario (free it). */
static inline mr_scenario *tsr_load(const char *text, const char *const *sets, size_t nsets)
{
    char *path = tsr_write(text);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    unlink(path);
    free(path);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sc;
}

/* Builds replication rep of sc (seed 11). */
static inline mr_sim *tsr_build(const mr_scenario *sc, uint64_t rep)
{
    mr_diag *d = mr_diag_new();
    mr_sim *sim = NULL;
    int rc = mr_build(sc, 11, rep, &sim, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

/* Runs sim to the horizon and returns its report (free it). */
static inline mr_report *tsr_finish(mr_sim *sim)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    return r;
}

/* Loads the file rel (relative to the source tree, with the overrides
 * sets[0..nsets)) and runs reps replications (0: the file's own) on two
 * threads into *out. */
static inline void tsr_run_file(const char *rel, const char *const *sets, size_t nsets,
                                uint64_t reps, mr_result *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", MRSIM_SOURCE_DIR, rel);
    tsr_run_path(path, rel, sets, nsets, reps, out);
}

/* Aggregate fidelity's mean b against request fidelity's a: within rel of
 * a's (or abs_floor), or within three standard errors of the difference of
 * two independent means (the replications share fault times and probe
 * phases, not the resolvers' switching draws, so they are not paired
 * closely enough to difference). complement: compare 1 - mean
 * (unavailability). Metrics defined at neither fidelity pass. */
/* The two fidelities agree on one metric: aggregate within rel of request
 * fidelity's mean (at least abs_floor, or three standard errors of the
 * difference when the replications spread wider); complement compares
 * 1 - mean (unavailability). The case goes into the validation table as
 * "<test>.<scenario>.<what>", request fidelity as its reference. */
#define tsr_close_rel(file, what, a, b, rel, abs_floor, complement) \
    tsr_close_rel_at(__FILE__, file, what, a, b, rel, abs_floor, complement)

static inline void tsr_close_rel_at(const char *src, const char *file, const char *what,
                                    const mr_summary *a, const mr_summary *b, double rel,
                                    double abs_floor, int complement)
{
    if (isnan(a->mean) && isnan(b->mean))
        return;
    double req = complement ? 1 - a->mean : a->mean, agg = complement ? 1 - b->mean : b->mean;
    double se = sqrt(a->sd * a->sd / (double)a->n + b->sd * b->sd / (double)b->n);
    double tol = fmax(fmax(rel * fabs(req), abs_floor), 3 * se);
    /* The case's id from the test's file and the scenario's base name. */
    const char *stem = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
    if (strncmp(stem, "test_", 5) == 0)
        stem += 5;
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char id[256], whatbuf[256];
    snprintf(id, sizeof id, "%.*s.%.*s.%s", (int)strcspn(stem, "."), stem, (int)strcspn(base, "."),
             base, what);
    snprintf(whatbuf, sizeof whatbuf, "%s of %s", what, base);
    size_t wl = strlen(what);
    mr_vcase c = {.id = id, .what = whatbuf, .reference = "request fidelity, same seed",
                  .unit = wl > 2 && strcmp(what + wl - 2, "_s") == 0 ? "s" : "",
                  .ref = req, .tol = tol};
    if (complement) {
        mr_vrecord(&c, "request", req, 1 - a->ci_hi, 1 - a->ci_lo, a->n, 1);
        mr_vcheck(&c, "aggregate", agg, 1 - b->ci_hi, 1 - b->ci_lo, b->n);
    } else {
        mr_vrecord(&c, "request", req, a->ci_lo, a->ci_hi, a->n, 1);
        mr_vcheck(&c, "aggregate", agg, b->ci_lo, b->ci_hi, b->n);
    }
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
