/* include/mrsim/cfg/store.h: what every data store kind shares (family
 * "store"). A kind's cfg begins with mr_store_base; the rest is the kind's
 * own keys. The base is filled in three steps:
 * - the kind's key table binds the keys every store has, with the kind's
 *   defaults (replication.lag, replication.hold, failover.*);
 * - the scenario binder fills the copies from the family's keys
 *   (`primary` and `replicas` for a single-writer store, `regions` and
 *   `write_regions` for an account of several regions, whichever rows the
 *   kind's table has);
 * - the builder fills the links of one replication (regions' component
 *   ids, the round trips, the fault injector).
 * Copies are named by region index (position among the scenario's
 * regions), never by component id. */
#ifndef MRSIM_CFG_STORE_H
#define MRSIM_CFG_STORE_H

#include <stdint.h>

#include "mrsim/cfg/region.h"
#include "mrsim/rng.h"
#include "mrsim/simtime.h"

#define MR_FAILOVER_MODE_MAP(X) X(AUTOMATIC, "automatic") X(MANUAL, "manual")

typedef enum mr_failover_mode {
#define X(c, s) MR_FAILOVER_##c,
    MR_FAILOVER_MODE_MAP(X)
#undef X
} mr_failover_mode;

/* The most copies (regions) one store keeps. */
#define MR_STORE_MAX_COPIES 8

typedef struct mr_store_base {
    /* Bound through the kind's table. */
    mr_dist lag;       /* replication lag (docs/model.md rule 4) */
    mr_dist hold;      /* how long each draw of the lag holds (rule 4) */
    mr_time sample;    /* deprecated replication.sample: 0 unless written, then
                        * hold is const(sample), the old grid */
    int mode;          /* mr_failover_mode (an enum key: bound as int) */
    mr_time grace;     /* automatic: wait before failing over with data loss; 0: decision */
    mr_dist decision;  /* manual: detection and decision */
    mr_dist duration;  /* the switch itself */
    /* Filled by the scenario binder from the family's keys: the copies in
     * the kind's order (single writer: the primary, then the replicas; an
     * account: its regions in failover priority). */
    int64_t ncopies;
    int64_t copy[MR_STORE_MAX_COPIES];     /* region index */
    int64_t readable[MR_STORE_MAX_COPIES]; /* a replica serves reads (stale by the lag) */
    int64_t writable[MR_STORE_MAX_COPIES]; /* an account's write regions */
    /* Filled by the builder for each replication. */
    int64_t nregions;                   /* regions of the scenario */
    const mr_time *rtt;                 /* nregions x nregions round trips by index; NULL: 0 */
    int64_t region_id[MR_MAX_REGIONS];  /* component id of the region of index i */
    int64_t planned_mask;               /* bit f: fault f is a planned datastore_failover */
    mr_time warmup;                     /* the run's warm-up: reads before it not counted */
    double bytes_per_write;             /* replicated bytes per write (egress) */
    int64_t faults;                     /* the fault injector (its normal-time clock); -1: none */
    /* Set by the kind's check: a capacity limit is configured (Cosmos
     * ru_limit, SQL or Redis max_rps), which aggregate fidelity refuses
     * (sim/run/build.c). */
    int64_t capacity;
} mr_store_base;

#endif
