/* models/region.c: an Azure region. Its outages (region_outage faults)
 * take down everything in it: clusters and ingresses read its state.
 * Invariant: down counts the outages in force, so overlapping outages
 * compose and the region is up only when all have ended. */
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "world.h"

static const mr_param region_params[] = {
    /* REFERENCE.md §9: AKS zone-redundant SLA assumes availability zones; Azure
     * regions with zones have three. */
    MR_PARAM_INT(mr_region_cfg, zones, 3, 1, 3, "availability zones in the region"),
    MR_PARAM_END,
};

static int region_init(mr_component *self, mr_diag *diag)
{
    return mr_param_check(region_params, self->cfg, self->name, diag);
}

static void region_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_region_state *st = self->state;
    if (!mr__fault_count(&st->down, ev))
        mr_sim_unhandled(sim, ev);
}

const mr_model mr_model_region = {
    .kind = "region",
    .summary = "Azure region: zones, outages",
    .params = region_params,
    .cfg_size = sizeof(mr_region_cfg),
    .state_size = sizeof(mr_region_state),
    .init = region_init,
    .handle = region_handle,
};
