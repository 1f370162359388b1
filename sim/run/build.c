/* sim/run/build.c: scenario -> components of one replication. Component
 * ids are assigned in a fixed order (regions first, so a region's id is its
 * index, then clusters, the traffic layer, resolver pools, the SLO
 * collector, client populations, the fault injector). Names are the
 * scenario's under their section ("regions/westeurope", "clusters/aks-weu";
 * names are unique only within a kind), so each component's random stream
 * depends only on the seed, the replication and what it is (docs/model.md
 * "Random numbers").
 * What this build cannot simulate yet is refused by mr_build_check with
 * the part named, located in the file. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/cfg/clients.h"
#include "mrsim/cfg/cluster.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/cfg/faults.h"
#include "mrsim/cfg/region.h"
#include "mrsim/cfg/resolver.h"
#include "mrsim/cfg/slo.h"
#include "mrsim/alloc.h"
#include "mrsim/cfg/store.h"
#include "mrsim/cfg/traffic.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "mrsim/error.h"

static void unsupported(mr_diag *diag, const mr_mark *mark, int *rc, const char *what)
{
    mr_diag_error(diag, mark, "%s is not simulated by this version of mrsim yet", what);
    *rc = MR_ESCENARIO;
}

/* How the traffic layer detects a failed endpoint (mr_model.detect), and
 * whether it is a proxy in the request path (Front Door): one that routes
 * each request itself, so its entry points are its edges and it has no DNS
 * record to cache. */
static mr_model_detect traffic_detect(const mr_scenario *sc)
{
    const mr_model *m = sc->traffic.model;
    mr_model_detect d = {0};
    if (m != NULL && m->detect != NULL)
        m->detect(sc->traffic.cfg, &d);
    return d;
}

static int traffic_is_proxy(const mr_scenario *sc)
{
    return traffic_detect(sc).edges > 0;
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
    if (f->kind == MR_FAULT_DNS_MISCONFIG && traffic_is_proxy(sc)) {
        snprintf(what, sizeof what,
                 "fault '%s': dns_misconfig with %s (its record has no TTL here)", f->name,
                 sc->traffic.model->kind);
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
    /* Disabling a stamp's origin would strand the populations pinned to it
     * without a fallback (Front Door has no origin for them): which origin
     * an operator may disable then depends on each population's stamps. */
    if (fo->runbook && fo->disable_endpoint && sc->nstamps > 0)
        unsupported(diag, &fo->runbook_mark, rc,
                    "failover.runbook with deployment stamps (disabling a stamp's origin)");
}

/* Stamps are routed by Front Door (each population to its home stamp's
 * origins); a population may fall back only to a stamp that holds a copy
 * of every store it uses (docs/model.md "Topologies"). */
static void check_stamps(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    char what[200];
    if (sc->nstamps == 0)
        return;
    if (!traffic_is_proxy(sc)) {
        snprintf(what, sizeof what,
                 "deployment stamps behind %s (only a proxy such as front_door routes "
                 "populations to their stamps here)",
                 sc->traffic.model ? sc->traffic.model->kind : "no traffic layer");
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
 * one runtime view per (resolver, process): the populations behind one
 * resolver pool must share their runtime cache kind and processes. */
static void check_aggregate(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    char what[200];
    /* Store capacity is request fidelity's alone: a queue's wait and the
     * SDK's retries of a per-second budget are per request (docs/model.md
     * "Store capacity"). */
    for (size_t i = 0; i < sc->ndatastores; i++) {
        const mr_sc_datastore *d = &sc->datastores[i];
        if (d->cfg && ((const mr_store_base *)d->cfg)->capacity) {
            snprintf(what, sizeof what,
                     "data store '%s': a capacity limit (ru_limit or max_rps) with "
                     "run.fidelity: aggregate",
                     d->name);
            unsupported(diag, &d->mark, rc, what);
        }
    }
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
            } else if (sc->clients[o].resolver == sc->clients[i].resolver &&
                       sc->clients[i].runtime_cache != MR_CACHE_NONE &&
                       sc->clients[o].processes != sc->clients[i].processes) {
                snprintf(what, sizeof what,
                         "clients '%s': another processes count than '%s' behind the same "
                         "resolvers with a runtime cache and run.fidelity: aggregate",
                         sc->clients[i].name, sc->clients[o].name);
                unsupported(diag, &sc->clients[i].mark, rc, what);
                break;
            }
}

/* The bounds of request fidelity (MR_MAX_INFLIGHT, MR_MAX_REQUESTS): each
 * reported once, at the client that passes it. */
static void check_inflight(const mr_scenario *sc, mr_diag *diag, int *rc)
{
    double total = 0;
    for (size_t i = 0; i < sc->nclients; i++) {
        const mr_sc_client *c = &sc->clients[i];
        double peak = c->profile.kind == MR_PROFILE_DIURNAL ? c->profile.peak : 1;
        double backoff = c->retry.attempts > 1 ? mr_dist_mean(&c->retry.backoff) : 0;
        if (!isfinite(backoff))
            backoff = 0; /* a tail without a mean: the timeouts still bound it */
        double life = mr_time_to_s(c->timeout) + backoff / 1e9;
        total += c->rate * peak * life * (c->retry.attempts > 0 ? c->retry.attempts : 1);
        if (total > MR_MAX_INFLIGHT) {
            mr_diag_error(diag, &c->mark,
                          "clients[%zu] '%s': at request fidelity up to %.3g requests can be "
                          "in flight (rate x peak x (timeout + backoff) x attempts, over every "
                          "client so far), more than the limit of %.0f (memory); lower the "
                          "rate or use run.fidelity: aggregate",
                          i, c->name, total, MR_MAX_INFLIGHT);
            *rc = MR_ESCENARIO;
            return;
        }
    }
    double requests = 0, horizon = mr_time_to_s(sc->run.horizon);
    for (size_t i = 0; i < sc->nclients; i++) {
        requests += sc->clients[i].rate * horizon;
        if (requests > MR_MAX_REQUESTS) {
            mr_diag_error(diag, &sc->clients[i].mark,
                          "clients[%zu] '%s': at request fidelity a replication would simulate "
                          "about %.3g requests (rate x run.horizon, over every client so far), "
                          "more than the limit of %.0e (hours of CPU each); shorten the horizon "
                          "or use run.fidelity: aggregate",
                          i, sc->clients[i].name, requests, MR_MAX_REQUESTS);
            *rc = MR_ESCENARIO;
            return;
        }
    }
}

int mr_build_check(const mr_scenario *sc, mr_diag *diag)
{
    int rc = MR_OK;
    char what[160];
    if (sc->traffic.nendpoints > MR_MAX_ENDPOINTS)
        unsupported(diag, &sc->traffic.mark, &rc, "more than 16 traffic endpoints");
    if (sc->nregions > MR_MAX_REGIONS)
        unsupported(diag, &sc->regions[0].mark, &rc, "more than 32 regions");
    if (sc->ndatastores > MR_MAX_STORES)
        unsupported(diag, &sc->datastores[0].mark, &rc, "more than 16 data stores");
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
    for (size_t i = 0; i < sc->nresolvers; i++)
        if (sc->resolvers[i].npolicies > MR_MAX_TTL_POLICIES)
            unsupported(diag, &sc->resolvers[i].mark, &rc,
                        "more than 4 TTL policies in one resolver pool");
    for (size_t i = 0; i < sc->nclients; i++) {
        const mr_sc_client *c = &sc->clients[i];
        if (c->uses.n > MR_MAX_USES)
            unsupported(diag, &c->uses.mark, &rc, "clients using more than 8 data stores");
        if (c->resolver == MR_SC_NONE)
            unsupported(diag, &c->mark, &rc, "clients without a resolver");
    }
    if (sc->run.fidelity == MR_FIDELITY_AGGREGATE)
        check_aggregate(sc, diag, &rc);
    else
        check_inflight(sc, diag, &rc);
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
    uint32_t region0, cluster0, ingress0, tm, resolver0, slo, clients0, faults, store0, dep0, failover;
} layout;

static layout layout_of(const mr_scenario *sc)
{
    layout l;
    l.region0 = 0;
    l.cluster0 = (uint32_t)sc->nregions;
    l.tm = l.cluster0 + (uint32_t)sc->nclusters;
    l.resolver0 = l.tm + 1;
    l.slo = l.resolver0 + (uint32_t)sc->nresolvers;
    l.clients0 = l.slo + 1;
    l.faults = l.clients0 + (uint32_t)sc->nclients;
    l.store0 = l.faults + 1;
    l.dep0 = l.store0 + (uint32_t)sc->ndatastores;
    l.failover = sc->failover.present ? l.dep0 + (uint32_t)sc->ndependencies : UINT32_MAX;
    /* The clusters' ingresses come last, so that adding them moved no other
     * component's id (nor the order of their events at equal times). */
    l.ingress0 = l.dep0 + (uint32_t)sc->ndependencies + (sc->failover.present ? 1 : 0);
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

uint32_t mr_build_cluster_id(const mr_scenario *sc, size_t c)
{
    assert(c < sc->nclusters);
    return layout_of(sc).cluster0 + (uint32_t)c;
}

uint32_t mr_build_resolver_id(const mr_scenario *sc, size_t p)
{
    assert(p < sc->nresolvers);
    return layout_of(sc).resolver0 + (uint32_t)p;
}

uint32_t mr_build_traffic_id(const mr_scenario *sc)
{
    return layout_of(sc).tm;
}

uint32_t mr_build_faults_id(const mr_scenario *sc)
{
    return layout_of(sc).faults;
}

/* The node count a cluster starts with and returns to at failback: an
 * active cluster or a hot standby runs nodes.count; a warm standby
 * nodes.min; a cold one none. */
int64_t mr_build_standby_size(const mr_sc_cluster *c)
{
    if (c->role == MR_ROLE_ACTIVE || c->standby == MR_STANDBY_HOT)
        return c->nodes.count;
    return c->standby == MR_STANDBY_WARM ? c->nodes.min : 0;
}

/* The component id of a fault target's candidate scenario index. */
static int64_t target_id(const mr_sc_fault *f, const layout *l, size_t index)
{
    /* An ingress failure names the cluster; it hits the cluster's ingress. */
    if (f->kind == MR_FAULT_INGRESS_FAILURE)
        return l->ingress0 + (int64_t)index;
    switch (f->target.kind) {
    case MR_TARGET_REGION:
        return (int64_t)(l->region0 + index);
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
    fc->side[0] = fc->side[1] = -1;
    if (f->kind == MR_FAULT_NETWORK_PARTITION) {
        /* The regions on either side, by index (-1: the clients). */
        fc->side[0] = n > 0 ? (int64_t)idx[0] : -1;
        fc->side[1] = f->peer != MR_SC_NONE ? (int64_t)f->peer : -1;
    }
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
        /* docs/scenario-format.md: mtbf is the mean up time, exponential. */
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

/* A data store of any kind: the kind's cfg as the binder left it (its keys
 * and its copies), with this replication's links filled in its base. */
static int add_store(mr_sim *sim, const mr_scenario *sc, const layout *l, size_t i, mr_diag *diag)
{
    const mr_sc_datastore *d = &sc->datastores[i];
    const mr_model *m = d->model;
    char name[160];
    snprintf(name, sizeof name, "data/%s", d->name);
    mr_store_base *base = mr_xmalloc(m->cfg_size);
    memcpy(base, d->cfg, m->cfg_size);
    base->nregions = (int64_t)sc->nregions;
    base->rtt = sc->rtt;
    for (size_t r = 0; r < sc->nregions && r < MR_MAX_REGIONS; r++)
        base->region_id[r] = (int64_t)(l->region0 + r);
    base->planned_mask = 0;
    for (size_t f = 0; f < sc->nfaults && f < 63; f++)
        if (sc->faults[f].kind == MR_FAULT_DATASTORE_FAILOVER &&
            sc->faults[f].failover_mode == MR_FAILOVER_PARAM_PLANNED)
            base->planned_mask |= (int64_t)1 << f;
    base->warmup = sc->run.warmup;
    base->bytes_per_write = sc->cost.bytes_per_write;
    base->faults = (int64_t)l->faults;
    int rc = mr_sim_add(sim, m, name, base, diag, NULL);
    free(base);
    return rc;
}

/* What every traffic kind is handed: its endpoints (cluster component
 * ids, priorities, weights, the round trip from each region to each
 * endpoint's region) and its links. */
static mr_traffic_base traffic_base(const mr_scenario *sc, const layout *l)
{
    const mr_sc_traffic *t = &sc->traffic;
    mr_traffic_base b = {.n = (int64_t)t->nendpoints,
                         .watcher = sc->failover.present && sc->failover.trigger == MR_TRIGGER_PROBES
                                        ? (int64_t)l->failover
                                        : -1,
                         .faults = l->faults,
                         .lazy = aggregate(sc),
                         .listener = l->clients0};
    for (size_t e = 0; e < t->nendpoints; e++) {
        const mr_sc_endpoint *ep = &t->endpoints[e];
        b.cluster[e] = l->cluster0 + (int64_t)ep->cluster;
        b.priority[e] = ep->priority;
        b.weight[e] = ep->weight;
        for (size_t r = 0; r < sc->nregions; r++)
            b.rtt[r][e] = sc->rtt[r * sc->nregions + sc->clusters[ep->cluster].region];
    }
    return b;
}

/* The traffic layer, of the scenario's kind, as component "traffic": the
 * kind's cfg as the binder left it, with this replication's links in its
 * base. The failover policy's probes trigger hears of every verdict. */
static int add_traffic(const mr_scenario *sc, const layout *l, mr_sim *sim, mr_diag *diag)
{
    const mr_model *m = sc->traffic.model;
    mr_traffic_base *base = mr_xmalloc(m->cfg_size);
    memcpy(base, sc->traffic.cfg, m->cfg_size);
    mr_traffic_base links = traffic_base(sc, l);
    memcpy(base, &links, sizeof links);
    int rc = mr_sim_add(sim, m, "traffic", base, diag, NULL);
    free(base);
    return rc;
}

/* ---- One replication's components, family by family -----------------------------
 * Each add_* adds the components of one section in the order layout_of
 * gives their ids, and returns MR_OK or the first failure (after its
 * diagnostic). The builder decides who links to whom: every link is a
 * component id it hands over in a cfg. */

typedef struct builder {
    mr_sim *sim;
    const mr_scenario *sc;
    layout l;
    mr_diag *diag;
    char name[160];
} builder;

static int add_regions(builder *b)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    for (size_t i = 0; i < sc->nregions && rc == MR_OK; i++) {
        mr_region_cfg cfg = {.index = (int64_t)i,
                             .zones = sc->regions[i].zones > 0 ? sc->regions[i].zones : 1,
                             .faults = b->l.faults};
        snprintf(b->name, sizeof b->name, "regions/%s", sc->regions[i].name);
        rc = add(b->sim, "region", b->name, &cfg, b->diag);
    }
    return rc;
}

static int add_clusters(builder *b)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    for (size_t i = 0; i < sc->nclusters && rc == MR_OK; i++) {
        const mr_sc_cluster *c = &sc->clusters[i];
        int64_t size = mr_build_standby_size(c);
        mr_cluster_cfg cfg = {.region = (int64_t)(b->l.region0 + c->region),
                              .faults = b->l.faults,
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
                              .ingress = (int64_t)(b->l.ingress0 + i),
                              .cold_steps = c->cold.present,
                              .create = c->cold.create,
                              .image_pull = c->cold.image_pull};
        for (size_t z = 0; z < c->nzones && z < MR_MAX_ZONES; z++)
            cfg.zone[z] = c->zones[z];
        for (size_t d = 0; d < sc->ndependencies; d++) {
            if (!uses(&sc->dependencies[d], i) || cfg.ndeps >= MR_MAX_DEPS)
                continue;
            cfg.dep[cfg.ndeps] = b->l.dep0 + (int64_t)d;
            cfg.dep_for[cfg.ndeps] = sc->dependencies[d].needed_for;
            cfg.ndeps++;
        }
        snprintf(b->name, sizeof b->name, "clusters/%s", c->name);
        rc = add(b->sim, "cluster", b->name, &cfg, b->diag);
    }
    return rc;
}

/* Resolver pools; *count is the resolvers of them all (client RTO's). */
static int add_resolvers(builder *b, int64_t *count)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    *count = 0;
    for (size_t i = 0; i < sc->nresolvers && rc == MR_OK; i++) {
        const mr_sc_resolver *r = &sc->resolvers[i];
        mr_resolver_cfg cfg = {.tm = b->l.tm,
                               .origin = resolver_origin(sc, i),
                               .count = r->count,
                               .faults = b->l.faults,
                               .npol = (int64_t)r->npolicies};
        /* mr_build_check has refused more than MR_MAX_TTL_POLICIES. */
        for (size_t p = 0; p < r->npolicies && p < MR_MAX_TTL_POLICIES; p++) {
            const mr_sc_ttl_policy *sp = &r->policies[p];
            cfg.pol[p] = (mr_ttl_policy){.share = sp->share,
                                         .mode = sp->mode,
                                         .min_ttl = sp->min_ttl,
                                         .hold = sp->hold};
        }
        snprintf(b->name, sizeof b->name, "resolvers/%s", r->name);
        rc = add(b->sim, "resolver", b->name, &cfg, b->diag);
        *count += r->count;
    }
    return rc;
}

/* The client RTO group of (population p, its pool's first resolver):
 * the populations' pools laid end to end, in population order. */
static int64_t group_base(const mr_scenario *sc, size_t p)
{
    int64_t base = 0;
    for (size_t i = 0; i < p; i++)
        base += sc->resolvers[sc->clients[i].resolver].count;
    return base;
}

static int add_slo(builder *b, int64_t resolvers)
{
    const mr_scenario *sc = b->sc;
    int64_t groups = group_base(sc, sc->nclients);
    mr_slo_cfg cfg = {.groups = groups > 0 ? groups : 1,
                      .populations = (int64_t)sc->nclients,
                      .window = sc->slo.window,
                      .warmup = sc->run.warmup,
                      .horizon = sc->run.horizon,
                      .stable_for = sc->slo.stable_for,
                      .success_target = sc->slo.success_target,
                      .resolvers = resolvers > 0 ? resolvers : 1,
                      .aggregate = sc->run.fidelity == MR_FIDELITY_AGGREGATE};
    return add(b->sim, "slo", "slo", &cfg, b->diag);
}

static int add_clients(builder *b)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    for (size_t i = 0; i < sc->nclients && rc == MR_OK; i++) {
        const mr_sc_client *c = &sc->clients[i];
        int64_t base = 0;
        for (size_t r = 0; r < c->resolver; r++)
            base += sc->resolvers[r].count;
        mr_clients_cfg cfg = {.resolver = b->l.resolver0 + (int64_t)c->resolver,
                              .traffic = b->l.tm,
                              .origin = (int64_t)c->origin,
                              .slo = b->l.slo,
                              .faults = b->l.faults,
                              .res_base = base,
                              .group_base = group_base(sc, i),
                              .rate = c->rate,
                              .profile = c->profile.kind,
                              .peak = c->profile.peak,
                              .trough = c->profile.trough,
                              .peak_at = c->profile.peak_at,
                              .read = c->read,
                              .timeout = c->timeout,
                              .attempts = c->retry.attempts,
                              .backoff = c->retry.backoff,
                              .runtime_cache = c->runtime_cache,
                              .processes = c->processes};
        for (size_t r = 0; r < sc->nregions; r++)
            cfg.rtt[r] = sc->rtt[c->origin * sc->nregions + r];
        cfg.pop = (int64_t)i;
        cfg.nuses = (int64_t)c->uses.n;
        for (size_t u = 0; u < c->uses.n; u++)
            cfg.uses[u] = b->l.store0 + (int64_t)c->uses.v[u];
        if (c->stamp != MR_SC_NONE) {
            cfg.home = stamp_origins(sc, c->stamp);
            for (size_t f = 0; f < c->fallback.n; f++)
                cfg.fallback |= stamp_origins(sc, c->fallback.v[f]);
        }
        snprintf(b->name, sizeof b->name, "clients/%s", c->name);
        rc = add(b->sim, aggregate(sc) ? "clients_agg" : "clients", b->name, &cfg, b->diag);
    }
    return rc;
}

/* Whether the failover policy runs a runbook that disables endpoints. */
static int runbook(const mr_scenario *sc)
{
    return sc->failover.present && sc->failover.runbook && sc->failover.disable_endpoint;
}

static int add_faults(builder *b)
{
    const mr_scenario *sc = b->sc;
    const layout *l = &b->l;
    mr_faults_cfg cfg = {.slo = l->slo, .n = (int64_t)sc->nfaults};
    /* A layer an operator moves (plain DNS) learns of every fault as it
     * happens: its detection is the operator's. */
    if (traffic_detect(sc).dist != NULL)
        cfg.watcher[cfg.nwatch++] = l->tm;
    if (aggregate(sc)) /* the hub re-reads the world at every start and end */
        cfg.watcher[cfg.nwatch++] = l->clients0;
    for (size_t i = 0; i < sc->nfaults; i++)
        fault_cfg(sc, &sc->faults[i], l, &cfg.f[i]);
    cfg.nstores = (int64_t)sc->ndatastores;
    for (size_t d = 0; d < sc->ndatastores; d++)
        cfg.store[d] = l->store0 + (int64_t)d;
    /* The operator trigger and the runbook hear every fault's start and end. */
    if (sc->failover.present && (sc->failover.trigger == MR_TRIGGER_OPERATOR || runbook(sc)))
        cfg.watcher[cfg.nwatch++] = l->failover;
    return add(b->sim, "faults", "faults", &cfg, b->diag);
}

/* A shared dependency of any kind: the kind's cfg as the binder left it,
 * with its region's link. */
static int add_dependencies(builder *b)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    for (size_t i = 0; i < sc->ndependencies && rc == MR_OK; i++) {
        const mr_sc_dependency *d = &sc->dependencies[i];
        mr_dep_cfg *cfg = mr_xmalloc(d->model->cfg_size);
        memcpy(cfg, d->cfg, d->model->cfg_size);
        cfg->region = d->region == MR_SC_NONE ? -1 : (int64_t)(b->l.region0 + d->region);
        snprintf(b->name, sizeof b->name, "dependencies/%s", d->name);
        rc = mr_sim_add(b->sim, d->model, b->name, cfg, b->diag, NULL);
        free(cfg);
    }
    return rc;
}

/* Each cluster's regional ingress, of its kind, named after the cluster:
 * the kind's cfg as the binder left it, with the fault table's link. */
static int add_ingresses(builder *b)
{
    const mr_scenario *sc = b->sc;
    int rc = MR_OK;
    for (size_t i = 0; i < sc->nclusters && rc == MR_OK; i++) {
        const mr_sc_ingress *in = &sc->clusters[i].ingress;
        mr_ingress_cfg *cfg = mr_xmalloc(in->model->cfg_size);
        memcpy(cfg, in->cfg, in->model->cfg_size);
        cfg->faults = b->l.faults;
        snprintf(b->name, sizeof b->name, "clusters/%s/ingress", sc->clusters[i].name);
        rc = mr_sim_add(b->sim, in->model, b->name, cfg, b->diag, NULL);
        free(cfg);
    }
    return rc;
}

static int add_failover(builder *b)
{
    const mr_scenario *sc = b->sc;
    const mr_sc_failover *fo = &sc->failover;
    mr_failover_cfg cfg = {.trigger = fo->trigger,
                           .decision = fo->decision,
                           .nactions = (int64_t)fo->nactions,
                           .failback = fo->failback,
                           .failback_delay = fo->failback == MR_FAILBACK_AUTOMATIC
                                                 ? fo->failback_delay
                                                 : fo->failback_decision,
                           .runbook = runbook(sc),
                           .traffic = b->l.tm,
                           .detect = fo->detect,
                           .delay = fo->delay,
                           .success_target = sc->slo.success_target,
                           .window = sc->slo.window};
    for (size_t c = 0; c < sc->nclusters; c++)
        if (sc->clusters[c].role == MR_ROLE_ACTIVE)
            cfg.active[cfg.nactive++] = b->l.cluster0 + (int64_t)c;
    for (size_t a = 0; a < fo->nactions; a++) {
        const mr_sc_action *act = &fo->actions[a];
        cfg.act[a] = act->promote ? MR_ACT_PROMOTE : MR_ACT_SCALE;
        if (act->promote) {
            cfg.target[a] = store_id(sc, act->target);
        } else {
            cfg.target[a] = b->l.cluster0 + (int64_t)act->target;
            cfg.to[a] = act->to;
            cfg.back_to[a] = mr_build_standby_size(&sc->clusters[act->target]);
        }
    }
    return add(b->sim, "failover", "failover", &cfg, b->diag);
}

int mr_build(const mr_scenario *sc, uint64_t seed, uint64_t rep, mr_sim **out, mr_diag *diag)
{
    int rc = mr_build_check(sc, diag);
    if (rc != MR_OK)
        return rc;
    builder b = {.sim = mr_sim_new(seed, rep), .sc = sc, .l = layout_of(sc), .diag = diag};
    mr_sim_set_horizon(b.sim, sc->run.horizon);
    int64_t resolvers = 0;
    rc = add_regions(&b);
    if (rc == MR_OK)
        rc = add_clusters(&b);
    if (rc == MR_OK)
        rc = add_traffic(sc, &b.l, b.sim, diag);
    if (rc == MR_OK)
        rc = add_resolvers(&b, &resolvers);
    if (rc == MR_OK)
        rc = add_slo(&b, resolvers);
    if (rc == MR_OK)
        rc = add_clients(&b);
    if (rc == MR_OK)
        rc = add_faults(&b);
    for (size_t i = 0; i < sc->ndatastores && rc == MR_OK; i++)
        rc = add_store(b.sim, sc, &b.l, i, diag);
    if (rc == MR_OK)
        rc = add_dependencies(&b);
    if (rc == MR_OK && sc->failover.present)
        rc = add_failover(&b);
    if (rc == MR_OK)
        rc = add_ingresses(&b);
    if (rc == MR_OK)
        rc = mr_sim_start(b.sim, diag);
    if (rc != MR_OK) {
        mr_sim_free(b.sim);
        return rc;
    }
    *out = b.sim;
    return MR_OK;
}
