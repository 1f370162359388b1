/* models/traffic.h: private to models/: the traffic layers
 * (Traffic Manager, Front Door, plain DNS), what their DNS authority
 * answers, and the faults they keep. */
#ifndef MRSIM_MODELS_TRAFFIC_H
#define MRSIM_MODELS_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "fault_set.h"
#include "mrsim/sim.h"
#include "mrsim/cfg/traffic.h"
#include "mrsim/model.h"
#include "mrsim/rng.h"


/* What a DNS authority may answer besides a cluster's component id. */
#define MR_NO_ANSWER UINT32_MAX        /* the query failed: nothing is cached */
#define MR_BAD_ANSWER (UINT32_MAX - 1) /* a wrong record: cached, and unreachable */

/* Faults of the traffic layer itself, kept by every kind. */
typedef struct mr_traffic_faults {
    const mr_faults_cfg *table; /* for ramped outages (set at start) */
    mr_fault_set outage; /* traffic_layer_outage: queries (Front Door: requests) fail */
    int32_t misconfig;   /* dns_misconfig in force: the record points nowhere */
} mr_traffic_faults;

/* ---- the traffic family ----------------------------------------------------
 * Every traffic layer kind is a model of family "traffic": its cfg begins
 * with mr_traffic_base (the endpoints the builder hands it), its state with
 * mr_traffic_head (what the others read), and its ops answer DNS queries
 * and, for a proxy in the request path, route each request. */
typedef struct mr_traffic_head {
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS]; /* the endpoints' clusters */
    mr_traffic_faults faults;
    uint64_t queries; /* DNS queries answered (Traffic Manager, plain DNS: billed) */
    /* The failover policy's runbook (MR_MSG_ENDPOINT_ADMIN): a disabled
     * endpoint is never answered or routed to, whatever its probes say. */
    uint8_t disabled[MR_MAX_ENDPOINTS];
    int32_t ndisabled;
} mr_traffic_head;

typedef struct mr_traffic_ops {
    /* The authority's answer now to a resolver near the region of index
     * origin (-1: unknown), the layer's own faults aside (mr__traffic_answer
     * applies them): a cluster component id, or the layer's own id for an
     * anycast proxy. Draws from r where the routing method draws. */
    uint32_t (*answer)(const mr_component *t, mr_rng *r, int64_t origin);
    /* The TTL of its answers (0: an address that never changes). */
    mr_time (*ttl)(const mr_component *t);
    /* A proxy in the request path (Front Door) routes each request itself:
     * see mr__fd_route for the arguments. NULL for a DNS-based layer. */
    uint32_t (*route)(mr_component *t, uint32_t edge, int64_t origin, uint32_t home,
                      uint32_t fallback, uint32_t skip, mr_rng *r, mr_time now);
    /* route's choice as probabilities, drawing nothing (aggregate fidelity). */
    uint32_t (*route_probs)(mr_component *t, uint32_t edge, int64_t origin, uint32_t home,
                            uint32_t fallback, uint32_t skip, mr_time now, uint32_t *to,
                            double *prob);
    /* With route: its entry points (resolver i enters through edge i mod
     * edges), and whether a refused connection is retried at the next
     * endpoint. */
    uint32_t (*edges)(const mr_component *t);
    int (*retry_next)(const mr_component *t);
} mr_traffic_ops;

/* The traffic family's parts of component t, or NULL when t is none: what
 * a component checks at link of the traffic layer it was handed (a string
 * comparison, so never per event). */
const mr_traffic_ops *mr__traffic_ops(const mr_component *t);
static inline const mr_traffic_base *mr__traffic_base(const mr_component *t)
{
    return t->cfg; /* the first member of every traffic kind's cfg */
}
static inline mr_traffic_head *mr__traffic_head(const mr_component *t)
{
    return t->state; /* the first member of every traffic kind's state */
}

/* The row every traffic kind's table has for its endpoints' priority,
 * with the kind's range: the family's binder reads it for the range and
 * binds the values into the base. */
#define MR_TRAFFIC_ENDPOINTS_ROW(list)                                                             \
    {                                                                                              \
        .key = list, .type = MR_PARAM_T_CODE, .type_doc = "sequence of {cluster, priority, weight}", \
        .doc = "clusters answered; every cluster (active priority 1, standby 2) when absent",      \
        .ref = "ours"                                                                              \
    }

/* Links a traffic layer to what its base names: each endpoint's cluster
 * state into cl[], the fault table into tf, and checks its watcher (-1:
 * none) exists. role names an endpoint in diagnostics ("origin"). Returns
 * MR_OK or MR_ENOCOMP after a diagnostic naming what is missing. */
int mr__traffic_link(mr_sim *sim, const mr_component *self, const char *role, mr_diag *diag);

/* Applies an operator's MR_MSG_ENDPOINT_ADMIN to t's head; 1 if ev was
 * one. *changed is set when the endpoint's state changed, which in
 * aggregate fidelity is told to the listener when `tell` (it re-reads the
 * routes or the answers, as for a probe verdict; plain DNS tells it of the
 * record's move instead). */
int mr__traffic_admin(mr_component *t, mr_sim *sim, const mr_event *ev, int tell, int *changed);

/* Whether endpoint e of t is disabled, unless every endpoint is (then none
 * counts as disabled: the runbook never disables the last one, so this
 * only guards a table written by hand). */
static inline int mr__traffic_disabled(const mr_traffic_head *h, const mr_traffic_base *b,
                                       int64_t e)
{
    return h->disabled[e] && h->ndisabled < b->n;
}

/* Applies a traffic-layer fault message; 1 if ev was one. */
int mr__traffic_fault(mr_traffic_faults *tf, const mr_event *ev);

/* The answer the traffic layer's DNS authority gives now to a resolver near
 * region `origin` (-1: unknown): a cluster id, MR_NO_ANSWER or
 * MR_BAD_ANSWER. Draws from r for weighted routing and partial outages. */
uint32_t mr__traffic_answer(const mr_component *t, mr_rng *r, int64_t origin, mr_time now);
/* The TTL of its answer (0 for Front Door, whose address never changes). */
mr_time mr__traffic_ttl(const mr_component *t);

/* ---- traffic manager ------------------------------------------------------ */
#define MR_MAX_LOCATIONS 16

typedef struct mr_tm_cfg {
    mr_traffic_base base;
    int routing;       /* mr_routing (an enum key: bound as int) */
    mr_time interval, timeout;
    int64_t tolerated;
    mr_time ttl;
    int64_t locations; /* probing locations, each with its own phase and count */
    int64_t quorum;    /* locations that must count enough failures for Degraded */
} mr_tm_cfg;

typedef struct mr_tm_state {
    mr_traffic_head head;
    int32_t fails[MR_MAX_LOCATIONS][MR_MAX_ENDPOINTS]; /* consecutive failures per location */
    int32_t tripped[MR_MAX_ENDPOINTS];                 /* locations past tolerated */
    uint8_t degraded[MR_MAX_ENDPOINTS];
    uint8_t served[MR_MAX_ENDPOINTS]; /* a probe has passed: its Degraded is a detection */
    mr_time changed_at[MR_MAX_ENDPOINTS]; /* last Online/Degraded change */
    uint64_t changes;                     /* status changes so far */
    uint64_t probes;
    mr_rng *probe; /* partial failures seen by probes */
    mr_time phase[MR_MAX_LOCATIONS][MR_MAX_ENDPOINTS];      /* first probe (lazy) */
    mr_time sleep_next[MR_MAX_LOCATIONS][MR_MAX_ENDPOINTS]; /* skipped from; -1 awake */
} mr_tm_state;

/* The cluster component id DNS answers with now (rule 1: by routing method
 * over Online endpoints; fail-open when all are Degraded). Weighted
 * routing draws from r; performance routing answers the Online endpoint
 * closest to origin. */
uint32_t mr__tm_answer(const mr_component *tm, mr_rng *r, int64_t origin);

/* ---- Front Door --------------------------------------------------------------- */
typedef struct mr_fd_cfg {
    mr_traffic_base base;
    int64_t pops;                /* edge locations, each probing every origin */
    mr_time interval, timeout;
    int64_t sample_size, required; /* healthy: >= required of the last sample_size */
    mr_time additional_latency;  /* origins this close to the fastest share traffic */
    bool retry_next;             /* retry a refused connection at the next origin */
    int64_t locations;           /* probe.locations as stated; every edge probes (pops) */
} mr_fd_cfg;

typedef struct mr_fd_state {
    mr_traffic_head head;
    uint32_t *window;  /* pops x n: last outcomes, bit 0 the newest (1 = success) */
    uint8_t *healthy;  /* pops x n */
    int32_t healthy_pops[MR_MAX_ENDPOINTS]; /* edges that see origin e healthy */
    uint8_t served[MR_MAX_ENDPOINTS]; /* a probe has passed: unhealthy is a detection */
    mr_rng *probe;     /* partial failures seen by probes */
    uint64_t changes, probes, requests;
    mr_time *phase;      /* pops x n, lazy only: first probe */
    mr_time *sleep_next; /* pops x n, lazy only: skipped from; -1 awake */
} mr_fd_state;

/* The origin (cluster component id) that edge `pop` sends a request from
 * clients near region `origin` to (rule 2: healthy by that edge's view,
 * lowest priority, within additional_latency of the fastest, by weight),
 * among the origins of the bit set `home` (a population's home stamp, or
 * every origin); when none of those is healthy, among `fallback`'s; when
 * none of those either, fail-open over `home`. Skips the cluster `skip`
 * (UINT32_MAX: none). MR_NO_ANSWER when Front Door itself is out. */
uint32_t mr__fd_route(mr_component *fd, uint32_t pop, int64_t origin, uint32_t home,
                      uint32_t fallback, uint32_t skip, mr_rng *r, mr_time now);
/* mr__fd_route's choice as probabilities, drawing nothing: the `n`
 * (returned, at most MR_MAX_ENDPOINTS + 1) answers to[] it may give, each
 * with prob[] (MR_NO_ANSWER among them when Front Door is out, in part or
 * whole). Counts one request, as mr__fd_route. */
uint32_t mr__fd_route_probs(mr_component *fd, uint32_t pop, int64_t origin, uint32_t home,
                            uint32_t fallback, uint32_t skip, mr_time now, uint32_t *to,
                            double *prob);

/* ---- plain Azure DNS ------------------------------------------------------------ */
typedef struct mr_dns_cfg {
    mr_traffic_base base;
    mr_time ttl;
    mr_dist operator_delay; /* detection, decision and the edit */
} mr_dns_cfg;

typedef struct mr_dns_state {
    mr_traffic_head head;
    int32_t record;  /* endpoint the record points at */
    int32_t pending; /* an operator's edit is under way */
    uint64_t changes;
    mr_rng *operator_rng;
} mr_dns_state;


#endif
