/* models/slo.c: the SLO collector: the metrics of docs/model.md "Metrics: exact
 * definitions" for one replication. Requests are counted in the window
 * (slo.window, aligned to t = 0, rule 6) of their first issue time; a
 * window with no request meets the target; warm-up windows are excluded
 * from every metric. Fault episodes are reported by the faults component.
 * Invariant: attempts are recorded in issue-time order (their fate is
 * computed on arrival), which is what makes the client-RTO rule a single
 * pass.
 * Aggregate fidelity (cfg aggregate = 1): a year has 3 million windows, too
 * many to keep or scan per replication. Traffic arrives as expected counts
 * per interval (mr__slo_integrate); a window whose every interval had a
 * success share of 1 meets the target whatever its count, so it is only
 * added to bulk sums (its count is the expectation: no noise, since it
 * cannot change a ratio of 1). A window with a share below 1 somewhere is
 * kept, in order, with its counts drawn (total ~ Poisson(expected), ok ~
 * Binomial(total, expected ok / expected total)): counts matter there, a
 * 10-request window at 95% misses a 99% target 40% of the time. Downtime,
 * RTO and episode downtime then walk the kept windows only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "slo.h"


const double mr__slo_routed_share[3] = {0.50, 0.95, 0.99};

static int slo_init(mr_component *self, mr_diag *diag)
{
    const mr_slo_cfg *cfg = self->cfg;
    mr_slo_state *st = self->state;
    (void)diag;
    st->window = cfg->window;
    st->warmup = cfg->warmup;
    st->nres = (size_t)cfg->resolvers;
    st->nwin = (size_t)(cfg->horizon / cfg->window) + 1;
    st->agg = cfg->aggregate != 0;
    st->horizon = cfg->horizon;
    if (st->agg) {
        st->noise = mr_rng_derive(self->rng, "noise");
        st->capsparse = 256;
        st->sw = mr_xmalloc(st->capsparse * sizeof *st->sw);
        st->st = mr_xmalloc(st->capsparse * sizeof *st->st);
        st->so = mr_xmalloc(st->capsparse * sizeof *st->so);
    } else {
        st->total = mr_xcalloc(st->nwin, sizeof *st->total);
        st->ok = mr_xcalloc(st->nwin, sizeof *st->ok);
    }
    st->capep = 64;
    st->ep = mr_xmalloc(st->capep * sizeof *st->ep);
    st->capmarks = 16;
    st->marks = mr_xmalloc(st->capmarks * sizeof *st->marks);
    /* A cfg written by hand (tests) may leave groups 0: one per resolver. */
    st->ngroups = (size_t)(cfg->groups > 0 ? cfg->groups : cfg->resolvers > 0 ? cfg->resolvers : 1);
    st->npop = (size_t)(cfg->populations > 0 ? cfg->populations : 1);
    st->stable_for = cfg->stable_for;
    st->fail_issue = mr_xmalloc(st->ngroups * sizeof *st->fail_issue);
    st->cand_done = mr_xmalloc(st->ngroups * sizeof *st->cand_done);
    st->done_ep = mr_xcalloc(st->ngroups, sizeof *st->done_ep);
    st->group_pop = mr_xcalloc(st->ngroups, sizeof *st->group_pop);
    for (size_t g = 0; g < st->ngroups; g++)
        st->fail_issue[g] = st->cand_done[g] = -1;
    st->pop_sum = mr_xcalloc(st->npop, sizeof *st->pop_sum);
    st->pop_n = mr_xcalloc(st->npop, sizeof *st->pop_n);
    st->pop_cens = mr_xcalloc(st->npop, sizeof *st->pop_cens);
    mr_hist_init(&st->latency_ms);
    mr_hist_init(&st->failed_latency_ms);
    mr_hist_init(&st->warm_latency_ms);
    mr_hist_init(&st->client_rto_hist);
    mr_hist_init(&st->client_cens_hist);
    mr_tally_reset(&st->client_rto_s);
    return MR_OK;
}

/* ---- recovery milestones ------------------------------------------------
 * Every mark belongs to the episode in force (none before the first). The
 * first (milestone, component) of an episode wins: a standby scaled twice,
 * an endpoint degraded again, count once. */

static mr_slo_mark *find_mark(mr_slo_state *s, uint32_t what, const mr_component *src)
{
    for (size_t i = s->nmarks; i-- > 0 && s->marks[i].ep == s->nep - 1;)
        if (s->marks[i].what == what && s->marks[i].src == src)
            return &s->marks[i];
    return NULL;
}

static void add_mark(mr_slo_state *s, uint32_t what, const mr_component *src, mr_time t)
{
    if (s->nmarks == s->capmarks) {
        s->capmarks *= 2;
        s->marks = mr_xrealloc(s->marks, s->capmarks * sizeof *s->marks);
    }
    s->marks[s->nmarks++] = (mr_slo_mark){.ep = (uint32_t)(s->nep - 1), .what = what,
                                          .src = src, .t = t};
}

static void slo_mark(void *ctx, uint32_t what, const mr_component *src, int reached, mr_time now)
{
    mr_slo_state *s = ctx;
    if (s->nep == 0 || what >= MR_MS_COUNT)
        return;
    mr_slo_mark *m = find_mark(s, what, src);
    if (reached == MR_MARK_WITHDRAWN) {
        if (m && m->t < 0)
            m->what = MR_MS_COUNT;
        return;
    }
    if (m == NULL)
        add_mark(s, what, src, reached ? now : -1);
    else if (reached && m->t < 0)
        m->t = now;
}

/* The window rw is over: its share of requests routed to healthy capacity
 * moves the routed milestones (the end of the first window back at or
 * above a threshold, after one below it). */
static void routed_close(mr_slo_state *s)
{
    if (s->nep > 0 && s->r_all > 0) {
        double share = s->r_ok / s->r_all;
        for (int i = 0; i < 3; i++) {
            if (share < mr__slo_routed_share[i] && !s->r_fell[i]) {
                s->r_fell[i] = 1;
                add_mark(s, MR_MS_ROUTED_50 + (uint32_t)i, NULL, -1);
            } else if (share >= mr__slo_routed_share[i] && s->r_fell[i] && !s->r_done[i]) {
                s->r_done[i] = 1;
                mr_time end = (mr_time)(s->rw + 1) * s->window;
                mr_slo_mark *m = find_mark(s, MR_MS_ROUTED_50 + (uint32_t)i, NULL);
                if (m)
                    m->t = end;
            }
        }
    }
    s->r_all = s->r_ok = 0;
}

void mr__slo_routed(mr_slo_state *s, mr_time t, int healthy)
{
    if (s->nep == 0)
        return;
    size_t w = (size_t)(t / s->window);
    if (w != s->rw) {
        routed_close(s);
        s->rw = w;
    }
    s->r_all += 1;
    s->r_ok += healthy != 0;
}

void mr__slo_routed_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate,
                              double healthy)
{
    if (s->nep == 0 || !(rate > 0))
        return;
    if (t0 < s->ep[s->nep - 1].start)
        t0 = s->ep[s->nep - 1].start;
    mr_time W = s->window;
    while (t0 < t1) {
        size_t w = (size_t)(t0 / W);
        if (w != s->rw) {
            routed_close(s);
            s->rw = w;
        }
        mr_time wend = (mr_time)(w + 1) * W;
        /* Whole windows at or above every threshold change nothing once no
         * threshold waits for its recovery: straight to the last one. */
        int waiting = 0;
        for (int i = 0; i < 3; i++)
            waiting |= s->r_fell[i] && !s->r_done[i];
        if (!waiting && healthy >= mr__slo_routed_share[2] && t1 >= wend + W && s->r_all == 0) {
            s->rw = (size_t)(t1 / W);
            t0 = (mr_time)s->rw * W;
            continue;
        }
        mr_time e = t1 < wend ? t1 : wend;
        double n = rate * mr_time_to_s(e - t0);
        s->r_all += n;
        s->r_ok += n * (healthy > 0 ? healthy : 0);
        t0 = e;
    }
}

void mr__slo_groups(mr_slo_state *s, uint32_t base, uint32_t n, uint32_t pop)
{
    for (uint32_t i = 0; i < n && (size_t)base + i < s->ngroups; i++)
        s->group_pop[base + i] = pop < s->npop ? pop : 0;
}

/* One client RTO sample of group g: its value and whether it is censored. */
static void crto_sample(mr_slo_state *s, uint32_t g, double v, int censored)
{
    uint32_t p = s->group_pop[g];
    mr_tally_add(&s->client_rto_s, v);
    mr_hist_add(censored ? &s->client_cens_hist : &s->client_rto_hist, v);
    s->pop_sum[p] += v;
    s->pop_n[p]++;
    s->pop_cens[p] += censored != 0;
}

/* Group g's sample when its episode ends at limit (the next fault's start
 * or the horizon): recovered when a candidate came early enough to be
 * followed by stable_for before the end, else censored at the end; none
 * when it saw no failure or was sampled already. Returns 1 with *v and
 * *censored set when there is one. */
static int crto_close(const mr_slo_state *s, uint32_t g, mr_time limit, double *v, int *censored)
{
    if (s->fail_issue[g] < 0 || s->done_ep[g] == s->nep)
        return 0;
    if (s->cand_done[g] >= 0 && s->cand_done[g] + s->stable_for <= limit) {
        *v = mr_time_to_s(s->cand_done[g] - s->fail_issue[g]);
        *censored = 0;
    } else {
        *v = mr_time_to_s(limit - s->fail_issue[g]);
        *censored = 1;
    }
    return 1;
}

/* The rule of docs/model.md "client RTO", one attempt at a time: a failure
 * starts the group's outage (the first) and cancels any candidate; the
 * first success after a failure is the candidate; an attempt issued
 * stable_for or more after the candidate's completion confirms it. */
void mr__slo_attempt(mr_slo_state *s, uint32_t g, mr_time issue, int ok, mr_time done)
{
    if (s->nep == 0 || issue < s->ep[s->nep - 1].start || s->done_ep[g] == s->nep)
        return;
    if (s->cand_done[g] >= 0 && issue >= s->cand_done[g] + s->stable_for) {
        crto_sample(s, g, mr_time_to_s(s->cand_done[g] - s->fail_issue[g]), 0);
        s->done_ep[g] = (uint32_t)s->nep;
        s->fail_issue[g] = s->cand_done[g] = -1;
        return;
    }
    if (!ok) {
        if (s->fail_issue[g] < 0)
            s->fail_issue[g] = issue;
        s->cand_done[g] = -1;
    } else if (s->fail_issue[g] >= 0 && issue > s->fail_issue[g] && s->cand_done[g] < 0) {
        s->cand_done[g] = done;
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
    else if (first_issue >= s->warmup)
        mr_hist_add(&s->failed_latency_ms, 1e3 * mr_time_to_s(done - first_issue));
}

/* The first measured window (warm-up excluded) and the end of the windows. */
static size_t first_measured(const mr_slo_state *s)
{
    return (size_t)((s->warmup + s->window - 1) / s->window);
}

void mr__slo_flush(mr_slo_state *s)
{
    if (!s->agg || !(s->cur_total > 0)) {
        s->cur_total = s->cur_ok = 0;
        s->cur_imperfect = 0;
        return;
    }
    size_t w = s->cur_w;
    if (w < s->nwin) {
        if (!s->cur_imperfect) {
            if (w < first_measured(s)) {
                s->warm_total += s->cur_total;
                s->warm_ok += s->cur_ok;
            } else {
                s->bulk_total += s->cur_total;
                s->bulk_ok += s->cur_ok;
            }
        } else {
            if (s->nsparse == s->capsparse) {
                s->capsparse *= 2;
                s->sw = mr_xrealloc(s->sw, s->capsparse * sizeof *s->sw);
                s->st = mr_xrealloc(s->st, s->capsparse * sizeof *s->st);
                s->so = mr_xrealloc(s->so, s->capsparse * sizeof *s->so);
            }
            double p = s->cur_ok / s->cur_total;
            /* 64-bit counts, a sampler valid for any mean (rate x window
             * passes 4e9 at 1e5/s over a day: rng.h). */
            uint64_t n = mr_rng_poisson(s->noise, s->cur_total);
            uint64_t k = mr_rng_binomial(s->noise, p, n);
            s->sw[s->nsparse] = w;
            s->st[s->nsparse] = (double)n;
            s->so[s->nsparse] = (double)k;
            s->nsparse++;
        }
    }
    s->cur_total = s->cur_ok = 0;
    s->cur_imperfect = 0;
}

void mr__slo_integrate(mr_slo_state *s, mr_time t0, mr_time t1, double rate, double ok_share)
{
    if (t1 > s->horizon)
        t1 = s->horizon;
    if (!s->agg || t1 <= t0 || !(rate > 0))
        return;
    int perfect = ok_share >= 1;
    mr_time W = s->window;
    while (t0 < t1) {
        size_t w = (size_t)(t0 / W);
        if (w != s->cur_w) {
            mr__slo_flush(s);
            s->cur_w = w;
        }
        mr_time wend = (mr_time)(w + 1) * W;
        if (perfect && t1 >= wend + W) {
            /* Whole windows met in full: straight to the bulk sums. */
            double n = rate * mr_time_to_s(wend - t0);
            s->cur_total += n;
            s->cur_ok += n;
            mr__slo_flush(s);
            size_t w2 = (size_t)(t1 / W);
            size_t a = w + 1, m = first_measured(s), e = w2 < s->nwin ? w2 : s->nwin;
            double per = rate * mr_time_to_s(W);
            size_t warm = a < m ? (m < e ? m : e) - a : 0;
            size_t meas = e > a + warm ? e - a - warm : 0;
            s->warm_total += per * (double)warm;
            s->warm_ok += per * (double)warm;
            s->bulk_total += per * (double)meas;
            s->bulk_ok += per * (double)meas;
            s->cur_w = w2;
            t0 = (mr_time)w2 * W;
            continue;
        }
        mr_time e = t1 < wend ? t1 : wend;
        double n = rate * mr_time_to_s(e - t0);
        s->cur_total += n;
        s->cur_ok += n * (ok_share > 0 ? ok_share : 0);
        s->cur_imperfect |= !perfect;
        t0 = e;
    }
}

void mr__slo_episode_start(mr_slo_state *s, mr_time t, uint32_t fault)
{
    if (s->before_episode)
        s->before_episode(s->before_episode_ctx, t);
    if (s->nep > 0 && s->ep[s->nep - 1].end < 0)
        s->ep[s->nep - 1].end = t; /* an episode lasts until the next fault starts */
    routed_close(s); /* the window so far is the episode before's */
    if (s->nep == s->capep) {
        s->capep *= 2;
        s->ep = mr_xrealloc(s->ep, s->capep * sizeof *s->ep);
    }
    /* The groups still out close the episode before: recovered or
     * censored at its end, never dropped. */
    for (uint32_t g = 0; s->nep > 0 && g < s->ngroups; g++) {
        double v;
        int cens;
        if (crto_close(s, g, t, &v, &cens))
            crto_sample(s, g, v, cens);
    }
    s->ep[s->nep++] = (mr_slo_episode){.start = t, .end = -1, .fault_end = -1, .fault = fault};
    s->rw = (size_t)(t / s->window);
    for (int i = 0; i < 3; i++)
        s->r_fell[i] = s->r_done[i] = 0;
    for (size_t g = 0; g < s->ngroups; g++)
        s->fail_issue[g] = s->cand_done[g] = -1;
}

/* The episode is measured up to the next fault or the horizon; its
 * fault's own end is only reported (end_s). */
void mr__slo_episode_end(mr_slo_state *s, mr_time t, uint32_t fault)
{
    for (size_t k = s->nep; k-- > 0;) {
        if (s->ep[k].fault == fault && s->ep[k].fault_end < 0) {
            s->ep[k].fault_end = t;
            return;
        }
    }
}

/* ---- the windows, for either storage -------------------------------------
 * Request fidelity keeps every window; aggregate fidelity only those with a
 * success share below 1 (sw, st, so), a window it did not keep having met
 * the target in full. The metrics below walk the windows of a range
 * through one iterator, so that each rule is written once for both. */

/* The first kept window at or after w (aggregate fidelity). */
static size_t sparse_from(const mr_slo_state *s, size_t w)
{
    size_t lo = 0, hi = s->nsparse;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->sw[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct win_iter {
    const mr_slo_state *s;
    size_t next; /* request fidelity: the next window; aggregate: the next kept one */
    size_t end;  /* windows from end on are not yielded */
} win_iter;

/* The windows of [a, b) that the storage holds, in time order. */
static win_iter windows_of(const mr_slo_state *s, size_t a, size_t b)
{
    return (win_iter){.s = s, .next = s->agg ? sparse_from(s, a) : a,
                      .end = b < s->nwin ? b : s->nwin};
}

/* The next window: returns 1 and sets its index, requests and successes,
 * or 0 at the end of the range. */
static int window_next(win_iter *it, size_t *w, double *total, double *ok)
{
    const mr_slo_state *s = it->s;
    if (s->agg) {
        if (it->next >= s->nsparse || s->sw[it->next] >= it->end)
            return 0;
        *w = s->sw[it->next];
        *total = s->st[it->next];
        *ok = s->so[it->next];
    } else {
        if (it->next >= it->end)
            return 0;
        *w = it->next;
        *total = (double)s->total[it->next];
        *ok = (double)s->ok[it->next];
    }
    it->next++;
    return 1;
}

/* Rule 6: a window misses the target when it had requests and too few
 * succeeded; an empty window meets it. */
static int below_target(double target, double total, double ok)
{
    return total > 0 && ok < target * total;
}

/* The below-target windows of [a, b). */
static uint64_t bad_windows(const mr_slo_cfg *cfg, const mr_slo_state *s, size_t a, size_t b)
{
    uint64_t bad = 0;
    size_t w;
    double total, ok;
    for (win_iter it = windows_of(s, a, b); window_next(&it, &w, &total, &ok);)
        bad += below_target(cfg->success_target, total, ok);
    return bad;
}

/* RTO of episode k in seconds (docs/model.md): the end of the last below-target
 * window before a run of stable_for meeting windows, minus the start; 0 if
 * no window from the start on missed; *censored when no such run comes
 * before the episode's end (the next fault or the horizon). A window the
 * iterator does not yield meets the target, so the run is the gap between
 * two below-target windows, or between the last one and the range's end. */
static double episode_rto(const mr_slo_cfg *cfg, const mr_slo_state *s, size_t k, int *censored)
{
    mr_time start = s->ep[k].start;
    mr_time limit = k + 1 < s->nep ? s->ep[k + 1].start : cfg->horizon;
    size_t w0 = (size_t)(start / cfg->window);
    /* The window holding the next episode's start is that episode's: its
     * failures must not make this one look unrecovered. */
    size_t w1 = k + 1 < s->nep ? (size_t)(limit / cfg->window)
                               : (size_t)((limit + cfg->window - 1) / cfg->window);
    if (w1 > s->nwin)
        w1 = s->nwin;
    size_t need = (size_t)((cfg->stable_for + cfg->window - 1) / cfg->window);
    if (need < 1)
        need = 1; /* recovery needs one meeting window even with stable_for 0 */
    int64_t last_bad = -1;
    int recovered = 0;
    size_t w;
    double total, ok;
    for (win_iter it = windows_of(s, w0, w1); window_next(&it, &w, &total, &ok);) {
        int bad = below_target(cfg->success_target, total, ok);
        /* Windows last_bad + 1 .. w - 1 met the target, and w too unless bad. */
        if (last_bad >= 0 && w - (size_t)last_bad - (size_t)bad >= need) {
            recovered = 1;
            break;
        }
        if (bad)
            last_bad = (int64_t)w;
    }
    *censored = 0;
    if (last_bad < 0)
        return 0;
    if (recovered || w1 - (size_t)last_bad - 1 >= need)
        return mr_time_to_s((mr_time)(last_bad + 1) * cfg->window - start);
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
    return a < b ? bad_windows(cfg, s, a, b) : 0;
}

/* Requests and successes over the windows of [a, b) on top of the given
 * sums (aggregate fidelity's bulk of windows met in full). */
static void window_sums(const mr_slo_state *s, size_t a, size_t b, double *total, double *ok)
{
    size_t w;
    double t, k;
    for (win_iter it = windows_of(s, a, b); window_next(&it, &w, &t, &k);) {
        *total += t;
        *ok += k;
    }
}

/* The whole-system scalars: availability, downtime and requests over the
 * measured windows [w0, w1), and the warm-up [0, w0) on its own, for
 * slo.steady_state (the scenario keeps warm-up < horizon, so w0 <= w1). */
static void report_totals(const mr_slo_cfg *cfg, const mr_slo_state *st, size_t w0, size_t w1,
                          mr_report *out)
{
    double total = st->agg ? st->bulk_total : 0, ok = st->agg ? st->bulk_ok : 0;
    double wtotal = st->agg ? st->warm_total : 0, wok = st->agg ? st->warm_ok : 0;
    window_sums(st, w0, w1, &total, &ok);
    window_sums(st, 0, w0 < w1 ? w0 : w1, &wtotal, &wok);
    uint64_t bad = bad_windows(cfg, st, w0, w1);
    mr_report_scalar(out, "", "availability", total > 0 ? ok / total : NAN);
    mr_report_scalar(out, "", "downtime_s", (double)bad * mr_time_to_s(cfg->window));
    mr_report_scalar(out, "", "requests", total);
    mr_report_scalar(out, "", "warmup_availability", wtotal > 0 ? wok / wtotal : NAN);
    mr_report_scalar(out, "", "warmup_latency_ms_p99",
                     mr_hist_quantile(&st->warm_latency_ms, 0.99));
}

/* The routed milestone i of the last episode still due at the end: the
 * window being counted closes it (the horizon cuts that window). Returns
 * the time it was reached, or -1. */
static mr_time routed_at_end(const mr_slo_cfg *cfg, const mr_slo_state *st, int i)
{
    if (!(st->r_all > 0) || st->r_ok / st->r_all < mr__slo_routed_share[i] || !st->r_fell[i] ||
        st->r_done[i])
        return -1;
    mr_time end = (mr_time)(st->rw + 1) * st->window;
    return end < cfg->horizon ? end : cfg->horizon;
}

static void milestone_out(mr_report *out, const mr_slo_episode *ep, size_t k, uint32_t what,
                          const mr_component *src, double t_s, double limit_s)
{
    mr_milestone_record m = {.episode = (uint32_t)k, .fault = ep->fault, .what = what,
                             .source = src ? src->id : MR_REPORT_NO_SOURCE, .t_s = t_s,
                             .limit_s = limit_s, .censored = isnan(t_s)};
    snprintf(m.component, sizeof m.component, "%s", src ? src->name : "");
    mr_report_milestone(out, &m);
}

/* Episode k's milestones (docs/model.md "recovery timeline"), from its
 * fault's start: those that became due or were reached in it, censored
 * when due but not reached by its end (the next fault or the horizon),
 * then its recovery, the RTO. Detection is only ever reached: an endpoint
 * already out since an earlier episode is not detected again, so its
 * absence says nothing was marked unhealthy in this one. */
static size_t report_milestones(const mr_slo_cfg *cfg, const mr_slo_state *st, size_t k,
                                const mr_episode_record *e, size_t from, mr_report *out)
{
    const mr_slo_episode *ep = &st->ep[k];
    mr_time limit = k + 1 < st->nep ? st->ep[k + 1].start : cfg->horizon;
    double len = mr_time_to_s(limit - ep->start);
    /* Marks are kept in episode order: episode k's start at `from`. */
    size_t i = from;
    for (; i < st->nmarks && st->marks[i].ep <= k; i++) {
        const mr_slo_mark *m = &st->marks[i];
        if (m->ep != k || m->what >= MR_MS_COUNT)
            continue;
        mr_time t = m->t;
        int routed = m->what >= MR_MS_ROUTED_50 && m->what <= MR_MS_ROUTED_99;
        if (t < 0 && routed && k + 1 == st->nep)
            t = routed_at_end(cfg, st, (int)(m->what - MR_MS_ROUTED_50));
        if (t > limit)
            t = limit; /* a window cut by the next fault's start */
        milestone_out(out, ep, k, m->what, m->src, t >= 0 ? mr_time_to_s(t - ep->start) : NAN,
                      len);
    }
    /* The window still open at the end may have fallen below a threshold
     * (no mark yet): due, and never reached. */
    for (int x = 0; x < 3 && k + 1 == st->nep && st->r_all > 0; x++)
        if (!st->r_fell[x] && st->r_ok / st->r_all < mr__slo_routed_share[x])
            milestone_out(out, ep, k, MR_MS_ROUTED_50 + (uint32_t)x, NULL, NAN, len);
    milestone_out(out, ep, k, MR_MS_RECOVERED, NULL, e->censored ? NAN : e->rto_s, len);
    return i;
}

/* Each episode, as a record and as scalars of component "episode/K"
 * (which the results database reads); returns the sum of their RTOs. */
static double report_episodes(const mr_slo_cfg *cfg, const mr_slo_state *st, size_t w0,
                              size_t w1, mr_report *out)
{
    double rto_sum = 0;
    size_t mark = 0;
    for (size_t k = 0; k < st->nep; k++) {
        const mr_slo_episode *ep = &st->ep[k];
        mr_episode_record e = {
            .fault = ep->fault,
            .start_s = mr_time_to_s(ep->start),
            .end_s = ep->fault_end >= 0 ? mr_time_to_s(ep->fault_end) : NAN,
            .downtime_s = episode_downtime(cfg, st, k, w0, w1) * mr_time_to_s(cfg->window)};
        e.rto_s = episode_rto(cfg, st, k, &e.censored);
        mr_report_episode(out, &e);
        mark = report_milestones(cfg, st, k, &e, mark, out);
        char comp[32];
        snprintf(comp, sizeof comp, "episode/%zu", k);
        mr_report_scalar(out, comp, "start_s", e.start_s);
        mr_report_scalar(out, comp, "end_s", e.end_s);
        mr_report_scalar(out, comp, "fault", (double)e.fault);
        mr_report_scalar(out, comp, "rto_s", e.rto_s);
        mr_report_scalar(out, comp, "censored", e.censored);
        mr_report_scalar(out, comp, "downtime_s", e.downtime_s);
        rto_sum += e.rto_s;
    }
    return rto_sum;
}

/* The windows as stored, for the results database. */
static void report_windows(const mr_slo_state *st, mr_report *out)
{
    mr_windows_record w = {.width = st->window};
    if (st->agg) {
        w.nsparse = st->nsparse;
        w.sparse_w = st->sw;
        w.sparse_total = st->st;
        w.sparse_ok = st->so;
    } else {
        w.n = st->nwin;
        w.total = st->total;
        w.ok = st->ok;
    }
    mr_report_windows(out, &w);
}

/* Client RTO: the samples of the closed episodes plus those of the last
 * one, closed at the horizon (report is const: on copies). Whole system:
 * client_rto_s, the mean of every sample (a censored one at its censoring
 * time, so a lower bound when client_rto_censored > 0), its p99, the
 * censored share; the recovered samples' and the censored samples'
 * histograms (Kaplan-Meier over replications, sim/run). Per population,
 * component "population/K": client_rto_s, client_rto_censored and
 * client_rto_groups (its samples). */
static void report_client_rto(const mr_slo_cfg *cfg, const mr_slo_state *st, mr_report *out)
{
    mr_tally all = st->client_rto_s;
    mr_hist rec, cens;
    mr_hist_init(&rec);
    mr_hist_init(&cens);
    mr_hist_merge(&rec, &st->client_rto_hist);
    mr_hist_merge(&cens, &st->client_cens_hist);
    double *sum = mr_xcalloc(st->npop, sizeof *sum);
    uint64_t *n = mr_xcalloc(st->npop, sizeof *n), *nc = mr_xcalloc(st->npop, sizeof *nc);
    for (size_t p = 0; p < st->npop; p++) {
        sum[p] = st->pop_sum[p];
        n[p] = st->pop_n[p];
        nc[p] = st->pop_cens[p];
    }
    for (uint32_t g = 0; st->nep > 0 && g < st->ngroups; g++) {
        double v;
        int c;
        if (!crto_close(st, g, cfg->horizon, &v, &c))
            continue;
        mr_tally_add(&all, v);
        mr_hist_add(c ? &cens : &rec, v);
        sum[st->group_pop[g]] += v;
        n[st->group_pop[g]]++;
        nc[st->group_pop[g]] += c != 0;
    }
    mr_report_scalar(out, "", "client_rto_s", all.n ? all.mean : NAN);
    mr_report_scalar(out, "", "client_rto_s_p99", mr_hist_quantile(&rec, 0.99));
    mr_report_scalar(out, "", "client_rto_censored",
                     all.n ? (double)cens.n / (double)all.n : NAN);
    mr_report_hist(out, "", "client_rto_s", &rec);
    mr_report_hist(out, "", "client_rto_censored_s", &cens);
    for (size_t p = 0; p < st->npop; p++) {
        char comp[32];
        snprintf(comp, sizeof comp, "population/%zu", p);
        mr_report_scalar(out, comp, "client_rto_s", n[p] ? sum[p] / (double)n[p] : NAN);
        mr_report_scalar(out, comp, "client_rto_censored",
                         n[p] ? (double)nc[p] / (double)n[p] : NAN);
        mr_report_scalar(out, comp, "client_rto_groups", (double)n[p]);
    }
    free(sum);
    free(n);
    free(nc);
    mr_hist_fini(&rec);
    mr_hist_fini(&cens);
}

static void slo_report(const mr_component *self, mr_report *out)
{
    const mr_slo_cfg *cfg = self->cfg;
    const mr_slo_state *st = self->state;
    size_t w0 = (size_t)((cfg->warmup + cfg->window - 1) / cfg->window);
    size_t w1 = (size_t)((cfg->horizon + cfg->window - 1) / cfg->window);
    if (w1 > st->nwin)
        w1 = st->nwin;
    report_totals(cfg, st, w0, w1, out);
    double rto_sum = report_episodes(cfg, st, w0, w1, out);
    mr_report_scalar(out, "", "rto_s", st->nep ? rto_sum / (double)st->nep : NAN);
    report_client_rto(cfg, st, out);
    mr_report_scalar(out, "", "latency_ms_p50", mr_hist_quantile(&st->latency_ms, 0.50));
    mr_report_scalar(out, "", "latency_ms_p99", mr_hist_quantile(&st->latency_ms, 0.99));
    mr_report_hist(out, "", "latency_ms", &st->latency_ms);
    mr_report_scalar(out, "", "failed_latency_ms_p50",
                     mr_hist_quantile(&st->failed_latency_ms, 0.50));
    mr_report_scalar(out, "", "failed_latency_ms_p99",
                     mr_hist_quantile(&st->failed_latency_ms, 0.99));
    report_windows(st, out);
}

/* The collector hears every component's recovery milestones. */
static int slo_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    (void)diag;
    mr_sim_set_mark(sim, slo_mark, self->state);
    return MR_OK;
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
    free(st->ep);
    free(st->marks);
    free(st->fail_issue);
    free(st->cand_done);
    free(st->done_ep);
    free(st->group_pop);
    free(st->pop_sum);
    free(st->pop_n);
    free(st->pop_cens);
    free(st->sw);
    free(st->st);
    free(st->so);
    mr_rng_free(st->noise);
    mr_hist_fini(&st->latency_ms);
    mr_hist_fini(&st->failed_latency_ms);
    mr_hist_fini(&st->warm_latency_ms);
    mr_hist_fini(&st->client_rto_hist);
    mr_hist_fini(&st->client_cens_hist);
}

/* The live view's read-only way to the latency histogram (`mrsim tui`'s
 * p99 chart, sim/run/live.c): a copy of it as it stands, at request
 * fidelity (aggregate fidelity records no latency), without the full
 * report's work (client RTO, the windows). The run layer reaches a model
 * only through its slots; this one changes nothing in the run. */
static void slo_status(const mr_component *self, mr_report *out)
{
    const mr_slo_state *st = self->state;
    if (!st->agg)
        mr_report_hist(out, "", "latency_ms", &st->latency_ms);
}

const mr_model mr_model_slo = {
    .kind = "slo",
    .summary = "SLO collector: availability, downtime, RTO, client RTO, latency",
    .cfg_size = sizeof(mr_slo_cfg),
    .state_size = sizeof(mr_slo_state),
    .init = slo_init,
    .link = slo_link,
    .handle = slo_handle,
    .report = slo_report,
    .status = slo_status,
    .fini = slo_fini,
};

