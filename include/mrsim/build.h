/* include/mrsim/build.h: from a loaded scenario to runs. mr_build turns a
 * scenario into the components of one replication; mr_run_scenario runs
 * every replication over threads and summarises them into an mr_result. A
 * scenario that uses a model not built yet is refused here, naming it,
 * never silently ignored. */
#ifndef MRSIM_BUILD_H
#define MRSIM_BUILD_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "result.h"
#include "scenario.h"
#include "sim.h"

/* Checks that every part of the scenario has a model in this build. Returns
 * MR_OK, or MR_ESCENARIO after one located diagnostic per unsupported part. */
int mr_build_check(const mr_scenario *sc, mr_diag *diag);

/* Builds and starts replication rep of the scenario with the given seed.
 * Returns MR_OK and sets *out (caller frees with mr_sim_free; the scenario
 * must outlive it), or an error with diagnostics. */
int mr_build(const mr_scenario *sc, uint64_t seed, uint64_t rep, mr_sim **out, mr_diag *diag);

/* Progress of a run, for display: replications finished (in any order),
 * the most that may run (max in adaptive mode), simulated events of the
 * finished ones and the wall time so far. */
typedef struct mr_progress {
    uint64_t done, total;
    int adaptive; /* total is max: the run may stop before */
    uint64_t events;
    double elapsed_s;
} mr_progress;

typedef void (*mr_run_progress_fn)(void *ctx, const mr_progress *p);

typedef struct mr_run_opts {
    uint64_t replications; /* 0: the scenario's (adaptive if it says so); else fixed */
    uint64_t seed;
    int seed_set;          /* 1: seed overrides the scenario's */
    int jobs;              /* >= 1 */
    FILE *trace;           /* replication 0's events as CSV, or NULL */
    mr_run_progress_fn progress; /* optional; called on the calling thread */
    void *progress_ctx;
} mr_run_opts;

/* Runs the scenario. On MR_OK, *out holds the summaries (its episodes array
 * is allocated: free with mr_result_fini). */
int mr_run_scenario(const mr_scenario *sc, const mr_run_opts *opts, mr_result *out,
                    mr_diag *diag);
void mr_result_fini(mr_result *r);

#endif
