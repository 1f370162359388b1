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
#include <stdio.h>
#include <string.h>

#include "../../models/world.h"
#include "mrsim/build.h"
#include "mrsim/error.h"

static void unsupported(mr_diag *diag, const mr_mark *mark, int *rc, const char *what)
{
    mr_diag_error(diag, mark, "%s is not simulated by this version of mrsim yet", what);
    *rc = MR_ESCENARIO;
}

int mr_build_check(const mr_scenario *sc, mr_diag *diag)
{
    int rc = MR_OK;
    char what[160];
    if (sc->run.fidelity != MR_FIDELITY_REQUEST)
        unsupported(diag, &sc->run.mark, &rc, "run.fidelity: aggregate");
    if (sc->traffic.kind != MR_TRAFFIC_TRAFFIC_MANAGER) {
        snprintf(what, sizeof what, "traffic.kind: %s (only traffic_manager for now)",
                 mr_traffic_kind_names[sc->traffic.kind]);
        unsupported(diag, &sc->traffic.mark, &rc, what);
    }
    if (sc->traffic.routing == MR_ROUTING_PERFORMANCE)
        unsupported(diag, &sc->traffic.mark, &rc, "traffic.routing: performance");
    if (sc->traffic.nendpoints > MR_MAX_ENDPOINTS)
        unsupported(diag, &sc->traffic.mark, &rc, "more than 16 traffic endpoints");
    if (sc->nregions > MR_MAX_REGIONS)
        unsupported(diag, &sc->regions[0].mark, &rc, "more than 32 regions");
    for (size_t i = 0; i < sc->ndependencies; i++)
        unsupported(diag, &sc->dependencies[i].mark, &rc, "a shared dependency");
    for (size_t i = 0; i < sc->ndatastores; i++) {
        snprintf(what, sizeof what, "data store '%s' (kind %s)", sc->datastores[i].name,
                 mr_store_kind_names[sc->datastores[i].kind]);
        unsupported(diag, &sc->datastores[i].mark, &rc, what);
    }
    for (size_t i = 0; i < sc->nstamps; i++)
        unsupported(diag, &sc->stamps[i].mark, &rc, "a deployment stamp");
    if (sc->failover.present)
        unsupported(diag, &sc->failover.mark, &rc, "a failover policy");
    for (size_t i = 0; i < sc->nclusters; i++) {
        const mr_sc_cluster *c = &sc->clusters[i];
        if (c->role == MR_ROLE_STANDBY && c->standby != MR_STANDBY_HOT) {
            snprintf(what, sizeof what, "cluster '%s': standby %s (only hot for now)", c->name,
                     mr_standby_names[c->standby]);
            unsupported(diag, &c->mark, &rc, what);
        }
    }
    for (size_t i = 0; i < sc->nclients; i++) {
        const mr_sc_client *c = &sc->clients[i];
        if (c->uses.n > 0)
            unsupported(diag, &c->uses.mark, &rc, "clients using data stores");
        if (c->stamp != MR_SC_NONE)
            unsupported(diag, &c->mark, &rc, "clients pinned to a stamp");
        if (c->resolver == MR_SC_NONE)
            unsupported(diag, &c->mark, &rc, "clients without a resolver");
    }
    if (sc->nfaults > MR_MAX_FAULTS)
        unsupported(diag, &sc->faults[0].mark, &rc, "more than 32 faults");
    for (size_t i = 0; i < sc->nfaults; i++) {
        const mr_sc_fault *f = &sc->faults[i];
        if (f->kind != MR_FAULT_REGION_OUTAGE && f->kind != MR_FAULT_CLUSTER_FAILURE) {
            snprintf(what, sizeof what, "fault '%s' of kind %s (only region_outage and "
                                        "cluster_failure for now)",
                     f->name, mr_fault_kind_name(f->kind));
            unsupported(diag, &f->mark, &rc, what);
        } else if (f->target.selector) {
            snprintf(what, sizeof what, "fault '%s': a target selector", f->name);
            unsupported(diag, &f->target.mark, &rc, what);
        } else if (f->timing != MR_TIMING_AT && f->timing != MR_TIMING_STOCHASTIC) {
            snprintf(what, sizeof what, "fault '%s': timing by %s", f->name,
                     mr_timing_names[f->timing]);
            unsupported(diag, &f->mark, &rc, what);
        } else if (f->ramp || f->severity < 1) {
            snprintf(what, sizeof what, "fault '%s': a partial fault (severity, ramp)", f->name);
            unsupported(diag, &f->mark, &rc, what);
        }
    }
    return rc;
}

/* Component ids, in the order mr_build adds them. */
typedef struct layout {
    uint32_t cluster0, tm, resolver0, slo, clients0, faults;
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
    return l;
}

static int add(mr_sim *sim, const char *kind, const char *name, const void *cfg, mr_diag *diag)
{
    return mr_sim_add(sim, mr_model_find(kind), name, cfg, diag, NULL);
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
        mr_cluster_cfg cfg = {.region = (int64_t)c->region,
                              .nodes = c->nodes.count,
                              .pods = (int64_t)c->nodes.count * c->pods.per_node,
                              .rps_per_pod = c->pods.rps_per_pod,
                              .service_time = c->service_time,
                              .ingress_latency = c->ingress.latency};
        snprintf(name, sizeof name, "clusters/%s", c->name);
        rc = add(sim, "cluster", name, &cfg, diag);
    }
    if (rc == MR_OK) {
        const mr_sc_traffic *t = &sc->traffic;
        mr_tm_cfg cfg = {.n = (int64_t)t->nendpoints,
                         .routing = t->routing == MR_ROUTING_WEIGHTED ? MR_TM_WEIGHTED
                                                                      : MR_TM_PRIORITY,
                         .interval = t->probe.interval,
                         .timeout = t->probe.timeout,
                         .tolerated = t->probe.tolerated_failures,
                         .ttl = t->ttl};
        for (size_t e = 0; e < t->nendpoints; e++) {
            cfg.cluster[e] = l.cluster0 + (int64_t)t->endpoints[e].cluster;
            cfg.priority[e] = t->endpoints[e].priority;
            cfg.weight[e] = t->endpoints[e].weight;
        }
        rc = add(sim, "traffic_manager", "traffic", &cfg, diag);
    }
    int64_t resolvers = 0;
    for (size_t i = 0; i < sc->nresolvers && rc == MR_OK; i++) {
        const mr_sc_resolver *r = &sc->resolvers[i];
        mr_resolver_cfg cfg = {.tm = l.tm, .count = r->count, .npol = (int64_t)r->npolicies};
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
                          .resolvers = resolvers > 0 ? resolvers : 1};
        rc = add(sim, "slo", "slo", &cfg, diag);
    }
    for (size_t i = 0; i < sc->nclients && rc == MR_OK; i++) {
        const mr_sc_client *c = &sc->clients[i];
        int64_t base = 0;
        for (size_t r = 0; r < c->resolver; r++)
            base += sc->resolvers[r].count;
        mr_clients_cfg cfg = {.resolver = l.resolver0 + (int64_t)c->resolver,
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
        snprintf(name, sizeof name, "clients/%s", c->name);
        rc = add(sim, "clients", name, &cfg, diag);
    }
    if (rc == MR_OK) {
        mr_faults_cfg cfg = {.slo = l.slo, .n = (int64_t)sc->nfaults};
        for (size_t i = 0; i < sc->nfaults; i++) {
            const mr_sc_fault *f = &sc->faults[i];
            mr_fault_cfg *fc = &cfg.f[i];
            fc->kind = f->kind;
            fc->target = f->kind == MR_FAULT_REGION_OUTAGE ? (int64_t)f->target.index
                                                           : l.cluster0 + (int64_t)f->target.index;
            if (f->timing == MR_TIMING_AT) {
                fc->timing = MR_FT_AT;
                fc->at = f->at;
                fc->duration = f->duration;
            } else {
                fc->timing = MR_FT_MTBF;
                /* SCENARIO.md: mtbf is the mean up time, exponential. */
                mr_dist_exponential(&fc->mtbf, (double)f->mtbf);
                fc->mttr = f->mttr;
            }
        }
        rc = add(sim, "faults", "faults", &cfg, diag);
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
