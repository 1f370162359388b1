/* models/traffic_dns.c: plain Azure DNS in front of the clusters. It has no
 * health checks (docs/reference.md §3): failover is an operator editing the
 * record. The operator learns of every fault as it starts and ends (the
 * component watches the fault injector); when the endpoint the record
 * points at no longer serves, or a better one (lower priority) serves
 * again, the edit lands operator_delay later (detection, decision, edit),
 * pointing the record at the best endpoint that serves at that moment.
 * Resolvers then keep the old answer until their caches expire (rule 3).
 * "Serves" is the truth an operator would see from users: the cluster is
 * up and does not fail every request (a total gray failure counts).
 * The failover policy's runbook (MR_MSG_ENDPOINT_ADMIN) disables or
 * enables an endpoint: the record moves at once (the runbook's delay was
 * the edit), off a disabled endpoint or back to an enabled better one, and
 * the operator above never points it at a disabled one.
 * Aggregate fidelity (lazy): every move of the record is told to the
 * listener (the aggregate clients), which re-reads the answer.
 * Invariant: at most one edit is under way (pending). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "traffic.h"

enum { DNS_EDIT = MR_MSG_PRIVATE };

static int dns_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    const mr_dns_cfg *cfg = self->cfg;
    mr_dns_state *st = self->state;
    for (int64_t e = 1; e < cfg->base.n; e++)
        if (cfg->base.priority[e] < cfg->base.priority[st->record])
            st->record = (int32_t)e;
    st->operator_rng = mr_rng_derive(self->rng, "operator");
    return MR_OK;
}

static int dns_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    return mr__traffic_link(sim, self, "endpoint", diag);
}

static int serves(const mr_cluster_state *c, mr_time now)
{
    return mr_cluster_up(c) && mr_cluster_request_fail_share(c, now) < 1;
}

/* The endpoint the operator wants the record at now: the serving one of
 * lowest priority, or the current one when none serves. */
static int32_t wanted(const mr_component *self, mr_time now)
{
    const mr_dns_cfg *cfg = self->cfg;
    const mr_dns_state *st = self->state;
    int32_t best = -1;
    for (int64_t e = 0; e < cfg->base.n; e++)
        if (serves(st->head.cl[e], now) && !mr__traffic_disabled(&st->head, &cfg->base, e) &&
            (best < 0 || cfg->base.priority[e] < cfg->base.priority[best]))
            best = (int32_t)e;
    if (best < 0 && mr__traffic_disabled(&st->head, &cfg->base, st->record))
        for (int64_t e = 0; e < cfg->base.n; e++) /* none serves: at least not a disabled one */
            if (!mr__traffic_disabled(&st->head, &cfg->base, e) &&
                (best < 0 || cfg->base.priority[e] < cfg->base.priority[best]))
                best = (int32_t)e;
    return best < 0 ? st->record : best;
}

static void consider(mr_component *self, mr_sim *sim)
{
    const mr_dns_cfg *cfg = self->cfg;
    mr_dns_state *st = self->state;
    if (st->pending || wanted(self, mr_sim_now(sim)) == st->record)
        return;
    st->pending = 1;
    mr_sim_schedule(sim, mr_dist_sample_time(&cfg->operator_delay, st->operator_rng), self->id,
                    DNS_EDIT, NULL, 0, NULL);
}

static void tell(mr_component *self, mr_sim *sim, int32_t e, int healthy)
{
    const mr_dns_cfg *cfg = self->cfg;
    if (cfg->base.watcher < 0)
        return;
    mr_msg_status s = {(uint32_t)e, (uint32_t)cfg->base.cluster[e], healthy};
    mr_sim_schedule(sim, 0, (uint32_t)cfg->base.watcher, MR_MSG_ENDPOINT_STATUS, &s, sizeof s, NULL);
}

/* Points the record at the endpoint wanted now, if that is another. */
static void move(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_dns_cfg *cfg = self->cfg;
    mr_dns_state *st = self->state;
    int32_t to = wanted(self, now);
    if (to == st->record)
        return;
    mr_sim_mark(sim, MR_MS_DETECTED, self, MR_MARK_REACHED); /* the operator's edit */
    tell(self, sim, st->record, 0);
    st->record = to;
    st->changes++;
    tell(self, sim, to, 1);
    if (cfg->base.lazy) {
        mr_msg_status s = {(uint32_t)to, (uint32_t)cfg->base.cluster[to], 1};
        mr_sim_schedule(sim, 0, (uint32_t)cfg->base.listener, MR_MSG_ENDPOINT_STATUS, &s,
                        sizeof s, NULL);
    }
}

static void dns_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    mr_dns_state *st = self->state;
    if (ev->kind == MR_MSG_WAKE)
        return; /* nothing sleeps here */
    int changed;
    if (mr__traffic_admin(self, sim, ev, 0, &changed)) {
        /* The runbook's delay included the edit: the record moves now (off
         * a disabled endpoint, or back to an enabled better one). */
        if (changed)
            move(self, sim, ev->time);
        return;
    }
    if (ev->kind == MR_MSG_FAULT_START || ev->kind == MR_MSG_FAULT_END) {
        mr_msg_fault m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.kind == MR_FAULT_DNS_MISCONFIG || m.kind == MR_FAULT_TRAFFIC_LAYER_OUTAGE)
            mr__traffic_fault(&st->head.faults, ev);
        consider(self, sim);
        return;
    }
    if (ev->kind != DNS_EDIT) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    st->pending = 0;
    move(self, sim, ev->time);
    consider(self, sim);
}

static void dns_report(const mr_component *self, mr_report *out)
{
    const mr_dns_state *st = self->state;
    mr_report_scalar(out, self->name, "record_changes", (double)st->changes);
    mr_report_scalar(out, self->name, "queries", (double)st->head.queries);
}

static const char *dns_event_name(uint32_t kind)
{
    return kind == DNS_EDIT ? "operator_edit" : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int dns_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_dns_state *st = self->state;
    if (ev->kind != DNS_EDIT)
        return 0; /* a public message: the trace writer describes it */
    return snprintf(buf, n, "the operator edits the record (points at endpoint %d)",
                    (int)st->record);
}

static void dns_fini(mr_component *self)
{
    mr_dns_state *st = self->state;
    mr_rng_free(st->operator_rng);
}

/* ---- the kind: keys, price, SLA, detection ------------------------------------- */

static const mr_param dns_params[] = {
    MR_TRAFFIC_ENDPOINTS_ROW("endpoints"),
    {.key = "endpoints[].priority",
     .type = MR_PARAM_T_INT,
     .lo = 1,
     .hi = 1000,
     .doc = "the record starts at the lowest; 1 for an active cluster, 2 for a standby when "
            "absent",
     .ref = "ours"},
    /* docs/reference.md §3 TTL default: the docs' example uses 3600 s; range 1 s to
     * 2^31 - 1 s. */
    {.key = "ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_dns_cfg, ttl),
     .def = "1h",
     .lo = (double)MR_S,
     .hi = 2147483647.0 * (double)MR_S,
     .doc = "TTL of the DNS record",
     .ref = "docs/reference.md §3 TTL default (3600 s), TTL range"},
    /* Ours: docs/reference.md §3 gives no figure for the operator's delay. */
    {.key = "operator_delay",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_dns_cfg, operator_delay),
     .def = "triangular(10m, 20m, 1h)",
     .doc = "detection, decision and record edit before a DNS failover (plain Azure DNS has "
            "no health probes)",
     .ref = "ours: docs/reference.md §3 gives none (docs/scenario-format.md example)"},
    MR_PARAM_END,
};

/* docs/reference.md §10: per million queries and per zone-month. */
static double dns_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    (void)vcfg;
    return ctx->queries_month / 1e6 * ctx->price(ctx, "dns_per_million_queries") +
           ctx->price(ctx, "dns_zone_per_month");
}

static void dns_sla(const void *vcfg, mr_model_sla *out)
{
    (void)vcfg;
    *out = (mr_model_sla){.availability = 1.0,
                          .what = "Azure DNS",
                          .source = "docs/reference.md §3 SLA (100%)",
                          .multi_region = 1};
}

/* No probes: an operator notices, decides and edits the record. */
static void dns_detect(const void *vcfg, mr_model_detect *out)
{
    const mr_dns_cfg *cfg = vcfg;
    *out = (mr_model_detect){.dist = &cfg->operator_delay,
                             .unit = 1.0 / (double)MR_S,
                             .ttl_s = (double)cfg->ttl / (double)MR_S,
                             .event = "operator changes the record",
                             .layer = "plain DNS"};
}

/* The record points at one endpoint until an operator moves it. */
static uint32_t dns_answer(const mr_component *t, mr_rng *r, int64_t origin)
{
    (void)r;
    (void)origin;
    const mr_dns_cfg *cfg = t->cfg;
    return (uint32_t)cfg->base.cluster[((const mr_dns_state *)t->state)->record];
}

static mr_time dns_ttl(const mr_component *t)
{
    return ((const mr_dns_cfg *)t->cfg)->ttl;
}

static const mr_traffic_ops dns_ops = {.answer = dns_answer, .ttl = dns_ttl};

const mr_model mr_model_traffic_dns = {
    .kind = "dns",
    .family = "traffic",
    .ops = &dns_ops,
    .params = dns_params,
    .cost = dns_cost,
    .sla = dns_sla,
    .detect = dns_detect,
    .summary = "plain Azure DNS: no probes, an operator edits the record",
    .cfg_size = sizeof(mr_dns_cfg),
    .state_size = sizeof(mr_dns_state),
    .init = dns_init,
    .link = dns_link,
    .handle = dns_handle,
    .report = dns_report,
    .event_name = dns_event_name,
    .event_detail = dns_event_detail,
    .fini = dns_fini,
};
