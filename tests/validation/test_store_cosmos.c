/* tests/validation/test_store_cosmos.c: the Cosmos DB account against
 * docs/reference.md §6 and docs/model.md rules 4 and 5, by closed forms.
 *
 * Multi-write conflicts: two write regions, writes Poisson at total rate
 * 2w, each from either region with probability 1/2, to n keys chosen
 * uniformly; replication lag a constant L sampled every D >= L, so
 * applied(t) = t - L exactly (rule 4). A write conflicts when the
 * previous write to its key came from the other region and was not yet
 * applied here, i.e. less than L before. Per key, writes are Poisson at
 * lambda = 2w / n, so the previous one is Exp(lambda) back and from the
 * other region with probability 1/2, independently:
 *   P(conflict) = (1 - exp(-lambda L)) / 2.
 * The first write to each key has no predecessor and is left out. The
 * indicators of successive writes share a region label, so the test does
 * not assume a binomial variance: it runs R independent replications and
 * allows 4 standard errors of their mean ratio (from the sample SD). */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "slo.h"
#include "store.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "config/scenario.h"
#include "validation.h"

enum { ID_WEU, ID_NEU, ID_SLO, ID_CO, ID_FAULTS };
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

static void base(mr_cosmos_cfg *c, int consistency, int multi, mr_time lag)
{
    memset(c, 0, sizeof *c);
    /* What the builder hands a Cosmos DB account by default. */
    c->k_versions = 100000;
    c->t_bound = 300 * MR_S;
    c->keys = 100000;
    c->base.bytes_per_write = 2048;
    c->base.faults = -1;
    c->base.sample = MR_S;
    c->base.mode = MR_FAILOVER_AUTOMATIC;
    c->base.nregions = 2;
    c->base.rtt = RTT;
    /* West Europe (index 0), then North Europe (index 1); the regions'
     * component ids are their indices. */
    c->base.ncopies = 2;
    c->base.copy[0] = 0;
    c->base.copy[1] = 1;
    c->base.region_id[0] = ID_WEU;
    c->base.region_id[1] = ID_NEU;
    c->base.writable[0] = 1;
    c->base.writable[1] = multi;
    c->consistency = consistency;
    mr_dist_const(&c->base.lag, (double)lag);
    /* Constant access latencies, so latencies can be compared exactly
     * (the defaults' distributions: latencies_follow_reference_6). */
    mr_dist_const(&c->read_latency, (double)(4 * MR_MS));
    mr_dist_const(&c->write_latency, (double)(5 * MR_MS));
    mr_dist_const(&c->base.duration, (double)(5 * MR_MIN));
}

/* A region outage of West Europe from `at` (none when at < 0). */
static mr_sim *build(const mr_cosmos_cfg *co, uint64_t rep, mr_time horizon, mr_time at)
{
    mr_sim *sim = mr_sim_new(13, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = ID_FAULTS};
    add(sim, "region", "regions/westeurope", &region, ID_WEU);
    region.index = 1;
    add(sim, "region", "regions/northeurope", &region, ID_NEU);
    mr_slo_cfg slo = {.window = 10 * MR_S, .horizon = horizon, .stable_for = 60 * MR_S,
                      .success_target = 0.99, .resolvers = 1};
    add(sim, "slo", "slo", &slo, ID_SLO);
    add(sim, "cosmos", "data/catalog", co, ID_CO);
    mr_faults_cfg faults = {.slo = ID_SLO, .n = at >= 0, .nstores = 1, .store = {ID_CO}};
    faults.f[0] = (mr_fault_cfg){.kind = MR_FAULT_REGION_OUTAGE, .ncand = 1, .cand = {ID_WEU},
                                 .pick = 1, .severity = 1, .timing = MR_FT_AT};
    mr_dist_const(&faults.f[0].at, (double)at);
    mr_dist_const(&faults.f[0].duration, (double)(10 * MR_H));
    add(sim, "faults", "faults", &faults, ID_FAULTS);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

static int access_at(mr_sim *sim, mr_time t, uint32_t region, uint32_t pop, int is_write,
                     mr_time *lat)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, t), MR_OK);
    mr_component *c = mr_sim_component(sim, ID_CO);
    mr_time l = 0;
    int r = mr__store_head(c)->access(c, t, region, pop, is_write, &l);
    if (lat)
        *lat = l;
    return r;
}

static const mr_cosmos_state *co_of(mr_sim *sim)
{
    return mr_sim_component(sim, ID_CO)->state;
}

Test(store_cosmos, strong_loses_nothing_where_session_loses_the_lag)
{
    /* One write region, a constant 3 s lag, writes every 10 ms, West Europe
     * down at f = 600.005 s; service-managed failover 5 min later. Session
     * loses the writes in (f - 3 s, f]: 300, RPO 2.995 s; strong none. */
    for (int strong = 0; strong < 2; strong++) {
        mr_cosmos_cfg co;
        base(&co, strong ? MR_COSMOS_STRONG : MR_COSMOS_SESSION, 0, 3 * MR_S);
        mr_time f = 600 * MR_S + 5 * MR_MS;
        mr_sim *sim = build(&co, 0, 2 * MR_H, f);
        mr_time lat = 0;
        for (mr_time t = 0; t < 700 * MR_S; t += 10 * MR_MS)
            access_at(sim, t, ID_NEU, 0, 1, &lat);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, f + 5 * MR_MIN + MR_S), MR_OK);
        const mr_cosmos_state *st = co_of(sim);
        cr_assert_eq(st->head.nfo, 1);
        cr_assert_eq(st->head.fo[0].at, f + 5 * MR_MIN, "rule 5: within the configured duration");
        cr_assert_eq(st->w, 1, "North Europe writes now");
        cr_assert_eq(st->head.fo[0].lost, strong ? 0 : 300);
        cr_assert(fabs(st->head.fo[0].rpo_s - (strong ? 0 : 2.995)) < 1e-9, "RPO %.6f",
                  st->head.fo[0].rpo_s);
        cr_assert_eq(access_at(sim, f + 5 * MR_MIN + 2 * MR_S, ID_NEU, 0, 1, &lat), MR_ACCESS_OK);
        /* docs/reference.md §6: strong writes pay 2 x RTT of the farthest regions on top
         * of the local write (whose P99 is the 10 ms: latencies_follow_reference_6). */
        cr_assert_eq(lat, 5 * MR_MS + (strong ? 2 * 18 * MR_MS : 0));
        /* docs/reference.md §6: a strong read costs twice the RU of a session read. */
        cr_assert_eq(access_at(sim, f + 5 * MR_MIN + 3 * MR_S, ID_NEU, 0, 0, &lat), MR_ACCESS_OK);
        mr_report *rp = mr_report_new();
        mr_sim_report(sim, rp);
        cr_assert_eq(mr_report_find(rp, "data/catalog", "read_units"), strong ? 2 : 1);
        mr_report_free(rp);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_cosmos, service_managed_failover_is_capped_at_15_minutes)
{
    mr_cosmos_cfg co;
    base(&co, MR_COSMOS_SESSION, 0, MR_S);
    mr_dist_const(&co.base.duration, (double)(40 * MR_MIN));
    mr_sim *sim = build(&co, 0, 2 * MR_H, 600 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    cr_assert_eq(co_of(sim)->head.nfo, 1);
    cr_assert_eq(co_of(sim)->head.fo[0].at, 600 * MR_S + 15 * MR_MIN);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_cosmos, manual_failover_cannot_happen_during_the_outage)
{
    mr_cosmos_cfg co;
    base(&co, MR_COSMOS_SESSION, 0, MR_S);
    co.base.mode = MR_FAILOVER_MANUAL;
    mr_sim *sim = build(&co, 0, 2 * MR_H, 600 * MR_S);
    cr_assert_eq(access_at(sim, 700 * MR_S, ID_NEU, 0, 1, NULL), MR_ACCESS_FAIL);
    cr_assert_eq(access_at(sim, 710 * MR_S, ID_NEU, 0, 0, NULL), MR_ACCESS_OK,
                 "reads go on in North Europe");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    cr_assert_eq(co_of(sim)->head.nfo, 0);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_cosmos, bounded_staleness_never_exceeds_k_or_t_and_throttles_instead)
{
    /* Lags up to 6 s against T = 2 s, or 50 versions at 50 writes/s:
     * reads in North Europe are never more than K versions or T behind;
     * writes are throttled instead. */
    const int64_t ks[] = {50, 1000000};
    for (int i = 0; i < 2; i++) {
        mr_cosmos_cfg co;
        base(&co, MR_COSMOS_BOUNDED, 0, 0);
        mr_dist_uniform(&co.base.lag, 0, 6e9);
        co.k_versions = ks[i];
        co.t_bound = 2 * MR_S;
        mr_sim *sim = build(&co, 1, MR_H, -1);
        for (mr_time t = 0; t < 600 * MR_S; t += 20 * MR_MS) {
            access_at(sim, t, ID_WEU, 0, 1, NULL);
            access_at(sim, t + 10 * MR_MS, ID_NEU, 1, 0, NULL);
        }
        const mr_cosmos_state *st = co_of(sim);
        cr_assert_gt(st->head.throttled, 0);
        cr_assert_gt(st->head.stale_reads, 0);
        cr_assert_leq(st->head.max_versions, (uint64_t)ks[i], "%llu versions behind",
                      (unsigned long long)st->head.max_versions);
        cr_assert_leq(st->head.max_staleness_ms, 2000, "%.1f ms behind",
                      st->head.max_staleness_ms);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_cosmos, session_reads_see_their_own_writes)
{
    /* Population 0 writes in West Europe and reads in North Europe 5 ms
     * later (lag 1 s): its reads go to the write region and are never
     * behind; population 1 reading the same way with consistent prefix is. */
    for (int session = 1; session >= 0; session--) {
        mr_cosmos_cfg co;
        base(&co, session ? MR_COSMOS_SESSION : MR_COSMOS_CONSISTENT_PREFIX, 0, MR_S);
        mr_sim *sim = build(&co, 0, MR_H, -1);
        mr_time lat = 0;
        for (mr_time t = 0; t < 60 * MR_S; t += 100 * MR_MS) {
            access_at(sim, t, ID_WEU, 0, 1, NULL);
            access_at(sim, t + 5 * MR_MS, ID_NEU, 0, 0, &lat);
            cr_assert_eq(lat, 4 * MR_MS + (session ? 18 * MR_MS : 0));
        }
        cr_assert_eq(co_of(sim)->head.stale_reads, session ? 0 : co_of(sim)->head.reads);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
}

Test(store_cosmos, multi_write_conflicts_match_the_closed_form, .timeout = 120)
{
    enum { R = 12, KEYS = 50 };
    const double w2 = 100, L = 0.5, lambda = w2 / KEYS; /* writes/s in all, s */
    const double p = 0.5 * (1 - exp(-lambda * L));
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 99);
    double sum = 0, sumsq = 0;
    for (uint64_t rep = 0; rep < R; rep++) {
        mr_cosmos_cfg co;
        base(&co, MR_COSMOS_SESSION, 1, (mr_time)(L * 1e9));
        co.keys = KEYS;
        mr_sim *sim = build(&co, rep, MR_H, -1);
        for (double t = gsl_ran_exponential(g, 1 / w2); t < 300; t += gsl_ran_exponential(g, 1 / w2))
            cr_assert_eq(access_at(sim, mr_time_from_s(t), gsl_rng_uniform(g) < 0.5 ? ID_WEU : ID_NEU,
                                   0, 1, NULL),
                         MR_ACCESS_OK);
        const mr_cosmos_state *st = co_of(sim);
        double ratio = (double)st->head.conflicts / (double)(st->head.writes - KEYS);
        sum += ratio;
        sumsq += ratio * ratio;
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    gsl_rng_free(g);
    double mean = sum / R, sd = sqrt((sumsq - R * mean * mean) / (R - 1));
    cr_log_info("conflict ratio %.5f +/- %.5f, closed form %.5f", mean, sd / sqrt(R), p);
    mr_vcase vc = {.id = "store_cosmos.multi_write_conflicts",
                   .what = "Cosmos DB multi-write conflicts per write (the store alone)",
                   .reference = "closed form: (1 - exp(-lambda L)) / 2",
                   .unit = "ratio", .ref = p, .tol = 4 * sd / sqrt(R)};
    mr_vcheck_sample_stats(&vc, "request", mean, sd, R);
    cr_assert(sd / sqrt(R) < 0.01 * p, "the test can tell: standard error %.5f", sd / sqrt(R));
}

Test(store_cosmos, multi_write_keeps_writing_in_the_surviving_region)
{
    mr_cosmos_cfg co;
    base(&co, MR_COSMOS_SESSION, 1, MR_S);
    mr_time f = 600 * MR_S + 5 * MR_MS;
    mr_sim *sim = build(&co, 0, MR_H, f);
    for (mr_time t = 0; t < 700 * MR_S; t += 10 * MR_MS)
        cr_assert_eq(access_at(sim, t, ID_NEU, 0, 1, NULL), MR_ACCESS_OK, "at %.2f s",
                     mr_time_to_s(t));
    cr_assert_eq(co_of(sim)->head.nfo, 1, "West Europe's unreplicated writes, if any, counted");
    cr_assert_eq(co_of(sim)->head.fo[0].at, f);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* docs/reference.md §6 "Latency": reads ~4 ms at P50 and < 10 ms at P99,
 * writes ~5 ms and < 10 ms; a multi-region strong write 2 x RTT(farthest
 * two regions) + 10 ms at P99. With the defaults (lognormal(4ms, 0.394),
 * lognormal(5ms, 0.298): sigma = ln(P99 / P50) / 2.326) and the strong
 * write's 2 x 18 ms on top of its draw, from West Europe (the write region,
 * so no round trip to it), the quantiles of 20,000 accesses:
 *   read  P50 4 ms, P99 10 ms      session write P50 5 ms, P99 10 ms
 *   strong write P50 36 + 5 = 41 ms, P99 36 + 10 = 46 ms
 * Before, a strong write cost 5 + 36 + 10 = 51 ms every time (no spread,
 * and an extra 5 ms local term). The sample quantile's sd is about
 * sqrt(p (1 - p) / n) / f(x_p): 0.04 ms at the median, 0.15 ms at P99 for
 * these lognormals; checked within 0.1 ms and 0.5 ms. */
static int cmp_time(const void *a, const void *b)
{
    mr_time x = *(const mr_time *)a, y = *(const mr_time *)b;
    return (x > y) - (x < y);
}

static void quantiles(int consistency, int is_write, double *p50, double *p99)
{
    enum { N = 20000 };
    static mr_time lat[N];
    mr_cosmos_cfg co;
    base(&co, consistency, 0, MR_S);
    mr_dist_lognormal(&co.read_latency, (double)(4 * MR_MS), 0.394);
    mr_dist_lognormal(&co.write_latency, (double)(5 * MR_MS), 0.298);
    mr_sim *sim = build(&co, 0, MR_H, -1);
    for (int i = 0; i < N; i++)
        cr_assert_eq(access_at(sim, (mr_time)i * 10 * MR_MS, ID_WEU, 0, is_write, &lat[i]),
                     MR_ACCESS_OK);
    qsort(lat, N, sizeof lat[0], cmp_time);
    *p50 = (double)lat[N / 2] / (double)MR_MS;
    *p99 = (double)lat[N * 99 / 100] / (double)MR_MS;
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_cosmos, latencies_follow_reference_6_medians_and_p99)
{
    const struct {
        int consistency, is_write;
        double p50, p99;
        const char *what;
    } c[] = {
        {MR_COSMOS_SESSION, 0, 4, 10, "read"},
        {MR_COSMOS_SESSION, 1, 5, 10, "session write"},
        {MR_COSMOS_STRONG, 0, 4, 10, "strong read"},
        {MR_COSMOS_STRONG, 1, 2 * 18 + 5, 2 * 18 + 10, "strong write"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        double p50, p99;
        quantiles(c[i].consistency, c[i].is_write, &p50, &p99);
        cr_log_info("%s: P50 %.3f ms, P99 %.3f ms", c[i].what, p50, p99);
        char id[96], what[128];
        snprintf(id, sizeof id, "store_cosmos.latency_%zu_p50", i);
        snprintf(what, sizeof what, "Cosmos DB %s latency, median", c[i].what);
        mr_vcase v50 = {.id = id, .what = what,
                        .reference = "docs/reference.md section 6 (strong write: 2 x RTT 18 ms + 5/10 ms)",
                        .unit = "ms", .ref = c[i].p50, .tol = 0.1};
        mr_vcheck(&v50, "request", p50, NAN, NAN, 1);
        snprintf(id, sizeof id, "store_cosmos.latency_%zu_p99", i);
        snprintf(what, sizeof what, "Cosmos DB %s latency, p99", c[i].what);
        mr_vcase v99 = {.id = id, .what = what,
                        .reference = "docs/reference.md section 6 (strong write: 2 x RTT 18 ms + 5/10 ms)",
                        .unit = "ms", .ref = c[i].p99, .tol = 0.5};
        mr_vcheck(&v99, "request", p99, NAN, NAN, 1);
    }
}
