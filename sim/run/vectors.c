/* sim/run/vectors.c: see vectors.h. */
#include "vectors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "run/build.h"

mr_time mr__vec_period(const mr_scenario *sc, size_t *n)
{
    mr_time w = sc->slo.window > 0 ? sc->slo.window : 10 * MR_S;
    mr_time h = sc->run.horizon;
    uint64_t k = h > 0 ? (uint64_t)((h + w - 1) / w) : 0;
    if (k > MR_VECTOR_MAX_SAMPLES) {
        uint64_t m = (k + MR_VECTOR_MAX_SAMPLES - 1) / MR_VECTOR_MAX_SAMPLES;
        w *= (mr_time)m;
        k = (uint64_t)((h + w - 1) / w);
    }
    *n = (size_t)k;
    return w;
}

/* Reads every component's series into row k. */
static void take(const mr_sim *sim, mr__vec *v, size_t k, mr_time now)
{
    double *row = v->val + k * v->nseries;
    for (size_t i = 0; i < v->ncomp; i++) {
        const mr_component *c = mr_sim_component(sim, v->comp[i]);
        c->model->sample(c, now, row + v->first[i]);
    }
}

/* The series of every component that has any, described once. */
static void describe(const mr_sim *sim, mr__vec *v)
{
    size_t nc = mr_sim_component_count(sim), cap = 0;
    mr_series_desc tmp[MR_SERIES_MAX];
    v->comp = mr_xcalloc(nc + 1, sizeof *v->comp);
    v->first = mr_xcalloc(nc + 1, sizeof *v->first);
    v->count = mr_xcalloc(nc + 1, sizeof *v->count);
    for (uint32_t id = 0; id < nc; id++) {
        const mr_component *c = mr_sim_component(sim, id);
        if (c == NULL || c->model->series == NULL || c->model->sample == NULL)
            continue;
        size_t n = c->model->series(c, sim, tmp, MR_SERIES_MAX);
        if (n == 0)
            continue;
        if (v->nseries + n > cap) {
            cap = 2 * (v->nseries + n);
            v->desc = mr_xrealloc(v->desc, cap * sizeof *v->desc);
        }
        memcpy(v->desc + v->nseries, tmp, n * sizeof *tmp);
        v->comp[v->ncomp] = id;
        v->first[v->ncomp] = v->nseries;
        v->count[v->ncomp++] = n;
        v->nseries += n;
    }
}

int mr__vec_run(mr_sim *sim, const mr_scenario *sc, mr__vec *v)
{
    size_t n = 0;
    v->period = mr__vec_period(sc, &n);
    describe(sim, v);
    if (v->nseries == 0 || n == 0) {
        v->nsamples = 0;
        return mr_sim_run(sim, MR_RUN_HORIZON, 0);
    }
    v->val = mr_xmalloc((n + 1) * v->nseries * sizeof *v->val);
    /* Sample k is the state just before k x period (every event earlier
     * than it handled, none at it): the window's start as it stands. */
    int rc = MR_OK;
    take(sim, v, 0, mr_sim_now(sim));
    for (size_t k = 1; k < n; k++) {
        mr_time until = (mr_time)k * v->period - 1;
        rc = mr_sim_run(sim, MR_RUN_UNTIL, until);
        if (rc != MR_OK || mr_sim_now(sim) < until) { /* interrupted, or a model stopped it */
            v->nsamples = k - 1;
            return rc;
        }
        take(sim, v, k, until + 1);
        if (v->step)
            v->step(v->step_ctx, sim);
    }
    rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    if (rc != MR_OK || mr_sim_now(sim) < mr_sim_horizon(sim)) {
        v->nsamples = n - 1;
        return rc;
    }
    take(sim, v, n, mr_sim_now(sim));
    v->nsamples = n;
    return rc;
}

void mr__vec_fini(mr__vec *v)
{
    free(v->desc);
    free(v->comp);
    free(v->first);
    free(v->count);
    free(v->val);
    memset(v, 0, sizeof *v);
}
