/* models/region.c: an Azure region. Its outages (region_outage faults)
 * take down everything in it: clusters and ingresses read its state; a
 * partial outage fails that share of what reaches it; network partitions
 * cut it off from the clients or from another region.
 * Invariant: down counts the whole outages in force, so overlapping
 * outages compose and the region is up only when all have ended. */
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "cluster.h"

static int region_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_region_cfg *cfg = self->cfg;
    mr_region_state *st = self->state;
    int rc = MR_OK;
    st->index = (int32_t)cfg->index;
    st->faults = mr__faults_link(sim, self, cfg->faults, diag, &rc);
    return rc;
}

/* A network partition is delivered to both its regions (or to its one
 * region when it cuts the clients off): each side counts the cut towards
 * the other. */
static void region_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_region_state *st = self->state;
    if (ev->kind != MR_MSG_FAULT_START && ev->kind != MR_MSG_FAULT_END) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    mr_msg_fault m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (m.kind != MR_FAULT_NETWORK_PARTITION || st->faults == NULL || m.fault >= st->faults->n) {
        /* A partial outage (severity < 1, or a ramp) fails that share of
         * what reaches the region; a whole one takes everything down. */
        if ((m.flags & MR_FAULT_F_RAMP) || m.severity < 1)
            mr__fault_set_apply(&st->partial, ev);
        else
            mr__fault_count(&st->down, ev);
        return;
    }
    const mr_fault_cfg *fc = &st->faults->f[m.fault];
    if (fc->peer < 0) {
        mr__fault_count(&st->cut_clients, ev);
        return;
    }
    int64_t other = st->index == fc->side[1] ? fc->side[0] : fc->side[1];
    if (other >= 0 && other < MR_MAX_REGIONS)
        mr__fault_count(&st->cut[other], ev);
}

static void region_report(const mr_component *self, mr_report *out)
{
    const mr_region_state *st = self->state;
    mr_report_scalar(out, self->name, "partial_faults_dropped", (double)st->partial.overflow);
}

/* Down (an outage in force) and the share a partial outage fails now. */
static void region_status(const mr_component *self, mr_report *out)
{
    const mr_region_state *st = self->state;
    mr_report_scalar(out, self->name, "down", st->down > 0 ? 1 : 0);
    mr_report_scalar(out, self->name, "partial", mr__fault_set_any(&st->partial) ? 1 : 0);
}

const mr_model mr_model_region = {
    .kind = "region",
    .summary = "Azure region: zones, outages",
    .cfg_size = sizeof(mr_region_cfg),
    .state_size = sizeof(mr_region_state),
    .link = region_link,
    .handle = region_handle,
    .report = region_report,
    .status = region_status,
};
