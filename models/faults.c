/* models/faults.c: the fault injector. Each fault is timed by `at` and a
 * duration, or stochastically by `mtbf` (the up time from a repair to the
 * next failure) and `mttr` (the down time), both distributions. At its
 * start it sends MR_MSG_FAULT_START to its target and opens an episode in
 * the SLO collector; at its end, MR_MSG_FAULT_END. Targets count the faults
 * in force, so overlapping faults compose. The other timings and kinds of
 * SCENARIO.md come with the compute issue.
 * Invariant: a fault's START and END alternate, START first. */
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "world.h"

enum { FT_START = MR_MSG_PRIVATE, FT_END };

static const mr_param faults_params[] = {
    MR_PARAM_INT(mr_faults_cfg, slo, 0, 0, UINT32_MAX, "component id of the SLO collector"),
    MR_PARAM_INT(mr_faults_cfg, n, 0, 0, MR_MAX_FAULTS, "faults"),
    MR_PARAM_END,
};

static int faults_init(mr_component *self, mr_diag *diag)
{
    return mr_param_check(faults_params, self->cfg, self->name, diag);
}

static int faults_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    int rc = MR_OK;
    mr_component *slo = mr__world_expect(sim, self, cfg->slo, "slo", "SLO collector", diag);
    if (slo == NULL)
        rc = MR_ENOCOMP;
    else
        st->slo = slo->state;
    for (int64_t f = 0; f < cfg->n; f++) {
        int64_t t = cfg->f[f].target;
        if (t < 0 || t > UINT32_MAX || mr_sim_component(sim, (uint32_t)t) == NULL) {
            mr_diag_error(diag, NULL, "%s: fault %lld targets no component", self->name,
                          (long long)f);
            rc = MR_ENOCOMP;
        }
    }
    return rc;
}

static void faults_start(mr_component *self, mr_sim *sim)
{
    const mr_faults_cfg *cfg = self->cfg;
    for (int64_t f = 0; f < cfg->n; f++) {
        uint32_t i = (uint32_t)f;
        const mr_fault_cfg *fc = &cfg->f[f];
        if (fc->timing == MR_FT_AT)
            mr_sim_schedule_at(sim, mr_dist_sample_time(&fc->at, self->rng), self->id, FT_START,
                               &i, sizeof i, NULL);
        else
            mr_sim_schedule(sim, mr_dist_sample_time(&fc->mtbf, self->rng), self->id, FT_START,
                            &i, sizeof i, NULL);
    }
}

static void tell_target(mr_sim *sim, const mr_fault_cfg *fc, uint32_t i, uint32_t kind)
{
    mr_msg_fault m = {.fault = i, .kind = (uint32_t)fc->kind, .severity = 1.0};
    mr_sim_schedule(sim, 0, (uint32_t)fc->target, kind, &m, sizeof m, NULL);
}

static void faults_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_faults_cfg *cfg = self->cfg;
    mr_faults_state *st = self->state;
    uint32_t i;
    memcpy(&i, ev->payload.bytes, sizeof i);
    const mr_fault_cfg *fc = &cfg->f[i < cfg->n ? i : 0];
    switch (ev->kind) {
    case FT_START: {
        st->started++;
        tell_target(sim, fc, i, MR_MSG_FAULT_START);
        mr__slo_episode_start(st->slo, ev->time, i);
        const mr_dist *down = fc->timing == MR_FT_AT ? &fc->duration : &fc->mttr;
        mr_sim_schedule(sim, mr_dist_sample_time(down, self->rng), self->id, FT_END, &i, sizeof i,
                        NULL);
        break;
    }
    case FT_END:
        tell_target(sim, fc, i, MR_MSG_FAULT_END);
        mr__slo_episode_end(st->slo, ev->time, i);
        if (fc->timing == MR_FT_MTBF)
            mr_sim_schedule(sim, mr_dist_sample_time(&fc->mtbf, self->rng), self->id, FT_START,
                            &i, sizeof i, NULL);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
}

static void faults_report(const mr_component *self, mr_report *out)
{
    const mr_faults_state *st = self->state;
    mr_report_scalar(out, self->name, "started", (double)st->started);
}

static const char *faults_event_name(uint32_t kind)
{
    return kind == FT_START ? "start" : kind == FT_END ? "end" : NULL;
}

const mr_model mr_model_faults = {
    .kind = "faults",
    .summary = "fault injector: scheduled and mtbf/mttr faults at named targets",
    .params = faults_params,
    .cfg_size = sizeof(mr_faults_cfg),
    .state_size = sizeof(mr_faults_state),
    .init = faults_init,
    .link = faults_link,
    .start = faults_start,
    .handle = faults_handle,
    .report = faults_report,
    .event_name = faults_event_name,
};
