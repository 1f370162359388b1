/* models/clients.c: a client population. Arrivals are one Poisson stream
 * (thinned by the daily profile); each request picks its resolver
 * uniformly (Poisson splitting), so one event stands for one request. Its
 * fate is computed on arrival: the address its runtime cache or resolver
 * holds (rule 3), whether that cluster and region are up, and its queueing
 * delay in the cluster's FIFO queue. A failed attempt is retried after the
 * timeout plus a backoff, up to `attempts` in all: only failures cost a
 * second event. Attempts reach the cluster's queue at their issue time (the
 * half round trip is left out of the queue's clock so offers stay in time
 * order across populations); the round trip still counts in the latency.
 * With a runtime cache, a request also picks one of the resolver's
 * processes uniformly (its own runtime cache; drawn only then, and only
 * with more than one, so other scenarios keep their exact draws); its
 * retries stay in that process.
 * Invariant: every request ends in exactly one mr__slo_request. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "profile.h"
#include "store.h"
#include "clients.h"
#include "cluster.h"
#include "resolver.h"
#include "traffic.h"

enum { CL_ARRIVE = MR_MSG_PRIVATE, CL_RETRY };

/* What a request is, kept over all its attempts: read or write and its
 * key (a cache's hit or miss), drawn when an attempt first reaches the
 * stores. */
typedef struct req_kind {
    uint32_t drawn; /* 0: no attempt has reached the stores yet */
    uint32_t is_write;
    double key; /* uniform in [0, 1): a read hits a cache when key < its hit ratio */
} req_kind;

typedef struct retry_msg {
    mr_time first_issue;
    uint32_t resolver;
    uint32_t attempt; /* the attempt about to be made, 2 or more */
    uint16_t kind; /* req_kind packed in 24 bytes: 0 not drawn, 1 read, 2 write */
    uint16_t process; /* its runtime cache's process (processes <= 1000) */
    float key;
} retry_msg;
_Static_assert(sizeof(retry_msg) <= MR_PAYLOAD_SIZE, "retry payload too large");

static int clients_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    mr_clients_state *st = self->state;
    st->arrivals = mr_rng_derive(self->rng, "arrivals");
    st->pick = mr_rng_derive(self->rng, "pick");
    st->service = mr_rng_derive(self->rng, "service");
    st->retry = mr_rng_derive(self->rng, "retry");
    st->mix = mr_rng_derive(self->rng, "mix");
    st->fate = mr_rng_derive(self->rng, "fate");
    return MR_OK;
}

static int clients_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    st->pool = mr_sim_link(sim, self, cfg->resolver, "resolver", "resolver pool", diag);
    mr_component *slo = mr_sim_link(sim, self, cfg->slo, "slo", "SLO collector", diag);
    if (st->pool == NULL || slo == NULL)
        return MR_ENOCOMP;
    st->slo = slo->state;
    int rc = MR_OK;
    st->clock = mr__faults_clock(sim, self, cfg->faults, diag, &rc);
    if (rc != MR_OK)
        return rc;
    st->nres = (uint32_t)((const mr_resolver_cfg *)st->pool->cfg)->count;
    for (int64_t u = 0; u < cfg->nuses; u++) {
        int64_t id = cfg->uses[u];
        st->store[u] = id >= 0 && id <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)id) : NULL;
        if (mr__store_head(st->store[u]) == NULL) {
            mr_diag_error(diag, NULL, "%s: uses component %lld, which is no data store",
                          self->name, (long long)id);
            return MR_ENOCOMP;
        }
    }
    int64_t tid = cfg->traffic >= 0 ? cfg->traffic : ((const mr_resolver_cfg *)st->pool->cfg)->tm;
    mr_component *t = mr_sim_component(sim, (uint32_t)tid);
    const mr_traffic_ops *ops = mr__traffic_ops(t);
    if (ops && ops->route) {
        st->proxy = t;
        st->proxy_ops = ops;
        st->edges = ops->edges(t);
        st->retry_next = ops->retry_next(t);
    }
    if (cfg->res_base + st->nres > ((const mr_slo_cfg *)slo->cfg)->resolvers ||
        (size_t)cfg->group_base + st->nres > st->slo->ngroups) {
        mr_diag_error(diag, NULL, "%s: resolvers beyond the SLO collector's count", self->name);
        return MR_ERANGE;
    }
    mr__slo_groups(st->slo, (uint32_t)cfg->group_base, st->nres, (uint32_t)cfg->pop);
    st->nproc = mr_runtime_processes(cfg);
    if (cfg->runtime_cache != MR_CACHE_NONE) {
        size_t n = (size_t)st->nres * st->nproc;
        st->rt_answer = mr_xcalloc(n, sizeof *st->rt_answer);
        st->rt_expiry = mr_xcalloc(n, sizeof *st->rt_expiry);
    }
    return MR_OK;
}

/* Schedules the next arrival after now by thinning (Lewis and Shedler): a
 * Poisson stream at the peak rate, each point kept with probability
 * profile / peak. */
static void next_arrival(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    double top = cfg->rate * mr_profile_max(cfg);
    if (!(top > 0))
        return;
    mr_time t = now;
    for (;;) {
        t += mr_time_from_s(mr_rng_exponential(st->arrivals, 1.0 / top));
        if (t > mr_sim_horizon(sim))
            return;
        if (cfg->profile == MR_PROFILE_CONST ||
            mr_rng_uniform(st->arrivals) * mr_profile_max(cfg) < mr_profile_at(cfg, t))
            break;
    }
    mr_sim_schedule_at(sim, t, self->id, CL_ARRIVE, NULL, 0, NULL);
}

/* How long the runtime cache keeps an answer (mr_runtime_hold). */
static mr_time runtime_hold(const mr_component *self)
{
    const mr_clients_cfg *cfg = self->cfg;
    const mr_clients_state *st = self->state;
    return mr_runtime_hold(cfg->runtime_cache,
                           mr__traffic_ttl(((const mr_resolver_state *)st->pool->state)->tm));
}

static void clients_start(mr_component *self, mr_sim *sim)
{
    mr_clients_state *st = self->state;
    const mr_resolver_state *rs = st->pool->state;
    st->used = rs->used;
    st->nused = rs->nused;
    if (st->rt_answer) {
        /* Runtime caches start in steady state too (rule 3), each process
         * with its own phase (resolver-major: with one process, the draws
         * of old). */
        mr_time hold = runtime_hold(self);
        for (uint32_t i = 0; i < st->nres; i++) {
            uint32_t a = mr__resolver_lookup(st->pool, i, 0);
            for (uint32_t m = 0; m < st->nproc; m++) {
                st->rt_answer[i * st->nproc + m] = a;
                st->rt_expiry[i * st->nproc + m] =
                    (mr_time)(mr_rng_uniform(st->pick) * (double)hold);
            }
        }
    }
    next_arrival(self, sim, mr_sim_now(sim));
}

/* The cluster process m of the clients behind resolver i sends to at time
 * now. */
static uint32_t lookup(mr_component *self, uint32_t i, uint32_t m, mr_time now)
{
    mr_clients_state *st = self->state;
    if (st->rt_answer == NULL)
        return mr__resolver_lookup(st->pool, i, now);
    size_t u = (size_t)i * st->nproc + m;
    if (now >= st->rt_expiry[u]) {
        st->rt_answer[u] = mr__resolver_lookup(st->pool, i, now);
        st->rt_expiry[u] = now + runtime_hold(self);
    }
    return st->rt_answer[u];
}

/* The data stores a request uses, once the cluster has accepted it: one
 * read or write by the population's mix, offered to each store in order;
 * a cache that serves a read (MR_ACCESS_HIT) spares the stores behind it;
 * `left`: the request's time before its timeout (store.h patience).
 * The request's kind and key are drawn at its first attempt that gets
 * here (one uniform u: a write when u >= read, else a read of key
 * u / read) and kept in *k for its retries: a retry is the same request,
 * never a fresh draw of the mix (a write that fails is retried as a
 * write). Returns 0 when a store cannot serve it; adds their latency to
 * *extra. */
static int uses_access(mr_component *self, mr_time now, uint32_t region, req_kind *k,
                       mr_time left, mr_time *extra)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    if (cfg->nuses == 0)
        return 1;
    if (!k->drawn) {
        double u = mr_rng_uniform(st->mix);
        k->drawn = 1;
        k->is_write = u >= cfg->read;
        k->key = k->is_write ? 0 : u / cfg->read;
    }
    for (int64_t u = 0; u < cfg->nuses; u++) {
        mr_store_head *h = st->store[u]->state;
        h->key = k->key;
        /* What the request may still wait for a store's capacity: once its
         * timeout passes the client has cancelled it, so the SDK retries
         * and the queues stop there (store.h patience). */
        h->patience = left - *extra;
        int r = h->access(st->store[u], now, region, (uint32_t)cfg->pop, (int)k->is_write,
                          extra);
        if (r == MR_ACCESS_FAIL)
            return 0;
        if (r == MR_ACCESS_HIT)
            return 1;
    }
    return 1;
}

/* The cluster (component id) attempt traffic from resolver i (process m)
 * goes to now, or MR_NO_ANSWER / MR_BAD_ANSWER: through Front Door, the
 * edge i mod pops routes it (rule 2); otherwise the address the caches
 * hold (rule 3). */
static uint32_t route(mr_component *self, uint32_t i, uint32_t m, mr_time now, uint32_t skip)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    if (st->proxy)
        return st->proxy_ops->route(st->proxy, i % st->edges, cfg->origin,
                                    cfg->home ? (uint32_t)cfg->home : UINT32_MAX,
                                    (uint32_t)cfg->fallback, skip, st->fate, now);
    return skip == UINT32_MAX ? lookup(self, i, m, now) : MR_NO_ANSWER;
}

/* Whether cluster c serves an attempt now, as far as its health and the
 * network go: up, reachable from the clients (a partition between them and
 * its region; Front Door reaches origins over its own backbone), and not
 * failing this one (partial and gray failures). */
static int serves(mr_component *self, const mr_cluster_state *cl, mr_time now)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    if (!mr_cluster_up(cl))
        return 0;
    if (st->proxy == NULL && !mr_region_reachable(cl->region, cfg->origin))
        return 0;
    double share = mr_cluster_request_fail_share(cl, now);
    return share <= 0 || (share < 1 && mr_rng_uniform(st->fate) >= share);
}

/* Makes attempt number `attempt` of a request first issued at first_issue,
 * now, through resolver i from process m; records or retries it. k: what
 * the request is (drawn at its first attempt that reaches the stores). */
static void attempt(mr_component *self, mr_sim *sim, mr_time first_issue, uint32_t i,
                    uint32_t m, uint32_t attempt_no, req_kind k)
{
    const mr_clients_cfg *cfg = self->cfg;
    mr_clients_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    int ok = 0;
    mr_time done = 0;
    st->attempts++;
    uint32_t to = route(self, i, m, now, UINT32_MAX);
    mr_component *c = to < MR_BAD_ANSWER ? mr_sim_component(sim, to) : NULL;
    if (c && st->retry_next && !mr_cluster_up(c->state)) {
        /* Front Door retries a refused connection once, at the next origin. */
        uint32_t next = route(self, i, m, now, to);
        c = next < MR_BAD_ANSWER ? mr_sim_component(sim, next) : NULL;
    }
    int healthy = c && serves(self, c->state, now);
    if (attempt_no == 1) { /* the recovery timeline's routed shares; the pool's request_share */
        mr__slo_routed(st->slo, now, healthy);
        st->used[to < st->nused ? to : st->nused]++;
    }
    if (healthy) {
        mr_cluster_state *cl = c->state;
        const mr_cluster_cfg *ccfg = c->cfg;
        mr_time fixed = cfg->rtt[cl->region->index] + cl->ingress_latency;
        mr_time svc = mr_dist_sample_time(&ccfg->service_time, st->service);
        /* The queue sheds by the wait alone, not by this draw, which it
         * cannot know (cluster.h shed): a request that starts holds its
         * slot for its draw and fails if it then ends past its timeout. */
        mr_time patience = cfg->timeout - fixed - cl->shed;
        mr_time start = mr_cluster_offer(cl, now, svc, patience > 0 ? patience : 0);
        if (start >= 0) {
            mr_time data = 0;
            mr_time left = cfg->timeout - (start + svc + fixed - now);
            ok = uses_access(self, now, (uint32_t)cl->region->index, &k, left, &data) &&
                 start + svc + fixed + data - now <= cfg->timeout;
            done = start + svc + fixed + data;
        }
    }
    mr__slo_attempt(st->slo, (uint32_t)cfg->group_base + i, now, ok, done);
    int final = ok || (int64_t)attempt_no >= cfg->attempts;
    if (final && first_issue >= st->slo->warmup) {
        st->measured++;
        st->succeeded += ok != 0;
    }
    if (ok) {
        mr__slo_request(st->slo, first_issue, 1, done);
        return;
    }
    st->failures++;
    if ((int64_t)attempt_no < cfg->attempts) {
        retry_msg r = {first_issue, i, attempt_no + 1,
                       (uint16_t)(k.drawn ? 1u + k.is_write : 0u), (uint16_t)m,
                       (float)k.key < 1 ? (float)k.key : nextafterf(1, 0)};
        mr_time wait = cfg->timeout + mr_dist_sample_time(&cfg->backoff, st->retry);
        mr_sim_schedule(sim, wait, self->id, CL_RETRY, &r, sizeof r, NULL);
    } else {
        mr__slo_request(st->slo, first_issue, 0, now + cfg->timeout);
    }
}

static void clients_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_clients_state *st = self->state;
    switch (ev->kind) {
    case CL_ARRIVE: {
        st->requests++;
        st->requests_normal += (uint64_t)mr__clock_normal(st->clock);
        uint32_t i = mr_rng_below(st->pick, st->nres);
        uint32_t m = st->nproc > 1 ? mr_rng_below(st->pick, st->nproc) : 0;
        attempt(self, sim, ev->time, i, m, 1, (req_kind){0});
        next_arrival(self, sim, ev->time);
        break;
    }
    case CL_RETRY: {
        retry_msg m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        req_kind k = {.drawn = m.kind != 0, .is_write = m.kind == 2, .key = m.key};
        attempt(self, sim, m.first_issue, m.resolver, m.process < st->nproc ? m.process : 0,
                m.attempt, k);
        break;
    }
    default:
        mr_sim_unhandled(sim, ev);
    }
}

static void clients_report(const mr_component *self, mr_report *out)
{
    const mr_clients_state *st = self->state;
    mr_report_scalar(out, self->name, "requests", (double)st->requests);
    mr_report_scalar(out, self->name, "requests_normal", (double)st->requests_normal);
    mr_report_scalar(out, self->name, "attempts", (double)st->attempts);
    mr_report_scalar(out, self->name, "failed_attempts", (double)st->failures);
    /* The population's own availability: with stamps, a stamp's failure
     * shows in its populations and nobody else's. */
    mr_report_scalar(out, self->name, "availability",
                     st->measured ? (double)st->succeeded / (double)st->measured : NAN);
}

static const char *clients_event_name(uint32_t kind)
{
    return kind == CL_ARRIVE ? "arrive" : kind == CL_RETRY ? "retry" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int clients_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_clients_state *st = self->state;
    if (ev->kind == CL_ARRIVE)
        return snprintf(buf, n, "request %llu arrives (%llu attempts %llu failed so far)",
                        (unsigned long long)st->requests + 1, (unsigned long long)st->attempts,
                        (unsigned long long)st->failures);
    if (ev->kind != CL_RETRY)
        return 0; /* a public message: the trace writer describes it */
    retry_msg m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    char t[32];
    mr_time_format_exact(m.first_issue, t, sizeof t);
    return snprintf(buf, n, "attempt %u of a%s request first issued at %s s via resolver %u",
                    (unsigned)m.attempt, m.kind == 2 ? " write" : m.kind == 1 ? " read" : "",
                    t, (unsigned)m.resolver);
}

static void clients_fini(mr_component *self)
{
    mr_clients_state *st = self->state;
    mr_rng_free(st->arrivals);
    mr_rng_free(st->pick);
    mr_rng_free(st->service);
    mr_rng_free(st->retry);
    mr_rng_free(st->mix);
    mr_rng_free(st->fate);
    free(st->rt_answer);
    free(st->rt_expiry);
}

/* Vectors: the requests whose outcome was final (after the warm-up) and
 * their successes, running counts the runner turns into counts per window
 * (by the window of the outcome, not of the first issue). */
static size_t clients_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                             size_t cap)
{
    (void)sim;
    if (cap < 2)
        return 0;
    for (int k = 0; k < 2; k++) {
        snprintf(out[k].component, sizeof out[k].component, "%s", self->name);
        snprintf(out[k].metric, sizeof out[k].metric, "%s", k == 0 ? "requests" : "successes");
        out[k].unit = "requests";
        out[k].counter = 1;
    }
    return 2;
}

static void clients_sample(const mr_component *self, mr_time now, double *out)
{
    (void)now;
    const mr_clients_state *st = self->state;
    out[0] = (double)st->measured;
    out[1] = (double)st->succeeded;
}

const mr_model mr_model_clients = {
    .kind = "clients",
    .summary = "client population: Poisson arrivals, resolvers, retries, runtime caches",
    .cfg_size = sizeof(mr_clients_cfg),
    .state_size = sizeof(mr_clients_state),
    .init = clients_init,
    .link = clients_link,
    .start = clients_start,
    .handle = clients_handle,
    .report = clients_report,
    .series = clients_series,
    .sample = clients_sample,
    .event_name = clients_event_name,
    .event_detail = clients_event_detail,
    .fini = clients_fini,
};

