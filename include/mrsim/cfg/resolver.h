/* include/mrsim/cfg/resolver.h: the configuration of a
 * resolver pool (models/dns_resolver.c) as the builder hands it: its
 * authority, where it sits, and the TTL behaviours of its resolvers. */
#ifndef MRSIM_CFG_RESOLVER_H
#define MRSIM_CFG_RESOLVER_H

#include <stdint.h>

#include "mrsim/rng.h"
#include "mrsim/simtime.h"

#define MR_TTL_MODE_MAP(X) X(HONOR, "honor") X(FLOOR, "floor") X(EXTRA, "extra")

typedef enum mr_ttl_mode {
#define X(c, s) MR_TTL_##c,
    MR_TTL_MODE_MAP(X)
#undef X
} mr_ttl_mode;

#define MR_MAX_TTL_POLICIES 4

typedef struct mr_ttl_policy {
    double share;
    int64_t mode; /* mr_ttl_mode */
    mr_time min_ttl; /* FLOOR */
    mr_dist hold;    /* EXTRA: added to the TTL at every refresh */
} mr_ttl_policy;

typedef struct mr_resolver_cfg {
    int64_t tm;    /* component id of the authority (the traffic layer) */
    int64_t origin; /* region the resolvers sit near (performance routing); -1 unknown */
    int64_t count; /* resolvers in the pool */
    int64_t faults; /* component id of the fault injector (its normal-time clock); -1: none */
    int64_t npol;
    mr_ttl_policy pol[MR_MAX_TTL_POLICIES];
} mr_resolver_cfg;


#endif
