/* sim/run/cost.h: the monthly cost of one replication (docs/model.md
 * "Metrics", cost; docs/reference.md §10 "How to model costs"): a pure function
 * of the scenario (prices, topology) and the replication's report (what was
 * used). Every item is a real number, 0 when nothing is billed (no data
 * store: no transfer), so cost_usd_month is never null for a run.
 *
 * What the models report, and what is read (the convention new models
 * follow; each is found by the component id the builder gave the part,
 * run/build.h, never by its name; a scalar that is absent counts as 0
 * unless said otherwise):
 * - each cluster      node_hours        node-hours over the horizon
 *                                       (required: nodes is NaN without it)
 * - each resolver     refreshes         queries that reached the traffic
 *   pool                                layer
 * - the traffic layer requests          Front Door requests over the horizon
 * - each data store   replicated_bytes  bytes shipped to other regions (a
 *                                       write to a store with 2 secondaries
 *                                       counts twice; the models take the
 *                                       size of a write from
 *                                       cost.bytes_per_write)
 * - any component     cost_usd_month    a model's own cost, already per
 *                                       month (the runner's whole-system
 *                                       entry, added outside any component's
 *                                       slot, is the metric itself and not
 *                                       counted). A store that reports it is
 *                                       not priced again from the scenario;
 *                                       one that does not is priced by its
 *                                       kind (mr_model.cost: usd_per_month
 *                                       per copy for sql and redis, once for
 *                                       blob; Cosmos RU/s from the cost: keys).
 * Usage over the horizon (the whole of it, warm-up included: resources are
 * billed from t = 0, and the caches and clusters start in steady state, so
 * the warm-up is no transient to cut) is scaled to cost.hours_per_month. */
#ifndef MRSIM_RUN_COST_H
#define MRSIM_RUN_COST_H

#include "run/result.h"
#include "config/scenario.h"
#include "mrsim/types.h"

/* Fills items[MR_COST_ITEM_COUNT] (the run rate, currency per month) for
 * the replication whose report is r and returns their sum (NaN when an
 * item is NaN); *incident_usd (unless NULL) gets the incident cost, and
 * unpriced (unless NULL) what was billed at 0. */
double mr_cost_month(const mr_scenario *sc, const mr_report *r, double items[MR_COST_ITEM_COUNT],
                     double *incident_usd, mr_cost_unpriced *unpriced);
/* The incident cost per episode of each of the scenario's faults
 * (per_fault[f], f < sc->nfaults): what the moments attributed to fault f
 * (from its start to the next start of any fault: models/fault_set.h)
 * added, over its episodes in the replication; NaN when it had none. The
 * faults' shares add up to *incident_usd of mr_cost_month. */
void mr_cost_incident_by_fault(const mr_scenario *sc, const mr_report *r, double *per_fault);
/* The scenario's unpriced items (the same for every replication). */
void mr_cost_unpriced_list(const mr_scenario *sc, mr_cost_unpriced *out);

#endif
