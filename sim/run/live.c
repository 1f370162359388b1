/* sim/run/live.c: one replication run live (live.h). Every injection or
 * repair reloads the scenario with the injected faults appended through
 * `faults[+]=ENTRY` overrides and rebuilds replication 0 up to now, so the
 * live run is, event for event, the run of the session file it writes. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/node.h"
#include "metrics.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/sim.h"
#include "mrsim/stats.h"
#include "run/build.h"
#include "run/live.h"
#include "vectors.h"

#define MAX_INJECTED 64
#define MS ((mr_time)1000000)

struct mr_live {
    char *path;
    char **sets; /* the caller's overrides (a variant's), then one per injected fault */
    size_t nbase;
    uint64_t seed;
    mr_scenario *sc;
    mr_sim *sim;
    mr__metric_cols cols;
    double *row; /* cols.ncols */
    int ended;
    size_t nfaults_file; /* the faults of the file and its overrides */
    mr_live_injected inj[MAX_INJECTED];
    /* What compose needs again at a repair, the caller's strings copied. */
    mr_live_fault kept[MAX_INJECTED];
    char kept_peer[MAX_INJECTED][96];
    size_t ninj;
    int unsaved;
    /* the log ring */
    mr_live_event log[MR_LIVE_LOG];
    size_t log_head, log_n;
    mr_live_view view;
    mr_report *report, *status;
    /* Requests routed to each region per period (served.h): the clusters'
     * `served` series read at every period boundary the run passes. */
    mr_time period;
    size_t nperiods;   /* of the whole run */
    size_t nsampled;   /* boundaries read: 0 .. nsampled - 1 */
    double *served;    /* (nperiods + 1) x nregions, cumulative at each boundary */
    size_t *served_at; /* per cluster: its `served` series' index, SIZE_MAX: none */
    /* The p99 latency per period: the SLO collector's latency histogram
     * (its status slot) as it stood at the last boundary read, and the
     * p99 of what it received in each period, read at its end. */
    const mr_component *slo; /* NULL: none */
    mr_hist lat_prev;
    double *p99;             /* nperiods + 1 */
};

/* ---- the event log ------------------------------------------------------ */

/* The trace hook: one comparison for most events; a public message (rare:
 * faults, verdicts, scaling, failovers) is copied into the ring, nothing
 * formatted or allocated. A fault's START and END go to every target and
 * watcher: kept once. */
static void on_event(void *ctx, const mr_sim *sim, const mr_component *target,
                     const mr_event *ev)
{
    (void)sim;
    if (ev->kind >= MR_MSG_PRIVATE || ev->kind == MR_MSG_WAKE || ev->kind == MR_MSG_CAPACITY ||
        ev->kind == MR_MSG_NONE)
        return;
    mr_live *lv = ctx;
    if (lv->log_n > 0) {
        const mr_live_event *last = &lv->log[(lv->log_head + lv->log_n - 1) % MR_LIVE_LOG];
        if (last->kind == ev->kind && last->t == ev->time &&
            (ev->kind == MR_MSG_FAULT_START || ev->kind == MR_MSG_FAULT_END ||
             ev->kind == MR_MSG_ENDPOINT_STATUS) &&
            memcmp(last->payload, ev->payload.bytes, 8) == 0)
            return;
    }
    mr_live_event *e;
    if (lv->log_n < MR_LIVE_LOG) {
        e = &lv->log[(lv->log_head + lv->log_n++) % MR_LIVE_LOG];
    } else {
        e = &lv->log[lv->log_head];
        lv->log_head = (lv->log_head + 1) % MR_LIVE_LOG;
    }
    e->t = ev->time;
    e->kind = ev->kind;
    e->target = target->id;
    memcpy(e->payload, ev->payload.bytes, MR_PAYLOAD_SIZE);
}

size_t mr_live_log_count(const mr_live *lv)
{
    return lv->log_n;
}

const mr_live_event *mr_live_log_at(const mr_live *lv, size_t i)
{
    return i < lv->log_n ? &lv->log[(lv->log_head + i) % MR_LIVE_LOG] : NULL;
}

const char *mr_live_component_name(const mr_live *lv, uint32_t id)
{
    const mr_component *c = mr_sim_component(lv->sim, id);
    return c ? c->name : "";
}

/* The traffic layer's endpoint e by its cluster's name ("?" out of range). */
static const char *endpoint_name(const mr_live *lv, uint32_t e)
{
    const mr_sc_traffic *tr = &lv->sc->traffic;
    return e < tr->nendpoints && tr->endpoints[e].cluster < lv->sc->nclusters
               ? lv->sc->clusters[tr->endpoints[e].cluster].name
               : "?";
}

void mr_live_event_text(const mr_live *lv, const mr_live_event *e, char *buf, size_t n)
{
    const char *who = mr_live_component_name(lv, e->target);
    switch (e->kind) {
    case MR_MSG_FAULT_START:
    case MR_MSG_FAULT_END: {
        mr_msg_fault m;
        memcpy(&m, e->payload, sizeof m);
        const char *fname =
            m.fault < lv->sc->nfaults ? lv->sc->faults[m.fault].name : "?";
        snprintf(buf, n, "%s %s %s (%s)", e->kind == MR_MSG_FAULT_START ? "fault" : "repaired",
                 mr_fault_kind_name((mr_fault_kind)m.kind), who, fname);
        break;
    }
    case MR_MSG_ENDPOINT_STATUS: {
        mr_msg_status m;
        memcpy(&m, e->payload, sizeof m);
        /* As the scenario names it (its cluster), the words the topology
         * panel uses. */
        snprintf(buf, n, "endpoint %s %s (probes)", endpoint_name(lv, m.endpoint),
                 m.healthy ? "Online" : "Degraded");
        break;
    }
    case MR_MSG_SCALE: {
        mr_msg_scale m;
        memcpy(&m, e->payload, sizeof m);
        snprintf(buf, n, "scale %s to %d nodes", who, (int)m.nodes);
        break;
    }
    case MR_MSG_PROMOTE: {
        mr_msg_promote m;
        memcpy(&m, e->payload, sizeof m);
        snprintf(buf, n, "failover %s (%s)", who, m.forced ? "forced" : "planned");
        break;
    }
    case MR_MSG_ENDPOINT_ADMIN: {
        mr_msg_admin m;
        memcpy(&m, e->payload, sizeof m);
        snprintf(buf, n, "endpoint %s %s by the runbook", endpoint_name(lv, m.endpoint),
                 m.enabled ? "enabled" : "disabled");
        break;
    }
    default: {
        const char *k = mr_msg_name(e->kind);
        snprintf(buf, n, "%s %s", k ? k : "?", who);
    }
    }
}

/* ---- requests per region per period ----------------------------------------
 * The clusters' `served` series (docs/results.md "Vectors") read at every
 * period boundary (the SLO window, or the multiple of it that vectors use
 * beyond MR_VECTOR_MAX_SAMPLES windows): the run is advanced boundary by
 * boundary, as vectors.c does, which adds no event and changes nothing in
 * the run; the reads are per boundary, never per event. */

static void served_setup(mr_live *lv)
{
    const mr_scenario *sc = lv->sc;
    size_t n = 0;
    lv->period = mr__vec_period(sc, &n);
    lv->nperiods = n;
    lv->nsampled = 0;
    size_t nr = sc->nregions ? sc->nregions : 1;
    /* The caller (rebuild) keeps the arrays these replace. */
    lv->served = mr_xcalloc((n + 1) * nr, sizeof *lv->served);
    lv->served_at = mr_xcalloc(sc->nclusters ? sc->nclusters : 1, sizeof *lv->served_at);
    lv->p99 = mr_xcalloc(n + 1, sizeof *lv->p99);
    mr_hist_init(&lv->lat_prev);
    lv->slo = NULL;
    for (uint32_t id = 0; id < mr_sim_component_count(lv->sim); id++) {
        const mr_component *comp = mr_sim_component(lv->sim, id);
        if (strcmp(comp->model->kind, "slo") == 0 && comp->model->status != NULL)
            lv->slo = comp;
    }
    for (size_t c = 0; c < sc->nclusters; c++) {
        lv->served_at[c] = SIZE_MAX;
        const mr_component *comp = mr_sim_component(lv->sim, mr_build_cluster_id(sc, c));
        if (comp == NULL || comp->model->series == NULL || comp->model->sample == NULL)
            continue;
        mr_series_desc desc[MR_SERIES_MAX];
        size_t k = comp->model->series(comp, lv->sim, desc, MR_SERIES_MAX);
        for (size_t i = 0; i < k; i++)
            if (strcmp(desc[i].metric, "served") == 0)
                lv->served_at[c] = i;
    }
}

/* At boundary k = lv->nsampled: the p99 of the latencies recorded since
 * boundary k - 1 goes to p99[k - 1] (NaN: none, as at aggregate fidelity
 * or in the warm-up), and the histogram as it stands becomes the next
 * period's start. A copy of the histogram per boundary (tens of KiB at
 * most), never per event; the run is only read. */
static void latency_read(mr_live *lv)
{
    if (lv->slo == NULL)
        return;
    mr_report *r = mr_report_new();
    mr_report_set_source(r, lv->slo->id);
    lv->slo->model->status(lv->slo, r);
    const mr_hist *h = mr_report_find_hist(r, "", "latency_ms");
    if (lv->nsampled > 0)
        lv->p99[lv->nsampled - 1] = h ? mr_hist_quantile_since(h, &lv->lat_prev, 0.99) : NAN;
    mr_hist_reset(&lv->lat_prev);
    if (h)
        mr_hist_merge(&lv->lat_prev, h);
    mr_report_free(r);
}

/* Reads boundary lv->nsampled (the run stands at it, or just past it
 * after a single step). */
static void served_read(mr_live *lv)
{
    const mr_scenario *sc = lv->sc;
    double *row = lv->served + lv->nsampled * sc->nregions;
    for (size_t c = 0; c < sc->nclusters; c++) {
        if (lv->served_at[c] == SIZE_MAX)
            continue;
        const mr_component *comp = mr_sim_component(lv->sim, mr_build_cluster_id(sc, c));
        double val[MR_SERIES_MAX];
        comp->model->sample(comp, mr_sim_now(lv->sim), val);
        row[sc->clusters[c].region] += val[lv->served_at[c]];
    }
    latency_read(lv);
    lv->nsampled++;
}

/* mr_sim_run(MR_RUN_UNTIL, t), stopping at each period boundary on the way
 * to read it. */
static int run_sampled(mr_live *lv, mr_time t)
{
    while (lv->nsampled <= lv->nperiods) {
        mr_time b = (mr_time)lv->nsampled * lv->period;
        if (b > t || b > mr_sim_horizon(lv->sim))
            break;
        if (b > mr_sim_now(lv->sim)) {
            int rc = mr_sim_run(lv->sim, MR_RUN_UNTIL, b);
            if (rc != MR_OK)
                return rc;
        }
        served_read(lv);
    }
    return t > mr_sim_now(lv->sim) ? mr_sim_run(lv->sim, MR_RUN_UNTIL, t) : MR_OK;
}

mr_time mr_live_period(const mr_live *lv)
{
    return lv->period;
}

size_t mr_live_periods(const mr_live *lv)
{
    return lv->nsampled > 0 ? lv->nsampled - 1 : 0;
}

double mr_live_latency_p99(const mr_live *lv, size_t k)
{
    return k + 1 < lv->nsampled ? lv->p99[k] : NAN;
}

double mr_live_served(const mr_live *lv, size_t k, size_t region)
{
    if (k + 1 >= lv->nsampled || region >= lv->sc->nregions)
        return NAN;
    size_t nr = lv->sc->nregions;
    return lv->served[(k + 1) * nr + region] - lv->served[k * nr + region];
}

/* ---- building ------------------------------------------------------------ */

/* Loads the scenario with the overrides and the injected faults, builds
 * replication 0 and runs it to `to` (every event up to and including it).
 * On success replaces the live run; on failure leaves it as it was. */
static int rebuild(mr_live *lv, mr_time to, mr_diag *diag)
{
    size_t nsets = lv->nbase + lv->ninj;
    const char **sets = mr_xcalloc(nsets ? nsets : 1, sizeof *sets);
    char **mine = mr_xcalloc(lv->ninj ? lv->ninj : 1, sizeof *mine);
    for (size_t i = 0; i < lv->nbase; i++)
        sets[i] = lv->sets[i];
    for (size_t i = 0; i < lv->ninj; i++) {
        size_t len = strlen(lv->inj[i].entry) + 16;
        mine[i] = mr_xmalloc(len);
        snprintf(mine[i], len, "faults[+]=%s", lv->inj[i].entry);
        sets[lv->nbase + i] = mine[i];
    }
    mr_scenario *sc = NULL;
    mr_sim *sim = NULL;
    int rc = mr_scenario_load(lv->path, sets, nsets, mr_model_registry(), &sc, diag);
    for (size_t i = 0; i < lv->ninj; i++)
        free(mine[i]);
    free(mine);
    free(sets);
    if (rc == MR_OK)
        rc = mr_build(sc, lv->seed, 0, &sim, diag);
    size_t saved_head = lv->log_head, saved_n = lv->log_n;
    if (rc == MR_OK) {
        lv->log_head = lv->log_n = 0;
        mr_sim_set_trace(sim, on_event, lv);
    }
    /* The new run's periods, read afresh from time 0; the old run's kept
     * until the new one stands. */
    mr_sim *old_sim = lv->sim;
    const mr_scenario *old_sc = lv->sc;
    size_t old_nsampled = lv->nsampled, old_nperiods = lv->nperiods;
    mr_time old_period = lv->period;
    double *old_served = lv->served;
    size_t *old_served_at = lv->served_at;
    double *old_p99 = lv->p99;
    mr_hist old_prev = lv->lat_prev; /* served_setup makes a new one */
    const mr_component *old_slo = lv->slo;
    if (rc == MR_OK) {
        lv->sim = sim;
        lv->sc = sc;
        served_setup(lv);
        if (to > 0)
            rc = run_sampled(lv, to);
    }
    if (rc != MR_OK) {
        /* The old run's log is still its own (the ring was only reset for
         * a build that ran); so are its periods. */
        lv->log_head = saved_head;
        lv->log_n = saved_n;
        if (lv->sim == sim && sim != NULL) {
            free(lv->served);
            free(lv->served_at);
            free(lv->p99);
            mr_hist_fini(&lv->lat_prev);
            lv->p99 = old_p99;
            lv->lat_prev = old_prev;
            lv->slo = old_slo;
            lv->sim = old_sim;
            lv->sc = (mr_scenario *)old_sc;
            lv->served = old_served;
            lv->served_at = old_served_at;
            lv->nsampled = old_nsampled;
            lv->nperiods = old_nperiods;
            lv->period = old_period;
        }
        if (sim)
            mr_sim_free(sim);
        mr_scenario_free(sc);
        return rc;
    }
    if (old_sim)
        mr_sim_free(old_sim);
    mr_scenario_free((mr_scenario *)old_sc);
    free(old_served);
    free(old_served_at);
    free(old_p99);
    mr_hist_fini(&old_prev);
    lv->sim = sim;
    lv->sc = sc;
    lv->cols = mr__metric_cols_of(sc);
    free(lv->row);
    lv->row = mr_xcalloc(lv->cols.ncols, sizeof *lv->row);
    lv->ended = 0;
    return MR_OK;
}

int mr_live_open(const char *path, const char *const *sets, size_t nsets, uint64_t seed,
                 int seed_set, mr_live **out, mr_diag *diag)
{
    mr_live *lv = mr_xcalloc(1, sizeof *lv);
    lv->path = mr_xstrdup(path);
    lv->nbase = nsets;
    lv->sets = mr_xcalloc(nsets ? nsets : 1, sizeof *lv->sets);
    for (size_t i = 0; i < nsets; i++)
        lv->sets[i] = mr_xstrdup(sets[i]);
    /* The seed is the file's unless given: load once to read it. */
    mr_scenario *first = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &first, diag);
    if (rc == MR_OK)
        rc = mr_build_check(first, diag);
    if (rc == MR_OK) {
        lv->seed = seed_set ? seed : first->seed;
        lv->nfaults_file = first->nfaults;
    }
    mr_scenario_free(first);
    if (rc == MR_OK)
        rc = rebuild(lv, 0, diag);
    if (rc != MR_OK) {
        mr_live_close(lv);
        return rc;
    }
    *out = lv;
    return MR_OK;
}

void mr_live_close(mr_live *lv)
{
    if (lv == NULL)
        return;
    if (lv->sim)
        mr_sim_free(lv->sim);
    mr_scenario_free(lv->sc);
    mr_report_free(lv->report);
    mr_report_free(lv->status);
    free(lv->served);
    free(lv->served_at);
    free(lv->p99);
    mr_hist_fini(&lv->lat_prev);
    for (size_t i = 0; i < lv->nbase; i++)
        free(lv->sets[i]);
    free(lv->sets);
    free(lv->row);
    free(lv->path);
    free(lv);
}

const mr_scenario *mr_live_scenario(const mr_live *lv)
{
    return lv->sc;
}
uint64_t mr_live_seed(const mr_live *lv)
{
    return lv->seed;
}
mr_time mr_live_now(const mr_live *lv)
{
    return mr_sim_now(lv->sim);
}
mr_time mr_live_horizon(const mr_live *lv)
{
    return mr_sim_horizon(lv->sim);
}
int mr_live_ended(const mr_live *lv)
{
    return lv->ended;
}

/* ---- advancing ---------------------------------------------------------- */

/* At the horizon: finish as run.c does after MR_RUN_HORIZON, and take the
 * final metrics row. */
static void finish(mr_live *lv)
{
    if (lv->ended)
        return;
    mr_sim_finish(lv->sim);
    lv->ended = 1;
}

static int after(mr_live *lv, int rc, int *ended)
{
    if (rc == MR_OK && mr_sim_now(lv->sim) >= mr_sim_horizon(lv->sim))
        finish(lv);
    if (ended)
        *ended = lv->ended;
    return rc;
}

int mr_live_run_until(mr_live *lv, mr_time t, int *ended)
{
    if (lv->ended)
        return after(lv, MR_OK, ended);
    mr_time h = mr_sim_horizon(lv->sim);
    if (t > h)
        t = h;
    if (t < mr_sim_now(lv->sim))
        t = mr_sim_now(lv->sim);
    return after(lv, run_sampled(lv, t), ended);
}

int mr_live_advance(mr_live *lv, mr_time dt, int *ended)
{
    mr_time now = mr_sim_now(lv->sim), h = mr_sim_horizon(lv->sim);
    return mr_live_run_until(lv, dt >= h - now ? h : now + dt, ended);
}

int mr_live_step(mr_live *lv, int *ended)
{
    if (lv->ended)
        return after(lv, MR_OK, ended);
    int rc = mr_sim_run(lv->sim, MR_RUN_STEP, 0);
    if (rc == MR_EEMPTY) /* nothing left before the horizon: go there */
        rc = run_sampled(lv, mr_sim_horizon(lv->sim));
    /* A step past a boundary: read it as the run stands (at most one
     * event late: the chart is a view, the run is not touched). */
    while (rc == MR_OK && lv->nsampled <= lv->nperiods &&
           (mr_time)lv->nsampled * lv->period <= mr_sim_now(lv->sim))
        served_read(lv);
    return after(lv, rc, ended);
}

/* ---- injecting ---------------------------------------------------------- */

/* A time the file says exactly: whole seconds or milliseconds. */
static void time_text(mr_time t, char *buf, size_t n)
{
    if (t % 1000000000 == 0)
        snprintf(buf, n, "%llds", (long long)(t / 1000000000));
    else
        snprintf(buf, n, "%lldms", (long long)(t / MS));
}

static mr_time ceil_ms(mr_time t)
{
    return (t + MS - 1) / MS * MS;
}

/* A plain YAML scalar or a quoted one (a name is checked by the loader; a
 * quote keeps a stray character from changing the entry's structure). */
static int plain(const char *s)
{
    if (*s == '\0')
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
            return 0;
    return 1;
}

static void quote(const char *s, char *buf, size_t n)
{
    if (plain(s)) {
        snprintf(buf, n, "%s", s);
        return;
    }
    size_t k = 0;
    if (k + 1 < n)
        buf[k++] = '"';
    for (const char *p = s; *p && k + 3 < n; p++) {
        if (*p == '"' || *p == '\\')
            buf[k++] = '\\';
        buf[k++] = (unsigned char)*p < 0x20 ? ' ' : *p;
    }
    if (k + 1 < n)
        buf[k++] = '"';
    buf[k < n ? k : n - 1] = '\0';
}

static int name_taken(const mr_live *lv, const char *name)
{
    for (size_t i = 0; i < lv->sc->nfaults; i++)
        if (strcmp(lv->sc->faults[i].name, name) == 0)
            return 1;
    return 0;
}

/* The entry's flow map, from the injected fault's fields and f. */
static void compose(mr_live_injected *in, const mr_live_fault *f)
{
    char tgt[200] = "", at[32], dur[32], extra[160] = "";
    char q[96];
    mr_target_kind tk = mr_fault_kind_target(in->kind);
    if (tk == MR_TARGET_ZONE) {
        quote(in->target, q, sizeof q);
        snprintf(tgt, sizeof tgt, ", target: {region: %s, zone: %d}", q, f->zone);
    } else if (tk != MR_TARGET_TRAFFIC) {
        quote(in->target, q, sizeof q);
        snprintf(tgt, sizeof tgt, ", target: %s", q);
    }
    time_text(in->at, at, sizeof at);
    time_text(in->duration, dur, sizeof dur);
    size_t k = 0;
    if (f->severity > 0 && f->severity < 1)
        k += (size_t)snprintf(extra + k, sizeof extra - k, ", severity: %.17g", f->severity);
    if (in->kind == MR_FAULT_GRAY_FAILURE && f->invert)
        k += (size_t)snprintf(extra + k, sizeof extra - k, ", params: {invert: true}");
    if (in->kind == MR_FAULT_DATASTORE_FAILOVER)
        k += (size_t)snprintf(extra + k, sizeof extra - k, ", params: {mode: %s}",
                              f->planned ? "planned" : "forced");
    if (in->kind == MR_FAULT_NETWORK_PARTITION && f->peer && *f->peer) {
        quote(f->peer, q, sizeof q);
        k += (size_t)snprintf(extra + k, sizeof extra - k, ", params: {peer: %s}", q);
    }
    /* A datastore_failover is a single action: no duration (the loader
     * refuses one). */
    char durk[48] = "";
    if (in->kind != MR_FAULT_DATASTORE_FAILOVER)
        snprintf(durk, sizeof durk, ", duration: %s", dur);
    snprintf(in->entry, sizeof in->entry, "{name: %s, kind: %s%s, at: %s%s%s}", in->name,
             mr_fault_kind_name(in->kind), tgt, at, durk, extra);
}

int mr_live_inject(mr_live *lv, const mr_live_fault *f, size_t *index, mr_diag *diag)
{
    if (lv->ended) {
        mr_diag_error(diag, NULL, "the run has ended: nothing can be injected");
        return MR_ESTATE;
    }
    if (lv->ninj >= MAX_INJECTED) {
        mr_diag_error(diag, NULL, "at most %d injected faults in one session", MAX_INJECTED);
        return MR_ERANGE;
    }
    if ((int)f->kind < 0 || f->kind >= MR_FAULT_KIND_COUNT ||
        (f->duration <= 0 && f->duration != MR_LIVE_UNTIL_REPAIRED &&
         f->kind != MR_FAULT_DATASTORE_FAILOVER) ||
        !(f->severity >= 0) ||
        f->severity > 1) {
        mr_diag_error(diag, NULL, "inject: bad kind, duration or severity");
        return MR_EINVAL;
    }
    mr_target_kind tk = mr_fault_kind_target(f->kind);
    if (tk != MR_TARGET_TRAFFIC && (f->target == NULL || *f->target == '\0')) {
        mr_diag_error(diag, NULL, "inject: a %s needs a %s to aim at", mr_fault_kind_name(f->kind),
                      mr_target_kind_names[tk]);
        return MR_EINVAL;
    }
    mr_time at = ceil_ms(mr_sim_now(lv->sim)), h = mr_sim_horizon(lv->sim);
    if (at > h) {
        mr_diag_error(diag, NULL, "the run is at its horizon: nothing can be injected");
        return MR_ESTATE;
    }
    mr_live_injected *in = &lv->inj[lv->ninj];
    memset(in, 0, sizeof *in);
    for (size_t k = lv->ninj + 1;; k++) {
        snprintf(in->name, sizeof in->name, "tui-%zu", k);
        if (!name_taken(lv, in->name))
            break;
    }
    in->kind = f->kind;
    snprintf(in->target, sizeof in->target, "%s",
             tk == MR_TARGET_TRAFFIC || f->target == NULL ? "" : f->target);
    in->at = at;
    int instant = f->kind == MR_FAULT_DATASTORE_FAILOVER;
    in->until_repaired = !instant && f->duration == MR_LIVE_UNTIL_REPAIRED;
    /* Until repaired: past the horizon (a censored episode) until repaired. */
    in->duration = instant             ? 0
                   : in->until_repaired ? ceil_ms(h - at) + 1000 * MS
                                        : ceil_ms(f->duration);
    in->index = lv->sc->nfaults;
    lv->kept[lv->ninj] = *f;
    snprintf(lv->kept_peer[lv->ninj], sizeof lv->kept_peer[0], "%s", f->peer ? f->peer : "");
    lv->kept[lv->ninj].peer = lv->kept_peer[lv->ninj];
    lv->kept[lv->ninj].target = NULL;
    compose(in, f);
    lv->ninj++;
    int rc = rebuild(lv, at, diag);
    if (rc != MR_OK) {
        lv->ninj--;
        return rc;
    }
    lv->unsaved = 1;
    if (index)
        *index = lv->ninj - 1;
    return MR_OK;
}

int mr_live_repair(mr_live *lv, const char *target, size_t *count, mr_diag *diag)
{
    if (count)
        *count = 0;
    if (lv->ended) {
        mr_diag_error(diag, NULL, "the run has ended: nothing to repair");
        return MR_ESTATE;
    }
    const char *t = target ? target : "";
    mr_time now = ceil_ms(mr_sim_now(lv->sim));
    mr_live_injected saved[MAX_INJECTED];
    memcpy(saved, lv->inj, sizeof saved);
    size_t n = 0;
    for (size_t i = 0; i < lv->ninj; i++) {
        mr_live_injected *in = &lv->inj[i];
        if (strcmp(in->target, t) != 0 || in->at > now || in->at + in->duration <= now)
            continue; /* another target's, not begun, or over */
        in->duration = now - in->at;
        in->repaired = 1;
        compose(in, &lv->kept[i]);
        n++;
    }
    if (n == 0)
        return MR_OK;
    int rc = rebuild(lv, now, diag);
    if (rc != MR_OK) {
        memcpy(lv->inj, saved, sizeof saved);
        return rc;
    }
    lv->unsaved = 1;
    if (count)
        *count = n;
    return MR_OK;
}

size_t mr_live_injected_count(const mr_live *lv)
{
    return lv->ninj;
}

const mr_live_injected *mr_live_injected_at(const mr_live *lv, size_t i)
{
    return i < lv->ninj ? &lv->inj[i] : NULL;
}

int mr_live_unsaved(const mr_live *lv)
{
    return lv->unsaved;
}

/* ---- reading ------------------------------------------------------------ */

const mr_live_view *mr_live_read(mr_live *lv)
{
    mr_report_free(lv->report);
    mr_report_free(lv->status);
    lv->report = mr_report_new();
    lv->status = mr_report_new();
    mr_sim_report(lv->sim, lv->report);
    for (uint32_t id = 0; id < mr_sim_component_count(lv->sim); id++) {
        const mr_component *c = mr_sim_component(lv->sim, id);
        if (c->model->status) {
            mr_report_set_source(lv->status, id);
            c->model->status(c, lv->status);
        }
        /* Its series as they stand now (docs/results.md "Vectors": a
         * resolver pool's answer shares, a store's realised lag, a
         * cluster's requests served so far, in both fidelities), under
         * the series' own component and metric names. Read here, once a
         * frame, not per event; sampling changes nothing in the run. */
        if (c->model->series && c->model->sample) {
            mr_series_desc desc[MR_SERIES_MAX];
            double val[MR_SERIES_MAX];
            size_t n = c->model->series(c, lv->sim, desc, MR_SERIES_MAX);
            if (n > 0) {
                c->model->sample(c, mr_sim_now(lv->sim), val);
                mr_report_set_source(lv->status, id);
                for (size_t k = 0; k < n; k++)
                    mr_report_scalar(lv->status, desc[k].component, desc[k].metric, val[k]);
            }
        }
    }
    for (size_t i = 0; i < lv->cols.ncols; i++)
        lv->row[i] = NAN;
    mr__metrics_row(&lv->cols, lv->report, mr_sim_events(lv->sim), lv->row);
    mr_live_view *v = &lv->view;
    v->now = mr_sim_now(lv->sim);
    v->horizon = mr_sim_horizon(lv->sim);
    v->events = mr_sim_events(lv->sim);
    v->ended = lv->ended;
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        v->metrics[m] = lv->row[m];
    v->report = lv->report;
    v->status = lv->status;
    const mr_windows_record *w = mr_report_find_windows(lv->report);
    v->window = w ? w->width : 0;
    v->nwin = w && w->width > 0 ? (size_t)(v->now / w->width) + (v->now % w->width ? 1 : 0) : 0;
    return v;
}

double mr_live_window_share(const mr_live *lv, size_t i)
{
    const mr_windows_record *w = lv->report ? mr_report_find_windows(lv->report) : NULL;
    if (w == NULL || w->width <= 0 || (mr_time)i * w->width < lv->sc->run.warmup)
        return NAN;
    if (w->n > 0) {
        if (i >= w->n || w->total[i] == 0)
            return NAN;
        return (double)w->ok[i] / (double)w->total[i];
    }
    /* Aggregate fidelity keeps only the windows below a share of 1. */
    for (size_t k = 0; k < w->nsparse; k++)
        if (w->sparse_w[k] == i)
            return w->sparse_total[k] > 0 ? w->sparse_ok[k] / w->sparse_total[k] : NAN;
    return 1;
}

void mr_live_window_shares(const mr_live *lv, double *out, size_t n)
{
    const mr_windows_record *w = lv->report ? mr_report_find_windows(lv->report) : NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = NAN;
    if (w == NULL || w->width <= 0)
        return;
    /* The first window the metrics count: none of the warm-up. */
    size_t first = (size_t)((lv->sc->run.warmup + w->width - 1) / w->width);
    if (w->n > 0) {
        for (size_t i = first; i < n && i < w->n; i++)
            out[i] = w->total[i] ? (double)w->ok[i] / (double)w->total[i] : NAN;
        return;
    }
    for (size_t i = first; i < n; i++)
        out[i] = 1;
    for (size_t k = 0; k < w->nsparse; k++)
        if (w->sparse_w[k] >= first && w->sparse_w[k] < n)
            out[w->sparse_w[k]] =
                w->sparse_total[k] > 0 ? w->sparse_ok[k] / w->sparse_total[k] : NAN;
}

double mr_live_window_worst(const mr_live *lv, size_t a, size_t b)
{
    const mr_windows_record *w = lv->report ? mr_report_find_windows(lv->report) : NULL;
    if (w == NULL || w->width <= 0 || b <= a)
        return NAN;
    size_t first = (size_t)((lv->sc->run.warmup + w->width - 1) / w->width);
    if (a < first)
        a = first;
    if (b <= a)
        return NAN;
    double worst = NAN;
    if (w->n > 0) {
        for (size_t i = a; i < b && i < w->n; i++)
            if (w->total[i] > 0) {
                double x = (double)w->ok[i] / (double)w->total[i];
                if (isnan(worst) || x < worst)
                    worst = x;
            }
        return worst;
    }
    /* Aggregate fidelity: 1 but for the kept windows in [a, b), found by
     * bisection (they are in time order): O(log + those), not O(b - a). */
    size_t lo = 0, hi = w->nsparse;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->sparse_w[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    worst = 1;
    for (size_t k = lo; k < w->nsparse && w->sparse_w[k] < b; k++)
        if (w->sparse_total[k] > 0 && w->sparse_ok[k] / w->sparse_total[k] < worst)
            worst = w->sparse_ok[k] / w->sparse_total[k];
    return worst;
}

/* ---- writing ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = mr_xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = mr_xrealloc(buf, cap + 1);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The byte offset of the start of 1-based line `line` (len when past). */
static size_t line_start(const char *text, size_t len, int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < len; off++)
        if (text[off] == '\n')
            l++;
    return off;
}

/* Whether a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int mr_live_write(mr_live *lv, const char *out_path, mr_diag *diag)
{
    /* Over the loaded file, the next injection would load the faults
     * twice (the file's and the overrides'). */
    if (same_file(out_path, lv->path)) {
        mr_diag_error(diag, NULL, "%s is the scenario being run: write the session elsewhere",
                      out_path);
        return MR_EINVAL;
    }
    size_t len = 0;
    char *text = slurp(lv->path, &len);
    if (text == NULL) {
        mr_diag_error(diag, NULL, "%s: cannot read it again to write the session", lv->path);
        return MR_EIO;
    }
    mr_doc *doc = NULL;
    int rc = mr_doc_load_file(lv->path, &doc, diag);
    if (rc != MR_OK) {
        free(text);
        return rc;
    }
    /* Where the entries go: after the last item of the top-level block
     * `faults:` (before the next top-level key and the comments and blank
     * lines above it), or a new `faults:` at the end. */
    size_t insert = len;
    char indent[64] = "  ";
    int new_list = 0;
    const mr_node *root = doc->root;
    size_t fi = SIZE_MAX;
    for (size_t i = 0; root->kind == MR_NODE_MAP && i < root->n; i++)
        if (strcmp(root->pairs[i].key->text, "faults") == 0)
            fi = i;
    if (fi == SIZE_MAX) {
        if (lv->nfaults_file > 0) {
            mr_diag_error(diag, NULL,
                          "%s: its faults come from the file it extends: write the session "
                          "from a file with its own faults: list",
                          lv->path);
            rc = MR_EINVAL;
        }
        new_list = 1;
    } else {
        const mr_node *key = root->pairs[fi].key, *val = root->pairs[fi].value;
        if (val->kind == MR_NODE_SEQ && val->n > 0 && val->items[0]->mark.line > key->mark.line) {
            if (fi + 1 < root->n) {
                int next = root->pairs[fi + 1].key->mark.line;
                /* Back over the blank and comment lines above the next key. */
                while (next - 1 > val->items[val->n - 1]->mark.line) {
                    size_t s = line_start(text, len, next - 1);
                    while (s < len && (text[s] == ' ' || text[s] == '\t'))
                        s++;
                    if (s < len && text[s] != '\n' && text[s] != '#' && text[s] != '\r')
                        break;
                    next--;
                }
                insert = line_start(text, len, next);
            }
            size_t s = line_start(text, len, val->items[0]->mark.line);
            size_t k = 0;
            while (s + k < len && text[s + k] == ' ' && k + 1 < sizeof indent)
                k++;
            memcpy(indent, text + s, k);
            indent[k] = '\0';
        } else if (mr_node_is_null(val) || (val->kind == MR_NODE_SEQ && val->n == 0)) {
            mr_diag_error(diag, &key->mark,
                          "faults: an empty list: write the injected faults from a file "
                          "whose faults: key is absent or lists its faults one per line");
            rc = MR_EINVAL;
        } else {
            mr_diag_error(diag, &key->mark,
                          "faults: written in flow style: the session appends to a block "
                          "list (one '- ' item per line)");
            rc = MR_EINVAL;
        }
    }
    mr_doc_free(doc);
    FILE *f = NULL;
    if (rc == MR_OK && (f = fopen(out_path, "w")) == NULL) {
        mr_diag_error(diag, NULL, "%s: cannot open for writing", out_path);
        rc = MR_EIO;
    }
    if (rc != MR_OK) {
        free(text);
        return rc;
    }
    fprintf(f, "# mrsim tui session of %s, seed %llu: replay it with\n", lv->path,
            (unsigned long long)lv->seed);
    fprintf(f, "#   mrsim run THIS_FILE --seed %llu -n 1", (unsigned long long)lv->seed);
    for (size_t i = 0; i < lv->nbase; i++)
        fprintf(f, " --set '%s'", lv->sets[i]);
    fprintf(f, "\n# (replication 0 is the one the TUI ran; the injected faults are tui-N)\n");
    fwrite(text, 1, insert, f);
    if (insert > 0 && text[insert - 1] != '\n')
        fputc('\n', f);
    if (new_list)
        fputs("faults:\n", f);
    for (size_t i = 0; i < lv->ninj; i++) {
        const mr_live_injected *in = &lv->inj[i];
        fprintf(f, "%s- %s", indent, in->entry);
        if (in->until_repaired)
            fprintf(f, "   # until repaired%s", in->repaired ? "" : ": still in force at the end");
        fputc('\n', f);
    }
    fwrite(text + insert, 1, len - insert, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        mr_diag_error(diag, NULL, "%s: write failed", out_path);
        free(text);
        return MR_EIO;
    }
    free(text);
    lv->unsaved = 0;
    return MR_OK;
}

void mr_live_lower_bounds(const mr_live_view *v, int *rto, int *client_rto)
{
    *rto = 0;
    *client_rto = 0;
    if (v == NULL || v->report == NULL)
        return;
    /* The SLO collector's episodes, episode/0 on, each with its censored
     * flag (models/slo.c report_episodes). */
    for (size_t k = 0;; k++) {
        char comp[32];
        snprintf(comp, sizeof comp, "episode/%zu", k);
        double c = mr_report_find(v->report, comp, "censored");
        if (isnan(c))
            break;
        if (c > 0)
            *rto = 1;
    }
    *client_rto = mr_report_find(v->report, "", "client_rto_censored") > 0;
}
