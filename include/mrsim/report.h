/* include/mrsim/report.h: what components report at the end of a run.
 * A report holds, each kind in the order it was added:
 *  - scalars (component, metric, value): named numbers, which the results
 *    database keeps as they are;
 *  - histograms (component, metric, mr_hist): distributions (latency,
 *    client RTO, staleness);
 *  - records, typed facts that the metrics of docs/model.md "Metrics: exact
 *    definitions" are computed from: the fault episodes and the SLO
 *    windows (the SLO collector), each data store's reads and failovers.
 * Models add to it from their report slot; the runner turns it into the
 * replication's metrics (sim/run/metrics.c). Every entry remembers its
 * source: the id of the component whose slot added it (mr_sim_report sets
 * it; MR_REPORT_NO_SOURCE outside a slot). So the runner finds what a
 * scenario's part reported by the id the builder gave it, never by
 * parsing names. Everything given is copied: names, histograms, arrays. */
#ifndef MRSIM_REPORT_H
#define MRSIM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "simtime.h"
#include "stats.h"
#include "types.h"

/* The source of entries added outside a component's report slot. */
#define MR_REPORT_NO_SOURCE UINT32_MAX

/* A new, empty report. Caller frees with mr_report_free. */
mr_report *mr_report_new(void);
void mr_report_free(mr_report *r);

/* ---- scalars ---------------------------------------------------------- */

/* Adds a scalar; component "" is the whole system. */
void mr_report_scalar(mr_report *r, const char *component, const char *metric, double value);

size_t mr_report_count(const mr_report *r);
/* The ith scalar: returns 1 and sets the outputs, or 0 past the end. */
int mr_report_get(const mr_report *r, size_t i, const char **component, const char **metric,
                  double *value);
/* The source of the ith scalar (MR_REPORT_NO_SOURCE past the end). */
uint32_t mr_report_source(const mr_report *r, size_t i);
/* Entries added from now on have this source, until the next call
 * (mr_sim_report sets it around each slot; tests that write a report by
 * hand set it to stand for a component). */
void mr_report_set_source(mr_report *r, uint32_t source);
/* The value of the first scalar with that component and metric, or NAN. */
double mr_report_find(const mr_report *r, const char *component, const char *metric);
/* The value of the first scalar with that metric added by component id
 * source (whatever component name it gave), or NAN. */
double mr_report_find_from(const mr_report *r, uint32_t source, const char *metric);

/* ---- histograms --------------------------------------------------------- */

/* Adds a copy of h (bit for bit: quantiles and merges of the copy give
 * what the original gives). */
void mr_report_hist(mr_report *r, const char *component, const char *metric, const mr_hist *h);
/* The first histogram with that component and metric, or NULL; it lives
 * as long as the report. */
const mr_hist *mr_report_find_hist(const mr_report *r, const char *component,
                                   const char *metric);

/* ---- fault episodes ------------------------------------------------------
 * An episode runs from its fault's start to the next fault's start or the
 * horizon (docs/model.md "RTO"). */
typedef struct mr_episode_record {
    uint32_t fault;    /* the fault's index, in the order the scenario lists them */
    double start_s;    /* the fault's start */
    double end_s;      /* the fault's own end; NaN when it outlasted the horizon */
    double rto_s;      /* its RTO; when censored, the episode's length */
    int censored;      /* 1: the service had not recovered by the episode's end */
    double downtime_s; /* the below-target windows it owns, warm-up excluded */
} mr_episode_record;

void mr_report_episode(mr_report *r, const mr_episode_record *e);
/* The episodes in the order they were added (*n of them; NULL when none). */
const mr_episode_record *mr_report_episodes(const mr_report *r, size_t *n);

/* ---- recovery milestones (docs/model.md "recovery timeline") ------------
 * The moments of an episode's recovery, in the order the table prints
 * them. DETECTED: the traffic layer first marks an endpoint or origin
 * unhealthy; ROUTED_*: the share of requests whose first attempt reached
 * healthy capacity first reaches 50, 95, 99% again; STANDBY_READY: a
 * standby scaled out by the failover policy serves with every pod of its
 * scaled size; STORE_FAILOVER: a data store left without its primary (or
 * write region) has promoted another; RECOVERED: the episode's RTO. */
#define MR_MILESTONE_MAP(X)                                                                      \
    X(DETECTED, "detected", "detected by traffic layer")                                        \
    X(ROUTED_50, "routed_50", "50% routed to healthy")                                          \
    X(ROUTED_95, "routed_95", "95% routed to healthy")                                          \
    X(ROUTED_99, "routed_99", "99% routed to healthy")                                          \
    X(STANDBY_READY, "standby_ready", "standby ready")                                          \
    X(STORE_FAILOVER, "store_failover", "failover complete")                                    \
    X(RECOVERED, "recovered", "service recovered (RTO)")

typedef enum mr_milestone {
#define MR_MILESTONE_ENUM(id, name, label) MR_MS_##id,
    MR_MILESTONE_MAP(MR_MILESTONE_ENUM)
#undef MR_MILESTONE_ENUM
        MR_MS_COUNT
} mr_milestone;

/* "detected" for MR_MS_DETECTED (the JSON's and the database's name);
 * "?" out of range. */
const char *mr_milestone_name(uint32_t m);
/* What the table prints: "detected by traffic layer". */
const char *mr_milestone_label(uint32_t m);

/* One milestone of one episode: reached (t_s set, censored 0), or due but
 * not reached by the episode's end (t_s NaN, censored 1). A milestone that
 * does not apply to the episode has no record. */
typedef struct mr_milestone_record {
    uint32_t episode; /* the episode's index in the replication */
    uint32_t fault;   /* its fault */
    uint32_t what;    /* mr_milestone */
    uint32_t source;  /* the component that reached it; MR_REPORT_NO_SOURCE: the system */
    char component[64]; /* its name ("data/orders"), "" for the system */
    double t_s;       /* from the fault's start; NaN when not reached */
    double limit_s;   /* the episode's end from the fault's start: a censored one's censoring time */
    int censored;
} mr_milestone_record;

void mr_report_milestone(mr_report *r, const mr_milestone_record *m);
/* The milestones in the order they were added (*n; NULL when none). */
const mr_milestone_record *mr_report_milestones(const mr_report *r, size_t *n);

/* ---- data stores -------------------------------------------------------- */

/* One failover of a data store (rule 4). */
typedef struct mr_failover_record {
    uint32_t fault; /* the fault whose episode it belongs to, or UINT32_MAX */
    uint64_t lost;  /* acknowledged writes the promoted replica lacked */
    double rpo_s;   /* the age at the failure of the oldest of them; 0 when none */
    double at_s;    /* when it happened */
} mr_failover_record;

/* What a data store saw after the warm-up: its reads (those served behind
 * the newest committed write, and every read's staleness), its writes
 * overwritten by a conflict, and its failovers in order. */
typedef struct mr_store_record {
    uint64_t reads, stale_reads;
    uint64_t conflicts;
    const mr_hist *staleness_ms;
    size_t nfailovers;
    const mr_failover_record *failovers;
} mr_store_record;

/* Adds a copy of s (its histogram and failovers too). */
void mr_report_store(mr_report *r, const mr_store_record *s);
/* The first store record added by component id source, or NULL; it lives
 * as long as the report. */
const mr_store_record *mr_report_find_store(const mr_report *r, uint32_t source);

/* ---- SLO windows ----------------------------------------------------------
 * The success counts per window of `width` (rule 6). Request fidelity keeps
 * every window: window i had total[i] requests and ok[i] successes, i < n.
 * Aggregate fidelity keeps only the windows below a success share of 1
 * (n is 0): nsparse of them in time order, window sparse_w[i] with
 * sparse_total[i] requests and sparse_ok[i] successes (Poisson counts). */
typedef struct mr_windows_record {
    mr_time width;
    size_t n;
    const uint64_t *total, *ok;
    size_t nsparse;
    const size_t *sparse_w;
    const double *sparse_total, *sparse_ok;
} mr_windows_record;

/* Adds a copy of w (its arrays too). */
void mr_report_windows(mr_report *r, const mr_windows_record *w);
/* The first windows record, or NULL; it lives as long as the report. */
const mr_windows_record *mr_report_find_windows(const mr_report *r);

/* Calls every component's report slot, in the order they were added, each
 * entry's source being the component's id. */
void mr_sim_report(const mr_sim *sim, mr_report *r);

#endif
