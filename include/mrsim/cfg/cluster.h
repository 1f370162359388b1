/* include/mrsim/cfg/cluster.h: the configuration of an AKS
 * cluster (models/cluster.c) and of a shared dependency (models/dependency.c)
 * as the builder hands them: sizes, timings, and the component ids of the
 * region and the dependencies it links to. */
#ifndef MRSIM_CFG_CLUSTER_H
#define MRSIM_CFG_CLUSTER_H

#include <stdint.h>

#include "mrsim/cfg/region.h"
#include "mrsim/rng.h"
#include "mrsim/simtime.h"

#define MR_NEEDED_FOR_MAP(X) X(REQUESTS, "requests") X(POD_START, "pod_start")

typedef enum mr_needed_for {
#define X(c, s) MR_NEEDED_FOR_##c,
    MR_NEEDED_FOR_MAP(X)
#undef X
} mr_needed_for;

#define MR_MAX_DEPS 8 /* shared dependencies one cluster relies on */

/* What every ingress kind's cfg begins with (family "ingress": AGC, NGINX):
 * the latency it adds to every request; the rest is the kind's own keys. */
typedef struct mr_ingress_cfg {
    mr_time latency;
    int64_t faults; /* component id of the fault injector (ramps); -1: none */
} mr_ingress_cfg;

typedef struct mr_dep_cfg {
    int64_t region; /* component id of its region; -1: global */
} mr_dep_cfg;


typedef struct mr_cluster_cfg {
    int64_t region;            /* component id of its region */
    int64_t faults;            /* component id of the fault injector (ramps); -1: none */
    int64_t nodes;             /* nodes at the start (hot: count; warm: min; cold: 0) */
    int64_t pods;              /* per_node == 0 only: a fixed pool of serving pods */
    int64_t per_node;          /* pods per node; 0: the fixed pool, no autoscaler */
    int64_t min, max;          /* autoscaler floor and ceiling, in nodes */
    double target_utilization; /* offered load / capacity the autoscaler aims at */
    mr_dist startup;           /* pod start-up (image pull included) */
    mr_dist provision;         /* node provisioning */
    int64_t nzones;            /* zones the nodes are spread over; 0 or 1: one */
    int64_t zone[MR_MAX_ZONES]; /* their 1-based numbers in the region (0: no zones) */
    int64_t ndeps;
    int64_t dep[MR_MAX_DEPS];     /* component ids of the dependencies it uses */
    int64_t dep_for[MR_MAX_DEPS]; /* mr_needed_for */
    double rps_per_pod;        /* a pod's throughput (mean): capacity is pods x rps_per_pod */
    mr_dist service_time;      /* a request's time in service: its latency and its slot's hold */
    int64_t ingress;           /* component id of its regional ingress; -1: none */
    /* A cold standby's steps (clusters[].cold): the cluster does not exist
     * until a scale action creates it (create), and each pod pulls its
     * image (image_pull) before pods.startup. 0: neither. */
    int64_t cold_steps;
    mr_dist create;
    mr_dist image_pull;
} mr_cluster_cfg;

/* The cluster queue (docs/model.md "The cluster queue"), a G/G/c queue:
 * each pod has mr_cluster_slots(rps_per_pod, mean service time in s)
 * slots, max(1, round(rps_per_pod x mean)) (half up), and the queue's
 * servers are the serving pods' slots. 0 when that is not a number of
 * slots: the mean is not finite, or one pod would have more than
 * MR_CLUSTER_MAX_SERVERS (the scenario is refused). The bound on a
 * cluster's servers (pods x slots, each an 8-byte free time reserved
 * before the run: 128 MiB) is ours: no Azure figure, a memory guard. */
#define MR_CLUSTER_MAX_SERVERS (1u << 24)

static inline uint32_t mr_cluster_slots(double rps_per_pod, double mean_service_s)
{
    double x = rps_per_pod * mean_service_s;
    if (!(x >= 0) || x >= (double)MR_CLUSTER_MAX_SERVERS)
        return 0;
    return x < 1.5 ? 1u : (uint32_t)(x + 0.5);
}


#endif
