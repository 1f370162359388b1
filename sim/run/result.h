/* sim/run/result.h: the result of running a scenario: every metric
 * of docs/model.md summarised over replications, per-fault episodes and SLO
 * verdicts. The sinks (table, JSON) print it; the names come from one
 * X-macro list so the table, the JSON and the database cannot drift.
 * A metric that does not apply (no data store: no RPO) has n == 0 and
 * prints as null, never as a made-up zero. */
#ifndef MRSIM_RUN_RESULT_H
#define MRSIM_RUN_RESULT_H

#include <stdint.h>
#include <stdio.h>

#include "run/runner.h"

/* id, name, unit for the table, description, 1 when higher is better */
#define MR_METRIC_MAP(X)                                                                      \
    X(AVAILABILITY, "availability", "", "successful requests / all requests", 1)               \
    X(DOWNTIME_S, "downtime_s", "s", "time in SLO windows below the success target", 0)        \
    X(RTO_S, "rto_s", "s", "recovery time of the fault episodes", 0)                           \
    X(CLIENT_RTO_S, "client_rto_s", "s", "per group: first failure to sustained recovery", 0)  \
    X(RPO_S, "rpo_s", "s", "age of the oldest write lost at a forced failover", 0)             \
    X(LOST_WRITES, "lost_writes", "", "acknowledged writes lost", 0)                           \
    X(STALE_READ_RATIO, "stale_read_ratio", "", "reads served behind the newest write", 0)     \
    X(STALENESS_MS_P99, "staleness_ms_p99", "ms", "99th percentile of read staleness", 0)       \
    X(WRITE_CONFLICTS, "write_conflicts", "", "overlapping writes to one key, overwritten", 0) \
    X(LATENCY_MS_P50, "latency_ms_p50", "ms", "median request latency", 0)                     \
    X(LATENCY_MS_P99, "latency_ms_p99", "ms", "99th percentile of request latency", 0)         \
    X(COST_USD_MONTH, "cost_usd_month", "USD", "run rate: a normal month", 0)                   \
    X(INCIDENT_COST_USD, "incident_cost_usd", "USD", "what the fault episodes added", 0)

/* The items of cost_usd_month (sim/run/cost.c): id, name as the JSON's
 * cost_breakdown spells it. */
#define MR_COST_ITEM_MAP(X)                                                                        \
    X(NODES, "nodes")                                                                              \
    X(CLUSTER_FEES, "cluster_fees")                                                                \
    X(TRAFFIC, "traffic")                                                                          \
    X(TRANSFER, "transfer")                                                                        \
    X(DATASTORES, "datastores")

typedef enum mr_cost_item {
#define MR_COST_ENUM(id, name) MR_COST_##id,
    MR_COST_ITEM_MAP(MR_COST_ENUM)
#undef MR_COST_ENUM
        MR_COST_ITEM_COUNT
} mr_cost_item;

/* "nodes" for MR_COST_NODES; "?" out of range. */
const char *mr_cost_item_name(mr_cost_item i);

/* The cost items nobody priced (sim/run/cost.c): their prices are 0,
 * listed so a comparison never looks cheaper by omission; e.g.: "cost.dns_per_million_queries",
 * "datastores[orders].usd_per_month", "clusters[aks].nodes.usd_per_hour". */
#define MR_COST_UNPRICED_MAX 32
#define MR_COST_UNPRICED_LEN 96
typedef struct mr_cost_unpriced {
    size_t n;
    char item[MR_COST_UNPRICED_MAX][MR_COST_UNPRICED_LEN];
} mr_cost_unpriced;

typedef enum mr_metric {
#define MR_METRIC_ENUM(id, name, unit, text, up) MR_METRIC_##id,
    MR_METRIC_MAP(MR_METRIC_ENUM)
#undef MR_METRIC_ENUM
        MR_METRIC_COUNT
} mr_metric;

/* The metric's name as the JSON and the database spell it. */
const char *mr_metric_name(mr_metric m);
const char *mr_metric_unit(mr_metric m);
/* 1 when a higher value is better (availability), 0 when lower is. */
int mr_metric_higher_is_better(mr_metric m);
/* The values it can take, which its interval respects (mr_summarize_in). */
mr_range mr_metric_range(mr_metric m);

/* One SLO verdict (docs/model.md "SLO verdict"): the share of replications whose
 * value meets the limit, and whether that share reaches slo.confidence. A
 * target that cannot be evaluated (an RPO without data stores, a steady
 * state without warm-up) has evaluable == 0 and a reason, never a pass. */
typedef struct mr_verdict {
    const char *target; /* "availability", "rto", "rpo", "latency_p99" */
    double limit;       /* seconds for durations, a ratio for availability */
    int evaluable;
    const char *reason; /* why not evaluable; static */
    int met;
    double p_met;
    uint64_t n;         /* replications that gave a value */
} mr_verdict;

enum { MR_VERDICT_MAX = 4 };

/* How the replication count was decided: fixed, or the sequential rule of
 * run.replications {min, max, until}. */
typedef struct mr_stopping {
    int adaptive;
    const char *metric;      /* not owned */
    double target_rel;       /* rel_ci_half_width */
    double achieved_rel;     /* at the last check; NaN when not computable, INF for a
                                zero mean with a non-zero half-width */
    int converged;           /* 0: stopped at max */
    uint64_t min, max, batch;
} mr_stopping;

/* One milestone of a fault's recovery timeline over the replications
 * (docs/results.md "Recovery timeline"). */
typedef struct mr_milestone_result {
    uint32_t what;       /* mr_milestone */
    char component[64];  /* "traffic", "clusters/aks-neu", "data/orders"; "" the system */
    mr_summary t_s;      /* from the fault's start, over the replications it applied in;
                            censored ones at their censoring time (lower bounds) */
    uint64_t applied;    /* replications in which it applied */
    uint64_t reached;    /* of them, those in which it was reached (no censored episode) */
} mr_milestone_result;

typedef struct mr_episode_result {
    const char *fault;  /* name; not owned */
    const char *kind;   /* fault kind; not owned */
    const char *target; /* not owned: a name, or target_buf */
    char target_buf[96]; /* a zone or a selector, spelled out */
    mr_summary rto_s;
    mr_summary rpo_s;
    uint64_t censored;  /* replications in which service never recovered */
    mr_summary budget_share; /* share of the 30-day error budget its episodes burn */
    mr_summary incident_cost_usd; /* per episode, over the replications that had one */
    mr_verdict expect[2];    /* the fault's expect: {rto, rpo}, those stated */
    size_t nexpect;
    /* Its recovery timeline: the milestones that applied in some
     * replication, in the table's order (owned: mr_result_fini frees it),
     * and its critical path, the most frequent over the replications that
     * had one (critical_n of critical_of); critical_censored: recovery
     * never came and that milestone was still awaited. */
    mr_milestone_result *timeline;
    size_t ntimeline;
    int has_critical;
    size_t critical;           /* index in timeline */
    int critical_censored;
    uint64_t critical_n, critical_of;
    char critical_reason[192]; /* "data/orders: automatic failover, grace 1h" */
} mr_episode_result;

/* One data store's metrics (the data-store rows of MR_METRIC_MAP). */
#define MR_STORE_METRICS 5
/* With a capacity limit (docs/model.md "Store capacity"), its own two
 * (docs/results.md): throttled_ratio, the requests that failed for the
 * store's capacity over those that met it, and capacity_wait_ms, the mean
 * wait of the served ones for it. */
#define MR_STORE_CAPACITY_METRICS 2
typedef struct mr_store_result {
    const char *name; /* not owned */
    const char *kind; /* sql, cosmos, redis, blob; not owned */
    mr_metric metric[MR_STORE_METRICS];
    mr_summary m[MR_STORE_METRICS];
    int capacity;     /* a limit is configured: the two below are printed */
    mr_summary throttled_ratio, capacity_wait_ms;
} mr_store_result;
/* One client population's own availability: with stamps, the blast radius
 * of a stamp's failure is its populations. */
typedef struct mr_population_result {
    const char *name;  /* not owned */
    const char *stamp; /* its home stamp, or NULL; not owned */
    mr_summary availability;
    mr_summary client_rto_s; /* over replications, each its groups' mean */
} mr_population_result;

typedef struct mr_result {
    const char *scenario; /* not owned */
    const char *file;     /* not owned */
    uint64_t seed;
    uint64_t replications;
    double horizon_s;
    uint64_t events;
    uint64_t requests; /* simulated client requests, every replication (for benchmarks) */
    double wall_s;
    mr_summary metrics[MR_METRIC_COUNT];
    mr_summary cost_breakdown[MR_COST_ITEM_COUNT]; /* cost_usd_month by item, USD per month */
    mr_cost_unpriced unpriced; /* the items billed at 0 for want of a price */
    /* The latency of failed requests (first issue to the last attempt's
     * timeout), p50 and p99: latency_ms_* covers successes only. */
    mr_summary failed_latency_ms[2];
    mr_episode_result *episodes; /* owned by whoever filled it (mr_result_fini) */
    size_t nepisodes;
    mr_store_result *stores; /* owned likewise; printed as "stores" when nstores > 0 */
    size_t nstores;
    mr_population_result *populations; /* likewise */
    size_t npopulations;
    double *per_rep; /* replications x MR_METRIC_COUNT values, row-major (NaN: n/a);
                        owned likewise; what `compare` pairs */
    const char *const *vary_keys;   /* a sweep's varied keys and this run's values; */
    const char *const *vary_values; /* printed as "vary" when nvary > 0; not owned */
    size_t nvary;
    double slo_confidence;
    mr_verdict slo[MR_VERDICT_MAX]; /* slo.targets, those stated */
    size_t nslo;
    mr_verdict steady[MR_VERDICT_MAX]; /* slo.steady_state, on the warm-up */
    size_t nsteady;
    mr_stopping stopping;
} mr_result;

/* 1 when a stated, evaluable SLO target or a fault's expectation was missed
 * (what --check-slo turns into exit status 3). Targets that cannot be
 * evaluated and the steady state (a warning) do not count. */
int mr_result_slo_missed(const mr_result *r);

/* Warnings about a result on err: steady-state targets missed (the topology
 * is mis-sized) and, when check is set, targets that could not be checked. */
void mr_result_write_warnings(const mr_result *r, int check, FILE *err);

/* A paired difference b - a of one metric over the replications both runs
 * share (common random numbers make them pairs). */
typedef struct mr_difference {
    mr_metric metric;
    mr_summary d;      /* of the per-replication differences */
    int verdict;       /* +1: b is better, -1: a is better, 0: the CI holds 0 or n < 2 */
} mr_difference;

/* The paired difference of metric m between two results of the same
 * replication count. */
void mr_result_difference(const mr_result *a, const mr_result *b, mr_metric m,
                          mr_difference *out);

/* The version of every JSON document mrsim prints ("schema" beside
 * "mrsim"): raised when a key is renamed or removed or changes meaning, not
 * when one is added (docs/results.md). */
#define MR_JSON_SCHEMA 1

/* The result document of docs/cli.md as one JSON object followed by a newline. */
void mr_result_write_json(const mr_result *r, FILE *out);

/* How the table prints metric m: an mr_hu_kind of sim/out/human.h (an
 * int here, which the run layer does not see). */
int mr_metric_table_kind(mr_metric m);
/* Its name in the table: the JSON's without the unit the cells carry
 * (rto_s -> rto, latency_ms_p99 -> latency_p99). */
void mr_metric_table_name(mr_metric m, char *buf, size_t n);

/* The human table (docs/results.md "The table"), in human units: one line
 * per metric with mean, 95% CI and percentiles, the cost items under the
 * run rate, then a block per store, population and fault. */
void mr_result_write_table(const mr_result *r, FILE *out);
/* What a side-by-side table of several results leaves out, for one of
 * them under "LABEL:": its unpriced items, data stores, populations (when
 * several), faults with their verdicts, SLO verdicts and recovery
 * timelines. */
void mr_result_write_details(const mr_result *r, const char *label, FILE *out);

#endif
