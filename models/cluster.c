/* models/cluster.c: an AKS cluster serving requests. Capacity is pods x
 * requests/s per pod: each pod is a server of the FIFO queue that a
 * request holds for 1 / rps_per_pod, while the request itself spends a
 * service time drawn from service_time; requests queue up to the client's
 * patience, then fail (fifo.h). Autoscaling and warm/cold standby come with
 * the compute issue. Invariant: the cluster serves only while neither it
 * nor its region is down. */
#include <math.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/scenario.h"
#include "world.h"

static const mr_param cluster_params[] = {
    MR_PARAM_INT(mr_cluster_cfg, region, 0, 0, UINT32_MAX, "component id of the region"),
    /* SCENARIO.md example: 6 nodes; no Azure figure. */
    MR_PARAM_INT(mr_cluster_cfg, nodes, 6, 0, 100000, "provisioned nodes"),
    /* SCENARIO.md example: 6 nodes x 4 pods per node = 24 pods; no Azure figure. */
    MR_PARAM_INT(mr_cluster_cfg, pods, 24, 0, 1000000, "serving pods"),
    /* SCENARIO.md example: 40 requests/s per pod (workload-specific). */
    MR_PARAM_DOUBLE(mr_cluster_cfg, rps_per_pod, 40, 1e-6, 1e9, "throughput of one pod, per s"),
    /* REFERENCE.md §2 / §10 give no ingress figure; SCENARIO.md example: 2 ms. */
    MR_PARAM_DURATION(mr_cluster_cfg, ingress_latency, 2 * MR_MS, 0, MR_MIN,
                      "latency the regional ingress adds"),
    MR_PARAM_END,
};

static int cluster_init(mr_component *self, mr_diag *diag)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    int rc = mr_param_check(cluster_params, cfg, self->name, diag);
    if (rc != MR_OK)
        return rc;
    mr_fifo_init(&st->fifo, (uint32_t)cfg->pods);
    st->hold = mr_time_from_s(1.0 / cfg->rps_per_pod);
    return MR_OK;
}

static int cluster_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_cluster_cfg *cfg = self->cfg;
    mr_cluster_state *st = self->state;
    mr_component *r = mr__world_expect(sim, self, cfg->region, "region", "region", diag);
    if (r == NULL)
        return MR_ENOCOMP;
    st->region = r->state;
    return MR_OK;
}

static void cluster_start(mr_component *self, mr_sim *sim)
{
    mr_cluster_state *st = self->state;
    st->horizon = mr_sim_horizon(sim);
    st->faults = mr__faults_of(sim);
}

/* Cluster and ingress failures: whole ones take the endpoint down for
 * requests and probes alike; partial ones fail that share of both. A gray
 * failure fails requests while probes pass, or, inverted, probes while
 * requests pass. */
static void cluster_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_cluster_state *st = self->state;
    if (ev->kind != MR_MSG_FAULT_START && ev->kind != MR_MSG_FAULT_END) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    mr_msg_fault m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    int whole = !(m.flags & MR_FAULT_F_RAMP) && m.severity >= 1;
    switch (m.kind) {
    case MR_FAULT_GRAY_FAILURE:
        mr__fault_set_apply(m.flags & MR_FAULT_F_INVERT ? &st->gray_probe : &st->gray, ev);
        break;
    case MR_FAULT_CLUSTER_FAILURE:
    case MR_FAULT_INGRESS_FAILURE:
        if (whole)
            mr__fault_count(&st->down, ev);
        else
            mr__fault_set_apply(&st->partial, ev);
        break;
    default: /* zone outages: capacity, with the autoscaler (compute issue) */
        break;
    }
}

/* node_hours: what the cost model bills. The node count is constant until
 * the autoscaler and standby modes come (compute issue). */
static void cluster_report(const mr_component *self, mr_report *out)
{
    const mr_cluster_cfg *cfg = self->cfg;
    const mr_cluster_state *st = self->state;
    mr_report_scalar(out, self->name, "node_hours",
                     (double)cfg->nodes * mr_time_to_s(st->horizon) / 3600.0);
}

static void cluster_fini(mr_component *self)
{
    mr_cluster_state *st = self->state;
    mr_fifo_fini(&st->fifo);
}

const mr_model mr_model_cluster = {
    .kind = "cluster",
    .summary = "AKS cluster: pods, FIFO queueing, failures",
    .params = cluster_params,
    .cfg_size = sizeof(mr_cluster_cfg),
    .state_size = sizeof(mr_cluster_state),
    .init = cluster_init,
    .link = cluster_link,
    .start = cluster_start,
    .handle = cluster_handle,
    .report = cluster_report,
    .fini = cluster_fini,
};
