/* models/traffic_tm.c: Azure Traffic Manager, a DNS authority with health
 * probes (docs/model.md rule 1). Each probing location probes each endpoint
 * every interval from its own phase drawn uniformly in [0, interval) at
 * start. A probe of an endpoint that is down fails when its timeout
 * expires; of one that is up, succeeds at once (a partial failure fails that
 * share of probes; probes see what the probe path sees, so a gray failure
 * passes them). A location trips at its (tolerated + 1)-th consecutive
 * failure and untrips at its first success; the endpoint is Degraded while
 * at least `quorum` locations are tripped (docs/reference.md §1 "How to model":
 * any location by default; with one location this is rule 1 exactly). DNS
 * answers follow from that moment (mr__tm_answer): priority, weighted, or
 * performance (the Online endpoint closest to the resolver's region). With
 * every endpoint Degraded it fails open. Every verdict change is sent
 * (MR_MSG_ENDPOINT_STATUS) to the watcher, the failover policy, if any.
 * An endpoint the failover policy's runbook disabled (MR_MSG_ENDPOINT_ADMIN,
 * the portal's "Disabled" status) is never answered, fail-open included;
 * the change counts in status_changes as a probe verdict does.
 * Aggregate fidelity (lazy): a probe that succeeds with its location's
 * count at 0 and its endpoint quiescent (no fault in force that a probe can
 * see) changes nothing, and neither would the next ones until a fault
 * starts or ends; so the location's probes of that endpoint sleep, and
 * MR_MSG_WAKE (sent by the aggregate clients on every fault start and end)
 * schedules the next one on the same grid, phase + k x interval. Likewise
 * a probe that fails at a location already tripped while its endpoint is
 * down (not up: what only a fault's start or end, or a capacity change,
 * can alter, each of which wakes the probes): the next ones would fail
 * too and change no verdict. No random
 * number is drawn by a skipped probe, so the verdicts are those of request
 * fidelity exactly; skipped probes still count in `probes`.
 * Invariant: tripped[e] counts the locations whose fails[l][e] exceed
 * tolerated. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "traffic.h"

enum { TM_PROBE = MR_MSG_PRIVATE, TM_PROBE_FAILED };

/* Which location probes which endpoint. */
typedef struct probe_msg {
    uint32_t endpoint;
    uint32_t location;
} probe_msg;

static int64_t locations(const mr_tm_cfg *cfg)
{
    return cfg->locations > 0 ? cfg->locations : 1;
}

static int64_t quorum(const mr_tm_cfg *cfg)
{
    return cfg->quorum > 0 ? cfg->quorum : 1;
}

static int tm_init(mr_component *self, mr_diag *diag)
{
    const mr_tm_cfg *cfg = self->cfg;
    mr_tm_state *st = self->state;
    int rc = MR_OK;
    if (rc == MR_OK && cfg->timeout >= cfg->interval) {
        mr_diag_error(diag, NULL, "%s: probe timeout must be shorter than the interval",
                      self->name);
        rc = MR_ERANGE;
    }
    if (rc == MR_OK && quorum(cfg) > locations(cfg)) {
        mr_diag_error(diag, NULL, "%s: quorum exceeds the probing locations", self->name);
        rc = MR_ERANGE;
    }
    if (rc == MR_OK)
        st->probe = mr_rng_derive(self->rng, "probe");
    return rc;
}

static int tm_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    return mr__traffic_link(sim, self, "endpoint", diag);
}

static void tm_start(mr_component *self, mr_sim *sim)
{
    const mr_tm_cfg *cfg = self->cfg;
    /* Location 0's phases are drawn first, endpoint by endpoint, so a
     * single location draws exactly what rule 1 describes. */
    for (int64_t l = 0; l < locations(cfg); l++)
        for (int64_t e = 0; e < cfg->base.n; e++) {
            probe_msg m = {(uint32_t)e, (uint32_t)l};
            mr_time phase = (mr_time)(mr_rng_uniform(self->rng) * (double)cfg->interval);
            mr_tm_state *st = self->state;
            st->phase[l][e] = mr_sim_now(sim) + phase;
            st->sleep_next[l][e] = -1;
            mr_sim_schedule(sim, phase, self->id, TM_PROBE, &m, sizeof m, NULL);
        }
}

/* Records endpoint e's verdict; a change is told to the watcher (the
 * failover policy), if any, and in aggregate fidelity to the listener. */
static void set_status(const mr_tm_cfg *cfg, mr_tm_state *st, mr_sim *sim, uint32_t e,
                       int degraded, mr_time now)
{
    if (st->degraded[e] != degraded) {
        st->degraded[e] = (uint8_t)degraded;
        st->changed_at[e] = now;
        st->changes++;
        if (cfg->base.lazy) {
            mr_msg_status s = {e, (uint32_t)cfg->base.cluster[e], !degraded};
            mr_sim_schedule(sim, 0, (uint32_t)cfg->base.listener, MR_MSG_ENDPOINT_STATUS, &s,
                            sizeof s, NULL);
        }
        if (cfg->base.watcher >= 0) {
            mr_msg_status m = {.endpoint = e, .cluster = (uint32_t)cfg->base.cluster[e],
                               .healthy = !degraded};
            mr_sim_schedule(sim, 0, (uint32_t)cfg->base.watcher, MR_MSG_ENDPOINT_STATUS, &m,
                            sizeof m, NULL);
        }
    }
}

/* Every sleeping probe resumes at its next instant on its grid. */
static void wake(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_tm_cfg *cfg = self->cfg;
    mr_tm_state *st = self->state;
    for (int64_t l = 0; l < locations(cfg); l++)
        for (int64_t e = 0; e < cfg->base.n; e++) {
            if (st->sleep_next[l][e] < 0)
                continue;
            mr_time next = mr__next_on_grid(st->phase[l][e], cfg->interval, now);
            if (next > st->sleep_next[l][e])
                st->probes += (uint64_t)((next - st->sleep_next[l][e]) / cfg->interval);
            st->sleep_next[l][e] = -1;
            probe_msg m = {(uint32_t)e, (uint32_t)l};
            mr_sim_schedule_at(sim, next, self->id, TM_PROBE, &m, sizeof m, NULL);
        }
}

static void tm_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_tm_cfg *cfg = self->cfg;
    mr_tm_state *st = self->state;
    if (ev->kind == MR_MSG_WAKE) {
        wake(self, sim, ev->time);
        return;
    }
    int changed;
    if (mr__traffic_admin(self, sim, ev, 1, &changed)) {
        st->changes += (uint64_t)changed; /* an operator's status change, counted as the probes' */
        return;
    }
    if (mr__traffic_fault(&st->head.faults, ev))
        return;
    probe_msg m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    uint32_t e = m.endpoint, l = m.location;
    switch (ev->kind) {
    case TM_PROBE: {
        const mr_cluster_state *c = st->head.cl[e];
        st->probes++;
        double share = mr_cluster_probe_fail_share(c, ev->time);
        if (mr_cluster_up(c) && (share <= 0 || mr_rng_uniform(st->probe) >= share)) {
            if (st->fails[l][e] > cfg->tolerated)
                st->tripped[e]--;
            st->fails[l][e] = 0;
            st->served[e] = 1;
            set_status(cfg, st, sim, e, st->tripped[e] >= quorum(cfg), ev->time);
            if (cfg->base.lazy && mr_cluster_quiescent(c)) {
                st->sleep_next[l][e] = ev->time + cfg->interval;
                break;
            }
        } else {
            mr_sim_schedule(sim, cfg->timeout, self->id, TM_PROBE_FAILED, &m, sizeof m, NULL);
            if (cfg->base.lazy && st->fails[l][e] > cfg->tolerated && !mr_cluster_up(c)) {
                st->sleep_next[l][e] = ev->time + cfg->interval;
                break;
            }
        }
        mr_sim_schedule(sim, cfg->interval, self->id, TM_PROBE, &m, sizeof m, NULL);
        break;
    }
    case TM_PROBE_FAILED: {
        uint8_t was = st->degraded[e];
        if (++st->fails[l][e] == cfg->tolerated + 1)
            st->tripped[e]++;
        set_status(cfg, st, sim, e, st->tripped[e] >= quorum(cfg), ev->time);
        /* The recovery timeline's detection; not a cold standby's start-up
         * (endpoints start Online, and one never up is Degraded then). */
        if (!was && st->degraded[e] && st->served[e])
            mr_sim_mark(sim, MR_MS_DETECTED, self, MR_MARK_REACHED);
        break;
    }
    default:
        mr_sim_unhandled(sim, ev);
    }
}

uint32_t mr__tm_answer(const mr_component *tm, mr_rng *r, int64_t origin)
{
    const mr_tm_cfg *cfg = tm->cfg;
    const mr_tm_state *st = tm->state;
    /* A disabled endpoint (the runbook's) is never answered; of the
     * others, the Online ones, or all of them when none is (fail-open). */
    uint8_t off[MR_MAX_ENDPOINTS];
    int any_online = 0;
    for (int64_t e = 0; e < cfg->base.n; e++) {
        off[e] = (uint8_t)mr__traffic_disabled(&st->head, &cfg->base, e);
        any_online |= !st->degraded[e] && !off[e];
    }
#define TM_SKIP(e) (off[e] || (any_online && st->degraded[e]))
    int64_t best = -1;
    if (cfg->routing == MR_ROUTING_WEIGHTED) {
        double total = 0;
        for (int64_t e = 0; e < cfg->base.n; e++)
            total += TM_SKIP(e) ? 0 : cfg->base.weight[e];
        double u = mr_rng_uniform(r) * total;
        for (int64_t e = 0; e < cfg->base.n && best < 0; e++) {
            double w = TM_SKIP(e) ? 0 : cfg->base.weight[e];
            if (w > 0 && (u < w || e == cfg->base.n - 1))
                best = e;
            u -= w;
        }
    } else if (cfg->routing == MR_ROUTING_PERFORMANCE && origin >= 0 && origin < MR_MAX_REGIONS) {
        for (int64_t e = 0; e < cfg->base.n; e++) {
            if (TM_SKIP(e))
                continue;
            if (best < 0 || cfg->base.rtt[origin][e] < cfg->base.rtt[origin][best])
                best = e;
        }
    }
    for (int64_t e = 0; e < cfg->base.n && best < 0; e++) {
        if (TM_SKIP(e))
            continue;
        int64_t b = best;
        if (b < 0 || cfg->base.priority[e] < cfg->base.priority[b])
            best = e;
    }
#undef TM_SKIP
    if (best < 0) /* no endpoint at all, or weights all zero: the first */
        best = 0;
    return (uint32_t)cfg->base.cluster[best];
}

/* Probes asleep at the horizon would have run on their grid up to it (the
 * kernel runs events at the horizon too): counted, as those skipped
 * between a sleep and a wake are, so `probes` is request fidelity's. */
static void tm_finish(mr_component *self, mr_sim *sim)
{
    const mr_tm_cfg *cfg = self->cfg;
    mr_tm_state *st = self->state;
    mr_time end = mr_sim_horizon(sim);
    for (int64_t l = 0; l < locations(cfg) && end != MR_TIME_NEVER; l++)
        for (int64_t e = 0; e < cfg->base.n; e++) {
            if (st->sleep_next[l][e] >= 0 && st->sleep_next[l][e] <= end)
                st->probes += (uint64_t)((end - st->sleep_next[l][e]) / cfg->interval) + 1;
            st->sleep_next[l][e] = -1;
        }
}

static void tm_report(const mr_component *self, mr_report *out)
{
    const mr_tm_state *st = self->state;
    mr_report_scalar(out, self->name, "status_changes", (double)st->changes);
    mr_report_scalar(out, self->name, "queries", (double)st->head.queries);
    mr_report_scalar(out, self->name, "probes", (double)st->probes);
}

/* Each endpoint's verdict now: endpointE_degraded 1 or 0, and when it
 * last changed (endpointE_changed_s; -1: never). */
static void tm_status(const mr_component *self, mr_report *out)
{
    const mr_tm_cfg *cfg = self->cfg;
    const mr_tm_state *st = self->state;
    char metric[48];
    for (int64_t e = 0; e < cfg->base.n; e++) {
        snprintf(metric, sizeof metric, "endpoint%lld_degraded", (long long)e);
        mr_report_scalar(out, self->name, metric, st->degraded[e] ? 1 : 0);
        snprintf(metric, sizeof metric, "endpoint%lld_changed_s", (long long)e);
        mr_report_scalar(out, self->name, metric,
                         st->changes && st->changed_at[e] > 0 ? mr_time_to_s(st->changed_at[e]) : -1);
    }
}

static const char *tm_event_name(uint32_t kind)
{
    return kind == TM_PROBE ? "probe" : kind == TM_PROBE_FAILED ? "probe_failed" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int tm_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_tm_state *st = self->state;
    if (ev->kind != TM_PROBE && ev->kind != TM_PROBE_FAILED)
        return 0; /* a public message: the trace writer describes it */
    probe_msg m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (m.endpoint >= MR_MAX_ENDPOINTS || m.location >= MR_MAX_LOCATIONS)
        return 0;
    const char *status = st->degraded[m.endpoint] ? "Degraded" : "Online";
    if (ev->kind == TM_PROBE)
        return snprintf(buf, n, "location %u probes endpoint %u (%s)", (unsigned)m.location,
                        (unsigned)m.endpoint, status);
    return snprintf(buf, n, "location %u: probe of endpoint %u failed (%d before in a row; %s)",
                    (unsigned)m.location, (unsigned)m.endpoint,
                    (int)st->fails[m.location][m.endpoint], status);
}

static void tm_fini(mr_component *self)
{
    mr_tm_state *st = self->state;
    mr_rng_free(st->probe);
}

/* ---- the kind: keys, checks, price, SLA, detection ------------------------------ */

static const char *const routing_names[] = {
#define X(c, s) s,
    MR_ROUTING_MAP(X)
#undef X
        NULL};

#define TTL_MAX (2147483647.0 * (double)MR_S)

static const mr_param tm_params[] = {
    {.key = "routing",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_tm_cfg, routing),
     .def = "priority",
     .choices = routing_names,
     .doc = "routing method",
     .ref = "docs/reference.md §1 routing methods"},
    MR_TRAFFIC_ENDPOINTS_ROW("endpoints"),
    {.key = "endpoints[].priority",
     .type = MR_PARAM_T_INT,
     .lo = 1,
     .hi = 1000,
     .doc = "lower first; 1 for an active cluster, 2 for a standby when absent",
     .ref = "ours"},
    /* docs/reference.md §1 Default DNS TTL: 30 s (az CLI); range 0 to 2,147,483,647 s. */
    {.key = "ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_tm_cfg, ttl),
     .def = "30s",
     .lo = 0,
     .hi = TTL_MAX,
     .doc = "TTL of the DNS answer",
     .ref = "docs/reference.md §1 Default DNS TTL (30 s), DNS TTL range"},
    /* docs/reference.md §1 Probing interval: 30 s (default) or 10 s only. */
    {.key = "probe.interval",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_tm_cfg, interval),
     .def = "30s",
     .lo = 10 * (double)MR_S,
     .hi = 30 * (double)MR_S,
     .doc = "10s or 30s",
     .ref = "docs/reference.md §1 Probing interval"},
    /* docs/reference.md §1 Probe timeout: 5-10 s, default 10 s (5-9 s, default 9 s at 10 s). */
    {.key = "probe.timeout",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_tm_cfg, timeout),
     .lo = 5 * (double)MR_S,
     .hi = 10 * (double)MR_S,
     .type_doc = "duration",
     .doc = "10s with a 30s interval, 9s with 10s when absent; at most 9s with 10s",
     .ref = "docs/reference.md §1 Probe timeout"},
    /* docs/reference.md §1 Tolerated number of failures: 0-9, default 3. */
    {.key = "probe.tolerated_failures",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_tm_cfg, tolerated),
     .def = "3",
     .lo = 0,
     .hi = 9,
     .doc = "failed probes tolerated before Degraded",
     .ref = "docs/reference.md §1 Tolerated number of failures"},
    /* Ours: docs/reference.md §1 "Probe origin" says probes come from multiple
     * locations, not how many; one keeps rule 1 exact by default. */
    {.key = "probe.locations",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_tm_cfg, locations),
     .def = "1",
     .lo = 1,
     .hi = 100,
     .doc = "probing regions, each with its own phase and failure count",
     .ref = "ours: docs/reference.md §1 Probe origin gives no count"},
    /* docs/reference.md §1 "How to model": a quorum across regions is not
     * documented; default any region. */
    {.key = "probe.quorum",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_tm_cfg, quorum),
     .def = "1",
     .lo = 1,
     .hi = 100,
     .doc = "Degraded once this many locations count enough failures; at most locations",
     .ref = "docs/reference.md §1 How to model (quorum not documented: any)"},
    MR_PARAM_END,
};

/* docs/reference.md §1: the probe interval is 30 s or 10 s, the timeout at
 * most 10 s (9 s with fast probing), its default the most allowed. */
static int tm_check(void *vcfg, mr_param_ctx *ctx)
{
    mr_tm_cfg *cfg = vcfg;
    char msg[200], a[32], b[32];
    int rc = MR_OK;
    if (cfg->interval != 10 * MR_S && cfg->interval != 30 * MR_S) {
        mr_time_format_unit(cfg->interval, a, sizeof a);
        snprintf(msg, sizeof msg,
                 "Traffic Manager probes every 30s or 10s only (docs/reference.md §1), found %s",
                 a);
        ctx->error(ctx, "probe.interval", msg);
        rc = MR_ESCENARIO;
    }
    mr_time hi = cfg->interval == 10 * MR_S ? 9 * MR_S : 10 * MR_S;
    if (cfg->timeout == 0) {
        cfg->timeout = hi;
        mr_time_format_unit(hi, a, sizeof a);
        ctx->record(ctx, "probe.timeout", a);
    } else if (cfg->timeout > hi) {
        mr_time_format_unit(cfg->timeout, a, sizeof a);
        mr_time_format_unit(hi, b, sizeof b);
        snprintf(msg, sizeof msg,
                 "%s is out of range [5s, %s] with a %s probe interval (docs/reference.md §1)", a,
                 b, cfg->interval == 10 * MR_S ? "10s" : "30s");
        ctx->error(ctx, "probe.timeout", msg);
        rc = MR_ESCENARIO;
    }
    if (cfg->locations > MR_MAX_LOCATIONS) {
        snprintf(msg, sizeof msg,
                 "more than %d Traffic Manager probe locations is not simulated by this "
                 "version of mrsim yet",
                 MR_MAX_LOCATIONS);
        ctx->error(ctx, "probe.locations", msg);
        rc = MR_ESCENARIO;
    }
    if (cfg->quorum > cfg->locations) {
        snprintf(msg, sizeof msg, "%lld is more than locations (%lld)", (long long)cfg->quorum,
                 (long long)cfg->locations);
        ctx->error(ctx, "probe.quorum", msg);
        rc = MR_ESCENARIO;
    }
    return rc;
}

/* docs/reference.md §10: a price per million queries (the resolvers'
 * refreshes reach the authority), per endpoint-month, and more per
 * endpoint for fast (10 s) probing. */
static double tm_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    const mr_tm_cfg *cfg = vcfg;
    double per_endpoint = ctx->price(ctx, "tm_per_endpoint_month");
    if (cfg->interval < 30 * MR_S)
        per_endpoint += ctx->price(ctx, "tm_fast_probe_per_endpoint_month");
    return ctx->queries_month / 1e6 * ctx->price(ctx, "tm_per_million_queries") +
           (double)cfg->base.n * per_endpoint;
}

static void tm_sla(const void *vcfg, mr_model_sla *out)
{
    (void)vcfg;
    *out = (mr_model_sla){.availability = 0.9999,
                          .what = "Traffic Manager",
                          .source = "docs/reference.md §1 SLA (99.99%)",
                          .multi_region = 1};
}

/* Rule 1: a location trips at its (k+1)-th consecutive failed probe,
 * uniformly in [timeout + k interval, interval + timeout + k interval);
 * the endpoint is Degraded once `quorum` of `locations` have tripped. */
static void tm_detect(const void *vcfg, mr_model_detect *out)
{
    const mr_tm_cfg *cfg = vcfg;
    double interval = (double)cfg->interval / (double)MR_S;
    double timeout = (double)cfg->timeout / (double)MR_S;
    int n = (int)(cfg->locations > 0 ? cfg->locations : 1);
    int k = (int)(cfg->quorum > 0 ? cfg->quorum : 1);
    *out = (mr_model_detect){.lo = timeout + (double)cfg->tolerated * interval,
                             .width = interval,
                             .n = n,
                             .k = k > n ? n : k,
                             .ttl_s = (double)cfg->ttl / (double)MR_S,
                             .locations = n,
                             .quorum = k > n ? n : k,
                             .event = "endpoint Degraded",
                             .layer = "Traffic Manager"};
}

static mr_time tm_ttl(const mr_component *t)
{
    return ((const mr_tm_cfg *)t->cfg)->ttl;
}

static const mr_traffic_ops tm_ops = {.answer = mr__tm_answer, .ttl = tm_ttl};

const mr_model mr_model_traffic_tm = {
    .kind = "traffic_manager",
    .family = "traffic",
    .ops = &tm_ops,
    .params = tm_params,
    .check = tm_check,
    .cost = tm_cost,
    .sla = tm_sla,
    .detect = tm_detect,
    .summary = "Azure Traffic Manager: probes, priority, weighted and performance DNS answers",
    .cfg_size = sizeof(mr_tm_cfg),
    .state_size = sizeof(mr_tm_state),
    .init = tm_init,
    .link = tm_link,
    .start = tm_start,
    .handle = tm_handle,
    .finish = tm_finish,
    .report = tm_report,
    .status = tm_status,
    .event_name = tm_event_name,
    .event_detail = tm_event_detail,
    .fini = tm_fini,
};
