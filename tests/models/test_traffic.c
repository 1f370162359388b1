/* tests/models/test_traffic.c: the traffic layer and the caches on their
 * own: Traffic Manager's probe sequence crossing the threshold exactly at
 * the (k+1)-th consecutive failure, fail-open, Online again at the first
 * success; resolver expiry and refresh under each TTL policy; a client's
 * retry that succeeds after the failover; Front Door's route probabilities
 * (aggregate fidelity) against its draws. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "clients.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/error.h"

enum { WEU, NEU, AKS_WEU, AKS_NEU, TM, SLO, RES, CLIENTS, FAULTS };

typedef struct world_opts {
    int64_t tolerated;
    mr_time interval, timeout, ttl;
    mr_time fault_at, fault_for; /* region 0 */
    mr_time fault2_at;           /* region 1, or -1 */
    int64_t npol;
    mr_ttl_policy pol[2];
    double rate;
    int64_t attempts;
    mr_time backoff;
    int64_t runtime_cache;
    int64_t profile;
    double peak, trough;
} world_opts;

typedef struct probe_log {
    mr_time sent[64];
    size_t n;
} probe_log;

static void log_probes(void *ctx, const mr_sim *sim, const mr_component *c, const mr_event *ev)
{
    (void)sim;
    probe_log *log = ctx;
    uint32_t e;
    memcpy(&e, ev->payload.bytes, sizeof e);
    char buf[32];
    if (c->id == TM && e == 0 && strcmp(mr_event_kind_name(c, ev->kind, buf, sizeof buf), "probe") == 0 &&
        log->n < 64)
        log->sent[log->n++] = ev->time;
}

static void add(mr_sim *sim, const char *kind, const char *name, const void *cfg)
{
    mr_diag *d = mr_diag_new();
    int rc = mr_sim_add(sim, mr_model_find(kind), name, cfg, d, NULL);
    cr_assert_eq(rc, MR_OK, "%s: %s", name, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
}

static mr_sim *world(const world_opts *o, uint64_t rep, mr_time horizon)
{
    mr_sim *sim = mr_sim_new(3, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = FAULTS};
    add(sim, "region", "weu", &region);
    region.index = 1;
    add(sim, "region", "neu", &region);
    mr_cluster_cfg cl = {.region = WEU, .faults = FAULTS, .pods = 50, .rps_per_pod = 40, .ingress = -1};
    mr_dist_const(&cl.service_time, 10e6);
    add(sim, "cluster", "aks-weu", &cl);
    cl.region = NEU;
    add(sim, "cluster", "aks-neu", &cl);
    mr_tm_cfg tm = {.base = {.n = 2, .cluster = {AKS_WEU, AKS_NEU}, .priority = {1, 2},
                             .weight = {1, 1}, .watcher = -1, .faults = FAULTS},
                    .routing = MR_ROUTING_PRIORITY, .interval = o->interval, .timeout = o->timeout,
                    .tolerated = o->tolerated, .ttl = o->ttl};
    add(sim, "traffic_manager", "tm", &tm);
    mr_slo_cfg slo = {.window = 5 * MR_S, .horizon = horizon, .stable_for = 60 * MR_S,
                      .success_target = 0.99, .resolvers = 4};
    add(sim, "slo", "slo", &slo);
    mr_resolver_cfg res = {.tm = TM, .count = 4, .npol = o->npol};
    memcpy(res.pol, o->pol, sizeof o->pol);
    add(sim, "resolver", "isp", &res);
    mr_clients_cfg cli = {.resolver = RES, .slo = SLO, .faults = FAULTS, .rate = o->rate, .timeout = 2 * MR_S,
                          .attempts = o->attempts, .rtt = {MR_MS, 10 * MR_MS},
                          .runtime_cache = o->runtime_cache, .profile = o->profile,
                          .peak = o->peak, .trough = o->trough, .peak_at = 13 * MR_H};
    mr_dist_const(&cli.backoff, (double)o->backoff);
    add(sim, "clients", "users", &cli);
    mr_faults_cfg f = {.slo = SLO, .n = o->fault2_at >= 0 ? 2 : 1};
    f.f[0] = (mr_fault_cfg){.ncand = 1, .cand = {WEU}, .pick = 1, .severity = 1, .timing = MR_FT_AT};
    mr_dist_const(&f.f[0].at, (double)o->fault_at);
    mr_dist_const(&f.f[0].duration, (double)o->fault_for);
    if (o->fault2_at >= 0) {
        f.f[1] = (mr_fault_cfg){.ncand = 1, .cand = {NEU}, .pick = 1, .severity = 1, .timing = MR_FT_AT};
        mr_dist_const(&f.f[1].at, (double)o->fault2_at);
        mr_dist_const(&f.f[1].duration, (double)o->fault_for);
    }
    add(sim, "faults", "faults", &f);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    return sim;
}

static world_opts defaults(void)
{
    return (world_opts){.tolerated = 3, .interval = 30 * MR_S, .timeout = 10 * MR_S,
                        .ttl = 30 * MR_S, .fault_at = 300 * MR_S, .fault_for = 10 * MR_H,
                        .fault2_at = -1, .rate = 0, .attempts = 1};
}

static void check_threshold(int64_t tolerated, uint64_t rep)
{
    world_opts o = defaults();
    o.tolerated = tolerated;
    mr_sim *sim = world(&o, rep, 900 * MR_S);
    probe_log log = {.n = 0};
    mr_sim_set_trace(sim, log_probes, &log);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    size_t first = 0;
    while (first < log.n && log.sent[first] < o.fault_at)
        first++;
    cr_assert_lt(first + (size_t)tolerated, log.n);
    cr_assert(tm->degraded[0]);
    /* Degraded when the (k+1)-th failing probe's timeout expires. */
    cr_assert_eq(tm->changed_at[0], log.sent[first + (size_t)tolerated] + o.timeout,
                 "k=%lld: degraded at %lld, probe %zu sent at %lld", (long long)tolerated,
                 (long long)tm->changed_at[0], first + (size_t)tolerated,
                 (long long)log.sent[first + (size_t)tolerated]);
    cr_assert_eq(log.sent[first + 1] - log.sent[first], o.interval, "periodic probes");
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_NEU);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(traffic_manager, degraded_exactly_at_the_k_plus_first_failure)
{
    for (uint64_t rep = 0; rep < 5; rep++) {
        check_threshold(3, rep);
        check_threshold(0, rep);
        check_threshold(9, rep);
    }
}

Test(traffic_manager, fails_open_when_every_endpoint_is_degraded)
{
    world_opts o = defaults();
    o.fault2_at = 300 * MR_S;
    mr_sim *sim = world(&o, 0, 900 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    cr_assert(tm->degraded[0] && tm->degraded[1]);
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_WEU,
                 "all Degraded: answers as if all were Online, so priority 1");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(traffic_manager, online_again_at_the_first_successful_probe)
{
    world_opts o = defaults();
    o.fault_for = 200 * MR_S; /* back at 500 s */
    mr_sim *sim = world(&o, 1, 900 * MR_S);
    probe_log log = {.n = 0};
    mr_sim_set_trace(sim, log_probes, &log);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    size_t back = 0;
    while (back < log.n && log.sent[back] < 500 * MR_S)
        back++;
    cr_assert(!tm->degraded[0]);
    cr_assert_eq(tm->changed_at[0], log.sent[back], "Online at the first probe after repair");
    cr_assert_eq(tm->changes, 2);
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_WEU);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(resolver, expiry_and_refresh_under_each_policy)
{
    world_opts o = defaults();
    o.npol = 2;
    o.pol[0] = (mr_ttl_policy){.share = 0.5, .mode = MR_TTL_HONOR};
    o.pol[1] = (mr_ttl_policy){.share = 0.5, .mode = MR_TTL_FLOOR, .min_ttl = 300 * MR_S};
    mr_sim *sim = world(&o, 0, 60 * MR_S);
    mr_component *pool = mr_sim_component(sim, RES);
    const mr_resolver_state *st = pool->state;
    for (uint32_t i = 0; i < 4; i++) {
        mr_time cap = i < 2 ? 30 * MR_S : 300 * MR_S;
        cr_assert(st->expiry[i] >= 0 && st->expiry[i] < cap, "steady-state start, rule 3");
        cr_assert_eq(st->answer[i], AKS_WEU);
    }
    /* Degrade the primary by hand: cached answers stay until they expire. */
    ((mr_tm_state *)mr_sim_component(sim, TM)->state)->degraded[0] = 1;
    mr_time t = 299 * MR_S;
    cr_assert_eq(mr__resolver_lookup(pool, 0, st->expiry[0] - 1), AKS_WEU, "not yet expired");
    cr_assert_eq(mr__resolver_lookup(pool, 0, t), AKS_NEU, "refreshed after expiry");
    cr_assert_eq(st->expiry[0], t + 30 * MR_S, "honour: kept for the TTL");
    cr_assert_eq(mr__resolver_lookup(pool, 3, t + 1), AKS_NEU);
    cr_assert_eq(st->expiry[3], t + 1 + 300 * MR_S, "floor: kept at least min_ttl");
    cr_assert_eq(mr_sim_free(sim), MR_OK);

    o.npol = 1;
    o.pol[0] = (mr_ttl_policy){.share = 1, .mode = MR_TTL_EXTRA};
    mr_dist_const(&o.pol[0].hold, (double)(100 * MR_S));
    sim = world(&o, 0, 60 * MR_S);
    pool = mr_sim_component(sim, RES);
    st = pool->state;
    mr__resolver_lookup(pool, 2, 500 * MR_S);
    cr_assert_eq(st->expiry[2], 500 * MR_S + 130 * MR_S, "extra: TTL plus the hold");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* Window w's (total, ok) counts of the SLO collector. */
static void window_counts(mr_sim *sim, size_t w, uint64_t *total, uint64_t *ok)
{
    const mr_slo_state *s = mr_sim_component(sim, SLO)->state;
    *total = s->total[w];
    *ok = s->ok[w];
}

Test(clients, a_retry_succeeds_after_the_failover)
{
    world_opts o = defaults();
    o.tolerated = 0;
    o.interval = 10 * MR_S;
    o.timeout = 5 * MR_S;
    o.ttl = 0; /* every request asks Traffic Manager */
    o.rate = 2;
    o.backoff = 30 * MR_S;
    uint64_t total, ok;
    o.attempts = 1;
    mr_sim *sim = world(&o, 0, 400 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    /* Requests issued in [300 s, 305 s): Traffic Manager cannot know before
     * 305 s (the first probe after the fault fails at its 5 s timeout). */
    window_counts(sim, 60, &total, &ok);
    cr_assert_gt(total, 0);
    cr_assert_eq(ok, 0, "without a retry they fail");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    o.attempts = 2;
    sim = world(&o, 0, 400 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    window_counts(sim, 60, &total, &ok);
    cr_assert_gt(total, 0);
    cr_assert_eq(ok, total, "the retry 32 s later reaches the standby");
    const mr_clients_state *c = mr_sim_component(sim, CLIENTS)->state;
    cr_assert_geq(c->failures, total, "every first attempt failed");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* Mean over replications of (client RTO - detection) with every resolver
 * asking the authority at once (TTL 0): what is left is the runtime cache's
 * residual hold, uniform on [0, hold): mean hold / 2. */
static double runtime_residual(int64_t cache)
{
    world_opts o = defaults();
    o.ttl = 0;
    o.rate = 400; /* 100 requests/s per resolver: the next one is ~10 ms away */
    o.runtime_cache = cache;
    double sum = 0;
    int n = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        mr_sim *sim = world(&o, rep, 600 * MR_S);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
        const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
        const mr_slo_state *slo = mr_sim_component(sim, SLO)->state;
        for (size_t i = 0; i < slo->client_rto_hist.n_exact; i++) {
            sum += slo->client_rto_hist.exact[i] - mr_time_to_s(tm->changed_at[0] - o.fault_at);
            n++;
        }
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    cr_assert_eq(n, 160, "every resolver recovered in every replication");
    return sum / n;
}

Test(clients, runtime_caches_hold_answers_as_java_and_chrome_do, .timeout = 120)
{
    /* 160 samples of U[0, h): standard error h / sqrt(12 x 160) = 0.023 h;
     * allowed 0.1 h (4 standard errors, and the ~10 ms request gap). */
    double none = runtime_residual(MR_CACHE_NONE);
    double java = runtime_residual(MR_CACHE_JAVA);
    double chrome = runtime_residual(MR_CACHE_CHROME);
    cr_assert(none >= 0 && none < 0.2, "no runtime cache: %.3f s", none);
    cr_assert(fabs(java - 15) < 3, "Java holds 30 s whatever the TTL: mean %.2f s", java);
    cr_assert(fabs(chrome - 30) < 6, "Chrome holds at least 60 s: mean %.2f s", chrome);
}

Test(clients, a_diurnal_profile_shapes_the_arrivals, .timeout = 120)
{
    /* rate x (trough + (peak - trough)(1 + cos)/2): over a whole day the
     * mean multiplier is (peak + trough) / 2; at the peak hour it is near
     * peak, twelve hours later near trough. */
    world_opts o = defaults();
    o.fault_at = 10 * MR_DAY;
    o.rate = 2;
    o.profile = MR_PROFILE_DIURNAL;
    o.peak = 1.8;
    o.trough = 0.2;
    mr_sim *sim = world(&o, 0, MR_DAY);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_slo_state *slo = mr_sim_component(sim, SLO)->state;
    uint64_t total = 0, at_peak = 0, at_trough = 0;
    for (size_t w = 0; w < slo->nwin; w++) {
        total += slo->total[w];
        mr_time t = (mr_time)w * 5 * MR_S;
        if (t >= 12 * MR_H + 30 * MR_MIN && t < 13 * MR_H + 30 * MR_MIN)
            at_peak += slo->total[w];
        if (t >= 30 * MR_MIN && t < 90 * MR_MIN)
            at_trough += slo->total[w];
    }
    /* Day: mean 2 x 1.0 x 86400 = 172800 (Poisson sd 416). */
    cr_assert(fabs((double)total - 172800) < 2000, "day total %llu", (unsigned long long)total);
    /* Peak hour: about 2 x 1.79 x 3600 = 12900; trough hour about 2 x 0.21 x 3600 = 1500. */
    cr_assert(at_peak > 12000 && at_peak < 13800, "peak hour %llu", (unsigned long long)at_peak);
    cr_assert(at_trough > 1200 && at_trough < 1900, "trough hour %llu",
              (unsigned long long)at_trough);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(resolver, refuses_an_authority_without_endpoints)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_tm_cfg tm = {.base = {.n = 0, .watcher = -1, .faults = -1}, .interval = 30 * MR_S, .timeout = 10 * MR_S, .tolerated = 3,
                    .ttl = 30 * MR_S};
    add(sim, "traffic_manager", "tm", &tm);
    mr_resolver_cfg res = {.tm = 0, .count = 4};
    add(sim, "resolver", "isp", &res);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_ENOCOMP);
    cr_assert_str_eq(mr_diag_line(d, 0), "error: isp: its authority tm has no endpoint to answer with");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* mr__fd_route_probs (aggregate fidelity's per-attempt spread) gives the
 * probabilities mr__fd_route draws by: priority first, then the latency
 * window, then weights; a skipped origin; fail-open. */
static void expect_probs(mr_component *fd, uint32_t pop, int64_t origin, uint32_t skip,
                         const double *want /* per cluster id 2..4 */, const char *what)
{
    uint32_t to[MR_MAX_ENDPOINTS + 1];
    double pr[MR_MAX_ENDPOINTS + 1], got[3] = {0}, sum = 0;
    uint32_t n = mr__fd_route_probs(fd, pop, origin, UINT32_MAX, 0, skip, 0, to, pr);
    for (uint32_t x = 0; x < n; x++) {
        cr_assert(to[x] >= 2 && to[x] <= 4, "%s: answer %u", what, to[x]);
        got[to[x] - 2] += pr[x];
        sum += pr[x];
    }
    cr_expect(fabs(sum - 1) < 1e-12, "%s: probabilities sum to %g", what, sum);
    mr_rng *r = mr_rng_new(5, 0, "fd-draws");
    double seen[3] = {0};
    enum { DRAWS = 40000 };
    for (int d = 0; d < DRAWS; d++) {
        uint32_t c = mr__fd_route(fd, pop, origin, UINT32_MAX, 0, skip, r, 0);
        cr_assert(c >= 2 && c <= 4, "%s: drew %u", what, c);
        seen[c - 2] += 1.0 / DRAWS;
    }
    mr_rng_free(r);
    for (int c = 0; c < 3; c++) {
        cr_expect(fabs(got[c] - want[c]) < 1e-12, "%s: origin %d has %g, expected %g", what, c,
                  got[c], want[c]);
        /* 5 standard errors of a share of 40,000 draws: < 0.011 */
        cr_expect(fabs(seen[c] - want[c]) < 0.011, "%s: origin %d drawn %g, expected %g", what,
                  c, seen[c], want[c]);
    }
}

Test(front_door, route_probabilities_are_what_the_draws_follow)
{
    mr_sim *sim = mr_sim_new(3, 0);
    mr_sim_set_horizon(sim, MR_H);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = -1};
    add(sim, "region", "weu", &region);
    region.index = 1;
    add(sim, "region", "neu", &region);
    mr_cluster_cfg cl = {.region = WEU, .faults = -1, .pods = 50, .rps_per_pod = 40, .ingress = -1};
    mr_dist_const(&cl.service_time, 10e6);
    add(sim, "cluster", "aks-weu", &cl);
    cl.region = NEU;
    add(sim, "cluster", "aks-neu", &cl);
    add(sim, "cluster", "aks-neu2", &cl);
    mr_fd_cfg f = {.base = {.n = 3, .cluster = {2, 3, 4}, .priority = {1, 1, 2}, .weight = {1, 3, 5},
                            .watcher = -1, .faults = -1,
                            .rtt = {{5 * MR_MS, 20 * MR_MS, 20 * MR_MS},
                                    {100 * MR_MS, 5 * MR_MS, 5 * MR_MS}}},
                   .pops = 2, .interval = 30 * MR_S, .timeout = 10 * MR_S, .sample_size = 4,
                   .required = 3, .additional_latency = 50 * MR_MS};
    add(sim, "front_door", "fd", &f);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    mr_component *fd = mr_sim_component(sim, 5);
    mr_fd_state *st = fd->state;
    expect_probs(fd, 0, 0, UINT32_MAX, (double[]){0.25, 0.75, 0}, "by weight");
    /* From region 1, origin 0 (100 ms) is beyond 5 ms + 50 ms. */
    expect_probs(fd, 0, 1, UINT32_MAX, (double[]){0, 1, 0}, "latency window");
    expect_probs(fd, 0, 0, 2, (double[]){0, 1, 0}, "origin 0 skipped");
    st->healthy[0 * 3 + 1] = 0; /* edge 0 sees origin 1 unhealthy */
    expect_probs(fd, 0, 0, UINT32_MAX, (double[]){1, 0, 0}, "origin 1 unhealthy");
    expect_probs(fd, 1, 0, UINT32_MAX, (double[]){0.25, 0.75, 0}, "another edge's view");
    st->healthy[0 * 3 + 0] = 0;
    expect_probs(fd, 0, 0, UINT32_MAX, (double[]){0, 0, 1}, "next priority");
    st->healthy[0 * 3 + 2] = 0;
    expect_probs(fd, 0, 0, UINT32_MAX, (double[]){0.25, 0.75, 0}, "fail-open");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
