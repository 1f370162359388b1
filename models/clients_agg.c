/* models/clients_agg.c: client populations at aggregate fidelity (docs/model.md
 * "DNS caches and clients"). Traffic is a rate, not events. The model acts
 * only when something changes and integrates expected requests and
 * successes into the SLO collector's windows in between
 * (mr__slo_integrate), where a window below a success share of 1 gets
 * Poisson counts (models/slo.c).
 *
 * One component per population (the builder swaps the kind "clients" for
 * this one, same configuration), but the first of them, the hub, runs every
 * population: they share clusters (capacity) and resolver pools. The others
 * only report what the hub computed for them.
 *
 * What the hub knows: for each resolver, the slot (endpoint, no answer, a
 * wrong record) its cached answer points at, and counts per slot; with
 * Front Door, the origin each (population, edge) is routed to, or where
 * it spreads its attempts over several (below). Between
 * events the success share of population k is piecewise constant:
 *   sum over slots j of share_kj x (1 - (1 - p_kj c_j)^attempts)
 * where p_kj is the share of attempts cluster j serves (up, reachable from
 * k's region, not failed by a partial or gray failure) times c_j, the
 * share of attempts its queue accepts (the fluid capacity approximation):
 * 1 while it serves every attempt offered, else the c_j at which what it
 * serves, sum over k of rate_k x share_kj x (1 - (1 - p_kj)^attempts),
 * equals its capacity (pods x rps_per_pod): a short cluster serves its
 * capacity, the failed attempts' retries being part of its load
 * (served_share). Retries are taken as independent attempts under the
 * state of the first (the state changing within attempts x (timeout +
 * backoff) of a switch is not seen: a bias of a few seconds per switch,
 * under 3% of the loss of the reference drill).
 *
 * What makes it act (each an event):
 *  - a fault starts or ends (it is a watcher of the fault injector): it
 *    re-reads the clusters and regions and sends MR_MSG_WAKE to the traffic
 *    layer, whose sleeping probes resume on their grid (traffic_tm.c);
 *  - the traffic layer tells it of every verdict (its listener): with
 *    Front Door the routes of the edges are re-read; with a DNS authority
 *    (Traffic Manager, plain DNS) every resolver's next refresh becomes an
 *    event, once: a refresh after the latest change fetches the answer that
 *    holds until the next change, so its later refreshes cannot change
 *    anything and are not simulated (weighted answers are redrawn then, the
 *    split following the weights over resolvers rather than per query);
 *  - a resolver's refresh: it asks the authority through the resolver pool
 *    (rule 3: its TTL policy) and moves to the slot of the answer;
 *  - a cluster's serving pods changed (MR_MSG_CAPACITY: a pod ready, a
 *    node removed, a zone down; cluster.c sends it only to a hub that
 *    registered itself at link, so request fidelity's events are
 *    unchanged): capacity and up-ness are re-read at that instant; an
 *    endpoint that went up or down wakes the traffic layer's sleeping
 *    probes (notify);
 *  - a data store's change (MR_MSG_WAKE, below);
 *  - a tick every SLO window while a ramped fault is in force, and every
 *    hour with a daily profile (to re-evaluate capacity, and the stores'
 *    write rates).
 * What it tells the clusters (what moves pods on their own timers): the
 * autoscaler's load is the expected attempts offered to the queue
 * (hub_offered: per population, share x attempt share x expected
 * attempts, integrated in advance() and projected in closed form between
 * events, the daily profile's integral included), over the scan's window,
 * where request fidelity counts the Poisson offers (whose noise delays a
 * scale-in near a threshold: aggregate's node-hours are lower by a few
 * percent under a daily profile: 7.5% with 720 offers a scan at the peak,
 * 2% with 7,200; tests/validation/test_aggregate_compute.c).
 * An autoscaler with nothing to change sleeps (cluster.c); the hub wakes
 * it (MR_MSG_WAKE) when its column of offer weights changes. The failover
 * policy needs nothing more: it acts on the traffic layer's verdicts or
 * the faults, and its scale actions reach the hub as capacity changes.
 * A refresh happens at the first query after expiry: expiry plus an
 * exponential wait at the resolver's query rate, as in request fidelity.
 * A resolver whose expiry is long past (it refreshed in steady state,
 * unsimulated) has its next refresh drawn from the renewal process in
 * equilibrium: with a fixed hold L and mean wait m, waiting (probability
 * m / (L + m)) or U(0, L) before its expiry, then the wait; with extra
 * holds drawn per refresh, five cycles simulated from a uniform phase.
 *
 * Data stores (store.h "aggregate fidelity"): p_kj above also multiplies
 * by the share the stores population k uses serve in cluster j's region
 * (a read or a write by the mix, each store in order, a cache's hit
 * sparing the rest: clients.c uses_access, whose mix is drawn per attempt,
 * so retries stay independent). At every recompute the stores are told
 * the reads and writes reaching them from then on (by serving region and
 * population) and integrate their own counters; each change of a store
 * (fault, failover decision, switch, promotion, and the later instants
 * its clients' route or SDK caches refresh, a cache's warm-up steps) is
 * an MR_MSG_WAKE to this hub at that instant, sent only in aggregate
 * mode, so request fidelity's event sequence is unchanged. A forced
 * failover loses a Poisson draw from the stores' rate log of writes (so
 * lost_writes and rpo_s keep their distribution, not just their mean),
 * staleness and multi-write conflicts are sampled from the same replica
 * positions (rule 4) every ten lag samples.
 * Runtime caches (Java, Chrome): each resolver's traffic comes from np
 * client processes (clients[].processes; one runtime kind and count per
 * pool, checked by the builder), each with its own runtime cache: a unit
 * (resolver i, process m) carries 1/np of the resolver's traffic and its
 * own slot. The runtimes are the resolver's only clients, so the resolver
 * is asked only at their refetches, each a grid of the runtime's hold from
 * a uniform phase (request fidelity's refetch is a request gap after
 * expiry: the grid drifts by well under a second per hold). A resolver
 * then refreshes at the first point of the union of its processes' grids
 * at or after its expiry, that process's traffic moving with it
 * (next_refresh_rt); every other process whose slot differs then reads
 * the resolver at its own next grid point (a follow-up: follow_one, which
 * may refresh the resolver again once it expired). O(np) per resolver per
 * change, never per request. A group with its processes split between a
 * failing and a serving slot is partly failing (group_rto, group_ok).
 * Client RTO (per resolver): from the instant its traffic starts failing
 * entirely after an episode's start (its slot serves no attempt) to the
 * instant it serves again. Request fidelity measures from the first failing
 * request's issue to the next success's completion: both ends are an
 * exponential request gap later, so the means agree up to the latency.
 * Under a partial failure (0 < share s < 1, e.g. writes failing while
 * reads are served) request fidelity samples the first failing attempt
 * and the next success, a few request gaps apart: drawn here from the
 * resolver's attempt rate (partial_rto).
 * Latency percentiles are not computed (null): a fluid model has no
 * per-request latency, and no number is better than a made-up one (a
 * store's round trip counts toward no timeout either).
 * Refused in aggregate mode by the builder (sim/run/build.c): populations
 * with different runtime caches behind one resolver pool. Carried: the
 * autoscaler, warm and cold standby, the failover policy, zone outages,
 * data stores and runtime caches. Front Door spreading a population over
 * several healthy origins by weight (or a partial Front Door outage) is
 * carried per attempt, as request fidelity draws an origin per attempt
 * (fd_mix, recompute_rates_mix: a retry reaches another origin with its
 * weight; tests/validation/test_aggregate_compute.c compares
 * active-active-fd, test_aggregate.c checks the closed form (1/4)^A).
 * There the clusters' accepted shares are coupled (a short cluster's
 * refusals are retried at the others): solved by sweeps of bisection,
 * each with the others held.
 * Invariant: cnt[j] of a pool = units whose slot is j; a resolver has at
 * most one refresh pending, a unit at most one follow-up. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "profile.h"
#include "store.h"
#include "clients.h"
#include "cluster.h"
#include "resolver.h"
#include "traffic.h"

static double hub_offered(const mr_component *hub, uint32_t ep, mr_time t);
static int hub_rate_varies(const mr_component *hub);

extern const mr_model mr_model_clients_agg;

enum { AG_REFRESH = MR_MSG_PRIVATE, AG_TICK };

#define AG_MAX_POPS 64
#define AG_MAX_POOLS 64
#define AG_SLOTS (MR_MAX_ENDPOINTS + 2)
enum { SLOT_NONE = MR_MAX_ENDPOINTS, SLOT_BAD = MR_MAX_ENDPOINTS + 1 };
/* Cycles of burn-in for a stale resolver with random holds. */
#define AG_BURN_IN 5

typedef struct refresh_msg {
    uint32_t pool;
} refresh_msg;

/* A resolver's next refresh (i: AG_DUE_REFRESH | the unit asking), or a
 * unit's follow-up (i: the unit). */
typedef struct ag_due {
    mr_time t;
    uint32_t i;
} ag_due;
#define AG_DUE_REFRESH 0x80000000u

typedef struct ag_pool {
    mr_component *comp;
    mr_resolver_state *rs;
    const mr_resolver_cfg *rc;
    uint32_t n, base;
    double rate;    /* requests/s of the populations behind it, at profile 1 */
    int32_t cnt[AG_SLOTS];
    uint8_t *slot, *pending; /* per resolver: its answer's slot, a refresh due */
    /* Units (resolver i, process m) at i x np + m, each 1/np of resolver
     * i's traffic: their slots (uslot is slot when np is 1) and follow-ups
     * due; ndiff: units whose slot is not their resolver's. */
    uint32_t np;
    uint8_t *uslot, *upending;
    uint32_t ndiff;
    /* Runtime caches (Java, Chrome) of the populations behind it: the
     * runtime of unit u refetches at its expiries rt_phase[u] + k x
     * rt_hold, and the runtimes are the resolver's only clients, so the
     * resolver refreshes only then (see next_refresh). */
    mr_time rt_hold; /* 0: none */
    mr_time *rt_phase;
    /* Refreshes due, sorted by time from head: one kernel event stands
     * for the earliest, and runs every one due before the next event. */
    ag_due *due;
    uint32_t head, ndue;
    mr_handle ev;
} ag_pool;

/* Front Door: where the attempts of one (population, edge) go, per
 * attempt: n slots with their probabilities (fd_mix). */
typedef struct ag_mix {
    uint32_t n;
    uint8_t slot[AG_SLOTS];
    double pr[AG_SLOTS];
} ag_mix;

typedef struct ag_engine {
    mr_slo_state *slo;
    const mr_slo_cfg *slo_cfg;
    const mr_faults_cfg *faults;
    const mr_fault_clock *clock; /* normal time, for the cost's run rate */
    mr_time normal_mark;         /* the normal time at the last advance */
    mr_component *traffic;
    const mr_traffic_ops *ops;
    int fd, retry_next; /* fd: the layer routes each request (a proxy: Front Door) */
    uint32_t nep;
    uint32_t clid[MR_MAX_ENDPOINTS];
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS];
    double rps[MR_MAX_ENDPOINTS]; /* per pod; capacity = serving pods x rps */
    /* What the clusters' autoscalers read (hub_offered): per population
     * and endpoint, the attempts offered per request issued (share x
     * attempt share x expected attempts), and the offers integrated to
     * `last`; endpoints whose column changed, and whether each was up. */
    mr_cluster_state *clw[MR_MAX_ENDPOINTS];
    double w[AG_MAX_POPS][MR_MAX_ENDPOINTS];
    double off_cum[MR_MAX_ENDPOINTS];
    uint32_t wchanged;
    uint8_t up[MR_MAX_ENDPOINTS];
    uint32_t npop;
    mr_component *pop[AG_MAX_POPS];
    uint32_t pool_of[AG_MAX_POPS];
    double ok_share[AG_MAX_POPS];
    /* Per population, the share of its requests whose first attempt goes
     * to a cluster that serves it as far as health and network go (the
     * recovery timeline's routed shares; clients.c counts the same). */
    double routed[AG_MAX_POPS];
    double cum_last[AG_MAX_POPS]; /* mr_profile_integral at `last` */
    /* Per pool, the requests its populations issued up to `last` and,
     * per endpoint, those whose answer was it (each unit carries an equal
     * share of the pool's traffic): the vectors' request_share. */
    double pool_req[AG_MAX_POOLS];
    double pool_used[AG_MAX_POOLS][MR_MAX_ENDPOINTS];
    uint32_t npool;
    ag_pool pool[AG_MAX_POOLS];
    uint32_t edges;  /* Front Door edges */
    uint8_t *route;  /* npop x edges: slot (every edge's attempts go to one) */
    /* Some edge spreads a population's attempts over several slots (by
     * weight, or a partial Front Door outage): then route is unused, and
     * each population's edges are grouped by mix, the ng[k] mixes of k at
     * mix[k x edges + x], weighing gw[] (edge shares), edge e's at
     * grp[k x edges + e]. */
    int mixed;
    ag_mix *mix;
    double *gw;
    uint32_t *grp;
    uint32_t ng[AG_MAX_POPS];
    mr_time last, horizon, window;
    int tick_pending, diurnal;
    int cap_may_bind; /* some cluster's offered load at the profiles' peaks exceeds it */
    mr_rng *wait;
    /* Data stores: each population's, in order, and every one once. */
    int64_t creg[MR_MAX_ENDPOINTS]; /* region index of each endpoint */
    mr_component *uses[AG_MAX_POPS][MR_MAX_USES];
    uint32_t nstore;
    mr_component *store[MR_MAX_STORES];
    mr_rng *runtime; /* runtime caches' phases; NULL without */
    /* The stores start after this hub: they are read from the first event
     * on (a wake at the start instant), taken as serving until then. */
    int stores_live;
    /* Some resolver's traffic partly fails (0 < served share < 1); a pass
     * that found nothing left to sample in episode partial_seen skips. */
    int partial_any;
    size_t partial_seen;
    int crto_open; /* some group was partly failing at the last group_rto */
    mr_rng *partial;
    /* Per population and slot, the share of attempts served end to end of
     * a read request and of a write request (class_shares): a request keeps
     * its kind over its retries, so a write the stores refuse fails every
     * attempt (clients.c uses_access). Equal when the stores serve both. */
    double ar[AG_MAX_POPS][AG_SLOTS], aw[AG_MAX_POPS][AG_SLOTS];
    /* Client RTO's groups (population k, resolver i of its pool: group
     * gbase[k] + i): per population, the slots (Front Door: edges) that
     * serve none of its attempts, its resolvers failing so (failing[k]),
     * and each slot's (edge's) share of its attempts served (psucc), for
     * partial failures. */
    uint32_t gbase[AG_MAX_POPS];
    uint8_t fail_slot[AG_MAX_POPS][AG_SLOTS];
    uint8_t *fail_edge[AG_MAX_POPS];
    uint8_t *failing[AG_MAX_POPS];
    double psucc[AG_MAX_POPS][AG_SLOTS];
    double *psucc_edge[AG_MAX_POPS];
} ag_engine;

typedef struct ag_state {
    ag_engine *eng; /* the hub's only */
    /* Every population's: the hub's engine and its index there, for its
     * vectors (agg_sample projects the hub's integrals; read only). */
    const ag_engine *hub;
    uint32_t k;
    double requests, measured, succeeded;
    double requests_normal; /* while no fault was in force (the cost's run rate) */
} ag_state;

static uint32_t slot_of(const ag_engine *g, uint32_t answer)
{
    for (uint32_t j = 0; j < g->nep; j++)
        if (g->clid[j] == answer)
            return j;
    return answer == MR_NO_ANSWER ? SLOT_NONE : SLOT_BAD;
}

/* The endpoints of the traffic layer, whatever its kind. */
static int read_endpoints(ag_engine *g, mr_sim *sim, const mr_component *self, mr_diag *diag)
{
    const mr_component *t = g->traffic;
    const mr_traffic_ops *ops = mr__traffic_ops(t);
    if (ops == NULL) {
        mr_diag_error(diag, NULL, "%s: its traffic layer %s is of no known kind", self->name,
                      t->name);
        return MR_ENOCOMP;
    }
    const int64_t *cluster = mr__traffic_base(t)->cluster;
    int64_t n = mr__traffic_base(t)->n;
    g->ops = ops;
    if (ops->route) {
        g->fd = 1;
        g->retry_next = ops->retry_next(t);
        g->edges = ops->edges(t);
    }
    g->nep = (uint32_t)n;
    for (uint32_t j = 0; j < g->nep; j++) {
        mr_component *c = mr_sim_link(sim, self, cluster[j], "cluster", "endpoint", diag);
        if (c == NULL)
            return MR_ENOCOMP;
        const mr_cluster_cfg *cc = c->cfg;
        g->clid[j] = c->id;
        g->cl[j] = c->state;
        mr_component *r = mr_sim_link(sim, self, cc->region, "region", "endpoint's region", diag);
        if (r == NULL)
            return MR_ENOCOMP;
        g->creg[j] = ((const mr_region_cfg *)r->cfg)->index;
        g->rps[j] = cc->rps_per_pod;
        g->clw[j] = c->state;
    }
    return MR_OK;
}

static ag_pool *pool_for(ag_engine *g, mr_component *comp)
{
    for (uint32_t p = 0; p < g->npool; p++)
        if (g->pool[p].comp == comp)
            return &g->pool[p];
    if (g->npool == AG_MAX_POOLS)
        return NULL;
    ag_pool *p = &g->pool[g->npool++];
    p->comp = comp;
    p->rs = comp->state;
    p->rs->hub = 1; /* its answers live here: the pool's vectors are the hub's */
    p->rc = comp->cfg;
    p->n = (uint32_t)p->rc->count;
    p->slot = mr_xcalloc(p->n, 1);
    p->pending = mr_xcalloc(p->n, 1);
    p->due = mr_xmalloc(p->n * sizeof *p->due);
    p->np = 1;
    p->uslot = p->slot;
    return p;
}

/* The endpoint clusters read their load from the hub and tell it of their
 * capacity changes (cluster.c; a cluster behind two endpoints, the first). */
static void register_hub(ag_engine *g, mr_component *self)
{
    for (uint32_t j = g->nep; j-- > 0;) {
        g->clw[j]->agg_hub = self;
        g->clw[j]->agg_ep = j;
        g->clw[j]->agg_offered = hub_offered;
        g->clw[j]->agg_rate_varies = hub_rate_varies;
    }
}

/* The data stores each population uses, put in aggregate fidelity (told
 * of this hub), and the pools' runtime caches: one kind and processes
 * count per pool, since the runtimes' view is kept per (resolver,
 * process). */
static int link_stores(ag_engine *g, mr_sim *sim, const mr_component *self, mr_diag *diag)
{
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        for (int64_t u = 0; u < cfg->nuses; u++) {
            int64_t id = cfg->uses[u];
            mr_component *c = id >= 0 && id <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)id)
                                                          : NULL;
            if (mr__store_head(c) == NULL) {
                mr_diag_error(diag, NULL, "%s: uses component %lld, which is no data store",
                              g->pop[k]->name, (long long)id);
                return MR_ENOCOMP;
            }
            g->uses[k][u] = c;
            uint32_t s = 0;
            while (s < g->nstore && g->store[s] != c)
                s++;
            if (s == g->nstore && g->nstore < MR_MAX_STORES) {
                g->store[g->nstore++] = c;
                mr_store_agg_attach(c, self->id);
            }
        }
        ag_pool *p = &g->pool[g->pool_of[k]];
        mr_time hold = cfg->runtime_cache == MR_CACHE_NONE ? 0 : 1; /* set at start */
        for (uint32_t o = 0; o < k; o++)
            if (g->pool_of[o] == g->pool_of[k] &&
                (((const mr_clients_cfg *)g->pop[o]->cfg)->runtime_cache != cfg->runtime_cache ||
                 mr_runtime_processes(g->pop[o]->cfg) != mr_runtime_processes(cfg))) {
                mr_diag_error(diag, NULL,
                              "%s: populations behind one resolver pool with different runtime "
                              "caches or processes (aggregate fidelity)",
                              g->pop[k]->name);
                return MR_EINVAL;
            }
        if (hold && !g->fd && p->rt_phase == NULL) {
            p->rt_hold = hold;
            p->np = mr_runtime_processes(cfg);
            size_t units = (size_t)p->n * p->np;
            p->rt_phase = mr_xcalloc(units, sizeof *p->rt_phase);
            if (p->np > 1) {
                p->uslot = mr_xcalloc(units, 1);
                p->upending = mr_xcalloc(units, 1);
                free(p->due); /* room for a refresh per resolver and a follow-up per unit */
                p->due = mr_xmalloc((p->n + units) * sizeof *p->due);
            }
        }
    }
    return MR_OK;
}

static void advance(ag_engine *g, mr_time now);

/* The SLO collector is about to start an episode at t: the traffic up to
 * t (and the client RTO attempts it feeds) belongs to the one before. */
static void before_episode(void *ctx, mr_time t)
{
    advance(ctx, t);
}

/* The hub (the first population) gathers every population and pool. */
static int hub_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_clients_cfg *cfg = self->cfg;
    ag_state *st = self->state;
    ag_engine *g = mr_xcalloc(1, sizeof *g);
    st->eng = g;
    mr_component *slo = mr_sim_link(sim, self, cfg->slo, "slo", "SLO collector", diag);
    if (slo == NULL)
        return MR_ENOCOMP;
    g->slo = slo->state;
    g->slo_cfg = slo->cfg;
    int rc = MR_OK;
    g->faults = mr__faults_link(sim, self, cfg->faults, diag, &rc);
    if (rc == MR_OK)
        g->clock = mr__faults_clock(sim, self, cfg->faults, diag, &rc);
    if (rc != MR_OK)
        return rc;
    if (!g->slo->agg) {
        mr_diag_error(diag, NULL, "%s: its SLO collector does not take aggregate counts",
                      self->name);
        return MR_ENOCOMP;
    }
    size_t n = mr_sim_component_count(sim);
    for (uint32_t id = self->id; id < n; id++) {
        mr_component *c = mr_sim_component(sim, id);
        if (c->model != &mr_model_clients_agg)
            continue;
        const mr_clients_cfg *pc = c->cfg;
        if (g->npop == AG_MAX_POPS) {
            mr_diag_error(diag, NULL, "%s: more than %d populations", self->name, AG_MAX_POPS);
            return MR_ERANGE;
        }
        mr_component *res = mr_sim_link(sim, c, pc->resolver, "resolver", "resolver pool",
                                             diag);
        if (res == NULL)
            return MR_ENOCOMP;
        ag_pool *p = pool_for(g, res);
        if (p == NULL) {
            mr_diag_error(diag, NULL, "%s: more than %d resolver pools", self->name,
                          AG_MAX_POOLS);
            return MR_ERANGE;
        }
        p->base = (uint32_t)pc->res_base;
        if (pc->res_base + p->n > g->slo_cfg->resolvers ||
            (size_t)pc->group_base + p->n > g->slo->ngroups) {
            mr_diag_error(diag, NULL, "%s: resolvers beyond the SLO collector's count", c->name);
            return MR_ERANGE;
        }
        g->gbase[g->npop] = (uint32_t)pc->group_base;
        g->failing[g->npop] = mr_xcalloc(p->n, 1);
        mr__slo_groups(g->slo, (uint32_t)pc->group_base, p->n, (uint32_t)pc->pop);
        p->rate += pc->rate;
        g->diurnal |= pc->profile == MR_PROFILE_DIURNAL;
        g->pool_of[g->npop] = (uint32_t)(p - g->pool);
        ((ag_state *)c->state)->hub = g;
        ((ag_state *)c->state)->k = g->npop;
        g->pop[g->npop++] = c;
        if (g->traffic == NULL) {
            int64_t tid = pc->traffic >= 0 ? pc->traffic : p->rc->tm;
            g->traffic = tid <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)tid) : NULL;
            if (g->traffic == NULL) {
                mr_diag_error(diag, NULL, "%s: no traffic layer", c->name);
                return MR_ENOCOMP;
            }
        }
    }
    rc = read_endpoints(g, sim, self, diag);
    if (rc != MR_OK)
        return rc;
    if (g->fd) {
        g->route = mr_xcalloc((size_t)g->npop * g->edges, 1);
        g->mix = mr_xcalloc((size_t)g->npop * g->edges, sizeof *g->mix);
        g->gw = mr_xcalloc((size_t)g->npop * g->edges, sizeof *g->gw);
        g->grp = mr_xcalloc((size_t)g->npop * g->edges, sizeof *g->grp);
        for (uint32_t k = 0; k < g->npop; k++) {
            g->fail_edge[k] = mr_xcalloc(g->edges, 1);
            g->psucc_edge[k] = mr_xcalloc(g->edges, sizeof(double));
        }
    }
    g->wait = mr_rng_derive(self->rng, "wait");
    register_hub(g, self);
    g->slo->before_episode = before_episode;
    g->slo->before_episode_ctx = g;
    g->partial = mr_rng_derive(self->rng, "partial");
    return link_stores(g, sim, self, diag);
}

static int agg_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    size_t n = mr_sim_component_count(sim);
    for (uint32_t id = 0; id < n; id++) {
        mr_component *c = mr_sim_component(sim, id);
        if (c->model == &mr_model_clients_agg)
            return c == self ? hub_link(self, sim, diag) : MR_OK;
    }
    return MR_OK;
}

/* The share of population k's attempts that cluster slot j serves now, as
 * far as its health and the network go. */
static double cluster_share(const ag_engine *g, uint32_t k, uint32_t j, mr_time now)
{
    if (j >= g->nep)
        return 0;
    const mr_cluster_state *c = g->cl[j];
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    if (!mr_cluster_up(c))
        return 0;
    if (!g->fd && !mr_region_reachable(c->region, cfg->origin))
        return 0;
    double s = 1 - mr_cluster_request_fail_share(c, now);
    return s > 0 ? s : 0;
}

/* The share of population k's attempts served in region `region` that
 * its data stores serve now (clients.c uses_access): a read or a write by
 * the mix, drawn per attempt there, offered to each store in order; a
 * cache's hit spares the stores after it. */
static double stores_share(const ag_engine *g, uint32_t k, int64_t region, mr_time now)
{
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    if (cfg->nuses == 0 || !g->stores_live)
        return 1;
    double read = 0, read_on = 1, write_on = 1;
    for (int64_t u = 0; u < cfg->nuses; u++) {
        mr_store_share sh;
        mr_store_agg_share_of(g->uses[k][u], now, (uint32_t)region, (uint32_t)cfg->pop, &sh);
        read += read_on * sh.read_hit;
        read_on *= 1 - sh.read_fail - sh.read_hit;
        write_on *= 1 - sh.write_fail;
    }
    read += read_on;
    double s = cfg->read * read + (1 - cfg->read) * write_on;
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* The share of population k's attempts to slot j served end to end now. */
static double attempt_share(const ag_engine *g, uint32_t k, uint32_t j, mr_time now)
{
    double s = cluster_share(g, k, j, now);
    return s > 0 ? s * stores_share(g, k, g->creg[j], now) : 0;
}

/* attempt_share, and the same for a read request and a write request in
 * g->ar[k][j] and g->aw[k][j] (each class over its own retries). */
static double class_shares(ag_engine *g, uint32_t k, uint32_t j, mr_time now)
{
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    double att = attempt_share(g, k, j, now);
    g->ar[k][j] = g->aw[k][j] = att;
    if (!(att > 0) || cfg->nuses == 0 || !g->stores_live)
        return att;
    double c = cluster_share(g, k, j, now), read = 0, read_on = 1, write_on = 1;
    for (int64_t u = 0; u < cfg->nuses; u++) {
        mr_store_share sh;
        mr_store_agg_share_of(g->uses[k][u], now, (uint32_t)g->creg[j], (uint32_t)cfg->pop, &sh);
        read += read_on * sh.read_hit;
        read_on *= 1 - sh.read_fail - sh.read_hit;
        write_on *= 1 - sh.write_fail;
    }
    read += read_on;
    read = read < 0 ? 0 : read > 1 ? 1 : read;
    write_on = write_on < 0 ? 0 : write_on > 1 ? 1 : write_on;
    if (read != write_on) {
        g->ar[k][j] = c * read;
        g->aw[k][j] = c * write_on;
    }
    return att;
}

/* The share of requests that succeed within their attempts when a read's
 * attempt succeeds with probability pr and a write's with pw (attempts
 * independent within a class). */
static double req_ok(const mr_clients_cfg *cfg, double pr, double pw)
{
    double a = (double)cfg->attempts;
    double r = pr >= 1 ? 1 : 1 - pow(1 - pr, a);
    if (pr == pw)
        return r;
    double w = pw >= 1 ? 1 : 1 - pow(1 - pw, a);
    return cfg->read * r + (1 - cfg->read) * w;
}

static double per_request(double P, int64_t attempts);

/* Population k's reads and writes per second served by cluster j (its
 * attempts), through its stores in order. */
static void store_flow(ag_engine *g, uint32_t k, uint32_t j, double reads, double writes,
                       mr_time now)
{
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    for (int64_t u = 0; u < cfg->nuses; u++) {
        mr_store_share sh;
        mr_store_agg_share_of(g->uses[k][u], now, (uint32_t)g->creg[j], (uint32_t)cfg->pop, &sh);
        mr_store_agg_add(g->uses[k][u], (uint32_t)g->creg[j], (uint32_t)cfg->pop, reads, writes);
        reads *= 1 - sh.read_fail - sh.read_hit;
        writes *= 1 - sh.write_fail;
    }
}

/* Tells every store the reads and writes reaching it from now on: the
 * attempts the clusters serve (retries included: attempts per request
 * sum_i<A (1-p)^i at success share p), through the stores before it. */
static void store_flows(ag_engine *g, mr_time now, double (*share)[AG_SLOTS],
                        double (*att)[AG_SLOTS], const double *cap)
{
    for (uint32_t s = 0; s < g->nstore; s++)
        mr_store_agg_begin(g->store[s], now);
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        if (cfg->nuses == 0)
            continue;
        double rate = cfg->rate * mr_profile_at(cfg, now);
        for (uint32_t j = 0; j < g->nep; j++) {
            if (!(share[k][j] > 0))
                continue;
            double cl = cluster_share(g, k, j, now) * cap[j];
            if (!(cl > 0))
                continue;
            if (g->ar[k][j] == g->aw[k][j]) {
                double p = att[k][j] * cap[j], per = 0, miss = 1;
                for (int64_t a = 0; a < cfg->attempts; a++, miss *= 1 - p)
                    per += miss;
                double n = rate * share[k][j] * per * cl;
                store_flow(g, k, j, n * cfg->read, n * (1 - cfg->read), now);
            } else {
                double n = rate * share[k][j] * cl;
                store_flow(g, k, j,
                           n * per_request(g->ar[k][j] * cap[j], cfg->attempts) * cfg->read,
                           n * per_request(g->aw[k][j] * cap[j], cfg->attempts) * (1 - cfg->read),
                           now);
            }
        }
    }
    for (uint32_t s = 0; s < g->nstore; s++)
        mr_store_agg_end(g->store[s], now);
}

/* Front Door: the slots edge e sends population k's attempts to now, each
 * with its probability (rule 2, per attempt as clients.c route()): an
 * attempt refused by a down origin is retried once at the next, chosen by
 * the same rule among the others (retry_next). */
static void fd_mix(ag_engine *g, uint32_t k, uint32_t e, mr_time now, ag_mix *m)
{
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    uint32_t home = cfg->home ? (uint32_t)cfg->home : UINT32_MAX;
    uint32_t to[MR_MAX_ENDPOINTS + 1], to2[MR_MAX_ENDPOINTS + 1];
    double pr[MR_MAX_ENDPOINTS + 1], pr2[MR_MAX_ENDPOINTS + 1], acc[AG_SLOTS] = {0};
    uint32_t n = g->ops->route_probs(g->traffic, e, cfg->origin, home, (uint32_t)cfg->fallback,
                                    UINT32_MAX, now, to, pr);
    for (uint32_t x = 0; x < n; x++) {
        uint32_t j = slot_of(g, to[x]);
        if (j < g->nep && g->retry_next && !mr_cluster_up(g->cl[j])) {
            uint32_t n2 = g->ops->route_probs(g->traffic, e, cfg->origin, home,
                                             (uint32_t)cfg->fallback, to[x], now, to2, pr2);
            for (uint32_t y = 0; y < n2; y++)
                acc[slot_of(g, to2[y])] += pr[x] * pr2[y];
        } else {
            acc[j] += pr[x];
        }
    }
    m->n = 0;
    for (uint32_t j = 0; j < AG_SLOTS; j++)
        if (acc[j] > 0) {
            m->slot[m->n] = (uint8_t)j;
            m->pr[m->n++] = acc[j];
        }
}

/* Resolvers of a pool of n that enter through edge e (i mod edges = e). */
static double edge_share(uint32_t n, uint32_t edges, uint32_t e)
{
    return (double)(n / edges + (e < n % edges)) / (double)n;
}

/* Each population's share of traffic per slot now. */
static void shares(const ag_engine *g, uint32_t k, double *share)
{
    const ag_pool *p = &g->pool[g->pool_of[k]];
    for (uint32_t j = 0; j < AG_SLOTS; j++)
        share[j] = 0;
    if (g->fd) {
        for (uint32_t e = 0; e < g->edges && e < p->n; e++)
            share[g->route[(size_t)k * g->edges + e]] += edge_share(p->n, g->edges, e);
    } else {
        for (uint32_t j = 0; j < AG_SLOTS; j++)
            share[j] = (double)p->cnt[j] / ((double)p->n * p->np);
    }
}

static double class_attempts(const mr_clients_cfg *cfg, double ar, double aw, double c,
                             int served);

/* Requests per second of every population that cluster j serves when its
 * queue accepts a share c of the attempts offered to it: with independent
 * attempts, sum over k of rate x share x (1 - (1 - att c)^attempts). */
static double served_rate(const ag_engine *g, double share[][AG_SLOTS], double att[][AG_SLOTS],
                          uint32_t j, double c, mr_time now)
{
    double r = 0;
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        if (share[k][j] > 0 && att[k][j] > 0)
            r += cfg->rate * mr_profile_at(cfg, now) * share[k][j] *
                 req_ok(cfg, g->ar[k][j] * c, g->aw[k][j] * c);
    }
    return r;
}

/* The share c of attempts cluster j's queue accepts (the fluid capacity
 * approximation): 1 while it serves every attempt offered to it, else the
 * c at which what it serves (every served attempt succeeds) is its
 * capacity, the failed attempts' retries included in the load: a short
 * cluster serves its capacity, not more (bisection; served_rate grows
 * with c). */
static double served_share(const ag_engine *g, double share[][AG_SLOTS], double att[][AG_SLOTS],
                           uint32_t j, double capacity, mr_time now)
{
    if (served_rate(g, share, att, j, 1, now) <= capacity)
        return 1;
    double lo = 0, hi = 1;
    for (int it = 0; it < 50; it++) {
        double mid = 0.5 * (lo + hi);
        if (served_rate(g, share, att, j, mid, now) > capacity)
            hi = mid;
        else
            lo = mid;
    }
    return lo;
}

/* What each request of population k offers to cluster j's queue: the
 * attempts that reach it and pass partial failures, a failed one retried
 * there (independent attempts, as above): share x att x sum over a <
 * attempts of (1 - p)^a. Marks the endpoints whose column changed (their
 * sleeping autoscalers are woken). */
static void offer_weights(ag_engine *g, double share[][AG_SLOTS], double att[][AG_SLOTS],
                          const double *cs)
{
    for (uint32_t j = 0; j < g->nep; j++) {
        double c = cs[j];
        for (uint32_t k = 0; k < g->npop; k++) {
            const mr_clients_cfg *cfg = g->pop[k]->cfg;
            double w = 0;
            if (share[k][j] > 0 && att[k][j] > 0 && g->ar[k][j] == g->aw[k][j]) {
                double p = att[k][j] * c;
                w = share[k][j] * att[k][j] *
                    (p >= 1 ? 1 : (1 - pow(1 - p, (double)cfg->attempts)) / p);
            } else if (share[k][j] > 0 && att[k][j] > 0) {
                w = share[k][j] * class_attempts(cfg, g->ar[k][j], g->aw[k][j], c, 1);
            }
            if (w != g->w[k][j])
                g->wchanged |= 1u << j;
            g->w[k][j] = w;
        }
    }
}

/* ---- Front Door spreading attempts over several origins (g->mixed) ----
 * Per (population k, edge e) attempts go to slot j with probability
 * pi_kej (fd_mix); p_kj = att_kj x c_j as above, and an attempt of k at e
 * succeeds with P_ke = sum over j of pi_kej p_kj, independently of the
 * attempts before it (each draws its origin, as request fidelity's). Over
 * e by edge share es_e: success share sum es_e (1 - (1 - P_ke)^A); served
 * at j sum rate_k es_e pi_kej p_kj (1 - (1 - P_ke)^A) / P_ke; offered to
 * j per request sum es_e pi_kej att_kj sum over a < A of (1 - P_ke)^a.
 * With one slot per edge these are the formulas above. */

/* P of mix m, with att of its population and c of each slot. */
static double mix_p(const ag_engine *g, const ag_mix *m, const double *att, const double *cs)
{
    double P = 0;
    for (uint32_t x = 0; x < m->n; x++)
        if (m->slot[x] < g->nep)
            P += m->pr[x] * att[m->slot[x]] * cs[m->slot[x]];
    return P > 1 ? 1 : P;
}

/* Attempts per request at success share P per attempt: sum over a < A of
 * (1 - P)^a. */
static double per_request(double P, int64_t attempts)
{
    if (P >= 1)
        return 1;
    return P > 0 ? (1 - pow(1 - P, (double)attempts)) / P : (double)attempts;
}

/* Per request of a population whose read attempts succeed end to end with
 * probability ar x c and write attempts with aw x c (a class's retries
 * alike): its attempts (served 0) or its attempts that pass the cluster
 * and stores (served 1: weighted by ar or aw), read and write weighed by
 * the mix. */
static double class_attempts(const mr_clients_cfg *cfg, double ar, double aw, double c,
                             int served)
{
    double r = per_request(ar * c, cfg->attempts), w = per_request(aw * c, cfg->attempts);
    if (served) {
        r *= ar;
        w *= aw;
    }
    return cfg->read * r + (1 - cfg->read) * w;
}

/* Whether some attempt of population k entering edge e is served now. */
static int edge_serves(const ag_engine *g, uint32_t k, uint32_t e, mr_time now)
{
    if (!g->mixed)
        return attempt_share(g, k, g->route[(size_t)k * g->edges + e], now) > 0;
    const ag_mix *m = &g->mix[(size_t)k * g->edges + g->grp[(size_t)k * g->edges + e]];
    for (uint32_t x = 0; x < m->n; x++)
        if (attempt_share(g, k, m->slot[x], now) > 0)
            return 1;
    return 0;
}

/* Requests/s cluster j serves (served_rate) when its queue accepts a share
 * c, the others cs[]. */
static double served_rate_mix(const ag_engine *g, double att[][AG_SLOTS], const double *cs,
                              uint32_t j, double c, mr_time now)
{
    double cc[AG_SLOTS];
    memcpy(cc, cs, sizeof cc);
    cc[j] = c;
    double r = 0;
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        if (!(att[k][j] > 0))
            continue;
        double rk = 0;
        for (uint32_t x = 0; x < g->ng[k]; x++) {
            const ag_mix *m = &g->mix[(size_t)k * g->edges + x];
            for (uint32_t y = 0; y < m->n; y++)
                if (m->slot[y] == j && g->ar[k][j] == g->aw[k][j]) {
                    double P = mix_p(g, m, att[k], cc);
                    rk += g->gw[(size_t)k * g->edges + x] * m->pr[y] * att[k][j] * c *
                          per_request(P, cfg->attempts);
                } else if (m->slot[y] == j) {
                    double Pr = mix_p(g, m, g->ar[k], cc), Pw = mix_p(g, m, g->aw[k], cc);
                    rk += g->gw[(size_t)k * g->edges + x] * m->pr[y] * c *
                          (cfg->read * g->ar[k][j] * per_request(Pr, cfg->attempts) +
                           (1 - cfg->read) * g->aw[k][j] * per_request(Pw, cfg->attempts));
                }
        }
        r += cfg->rate * mr_profile_at(cfg, now) * rk;
    }
    return r;
}

static void partial_shares(ag_engine *g, double (*share)[AG_SLOTS], double (*att)[AG_SLOTS],
                           const double *cs);

/* The steps of recompute_rates_mix, called once each per recompute. */

/* Each population's share of attempts per slot (over its edges' mixes)
 * and the share served end to end there (att), and each cluster's
 * capacity; notes whether a capacity may bind at the profiles' peaks. */
static void mix_loads(ag_engine *g, mr_time now, double (*share)[AG_SLOTS], double (*att)[AG_SLOTS],
                      double *capacity)
{
    double offered[MR_MAX_ENDPOINTS] = {0}, peak[MR_MAX_ENDPOINTS] = {0};
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        double rate = cfg->rate * mr_profile_at(cfg, now);
        for (uint32_t j = 0; j < AG_SLOTS; j++)
            share[k][j] = att[k][j] = 0;
        for (uint32_t x = 0; x < g->ng[k]; x++) {
            const ag_mix *m = &g->mix[(size_t)k * g->edges + x];
            for (uint32_t y = 0; y < m->n; y++)
                share[k][m->slot[y]] += g->gw[(size_t)k * g->edges + x] * m->pr[y];
        }
        for (uint32_t j = 0; j < g->nep; j++) {
            att[k][j] = share[k][j] > 0 ? class_shares(g, k, j, now)
                                         : (g->ar[k][j] = g->aw[k][j] = 0);
            if (att[k][j] > 0) {
                offered[j] += rate * share[k][j];
                peak[j] += cfg->rate * mr_profile_max(cfg) * share[k][j];
            }
        }
    }
    g->cap_may_bind = 0;
    for (uint32_t j = 0; j < g->nep; j++) {
        capacity[j] = (double)mr_cluster_pods(g->cl[j]) * g->rps[j];
        g->cap_may_bind |= peak[j] > capacity[j] && peak[j] > offered[j];
    }
}

/* The share cs[j] of attempts each cluster's queue accepts: each bisected
 * with the others held (served_rate_mix grows with it), in sweeps until
 * none moves by 1e-9 (at most 50). */
static void mix_accepted(const ag_engine *g, double (*att)[AG_SLOTS], const double *capacity,
                         double *cs, mr_time now)
{
    for (uint32_t j = 0; j < AG_SLOTS; j++)
        cs[j] = 1;
    for (int sweep = 0; sweep < 50; sweep++) {
        double moved = 0;
        for (uint32_t j = 0; j < g->nep; j++) {
            double c = 1;
            if (served_rate_mix(g, att, cs, j, 1, now) > capacity[j]) {
                double lo = 0, hi = 1;
                for (int it = 0; it < 50; it++) {
                    double mid = 0.5 * (lo + hi);
                    if (served_rate_mix(g, att, cs, j, mid, now) > capacity[j])
                        hi = mid;
                    else
                        lo = mid;
                }
                c = lo;
            }
            moved = fmax(moved, fabs(c - cs[j]));
            cs[j] = c;
        }
        if (moved < 1e-9)
            break;
    }
}

/* With the accepted shares cs: each population's success share, what its
 * requests offer each cluster (g->w, marking the columns that changed),
 * and the stores' flows. Returns whether some attempt may fail (P < 1). */
static int mix_outcomes(ag_engine *g, double (*att)[AG_SLOTS], const double *cs, mr_time now)
{
    int partial = 0, flows = g->nstore > 0 && g->stores_live;
    for (uint32_t s = 0; flows && s < g->nstore; s++)
        mr_store_agg_begin(g->store[s], now);
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        double ok = 0, w[MR_MAX_ENDPOINTS] = {0}, flow[MR_MAX_ENDPOINTS] = {0};
        double wflow[MR_MAX_ENDPOINTS] = {0}; /* writes' attempts, when the classes differ */
        int classes = 0;
        for (uint32_t j = 0; j < g->nep; j++)
            classes |= g->ar[k][j] != g->aw[k][j];
        for (uint32_t x = 0; x < g->ng[k]; x++) {
            const ag_mix *m = &g->mix[(size_t)k * g->edges + x];
            double W = g->gw[(size_t)k * g->edges + x];
            if (!(W > 0))
                continue;
            double P = mix_p(g, m, att[k], cs), per = per_request(P, cfg->attempts);
            partial |= P < 1;
            double Pr = P, Pw = P, perr = per, perw = per;
            if (classes) {
                Pr = mix_p(g, m, g->ar[k], cs);
                Pw = mix_p(g, m, g->aw[k], cs);
                perr = per_request(Pr, cfg->attempts);
                perw = per_request(Pw, cfg->attempts);
                ok += W * req_ok(cfg, Pr, Pw);
            } else {
                ok += W * (P >= 1 ? 1 : 1 - pow(1 - P, (double)cfg->attempts));
            }
            for (uint32_t y = 0; y < m->n; y++) {
                uint32_t j = m->slot[y];
                if (j < g->nep && att[k][j] > 0 && !classes) {
                    w[j] += W * m->pr[y] * att[k][j] * per;
                    flow[j] += W * m->pr[y] * per;
                } else if (j < g->nep && att[k][j] > 0) {
                    w[j] += W * m->pr[y] *
                            (cfg->read * g->ar[k][j] * perr +
                             (1 - cfg->read) * g->aw[k][j] * perw);
                    flow[j] += W * m->pr[y] * perr;
                    wflow[j] += W * m->pr[y] * perw;
                }
            }
        }
        g->ok_share[k] = ok > 1 ? 1 : ok;
        for (uint32_t j = 0; j < g->nep; j++) {
            if (w[j] != g->w[k][j])
                g->wchanged |= 1u << j;
            g->w[k][j] = w[j];
        }
        if (cfg->nuses > 0 && flows)
            for (uint32_t j = 0; j < g->nep; j++) {
                double cl = cluster_share(g, k, j, now) * cs[j];
                double n = cfg->rate * mr_profile_at(cfg, now) * flow[j] * cl;
                double nw = classes ? cfg->rate * mr_profile_at(cfg, now) * wflow[j] * cl : n;
                if (flow[j] > 0 && cl > 0)
                    store_flow(g, k, j, n * cfg->read, nw * (1 - cfg->read), now);
            }
    }
    for (uint32_t s = 0; flows && s < g->nstore; s++)
        mr_store_agg_end(g->store[s], now);
    return partial;
}

/* recompute_rates with mixes: the clusters' accepted shares c_j are
 * coupled through P (a short cluster's refusals are retried elsewhere),
 * so each is bisected with the others held, in sweeps until they settle;
 * none binds in one sweep when every cluster serves what it is offered. */
/* Each population's routed share now (g->routed): its traffic share per
 * slot times the share of attempts the slot's cluster serves. */
static void routed_shares(ag_engine *g, mr_time now)
{
    double share[AG_SLOTS];
    for (uint32_t k = 0; k < g->npop; k++) {
        shares(g, k, share);
        double r = 0;
        for (uint32_t j = 0; j < g->nep; j++)
            r += share[j] > 0 ? share[j] * cluster_share(g, k, j, now) : 0;
        g->routed[k] = r > 1 ? 1 : r;
    }
}

static void recompute_rates_mix(ag_engine *g, mr_time now)
{
    routed_shares(g, now);
    double share[AG_MAX_POPS][AG_SLOTS], att[AG_MAX_POPS][AG_SLOTS];
    double capacity[MR_MAX_ENDPOINTS], cs[AG_SLOTS];
    mix_loads(g, now, share, att, capacity);
    mix_accepted(g, att, capacity, cs, now);
    /* Every group's served shares, partial or not: a group whose partial
     * failure ended recovers on them (group_rto). */
    (void)mix_outcomes(g, att, cs, now);
    partial_shares(g, share, att, cs);
}

/* Each population's served share of attempts per slot (edge) now; notes
 * whether any group's traffic partly fails. */
static void partial_shares(ag_engine *g, double (*share)[AG_SLOTS], double (*att)[AG_SLOTS],
                           const double *cs)
{
    (void)share;
    g->partial_any = 0;
    for (uint32_t k = 0; k < g->npop; k++) {
        uint32_t nslot = g->fd ? g->edges : AG_SLOTS;
        double *out = g->fd ? g->psucc_edge[k] : g->psucc[k];
        for (uint32_t x = 0; x < nslot; x++) {
            out[x] = 0;
            if (g->fd && g->mixed) {
                out[x] = mix_p(g, &g->mix[(size_t)k * g->edges + g->grp[(size_t)k * g->edges + x]],
                               att[k], cs);
            } else {
                uint32_t j = g->fd ? g->route[(size_t)k * g->edges + x] : x;
                if (j < g->nep)
                    out[x] = (g->fd ? attempt_share(g, k, j, g->last) : att[k][j]) * cs[j];
            }
            g->partial_any |= out[x] > 0 && out[x] < 1;
        }
        /* A resolver whose processes are split over slots may be partly
         * failing whatever its slots' shares (group_ok). */
        g->partial_any |= g->pool[g->pool_of[k]].ndiff > 0;
    }
    g->partial_seen = SIZE_MAX;
}

/* The share of group (k, i)'s attempts served now (not Front Door): its
 * units' served shares, each 1/np of its traffic. */
static double group_ok(const ag_engine *g, uint32_t k, const ag_pool *p, uint32_t i)
{
    if (p->np == 1)
        return g->psucc[k][p->slot[i]];
    double ok = 0;
    for (uint32_t m = 0; m < p->np; m++)
        ok += g->psucc[k][p->uslot[(size_t)i * p->np + m]];
    return ok / p->np;
}

/* Client RTO's groups under a partial failure (attempts served at share
 * 0 < s < 1) over [t0, t1), and groups whose partial failure has ended.
 * The rule (models/slo.c) runs on the attempts this feeds it: a group's
 * attempts are Poisson at its population's rate / n (at t0's profile)
 * times the attempts per request, sum over a < attempts of (1 - s)^a
 * (retries independent), failing at mu = (1 - s) x that and succeeding at
 * s x that. Memoryless, so drawn afresh per interval: its first failure
 * (if none yet), then successes each followed by the next failure: a
 * success with no failure within stable_for after it is the candidate
 * recovery (an interval that ends inside that window leaves the next to
 * draw failures until its end). Recovery needs a failure-free gap of
 * stable_for, e^(-mu stable_for) per try: past mu x stable_for = 7 (a
 * chance under 1e-3) no success is drawn, and the group recovers when its
 * share returns to 1, at that instant (a request gap later at request
 * fidelity). Only failures and candidates are fed: a cancelled success
 * changes nothing. */
static void group_rto(ag_engine *g, mr_time t0, mr_time t1)
{
    mr_slo_state *slo = g->slo;
    if (slo->nep == 0 || (!g->partial_any && !g->crto_open))
        return;
    mr_time start = slo->ep[slo->nep - 1].start;
    if (t0 < start)
        t0 = start;
    if (t1 <= t0)
        return;
    double stable = mr_time_to_s(slo->stable_for);
    int open = 0;
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        const ag_pool *p = &g->pool[g->pool_of[k]];
        double lambda = cfg->rate * mr_profile_at(cfg, t0) / (double)p->n;
        for (uint32_t i = 0; i < p->n; i++) {
            uint32_t gi = g->gbase[k] + i;
            if (g->failing[k][i] || slo->done_ep[gi] == slo->nep)
                continue;
            double ok = g->fd ? g->psucc_edge[k][i % g->edges] : group_ok(g, k, p, i);
            int pending = slo->fail_issue[gi] >= 0;
            if (!(ok < 1)) {
                if (pending && slo->cand_done[gi] < 0 && t0 > slo->fail_issue[gi])
                    mr__slo_attempt(slo, gi, t0, 1, t0);
                continue;
            }
            if (!(ok > 0) || !(lambda > 0))
                continue;
            open = 1;
            double ra = lambda * per_request(ok, cfg->attempts);
            double mu = ra * (1 - ok), sigma = ra * ok;
            mr_time t = t0;
            if (!pending) {
                t += mr_time_from_s(mr_rng_exponential(g->partial, 1 / mu));
                if (t >= t1)
                    continue;
                mr__slo_attempt(slo, gi, t, 0, 0);
            } else if (slo->cand_done[gi] >= 0) {
                mr_time end = slo->cand_done[gi] + slo->stable_for;
                t += mr_time_from_s(mr_rng_exponential(g->partial, 1 / mu));
                if (t >= t1 || t >= end)
                    continue;
                mr__slo_attempt(slo, gi, t, 0, 0);
            }
            if (mu * stable > 7)
                continue;
            for (int it = 0; it < 4096; it++) {
                mr_time ts = t + mr_time_from_s(mr_rng_exponential(g->partial, 1 / sigma));
                if (ts >= t1)
                    break;
                mr_time tf = ts + mr_time_from_s(mr_rng_exponential(g->partial, 1 / mu));
                if (tf < t1 && tf < ts + slo->stable_for) {
                    mr__slo_attempt(slo, gi, tf, 0, 0);
                    t = tf;
                    continue;
                }
                mr__slo_attempt(slo, gi, ts, 1, ts);
                break;
            }
        }
    }
    g->crto_open = open;
}

/* The success share of every population from now on (capacity included). */
static void recompute_rates(ag_engine *g, mr_time now)
{
    if (g->fd && g->mixed) {
        recompute_rates_mix(g, now);
        return;
    }
    double share[AG_MAX_POPS][AG_SLOTS], att[AG_MAX_POPS][AG_SLOTS];
    double offered[MR_MAX_ENDPOINTS] = {0}, peak[MR_MAX_ENDPOINTS] = {0};
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        double rate = cfg->rate * mr_profile_at(cfg, now);
        shares(g, k, share[k]);
        double routed = 0; /* routed_shares, on the shares at hand */
        for (uint32_t j = 0; j < g->nep; j++) {
            routed += share[k][j] > 0 ? share[k][j] * cluster_share(g, k, j, now) : 0;
            att[k][j] = share[k][j] > 0 ? class_shares(g, k, j, now)
                                         : (g->ar[k][j] = g->aw[k][j] = 0);
            if (att[k][j] > 0) {
                offered[j] += rate * share[k][j];
                peak[j] += cfg->rate * mr_profile_max(cfg) * share[k][j];
            }
        }
        g->routed[k] = routed > 1 ? 1 : routed;
    }
    double capacity[MR_MAX_ENDPOINTS], cs[MR_MAX_ENDPOINTS];
    g->cap_may_bind = 0;
    for (uint32_t j = 0; j < g->nep; j++) {
        capacity[j] = (double)mr_cluster_pods(g->cl[j]) * g->rps[j];
        g->cap_may_bind |= peak[j] > capacity[j] && peak[j] > offered[j];
        cs[j] = served_share(g, share, att, j, capacity[j], now);
    }
    int partial = 0;
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        double ok = 0;
        for (uint32_t j = 0; j < g->nep; j++) {
            if (!(share[k][j] > 0) || !(att[k][j] > 0))
                continue;
            double c = cs[j];
            double p = att[k][j] * c;
            partial |= p < 1;
            ok += share[k][j] * req_ok(cfg, g->ar[k][j] * c, g->aw[k][j] * c);
        }
        g->ok_share[k] = ok > 1 ? 1 : ok;
    }
    offer_weights(g, share, att, cs);
    (void)partial;
    partial_shares(g, share, att, cs);
    if (g->nstore > 0 && g->stores_live)
        store_flows(g, now, share, att, cs);
}

/* Whether resolver i of population k's pool serves none of k's attempts
 * now (none of its processes' slots). */
static int group_failing(const ag_engine *g, uint32_t k, uint32_t i)
{
    if (g->fd)
        return g->fail_edge[k][i % g->edges];
    const ag_pool *p = &g->pool[g->pool_of[k]];
    for (uint32_t m = 0; m < p->np; m++)
        if (!g->fail_slot[k][p->uslot[(size_t)i * p->np + m]])
            return 0;
    return 1;
}

/* Group (k, i) fails entirely (f = 1) or not from now: a failed attempt,
 * or a success, now. */
static void set_failing(ag_engine *g, uint32_t k, uint32_t i, int f, mr_time now)
{
    if (g->failing[k][i] == f)
        return;
    g->failing[k][i] = (uint8_t)f;
    mr__slo_attempt(g->slo, g->gbase[k] + i, now, !f, now);
}

/* The groups of pool q after resolver i moved (or with i = UINT32_MAX,
 * every resolver). */
static void set_failing_pool(ag_engine *g, uint32_t q, uint32_t i, mr_time now)
{
    for (uint32_t k = 0; k < g->npop; k++) {
        if (g->pool_of[k] != q)
            continue;
        if (i != UINT32_MAX) {
            set_failing(g, k, i, group_failing(g, k, i), now);
            continue;
        }
        for (uint32_t r = 0; r < g->pool[q].n; r++)
            set_failing(g, k, r, group_failing(g, k, r), now);
    }
}

/* Failing flags of every population's slots (or edges) and groups, after
 * a change of the world. */
static void recompute_failing(ag_engine *g, mr_time now, int force)
{
    for (uint32_t k = 0; k < g->npop; k++) {
        int changed = 0;
        if (g->fd) {
            for (uint32_t e = 0; e < g->edges; e++) {
                int f = !edge_serves(g, k, e, now);
                changed |= g->fail_edge[k][e] != f;
                g->fail_edge[k][e] = (uint8_t)f;
            }
        } else {
            for (uint32_t j = 0; j < AG_SLOTS; j++) {
                int f = !(attempt_share(g, k, j, now) > 0);
                changed |= g->fail_slot[k][j] != f;
                g->fail_slot[k][j] = (uint8_t)f;
            }
        }
        /* Groups' flags follow their slot's (edge's): only a change of
         * those can move one (a resolver's own move is on_refresh's). */
        if (!changed && !force)
            continue;
        for (uint32_t i = 0; i < g->pool[g->pool_of[k]].n; i++)
            set_failing(g, k, i, group_failing(g, k, i), now);
    }
}

/* Re-reads every edge's routes: one slot each (route), or mixes grouped
 * per population (mixed). */
static void reroute(ag_engine *g, mr_time now)
{
    g->mixed = 0;
    for (uint32_t k = 0; k < g->npop; k++)
        for (uint32_t e = 0; e < g->edges; e++) {
            ag_mix *m = &g->mix[(size_t)k * g->edges + e];
            fd_mix(g, k, e, now, m);
            g->mixed |= m->n > 1;
            g->route[(size_t)k * g->edges + e] = m->n > 0 ? m->slot[0] : SLOT_NONE;
        }
    if (!g->mixed)
        return;
    /* Groups, in place: mix x of k (x <= e) is a distinct mix of edges < e. */
    for (uint32_t k = 0; k < g->npop; k++) {
        const ag_pool *p = &g->pool[g->pool_of[k]];
        ag_mix *base = &g->mix[(size_t)k * g->edges];
        double *w = &g->gw[(size_t)k * g->edges];
        uint32_t *grp = &g->grp[(size_t)k * g->edges];
        uint32_t ng = 0;
        for (uint32_t e = 0; e < g->edges; e++) {
            ag_mix m = base[e];
            uint32_t x = 0;
            while (x < ng && !(base[x].n == m.n &&
                               memcmp(base[x].slot, m.slot, m.n) == 0 &&
                               memcmp(base[x].pr, m.pr, m.n * sizeof m.pr[0]) == 0))
                x++;
            if (x == ng) {
                base[ng] = m;
                w[ng++] = 0;
            }
            grp[e] = x;
            if (e < p->n)
                w[x] += edge_share(p->n, g->edges, e);
        }
        g->ng[k] = ng;
    }
}

/* Adds n requests of pool q, split by its units' answers, to req[q] and
 * used[q][endpoint]. */
static void pool_count(const ag_engine *g, uint32_t q, double n, double *req,
                       double (*used)[MR_MAX_ENDPOINTS])
{
    const ag_pool *p = &g->pool[q];
    double units = (double)p->n * (p->np ? p->np : 1);
    if (!(n > 0) || !(units > 0))
        return;
    req[q] += n;
    for (uint32_t j = 0; j < g->nep; j++)
        used[q][j] += n * (double)p->cnt[j] / units;
}

/* Integrates every population's traffic from the last event to now. */
static void advance(ag_engine *g, mr_time now)
{
    if (now > g->horizon)
        now = g->horizon;
    mr_time t0 = g->last;
    if (now <= t0)
        return;
    mr_time warm = g->slo->warmup;
    double dt = mr_time_to_s(now - t0), all = 0, all_ok = 0, all_routed = 0;
    double pool_n[AG_MAX_POOLS] = {0};
    /* The normal time's share of the interval (the cost's run rate), the
     * clock read at t0 then, not now: it may have stopped since. */
    mr_time nmark = mr__clock_at(g->clock, now);
    double normal = mr_time_to_s(nmark - g->normal_mark) / dt;
    g->normal_mark = nmark;
    group_rto(g, t0, now);
    for (uint32_t k = 0; k < g->npop; k++) {
        const mr_clients_cfg *cfg = g->pop[k]->cfg;
        ag_state *ps = g->pop[k]->state;
        double cum = mr_profile_integral(cfg, now);
        double n = cfg->rate * (cum - g->cum_last[k]);
        for (uint32_t j = 0; j < g->nep; j++)
            g->off_cum[j] += g->w[k][j] * n;
        all += n;
        all_ok += n * g->ok_share[k];
        all_routed += n * g->routed[k];
        ps->requests += n;
        pool_n[g->pool_of[k]] += n;
        ps->requests_normal += n * normal;
        if (now > warm) {
            double m = t0 >= warm ? n : cfg->rate * (cum - mr_profile_integral(cfg, warm));
            ps->measured += m;
            ps->succeeded += m * g->ok_share[k];
        }
        g->cum_last[k] = cum;
    }
    for (uint32_t q = 0; q < g->npool; q++)
        pool_count(g, q, pool_n[q], g->pool_req, g->pool_used);
    /* The populations' windows are the same: one pass over them (the SLO
     * collector's windows move forward only). */
    if (all > 0)
        mr__slo_integrate(g->slo, t0, now, all / dt, g->npop == 1 ? g->ok_share[0] : all_ok / all);
    if (all > 0)
        mr__slo_routed_integrate(g->slo, t0, now, all / dt, all_routed / all);
    g->last = now;
}

/* The mean wait from an expiry to the next query at resolver i. */
static double mean_wait_s(const ag_pool *p)
{
    return p->rate > 0 ? (double)p->n / p->rate : INFINITY;
}

/* With runtime caches in front, resolver i is asked only when one of its
 * processes' runtimes refetches, at the runtime's expiries (a grid of
 * period rt_hold per process): it refreshes at the first point of their
 * union at or after its own expiry (so with one process a Java runtime
 * with the TTL's hold adds nothing to a resolver honouring it, as at
 * request fidelity, and Chrome's 60 s floor over a 30 s TTL skips every
 * other expiry). A stale resolver (its refreshes since were not
 * simulated): the chain union point -> first union point >= it + hold,
 * from a uniform start AG_BURN_IN cycles back. */
/* The first point at or after t of the union of resolver i's processes'
 * refetch grids, and in *unit the unit whose point it is (the first on a
 * tie). */
static mr_time union_next(const ag_pool *p, uint32_t i, mr_time t, uint32_t *unit)
{
    mr_time best = MR_TIME_NEVER;
    for (uint32_t m = 0; m < p->np; m++) {
        uint32_t u = i * p->np + m;
        mr_time x = mr_route_refresh(p->rt_phase[u], p->rt_hold, t);
        if (x < best) {
            best = x;
            *unit = u;
        }
    }
    return best;
}

static mr_time next_refresh_rt(ag_engine *g, ag_pool *p, uint32_t i, mr_time now, uint32_t *unit)
{
    mr_time H = p->rt_hold, e = p->rs->expiry[i];
    if (p->slot[i] == SLOT_NONE || e >= now)
        return union_next(p, i, e > now ? e : now, unit);
    mr_time span = mr__resolver_hold(p->comp, i) + H;
    double u = mr_rng_uniform(g->wait);
    mr_time start = now - (mr_time)(AG_BURN_IN * (double)span) - (mr_time)(u * (double)span);
    /* With processes the chain forgets its start slowly (it may settle in
     * one of several cycles over the grids): before t = 0 it starts where
     * request fidelity's does, at the resolver's first expiry, uniform in
     * its hold (a start clamped to the first grid point misses the
     * Monte Carlo of rule 3 by 2 s for Chrome, P = 10). One process: the
     * grid alone decides, as before. */
    if (p->np > 1 && start < 0)
        start = (mr_time)(u * (double)mr__resolver_hold(p->comp, i));
    mr_time t = union_next(p, i, start, unit);
    while (t < now)
        t = union_next(p, i, t + mr__resolver_hold(p->comp, i), unit);
    return t;
}

/* When resolver i of pool p next asks the authority, at or after now, and
 * in *unit the unit (process) whose query it is. */
static mr_time next_refresh(ag_engine *g, ag_pool *p, uint32_t i, mr_time now, uint32_t *unit)
{
    *unit = i;
    if (p->rt_hold)
        return next_refresh_rt(g, p, i, now, unit);
    double m = mean_wait_s(p);
    mr_time e = p->rs->expiry[i];
    if (p->slot[i] == SLOT_NONE) /* holds nothing: its next query asks */
        return now + mr_time_from_s(mr_rng_exponential(g->wait, m));
    int extra = p->rc->npol > 0 && p->rc->pol[p->rs->policy[i]].mode == MR_TTL_EXTRA;
    if (e < now) {
        /* Stale: its refreshes since were not simulated. */
        mr_time hold = mr__resolver_hold(p->comp, i);
        if (!extra) {
            double L = mr_time_to_s(hold);
            if (mr_rng_uniform(g->wait) * (L + m) < m)
                return now + mr_time_from_s(mr_rng_exponential(g->wait, m));
            return now + (mr_time)(mr_rng_uniform(g->wait) * (double)hold) +
                   mr_time_from_s(mr_rng_exponential(g->wait, m));
        }
        e = now - (mr_time)(AG_BURN_IN * (double)hold) -
            (mr_time)(mr_rng_uniform(g->wait) * (double)hold);
        for (;;) {
            mr_time q = e + mr_time_from_s(mr_rng_exponential(g->wait, m));
            if (q >= now)
                return q;
            e = q + mr__resolver_hold(p->comp, i);
            if (e >= now)
                break;
        }
    }
    return e + mr_time_from_s(mr_rng_exponential(g->wait, m));
}

static int due_cmp(const void *a, const void *b)
{
    const ag_due *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* One kernel event at the pool's earliest refresh. */
static void arm(ag_engine *g, mr_sim *sim, mr_component *self, uint32_t q)
{
    ag_pool *p = &g->pool[q];
    mr_sim_cancel(sim, p->ev);
    p->ev = (mr_handle){0};
    if (p->head < p->ndue) {
        refresh_msg r = {q};
        mr_sim_schedule_at(sim, p->due[p->head].t, self->id, AG_REFRESH, &r, sizeof r, &p->ev);
    }
}

/* Resolver i of pool q is due at t (kept sorted: a rare insertion). */
static void insert_due(ag_engine *g, uint32_t q, uint32_t i, mr_time t)
{
    ag_pool *p = &g->pool[q];
    if (p->head > 0) { /* compact first: room for every resolver once */
        memmove(p->due, p->due + p->head, (p->ndue - p->head) * sizeof *p->due);
        p->ndue -= p->head;
        p->head = 0;
    }
    ag_due d = {t, i};
    uint32_t at = p->ndue;
    while (at > 0 && due_cmp(&p->due[at - 1], &d) > 0)
        at--;
    memmove(p->due + at + 1, p->due + at, (p->ndue - at) * sizeof *p->due);
    p->due[at] = d;
    p->ndue++;
}

/* Code c is due at t: a resolver's refresh (AG_DUE_REFRESH | the unit
 * asking) or a unit's follow-up. */
static void push_due(ag_engine *g, uint32_t q, uint32_t c, mr_time t)
{
    if (t > g->horizon)
        return;
    insert_due(g, q, c, t);
    if (c & AG_DUE_REFRESH)
        g->pool[q].pending[(c & ~AG_DUE_REFRESH) / g->pool[q].np] = 1;
    else
        g->pool[q].upending[c] = 1;
}

/* The authority's answer may have changed: every resolver's next refresh
 * becomes due (those already due keep their time). */
static void refresh_wave(ag_engine *g, mr_sim *sim, mr_component *self, mr_time now)
{
    if (g->fd)
        return; /* anycast: no answer to change */
    for (uint32_t q = 0; q < g->npool; q++) {
        ag_pool *p = &g->pool[q];
        if (!(p->rate > 0))
            continue;
        memmove(p->due, p->due + p->head, (p->ndue - p->head) * sizeof *p->due);
        p->ndue -= p->head;
        p->head = 0;
        for (uint32_t i = 0; i < p->n; i++)
            if (!p->pending[i]) {
                uint32_t u;
                mr_time t = next_refresh(g, p, i, now, &u);
                if (t <= g->horizon) {
                    p->due[p->ndue++] = (ag_due){t, AG_DUE_REFRESH | u};
                    p->pending[i] = 1;
                }
            }
        qsort(p->due, p->ndue, sizeof *p->due, due_cmp);
        arm(g, sim, self, q);
    }
}

/* Whether a ramped fault is in force at an endpoint (its share moves):
 * every set mr_cluster_request_fail_share reads, the region's and the
 * ingress's partial failures included (a ramped region outage held at its
 * first share would go unseen). */
static int ramp_in_force(const ag_engine *g)
{
    if (g->faults == NULL)
        return 0;
    for (uint32_t j = 0; j < g->nep; j++) {
        const mr_cluster_state *c = g->cl[j];
        const mr_fault_set *sets[] = {&c->partial, &c->gray, &c->region->partial,
                                      c->ingress != NULL ? &c->ingress->partial : NULL};
        for (int s = 0; s < 4; s++)
            for (int32_t x = 0; sets[s] != NULL && x < sets[s]->npartial; x++)
                if (g->faults->f[sets[s]->p[x].fault].ramp)
                    return 1;
    }
    return 0;
}

static void maybe_tick(ag_engine *g, mr_sim *sim, mr_component *self)
{
    if (g->tick_pending)
        return;
    /* With data stores the daily profile moves their write rates too. */
    mr_time d = ramp_in_force(g)                                      ? g->window
                : g->diurnal && (g->cap_may_bind || g->nstore > 0) ? MR_H
                                                                    : 0;
    if (d > 0) {
        g->tick_pending = 1;
        mr_sim_schedule(sim, d, self->id, AG_TICK, NULL, 0, NULL);
    }
}

/* Runtime caches start in steady state too (rule 3): each holds its
 * resolver's answer, with a uniform phase of its hold. */
static void start_runtime(ag_engine *g, uint32_t q)
{
    ag_pool *p = &g->pool[q];
    if (!p->rt_hold)
        return;
    const mr_clients_cfg *cfg = NULL;
    for (uint32_t k = 0; k < g->npop && cfg == NULL; k++)
        if (g->pool_of[k] == q)
            cfg = g->pop[k]->cfg;
    p->rt_hold = mr_runtime_hold(cfg->runtime_cache, mr__traffic_ttl(p->rs->tm));
    if (g->runtime == NULL)
        g->runtime = mr_rng_derive(g->pop[0]->rng, "runtime");
    for (uint32_t u = 0; u < p->n * p->np; u++) { /* resolver-major, as request fidelity */
        p->rt_phase[u] = (mr_time)(mr_rng_uniform(g->runtime) * (double)p->rt_hold);
    }
}

static void agg_start(mr_component *self, mr_sim *sim)
{
    ag_state *st = self->state;
    ag_engine *g = st->eng;
    if (g == NULL)
        return;
    g->horizon = mr_sim_horizon(sim);
    g->window = g->slo->window;
    g->last = mr_sim_now(sim);
    for (uint32_t k = 0; k < g->npop; k++)
        g->cum_last[k] = mr_profile_integral(g->pop[k]->cfg, g->last);
    /* The pools' caches are in steady state already (rule 3). */
    for (uint32_t q = 0; q < g->npool; q++) {
        ag_pool *p = &g->pool[q];
        for (uint32_t i = 0; i < p->n; i++) {
            p->slot[i] = (uint8_t)slot_of(g, p->rs->answer[i]);
            for (uint32_t m = 0; m < p->np; m++)
                p->uslot[(size_t)i * p->np + m] = p->slot[i];
            p->cnt[p->slot[i]] += (int32_t)p->np;
        }
        start_runtime(g, q);
    }
    if (g->fd)
        reroute(g, g->last);
    recompute_failing(g, g->last, 1);
    recompute_rates(g, g->last);
    maybe_tick(g, sim, self);
    for (uint32_t j = 0; j < g->nep; j++)
        g->up[j] = (uint8_t)mr_cluster_up(g->cl[j]);
    g->wchanged = 0;
    if (g->nstore > 0)
        mr_sim_schedule(sim, 0, self->id, MR_MSG_WAKE, NULL, 0, NULL);
}

/* Whether the DNS authority fails every query now. */
static int outage_total(const ag_engine *g, mr_time now)
{
    /* A proxy's outage fails requests, not queries (its routes say so). */
    const mr_traffic_faults *tf = g->fd ? NULL : &mr__traffic_head(g->traffic)->faults;
    return tf && mr__fault_set_any(&tf->outage) &&
           mr__fault_set_share(&tf->outage, NULL, now) >= 1;
}

/* Units of resolver i whose slot is not the resolver's. */
static uint32_t diff_units(const ag_pool *p, uint32_t i)
{
    uint32_t d = 0;
    for (uint32_t m = 0; m < p->np; m++)
        d += p->uslot[(size_t)i * p->np + m] != p->slot[i];
    return d;
}

/* Unit u of pool q (with one process: resolver u) read slot j from its
 * resolver at now, the resolver's answer from now on. With processes,
 * every other unit whose slot differs reads it at its own next refetch (a
 * follow-up). The traffic moves with u. */
static void take_answer(ag_engine *g, uint32_t q, uint32_t u, uint32_t j, mr_time now)
{
    ag_pool *p = &g->pool[q];
    uint32_t i = u / p->np;
    if (p->np == 1) {
        if (j == p->slot[i])
            return;
        p->cnt[p->slot[i]]--;
        p->cnt[j]++;
        p->slot[i] = (uint8_t)j;
        set_failing_pool(g, q, i, now);
        recompute_rates(g, now);
        return;
    }
    p->ndiff -= diff_units(p, i);
    p->slot[i] = (uint8_t)j;
    uint8_t was = p->uslot[u];
    if (was != j) {
        p->cnt[was]--;
        p->cnt[j]++;
        p->uslot[u] = (uint8_t)j;
    }
    for (uint32_t m = 0; m < p->np; m++) {
        uint32_t v = i * p->np + m;
        if (p->uslot[v] != j && !p->upending[v])
            push_due(g, q, v, mr_route_refresh(p->rt_phase[v], p->rt_hold, now + 1));
    }
    p->ndiff += diff_units(p, i);
    if (was != j) {
        set_failing_pool(g, q, i, now);
        recompute_rates(g, now);
    }
}

/* Resolver i of pool q asks the authority at now, for unit u (rule 3:
 * through its pool, with its TTL policy), and u moves to the slot of the
 * answer. */
static void refresh_one(ag_engine *g, uint32_t q, uint32_t u, mr_time now)
{
    ag_pool *p = &g->pool[q];
    uint32_t i = u / p->np;
    p->pending[i] = 0;
    p->rs->expiry[i] = now; /* due: the lookup asks the authority */
    uint32_t a = mr__resolver_lookup(p->comp, i, now);
    uint32_t j = slot_of(g, a);
    /* Nothing cached: the next query asks again; while the authority fails
     * every query that is the next wave (the outage's end), not sooner. */
    if (a == MR_NO_ANSWER && !outage_total(g, now))
        push_due(g, q, AG_DUE_REFRESH | u,
                 p->rt_hold ? mr_route_refresh(p->rt_phase[u], p->rt_hold, now + 1)
                            : now + mr_time_from_s(mr_rng_exponential(g->wait, mean_wait_s(p))));
    take_answer(g, q, u, j, now);
}

/* Unit u of pool q refetches at now (a follow-up): it reads its resolver,
 * which asks the authority if its answer expired. */
static void follow_one(ag_engine *g, uint32_t q, uint32_t u, mr_time now)
{
    ag_pool *p = &g->pool[q];
    p->upending[u] = 0;
    uint32_t a = mr__resolver_lookup(p->comp, u / p->np, now);
    if (a == MR_NO_ANSWER && !outage_total(g, now))
        push_due(g, q, u, mr_route_refresh(p->rt_phase[u], p->rt_hold, now + 1));
    take_answer(g, q, u, slot_of(g, a), now);
}

/* Every refresh of pool q due before the next kernel event (nothing else
 * changes the world until then), then one event for the rest. */
static void on_refresh(ag_engine *g, mr_sim *sim, mr_component *self, uint32_t q, mr_time now)
{
    ag_pool *p = &g->pool[q];
    p->ev = (mr_handle){0};
    mr_time next = MR_TIME_NEVER;
    mr_sim_next_time(sim, &next);
    /* Never past the next SLO window's start: the vectors are read there
     * between two of the kernel's events (sim/run/vectors.c), and the
     * hub's integrals must not stand beyond it then (agg_sample projects
     * them forward only). The rest is one event later, sampled or not, so
     * a sampled run is still the unsampled one; the same advance() calls
     * are made either way. */
    if (g->window > 0 && now >= 0 && now < MR_TIME_NEVER - g->window) {
        mr_time bound = now - now % g->window + g->window;
        if (bound < next)
            next = bound;
    }
    while (p->head < p->ndue && (p->due[p->head].t < next || p->due[p->head].t == now)) {
        ag_due d = p->due[p->head++];
        advance(g, d.t);
        if (d.i & AG_DUE_REFRESH)
            refresh_one(g, q, d.i & ~AG_DUE_REFRESH, d.t);
        else
            follow_one(g, q, d.i, d.t);
    }
    arm(g, sim, self, q);
}

/* After an event: an endpoint that went up or down wakes the traffic
 * layer's sleeping probes (its pods, not a fault, may have done it), and a
 * sleeping autoscaler whose offered rate changed resumes its scans (woke:
 * the traffic layer was woken already, at a fault's start or end). */
static void notify(ag_engine *g, mr_sim *sim, int woke)
{
    for (uint32_t j = 0; j < g->nep; j++) {
        uint8_t up = (uint8_t)mr_cluster_up(g->cl[j]);
        if (up != g->up[j] && !woke) {
            mr_sim_schedule(sim, 0, g->traffic->id, MR_MSG_WAKE, NULL, 0, NULL);
            woke = 1;
        }
        g->up[j] = up;
        if ((g->wchanged >> j & 1) && g->clw[j]->agg_asleep) {
            g->clw[j]->agg_asleep = 0; /* one wake until it sleeps again */
            mr_sim_schedule(sim, 0, g->clid[j], MR_MSG_WAKE, NULL, 0, NULL);
        }
    }
    g->wchanged = 0;
}

static double hub_offered(const mr_component *hub, uint32_t ep, mr_time t)
{
    const ag_engine *g = ((const ag_state *)hub->state)->eng;
    if (g == NULL || ep >= g->nep)
        return 0;
    if (t > g->horizon && g->horizon > 0)
        t = g->horizon;
    double n = g->off_cum[ep];
    for (uint32_t k = 0; k < g->npop; k++)
        if (g->w[k][ep] > 0) {
            const mr_clients_cfg *cfg = g->pop[k]->cfg;
            n += g->w[k][ep] * cfg->rate * (mr_profile_integral(cfg, t) - g->cum_last[k]);
        }
    return n;
}

static int hub_rate_varies(const mr_component *hub)
{
    const ag_engine *g = ((const ag_state *)hub->state)->eng;
    return g != NULL && g->diurnal;
}

static void agg_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    ag_state *st = self->state;
    ag_engine *g = st->eng;
    if (g == NULL) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    advance(g, ev->time);
    switch (ev->kind) {
    case AG_REFRESH: {
        refresh_msg r;
        memcpy(&r, ev->payload.bytes, sizeof r);
        if (r.pool < g->npool)
            on_refresh(g, sim, self, r.pool, ev->time);
        notify(g, sim, 0);
        return;
    }
    case MR_MSG_FAULT_START:
    case MR_MSG_FAULT_END: {
        mr_msg_fault m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        mr_sim_schedule(sim, 0, g->traffic->id, MR_MSG_WAKE, NULL, 0, NULL);
        if (m.kind == MR_FAULT_TRAFFIC_LAYER_OUTAGE || m.kind == MR_FAULT_DNS_MISCONFIG)
            refresh_wave(g, sim, self, ev->time);
        if (g->fd)
            reroute(g, ev->time);
        if (ev->kind == MR_MSG_FAULT_START) {
            /* A new episode: groups failing already fail again in it. */
            for (uint32_t k = 0; k < g->npop; k++)
                for (uint32_t i = 0; i < g->pool[g->pool_of[k]].n; i++)
                    if (g->failing[k][i])
                        mr__slo_attempt(g->slo, g->gbase[k] + i, ev->time, 0, 0);
        }
        break;
    }
    case MR_MSG_ENDPOINT_STATUS:
        if (g->fd)
            reroute(g, ev->time);
        else
            refresh_wave(g, sim, self, ev->time);
        break;
    case AG_TICK:
        g->tick_pending = 0;
        break;
    case MR_MSG_CAPACITY: /* a cluster's serving pods changed */
        if (g->fd)
            reroute(g, ev->time);
        break;
    case MR_MSG_WAKE: /* a data store changed (or a client's route to it) */
        g->stores_live = 1;
        break;
    default:
        mr_sim_unhandled(sim, ev);
        return;
    }
    recompute_failing(g, ev->time, 0);
    recompute_rates(g, ev->time);
    maybe_tick(g, sim, self);
    notify(g, sim, ev->kind == MR_MSG_FAULT_START || ev->kind == MR_MSG_FAULT_END);
}

/* Aggregate fidelity simulates a resolver's refreshes only where they can
 * change an answer, so the authority's billed queries (the cost's run
 * rate: Traffic Manager, Azure DNS) come from the closed form over the
 * normal time: resolver i asks once per cycle of its mean hold plus the
 * mean wait for its next query (its share of the pool's queries at the
 * normal time's mean rate; memoryless, so the wait from an expiry is that
 * mean), or, with a runtime cache in front, at the first point of its
 * processes' refetch grids (period H each) at or after its expiry: with
 * one process, once per the runtime's periods that cover its hold; with
 * np, the asking process's own next point comes c = H ceil(hold / H) -
 * hold after the expiry and each other's is uniform on [0, H), so the
 * wait is min(c, U_1..U_np-1), of mean int_0^c (1 - x / H)^(np-1) dx =
 * H / np x (1 - (1 - c / H)^np). */
static void closed_form_refreshes(ag_engine *g)
{
    double normal_s = mr_time_to_s(mr__clock_at(g->clock, g->horizon));
    for (uint32_t q = 0; q < g->npool; q++) {
        ag_pool *p = &g->pool[q];
        double req = 0;
        for (uint32_t k = 0; k < g->npop; k++)
            if (g->pool_of[k] == q)
                req += ((const ag_state *)g->pop[k]->state)->requests_normal;
        double sum = 0;
        if (req > 0 && normal_s > 0) {
            double wait = (double)p->n * normal_s / req, rt = mr_time_to_s(p->rt_hold);
            for (uint32_t i = 0; i < p->n; i++) {
                double hold = mr__resolver_mean_hold_s(p->comp, i);
                double cyc = rt > 0 ? rt * ceil(hold / rt - 1e-9) : hold + wait;
                if (rt > 0 && p->np > 1)
                    cyc = hold + rt / p->np * (1 - pow(1 - (cyc - hold) / rt, (double)p->np));
                sum += 1 / cyc;
            }
        }
        p->rs->refreshes_normal = (uint64_t)llround(normal_s * sum);
    }
}

static void agg_finish(mr_component *self, mr_sim *sim)
{
    ag_state *st = self->state;
    ag_engine *g = st->eng;
    if (g == NULL)
        return;
    advance(g, mr_sim_horizon(sim));
    for (uint32_t s = 0; s < g->nstore; s++) /* their counters up to the horizon */
        mr_store_agg_advance(g->store[s], mr_sim_horizon(sim));
    mr__slo_flush(g->slo);
    closed_form_refreshes(g);
}

static void agg_report(const mr_component *self, mr_report *out)
{
    const ag_state *st = self->state;
    mr_report_scalar(out, self->name, "requests", st->requests);
    mr_report_scalar(out, self->name, "requests_normal", st->requests_normal);
    mr_report_scalar(out, self->name, "availability",
                     st->measured > 0 ? st->succeeded / st->measured : NAN);
}

/* The series of one pool: answer shares, then (but behind Front Door,
 * whose resolvers answer its own address, as at request fidelity) the
 * requests and those per answer. */
static size_t pool_series(const ag_engine *g)
{
    return g->fd ? g->nep : 2 * (size_t)g->nep + 1;
}

/* Vectors (docs/results.md "Vectors"). Every population: its requests
 * whose outcome falls after the warm-up and their successes, running
 * counts as at request fidelity (clients.c clients_series), whose
 * increase over a window the runner stores. They are integrated only at
 * the hub's events (advance), so a sample projects them to its instant
 * exactly as the next advance() will: the success share is constant
 * between events, the rate follows the profile's closed-form integral.
 * Read only: a sampled run keeps the events and results of an unsampled
 * one, and the windows' increases add up to what advance() integrates
 * (the projection to t plus advance's from t on is advance's over both).
 * The hub also has, per resolver pool and endpoint, the share of the
 * pool's traffic units whose answer is that endpoint (the slots change
 * only at the hub's events, so they stand as they are between them), and
 * the pool's requests with those per answer (integrated in advance(),
 * projected likewise), which the database turns into request_share. */
static size_t agg_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                         size_t cap)
{
    const ag_state *st = self->state;
    const ag_engine *g = st->eng;
    size_t n = 0;
    if (st->hub == NULL || cap < 2)
        return 0;
    for (int k = 0; k < 2; k++, n++) {
        snprintf(out[n].component, sizeof out[n].component, "%s", self->name);
        snprintf(out[n].metric, sizeof out[n].metric, "%s", k == 0 ? "requests" : "successes");
        out[n].unit = "requests";
        out[n].counter = 1;
    }
    if (g == NULL)
        return n;
    for (uint32_t q = 0; q < g->npool && n + pool_series(g) <= cap; q++) {
        for (int k = 0; k < 2; k++) {
            if (k == 1 && !g->fd) {
                snprintf(out[n].component, sizeof out[n].component, "%s", g->pool[q].comp->name);
                snprintf(out[n].metric, sizeof out[n].metric, "requests");
                out[n].unit = "requests";
                out[n++].counter = 1;
            }
            for (uint32_t j = 0; j < g->nep && (k == 0 || !g->fd); j++, n++) {
                const mr_component *c = mr_sim_component(sim, g->clid[j]);
                const char *name = c ? c->name : "?", *slash = strchr(name, '/');
                snprintf(out[n].component, sizeof out[n].component, "%s", g->pool[q].comp->name);
                snprintf(out[n].metric, sizeof out[n].metric, "%s/%s",
                         k == 0 ? "answer_share" : "requests", slash ? slash + 1 : name);
                out[n].unit = k == 0 ? "" : "requests";
                out[n].counter = k;
            }
        }
    }
    return n;
}

/* advance()'s measured and succeeded of population k, projected to now
 * without changing anything. */
static void project_counts(const ag_engine *g, uint32_t k, mr_time now, double *measured,
                           double *succeeded)
{
    const ag_state *ps = g->pop[k]->state;
    *measured = ps->measured;
    *succeeded = ps->succeeded;
    if (now > g->horizon)
        now = g->horizon;
    mr_time t0 = g->last, warm = g->slo->warmup;
    if (now <= t0 || now <= warm)
        return;
    const mr_clients_cfg *cfg = g->pop[k]->cfg;
    double cum = mr_profile_integral(cfg, now);
    double m = t0 >= warm ? cfg->rate * (cum - g->cum_last[k])
                          : cfg->rate * (cum - mr_profile_integral(cfg, warm));
    *measured += m;
    *succeeded += m * g->ok_share[k];
}

static void agg_sample(const mr_component *self, mr_time now, double *out)
{
    const ag_state *st = self->state;
    if (st->hub == NULL)
        return;
    project_counts(st->hub, st->k, now, &out[0], &out[1]);
    const ag_engine *g = st->eng;
    if (g == NULL)
        return;
    /* The pools' requests projected to now as advance() will count them. */
    double req[AG_MAX_POOLS], used[AG_MAX_POOLS][MR_MAX_ENDPOINTS];
    memcpy(req, g->pool_req, sizeof req);
    memcpy(used, g->pool_used, sizeof used);
    mr_time t = now > g->horizon ? g->horizon : now;
    if (t > g->last) {
        double pool_n[AG_MAX_POOLS] = {0};
        for (uint32_t k = 0; k < g->npop; k++) {
            const mr_clients_cfg *cfg = g->pop[k]->cfg;
            pool_n[g->pool_of[k]] += cfg->rate * (mr_profile_integral(cfg, t) - g->cum_last[k]);
        }
        for (uint32_t q = 0; q < g->npool; q++)
            pool_count(g, q, pool_n[q], req, used);
    }
    size_t n = 2;
    for (uint32_t q = 0; q < g->npool && n + pool_series(g) <= MR_SERIES_MAX; q++) {
        const ag_pool *p = &g->pool[q];
        double units = (double)p->n * (p->np ? p->np : 1);
        for (uint32_t j = 0; j < g->nep; j++, n++)
            out[n] = units > 0 ? (double)p->cnt[j] / units : 0;
        if (g->fd)
            continue;
        out[n++] = req[q];
        for (uint32_t j = 0; j < g->nep; j++, n++)
            out[n] = used[q][j];
    }
}

static const char *agg_event_name(uint32_t kind)
{
    return kind == AG_REFRESH ? "refresh" : kind == AG_TICK ? "tick" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int agg_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const ag_state *st = self->state;
    const ag_engine *g = st->eng;
    if (ev->kind == AG_REFRESH) {
        refresh_msg r;
        memcpy(&r, ev->payload.bytes, sizeof r);
        if (g == NULL || r.pool >= g->npool)
            return snprintf(buf, n, "resolver pool %u refreshes", (unsigned)r.pool);
        const ag_pool *p = &g->pool[r.pool];
        return snprintf(buf, n, "%s: %u refreshes due", p->comp ? p->comp->name : "resolver pool",
                        (unsigned)(p->ndue - p->head));
    }
    if (ev->kind == AG_TICK)
        return snprintf(buf, n, "rates recomputed (daily profile or ramp)");
    return 0; /* a public message: the trace writer describes it */
}

static void agg_fini(mr_component *self)
{
    ag_state *st = self->state;
    ag_engine *g = st->eng;
    if (g == NULL)
        return;
    for (uint32_t q = 0; q < g->npool; q++) {
        free(g->pool[q].slot);
        free(g->pool[q].pending);
        free(g->pool[q].due);
        free(g->pool[q].rt_phase);
        if (g->pool[q].uslot != g->pool[q].slot)
            free(g->pool[q].uslot);
        free(g->pool[q].upending);
    }
    for (uint32_t k = 0; k < g->npop; k++) {
        free(g->failing[k]);
        free(g->fail_edge[k]);
        free(g->psucc_edge[k]);
    }
    mr_rng_free(g->runtime);
    mr_rng_free(g->partial);
    free(g->route);
    mr_rng_free(g->wait);
    free(g->mix);
    free(g->gw);
    free(g->grp);
    free(g);
}

const mr_model mr_model_clients_agg = {
    .kind = "clients_agg",
    .summary = "client populations at aggregate fidelity: rates, resolver switches, windows",
    .cfg_size = sizeof(mr_clients_cfg),
    .state_size = sizeof(ag_state),
    .link = agg_link,
    .start = agg_start,
    .handle = agg_handle,
    .finish = agg_finish,
    .report = agg_report,
    .series = agg_series,
    .sample = agg_sample,
    .event_name = agg_event_name,
    .event_detail = agg_event_detail,
    .fini = agg_fini,
};

