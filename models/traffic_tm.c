/* models/traffic_tm.c: Azure Traffic Manager, a DNS authority with health
 * probes (DESIGN.md rule 1). Each probing location probes each endpoint
 * every interval from its own phase drawn uniformly in [0, interval) at
 * start. A probe of an endpoint that is down fails when its timeout
 * expires; of one that is up, succeeds at once (a partial failure fails that
 * share of probes; probes see what the probe path sees, so a gray failure
 * passes them). A location trips at its (tolerated + 1)-th consecutive
 * failure and untrips at its first success; the endpoint is Degraded while
 * at least `quorum` locations are tripped (REFERENCE.md §1 "How to model":
 * any location by default; with one location this is rule 1 exactly). DNS
 * answers follow from that moment (mr__tm_answer): priority, weighted, or
 * performance (the Online endpoint closest to the resolver's region). With
 * every endpoint Degraded it fails open. Every verdict change is sent
 * (MR_MSG_ENDPOINT_STATUS) to the watcher, the failover policy, if any.
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
    case TM_PROBE_FAILED:
        if (++st->fails[l][e] == cfg->tolerated + 1)
            st->tripped[e]++;
        set_status(cfg, st, sim, e, st->tripped[e] >= quorum(cfg), ev->time);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
}

uint32_t mr__tm_answer(const mr_component *tm, mr_rng *r, int64_t origin)
{
    const mr_tm_cfg *cfg = tm->cfg;
    const mr_tm_state *st = tm->state;
    int any_online = 0;
    for (int64_t e = 0; e < cfg->base.n; e++)
        any_online |= !st->degraded[e];
    /* Fail-open: with every endpoint Degraded, answer as if all were Online. */
    int64_t best = -1;
    if (cfg->routing == MR_ROUTING_WEIGHTED) {
        double total = 0;
        for (int64_t e = 0; e < cfg->base.n; e++)
            total += (!any_online || !st->degraded[e]) ? cfg->base.weight[e] : 0;
        double u = mr_rng_uniform(r) * total;
        for (int64_t e = 0; e < cfg->base.n && best < 0; e++) {
            double w = (!any_online || !st->degraded[e]) ? cfg->base.weight[e] : 0;
            if (w > 0 && (u < w || e == cfg->base.n - 1))
                best = e;
            u -= w;
        }
    } else if (cfg->routing == MR_ROUTING_PERFORMANCE && origin >= 0 && origin < MR_MAX_REGIONS) {
        for (int64_t e = 0; e < cfg->base.n; e++) {
            if (any_online && st->degraded[e])
                continue;
            if (best < 0 || cfg->base.rtt[origin][e] < cfg->base.rtt[origin][best])
                best = e;
        }
    }
    for (int64_t e = 0; e < cfg->base.n && best < 0; e++) {
        if (any_online && st->degraded[e])
            continue;
        int64_t b = best;
        if (b < 0 || cfg->base.priority[e] < cfg->base.priority[b])
            best = e;
    }
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

static const char *tm_event_name(uint32_t kind)
{
    return kind == TM_PROBE ? "probe" : kind == TM_PROBE_FAILED ? "probe_failed" : NULL;
}

static void tm_fini(mr_component *self)
{
    mr_tm_state *st = self->state;
    mr_rng_free(st->probe);
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
    .summary = "Azure Traffic Manager: probes, priority, weighted and performance DNS answers",
    .cfg_size = sizeof(mr_tm_cfg),
    .state_size = sizeof(mr_tm_state),
    .init = tm_init,
    .link = tm_link,
    .start = tm_start,
    .handle = tm_handle,
    .finish = tm_finish,
    .report = tm_report,
    .event_name = tm_event_name,
    .fini = tm_fini,
};
