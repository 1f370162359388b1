/* include/mrsim/cfg/traffic.h: what every traffic layer kind
 * shares: its endpoints and the routing methods. */
#ifndef MRSIM_CFG_TRAFFIC_H
#define MRSIM_CFG_TRAFFIC_H

#include <stdint.h>

#include "mrsim/cfg/region.h"
#include "mrsim/simtime.h"

#define MR_MAX_ENDPOINTS 16

/* What the builder hands every traffic layer kind: its endpoints (Front
 * Door's origins) and its links. A kind's cfg begins with this struct; the
 * rest is the kind's own keys, bound through its parameter table. */
typedef struct mr_traffic_base {
    int64_t n;                          /* endpoints */
    int64_t cluster[MR_MAX_ENDPOINTS];  /* their clusters' component ids */
    int64_t priority[MR_MAX_ENDPOINTS]; /* lower first */
    double weight[MR_MAX_ENDPOINTS];    /* among equal priorities */
    /* The round trip from a client near the region of index r to
     * endpoint e (performance routing, Front Door's latency window). */
    mr_time rtt[MR_MAX_REGIONS][MR_MAX_ENDPOINTS];
    int64_t watcher;  /* told of every health change (MR_MSG_ENDPOINT_STATUS); -1: none */
    int64_t faults;   /* component id of the fault injector (ramped outages); -1: none */
    /* Aggregate fidelity: probes of a quiescent endpoint sleep until
     * MR_MSG_WAKE, and every change is told to `listener` (the hub). */
    int64_t lazy;
    int64_t listener;
} mr_traffic_base;

#define MR_ROUTING_MAP(X)                                                                          \
    X(PRIORITY, "priority") X(WEIGHTED, "weighted") X(PERFORMANCE, "performance")

typedef enum mr_routing {
#define X(c, s) MR_ROUTING_##c,
    MR_ROUTING_MAP(X)
#undef X
} mr_routing;

#endif
