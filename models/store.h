/* models/store.h: private to models/. The machinery every data store kind
 * shares (docs/model.md "Data stores", rule 4): a log of acknowledged writes by
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mrsim/model.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/rng.h"
#include "mrsim/stats.h"
#include "mrsim/simtime.h"
#include "cluster.h"
#include "fifo.h"
#include "mrsim/cfg/store.h"

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

/* The lag process of rule 4: a lag drawn and held for a hold drawn from
 * `hold` (both not owned), then drawn again; a constant hold h keeps the
 * grid 0, h, 2h, ... aligned to t = 0 (hold NULL, sample = h). */
typedef struct mr_replica {
    const mr_dist *lag; /* not owned */
    const mr_dist *hold; /* not owned; NULL: the constant hold `sample` (a grid) */
    mr_time sample;     /* the constant hold, when hold is NULL */
    mr_time start;      /* start of the current hold */
    mr_time next_grid;  /* its end: the next draw not yet passed */
    mr_time cur_lag;    /* lag of the current interval */
    mr_time best;       /* applied position reached by finished intervals */
    int cut;            /* the replication link is cut */
    mr_time frozen;     /* applied position when it was cut */
} mr_replica;

/* A replica whose first lag is drawn now, at t = 0, held for `sample`
 * each time (the grid). */
void mr_replica_init(mr_replica *r, const mr_dist *lag, mr_time sample, mr_rng *rng);
/* The same with holds drawn from `hold`; a constant hold (or a hold of 0,
 * as a cfg built by hand holds) is the grid of that length (of `sample`
 * for 0, or 1 s when that is 0 too), so no number is drawn for it. */
void mr_replica_init_hold(mr_replica *r, const mr_dist *lag, const mr_dist *hold, mr_time sample,
                          mr_rng *rng);
/* What monitoring shows: the realised lag now - applied(now), in seconds
 * (0 when nothing was written yet to be behind on). */
double mr_replica_lag_s(mr_replica *r, mr_time now, mr_rng *rng);
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

/* Restarts a replica at t as a fresh copy holding every write up to t (a
 * replica reseeded from a new primary after a failover); its lags are drawn
 * on the grid after t. */
void mr_replica_restart(mr_replica *r, mr_time t, mr_rng *rng);

/* What a forced failover loses when the promoted copy holds every write
 * up to `applied`, with the RPO measured at t_ref (the failure: the
 * moment the primary stopped, or the failover itself when it was up). */
mr_store_loss mr_store_loss_from(const mr_store_log *log, mr_time applied, mr_time t_ref);

/* ---- the store component interface, common to every kind ------------------
 * A request that uses a store calls its access function when the cluster
 * has accepted it (clients.c): the store says whether it can serve it and
 * how much latency it adds, and records its own metrics (staleness of
 * reads, lost writes, conflicts). Each kind's state begins with an
 * mr_store_head, which is how clients and the runner find these. */
#define MR_STORE_MAX_FAILOVERS 64

/* Outcome of one access. */
enum { MR_ACCESS_FAIL = 0, MR_ACCESS_OK = 1, MR_ACCESS_HIT = 2 /* a cache served the read */ };

typedef struct mr_store_failover {
    uint32_t fault;  /* the fault whose episode it belongs to, or UINT32_MAX */
    uint32_t forced;
    uint64_t lost;
    double rpo_s;
    mr_time at;
} mr_store_failover;

typedef struct mr_store_head mr_store_head;
typedef struct mr_store_agg mr_store_agg;
/* region: component id of the region the request is served from (the
 * cluster's); pop: the client population's index, for session consistency. */
typedef int (*mr_store_access_fn)(mr_component *store, mr_time now, uint32_t region,
                                  uint32_t pop, int is_write, mr_time *latency);

struct mr_store_head {
    mr_store_access_fn access;
    /* The key of the request about to call access, uniform in [0, 1) and
     * the same over its retries (clients.c sets it): a cache's read is a
     * hit when key < its hit ratio, so a retried miss stays a miss. */
    double key;
    /* How long the request about to call access may still wait for the
     * store's capacity (clients.c sets it: its timeout less what it has
     * spent): its client cancels it then, so the SDK's 429 retries stop
     * and a queue drops it, and a request the client gave up never
     * claims capacity (docs/model.md "Store capacity"). MR_TIME_NEVER: no
     * limit (a store driven without clients). */
    mr_time patience;
    uint64_t reads, stale_reads, failed_reads;
    uint64_t writes, failed_writes, throttled, conflicts;
    uint64_t record_reads; /* redis: misses passed to the store of record */
    uint64_t max_versions; /* the most versions a read was behind */
    double max_staleness_ms;
    mr_hist staleness_ms;  /* every read served after the warm-up, 0 when up to date */
    mr_hist lag_s;         /* realised replication lag, sampled every MR_STORE_LAG_EVERY */
    double last_lag_s;     /* the largest over its replicas at the last sample (NaN: none yet) */
    mr_time last_lag_t;
    mr_time next_lag;      /* the next lag sample due */
    mr_time warmup;        /* reads before it are not counted (docs/model.md rule 6) */
    mr_store_failover fo[MR_STORE_MAX_FAILOVERS];
    size_t nfo;
    double replicated_bytes; /* geo-replication traffic, for egress cost */
    double replicated_bytes_normal; /* the part while no fault was in force (run rate) */
    const struct mr_fault_clock *clock; /* the run's normal time; NULL: always normal */
    mr_time normal_mark; /* aggregate: the normal time at the last advance */
    mr_store_agg *agg;       /* aggregate fidelity only; NULL at request fidelity */
    /* Capacity (docs/model.md "Store capacity"), counted after the warm-up
     * as every read is (rule 6); reported only when a limit is configured,
     * so the results of a store without one keep their scalars. */
    int capacity;            /* a limit is configured */
    uint64_t cap_throttled;  /* attempts refused: Cosmos 429 answers (retries included); a
                              * queue: requests that would wait past queue_timeout */
    uint64_t cap_failed;     /* requests failed for capacity (after the SDK's retries) */
    uint64_t cap_served;     /* requests served through the limit */
    double cap_wait_s;       /* their summed wait for capacity (retry-after waits, queueing) */
};

void mr_store_head_init(mr_store_head *h, mr_store_access_fn access);
/* Links the head to the fault injector's normal-time clock (base->faults). */
int mr_store_head_link(mr_store_head *h, mr_component *self, mr_sim *sim, int64_t faults,
                       mr_diag *diag);
/* bytes shipped to other regions now (the cost's egress). */
void mr_store_replicated(mr_store_head *h, double bytes);
void mr_store_head_fini(mr_store_head *h);
/* A read served by a copy holding every write of log up to applied. */
void mr_store_read(mr_store_head *h, const mr_store_log *log, mr_time applied, mr_time now);
/* A read served `versions` writes behind, the oldest it lacks age_ms old
 * (not counted in the warm-up). */
void mr_store_note_read(mr_store_head *h, mr_time now, uint64_t versions, double age_ms);
void mr_store_add_failover(mr_store_head *h, uint32_t fault, int forced, mr_store_loss loss,
                           mr_time now);
/* The realised lag is sampled every 10 s (ours: a monitoring interval), at
 * the first access at or after each due instant at request fidelity and at
 * the staleness samples at aggregate fidelity. mr_store_lag_due says
 * whether a sample is due at now (and moves the next one past now); the
 * kind then notes the lag of each replica (not in the warm-up). */
#define MR_STORE_LAG_EVERY (10 * MR_S)
int mr_store_lag_due(mr_store_head *h, mr_time now);
void mr_store_note_lag(mr_store_head *h, mr_time now, double lag_s);
/* The scalars every store reports (component = its name): rpo_s (the worst
 * forced failover, 0 when none), lost_writes, stale_read_ratio,
 * staleness_ms_p99, lag_s_p50, lag_s_p99 (the realised lag), write_conflicts,
 * reads, writes, failed_reads,
 * failed_writes, throttled, failovers, replicated_bytes (what the cost
 * model bills as egress; the stores' prices come from the scenario there),
 * then per failover "failover_fault", "failover_rpo_s", "failover_lost",
 * "failover_at_s"; and the store record (mrsim/report.h) the metrics read:
 * reads, stale reads, conflicts, staleness and the failovers. */
void mr_store_report(const mr_store_head *h, const char *name, mr_report *out);
/* Vectors of every store kind (whose state begins with its head): the
 * realised lag as monitoring last saw it, the largest over its replicas. */
size_t mr_store_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                       size_t cap);
void mr_store_sample(const mr_component *self, mr_time now, double *out);

/* ---- the store family's keys ------------------------------------------------
 * Rows every store kind's table may share (kinds that differ give their own
 * rows, with their own defaults). The shape rows are bound by the scenario
 * binder into the base's copies: a kind's table holds the primary rows (a
 * single writer and its replicas) or the account rows (regions, write
 * regions). */
extern const char *const mr_store_failover_mode_names[];

#define MR_STORE_PRIMARY_ROWS                                                                      \
    {.key = "primary",                                                                             \
     .type = MR_PARAM_T_CODE,                                                                      \
     .required = true,                                                                             \
     .type_doc = "region name",                                                                    \
     .doc = "the writable region",                                                                 \
     .ref = "-"},                                                                                  \
    {                                                                                              \
        .key = "replicas", .type = MR_PARAM_T_CODE, .type_doc = "sequence of {region, readable}",   \
        .doc = "geo-secondaries", .ref = "-"                                                       \
    }
#define MR_STORE_ACCOUNT_ROWS                                                                      \
    {.key = "regions",                                                                             \
     .type = MR_PARAM_T_CODE,                                                                      \
     .required = true,                                                                             \
     .type_doc = "sequence of region names",                                                       \
     .doc = "every region of the account, in failover priority",                                  \
     .ref = "-"},                                                                                  \
    {                                                                                              \
        .key = "write_regions", .type = MR_PARAM_T_CODE, .type_doc = "sequence of region names",   \
        .doc = "writable regions, a subset of regions; the first region when absent; several = "   \
               "multi-region writes",                                                              \
        .ref = "ours"                                                                              \
    }
/* How long each draw of the lag holds (docs/model.md rule 4, revised):
 * exponential with mean 60 s by default, so the realised lag follows the
 * configured distribution; and the deprecated replication.sample, read as
 * hold: const(sample) (the old grid) with a warning (mr__store_check_hold).
 * cfg is the kind's cfg type, base the path of its mr_store_base in it. */
#define MR_STORE_SAMPLE_ROW(cfg, base)                                                                   \
    {                                                                                              \
        .key = "replication.hold", .type = MR_PARAM_T_DIST_TIME,                                   \
        .off = offsetof(cfg, base.hold), .def = "exponential(60s)",                                \
        .doc = "how long each draw of the lag holds; a constant hold h draws on the grid 0, h, "   \
               "2h, ...",                                                                          \
        .ref = "ours: shared DESIGN.md rule 4 (revised): 60 s, exponential"                        \
    },                                                                                             \
    {                                                                                              \
        .key = "replication.sample", .type = MR_PARAM_T_DURATION,                                  \
        .off = offsetof(cfg, base.sample), .def = NULL, .lo = (double)MR_MS,                       \
        .hi = 3600 * (double)MR_S,                                                                 \
        .doc = "deprecated: read as replication.hold: const(sample), with a warning",              \
        .ref = "ours (simulation setting, deprecated)"                                             \
    }
/* A kind's check calls this: a written replication.sample becomes
 * hold: const(sample) with a deprecation warning (both written: refused). */
int mr__store_check_hold(mr_store_base *base, mr_param_ctx *ctx);
/* One access within the copy's region (the round trip to it comes on top):
 * a distribution. docs/reference.md publishes none for SQL, Redis or Blob
 * (§5, §7, §8), so the default is 0 and a scenario states its own, e.g.
 * lognormal(2ms, 0.5). */
#define MR_STORE_LATENCY_ROW(cfg, field)                                                           \
    {                                                                                              \
        .key = "latency", .type = MR_PARAM_T_DIST_TIME, .off = offsetof(cfg, field), .def = "0s", \
        .doc = "one access within its region, a duration distribution",                           \
        .ref = "ours: docs/reference.md §5, §7, §8 publish no access latency"                      \
    }
/* Ours: no docs/reference.md figure for a human decision. */
#define MR_STORE_DECISION_ROW(cfg, base)                                                                 \
    {                                                                                              \
        .key = "failover.decision", .type = MR_PARAM_T_DIST_TIME,                                  \
        .off = offsetof(cfg, base.decision), .def = "triangular(10m, 20m, 1h)",                    \
        .doc = "manual mode: detection and decision before the switch",                            \
        .ref = "ours (docs/scenario-format.md example)"                                                        \
    }

/* ---- store capacity (docs/model.md "Store capacity") -----------------------
 * Cosmos DB's provisioned throughput is a budget of request units per
 * region and per second of simulated time (whole seconds from t = 0). An
 * attempt that fits the budget of its second is served and claims its
 * units; one that does not is answered 429, and the SDK retries after the
 * retry-after delay, which the service sets to the start of the next
 * second (when the budget is back: ours), until `retries` retries or a
 * total wait past max_wait, then fails the request. The retries are
 * resolved when the request arrives (no event each): a retry claims the
 * budget of a later second ahead of the requests that arrive after the
 * first attempt. A 429 claims nothing, so under a sustained overload
 * every second's budget is used and the served share is budget / offered.
 * The budget looks ahead at most MR_RU_RING - 4 seconds, hence the bounds
 * on retries and max_wait (cosmos.c keys). */
#define MR_RU_RING 64
#define MR_RU_LOOKAHEAD (MR_RU_RING - 4)

typedef struct mr_ru_budget {
    double per_s;            /* request units a second; 0: unlimited */
    int64_t sec[MR_RU_RING]; /* the second each slot counts; -1: none yet */
    double used[MR_RU_RING]; /* units claimed in it */
} mr_ru_budget;

void mr_ru_budget_init(mr_ru_budget *b, double per_s);
/* An attempt at now costing `cost` units, retried as above. Returns the
 * wait before the attempt that is served (0 when the first is), or -1
 * when the SDK gives up; *n429 gets the 429 answers. */
mr_time mr_ru_claim(mr_ru_budget *b, mr_time now, double cost, int retries, mr_time max_wait,
                    uint32_t *n429);
/* Counts one request's meeting with a capacity limit at now: served
 * after `wait` (>= 0) or failed (wait < 0), `throttled` refusals on the
 * way. Not counted in the warm-up. */
void mr_store_cap_note(mr_store_head *h, mr_time now, mr_time wait, uint32_t throttled);

/* Capacity keys of a single-primary kind (sql, redis): max_rps (absent:
 * unlimited, as before store capacity) and queue_timeout, whose default
 * and source the kind gives. */
#define MR_PSTORE_CAPACITY_ROWS(timeout_def, timeout_ref)                                          \
    {.key = "max_rps",                                                                             \
     .type = MR_PARAM_T_RATE,                                                                      \
     .off = offsetof(mr_pstore_cfg, max_rps),                                                      \
     .def = NULL,                                                                                  \
     .lo = 0,                                                                                      \
     .hi = 1e9,                                                                                    \
     .doc = "most requests a second each copy serves: one server of service time 1 / max_rps "    \
            "behind a FIFO queue; absent: unlimited",                                              \
     .ref = "ours: docs/reference.md §5, §7 publish no request rate (it depends on the tier)"},    \
    {                                                                                              \
        .key = "queue_timeout", .type = MR_PARAM_T_DURATION,                                       \
        .off = offsetof(mr_pstore_cfg, queue_timeout), .def = timeout_def, .lo = 0,               \
        .hi = 3600 * (double)MR_S,                                                                 \
        .doc = "with max_rps: a request that would wait longer in the queue fails",                \
        .ref = timeout_ref                                                                         \
    }

/* The store family's method table (mr_model.ops of every store kind). */
typedef struct mr_store_ops {
    /* Puts the store in aggregate fidelity, telling hub of every change. */
    void (*agg_enable)(mr_component *self, uint32_t hub);
} mr_store_ops;

/* The head of a store component (its state begins with one), or NULL
 * when c is no store. */
mr_store_head *mr__store_head(const mr_component *c);
/* The base of a store kind's cfg (its first member). */
static inline const mr_store_base *mr__store_base(const mr_component *c)
{
    return c->cfg;
}

/* A client-side cache of where a store's primary is (the SQL listener's
 * DNS record, the Cosmos SDK's account topology): in steady state (rule 3)
 * it refreshes every `period` from a uniform phase. The first refresh at
 * or after t. */
mr_time mr_route_refresh(mr_time phase, mr_time period, mr_time t);

/* ---- aggregate fidelity (clients_agg.c) ---------------------------------
 * Requests are rates there, so a store is told rates instead of being
 * accessed one request at a time. Writes form a rate log (piecewise
 * constant rate of acknowledged writes, by commit time) instead of a log
 * of commit times: the writes of an interval are a Poisson process of that
 * intensity, exactly as request fidelity's Poisson arrivals make them, so
 * what a forced failover loses is drawn from it (mr_store_rlog_loss).
 * Replica positions (rule 4) are the same functions of the lag draws in
 * both fidelities. */
typedef struct mr_store_rlog {
    mr_time *t;   /* segment i has rate[i] from t[i] to t[i + 1] (the last: open) */
    double *rate; /* acknowledged writes per second */
    size_t n, cap;
} mr_store_rlog;

void mr_store_rlog_fini(mr_store_rlog *l);
/* From t on (>= the last change) the rate is `rate`. */
void mr_store_rlog_set(mr_store_rlog *l, mr_time t, double rate);
/* Expected writes committed in (a, b]. */
double mr_store_rlog_mass(const mr_store_rlog *l, mr_time a, mr_time b);
/* Forgets what was committed at or before t. */
void mr_store_rlog_trim(mr_store_rlog *l, mr_time t);
/* What a forced failover at now loses when the promoted copy holds every
 * write up to applied (RPO at t_ref), the writes of (applied, now] being
 * a Poisson process of the log's intensity: the oldest lost write is its
 * first point (an exponential on the cumulative intensity), the others a
 * Poisson count of the rest. A draw, not the expectation: lost_writes and
 * rpo_s keep request fidelity's distribution per replication (rpo_s is 0
 * exactly when nothing is lost, as there). */
mr_store_loss mr_store_rlog_loss(const mr_store_rlog *l, mr_time applied, mr_time now,
                                 mr_time t_ref, mr_rng *rng);

/* What one attempt from population pop served in region `region` meets at
 * a store now: the shares of reads that fail, that a cache serves (the
 * stores after it are spared), and of writes that fail. */
typedef struct mr_store_share {
    double read_fail, read_hit, write_fail;
} mr_store_share;

/* Per store kind: its share now (pure: no draw, no change), and what it
 * makes of the flows it was just told (settle, at now). */
typedef void (*mr_store_share_fn)(mr_component *store, mr_time now, uint32_t region,
                                  uint32_t pop, mr_store_share *out);
typedef void (*mr_store_settle_fn)(mr_component *store, mr_time now);
/* One staleness sample at t standing for `span` of time. */
typedef void (*mr_store_sample_fn)(mr_component *store, mr_time t, mr_time span);

struct mr_store_agg {
    uint32_t hub;       /* the aggregate clients' hub: told of every change */
    mr_rng *rng;        /* losses and sampling phases; its own stream */
    mr_store_share_fn share;
    mr_store_settle_fn settle;
    mr_store_sample_fn sample;
    mr_time last;       /* integrated up to */
    mr_time period;     /* staleness sampling grid */
    mr_time next_sample;
    /* Attempts arriving from now on, per second, by the region serving
     * them (component id) and population (for session consistency). */
    double in_reads[MR_MAX_REGIONS], in_writes[MR_MAX_REGIONS];
    double pop_writes[64], pop_reads[64];
    int8_t pop_region[64];   /* the region serving most of a population's writes */
    int8_t pop_rregion[64];  /* ... and of its reads */
    double pop_wmax[64], pop_rmax[64];
    int8_t pop_h[64], pop_o[64]; /* cosmos: where its reads and writes go */
    double pop_w[64];            /* cosmos: its acknowledged writes per second */
    /* What settle made of them: rates per second. */
    double ok_reads, ok_writes, bad_reads, bad_writes, miss_reads, write_bytes;
    double copy_reads[8];    /* reads served by each copy (region of the account) */
    double log_rate[8];      /* acknowledged writes per write log */
    /* Accumulated counts (head's counters are their rounding). */
    double reads, writes, failed_reads, failed_writes, stale_reads, record_reads, conflicts;
    mr_store_rlog rlog[8];   /* per write log of the kind */
};

/* Aggregate fidelity: store component c sends MR_MSG_WAKE to hub at every
 * change of its state. Its counters are then kept by the functions below. */
void mr_store_agg_enable(mr_component *c, uint32_t hub, mr_time period, mr_store_share_fn share,
                         mr_store_settle_fn settle, mr_store_sample_fn sample);
void mr_store_agg_fini(mr_store_head *h);
/* Integrates the flows in force from the last call up to now. */
void mr_store_agg_advance(mr_component *c, mr_time now);
/* The hub's protocol at each change: begin (integrates, forgets the
 * flows), add flows, end (the kind settles them). */
void mr_store_agg_begin(mr_component *c, mr_time now);
void mr_store_agg_add(mr_component *c, uint32_t region, uint32_t pop, double reads,
                      double writes);
void mr_store_agg_end(mr_component *c, mr_time now);
/* Tells the hub the store changed (at now + delay). */
void mr_store_agg_notify(mr_component *c, mr_sim *sim, mr_time at);
/* The share of c now (every kind), or all served when c is no store. */
void mr_store_agg_share_of(mr_component *c, mr_time now, uint32_t region, uint32_t pop,
                           mr_store_share *out);
/* A read at t of a copy holding every write up to applied, the writes
 * being the Poisson process of log l: stale with probability *p_stale =
 * 1 - e^(-mass of (applied, t]); returns a draw of its staleness in ms
 * (the age of the oldest write it lacks; 0 when none). */
double mr_store_rlog_stale_ms(const mr_store_rlog *l, mr_time applied, mr_time t, mr_rng *rng,
                              double *p_stale);
/* Puts store c (any kind) in aggregate fidelity, telling hub of changes. */
void mr_store_agg_attach(mr_component *c, uint32_t hub);
/* Aggregate fidelity: the single-primary stores' hook (store_primary.c). */
void mr_pstore_agg_enable(mr_component *self, uint32_t hub);

/* ---- single-primary stores: sql, redis, blob (store_primary.c) ------------
 * One writable copy (the primary) and up to MR_PSTORE_MAX_REPLICAS
 * asynchronous geo-secondaries, each with an applied position (rule 4).
 * Copies are numbered: 0 is the primary at start, 1.. the replicas.
 * The primary is down while its region is down or a datastore_failure is
 * in force; then nothing is shipped (every replica's link is cut), writes
 * fail, and the failover decision starts: automatic after `grace`
 * (docs/model.md rule 5; 0: the decision distribution), manual after a
 * `decision` draw; then a `duration` switch. A forced failover loses what
 * the promoted copy lacks (rule 4), with the RPO measured at the failure;
 * a planned one blocks writes, waits for the copy to catch up and loses
 * nothing. Clients in region r reach a new primary at the first refresh of
 * their route cache (period route_ttl, uniform phase) after the switch. */
#define MR_PSTORE_MAX_REPLICAS 4
#define MR_PSTORE_COPIES (MR_PSTORE_MAX_REPLICAS + 1)

typedef struct mr_pstore_cfg {
    mr_store_base base;       /* copies: the primary at start, then the replicas */
    mr_time route_ttl;        /* clients' route cache (SQL's listener TTL); 0: repointed */
    mr_dist latency;          /* one access within the region */
    /* A cache (redis) in front of the next store a client uses. */
    double hit_ratio;         /* steady state */
    mr_time warm_up;          /* after a failover the hit ratio ramps from 0 over this */
    int geo;                  /* redis: mr_pstore_geo */
    int redundancy;           /* blob: mr_pstore_redundancy */
    double usd_per_month;     /* the kind's price (per copy or per account: the kind says) */
    /* Capacity (sql, redis): each copy serves at most max_rps requests a
     * second, as one server of service time 1 / max_rps with a FIFO queue
     * (models/fifo.h); a request that would wait past queue_timeout fails.
     * 0: unlimited. */
    double max_rps;
    mr_time queue_timeout;
} mr_pstore_cfg;

/* A kind's check calls this: queue_timeout needs max_rps; sets
 * base.capacity. */
int mr__pstore_check_capacity(mr_pstore_cfg *cfg, mr_param_ctx *ctx);

/* What a kind of single-primary store is, beyond its keys: said by the
 * kind when it inits the shared machinery. */
typedef struct mr_pstore_variant {
    int cache;          /* a cache-aside cache: reads may hit, misses go on; cold after a failover */
    mr_time min_grace;  /* automatic failover waits at least this (SQL: 1 h) */
} mr_pstore_variant;

/* Redis geo-replication and blob redundancy, in the order of their names. */
#define MR_PSTORE_GEO_MAP(X) X(PASSIVE, "passive") X(ACTIVE, "active")
#define MR_PSTORE_REDUNDANCY_MAP(X)                                                                \
    X(LRS, "lrs") X(ZRS, "zrs") X(GRS, "grs") X(RA_GRS, "ra_grs") X(GZRS, "gzrs")                   \
    X(RA_GZRS, "ra_gzrs")
typedef enum mr_pstore_geo {
#define X(c, s) MR_GEO_##c,
    MR_PSTORE_GEO_MAP(X)
#undef X
} mr_pstore_geo;
typedef enum mr_pstore_redundancy {
#define X(c, s) MR_REDUNDANCY_##c,
    MR_PSTORE_REDUNDANCY_MAP(X)
#undef X
} mr_pstore_redundancy;

typedef struct mr_pstore_state {
    mr_store_head head;
    mr_store_log log;
    mr_replica rep[MR_PSTORE_COPIES]; /* meaningful for the copies that are not primary */
    int64_t region[MR_PSTORE_COPIES];   /* region index of each copy */
    uint8_t readable[MR_PSTORE_COPIES];
    const mr_region_state *reg[MR_PSTORE_COPIES];
    int32_t ncopies, primary;
    int32_t failed;     /* datastore_failure faults in force */
    int32_t partitions; /* replication_partition faults in force */
    uint32_t last_fault;
    int down;           /* the primary is down (as last evaluated) */
    mr_time down_since;
    uint32_t down_fault;
    mr_handle decision; /* pending failover decision */
    int switching, target, block_writes;
    int32_t old_primary; /* -1 before any failover */
    mr_time promoted_at;
    mr_time phase[MR_MAX_REGIONS]; /* route cache phase per region component id */
    mr_time warm_from;   /* redis: when the cache last came back empty; -1: warm */
    mr_pstore_variant variant; /* set by the kind's init */
    mr_rng *lags, *ops, *hits, *lat;
    uint64_t refused;    /* planned failovers that could not be made */
    mr_time q_service;   /* 1 / max_rps; 0: no capacity limit */
    mr_fifo q[MR_PSTORE_COPIES]; /* each copy's queue when there is one */
} mr_pstore_state;

/* The shared machinery's slots, for a kind's mr_model; the kind's init
 * calls mr_pstore_init with what the kind is. */
int mr_pstore_init(mr_component *self, const mr_pstore_variant *variant);
int mr_pstore_link(mr_component *self, mr_sim *sim, mr_diag *diag);
void mr_pstore_start(mr_component *self, mr_sim *sim);
void mr_pstore_handle(mr_component *self, mr_sim *sim, const mr_event *ev);
void mr_pstore_report(const mr_component *self, mr_report *out);
void mr_pstore_status(const mr_component *self, mr_report *out);
const char *mr_pstore_event_name(uint32_t kind);
int mr_pstore_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n);
void mr_pstore_fini(mr_component *self);
/* The family ops of the single-primary kinds. */
extern const mr_store_ops mr_pstore_ops;
/* The current hit ratio of a cache (redis) at now. */
double mr_pstore_hit_ratio(const mr_component *self, mr_time now);

/* ---- Cosmos DB (cosmos.c) ------------------------------------------------ */
#define MR_COSMOS_MAX 8
/* Consistency levels, in the order of the scenario's names. */
enum {
    MR_COSMOS_STRONG = 0,
    MR_COSMOS_BOUNDED = 1,
    MR_COSMOS_SESSION = 2,
    MR_COSMOS_CONSISTENT_PREFIX = 3,
    MR_COSMOS_EVENTUAL = 4
};
#define MR_COSMOS_POPS 64 /* client populations tracked for session consistency */

typedef struct mr_cosmos_cfg {
    mr_store_base base;   /* copies: the account's regions in failover priority */
    int consistency;      /* MR_COSMOS_STRONG ... (an enum key: bound as int) */
    int64_t k_versions;   /* bounded: K */
    mr_time t_bound;      /* bounded: T */
    int64_t keys;         /* key space (multi-write conflicts) */
    double zipf;          /* popularity exponent; 0 uniform */
    double ru_per_s;      /* provisioned throughput per region */
    bool ru_limit;        /* ru_per_s is a budget (429s beyond it), not only a price */
    double ru_read, ru_write; /* request units of a read (session level) and a write */
    int ru_retries;       /* the SDK's retries of a 429 */
    mr_time ru_max_wait;  /* ... and their total wait */
    double usd_per_month; /* on top of the RU/s */
    mr_dist read_latency, write_latency; /* one access within its region */
} mr_cosmos_cfg;

typedef struct mr_cosmos_state {
    mr_store_head head;
    mr_store_log log[MR_COSMOS_MAX]; /* writes accepted by each region */
    mr_replica rep[MR_COSMOS_MAX][MR_COSMOS_MAX];
    mr_time cut_at[MR_COSMOS_MAX][MR_COSMOS_MAX]; /* when rep[s][r] was last cut */
    const mr_region_state *reg[MR_COSMOS_MAX];
    int n, multi, w; /* w: the write region (one), or the first of several */
    int32_t failed, partitions;
    int was_down[MR_COSMOS_MAX];
    mr_time down_since[MR_COSMOS_MAX];
    uint32_t last_fault, down_fault;
    mr_handle decision;
    int switching, block_writes, target;
    mr_time strong_extra; /* 2 x the farthest round trip (several regions, strong) */
    mr_time *key_time;    /* last write per key; -1 never */
    int8_t *key_region;
    double *cdf;          /* Zipf popularity, NULL when uniform */
    mr_time pop_write[MR_COSMOS_POPS];
    int8_t pop_region[MR_COSMOS_POPS];
    mr_time phase[MR_MAX_REGIONS]; /* SDK refresh phase per region */
    mr_rng *lags, *ops, *keys, *lat;
    uint64_t refused;
    double keys_eff; /* aggregate fidelity: effective key count */
    mr_ru_budget ru[MR_COSMOS_MAX]; /* each region's budget (ru_limit) */
    double read_ru;  /* a read's units at the account's consistency level */
} mr_cosmos_state;

#endif
