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
 * Invariant: phase moves normal -> deciding -> failed over -> failing back
 * -> normal, and at most one timer (pending) is outstanding. */
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "cluster.h"
#include "failover.h"

enum { FO_ACT = MR_MSG_PRIVATE, FO_FAILBACK };
enum { NORMAL = 0, DECIDING, FAILED_OVER, FAILING_BACK };

static int fo_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    mr_failover_state *st = self->state;
    st->first_failover = -1;
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

static void fo_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_failover_cfg *cfg = self->cfg;
    mr_failover_state *st = self->state;
    switch (ev->kind) {
    case MR_MSG_ENDPOINT_STATUS: {
        mr_msg_status m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (cfg->trigger != MR_TRIGGER_PROBES || m.endpoint >= MR_MAX_ENDPOINTS ||
            !is_active(cfg, m.cluster))
            break;
        uint8_t bad = m.healthy == 0;
        if (bad == st->bad[m.endpoint])
            break;
        st->bad[m.endpoint] = bad;
        st->unhealthy += bad ? 1 : -1;
        if (bad && st->unhealthy == 1)
            failure(self, sim);
        else if (!bad && st->unhealthy == 0)
            healthy(self, sim);
        break;
    }
    case MR_MSG_FAULT_START:
        if (cfg->trigger == MR_TRIGGER_OPERATOR && st->faults++ == 0)
            failure(self, sim);
        break;
    case MR_MSG_FAULT_END:
        if (cfg->trigger == MR_TRIGGER_OPERATOR && st->faults > 0 && --st->faults == 0)
            healthy(self, sim);
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
}

static const char *fo_event_name(uint32_t kind)
{
    return kind == FO_ACT ? "act" : kind == FO_FAILBACK ? "failback" : NULL;
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
};
