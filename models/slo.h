/* models/slo.h: private to models/: the SLO collector's
 * state and how clients record what happened to their requests (docs/model.md
 * "Metrics", rule 6). */
#ifndef MRSIM_MODELS_SLO_H
#define MRSIM_MODELS_SLO_H

#include <stddef.h>
#include <stdint.h>

#include "mrsim/model.h"
#include "mrsim/sim.h"
#include "mrsim/cfg/slo.h"
#include "mrsim/rng.h"
#include "mrsim/stats.h"

typedef struct mr_slo_state mr_slo_state;

typedef struct mr_slo_episode {
    mr_time start, end; /* end: the next episode's start (-1: none yet) */
    mr_time fault_end;  /* when its fault ended (-1: in force at the horizon) */
    uint32_t fault;
} mr_slo_episode;

struct mr_slo_state {
    mr_time window, warmup; /* copies of the cfg's, for the recorders */
    uint64_t *total, *ok;   /* per window of first issue time */
    size_t nwin;
    size_t nres;
    mr_hist latency_ms;   /* successful requests, first issue to completion */
    mr_hist warm_latency_ms; /* the same for requests first issued in the warm-up */
    mr_slo_episode *ep; /* grows by doubling: episodes are rare events */
    size_t nep, capep;
    /* Client RTO per resolver (rule: first failing request after an
     * episode's start to the completion of the next success). */
    mr_time *fail_issue; /* -1: none pending */
    uint32_t *done_ep;   /* 1 + the episode whose sample is taken */
    mr_tally client_rto_s;
    mr_hist client_rto_hist;
    /* Aggregate fidelity: windows that met every request are summed in
     * bulk; the others are kept, in time order, with Poisson counts. */
    int agg;
    mr_time horizon;
    size_t cur_w;           /* the window being filled */
    double cur_total, cur_ok;
    int cur_imperfect;      /* some of it had a success share below 1 */
    double bulk_total, bulk_ok, warm_total, warm_ok;
    size_t *sw;             /* imperfect windows: index, counts */
    double *st, *so;
    size_t nsparse, capsparse;
    mr_rng *noise;
};

/* Records an attempt's fate at its issue time (outcomes are computed on
 * arrival, so calls come in time order): its resolver (global index), its
 * issue time, and, for a success, its completion time. */
void mr__slo_attempt(mr_slo_state *s, uint32_t resolver, mr_time issue, int ok, mr_time done);
/* Records a request's final outcome (retries included) in the window of
 * its first issue time. */
void mr__slo_request(mr_slo_state *s, mr_time first_issue, int ok, mr_time done);
/* Aggregate fidelity: requests first issued in [t0, t1) at `rate` per
 * second, a share ok_share of which succeed. Calls come in time order. */
void mr__slo_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate, double ok_share);
/* Closes the window being filled (at the end of the run). */
void mr__slo_flush(mr_slo_state *s);
/* A fault episode starts or ends. */
void mr__slo_episode_start(mr_slo_state *s, mr_time t, uint32_t fault);
void mr__slo_episode_end(mr_slo_state *s, mr_time t, uint32_t fault);


#endif
