/* models/failover.h: private to models/: the failover policy's state
 * (models/failover.c), which tests read to follow a drill step by step. */
#ifndef MRSIM_MODELS_FAILOVER_H
#define MRSIM_MODELS_FAILOVER_H

#include <stdint.h>

#include "cluster.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/event.h"
#include "mrsim/simtime.h"

typedef struct mr_failover_state {
    int phase;           /* normal, deciding, failed over, failing back */
    int32_t unhealthy;   /* PROBES: active endpoints unhealthy now */
    int32_t faults;      /* OPERATOR: faults in force */
    uint8_t bad[MR_MAX_ENDPOINTS]; /* PROBES: per endpoint index: probe_bad or off */
    uint8_t probe_bad[MR_MAX_ENDPOINTS]; /* PROBES: the traffic layer's last verdict */
    mr_handle pending;   /* the decision or failback timer */
    uint64_t failovers, failbacks;
    mr_time first_failover; /* -1: none */
    /* The runbook: per endpoint of the traffic layer, where the operator
     * is (RB_* in failover.c) and its timer; the ramped faults in force
     * (it looks again at every SLO window boundary while there is one). */
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS];
    int64_t n;
    uint8_t op[MR_MAX_ENDPOINTS];
    uint8_t off[MR_MAX_ENDPOINTS]; /* disabled by the runbook */
    int32_t noff;
    mr_handle op_timer[MR_MAX_ENDPOINTS];
    int32_t rb_ramps; /* ramped faults in force */
    int poll_pending;
    uint64_t disables, enables;
    mr_time first_disable; /* -1: none */
    mr_rng *rb_rng;
} mr_failover_state;

#endif
