/* sim/run/build.h: from a loaded scenario to runs. mr_build turns a
 * scenario into the components of one replication; mr_run_scenario runs
 * every replication over threads and summarises them into an mr_result. A
 * scenario that uses a model not built yet is refused here, naming it,
 * never silently ignored. */
#ifndef MRSIM_RUN_BUILD_H
#define MRSIM_RUN_BUILD_H

#include <stdint.h>
#include <stdio.h>

#include "mrsim/diag.h"
#include "mrsim/model.h"
#include "run/result.h"
#include "config/scenario.h"
#include "mrsim/sim.h"
#include "mrsim/stats.h"

/* Request fidelity keeps each request in flight as events and state, about
 * 50 bytes each (measured: 4e6 in flight, 200 MB). The requests that can
 * be in flight at once, the sum over clients of rate x diurnal peak x
 * (timeout + mean backoff) x attempts, must stay within this bound
 * (docs/scenario-format.md, Limits); aggregate fidelity has none. */
#define MR_MAX_INFLIGHT 4000000.0
/* And the requests one replication simulates, the sum over clients of rate
 * x horizon, at most this many (about 4 hours of one core at the 0.7
 * million requests per second measured; docs/scenario-format.md, Limits):
 * more is a run nobody waits for, which aggregate fidelity does in seconds. */
#define MR_MAX_REQUESTS 1e10

/* Checks that every part of the scenario has a model in this build and
 * that a request-fidelity run stays within MR_MAX_INFLIGHT and
 * MR_MAX_REQUESTS. Returns
 * MR_OK, or MR_ESCENARIO after one located diagnostic per unsupported part. */
int mr_build_check(const mr_scenario *sc, mr_diag *diag);

/* Builds and starts replication rep of the scenario with the given seed.
 * Returns MR_OK and sets *out (caller frees with mr_sim_free; the scenario
 * must outlive it), or an error with diagnostics. */
int mr_build(const mr_scenario *sc, uint64_t seed, uint64_t rep, mr_sim **out, mr_diag *diag);

/* The component id mr_build gives client population p (< sc->nclients),
 * data store d (< sc->ndatastores), cluster c (< sc->nclusters), resolver
 * pool p (< sc->nresolvers) and the traffic layer: the source of the
 * entries their report slots add (mrsim/report.h), by which the metrics
 * and the cost find them. */
uint32_t mr_build_population_id(const mr_scenario *sc, size_t p);
uint32_t mr_build_store_id(const mr_scenario *sc, size_t d);
uint32_t mr_build_cluster_id(const mr_scenario *sc, size_t c);
uint32_t mr_build_resolver_id(const mr_scenario *sc, size_t p);
uint32_t mr_build_traffic_id(const mr_scenario *sc);
/* The node count a cluster starts with and returns to at failback: an
 * active cluster or a hot standby runs nodes.count; a warm standby
 * nodes.min; a cold one none. */
int64_t mr_build_standby_size(const mr_sc_cluster *c);
/* The fault injector's (always there, with no fault too). */
uint32_t mr_build_faults_id(const mr_scenario *sc);

/* Progress of a run, for display: replications finished (in any order),
 * the most that may run (max in adaptive mode), simulated events of the
 * finished ones and the wall time so far. */
typedef struct mr_progress {
    uint64_t done, total;
    int adaptive; /* total is max: the run may stop before */
    uint64_t events;
    double elapsed_s;
    /* The replications in flight's simulated time done, in replications
     * (0.5: half of one): the bar moves within one long replication. */
    double partial;
} mr_progress;

typedef void (*mr_run_progress_fn)(void *ctx, const mr_progress *p);
/* What one finished replication leaves for a sink such as the results
 * database. Everything is valid only during the hook's call: copy what you
 * keep. */
typedef struct mr_rep_view {
    const mr_scenario *sc;
    uint64_t seed;        /* the run's seed; replication rep's streams derive from both */
    uint64_t rep;
    double started_at;    /* wall clock at its start, seconds since the Unix epoch */
    double wall_s;
    uint64_t events;
    const double *metrics; /* MR_METRIC_COUNT values as the JSON averages them; NaN: n/a */
    const mr_report *report; /* every scalar of every component */
    const char *const *fault_targets; /* per scenario fault: what it hits, as the JSON says */
    /* The SLO collector's distributions and windows; NULL / 0 without one. */
    const mr_hist *latency_ms, *client_rto_s;
    const mr_hist *client_rto_censored_s; /* the censored samples (at their censoring time) */
    const uint64_t *win_total, *win_ok; /* requests and successes per window */
    size_t nwin;
    mr_time window;
    /* Aggregate fidelity keeps only the windows below a success share of 1
     * (nwin is 0): their indices, in time order, and counts. */
    const size_t *sparse_w;
    const double *sparse_total, *sparse_ok;
    size_t nsparse;
    /* The components' time series (docs/results.md "Vectors"), when the
     * run samples this replication (mr_run_opts.vectors): nseries of them
     * described by series[], sampled at k x period for k = 0 .. nsamples
     * (the last at the horizon), value of series s at sample k in
     * samples[k x nseries + s]. A level's window k is its sample k, a
     * counter's the increase from sample k to k + 1. nseries 0: none. */
    const mr_series_desc *series;
    size_t nseries, nsamples;
    mr_time period;
    const double *samples;
} mr_rep_view;

/* Which replications the run samples for vectors (mr_run_opts.vectors). */
typedef enum mr_vectors {
    MR_VECTORS_NONE,  /* none */
    MR_VECTORS_FIRST, /* replication 0 only */
    MR_VECTORS_ALL    /* every one */
} mr_vectors;

/* At most this many samples of the vectors per replication: past it the
 * period is the smallest multiple of the SLO window that keeps within it
 * (a year of 10 s windows: every 320 s), so that a long run's vectors stay
 * a size a database and a figure can hold. Ours. */
#define MR_VECTOR_MAX_SAMPLES 10000

/* Called from the worker thread that ran the replication, in completion
 * order, concurrently for different replications. Returns MR_OK, or an
 * error code that fails the run (no further replication is handed out). */
typedef int (*mr_rep_hook)(void *ctx, const mr_rep_view *v);

typedef struct mr_run_opts {
    uint64_t replications; /* 0: the scenario's (adaptive if it says so); else fixed */
    uint64_t seed;
    int seed_set;          /* 1: seed overrides the scenario's */
    int jobs;              /* >= 1 */
    FILE *trace;           /* replication 0's events as CSV, or NULL */
    const mr_trace_filter *trace_filter; /* with trace: the events it keeps; NULL all */
    mr_run_progress_fn progress; /* optional; called on the calling thread */
    void *progress_ctx;
    mr_rep_hook on_rep;    /* optional: each finished replication (the results database) */
    void *on_rep_ctx;
    const atomic_int *stop; /* optional: nonzero stops handing out replications (SIGINT) */
    mr_vectors vectors;    /* with on_rep: the replications whose vectors it gets */
} mr_run_opts;

/* Runs the scenario. On MR_OK, *out holds the summaries (its episodes array
 * is allocated: free with mr_result_fini). MR_EINTR when *stop cut it short
 * (every replication handed out has finished and passed through on_rep);
 * when on_rep failed, its code, with no diagnostic (the sink reports). */
int mr_run_scenario(const mr_scenario *sc, const mr_run_opts *opts, mr_result *out,
                    mr_diag *diag);
void mr_result_fini(mr_result *r);

#endif
