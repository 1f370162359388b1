/* tests/validation/test_store_capacity.c: store capacity (docs/model.md
 * "Store capacity") against closed forms, the stores alone: the test drives
 * a store's access function itself with Poisson arrivals (GSL), between
 * runs of the simulation up to each arrival, the way clients.c does.
 *
 * Cosmos DB (ru_limit): each region's budget is C request units per whole
 * second; an attempt that does not fit is answered 429 and retried at the
 * start of the next second, up to R = 9 retries (30 s of total wait never
 * binds: 9 retries wait < 10 s). Reads cost 1 RU (session).
 *  (a) Offered 0.5 C: a 429 needs more than C = 200 arrivals of a
 *      Poisson(100) second: P < e^(-100 (2 ln 2 - 1)) = e^(-38.6) a second
 *      (Chernoff), so over 600 s: no 429 at all (exact check).
 *  (b) Offered 2 C (lambda = 400/s, C = 200): every second receives more
 *      than C attempts, so once the first seconds have passed every second
 *      up to R ahead of the current one is full: an arrival in second k
 *      meets 429s in seconds k .. k+R-1 and is served in second k+R if
 *      that still has room, else fails after R + 1 429s. The arrivals after
 *      the warm-up w (a whole second) fill seconds w+R .. T+R-1, that is
 *      T - w seconds: served = C (T - w) exactly, so
 *        failed share = 1 - C (T - w) / N,  E ~ 1 - C / lambda = 0.5,
 *      N the arrivals in [w, T); 429s = (R + 1) failed + R served exactly;
 *      the served ones are the first C arrivals of their second, the j-th
 *      of which comes j / lambda in on average, so their mean wait is
 *        R - (C + 1) / (2 lambda) = 9 - 201 / 800 = 8.74875 s.
 *  (d) A failover surge: regions of C = 400 each, 300/s of reads from
 *      each, and in [200 s, 500 s) all 600/s read from North Europe (the
 *      West Europe clients failed over). Outside the window the load is
 *      0.75 C: nothing fails. In the window the excess is 200/s x 300 s =
 *      60,000 RU, of which the budget's look-ahead absorbs about R + 1/2
 *      seconds of budget (the seconds ahead fill before any request fails;
 *      the half: the current second, half used on average) = 9.5 x 400 =
 *      3,800: fluid failed share = (60,000 - 3,800) / 180,000 = 0.3122.
 *      The arrivals are Poisson (sd 424 of 180,000, 0.0024 of the share)
 *      and the look-ahead's half-second is within +/- 200 RU (0.0011):
 *      tolerance 0.01. After the window the claimed seconds drain at the
 *      spare 100 RU/s: in 3,800 / 100 = 38 s; from 60 s after the window
 *      no read waits.
 * SQL (max_rps = mu = 100/s: one server, service 1 / mu, deterministic):
 *  (c) Poisson reads at lambda = 80/s (rho = 0.8): M/D/1, Pollaczek-
 *      Khinchine: Wq = rho / (2 mu (1 - rho)) = 0.8 / (2 x 100 x 0.2) =
 *      20 ms. The waits of successive requests are correlated, so the test
 *      uses independent replications (t interval of their means) with a
 *      tolerance of 1 ms (5%), checked to be at least 3 standard errors. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "slo.h"
#include "store.h"
#include "mrsim/error.h"
#include "config/scenario.h"
#include "validation.h"

enum { ID_WEU, ID_NEU, ID_SLO, ID_ST, ID_FAULTS };
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

/* The copies every store here has: West Europe (index 0, the writer),
 * North Europe (index 1, readable); component ids are the indices. */
static void copies(mr_store_base *b)
{
    b->bytes_per_write = 2048;
    b->faults = -1;
    b->sample = MR_S;
    b->mode = MR_FAILOVER_AUTOMATIC;
    b->grace = MR_H;
    b->nregions = 2;
    b->rtt = RTT;
    b->ncopies = 2;
    b->copy[0] = 0;
    b->copy[1] = 1;
    b->region_id[0] = ID_WEU;
    b->region_id[1] = ID_NEU;
    b->writable[0] = 1;
    b->readable[1] = 1;
    mr_dist_const(&b->lag, (double)(100 * MR_MS));
    mr_dist_const(&b->duration, (double)(5 * MR_MIN));
    mr_dist_const(&b->decision, (double)(20 * MR_MIN));
}

static void cosmos_cfg(mr_cosmos_cfg *c, double ru_per_s, mr_time warmup)
{
    memset(c, 0, sizeof *c);
    copies(&c->base);
    c->base.warmup = warmup;
    c->k_versions = 100000;
    c->t_bound = 300 * MR_S;
    c->keys = 1000;
    c->consistency = MR_COSMOS_SESSION;
    c->ru_per_s = ru_per_s;
    c->ru_limit = true;
    c->ru_read = 1;
    c->ru_write = 5;
    c->ru_retries = 9;
    c->ru_max_wait = 30 * MR_S;
    mr_dist_const(&c->read_latency, 0);
    mr_dist_const(&c->write_latency, 0);
}

static void sql_cfg(mr_pstore_cfg *c, double max_rps)
{
    memset(c, 0, sizeof *c);
    copies(&c->base);
    c->route_ttl = 30 * MR_S;
    c->max_rps = max_rps;
    c->queue_timeout = 30 * MR_S;
}

static mr_sim *build(const char *kind, const void *cfg, uint64_t rep, mr_time horizon)
{
    mr_sim *sim = mr_sim_new(17, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = ID_FAULTS};
    add(sim, "region", "regions/westeurope", &region, ID_WEU);
    region.index = 1;
    add(sim, "region", "regions/northeurope", &region, ID_NEU);
    mr_slo_cfg slo = {.window = 10 * MR_S, .horizon = horizon, .stable_for = 60 * MR_S,
                      .success_target = 0.99, .resolvers = 1};
    add(sim, "slo", "slo", &slo, ID_SLO);
    add(sim, kind, "data/store", cfg, ID_ST);
    mr_faults_cfg faults = {.slo = ID_SLO, .n = 0, .nstores = 1, .store = {ID_ST}};
    add(sim, "faults", "faults", &faults, ID_FAULTS);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

/* A read at t from region `region`; *wait gets its added latency. */
static int read_at(mr_sim *sim, mr_time t, uint32_t region, mr_time *lat)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, t), MR_OK);
    mr_component *c = mr_sim_component(sim, ID_ST);
    mr_store_head *h = mr__store_head(c);
    h->key = 0.5;
    *lat = 0;
    return h->access(c, t, region, 0, 0, lat);
}

static const mr_store_head *head_of(mr_sim *sim)
{
    return mr__store_head(mr_sim_component(sim, ID_ST));
}

static mr_time exp_gap(gsl_rng *g, double rate)
{
    return (mr_time)llround(gsl_ran_exponential(g, 1.0 / rate) * (double)MR_S) + 1;
}

Test(store_capacity, cosmos_below_its_budget_answers_no_429)
{
    mr_cosmos_cfg co;
    cosmos_cfg(&co, 200, 0);
    mr_sim *sim = build("cosmos", &co, 0, 700 * MR_S);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 5);
    mr_time lat;
    uint64_t n = 0;
    for (mr_time t = exp_gap(g, 100); t < 600 * MR_S; t += exp_gap(g, 100), n++)
        cr_assert_eq(read_at(sim, t, ID_WEU, &lat), MR_ACCESS_OK);
    const mr_store_head *h = head_of(sim);
    cr_expect_eq(h->cap_failed, 0);
    cr_expect_eq(h->cap_served, n);
    mr_vcase vc = {.id = "store_capacity.cosmos_half_budget_429s",
                   .what = "Cosmos DB offered half its RU/s: 429 answers",
                   .reference = "closed form: P(Poisson(100) > 200) < e^-38.6 a second",
                   .unit = "429s", .ref = 0, .tol = 0};
    mr_vcheck(&vc, "exact", (double)h->cap_throttled, NAN, NAN, 1);
    gsl_rng_free(g);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_capacity, cosmos_at_twice_its_budget_fails_half_after_the_sdk_retries)
{
    enum { REPS = 4 };
    const double C = 200, lambda = 400;
    const mr_time w = 60 * MR_S, T = 660 * MR_S;
    double share[REPS], wait[REPS];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 7);
    for (int r = 0; r < REPS; r++) {
        mr_cosmos_cfg co;
        cosmos_cfg(&co, C, w);
        mr_sim *sim = build("cosmos", &co, (uint64_t)r, T + MR_MIN);
        mr_time lat;
        uint64_t n = 0;
        for (mr_time t = exp_gap(g, lambda); t < T; t += exp_gap(g, lambda)) {
            read_at(sim, t, ID_WEU, &lat);
            n += t >= w;
        }
        const mr_store_head *h = head_of(sim);
        cr_expect_eq(h->cap_served + h->cap_failed, n);
        /* Served = C (T - w) exactly (the header's (b)). */
        cr_expect_eq(h->cap_served, (uint64_t)(C * mr_time_to_s(T - w)));
        cr_expect_eq(h->cap_throttled, 10 * h->cap_failed + 9 * h->cap_served);
        share[r] = (double)h->cap_failed / (double)n;
        wait[r] = h->cap_wait_s / (double)h->cap_served;
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    gsl_rng_free(g);
    /* Poisson N of mean 240,000: the share's sd is 0.5 / sqrt(N) = 0.001;
     * 0.005 is 5 sd. */
    mr_vcase vs = {.id = "store_capacity.cosmos_twice_budget_failed_share",
                   .what = "Cosmos DB offered 2x its RU/s: requests failed after 9 SDK retries",
                   .reference = "closed form: 1 - C / lambda (every second's budget used)",
                   .unit = "ratio", .ref = 1 - C / lambda, .tol = 0.005};
    mr_vcheck_sample(&vs, "request", share, REPS);
    /* The wait's spread: the offsets of C Poisson arrivals, sd about
     * 0.15 s / sqrt(C) per second, far below 0.02 s over 600 s. */
    mr_vcase vw = {.id = "store_capacity.cosmos_twice_budget_wait",
                   .what = "Cosmos DB offered 2x its RU/s: mean retry-after wait of the served",
                   .reference = "closed form: R - (C + 1) / (2 lambda) = 9 - 201/800",
                   .unit = "s", .ref = 9 - (C + 1) / (2 * lambda), .tol = 0.02};
    mr_vcheck_sample(&vw, "request", wait, REPS);
}

Test(store_capacity, cosmos_surge_fails_only_in_its_window)
{
    const double C = 400, each = 300;
    const mr_time a = 200 * MR_S, b = 500 * MR_S, T = 800 * MR_S;
    mr_cosmos_cfg co;
    cosmos_cfg(&co, C, 0);
    mr_sim *sim = build("cosmos", &co, 0, T + MR_MIN);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 11);
    uint64_t in = 0, in_failed = 0, out_failed = 0, late_waits = 0;
    mr_time lat;
    /* The superposition of two Poisson streams of `each`: one of 2 x each,
     * each arrival from either region with probability 1/2. */
    for (mr_time t = exp_gap(g, 2 * each); t < T; t += exp_gap(g, 2 * each)) {
        int surge = t >= a && t < b;
        uint32_t region = surge || gsl_rng_uniform(g) < 0.5 ? ID_NEU : ID_WEU;
        int ok = read_at(sim, t, region, &lat) == MR_ACCESS_OK;
        if (surge) {
            in++;
            in_failed += !ok;
        } else {
            out_failed += !ok;
            late_waits += t >= b + 60 * MR_S && lat > 0;
        }
    }
    gsl_rng_free(g);
    cr_expect_eq(out_failed, 0, "no failure outside the surge");
    cr_expect_eq(late_waits, 0, "no wait from 60 s after the surge");
    double share = (double)in_failed / (double)in;
    double ref = (200.0 * 300 - 9.5 * C) / (600.0 * 300);
    mr_vcase vc = {.id = "store_capacity.cosmos_surge_failed_share",
                   .what = "Cosmos DB failover surge (1.5x a region's RU/s for 300 s): failed "
                           "share in the window",
                   .reference = "fluid: (excess - 9.5 s of budget) / arrivals = 56,200 / 180,000",
                   .unit = "ratio", .ref = ref, .tol = 0.01};
    mr_vcheck(&vc, "request", share, NAN, NAN, 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_capacity, sql_replica_queue_is_md1)
{
    enum { REPS = 8 };
    const double mu = 100, lambda = 80, rho = lambda / mu;
    const mr_time T = 2000 * MR_S;
    double wq[REPS];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 3);
    for (int r = 0; r < REPS; r++) {
        mr_pstore_cfg sql;
        sql_cfg(&sql, mu);
        mr_sim *sim = build("sql", &sql, (uint64_t)r, T + MR_MIN);
        mr_time lat;
        for (mr_time t = exp_gap(g, lambda); t < T; t += exp_gap(g, lambda))
            cr_assert_eq(read_at(sim, t, ID_WEU, &lat), MR_ACCESS_OK);
        const mr_store_head *h = head_of(sim);
        cr_expect_eq(h->cap_failed, 0);
        wq[r] = h->cap_wait_s / (double)h->cap_served;
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    gsl_rng_free(g);
    double ref = rho / (2 * mu * (1 - rho));
    double m = 0, v = 0;
    for (int r = 0; r < REPS; r++)
        m += wq[r] / REPS;
    for (int r = 0; r < REPS; r++)
        v += (wq[r] - m) * (wq[r] - m) / (REPS - 1);
    cr_log_info("M/D/1 wait %.5f s +/- %.5f, closed form %.5f", m, sqrt(v / REPS), ref);
    mr_vcase vc = {.id = "store_capacity.sql_md1_wait",
                   .what = "SQL replica at max_rps 100, offered 80/s: mean queueing wait",
                   .reference = "closed form: M/D/1, rho / (2 mu (1 - rho)) = 20 ms",
                   .unit = "s", .ref = ref, .tol = 0.001};
    mr_vcheck_sample(&vc, "request", wq, REPS);
    cr_expect(sqrt(v / REPS) * 3 < 0.001, "the test can tell: standard error %.5f",
              sqrt(v / REPS));
}

Test(store_capacity, sql_overload_times_out_at_queue_timeout)
{
    /* Offered 2 mu for 100 s with a 1 s queue timeout: the queue fills to
     * 1 s of work (mu requests) and then serves exactly mu a second, every
     * other request abandoning: in steady state served = mu t, failed =
     * the rest; no served request waited more than the timeout. */
    mr_pstore_cfg sql;
    sql_cfg(&sql, 100);
    sql.queue_timeout = MR_S;
    mr_sim *sim = build("sql", &sql, 0, 200 * MR_S);
    mr_time lat, most = 0;
    uint64_t n = 0;
    for (mr_time t = 5 * MR_MS; t < 100 * MR_S; t += 5 * MR_MS, n++)
        if (read_at(sim, t, ID_WEU, &lat) == MR_ACCESS_OK && lat > most)
            most = lat;
    const mr_store_head *h = head_of(sim);
    /* Arrivals every 5 ms from 5 ms, service 10 ms: the k-th (from 0)
     * starts at 5 + 10 k ms, waiting 5 k ms, while that is within 1 s: the
     * first 201 are served; from then on the server is busy without a
     * break and arrivals alternate (a wait of 1,005 ms abandons, the next
     * one's 1,000 ms fits). A job is admitted (counted served when
     * offered) when it starts within 1 s of its arrival, so by the last
     * arrival, 99,995 ms, the admitted are those starting at 5 + 10 j <=
     * 100,995 ms: 10,100 (a deterministic count; +/- 1 for the edge). */
    cr_expect(h->cap_served >= 10100 - 1 && h->cap_served <= 10100 + 1, "served %llu",
              (unsigned long long)h->cap_served);
    cr_expect_eq(h->cap_served + h->cap_failed, n);
    cr_expect_eq(h->cap_throttled, h->cap_failed);
    cr_expect(most <= MR_S, "no served request waits past queue_timeout");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(store_capacity, the_budget_claims_retries_and_gives_up_by_hand)
{
    /* 10 RU a second, attempts of 4 RU at t = 0.1 s: two fit (8 RU), the
     * third is answered 429 and retried at the next second (0.9 s later);
     * with no retry, or a max_wait below 0.9 s, it fails after that one
     * 429; an attempt dearer than the whole budget fails after every
     * retry (R + 1 429s); no budget: no wait. */
    mr_ru_budget b;
    uint32_t n;
    mr_time t = 100 * MR_MS;
    mr_ru_budget_init(&b, 10);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 30 * MR_S, &n), 0);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 30 * MR_S, &n), 0);
    cr_expect_eq(n, 0);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 0, 30 * MR_S, &n), -1);
    cr_expect_eq(n, 1);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 500 * MR_MS, &n), -1);
    cr_expect_eq(n, 1);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 30 * MR_S, &n), 900 * MR_MS);
    cr_expect_eq(n, 1);
    /* Second 1 now holds 4 RU: two more attempts of 4 fit there only for
     * one (8 of 10), the next waits for second 2. */
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 30 * MR_S, &n), 900 * MR_MS);
    cr_expect_eq(mr_ru_claim(&b, t, 4, 9, 30 * MR_S, &n), 1900 * MR_MS);
    cr_expect_eq(n, 2);
    cr_expect_eq(mr_ru_claim(&b, t, 11, 3, 30 * MR_S, &n), -1);
    cr_expect_eq(n, 4);
    mr_ru_budget_init(&b, 0);
    cr_expect_eq(mr_ru_claim(&b, t, 1e9, 9, 30 * MR_S, &n), 0);
    cr_expect_eq(n, 0);
}

Test(store_capacity, a_request_past_its_timeout_claims_nothing)
{
    /* A Cosmos DB budget of 100 RU/s (the minimum) spent at t = 0.1 s by
     * 100 reads of 1 RU; a read whose client allows it 0.5 s more (head
     * patience, clients.c) cannot wait for the next second (0.9 s): it
     * fails after one 429, claiming nothing, so a read allowed 1 s more
     * still finds second 1 empty and waits 0.9 s. */
    mr_cosmos_cfg co;
    cosmos_cfg(&co, 100, 0);
    mr_sim *sim = build("cosmos", &co, 0, 10 * MR_S);
    mr_time t = 100 * MR_MS, lat;
    for (int i = 0; i < 100; i++)
        cr_assert_eq(read_at(sim, t, ID_WEU, &lat), MR_ACCESS_OK);
    mr_component *c = mr_sim_component(sim, ID_ST);
    mr_store_head *h = mr__store_head(c);
    h->patience = 500 * MR_MS;
    lat = 0;
    cr_expect_eq(h->access(c, t, ID_WEU, 0, 0, &lat), MR_ACCESS_FAIL);
    h->patience = MR_S;
    lat = 0;
    cr_expect_eq(h->access(c, t, ID_WEU, 0, 0, &lat), MR_ACCESS_OK);
    cr_expect_eq(lat, 900 * MR_MS);
    cr_expect_eq(h->cap_failed, 1);
    cr_expect_eq(h->cap_throttled, 2);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
