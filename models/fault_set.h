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


/* The fault table of the injector with component id `id`, which the
 * builder hands a target that reads ramps; NULL for id -1 (no faults).
 * When id names no fault injector, a diagnostic, *rc = MR_ENOCOMP and NULL. */
const mr_faults_cfg *mr__faults_link(mr_sim *sim, const mr_component *self, int64_t id,
                                     mr_diag *diag, int *rc);

#endif
