/* models/slo.c: the SLO collector: the metrics of DESIGN.md "Metrics: exact
 * definitions" for one replication. Requests are counted in the window
 * (slo.window, aligned to t = 0, rule 6) of their first issue time; a
 * window with no request meets the target; warm-up windows are excluded
 * from every metric. Fault episodes are reported by the faults component.
 * Invariant: attempts are recorded in issue-time order (their fate is
 * computed on arrival), which is what makes the client-RTO rule a single
 * pass. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "world.h"

static const mr_param slo_params[] = {
    /* SCENARIO.md slo.window default 10 s; a definition, not an Azure figure. */
    MR_PARAM_DURATION(mr_slo_cfg, window, 10 * MR_S, MR_MS, MR_DAY, "SLO window"),
    MR_PARAM_DURATION(mr_slo_cfg, warmup, 0, 0, 100 * MR_YEAR, "warm-up, excluded"),
    /* Simulation setting (ours): one hour unless the scenario says otherwise. */
    MR_PARAM_DURATION(mr_slo_cfg, horizon, MR_H, MR_S, 100 * MR_YEAR, "end of the run"),
    /* SCENARIO.md slo.stable_for default 60 s. */
    MR_PARAM_DURATION(mr_slo_cfg, stable_for, 60 * MR_S, 0, MR_DAY,
                      "meeting windows that end an episode"),
    /* SCENARIO.md example slo.success_target 0.99. */
    MR_PARAM_DOUBLE(mr_slo_cfg, success_target, 0.99, 0, 1, "success ratio a window must meet"),
    MR_PARAM_INT(mr_slo_cfg, resolvers, 1, 1, 100000000, "resolvers of every pool"),
    MR_PARAM_END,
};

static int slo_init(mr_component *self, mr_diag *diag)
{
    const mr_slo_cfg *cfg = self->cfg;
    mr_slo_state *st = self->state;
    int rc = mr_param_check(slo_params, cfg, self->name, diag);
    if (rc != MR_OK)
        return rc;
    st->window = cfg->window;
    st->warmup = cfg->warmup;
    st->nres = (size_t)cfg->resolvers;
    st->nwin = (size_t)(cfg->horizon / cfg->window) + 1;
    st->total = mr_xcalloc(st->nwin, sizeof *st->total);
    st->ok = mr_xcalloc(st->nwin, sizeof *st->ok);
    st->fail_issue = mr_xmalloc((size_t)cfg->resolvers * sizeof *st->fail_issue);
    st->done_ep = mr_xcalloc((size_t)cfg->resolvers, sizeof *st->done_ep);
    for (int64_t r = 0; r < cfg->resolvers; r++)
        st->fail_issue[r] = -1;
    mr_hist_init(&st->latency_ms);
    mr_hist_init(&st->warm_latency_ms);
    mr_hist_init(&st->client_rto_hist);
    mr_tally_reset(&st->client_rto_s);
    return MR_OK;
}

void mr__slo_attempt(mr_slo_state *s, uint32_t resolver, mr_time issue, int ok, mr_time done)
{
    if (s->nep == 0 || issue < s->ep[s->nep - 1].start || s->done_ep[resolver] == s->nep)
        return;
    if (!ok) {
        if (s->fail_issue[resolver] < 0)
            s->fail_issue[resolver] = issue;
    } else if (s->fail_issue[resolver] >= 0 && issue > s->fail_issue[resolver]) {
        double rto = mr_time_to_s(done - s->fail_issue[resolver]);
        mr_tally_add(&s->client_rto_s, rto);
        mr_hist_add(&s->client_rto_hist, rto);
        s->done_ep[resolver] = (uint32_t)s->nep;
        s->fail_issue[resolver] = -1;
    }
}

void mr__slo_request(mr_slo_state *s, mr_time first_issue, int ok, mr_time done)
{
    size_t w = (size_t)(first_issue / s->window);
    if (w < s->nwin) {
        s->total[w]++;
        s->ok[w] += ok != 0;
    }
    if (ok)
        mr_hist_add(first_issue >= s->warmup ? &s->latency_ms : &s->warm_latency_ms,
                    1e3 * mr_time_to_s(done - first_issue));
}

void mr__slo_episode_start(mr_slo_state *s, mr_time t, uint32_t fault)
{
    if (s->nep > 0 && s->ep[s->nep - 1].end < 0)
        s->ep[s->nep - 1].end = t; /* an episode lasts until the next fault starts */
    if (s->nep == sizeof s->ep / sizeof s->ep[0])
        return; /* beyond the table: not measured (a year of faults uses aggregate mode) */
    s->ep[s->nep++] = (mr_slo_episode){.start = t, .end = -1, .fault = fault};
    for (size_t r = 0; r < s->nres; r++)
        s->fail_issue[r] = -1;
}

void mr__slo_episode_end(mr_slo_state *s, mr_time t, uint32_t fault)
{
    (void)s;
    (void)t;
    (void)fault; /* the episode is measured up to the next fault or the horizon */
}

static int meets(const mr_slo_state *s, double target, size_t w)
{
    return s->total[w] == 0 || (double)s->ok[w] >= target * (double)s->total[w];
}

/* RTO of episode k in seconds (DESIGN.md): the end of the last below-target
 * window before a run of stable_for meeting windows, minus the start; 0 if
 * no window from the start on missed; *censored when no such run comes
 * before the episode's end (the next fault or the horizon). */
static double episode_rto(const mr_slo_cfg *cfg, const mr_slo_state *s, size_t k, int *censored)
{
    mr_time start = s->ep[k].start;
    mr_time limit = k + 1 < s->nep ? s->ep[k + 1].start : cfg->horizon;
    size_t w0 = (size_t)(start / cfg->window);
    size_t w1 = (size_t)((limit + cfg->window - 1) / cfg->window);
    if (w1 > s->nwin)
        w1 = s->nwin;
    size_t need = (size_t)((cfg->stable_for + cfg->window - 1) / cfg->window);
    int64_t last_bad = -1;
    size_t run = 0;
    *censored = 0;
    for (size_t w = w0; w < w1; w++) {
        if (!meets(s, cfg->success_target, w)) {
            last_bad = (int64_t)w;
            run = 0;
        } else if (last_bad >= 0 && ++run >= need) {
            return mr_time_to_s((mr_time)(last_bad + 1) * cfg->window - start);
        }
    }
    if (last_bad < 0)
        return 0;
    *censored = 1;
    return mr_time_to_s(limit - start);
}

/* Below-target windows of episode k, warm-up excluded. The windows are
 * shared out so that none counts twice: an episode owns the windows from
 * the one holding its start up to the one holding the next episode's start
 * (excluded), the last one up to the horizon. */
static uint64_t episode_downtime(const mr_slo_cfg *cfg, const mr_slo_state *s, size_t k,
                                 size_t w0, size_t w1)
{
    size_t a = (size_t)(s->ep[k].start / cfg->window);
    size_t b = k + 1 < s->nep ? (size_t)(s->ep[k + 1].start / cfg->window) : w1;
    if (a < w0)
        a = w0;
    if (b > w1)
        b = w1;
    uint64_t bad = 0;
    for (size_t w = a; w < b; w++)
        bad += !meets(s, cfg->success_target, w);
    return bad;
}

static void slo_report(const mr_component *self, mr_report *out)
{
    const mr_slo_cfg *cfg = self->cfg;
    const mr_slo_state *st = self->state;
    size_t w0 = (size_t)((cfg->warmup + cfg->window - 1) / cfg->window);
    size_t w1 = (size_t)((cfg->horizon + cfg->window - 1) / cfg->window);
    if (w1 > st->nwin)
        w1 = st->nwin;
    uint64_t total = 0, ok = 0, bad = 0;
    for (size_t w = w0; w < w1; w++) {
        total += st->total[w];
        ok += st->ok[w];
        bad += !meets(st, cfg->success_target, w);
    }
    mr_report_scalar(out, "", "availability", total ? (double)ok / (double)total : NAN);
    mr_report_scalar(out, "", "downtime_s", (double)bad * mr_time_to_s(cfg->window));
    mr_report_scalar(out, "", "requests", (double)total);
    /* The warm-up on its own, for slo.steady_state: the windows the metrics
     * above leave out. */
    uint64_t wtotal = 0, wok = 0;
    for (size_t w = 0; w < w0 && w < st->nwin; w++) {
        wtotal += st->total[w];
        wok += st->ok[w];
    }
    mr_report_scalar(out, "", "warmup_availability",
                     wtotal ? (double)wok / (double)wtotal : NAN);
    mr_report_scalar(out, "", "warmup_latency_ms_p99",
                     mr_hist_quantile(&st->warm_latency_ms, 0.99));
    double rto_sum = 0;
    for (size_t k = 0; k < st->nep; k++) {
        int censored;
        double rto = episode_rto(cfg, st, k, &censored);
        char comp[32];
        snprintf(comp, sizeof comp, "episode/%zu", k);
        mr_report_scalar(out, comp, "start_s", mr_time_to_s(st->ep[k].start));
        mr_report_scalar(out, comp, "fault", (double)st->ep[k].fault);
        mr_report_scalar(out, comp, "rto_s", rto);
        mr_report_scalar(out, comp, "censored", censored);
        mr_report_scalar(out, comp, "downtime_s",
                         episode_downtime(cfg, st, k, w0, w1) * mr_time_to_s(cfg->window));
        rto_sum += rto;
    }
    mr_report_scalar(out, "", "rto_s", st->nep ? rto_sum / (double)st->nep : NAN);
    mr_report_scalar(out, "", "client_rto_s",
                     st->client_rto_s.n ? st->client_rto_s.mean : NAN);
    mr_report_scalar(out, "", "client_rto_s_p99", mr_hist_quantile(&st->client_rto_hist, 0.99));
    mr_report_scalar(out, "", "latency_ms_p50", mr_hist_quantile(&st->latency_ms, 0.50));
    mr_report_scalar(out, "", "latency_ms_p99", mr_hist_quantile(&st->latency_ms, 0.99));
}

static void slo_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)self;
    mr_sim_unhandled(sim, ev);
}

static void slo_fini(mr_component *self)
{
    mr_slo_state *st = self->state;
    free(st->total);
    free(st->ok);
    free(st->fail_issue);
    free(st->done_ep);
    mr_hist_fini(&st->latency_ms);
    mr_hist_fini(&st->warm_latency_ms);
    mr_hist_fini(&st->client_rto_hist);
}

const mr_model mr_model_slo = {
    .kind = "slo",
    .summary = "SLO collector: availability, downtime, RTO, client RTO, latency",
    .params = slo_params,
    .cfg_size = sizeof(mr_slo_cfg),
    .state_size = sizeof(mr_slo_state),
    .init = slo_init,
    .handle = slo_handle,
    .report = slo_report,
    .fini = slo_fini,
};
