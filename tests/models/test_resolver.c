/* tests/models/test_resolver.c: the resolver kind (models/dns_resolver.c),
 * a pool of recursive DNS resolvers and their caches (rule 3):
 * - every policy starts in steady state and refreshes at expiry: honour
 *   keeps an answer for the TTL, floor for at least min_ttl, extra for the
 *   TTL plus a hold (in the hand-built world of tm_world.h);
 * - a resolver that holds each answer for L = TTL + H (an extra hold H drawn
 *   at every refresh) is, at a time far from its start, in the cycle that
 *   spans that time: a length-biased cycle, so the remaining lifetime has
 *   mean E[L^2] / (2 E[L]), not E[L] / 2. With H lognormal (median m, sigma
 *   s): E[H] = m e^{s^2/2}, E[H^2] = m^2 e^{2 s^2};
 * - a pool whose authority has no endpoint is refused at link. */
#include <math.h>

#include "clients.h"
#include "mrsim/model.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "config/scenario.h"
#include "scenario_run.h"
#include "tm_world.h"

static const char *const extra_pool =
    "version: mrsim/v1\n"
    "run: {horizon: 1h}\n"
    "regions: [{name: a}]\n"
    "clusters: [{name: ca, region: a}]\n"
    "traffic: {kind: traffic_manager, ttl: 20s}\n"
    "resolvers: [{name: r, count: 20000, ttl_policy: [{share: 1, mode: extra,"
    " hold: lognormal(5m, 1.0)}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

Test(resolver, extra_holds_start_with_a_length_biased_residual)
{
    char *path = tsr_write(extra_pool);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    mr_sim *sim = NULL;
    cr_assert_eq(mr_build(sc, 3, 0, &sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    const mr_resolver_state *st = mr_sim_find(sim, "resolvers/r")->state;
    double sum = 0, sum2 = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        double x = mr_time_to_s(st->expiry[i]);
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / n, sd = sqrt(sum2 / n - mean * mean);
    double m = 300, s = 1.0, ttl = 20;
    double eh = m * exp(s * s / 2), eh2 = m * m * exp(2 * s * s);
    double el = ttl + eh, el2 = ttl * ttl + 2 * ttl * eh + eh2;
    double expect = el2 / (2 * el);
    /* 4.4 standard errors: a 1e-5 false alarm; the naive E[L]/2 (257 s) is
     * far outside (expect is 577 s). */
    cr_expect(fabs(mean - expect) < 4.4 * sd / sqrt(n), "mean residual %g s, expected %g s",
              mean, expect);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
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

Test(resolver, refuses_an_authority_without_endpoints)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_tm_cfg tm = {.base = {.n = 0, .watcher = -1, .faults = -1}, .interval = 30 * MR_S, .timeout = 10 * MR_S, .tolerated = 3,
                    .ttl = 30 * MR_S};
    add(sim, "traffic_manager", "tm", &tm);
    mr_resolver_cfg res = {.tm = 0, .count = 4, .faults = -1};
    add(sim, "resolver", "isp", &res);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_ENOCOMP);
    cr_assert_str_eq(mr_diag_line(d, 0), "error: isp: its authority tm has no endpoint to answer with");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

