/* models/traffic.c: what the three traffic layers share: their links to
 * their endpoints, the faults of the layer itself, and the DNS answer and
 * TTL every resolver asks for. */
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/fault.h"
#include "traffic.h"

const mr_traffic_ops *mr__traffic_ops(const mr_component *t)
{
    return t && t->model->family && strcmp(t->model->family, "traffic") == 0 ? t->model->ops
                                                                            : NULL;
}

int mr__traffic_link(mr_sim *sim, const mr_component *self, const char *role, mr_diag *diag)
{
    const mr_traffic_base *base = mr__traffic_base(self);
    mr_traffic_head *head = mr__traffic_head(self);
    int rc = MR_OK;
    head->faults.table = mr__faults_link(sim, self, base->faults, diag, &rc);
    for (int64_t e = 0; e < base->n; e++) {
        mr_component *c = mr_sim_link(sim, self, base->cluster[e], "cluster", role, diag);
        if (c == NULL)
            rc = MR_ENOCOMP;
        else
            head->cl[e] = c->state;
    }
    if (base->watcher >= 0 &&
        (base->watcher > UINT32_MAX || mr_sim_component(sim, (uint32_t)base->watcher) == NULL)) {
        mr_diag_error(diag, NULL, "%s: its watcher (component %lld) does not exist", self->name,
                      (long long)base->watcher);
        rc = MR_ENOCOMP;
    }
    return rc;
}

int mr__traffic_admin(mr_component *t, mr_sim *sim, const mr_event *ev, int tell, int *changed)
{
    *changed = 0;
    if (ev->kind != MR_MSG_ENDPOINT_ADMIN)
        return 0;
    const mr_traffic_base *base = mr__traffic_base(t);
    mr_traffic_head *head = mr__traffic_head(t);
    mr_msg_admin m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (m.endpoint >= (uint32_t)base->n)
        return 1;
    uint8_t off = m.enabled == 0;
    if (head->disabled[m.endpoint] == off)
        return 1;
    head->disabled[m.endpoint] = off;
    head->ndisabled += off ? 1 : -1;
    *changed = 1;
    if (base->lazy && tell) {
        mr_msg_status s = {m.endpoint, (uint32_t)base->cluster[m.endpoint], !off};
        mr_sim_schedule(sim, 0, (uint32_t)base->listener, MR_MSG_ENDPOINT_STATUS, &s, sizeof s,
                        NULL);
    }
    return 1;
}

int mr__traffic_fault(mr_traffic_faults *tf, const mr_event *ev)
{
    if (ev->kind != MR_MSG_FAULT_START && ev->kind != MR_MSG_FAULT_END)
        return 0;
    mr_msg_fault m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    if (m.kind == MR_FAULT_DNS_MISCONFIG)
        mr__fault_count(&tf->misconfig, ev);
    else
        mr__fault_set_apply(&tf->outage, ev);
    return 1;
}

uint32_t mr__traffic_answer(const mr_component *t, mr_rng *r, int64_t origin, mr_time now)
{
    /* t is a traffic layer: its askers checked so at link (mr__traffic_ops),
     * so the hot path compares no family name. */
    const mr_traffic_ops *ops = t->model->ops;
    mr_traffic_head *head = mr__traffic_head(t);
    const mr_traffic_faults *tf = &head->faults;
    /* An outage of the authority fails the query; a misconfigured record is
     * answered, wrongly, and cached like any other answer. */
    if (mr__fault_set_any(&tf->outage)) {
        double share = mr__fault_set_share(&tf->outage, tf->table, now);
        if (share >= 1 || mr_rng_uniform(r) < share)
            return MR_NO_ANSWER;
    }
    if (tf->misconfig > 0)
        return MR_BAD_ANSWER;
    head->queries++;
    return ops->answer(t, r, origin);
}

mr_time mr__traffic_ttl(const mr_component *t)
{
    return ((const mr_traffic_ops *)t->model->ops)->ttl(t);
}
