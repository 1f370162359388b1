/* models/phold.c: a PHOLD logical process, the kernel's benchmark model and
 * the smallest complete model (ROSS's reference model).
 * Each event at LP x, time t, schedules one event at an LP drawn uniformly
 * from the lps LPs [first, first + lps) at t + Exp(mean), so the number of
 * pending events stays at what the LPs started with. Each LP folds the
 * times of the events it receives into a hash, so the final state is a
 * checksum of the whole event sequence. Draws come from the LP's own
 * stream. */
#include <inttypes.h>
#include <stdio.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/rng.h"
#include "mrsim/sim.h"
#include "phold.h"

enum { PHOLD_HOP = MR_MSG_PRIVATE };

static int phold_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    mr_phold_state *st = self->state;
    st->hash = 0xcbf29ce484222325ULL;
    return MR_OK;
}

static int phold_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_phold_cfg *cfg = self->cfg;
    if ((uint64_t)cfg->first + (uint64_t)cfg->lps > mr_sim_component_count(sim)) {
        mr_diag_error(diag, NULL, "%s: LPs %" PRId64 "..%" PRId64 " do not all exist", self->name,
                      cfg->first, cfg->first + cfg->lps - 1);
        return MR_ENOCOMP;
    }
    return MR_OK;
}

static mr_time phold_delay(mr_component *self)
{
    const mr_phold_cfg *cfg = self->cfg;
    double d = mr_rng_exponential(self->rng, (double)cfg->mean);
    return (mr_time)(d + 0.5);
}

static void phold_start(mr_component *self, mr_sim *sim)
{
    const mr_phold_cfg *cfg = self->cfg;
    for (int64_t i = 0; i < cfg->initial; i++)
        mr_sim_schedule(sim, phold_delay(self), self->id, PHOLD_HOP, NULL, 0, NULL);
}

static void phold_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_phold_cfg *cfg = self->cfg;
    mr_phold_state *st = self->state;
    if (ev->kind != PHOLD_HOP) {
        mr_sim_unhandled(sim, ev);
        return;
    }
    st->received++;
    st->hash = (st->hash ^ (uint64_t)ev->time) * 0x100000001b3ULL;
    uint32_t dest = (uint32_t)cfg->first + mr_rng_below(self->rng, (uint32_t)cfg->lps);
    mr_sim_schedule(sim, phold_delay(self), dest, PHOLD_HOP, NULL, 0, NULL);
    if (cfg->stop_after > 0 && mr_sim_events(sim) >= (uint64_t)cfg->stop_after)
        mr_sim_stop(sim);
}

static void phold_report(const mr_component *self, mr_report *out)
{
    const mr_phold_state *st = self->state;
    mr_report_scalar(out, self->name, "received", (double)st->received);
}

static const char *phold_event_name(uint32_t kind)
{
    return kind == PHOLD_HOP ? "hop" : NULL;
}

static int phold_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_phold_state *st = self->state;
    (void)ev;
    return snprintf(buf, n, "received=%" PRIu64, st->received);
}

const mr_model mr_model_phold = {
    .kind = "phold",
    .summary = "PHOLD logical process (kernel benchmark)",
    .cfg_size = sizeof(mr_phold_cfg),
    .state_size = sizeof(mr_phold_state),
    .init = phold_init,
    .link = phold_link,
    .start = phold_start,
    .handle = phold_handle,
    .report = phold_report,
    .event_name = phold_event_name,
    .event_detail = phold_event_detail,
};
