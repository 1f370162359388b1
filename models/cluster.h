/* models/cluster.h: private to models/: the state of regions,
 * shared dependencies and AKS clusters, and the questions other models ask
 * of them (is it up, does a probe pass, what share of requests fails).
 * A request's fate is computed when it arrives (one event per request), so
 * clients and probes read these states in place rather than by messages;
 * every change of state (a fault, a pod ready) is still an event of the
 * component that owns it.
 * Invariant: only the owner writes its state, except that clients offer
 * work to a cluster's FIFO queue, append-only in time order. */
#ifndef MRSIM_MODELS_CLUSTER_H
#define MRSIM_MODELS_CLUSTER_H

#include <stdint.h>

#include "fault_set.h"
#include "fifo.h"
#include "mrsim/sim.h"
#include "mrsim/cfg/cluster.h"
#include "mrsim/cfg/region.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/rng.h"

/* The first instant at or after now of a grid phase + k x interval
 * (probes, autoscaler scans, refreshes: every periodic activity). */
static inline mr_time mr__next_on_grid(mr_time phase, mr_time interval, mr_time now)
{
    if (now <= phase)
        return phase;
    return phase + (now - phase + interval - 1) / interval * interval;
}

/* ---- region ---------------------------------------------------------- */
typedef struct mr_region_state {
    int32_t index;       /* among the regions: what region-indexed arrays use */
    int32_t down;        /* outages in force; up when 0 */
    int32_t cut_clients; /* partitions between the clients and the region */
    int32_t cut[MR_MAX_REGIONS]; /* partitions between it and the region of index i */
    const mr_faults_cfg *faults; /* to read a partition's peer, a ramp */
    mr_fault_set partial; /* partial outages: that share of requests and probes fails */
} mr_region_state;

/* Whether traffic from clients whose origin is the region of index `from`
 * (-1: the clients' network, not a region) reaches region r. */
static inline int mr_region_reachable(const mr_region_state *r, int64_t from)
{
    return r->cut_clients == 0 && (from < 0 || r->cut[from] == 0);
}

/* ---- shared dependency ---------------------------------------------- */
typedef struct mr_dep_state {
    const mr_region_state *region; /* NULL: global */
    int32_t down;                  /* dependency_outage faults in force */
    uint64_t outages;
} mr_dep_state;

/* The shared machinery of the dependency kinds (dependency.c): each kind's
 * mr_model takes these slots, and differs in its SLA and its own keys (its
 * cfg begins with an mr_dep_cfg). */
int mr__dep_link(mr_component *self, mr_sim *sim, mr_diag *diag);
void mr__dep_handle(mr_component *self, mr_sim *sim, const mr_event *ev);
void mr__dep_report(const mr_component *self, mr_report *out);
void mr__dep_status(const mr_component *self, mr_report *out);

/* A dependency is up while none of its outages is in force and its region
 * (if it has one) is up. */
static inline int mr_dep_up(const mr_dep_state *d)
{
    return d->down == 0 && (d->region == NULL || d->region->down == 0);
}

/* ---- regional ingress (family "ingress": ingress.c, ingress_agc.c, ...) ---- */
typedef struct mr_ingress_state {
    int32_t down;         /* whole ingress failures in force */
    mr_fault_set partial; /* partial ones: that share of requests and probes fails */
    const mr_faults_cfg *faults;
    uint64_t failures;
} mr_ingress_state;

/* The shared machinery of the ingress kinds: each kind's mr_model takes
 * these slots and differs in its keys' defaults and its SLA. */
int mr__ingress_link(mr_component *self, mr_sim *sim, mr_diag *diag);
void mr__ingress_handle(mr_component *self, mr_sim *sim, const mr_event *ev);
void mr__ingress_report(const mr_component *self, mr_report *out);

/* ---- cluster ----------------------------------------------------------- */
/* Aggregate fidelity: the expected requests the hub's populations offer to
 * endpoint ep's cluster from the start to t, retries included (t at or
 * after the hub's last event: a later t projects the present routing), and
 * whether any population's rate varies in time (a daily profile). The hub
 * (models/clients_agg.c) hands them to the clusters when it registers, so a
 * cluster calls its load source without knowing it. */
typedef double (*mr_agg_offered_fn)(const mr_component *hub, uint32_t ep, mr_time t);
typedef int (*mr_agg_varies_fn)(const mr_component *hub);

typedef struct mr_cluster_zone {
    int32_t down;     /* zone outages in force */
    int32_t prov;     /* nodes provisioning */
    int32_t ready;    /* nodes ready */
    int32_t serving;  /* pods serving */
    int32_t starting; /* pods starting (a POD_READY pending) */
    int32_t waiting;  /* pods of ready nodes waiting to start (zone down, dependency down) */
    int32_t node_cancel, pod_cancel; /* pending NODE_READY / POD_READY to drop */
    uint32_t epoch;   /* bumped when the zone goes down: older POD_READY are void */
} mr_cluster_zone;

typedef struct mr_cluster_state {
    mr_fifo fifo;
    const mr_region_state *region;
    const mr_dep_state *req[MR_MAX_DEPS]; /* needed for requests */
    const mr_dep_state *pod[MR_MAX_DEPS]; /* needed to start pods */
    uint32_t nreq, npod;
    const mr_faults_cfg *faults; /* for ramped partial faults */
    int32_t down; /* whole cluster failures in force */
    mr_fault_set partial;    /* partial cluster failures: requests and probes */
    const mr_ingress_state *ingress; /* its regional ingress, or NULL */
    mr_time ingress_latency; /* what the ingress adds to every request (its cfg's) */
    mr_fault_set gray;       /* gray failures: requests fail, probes pass */
    mr_fault_set gray_probe; /* inverted gray failures: probes fail, requests pass */
    int32_t nz;
    mr_cluster_zone z[MR_MAX_ZONES];
    int64_t floor;       /* autoscaler floor: min, or what the failover policy set */
    /* The queue (docs/model.md "The cluster queue"): its servers are the
     * serving pods' slots, pods x slots; a request holds one for its own
     * service-time draw times scale = slots / (rps_per_pod x mean), so that
     * capacity is pods x rps_per_pod exactly in the mean whatever the
     * rounding of slots; scale 0: a mean service time of 0, each request
     * holds its pod's one slot for hold. */
    uint32_t pods;       /* serving pods of the zones that are up */
    uint32_t slots;      /* per pod */
    double scale;
    mr_time hold;        /* 1 / rps_per_pod: a request's expected pod time (the autoscaler's) */
    mr_time shed;        /* the service time's p99: what a request's patience keeps for service */
    mr_time horizon;     /* end of the run, for node_hours */
    mr_rng *prov_rng, *start_rng;
    /* cold_steps: the cluster exists (created) or is being created
     * (creating, toward `want` nodes); creations so far. */
    int created, creating;
    int64_t want;
    uint64_t creations;
    mr_rng *create_rng, *pull_rng;
    /* node_hours: the integral of billed nodes (provisioning or ready) */
    int64_t billed;
    mr_time billed_since;
    double node_ns;
    /* The same split for the cost's run rate and incident cost
     * (fault_set.h mr_usage): settled once its nodes are those its normal
     * load needs, unsettled by every fault's start. */
    const mr_fault_clock *clock;
    mr_usage use;
    uint64_t seen_started;
    int surge; /* a failover scale-out above its own size is in force */
    int64_t ready_pods; /* the surge's pods, until they all serve (recovery timeline) */
    /* autoscaler */
    int tick_pending;
    uint64_t offers_seen;
    mr_time unneeded_since; /* -1: capacity is needed */
    mr_time last_add;
    uint64_t nodes_added, nodes_removed;
    int64_t peak_nodes;
    /* Aggregate fidelity: the hub (models/clients_agg.c) registers itself
     * at link as endpoint agg_ep; the load comes from it (mr__agg_offered),
     * the cluster tells it of every change of its serving pods
     * (MR_MSG_CAPACITY), and an autoscaler with nothing to change sleeps
     * (agg_asleep) until the hub's MR_MSG_WAKE or its own resume. */
    mr_component *agg_hub;
    uint32_t agg_ep;
    mr_agg_offered_fn agg_offered; /* the hub's, set with agg_hub */
    mr_agg_varies_fn agg_rate_varies;
    int agg_asleep;
    double agg_seen;   /* mr__agg_offered at agg_since */
    mr_time agg_since;
    mr_handle agg_resume;
} mr_cluster_state;

/* The single truth of whether a cluster answers (clients and probes read
 * it): not failed, its region up, every dependency it needs for requests
 * up, and at least one pod serving. */
static inline int mr_cluster_up(const mr_cluster_state *c)
{
    if (c->down != 0 || c->region->down != 0 || c->pods == 0 ||
        (c->ingress != NULL && c->ingress->down != 0))
        return 0;
    for (uint32_t i = 0; i < c->nreq; i++) {
        if (!mr_dep_up(c->req[i]))
            return 0;
    }
    return 1;
}

/* Serving pods of a cluster now (the FIFO queue has slots x as many servers). */
static inline uint32_t mr_cluster_pods(const mr_cluster_state *c)
{
    return c->pods;
}

/* Offers the cluster's queue a request arriving at t whose service-time
 * draw is svc, which leaves if it has not started by t + patience: it
 * holds a slot for svc x scale (the same draw as its latency, so latency
 * is queueing + svc), rounded to the nanosecond. Returns its start time,
 * or -1 (mr_fifo_offer). On the hot path: one multiply-add more than a
 * constant hold. */
static inline mr_time mr_cluster_offer(mr_cluster_state *c, mr_time t, mr_time svc,
                                       mr_time patience)
{
    mr_time hold = c->scale > 0 ? (mr_time)((double)svc * c->scale + 0.5) : c->hold;
    return mr_fifo_offer(&c->fifo, t, hold, patience);
}

/* Whether some fault in force can fail a probe of the cluster that is up:
 * a partial failure of the cluster, of its region or of its ingress, or an
 * inverted gray failure. The one list of what the probe path sees, read by
 * mr_cluster_probe_fail_share and mr_cluster_quiescent alike, so a lazy
 * probe can never sleep through a fault that would fail it (a ramp whose
 * share is 0 now counts: it grows without an event). */
static inline int mr__cluster_probe_can_fail(const mr_cluster_state *c)
{
    return mr__fault_set_any(&c->partial) || mr__fault_set_any(&c->gray_probe) ||
           mr__fault_set_any(&c->region->partial) ||
           (c->ingress != NULL && mr__fault_set_any(&c->ingress->partial));
}

/* Whether every probe of the cluster succeeds until some fault starts or
 * ends: what lets aggregate fidelity skip them (docs/model.md "periodic
 * activity whose outcome cannot change in steady state"). A probe path that
 * can fail (mr__cluster_probe_can_fail) is not quiescent: its probes draw
 * and may trip the endpoint, so they must run as at request fidelity. */
static inline int mr_cluster_quiescent(const mr_cluster_state *c)
{
    return mr_cluster_up(c) && !mr__cluster_probe_can_fail(c);
}

/* The share of requests and probes the cluster's ingress fails now
 * (partial ingress failures), as a factor of what passes: 1 without one. */
static inline double mr__ingress_pass(const mr_cluster_state *c, mr_time now)
{
    if (c->ingress == NULL || !mr__fault_set_any(&c->ingress->partial))
        return 1;
    return 1 - mr__fault_set_share(&c->ingress->partial, c->faults, now);
}

/* The share of requests a cluster that is up fails now (partial and gray
 * failures), and likewise for health probes: probes see what the probe
 * path sees (docs/model.md "Global traffic layer"). */
static inline double mr_cluster_request_fail_share(const mr_cluster_state *c, mr_time now)
{
    const mr_fault_set *r = &c->region->partial;
    double ingress = mr__ingress_pass(c, now);
    if (!mr__fault_set_any(&c->partial) && !mr__fault_set_any(&c->gray) &&
        !mr__fault_set_any(r) && ingress == 1)
        return 0;
    return 1 - (1 - mr__fault_set_share(&c->partial, c->faults, now)) *
                   (1 - mr__fault_set_share(&c->gray, c->faults, now)) *
                   (1 - mr__fault_set_share(r, c->faults, now)) * ingress;
}

static inline double mr_cluster_probe_fail_share(const mr_cluster_state *c, mr_time now)
{
    if (!mr__cluster_probe_can_fail(c))
        return 0;
    return 1 - (1 - mr__fault_set_share(&c->partial, c->faults, now)) *
                   (1 - mr__fault_set_share(&c->gray_probe, c->faults, now)) *
                   (1 - mr__fault_set_share(&c->region->partial, c->faults, now)) *
                   mr__ingress_pass(c, now);
}

/* Whether a health probe of the cluster succeeds now; u is uniform [0, 1). */
static inline int mr_cluster_probe_ok(const mr_cluster_state *c, mr_time now, double u)
{
    return mr_cluster_up(c) && u >= mr_cluster_probe_fail_share(c, now);
}


#endif
