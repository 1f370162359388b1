/* models/clients.h: private to models/: the state of a
 * client population at request fidelity, and the runtime caches' rule both
 * fidelities read. */
#ifndef MRSIM_MODELS_CLIENTS_H
#define MRSIM_MODELS_CLIENTS_H

#include <stdint.h>

#include "mrsim/sim.h"
#include "mrsim/cfg/clients.h"
#include "mrsim/model.h"
#include "mrsim/rng.h"
#include "slo.h"
#include "traffic.h"

/* The processes per resolver a population's requests spread over: each
 * has its own runtime cache; without one they are indistinguishable, so
 * one. */
static inline uint32_t mr_runtime_processes(const mr_clients_cfg *cfg)
{
    if (cfg->runtime_cache == MR_CACHE_NONE || cfg->processes < 1)
        return 1;
    return (uint32_t)cfg->processes;
}

/* How long a client runtime's cache keeps an answer whose TTL is ttl
 * (both fidelities read it). docs/reference.md §4: Java caches positive
 * answers 30 s regardless of the TTL; Chromium keeps the record TTL with a
 * 60 s floor. */
static inline mr_time mr_runtime_hold(int64_t runtime_cache, mr_time ttl)
{
    if (runtime_cache == MR_CACHE_JAVA)
        return 30 * MR_S;
    return ttl > 60 * MR_S ? ttl : 60 * MR_S;
}

typedef struct mr_clients_state {
    mr_component *pool;
    mr_slo_state *slo;
    mr_rng *arrivals, *pick, *service, *retry; /* one stream per purpose */
    mr_rng *mix;                 /* read or write, for the stores */
    mr_component *store[MR_MAX_USES];
    mr_rng *fate;         /* partial failures, Front Door's weighted choice */
    /* The traffic layer when it is a proxy in the request path that routes
     * each request itself (Front Door), else NULL; its ops, entry points,
     * and whether it retries a refused connection at the next endpoint. */
    mr_component *proxy;
    const mr_traffic_ops *proxy_ops;
    uint32_t edges;
    int retry_next;
    /* Runtime caches, one per (resolver i, process m) at i x nproc + m:
     * answer and expiry (rule 3: each process has its own phase). */
    uint32_t *rt_answer;
    mr_time *rt_expiry;
    uint32_t nres;
    uint32_t nproc; /* processes per resolver: 1 without a runtime cache */
    uint64_t requests, attempts, failures;
    uint64_t requests_normal;    /* while no fault was in force (the cost's run rate) */
    const struct mr_fault_clock *clock;
    uint64_t measured, succeeded; /* requests after the warm-up, and their successes */
    /* Its resolver pool's requests by answer (mr_resolver_state used,
     * nused): read at start, when every link has run. */
    uint64_t *used;
    uint32_t nused;
} mr_clients_state;


#endif
