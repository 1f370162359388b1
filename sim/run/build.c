/* sim/run/build.c: scenario -> components of one replication. Component
 * ids are assigned in a fixed order (regions first, so a region's id is its
 * index, then clusters, the traffic layer, resolver pools, the SLO
 * collector, client populations, the fault injector). Names are the
 * scenario's under their section ("regions/westeurope", "clusters/aks-weu";
 * names are unique only within a kind), so each component's random stream
 * depends only on the seed, the replication and what it is (DESIGN.md
 * "Random numbers").
 * What this build cannot simulate yet is refused by mr_build_check with
 * the part named, located in the file. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "world.h"
#include "run/build.h"
#include "mrsim/error.h"

_Static_assert(MR_COSMOS_STRONG == (int)MR_CONSISTENCY_STRONG &&
                   MR_COSMOS_BOUNDED == (int)MR_CONSISTENCY_BOUNDED &&
                   MR_COSMOS_SESSION == (int)MR_CONSISTENCY_SESSION &&
                   MR_COSMOS_EVENTUAL == (int)MR_CONSISTENCY_EVENTUAL,
               "cosmos consistency levels follow the scenario's");

static void unsupported(mr_diag *diag, const mr_mark *mark, int *rc, const char *what)
{
    mr_diag_error(diag, mark, "%s is not simulated by this version of mrsim yet", what);
    *rc = MR_ESCENARIO;
}

/* Whether cluster c is a candidate of selector t. */
static int selects_cluster(const mr_sc_target *t, const mr_sc_cluster *c)
{
    return (t->region == MR_SC_NONE || c->region == t->region) &&
           (t->role < 0 || (int)c->role == t->role);
}

/* The scenario indices a fault's target stands for, by target kind (regions
 * or clusters), into idx; returns how many (at most max). A zone names the
 * clusters of its region that span it. */
static size_t target_candidates(const mr_scenario *sc, const mr_sc_fault *f, size_t *idx,
                                size_t max)
{
    const mr_sc_target *t = &f->target;
    size_t n = 0;
    switch (t->kind) {
    case MR_TARGET_REGION:
        if (!t->selector)
            idx[n++] = t->index;
        else
            for (size_t r = 0; r < sc->nregions && n < max; r++)
                if (t->region == MR_SC_NONE || r == t->region)
                    idx[n++] = r;
        break;
    case MR_TARGET_CLUSTER:
        if (!t->selector)
            idx[n++] = t->index;
        else
            for (size_t c = 0; c < sc->nclusters && n < max; c++)
                if (selects_cluster(t, &sc->clusters[c]))
                    idx[n++] = c;
        break;
    case MR_TARGET_ZONE:
        for (size_t c = 0; c < sc->nclusters && n < max; c++) {
            const mr_sc_cluster *cl = &sc->clusters[c];
            for (size_t z = 0; z < cl->nzones && cl->region == t->index; z++)
                if (cl->zones[z] == t->zone) {
                    idx[n++] = c;
                    break;
                }
        }
        break;
    case MR_TARGET_TRAFFIC:
        idx[n++] = 0;
        break;
    case MR_TARGET_DATASTORE:
        if (!t->selector)
            idx[n++] = t->index;
        else
            for (size_t d = 0; d < sc->ndatastores && n < max; d++)
                if (t->region == MR_SC_NONE || sc->datastores[d].primary == t->region)
                    idx[n++] = d;
        break;
    case MR_TARGET_DEPENDENCY:
        if (!t->selector)
            idx[n++] = t->index;
        else
            for (size_t d = 0; d < sc->ndependencies && n < max; d++)
                if (t->region == MR_SC_NONE || sc->dependencies[d].region == t->region)
                    idx[n++] = d;
        break;
    default:
        break;
    }
    return n;
}

/* How many of n candidates a start hits. */
static size_t target_pick(const mr_sc_target *t, size_t n)
{
    if (!t->selector || t->kind == MR_TARGET_ZONE)
        return n;
    switch (t->mode) {
    case MR_SELECT_ONE:
        return n > 0;
    case MR_SELECT_COUNT:
        return t->value < (double)n ? (size_t)t->value : n;
    case MR_SELECT_PERCENT: {
        /* Rounded to the nearest, at least one when the share is above 0. */
        size_t k = (size_t)(t->value * (double)n + 0.5);
        return k == 0 && t->value > 0 && n > 0 ? 1 : k;
    }
    default:
        return n;
    }
}

static void check_fault(const mr_scenario *sc, const mr_sc_fault *f, mr_diag *diag, int *rc)
{
    char what[200];
    size_t idx[MR_MAX_FAULT_TARGETS + 1];
    switch (f->kind) {
    case MR_FAULT_REGION_OUTAGE:
    case MR_FAULT_CLUSTER_FAILURE:
    case MR_FAULT_INGRESS_FAILURE:
    case MR_FAULT_GRAY_FAILURE:
    case MR_FAULT_NETWORK_PARTITION:
    case MR_FAULT_TRAFFIC_LAYER_OUTAGE:
    case MR_FAULT_DNS_MISCONFIG:
    case MR_FAULT_DATASTORE_FAILURE:
    case MR_FAULT_DATASTORE_FAILOVER:
    case MR_FAULT_REPLICATION_PARTITION:
    case MR_FAULT_ZONE_OUTAGE:
    case MR_FAULT_DEPENDENCY_OUTAGE:
        break;
    default:
        snprintf(what, sizeof what, "fault '%s' of kind %s", f->name, mr_fault_kind_name(f->kind));
        unsupported(diag, &f->mark, rc, what);
        return;
    }
    if (f->kind == MR_FAULT_DNS_MISCONFIG && sc->traffic.kind == MR_TRAFFIC_FRONT_DOOR) {
        snprintf(what, sizeof what,
                 "fault '%s': dns_misconfig with front_door (its record has no TTL here)",
                 f->name);
        unsupported(diag, &f->mark, rc, what);
    }
    int partial = f->ramp || f->severity < 1;
    int may_be_partial = f->kind == MR_FAULT_CLUSTER_FAILURE ||
                         f->kind == MR_FAULT_INGRESS_FAILURE || f->kind == MR_FAULT_GRAY_FAILURE ||
                         f->kind == MR_FAULT_REGION_OUTAGE ||
                         f->kind == MR_FAULT_TRAFFIC_LAYER_OUTAGE;
    if (partial && !may_be_partial) {
        snprintf(what, sizeof what,
                 "fault '%s': a partial %s (severity, ramp: region, cluster, ingress, gray "
                 "and traffic-layer faults only)",
                 f->name, mr_fault_kind_name(f->kind));
        unsupported(diag, &f->mark, rc, what);
    }
    if (f->kind == MR_FAULT_NETWORK_PARTITION && f->target.selector) {
        snprintf(what, sizeof what, "fault '%s': a network partition picked by a selector",
                 f->name);
        unsupported(diag, &f->target.mark, rc, what);
        return;
    }
    if (f->target.selector && f->target.kind == MR_TARGET_ZONE) {
        snprintf(what, sizeof what, "fault '%s': picking zones with a selector", f->name);
        unsupported(diag, &f->target.mark, rc, what);
        return;
    }
    size_t n = target_candidates(sc, f, idx, MR_MAX_FAULT_TARGETS + 1);
    if (n > MR_MAX_FAULT_TARGETS) {
        snprintf(what, sizeof what, "fault '%s': a target of more than 64 things", f->name);
        unsupported(diag, &f->target.mark, rc, what);
    } else if (n == 0 || target_pick(&f->target, n) == 0) {
        mr_diag_error(diag, &f->target.mark,
                      "fault '%s': its target %s nothing (%s)", f->name,
                      n == 0 ? "matches" : "picks",
                      f->target.kind == MR_TARGET_ZONE ? "no cluster spans that zone"
                      : n == 0 ? "no candidate fits the selector"
                               : "the share rounds to none");
        *rc = MR_ESCENARIO;
    } else if (f->target.selector && f->target.mode == MR_SELECT_COUNT &&
               f->target.value > (double)n) {
        mr_diag_error(diag, &f->target.mark,
                      "fault '%s': count %g is more than the %zu things the selector matches",
                      f->name, f->target.value, n);
        *rc = MR_ESCENARIO;
    }
}

/* Whether dependency d is used by cluster c. */
static int uses(const mr_sc_dependency *d, size_t c)
{
    for (size_t k = 0; k < d->used_by.n; k++)
        if (d->used_by.v[k] == c)
            return 1;
    return 0;
}

/* The Front Door origins (a bit set) that serve the clusters of stamp s. */
static uint32_t stamp_origins(const mr_scenario *sc, size_t s)
{
    uint32_t set = 0;
    const mr_sc_stamp *st = &sc->stamps[s];
    for (size_t e = 0; e < sc->traffic.nendpoints; e++)
        for (size_t c = 0; c < st->clusters.n; c++)
            if (sc->traffic.endpoints[e].cluster == st->clusters.v[c])
                set |= (uint32_t)1 << e;
    return set;
}

/* Whether store d keeps a copy in region r. */
static int store_in_region(const mr_sc_datastore *d, size_t r)
{
    if (d->primary == r)
        return 1;
    for (size_t i = 0; i < d->nreplicas; i++)
        if (d->replicas[i].region == r)
            return 1;
    for (size_t i = 0; i < d->regions.n; i++)
        if (d->regions.v[i] == r)
            return 1;
    return 0;
}

/* The failover policy runs what has a model: probe and operator triggers,
 * scale actions, and promotions (MR_MSG_PROMOTE to the store's component,
 * store_id). The datastore trigger needs a store that reports its own
 * failover to the policy: not in this build. */
static int64_t store_id(const mr_scenario *sc, size_t index);

static void check_failover(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    const mr_sc_failover *fo = &sc->failover;
    char what[200];
    if (!fo->present)
        return;
    if (fo->trigger == MR_TRIGGER_DATASTORE)
        unsupported(diag, &fo->mark, rc,
                    "failover.trigger: datastore (no data-store model reports its failover "
                    "yet; use probes or operator)");
    if (fo->nactions > MR_MAX_ACTIONS)
        unsupported(diag, &fo->mark, rc, "more than 16 failover actions");
    for (size_t a = 0; a < fo->nactions && a < MR_MAX_ACTIONS; a++) {
        const mr_sc_action *act = &fo->actions[a];
        if (act->promote && store_id(sc, act->target) < 0) {
            snprintf(what, sizeof what,
                     "failover.actions[%zu]: promote '%s' (no data-store component to promote "
                     "in this build)",
                     a, act->target < sc->ndatastores ? sc->datastores[act->target].name : "?");
            unsupported(diag, &act->mark, rc, what);
        }
    }
    size_t nactive = 0;
    for (size_t c = 0; c < sc->nclusters; c++)
        nactive += sc->clusters[c].role == MR_ROLE_ACTIVE;
    if (nactive > MR_MAX_ENDPOINTS)
        unsupported(diag, &fo->mark, rc, "a failover policy watching more than 16 active clusters");
}

/* Stamps are routed by Front Door (each population to its home stamp's
 * origins); a population may fall back only to a stamp that holds a copy
 * of every store it uses (DESIGN.md "Topologies"). */
static void check_stamps(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    char what[200];
    if (sc->nstamps == 0)
        return;
    if (sc->traffic.kind != MR_TRAFFIC_FRONT_DOOR) {
        snprintf(what, sizeof what, "deployment stamps behind %s (only front_door routes "
                                    "populations to their stamps here)",
                 mr_traffic_kind_names[sc->traffic.kind]);
        unsupported(diag, &sc->stamps[0].mark, rc, what);
        return;
    }
    for (size_t s = 0; s < sc->nstamps; s++) {
        const mr_sc_stamp *st = &sc->stamps[s];
        for (size_t c = 0; c < st->clusters.n; c++) {
            uint32_t found = 0;
            for (size_t e = 0; e < sc->traffic.nendpoints; e++)
                found |= sc->traffic.endpoints[e].cluster == st->clusters.v[c];
            if (!found) {
                mr_diag_error(diag, &st->clusters.mark,
                              "stamp '%s': cluster '%s' is not a Front Door origin, so no "
                              "traffic can reach it: add {cluster: %s} to traffic.origins",
                              st->name, sc->clusters[st->clusters.v[c]].name,
                              sc->clusters[st->clusters.v[c]].name);
                *rc = MR_ESCENARIO;
            }
        }
    }
    for (size_t i = 0; i < sc->nclients; i++) {
        const mr_sc_client *c = &sc->clients[i];
        for (size_t f = 0; f < c->fallback.n; f++) {
            const mr_sc_stamp *fb = &sc->stamps[c->fallback.v[f]];
            for (size_t u = 0; u < c->uses.n; u++) {
                const mr_sc_datastore *d = &sc->datastores[c->uses.v[u]];
                int there = store_in_region(d, fb->region);
                for (size_t k = 0; k < fb->datastores.n; k++)
                    there |= fb->datastores.v[k] == c->uses.v[u];
                if (!there) {
                    mr_diag_error(diag, &c->fallback.mark,
                                  "clients '%s': fallback stamp '%s' holds no copy of data "
                                  "store '%s', so the population cannot fall back there",
                                  c->name, fb->name, d->name);
                    *rc = MR_ESCENARIO;
                }
            }
        }
    }
}

/* What aggregate fidelity (models/clients_agg.c) carries: what moves a
 * cluster's pods on its own timers (autoscaler, failover policy, warm or
 * cold standby, zone outages: the cluster tells the hub of every change of
 * its serving pods and reads its load from the hub); data stores and their
 * faults as rates (store.h "aggregate fidelity": every change of a store
 * wakes the hub); runtime caches on the runtime's refresh grid. It keeps
 * one runtime view per resolver: the populations behind one resolver pool
 * must share their runtime cache kind. */
static void check_aggregate(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    char what[200];
    for (size_t i = 0; i < sc->nclients; i++)
        for (size_t o = 0; o < i; o++)
            if (sc->clients[o].resolver == sc->clients[i].resolver &&
                sc->clients[o].runtime_cache != sc->clients[i].runtime_cache) {
                snprintf(what, sizeof what,
                         "clients '%s': another runtime cache than '%s' behind the same "
                         "resolvers with run.fidelity: aggregate",
                         sc->clients[i].name, sc->clients[o].name);
                unsupported(diag, &sc->clients[i].mark, rc, what);
                break;
            }
}

int mr_build_check(const mr_scenario *sc, mr_diag *diag)
{
    int rc = MR_OK;
    char what[160];
    if (sc->traffic.kind == MR_TRAFFIC_DNS && sc->traffic.routing != MR_ROUTING_PRIORITY) {
        snprintf(what, sizeof what, "traffic.routing: %s with plain DNS (one record: priority)",
                 mr_routing_names[sc->traffic.routing]);
        unsupported(diag, &sc->traffic.mark, &rc, what);
    }
    if (sc->traffic.kind == MR_TRAFFIC_TRAFFIC_MANAGER &&
        sc->traffic.probe.locations > MR_MAX_LOCATIONS)
        unsupported(diag, &sc->traffic.mark, &rc, "more than 16 Traffic Manager probe locations");
    if (sc->traffic.nendpoints > MR_MAX_ENDPOINTS)
        unsupported(diag, &sc->traffic.mark, &rc, "more than 16 traffic endpoints");
    if (sc->nregions > MR_MAX_REGIONS)
        unsupported(diag, &sc->regions[0].mark, &rc, "more than 32 regions");
    if (sc->ndatastores > MR_MAX_STORES)
        unsupported(diag, &sc->datastores[0].mark, &rc, "more than 16 data stores");
    for (size_t i = 0; i < sc->ndatastores; i++) {
        const mr_sc_datastore *d = &sc->datastores[i];
        if (d->kind == MR_STORE_COSMOS && d->regions.n > MR_COSMOS_MAX) {
            snprintf(what, sizeof what, "data store '%s': more than 8 Cosmos DB regions", d->name);
            unsupported(diag, &d->mark, &rc, what);
        } else if (d->nreplicas > MR_PSTORE_MAX_REPLICAS) {
            snprintf(what, sizeof what, "data store '%s': more than 4 replicas", d->name);
            unsupported(diag, &d->mark, &rc, what);
        }
    }
    check_stamps(sc, diag, &rc);
    check_failover(sc, diag, &rc);
    for (size_t i = 0; i < sc->nclusters; i++) {
        const mr_sc_cluster *c = &sc->clusters[i];
        size_t ndeps = 0;
        for (size_t d = 0; d < sc->ndependencies; d++)
            ndeps += uses(&sc->dependencies[d], i);
        if (ndeps > MR_MAX_DEPS) {
            snprintf(what, sizeof what, "cluster '%s': more than %d shared dependencies", c->name,
                     MR_MAX_DEPS);
            unsupported(diag, &c->mark, &rc, what);
        }
        if (c->nzones > MR_MAX_ZONES) {
            snprintf(what, sizeof what, "cluster '%s': more than %d zones", c->name,
                     MR_MAX_ZONES);
            unsupported(diag, &c->mark, &rc, what);
        }
    }
    for (size_t i = 0; i < sc->nclients; i++) {
        const mr_sc_client *c = &sc->clients[i];
        if (c->uses.n > MR_MAX_USES)
            unsupported(diag, &c->uses.mark, &rc, "clients using more than 8 data stores");
        if (c->resolver == MR_SC_NONE)
            unsupported(diag, &c->mark, &rc, "clients without a resolver");
    }
    if (sc->run.fidelity == MR_FIDELITY_AGGREGATE)
        check_aggregate(sc, diag, &rc);
    if (sc->nfaults > MR_MAX_FAULTS)
        unsupported(diag, &sc->faults[0].mark, &rc, "more than 32 faults");
    for (size_t i = 0; i < sc->nfaults; i++)
        check_fault(sc, &sc->faults[i], diag, &rc);
    return rc;
}

/* Component ids, in the order mr_build adds them. The shared
 * dependencies and the failover policy come after the fault injector, so
 * the ids of a scenario without them are unchanged. */
typedef struct layout {
    uint32_t cluster0, tm, resolver0, slo, clients0, faults, store0, dep0, failover;
} layout;

static layout layout_of(const mr_scenario *sc)
{
    layout l;
    l.cluster0 = (uint32_t)sc->nregions;
    l.tm = l.cluster0 + (uint32_t)sc->nclusters;
    l.resolver0 = l.tm + 1;
    l.slo = l.resolver0 + (uint32_t)sc->nresolvers;
    l.clients0 = l.slo + 1;
    l.faults = l.clients0 + (uint32_t)sc->nclients;
    l.store0 = l.faults + 1;
    l.dep0 = l.store0 + (uint32_t)sc->ndatastores;
    l.failover = sc->failover.present ? l.dep0 + (uint32_t)sc->ndependencies : UINT32_MAX;
    return l;
}

/* The component id of data store `index` (stores follow the fault
 * injector in the layout), or -1 for no such store. */
static int64_t store_id(const mr_scenario *sc, size_t index)
{
    return index < sc->ndatastores ? (int64_t)layout_of(sc).store0 + (int64_t)index : -1;
}

uint32_t mr_build_population_id(const mr_scenario *sc, size_t p)
{
    assert(p < sc->nclients);
    return layout_of(sc).clients0 + (uint32_t)p;
}

uint32_t mr_build_store_id(const mr_scenario *sc, size_t d)
{
    assert(d < sc->ndatastores);
    return layout_of(sc).store0 + (uint32_t)d;
}

/* The node count a cluster starts with and returns to at failback: an
 * active cluster or a hot standby runs nodes.count; a warm standby
 * nodes.min; a cold one none. */
static int64_t standby_size(const mr_sc_cluster *c)
{
    if (c->role == MR_ROLE_ACTIVE || c->standby == MR_STANDBY_HOT)
        return c->nodes.count;
    return c->standby == MR_STANDBY_WARM ? c->nodes.min : 0;
}

/* The component id of a fault target's candidate scenario index. */
static int64_t target_id(const mr_sc_fault *f, const layout *l, size_t index)
{
    switch (f->target.kind) {
    case MR_TARGET_REGION:
        return (int64_t)index;
    case MR_TARGET_CLUSTER:
    case MR_TARGET_ZONE:
        return l->cluster0 + (int64_t)index;
    case MR_TARGET_TRAFFIC:
        return l->tm;
    case MR_TARGET_DATASTORE:
        return l->store0 + (int64_t)index;
    case MR_TARGET_DEPENDENCY:
        return l->dep0 + (int64_t)index;
    default:
        return -1;
    }
}

static void fault_cfg(const mr_scenario *sc, const mr_sc_fault *f, const layout *l,
                      mr_fault_cfg *fc)
{
    size_t idx[MR_MAX_FAULT_TARGETS];
    size_t n = target_candidates(sc, f, idx, MR_MAX_FAULT_TARGETS);
    fc->kind = f->kind;
    for (size_t c = 0; c < n; c++)
        fc->cand[c] = target_id(f, l, idx[c]);
    fc->ncand = (int64_t)n;
    fc->pick = (int64_t)target_pick(&f->target, n);
    fc->zone = f->target.kind == MR_TARGET_ZONE ? f->target.zone : 0;
    fc->peer = -1;
    if (f->kind == MR_FAULT_NETWORK_PARTITION && f->peer != MR_SC_NONE) {
        /* Both sides of a partition between regions count it. */
        fc->peer = (int64_t)f->peer;
        fc->cand[fc->ncand++] = fc->peer;
        fc->pick = fc->ncand;
    }
    fc->invert = f->invert;
    fc->severity = f->severity;
    fc->ramp = f->ramp;
    fc->ramp_from = f->ramp_from;
    fc->ramp_to = f->ramp_to;
    fc->ramp_over = f->ramp_over;
    fc->duration = f->duration;
    fc->after = -1;
    switch (f->timing) {
    case MR_TIMING_AT:
        fc->timing = MR_FT_AT;
        fc->at = f->at;
        break;
    case MR_TIMING_STOCHASTIC:
        fc->timing = MR_FT_MTBF;
        /* SCENARIO.md: mtbf is the mean up time, exponential. */
        mr_dist_exponential(&fc->mtbf, (double)f->mtbf);
        fc->mttr = f->mttr;
        break;
    case MR_TIMING_REPEAT:
        fc->timing = MR_FT_REPEAT;
        fc->every = f->every;
        fc->count = f->count;
        fc->jitter = f->jitter;
        break;
    case MR_TIMING_AFTER:
        fc->timing = MR_FT_AFTER;
        fc->after = (int64_t)f->after;
        fc->delay = f->delay;
        break;
    }
}

/* The region a resolver pool sits near, for performance routing: that of
 * the first client population behind it (-1 when none uses it). */
static int64_t resolver_origin(const mr_scenario *sc, size_t pool)
{
    for (size_t c = 0; c < sc->nclients; c++)
        if (sc->clients[c].resolver == pool)
            return (int64_t)sc->clients[c].origin;
    return -1;
}

static int add(mr_sim *sim, const char *kind, const char *name, const void *cfg, mr_diag *diag)
{
    return mr_sim_add(sim, mr_model_find(kind), name, cfg, diag, NULL);
}

/* Aggregate fidelity: the traffic layer's quiescent probes sleep and it
 * tells the aggregate clients (the first population, the hub) of every
 * verdict. */
static int aggregate(const mr_scenario *sc)
{
    return sc->run.fidelity == MR_FIDELITY_AGGREGATE && sc->nclients > 0;
}

/* A single-primary store (sql, redis, blob) from its scenario entry. */
static int add_store(mr_sim *sim, const mr_scenario *sc, size_t i, mr_diag *diag)
{
    static const char *const kinds[] = {[MR_STORE_SQL] = "sql",
                                        [MR_STORE_COSMOS] = "cosmos",
                                        [MR_STORE_REDIS] = "redis",
                                        [MR_STORE_BLOB] = "blob"};
    const mr_sc_datastore *d = &sc->datastores[i];
    char name[160];
    snprintf(name, sizeof name, "data/%s", d->name);
    int64_t planned = 0;
    for (size_t f = 0; f < sc->nfaults && f < 63; f++)
        if (sc->faults[f].kind == MR_FAULT_DATASTORE_FAILOVER &&
            sc->faults[f].failover_mode == MR_FAILOVER_PARAM_PLANNED)
            planned |= (int64_t)1 << f;
    if (d->kind == MR_STORE_COSMOS) {
        mr_cosmos_cfg co = {.nregions = (int64_t)sc->nregions,
                            .rtt = sc->rtt,
                            .n = (int64_t)d->regions.n,
                            .consistency = d->consistency,
                            .k_versions = d->bounded_versions,
                            .t_bound = d->bounded_time,
                            .keys = d->keys,
                            .zipf = d->zipf,
                            .bytes_per_write = sc->cost.bytes_per_write,
                            .lag = d->lag,
                            .sample = d->lag_sample,
                            .mode = d->failover.mode == MR_FAILOVER_MANUAL ? MR_SFO_MANUAL
                                                                           : MR_SFO_AUTOMATIC,
                            .duration = d->failover.duration,
                            .planned_mask = planned,
                            .warmup = sc->run.warmup};
        for (size_t r = 0; r < d->regions.n; r++) {
            co.region[r] = (int64_t)d->regions.v[r];
            for (size_t w = 0; w < d->write_regions.n; w++)
                co.writable[r] |= d->write_regions.v[w] == d->regions.v[r];
        }
        return add(sim, "cosmos", name, &co, diag);
    }
    mr_pstore_cfg cfg = {.nregions = (int64_t)sc->nregions,
                         .rtt = sc->rtt,
                         .primary = (int64_t)d->primary,
                         .nreplicas = (int64_t)d->nreplicas,
                         .lag = d->lag,
                         .sample = d->lag_sample,
                         .mode = d->failover.mode == MR_FAILOVER_MANUAL ? MR_SFO_MANUAL
                                                                        : MR_SFO_AUTOMATIC,
                         /* Rule 5 for SQL; a Microsoft-managed blob failover has no
                          * published delay, so it takes the decision distribution. */
                         .grace = d->kind == MR_STORE_SQL ? d->failover.grace : 0,
                         .decision = d->failover.decision,
                         .duration = d->failover.duration,
                         /* SQL clients follow the listener's CNAME (rule 3); the others
                          * are repointed with the switch. */
                         .route_ttl = d->kind == MR_STORE_SQL ? d->listener_ttl : 0,
                         .bytes_per_write = sc->cost.bytes_per_write,
                         .hit_ratio = d->hit_ratio,
                         .warm_up = d->warm_up,
                         .warmup = sc->run.warmup};
    for (size_t r = 0; r < d->nreplicas; r++) {
        cfg.replica[r] = (int64_t)d->replicas[r].region;
        /* RA-GRS makes the blob secondary readable (REFERENCE.md §8). */
        cfg.readable[r] = d->replicas[r].readable ||
                          (d->kind == MR_STORE_BLOB && d->redundancy == MR_REDUNDANCY_RA_GRS);
    }
    cfg.planned_mask = planned;
    return add(sim, kinds[d->kind], name, &cfg, diag);
}

/* Every traffic kind's view of its endpoints: cluster component ids,
 * priorities and, where the kind has them (weight, rtt not NULL), weights
 * and the round trip from each region to each endpoint's region. */
static void endpoints(const mr_scenario *sc, const layout *l, int64_t *cluster, int64_t *priority,
                      double *weight, mr_time (*rtt)[MR_MAX_ENDPOINTS])
{
    const mr_sc_traffic *t = &sc->traffic;
    for (size_t e = 0; e < t->nendpoints; e++) {
        const mr_sc_endpoint *ep = &t->endpoints[e];
        cluster[e] = l->cluster0 + (int64_t)ep->cluster;
        priority[e] = ep->priority;
        if (weight)
            weight[e] = ep->weight;
        for (size_t r = 0; rtt && r < sc->nregions; r++)
            rtt[r][e] = sc->rtt[r * sc->nregions + sc->clusters[ep->cluster].region];
    }
}

/* The traffic layer, of the scenario's kind, as component "traffic". The
 * failover policy's probes trigger hears of every health verdict. */
static int add_traffic(const mr_scenario *sc, const layout *l, mr_sim *sim, mr_diag *diag)
{
    const mr_sc_traffic *t = &sc->traffic;
    int64_t watcher = sc->failover.present && sc->failover.trigger == MR_TRIGGER_PROBES
                          ? (int64_t)l->failover
                          : -1;
    if (t->kind == MR_TRAFFIC_FRONT_DOOR) {
        mr_fd_cfg cfg = {.n = (int64_t)t->nendpoints,
                         .pops = t->pops,
                         .interval = t->probe.interval,
                         .timeout = t->probe.timeout,
                         .sample_size = t->probe.sample_size,
                         .required = t->probe.successful_samples_required,
                         .additional_latency = t->additional_latency,
                         .retry_next = t->retry_next_origin,
                         .watcher = watcher,
                         .lazy = aggregate(sc),
                         .listener = l->clients0};
        endpoints(sc, l, cfg.cluster, cfg.priority, cfg.weight, cfg.rtt);
        return add(sim, "front_door", "traffic", &cfg, diag);
    }
    if (t->kind == MR_TRAFFIC_DNS) {
        mr_dns_cfg cfg = {.n = (int64_t)t->nendpoints,
                          .ttl = t->ttl,
                          .operator_delay = t->operator_delay,
                          .watcher = watcher,
                          .lazy = aggregate(sc),
                          .listener = l->clients0};
        endpoints(sc, l, cfg.cluster, cfg.priority, NULL, NULL);
        return add(sim, "dns", "traffic", &cfg, diag);
    }
    mr_tm_cfg cfg = {.n = (int64_t)t->nendpoints,
                     .routing = t->routing == MR_ROUTING_WEIGHTED      ? MR_TM_WEIGHTED
                                : t->routing == MR_ROUTING_PERFORMANCE ? MR_TM_PERFORMANCE
                                                                       : MR_TM_PRIORITY,
                     .interval = t->probe.interval,
                     .timeout = t->probe.timeout,
                     .tolerated = t->probe.tolerated_failures,
                     .ttl = t->ttl,
                     .locations = t->probe.locations,
                     .quorum = t->probe.quorum,
                     .watcher = watcher + 1, /* its watcher is id + 1, 0 none */
                     .lazy = aggregate(sc),
                     .listener = l->clients0};
    endpoints(sc, l, cfg.cluster, cfg.priority, cfg.weight, cfg.rtt);
    return add(sim, "traffic_manager", "traffic", &cfg, diag);
}

int mr_build(const mr_scenario *sc, uint64_t seed, uint64_t rep, mr_sim **out, mr_diag *diag)
{
    int rc = mr_build_check(sc, diag);
    if (rc != MR_OK)
        return rc;
    layout l = layout_of(sc);
    mr_sim *sim = mr_sim_new(seed, rep);
    mr_sim_set_horizon(sim, sc->run.horizon);

    char name[160];
    for (size_t i = 0; i < sc->nregions && rc == MR_OK; i++) {
        mr_region_cfg cfg = {.zones = sc->regions[i].zones > 0 ? sc->regions[i].zones : 1};
        snprintf(name, sizeof name, "regions/%s", sc->regions[i].name);
        rc = add(sim, "region", name, &cfg, diag);
    }
    for (size_t i = 0; i < sc->nclusters && rc == MR_OK; i++) {
        const mr_sc_cluster *c = &sc->clusters[i];
        int64_t size = standby_size(c);
        mr_cluster_cfg cfg = {.region = (int64_t)c->region,
                              .nodes = size,
                              .per_node = c->pods.per_node,
                              /* A hot standby is kept at full size; a warm or
                               * cold one at its standby size until the failover
                               * policy scales it. */
                              .min = c->role == MR_ROLE_ACTIVE ? c->nodes.min : size,
                              .max = c->nodes.max,
                              .target_utilization = c->autoscaler.target_utilization,
                              .startup = c->pods.startup,
                              .provision = c->autoscaler.node_provision,
                              .nzones = c->nzones > 0 ? (int64_t)c->nzones : 1,
                              .rps_per_pod = c->pods.rps_per_pod,
                              .service_time = c->service_time,
                              .ingress_latency = c->ingress.latency};
        for (size_t z = 0; z < c->nzones && z < MR_MAX_ZONES; z++)
            cfg.zone[z] = c->zones[z];
        for (size_t d = 0; d < sc->ndependencies; d++) {
            if (!uses(&sc->dependencies[d], i) || cfg.ndeps >= MR_MAX_DEPS)
                continue;
            cfg.dep[cfg.ndeps] = l.dep0 + (int64_t)d;
            cfg.dep_for[cfg.ndeps] = sc->dependencies[d].needed_for == MR_NEEDED_FOR_POD_START
                                         ? MR_DEP_FOR_POD_START
                                         : MR_DEP_FOR_REQUESTS;
            cfg.ndeps++;
        }
        snprintf(name, sizeof name, "clusters/%s", c->name);
        rc = add(sim, "cluster", name, &cfg, diag);
    }
    if (rc == MR_OK)
        rc = add_traffic(sc, &l, sim, diag);
    int64_t resolvers = 0;
    for (size_t i = 0; i < sc->nresolvers && rc == MR_OK; i++) {
        const mr_sc_resolver *r = &sc->resolvers[i];
        mr_resolver_cfg cfg = {.tm = l.tm,
                               .origin = resolver_origin(sc, i),
                               .count = r->count,
                               .npol = (int64_t)r->npolicies};
        if (r->npolicies > MR_MAX_TTL_POLICIES) {
            unsupported(diag, &r->mark, &rc, "more than 4 TTL policies in one resolver pool");
            break;
        }
        for (size_t p = 0; p < r->npolicies; p++) {
            const mr_sc_ttl_policy *sp = &r->policies[p];
            cfg.pol[p] = (mr_ttl_policy){.share = sp->share,
                                         .mode = sp->mode == MR_TTL_FLOOR   ? MR_RES_FLOOR
                                                 : sp->mode == MR_TTL_EXTRA ? MR_RES_EXTRA
                                                                            : MR_RES_HONOR,
                                         .min_ttl = sp->min_ttl,
                                         .hold = sp->hold};
        }
        snprintf(name, sizeof name, "resolvers/%s", r->name);
        rc = add(sim, "resolver", name, &cfg, diag);
        resolvers += r->count;
    }
    if (rc == MR_OK) {
        mr_slo_cfg cfg = {.window = sc->slo.window,
                          .warmup = sc->run.warmup,
                          .horizon = sc->run.horizon,
                          .stable_for = sc->slo.stable_for,
                          .success_target = sc->slo.success_target,
                          .resolvers = resolvers > 0 ? resolvers : 1,
                          .aggregate = sc->run.fidelity == MR_FIDELITY_AGGREGATE};
        rc = add(sim, "slo", "slo", &cfg, diag);
    }
    for (size_t i = 0; i < sc->nclients && rc == MR_OK; i++) {
        const mr_sc_client *c = &sc->clients[i];
        int64_t base = 0;
        for (size_t r = 0; r < c->resolver; r++)
            base += sc->resolvers[r].count;
        mr_clients_cfg cfg = {.resolver = l.resolver0 + (int64_t)c->resolver,
                              .traffic = l.tm,
                              .origin = (int64_t)c->origin,
                              .slo = l.slo,
                              .res_base = base,
                              .rate = c->rate,
                              .profile = c->profile.kind == MR_PROFILE_DIURNAL ? MR_CL_DIURNAL
                                                                               : MR_CL_CONST,
                              .peak = c->profile.peak,
                              .trough = c->profile.trough,
                              .peak_at = c->profile.peak_at,
                              .read = c->read,
                              .timeout = c->timeout,
                              .attempts = c->retry.attempts,
                              .backoff = c->retry.backoff,
                              .runtime_cache = c->runtime_cache == MR_CACHE_JAVA     ? MR_RUNTIME_JAVA
                                               : c->runtime_cache == MR_CACHE_CHROME ? MR_RUNTIME_CHROME
                                                                                     : MR_RUNTIME_NONE};
        for (size_t r = 0; r < sc->nregions; r++)
            cfg.rtt[r] = sc->rtt[c->origin * sc->nregions + r];
        cfg.pop = (int64_t)i;
        cfg.nuses = (int64_t)c->uses.n;
        for (size_t u = 0; u < c->uses.n; u++)
            cfg.uses[u] = l.store0 + (int64_t)c->uses.v[u];
        if (c->stamp != MR_SC_NONE) {
            cfg.home = stamp_origins(sc, c->stamp);
            for (size_t f = 0; f < c->fallback.n; f++)
                cfg.fallback |= stamp_origins(sc, c->fallback.v[f]);
        }
        snprintf(name, sizeof name, "clients/%s", c->name);
        rc = add(sim, aggregate(sc) ? "clients_agg" : "clients", name, &cfg, diag);
    }
    if (rc == MR_OK) {
        mr_faults_cfg cfg = {.slo = l.slo, .n = (int64_t)sc->nfaults};
        /* The DNS operator learns of every fault as it happens. */
        if (sc->traffic.kind == MR_TRAFFIC_DNS)
            cfg.watcher[cfg.nwatch++] = l.tm;
        if (aggregate(sc)) /* the hub re-reads the world at every start and end */
            cfg.watcher[cfg.nwatch++] = l.clients0;
        for (size_t i = 0; i < sc->nfaults; i++)
            fault_cfg(sc, &sc->faults[i], &l, &cfg.f[i]);
        cfg.nstores = (int64_t)sc->ndatastores;
        for (size_t d = 0; d < sc->ndatastores; d++)
            cfg.store[d] = l.store0 + (int64_t)d;
        if (sc->failover.present && sc->failover.trigger == MR_TRIGGER_OPERATOR)
            cfg.watcher[cfg.nwatch++] = l.failover;
        rc = add(sim, "faults", "faults", &cfg, diag);
    }
    for (size_t i = 0; i < sc->ndatastores && rc == MR_OK; i++)
        rc = add_store(sim, sc, i, diag);
    for (size_t i = 0; i < sc->ndependencies && rc == MR_OK; i++) {
        const mr_sc_dependency *d = &sc->dependencies[i];
        mr_dep_cfg cfg = {.region = d->region == MR_SC_NONE ? -1 : (int64_t)d->region};
        snprintf(name, sizeof name, "dependencies/%s", d->name);
        rc = add(sim, "dependency", name, &cfg, diag);
    }
    if (sc->failover.present && rc == MR_OK) {
        const mr_sc_failover *fo = &sc->failover;
        mr_failover_cfg cfg = {.trigger = fo->trigger == MR_TRIGGER_OPERATOR ? MR_FO_OPERATOR
                                                                             : MR_FO_PROBES,
                               .decision = fo->decision,
                               .nactions = (int64_t)fo->nactions,
                               .failback = fo->failback == MR_FAILBACK_AUTOMATIC ? MR_FB_AUTOMATIC
                                           : fo->failback == MR_FAILBACK_NONE    ? MR_FB_NONE
                                                                                 : MR_FB_MANUAL,
                               .failback_delay = fo->failback == MR_FAILBACK_AUTOMATIC
                                                     ? fo->failback_delay
                                                     : fo->failback_decision};
        for (size_t c = 0; c < sc->nclusters; c++)
            if (sc->clusters[c].role == MR_ROLE_ACTIVE)
                cfg.active[cfg.nactive++] = l.cluster0 + (int64_t)c;
        for (size_t a = 0; a < fo->nactions; a++) {
            const mr_sc_action *act = &fo->actions[a];
            cfg.act[a] = act->promote ? MR_ACT_PROMOTE : MR_ACT_SCALE;
            if (act->promote) {
                cfg.target[a] = store_id(sc, act->target);
            } else {
                cfg.target[a] = l.cluster0 + (int64_t)act->target;
                cfg.to[a] = act->to;
                cfg.back_to[a] = standby_size(&sc->clusters[act->target]);
            }
        }
        rc = add(sim, "failover", "failover", &cfg, diag);
    }
    if (rc == MR_OK)
        rc = mr_sim_start(sim, diag);
    if (rc != MR_OK) {
        mr_sim_free(sim);
        return rc;
    }
    *out = sim;
    return MR_OK;
}
