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

/* One recovery milestone of an episode (docs/model.md "recovery
 * timeline"): first occurrence per (episode, milestone, component) wins. */
typedef struct mr_slo_mark {
    uint32_t ep;              /* the episode's index */
    uint32_t what;            /* mr_milestone; MR_MS_COUNT once withdrawn */
    const mr_component *src;  /* NULL: the system (routed shares) */
    mr_time t;                /* when reached; -1: due, not reached yet */
} mr_slo_mark;


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
    mr_hist failed_latency_ms; /* failed requests after the warm-up, first issue to the
                                  last attempt's end (its timeout) */
    mr_hist warm_latency_ms; /* the same for requests first issued in the warm-up */
    mr_slo_episode *ep; /* grows by doubling: episodes are rare events */
    size_t nep, capep;
    /* Client RTO per group (one population behind one resolver; docs/model.md
     * "client RTO"): from the issue of its first failed attempt in the
     * episode to the completion of the first success after which none of
     * its attempts fails for stable_for (the candidate, cancelled by a
     * failure issued before cand_done + stable_for). */
    size_t ngroups, npop;
    mr_time stable_for;
    mr_time *fail_issue; /* -1: no failure pending in the episode */
    mr_time *cand_done;  /* -1: no candidate recovery */
    uint32_t *done_ep;   /* the episode count when its sample was taken */
    uint32_t *group_pop; /* the population of each group */
    /* Samples of the episodes closed so far: recovered ones in
     * client_rto_hist, censored ones (not recovered by the episode's end)
     * at their censoring time in client_cens_hist; client_rto_s counts
     * both (a censored one at its censoring time: a lower bound). Per
     * population: the sum, the count and the censored count. */
    mr_tally client_rto_s;
    mr_hist client_rto_hist, client_cens_hist;
    double *pop_sum;
    uint64_t *pop_n, *pop_cens;
    /* Aggregate fidelity: the hub's integration up to t, called before an
     * episode starts at t, so that what happened before it (the attempts
     * it feeds) lands in the episode before; NULL: none. */
    void (*before_episode)(void *ctx, mr_time t);
    void *before_episode_ctx;
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
    /* Recovery milestones: the marks of every episode, in the order they
     * became due or were reached (rare events: grows by doubling), and the
     * share of requests routed to healthy capacity in the window being
     * counted (rw; only requests first issued in the current episode):
     * r_fell[i] once a window's share fell below routed_share[i], r_done[i]
     * once one after it came back to it. */
    mr_slo_mark *marks;
    size_t nmarks, capmarks;
    size_t rw;
    double r_all, r_ok;
    uint8_t r_fell[3], r_done[3];
};

/* The thresholds of the routed milestones (MR_MS_ROUTED_50 .. 99). */
extern const double mr__slo_routed_share[3];

/* Records an attempt's fate at its issue time (outcomes are computed on
 * arrival, so calls come in time order): its client RTO group (the
 * population's group_base + the resolver's index in its pool), its issue
 * time, and, for a success, its completion time. */
void mr__slo_attempt(mr_slo_state *s, uint32_t group, mr_time issue, int ok, mr_time done);
/* Population pop owns the groups [base, base + n) (each clients component
 * says so at link). */
void mr__slo_groups(mr_slo_state *s, uint32_t base, uint32_t n, uint32_t pop);
/* Records a request's final outcome (retries included) in the window of
 * its first issue time. */
void mr__slo_request(mr_slo_state *s, mr_time first_issue, int ok, mr_time done);
/* Aggregate fidelity: requests first issued in [t0, t1) at `rate` per
 * second, a share ok_share of which succeed. Calls come in time order. */
void mr__slo_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate, double ok_share);
/* Whether requests first issued now reached healthy capacity: request
 * fidelity, one request's first attempt (healthy 0 or 1); aggregate
 * fidelity mr__slo_routed_integrate, `rate` requests per second of which a
 * share `healthy` did, over [t0, t1). Calls come in time order. */
void mr__slo_routed(mr_slo_state *s, mr_time t, int healthy);
void mr__slo_routed_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate,
                              double healthy);
/* Closes the window being filled (at the end of the run). */
void mr__slo_flush(mr_slo_state *s);
/* A fault episode starts or ends. */
void mr__slo_episode_start(mr_slo_state *s, mr_time t, uint32_t fault);
void mr__slo_episode_end(mr_slo_state *s, mr_time t, uint32_t fault);


#endif
