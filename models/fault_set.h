/* models/fault_set.h: the faults in force at one target.
 * A target counts whole faults (FAULT_START adds one, FAULT_END removes one,
 * so overlapping faults compose) and keeps partial ones (severity below 1,
 * or ramped) with their start, so the share of requests they fail can be
 * read at any time from the fault table (mrsim/cfg/faults.h).
 * Invariant: total >= 0; npartial <= MR_MAX_PARTIAL, the rest counted in
 * overflow. */
#ifndef MRSIM_MODELS_FAULT_SET_H
#define MRSIM_MODELS_FAULT_SET_H

#include <stdint.h>

#include "mrsim/model.h"
#include "mrsim/sim.h"
#include "mrsim/cfg/faults.h"
#include "mrsim/diag.h"
#include "mrsim/event.h"
#include "mrsim/types.h"
#include "mrsim/simtime.h"

/* Counts the faults in force at a target: FAULT_START adds one, FAULT_END
 * removes one, so overlapping faults compose. Returns 1 if ev was one of
 * them, 0 otherwise. */
static inline int mr__fault_count(int32_t *down, const mr_event *ev)
{
    if (ev->kind == MR_MSG_FAULT_START) {
        (*down)++;
        return 1;
    }
    if (ev->kind == MR_MSG_FAULT_END) {
        if (*down > 0)
            (*down)--;
        return 1;
    }
    return 0;
}

/* Faults in force at one target whose effect is a share of requests:
 * whole ones are counted, partial ones (severity < 1, or ramped) are kept
 * with their start so their severity can be read at any time. */
#define MR_MAX_PARTIAL 8
typedef struct mr_fault_set {
    int32_t total;    /* whole faults in force */
    int32_t npartial;
    uint32_t overflow; /* partial faults beyond MR_MAX_PARTIAL, reported */
    struct {
        uint32_t fault;
        double severity; /* when not ramped */
        mr_time start;
    } p[MR_MAX_PARTIAL];
} mr_fault_set;

/* Applies MR_MSG_FAULT_START / END (ev) to the set. */
void mr__fault_set_apply(mr_fault_set *fs, const mr_event *ev);
/* The share of requests the set fails at time now: 1 with a whole fault in
 * force, else 1 - prod(1 - severity_i(now)) over the partial ones. */
double mr__fault_set_share(const mr_fault_set *fs, const mr_faults_cfg *faults, mr_time now);
static inline int mr__fault_set_any(const mr_fault_set *fs)
{
    return fs->total > 0 || fs->npartial > 0;
}


/* ---- the run's normal time ------------------------------------------------
 * The cost's run rate is what the architecture costs while no fault is in
 * force; its incident cost, what it costs beyond that while faults are
 * (docs/results.md "cost"). The fault injector keeps this clock; the
 * parts that bill usage (nodes, queries, requests, replicated bytes) read
 * it to split what they count. */
typedef struct mr_fault_clock {
    int64_t active;      /* faults in force */
    uint64_t started;    /* fault starts so far */
    mr_time acc;         /* normal time up to `since` */
    mr_time since;       /* while active == 0: when the last fault ended (or 0) */
    mr_time first_start; /* the first fault's start; MR_TIME_NEVER before it */
    mr_time first_acc;   /* the normal time before it */
    /* The incident cost per episode attributes every moment after the
     * first start to the fault that started last (docs/results.md
     * "incident cost"): per fault of the table, the time it was the last
     * to start (all) and the normal part of it, up to mark; cur's share
     * since mark is read with the functions below. */
    uint32_t nf;  /* faults in the table */
    uint32_t cur; /* the fault that started last (once started > 0) */
    mr_time mark;
    double all[MR_MAX_FAULTS], normal[MR_MAX_FAULTS]; /* ns */
} mr_fault_clock;

/* Brings cur's shares up to now; call before a start or an end changes
 * cur or active. */
static inline void mr__clock_attr_flush(mr_fault_clock *c, mr_time now)
{
    if (c->started > 0) {
        c->all[c->cur] += (double)(now - c->mark);
        if (c->active == 0)
            c->normal[c->cur] += (double)(now - c->mark);
    }
    c->mark = now;
}

/* The time attributed to fault f up to now, all and its normal part (ns). */
static inline double mr__clock_attr_all(const mr_fault_clock *c, uint32_t f, mr_time now)
{
    return c->all[f] + (c->started > 0 && f == c->cur ? (double)(now - c->mark) : 0);
}
static inline double mr__clock_attr_normal(const mr_fault_clock *c, uint32_t f, mr_time now)
{
    return c->normal[f] +
           (c->started > 0 && f == c->cur && c->active == 0 ? (double)(now - c->mark) : 0);
}

/* Whether no fault is in force (always, without an injector). */
static inline int mr__clock_normal(const mr_fault_clock *c)
{
    return c == NULL || c->active == 0;
}

/* The normal time from the start to now (now itself without an injector). */
static inline mr_time mr__clock_at(const mr_fault_clock *c, mr_time now)
{
    if (c == NULL)
        return now;
    return c->acc + (c->active == 0 ? now - c->since : 0);
}

/* A level billed over time (a cluster's nodes) split three ways: the run
 * rate's part (normal time while the owner says it is settled: no
 * transient of its own left), the incident part (every other moment after
 * the first fault's start) and the rest (the start-up transient, before
 * any fault), which neither counts. */
typedef struct mr_usage {
    double level;          /* what is billed now */
    int settled;           /* the owner's say: its level is its normal one */
    mr_time last, last_n;  /* the last advance, and the normal time then */
    double run_x, run_t;   /* integral of level, and time, in the run rate's part (ns) */
    double inc_x, inc_t;   /* the same in the incident part */
    /* The incident part by the fault it is attributed to (the clock's
     * attribution), and the clock's attributed times at the last advance. */
    double fx[MR_MAX_FAULTS], ft[MR_MAX_FAULTS];
    double seen_all[MR_MAX_FAULTS], seen_normal[MR_MAX_FAULTS];
} mr_usage;

/* Integrates the level from the last advance to now. Call before changing
 * level or settled. */
void mr__usage_advance(mr_usage *u, const mr_fault_clock *c, mr_time now);

/* The fault injector with component id `id` (the builder's link); NULL for
 * id -1. When id names no fault injector, a diagnostic, *rc = MR_ENOCOMP
 * and NULL. */
const mr_component *mr__faults_component(mr_sim *sim, const mr_component *self, int64_t id,
                                         mr_diag *diag, int *rc);
/* The fault table of the injector with component id `id`, which the
 * builder hands a target that reads ramps; NULL for id -1 (no faults).
 * When id names no fault injector, a diagnostic, *rc = MR_ENOCOMP and NULL. */
const mr_faults_cfg *mr__faults_link(mr_sim *sim, const mr_component *self, int64_t id,
                                     mr_diag *diag, int *rc);
/* The normal-time clock of the same injector; NULL for id -1. */
const mr_fault_clock *mr__faults_clock(mr_sim *sim, const mr_component *self, int64_t id,
                                       mr_diag *diag, int *rc);

#endif
