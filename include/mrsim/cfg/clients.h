/* include/mrsim/cfg/clients.h: the configuration of a client
 * population (models/clients.c at request fidelity, models/clients_agg.c at
 * aggregate fidelity) as the builder hands it. */
#ifndef MRSIM_CFG_CLIENTS_H
#define MRSIM_CFG_CLIENTS_H

#include <stdint.h>

#include "mrsim/cfg/region.h"
#include "mrsim/rng.h"
#include "mrsim/simtime.h"

#define MR_RUNTIME_CACHE_MAP(X) X(NONE, "none") X(JAVA, "java") X(CHROME, "chrome")
#define MR_PROFILE_MAP(X) X(CONST, "const") X(DIURNAL, "diurnal")

typedef enum mr_runtime_cache {
#define X(c, s) MR_CACHE_##c,
    MR_RUNTIME_CACHE_MAP(X)
#undef X
} mr_runtime_cache;
typedef enum mr_profile_kind {
#define X(c, s) MR_PROFILE_##c,
    MR_PROFILE_MAP(X)
#undef X
} mr_profile_kind;

#define MR_MAX_USES 8

typedef struct mr_clients_cfg {
    int64_t resolver;     /* component id of the resolver pool */
    int64_t traffic;      /* component id of the traffic layer */
    int64_t origin;       /* index of the region the clients are near */
    int64_t slo;          /* component id of the SLO collector */
    int64_t faults;       /* component id of the fault injector (aggregate: ramps); -1: none */
    int64_t res_base;     /* global index of the pool's first resolver */
    int64_t group_base;   /* client RTO group of (this population, the pool's first resolver) */
    double rate;          /* requests per second (times the profile) */
    int64_t profile;      /* mr_profile_kind */
    double peak, trough;  /* DIURNAL: multipliers of rate at peak_at and 12 h later */
    mr_time peak_at;      /* DIURNAL: time of day of the peak */
    double read;          /* share of reads (used by data stores) */
    mr_time timeout;
    int64_t attempts;     /* in all, the first included */
    mr_dist backoff;      /* wait after a failed attempt */
    int64_t runtime_cache; /* mr_runtime_cache */
    int64_t processes;     /* per resolver, each with its own runtime cache (>= 1) */
    mr_time rtt[MR_MAX_REGIONS]; /* round trip to the region of that index */
    int64_t pop;                 /* index of the population (session consistency) */
    int64_t nuses;               /* data stores each request uses, in order */
    int64_t uses[MR_MAX_USES];   /* their component ids */
    /* Front Door origins (bit sets over its origins) this population may
     * use: its home stamp's (0: every origin), then its fallbacks'. */
    int64_t home, fallback;
} mr_clients_cfg;


#endif
