/* sim/config/scenario.h: a loaded scenario (docs/scenario-format.md) as plain structs.
 * mr_scenario_load reads a YAML file, applies `extends:`/`set:` and every
 * --set, binds each section into the structs below with its defaults
 * (docs/scenario-format.md lists every key, unit, range and default, and the
 * docs/reference.md row it comes from) and checks every cross-reference.
 *
 * Conventions, kept by every struct here:
 * - References between sections are resolved to indices into the arrays of
 *   the scenario (`size_t region` indexes `regions`); MR_SC_NONE is "none".
 * - Durations are mr_time (ns). An optional duration that is absent is
 *   MR_SC_UNSET (-1); an optional ratio that is absent is NaN.
 * - Every element keeps the mark of where it was written (its map in the
 *   file, or the key it belongs to when it was filled in by default), so a
 *   later stage can still point at the file.
 * - Distributions (mr_dist) and every string and array belong to the
 *   scenario; mr_scenario_free releases them all.
 * Invariant: a scenario returned by mr_scenario_load is complete (every
 * default filled in) and consistent (every index valid, every share summing
 * to 1); nothing is half-bound. */
#ifndef MRSIM_CONFIG_SCENARIO_H
#define MRSIM_CONFIG_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mrsim/diag.h"
#include "mrsim/cfg/clients.h"
#include "mrsim/cfg/cluster.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/cfg/resolver.h"
#include "mrsim/cfg/store.h"
#include "mrsim/cfg/traffic.h"
#include "mrsim/fault.h"
#include "mrsim/model.h"
#include "mrsim/rng.h"
#include "mrsim/simtime.h"

/* An absent reference. */
#define MR_SC_NONE ((size_t)-1)
/* An absent optional duration. */
#define MR_SC_UNSET ((mr_time)-1)

/* ---- Enumerations whose names appear in files and output ---------------
 * Each list is an X-macro X(CONSTANT, "name"): the enum, the names the
 * binder accepts and the names the results print come from the one list. */

#define MR_FIDELITY_MAP(X) X(REQUEST, "request") X(AGGREGATE, "aggregate")
#define MR_ROLE_MAP(X) X(ACTIVE, "active") X(STANDBY, "standby")
#define MR_STANDBY_MAP(X) X(HOT, "hot") X(WARM, "warm") X(COLD, "cold")
#define MR_SELECT_MAP(X) X(ONE, "one") X(ALL, "all") X(COUNT, "count") X(PERCENT, "percent")
#define MR_TIMING_MAP(X)                                                                           \
    X(AT, "at") X(STOCHASTIC, "mtbf") X(REPEAT, "repeat") X(AFTER, "start_after")
#define MR_FAILOVER_PARAM_MAP(X) X(PLANNED, "planned") X(FORCED, "forced")
#define MR_AKS_TIER_MAP(X) X(FREE, "free") X(STANDARD, "standard")
#define MR_FD_TIER_MAP(X) X(STANDARD, "standard") X(PREMIUM, "premium")

typedef enum mr_fidelity {
#define X(c, s) MR_FIDELITY_##c,
    MR_FIDELITY_MAP(X)
#undef X
} mr_fidelity;
typedef enum mr_role {
#define X(c, s) MR_ROLE_##c,
    MR_ROLE_MAP(X)
#undef X
} mr_role;
typedef enum mr_standby {
#define X(c, s) MR_STANDBY_##c,
    MR_STANDBY_MAP(X)
#undef X
} mr_standby;
typedef enum mr_select {
#define X(c, s) MR_SELECT_##c,
    MR_SELECT_MAP(X)
#undef X
} mr_select;
typedef enum mr_timing {
#define X(c, s) MR_TIMING_##c,
    MR_TIMING_MAP(X)
#undef X
} mr_timing;
typedef enum mr_failover_param {
#define X(c, s) MR_FAILOVER_PARAM_##c,
    MR_FAILOVER_PARAM_MAP(X)
#undef X
} mr_failover_param;
typedef enum mr_aks_tier {
#define X(c, s) MR_AKS_TIER_##c,
    MR_AKS_TIER_MAP(X)
#undef X
} mr_aks_tier;
typedef enum mr_fd_tier {
#define X(c, s) MR_FD_TIER_##c,
    MR_FD_TIER_MAP(X)
#undef X
} mr_fd_tier;

/* The names of each enumeration, indexed by its value and ended by NULL
 * ("standby" is mr_role_names[MR_ROLE_STANDBY]). */
extern const char *const mr_fidelity_names[];
extern const char *const mr_needed_for_names[];
extern const char *const mr_ttl_mode_names[];
extern const char *const mr_runtime_cache_names[];
extern const char *const mr_profile_names[];
extern const char *const mr_failover_trigger_names[];
extern const char *const mr_failback_names[];
extern const char *const mr_failover_mode_names[];
extern const char *const mr_role_names[];
extern const char *const mr_standby_names[];
extern const char *const mr_select_names[];
extern const char *const mr_timing_names[];
extern const char *const mr_failover_param_names[];
extern const char *const mr_aks_tier_names[];
extern const char *const mr_fd_tier_names[];


/* ---- Sections ------------------------------------------------------------ */

/* A list of indices into one of the scenario's arrays (a `uses:` list). */
typedef struct mr_sc_refs {
    size_t *v;
    size_t n;
    mr_mark mark;
} mr_sc_refs;

typedef struct mr_sc_label {
    const char *key, *value;
    mr_mark mark;
} mr_sc_label;

typedef struct mr_sc_run {
    mr_time horizon; /* simulated time of each replication */
    mr_time warmup;  /* < horizon; metrics ignore [0, warmup) */
    /* A fixed count, or adaptive: at least rep_min, at most rep_max, stop once
     * until_metric's 95% CI half-width is within until_rel_ci_half_width of its
     * mean. replications == rep_max when adaptive, rep_min == rep_max == it
     * when fixed. */
    int replications;
    bool adaptive;
    int rep_min, rep_max;
    const char *until_metric; /* a metric name of docs/cli.md; NULL when fixed */
    double until_rel_ci_half_width;
    mr_fidelity fidelity;
    mr_mark mark;
} mr_sc_run;

typedef struct mr_sc_region {
    const char *name;
    int zones; /* availability zones, numbered 1..zones; 0: none */
    mr_mark mark;
} mr_sc_region;

typedef struct mr_sc_dependency {
    const char *name;
    const mr_model *model; /* its kind (family "dependency"); NULL when the kind was refused */
    void *cfg;             /* model->cfg_size bytes: an mr_dep_cfg (its links, the builder's),
                            * then the kind's own keys */
    size_t region;      /* MR_SC_NONE: global */
    mr_sc_refs used_by; /* clusters; every cluster when the key is absent */
    mr_needed_for needed_for;
    mr_mark mark;
} mr_sc_dependency;

typedef struct mr_sc_nodes {
    int count, min, max;
    const char *sku;
    double usd_per_hour;
} mr_sc_nodes;

typedef struct mr_sc_pods {
    int per_node;
    double rps_per_pod;
    mr_dist startup; /* ns */
} mr_sc_pods;

typedef struct mr_sc_autoscaler {
    double target_utilization;
    mr_dist node_provision; /* ns */
} mr_sc_autoscaler;

/* clusters[].cold: the steps of a cold standby's failover before and after
 * its nodes (docs/model.md "Roles and standby"); absent, neither runs. */
typedef struct mr_sc_cold {
    bool present;
    mr_dist create;     /* ns: the cluster created from infrastructure-as-code */
    mr_dist image_pull; /* ns: each pod pulls its image before it starts */
    mr_mark mark;
} mr_sc_cold;

/* A cluster's regional ingress: a kind of family "ingress" (agc, nginx, or
 * any registered kind) with the kind's keys bound into its cfg (an
 * mr_ingress_cfg first). */
typedef struct mr_sc_ingress {
    const mr_model *model; /* NULL when the kind was refused */
    void *cfg;
} mr_sc_ingress;

typedef struct mr_sc_cluster {
    const char *name;
    size_t region;
    mr_role role;
    mr_standby standby; /* MR_STANDBY_HOT for an active cluster */
    int *zones;         /* 1-based zone numbers; every zone of the region by default */
    size_t nzones;
    mr_sc_nodes nodes;
    mr_sc_pods pods;
    mr_dist service_time; /* ns */
    mr_sc_autoscaler autoscaler;
    mr_sc_cold cold;
    mr_sc_ingress ingress;
    mr_mark mark;
} mr_sc_cluster;

/* A Traffic Manager or DNS endpoint, or a Front Door origin. */
typedef struct mr_sc_endpoint {
    size_t cluster;
    int priority; /* lower first */
    int weight;
    mr_mark mark;
} mr_sc_endpoint;

/* The global traffic layer: a kind of family "traffic" (traffic_manager,
 * front_door, dns, or any registered kind) with the kind's keys bound into
 * its cfg, and the family's endpoints (Front Door calls them origins). */
typedef struct mr_sc_traffic {
    const mr_model *model; /* its kind; NULL when the section failed */
    void *cfg;             /* model->cfg_size bytes: an mr_traffic_base (n, priorities and
                            * weights filled from the endpoints below), then the kind's own
                            * keys; the builder fills the base's links */
    mr_sc_endpoint *endpoints; /* `endpoints:` or, for Front Door, `origins:` */
    size_t nendpoints;
    mr_mark mark;
} mr_sc_traffic;

typedef struct mr_sc_ttl_policy {
    double share;
    mr_ttl_mode mode;
    mr_time min_ttl; /* FLOOR: answers are kept at least this long; 0 otherwise */
    mr_dist hold;    /* EXTRA: kept this much longer than the TTL; const 0 otherwise */
    mr_mark mark;
} mr_sc_ttl_policy;

typedef struct mr_sc_resolver {
    const char *name;
    int count;
    mr_sc_ttl_policy *policies; /* shares sum to 1 */
    size_t npolicies;
    bool implicit; /* made by the binder: the file declares no resolvers */
    mr_mark mark;
} mr_sc_resolver;

typedef struct mr_sc_profile {
    mr_profile_kind kind;
    double peak, trough; /* DIURNAL: multipliers of rate; 1 for CONST */
    mr_time peak_at;     /* DIURNAL: time of day of the peak */
} mr_sc_profile;

typedef struct mr_sc_retry {
    int attempts; /* in all, the first included */
    mr_dist backoff;
} mr_sc_retry;

typedef struct mr_sc_client {
    const char *name;
    size_t origin;   /* region nearest the clients */
    size_t resolver; /* MR_SC_NONE only when there are no resolvers at all */
    mr_runtime_cache runtime_cache;
    int processes; /* client processes, each with its own runtime cache */
    double rate; /* requests per second */
    mr_sc_profile profile;
    double read, write; /* sum to 1 */
    mr_time timeout;
    mr_sc_retry retry;
    mr_sc_refs uses;     /* datastores */
    size_t stamp;        /* MR_SC_NONE: not pinned */
    mr_sc_refs fallback; /* stamps */
    mr_mark mark;
} mr_sc_client;

typedef struct mr_sc_replica {
    size_t region;
    bool readable;
    mr_mark mark;
} mr_sc_replica;

/* A data store: a kind of family "store" (sql, cosmos, redis, blob, or
 * any registered kind) with the kind's keys bound into its cfg, and the
 * family's region keys, which the other sections refer to. */
typedef struct mr_sc_datastore {
    const char *name;
    const mr_model *model; /* its kind */
    void *cfg;             /* model->cfg_size bytes: an mr_store_base (its copies filled from the
                            * keys below), then the kind's own keys; the builder fills the
                            * base's links */
    size_t primary;        /* the writable region (an account: its first write region) */
    mr_sc_replica *replicas; /* a single writer's geo-secondaries */
    size_t nreplicas;
    mr_sc_refs regions;       /* an account's regions, in failover priority */
    mr_sc_refs write_regions; /* a subset of regions; several = multi-region writes */
    mr_mark mark;
} mr_sc_datastore;

typedef struct mr_sc_target {
    mr_target_kind kind;
    bool selector;  /* false: names one thing, index */
    size_t index;   /* !selector: index in the kind's array (ZONE: the region) */
    int zone;       /* ZONE: 1-based */
    size_t region;  /* selector: only things in this region, or MR_SC_NONE */
    int role;       /* selector: an mr_role, or -1 for any */
    mr_select mode; /* selector */
    double value;   /* COUNT: how many; PERCENT: the share in [0, 1] */
    mr_mark mark;
} mr_sc_target;

typedef struct mr_sc_param {
    const char *key, *value; /* as written */
    mr_mark mark;
} mr_sc_param;

typedef struct mr_sc_fault {
    const char *name;
    mr_fault_kind kind;
    mr_sc_target target;
    mr_timing timing;
    mr_dist at;       /* AT: start time */
    mr_dist duration; /* AT, REPEAT, AFTER; const 0 for an instantaneous kind */
    mr_time mtbf;     /* STOCHASTIC: mean up-time (exponential) */
    mr_dist mttr;     /* STOCHASTIC: repair time */
    mr_time every;    /* REPEAT */
    int count;        /* REPEAT */
    mr_time jitter;   /* REPEAT: each start moves by up to +-jitter */
    size_t after;     /* AFTER: index of the fault this one follows */
    mr_dist delay;    /* AFTER: from that fault's start */
    double severity;  /* share of requests affected */
    bool ramp;        /* severity ramps from ramp_from to ramp_to over ramp_over */
    double ramp_from, ramp_to;
    mr_time ramp_over;
    mr_time expect_rto, expect_rpo; /* MR_SC_UNSET when not stated */
    /* Known params, bound: */
    bool invert;                     /* gray_failure: requests pass while probes fail */
    mr_failover_param failover_mode; /* datastore_failover */
    size_t peer;                     /* network_partition: the other region; MR_SC_NONE = clients */
    mr_sc_param *params;             /* every param as written */
    size_t nparams;
    mr_mark mark;
} mr_sc_fault;

typedef struct mr_sc_action {
    bool promote;  /* false: scale cluster to `to` nodes; true: promote datastore */
    size_t target; /* cluster or datastore index */
    int to;
    mr_mark mark;
} mr_sc_action;

typedef struct mr_sc_failover {
    bool present;
    mr_failover_trigger trigger;
    mr_dist decision; /* OPERATOR trigger: the decision delay */
    mr_sc_action *actions;
    size_t nactions;
    mr_failback_mode failback;
    mr_dist failback_decision; /* manual: the human decision */
    mr_dist failback_delay;    /* automatic: its own delay */
    /* failover.runbook: an operator disables the endpoint of a cluster
     * missing the SLO (docs/model.md "Failover and failback"). */
    bool runbook;              /* the map is present */
    bool disable_endpoint;
    mr_dist detect, delay;
    mr_mark runbook_mark;
    mr_mark mark;
} mr_sc_failover;

typedef struct mr_sc_slo_targets {
    double availability;           /* NaN when not stated */
    mr_time rto, rpo, latency_p99; /* MR_SC_UNSET when not stated */
} mr_sc_slo_targets;

typedef struct mr_sc_slo {
    mr_time window;
    double success_target;
    mr_time stable_for;
    double confidence;
    mr_sc_slo_targets targets;
    mr_sc_slo_targets steady_state;
    mr_mark mark;
} mr_sc_slo;

/* Prices of sim/run/cost.c, in `currency`; docs/scenario-format.md gives
 * the docs/reference.md §10 row of each default. */
typedef struct mr_sc_cost {
    const char *currency;
    double hours_per_month;
    double egress_per_gb;
    double bytes_per_write;
    mr_aks_tier aks_tier;
    double aks_standard_per_hour; /* per cluster-hour, Standard tier */
    double tm_per_million_queries;
    double tm_per_endpoint_month;
    double tm_fast_probe_per_endpoint_month; /* on top, when probe.interval < 30 s */
    mr_fd_tier front_door_tier;
    double front_door_standard_per_month, front_door_premium_per_month;
    double front_door_per_million_requests, front_door_per_gb, front_door_bytes_per_request;
    double dns_per_million_queries, dns_zone_per_month;
    double cosmos_per_100rus_hour, cosmos_multi_write_per_100rus_hour;
    mr_mark mark;
} mr_sc_cost;

typedef struct mr_sc_stamp {
    const char *name;
    size_t region;
    mr_sc_refs clusters, datastores;
    mr_mark mark;
} mr_sc_stamp;

/* An availability for `mrsim analyze` (analyze.sla): a component path
 * ("traffic", "clusters/NAME", "clusters/NAME/ingress", "dependencies/NAME",
 * "data/NAME"), checked by the binder, and its availability. */
typedef struct mr_sc_sla {
    const char *name;
    double value;
    mr_mark mark;
} mr_sc_sla;

/* One override "PATH=VALUE", the value in YAML flow form, ready for
 * mr_doc_set_arg (or mr_scenario_load's sets). */
typedef struct mr_sc_override {
    const char *text;
    mr_mark mark;
} mr_sc_override;

typedef struct mr_sc_variant {
    const char *name;
    mr_sc_override *sets;
    size_t nsets;
    mr_mark mark;
} mr_sc_variant;

/* One swept key: the run for value i applies values[i].text ("PATH=V"). */
typedef struct mr_sc_sweep {
    const char *path;
    mr_sc_override *values;
    size_t nvalues;
    mr_mark mark;
} mr_sc_sweep;

/* The `recommend:` section (sim/config/sc_recommend.c; docs/recommend.md):
 * a design space around the scenario, the objectives a candidate must meet
 * and what to minimise, for `mrsim recommend`. */

/* One atom of a `when:` condition: PATH == VALUE or PATH != VALUE, joined
 * to the previous atom by `and` (or_before 0) or `or` (1); `and` binds
 * tighter. PATH is a key of the space without a condition of its own;
 * VALUE one of its values as written, or one of its names when its values
 * are a map of name to value. */
typedef struct mr_sc_rec_atom {
    size_t key;        /* index in recommend.keys */
    const char *value; /* compared as text with the key's value (flow form) */
    int neq;           /* 1: != */
    int or_before;     /* 1: joined to the previous atom by `or` */
} mr_sc_rec_atom;

/* One key of the space: its candidate values and when it varies. */
typedef struct mr_sc_rec_key {
    const char *path;       /* as --set takes it: "traffic.ttl" */
    mr_sc_override *values; /* "PATH=V", in file order */
    const char **texts;     /* V alone (flow form), or its name when the values are a map */
    size_t nvalues;
    void **nodes;           /* private to sim/config: each value's node, while binding */
    mr_sc_rec_atom *when; /* NULL: always varies; else only when it holds */
    size_t nwhen;
    const char *when_text;
    mr_mark mark;
} mr_sc_rec_key;

/* One objective: METRIC OP LIMIT (a bound on the mean over replications)
 * or METRIC.pQ OP LIMIT (the share of replications whose value meets the
 * bound is at least Q), each to hold at recommend.confidence. */
typedef struct mr_sc_rec_objective {
    const char *text;  /* as written */
    int metric;        /* index in mr__metric_names: the mr_metric id */
    double quantile;   /* in (0, 1); 0: the mean */
    int ge;            /* 1: >=, 0: <= */
    double limit;      /* in the metric's unit (seconds, ms, a ratio, USD) */
    mr_mark mark;
} mr_sc_rec_objective;

typedef struct mr_sc_recommend {
    bool present;
    mr_sc_rec_key *keys;
    size_t nkeys;
    mr_sc_rec_objective *objectives;
    size_t nobjectives;
    double confidence;       /* the objectives hold with this confidence */
    int minimise;            /* metric index; cost_usd_month by default */
    double margin;           /* option 2: within the cheapest's cost x (1 + margin) */
    int screen_replications; /* each candidate's screen at aggregate fidelity */
    int stage_replications;  /* the first confirmation stage; each next doubles */
    mr_fidelity confirm_fidelity;
    mr_mark mark;
} mr_sc_recommend;

typedef struct mr_scenario_internal mr_scenario_internal;

typedef struct mr_scenario {
    const char *file;        /* as given to mr_scenario_load */
    mr_kinds kinds;          /* the kinds it was loaded with (kind names resolve to these) */
    const char *name;        /* the file's base name without .yaml when absent */
    const char *description; /* "" when absent */
    mr_sc_label *labels;
    size_t nlabels;
    uint64_t seed;
    mr_sc_run run;
    mr_sc_region *regions;
    size_t nregions;
    mr_time *rtt; /* nregions x nregions round trips: rtt[i * nregions + j] */
    mr_sc_dependency *dependencies;
    size_t ndependencies;
    mr_sc_cluster *clusters;
    size_t nclusters;
    mr_sc_traffic traffic;
    mr_sc_resolver *resolvers;
    size_t nresolvers;
    mr_sc_client *clients;
    size_t nclients;
    mr_sc_datastore *datastores;
    size_t ndatastores;
    mr_sc_fault *faults;
    size_t nfaults;
    mr_sc_failover failover;
    mr_sc_slo slo;
    mr_sc_cost cost;
    mr_sc_stamp *stamps;
    size_t nstamps;
    mr_sc_variant *variants;
    size_t nvariants;
    mr_sc_sweep *sweeps;
    size_t nsweeps;
    mr_sc_recommend recommend; /* present only when the file has the section */
    mr_sc_sla *sla; /* analyze.sla, in file order */
    size_t nsla;
    mr_scenario_internal *internal; /* private to sim/config */
} mr_scenario;

/* ---- Loading --------------------------------------------------------------- */

/* Loads the scenario at path: reads it, resolves `extends:` and `set:`, then
 * applies the nsets overrides "PATH=VALUE" in order (as --set; marks read
 * "--set:1:COLUMN"), binds every section with its defaults and checks every
 * cross-reference. A component kind named in the file (a data store's
 * `kind`) is one of `kinds` (mr_model_registry(), or a set with a test's own
 * kind), bound through the kind's key table. Returns MR_OK and sets *out (caller frees with
 * mr_scenario_free), or leaves *out untouched and returns MR_EIO when a file
 * cannot be read, MR_ESCENARIO when the scenario is invalid, in both cases
 * after adding every problem found to diag as "FILE:LINE:COLUMN: error: ...". */
int mr_scenario_load(const char *path, const char *const *sets, size_t nsets, mr_kinds kinds,
                     mr_scenario **out, mr_diag *diag);

/* Frees the scenario and everything it owns. NULL is a no-op. */
void mr_scenario_free(mr_scenario *sc);

/* Calls fn once per resolved parameter, defaults included, in file order,
 * with its dotted path as --set takes it ("clusters[1].standby") and its
 * value as text ("warm", "30s", "lognormal(25ms, 0.5)"): what the results
 * database keeps in `runattr`. Returns the number of calls. */
size_t mr_scenario_each_value(const mr_scenario *sc,
                              void (*fn)(void *ctx, const char *path, const char *value),
                              void *ctx);

/* The price of `cost:` key `key` ("hours_per_month",
 * "cosmos_per_100rus_hour"): what a kind's cost method asks for; an enum
 * key (front_door_tier) comes as the index of its value. NaN for a key that
 * is not in the cost section. */
double mr_scenario_price(const mr_scenario *sc, const char *key);
/* Whether the `cost:` key is an amount (money or bytes) whose 0 leaves an
 * item unbilled, rather than a choice (front_door_tier). */
int mr_scenario_price_is_amount(const char *key);

/* Calls fn once per parameter that took its key table's default (no file,
 * extends: or --set wrote it), in file order, with the row's doc and
 * source ("docs/reference.md §1 ...", "ours ..."; either may be NULL).
 * Returns the number of calls. Defaults a section derives from others
 * (endpoints from the clusters) are not key-table defaults: not listed. */
size_t mr_scenario_each_default(const mr_scenario *sc,
                                void (*fn)(void *ctx, const char *path, const char *value,
                                           const char *doc, const char *ref),
                                void *ctx);

/* The value of one resolved parameter by its dotted path, or NULL. */
const char *mr_scenario_value(const mr_scenario *sc, const char *path);

#endif
