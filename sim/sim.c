/* sim/sim.c: one replication's kernel: the component table, the clock and
 * the dispatch loop. Invariants: now never decreases; every event in the
 * queue has time >= now; components are only added before mr_sim_start, so
 * ids are dense indices into comps and stay valid for the whole run. The
 * dispatch loop allocates nothing and formats nothing: it pops, copies the
 * event out, and calls the target's handler. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"
#include "mrsim/sim.h"
#include "queue.h"

struct mr_sim {
    mr__queue queue;
    mr_time now;
    mr_time horizon;
    uint64_t events;
    uint64_t unhandled;
    uint64_t seed;
    uint64_t rep;
    int started;
    int stop;
    mr_component **comps;
    size_t ncomps, capcomps;
    mr_trace_fn trace;
    void *trace_ctx;
    mr_mark_fn mark;
    void *mark_ctx;
    const atomic_int *interrupt; /* polled every MR_SIM_INTERRUPT_EVERY events */
};

mr_sim *mr_sim_new(uint64_t seed, uint64_t rep)
{
    mr_sim *sim = mr_xcalloc(1, sizeof *sim);
    mr__queue_init(&sim->queue);
    sim->horizon = MR_TIME_NEVER;
    sim->seed = seed;
    sim->rep = rep;
    return sim;
}

int mr_sim_free(mr_sim *sim)
{
    if (sim == NULL)
        return MR_OK;
    uint32_t leaked = mr__queue_fini(&sim->queue);
    for (size_t i = sim->ncomps; i-- > 0;) {
        mr_component *c = sim->comps[i];
        mr_component_fini(c);
        mr_rng_free(c->rng);
        free((void *)c->cfg);
        free(c->state);
        free((void *)c->name);
        free(c);
    }
    free(sim->comps);
    free(sim);
    return leaked == 0 ? MR_OK : MR_EBUSY;
}

mr_component *mr_sim_find(const mr_sim *sim, const char *name)
{
    for (size_t i = 0; i < sim->ncomps; i++) {
        if (strcmp(sim->comps[i]->name, name) == 0)
            return sim->comps[i];
    }
    return NULL;
}

/* A kind set's look-up (model.h): the kernel's, so the scenario binder can
 * find a kind in the set it was handed without linking the registry. */
const mr_model *mr_kinds_find(mr_kinds kinds, const char *family, const char *kind)
{
    for (size_t i = 0; i < kinds.n; i++) {
        const mr_model *m = kinds.v[i];
        if (strcmp(m->kind, kind) != 0)
            continue;
        if (family == NULL || (m->family != NULL && strcmp(m->family, family) == 0))
            return m;
    }
    return NULL;
}

mr_component *mr_sim_link(const mr_sim *sim, const mr_component *self, int64_t id,
                          const char *kind, const char *role, mr_diag *diag)
{
    mr_component *c = id >= 0 && id <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)id) : NULL;
    if (c == NULL || (strcmp(c->model->kind, kind) != 0 &&
                      (c->model->family == NULL || strcmp(c->model->family, kind) != 0))) {
        mr_diag_error(diag, NULL, "%s: its %s (component %lld) is not a %s", self->name, role,
                      (long long)id, kind);
        return NULL;
    }
    return c;
}

int mr_sim_add(mr_sim *sim, const mr_model *model, const char *name, const void *cfg,
               mr_diag *diag, mr_component **out)
{
    if (sim->started)
        return MR_ESTATE;
    if (model == NULL || model->handle == NULL || name == NULL || name[0] == '\0')
        return MR_EINVAL;
    if (mr_sim_find(sim, name) != NULL)
        return MR_EEXIST;
    if (sim->ncomps >= UINT32_MAX)
        return MR_ERANGE;

    mr_component *c = mr_xcalloc(1, sizeof *c);
    /* A NULL cfg is an all-zero one: the builder hands every model its
     * configuration, bound and checked through the key tables. */
    void *cfg_copy = mr_xcalloc(1, model->cfg_size ? model->cfg_size : 1);
    if (cfg != NULL)
        memcpy(cfg_copy, cfg, model->cfg_size);
    c->model = model;
    c->name = mr_xstrdup(name);
    c->id = (uint32_t)sim->ncomps;
    c->rng = mr_rng_new(sim->seed, sim->rep, name);
    c->cfg = cfg_copy;
    c->state = mr_xcalloc(1, model->state_size);

    int rc = mr_component_init(c, diag);
    if (rc != MR_OK) {
        mr_rng_free(c->rng);
        free(cfg_copy);
        free(c->state);
        free((void *)c->name);
        free(c);
        return rc;
    }
    if (sim->ncomps == sim->capcomps) {
        sim->capcomps = sim->capcomps ? 2 * sim->capcomps : 16;
        sim->comps = mr_xrealloc(sim->comps, sim->capcomps * sizeof *sim->comps);
    }
    sim->comps[sim->ncomps++] = c;
    if (out)
        *out = c;
    return MR_OK;
}

int mr_sim_start(mr_sim *sim, mr_diag *diag)
{
    if (sim->started)
        return MR_ESTATE;
    int first = MR_OK;
    for (size_t i = 0; i < sim->ncomps; i++) {
        int rc = mr_component_link(sim->comps[i], sim, diag);
        if (rc != MR_OK && first == MR_OK)
            first = rc;
    }
    if (first != MR_OK)
        return first;
    sim->started = 1;
    for (size_t i = 0; i < sim->ncomps; i++)
        mr_component_start(sim->comps[i], sim);
    return MR_OK;
}

int mr_sim_set_horizon(mr_sim *sim, mr_time horizon)
{
    if (horizon < sim->now)
        return MR_EPAST;
    sim->horizon = horizon;
    return MR_OK;
}

mr_time mr_sim_horizon(const mr_sim *sim)
{
    return sim->horizon;
}

int mr_sim_schedule_at(mr_sim *sim, mr_time at, uint32_t target, uint32_t kind,
                       const void *payload, size_t len, mr_handle *h)
{
    if (at < sim->now)
        return MR_EPAST;
    if (target >= sim->ncomps)
        return MR_ENOCOMP;
    if (len > MR_PAYLOAD_SIZE || (payload == NULL && len > 0))
        return MR_EINVAL;
    uint32_t s = mr__queue_push(&sim->queue, at, target, kind);
    mr__ev_rec *r = &sim->queue.pool.recs[s];
    if (len)
        memcpy(r->payload.bytes, payload, len);
    if (len < MR_PAYLOAD_SIZE)
        memset(r->payload.bytes + len, 0, MR_PAYLOAD_SIZE - len);
    if (h) {
        h->slot = s;
        h->gen = r->gen;
    }
    return MR_OK;
}

int mr_sim_schedule(mr_sim *sim, mr_time delay, uint32_t target, uint32_t kind,
                    const void *payload, size_t len, mr_handle *h)
{
    if (delay < 0)
        return MR_EDELAY;
    if (delay > MR_TIME_NEVER - sim->now)
        return MR_ERANGE;
    return mr_sim_schedule_at(sim, sim->now + delay, target, kind, payload, len, h);
}

int mr_sim_cancel(mr_sim *sim, mr_handle h)
{
    return mr__queue_cancel(&sim->queue, h) == 0 ? MR_OK : MR_ESTALE;
}

int mr_sim_pending_handle(const mr_sim *sim, mr_handle h)
{
    return mr__queue_is_pending(&sim->queue, h);
}

int mr_sim_run(mr_sim *sim, mr_run_mode mode, mr_time until)
{
    if (!sim->started)
        return MR_ESTATE;
    mr_time end = sim->horizon;
    if (mode == MR_RUN_UNTIL) {
        if (until < sim->now)
            return MR_EPAST;
        if (until < end)
            end = until;
    }
    sim->stop = mode == MR_RUN_STEP;
    mr_event ev;
    while (mr__queue_pop_due(&sim->queue, end, &ev)) {
        sim->now = ev.time;
        sim->events++;
        mr_component *c = sim->comps[ev.target];
        if (sim->trace)
            sim->trace(sim->trace_ctx, sim, c, &ev);
        mr_component_handle(c, sim, &ev);
        if (sim->stop) {
            sim->stop = 0;
            return MR_OK;
        }
        if ((sim->events & (MR_SIM_INTERRUPT_EVERY - 1)) == 0 && sim->interrupt &&
            atomic_load_explicit(sim->interrupt, memory_order_relaxed))
            return MR_EINTR;
    }
    sim->stop = 0;
    if (mode == MR_RUN_STEP)
        return MR_EEMPTY;
    if (end != MR_TIME_NEVER && end > sim->now)
        sim->now = end;
    return MR_OK;
}

void mr_sim_stop(mr_sim *sim)
{
    sim->stop = 1;
}

void mr_sim_finish(mr_sim *sim)
{
    for (size_t i = 0; i < sim->ncomps; i++)
        mr_component_finish(sim->comps[i], sim);
}

mr_time mr_sim_now(const mr_sim *sim)
{
    return sim->now;
}

uint64_t mr_sim_events(const mr_sim *sim)
{
    return sim->events;
}

size_t mr_sim_pending(const mr_sim *sim)
{
    return mr__queue_live(&sim->queue);
}

int mr_sim_next_time(mr_sim *sim, mr_time *t)
{
    if (!mr__queue_settle(&sim->queue))
        return MR_EEMPTY;
    *t = sim->queue.heap[0].time;
    return MR_OK;
}

uint64_t mr_sim_unhandled_count(const mr_sim *sim)
{
    return sim->unhandled;
}

void mr_sim_unhandled(mr_sim *sim, const mr_event *ev)
{
    (void)ev;
    sim->unhandled++;
}

uint64_t mr_sim_seed(const mr_sim *sim)
{
    return sim->seed;
}

uint64_t mr_sim_replication(const mr_sim *sim)
{
    return sim->rep;
}

size_t mr_sim_component_count(const mr_sim *sim)
{
    return sim->ncomps;
}

mr_component *mr_sim_component(const mr_sim *sim, uint32_t id)
{
    return id < sim->ncomps ? sim->comps[id] : NULL;
}

void mr_sim_reserve(mr_sim *sim, size_t n)
{
    mr__queue_reserve(&sim->queue, n);
}

void mr_sim_set_interrupt(mr_sim *sim, const atomic_int *flag)
{
    sim->interrupt = flag;
}

void mr_sim_set_mark(mr_sim *sim, mr_mark_fn fn, void *ctx)
{
    sim->mark = fn;
    sim->mark_ctx = ctx;
}

void mr_sim_mark(mr_sim *sim, uint32_t what, const mr_component *source, int reached)
{
    if (sim->mark)
        sim->mark(sim->mark_ctx, what, source, reached, sim->now);
}

void mr_sim_set_trace(mr_sim *sim, mr_trace_fn fn, void *ctx)
{
    sim->trace = fn;
    sim->trace_ctx = ctx;
}
