/* models/traffic_fd.c: Azure Front Door, an anycast reverse proxy
 * (docs/model.md rule 2). Each of `pops` edge locations probes each origin every
 * interval from its own uniform phase and keeps the last sample_size
 * outcomes; an origin is healthy for that edge while at least `required`
 * of them succeeded, so it turns unhealthy at the (sample_size - required
 * + 1)-th consecutive failure. A probe of a down origin fails when the
 * timeout expires; probes see what the probe path sees (a gray failure
 * passes them). Requests entering an edge go, from the moment that edge's
 * view changes, to the healthy origin of lowest priority, then among those
 * within additional_latency of the fastest, by weight (mr__fd_route); with
 * every origin unhealthy the edge fails open over all of them, priority
 * still honoured (docs/reference.md §2 "All origins unhealthy"). Clients reach
 * the edge by anycast: no DNS answer changes, so no cache delays failover.
 * Aggregate fidelity (lazy): as for Traffic Manager, an edge's probes of an
 * origin sleep while its window is full of successes and the origin is
 * quiescent, or full of failures (this one's included) and the origin is
 * down, and resume on their grid at MR_MSG_WAKE; every change of an
 * edge's view is told to the listener (the aggregate clients).
 * An origin the failover policy's runbook disabled (MR_MSG_ENDPOINT_ADMIN)
 * gets no request, fail-open included, at every edge at once (a
 * configuration change); it counts in health_changes.
 * Invariant: healthy_pops[e] counts the edges whose window of e holds at
 * least `required` successes. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "traffic.h"

enum { FD_PROBE = MR_MSG_PRIVATE, FD_PROBE_FAILED };

typedef struct probe_msg {
    uint32_t pop;
    uint32_t origin;
} probe_msg;

static uint32_t full_window(const mr_fd_cfg *cfg)
{
    return cfg->sample_size >= 32 ? UINT32_MAX : ((uint32_t)1 << cfg->sample_size) - 1;
}

static int fd_init(mr_component *self, mr_diag *diag)
{
    const mr_fd_cfg *cfg = self->cfg;
    mr_fd_state *st = self->state;
    if (cfg->required > cfg->sample_size || cfg->timeout > cfg->interval || cfg->pops < 1) {
        mr_diag_error(diag, NULL,
                      "%s: successful samples required exceed the sample size, the probe "
                      "timeout exceeds the interval, or there is no edge",
                      self->name);
        return MR_ERANGE;
    }
    size_t cells = (size_t)cfg->pops * (size_t)cfg->base.n;
    st->window = mr_xmalloc(cells * sizeof *st->window);
    st->healthy = mr_xmalloc(cells * sizeof *st->healthy);
    /* Every origin starts healthy everywhere, its window full of successes. */
    for (size_t c = 0; c < cells; c++) {
        st->window[c] = full_window(cfg);
        st->healthy[c] = 1;
    }
    for (int64_t e = 0; e < cfg->base.n; e++)
        st->healthy_pops[e] = (int32_t)cfg->pops;
    st->probe = mr_rng_derive(self->rng, "probe");
    if (cfg->base.lazy) {
        st->phase = mr_xmalloc(cells * sizeof *st->phase);
        st->sleep_next = mr_xmalloc(cells * sizeof *st->sleep_next);
        for (size_t c = 0; c < cells; c++)
            st->sleep_next[c] = -1;
    }
    return MR_OK;
}

static int fd_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    return mr__traffic_link(sim, self, "origin", diag);
}

static void fd_start(mr_component *self, mr_sim *sim)
{
    const mr_fd_cfg *cfg = self->cfg;
    for (int64_t p = 0; p < cfg->pops; p++)
        for (int64_t e = 0; e < cfg->base.n; e++) {
            probe_msg m = {(uint32_t)p, (uint32_t)e};
            mr_time phase = (mr_time)(mr_rng_uniform(self->rng) * (double)cfg->interval);
            mr_fd_state *st = self->state;
            if (st->phase)
                st->phase[(size_t)p * (size_t)cfg->base.n + (size_t)e] = mr_sim_now(sim) + phase;
            mr_sim_schedule(sim, phase, self->id, FD_PROBE, &m, sizeof m, NULL);
        }
}

/* Every sleeping probe resumes at its next instant on its grid. */
static void wake(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_fd_cfg *cfg = self->cfg;
    mr_fd_state *st = self->state;
    size_t cells = (size_t)cfg->pops * (size_t)cfg->base.n;
    for (size_t c = 0; c < cells && st->sleep_next; c++) {
        if (st->sleep_next[c] < 0)
            continue;
        mr_time next = mr__next_on_grid(st->phase[c], cfg->interval, now);
        if (next > st->sleep_next[c])
            st->probes += (uint64_t)((next - st->sleep_next[c]) / cfg->interval);
        st->sleep_next[c] = -1;
        probe_msg m = {(uint32_t)(c / (size_t)cfg->base.n), (uint32_t)(c % (size_t)cfg->base.n)};
        mr_sim_schedule_at(sim, next, self->id, FD_PROBE, &m, sizeof m, NULL);
    }
}

/* Adds one probe outcome to edge p's window of origin e. */
static void record(mr_component *self, mr_sim *sim, const probe_msg *m, int ok)
{
    const mr_fd_cfg *cfg = self->cfg;
    mr_fd_state *st = self->state;
    size_t c = (size_t)m->pop * (size_t)cfg->base.n + m->origin;
    st->window[c] = ((st->window[c] << 1) | (uint32_t)ok) & full_window(cfg);
    st->served[m->origin] |= (uint8_t)ok;
    uint8_t h = __builtin_popcount(st->window[c]) >= cfg->required;
    if (h == st->healthy[c])
        return;
    st->healthy[c] = h;
    st->changes++;
    /* The recovery timeline's detection: the first edge to see it; not a
     * cold standby's start-up (an origin never up). */
    if (!h && st->served[m->origin])
        mr_sim_mark(sim, MR_MS_DETECTED, self, MR_MARK_REACHED);
    if (cfg->base.lazy) {
        mr_msg_status s = {m->origin, (uint32_t)cfg->base.cluster[m->origin], h};
        mr_sim_schedule(sim, 0, (uint32_t)cfg->base.listener, MR_MSG_ENDPOINT_STATUS, &s, sizeof s,
                        NULL);
    }
    int32_t before = st->healthy_pops[m->origin];
    st->healthy_pops[m->origin] += h ? 1 : -1;
    /* The failover policy hears when an origin is healthy nowhere, or
     * healthy again somewhere. */
    if (cfg->base.watcher >= 0 && (before == 0) != (st->healthy_pops[m->origin] == 0)) {
        mr_msg_status s = {m->origin, (uint32_t)cfg->base.cluster[m->origin], h};
        mr_sim_schedule(sim, 0, (uint32_t)cfg->base.watcher, MR_MSG_ENDPOINT_STATUS, &s, sizeof s,
                        NULL);
    }
}

static void fd_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_fd_cfg *cfg = self->cfg;
    mr_fd_state *st = self->state;
    if (ev->kind == MR_MSG_WAKE) {
        wake(self, sim, ev->time);
        return;
    }
    int changed;
    if (mr__traffic_admin(self, sim, ev, 1, &changed)) {
        st->changes += (uint64_t)changed; /* an operator's change, counted as the edges' */
        return;
    }
    if (mr__traffic_fault(&st->head.faults, ev))
        return;
    probe_msg m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    switch (ev->kind) {
    case FD_PROBE:
        st->probes++;
        if (mr_cluster_probe_ok(st->head.cl[m.origin], ev->time,
                                mr_cluster_probe_fail_share(st->head.cl[m.origin], ev->time) > 0
                                    ? mr_rng_uniform(st->probe)
                                    : 1)) {
            record(self, sim, &m, 1);
            size_t c = (size_t)m.pop * (size_t)cfg->base.n + m.origin;
            if (cfg->base.lazy && st->window[c] == full_window(cfg) &&
                mr_cluster_quiescent(st->head.cl[m.origin])) {
                st->sleep_next[c] = ev->time + cfg->interval;
                break;
            }
        } else {
            mr_sim_schedule(sim, cfg->timeout, self->id, FD_PROBE_FAILED, &m, sizeof m, NULL);
            size_t c = (size_t)m.pop * (size_t)cfg->base.n + m.origin;
            /* Only where a probe draws no number (no partial fault it
             * sees): a skipped probe must leave the streams as they were. */
            if (cfg->base.lazy && ((st->window[c] << 1) & full_window(cfg)) == 0 &&
                !mr_cluster_up(st->head.cl[m.origin]) &&
                mr_cluster_probe_fail_share(st->head.cl[m.origin], ev->time) <= 0) {
                st->sleep_next[c] = ev->time + cfg->interval;
                break;
            }
        }
        mr_sim_schedule(sim, cfg->interval, self->id, FD_PROBE, &m, sizeof m, NULL);
        break;
    case FD_PROBE_FAILED:
        record(self, sim, &m, 0);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
}

/* The origins edge `pop` may send a request to now (mr__fd_route's rule
 * up to the weighted draw): a bit set over origin indices, with `*last`
 * the highest of them and `*total` their weights; 0 when none. */
static uint32_t fd_candidates(const mr_component *fd, uint32_t pop, int64_t origin, uint32_t home,
                              uint32_t fallback, uint32_t skip, double *total, int64_t *last)
{
    const mr_fd_cfg *cfg = fd->cfg;
    const mr_fd_state *st = fd->state;
    /* Candidates: the healthy origins of the home set; failing that, of the
     * fallback set; failing that, every home origin (fail-open). */
    const uint8_t *healthy = st->healthy + (size_t)pop * (size_t)cfg->base.n;
    uint32_t up = 0, usable = 0;
    for (int64_t e = 0; e < cfg->base.n; e++)
        if ((uint32_t)cfg->base.cluster[e] != skip &&
            !mr__traffic_disabled(&st->head, &cfg->base, e)) {
            usable |= (uint32_t)1 << e;
            up |= (uint32_t)healthy[e] << e;
        }
    uint32_t cand = up & home;
    if (cand == 0)
        cand = up & fallback;
    if (cand == 0)
        cand = usable & home;
    if (cand == 0)
        return 0;
    /* Lowest priority, then within additional_latency of the fastest. */
    int64_t prio = INT64_MAX;
    for (int64_t e = 0; e < cfg->base.n; e++)
        if ((cand >> e & 1) && cfg->base.priority[e] < prio)
            prio = cfg->base.priority[e];
    int in_region = origin >= 0 && origin < MR_MAX_REGIONS;
    mr_time fastest = INT64_MAX;
    for (int64_t e = 0; e < cfg->base.n; e++) {
        if (!(cand >> e & 1) || cfg->base.priority[e] != prio)
            cand &= ~((uint32_t)1 << e);
        else if ((in_region ? cfg->base.rtt[origin][e] : 0) < fastest)
            fastest = in_region ? cfg->base.rtt[origin][e] : 0;
    }
    *total = 0;
    *last = -1;
    for (int64_t e = 0; e < cfg->base.n; e++) {
        if (!(cand >> e & 1))
            continue;
        if ((in_region ? cfg->base.rtt[origin][e] : 0) > fastest + cfg->additional_latency) {
            cand &= ~((uint32_t)1 << e);
            continue;
        }
        *total += cfg->base.weight[e];
        *last = e;
    }
    return cand;
}

uint32_t mr__fd_route(mr_component *fd, uint32_t pop, int64_t origin, uint32_t home,
                      uint32_t fallback, uint32_t skip, mr_rng *r, mr_time now)
{
    const mr_fd_cfg *cfg = fd->cfg;
    mr_fd_state *st = fd->state;
    st->requests++;
    if (mr__fault_set_any(&st->head.faults.outage)) {
        double share = mr__fault_set_share(&st->head.faults.outage, st->head.faults.table, now);
        if (share >= 1 || mr_rng_uniform(r) < share)
            return MR_NO_ANSWER;
    }
    double total;
    int64_t last;
    uint32_t cand = fd_candidates(fd, pop, origin, home, fallback, skip, &total, &last);
    if (cand == 0)
        return MR_NO_ANSWER;
    /* Then by weight, drawing only when there is a choice. */
    if (__builtin_popcount(cand) > 1 && total > 0) {
        double u = mr_rng_uniform(r) * total;
        for (int64_t e = 0; e < cfg->base.n; e++) {
            if (!(cand >> e & 1))
                continue;
            if (u < cfg->base.weight[e])
                return (uint32_t)cfg->base.cluster[e];
            u -= cfg->base.weight[e];
        }
    }
    return (uint32_t)cfg->base.cluster[last];
}

uint32_t mr__fd_route_probs(mr_component *fd, uint32_t pop, int64_t origin, uint32_t home,
                            uint32_t fallback, uint32_t skip, mr_time now, uint32_t *to,
                            double *prob)
{
    const mr_fd_cfg *cfg = fd->cfg;
    mr_fd_state *st = fd->state;
    st->requests++;
    double none = 0;
    if (mr__fault_set_any(&st->head.faults.outage)) {
        none = mr__fault_set_share(&st->head.faults.outage, st->head.faults.table, now);
        if (none >= 1) {
            to[0] = MR_NO_ANSWER;
            prob[0] = 1;
            return 1;
        }
    }
    double total;
    int64_t last;
    uint32_t cand = fd_candidates(fd, pop, origin, home, fallback, skip, &total, &last);
    uint32_t n = 0;
    if (none > 0 || cand == 0) {
        to[n] = MR_NO_ANSWER;
        prob[n++] = cand == 0 ? 1 : none;
    }
    if (cand == 0)
        return n;
    if (__builtin_popcount(cand) > 1 && total > 0) {
        for (int64_t e = 0; e < cfg->base.n; e++)
            if ((cand >> e & 1) && cfg->base.weight[e] > 0) {
                to[n] = (uint32_t)cfg->base.cluster[e];
                prob[n++] = (1 - none) * cfg->base.weight[e] / total;
            }
    } else {
        to[n] = (uint32_t)cfg->base.cluster[last];
        prob[n++] = 1 - none;
    }
    return n;
}

/* Probes asleep at the horizon: counted up to it, as in traffic_tm.c. */
static void fd_finish(mr_component *self, mr_sim *sim)
{
    const mr_fd_cfg *cfg = self->cfg;
    mr_fd_state *st = self->state;
    mr_time end = mr_sim_horizon(sim);
    size_t cells = (size_t)cfg->pops * (size_t)cfg->base.n;
    for (size_t c = 0; c < cells && st->sleep_next && end != MR_TIME_NEVER; c++) {
        if (st->sleep_next[c] >= 0 && st->sleep_next[c] <= end)
            st->probes += (uint64_t)((end - st->sleep_next[c]) / cfg->interval) + 1;
        st->sleep_next[c] = -1;
    }
}

static void fd_report(const mr_component *self, mr_report *out)
{
    const mr_fd_state *st = self->state;
    mr_report_scalar(out, self->name, "health_changes", (double)st->changes);
    mr_report_scalar(out, self->name, "probes", (double)st->probes);
    mr_report_scalar(out, self->name, "requests", (double)st->requests);
}

/* Each origin now: the share of edges that hold it healthy, and
 * endpointE_degraded 1 when none does. */
static void fd_status(const mr_component *self, mr_report *out)
{
    const mr_fd_cfg *cfg = self->cfg;
    const mr_fd_state *st = self->state;
    char metric[48];
    for (int64_t e = 0; e < cfg->base.n; e++) {
        snprintf(metric, sizeof metric, "endpoint%lld_degraded", (long long)e);
        mr_report_scalar(out, self->name, metric, st->healthy_pops[e] == 0 ? 1 : 0);
        snprintf(metric, sizeof metric, "endpoint%lld_healthy_share", (long long)e);
        mr_report_scalar(out, self->name, metric,
                         cfg->pops > 0 ? (double)st->healthy_pops[e] / (double)cfg->pops : 1);
    }
}

static const char *fd_event_name(uint32_t kind)
{
    return kind == FD_PROBE ? "probe" : kind == FD_PROBE_FAILED ? "probe_failed" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int fd_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_fd_state *st = self->state;
    if (ev->kind != FD_PROBE && ev->kind != FD_PROBE_FAILED)
        return 0; /* a public message: the trace writer describes it */
    probe_msg m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (m.origin >= MR_MAX_ENDPOINTS)
        return 0;
    return snprintf(buf, n, "edge %u: %s origin %u (healthy at %d edges)", (unsigned)m.pop,
                    ev->kind == FD_PROBE ? "probes" : "probe failed of", (unsigned)m.origin,
                    (int)st->healthy_pops[m.origin]);
}

static void fd_fini(mr_component *self)
{
    mr_fd_state *st = self->state;
    free(st->window);
    free(st->healthy);
    free(st->phase);
    free(st->sleep_next);
    mr_rng_free(st->probe);
}

/* ---- the kind: keys, checks, price, SLA, detection ------------------------------ */

static const mr_param fd_params[] = {
    MR_TRAFFIC_ENDPOINTS_ROW("origins"),
    /* docs/reference.md §2 Routing decision order: priority 1-5. */
    {.key = "origins[].priority",
     .type = MR_PARAM_T_INT,
     .lo = 1,
     .hi = 5,
     .doc = "lower first; 1 for an active cluster, 2 for a standby when absent",
     .ref = "docs/reference.md §2 Routing decision order (1-5)"},
    /* docs/reference.md §2 Probe volume: the doc's example uses ~100 POPs. */
    {.key = "pops",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_fd_cfg, pops),
     .def = "100",
     .lo = 1,
     .hi = 1000,
     .doc = "edge locations, each probing on its own",
     .ref = "docs/reference.md §2 Probe volume (~100 POPs)"},
    /* docs/reference.md §2 Latency sensitivity: 50 ms (0-1000). */
    {.key = "additional_latency",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_fd_cfg, additional_latency),
     .def = "50ms",
     .lo = 0,
     .hi = 1000 * (double)MR_MS,
     .doc = "origins this close to the fastest share traffic",
     .ref = "docs/reference.md §2 Latency sensitivity (50 ms, 0-1000)"},
    /* docs/reference.md §2 "How to model": retry on connect failure to another
     * origin is unverified (PR #128720 closed): off unless stated. */
    {.key = "retry_next_origin",
     .type = MR_PARAM_T_BOOL,
     .off = offsetof(mr_fd_cfg, retry_next),
     .def = "false",
     .doc = "a request whose origin refuses the connection is retried at the next origin",
     .ref = "docs/reference.md §2 How to model (unverified vendor behaviour)"},
    /* docs/reference.md §2 Probe interval: pick explicitly; 30 s, the conceptual
     * doc's default, range 5 s to 31,536,000 s. */
    {.key = "probe.interval",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_fd_cfg, interval),
     .def = "30s",
     .lo = 5 * (double)MR_S,
     .hi = 31536000.0 * (double)MR_S,
     .doc = "time between probes of one POP",
     .ref = "docs/reference.md §2 Probe interval default (30 s, conceptual doc)"},
    /* Ours: docs/reference.md §2 publishes no Front Door probe timeout (rule 2:
     * a parameter); Traffic Manager's default (§1 "Probe timeout", 10 s) stands in. */
    {.key = "probe.timeout",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_fd_cfg, timeout),
     .def = "10s",
     .lo = 0,
     .hi = 3600.0 * (double)MR_S,
     .doc = "a probe of a down origin fails after this; at most interval",
     .ref = "ours: no Front Door figure (docs/reference.md §2); TM's 10 s (§1)"},
    /* docs/reference.md §2 Sample size: default 4, range 0-255 (0 would never decide). */
    {.key = "probe.sample_size",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_fd_cfg, sample_size),
     .def = "4",
     .lo = 1,
     .hi = 255,
     .doc = "probes in the health window",
     .ref = "docs/reference.md §2 Sample size"},
    /* docs/reference.md §2 Successful samples required: default 3. */
    {.key = "probe.successful_samples_required",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_fd_cfg, required),
     .def = "3",
     .lo = 1,
     .hi = 255,
     .doc = "healthy when this many of the window succeeded; at most sample_size",
     .ref = "docs/reference.md §2 Successful samples required"},
    {.key = "probe.locations",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_fd_cfg, locations),
     .lo = 1,
     .hi = 1000,
     .type_doc = "integer",
     .doc = "probing POPs; pops when absent (every POP probes: accepted, not yet modelled "
            "apart from pops)",
     .ref = "docs/reference.md §2 (every POP probes)"},
    MR_PARAM_END,
};

static int fd_check(void *vcfg, mr_param_ctx *ctx)
{
    mr_fd_cfg *cfg = vcfg;
    char msg[200];
    int rc = MR_OK;
    if (cfg->timeout > cfg->interval) {
        ctx->error(ctx, "probe.timeout", "must be at most the probe interval");
        rc = MR_ESCENARIO;
    }
    if (cfg->locations == 0) {
        cfg->locations = cfg->pops;
        snprintf(msg, sizeof msg, "%lld", (long long)cfg->pops);
        ctx->record(ctx, "probe.locations", msg);
    }
    if (cfg->sample_size > 32) {
        snprintf(msg, sizeof msg,
                 "%lld is more than the 32 samples this version keeps per POP and origin",
                 (long long)cfg->sample_size);
        ctx->error(ctx, "probe.sample_size", msg);
        rc = MR_ESCENARIO;
    }
    if (cfg->required > cfg->sample_size) {
        snprintf(msg, sizeof msg, "%lld is more than sample_size (%lld)", (long long)cfg->required,
                 (long long)cfg->sample_size);
        ctx->error(ctx, "probe.successful_samples_required", msg);
        rc = MR_ESCENARIO;
    }
    return rc;
}

/* docs/reference.md §10: a base fee by tier, per million requests and per
 * GB of edge egress (approximate, third-party figures). */
static double fd_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    (void)vcfg;
    /* Every request of the clients goes through the edge (retries aside:
     * rare in the normal time the run rate is measured in). */
    double requests_month = ctx->requests_month;
    /* cost.front_door_tier comes as its index: 1 premium, 0 standard. */
    double base = ctx->price(ctx, "front_door_tier") == 1
                      ? ctx->price(ctx, "front_door_premium_per_month")
                      : ctx->price(ctx, "front_door_standard_per_month");
    return base + requests_month / 1e6 * ctx->price(ctx, "front_door_per_million_requests") +
           requests_month * ctx->price(ctx, "front_door_bytes_per_request") / 1e9 *
               ctx->price(ctx, "front_door_per_gb");
}

static void fd_sla(const void *vcfg, mr_model_sla *out)
{
    (void)vcfg;
    *out = (mr_model_sla){.availability = 0.9999,
                          .what = "Front Door",
                          .source = "docs/reference.md §2 SLA (99.99%)",
                          .multi_region = 1};
}

/* Rule 2, one edge: unhealthy once fewer than x of the last n samples
 * succeed, after n - x + 1 consecutive failures: uniform on [timeout +
 * (n-x) interval, interval + timeout + (n-x) interval). No DNS delay. */
static void fd_detect(const void *vcfg, mr_model_detect *out)
{
    const mr_fd_cfg *cfg = vcfg;
    double interval = (double)cfg->interval / (double)MR_S;
    double timeout = (double)cfg->timeout / (double)MR_S;
    *out = (mr_model_detect){.lo = timeout + (double)(cfg->sample_size - cfg->required) * interval,
                             .width = interval,
                             .n = 1,
                             .k = 1,
                             .edges = (int)cfg->pops,
                             .event = "an edge marks the origin unhealthy",
                             .layer = "Front Door"};
}

/* The anycast address is the answer: routing is per request (route). */
static uint32_t fd_answer(const mr_component *t, mr_rng *r, int64_t origin)
{
    (void)r;
    (void)origin;
    return t->id;
}

static mr_time fd_ttl(const mr_component *t)
{
    (void)t;
    return 0;
}

static uint32_t fd_edges(const mr_component *t)
{
    int64_t pops = ((const mr_fd_cfg *)t->cfg)->pops;
    return pops > 0 ? (uint32_t)pops : 1;
}

static int fd_retry_next(const mr_component *t)
{
    return ((const mr_fd_cfg *)t->cfg)->retry_next != 0;
}

static const mr_traffic_ops fd_ops = {.answer = fd_answer,
                                      .ttl = fd_ttl,
                                      .route = mr__fd_route,
                                      .route_probs = mr__fd_route_probs,
                                      .edges = fd_edges,
                                      .retry_next = fd_retry_next};

const mr_model mr_model_traffic_fd = {
    .kind = "front_door",
    .family = "traffic",
    .ops = &fd_ops,
    .params = fd_params,
    .check = fd_check,
    .cost = fd_cost,
    .sla = fd_sla,
    .detect = fd_detect,
    .summary = "Azure Front Door: per-edge probe windows, priority, latency and weight routing",
    .cfg_size = sizeof(mr_fd_cfg),
    .state_size = sizeof(mr_fd_state),
    .init = fd_init,
    .link = fd_link,
    .start = fd_start,
    .handle = fd_handle,
    .finish = fd_finish,
    .report = fd_report,
    .status = fd_status,
    .event_name = fd_event_name,
    .event_detail = fd_event_detail,
    .fini = fd_fini,
};
