/* models/world.c: helpers shared by the models of world.h. */
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/fault.h"
#include "world.h"

mr_component *mr__world_expect(mr_sim *sim, const mr_component *self, int64_t id,
                               const char *kind, const char *role, mr_diag *diag)
{
    mr_component *c = id >= 0 && id <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)id) : NULL;
    if (c == NULL || strcmp(c->model->kind, kind) != 0) {
        mr_diag_error(diag, NULL, "%s: its %s (component %lld) is not a %s", self->name, role,
                      (long long)id, kind);
        return NULL;
    }
    return c;
}

int mr__traffic_link(mr_sim *sim, const mr_component *self, const int64_t *cluster, int64_t n,
                     const mr_cluster_state **cl, int64_t watcher, const char *role,
                     mr_diag *diag)
{
    int rc = MR_OK;
    for (int64_t e = 0; e < n; e++) {
        mr_component *c = mr__world_expect(sim, self, cluster[e], "cluster", role, diag);
        if (c == NULL)
            rc = MR_ENOCOMP;
        else
            cl[e] = c->state;
    }
    if (watcher >= 0 && (watcher > UINT32_MAX || mr_sim_component(sim, (uint32_t)watcher) == NULL)) {
        mr_diag_error(diag, NULL, "%s: its watcher (component %lld) does not exist", self->name,
                      (long long)watcher);
        rc = MR_ENOCOMP;
    }
    return rc;
}

extern const mr_model mr_model_traffic_tm, mr_model_traffic_fd, mr_model_traffic_dns;

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

/* A traffic layer's faults, or NULL if t is not a traffic layer. */
static mr_traffic_faults *faults_of(const mr_component *t)
{
    if (t->model == &mr_model_traffic_tm)
        return &((mr_tm_state *)t->state)->faults;
    if (t->model == &mr_model_traffic_dns)
        return &((mr_dns_state *)t->state)->faults;
    if (t->model == &mr_model_traffic_fd)
        return &((mr_fd_state *)t->state)->faults;
    return NULL;
}

uint32_t mr__traffic_answer(const mr_component *t, mr_rng *r, int64_t origin, mr_time now)
{
    const mr_traffic_faults *tf = faults_of(t);
    if (tf == NULL)
        return MR_NO_ANSWER;
    /* An outage of the authority fails the query; a misconfigured record is
     * answered, wrongly, and cached like any other answer. */
    if (mr__fault_set_any(&tf->outage)) {
        double share = mr__fault_set_share(&tf->outage, tf->table, now);
        if (share >= 1 || mr_rng_uniform(r) < share)
            return MR_NO_ANSWER;
    }
    if (tf->misconfig > 0)
        return MR_BAD_ANSWER;
    if (t->model == &mr_model_traffic_tm) {
        ((mr_tm_state *)t->state)->queries++;
        return mr__tm_answer(t, r, origin);
    }
    if (t->model == &mr_model_traffic_dns) {
        mr_dns_state *st = t->state;
        const mr_dns_cfg *cfg = t->cfg;
        st->queries++;
        return (uint32_t)cfg->cluster[st->record];
    }
    /* Front Door: the anycast address is the answer; routing is per request. */
    return (uint32_t)t->id;
}

mr_time mr__traffic_ttl(const mr_component *t)
{
    if (t->model == &mr_model_traffic_tm)
        return ((const mr_tm_cfg *)t->cfg)->ttl;
    if (t->model == &mr_model_traffic_dns)
        return ((const mr_dns_cfg *)t->cfg)->ttl;
    return 0;
}
