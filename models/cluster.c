/* models/cluster.c: an AKS cluster serving requests. Capacity is pods x
 * requests/s per pod. The cluster is a G/G/c queue (docs/model.md "The
 * cluster queue"): each serving pod has slots = max(1, round(rps_per_pod x
 * mean service time)) servers of the FIFO queue, and a request holds one
 * for its own service-time draw, the draw that is also its time in
 * service, so latency tails follow the service-time law. The hold is that
 * draw times slots / (rps_per_pod x mean), 1 when rps_per_pod x mean is a
 * whole number: the rounding of slots changes no capacity, which stays
 * pods x rps_per_pod exactly in the mean (what aggregate fidelity's fluid
 * capacity and the autoscaler's utilization read). A mean service time of
 * 0 leaves one slot held 1 / rps_per_pod (M/D/c). Requests queue up to
 * the client's patience (its timeout less the fixed part and shed, the
 * service time's p99: the queue sheds by the wait, not by a draw it cannot
 * know), then fail (fifo.h), so an under-sized cluster shows as queueing
 * and timeouts, and serves its capacity.
 *
 * Nodes are spread round-robin over the cluster's zones; each ready node
 * holds per_node pods. A pod serves after pods.startup once its node is
 * ready, its zone is up and every dependency needed for pod_start is up
 * (otherwise it waits, and is retried at the next autoscaler scan). A zone
 * outage removes that zone's pods from the queue for its duration; when
 * the zone returns, its nodes are back and their pods start again (after
 * pods.startup). Nodes being provisioned in a zone that goes down become
 * ready there and wait for it too.
 *
 * The autoscaler (HPA and cluster autoscaler in one) scans every 10 s
 * (docs/reference.md §9 "Cluster autoscaler": scan-interval 10 s). Utilization
 * is the load offered to the queue over the last scan interval (every
 * request offered, refused ones included, times its expected pod time
 * 1 / rps_per_pod = E[hold] / slots)
 * over the serving pods; it wants ceil(load / target_utilization) pods,
 * i.e. that many pods' worth of nodes, within [floor, max] nodes. It adds
 * the missing nodes at once, in the zones that are up (never in one that
 * is down), each ready after autoscaler.node_provision; it removes nodes
 * only after they have been unneeded for 10 min and 10 min after the last
 * addition (§9 scale-down-unneeded-time and scale-down-delay-after-add).
 * The nodes counted against the need are those of the zones that are up;
 * max bounds every node, the down zones' included. While no request can
 * reach it (the cluster, its region or a dependency needed for requests is
 * down) the autoscaler holds: the lack of load says nothing of the load to
 * come. It runs only when it can change something (floor < max, or pods
 * waiting).
 *
 * Aggregate fidelity (the hub of models/clients_agg.c registered itself at
 * link, agg_hub): the load is the hub's expected offers over the scan's
 * window (agg_offered), not the queue's (no request is offered to
 * it); every change of the serving pods is sent to the hub
 * (MR_MSG_CAPACITY); and a scan that changed nothing, with no pod
 * waiting, no scale-down timer running and the load reaching it, puts the
 * autoscaler to sleep: the next scans would see the same load (while the
 * scale-down timer runs, it sleeps until the scan that would end it,
 * agg_sleep_timer). It resumes
 * at the hub's MR_MSG_WAKE (its offered rate changed), a zone outage, a
 * scale action, or, under a daily profile, a scan interval before the
 * first grid scan whose projected load would make it act (agg_sleep).
 * Scans stay on request fidelity's 10 s grid.
 *
 * MR_MSG_SCALE (the failover policy) sets the node count at once and makes
 * it the autoscaler's floor: a warm or cold standby scales out on failover
 * and back at failback. A cold standby with its steps (cold_steps) does
 * not exist until then: the first scale above 0 creates it (create, from
 * infrastructure-as-code), its nodes provision once it exists (a scale
 * meanwhile changes the count it will get), and a scale back to 0 deletes
 * it, so the next failover creates it again; each of its pods pulls its
 * image (image_pull) before pods.startup, and like the start-up the pull
 * waits for the dependencies needed for pod_start (the registry). While it
 * does not exist the autoscaler adds nothing. Every node is billed from its provisioning to its
 * removal: node_hours is that integral.
 *
 * Invariants: per zone, serving + starting + waiting = ready x per_node
 * (pods of nodes removed while starting are in pod_cancel); st->pods is
 * the serving pods of the zones that are up and the queue's servers are
 * st->pods x st->slots; the cluster serves only while mr_cluster_up(). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "cluster.h"

enum { CL_NODE_READY = MR_MSG_PRIVATE, CL_POD_READY, CL_TICK, CL_RESUME, CL_CREATED };

/* docs/reference.md §9 "Cluster autoscaler": scan-interval 10 s. */
#define SCAN (10 * MR_S)
/* docs/reference.md §9 "Cluster autoscaler": scale-down-unneeded-time 10 min. */
#define UNNEEDED (10 * MR_MIN)
/* docs/reference.md §9 "Cluster autoscaler": scale-down-delay-after-add 10 min. */
#define AFTER_ADD (10 * MR_MIN)
/* Aggregate fidelity, a sleeping autoscaler under a daily profile: the
 * coarse step of the search for the next scan that would act (a numerical
 * choice, no Azure figure: a want that holds for less than it can be
 * missed; the profile's period is a day), and how far the search looks
 * (a day and a step: a profile repeats daily). */
#define AGG_STEP (5 * MR_MIN)
#define AGG_LOOK (MR_DAY + AGG_STEP)

typedef struct pod_msg {
    uint32_t zone;
    uint32_t epoch;
} pod_msg;

static int nzones(const mr_cluster_cfg *cfg)
{
    return cfg->nzones > 1 ? (int)cfg->nzones : 1;
}

static int cluster_init(mr_component *self, mr_diag *diag)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    if (cfg->per_node > 0 && (cfg->min > cfg->max || cfg->nodes > cfg->max ||
                              !(cfg->target_utilization > 0))) {
        mr_diag_error(diag, NULL, "%s: needs min <= max, nodes <= max and a target utilization "
                      "above 0 (min %lld, nodes %lld, max %lld, target %g)", self->name,
                      (long long)cfg->min, (long long)cfg->nodes, (long long)cfg->max,
                      cfg->target_utilization);
        return MR_ERANGE;
    }
    st->nz = nzones(cfg);
    st->hold = mr_time_from_s(1.0 / cfg->rps_per_pod);
    /* The queue's slots per pod and the hold's scale (the header). The
     * scenario refuses what this refuses, with its location
     * (sim/config/sc_topology.c); this guards other builders. */
    double mean_s = mr_dist_mean(&cfg->service_time) / (double)MR_S;
    st->slots = mr_cluster_slots(cfg->rps_per_pod, mean_s);
    st->scale = mean_s > 0 ? (double)st->slots / (cfg->rps_per_pod * mean_s) : 0;
    /* A request waits for a slot at most its client's timeout less the
     * fixed part and this (docs/model.md "The cluster queue"): the queue
     * cannot know a request's own draw before serving it, and shedding by
     * the draw would shed the longest requests and serve more than the
     * capacity. The p99 is ours: it wastes at most the work of the draws
     * above it on requests that then miss their timeout. */
    double p99 = mr_dist_quantile(&cfg->service_time, 0.99);
    st->shed = p99 > 0 && p99 < 1e18 ? (mr_time)(p99 + 0.5) : 0;
    double pods = cfg->per_node > 0 ? (double)cfg->max * (double)cfg->per_node
                                    : (double)cfg->pods;
    if (st->slots == 0 || pods * st->slots > MR_CLUSTER_MAX_SERVERS) {
        mr_diag_error(diag, NULL, "%s: its queue would need %g pods x %g slots (rps_per_pod %g x "
                      "mean service time %g s), more than %u servers", self->name, pods,
                      st->slots ? (double)st->slots : cfg->rps_per_pod * mean_s,
                      cfg->rps_per_pod, mean_s, MR_CLUSTER_MAX_SERVERS);
        return MR_ERANGE;
    }
    /* The streams after the last refusal: a refused cluster holds none. */
    st->prov_rng = mr_rng_derive(self->rng, "provision");
    st->start_rng = mr_rng_derive(self->rng, "startup");
    if (cfg->cold_steps) { /* own streams: the other draws stay those without the steps */
        st->create_rng = mr_rng_derive(self->rng, "create");
        st->pull_rng = mr_rng_derive(self->rng, "image_pull");
    }
    /* Every server it can have, reserved now: resizing never allocates. */
    mr_fifo_init(&st->fifo, 0);
    mr_fifo_reserve(&st->fifo, (uint32_t)pods * st->slots);
    st->floor = cfg->min;
    st->unneeded_since = -1;
    st->last_add = INT64_MIN / 2;
    return MR_OK;
}

static int cluster_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    mr_component *r = mr_sim_link(sim, self, cfg->region, "region", "region", diag);
    if (r == NULL)
        return MR_ENOCOMP;
    st->region = r->state;
    int rc = MR_OK;
    st->faults = mr__faults_link(sim, self, cfg->faults, diag, &rc);
    if (rc == MR_OK)
        st->clock = mr__faults_clock(sim, self, cfg->faults, diag, &rc);
    if (rc != MR_OK)
        return rc;
    if (cfg->ingress >= 0) {
        mr_component *in = mr_sim_link(sim, self, cfg->ingress, "ingress", "ingress", diag);
        if (in == NULL)
            return MR_ENOCOMP;
        st->ingress = in->state;
        st->ingress_latency = ((const mr_ingress_cfg *)in->cfg)->latency;
    }
    for (int64_t i = 0; i < cfg->ndeps; i++) {
        mr_component *d = mr_sim_link(sim, self, cfg->dep[i], "dependency", "dependency", diag);
        if (d == NULL)
            return MR_ENOCOMP;
        if (cfg->dep_for[i] == MR_NEEDED_FOR_POD_START)
            st->pod[st->npod++] = d->state;
        else
            st->req[st->nreq++] = d->state;
    }
    return MR_OK;
}

/* ---- node_hours ---- */

static int can_autoscale(const mr_cluster_cfg *cfg, const mr_cluster_state *st);

/* The run rate bills the nodes a cluster holds once they are what its
 * normal load needs (docs/results.md "cost"): a fault's start unsettles
 * it; it settles, with no fault in force and no failover scale-out in
 * force (surge: MR_MSG_SCALE above its own size, until failback), at an
 * autoscaler scan that wants what it has, or, for a cluster of fixed
 * size, back at its size. So neither the start-up's scale-in nor a
 * failover surge waiting for failback is taken for the normal month. */
static void settle(mr_cluster_state *st, mr_time now, int at_need)
{
    mr__usage_advance(&st->use, st->clock, now);
    if (st->clock != NULL && st->clock->started != st->seen_started) {
        st->seen_started = st->clock->started;
        st->use.settled = 0;
    }
    if (!st->use.settled && at_need && !st->surge && mr__clock_normal(st->clock))
        st->use.settled = 1;
}

static void bill(const mr_cluster_cfg *cfg, mr_cluster_state *st, mr_time now)
{
    st->node_ns += (double)st->billed * (double)(now - st->billed_since);
    st->billed_since = now;
    int64_t n = 0;
    for (int z = 0; z < st->nz; z++)
        n += st->z[z].prov + st->z[z].ready;
    settle(st, now, !can_autoscale(cfg, st) && n == cfg->nodes);
    st->billed = n;
    st->use.level = (double)n;
    if (n > st->peak_nodes)
        st->peak_nodes = n;
}

/* ---- capacity ---- */

static void update_capacity(mr_cluster_state *st, mr_time now)
{
    uint32_t c = 0;
    for (int z = 0; z < st->nz; z++) {
        if (st->z[z].down == 0)
            c += (uint32_t)st->z[z].serving;
    }
    st->pods = c;
    if (c * st->slots != st->fifo.c)
        mr_fifo_resize(&st->fifo, c * st->slots, now);
}

static int pods_can_start(const mr_cluster_state *st)
{
    for (uint32_t i = 0; i < st->npod; i++) {
        if (!mr_dep_up(st->pod[i]))
            return 0;
    }
    return 1;
}

static int any_waiting(const mr_cluster_state *st)
{
    for (int z = 0; z < st->nz; z++) {
        if (st->z[z].waiting > 0 && st->z[z].down == 0)
            return 1;
    }
    return 0;
}

static void schedule_tick(mr_component *self, mr_sim *sim);

/* Starts the waiting pods of zone z if they can start. */
static void start_pods(mr_component *self, mr_sim *sim, int z)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    mr_cluster_zone *zz = &st->z[z];
    if (zz->waiting == 0 || zz->down != 0)
        return;
    if (!pods_can_start(st)) {
        schedule_tick(self, sim); /* retried at the next scan */
        return;
    }
    pod_msg m = {(uint32_t)z, zz->epoch};
    for (int32_t i = 0; i < zz->waiting; i++) {
        mr_time t = mr_dist_sample_time(&cfg->startup, st->start_rng);
        if (cfg->cold_steps) /* its image first: none is cached on a cold cluster's nodes */
            t += mr_dist_sample_time(&cfg->image_pull, st->pull_rng);
        mr_sim_schedule(sim, t, self->id, CL_POD_READY, &m, sizeof m, NULL);
    }
    zz->starting += zz->waiting;
    zz->waiting = 0;
}

/* ---- adding and removing nodes ---- */

static int64_t nodes_in(const mr_cluster_state *st, int up_only)
{
    int64_t n = 0;
    for (int z = 0; z < st->nz; z++) {
        if (!up_only || st->z[z].down == 0)
            n += st->z[z].prov + st->z[z].ready;
    }
    return n;
}

/* Provisions k nodes in the zones that are up, each in the one with the
 * fewest nodes. Returns how many were placed (none when every zone is down). */
static int64_t add_nodes(mr_component *self, mr_sim *sim, int64_t k)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    int64_t placed = 0;
    for (; placed < k; placed++) {
        int best = -1;
        for (int z = 0; z < st->nz; z++) {
            if (st->z[z].down != 0)
                continue;
            if (best < 0 || st->z[z].prov + st->z[z].ready < st->z[best].prov + st->z[best].ready)
                best = z;
        }
        if (best < 0)
            break;
        st->z[best].prov++;
        uint32_t zb = (uint32_t)best;
        mr_sim_schedule(sim, mr_dist_sample_time(&cfg->provision, st->prov_rng), self->id,
                        CL_NODE_READY, &zb, sizeof zb, NULL);
    }
    if (placed > 0) {
        st->nodes_added += (uint64_t)placed;
        st->last_add = mr_sim_now(sim);
        bill(cfg, st, mr_sim_now(sim));
    }
    return placed;
}

/* Removes one node of zone z: a provisioning one if any, else a ready one
 * with its pods (waiting first, then serving, then starting). */
static void remove_node(const mr_cluster_cfg *cfg, mr_cluster_state *st, int z)
{
    mr_cluster_zone *zz = &st->z[z];
    if (zz->prov > 0) {
        zz->prov--;
        zz->node_cancel++;
        return;
    }
    zz->ready--;
    int32_t k = (int32_t)cfg->per_node;
    int32_t w = k < zz->waiting ? k : zz->waiting;
    zz->waiting -= w;
    k -= w;
    int32_t s = k < zz->serving ? k : zz->serving;
    zz->serving -= s;
    k -= s;
    zz->starting -= k;
    zz->pod_cancel += k;
}

/* Removes k nodes, each from the zone with the most nodes (of the zones
 * that are up when up_only: the autoscaler frees capacity it measured). */
static void remove_nodes(mr_component *self, mr_sim *sim, int64_t k, int up_only)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    for (int64_t i = 0; i < k; i++) {
        int best = -1;
        for (int z = 0; z < st->nz; z++) {
            int32_t n = st->z[z].prov + st->z[z].ready;
            if (n == 0 || (up_only && st->z[z].down != 0))
                continue;
            if (best < 0 || n > st->z[best].prov + st->z[best].ready)
                best = z;
        }
        if (best < 0)
            break;
        remove_node(cfg, st, best);
        st->nodes_removed++;
    }
    bill(cfg, st, mr_sim_now(sim));
    update_capacity(st, mr_sim_now(sim));
}

/* ---- autoscaler ---- */

static int can_autoscale(const mr_cluster_cfg *cfg, const mr_cluster_state *st)
{
    return cfg->per_node > 0 && st->floor < cfg->max;
}

static void schedule_tick(mr_component *self, mr_sim *sim)
{
    mr_cluster_state *st = self->state;
    if (st->tick_pending)
        return;
    st->tick_pending = 1;
    if (st->agg_hub != NULL) {
        /* Aggregate: the load is the hub's expected offers from now to the
         * next scan of the 10 s grid request fidelity's scans are on. */
        mr_time now = mr_sim_now(sim);
        st->agg_asleep = 0;
        mr_sim_cancel(sim, st->agg_resume);
        st->agg_resume = (mr_handle){0};
        st->agg_since = now;
        st->agg_seen = st->agg_offered(st->agg_hub, st->agg_ep, now);
        mr_sim_schedule_at(sim, mr__next_on_grid(0, SCAN, now + 1), self->id, CL_TICK, NULL, 0,
                           NULL);
        return;
    }
    /* The scan measures the load offered from now on, over exactly one
     * interval, also when scans resume after a pause. */
    st->offers_seen = st->fifo.offers;
    mr_sim_schedule(sim, SCAN, self->id, CL_TICK, NULL, 0, NULL);
}

/* Whether requests can reach the cluster's pods: mr_cluster_up without
 * the condition of a pod serving. */
static int reachable(const mr_cluster_state *st)
{
    if (st->down != 0 || st->region->down != 0 ||
        (st->ingress != NULL && st->ingress->down != 0))
        return 0;
    for (uint32_t i = 0; i < st->nreq; i++) {
        if (!mr_dep_up(st->req[i]))
            return 0;
    }
    return 1;
}

/* The nodes the autoscaler wants for a load (busy pods). */
static int64_t want_nodes(const mr_cluster_cfg *cfg, const mr_cluster_state *st, double load)
{
    double pods = ceil(load / cfg->target_utilization - 1e-9);
    int64_t want = (int64_t)ceil(pods / (double)cfg->per_node - 1e-9);
    if (want < st->floor)
        want = st->floor;
    if (want > cfg->max)
        want = cfg->max;
    return want;
}

static void autoscale(mr_component *self, mr_sim *sim)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    uint64_t offers = st->fifo.offers - st->offers_seen;
    if (cfg->cold_steps && !st->created)
        return; /* no cluster to add nodes to yet */
    if (!reachable(st)) {
        /* No load reaches it, which says nothing of the load to come: hold
         * (scaling in during an outage would leave it short at recovery). */
        st->unneeded_since = -1;
        return;
    }
    double load = (double)offers * (double)st->hold / (double)SCAN; /* busy pods */
    if (st->agg_hub != NULL) /* the expected offers over the window since the last scan */
        load = (st->agg_offered(st->agg_hub, st->agg_ep, now) - st->agg_seen) *
               (double)st->hold / (double)(now - st->agg_since);
    int64_t want = want_nodes(cfg, st, load);
    int64_t have = nodes_in(st, 1), all = nodes_in(st, 0);
    settle(st, now, want == have);
    if (want > have) {
        st->unneeded_since = -1;
        int64_t room = cfg->max - all;
        int64_t k = want - have < room ? want - have : room;
        if (k > 0)
            add_nodes(self, sim, k);
    } else if (want < have) {
        if (st->unneeded_since < 0)
            st->unneeded_since = now;
        if (now - st->unneeded_since >= UNNEEDED && now - st->last_add >= AFTER_ADD) {
            int64_t k = have - want;
            if (k > all - st->floor)
                k = all - st->floor;
            if (k > 0)
                remove_nodes(self, sim, k, 1);
            st->unneeded_since = -1;
        }
    } else {
        st->unneeded_since = -1;
    }
}

/* ---- aggregate fidelity: the autoscaler sleeps ---- */

/* Whether a scan at t, of the load the hub projects over [t - SCAN, t),
 * would act: add a node (room left) or start the scale-down timer. */
static int agg_would_act(const mr_component *self, mr_time t)
{
    const mr_cluster_cfg *cfg = self->cfg;
    const mr_cluster_state *st = self->state;
    double n = st->agg_offered(st->agg_hub, st->agg_ep, t) -
               st->agg_offered(st->agg_hub, st->agg_ep, t - SCAN);
    int64_t want = want_nodes(cfg, st, n * (double)st->hold / (double)SCAN);
    int64_t have = nodes_in(st, 1);
    return (want > have && nodes_in(st, 0) < cfg->max) || want < have;
}

/* After a scan that changed nothing, with nothing pending: the next scans
 * would change nothing either while the offered rate holds (docs/model.md
 * "aggregate": periodic work whose outcome cannot change is not
 * simulated). Sleep until the hub's MR_MSG_WAKE (the rate changed) or,
 * under a daily profile, until a scan interval before the first scan on
 * the grid that would act (coarse steps, then bisection on the grid). */
static void agg_sleep(mr_component *self, mr_sim *sim)
{
    mr_cluster_state *st = self->state;
    st->agg_asleep = 1;
    if (!st->agg_rate_varies(st->agg_hub))
        return;
    mr_time now = mr_sim_now(sim), end = mr_sim_horizon(sim);
    if (end > now + AGG_LOOK)
        end = now + AGG_LOOK;
    mr_time lo = mr__next_on_grid(0, SCAN, now + SCAN), t = lo;
    while (t <= end && !agg_would_act(self, t)) {
        lo = t;
        t += AGG_STEP;
    }
    if (t > end)
        return;
    /* The first acting grid point in (lo, t]: lo does not act (or is the
     * first candidate, which t = lo then is). */
    while (t - lo > SCAN) {
        mr_time mid = lo + (t - lo) / (2 * SCAN) * SCAN;
        if (agg_would_act(self, mid))
            t = mid;
        else
            lo = mid;
    }
    mr_sim_schedule_at(sim, t - SCAN, self->id, CL_RESUME, NULL, 0, &st->agg_resume);
}

/* While the scale-down timer runs, the scans before its deadline only keep
 * it running as long as the want stays below the nodes up: sleep until a
 * scan interval before the first grid scan whose projected load would not
 * (the timer resets or a node is added), else before the deadline's scan
 * (nodes are removed). The hub's wake cuts it short, as in agg_sleep. */
static void agg_sleep_timer(mr_component *self, mr_sim *sim)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    mr_time due = st->unneeded_since + UNNEEDED;
    if (st->last_add + AFTER_ADD > due)
        due = st->last_add + AFTER_ADD;
    mr_time end = mr__next_on_grid(0, SCAN, due), t = mr__next_on_grid(0, SCAN, now + SCAN);
    int64_t have = nodes_in(st, 1);
    double prev = st->agg_offered(st->agg_hub, st->agg_ep, t - SCAN);
    for (; t < end; t += SCAN) {
        double cur = st->agg_offered(st->agg_hub, st->agg_ep, t);
        if (want_nodes(cfg, st, (cur - prev) * (double)st->hold / (double)SCAN) >= have)
            break;
        prev = cur;
    }
    st->agg_asleep = 1;
    mr_sim_schedule_at(sim, t - SCAN, self->id, CL_RESUME, NULL, 0, &st->agg_resume);
}

/* Whether the next scan may change something whatever the load: pods
 * waiting (retried at scans), the scale-down timer running, nodes just
 * added or removed, or the load not reaching it (the hold). */
static int agg_must_scan(const mr_cluster_state *st, uint64_t acted)
{
    return any_waiting(st) || st->unneeded_since >= 0 ||
           st->nodes_added + st->nodes_removed != acted || !reachable(st);
}

static void cluster_start(mr_component *self, mr_sim *sim)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    st->horizon = mr_sim_horizon(sim);
    if (cfg->per_node > 0) {
        /* Steady state: the initial nodes are ready and their pods serve. */
        for (int64_t i = 0; i < cfg->nodes; i++) {
            mr_cluster_zone *zz = &st->z[i % st->nz];
            zz->ready++;
            zz->serving += (int32_t)cfg->per_node;
        }
    } else {
        st->z[0].serving = (int32_t)cfg->pods;
        st->z[0].ready = (int32_t)cfg->nodes;
    }
    bill(cfg, st, 0);
    update_capacity(st, 0);
    if (can_autoscale(cfg, st))
        schedule_tick(self, sim);
}

/* ---- events ---- */

static int zone_index(const mr_cluster_cfg *cfg, int32_t zone)
{
    for (int z = 0; z < nzones(cfg); z++) {
        if (cfg->zone[z] == zone && zone > 0)
            return z;
    }
    return -1;
}

static void zone_fault(mr_component *self, mr_sim *sim, const mr_event *ev,
                       const mr_msg_fault *m)
{
    mr_cluster_state *st = self->state;
    int z = zone_index(self->cfg, m->zone);
    if (z < 0)
        return; /* a zone this cluster has no nodes in */
    mr_cluster_zone *zz = &st->z[z];
    if (ev->kind == MR_MSG_FAULT_START) {
        if (zz->down++ == 0) {
            /* Its pods are lost; they start again when the zone returns. */
            zz->waiting += zz->serving + zz->starting;
            zz->serving = zz->starting = 0;
            zz->pod_cancel = 0;
            zz->epoch++;
            update_capacity(st, ev->time);
            /* Aggregate: the nodes counted against the need dropped. */
            if (st->agg_hub != NULL && can_autoscale(self->cfg, st))
                schedule_tick(self, sim);
        }
    } else if (zz->down > 0 && --zz->down == 0) {
        start_pods(self, sim, z);
        if (can_autoscale(self->cfg, st))
            schedule_tick(self, sim);
    }
}

static void scale_to(mr_component *self, mr_sim *sim, int64_t n)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    if (cfg->per_node == 0)
        return;
    if (n < 0)
        n = 0;
    if (n > cfg->max)
        n = cfg->max;
    if (cfg->cold_steps && !st->created) {
        /* Not there yet: create it first (once), then it gets want nodes. */
        st->want = n;
        if (n > 0 && !st->creating) {
            st->creating = 1;
            mr_sim_schedule(sim, mr_dist_sample_time(&cfg->create, st->create_rng), self->id,
                            CL_CREATED, NULL, 0, NULL);
        }
        return;
    }
    if (cfg->cold_steps && n == 0)
        st->created = 0; /* scaled back to nothing: deleted, created again next time */
    st->floor = n;
    st->surge = n > cfg->nodes;
    st->ready_pods = st->surge ? n * cfg->per_node : 0;
    if (st->surge) /* the recovery timeline's "standby ready" is due */
        mr_sim_mark(sim, MR_MS_STANDBY_READY, self, MR_MARK_DUE);
    st->unneeded_since = -1;
    int64_t all = nodes_in(st, 0);
    if (n > all)
        add_nodes(self, sim, n - all);
    else if (n < all)
        remove_nodes(self, sim, all - n, 0);
    if (can_autoscale(cfg, st))
        schedule_tick(self, sim);
}

/* Zone outages take that zone's pods. Cluster and ingress failures: whole
 * ones take the endpoint down for requests and probes alike; partial ones
 * fail that share of both. A gray failure fails requests while probes
 * pass, or, inverted, probes while requests pass. */
static void cluster_dispatch(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    switch (ev->kind) {
    case MR_MSG_FAULT_START:
    case MR_MSG_FAULT_END: {
        mr_msg_fault m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        int whole = !(m.flags & MR_FAULT_F_RAMP) && m.severity >= 1;
        if (m.kind == MR_FAULT_ZONE_OUTAGE)
            zone_fault(self, sim, ev, &m);
        else if (m.kind == MR_FAULT_GRAY_FAILURE)
            mr__fault_set_apply(m.flags & MR_FAULT_F_INVERT ? &st->gray_probe : &st->gray, ev);
        else if (whole)
            mr__fault_count(&st->down, ev);
        else
            mr__fault_set_apply(&st->partial, ev);
        break;
    }
    case MR_MSG_SCALE: {
        mr_msg_scale m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        scale_to(self, sim, m.nodes);
        break;
    }
    case CL_NODE_READY: {
        uint32_t z;
        memcpy(&z, ev->payload.bytes, sizeof z);
        mr_cluster_zone *zz = &st->z[z];
        if (zz->node_cancel > 0) {
            zz->node_cancel--; /* removed while provisioning: already unbilled */
            break;
        }
        zz->prov--;
        zz->ready++;
        zz->waiting += (int32_t)cfg->per_node;
        start_pods(self, sim, (int)z);
        break;
    }
    case CL_POD_READY: {
        pod_msg m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        mr_cluster_zone *zz = &st->z[m.zone];
        if (m.epoch != zz->epoch)
            break; /* its zone went down meanwhile: counted as waiting */
        if (zz->pod_cancel > 0) {
            zz->pod_cancel--; /* its node was removed */
            break;
        }
        zz->starting--;
        zz->serving++;
        update_capacity(st, ev->time);
        if (st->ready_pods > 0 && (int64_t)st->fifo.c >= st->ready_pods) {
            st->ready_pods = 0;
            mr_sim_mark(sim, MR_MS_STANDBY_READY, self, MR_MARK_REACHED);
        }
        break;
    }
    case CL_TICK: {
        uint64_t acted = st->nodes_added + st->nodes_removed;
        st->tick_pending = 0;
        autoscale(self, sim);
        for (int z = 0; z < st->nz; z++)
            start_pods(self, sim, z);
        if (st->tick_pending || !(can_autoscale(cfg, st) || any_waiting(st)))
            break;
        if (st->agg_hub != NULL && !agg_must_scan(st, acted))
            agg_sleep(self, sim);
        else if (st->agg_hub != NULL && st->unneeded_since >= 0 && !any_waiting(st) &&
                 reachable(st) && st->nodes_added + st->nodes_removed == acted)
            agg_sleep_timer(self, sim);
        else
            schedule_tick(self, sim);
        break;
    }
    case CL_RESUME:
        st->agg_resume = (mr_handle){0};
        schedule_tick(self, sim);
        break;
    case CL_CREATED:
        st->creating = 0;
        st->creations++;
        if (st->want > 0) {
            st->created = 1;
            scale_to(self, sim, st->want);
        }
        break;
    case MR_MSG_WAKE: /* aggregate: the hub's offered rate changed (it cleared agg_asleep) */
        if (st->agg_hub != NULL && !st->tick_pending && (can_autoscale(cfg, st) || any_waiting(st)))
            schedule_tick(self, sim);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
}

/* Aggregate fidelity: the hub hears of every change of the serving pods
 * (it re-reads capacity and up-ness only at its events). */
static void cluster_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_cluster_state *st = self->state;
    uint32_t pods = st->pods;
    cluster_dispatch(self, sim, ev);
    if (st->agg_hub != NULL && st->pods != pods)
        mr_sim_schedule(sim, 0, st->agg_hub->id, MR_MSG_CAPACITY, NULL, 0, NULL);
}

/* node_hours: what the cost model bills, the integral of provisioned
 * nodes over the run (standby and failover surge included). */
static void cluster_report(const mr_component *self, mr_report *out)
{
    const mr_cluster_state *st = self->state;
    double ns = st->node_ns + (double)st->billed * (double)(st->horizon - st->billed_since);
    mr_report_scalar(out, self->name, "node_hours", ns / 3600e9);
    mr_usage u = st->use;
    mr__usage_advance(&u, st->clock, st->horizon);
    mr_report_scalar(out, self->name, "run_node_hours", u.run_x / 3600e9);
    mr_report_scalar(out, self->name, "run_hours", u.run_t / 3600e9);
    mr_report_scalar(out, self->name, "incident_node_hours", u.inc_x / 3600e9);
    mr_report_scalar(out, self->name, "incident_hours", u.inc_t / 3600e9);
    /* The same by the fault each moment is attributed to, for the
     * incident cost per episode (docs/results.md). */
    char metric[48];
    for (uint32_t f = 0; st->clock != NULL && f < st->clock->nf; f++) {
        snprintf(metric, sizeof metric, "incident_node_hours[%u]", f);
        mr_report_scalar(out, self->name, metric, u.fx[f] / 3600e9);
        snprintf(metric, sizeof metric, "incident_hours[%u]", f);
        mr_report_scalar(out, self->name, metric, u.ft[f] / 3600e9);
    }
    mr_report_scalar(out, self->name, "peak_nodes", (double)st->peak_nodes);
    mr_report_scalar(out, self->name, "nodes_added", (double)st->nodes_added);
    mr_report_scalar(out, self->name, "nodes_removed", (double)st->nodes_removed);
    /* Only with the cold steps, so other reports keep their shape. */
    if (((const mr_cluster_cfg *)self->cfg)->cold_steps)
        mr_report_scalar(out, self->name, "creations", (double)st->creations);
    /* Partial faults beyond what one target keeps (MR_MAX_PARTIAL at once)
     * are not applied: say how many, never drop them silently. */
    mr_report_scalar(out, self->name, "partial_faults_dropped",
                     (double)(st->partial.overflow + st->gray.overflow + st->gray_probe.overflow));
}

/* Its state now: nodes ready and provisioning, pods serving and starting,
 * whether it is down (its own failure, its region's or its ingress's
 * outage) or degraded (a partial or gray failure in force), and the
 * requests offered to its queue so far (request fidelity). */
static void cluster_status(const mr_component *self, mr_report *out)
{
    const mr_cluster_state *st = self->state;
    int64_t ready = 0, prov = 0, serving = 0, starting = 0;
    for (int32_t i = 0; i < st->nz; i++) {
        ready += st->z[i].ready;
        prov += st->z[i].prov;
        serving += st->z[i].serving;
        starting += st->z[i].starting;
    }
    mr_report_scalar(out, self->name, "nodes_ready", (double)ready);
    mr_report_scalar(out, self->name, "nodes_provisioning", (double)prov);
    mr_report_scalar(out, self->name, "pods_serving", (double)serving);
    mr_report_scalar(out, self->name, "pods_starting", (double)starting);
    int down = st->down > 0 || (st->region != NULL && st->region->down > 0) ||
               (st->ingress != NULL && st->ingress->down > 0);
    mr_report_scalar(out, self->name, "down", down ? 1 : 0);
    int degraded = mr__fault_set_any(&st->partial) || mr__fault_set_any(&st->gray) ||
                   mr__fault_set_any(&st->gray_probe) ||
                   (st->region != NULL && mr__fault_set_any(&st->region->partial)) ||
                   (st->ingress != NULL && mr__fault_set_any(&st->ingress->partial));
    mr_report_scalar(out, self->name, "degraded", degraded ? 1 : 0);
    mr_report_scalar(out, self->name, "offers", (double)st->fifo.offers);
}

static const char *cluster_event_name(uint32_t kind)
{
    switch (kind) {
    case CL_NODE_READY:
        return "node_ready";
    case CL_POD_READY:
        return "pod_ready";
    case CL_TICK:
        return "autoscaler_scan";
    case CL_RESUME:
        return "autoscaler_resume";
    case CL_CREATED:
        return "cluster_created";
    default:
        return NULL;
    }
}

/* The trace's detail (docs/cli.md "--trace"): what the event is about and
 * the cluster as it stands before the event is handled. Called only when a
 * trace is written, never on the untraced path. */
static int cluster_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_cluster_cfg *cfg = self->cfg;
    const mr_cluster_state *st = self->state;
    int32_t ready = 0, prov = 0, serving = 0;
    for (int z = 0; z < st->nz; z++) {
        ready += st->z[z].ready;
        prov += st->z[z].prov;
        serving += st->z[z].serving;
    }
    char zone[24] = "";
    if (ev->kind == CL_NODE_READY || ev->kind == CL_POD_READY) {
        uint32_t z;
        memcpy(&z, ev->payload.bytes, sizeof z); /* both payloads start with the zone */
        if (nzones(cfg) > 1)
            snprintf(zone, sizeof zone, "zone %u; ", (unsigned)z + 1);
    }
    const char *what = ev->kind == CL_NODE_READY   ? "a node is ready"
                       : ev->kind == CL_POD_READY  ? "a pod is ready"
                       : ev->kind == CL_TICK       ? "autoscaler scan"
                       : ev->kind == CL_RESUME     ? "autoscaler scans resume"
                       : ev->kind == CL_CREATED    ? "cluster created"
                                                   : NULL;
    if (what == NULL)
        return 0; /* a public message: the trace writer describes it */
    return snprintf(buf, n, "%s%s; before: %d nodes ready %d provisioning %d pods serving", zone,
                    what, (int)ready, (int)prov, (int)serving);
}

/* Vectors: the requests routed to it (a running count: its queue's
 * offers, or at aggregate fidelity the hub's expected offers, which the
 * hub projects to any instant without advancing) and its serving pods. */
static size_t cluster_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                             size_t cap)
{
    (void)sim;
    if (cap < 2)
        return 0;
    snprintf(out[0].component, sizeof out[0].component, "%s", self->name);
    snprintf(out[0].metric, sizeof out[0].metric, "served");
    out[0].unit = "requests";
    out[0].counter = 1;
    snprintf(out[1].component, sizeof out[1].component, "%s", self->name);
    snprintf(out[1].metric, sizeof out[1].metric, "pods_ready");
    out[1].unit = "pods";
    out[1].counter = 0;
    return 2;
}

static void cluster_sample(const mr_component *self, mr_time now, double *out)
{
    const mr_cluster_state *st = self->state;
    out[0] = st->agg_hub ? st->agg_offered(st->agg_hub, st->agg_ep, now) : (double)st->fifo.offers;
    out[1] = (double)st->pods;
}

static void cluster_fini(mr_component *self)
{
    mr_cluster_state *st = self->state;
    mr_fifo_fini(&st->fifo);
    mr_rng_free(st->prov_rng);
    mr_rng_free(st->start_rng);
    mr_rng_free(st->create_rng);
    mr_rng_free(st->pull_rng);
}

const mr_model mr_model_cluster = {
    .kind = "cluster",
    .summary = "AKS cluster: zones, nodes, pods, autoscaler, FIFO queueing, failures",
    .cfg_size = sizeof(mr_cluster_cfg),
    .state_size = sizeof(mr_cluster_state),
    .init = cluster_init,
    .link = cluster_link,
    .start = cluster_start,
    .handle = cluster_handle,
    .report = cluster_report,
    .status = cluster_status,
    .series = cluster_series,
    .sample = cluster_sample,
    .event_name = cluster_event_name,
    .event_detail = cluster_event_detail,
    .fini = cluster_fini,
};
