/* include/mrsim/sim.h: the kernel of one replication.
 * An mr_sim owns a clock, an event queue ordered by (time, seq), and the
 * components. Lifecycle (libuv style, in this order):
 *   1. mr_sim_new(seed, rep)
 *   2. mr_sim_add() for every component (each one's init runs)
 *   3. mr_sim_start(): every link, then every start, in add order
 *   4. mr_sim_run() as often as wanted (HORIZON, UNTIL a time, or STEP)
 *   5. mr_sim_finish(): every finish, in add order (optional)
 *   6. mr_sim_free(): frees pending events, every fini, returns MR_OK only if
 *      the event pool balanced (no event leaked).
 * Nothing here is thread-safe across one mr_sim; separate mr_sims (one per
 * replication) share nothing and run on separate threads. */
#ifndef MRSIM_SIM_H
#define MRSIM_SIM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "event.h"
#include "model.h"
#include "simtime.h"
#include "types.h"

typedef enum mr_run_mode {
    MR_RUN_HORIZON = 0, /* every event up to and including the horizon */
    MR_RUN_UNTIL,       /* every event up to and including the given time (capped by the horizon) */
    MR_RUN_STEP,        /* exactly one event, if one is due by the horizon */
} mr_run_mode;

/* A new kernel for replication rep of a run seeded with seed; horizon
 * MR_TIME_NEVER until set. Caller frees with mr_sim_free. */
mr_sim *mr_sim_new(uint64_t seed, uint64_t rep);

/* Frees everything: pending events, then each component's fini, its state,
 * cfg and streams. Returns MR_OK, or MR_EBUSY when the event pool's count of
 * live events did not return to zero (a kernel bug); NULL is a no-op. */
int mr_sim_free(mr_sim *sim);

/* Adds a component of the given model named name (unique, copied), with a
 * copy of cfg (cfg_size bytes; NULL: all zero), a
 * zeroed state, and its own stream seeded from (seed, rep, name); then runs
 * its init. On success sets *out (if not NULL) and returns MR_OK. Fails with
 * MR_ESTATE after mr_sim_start, MR_EEXIST for a name in use, MR_EINVAL for a
 * model without handle, or the init's code (diagnostics in diag); on failure
 * nothing was added. */
int mr_sim_add(mr_sim *sim, const mr_model *model, const char *name, const void *cfg,
               mr_diag *diag, mr_component **out);

/* Links every component, then starts every component, in the order added.
 * Returns MR_OK or the first failing link's code (all links run, so diag
 * collects every problem); MR_ESTATE if already started. */
int mr_sim_start(mr_sim *sim, mr_diag *diag);

/* Sets the horizon (>= now). Returns MR_OK or MR_EPAST. */
int mr_sim_set_horizon(mr_sim *sim, mr_time horizon);
mr_time mr_sim_horizon(const mr_sim *sim);

/* Schedules an event for component target, delay ns from now, with len
 * bytes of payload copied (len <= MR_PAYLOAD_SIZE; the rest is zeroed). On
 * success sets *h (if not NULL) and returns MR_OK. Errors, with nothing
 * scheduled: MR_EDELAY (delay < 0), MR_ENOCOMP (no such id), MR_EINVAL
 * (len too large, or payload NULL with len > 0), MR_ERANGE (time overflows). */
int mr_sim_schedule(mr_sim *sim, mr_time delay, uint32_t target, uint32_t kind,
                    const void *payload, size_t len, mr_handle *h);

/* The same at an absolute time; MR_EPAST when at < now. */
int mr_sim_schedule_at(mr_sim *sim, mr_time at, uint32_t target, uint32_t kind,
                       const void *payload, size_t len, mr_handle *h);

/* Cancels a pending event. MR_OK, or MR_ESTALE when the handle's event has
 * already fired or been cancelled (or the handle is the zero handle). */
int mr_sim_cancel(mr_sim *sim, mr_handle h);

/* 1 if the handle's event is still pending. */
int mr_sim_pending_handle(const mr_sim *sim, mr_handle h);

/* Runs in the given mode (until is read by MR_RUN_UNTIL only). Returns MR_OK
 * when the run reached its end (for STEP: one event was dispatched), or
 * MR_EEMPTY when STEP found no event due by the horizon; MR_ESTATE before
 * mr_sim_start. A handler's mr_sim_stop ends the run early with MR_OK. After
 * HORIZON and UNTIL the clock stands at the end time (if no stop). */
int mr_sim_run(mr_sim *sim, mr_run_mode mode, mr_time until);

/* A flag (set by a signal handler) that mr_sim_run polls every
 * MR_SIM_INTERRUPT_EVERY events: once nonzero the run returns MR_EINTR
 * after the event being handled, its clock short of the end, so one long
 * replication still stops on Ctrl-C. NULL (the default) polls nothing. */
#define MR_SIM_INTERRUPT_EVERY 4096u
void mr_sim_set_interrupt(mr_sim *sim, const atomic_int *flag);

/* Asks the current run to return after the event being handled. */
void mr_sim_stop(mr_sim *sim);

/* Finishes every component (closes open intervals) at the current time. */
void mr_sim_finish(mr_sim *sim);

mr_time mr_sim_now(const mr_sim *sim);
/* Events dispatched so far. */
uint64_t mr_sim_events(const mr_sim *sim);
/* Events pending. */
size_t mr_sim_pending(const mr_sim *sim);
/* Time of the next pending event: MR_OK, or MR_EEMPTY with *t untouched. */
int mr_sim_next_time(mr_sim *sim, mr_time *t);
/* Events delivered to a component that did not recognise their kind. */
uint64_t mr_sim_unhandled_count(const mr_sim *sim);
/* Handlers call this for a kind they do not know: counted, never fatal. */
void mr_sim_unhandled(mr_sim *sim, const mr_event *ev);

uint64_t mr_sim_seed(const mr_sim *sim);
uint64_t mr_sim_replication(const mr_sim *sim);

/* Components by id (NULL out of range) and by name (NULL if none). */
size_t mr_sim_component_count(const mr_sim *sim);
mr_component *mr_sim_component(const mr_sim *sim, uint32_t id);
mr_component *mr_sim_find(const mr_sim *sim, const char *name);

/* A link a component was handed (a component id in its cfg), resolved at
 * its link step: the component with that id if it is of model kind (or
 * family) `kind`;
 * otherwise NULL after a diagnostic naming self, what it asked for (`role`,
 * e.g. "region") and what it found. Models find their neighbours only
 * this way: the builder decides who links to whom. */
mr_component *mr_sim_link(const mr_sim *sim, const mr_component *self, int64_t id,
                          const char *kind, const char *role, mr_diag *diag);

/* Reserves room for n pending events (an optimisation; never required). */
void mr_sim_reserve(mr_sim *sim, size_t n);

/* Trace hook: called for every dispatched event, before its handler, with
 * the event and its target. NULL removes it. */
typedef void (*mr_trace_fn)(void *ctx, const mr_sim *sim, const mr_component *target,
                            const mr_event *ev);
void mr_sim_set_trace(mr_sim *sim, mr_trace_fn fn, void *ctx);

/* Milestone hook (docs/model.md "recovery timeline"): a component tells
 * whoever listens (the SLO collector, which installs itself at link) that
 * a moment of recovery happened now: `what` is an mr_milestone
 * (mrsim/report.h), `reached` 0 when it became due (a standby asked to
 * scale, a store left without its primary: from then on it applies) and 1
 * when it happened. No listener: a no-op, so models stay testable alone.
 * Called at rare events only (a verdict's change, a failover), never per
 * request. */
/* reached: due, reached, or withdrawn: a due milestone no longer due (a
 * store's primary back before any failover) did not apply after all. */
enum { MR_MARK_DUE = 0, MR_MARK_REACHED = 1, MR_MARK_WITHDRAWN = 2 };
typedef void (*mr_mark_fn)(void *ctx, uint32_t what, const mr_component *source, int reached,
                           mr_time now);
void mr_sim_set_mark(mr_sim *sim, mr_mark_fn fn, void *ctx);
void mr_sim_mark(mr_sim *sim, uint32_t what, const mr_component *source, int reached);

/* The trace as CSV (time_s,component,kind,detail), the writer of --trace.
 * Install with mr_sim_set_trace(sim, mr_trace_csv, file) after writing the
 * header with mr_trace_csv_header(file). Write errors show in ferror(file). */
void mr_trace_csv_header(FILE *f);
void mr_trace_csv(void *file, const mr_sim *sim, const mr_component *target,
                  const mr_event *ev);

/* The detail column of the trace for one event: the target model's
 * event_detail, else, for a public message, its payload in words. Built
 * only when a trace is written (never on the untraced path). */
void mr_trace_detail(const mr_sim *sim, const mr_component *target, const mr_event *ev,
                     char *buf, size_t n);

/* --trace-filter (docs/cli.md "--trace"): clauses separated by blanks,
 * each `component=GLOB[,GLOB...]`, `kind=NAME[,NAME...]` or a bare
 * GLOB list (a component). Clauses of one key widen it (or), the two keys
 * narrow each other (and). */
#define MR_TRACE_FILTER_MAX 32
typedef struct mr_trace_filter {
    char buf[1024]; /* the expression, its lists split in place */
    const char *comp[MR_TRACE_FILTER_MAX];
    const char *kind[MR_TRACE_FILTER_MAX];
    size_t ncomp, nkind;
} mr_trace_filter;

/* The command line parses it (sim/cli/tracefilter.c, which knows the
 * kinds of every model); the kernel only matches. */
/* 1 when an event of that component and kind passes f (NULL passes all). */
int mr_trace_filter_match(const mr_trace_filter *f, const char *component, const char *kind);

/* The --trace writer's context: the file and an optional filter. Install
 * with mr_sim_set_trace(sim, mr_trace_csv_filtered, &out). */
typedef struct mr_trace_out {
    FILE *f;
    const mr_trace_filter *filter;
} mr_trace_out;
void mr_trace_csv_filtered(void *out, const mr_sim *sim, const mr_component *target,
                           const mr_event *ev);

/* The name of an event's kind as the trace prints it: the public message
 * name, else the target model's event_name, else "private+N". Writes into
 * buf when it has to format; returns a pointer to the name. */
const char *mr_event_kind_name(const mr_component *target, uint32_t kind, char *buf,
                               size_t n);

#endif
