/* models/dependency.c: the behaviour every kind of shared dependency
 * shares (family "dependency": dep_identity.c, dep_registry.c, ...): a
 * component that several clusters rely on.
 * It is down while a dependency_outage fault is in force or, if it lives in
 * a region, while that region is down. The clusters that use it read its
 * state in place (mr_dep_up): one needed for requests makes them fail their
 * requests and probes (mr_cluster_up); one needed for pod_start keeps new
 * pods from starting (scale-out, cold start), nodes still provision.
 * That one outage reaches every region at once is the common-mode failure
 * the simulator must show (docs/model.md "Regions and clusters").
 * Invariant: down counts the outages in force, so they compose. */
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "cluster.h"

int mr__dep_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_dep_cfg *cfg = self->cfg;
    mr_dep_state *st = self->state;
    if (cfg->region < 0)
        return MR_OK;
    mr_component *r = mr_sim_link(sim, self, cfg->region, "region", "region", diag);
    if (r == NULL)
        return MR_ENOCOMP;
    st->region = r->state;
    return MR_OK;
}

void mr__dep_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_dep_state *st = self->state;
    if (ev->kind == MR_MSG_FAULT_START)
        st->outages++;
    if (!mr__fault_count(&st->down, ev))
        mr_sim_unhandled(sim, ev);
}

/* Its state now, for `mrsim tui`: down (an outage of its own, or its
 * region's) or up. */
void mr__dep_status(const mr_component *self, mr_report *out)
{
    mr_report_scalar(out, self->name, "down", mr_dep_up(self->state) ? 0 : 1);
}

void mr__dep_report(const mr_component *self, mr_report *out)
{
    const mr_dep_state *st = self->state;
    mr_report_scalar(out, self->name, "outages", (double)st->outages);
}
