/* sim/run/analyze.h: closed-form estimates of a scenario (`mrsim
 * analyze`): when clients switch regions after a fault (docs/model.md rules 1-3:
 * probe detection, then the residual life of every DNS cache in front of
 * them), and the composite availability of the Azure Well-Architected method
 * (docs/reference.md §11), which assumes instant failover. What the simulation
 * gives falls below the composite figure by what real failover takes.
 * Times are in seconds; an unbounded time is INFINITY. */
#ifndef MRSIM_RUN_ANALYZE_H
#define MRSIM_RUN_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>

#include "mrsim/diag.h"
#include "mrsim/model.h"
#include "mrsim/rng.h"
#include "config/scenario.h"

/* A distribution of times, summarised. */
typedef struct mr_an_times {
    double min, mean, p50, p95, p99, max;
} mr_an_times;

/* ---- Closed forms (unit-tested on their own) ----------------------------- */

/* Detection: lo + width B, B the kth smallest of n independent uniforms on
 * [0, 1) (n independent probe schedules of which k must trip; n = k = 1, or
 * 0, is one uniform phase), or, when dist is set, dist scaled by unit
 * (seconds per unit of the dist: 1e-9 for scenario durations), e.g. a DNS
 * operator's delay. */
typedef struct mr_an_detect {
    double lo, width;
    int n, k;
    const mr_dist *dist;
    double unit;
} mr_an_detect;

/* The caches between a share of clients and the authority (rule 3): a
 * resolver holding an answer for ttl stretched by its mode (HONOR: ttl;
 * FLOOR: max(ttl, min_ttl); EXTRA: ttl + a hold drawn at each refresh, hold
 * scaled by hold_unit), then a client runtime cache holding `runtime`
 * seconds (0: none). */
typedef struct mr_an_cache {
    double weight; /* share of clients; the parts' weights sum to 1 */
    double ttl;
    mr_ttl_mode mode;
    double min_ttl;
    const mr_dist *hold;
    double hold_unit;
    double runtime;
} mr_an_cache;

/* Switch time = detection + the resolver's residual life + the runtime
 * cache's residual life, independent (each cache's phase is independent of
 * the fault): a steady-state cache of fixed life L has a residual uniform on
 * [0, L); one whose life L varies from refresh to refresh (EXTRA) has the
 * stationary residual of renewal theory, density P(L > r) / E[L]. Mixed
 * over the parts by weight. Fills *mix, and each[i] for part i when each is
 * not NULL. Returns MR_OK, or MR_EINVAL when n is 0 or a weight is
 * negative. */
int mr_an_switch(const mr_an_detect *det, const mr_an_cache *parts, size_t n, mr_an_times *mix,
                 mr_an_times *each);

/* A kind's detection (mr_model.detect: Traffic Manager's rule 1, Front
 * Door's rule 2 at one edge, an operator's delay) as analyze sums it. */
mr_an_detect mr_an_detect_of(const mr_model_detect *d);
/* The summary of a probe-schedule detection (dist unset): the kth of n
 * uniforms is Beta(k, n - k + 1): mean lo + width k / (n + 1), quantiles
 * from gsl_cdf_beta_Pinv. */
mr_an_times mr_an_uniform_times(mr_an_detect det);
/* Every one of `edges` edges (independent uniform phases) has switched: the
 * max of the uniforms, lo + width U^(1/edges) in quantile, mean
 * lo + width edges / (edges + 1). */
mr_an_times mr_an_all_edges_times(mr_an_detect det, int edges);

/* 1 - prod (1 - a_i) over n components in parallel. */
double mr_an_parallel(const double *a, size_t n);
/* Downtime implied by availability a: seconds per 30-day month and per
 * 365-day year (docs/reference.md §11 downtime table). */
double mr_an_downtime_month_s(double a);
double mr_an_downtime_year_s(double a);

/* ---- The analysis of a scenario ------------------------------------------ */

/* One SLA override: a component path ("traffic", "clusters/aks-weu",
 * "clusters/aks-weu/ingress", "dependencies/entra-id", "data/orders")
 * and its availability. */
typedef struct mr_an_override {
    const char *name;
    double value;
} mr_an_override;

/* One part of the switch-time mixture. */
typedef struct mr_an_part {
    const char *clients;  /* population, or NULL when there is none */
    const char *resolver; /* pool */
    const char *policy;   /* honor, floor, extra */
    const char *runtime;  /* none, java, chrome */
    double weight;
    mr_an_times t;
} mr_an_part;

/* One component of the composite availability. */
typedef struct mr_an_item {
    const char *name;   /* component path, as overrides take it */
    const char *what;   /* "Traffic Manager", "AKS (zones)", "sql", ... */
    double sla;         /* availability in [0, 1] */
    const char *source; /* docs/reference.md row, "analyze.sla", "--sla", or why 100% */
    int unit;           /* -1: global tier; otherwise index in units */
    bool parallel;      /* a cluster: in parallel with the unit's other clusters */
} mr_an_item;

/* A region or stamp: the redundant part of the composite. */
typedef struct mr_an_unit {
    const char *name;
    bool stamp;
    bool standby; /* every cluster in it is a standby */
    double availability;
} mr_an_unit;

/* A client population pinned to a stamp: it is served by its home stamp or,
 * when that fails, a fallback (docs/model.md "deployment stamps"), so its
 * composite is global x (1 - prod over those stamps of (1 - stamp)). */
typedef struct mr_an_population {
    const char *clients;
    int stamps; /* home + fallbacks */
    double availability;
} mr_an_population;

/* A stochastic fault's implied availability of its target. */
typedef struct mr_an_fault {
    const char *fault, *kind, *target;
    double mtbf_s, mttr_mean_s, availability;
} mr_an_fault;

/* What a region outage's recovery waits on (each from the fault's start):
 * the clients' switch, a standby's scale-out (the failover policy's
 * trigger, then every added node provisioned and its pods started), a
 * data store's failover (its automatic grace or decision, a forced
 * failover or a promote action, whichever comes first, then the switch).
 * The service is back no sooner than the slowest: the dominant term. */
#define MR_AN_MAX_TERMS 8
typedef struct mr_an_term {
    const char *what; /* a short label; owned by the analysis */
    const char *how;  /* what it is made of, one line; owned likewise */
    mr_an_times t;
    double gate;      /* when it stops holding the service back: the clients'
                         switch at the SLO's success target (that share of
                         traffic moved), another term's mean */
} mr_an_term;

typedef struct mr_an_recovery {
    const char *fault; /* the first region outage */
    const char *region;
    mr_an_term term[MR_AN_MAX_TERMS];
    size_t nterms;
    size_t dominant; /* the term of the largest gate */
    double service_s; /* the service back (the RTO): the largest gate */
    int draws;        /* of the terms drawn (standby, data) */
} mr_an_recovery;

typedef struct mr_analysis {
    const char *scenario, *file;
    const char *traffic;         /* the traffic layer's kind: "traffic_manager" */
    const char *traffic_what;    /* "Traffic Manager", "plain DNS" */
    const char *detection_event; /* what detection is: "endpoint Degraded" */
    mr_an_times detection;  /* to the traffic layer's decision (edge: one POP) */
    int locations, quorum;  /* Traffic Manager: probing locations, tripped for Degraded */
    bool has_all_edges;     /* Front Door */
    int pops;
    mr_an_times all_edges;  /* every edge switched */
    bool has_caches;        /* DNS-based: switch = detection + caches */
    mr_an_times client_switch;
    bool has_recovery;
    mr_an_recovery recovery;
    mr_an_part *parts;
    size_t nparts;
    mr_an_item *items;
    size_t nitems;
    mr_an_unit *units;
    size_t nunits;
    double global;    /* product of the global tier */
    double redundant; /* 1 - prod over units of (1 - unit) */
    double composite; /* global x redundant */
    char *formula;    /* the product written out */
    mr_an_population *populations; /* pinned client populations */
    size_t npopulations;
    mr_an_fault *faults;
    size_t nfaults;
    char **owned; /* private: names built by mr_analyze */
    size_t nowned;
} mr_analysis;

/* Analyses sc. Overrides apply after the scenario's own `analyze.sla`.
 * Returns MR_OK and sets *out (free with mr_analysis_free), or MR_EINVAL
 * with a message in diag when an override names no component. */
/* The ways store d fails over after fault, as analyze's recovery terms
 * and the recovery timeline's critical path say them ("automatic after the
 * grace period 1h, a forced failover"); written into buf. */
const char *mr_an_store_paths(const mr_scenario *sc, size_t d, size_t fault, char buf[128]);

int mr_analyze(const mr_scenario *sc, const mr_an_override *ov, size_t nov, mr_analysis **out,
               mr_diag *diag);
void mr_analysis_free(mr_analysis *a);

#endif
