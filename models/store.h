/* models/store.h: private to models/. The machinery every data store kind
 * shares (DESIGN.md "Data stores", rule 4): a log of acknowledged writes by
 * commit time, and an asynchronous replica's applied position.
 * Rule 4: applied(t) = max over s <= t of (s - lag(s)), where lag(s) is
 * drawn from the store's lag distribution at t = 0, sample, 2 x sample, ...
 * and held in between, so the position never moves backwards; a cut
 * replication link freezes it until the link returns. A forced failover at
 * t loses every write committed in (applied(t), t]: lost writes = their
 * number, RPO = the age at t of the oldest (0 if none).
 * The replica is advanced lazily: lags are drawn for the grid points passed
 * since the last query, in order, so the draws are the same whenever and
 * however often it is queried, and no event per sample is needed.
 * Invariants: log times are non-decreasing; best is the maximum of
 * (k + 1) x sample - lag_k over the finished intervals k (those not cut). */
#ifndef MRSIM_MODELS_STORE_H
#define MRSIM_MODELS_STORE_H

#include <stdint.h>

#include "mrsim/rng.h"
#include "mrsim/simtime.h"

typedef struct mr_store_log {
    mr_time *t;      /* ring buffer of commit times */
    size_t cap, head, n;
    uint64_t first_seq; /* sequence number of the oldest write held */
} mr_store_log;

void mr_store_log_init(mr_store_log *log);
void mr_store_log_fini(mr_store_log *log);
/* Appends a write committed at t (>= the last one); returns its sequence number. */
uint64_t mr_store_log_append(mr_store_log *log, mr_time t);
/* Writes committed after a (commit time > a). */
uint64_t mr_store_log_count_after(const mr_store_log *log, mr_time a);
/* The commit time of the oldest write committed after a, or -1 if none. */
mr_time mr_store_log_first_after(const mr_store_log *log, mr_time a);
/* Forgets the writes committed at or before t (every replica has them). */
void mr_store_log_trim(mr_store_log *log, mr_time t);

typedef struct mr_replica {
    const mr_dist *lag; /* not owned */
    mr_time sample;     /* the lag's sampling interval */
    mr_time next_grid;  /* the next grid point not yet passed */
    mr_time cur_lag;    /* lag of the current interval */
    mr_time best;       /* applied position reached by finished intervals */
    int cut;            /* the replication link is cut */
    mr_time frozen;     /* applied position when it was cut */
} mr_replica;

/* A replica whose first lag is drawn now, at t = 0. */
void mr_replica_init(mr_replica *r, const mr_dist *lag, mr_time sample, mr_rng *rng);
/* applied(t) for t >= every earlier query; may be negative early on (nothing applied). */
mr_time mr_replica_applied(mr_replica *r, mr_time t, mr_rng *rng);
/* The replication link is cut at t, or returns at t. */
void mr_replica_cut(mr_replica *r, mr_time t, mr_rng *rng);
void mr_replica_heal(mr_replica *r, mr_time t, mr_rng *rng);

/* The earliest time >= t at which applied >= t: when a planned failover
 * requested at t can switch without losing a write (the replica must hold
 * every write acknowledged up to t). With the link cut it never catches
 * up: MR_TIME_NEVER. */
mr_time mr_replica_caught_up(mr_replica *r, mr_time t, mr_rng *rng);

typedef struct mr_store_loss {
    uint64_t lost;  /* acknowledged writes the promoted replica lacks */
    double rpo_s;   /* age at t of the oldest of them; 0 when none */
} mr_store_loss;

/* What a forced failover to replica r at time t loses. */
mr_store_loss mr_store_forced_loss(const mr_store_log *log, mr_replica *r, mr_time t,
                                   mr_rng *rng);

#endif
