/* models/faults.c: the fault injector. A fault is timed by `at` and a
 * duration; stochastically by `mtbf` (the up time from a repair to the next
 * failure) and `mttr` (the down time); by `repeat` (starts at k x every,
 * k = 1, 2, ..., each moved by a uniform jitter); or by `start_after`
 * another fault (every start of that one starts this one `delay` later).
 * Its targets are named, or picked afresh at each start from a selector's
 * candidates (mode one, count, percent; all takes every candidate). At its
 * start it sends MR_MSG_FAULT_START to each target, then a copy to each
 * watcher (the failover policy, a DNS operator), and opens an episode in the
 * SLO collector; at its end, MR_MSG_FAULT_END to the same targets. Targets
 * count the faults in force, so overlapping faults compose.
 * Invariant: a start's END goes to exactly the targets its START went to
 * (the pick travels in the END's payload). */
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "fault_set.h"
#include "mrsim/cfg/faults.h"
#include "slo.h"

typedef struct mr_faults_state {
    mr_fault_clock clock; /* the run's normal time (fault_set.h) */
    mr_slo_state *slo;
    mr_rng *select; /* which targets a selector picks */
    uint64_t started;
    uint64_t started_of[MR_MAX_FAULTS]; /* per fault: its episodes */
    mr_time horizon;
} mr_faults_state;

enum { FT_START = MR_MSG_PRIVATE, FT_END };

/* FT_START: which fault, and for REPEAT which start (k = 1, 2, ...). */
typedef struct start_msg {
    uint32_t fault;
    uint32_t k;
} start_msg;

/* FT_END: which fault, and the candidates its start picked (bit i = cand[i]). */
typedef struct end_msg {
    uint32_t fault;
    uint32_t pad_;
    uint64_t picked;
} end_msg;
_Static_assert(sizeof(end_msg) <= MR_PAYLOAD_SIZE, "end payload too large");
_Static_assert(MR_MAX_FAULT_TARGETS <= 64, "picked is a 64-bit mask");

static int faults_init(mr_component *self, mr_diag *diag)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    int rc = MR_OK;
    for (int64_t f = 0; f < cfg->n && rc == MR_OK; f++) {
        const mr_fault_cfg *fc = &cfg->f[f];
        if (fc->ncand < 1 || fc->ncand > MR_MAX_FAULT_TARGETS || fc->pick < 0 ||
            fc->pick > fc->ncand || fc->timing < MR_FT_AT || fc->timing > MR_FT_AFTER ||
            (fc->timing == MR_FT_AFTER && (fc->after < 0 || fc->after >= cfg->n)) ||
            (fc->timing == MR_FT_REPEAT && fc->every <= 0)) {
            mr_diag_error(diag, NULL, "%s: fault %lld is malformed (targets, timing)", self->name,
                          (long long)f);
            rc = MR_ERANGE;
        }
    }
    if (rc == MR_OK)
        st->select = mr_rng_derive(self->rng, "select");
    st->clock.first_start = MR_TIME_NEVER;
    st->clock.nf = (uint32_t)(cfg->n > 0 && cfg->n <= MR_MAX_FAULTS ? cfg->n : 0);
    return rc;
}

const mr_fault_clock *mr__faults_clock(mr_sim *sim, const mr_component *self, int64_t id,
                                       mr_diag *diag, int *rc)
{
    const mr_component *c = mr__faults_component(sim, self, id, diag, rc);
    return c != NULL ? &((const mr_faults_state *)c->state)->clock : NULL;
}

static int faults_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    int rc = MR_OK;
    mr_component *slo = mr_sim_link(sim, self, cfg->slo, "slo", "SLO collector", diag);
    if (slo == NULL)
        rc = MR_ENOCOMP;
    else
        st->slo = slo->state;
    for (int64_t f = 0; f < cfg->n; f++)
        for (int64_t c = 0; c < cfg->f[f].ncand; c++) {
            int64_t t = cfg->f[f].cand[c];
            if (t < 0 || t > UINT32_MAX || mr_sim_component(sim, (uint32_t)t) == NULL) {
                mr_diag_error(diag, NULL, "%s: fault %lld targets no component", self->name,
                              (long long)f);
                rc = MR_ENOCOMP;
            }
        }
    for (int64_t w = 0; w < cfg->nwatch; w++)
        if (cfg->watcher[w] < 0 || cfg->watcher[w] > UINT32_MAX ||
            mr_sim_component(sim, (uint32_t)cfg->watcher[w]) == NULL) {
            mr_diag_error(diag, NULL, "%s: watcher %lld is no component", self->name,
                          (long long)w);
            rc = MR_ENOCOMP;
        }
    for (int64_t k = 0; k < cfg->nstores; k++)
        if (cfg->store[k] < 0 || cfg->store[k] > UINT32_MAX ||
            mr_sim_component(sim, (uint32_t)cfg->store[k]) == NULL) {
            mr_diag_error(diag, NULL, "%s: data store %lld is no component", self->name,
                          (long long)k);
            rc = MR_ENOCOMP;
        }
    return rc;
}

/* The nominal time of a repeated fault's k-th start, jittered. */
static mr_time repeat_at(const mr_fault_cfg *fc, uint32_t k, mr_rng *r)
{
    mr_time t = (mr_time)k * fc->every;
    if (fc->jitter > 0)
        t += (mr_time)((2 * mr_rng_uniform(r) - 1) * (double)fc->jitter);
    return t;
}

/* Start k of fault f at base + delay. A draw past the end of time (a long
 * MTBF's exponential tail: 300,000 h has draws beyond 292 years) never
 * starts, rather than wrapping round into the past. */
static void schedule_start(mr_component *self, mr_sim *sim, uint32_t f, uint32_t k, mr_time base,
                           mr_time delay)
{
    if (delay > MR_TIME_NEVER - base)
        return;
    start_msg m = {f, k};
    mr_sim_schedule_at(sim, base + delay, self->id, FT_START, &m, sizeof m, NULL);
}

static void faults_start(mr_component *self, mr_sim *sim)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    st->horizon = mr_sim_horizon(sim);
    for (int64_t f = 0; f < cfg->n; f++) {
        const mr_fault_cfg *fc = &cfg->f[f];
        uint32_t i = (uint32_t)f;
        switch (fc->timing) {
        case MR_FT_AT:
            schedule_start(self, sim, i, 0, 0, mr_dist_sample_time(&fc->at, self->rng));
            break;
        case MR_FT_MTBF:
            schedule_start(self, sim, i, 0, now, mr_dist_sample_time(&fc->mtbf, self->rng));
            break;
        case MR_FT_REPEAT:
            schedule_start(self, sim, i, 1, 0, repeat_at(fc, 1, self->rng));
            break;
        default: /* AFTER: started by its predecessor */
            break;
        }
    }
}

/* Which candidates a start hits: all, or `pick` of them uniformly without
 * replacement (a partial Fisher-Yates shuffle over the indices). */
static uint64_t pick_targets(const mr_fault_cfg *fc, mr_rng *r)
{
    if (fc->pick >= fc->ncand)
        return fc->ncand == 64 ? ~(uint64_t)0 : (((uint64_t)1 << fc->ncand) - 1);
    uint8_t idx[MR_MAX_FAULT_TARGETS];
    for (int64_t c = 0; c < fc->ncand; c++)
        idx[c] = (uint8_t)c;
    uint64_t picked = 0;
    for (int64_t j = 0; j < fc->pick; j++) {
        int64_t s = j + (int64_t)mr_rng_below(r, (uint32_t)(fc->ncand - j));
        uint8_t t = idx[j];
        idx[j] = idx[s];
        idx[s] = t;
        picked |= (uint64_t)1 << idx[j];
    }
    return picked;
}

static void tell(mr_sim *sim, const mr_fault_cfg *fc, uint32_t fault, uint32_t kind,
                 uint64_t picked, const mr_faults_cfg *cfg)
{
    mr_msg_fault m = {.fault = fault,
                      .kind = (uint32_t)fc->kind,
                      .severity = fc->ramp ? fc->ramp_from : fc->severity,
                      .zone = (int32_t)fc->zone,
                      .flags = (fc->ramp ? MR_FAULT_F_RAMP : 0u) |
                               (fc->invert ? MR_FAULT_F_INVERT : 0u)};
    for (int64_t c = 0; c < fc->ncand; c++)
        if (picked >> c & 1)
            mr_sim_schedule(sim, 0, (uint32_t)fc->cand[c], kind, &m, sizeof m, NULL);
    /* Watchers hear every fault once: not again when they are its target. */
    for (int64_t w = 0; w < cfg->nwatch; w++) {
        int target = 0;
        for (int64_t c = 0; c < fc->ncand; c++)
            target |= (picked >> c & 1) && fc->cand[c] == cfg->watcher[w];
        if (!target)
            mr_sim_schedule(sim, 0, (uint32_t)cfg->watcher[w], kind, &m, sizeof m, NULL);
    }
    if (fc->kind == MR_FAULT_REGION_OUTAGE || fc->kind == MR_FAULT_NETWORK_PARTITION)
        for (int64_t s = 0; s < cfg->nstores; s++)
            mr_sim_schedule(sim, 0, (uint32_t)cfg->store[s], kind, &m, sizeof m, NULL);
}

/* A fault starts: the normal time stops until every fault in force ended. */
static void clock_start(mr_fault_clock *c, mr_time now, uint32_t fault)
{
    mr__clock_attr_flush(c, now);
    c->cur = fault < c->nf ? fault : 0;
    if (c->active++ == 0)
        c->acc += now - c->since;
    if (c->started++ == 0) {
        c->first_start = now;
        c->first_acc = c->acc;
    }
}

static void on_start(mr_component *self, mr_sim *sim, const start_msg *m)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    const mr_fault_cfg *fc = &cfg->f[m->fault];
    mr_time now = mr_sim_now(sim);
    st->started++;
    st->started_of[m->fault]++;
    clock_start(&st->clock, now, m->fault);
    end_msg e = {.fault = m->fault, .picked = pick_targets(fc, st->select)};
    tell(sim, fc, m->fault, MR_MSG_FAULT_START, e.picked, cfg);
    mr__slo_episode_start(st->slo, now, m->fault);
    const mr_dist *down = fc->timing == MR_FT_MTBF ? &fc->mttr : &fc->duration;
    mr_sim_schedule(sim, mr_dist_sample_time(down, self->rng), self->id, FT_END, &e, sizeof e,
                    NULL);
    if (fc->timing == MR_FT_REPEAT && (fc->count == 0 || (int64_t)m->k < fc->count)) {
        mr_time next = repeat_at(fc, m->k + 1, self->rng);
        /* Jitter may put the next start before this one; it never runs
         * backwards in time. */
        schedule_start(self, sim, m->fault, m->k + 1, 0, next > now ? next : now);
    }
    for (int64_t g = 0; g < cfg->n; g++)
        if (cfg->f[g].timing == MR_FT_AFTER && cfg->f[g].after == (int64_t)m->fault)
            schedule_start(self, sim, (uint32_t)g, 0, now,
                           mr_dist_sample_time(&cfg->f[g].delay, self->rng));
}

static void faults_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    switch (ev->kind) {
    case FT_START: {
        start_msg m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.fault < cfg->n)
            on_start(self, sim, &m);
        break;
    }
    case FT_END: {
        end_msg e;
        memcpy(&e, ev->payload.bytes, sizeof e);
        if (e.fault >= cfg->n)
            break;
        const mr_fault_cfg *fc = &cfg->f[e.fault];
        tell(sim, fc, e.fault, MR_MSG_FAULT_END, e.picked, cfg);
        mr__clock_attr_flush(&st->clock, ev->time);
        if (--st->clock.active == 0)
            st->clock.since = ev->time;
        mr__slo_episode_end(st->slo, ev->time, e.fault);
        if (fc->timing == MR_FT_MTBF)
            schedule_start(self, sim, e.fault, 0, ev->time,
                           mr_dist_sample_time(&fc->mtbf, self->rng));
        break;
    }
    default:
        mr_sim_unhandled(sim, ev);
    }
}

static void faults_report(const mr_component *self, mr_report *out)
{
    const mr_faults_state *st = self->state;
    mr_report_scalar(out, self->name, "started", (double)st->started);
    /* The cost's run rate divides normal-time usage by it. */
    mr_time n = mr__clock_at(&st->clock, st->horizon);
    mr_report_scalar(out, self->name, "normal_hours", (double)n / 3600e9);
    /* The incident cost per episode divides each fault's share by them. */
    char metric[32];
    for (uint32_t f = 0; f < st->clock.nf; f++) {
        snprintf(metric, sizeof metric, "started[%u]", f);
        mr_report_scalar(out, self->name, metric, (double)st->started_of[f]);
    }
}

static const char *faults_event_name(uint32_t kind)
{
    return kind == FT_START ? "start" : kind == FT_END ? "end" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing:
 * the fault by its index in the scenario's `faults:` and its kind. */
static int faults_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_faults_cfg *cfg = self->cfg;
    if (ev->kind != FT_START && ev->kind != FT_END)
        return 0; /* a public message: the trace writer describes it */
    uint32_t f;
    memcpy(&f, ev->payload.bytes, sizeof f); /* both payloads start with the fault */
    const char *kind = f < (uint32_t)cfg->n ? mr_fault_kind_name((mr_fault_kind)cfg->f[f].kind) : NULL;
    if (ev->kind == FT_START) {
        start_msg m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.k > 0) /* a repeated fault: which of its starts */
            return snprintf(buf, n, "faults[%u] %s begins (start %u)", (unsigned)f,
                            kind ? kind : "?", (unsigned)m.k);
        return snprintf(buf, n, "faults[%u] %s begins", (unsigned)f, kind ? kind : "?");
    }
    end_msg e;
    memcpy(&e, ev->payload.bytes, sizeof e);
    int targets = 0;
    for (uint64_t b = e.picked; b; b &= b - 1)
        targets++;
    return snprintf(buf, n, "faults[%u] %s ends (%d targets)", (unsigned)f, kind ? kind : "?",
                    targets);
}

static void faults_fini(mr_component *self)
{
    mr_faults_state *st = self->state;
    mr_rng_free(st->select);
}

const mr_model mr_model_faults = {
    .kind = "faults",
    .summary = "fault injector: at, mtbf/mttr, repeat, start_after; named or selected targets",
    .cfg_size = sizeof(mr_faults_cfg),
    .state_size = sizeof(mr_faults_state),
    .init = faults_init,
    .link = faults_link,
    .start = faults_start,
    .handle = faults_handle,
    .report = faults_report,
    .event_name = faults_event_name,
    .event_detail = faults_event_detail,
    .fini = faults_fini,
};
