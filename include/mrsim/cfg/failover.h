/* include/mrsim/cfg/failover.h: the configuration of the failover
 * policy (models/failover.c) as the builder hands it: its trigger, its
 * actions on the clusters and stores, and how it fails back. */
#ifndef MRSIM_CFG_FAILOVER_H
#define MRSIM_CFG_FAILOVER_H

#include <stdint.h>

#include "mrsim/cfg/traffic.h"
#include "mrsim/rng.h"

#define MR_FAILOVER_TRIGGER_MAP(X)                                                                 \
    X(PROBES, "probes") X(DATASTORE, "datastore") X(OPERATOR, "operator")
#define MR_FAILBACK_MAP(X) X(MANUAL, "manual") X(AUTOMATIC, "automatic") X(NONE, "none")

typedef enum mr_failover_trigger {
#define X(c, s) MR_TRIGGER_##c,
    MR_FAILOVER_TRIGGER_MAP(X)
#undef X
} mr_failover_trigger;
typedef enum mr_failback_mode {
#define X(c, s) MR_FAILBACK_##c,
    MR_FAILBACK_MAP(X)
#undef X
} mr_failback_mode;

#define MR_MAX_ACTIONS 16
enum { MR_ACT_SCALE = 0, MR_ACT_PROMOTE = 1 };

typedef struct mr_failover_cfg {
    int64_t trigger;           /* mr_failover_trigger */
    mr_dist decision;          /* OPERATOR: from a fault's start to the actions */
    int64_t nactive;
    int64_t active[MR_MAX_ENDPOINTS]; /* cluster ids whose endpoint failing triggers (PROBES) */
    int64_t nactions;
    int64_t act[MR_MAX_ACTIONS];     /* MR_ACT_* */
    int64_t target[MR_MAX_ACTIONS];  /* component id */
    int64_t to[MR_MAX_ACTIONS];      /* SCALE: nodes on failover */
    int64_t back_to[MR_MAX_ACTIONS]; /* SCALE: nodes on failback (the standby size) */
    int64_t failback;          /* mr_failback_mode */
    mr_dist failback_delay; /* MANUAL: decision; AUTOMATIC: its own delay */
    /* The runbook (docs/model.md "Failover and failback"): disable the
     * traffic layer's endpoint of a cluster missing the SLO. */
    int64_t runbook;        /* 1: disable_endpoint */
    int64_t traffic;        /* component id of the traffic layer it disables endpoints of */
    mr_dist detect;         /* from the SLO's miss to the operator's decision */
    mr_dist delay;          /* from the decision to the endpoint disabled */
    double success_target;  /* slo.success_target: a cluster failing more misses it */
    mr_time window;         /* slo.window: the operator looks again at each boundary */
} mr_failover_cfg;


#endif
