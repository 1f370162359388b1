/* models/failover.c: the topology's failover policy (docs/model.md "Failover
 * and failback"). What triggers it:
 *   probes    the traffic layer tells it (MR_MSG_ENDPOINT_STATUS) of every
 *             endpoint verdict; it fails over the moment an endpoint of an
 *             active cluster turns unhealthy (automation: no delay);
 *   operator  the faults component sends it a copy of every fault's start
 *             and end; it fails over a decision delay (failover.decision)
 *             after a fault starts, unless every fault has ended by then.
 * What runs: the actions in order, at once: {scale: CLUSTER, to: N} sends
 * MR_MSG_SCALE (the cluster provisions, its pods start); {promote: STORE}
 * sends MR_MSG_PROMOTE (forced: the primary is presumed lost).
 * Failback, once the primary is healthy again (probes: every active
 * endpoint healthy; operator: no fault in force): manual after
 * failback.decision, automatic after failback.delay, none never; it scales
 * each scaled cluster back to its standby size (routing follows the
 * traffic layer's own probes; stores stay where they were promoted). A new
 * failure while failback waits cancels it.
 * The runbook (runbook: disable_endpoint), beside the trigger: an operator
 * watches each endpoint of the traffic layer. Its cluster misses the SLO
 * while a fault in force fails more than 1 - slo.success_target of the
 * requests it serves (slo_missed: the truth monitoring of the cluster's
 * own success ratio shows; capacity shortfalls and partitions are not
 * seen). Looked at when a fault starts or ends, and at every SLO window
 * boundary while a ramped fault is in force. Missed for `detect`
 * without a break, the operator decides; `delay` later the endpoint is
 * disabled (MR_MSG_ENDPOINT_ADMIN to the traffic layer), unless the miss
 * ended meanwhile, and never the last enabled endpoint (held instead until
 * the miss ends). Met again, it is enabled after failback.decision
 * (manual) or failback.delay (automatic), or never (none); a new miss
 * meanwhile cancels that. Under the probes trigger a disabled active
 * endpoint counts as an unhealthy one, so the actions run.
 * Invariant: phase moves normal -> deciding -> failed over -> failing back
 * -> normal, and at most one timer (pending) is outstanding; per endpoint,
 * at most one runbook timer (op_timer) and noff counts off[]. */
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/fault.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "cluster.h"
#include "failover.h"
#include "traffic.h"

enum { FO_ACT = MR_MSG_PRIVATE, FO_FAILBACK, FO_DETECT, FO_DISABLE, FO_ENABLE, FO_POLL };
enum { NORMAL = 0, DECIDING, FAILED_OVER, FAILING_BACK };
/* Where the runbook's operator is, per endpoint: SLO met; missed, detect
 * running; decided, delay running; disabled; met again, failback delay
 * running; missed but the last enabled endpoint (not disabled). */
enum { RB_OK = 0, RB_MISSED, RB_DECIDED, RB_OFF, RB_CLEARING, RB_HELD };

static int fo_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    mr_failover_state *st = self->state;
    const mr_failover_cfg *cfg = self->cfg;
    st->first_failover = -1;
    st->first_disable = -1;
    if (cfg->runbook)
        st->rb_rng = mr_rng_derive(self->rng, "runbook");
    return MR_OK;
}

static int fo_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_failover_cfg *cfg = self->cfg;
    int rc = MR_OK;
    for (int64_t a = 0; a < cfg->nactions; a++) {
        int64_t t = cfg->target[a];
        if (cfg->act[a] == MR_ACT_SCALE) {
            if (mr_sim_link(sim, self, t, "cluster", "scale target", diag) == NULL)
                rc = MR_ENOCOMP;
        } else if (t < 0 || t > UINT32_MAX || mr_sim_component(sim, (uint32_t)t) == NULL) {
            mr_diag_error(diag, NULL, "%s: action %lld promotes no component", self->name,
                          (long long)a);
            rc = MR_ENOCOMP;
        }
    }
    if (cfg->runbook) {
        mr_failover_state *st = self->state;
        mr_component *t = cfg->traffic >= 0 && cfg->traffic <= UINT32_MAX
                              ? mr_sim_component(sim, (uint32_t)cfg->traffic)
                              : NULL;
        if (mr__traffic_ops(t) == NULL) {
            mr_diag_error(diag, NULL,
                          "%s: the runbook has no traffic layer to disable endpoints of",
                          self->name);
            return MR_ENOCOMP;
        }
        const mr_traffic_base *base = mr__traffic_base(t);
        st->n = base->n;
        for (int64_t e = 0; e < base->n; e++) {
            mr_component *c = mr_sim_link(sim, self, base->cluster[e], "cluster",
                                          "runbook endpoint", diag);
            if (c == NULL)
                return MR_ENOCOMP;
            st->cl[e] = c->state;
        }
    }
    return rc;
}

static void run_actions(const mr_failover_cfg *cfg, mr_sim *sim, int back)
{
    for (int64_t a = 0; a < cfg->nactions; a++) {
        if (cfg->act[a] == MR_ACT_SCALE) {
            mr_msg_scale m = {.nodes = (int32_t)(back ? cfg->back_to[a] : cfg->to[a])};
            mr_sim_schedule(sim, 0, (uint32_t)cfg->target[a], MR_MSG_SCALE, &m, sizeof m, NULL);
        } else if (!back) {
            mr_msg_promote m = {.forced = 1, .fault = UINT32_MAX};
            mr_sim_schedule(sim, 0, (uint32_t)cfg->target[a], MR_MSG_PROMOTE, &m, sizeof m, NULL);
        }
    }
}

/* Something failed: start failing over, or stop a failback in progress. */
static void failure(mr_component *self, mr_sim *sim)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    if (st->phase == FAILING_BACK) {
        mr_sim_cancel(sim, st->pending);
        st->phase = FAILED_OVER;
    } else if (st->phase == NORMAL) {
        st->phase = DECIDING;
        mr_time delay = cfg->trigger == MR_TRIGGER_OPERATOR
                            ? mr_dist_sample_time(&cfg->decision, self->rng)
                            : 0;
        mr_sim_schedule(sim, delay, self->id, FO_ACT, NULL, 0, &st->pending);
    }
}

/* The primary is healthy again: fail back, or give up a decision not yet
 * taken. */
static void healthy(mr_component *self, mr_sim *sim)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    if (st->phase == DECIDING) {
        mr_sim_cancel(sim, st->pending);
        st->phase = NORMAL;
    } else if (st->phase == FAILED_OVER && cfg->failback != MR_FAILBACK_NONE) {
        st->phase = FAILING_BACK;
        mr_sim_schedule(sim, mr_dist_sample_time(&cfg->failback_delay, self->rng), self->id,
                        FO_FAILBACK, NULL, 0, &st->pending);
    }
}

static int is_active(const mr_failover_cfg *cfg, uint32_t cluster)
{
    for (int64_t i = 0; i < cfg->nactive; i++) {
        if (cfg->active[i] == (int64_t)cluster)
            return 1;
    }
    return 0;
}

/* PROBES: endpoint e's verdict for the policy is its probes' or the
 * runbook's (a disabled active endpoint fails over as a Degraded one). */
static void verdict(mr_component *self, mr_sim *sim, uint32_t e, uint32_t cluster)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    if (cfg->trigger != MR_TRIGGER_PROBES || e >= MR_MAX_ENDPOINTS || !is_active(cfg, cluster))
        return;
    uint8_t bad = st->probe_bad[e] | st->off[e];
    if (bad == st->bad[e])
        return;
    st->bad[e] = bad;
    st->unhealthy += bad ? 1 : -1;
    if (bad && st->unhealthy == 1)
        failure(self, sim);
    else if (!bad && st->unhealthy == 0)
        healthy(self, sim);
}

/* ---- the runbook ---- */

/* Whether the operator sees cluster c miss the SLO now: down for a fault
 * (it, its region, its ingress, a dependency it needs for requests), or
 * failing more than 1 - success_target of its requests (partial and gray
 * failures). A cluster merely holding no pod (a cold standby) misses
 * nothing: no fault is in force on it. */
static int slo_missed(const mr_failover_cfg *cfg, const mr_cluster_state *c, mr_time now)
{
    if (c->down != 0 || c->region->down != 0 || (c->ingress != NULL && c->ingress->down != 0))
        return 1;
    for (uint32_t i = 0; i < c->nreq; i++)
        if (!mr_dep_up(c->req[i]))
            return 1;
    return 1 - mr_cluster_request_fail_share(c, now) < cfg->success_target;
}

static void rb_schedule(mr_component *self, mr_sim *sim, const mr_dist *d, uint32_t kind,
                        uint32_t e)
{
    mr_failover_state *st = self->state;
    mr_sim_schedule(sim, mr_dist_sample_time(d, st->rb_rng), self->id, kind, &e, sizeof e,
                    &st->op_timer[e]);
}

static void rb_admin(mr_component *self, mr_sim *sim, uint32_t e, int enabled)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    mr_msg_admin m = {.endpoint = e, .enabled = enabled};
    st->off[e] = (uint8_t)!enabled;
    st->noff += enabled ? -1 : 1;
    mr_sim_schedule(sim, 0, (uint32_t)cfg->traffic, MR_MSG_ENDPOINT_ADMIN, &m, sizeof m, NULL);
    const mr_traffic_base *base = mr__traffic_base(mr_sim_component(sim, (uint32_t)cfg->traffic));
    verdict(self, sim, e, (uint32_t)base->cluster[e]);
}

/* The operator looks at every endpoint (a fault started or ended, or an
 * SLO window ended during a ramp) and moves each one's runbook on. */
static void rb_check(mr_component *self, mr_sim *sim)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    for (int64_t i = 0; i < st->n; i++) {
        uint32_t e = (uint32_t)i;
        int miss = slo_missed(cfg, st->cl[e], now);
        switch (st->op[e]) {
        case RB_OK:
            if (miss) {
                st->op[e] = RB_MISSED;
                rb_schedule(self, sim, &cfg->detect, FO_DETECT, e);
            }
            break;
        case RB_MISSED:
        case RB_DECIDED:
            if (!miss) {
                mr_sim_cancel(sim, st->op_timer[e]);
                st->op[e] = RB_OK;
            }
            break;
        case RB_OFF:
            if (!miss && cfg->failback != MR_FAILBACK_NONE) {
                st->op[e] = RB_CLEARING;
                rb_schedule(self, sim, &cfg->failback_delay, FO_ENABLE, e);
            }
            break;
        case RB_CLEARING:
            if (miss) {
                mr_sim_cancel(sim, st->op_timer[e]);
                st->op[e] = RB_OFF;
            }
            break;
        default: /* RB_HELD */
            if (!miss)
                st->op[e] = RB_OK;
            break;
        }
    }
    /* A ramp changes the share without an event: look again at the next
     * SLO window boundary while one is in force. */
    if (st->rb_ramps > 0 && !st->poll_pending && cfg->window > 0) {
        st->poll_pending = 1;
        mr_sim_schedule_at(sim, mr__next_on_grid(0, cfg->window, now + 1), self->id, FO_POLL,
                           NULL, 0, NULL);
    }
}

static void rb_timer(mr_component *self, mr_sim *sim, uint32_t kind, uint32_t e)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    st->op_timer[e] = (mr_handle){0};
    if (kind == FO_DETECT) {
        st->op[e] = RB_DECIDED;
        rb_schedule(self, sim, &cfg->delay, FO_DISABLE, e);
    } else if (kind == FO_DISABLE) {
        if (st->n - st->noff <= 1) { /* the last enabled endpoint: kept */
            st->op[e] = RB_HELD;
            return;
        }
        st->op[e] = RB_OFF;
        st->disables++;
        if (st->first_disable < 0)
            st->first_disable = mr_sim_now(sim);
        rb_admin(self, sim, e, 0);
    } else {
        st->op[e] = RB_OK;
        st->enables++;
        rb_admin(self, sim, e, 1);
    }
}

static void fo_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    switch (ev->kind) {
    case MR_MSG_ENDPOINT_STATUS: {
        mr_msg_status m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.endpoint >= MR_MAX_ENDPOINTS)
            break;
        st->probe_bad[m.endpoint] = m.healthy == 0;
        verdict(self, sim, m.endpoint, m.cluster);
        break;
    }
    case MR_MSG_FAULT_START:
        if (cfg->runbook) {
            mr_msg_fault f;
            memcpy(&f, ev->payload.bytes, sizeof f);
            st->rb_ramps += (f.flags & MR_FAULT_F_RAMP) != 0;
            rb_check(self, sim);
        }
        if (cfg->trigger == MR_TRIGGER_OPERATOR && st->faults++ == 0)
            failure(self, sim);
        break;
    case MR_MSG_FAULT_END:
        if (cfg->runbook) {
            mr_msg_fault f;
            memcpy(&f, ev->payload.bytes, sizeof f);
            st->rb_ramps -= (f.flags & MR_FAULT_F_RAMP) != 0 && st->rb_ramps > 0;
            rb_check(self, sim);
        }
        if (cfg->trigger == MR_TRIGGER_OPERATOR && st->faults > 0 && --st->faults == 0)
            healthy(self, sim);
        break;
    case FO_DETECT:
    case FO_DISABLE:
    case FO_ENABLE: {
        uint32_t e;
        memcpy(&e, ev->payload.bytes, sizeof e);
        rb_timer(self, sim, ev->kind, e);
        break;
    }
    case FO_POLL:
        st->poll_pending = 0;
        rb_check(self, sim);
        break;
    case FO_ACT:
        st->phase = FAILED_OVER;
        st->failovers++;
        if (st->first_failover < 0)
            st->first_failover = ev->time;
        run_actions(cfg, sim, 0);
        /* The primary may have healed while the decision was taken. */
        if ((cfg->trigger == MR_TRIGGER_PROBES && st->unhealthy == 0) ||
            (cfg->trigger == MR_TRIGGER_OPERATOR && st->faults == 0))
            healthy(self, sim);
        break;
    case FO_FAILBACK:
        st->phase = NORMAL;
        st->failbacks++;
        run_actions(cfg, sim, 1);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
}

static void fo_report(const mr_component *self, mr_report *out)
{
    const mr_failover_state *st = self->state;
    mr_report_scalar(out, self->name, "failovers", (double)st->failovers);
    mr_report_scalar(out, self->name, "failbacks", (double)st->failbacks);
    mr_report_scalar(out, self->name, "first_failover_s",
                     st->first_failover < 0 ? -1 : mr_time_to_s(st->first_failover));
    const mr_failover_cfg *cfg = self->cfg;
    if (cfg->runbook) { /* only then, so reports without one keep their shape */
        mr_report_scalar(out, self->name, "endpoint_disables", (double)st->disables);
        mr_report_scalar(out, self->name, "endpoint_enables", (double)st->enables);
        mr_report_scalar(out, self->name, "first_disable_s",
                         st->first_disable < 0 ? -1 : mr_time_to_s(st->first_disable));
    }
}

static void fo_fini(mr_component *self)
{
    mr_failover_state *st = self->state;
    mr_rng_free(st->rb_rng);
}

static const char *fo_event_name(uint32_t kind)
{
    switch (kind) {
    case FO_ACT:
        return "act";
    case FO_FAILBACK:
        return "failback";
    case FO_DETECT:
        return "runbook_detect";
    case FO_DISABLE:
        return "runbook_disable";
    case FO_ENABLE:
        return "runbook_enable";
    case FO_POLL:
        return "runbook_look";
    default:
        return NULL;
    }
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int fo_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_failover_state *st = self->state;
    static const char *const phase[] = {"normal", "deciding", "failed over", "failing back"};
    const char *now = st->phase >= 0 && st->phase < 4 ? phase[st->phase] : "?";
    uint32_t e = 0;
    switch (ev->kind) {
    case FO_ACT:
        return snprintf(buf, n, "fail over now (was %s; %llu failovers before)", now,
                        (unsigned long long)st->failovers);
    case FO_FAILBACK:
        return snprintf(buf, n, "fail back now (was %s)", now);
    case FO_DETECT:
    case FO_DISABLE:
    case FO_ENABLE:
        memcpy(&e, ev->payload.bytes, sizeof e);
        return snprintf(buf, n, "endpoint %u: %s", (unsigned)e,
                        ev->kind == FO_DETECT    ? "the operator has seen the SLO missed"
                        : ev->kind == FO_DISABLE ? "the operator disables it"
                                                 : "the operator enables it again");
    case FO_POLL:
        return snprintf(buf, n, "the operator looks at every endpoint (%d disabled)",
                        (int)st->noff);
    default:
        return 0; /* a public message: the trace writer describes it */
    }
}

const mr_model mr_model_failover = {
    .kind = "failover",
    .summary = "failover policy: probe or operator trigger, scale and promote actions, failback",
    .cfg_size = sizeof(mr_failover_cfg),
    .state_size = sizeof(mr_failover_state),
    .init = fo_init,
    .link = fo_link,
    .handle = fo_handle,
    .report = fo_report,
    .event_name = fo_event_name,
    .event_detail = fo_event_detail,
    .fini = fo_fini,
};
