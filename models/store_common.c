/* models/store_common.c: the write log and the replica position of rule 4
 * (store.h). */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "store.h"

void mr_store_log_init(mr_store_log *log)
{
    memset(log, 0, sizeof *log);
}

void mr_store_log_fini(mr_store_log *log)
{
    free(log->t);
    memset(log, 0, sizeof *log);
}

static mr_time at(const mr_store_log *log, size_t i)
{
    return log->t[(log->head + i) % log->cap];
}

uint64_t mr_store_log_append(mr_store_log *log, mr_time t)
{
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 1024;
        mr_time *nt = mr_xmalloc(cap * sizeof *nt);
        for (size_t i = 0; i < log->n; i++)
            nt[i] = at(log, i);
        free(log->t);
        log->t = nt;
        log->cap = cap;
        log->head = 0;
    }
    log->t[(log->head + log->n) % log->cap] = t;
    log->n++;
    return log->first_seq + log->n - 1;
}

/* Index of the first write committed after a (log->n when none). */
static size_t first_index_after(const mr_store_log *log, mr_time a)
{
    size_t lo = 0, hi = log->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at(log, mid) > a)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t mr_store_log_count_after(const mr_store_log *log, mr_time a)
{
    return log->n - first_index_after(log, a);
}

mr_time mr_store_log_first_after(const mr_store_log *log, mr_time a)
{
    size_t i = first_index_after(log, a);
    return i < log->n ? at(log, i) : -1;
}

void mr_store_log_trim(mr_store_log *log, mr_time t)
{
    size_t k = first_index_after(log, t);
    log->head = log->cap ? (log->head + k) % log->cap : 0;
    log->n -= k;
    log->first_seq += k;
}

/* The length of the next hold: the constant one, or a draw (at least 1 ns,
 * so time always moves on). */
static mr_time hold_len(const mr_replica *r, mr_rng *rng)
{
    if (r->hold == NULL)
        return r->sample;
    mr_time h = mr_dist_sample_time(r->hold, rng);
    return h > 0 ? h : 1;
}

void mr_replica_init(mr_replica *r, const mr_dist *lag, mr_time sample, mr_rng *rng)
{
    r->lag = lag;
    r->hold = NULL;
    r->sample = sample;
    r->start = 0;
    r->next_grid = sample;
    r->cur_lag = mr_dist_sample_time(lag, rng);
    r->best = INT64_MIN / 2; /* nothing applied yet */
    r->cut = 0;
    r->frozen = 0;
}

void mr_replica_init_hold(mr_replica *r, const mr_dist *lag, const mr_dist *hold, mr_time sample,
                          mr_rng *rng)
{
    if (hold == NULL || hold->kind == MR_DIST_CONST) {
        mr_time h = hold != NULL && hold->a >= 1 ? (mr_time)llround(hold->a) : sample;
        mr_replica_init(r, lag, h > 0 ? h : MR_S, rng);
        return;
    }
    /* The lag first, then its hold: the order every later draw keeps. */
    mr_replica_init(r, lag, 0, rng);
    r->hold = hold;
    r->next_grid = hold_len(r, rng);
}

/* Passes every end of a hold up to t, drawing the next lag and its hold at
 * each; a finished hold counts only if the link was up (count). */
static void advance(mr_replica *r, mr_time t, mr_rng *rng, int count)
{
    while (r->next_grid <= t) {
        mr_time end = r->next_grid - r->cur_lag;
        if (count && end > r->best)
            r->best = end;
        r->cur_lag = mr_dist_sample_time(r->lag, rng);
        r->start = r->next_grid;
        r->next_grid += hold_len(r, rng);
    }
}

double mr_replica_lag_s(mr_replica *r, mr_time now, mr_rng *rng)
{
    mr_time a = mr_replica_applied(r, now, rng);
    return a < now ? mr_time_to_s(now - (a > 0 ? a : 0)) : 0;
}

mr_time mr_replica_applied(mr_replica *r, mr_time t, mr_rng *rng)
{
    if (r->cut) {
        advance(r, t, rng, 0);
        return r->frozen;
    }
    advance(r, t, rng, 1);
    mr_time now = t - r->cur_lag;
    return now > r->best ? now : r->best;
}

void mr_replica_cut(mr_replica *r, mr_time t, mr_rng *rng)
{
    if (r->cut)
        return;
    r->frozen = mr_replica_applied(r, t, rng);
    r->cut = 1;
}

void mr_replica_heal(mr_replica *r, mr_time t, mr_rng *rng)
{
    if (!r->cut)
        return;
    advance(r, t, rng, 0);
    r->best = r->frozen; /* shipping resumes from t: s in the cut does not count */
    r->cut = 0;
}

mr_time mr_replica_caught_up(mr_replica *r, mr_time t, mr_rng *rng)
{
    if (r->cut)
        return MR_TIME_NEVER;
    if (mr_replica_applied(r, t, rng) >= t)
        return t;
    /* Within the current interval applied(s) = max(best, s - lag), which
     * reaches t at s = t + lag if that comes before the next grid point;
     * otherwise the next interval, with its own lag, is tried. */
    for (;;) {
        mr_time start = r->start, s = t + r->cur_lag;
        if (s < start) /* a short lag after a long one: reached as the interval opens */
            s = start;
        if (s < r->next_grid)
            return s > t ? s : t;
        advance(r, r->next_grid, rng, 1);
    }
}

mr_store_loss mr_store_forced_loss(const mr_store_log *log, mr_replica *r, mr_time t,
                                   mr_rng *rng)
{
    mr_time a = mr_replica_applied(r, t, rng);
    mr_store_loss loss = {0, 0};
    /* Writes in (a, t]: the log holds nothing after t at time t. */
    loss.lost = mr_store_log_count_after(log, a);
    mr_time oldest = mr_store_log_first_after(log, a);
    if (loss.lost > 0 && oldest >= 0)
        loss.rpo_s = mr_time_to_s(t - oldest);
    return loss;
}

void mr_replica_restart(mr_replica *r, mr_time t, mr_rng *rng)
{
    if (r->hold == NULL) { /* the grid after t */
        r->next_grid = (t / r->sample + 1) * r->sample;
        r->start = r->next_grid - r->sample;
    } else { /* a hold drawn from t */
        r->start = t;
        r->next_grid = t + hold_len(r, rng);
    }
    r->cur_lag = mr_dist_sample_time(r->lag, rng);
    r->best = t;
    r->cut = 0;
    r->frozen = t;
}

mr_store_loss mr_store_loss_from(const mr_store_log *log, mr_time applied, mr_time t_ref)
{
    mr_store_loss loss = {0, 0};
    loss.lost = mr_store_log_count_after(log, applied);
    mr_time oldest = mr_store_log_first_after(log, applied);
    if (loss.lost > 0 && oldest >= 0 && t_ref > oldest)
        loss.rpo_s = mr_time_to_s(t_ref - oldest);
    return loss;
}

int mr_store_head_link(mr_store_head *h, mr_component *self, mr_sim *sim, int64_t faults,
                       mr_diag *diag)
{
    int rc = MR_OK;
    h->clock = mr__faults_clock(sim, self, faults, diag, &rc);
    return rc;
}

void mr_store_replicated(mr_store_head *h, double bytes)
{
    h->replicated_bytes += bytes;
    if (mr__clock_normal(h->clock))
        h->replicated_bytes_normal += bytes;
}

void mr_store_head_init(mr_store_head *h, mr_store_access_fn access)
{
    memset(h, 0, sizeof *h);
    h->access = access;
    h->patience = MR_TIME_NEVER;
    mr_hist_init(&h->staleness_ms);
    mr_hist_init(&h->lag_s);
    h->last_lag_s = NAN;
    h->last_lag_t = -1;
}

void mr_store_head_fini(mr_store_head *h)
{
    mr_store_agg_fini(h);
    mr_hist_fini(&h->staleness_ms);
    mr_hist_fini(&h->lag_s);
}

void mr_ru_budget_init(mr_ru_budget *b, double per_s)
{
    b->per_s = per_s;
    for (int i = 0; i < MR_RU_RING; i++) {
        b->sec[i] = -1;
        b->used[i] = 0;
    }
}

/* The slot of second k, reset when it last counted another second: every
 * second asked for lies within MR_RU_LOOKAHEAD of the current one, so a
 * slot's older tag is a second that is over (store.h). */
static double *ru_slot(mr_ru_budget *b, int64_t k)
{
    int i = (int)(k % MR_RU_RING);
    if (b->sec[i] != k) {
        b->sec[i] = k;
        b->used[i] = 0;
    }
    return &b->used[i];
}

mr_time mr_ru_claim(mr_ru_budget *b, mr_time now, double cost, int retries, mr_time max_wait,
                    uint32_t *n429)
{
    *n429 = 0;
    if (b->per_s <= 0)
        return 0;
    int64_t k = now / MR_S;
    if (retries > MR_RU_LOOKAHEAD)
        retries = MR_RU_LOOKAHEAD;
    for (int j = 0;; j++) {
        /* Attempt j: the first now, retry j at the start of second k + j. */
        mr_time wait = j == 0 ? 0 : (k + j) * MR_S - now;
        if (j > 0 && (j > retries || wait > max_wait))
            return -1;
        double *used = ru_slot(b, k + j);
        if (*used + cost <= b->per_s) {
            *used += cost;
            return wait;
        }
        (*n429)++;
    }
}

void mr_store_cap_note(mr_store_head *h, mr_time now, mr_time wait, uint32_t throttled)
{
    if (now < h->warmup)
        return;
    h->cap_throttled += throttled;
    if (wait < 0) {
        h->cap_failed++;
    } else {
        h->cap_served++;
        h->cap_wait_s += mr_time_to_s(wait);
    }
}

int mr_store_lag_due(mr_store_head *h, mr_time now)
{
    if (now < h->next_lag)
        return 0;
    h->next_lag = (now / MR_STORE_LAG_EVERY + 1) * MR_STORE_LAG_EVERY;
    return 1;
}

void mr_store_note_lag(mr_store_head *h, mr_time now, double lag_s)
{
    if (lag_s >= 0 && (now != h->last_lag_t || !(h->last_lag_s >= lag_s))) {
        h->last_lag_s = lag_s; /* the first of a sample, or a larger one of it */
        h->last_lag_t = now;
    }
    if (now >= h->warmup && lag_s >= 0)
        mr_hist_add(&h->lag_s, lag_s);
}

size_t mr_store_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                       size_t cap)
{
    (void)sim;
    if (cap < 1)
        return 0;
    snprintf(out[0].component, sizeof out[0].component, "%s", self->name);
    snprintf(out[0].metric, sizeof out[0].metric, "lag_s");
    out[0].unit = "s";
    out[0].counter = 0;
    return 1;
}

void mr_store_sample(const mr_component *self, mr_time now, double *out)
{
    (void)now;
    const mr_store_head *h = self->state; /* every kind's state begins with it */
    out[0] = h->last_lag_s;
}

int mr__store_check_hold(mr_store_base *base, mr_param_ctx *ctx)
{
    if (!ctx->written(ctx, "replication.sample"))
        return MR_OK;
    if (ctx->written(ctx, "replication.hold")) {
        ctx->error(ctx, "replication.sample",
                   "replication.sample is the deprecated form of replication.hold: give one");
        return MR_ESCENARIO;
    }
    mr_dist_fini(&base->hold);
    mr_dist_const(&base->hold, (double)base->sample);
    char text[64];
    snprintf(text, sizeof text, "const(%gs)", mr_time_to_s(base->sample));
    ctx->record(ctx, "replication.hold", text);
    if (ctx->warn)
        ctx->warn(ctx, "replication.sample",
                  "deprecated: read as replication.hold: const(sample), the old grid (the "
                  "default hold, exponential(60s), makes the realised lag follow "
                  "replication.lag; docs/model.md rule 4)");
    return MR_OK;
}

void mr_store_note_read(mr_store_head *h, mr_time now, uint64_t versions, double age_ms)
{
    if (now < h->warmup)
        return;
    h->reads++;
    if (versions > 0)
        h->stale_reads++;
    if (versions > h->max_versions)
        h->max_versions = versions;
    if (age_ms > h->max_staleness_ms)
        h->max_staleness_ms = age_ms;
    mr_hist_add(&h->staleness_ms, age_ms);
}

void mr_store_read(mr_store_head *h, const mr_store_log *log, mr_time applied, mr_time now)
{
    /* Staleness in time is the age of the oldest write the copy lacks: the
     * RPO a failover to it would have now (docs/model.md "staleness"). */
    mr_time oldest = mr_store_log_first_after(log, applied);
    if (oldest < 0 || oldest > now) {
        mr_store_note_read(h, now, 0, 0);
        return;
    }
    mr_store_note_read(h, now, mr_store_log_count_after(log, applied),
                       1e3 * mr_time_to_s(now - oldest));
}

void mr_store_add_failover(mr_store_head *h, uint32_t fault, int forced, mr_store_loss loss,
                           mr_time now)
{
    if (h->nfo == MR_STORE_MAX_FAILOVERS)
        return; /* beyond the table: not itemised (the totals below still count) */
    h->fo[h->nfo++] = (mr_store_failover){.fault = fault,
                                          .forced = forced != 0,
                                          .lost = loss.lost,
                                          .rpo_s = loss.rpo_s,
                                          .at = now};
}

void mr_store_report(const mr_store_head *h, const char *name, mr_report *out)
{
    double rpo = 0, lost = 0;
    for (size_t i = 0; i < h->nfo; i++) {
        if (h->fo[i].rpo_s > rpo)
            rpo = h->fo[i].rpo_s;
        lost += (double)h->fo[i].lost;
    }
    mr_report_scalar(out, name, "rpo_s", rpo);
    mr_report_scalar(out, name, "lost_writes", lost);
    mr_report_scalar(out, name, "stale_read_ratio",
                     h->reads ? (double)h->stale_reads / (double)h->reads : NAN);
    mr_report_scalar(out, name, "staleness_ms_p99", mr_hist_quantile(&h->staleness_ms, 0.99));
    mr_report_scalar(out, name, "lag_s_p50", mr_hist_quantile(&h->lag_s, 0.5));
    mr_report_scalar(out, name, "lag_s_p99", mr_hist_quantile(&h->lag_s, 0.99));
    mr_report_scalar(out, name, "write_conflicts", (double)h->conflicts);
    mr_report_scalar(out, name, "reads", (double)h->reads);
    mr_report_scalar(out, name, "writes", (double)h->writes);
    mr_report_scalar(out, name, "failed_reads", (double)h->failed_reads);
    mr_report_scalar(out, name, "failed_writes", (double)h->failed_writes);
    mr_report_scalar(out, name, "throttled", (double)h->throttled);
    mr_report_scalar(out, name, "record_reads", (double)h->record_reads);
    mr_report_scalar(out, name, "failovers", (double)h->nfo);
    mr_report_scalar(out, name, "replicated_bytes", h->replicated_bytes);
    mr_report_scalar(out, name, "replicated_bytes_normal", h->replicated_bytes_normal);
    if (h->capacity) {
        uint64_t met = h->cap_served + h->cap_failed;
        mr_report_scalar(out, name, "capacity_throttled", (double)h->cap_throttled);
        mr_report_scalar(out, name, "capacity_failed", (double)h->cap_failed);
        mr_report_scalar(out, name, "capacity_failed_ratio",
                         met ? (double)h->cap_failed / (double)met : NAN);
        mr_report_scalar(out, name, "capacity_wait_ms_mean",
                         h->cap_served ? 1e3 * h->cap_wait_s / (double)h->cap_served : NAN);
    }
    for (size_t i = 0; i < h->nfo; i++) {
        mr_report_scalar(out, name, "failover_fault",
                         h->fo[i].fault == UINT32_MAX ? -1 : (double)h->fo[i].fault);
        mr_report_scalar(out, name, "failover_rpo_s", h->fo[i].rpo_s);
        mr_report_scalar(out, name, "failover_lost", (double)h->fo[i].lost);
        mr_report_scalar(out, name, "failover_at_s", mr_time_to_s(h->fo[i].at));
    }
    mr_failover_record fo[MR_STORE_MAX_FAILOVERS];
    for (size_t i = 0; i < h->nfo; i++)
        fo[i] = (mr_failover_record){.fault = h->fo[i].fault,
                                     .lost = h->fo[i].lost,
                                     .rpo_s = h->fo[i].rpo_s,
                                     .at_s = mr_time_to_s(h->fo[i].at)};
    mr_report_store(out, &(mr_store_record){.reads = h->reads,
                                            .stale_reads = h->stale_reads,
                                            .conflicts = h->conflicts,
                                            .staleness_ms = &h->staleness_ms,
                                            .nfailovers = h->nfo,
                                            .failovers = fo});
}

const char *const mr_store_failover_mode_names[] = {
#define X(c, s) s,
    MR_FAILOVER_MODE_MAP(X)
#undef X
        NULL};

mr_store_head *mr__store_head(const mr_component *c)
{
    if (c == NULL || c->model->family == NULL || strcmp(c->model->family, "store") != 0)
        return NULL;
    return c->state;
}

mr_time mr_route_refresh(mr_time phase, mr_time period, mr_time t)
{
    if (period <= 0)
        return t;
    if (t <= phase)
        return phase;
    mr_time k = (t - phase + period - 1) / period;
    return phase + k * period;
}

/* ---- aggregate fidelity ------------------------------------------------ */

void mr_store_rlog_fini(mr_store_rlog *l)
{
    free(l->t);
    free(l->rate);
    memset(l, 0, sizeof *l);
}

void mr_store_rlog_set(mr_store_rlog *l, mr_time t, double rate)
{
    if (l->n > 0 && l->rate[l->n - 1] == rate)
        return;
    if (l->n > 0 && l->t[l->n - 1] >= t) { /* a change at the same instant replaces it */
        l->rate[l->n - 1] = rate;
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->t = mr_xrealloc(l->t, l->cap * sizeof *l->t);
        l->rate = mr_xrealloc(l->rate, l->cap * sizeof *l->rate);
    }
    l->t[l->n] = t;
    l->rate[l->n] = rate;
    l->n++;
}

double mr_store_rlog_mass(const mr_store_rlog *l, mr_time a, mr_time b)
{
    double m = 0;
    for (size_t i = 0; i < l->n; i++) {
        mr_time lo = l->t[i], hi = i + 1 < l->n ? l->t[i + 1] : b;
        lo = lo > a ? lo : a;
        hi = hi < b ? hi : b;
        if (hi > lo)
            m += l->rate[i] * mr_time_to_s(hi - lo);
    }
    return m;
}

void mr_store_rlog_trim(mr_store_rlog *l, mr_time t)
{
    size_t k = 0;
    while (k + 1 < l->n && l->t[k + 1] <= t)
        k++;
    if (k == 0)
        return;
    memmove(l->t, l->t + k, (l->n - k) * sizeof *l->t);
    memmove(l->rate, l->rate + k, (l->n - k) * sizeof *l->rate);
    l->n -= k;
}

/* A Poisson draw of mean m (inversion; gsl's for large means). */
static uint64_t poisson(mr_rng *rng, double m)
{
    if (!(m > 0))
        return 0;
    if (m > 30)
        return mr_rng_poisson(rng, m); /* any mean (rng.h) */
    double p = exp(-m), f = p, u = mr_rng_uniform(rng);
    uint64_t k = 0;
    while (u > f && k < 1000) {
        k++;
        p *= m / (double)k;
        f += p;
    }
    return k;
}

/* Where the cumulative intensity from a reaches e (<= its mass to b). */
static mr_time first_point(const mr_store_rlog *l, mr_time a, mr_time b, double e)
{
    double m = 0;
    for (size_t i = 0; i < l->n; i++) {
        mr_time lo = l->t[i] > a ? l->t[i] : a;
        mr_time hi = i + 1 < l->n && l->t[i + 1] < b ? l->t[i + 1] : b;
        if (hi <= lo || !(l->rate[i] > 0))
            continue;
        double seg = l->rate[i] * mr_time_to_s(hi - lo);
        if (m + seg >= e)
            return lo + mr_time_from_s((e - m) / l->rate[i]);
        m += seg;
    }
    return b;
}

double mr_store_rlog_stale_ms(const mr_store_rlog *l, mr_time applied, mr_time t, mr_rng *rng,
                              double *p_stale)
{
    double total = applied < t ? mr_store_rlog_mass(l, applied, t) : 0;
    *p_stale = total > 0 ? 1 - exp(-total) : 0;
    if (!(total > 0))
        return 0;
    /* The oldest write of (applied, t] is the process's first point there:
     * an exponential on the cumulative intensity, conditioned below total. */
    double u = mr_rng_uniform(rng);
    if (!(u < *p_stale))
        return 0;
    double e = -log(1 - u);
    return 1e3 * mr_time_to_s(t - first_point(l, applied, t, e));
}

mr_store_loss mr_store_rlog_loss(const mr_store_rlog *l, mr_time applied, mr_time now,
                                 mr_time t_ref, mr_rng *rng)
{
    mr_store_loss loss = {0, 0};
    double total = mr_store_rlog_mass(l, applied, now);
    double e = mr_rng_exponential(rng, 1);
    if (!(e < total))
        return loss;
    mr_time first = first_point(l, applied, now, e);
    loss.lost = 1 + poisson(rng, total - e);
    if (t_ref > first)
        loss.rpo_s = mr_time_to_s(t_ref - first);
    return loss;
}

void mr_store_agg_enable(mr_component *c, uint32_t hub, mr_time period, mr_store_share_fn share,
                         mr_store_settle_fn settle, mr_store_sample_fn sample)
{
    mr_store_head *h = c->state;
    if (h->agg != NULL)
        return;
    mr_store_agg *a = mr_xcalloc(1, sizeof *a);
    a->hub = hub;
    a->rng = mr_rng_derive(c->rng, "aggregate");
    a->share = share;
    a->settle = settle;
    a->sample = sample;
    a->period = period > 0 ? period : MR_S;
    /* A uniform phase: the samples are a systematic sample of time. */
    a->next_sample = (mr_time)(mr_rng_uniform(a->rng) * (double)a->period);
    h->agg = a;
}

void mr_store_agg_fini(mr_store_head *h)
{
    if (h->agg == NULL)
        return;
    for (size_t i = 0; i < sizeof h->agg->rlog / sizeof h->agg->rlog[0]; i++)
        mr_store_rlog_fini(&h->agg->rlog[i]);
    mr_rng_free(h->agg->rng);
    free(h->agg);
    h->agg = NULL;
}

static uint64_t rounded(double x)
{
    return x > 0 ? (uint64_t)llround(x) : 0;
}

void mr_store_agg_advance(mr_component *c, mr_time now)
{
    mr_store_head *h = c->state;
    mr_store_agg *a = h->agg;
    if (a == NULL || now <= a->last)
        return;
    /* Before the warm-up nothing is counted (rule 6), as at request fidelity. */
    mr_time from = a->last > h->warmup ? a->last : h->warmup;
    if (now > from) {
        double dt = mr_time_to_s(now - from);
        a->reads += a->ok_reads * dt;
        a->failed_reads += a->bad_reads * dt;
        a->record_reads += a->miss_reads * dt;
    }
    double dt = mr_time_to_s(now - a->last);
    a->writes += a->ok_writes * dt;
    a->failed_writes += a->bad_writes * dt;
    h->replicated_bytes += a->write_bytes * dt;
    /* The normal time's share of the interval, at the interval's flow
     * (the clock read then, not now: it may have stopped since). */
    mr_time n = mr__clock_at(h->clock, now);
    h->replicated_bytes_normal += a->write_bytes * mr_time_to_s(n - h->normal_mark);
    h->normal_mark = n;
    while (a->next_sample < now) {
        if (a->next_sample >= h->warmup && a->sample)
            a->sample(c, a->next_sample, a->period);
        a->next_sample += a->period;
    }
    a->last = now;
    h->reads = rounded(a->reads);
    h->stale_reads = rounded(a->stale_reads);
    h->failed_reads = rounded(a->failed_reads);
    h->record_reads = rounded(a->record_reads);
    h->writes = rounded(a->writes);
    h->failed_writes = rounded(a->failed_writes);
    h->conflicts = rounded(a->conflicts);
}

void mr_store_agg_begin(mr_component *c, mr_time now)
{
    mr_store_head *h = c->state;
    mr_store_agg *a = h->agg;
    if (a == NULL)
        return;
    mr_store_agg_advance(c, now);
    memset(a->in_reads, 0, sizeof a->in_reads);
    memset(a->in_writes, 0, sizeof a->in_writes);
    memset(a->pop_writes, 0, sizeof a->pop_writes);
    memset(a->pop_reads, 0, sizeof a->pop_reads);
    memset(a->pop_wmax, 0, sizeof a->pop_wmax);
    memset(a->pop_rmax, 0, sizeof a->pop_rmax);
}

void mr_store_agg_add(mr_component *c, uint32_t region, uint32_t pop, double reads,
                      double writes)
{
    mr_store_head *h = c->state;
    mr_store_agg *a = h->agg;
    if (a == NULL || region >= MR_MAX_REGIONS)
        return;
    a->in_reads[region] += reads;
    a->in_writes[region] += writes;
    if (pop < 64) {
        a->pop_writes[pop] += writes;
        a->pop_reads[pop] += reads;
        if (writes > a->pop_wmax[pop]) {
            a->pop_wmax[pop] = writes;
            a->pop_region[pop] = (int8_t)region;
        }
        if (reads > a->pop_rmax[pop]) {
            a->pop_rmax[pop] = reads;
            a->pop_rregion[pop] = (int8_t)region;
        }
    }
}

void mr_store_agg_end(mr_component *c, mr_time now)
{
    mr_store_head *h = c->state;
    if (h->agg != NULL && h->agg->settle)
        h->agg->settle(c, now);
}

void mr_store_agg_notify(mr_component *c, mr_sim *sim, mr_time at)
{
    mr_store_head *h = c->state;
    if (h->agg == NULL)
        return;
    mr_time now = mr_sim_now(sim);
    mr_sim_schedule_at(sim, at > now ? at : now, h->agg->hub, MR_MSG_WAKE, NULL, 0, NULL);
}

void mr_store_agg_share_of(mr_component *c, mr_time now, uint32_t region, uint32_t pop,
                           mr_store_share *out)
{
    mr_store_head *h = c->state;
    *out = (mr_store_share){0, 0, 0};
    if (h->agg == NULL || h->agg->share == NULL)
        return;
    /* Integrated up to now first: the kind may query its replicas at now,
     * and their positions are queried in time order. */
    mr_store_agg_advance(c, now);
    h->agg->share(c, now, region, pop, out);
}

void mr_store_agg_attach(mr_component *c, uint32_t hub)
{
    if (mr__store_head(c) != NULL)
        ((const mr_store_ops *)c->model->ops)->agg_enable(c, hub);
}

