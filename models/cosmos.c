/* models/cosmos.c: an Azure Cosmos DB account (docs/model.md "Data stores",
 * docs/reference.md §6). Its regions are in failover-priority order; some are
 * write regions. Each region's writes form a log, shipped to every other
 * region by its own asynchronous replica (rule 4: rep[s][r] is how far
 * region r has applied region s's writes).
 * - Latency (docs/reference.md §6 "Latency"): a read or a write within its
 *   region is a draw of latency.read (median 4 ms, p99 10 ms) or
 *   latency.write (median 5 ms, p99 10 ms); a strong write with several
 *   regions adds 2 x the RTT of the two farthest regions to its draw, so
 *   its p99 is 2 x RTT + 10 ms (and its median 2 x RTT + 5 ms).
 * - Consistency: strong reads are never stale; bounded staleness caps
 *   the lag at T and throttles writes while a replica is more than T or K
 *   versions behind; session reads see their population's own writes (a
 *   read goes to the region holding them when the local one does not);
 *   consistent prefix and eventual read the local region as it is.
 * - One write region: service-managed failover (mode automatic) promotes
 *   the next region in order within its duration (capped at 15 min), the
 *   writes the promoted region lacks are lost (rule 4, RPO at the
 *   failure); the SDK learns the new region from its first failed write.
 *   Manual failover cannot succeed while the write region is down.
 * - Several write regions: a failed region's unreplicated writes are lost
 *   at once (RPO at the failure); clients whose write region failed move
 *   to the next one at their SDK's topology refresh; writes to one key
 *   from two regions within the replication lag conflict (last writer
 *   wins overwrites one): counted.
 * Invariants: rep[s][r] is cut exactly while s or r is down, a
 * replication partition is in force or a network partition separates
 * them; key_time and key_region describe the
 * last write to each key. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "store.h"

enum { CO_RECHECK = MR_MSG_PRIVATE, CO_DECIDE, CO_SWITCHED };

/* docs/reference.md §6 RPO/RTO table: service-managed failover, RTO < 15 min. */
#define FAILOVER_CAP (15 * MR_MIN)
/* docs/reference.md §6 SDK behaviour: account topology refresh every 5 min. */
#define SDK_REFRESH (5 * MR_MIN)

static mr_time rtt(const mr_cosmos_cfg *cfg, int64_t a, int64_t b)
{
    if (cfg->base.rtt == NULL || a < 0 || b < 0 || a >= cfg->base.nregions || b >= cfg->base.nregions)
        return 0;
    return cfg->base.rtt[a * cfg->base.nregions + b];
}

static int up(const mr_cosmos_state *st, int i)
{
    return st->reg[i]->down == 0 && !(st->failed > 0 && i == st->w);
}

/* Region r's position in region s's writes. Bounded staleness: a
 * connected replica is kept within T (throttle() refuses writes while the
 * lag process runs past it), so its position is at least now - T; a cut
 * one is frozen where it stood when the link was cut, at least cut - T
 * (rule 4: a cut link freezes applied for every consistency level; the
 * writes accepted since are not shipped, and a forced failover loses them). */
static mr_time applied(mr_cosmos_state *st, const mr_cosmos_cfg *cfg, int s, int r, mr_time now)
{
    if (cfg->consistency == MR_COSMOS_STRONG)
        return now;
    const mr_replica *rp = &st->rep[s][r];
    mr_time a = mr_replica_applied(&st->rep[s][r], now, st->lags);
    if (cfg->consistency == MR_COSMOS_BOUNDED) {
        mr_time floor = (rp->cut ? st->cut_at[s][r] : now) - cfg->t_bound;
        a = a > floor ? a : floor;
    }
    return a;
}

static void sync_links(mr_cosmos_state *st, const mr_cosmos_cfg *cfg, mr_time now)
{
    for (int s = 0; s < st->n; s++)
        for (int r = 0; r < st->n; r++) {
            if (r == s)
                continue;
            mr_replica *rp = &st->rep[s][r];
            int cut = !up(st, s) || !up(st, r) || st->partitions > 0 ||
                      st->reg[s]->cut[cfg->base.copy[r]] > 0;
            if (cut && !rp->cut) {
                mr_replica_cut(rp, now, st->lags);
                st->cut_at[s][r] = now;
            }
            else if (!cut && rp->cut)
                mr_replica_heal(rp, now, st->lags);
        }
}

/* Region s's writes are reseeded from now: what no one else had is gone. */
static void reseed(mr_cosmos_state *st, int s, mr_time now)
{
    mr_store_log_trim(&st->log[s], now);
    if (st->head.agg)
        mr_store_rlog_trim(&st->head.agg->rlog[s], now);
    for (int r = 0; r < st->n; r++)
        if (r != s)
            mr_replica_restart(&st->rep[s][r], now, st->lags);
}

/* What the survivors lack of region s's writes, the RPO measured at t_ref. */
static mr_store_loss loss_of(mr_cosmos_state *st, const mr_cosmos_cfg *cfg, int s, int only,
                             mr_time now, mr_time t_ref)
{
    mr_time best = INT64_MIN / 2;
    for (int r = 0; r < st->n; r++) {
        if (r == s || (only >= 0 && r != only) || (only < 0 && !up(st, r)))
            continue;
        mr_time a = applied(st, cfg, s, r, now);
        best = a > best ? a : best;
    }
    if (cfg->consistency == MR_COSMOS_STRONG)
        best = now;
    if (st->head.agg)
        return mr_store_rlog_loss(&st->head.agg->rlog[s], best, now, t_ref, st->head.agg->rng);
    return mr_store_loss_from(&st->log[s], best, t_ref);
}

static void switch_to(mr_component *self, int t, mr_time now)
{
    mr_cosmos_state *st = self->state;
    int old = st->w;
    st->w = t;
    st->switching = 0;
    st->block_writes = 0;
    reseed(st, old, now);
    reseed(st, t, now);
}

static int next_up(const mr_cosmos_state *st, int except)
{
    for (int i = 0; i < st->n; i++)
        if (i != except && up(st, i))
            return i;
    return -1;
}

static void evaluate(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    for (int i = 0; i < st->n; i++) {
        int u = up(st, i);
        if (!u && !st->was_down[i]) {
            st->was_down[i] = 1;
            st->down_since[i] = now;
            if (st->multi && cfg->base.writable[i]) {
                if (next_up(st, i) >= 0) {
                    mr_store_add_failover(&st->head, st->last_fault, 1,
                                          loss_of(st, cfg, i, -1, now, now), now);
                    mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_REACHED);
                    reseed(st, i, now); /* counted lost: no longer what reads lag behind */
                }
            } else if (!st->multi && i == st->w && cfg->base.mode == MR_FAILOVER_AUTOMATIC &&
                       !mr_sim_pending_handle(sim, st->decision)) {
                st->down_fault = st->last_fault;
                mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_DUE);
                mr_time d = mr_dist_sample_time(&cfg->base.duration, st->ops);
                mr_sim_schedule(sim, d < FAILOVER_CAP ? d : FAILOVER_CAP, self->id, CO_DECIDE,
                                NULL, 0, &st->decision);
            }
        } else if (u && st->was_down[i]) {
            st->was_down[i] = 0;
            if (st->multi && cfg->base.writable[i])
                reseed(st, i, now);
            if (!st->multi && i == st->w && mr_sim_pending_handle(sim, st->decision)) {
                mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_WITHDRAWN);
                mr_sim_cancel(sim, st->decision);
                st->decision = (mr_handle){0, 0};
            }
        }
    }
    sync_links(st, cfg, now);
}

static void decide(mr_component *self, mr_sim *sim)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    st->decision = (mr_handle){0, 0};
    int t = next_up(st, st->w);
    if (up(st, st->w) || t < 0) {
        st->refused += t < 0;
        return;
    }
    mr_store_add_failover(&st->head, st->down_fault, 1,
                          loss_of(st, cfg, st->w, t, now, st->down_since[st->w]), now);
    switch_to(self, t, now);
    mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_REACHED);
    evaluate(self, sim, now);
}

/* An operator's failover (datastore_failover fault or the failover
 * policy). With one write region only: forced switches now and loses what
 * the next region lacks; planned stops writes until it has caught up. A
 * down write region cannot be failed over by hand (docs/reference.md §6). */
static void promote(mr_component *self, mr_sim *sim, int forced, uint32_t fault)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    int t = st->multi || st->switching || !up(st, st->w) ? -1 : next_up(st, st->w);
    if (t < 0) {
        st->refused++;
        return;
    }
    if (forced) {
        mr_store_add_failover(&st->head, fault, 1, loss_of(st, cfg, st->w, t, now, now), now);
        switch_to(self, t, now);
        mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_REACHED);
        evaluate(self, sim, now);
        return;
    }
    mr_time ready = cfg->consistency == MR_COSMOS_STRONG
                        ? now
                        : mr_replica_caught_up(&st->rep[st->w][t], now, st->lags);
    if (ready == MR_TIME_NEVER) {
        st->refused++;
        return;
    }
    mr_store_add_failover(&st->head, fault, 0, (mr_store_loss){0, 0}, now);
    st->switching = 1;
    st->block_writes = 1;
    st->target = t;
    mr_sim_schedule(sim, ready - now, self->id, CO_SWITCHED, NULL, 0, NULL);
}

/* The account region nearest region r that is up (the preferred-regions
 * list), or -1. */
static int nearest(const mr_cosmos_cfg *cfg, const mr_cosmos_state *st, uint32_t r,
                   int writable_only)
{
    int best = -1;
    mr_time d = MR_TIME_NEVER;
    for (int i = 0; i < st->n; i++) {
        if (!up(st, i) || (writable_only && !cfg->base.writable[i]))
            continue;
        mr_time x = cfg->base.copy[i] == (int64_t)r ? -1 : rtt(cfg, r, cfg->base.copy[i]);
        if (x < d) {
            d = x;
            best = i;
        }
    }
    return best;
}

static uint32_t draw_key(const mr_cosmos_cfg *cfg, mr_cosmos_state *st)
{
    if (st->cdf == NULL)
        return mr_rng_below(st->keys, (uint32_t)cfg->keys);
    double u = mr_rng_uniform(st->keys);
    size_t lo = 0, hi = (size_t)cfg->keys - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (uint32_t)lo;
}

/* Whether a write to region s must be throttled by bounded staleness:
 * some region of the account is more than T or K versions behind s, its
 * link up (the lag process past T) or cut (frozen since the cut: rule 4,
 * "throttles writes once the bound is exceeded, as the service does"). A
 * region that is down is out of the account until it returns (the service
 * takes it offline), so it throttles nothing. */
static int throttle(mr_cosmos_state *st, const mr_cosmos_cfg *cfg, int s, mr_time now)
{
    if (cfg->consistency != MR_COSMOS_BOUNDED)
        return 0;
    for (int r = 0; r < st->n; r++) {
        if (r == s || !up(st, r))
            continue;
        mr_time a = applied(st, cfg, s, r, now);
        mr_time pos = st->rep[s][r].cut ? a : mr_replica_applied(&st->rep[s][r], now, st->lags);
        double behind = st->head.agg ? mr_store_rlog_mass(&st->head.agg->rlog[s], a, now)
                                     : (double)mr_store_log_count_after(&st->log[s], a);
        if (now - pos > cfg->t_bound || behind >= (double)cfg->k_versions)
            return 1;
    }
    return 0;
}

/* The region a write from region `region` goes to now, -1 when none takes it. */
static int write_region(const mr_component *self, mr_time now, uint32_t region)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    const mr_cosmos_state *st = self->state;
    int s;
    if (!st->multi) {
        s = st->block_writes || !up(st, st->w) ? -1 : st->w;
    } else {
        /* The preferred write region; when it has failed, the SDK moves on
         * at its next topology refresh. */
        s = -1;
        mr_time d = MR_TIME_NEVER;
        for (int i = 0; i < st->n; i++) {
            mr_time x = cfg->base.copy[i] == (int64_t)region ? -1 : rtt(cfg, region, cfg->base.copy[i]);
            if (cfg->base.writable[i] && x < d) {
                d = x;
                s = i;
            }
        }
        if (s >= 0 && !up(st, s)) {
            mr_time ph = region < MR_MAX_REGIONS ? st->phase[region] : 0;
            s = now >= mr_route_refresh(ph, SDK_REFRESH, st->down_since[s])
                    ? nearest(cfg, st, region, 1)
                    : -1;
        }
    }
    return s;
}

/* The realised lag of every link from a write region (rule 4: what
 * monitoring shows), when a sample is due. */
static void sample_lags(const mr_cosmos_cfg *cfg, mr_cosmos_state *st, mr_time now)
{
    if (!mr_store_lag_due(&st->head, now))
        return;
    for (int s = 0; s < st->n; s++)
        for (int r = 0; r < st->n && cfg->base.writable[s]; r++)
            if (r != s)
                mr_store_note_lag(&st->head, now, mr_replica_lag_s(&st->rep[s][r], now, st->lags));
}

static int cosmos_write(mr_component *self, mr_time now, uint32_t region, uint32_t pop,
                        mr_time *latency)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    int s = write_region(self, now, region);
    if (s < 0) {
        st->head.failed_writes++;
        return MR_ACCESS_FAIL;
    }
    if (throttle(st, cfg, s, now)) {
        st->head.throttled++;
        st->head.failed_writes++;
        return MR_ACCESS_FAIL;
    }
    if (cfg->ru_limit) {
        /* Store capacity (store.h): the write region's budget, the SDK's
         * 429 retries; the write commits at now, its wait comes on top of
         * its latency (a write waits at most max_wait, short against the
         * lag, so its commit time is not moved). */
        uint32_t n429;
        mr_time most = cfg->ru_max_wait < st->head.patience ? cfg->ru_max_wait
                                                             : st->head.patience;
        mr_time wait = mr_ru_claim(&st->ru[s], now, cfg->ru_write, cfg->ru_retries, most, &n429);
        mr_store_cap_note(&st->head, now, wait, n429);
        if (wait < 0) {
            st->head.failed_writes++;
            return MR_ACCESS_FAIL;
        }
        *latency += wait;
    }
    if (st->multi) {
        uint32_t k = draw_key(cfg, st);
        int o = st->key_region[k];
        if (st->key_time[k] >= 0 && o != s &&
            st->key_time[k] > mr_replica_applied(&st->rep[o][s], now, st->lags))
            st->head.conflicts++;
        st->key_time[k] = now;
        st->key_region[k] = (int8_t)s;
    }
    mr_store_log_append(&st->log[s], now);
    st->head.writes++;
    mr_store_replicated(&st->head, cfg->base.bytes_per_write * (double)(st->n - 1));
    if (pop < MR_COSMOS_POPS) {
        st->pop_write[pop] = now;
        st->pop_region[pop] = (int8_t)s;
    }
    if ((st->head.writes & 255) == 0) {
        mr_time lo = now;
        for (int r = 0; r < st->n; r++)
            if (r != s) {
                mr_time a = mr_replica_applied(&st->rep[s][r], now, st->lags);
                lo = a < lo ? a : lo;
            }
        mr_store_log_trim(&st->log[s], lo);
    }
    *latency += rtt(cfg, region, cfg->base.copy[s]) +
                mr_dist_sample_time(&cfg->write_latency, st->lat) +
                (cfg->consistency == MR_COSMOS_STRONG ? st->strong_extra : 0);
    return MR_ACCESS_OK;
}

static int cosmos_access(mr_component *self, mr_time now, uint32_t region, uint32_t pop,
                         int is_write, mr_time *latency)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    sample_lags(cfg, st, now);
    if (is_write)
        return cosmos_write(self, now, region, pop, latency);
    int h = nearest(cfg, st, region, 0);
    if (h < 0) {
        st->head.failed_reads++;
        return MR_ACCESS_FAIL;
    }
    if (cfg->consistency == MR_COSMOS_SESSION && pop < MR_COSMOS_POPS &&
        st->pop_write[pop] >= 0) {
        int o = st->pop_region[pop];
        if (o != h && up(st, o) && st->pop_write[pop] > applied(st, cfg, o, h, now))
            h = o; /* read-your-writes: the region that has them */
    }
    if (cfg->ru_limit) {
        /* Store capacity: the serving region's budget (store.h). */
        uint32_t n429;
        mr_time most = cfg->ru_max_wait < st->head.patience ? cfg->ru_max_wait
                                                             : st->head.patience;
        mr_time wait = mr_ru_claim(&st->ru[h], now, st->read_ru, cfg->ru_retries, most, &n429);
        mr_store_cap_note(&st->head, now, wait, n429);
        if (wait < 0) {
            st->head.failed_reads++;
            return MR_ACCESS_FAIL;
        }
        *latency += wait;
    }
    uint64_t versions = 0;
    double age = 0;
    if (cfg->consistency != MR_COSMOS_STRONG)
        for (int s = 0; s < st->n; s++) {
            if (s == h || st->log[s].n == 0)
                continue;
            mr_time a = applied(st, cfg, s, h, now);
            uint64_t v = mr_store_log_count_after(&st->log[s], a);
            if (v == 0)
                continue;
            versions += v;
            double g = 1e3 * mr_time_to_s(now - mr_store_log_first_after(&st->log[s], a));
            age = g > age ? g : age;
        }
    mr_store_note_read(&st->head, now, versions, age);
    *latency += rtt(cfg, region, cfg->base.copy[h]) +
                mr_dist_sample_time(&cfg->read_latency, st->lat);
    return MR_ACCESS_OK;
}

/* ---- aggregate fidelity (store.h) ---------------------------------------
 * The decisions of cosmos_access once per region between the hub's events
 * (bounded staleness's throttle too: evaluated at the hub's events only).
 * Session consistency's read-your-writes detour is per population: its
 * read goes to the region holding its last write when the local one lacks
 * it; its writes being Poisson at w to region o, the last one is Exp(w)
 * old, so the detour's share is 1 - e^(-w (t - applied(o, h))). A
 * population is taken where most of its reads (writes) are served. */

static void cosmos_share(mr_component *self, mr_time now, uint32_t region, uint32_t pop,
                         mr_store_share *out)
{
    (void)pop;
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    int s = write_region(self, now, region);
    out->write_fail = s < 0 || throttle(st, cfg, s, now);
    out->read_fail = nearest(cfg, st, region, 0) < 0;
}

static void cosmos_settle(mr_component *self, mr_time now)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    mr_store_agg *a = st->head.agg;
    a->ok_reads = a->ok_writes = a->bad_reads = a->bad_writes = a->miss_reads = 0;
    memset(a->copy_reads, 0, sizeof a->copy_reads);
    memset(a->log_rate, 0, sizeof a->log_rate);
    for (uint32_t r = 0; r < MR_MAX_REGIONS; r++) {
        double nr = a->in_reads[r], nw = a->in_writes[r];
        if (!(nr > 0) && !(nw > 0))
            continue;
        int s = write_region(self, now, r);
        if (s < 0 || throttle(st, cfg, s, now)) {
            a->bad_writes += nw;
        } else {
            a->ok_writes += nw;
            a->log_rate[s] += nw;
        }
        int h = nearest(cfg, st, r, 0);
        if (h < 0) {
            a->bad_reads += nr;
        } else {
            a->ok_reads += nr;
            a->copy_reads[h] += nr;
        }
    }
    a->write_bytes = a->ok_writes * cfg->base.bytes_per_write * (double)(st->n - 1);
    for (int p = 0; p < 64; p++) {
        a->pop_h[p] = a->pop_o[p] = -1;
        a->pop_w[p] = 0;
        if (!(a->pop_reads[p] > 0))
            continue;
        a->pop_h[p] = (int8_t)nearest(cfg, st, (uint32_t)a->pop_rregion[p], 0);
        if (!(a->pop_writes[p] > 0))
            continue;
        int o = write_region(self, now, (uint32_t)a->pop_region[p]);
        if (o >= 0 && !throttle(st, cfg, o, now)) {
            a->pop_o[p] = (int8_t)o;
            a->pop_w[p] = a->pop_writes[p];
        }
    }
    for (int s = 0; s < st->n; s++) {
        mr_store_rlog_set(&a->rlog[s], now, a->log_rate[s]);
        mr_time lo = now;
        for (int r = 0; r < st->n; r++)
            if (r != s) {
                mr_time x = mr_replica_applied(&st->rep[s][r], now, st->lags);
                lo = x < lo ? x : lo;
            }
        mr_store_rlog_trim(&a->rlog[s], lo);
    }
}

/* One sample at t: stale reads (a read at h lacks some write of another
 * region's log: the logs are independent Poisson processes) and, with
 * several write regions, conflicts. A write at s to a key whose last write
 * came from o and is not yet applied at s conflicts: the key's writes are
 * Poisson at mu = (total rate) / keys, the last one Exp(mu) back and from o
 * with probability rate_o / total, so
 *   P(conflict at s) = sum over o != s of (rate_o / total)(1 - e^(-mu gap_os)),
 * the closed form tests/validation/test_store_cosmos.c checks at request
 * fidelity. With Zipf keys, keys is the effective count 1 / sum p_k^2 (the
 * collision probability of two writes, exact to first order in mu gap). */
static void cosmos_sample(mr_component *self, mr_time t, mr_time span)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    sample_lags(cfg, st, t);
    mr_store_agg *a = st->head.agg;
    double span_s = mr_time_to_s(span), total = 0;
    double rd[MR_COSMOS_MAX] = {0};
    for (int h = 0; h < st->n; h++)
        rd[h] = a->copy_reads[h];
    if (cfg->consistency == MR_COSMOS_SESSION)
        for (int p = 0; p < 64; p++) {
            int h = a->pop_h[p], o = a->pop_o[p];
            if (h < 0 || o < 0 || o == h || !up(st, o))
                continue;
            double gap = mr_time_to_s(t - applied(st, cfg, o, h, t));
            double q = gap > 0 ? 1 - exp(-a->pop_w[p] * gap) : 0;
            double moved = a->pop_reads[p] * q;
            moved = moved < rd[h] ? moved : rd[h];
            rd[h] -= moved;
            rd[o] += moved;
        }
    for (int h = 0; h < st->n; h++)
        total += rd[h];
    double pick = mr_rng_uniform(a->rng) * total, age = 0;
    for (int h = 0; h < st->n && total > 0; h++) {
        if (!(rd[h] > 0))
            continue;
        double fresh = 1, worst = 0;
        if (cfg->consistency != MR_COSMOS_STRONG)
            for (int s = 0; s < st->n; s++) {
                if (s == h)
                    continue;
                double p;
                double x = mr_store_rlog_stale_ms(&a->rlog[s], applied(st, cfg, s, h, t), t,
                                                  a->rng, &p);
                fresh *= 1 - p;
                worst = x > worst ? x : worst;
            }
        a->stale_reads += rd[h] * span_s * (1 - fresh);
        if (pick >= 0 && pick < rd[h])
            age = worst;
        pick -= rd[h];
    }
    if (total > 0)
        mr_store_note_read(&st->head, t, 0, age);
    if (!st->multi || !(a->ok_writes > 0))
        return;
    double mu = a->ok_writes / st->keys_eff;
    for (int s = 0; s < st->n; s++) {
        if (!(a->log_rate[s] > 0))
            continue;
        double p = 0;
        for (int o = 0; o < st->n; o++) {
            if (o == s || !(a->log_rate[o] > 0))
                continue;
            double gap = mr_time_to_s(t - mr_replica_applied(&st->rep[o][s], t, st->lags));
            if (gap > 0)
                p += a->log_rate[o] / a->ok_writes * (1 - exp(-mu * gap));
        }
        a->conflicts += a->log_rate[s] * span_s * p;
    }
}

static void mr_cosmos_agg_enable(mr_component *self, uint32_t hub)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    st->keys_eff = (double)cfg->keys;
    if (st->cdf != NULL) {
        double sum = 0, prev = 0;
        for (int64_t k = 0; k < cfg->keys; k++) {
            sum += (st->cdf[k] - prev) * (st->cdf[k] - prev);
            prev = st->cdf[k];
        }
        st->keys_eff = sum > 0 ? 1 / sum : (double)cfg->keys;
    }
    /* Ten lag samples per sample, as store_primary.c. */
    mr_store_agg_enable(self, hub, 10 * (cfg->base.sample > 0 ? cfg->base.sample : MR_S),
                        cosmos_share, cosmos_settle, cosmos_sample);
}

/* The hub re-reads at every change, and when a write region has failed,
 * at each region's SDK refresh (the instant its writes move on). Bounded
 * staleness with a cut link: at the instant the frozen replica falls more
 * than T behind, and at the one it would fall K versions behind at the
 * write rate settled last (throttle() then refuses writes: request
 * fidelity sees it at the next write, aggregate at this wake). */
static void agg_wakes(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    mr_store_agg *a = st->head.agg;
    if (a == NULL)
        return;
    mr_store_agg_notify(self, sim, now);
    for (int i = 0; i < st->n; i++)
        if (st->multi && cfg->base.writable[i] && st->was_down[i] && st->down_since[i] == now)
            for (int64_t r = 0; r < cfg->base.nregions && r < MR_MAX_REGIONS; r++)
                mr_store_agg_notify(self, sim, mr_route_refresh(st->phase[r], SDK_REFRESH, now));
    if (cfg->consistency != MR_COSMOS_BOUNDED)
        return;
    for (int s = 0; s < st->n; s++)
        for (int r = 0; r < st->n; r++) {
            if (r == s || !st->rep[s][r].cut || !up(st, r) || !up(st, s))
                continue;
            mr_time pos = applied(st, cfg, s, r, now);
            mr_time at = pos + cfg->t_bound + 1;
            double rate = a->log_rate[s];
            double left = (double)cfg->k_versions - mr_store_rlog_mass(&a->rlog[s], pos, now);
            if (rate > 0 && left / rate < mr_time_to_s(at - now))
                at = now + mr_time_from_s(left > 0 ? left / rate : 0) + 1;
            if (at > now)
                mr_store_agg_notify(self, sim, at);
        }
}

static int cosmos_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    mr_store_head_init(&st->head, cosmos_access);
    st->head.warmup = cfg->base.warmup;
    st->n = (int)cfg->base.ncopies;
    int nw = 0;
    st->w = -1;
    for (int i = 0; i < st->n; i++) {
        mr_store_log_init(&st->log[i]);
        if (cfg->base.writable[i]) {
            nw++;
            if (st->w < 0)
                st->w = i;
        }
    }
    if (st->w < 0)
        st->w = 0; /* no write region named: the first */
    st->multi = nw > 1;
    st->lags = mr_rng_derive(self->rng, "lag");
    st->ops = mr_rng_derive(self->rng, "ops");
    st->keys = mr_rng_derive(self->rng, "keys");
    st->lat = mr_rng_derive(self->rng, "latency");
    if (st->multi) {
        st->key_time = mr_xmalloc((size_t)cfg->keys * sizeof *st->key_time);
        st->key_region = mr_xcalloc((size_t)cfg->keys, sizeof *st->key_region);
        for (int64_t k = 0; k < cfg->keys; k++)
            st->key_time[k] = -1;
        if (cfg->zipf > 0) {
            st->cdf = mr_xmalloc((size_t)cfg->keys * sizeof *st->cdf);
            double sum = 0;
            for (int64_t k = 0; k < cfg->keys; k++)
                st->cdf[k] = sum += pow((double)(k + 1), -cfg->zipf);
            for (int64_t k = 0; k < cfg->keys; k++)
                st->cdf[k] /= sum;
        }
    }
    for (int p = 0; p < MR_COSMOS_POPS; p++)
        st->pop_write[p] = -1;
    st->last_fault = st->down_fault = UINT32_MAX;
    /* docs/reference.md §6 Read RU multiplier: strong and bounded reads
     * read two replicas, twice the units; writes cost the same at every
     * level. */
    st->read_ru = cfg->ru_read * (cfg->consistency == MR_COSMOS_STRONG ||
                                          cfg->consistency == MR_COSMOS_BOUNDED
                                      ? 2
                                      : 1);
    st->head.capacity = cfg->ru_limit;
    for (int i = 0; i < MR_COSMOS_MAX; i++)
        mr_ru_budget_init(&st->ru[i], cfg->ru_limit ? cfg->ru_per_s : 0);
    return MR_OK;
}

static int cosmos_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    for (int i = 0; i < st->n; i++) {
        int64_t index = cfg->base.copy[i];
        int64_t id = index >= 0 && index < MR_MAX_REGIONS ? cfg->base.region_id[index] : -1;
        mr_component *r = mr_sim_link(sim, self, id, "region", "region", diag);
        if (r == NULL)
            return MR_ENOCOMP;
        st->reg[i] = r->state;
    }
    int rc = mr_store_head_link(&st->head, self, sim, cfg->base.faults, diag);
    if (rc != MR_OK)
        return rc;
    mr_time far = 0;
    for (int i = 0; i < st->n; i++)
        for (int j = 0; j < st->n; j++)
            far = rtt(cfg, cfg->base.copy[i], cfg->base.copy[j]) > far
                      ? rtt(cfg, cfg->base.copy[i], cfg->base.copy[j])
                      : far;
    /* docs/reference.md §6 Latency: a multi-region strong write takes
     * 2 x RTT(farthest two regions) + 10 ms at P99: the round trips on top
     * of the local write's draw, whose P99 is the 10 ms. */
    st->strong_extra = st->n > 1 ? 2 * far : 0;
    return MR_OK;
}

static void cosmos_start(mr_component *self, mr_sim *sim)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    (void)sim;
    for (int s = 0; s < st->n; s++)
        for (int r = 0; r < st->n; r++)
            if (r != s)
                mr_replica_init_hold(&st->rep[s][r], &cfg->base.lag, &cfg->base.hold,
                                     cfg->base.sample, st->lags);
    for (int r = 0; r < MR_MAX_REGIONS; r++)
        st->phase[r] = (mr_time)(mr_rng_uniform(st->ops) * (double)SDK_REFRESH);
}

static void cosmos_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_cosmos_state *st = self->state;
    /* Aggregate fidelity: the flows so far meet the state before this event. */
    mr_store_agg_advance(self, ev->time);
    switch (ev->kind) {
    case MR_MSG_FAULT_START:
    case MR_MSG_FAULT_END: {
        mr_msg_fault m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        int start = ev->kind == MR_MSG_FAULT_START;
        if (start)
            st->last_fault = m.fault;
        if (m.kind == MR_FAULT_DATASTORE_FAILURE)
            mr__fault_count(&st->failed, ev);
        else if (m.kind == MR_FAULT_REPLICATION_PARTITION)
            mr__fault_count(&st->partitions, ev);
        else if (m.kind == MR_FAULT_DATASTORE_FAILOVER && start)
            promote(self, sim, !(m.fault < 64 && ((uint64_t)cfg->base.planned_mask >> m.fault & 1)),
                    m.fault);
        mr_sim_schedule(sim, 0, self->id, CO_RECHECK, NULL, 0, NULL);
        break;
    }
    case MR_MSG_PROMOTE: {
        mr_msg_promote m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        promote(self, sim, m.forced != 0, m.fault);
        break;
    }
    case CO_RECHECK:
        evaluate(self, sim, ev->time);
        break;
    case CO_DECIDE:
        decide(self, sim);
        break;
    case CO_SWITCHED:
        switch_to(self, st->target, ev->time);
        mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_REACHED);
        evaluate(self, sim, ev->time);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
    agg_wakes(self, sim, ev->time);
}

/* Its state now, for `mrsim tui`: the write region (the first of several
 * with multi-region writes; it moves at a failover), whether it is up,
 * whether a failover is under way. */
static void cosmos_status(const mr_component *self, mr_report *out)
{
    const mr_cosmos_state *st = self->state;
    const mr_cosmos_cfg *cfg = self->cfg;
    mr_report_scalar(out, self->name, "primary_region", (double)cfg->base.copy[st->w]);
    mr_report_scalar(out, self->name, "primary_up", up(st, st->w) ? 1 : 0);
    mr_report_scalar(out, self->name, "switching", st->switching ? 1 : 0);
}

static void cosmos_report(const mr_component *self, mr_report *out)
{
    const mr_cosmos_state *st = self->state;
    mr_store_report(&st->head, self->name, out);
    mr_report_scalar(out, self->name, "refused_failovers", (double)st->refused);
    /* docs/reference.md §6 Read RU multiplier: strong and bounded reads cost twice
     * a session, prefix or eventual read (in units of the latter). */
    const mr_cosmos_cfg *cfg = self->cfg;
    int twice = cfg->consistency == MR_COSMOS_STRONG ||
                cfg->consistency == MR_COSMOS_BOUNDED;
    mr_report_scalar(out, self->name, "read_units", (double)st->head.reads * (twice ? 2 : 1));
}

static const char *cosmos_event_name(uint32_t kind)
{
    return kind == CO_RECHECK    ? "recheck"
           : kind == CO_DECIDE   ? "decide"
           : kind == CO_SWITCHED ? "switched"
                                 : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing. */
static int cosmos_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_cosmos_state *st = self->state;
    switch (ev->kind) {
    case CO_RECHECK:
        return snprintf(buf, n, "re-read its regions (write region %d of %d)", st->w, st->n);
    case CO_DECIDE:
        return snprintf(buf, n, "failover decided (write region %d down)", st->w);
    case CO_SWITCHED:
        return snprintf(buf, n, "promotion done: region %d takes writes (was %d)", st->target,
                        st->w);
    default:
        return 0; /* a public message: the trace writer describes it */
    }
}

static void cosmos_fini(mr_component *self)
{
    mr_cosmos_state *st = self->state;
    mr_store_head_fini(&st->head);
    for (int i = 0; i < MR_COSMOS_MAX; i++)
        mr_store_log_fini(&st->log[i]);
    mr_rng_free(st->lags);
    mr_rng_free(st->ops);
    mr_rng_free(st->keys);
    mr_rng_free(st->lat);
    free(st->key_time);
    free(st->key_region);
    free(st->cdf);
}

/* ---- the kind: keys, checks, price, SLA -------------------------------------- */

static const char *const consistency_names[] = {"strong", "bounded", "session",
                                                "consistent_prefix", "eventual", NULL};

/* keys.popularity: uniform (a zipf exponent of 0) or zipf(S), S in [0, 10]. */
static int parse_popularity(const char *text, void *dst, char *err, size_t errlen)
{
    double *zipf = dst;
    if (strcmp(text, "uniform") == 0) {
        *zipf = 0;
        return 0;
    }
    size_t n = strlen(text);
    if (strncmp(text, "zipf(", 5) == 0 && n > 6 && text[n - 1] == ')') {
        char *end;
        double s = strtod(text + 5, &end);
        if (end != text + 5 && *end == ')' && end[1] == '\0' && s >= 0 && s <= 10) {
            *zipf = s;
            return 0;
        }
    }
    snprintf(err, errlen,
             "expected uniform or zipf(S) with S in [0, 10] (such as zipf(0.9)), found %s", text);
    return -1;
}

static const mr_param cosmos_params[] = {
    /* docs/reference.md §6 Usage prevalence: about 73% of tenants use Session. */
    {.key = "consistency",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_cosmos_cfg, consistency),
     .def = "session",
     .choices = consistency_names,
     .doc = "consistency level",
     .ref = "docs/reference.md §6 Usage prevalence (Session, 73%)"},
    /* docs/reference.md §10 Cosmos DB billing example: 10K RU/s. */
    {.key = "ru_per_s",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_cosmos_cfg, ru_per_s),
     .def = "10000",
     .lo = 100,
     .hi = 1e9,
     .doc = "provisioned throughput per region",
     .ref = "docs/reference.md §10 Cosmos DB provisioned throughput (10K RU/s example)"},
    /* Store capacity (docs/model.md): opt-in, because ru_per_s has always
     * had a default (the price's 10K RU/s), which as a budget would change
     * the results of every scenario written before. */
    {.key = "ru_limit",
     .type = MR_PARAM_T_BOOL,
     .off = offsetof(mr_cosmos_cfg, ru_limit),
     .def = "false",
     .doc = "ru_per_s is each region's budget a second: beyond it the service answers 429 and "
            "the SDK retries, then fails the request (false: ru_per_s is only priced)",
     .ref = "ours: opt-in, so scenarios written before store capacity keep their results"},
    /* Not in docs/reference.md: Azure's request-unit page prices a point
     * read of a 1 KB item at 1 RU; ours. */
    {.key = "ru.read",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_cosmos_cfg, ru_read),
     .def = "1",
     .lo = 0.01,
     .hi = 1e6,
     .doc = "request units of a read at session, consistent prefix or eventual consistency; "
            "strong and bounded reads cost twice this",
     .ref = "ours: 1 RU for a 1 KB point read (not in docs/reference.md); the doubling: "
            "docs/reference.md §6 Read RU multiplier"},
    {.key = "ru.write",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_cosmos_cfg, ru_write),
     .def = "5",
     .lo = 0.01,
     .hi = 1e6,
     .doc = "request units of a write (the same at every consistency level)",
     .ref = "ours: about 5 RU for a 1 KB write (not in docs/reference.md); the same at every "
            "level: docs/reference.md §6 Read RU multiplier"},
    /* The SDKs' defaults (MaxRetryAttemptsOnRateLimitedRequests 9,
     * MaxRetryWaitTimeOnRateLimitedRequests 30 s), not in
     * docs/reference.md; bounded by the budget's look-ahead (store.h). */
    {.key = "sdk_retry.attempts",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_cosmos_cfg, ru_retries),
     .def = "9",
     .lo = 0,
     .hi = MR_RU_LOOKAHEAD,
     .type_doc = "integer",
     .doc = "the SDK's retries of a throttled (429) request, each at the retry-after the service "
            "gives (the start of the next second, when the budget is back)",
     .ref = "ours: the Cosmos DB SDKs' default, 9 (not in docs/reference.md)"},
    {.key = "sdk_retry.max_wait",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_cosmos_cfg, ru_max_wait),
     .def = "30s",
     .lo = 0,
     .hi = MR_RU_LOOKAHEAD * (double)MR_S,
     .doc = "the SDK gives up once the retries' total wait would pass this",
     .ref = "ours: the Cosmos DB SDKs' default, 30 s (not in docs/reference.md)"},
    {.key = "usd_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_cosmos_cfg, usd_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e9,
     .doc = "fixed monthly price on top of the RU/s (cost.cosmos_per_100rus_hour)",
     .ref = "ours: docs/reference.md §10"},
    MR_STORE_ACCOUNT_ROWS,
    /* docs/reference.md §6 Bounded staleness minimums: multi-region K >= 100,000,
     * T >= 300 s; single region K >= 10, T >= 5 s; T <= 86,400 s. The defaults
     * are the minimums (cosmos_check). */
    {.key = "bounded.versions",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_cosmos_cfg, k_versions),
     .lo = 10,
     .hi = 2147483647.0,
     .type_doc = "integer",
     .doc = "K: writes a read may lag; 100000 (multi-region) or 10 when absent",
     .ref = "docs/reference.md §6 Bounded staleness minimums"},
    {.key = "bounded.time",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_cosmos_cfg, t_bound),
     .lo = 5 * (double)MR_S,
     .hi = 86400 * (double)MR_S,
     .type_doc = "duration",
     .doc = "T: time a read may lag; 300s (multi-region) or 5s when absent",
     .ref = "docs/reference.md §6 Bounded staleness minimums, API ranges"},
    {.key = "keys.count",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(mr_cosmos_cfg, keys),
     .def = "100000",
     .lo = 1,
     .hi = 1e7, /* per-key state, 17 bytes a key: 1e12 asked for 8 TB (issue 14) */
     .doc = "distinct keys (multi-region write conflicts)",
     .ref = "ours (docs/scenario-format.md example)"},
    {.key = "keys.popularity",
     .type = MR_PARAM_T_CODE,
     .off = offsetof(mr_cosmos_cfg, zipf),
     .def = "uniform",
     .type_doc = "uniform or zipf(S)",
     .doc = "which keys requests touch",
     .ref = "ours",
     .parse = parse_popularity},
    /* docs/reference.md §6 Latency: reads ~4 ms at P50 and < 10 ms at P99, a
     * lognormal through both: sigma = ln(10 / 4) / 2.326 = 0.394. */
    {.key = "latency.read",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_cosmos_cfg, read_latency),
     .def = "lognormal(4ms, 0.394)",
     .doc = "a read within its region (the round trip to the region comes on top)",
     .ref = "docs/reference.md §6 Latency (reads ~4 ms P50, < 10 ms P99)"},
    /* docs/reference.md §6 Latency: writes ~5 ms at P50 and < 10 ms at P99:
     * sigma = ln(10 / 5) / 2.326 = 0.298. A multi-region strong write adds
     * 2 x RTT(farthest two regions), so its P99 is 2 x RTT + 10 ms (§6). */
    {.key = "latency.write",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_cosmos_cfg, write_latency),
     .def = "lognormal(5ms, 0.298)",
     .doc = "a write within its region; strong with several regions adds 2 x the farthest "
            "round trip",
     .ref = "docs/reference.md §6 Latency (writes ~5 ms P50, < 10 ms P99; strong 2 x RTT + "
            "10 ms at P99)"},
    /* Ours: docs/reference.md §6 gives the shape (RTT/2 plus a lognormal queue), not its size. */
    {.key = "replication.lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_cosmos_cfg, base.lag),
     .def = "lognormal(100ms, 0.8)",
     .doc = "replication lag",
     .ref = "ours: docs/reference.md §6 How to model Cosmos DB (shape only)"},
    MR_STORE_SAMPLE_ROW(mr_cosmos_cfg, base),
    {.key = "failover.mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_cosmos_cfg, base.mode),
     .def = "automatic",
     .choices = mr_store_failover_mode_names,
     .doc = "automatic (service-managed) or manual",
     .ref = "docs/reference.md §6 service-managed failover"},
    MR_STORE_DECISION_ROW(mr_cosmos_cfg, base),
    /* docs/reference.md §6: service-managed failover, RTO < 15 min. */
    {.key = "failover.duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_cosmos_cfg, base.duration),
     .def = "uniform(0s, 15m)",
     .doc = "the switch itself",
     .ref = "docs/reference.md §6 How to model Cosmos DB (cap 15 min)"},
    MR_PARAM_END,
};

static int writes_in_several(const mr_cosmos_cfg *cfg)
{
    int n = 0;
    for (int64_t i = 0; i < cfg->base.ncopies; i++)
        n += cfg->base.writable[i] != 0;
    return n > 1;
}

/* docs/reference.md §6: strong consistency excludes multi-region writes;
 * bounded staleness has minimums that depend on the account's regions,
 * which are also its defaults. */
static int cosmos_check(void *vcfg, mr_param_ctx *ctx)
{
    mr_cosmos_cfg *cfg = vcfg;
    /* replication.sample (deprecated) becomes replication.hold: const(sample). */
    int rc = mr__store_check_hold(&((mr_cosmos_cfg *)vcfg)->base, ctx);
    char msg[200], t1[32];
    if (cfg->consistency == MR_COSMOS_STRONG && writes_in_several(cfg)) {
        ctx->error(ctx, "consistency",
                   "strong consistency cannot be combined with several write regions "
                   "(docs/reference.md §6)");
        rc = MR_ESCENARIO;
    }
    if (ctx->written(ctx, "bounded") && cfg->consistency != MR_COSMOS_BOUNDED) {
        ctx->error(ctx, "bounded", "applies to consistency: bounded only");
        rc = MR_ESCENARIO;
    }
    static const char *const capacity_keys[] = {"ru", "sdk_retry"};
    for (size_t i = 0; i < sizeof capacity_keys / sizeof *capacity_keys; i++)
        if (ctx->written(ctx, capacity_keys[i]) && !cfg->ru_limit) {
            ctx->error(ctx, capacity_keys[i], "applies with ru_limit: true only");
            rc = MR_ESCENARIO;
        }
    cfg->base.capacity = cfg->ru_limit;
    int multi = cfg->base.ncopies > 1;
    const char *what = multi ? "multi-region" : "single-region";
    int64_t kmin = multi ? 100000 : 10;
    mr_time tmin = multi ? 300 * MR_S : 5 * MR_S;
    if (cfg->k_versions == 0) {
        cfg->k_versions = kmin;
        snprintf(t1, sizeof t1, "%lld", (long long)kmin);
        ctx->record(ctx, "bounded.versions", t1);
    } else if (cfg->k_versions < kmin) {
        snprintf(msg, sizeof msg,
                 "%lld is out of range: must be at least %lld for a %s account "
                 "(docs/reference.md §6)",
                 (long long)cfg->k_versions, (long long)kmin, what);
        ctx->error(ctx, "bounded.versions", msg);
        rc = MR_ESCENARIO;
    }
    if (cfg->t_bound == 0) {
        cfg->t_bound = tmin;
        ctx->record(ctx, "bounded.time", multi ? "5m" : "5s");
    } else if (cfg->t_bound < tmin) {
        mr_time_format_unit(cfg->t_bound, t1, sizeof t1);
        snprintf(msg, sizeof msg,
                 "%s is out of range: must be at least %s for a %s account "
                 "(docs/reference.md §6)",
                 t1, multi ? "5m" : "5s", what);
        ctx->error(ctx, "bounded.time", msg);
        rc = MR_ESCENARIO;
    }
    return rc;
}

/* docs/reference.md §10 "How to model costs": RU/s / 100 x rate x hours x
 * regions, the rate doubled for multi-region writes. */
static double cosmos_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    const mr_cosmos_cfg *cfg = vcfg;
    double rate = ctx->price(ctx, writes_in_several(cfg) ? "cosmos_multi_write_per_100rus_hour"
                                                         : "cosmos_per_100rus_hour");
    return cfg->usd_per_month + cfg->ru_per_s / 100 * rate * ctx->price(ctx, "hours_per_month") *
                                    (double)cfg->base.ncopies;
}

static void cosmos_sla(const void *vcfg, mr_model_sla *out)
{
    const mr_cosmos_cfg *cfg = vcfg;
    int regions = cfg->base.ncopies > 1;
    out->multi_region = regions;
    if (regions && writes_in_several(cfg)) {
        out->availability = 0.99999;
        out->what = "Cosmos DB multi-region writes";
        out->source = "docs/reference.md §6 SLAs (multi-region multi-write 99.999%)";
    } else if (regions) {
        out->availability = 0.9999;
        out->what = "Cosmos DB multi-region, single write";
        out->source =
            "docs/reference.md §6 SLAs (multi-region single write: write 99.99%; reads 99.999%)";
    } else {
        out->availability = 0.9999;
        out->what = "Cosmos DB single region";
        out->source = "docs/reference.md §6 SLAs (single region without AZ 99.99%)";
    }
}

static const mr_store_ops cosmos_ops = {.agg_enable = mr_cosmos_agg_enable};

const mr_model mr_model_cosmos = {
    .kind = "cosmos",
    .summary = "Azure Cosmos DB: regions, consistency levels, service-managed failover, "
               "multi-region writes and their conflicts",
    .cfg_size = sizeof(mr_cosmos_cfg),
    .state_size = sizeof(mr_cosmos_state),
    .init = cosmos_init,
    .link = cosmos_link,
    .start = cosmos_start,
    .handle = cosmos_handle,
    .report = cosmos_report,
    .status = cosmos_status,
    .series = mr_store_series,
    .sample = mr_store_sample,
    .event_name = cosmos_event_name,
    .event_detail = cosmos_event_detail,
    .fini = cosmos_fini,
    .params = cosmos_params,
    .family = "store",
    .ops = &cosmos_ops,
    .check = cosmos_check,
    .cost = cosmos_cost,
    .sla = cosmos_sla,
};
