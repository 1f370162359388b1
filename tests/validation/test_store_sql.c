/* tests/validation/test_store_sql.c: the single-primary store (sql, and the
 * redis cache in front of it) as a component, against docs/model.md rules 4
 * and 5 with hand-computed cases.
 *
 * Set-up: West Europe (id 0) holds the primary, North Europe (id 1) a
 * readable geo-secondary; the test drives the store's access function
 * itself, one write every 10 ms from a cluster in West Europe, between
 * runs of the simulation up to each write, the way clients.c does.
 * Faults come from the real fault injector. Times are chosen off the 10 ms
 * grid so no write shares an instant with a fault. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "slo.h"
#include "store.h"
#include "mrsim/error.h"
#include "config/scenario.h"
#include "validation.h"

enum { ID_WEU, ID_NEU, ID_SLO, ID_SQL, ID_FAULTS, ID_CACHE };
static const mr_time RTT[4] = {0, 18 * MR_MS, 18 * MR_MS, 0};

static void add(mr_sim *sim, const char *kind, const char *name, const void *cfg, uint32_t id)
{
    mr_diag *d = mr_diag_new();
    mr_component *c = NULL;
    int rc = mr_sim_add(sim, mr_model_find(kind), name, cfg, d, &c);
    cr_assert_eq(rc, MR_OK, "%s: %s", name, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    cr_assert_eq(c->id, id);
    mr_diag_free(d);
}

typedef struct setup {
    const char *kind; /* of the store at ID_SQL: "sql" unless set */
    mr_pstore_cfg sql;
    int nfaults;
    mr_fault_cfg f[2];
    int cache; /* add a redis cache in front */
    mr_pstore_cfg redis;
} setup;

static void base(setup *s, mr_time lag)
{
    memset(s, 0, sizeof *s);
    /* What the builder hands a failover group by default. */
    s->sql.base.sample = MR_S;
    s->sql.base.mode = MR_FAILOVER_AUTOMATIC;
    s->sql.base.grace = MR_H;
    s->sql.route_ttl = 30 * MR_S;
    s->sql.base.bytes_per_write = 2048;
    s->sql.base.faults = -1;
    s->sql.hit_ratio = 0.9;
    s->sql.warm_up = 10 * MR_MIN;
    s->sql.base.nregions = 2;
    s->sql.base.rtt = RTT;
    /* The primary in West Europe (index 0), a readable replica in North
     * Europe (index 1); the regions' component ids are their indices. */
    s->sql.base.ncopies = 2;
    s->sql.base.copy[0] = 0;
    s->sql.base.copy[1] = 1;
    s->sql.base.writable[0] = 1;
    s->sql.base.readable[1] = 1;
    s->sql.base.region_id[0] = ID_WEU;
    s->sql.base.region_id[1] = ID_NEU;
    mr_dist_const(&s->sql.base.lag, (double)lag);
    mr_dist_const(&s->sql.base.duration, (double)(30 * MR_S));
    mr_dist_const(&s->sql.base.decision, (double)(20 * MR_MIN));
}

/* A fault of kind k on component target, from at for dur. */
static void fault(setup *s, int k, uint32_t target, mr_time at, mr_time dur)
{
    mr_fault_cfg *f = &s->f[s->nfaults++];
    *f = (mr_fault_cfg){.kind = k, .ncand = 1, .cand = {target}, .pick = 1, .severity = 1,
                        .timing = MR_FT_AT};
    mr_dist_const(&f->at, (double)at);
    mr_dist_const(&f->duration, (double)dur);
}

static mr_sim *build(const setup *s, uint64_t rep, mr_time horizon)
{
    mr_sim *sim = mr_sim_new(11, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = ID_FAULTS};
    add(sim, "region", "regions/westeurope", &region, ID_WEU);
    region.index = 1;
    add(sim, "region", "regions/northeurope", &region, ID_NEU);
    mr_slo_cfg slo = {.window = 10 * MR_S, .horizon = horizon, .stable_for = 60 * MR_S,
                      .success_target = 0.99, .resolvers = 1};
    add(sim, "slo", "slo", &slo, ID_SLO);
    add(sim, s->kind ? s->kind : "sql", "data/orders", &s->sql, ID_SQL);
    mr_faults_cfg faults = {.slo = ID_SLO, .n = s->nfaults, .nstores = 1 + s->cache,
                            .store = {ID_SQL, ID_CACHE}};
    for (int i = 0; i < s->nfaults; i++)
        faults.f[i] = s->f[i];
    add(sim, "faults", "faults", &faults, ID_FAULTS);
    if (s->cache)
        add(sim, "redis", "data/cache", &s->redis, ID_CACHE);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

static int access_at(mr_sim *sim, uint32_t id, mr_time t, uint32_t region, int is_write,
                     mr_time *lat)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, t), MR_OK);
    mr_component *c = mr_sim_component(sim, id);
    mr_store_head *h = mr__store_head(c);
    cr_assert_not_null(h);
    mr_time l = 0;
    /* Each access is a new request with its own key, uniform in [0, 1)
     * (clients.c draws it): splitmix64. */
    static uint64_t x;
    uint64_t z = (x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    h->key = (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
    int r = h->access(c, t, region, 0, is_write, &l);
    if (lat)
        *lat = l;
    return r;
}

static const mr_pstore_state *sql_of(mr_sim *sim)
{
    return mr_sim_component(sim, ID_SQL)->state;
}

/* Writes every 10 ms from West Europe in [from, to). */
static void write_until(mr_sim *sim, mr_time from, mr_time to)
{
    for (mr_time t = from; t < to; t += 10 * MR_MS)
        access_at(sim, ID_SQL, t, ID_WEU, 1, NULL);
}

Test(store_sql, automatic_failover_starts_at_max_1h_grace_and_loses_the_lag)
{
    /* Rule 5: a region outage at f = 600.005 s; the failover group fails
     * over at f + max(1 h, grace), then a 30 s switch. Rule 4 with a
     * constant 2 s lag: applied(f) = f - 2 s, so the writes in
     * (598.005, 600.005] are lost, 598.01 to 600.00 s: 200 of them, the
     * oldest 1.995 s old at the failure. */
    const mr_time grace[] = {MR_H, 2 * MR_H, 30 * MR_MIN};
    const mr_time expect[] = {MR_H, 2 * MR_H, MR_H}; /* 30 min is raised to the 1 h floor */
    for (int g = 0; g < 3; g++) {
        setup s;
        base(&s, 2 * MR_S);
        s.sql.base.grace = grace[g];
        mr_time f = 600 * MR_S + 5 * MR_MS;
        fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
        mr_sim *sim = build(&s, 0, 12 * MR_H);
        write_until(sim, 0, 700 * MR_S);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, f + expect[g] - 1), MR_OK);
        cr_assert_eq(sql_of(sim)->head.nfo, 0, "no failover before max(1 h, grace)");
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, f + expect[g] + 31 * MR_S), MR_OK);
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.nfo, 1);
        cr_assert_eq(st->head.fo[0].at, f + expect[g], "grace %d: failover at %lld", g,
                     (long long)st->head.fo[0].at);
        cr_assert_eq(st->head.fo[0].forced, 1);
        cr_assert_eq(st->head.fo[0].fault, 0);
        cr_assert_eq(st->head.fo[0].lost, 200);
        cr_assert(fabs(st->head.fo[0].rpo_s - 1.995) < 1e-9, "RPO %.9f", st->head.fo[0].rpo_s);
        char id[96], what[160];
        snprintf(id, sizeof id, "store_sql.automatic_failover_grace_%gmin", mr_time_to_s(grace[g]) / 60);
        snprintf(what, sizeof what,
                 "SQL failover group: automatic failover after a region outage, grace %g min",
                 mr_time_to_s(grace[g]) / 60);
        mr_vcase vc = {.id = id, .what = what,
                       .reference = "docs/reference.md: the failover starts at max(1 h, grace)",
                       .unit = "s", .ref = mr_time_to_s(expect[g]), .tol = 0};
        mr_vcheck(&vc, "exact", mr_time_to_s(st->head.fo[0].at - f), NAN, NAN, 1);
        cr_assert_eq(st->primary, 1, "North Europe is the primary after the switch");
        cr_assert_eq(st->promoted_at, f + expect[g] + 30 * MR_S);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_sql, the_outage_ending_before_the_grace_period_fails_nothing_over)
{
    setup s;
    base(&s, 2 * MR_S);
    fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, 600 * MR_S + 5 * MR_MS, 50 * MR_MIN);
    mr_sim *sim = build(&s, 0, 3 * MR_H);
    write_until(sim, 0, 640 * MR_S);
    cr_assert_eq(access_at(sim, ID_SQL, 650 * MR_S, ID_WEU, 1, NULL), MR_ACCESS_FAIL,
                 "no writes while the primary is down");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, 3 * MR_H), MR_OK);
    cr_assert_eq(sql_of(sim)->head.nfo, 0);
    cr_assert_eq(sql_of(sim)->primary, 0);
    cr_assert_eq(access_at(sim, ID_SQL, 3 * MR_H, ID_WEU, 1, NULL), MR_ACCESS_OK);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_sql, manual_failover_after_the_decision_and_clients_follow_the_listener_ttl)
{
    /* Manual: decision 20 min + switch 30 s. A client in North Europe
     * reaches the new primary at the first refresh of its listener cache
     * (TTL 30 s, uniform phase) after the switch: within [0, 30 s). */
    for (uint64_t rep = 0; rep < 5; rep++) {
        setup s;
        base(&s, MR_S);
        s.sql.base.mode = MR_FAILOVER_MANUAL;
        mr_time f = 600 * MR_S + 5 * MR_MS;
        fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
        mr_sim *sim = build(&s, rep, 3 * MR_H);
        write_until(sim, 0, 610 * MR_S);
        mr_time sw = f + 20 * MR_MIN + 30 * MR_S;
        mr_time first = -1, lat = 0;
        for (mr_time t = f + 20 * MR_MIN; t < sw + 60 * MR_S && first < 0; t += 100 * MR_MS)
            if (access_at(sim, ID_SQL, t, ID_NEU, 1, &lat) == MR_ACCESS_OK)
                first = t;
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.fo[0].at, f + 20 * MR_MIN);
        cr_assert_eq(st->promoted_at, sw);
        cr_assert(first >= sw && first < sw + 30 * MR_S + 100 * MR_MS,
                  "first write %.3f s after the switch", mr_time_to_s(first - sw));
        cr_assert_eq(lat, 0, "a write from the primary's own region adds no round trip");
        cr_assert_eq(access_at(sim, ID_SQL, sw + 61 * MR_S, ID_WEU, 1, &lat), MR_ACCESS_OK);
        cr_assert_eq(lat, 18 * MR_MS, "a write from West Europe crosses to North Europe");
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_sql, zero_lag_loses_nothing_at_a_forced_failover)
{
    setup s;
    base(&s, 0);
    mr_time f = 600 * MR_S + 5 * MR_MS;
    fault(&s, MR_FAULT_DATASTORE_FAILOVER, ID_SQL, f, 0);
    mr_sim *sim = build(&s, 0, MR_H);
    write_until(sim, 0, 700 * MR_S);
    const mr_pstore_state *st = sql_of(sim);
    cr_assert_eq(st->head.nfo, 1);
    cr_assert_eq(st->head.fo[0].forced, 1);
    cr_assert_eq(st->head.fo[0].lost, 0);
    cr_assert_eq(st->head.fo[0].rpo_s, 0);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_sql, a_planned_failover_waits_and_loses_nothing)
{
    /* With a 3 s lag the replica holds the writes up to t at t + 3 s: the
     * switch starts then (30 s), writes are refused from t on, nothing is
     * lost; a forced one in its place loses 3 s of writes (300). */
    for (int planned = 1; planned >= 0; planned--) {
        setup s;
        base(&s, 3 * MR_S);
        mr_time f = 600 * MR_S + 5 * MR_MS;
        fault(&s, MR_FAULT_DATASTORE_FAILOVER, ID_SQL, f, 0);
        s.sql.base.planned_mask = planned;
        mr_sim *sim = build(&s, 0, MR_H);
        write_until(sim, 0, 700 * MR_S);
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.nfo, 1);
        cr_assert_eq(st->head.fo[0].forced, !planned);
        cr_assert_eq(st->head.fo[0].lost, planned ? 0 : 300);
        cr_assert_eq(st->promoted_at, f + (planned ? 3 * MR_S : 0) + 30 * MR_S);
        /* Writes are refused from the request until the switch, and then until
         * the listener cache of West Europe refreshes (within 30 s). */
        uint64_t lo = (uint64_t)((st->promoted_at - f) / (10 * MR_MS));
        cr_assert(st->head.failed_writes >= lo && st->head.failed_writes <= lo + 3001,
                  "%llu writes refused", (unsigned long long)st->head.failed_writes);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_sql, a_replication_partition_makes_the_rpo_grow_with_its_length)
{
    /* The link is cut at 300.005 s for L; a forced failover at its end
     * loses every write since the cut (less the 1 s lag before it):
     * RPO = L + 1 s - 5 ms at the 10 ms grid. */
    double last = -1;
    const int lens[] = {10, 60, 300};
    for (int i = 0; i < 3; i++) {
        setup s;
        base(&s, MR_S);
        mr_time cut = 300 * MR_S + 5 * MR_MS, len = lens[i] * MR_S;
        fault(&s, MR_FAULT_REPLICATION_PARTITION, ID_SQL, cut, len + 10 * MR_S);
        fault(&s, MR_FAULT_DATASTORE_FAILOVER, ID_SQL, cut + len, 0);
        mr_sim *sim = build(&s, 0, MR_H);
        write_until(sim, 0, cut + len + 5 * MR_S);
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.nfo, 1);
        double rpo = st->head.fo[0].rpo_s;
        cr_assert(fabs(rpo - (lens[i] + 0.995)) < 1e-6, "L %d s: RPO %.6f", lens[i], rpo);
        cr_assert_eq(st->head.fo[0].lost, (uint64_t)(lens[i] * 100 + 100));
        cr_assert_gt(rpo, last);
        last = rpo;
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_sql, a_readable_secondary_serves_stale_reads_counted_by_age)
{
    /* Lag 2 s constant, writes every 10 ms: a read from North Europe at t
     * misses the writes in (t - 2 s, t]: stale, by 1.99 to 2 s. */
    setup s;
    base(&s, 2 * MR_S);
    mr_sim *sim = build(&s, 0, MR_H);
    for (mr_time t = 5 * MR_MS; t < 100 * MR_S; t += 10 * MR_MS) {
        access_at(sim, ID_SQL, t, ID_WEU, 1, NULL);
        mr_time lat;
        if (t > 10 * MR_S) {
            cr_assert_eq(access_at(sim, ID_SQL, t + MR_MS, ID_NEU, 0, &lat), MR_ACCESS_OK);
            cr_assert_eq(lat, 0, "served by the local secondary");
            cr_assert_eq(access_at(sim, ID_SQL, t + 2 * MR_MS, ID_WEU, 0, &lat), MR_ACCESS_OK);
        }
    }
    const mr_pstore_state *st = sql_of(sim);
    cr_assert_eq(st->head.reads, 2 * st->head.stale_reads, "half the reads are replica reads");
    double p99 = mr_hist_quantile(&st->head.staleness_ms, 0.99);
    static const mr_vcase vc = {
        .id = "store_sql.readable_secondary_staleness_p99",
        .what = "staleness p99 of reads from an SQL readable secondary (lag 2 s)",
        .reference = "closed form in the test: 1991 ms",
        .unit = "ms", .ref = 1991, .tol = 15};
    mr_vcheck(&vc, "request", p99, NAN, NAN, 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_redis, the_store_of_record_takes_the_misses_while_the_cold_cache_warms)
{
    /* A cache (hit ratio 0.8 when warm) in front of the SQL store, both in
     * West Europe with secondaries in North Europe. West Europe fails at
     * 600 s; the cache is failed over by hand (20 min + 30 s): from then
     * its hit ratio ramps linearly from 0 over 10 min (docs/reference.md §7), so
     * in the minute [T + 60k, T + 60(k + 1)) the store of record serves
     * 1 - 0.8 (k + 1/2) / 10 of the reads. Reads every 10 ms (6,000 a
     * minute): the binomial standard error is under 0.0065; allowed 4. */
    setup s;
    base(&s, MR_S);
    s.sql.base.mode = MR_FAILOVER_MANUAL;
    mr_dist_const(&s.sql.base.decision, (double)(10 * MR_H)); /* the database stays put */
    s.cache = 1;
    s.redis = s.sql;
    s.redis.base.mode = MR_FAILOVER_MANUAL;
    s.redis.base.readable[1] = 0;
    s.redis.hit_ratio = 0.8;
    s.redis.warm_up = 10 * MR_MIN;
    mr_dist_const(&s.redis.base.decision, (double)(20 * MR_MIN));
    mr_time f = 600 * MR_S + 5 * MR_MS;
    fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
    mr_sim *sim = build(&s, 0, 2 * MR_H);
    mr_time sw = f + 20 * MR_MIN + 30 * MR_S;
    const mr_pstore_state *db = sql_of(sim);
    const mr_pstore_state *cache = mr_sim_component(sim, ID_CACHE)->state;
    uint64_t before = 0, reads = 0;
    int k = -1;
    for (mr_time t = 0; t < sw + 12 * MR_MIN; t += 10 * MR_MS) {
        int kk = t >= sw ? (int)((t - sw) / MR_MIN) : -1;
        if (kk != k) {
            if (k >= 0 && k < 10) {
                double expect = 1 - 0.8 * (k + 0.5) / 10;
                double got = (double)(db->head.reads - before) / (double)reads;
                cr_assert(fabs(got - expect) < 4 * sqrt(expect * (1 - expect) / (double)reads),
                          "minute %d of the ramp: %.4f of reads to the database, expected %.4f",
                          k, got, expect);
            }
            k = kk;
            before = db->head.reads;
            reads = 0;
        }
        mr_time lat = 0;
        int r = access_at(sim, ID_CACHE, t, ID_NEU, 0, &lat);
        if (r != MR_ACCESS_HIT)
            cr_assert_eq(access_at(sim, ID_SQL, t, ID_NEU, 0, &lat), MR_ACCESS_OK);
        reads++;
        if (t > f && t < sw)
            cr_assert_neq(r, MR_ACCESS_HIT, "the failed cache serves nothing");
    }
    cr_assert_eq(cache->head.nfo, 1);
    cr_assert_eq(cache->primary, 1);
    cr_assert_eq(db->head.nfo, 0);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_sql, a_network_partition_between_the_regions_cuts_replication_too)
{
    /* As a replication partition: cut at 300.005 s for 60 s, forced
     * failover at its end: RPO 60.995 s. */
    setup s;
    base(&s, MR_S);
    mr_time cut = 300 * MR_S + 5 * MR_MS;
    fault(&s, MR_FAULT_NETWORK_PARTITION, ID_WEU, cut, 70 * MR_S);
    s.f[0].ncand = 2;
    s.f[0].cand[1] = ID_NEU;
    s.f[0].pick = 2;
    s.f[0].peer = ID_NEU;
    s.f[0].side[0] = 0; /* the regions' indices */
    s.f[0].side[1] = 1;
    fault(&s, MR_FAULT_DATASTORE_FAILOVER, ID_SQL, cut + 60 * MR_S, 0);
    s.f[1].peer = -1;
    mr_sim *sim = build(&s, 0, MR_H);
    write_until(sim, 0, cut + 65 * MR_S);
    const mr_pstore_state *st = sql_of(sim);
    cr_assert_eq(st->head.nfo, 1);
    cr_assert(fabs(st->head.fo[0].rpo_s - 60.995) < 1e-6, "RPO %.6f", st->head.fo[0].rpo_s);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_blob, ra_grs_reads_stale_from_the_secondary_until_the_customer_fails_over)
{
    /* Blob GRS / RA-GRS (docs/reference.md §8): a lag of minutes (3 min here),
     * a customer-managed failover: a decision (10 min) and the failover
     * itself (about an hour: 60 min), the account endpoint repointed with
     * it. Until then writes fail; RA-GRS reads from North Europe are served
     * by the secondary, which lacks the last 3 min of writes before the
     * outage (RPO at the failover 179.995 s at the 10 ms grid). */
    for (int ra = 0; ra < 2; ra++) {
        setup s;
        base(&s, 3 * MR_MIN);
        s.kind = "blob";
        s.sql.base.readable[1] = ra;
        s.sql.base.mode = MR_FAILOVER_MANUAL;
        s.sql.route_ttl = 0;
        mr_dist_const(&s.sql.base.decision, (double)(10 * MR_MIN));
        mr_dist_const(&s.sql.base.duration, (double)(60 * MR_MIN));
        mr_time f = 600 * MR_S + 5 * MR_MS;
        fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
        mr_sim *sim = build(&s, 0, 3 * MR_H);
        write_until(sim, 0, 610 * MR_S);
        cr_assert_eq(access_at(sim, ID_SQL, 20 * MR_MIN, ID_NEU, 0, NULL),
                     ra ? MR_ACCESS_OK : MR_ACCESS_FAIL, "RA-GRS reads the secondary");
        cr_assert_eq(access_at(sim, ID_SQL, f + 70 * MR_MIN - MR_S, ID_NEU, 1, NULL),
                     MR_ACCESS_FAIL);
        cr_assert_eq(access_at(sim, ID_SQL, f + 70 * MR_MIN, ID_NEU, 1, NULL), MR_ACCESS_OK,
                     "the account fails over after decision + failover, endpoint at once");
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.fo[0].at, f + 10 * MR_MIN);
        cr_assert(fabs(st->head.fo[0].rpo_s - 179.995) < 1e-6, "RPO %.6f", st->head.fo[0].rpo_s);
        if (ra) {
            cr_assert_eq(st->head.stale_reads, 1);
            /* At 1,200 s it lacks the writes from 420.01 s on: 779.99 s old. */
            double age = mr_hist_quantile(&st->head.staleness_ms, 0.5);
            cr_assert(fabs(age - 779990) < 0.005 * 779990, "staleness %.0f ms", age);
        }
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

/* Rule 4 through the component: Poisson writes at w, lag Exp(m) drawn
 * every D, a forced failover by an operator at T = K D + u. As in
 * test_rpo.c, A = T - applied(T) has S(a) = exp(-sum_j max(0, a - c_j) / m)
 * with c_0 = 0, c_j = u + (j - 1) D, and E[lost] = w E[A],
 * E[RPO] = E[A] - int exp(-w a) S(a) da. */
static double surv(double a, double u, double D, double m)
{
    double sum = a;
    for (int j = 1; u + (j - 1) * D < a; j++)
        sum += a - (u + (j - 1) * D);
    return exp(-sum / m);
}

Test(store_sql, a_forced_failover_loses_what_rule_4_says, .timeout = 120)
{
    enum { R = 1000 };
    const double w = 20, m = 2, D = 1, T = 60.5, u = 0.5;
    double EA = 0, Edecay = 0, h = 1e-4;
    for (double a = 0; a < 60; a += h) {
        EA += h * 0.5 * (surv(a, u, D, m) + surv(a + h, u, D, m));
        Edecay += h * 0.5 * (exp(-w * a) * surv(a, u, D, m) + exp(-w * (a + h)) * surv(a + h, u, D, m));
    }
    double Elost = w * EA, Erpo = EA - Edecay;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 5);
    double sl = 0, sl2 = 0, sr = 0, sr2 = 0;
    for (uint64_t rep = 0; rep < R; rep++) {
        setup s;
        base(&s, 0);
        mr_dist_exponential(&s.sql.base.lag, m * 1e9);
        fault(&s, MR_FAULT_DATASTORE_FAILOVER, ID_SQL, mr_time_from_s(T), 0);
        mr_sim *sim = build(&s, rep, MR_H);
        for (double t = gsl_ran_exponential(g, 1 / w); t < T; t += gsl_ran_exponential(g, 1 / w))
            access_at(sim, ID_SQL, mr_time_from_s(t), ID_WEU, 1, NULL);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(T + 1)), MR_OK);
        const mr_pstore_state *st = sql_of(sim);
        cr_assert_eq(st->head.nfo, 1);
        double l = (double)st->head.fo[0].lost, r = st->head.fo[0].rpo_s;
        sl += l, sl2 += l * l, sr += r, sr2 += r * r;
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    gsl_rng_free(g);
    double ml = sl / R, mrpo = sr / R;
    double sel = sqrt((sl2 / R - ml * ml) / (R - 1)), ser = sqrt((sr2 / R - mrpo * mrpo) / (R - 1));
    cr_log_info("lost %.3f +/- %.3f (closed form %.3f), RPO %.4f +/- %.4f s (%.4f)", ml, sel,
                Elost, mrpo, ser, Erpo);
    mr_vcase vl = {.id = "store_sql.forced_failover_lost_writes",
                   .what = "writes lost at a forced SQL failover group failover",
                   .reference = "closed form, rule 4 (numerical integral of the lag process)",
                   .unit = "writes", .ref = Elost, .tol = 4 * sel};
    mr_vcase vr = {.id = "store_sql.forced_failover_rpo",
                   .what = "RPO of a forced SQL failover group failover",
                   .reference = "closed form, rule 4 (numerical integral of the lag process)",
                   .unit = "s", .ref = Erpo, .tol = 4 * ser};
    mr_vcheck_sample_stats(&vl, "request", ml, sel * sqrt((double)R), R);
    mr_vcheck_sample_stats(&vr, "request", mrpo, ser * sqrt((double)R), R);
}

/* What the metrics read of a store is its report's store record
 * (mrsim/report.h): its reads, stale reads and staleness, and each
 * failover with its fault, lost writes and RPO, as the store counted them. */
Test(store_sql, the_report_carries_reads_and_failovers_as_a_store_record)
{
    setup s;
    base(&s, 2 * MR_S);
    mr_time f = 600 * MR_S + 5 * MR_MS;
    fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
    mr_sim *sim = build(&s, 0, 2 * MR_H);
    for (mr_time t = 5 * MR_MS; t < 700 * MR_S; t += 10 * MR_MS) {
        access_at(sim, ID_SQL, t, ID_WEU, 1, NULL);
        if (t > 10 * MR_S && t < f)
            access_at(sim, ID_SQL, t + MR_MS, ID_NEU, 0, NULL);
    }
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    const mr_store_head *h = &sql_of(sim)->head;
    const mr_store_record *rec = mr_report_find_store(r, ID_SQL);
    cr_assert_not_null(rec);
    cr_assert_null(mr_report_find_store(r, ID_SLO), "the SLO collector is no store");
    cr_assert_gt(rec->stale_reads, 0);
    cr_assert_eq(rec->reads, h->reads);
    cr_assert_eq(rec->stale_reads, h->stale_reads);
    cr_assert_eq(rec->conflicts, h->conflicts);
    cr_assert_eq(rec->staleness_ms->n, h->staleness_ms.n);
    cr_assert_eq(mr_hist_quantile(rec->staleness_ms, 0.99),
                 mr_hist_quantile(&h->staleness_ms, 0.99));
    cr_assert_eq(rec->nfailovers, 1);
    cr_assert_eq(rec->failovers[0].fault, 0);
    cr_assert_gt(rec->failovers[0].lost, 0);
    cr_assert_eq(rec->failovers[0].lost, h->fo[0].lost);
    cr_assert_eq(rec->failovers[0].rpo_s, h->fo[0].rpo_s);
    cr_assert_eq(rec->failovers[0].at_s, mr_time_to_s(h->fo[0].at));
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_redis, a_miss_storm_after_the_cache_failover_overloads_the_store_of_record)
{
    /* Store capacity (docs/model.md): the drill above with the database's
     * copies limited to mu = 50 requests/s (max_rps; one server of 20 ms,
     * queue_timeout 1 s). Reads every 10 ms (100/s) from North Europe, the
     * database's readable copy there serving the misses. Warm, 20/s miss:
     * load 0.4, nothing fails. From the outage f to the cache's switch sw
     * the cache serves nothing: 100/s to a copy serving 50/s; from sw the
     * misses fall as m(t) = 100 (1 - 0.8 (t - sw) / 600 s), below mu from
     * t - sw = 375 s. Fluid: failed = (100 - 50) (sw - f) + integral over
     * [0, 375 s] of (50 - 0.1333 t) dt = 50 x 1,230.5 + 9,375 = 70,900
     * (less the 50 requests a full 1 s queue holds); hits are Bernoulli
     * per read (sd about 110 over the ramp): tolerance 700 (1%). No read
     * fails before the outage, nor from 60 s after the crossing (load
     * 0.84 then: a 1 s wait, 50 services, has probability ~e^-17.5). */
    setup s;
    base(&s, MR_S);
    s.sql.base.mode = MR_FAILOVER_MANUAL;
    mr_dist_const(&s.sql.base.decision, (double)(10 * MR_H));
    s.cache = 1;
    s.redis = s.sql;
    s.redis.base.readable[1] = 0;
    s.redis.hit_ratio = 0.8;
    s.redis.warm_up = 10 * MR_MIN;
    mr_dist_const(&s.redis.base.decision, (double)(20 * MR_MIN));
    s.sql.max_rps = 50;
    s.sql.queue_timeout = MR_S;
    mr_time f = 600 * MR_S + 5 * MR_MS;
    fault(&s, MR_FAULT_REGION_OUTAGE, ID_WEU, f, 10 * MR_H);
    mr_sim *sim = build(&s, 0, 2 * MR_H);
    mr_time sw = f + 20 * MR_MIN + 30 * MR_S, cross = sw + 375 * MR_S;
    const mr_pstore_state *db = sql_of(sim);
    uint64_t early = 0, late = 0;
    for (mr_time t = 0; t < sw + 12 * MR_MIN; t += 10 * MR_MS) {
        mr_time lat = 0;
        if (access_at(sim, ID_CACHE, t, ID_NEU, 0, &lat) == MR_ACCESS_HIT)
            continue;
        int ok = access_at(sim, ID_SQL, t, ID_NEU, 0, &lat) == MR_ACCESS_OK;
        early += !ok && t < f;
        late += !ok && t >= cross + MR_MIN;
    }
    cr_expect_eq(early, 0, "no failure while the cache is warm");
    cr_expect_eq(late, 0, "no failure a minute after the misses fall below max_rps");
    cr_expect_eq(db->head.capacity, 1);
    mr_vcase vc = {.id = "store_sql.redis_miss_storm_failed",
                   .what = "Redis miss storm onto a SQL copy of max_rps 50 (cache down, then "
                           "cold): reads failed for capacity",
                   .reference = "fluid: 50/s x 1,230.5 s + 9,375 over the ramp = 70,900",
                   .unit = "reads", .ref = 50 * 1230.5 + 9375, .tol = 700};
    mr_vcheck(&vc, "request", (double)db->head.cap_failed, NAN, NAN, 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
