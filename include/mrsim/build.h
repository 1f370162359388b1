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

typedef struct mr_run_opts {
    uint64_t replications; /* 0: the scenario's */
    uint64_t seed;
    int seed_set;          /* 1: seed overrides the scenario's */
    int jobs;              /* >= 1 */
    FILE *trace;           /* replication 0's events as CSV, or NULL */
    mr_progress_fn progress;
    void *progress_ctx;
} mr_run_opts;

/* Runs the scenario. On MR_OK, *out holds the summaries (its episodes array
 * is allocated: free with mr_result_fini). */
int mr_run_scenario(const mr_scenario *sc, const mr_run_opts *opts, mr_result *out,
                    mr_diag *diag);
void mr_result_fini(mr_result *r);

#endif
