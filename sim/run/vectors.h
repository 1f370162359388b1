/* sim/run/vectors.h: private to sim/run: the vectors of one replication
 * (docs/results.md "Vectors"). Instead of running to the horizon at once,
 * the replication runs window by window (mr_sim_run up to each window's
 * start) and, between two runs, reads every component's `sample` slot: no
 * event is added and nothing is done per event, so the replication's
 * events, draws and results are those of an unsampled run. */
#ifndef MRSIM_RUN_VECTORS_H
#define MRSIM_RUN_VECTORS_H

#include <stddef.h>

#include "config/scenario.h"
#include "mrsim/model.h"
#include "mrsim/sim.h"

typedef struct mr__vec {
    mr_series_desc *desc; /* nseries */
    uint32_t *comp;       /* per component that has series: its id */
    size_t *first, *count; /* its series' index and count */
    size_t ncomp, nseries;
    mr_time period;
    size_t nsamples; /* windows: samples 0 .. nsamples are taken */
    double *val;     /* (nsamples + 1) x nseries */
    /* Optional, set by the caller: told after each sample how far the
     * replication has come (a progress display's share done). */
    void (*step)(void *ctx, const mr_sim *sim);
    void *step_ctx;
} mr__vec;

/* The sampling period of a scenario: its SLO window, or the smallest
 * multiple of it that keeps within MR_VECTOR_MAX_SAMPLES; *n: the windows
 * of that period up to the horizon (the last may be partial). */
mr_time mr__vec_period(const mr_scenario *sc, size_t *n);

/* Runs a started sim to the horizon as mr_sim_run(MR_RUN_HORIZON) does,
 * sampling into v (zeroed by the caller; mr__vec_fini frees it). Returns
 * what mr_sim_run returned; a run cut short (interrupt, a model's stop)
 * keeps the samples it reached (nsamples shrinks to them). */
int mr__vec_run(mr_sim *sim, const mr_scenario *sc, mr__vec *v);
void mr__vec_fini(mr__vec *v);

#endif
