/* sim/run/live.h: one replication run live, for `mrsim tui` (docs/tui.md).
 * The TUI reaches the simulation only through this API: open a scenario's
 * replication 0 with a seed, advance it by simulated time or by one event,
 * inject a fault at the current time, repair it, read every component's
 * report and state, the SLO collector's windows and the milestones so far,
 * and write the session back as a scenario file.
 *
 * Replay exactness by construction. An injected fault is appended to the
 * scenario's faults as `faults[+]={name, kind, target, at, duration}` (the
 * same text the session file gets) and the scenario is loaded again and
 * replication 0 rebuilt and run from time 0 to now. The live simulation is
 * therefore the very run `mrsim run` makes of the written file with the same
 * seed: the same fault index, streams, episode accounting and equal-time
 * order of events, which no injection into a running kernel could promise
 * (a fault read from a file is queued at the start with an early sequence
 * number, one injected mid-run would be queued after every event already
 * pending at its time). The price: an injection or a repair re-simulates
 * the run so far (a 2 h active-passive-tm run takes about 3 s of one core;
 * at 10 min in, 0.3 s). What came before the injection is unchanged: a
 * constant `at` and `duration` draw nothing from the injector's stream, and
 * every other component's stream is keyed by its own name.
 *
 * Times are written in whole milliseconds: an injection happens at the
 * current time rounded up to the next millisecond, so the file says it
 * exactly. */
#ifndef MRSIM_RUN_LIVE_H
#define MRSIM_RUN_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "config/scenario.h"
#include "mrsim/diag.h"
#include "mrsim/event.h"
#include "mrsim/fault.h"
#include "mrsim/report.h"
#include "mrsim/simtime.h"
#include "run/result.h"

typedef struct mr_live mr_live;

/* A fault to inject. target names a region, cluster, data store or
 * dependency as the scenario does (NULL for the traffic layer's kinds);
 * zone_outage names the region and zone (1-based). */
#define MR_LIVE_UNTIL_REPAIRED ((mr_time)-1)
typedef struct mr_live_fault {
    mr_fault_kind kind;
    const char *target;
    int zone;
    double severity;   /* (0, 1]; 0 is read as 1 */
    int invert;        /* gray_failure: probes fail while requests pass */
    int planned;       /* datastore_failover: planned, not forced */
    const char *peer;  /* network_partition: the other region; NULL: the clients */
    mr_time duration;  /* > 0, or MR_LIVE_UNTIL_REPAIRED; ignored for a
                        * datastore_failover, a single action */
} mr_live_fault;

/* An injected fault as the session keeps it. */
typedef struct mr_live_injected {
    char name[32];        /* tui-1, tui-2, ... (unique in the scenario) */
    mr_fault_kind kind;
    char target[96];      /* as written, "" for the traffic layer */
    mr_time at;           /* its start */
    mr_time duration;     /* its length; for an open "until repaired" one, past the horizon */
    int until_repaired;   /* injected without a duration */
    int repaired;         /* cut short by mr_live_repair */
    size_t index;         /* its index in the scenario's faults */
    char entry[640];      /* the flow map the file and the loader get (room for every part at its longest) */
} mr_live_injected;

/* A public message (mrsim/event.h) the replication dispatched: the event
 * log's raw material, kept in a ring of MR_LIVE_LOG entries. */
#define MR_LIVE_LOG 4096
typedef struct mr_live_event {
    mr_time t;
    uint32_t kind;   /* an mr_msg below MR_MSG_PRIVATE */
    uint32_t target; /* component id */
    unsigned char payload[MR_PAYLOAD_SIZE];
} mr_live_event;

/* What the screen reads, refreshed by mr_live_read. Pointers live until the
 * next mr_live_read, inject, repair or close. */
typedef struct mr_live_view {
    mr_time now, horizon;
    uint64_t events;
    int ended;
    /* The metrics of docs/model.md so far (exact once ended: the numbers
     * `mrsim run -n 1` of the written session prints); NaN: n/a yet. */
    double metrics[MR_METRIC_COUNT];
    const mr_report *report; /* every component's report so far */
    const mr_report *status; /* every component's state now (mr_model.status) */
    mr_time window;          /* the SLO window */
    size_t nwin;             /* windows begun so far */
} mr_live_view;

/* Opens replication 0 of the scenario at path loaded with the overrides
 * sets (a variant's), seeded with seed (seed_set 0: the file's). Returns
 * MR_OK and *out, or the loader's or builder's code after diagnostics
 * (MR_ESCENARIO for an invalid scenario, as validate reports it). */
int mr_live_open(const char *path, const char *const *sets, size_t nsets, uint64_t seed,
                 int seed_set, mr_live **out, mr_diag *diag);
void mr_live_close(mr_live *lv);

const mr_scenario *mr_live_scenario(const mr_live *lv); /* with the injected faults */
uint64_t mr_live_seed(const mr_live *lv);
mr_time mr_live_now(const mr_live *lv);
mr_time mr_live_horizon(const mr_live *lv);
int mr_live_ended(const mr_live *lv);

/* Advances by dt of simulated time (capped at the horizon), by one event,
 * or to time t. At the horizon the run finishes (*ended 1, as mr_live_ended)
 * and its metrics are final. MR_OK, or the kernel's code. */
int mr_live_advance(mr_live *lv, mr_time dt, int *ended);
int mr_live_step(mr_live *lv, int *ended);
int mr_live_run_until(mr_live *lv, mr_time t, int *ended);

/* Injects f at now rounded up to the millisecond. MR_OK and *index (in
 * mr_live_injected) when it loaded and the replication was rebuilt to
 * that time; otherwise the live run is untouched and the code says why:
 * MR_ESTATE after the end, MR_ESCENARIO (a bad target, kind or value:
 * the loader's located message, "--set:1:COL: error: ..."), MR_EINVAL. */
int mr_live_inject(mr_live *lv, const mr_live_fault *f, size_t *index, mr_diag *diag);
/* Repairs now (rounded up to the millisecond) every injected fault in
 * force on target ("" or NULL: the traffic layer): its duration becomes
 * now - at. *count receives how many (0: nothing to repair, MR_OK). */
int mr_live_repair(mr_live *lv, const char *target, size_t *count, mr_diag *diag);
size_t mr_live_injected_count(const mr_live *lv);
const mr_live_injected *mr_live_injected_at(const mr_live *lv, size_t i);

/* Refreshes and returns the view. */
const mr_live_view *mr_live_read(mr_live *lv);
/* The success share of window w (< view nwin) so far: NaN when it saw no
 * request (request fidelity) or in the warm-up. */
double mr_live_window_share(const mr_live *lv, size_t w);

/* The shares of windows 0 .. n - 1 into out, in one pass (n <= view nwin):
 * what mr_live_window_share gives each, in O(n + the kept windows). */
void mr_live_window_shares(const mr_live *lv, double *out, size_t n);

/* The lowest success share of windows a .. b - 1 (within view nwin): what
 * the least of mr_live_window_shares over them gives (NaN: none had a
 * request, or all are warm-up), in O(b - a) at request fidelity and
 * O(log + the kept windows among them) at aggregate fidelity, where a
 * year has 3 million windows: the chart's columns cost that per frame. */
double mr_live_window_worst(const mr_live *lv, size_t a, size_t b);
/* Whether the view's RTO and client RTO so far are lower bounds, as
 * `mrsim run` marks them ">=": an episode not recovered (by now, or by the
 * horizon), or a group of clients not recovered. */
void mr_live_lower_bounds(const mr_live_view *v, int *rto, int *client_rto);

/* Requests routed to each region (its clusters' `served` series, both
 * fidelities) per period: the SLO window, or the multiple of it that keeps
 * a run within MR_VECTOR_MAX_SAMPLES periods (as vectors). Periods
 * complete so far, and what region r received in period k (< that; NaN
 * outside). */
mr_time mr_live_period(const mr_live *lv);
size_t mr_live_periods(const mr_live *lv);
double mr_live_served(const mr_live *lv, size_t k, size_t region);
/* The p99 latency (ms, docs/results.md latency_ms_p99's definition: the
 * successful requests first issued after the warm-up) of the requests
 * whose latency was recorded in period k, that is that completed in it;
 * NaN when none did, at aggregate fidelity (no latency is recorded), and
 * for k not complete yet. Within the histogram's 0.4% (mrsim/stats.h). */
double mr_live_latency_p99(const mr_live *lv, size_t k);

/* The event log: how many entries the ring holds, and entry i (0: the
 * oldest kept). mr_live_event_text writes one line for it:
 * "fault_start region_outage westeurope (tui-1)". */
size_t mr_live_log_count(const mr_live *lv);
const mr_live_event *mr_live_log_at(const mr_live *lv, size_t i);
void mr_live_event_text(const mr_live *lv, const mr_live_event *e, char *buf, size_t n);
/* A component's name by id ("" when none). */
const char *mr_live_component_name(const mr_live *lv, uint32_t id);

/* Writes the session to out_path: the loaded file's text with every
 * injected fault appended to its top-level `faults:` list (a new list at
 * the end when it has none), and a comment with the command that replays
 * it. MR_OK, or MR_EIO / MR_EINVAL after a diagnostic (a file whose faults
 * come only from `extends:` or are written in flow style is refused). */
int mr_live_write(mr_live *lv, const char *out_path, mr_diag *diag);
/* Injected faults not written since they last changed. */
int mr_live_unsaved(const mr_live *lv);

#endif
