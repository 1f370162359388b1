/* sim/run/timeline.h: private to sim/run: the recovery timeline of each
 * fault (docs/model.md "recovery timeline", docs/results.md "Recovery
 * timeline"). A scenario's milestones are slots: detection, the three
 * routed shares, each cluster's standby ready, each data store's failover,
 * the recovery (RTO). A replication's row holds, per fault and slot, the
 * time from the fault's start (the mean over its episodes in the
 * replication, a censored one at its censoring time) and whether one was
 * censored (NaN both when the slot did not apply), then the fault's
 * critical path; run.c summarises them over replications. */
#ifndef MRSIM_RUN_TIMELINE_H
#define MRSIM_RUN_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "config/scenario.h"
#include "mrsim/report.h"
#include "run/result.h"

/* Slots per fault: 5 + clusters + data stores. */
size_t mr__tl_slots(const mr_scenario *sc);
/* Row columns per fault: two per slot and the critical path. */
static inline size_t mr__tl_cols(const mr_scenario *sc)
{
    return 2 * mr__tl_slots(sc) + 1;
}
/* The slot's milestone (mr_milestone) and, for a standby or a store, the
 * index of its cluster or store (SIZE_MAX otherwise). */
uint32_t mr__tl_slot_what(const mr_scenario *sc, size_t slot, size_t *index);
/* The slot's component as the database and the JSON name it ("traffic",
 * "clusters/aks-neu", "data/orders"; "" for the system); written into buf. */
const char *mr__tl_slot_component(const mr_scenario *sc, size_t slot, char *buf, size_t n);

/* Fills the replication's timeline columns (row + base: nfaults x
 * mr__tl_cols, NaN on entry) from r's milestone and episode records, and
 * adds each milestone to r as scalars of component "milestone/K" (episode
 * K; metric "<name>|<component>", value t_s, and "<name>|<component>|
 * censored") for the results database. */
void mr__tl_row(const mr_scenario *sc, mr_report *r, double *row);

/* The timeline of fault f over reps rows (stride ncols, the fault's
 * columns at base): ep->timeline (allocated; mr_result_fini frees it) and
 * its critical path with the reason the configuration gives. */
void mr__tl_summarise(const mr_scenario *sc, size_t f, const double *rows, uint64_t reps,
                      size_t ncols, size_t base, mr_episode_result *ep);

#endif
