/* models/world.h: private to models/. The configuration and state of the
 * compute and traffic components that read one another directly: a request's
 * fate is computed when it arrives (one event per request), so the clients
 * model reads the resolver's cache, the traffic manager's answer, the
 * cluster's queue and the region's health in place rather than by messages.
 * Only reads and the queue offer cross components; every change of state
 * (a fault, a probe verdict) is still an event of its owner.
 * Invariant: a component only writes its own state, except that clients
 * offer work to a cluster's FIFO queue and record outcomes in the SLO
 * collector, both append-only in time order. */
#ifndef MRSIM_MODELS_WORLD_H
#define MRSIM_MODELS_WORLD_H

#include <stdint.h>

#include "fifo.h"
#include "mrsim/diag.h"
#include "mrsim/model.h"
#include "mrsim/rng.h"
#include "mrsim/sim.h"
#include "mrsim/stats.h"

#define MR_MAX_REGIONS 32
#define MR_MAX_ENDPOINTS 16
#define MR_MAX_TTL_POLICIES 4
#define MR_MAX_FAULTS 32
#define MR_MAX_USES 8
#define MR_MAX_ZONES 3  /* REFERENCE.md §9: zonal regions have three zones */
#define MR_MAX_DEPS 8   /* shared dependencies one cluster relies on */
#define MR_MAX_ACTIONS 16

/* The component with that id if it is of that kind; otherwise NULL after a
 * diagnostic naming who asked for what. */
mr_component *mr__world_expect(mr_sim *sim, const mr_component *self, int64_t id,
                               const char *kind, const char *role, mr_diag *diag);

typedef struct mr_slo_state mr_slo_state;

/* Counts the faults in force at a target: FAULT_START adds one, FAULT_END
 * removes one, so overlapping faults compose. Returns 1 if ev was one of
 * them, 0 otherwise. */
static inline int mr__fault_count(int32_t *down, const mr_event *ev)
{
    if (ev->kind == MR_MSG_FAULT_START) {
        (*down)++;
        return 1;
    }
    if (ev->kind == MR_MSG_FAULT_END) {
        if (*down > 0)
            (*down)--;
        return 1;
    }
    return 0;
}

/* ---- faults -------------------------------------------------------------- */
enum { MR_FT_AT = 0, MR_FT_MTBF = 1, MR_FT_REPEAT = 2, MR_FT_AFTER = 3 };
#define MR_MAX_FAULT_TARGETS 64
#define MR_MAX_WATCHERS 4
#define MR_MAX_STORES 16
/* mr_msg_fault.flags */
enum { MR_FAULT_F_RAMP = 1, MR_FAULT_F_INVERT = 2 };

typedef struct mr_fault_cfg {
    int64_t kind;   /* the scenario's fault kind, carried in the messages */
    int64_t timing; /* MR_FT_* */
    /* Targets: every candidate (pick == ncand) or `pick` of them drawn
     * anew at each start (a selector with mode one, count or percent). */
    int64_t ncand;
    int64_t cand[MR_MAX_FAULT_TARGETS]; /* component ids */
    int64_t pick;
    int64_t zone;       /* zone_outage: the 1-based zone */
    int64_t peer;       /* network_partition: the other region's id; -1 = clients */
    int64_t invert;     /* gray_failure: probes fail while requests pass */
    double severity;    /* share of requests affected (no ramp) */
    int64_t ramp;       /* severity goes from ramp_from to ramp_to over ramp_over */
    double ramp_from, ramp_to;
    mr_time ramp_over;
    mr_dist at;        /* AT: start time, drawn once per replication */
    mr_dist duration;  /* AT, REPEAT, AFTER */
    mr_dist mtbf, mttr; /* MTBF: up time, then down time */
    mr_time every, jitter; /* REPEAT: starts at k x every +- U(jitter), k = 1.. */
    int64_t count;         /* REPEAT: starts in all; 0 = until the horizon */
    int64_t after;         /* AFTER: the fault whose every start starts this one */
    mr_dist delay;         /* AFTER: from that start */
} mr_fault_cfg;

typedef struct mr_faults_cfg {
    int64_t slo; /* component id of the SLO collector */
    int64_t n;
    int64_t nwatch;                   /* components told of every start and end */
    int64_t watcher[MR_MAX_WATCHERS]; /* (the failover policy, a DNS operator) */
    int64_t nstores;                  /* data stores: told of every region outage and */
    int64_t store[MR_MAX_STORES];     /* partition, to re-read their regions */
    mr_fault_cfg f[MR_MAX_FAULTS];
} mr_faults_cfg;

typedef struct mr_faults_state {
    mr_slo_state *slo;
    mr_rng *select; /* which targets a selector picks */
    uint64_t started;
} mr_faults_state;

/* The fault table of the run (NULL when it has no faults), for targets that
 * need a fault's ramp or parameters. */
const mr_faults_cfg *mr__faults_of(const mr_sim *sim);

/* Faults in force at one target whose effect is a share of requests:
 * whole ones are counted, partial ones (severity < 1, or ramped) are kept
 * with their start so their severity can be read at any time. */
#define MR_MAX_PARTIAL 8
typedef struct mr_fault_set {
    int32_t total;    /* whole faults in force */
    int32_t npartial;
    uint32_t overflow; /* partial faults beyond MR_MAX_PARTIAL, reported */
    struct {
        uint32_t fault;
        double severity; /* when not ramped */
        mr_time start;
    } p[MR_MAX_PARTIAL];
} mr_fault_set;

/* Applies MR_MSG_FAULT_START / END (ev) to the set. */
void mr__fault_set_apply(mr_fault_set *fs, const mr_event *ev);
/* The share of requests the set fails at time now: 1 with a whole fault in
 * force, else 1 - prod(1 - severity_i(now)) over the partial ones. */
double mr__fault_set_share(const mr_fault_set *fs, const mr_faults_cfg *faults, mr_time now);
static inline int mr__fault_set_any(const mr_fault_set *fs)
{
    return fs->total > 0 || fs->npartial > 0;
}

/* ---- region ---------------------------------------------------------- */
typedef struct mr_region_cfg {
    int64_t zones;
} mr_region_cfg;

typedef struct mr_region_state {
    int32_t down;        /* outages in force; up when 0 */
    int32_t cut_clients; /* partitions between the clients and the region */
    int32_t cut[MR_MAX_REGIONS]; /* partitions between it and region i */
    const mr_faults_cfg *faults; /* to read a partition's peer, a ramp */
    mr_fault_set partial; /* partial outages: that share of requests and probes fails */
} mr_region_state;

/* Whether traffic from clients whose origin is region `from` (-1: the
 * clients' network, not a region) reaches region r. */
static inline int mr_region_reachable(const mr_region_state *r, int64_t from)
{
    return r->cut_clients == 0 && (from < 0 || r->cut[from] == 0);
}

/* ---- shared dependency ---------------------------------------------- */
typedef struct mr_dep_cfg {
    int64_t region; /* component id of its region; -1: global */
} mr_dep_cfg;

typedef struct mr_dep_state {
    const mr_region_state *region; /* NULL: global */
    int32_t down;                  /* dependency_outage faults in force */
    uint64_t outages;
} mr_dep_state;

/* A dependency is up while none of its outages is in force and its region
 * (if it has one) is up. */
static inline int mr_dep_up(const mr_dep_state *d)
{
    return d->down == 0 && (d->region == NULL || d->region->down == 0);
}

/* ---- cluster ----------------------------------------------------------- */
enum { MR_DEP_FOR_REQUESTS = 0, MR_DEP_FOR_POD_START = 1 };

typedef struct mr_cluster_cfg {
    int64_t region;            /* component id of its region */
    int64_t nodes;             /* nodes at the start (hot: count; warm: min; cold: 0) */
    int64_t pods;              /* per_node == 0 only: a fixed pool of serving pods */
    int64_t per_node;          /* pods per node; 0: the fixed pool, no autoscaler */
    int64_t min, max;          /* autoscaler floor and ceiling, in nodes */
    double target_utilization; /* offered load / capacity the autoscaler aims at */
    mr_dist startup;           /* pod start-up (image pull included) */
    mr_dist provision;         /* node provisioning */
    int64_t nzones;            /* zones the nodes are spread over; 0 or 1: one */
    int64_t zone[MR_MAX_ZONES]; /* their 1-based numbers in the region (0: no zones) */
    int64_t ndeps;
    int64_t dep[MR_MAX_DEPS];     /* component ids of the dependencies it uses */
    int64_t dep_for[MR_MAX_DEPS]; /* MR_DEP_FOR_* */
    double rps_per_pod;        /* a pod's throughput: each request holds it 1/rps */
    mr_dist service_time;      /* the latency a request spends in service */
    mr_time ingress_latency;   /* added by the regional ingress */
} mr_cluster_cfg;

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
    int32_t down; /* whole cluster or ingress failures in force */
    mr_fault_set partial;    /* partial cluster or ingress failures: requests and probes */
    mr_fault_set gray;       /* gray failures: requests fail, probes pass */
    mr_fault_set gray_probe; /* inverted gray failures: probes fail, requests pass */
    int32_t nz;
    mr_cluster_zone z[MR_MAX_ZONES];
    int64_t floor;       /* autoscaler floor: min, or what the failover policy set */
    mr_time hold;        /* 1 / rps_per_pod */
    mr_time horizon;     /* end of the run, for node_hours */
    mr_rng *prov_rng, *start_rng;
    /* node_hours: the integral of billed nodes (provisioning or ready) */
    int64_t billed;
    mr_time billed_since;
    double node_ns;
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
    int agg_asleep;
    double agg_seen;   /* mr__agg_offered at agg_since */
    mr_time agg_since;
    mr_handle agg_resume;
} mr_cluster_state;

/* Aggregate fidelity: the expected requests the hub's populations offer to
 * endpoint ep's cluster from the start to t, retries included (t at or
 * after the hub's last event: a later t projects the present routing), and
 * whether any population's rate varies in time (a daily profile). */
double mr__agg_offered(const mr_component *hub, uint32_t ep, mr_time t);
int mr__agg_rate_varies(const mr_component *hub);

/* The single truth of whether a cluster answers (clients and probes read
 * it): not failed, its region up, every dependency it needs for requests
 * up, and at least one pod serving. */
static inline int mr_cluster_up(const mr_cluster_state *c)
{
    if (c->down != 0 || c->region->down != 0 || c->fifo.c == 0)
        return 0;
    for (uint32_t i = 0; i < c->nreq; i++) {
        if (!mr_dep_up(c->req[i]))
            return 0;
    }
    return 1;
}

/* Serving pods of a cluster now (the FIFO queue's servers). */
static inline uint32_t mr_cluster_pods(const mr_cluster_state *c)
{
    return c->fifo.c;
}

/* Whether every probe of the cluster succeeds until some fault starts or
 * ends: what lets aggregate fidelity skip them (DESIGN.md "periodic
 * activity whose outcome cannot change in steady state"). */
static inline int mr_cluster_quiescent(const mr_cluster_state *c)
{
    return mr_cluster_up(c) && !mr__fault_set_any(&c->partial) &&
           !mr__fault_set_any(&c->gray_probe);
}

/* The first instant at or after now of a grid phase + k x interval. */
static inline mr_time mr__next_on_grid(mr_time phase, mr_time interval, mr_time now)
{
    if (now <= phase)
        return phase;
    return phase + (now - phase + interval - 1) / interval * interval;
}

/* The share of requests a cluster that is up fails now (partial and gray
 * failures), and likewise for health probes: probes see what the probe
 * path sees (DESIGN.md "Global traffic layer"). */
static inline double mr_cluster_request_fail_share(const mr_cluster_state *c, mr_time now)
{
    const mr_fault_set *r = &c->region->partial;
    if (!mr__fault_set_any(&c->partial) && !mr__fault_set_any(&c->gray) && !mr__fault_set_any(r))
        return 0;
    return 1 - (1 - mr__fault_set_share(&c->partial, c->faults, now)) *
                   (1 - mr__fault_set_share(&c->gray, c->faults, now)) *
                   (1 - mr__fault_set_share(r, c->faults, now));
}

static inline double mr_cluster_probe_fail_share(const mr_cluster_state *c, mr_time now)
{
    const mr_fault_set *r = &c->region->partial;
    if (!mr__fault_set_any(&c->partial) && !mr__fault_set_any(&c->gray_probe) &&
        !mr__fault_set_any(r))
        return 0;
    return 1 - (1 - mr__fault_set_share(&c->partial, c->faults, now)) *
                   (1 - mr__fault_set_share(&c->gray_probe, c->faults, now)) *
                   (1 - mr__fault_set_share(r, c->faults, now));
}

/* Whether a health probe of the cluster succeeds now; u is uniform [0, 1). */
static inline int mr_cluster_probe_ok(const mr_cluster_state *c, mr_time now, double u)
{
    return mr_cluster_up(c) && u >= mr_cluster_probe_fail_share(c, now);
}

/* ---- the traffic layer ------------------------------------------------------ */
/* What a DNS authority may answer besides a cluster's component id. */
#define MR_NO_ANSWER UINT32_MAX        /* the query failed: nothing is cached */
#define MR_BAD_ANSWER (UINT32_MAX - 1) /* a wrong record: cached, and unreachable */

/* Faults of the traffic layer itself, kept by every kind. */
typedef struct mr_traffic_faults {
    const mr_faults_cfg *table; /* for ramped outages (set at start) */
    mr_fault_set outage; /* traffic_layer_outage: queries (Front Door: requests) fail */
    int32_t misconfig;   /* dns_misconfig in force: the record points nowhere */
} mr_traffic_faults;

/* Links a traffic layer's n endpoints (cluster component ids) to their
 * clusters' states, and checks its watcher (-1: none) exists. Returns
 * MR_OK or MR_ENOCOMP after a diagnostic naming what is missing. */
int mr__traffic_link(mr_sim *sim, const mr_component *self, const int64_t *cluster, int64_t n,
                     const mr_cluster_state **cl, int64_t watcher, const char *role,
                     mr_diag *diag);

/* Applies a traffic-layer fault message; 1 if ev was one. */
int mr__traffic_fault(mr_traffic_faults *tf, const mr_event *ev);

/* The answer the traffic layer's DNS authority gives now to a resolver near
 * region `origin` (-1: unknown): a cluster id, MR_NO_ANSWER or
 * MR_BAD_ANSWER. Draws from r for weighted routing and partial outages. */
uint32_t mr__traffic_answer(const mr_component *t, mr_rng *r, int64_t origin, mr_time now);
/* The TTL of its answer (0 for Front Door, whose address never changes). */
mr_time mr__traffic_ttl(const mr_component *t);

/* ---- traffic manager ------------------------------------------------------ */
enum { MR_TM_PRIORITY = 0, MR_TM_WEIGHTED = 1, MR_TM_PERFORMANCE = 2 };
#define MR_MAX_LOCATIONS 16

typedef struct mr_tm_cfg {
    int64_t n;                          /* endpoints */
    int64_t cluster[MR_MAX_ENDPOINTS];  /* component ids */
    int64_t priority[MR_MAX_ENDPOINTS]; /* lower first */
    double weight[MR_MAX_ENDPOINTS];
    int64_t routing;
    mr_time interval, timeout;
    int64_t tolerated;
    mr_time ttl;
    int64_t locations; /* probing locations, each with its own phase and count */
    int64_t quorum;    /* locations that must count enough failures for Degraded */
    /* PERFORMANCE: round trip from region r to endpoint e. */
    mr_time rtt[MR_MAX_REGIONS][MR_MAX_ENDPOINTS];
    int64_t watcher; /* component id + 1 told of every status change (failover); 0: none */
    /* Aggregate fidelity: probes of a quiescent endpoint sleep until
     * MR_MSG_WAKE, and every status change is told to `listener`. */
    int64_t lazy;
    int64_t listener;
} mr_tm_cfg;

typedef struct mr_tm_state {
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS];
    int32_t fails[MR_MAX_LOCATIONS][MR_MAX_ENDPOINTS]; /* consecutive failures per location */
    int32_t tripped[MR_MAX_ENDPOINTS];                 /* locations past tolerated */
    uint8_t degraded[MR_MAX_ENDPOINTS];
    mr_time changed_at[MR_MAX_ENDPOINTS]; /* last Online/Degraded change */
    uint64_t changes;                     /* status changes so far */
    uint64_t queries, probes;
    mr_traffic_faults faults;
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
    int64_t n;                          /* origins */
    int64_t cluster[MR_MAX_ENDPOINTS];  /* component ids */
    int64_t priority[MR_MAX_ENDPOINTS]; /* lower first */
    double weight[MR_MAX_ENDPOINTS];
    int64_t pops;                /* edge locations, each probing every origin */
    mr_time interval, timeout;
    int64_t sample_size, required; /* healthy: >= required of the last sample_size */
    mr_time additional_latency;  /* origins this close to the fastest share traffic */
    int64_t retry_next;          /* retry a refused connection at the next origin */
    int64_t watcher;             /* told of health changes (MR_MSG_ENDPOINT_STATUS); -1 none */
    mr_time rtt[MR_MAX_REGIONS][MR_MAX_ENDPOINTS]; /* from a client's region to origin e */
    int64_t lazy;     /* as for Traffic Manager: sleeping probes, every edge's */
    int64_t listener; /* change told to the aggregate clients */
} mr_fd_cfg;

typedef struct mr_fd_state {
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS];
    uint32_t *window;  /* pops x n: last outcomes, bit 0 the newest (1 = success) */
    uint8_t *healthy;  /* pops x n */
    int32_t healthy_pops[MR_MAX_ENDPOINTS]; /* edges that see origin e healthy */
    mr_traffic_faults faults;
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
    int64_t n;                          /* endpoints the record may point at */
    int64_t cluster[MR_MAX_ENDPOINTS];  /* component ids */
    int64_t priority[MR_MAX_ENDPOINTS]; /* the record starts at the lowest */
    mr_time ttl;
    mr_dist operator_delay; /* detection, decision and the edit */
    int64_t watcher;        /* told when the record moves; -1 none */
    int64_t lazy, listener; /* aggregate fidelity: the listener hears every move */
} mr_dns_cfg;

typedef struct mr_dns_state {
    const mr_cluster_state *cl[MR_MAX_ENDPOINTS];
    int32_t record;  /* endpoint the record points at */
    int32_t pending; /* an operator's edit is under way */
    uint64_t changes, queries;
    mr_traffic_faults faults;
    mr_rng *operator_rng;
} mr_dns_state;

/* ---- resolver pool ------------------------------------------------------- */
enum { MR_RES_HONOR = 0, MR_RES_FLOOR = 1, MR_RES_EXTRA = 2 };

typedef struct mr_ttl_policy {
    double share;
    int64_t mode;
    mr_time min_ttl; /* FLOOR */
    mr_dist hold;    /* EXTRA: added to the TTL at every refresh */
} mr_ttl_policy;

typedef struct mr_resolver_cfg {
    int64_t tm;    /* component id of the authority (the traffic layer) */
    int64_t origin; /* region the resolvers sit near (performance routing); -1 unknown */
    int64_t count; /* resolvers in the pool */
    int64_t npol;
    mr_ttl_policy pol[MR_MAX_TTL_POLICIES];
} mr_resolver_cfg;

typedef struct mr_resolver_state {
    uint32_t *answer;  /* cached cluster id per resolver */
    mr_time *expiry;   /* when it must ask again */
    uint8_t *policy;   /* index into cfg->pol */
    const mr_component *tm;
    uint64_t refreshes;
} mr_resolver_state;

/* The answer resolver i gives at time now, asking the authority first if
 * its entry has expired (rule 3). */
uint32_t mr__resolver_lookup(mr_component *pool, uint32_t i, mr_time now);
/* How long resolver i keeps an answer fetched now (draws an extra hold). */
mr_time mr__resolver_hold(mr_component *pool, uint32_t i);

/* ---- client populations ------------------------------------------------- */
enum { MR_RUNTIME_NONE = 0, MR_RUNTIME_JAVA = 1, MR_RUNTIME_CHROME = 2 };
enum { MR_CL_CONST = 0, MR_CL_DIURNAL = 1 };

/* How long a client runtime's cache keeps an answer whose TTL is ttl
 * (both fidelities read it). REFERENCE.md §4: Java caches positive
 * answers 30 s regardless of the TTL; Chromium keeps the record TTL with a
 * 60 s floor. */
static inline mr_time mr_runtime_hold(int64_t runtime_cache, mr_time ttl)
{
    if (runtime_cache == MR_RUNTIME_JAVA)
        return 30 * MR_S;
    return ttl > 60 * MR_S ? ttl : 60 * MR_S;
}

typedef struct mr_clients_cfg {
    int64_t resolver;     /* component id of the resolver pool */
    int64_t traffic;      /* component id of the traffic layer */
    int64_t origin;       /* region id the clients are near */
    int64_t slo;          /* component id of the SLO collector */
    int64_t res_base;     /* global index of the pool's first resolver (client RTO) */
    double rate;          /* requests per second (times the profile) */
    int64_t profile;
    double peak, trough;  /* DIURNAL: multipliers of rate at peak_at and 12 h later */
    mr_time peak_at;      /* DIURNAL: time of day of the peak */
    double read;          /* share of reads (used by data stores) */
    mr_time timeout;
    int64_t attempts;     /* in all, the first included */
    mr_dist backoff;      /* wait after a failed attempt */
    int64_t runtime_cache;
    mr_time rtt[MR_MAX_REGIONS]; /* round trip to the region with that component id */
    int64_t pop;                 /* index of the population (session consistency) */
    int64_t nuses;               /* data stores each request uses, in order */
    int64_t uses[MR_MAX_USES];   /* their component ids */
    /* Front Door origins (bit sets over its origins) this population may
     * use: its home stamp's (0: every origin), then its fallbacks'. */
    int64_t home, fallback;
} mr_clients_cfg;

typedef struct mr_clients_state {
    mr_component *pool;
    mr_slo_state *slo;
    mr_rng *arrivals, *pick, *service, *retry; /* one stream per purpose */
    mr_rng *mix;                 /* read or write, for the stores */
    mr_component *store[MR_MAX_USES];
    mr_rng *fate;         /* partial failures, Front Door's weighted choice */
    mr_component *fd;     /* the traffic layer when it is Front Door, else NULL */
    uint32_t pops;
    uint32_t *rt_answer;  /* runtime cache per resolver: answer and expiry */
    mr_time *rt_expiry;
    uint32_t nres;
    uint64_t requests, attempts, failures;
    uint64_t measured, succeeded; /* requests after the warm-up, and their successes */
} mr_clients_state;

/* ---- failover policy ----------------------------------------------------- */
enum { MR_FO_PROBES = 0, MR_FO_OPERATOR = 1 };
enum { MR_FB_MANUAL = 0, MR_FB_AUTOMATIC = 1, MR_FB_NONE = 2 };
enum { MR_ACT_SCALE = 0, MR_ACT_PROMOTE = 1 };

typedef struct mr_failover_cfg {
    int64_t trigger;
    mr_dist decision;          /* OPERATOR: from a fault's start to the actions */
    int64_t nactive;
    int64_t active[MR_MAX_ENDPOINTS]; /* cluster ids whose endpoint failing triggers (PROBES) */
    int64_t nactions;
    int64_t act[MR_MAX_ACTIONS];     /* MR_ACT_* */
    int64_t target[MR_MAX_ACTIONS];  /* component id */
    int64_t to[MR_MAX_ACTIONS];      /* SCALE: nodes on failover */
    int64_t back_to[MR_MAX_ACTIONS]; /* SCALE: nodes on failback (the standby size) */
    int64_t failback;
    mr_dist failback_delay; /* MANUAL: decision; AUTOMATIC: its own delay */
} mr_failover_cfg;

typedef struct mr_failover_state {
    int phase;           /* normal, deciding, failed over, failing back */
    int32_t unhealthy;   /* PROBES: active endpoints unhealthy now */
    int32_t faults;      /* OPERATOR: faults in force */
    uint8_t bad[MR_MAX_ENDPOINTS]; /* PROBES: per endpoint index */
    mr_handle pending;   /* the decision or failback timer */
    uint64_t failovers, failbacks;
    mr_time first_failover; /* -1: none */
} mr_failover_state;

/* ---- SLO collector --------------------------------------------------------- */
typedef struct mr_slo_cfg {
    mr_time window, warmup, horizon, stable_for;
    double success_target;
    int64_t resolvers; /* resolvers of every pool, for client RTO */
    int64_t aggregate; /* 1: counts come from mr__slo_integrate (sparse windows) */
} mr_slo_cfg;

typedef struct mr_slo_episode {
    mr_time start, end; /* end: the next episode's start (-1: none yet) */
    mr_time fault_end;  /* when its fault ended (-1: in force at the horizon) */
    uint32_t fault;
} mr_slo_episode;

struct mr_slo_state {
    mr_time window, warmup; /* copies of the cfg's, for the recorders */
    uint64_t *total, *ok;   /* per window of first issue time */
    size_t nwin;
    size_t nres;
    mr_hist latency_ms;   /* successful requests, first issue to completion */
    mr_hist warm_latency_ms; /* the same for requests first issued in the warm-up */
    mr_slo_episode *ep; /* grows by doubling: episodes are rare events */
    size_t nep, capep;
    /* Client RTO per resolver (rule: first failing request after an
     * episode's start to the completion of the next success). */
    mr_time *fail_issue; /* -1: none pending */
    uint32_t *done_ep;   /* 1 + the episode whose sample is taken */
    mr_tally client_rto_s;
    mr_hist client_rto_hist;
    /* Aggregate fidelity: windows that met every request are summed in
     * bulk; the others are kept, in time order, with Poisson counts. */
    int agg;
    mr_time horizon;
    size_t cur_w;           /* the window being filled */
    double cur_total, cur_ok;
    int cur_imperfect;      /* some of it had a success share below 1 */
    double bulk_total, bulk_ok, warm_total, warm_ok;
    size_t *sw;             /* imperfect windows: index, counts */
    double *st, *so;
    size_t nsparse, capsparse;
    mr_rng *noise;
};

/* Records an attempt's fate at its issue time (outcomes are computed on
 * arrival, so calls come in time order): its resolver (global index), its
 * issue time, and, for a success, its completion time. */
void mr__slo_attempt(mr_slo_state *s, uint32_t resolver, mr_time issue, int ok, mr_time done);
/* Records a request's final outcome (retries included) in the window of
 * its first issue time. */
void mr__slo_request(mr_slo_state *s, mr_time first_issue, int ok, mr_time done);
/* Aggregate fidelity: requests first issued in [t0, t1) at `rate` per
 * second, a share ok_share of which succeed. Calls come in time order. */
void mr__slo_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate, double ok_share);
/* Closes the window being filled (at the end of the run). */
void mr__slo_flush(mr_slo_state *s);
/* A fault episode starts or ends. */
void mr__slo_episode_start(mr_slo_state *s, mr_time t, uint32_t fault);
void mr__slo_episode_end(mr_slo_state *s, mr_time t, uint32_t fault);

#endif
