/* include/mrsim/cfg/faults.h: the configuration of the fault
 * injector (models/faults.c) as the builder hands it: one row per fault of
 * the scenario, its timing and the component ids of its candidate targets,
 * and who else hears of every start and end. Components that read a fault's
 * ramp keep a link to this table (the injector's cfg). */
#ifndef MRSIM_CFG_FAULTS_H
#define MRSIM_CFG_FAULTS_H

#include <stdint.h>

#include "mrsim/rng.h"
#include "mrsim/simtime.h"

#define MR_MAX_FAULTS 32
enum { MR_FT_AT = 0, MR_FT_MTBF = 1, MR_FT_REPEAT = 2, MR_FT_AFTER = 3 };
#define MR_MAX_FAULT_TARGETS 64
#define MR_MAX_WATCHERS 4
#define MR_MAX_STORES 16
/* mr_msg_fault.flags */
enum { MR_FAULT_F_RAMP = 1, MR_FAULT_F_INVERT = 2 };

typedef struct mr_fault_cfg {
    int64_t kind;   /* the scenario's fault kind, carried in the messages */
    int64_t timing; /* MR_FT_* */
    /* Targets: every candidate (pick == ncand) or `pick` of them drawn
     * anew at each start (a selector with mode one, count or percent). */
    int64_t ncand;
    int64_t cand[MR_MAX_FAULT_TARGETS]; /* component ids */
    int64_t pick;
    int64_t zone;       /* zone_outage: the 1-based zone */
    int64_t peer;       /* network_partition: the other region's id; -1 = clients */
    int64_t side[2];    /* network_partition: the indices of its regions (-1: clients) */
    int64_t invert;     /* gray_failure: probes fail while requests pass */
    double severity;    /* share of requests affected (no ramp) */
    int64_t ramp;       /* severity goes from ramp_from to ramp_to over ramp_over */
    double ramp_from, ramp_to;
    mr_time ramp_over;
    mr_dist at;        /* AT: start time, drawn once per replication */
    mr_dist duration;  /* AT, REPEAT, AFTER */
    mr_dist mtbf, mttr; /* MTBF: up time, then down time */
    mr_time every, jitter; /* REPEAT: starts at k x every +- U(jitter), k = 1.. */
    int64_t count;         /* REPEAT: starts in all; 0 = until the horizon */
    int64_t after;         /* AFTER: the fault whose every start starts this one */
    mr_dist delay;         /* AFTER: from that start */
} mr_fault_cfg;

typedef struct mr_faults_cfg {
    int64_t slo; /* component id of the SLO collector */
    int64_t n;
    int64_t nwatch;                   /* components told of every start and end */
    int64_t watcher[MR_MAX_WATCHERS]; /* (the failover policy, a DNS operator) */
    int64_t nstores;                  /* data stores: told of every region outage and */
    int64_t store[MR_MAX_STORES];     /* partition, to re-read their regions */
    mr_fault_cfg f[MR_MAX_FAULTS];
} mr_faults_cfg;



#endif
