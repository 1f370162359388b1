/* models/failover.h: private to models/: the failover policy's state
 * (models/failover.c), which tests read to follow a drill step by step. */
#ifndef MRSIM_MODELS_FAILOVER_H
#define MRSIM_MODELS_FAILOVER_H

#include <stdint.h>

#include "mrsim/cfg/failover.h"
#include "mrsim/event.h"
#include "mrsim/simtime.h"

typedef struct mr_failover_state {
    int phase;           /* normal, deciding, failed over, failing back */
    int32_t unhealthy;   /* PROBES: active endpoints unhealthy now */
    int32_t faults;      /* OPERATOR: faults in force */
    uint8_t bad[MR_MAX_ENDPOINTS]; /* PROBES: per endpoint index */
    mr_handle pending;   /* the decision or failback timer */
    uint64_t failovers, failbacks;
    mr_time first_failover; /* -1: none */
} mr_failover_state;

#endif
