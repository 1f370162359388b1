/* models/resolver.h: private to models/: resolver pools
 * (rule 3 of docs/model.md): each resolver's cached answer and when it
 * expires. */
#ifndef MRSIM_MODELS_RESOLVER_H
#define MRSIM_MODELS_RESOLVER_H

#include <stdint.h>

#include "mrsim/sim.h"
#include "mrsim/cfg/resolver.h"
#include "mrsim/model.h"

typedef struct mr_resolver_state {
    uint32_t *answer;  /* cached cluster id per resolver */
    mr_time *expiry;   /* when it must ask again */
    uint8_t *policy;   /* index into cfg->pol */
    const mr_component *tm;
    const struct mr_fault_clock *clock; /* normal time, for the cost's run rate */
    uint64_t refreshes;
    uint64_t refreshes_normal; /* while no fault was in force */
    int hub; /* aggregate fidelity: the hub keeps the answers (and gives the mix) */
    /* Request fidelity: the requests its clients issued, by the answer
     * their first attempt used (a cluster's component id; MR_NO_ANSWER and
     * MR_BAD_ANSWER at [nused]): one increment a request, read by the
     * vectors' request_share (resolver_sample). nused + 1 entries. */
    uint64_t *used;
    uint32_t nused;
} mr_resolver_state;

/* The answer resolver i gives at time now, asking the authority first if
 * its entry has expired (rule 3). */
uint32_t mr__resolver_lookup(mr_component *pool, uint32_t i, mr_time now);
/* The mean of mr__resolver_hold for resolver i, in seconds (a hold
 * without a mean: its median). */
double mr__resolver_mean_hold_s(const mr_component *pool, uint32_t i);
/* How long resolver i keeps an answer fetched now (draws an extra hold). */
mr_time mr__resolver_hold(mr_component *pool, uint32_t i);


#endif
