/* sim/run/metrics.h: private to sim/run: the metrics of one replication
 * (docs/model.md "Metrics: exact definitions"), computed from what its
 * components reported (mrsim/report.h) and from nothing else: no model's
 * state, no component found by name. A scenario's parts are matched to
 * their reports by the component ids the builder gave them (build.h).
 * A replication's metrics are one row of doubles (NaN: does not apply),
 * which the runner keeps and run.c summarises. The columns, in order: the
 * MR_METRIC_COUNT metrics of result.h; per fault its mean episode RTO and
 * whether an episode of it was censored; the event and request counts; the
 * columns the SLO verdicts read (verdict.h); per client population its
 * availability; per data store the MR_STORE_METRICS of mr__store_metric
 * and its MR_STORE_CAPACITY_METRICS;
 * the cost items (cost.h); per population its client RTO; the whole
 * system's censored share of client RTO. */
#ifndef MRSIM_RUN_METRICS_H
#define MRSIM_RUN_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "config/scenario.h"
#include "mrsim/report.h"
#include "run/build.h"
#include "run/result.h"
#include "timeline.h"
#include "verdict.h"

/* The columns of a scenario's rows. */
typedef struct mr__metric_cols {
    const mr_scenario *sc; /* not owned */
    mr__slo_cols slo;      /* where the verdicts' columns start */
    size_t ncols;          /* the row's length */
} mr__metric_cols;

mr__metric_cols mr__metric_cols_of(const mr_scenario *sc);

static inline size_t mr__col_fault_rto(const mr__metric_cols *c, size_t f)
{
    (void)c;
    return MR_METRIC_COUNT + 2 * f;
}
static inline size_t mr__col_fault_censored(const mr__metric_cols *c, size_t f)
{
    (void)c;
    return MR_METRIC_COUNT + 2 * f + 1;
}
static inline size_t mr__col_events(const mr__metric_cols *c)
{
    return MR_METRIC_COUNT + 2 * c->sc->nfaults;
}
static inline size_t mr__col_requests(const mr__metric_cols *c)
{
    return mr__col_events(c) + 1;
}
static inline size_t mr__col_population(const mr__metric_cols *c, size_t p)
{
    return mr__slo_ncols(c->slo) + p;
}
static inline size_t mr__col_store(const mr__metric_cols *c, size_t d, size_t k)
{
    return mr__col_population(c, c->sc->nclients) +
           (MR_STORE_METRICS + MR_STORE_CAPACITY_METRICS) * d + k;
}
/* Its capacity metrics (result.h), k = 0 or 1, after its others. */
static inline size_t mr__col_store_capacity(const mr__metric_cols *c, size_t d, size_t k)
{
    return mr__col_store(c, d, MR_STORE_METRICS + k);
}
static inline size_t mr__col_cost(const mr__metric_cols *c, int item)
{
    return mr__col_store(c, c->sc->ndatastores, 0) + (size_t)item;
}
/* Per population p its client RTO (k = 0: the mean over its groups'
 * samples, censored ones at their censoring time; 1: its censored samples;
 * 2: its samples). */
static inline size_t mr__col_pop_crto(const mr__metric_cols *c, size_t p, size_t k)
{
    return mr__col_cost(c, MR_COST_ITEM_COUNT) + 3 * p + k;
}
/* The whole system's share of censored client RTO samples. */
static inline size_t mr__col_crto_censored(const mr__metric_cols *c)
{
    return mr__col_pop_crto(c, c->sc->nclients, 0);
}
/* The latency of failed requests: k = 0 its p50, 1 its p99. */
static inline size_t mr__col_failed_latency(const mr__metric_cols *c, size_t k)
{
    return mr__col_crto_censored(c) + 1 + k;
}

/* The recovery timeline (timeline.h): per fault mr__tl_cols columns. */
static inline size_t mr__col_timeline(const mr__metric_cols *c)
{
    return mr__col_failed_latency(c, 2);
}

/* The metrics of a store's columns, in order (the data-store rows of
 * MR_METRIC_MAP). */
extern const mr_metric mr__store_metric[MR_STORE_METRICS];

/* Fills row (c->ncols values, NaN on entry) with the metrics of the
 * replication whose components reported r, and which ran `events` events.
 * Adds the cost items to r as scalars of component "cost_breakdown", named
 * as in the JSON, for the results database. */
void mr__metrics_row(const mr__metric_cols *c, mr_report *r, uint64_t events, double *row);

/* The replication's client RTO samples (every group's) that recovered, or
 * NULL when no SLO collector reported; it lives as long as r. */
const mr_hist *mr__metrics_client_rto(const mr_report *r);
/* The same for the censored samples (at their censoring time). */
const mr_hist *mr__metrics_client_rto_censored(const mr_report *r);

/* Points the view's SLO distributions and windows into r (left NULL and 0
 * when no SLO collector reported them). */
void mr__metrics_view(const mr_report *r, mr_rep_view *v);

/* Per fault its incident cost per episode (cost.h). */
static inline size_t mr__col_fault_incident(const mr__metric_cols *c, size_t f)
{
    return mr__col_timeline(c) + c->sc->nfaults * mr__tl_cols(c->sc) + f;
}

#endif
