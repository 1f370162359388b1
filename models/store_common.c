/* models/store_common.c: the write log and the replica position of rule 4
 * (store.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
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

void mr_replica_init(mr_replica *r, const mr_dist *lag, mr_time sample, mr_rng *rng)
{
    r->lag = lag;
    r->sample = sample;
    r->next_grid = sample;
    r->cur_lag = mr_dist_sample_time(lag, rng);
    r->best = INT64_MIN / 2; /* nothing applied yet */
    r->cut = 0;
    r->frozen = 0;
}

/* Passes every grid point up to t, drawing the next interval's lag at each;
 * a finished interval counts only if the link was up (count). */
static void advance(mr_replica *r, mr_time t, mr_rng *rng, int count)
{
    while (r->next_grid <= t) {
        mr_time end = r->next_grid - r->cur_lag;
        if (count && end > r->best)
            r->best = end;
        r->cur_lag = mr_dist_sample_time(r->lag, rng);
        r->next_grid += r->sample;
    }
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
        mr_time start = r->next_grid - r->sample, s = t + r->cur_lag;
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
    r->next_grid = (t / r->sample + 1) * r->sample;
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

void mr_store_head_init(mr_store_head *h, mr_store_access_fn access)
{
    memset(h, 0, sizeof *h);
    h->access = access;
    mr_hist_init(&h->staleness_ms);
}

void mr_store_head_fini(mr_store_head *h)
{
    mr_hist_fini(&h->staleness_ms);
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
     * RPO a failover to it would have now (DESIGN.md "staleness"). */
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
    mr_report_scalar(out, name, "write_conflicts", (double)h->conflicts);
    mr_report_scalar(out, name, "reads", (double)h->reads);
    mr_report_scalar(out, name, "writes", (double)h->writes);
    mr_report_scalar(out, name, "failed_reads", (double)h->failed_reads);
    mr_report_scalar(out, name, "failed_writes", (double)h->failed_writes);
    mr_report_scalar(out, name, "throttled", (double)h->throttled);
    mr_report_scalar(out, name, "record_reads", (double)h->record_reads);
    mr_report_scalar(out, name, "failovers", (double)h->nfo);
    mr_report_scalar(out, name, "replicated_bytes", h->replicated_bytes);
    for (size_t i = 0; i < h->nfo; i++) {
        mr_report_scalar(out, name, "failover_fault",
                         h->fo[i].fault == UINT32_MAX ? -1 : (double)h->fo[i].fault);
        mr_report_scalar(out, name, "failover_rpo_s", h->fo[i].rpo_s);
        mr_report_scalar(out, name, "failover_lost", (double)h->fo[i].lost);
        mr_report_scalar(out, name, "failover_at_s", mr_time_to_s(h->fo[i].at));
    }
}

mr_store_head *mr__store_head(const mr_component *c)
{
    static const char *const kinds[] = {"sql", "cosmos", "redis", "blob"};
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(c->model->kind, kinds[i]) == 0)
            return c->state;
    return NULL;
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
