/* models/ingress.c: the behaviour every kind of regional ingress shares
 * (family "ingress": ingress_agc.c, ingress_nginx.c): the entry of a
 * cluster's region (Application Gateway for Containers, NGINX), which adds
 * its latency to every request and can fail on its own (ingress_failure).
 * Its cluster links to it and reads its state in place (mr_cluster_up, the
 * fail shares of cluster.h): a whole failure takes the cluster's endpoint
 * down for requests and probes alike, a partial one fails that share of
 * both. Invariant: down counts the whole failures in force, so they
 * compose. */
#include <string.h>

#include "cluster.h"
#include "mrsim/error.h"
#include "mrsim/fault.h"

int mr__ingress_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_ingress_cfg *cfg = self->cfg;
    mr_ingress_state *st = self->state;
    int rc = MR_OK;
    st->faults = mr__faults_link(sim, self, cfg->faults, diag, &rc);
    return rc;
}

void mr__ingress_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_ingress_state *st = self->state;
    if (ev->kind != MR_MSG_FAULT_START && ev->kind != MR_MSG_FAULT_END) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    mr_msg_fault m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (ev->kind == MR_MSG_FAULT_START)
        st->failures++;
    if (!(m.flags & MR_FAULT_F_RAMP) && m.severity >= 1)
        mr__fault_count(&st->down, ev);
    else
        mr__fault_set_apply(&st->partial, ev);
}

void mr__ingress_report(const mr_component *self, mr_report *out)
{
    const mr_ingress_state *st = self->state;
    mr_report_scalar(out, self->name, "failures", (double)st->failures);
    /* Partial faults beyond what one target keeps are not applied: say how
     * many, never drop them silently. */
    mr_report_scalar(out, self->name, "partial_faults_dropped", (double)st->partial.overflow);
}
