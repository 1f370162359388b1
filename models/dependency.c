/* models/dependency.c: a shared dependency (identity provider, hub
 * firewall, container registry, monitoring) that several clusters rely on.
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

static int dep_link(mr_component *self, mr_sim *sim, mr_diag *diag)
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

static void dep_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_dep_state *st = self->state;
    if (ev->kind == MR_MSG_FAULT_START)
        st->outages++;
    if (!mr__fault_count(&st->down, ev))
        mr_sim_unhandled(sim, ev);
}

static void dep_report(const mr_component *self, mr_report *out)
{
    const mr_dep_state *st = self->state;
    mr_report_scalar(out, self->name, "outages", (double)st->outages);
}

const mr_model mr_model_dependency = {
    .kind = "dependency",
    .summary = "shared dependency (identity, registry, firewall): common-mode outages",
    .cfg_size = sizeof(mr_dep_cfg),
    .state_size = sizeof(mr_dep_state),
    .link = dep_link,
    .handle = dep_handle,
    .report = dep_report,
};
