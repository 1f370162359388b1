/* models/store_primary.c: the single-primary store shared by sql, redis and
 * blob (store.h "single-primary stores"). Region outages reach it as
 * FAULT_START/END messages; it re-reads its regions' state in a RECHECK
 * event at the same instant, queued after them, so it sees the regions as
 * their own handlers left them whatever order the messages came in.
 * Invariants: a replica's link is cut exactly while the primary is down,
 * a replication partition is in force, its own region is down or a
 * network partition separates it from the primary's; the log
 * holds every write some replica may lack; at most one switch at a time. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/fault.h"
#include "store.h"

enum { PS_RECHECK = MR_MSG_PRIVATE, PS_DECIDE, PS_SWITCHED };

/* Aggregate fidelity: a cache's warm-up ramp is carried in this many steps
 * (a model resolution, not an Azure figure); each step holds the ramp's
 * mean over it, so the integral is exact whatever the count. */
#define AG_WARM_STEPS 16


static const mr_pstore_cfg *cfg_of(const mr_component *self)
{
    return self->cfg;
}

static mr_time rtt(const mr_pstore_cfg *cfg, int64_t a, int64_t b)
{
    if (cfg->base.rtt == NULL || a < 0 || b < 0 || a >= cfg->base.nregions || b >= cfg->base.nregions)
        return 0;
    return cfg->base.rtt[a * cfg->base.nregions + b];
}

static int copy_up(const mr_pstore_state *st, int c)
{
    return st->reg[c]->down == 0;
}

static int primary_up(const mr_pstore_state *st)
{
    return copy_up(st, st->primary) && st->failed == 0;
}

/* The store's availability rules, one copy each for both fidelities: a
 * cache serves (hits, takes writes) through its primary while it is up and
 * not switching; a store takes a write routed to copy c when c is the
 * primary, up, and not blocked by a planned failover. */
static int cache_serves(const mr_pstore_state *st, int c)
{
    return c == st->primary && !st->down && !st->switching;
}

static int takes_writes(const mr_pstore_state *st, int c)
{
    return c == st->primary && !st->down && !st->block_writes;
}

/* The copy the clients in region r send to: the primary once their route
 * cache has refreshed after the last switch, the old primary before. */
static int routed(const mr_component *self, int64_t r, mr_time now)
{
    const mr_pstore_state *st = self->state;
    if (st->old_primary < 0)
        return st->primary;
    mr_time ph = r >= 0 && r < MR_MAX_REGIONS ? st->phase[r] : 0;
    return now >= mr_route_refresh(ph, cfg_of(self)->route_ttl, st->promoted_at) ? st->primary
                                                                               : st->old_primary;
}

static void sync_links(mr_pstore_state *st, mr_time now)
{
    for (int c = 0; c < st->ncopies; c++) {
        if (c == st->primary)
            continue;
        /* A network partition between the two regions cuts the link too. */
        int cut = st->down || st->partitions > 0 || !copy_up(st, c) ||
                  st->reg[st->primary]->cut[st->region[c]] > 0;
        if (cut && !st->rep[c].cut)
            mr_replica_cut(&st->rep[c], now, st->lags);
        else if (!cut && st->rep[c].cut)
            mr_replica_heal(&st->rep[c], now, st->lags);
    }
}

static void evaluate(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    int up = primary_up(st);
    if (!up && !st->down) {
        st->down = 1;
        st->down_since = now;
        st->down_fault = st->last_fault;
        mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_DUE); /* recovery timeline */
        if (!st->switching && !mr_sim_pending_handle(sim, st->decision)) {
            mr_time wait = cfg->base.mode == MR_FAILOVER_AUTOMATIC && cfg->base.grace > 0
                               ? cfg->base.grace
                               : mr_dist_sample_time(&cfg->base.decision, st->ops);
            if (cfg->base.mode == MR_FAILOVER_AUTOMATIC && wait < st->variant.min_grace)
                wait = st->variant.min_grace; /* SQL, rule 5: max(1 h, grace) */
            mr_sim_schedule(sim, wait, self->id, PS_DECIDE, NULL, 0, &st->decision);
        }
    } else if (up && st->down) {
        st->down = 0;
        mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_WITHDRAWN); /* back unpromoted */
        if (mr_sim_pending_handle(sim, st->decision))
            mr_sim_cancel(sim, st->decision);
        st->decision = (mr_handle){0, 0};
        if (st->variant.cache)
            st->warm_from = now; /* back, but empty */
    }
    sync_links(st, now);
}

/* The replica to promote: the first one that is up. -1 if none. */
static int pick_target(const mr_pstore_state *st)
{
    for (int c = 0; c < st->ncopies; c++)
        if (c != st->primary && copy_up(st, c))
            return c;
    return -1;
}

static void begin_switch(mr_component *self, mr_sim *sim, mr_time delay)
{
    mr_pstore_state *st = self->state;
    st->switching = 1;
    st->block_writes = 1;
    if (mr_sim_pending_handle(sim, st->decision))
        mr_sim_cancel(sim, st->decision);
    st->decision = (mr_handle){0, 0};
    mr_sim_schedule(sim, delay + mr_dist_sample_time(&cfg_of(self)->base.duration, st->ops), self->id,
                    PS_SWITCHED, NULL, 0, NULL);
}

static void forced(mr_component *self, mr_sim *sim, uint32_t fault)
{
    mr_pstore_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    int t = st->switching ? -1 : pick_target(st);
    if (t < 0) {
        st->refused++;
        return;
    }
    /* Rule 4: the writes the promoted copy lacks are lost; with the primary
     * down its link has been cut since the failure, where the RPO is
     * measured. */
    mr_time applied = mr_replica_applied(&st->rep[t], now, st->lags);
    mr_time ref = st->down ? st->down_since : now;
    mr_store_loss loss = st->head.agg ? mr_store_rlog_loss(&st->head.agg->rlog[0], applied, now,
                                                           ref, st->head.agg->rng)
                                      : mr_store_loss_from(&st->log, applied, ref);
    mr_store_add_failover(&st->head, fault, 1, loss, now);
    st->target = t;
    begin_switch(self, sim, 0);
}

static void planned(mr_component *self, mr_sim *sim, uint32_t fault)
{
    mr_pstore_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    int t = st->switching || st->down ? -1 : pick_target(st);
    mr_time ready = t < 0 ? MR_TIME_NEVER : mr_replica_caught_up(&st->rep[t], now, st->lags);
    if (ready == MR_TIME_NEVER) {
        st->refused++; /* a planned failover needs the primary and the link */
        return;
    }
    /* Writes stop now, so the replica holding every write up to now holds
     * them all: nothing is lost (rule 4). */
    mr_store_add_failover(&st->head, fault, 0, (mr_store_loss){0, 0}, now);
    st->target = t;
    begin_switch(self, sim, ready - now);
}

static void switched(mr_component *self, mr_sim *sim)
{
    mr_pstore_state *st = self->state;
    mr_time now = mr_sim_now(sim);
    st->old_primary = st->primary;
    /* The roles swap: the old primary becomes a secondary as readable as
     * the promoted replica was declared (a failover group's read-only
     * listener follows the secondary role), and a primary serves reads. */
    st->readable[st->primary] = st->readable[st->target];
    st->readable[st->target] = 1;
    st->primary = st->target;
    st->promoted_at = now;
    st->switching = 0;
    st->block_writes = 0;
    st->down = 0;
    /* The new primary's history is what every copy is reseeded from; what
     * the old primary had beyond it was counted lost. */
    mr_store_log_trim(&st->log, now);
    if (st->head.agg)
        mr_store_rlog_trim(&st->head.agg->rlog[0], now);
    for (int c = 0; c < st->ncopies; c++)
        if (c != st->primary)
            mr_replica_restart(&st->rep[c], now, st->lags);
    if (st->variant.cache)
        st->warm_from = now;
    evaluate(self, sim, now);
}

double mr_pstore_hit_ratio(const mr_component *self, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    const mr_pstore_state *st = self->state;
    if (st->warm_from < 0 || cfg->warm_up <= 0 || now >= st->warm_from + cfg->warm_up)
        return cfg->hit_ratio;
    if (now <= st->warm_from)
        return 0;
    return cfg->hit_ratio * (double)(now - st->warm_from) / (double)cfg->warm_up;
}

/* Aggregate fidelity's hit ratio: during the warm-up, the ramp's mean over
 * the step of AG_WARM_STEPS that holds now (its value at the step's
 * middle: the ramp is linear). The hub re-reads at every step's start
 * (agg_wakes) and holds the value to the next, and any event between reads
 * the same value, so the hits and misses integrated over each step are
 * the ramp's exactly, as request fidelity's per-read draws are in
 * expectation (before, the value at each step's middle was held from
 * there to the next middle: R h W / 32 extra misses per warm-up). */
static double agg_hit_ratio(const mr_component *self, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    const mr_pstore_state *st = self->state;
    if (st->warm_from < 0 || cfg->warm_up <= 0 || now >= st->warm_from + cfg->warm_up)
        return cfg->hit_ratio;
    if (now < st->warm_from)
        return 0;
    int64_t k = (now - st->warm_from) * AG_WARM_STEPS / cfg->warm_up;
    return cfg->hit_ratio * ((double)k + 0.5) / AG_WARM_STEPS;
}

/* A read served by copy c (the primary is never stale). */
static void read_copy(mr_pstore_state *st, int c, mr_time now)
{
    mr_time applied = c == st->primary ? now : mr_replica_applied(&st->rep[c], now, st->lags);
    mr_store_read(&st->head, &st->log, applied, now);
}

static void trim(mr_pstore_state *st, mr_time now)
{
    mr_time lo = now;
    for (int c = 0; c < st->ncopies; c++) {
        if (c == st->primary)
            continue;
        mr_time a = mr_replica_applied(&st->rep[c], now, st->lags);
        if (a < lo)
            lo = a;
    }
    mr_store_log_trim(&st->log, lo);
}

/* Store capacity (sql, redis; store.h mr_pstore_cfg.max_rps): copy c's
 * queue takes a request arriving now. Returns its wait (0 without a
 * limit), or -1 when it would wait past queue_timeout: the request fails,
 * having taken no service (it abandons the queue, as a client's command
 * timeout does). */
static mr_time queue_wait(mr_component *self, int c, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    if (st->q_service == 0)
        return 0;
    mr_time most = cfg->queue_timeout < st->head.patience ? cfg->queue_timeout : st->head.patience;
    mr_time start = mr_fifo_offer(&st->q[c], now, st->q_service, most > 0 ? most : 0);
    mr_time wait = start < 0 ? -1 : start - now;
    mr_store_cap_note(&st->head, now, wait, start < 0);
    return wait;
}

static int cache_access(mr_component *self, mr_time now, uint32_t region, int is_write,
                        mr_time *latency)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    int c = routed(self, region, now);
    int avail = cache_serves(st, c);
    if (avail) {
        /* Every read (hit or miss) and every write is a command to the
         * cache; one that times out in its queue fails the request (the
         * client library's timeout surfaces to the application). */
        mr_time wait = queue_wait(self, c, now);
        if (wait < 0) {
            if (is_write)
                st->head.failed_writes++;
            else
                st->head.failed_reads++;
            return MR_ACCESS_FAIL;
        }
        *latency += wait + rtt(cfg, region, st->region[c]) +
                    mr_dist_sample_time(&cfg->latency, st->lat);
    }
    if (is_write) {
        /* Cache-aside: the store of record takes the write; the cache copy
         * (geo-replicated) is updated when it is there. */
        if (avail) {
            st->head.writes++;
            mr_store_log_append(&st->log, now);
            mr_store_replicated(&st->head, cfg->base.bytes_per_write * (double)(st->ncopies - 1));
        }
        return MR_ACCESS_OK;
    }
    if (avail && st->head.key < mr_pstore_hit_ratio(self, now)) {
        read_copy(st, c, now);
        return MR_ACCESS_HIT;
    }
    /* Counted after the run's warm-up only, as every read (rule 6) and as
     * aggregate fidelity counts them (mr_store_agg_advance). */
    if (now >= st->head.warmup)
        st->head.record_reads++;
    return MR_ACCESS_OK; /* a miss: the next store serves it */
}

static int read_target(const mr_component *self, uint32_t region, int c);

/* The realised lag of every replica (rule 4: what monitoring shows), when
 * a sample is due. */
static void sample_lags(mr_pstore_state *st, mr_time now)
{
    if (!mr_store_lag_due(&st->head, now))
        return;
    for (int c = 0; c < st->ncopies; c++)
        if (c != st->primary)
            mr_store_note_lag(&st->head, now, mr_replica_lag_s(&st->rep[c], now, st->lags));
}

static int pstore_access(mr_component *self, mr_time now, uint32_t region, uint32_t pop,
                         int is_write, mr_time *latency)
{
    (void)pop;
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    sample_lags(st, now);
    if (st->variant.cache)
        return cache_access(self, now, region, is_write, latency);
    int c = routed(self, region, now);
    if (is_write) {
        mr_time wait = takes_writes(st, c) ? queue_wait(self, c, now) : -1;
        if (wait < 0) {
            st->head.failed_writes++;
            return MR_ACCESS_FAIL;
        }
        st->head.writes++;
        mr_store_log_append(&st->log, now);
        mr_store_replicated(&st->head, cfg->base.bytes_per_write * (double)(st->ncopies - 1));
        if ((st->head.writes & 255) == 0)
            trim(st, now);
        *latency += wait + rtt(cfg, region, st->region[c]) +
                    mr_dist_sample_time(&cfg->latency, st->lat);
        return MR_ACCESS_OK;
    }
    int best = read_target(self, region, c);
    mr_time wait = best < 0 ? -1 : queue_wait(self, best, now);
    if (wait < 0) {
        st->head.failed_reads++;
        return MR_ACCESS_FAIL;
    }
    read_copy(st, best, now);
    *latency += wait + rtt(cfg, region, st->region[best]) +
                mr_dist_sample_time(&cfg->latency, st->lat);
    return MR_ACCESS_OK;
}

/* The copy serving a read from region `region` whose route leads to copy
 * c: a readable copy in the request's region, else c, else the nearest
 * readable copy (read-only listener, RA-GRS secondary endpoint); -1: none. */
static int read_target(const mr_component *self, uint32_t region, int c)
{
    const mr_pstore_cfg *cfg = self->cfg;
    const mr_pstore_state *st = self->state;
    int best = -1;
    for (int k = 0; k < st->ncopies; k++)
        if (k != st->primary && st->readable[k] && copy_up(st, k) && st->region[k] == region)
            best = k;
    if (best < 0 && copy_up(st, c) && (c != st->primary || st->failed == 0))
        best = c;
    if (best < 0) {
        mr_time near = MR_TIME_NEVER;
        for (int k = 0; k < st->ncopies; k++) {
            if (k == st->primary || !st->readable[k] || !copy_up(st, k))
                continue;
            mr_time d = rtt(cfg, region, st->region[k]);
            if (d < near) {
                near = d;
                best = k;
            }
        }
    }
    return best;
}

/* ---- aggregate fidelity (store.h) ---------------------------------------
 * The same decisions as pstore_access and cache_access, made once per
 * region between the hub's events instead of once per request. */

static void pstore_share(mr_component *self, mr_time now, uint32_t region, uint32_t pop,
                         mr_store_share *out)
{
    (void)pop;
    const mr_pstore_state *st = self->state;
    int c = routed(self, region, now);
    if (st->variant.cache) {
        out->read_hit = cache_serves(st, c) ? agg_hit_ratio(self, now) : 0;
        return;
    }
    out->write_fail = !takes_writes(st, c);
    out->read_fail = read_target(self, region, c) < 0;
}

static void pstore_settle(mr_component *self, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    mr_store_agg *a = st->head.agg;
    a->ok_reads = a->ok_writes = a->bad_reads = a->bad_writes = a->miss_reads = 0;
    memset(a->copy_reads, 0, sizeof a->copy_reads);
    for (uint32_t r = 0; r < MR_MAX_REGIONS; r++) {
        double nr = a->in_reads[r], nw = a->in_writes[r];
        if (!(nr > 0) && !(nw > 0))
            continue;
        int c = routed(self, r, now);
        if (st->variant.cache) {
            int avail = cache_serves(st, c);
            double hit = avail ? agg_hit_ratio(self, now) : 0;
            a->ok_writes += avail ? nw : 0;
            a->ok_reads += nr * hit;
            a->miss_reads += nr * (1 - hit);
            if (avail)
                a->copy_reads[c] += nr * hit;
            continue;
        }
        if (!takes_writes(st, c))
            a->bad_writes += nw;
        else
            a->ok_writes += nw;
        int t = read_target(self, r, c);
        if (t < 0) {
            a->bad_reads += nr;
        } else {
            a->ok_reads += nr;
            a->copy_reads[t] += nr;
        }
    }
    a->write_bytes = a->ok_writes * cfg->base.bytes_per_write * (double)(st->ncopies - 1);
    mr_store_rlog_set(&a->rlog[0], now, a->ok_writes);
    mr_time lo = now;
    for (int c = 0; c < st->ncopies; c++)
        if (c != st->primary) {
            mr_time x = mr_replica_applied(&st->rep[c], now, st->lags);
            lo = x < lo ? x : lo;
        }
    mr_store_rlog_trim(&a->rlog[0], lo);
}

/* One sample of the reads at t: the expected stale reads of span, and one
 * read's staleness (a copy drawn by its read rate) for the histogram. */
static void pstore_sample(mr_component *self, mr_time t, mr_time span)
{
    mr_pstore_state *st = self->state;
    sample_lags(st, t);
    mr_store_agg *a = st->head.agg;
    double total = 0;
    for (int c = 0; c < st->ncopies; c++)
        total += a->copy_reads[c];
    if (!(total > 0))
        return;
    double pick = mr_rng_uniform(a->rng) * total, age = 0;
    for (int c = 0; c < st->ncopies; c++) {
        if (!(a->copy_reads[c] > 0))
            continue;
        double p = 0, x = 0;
        if (c != st->primary)
            x = mr_store_rlog_stale_ms(&a->rlog[0], mr_replica_applied(&st->rep[c], t, st->lags),
                                       t, a->rng, &p);
        a->stale_reads += a->copy_reads[c] * mr_time_to_s(span) * p;
        if (pick >= 0 && pick < a->copy_reads[c])
            age = x;
        pick -= a->copy_reads[c];
    }
    /* One histogram entry (the counters are the integrals, set after). */
    mr_store_note_read(&st->head, t, 0, age);
}

void mr_pstore_agg_enable(mr_component *self, uint32_t hub)
{
    const mr_pstore_cfg *cfg = self->cfg;
    /* Ten lag samples per staleness sample: a systematic sample of time
     * whose cost stays below the lag draws themselves. */
    mr_store_agg_enable(self, hub, 10 * (cfg->base.sample > 0 ? cfg->base.sample : MR_S),
                        pstore_share, pstore_settle, pstore_sample);
}

/* After a switch or a cache's return, the instants the hub must re-read:
 * each region's route refresh, and the steps of a cache's warm-up. */
static void agg_wakes(mr_component *self, mr_sim *sim, mr_time now)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    if (st->head.agg == NULL)
        return;
    mr_store_agg_notify(self, sim, now);
    if (st->old_primary >= 0 && st->promoted_at == now && cfg->route_ttl > 0)
        for (int64_t r = 0; r < cfg->base.nregions && r < MR_MAX_REGIONS; r++)
            mr_store_agg_notify(self, sim, mr_route_refresh(st->phase[r], cfg->route_ttl, now));
    /* The hit ratio ramps linearly: re-read at the start of each of the
     * AG_WARM_STEPS steps (agg_hit_ratio), rounded up so that the instant
     * falls in its step, and at the ramp's end. */
    if (st->variant.cache && st->warm_from == now && cfg->warm_up > 0)
        for (int64_t k = 1; k <= AG_WARM_STEPS; k++)
            mr_store_agg_notify(self, sim,
                                now + (cfg->warm_up * k + AG_WARM_STEPS - 1) / AG_WARM_STEPS);
}

int mr__pstore_check_capacity(mr_pstore_cfg *cfg, mr_param_ctx *ctx)
{
    int rc = MR_OK;
    if (ctx->written(ctx, "queue_timeout") && !(cfg->max_rps > 0)) {
        ctx->error(ctx, "queue_timeout", "applies with a max_rps above 0 only");
        rc = MR_ESCENARIO;
    }
    cfg->base.capacity = cfg->max_rps > 0;
    return rc;
}

int mr_pstore_init(mr_component *self, const mr_pstore_variant *variant)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    st->variant = *variant;
    if (cfg->base.ncopies < 1 || cfg->base.ncopies > MR_PSTORE_COPIES)
        return MR_ERANGE;
    mr_store_head_init(&st->head, pstore_access);
    st->head.warmup = cfg->base.warmup;
    mr_store_log_init(&st->log);
    st->lags = mr_rng_derive(self->rng, "lag");
    st->ops = mr_rng_derive(self->rng, "ops");
    st->hits = mr_rng_derive(self->rng, "hits");
    st->lat = mr_rng_derive(self->rng, "latency");
    st->ncopies = (int32_t)cfg->base.ncopies;
    for (int c = 0; c < st->ncopies; c++) {
        st->region[c] = cfg->base.copy[c];
        /* The primary at start serves reads; a replica if it is readable. */
        st->readable[c] = c == 0 || cfg->base.readable[c] != 0;
    }
    st->old_primary = -1;
    st->last_fault = UINT32_MAX;
    st->down_fault = UINT32_MAX;
    st->warm_from = -1;
    if (cfg->max_rps > 0) {
        /* One server a copy, service 1 / max_rps (deterministic: no draw,
         * so the streams of a store without a limit are untouched). */
        st->q_service = (mr_time)llround((double)MR_S / cfg->max_rps);
        if (st->q_service < 1)
            st->q_service = 1;
        st->head.capacity = 1;
        for (int c = 0; c < st->ncopies; c++)
            mr_fifo_init(&st->q[c], 1);
    }
    return MR_OK;
}

int mr_pstore_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    for (int c = 0; c < st->ncopies; c++) {
        int64_t index = st->region[c];
        int64_t id = index >= 0 && index < MR_MAX_REGIONS ? cfg->base.region_id[index] : -1;
        mr_component *r = mr_sim_link(sim, self, id, "region", "region", diag);
        if (r == NULL)
            return MR_ENOCOMP;
        st->reg[c] = r->state;
    }
    return mr_store_head_link(&st->head, self, sim, cfg->base.faults, diag);
}

void mr_pstore_start(mr_component *self, mr_sim *sim)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    (void)sim;
    /* Every copy gets a replica position, the primary's used once it is
     * demoted. */
    for (int c = 0; c < st->ncopies; c++)
        mr_replica_init_hold(&st->rep[c], &cfg->base.lag, &cfg->base.hold, cfg->base.sample,
                             st->lags);
    /* Route caches start in steady state (rule 3): a uniform phase each. */
    for (int r = 0; r < MR_MAX_REGIONS; r++)
        st->phase[r] = (mr_time)(mr_rng_uniform(st->ops) * (double)cfg->route_ttl);
}

void mr_pstore_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    const mr_pstore_cfg *cfg = self->cfg;
    mr_pstore_state *st = self->state;
    /* Aggregate fidelity: the flows so far are integrated under the state
     * they met, before this event changes it. */
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
        else if (m.kind == MR_FAULT_DATASTORE_FAILOVER && start) {
            if (m.fault < 64 && ((uint64_t)cfg->base.planned_mask >> m.fault & 1))
                planned(self, sim, m.fault);
            else
                forced(self, sim, m.fault);
        }
        mr_sim_schedule(sim, 0, self->id, PS_RECHECK, NULL, 0, NULL);
        break;
    }
    case MR_MSG_PROMOTE: {
        mr_msg_promote m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.forced)
            forced(self, sim, m.fault);
        else
            planned(self, sim, m.fault);
        break;
    }
    case PS_RECHECK:
        evaluate(self, sim, ev->time);
        break;
    case PS_DECIDE:
        st->decision = (mr_handle){0, 0};
        if (st->down && !st->switching)
            forced(self, sim, st->down_fault);
        break;
    case PS_SWITCHED:
        switched(self, sim);
        mr_sim_mark(sim, MR_MS_STORE_FAILOVER, self, MR_MARK_REACHED);
        break;
    default:
        mr_sim_unhandled(sim, ev);
    }
    agg_wakes(self, sim, ev->time);
}

void mr_pstore_report(const mr_component *self, mr_report *out)
{
    const mr_pstore_state *st = self->state;
    mr_store_report(&st->head, self->name, out);
    mr_report_scalar(out, self->name, "refused_failovers", (double)st->refused);
}

/* Its state now, for `mrsim tui` (sim/run/live.h): where the primary is
 * (a region index: it moves at a failover), whether it is up, and whether
 * a failover is under way. */
void mr_pstore_status(const mr_component *self, mr_report *out)
{
    const mr_pstore_state *st = self->state;
    mr_report_scalar(out, self->name, "primary_region", (double)st->region[st->primary]);
    mr_report_scalar(out, self->name, "primary_up", primary_up(st) ? 1 : 0);
    mr_report_scalar(out, self->name, "switching", st->switching ? 1 : 0);
}

const char *mr_pstore_event_name(uint32_t kind)
{
    return kind == PS_RECHECK    ? "recheck"
           : kind == PS_DECIDE   ? "decide"
           : kind == PS_SWITCHED ? "switched"
                                 : NULL;
}

/* The trace's detail (docs/cli.md "--trace"), built only when tracing:
 * shared by sql, redis and blob like the names. */
int mr_pstore_event_detail(const mr_component *self, const mr_event *ev, char *buf, size_t n)
{
    const mr_pstore_state *st = self->state;
    switch (ev->kind) {
    case PS_RECHECK:
        return snprintf(buf, n, "re-read its regions (primary copy %d, %s)", (int)st->primary,
                        st->down ? "down" : "up");
    case PS_DECIDE:
        return snprintf(buf, n, "failover decided (primary copy %d down)", (int)st->primary);
    case PS_SWITCHED:
        return snprintf(buf, n, "promotion done: copy %d becomes primary (was %d)",
                        (int)st->target, (int)st->primary);
    default:
        return 0; /* a public message: the trace writer describes it */
    }
}

void mr_pstore_fini(mr_component *self)
{
    mr_pstore_state *st = self->state;
    mr_store_head_fini(&st->head);
    mr_store_log_fini(&st->log);
    mr_rng_free(st->lags);
    mr_rng_free(st->ops);
    mr_rng_free(st->hits);
    mr_rng_free(st->lat);
    if (st->q_service > 0)
        for (int c = 0; c < st->ncopies; c++)
            mr_fifo_fini(&st->q[c]);
}

const mr_store_ops mr_pstore_ops = {.agg_enable = mr_pstore_agg_enable};
