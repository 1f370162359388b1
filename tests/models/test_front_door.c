/* tests/models/test_front_door.c: the front_door kind (rule 2) on its own:
 * - mr__fd_route_probs, the per-attempt spread that aggregate fidelity
 *   uses, gives exactly the probabilities mr__fd_route draws by (priority
 *   first, then the latency window, then the weights; a skipped origin;
 *   each edge's own view of health; fail-open when an edge sees no origin
 *   healthy), and the draws follow them;
 * - its keys: the defaults bind (docs/reference.md §2), every POP probing
 *   (probe.locations is its pops); what its check refuses (a timeout beyond
 *   the interval, more successes required than sampled, a window larger
 *   than kept) is located at the key.
 * Front Door's detection against closed forms is
 * tests/validation/test_traffic_layers.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "kind_checks.h"
#include "tm_world.h"

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

/* ---- its keys ---------------------------------------------------------------- */

#define FD_HEAD                                                                                    \
    "version: mrsim/v1\n"                                                                          \
    "regions: [{name: a}, {name: b}]\n"                                                            \
    "clusters: [{name: ca, region: a}, {name: cb, region: b, role: standby}]\n"                    \
    "clients: [{name: u, origin: a}]\n"                                                            \
    "traffic:\n"                                                                                   \
    "  kind: front_door\n"
/* Line 7 is the first after FD_HEAD. */

Test(front_door, its_defaults_bind_and_every_pop_probes)
{
    mr_scenario *sc = tsr_load(FD_HEAD, NULL, 0);
    static const char *const want[][2] = {
        {"traffic.kind", "front_door"},
        {"traffic.pops", "100"},
        {"traffic.additional_latency", "50ms"},
        {"traffic.retry_next_origin", "false"},
        {"traffic.probe.interval", "30s"},
        {"traffic.probe.timeout", "10s"},
        {"traffic.probe.sample_size", "4"},
        {"traffic.probe.successful_samples_required", "3"},
        {"traffic.probe.locations", "100"},
        {"traffic.origins[0].cluster", "ca"},
        {"traffic.origins[0].priority", "1"},
        {"traffic.origins[1].cluster", "cb"},
        {"traffic.origins[1].priority", "2"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
    const mr_fd_cfg *cfg = sc->traffic.cfg;
    cr_expect_eq(cfg->pops, 100);
    cr_expect_eq(cfg->sample_size, 4);
    cr_expect_eq(cfg->required, 3);
    cr_expect(!cfg->retry_next);
    mr_model_sla sla;
    sc->traffic.model->sla(cfg, &sla);
    cr_expect_float_eq(sla.availability, 0.9999, 1e-15, "docs/reference.md §2");
    mr_scenario_free(sc);

    sc = tsr_load(FD_HEAD "  pops: 7\n", NULL, 0);
    cr_expect_str_eq(mr_scenario_value(sc, "traffic.probe.locations"), "7", "its pops");
    mr_scenario_free(sc);
}

Test(front_door, what_its_check_refuses_is_located_at_the_key)
{
    kc_refused_with(FD_HEAD "  probe: {interval: 5s, timeout: 10s}\n",
                    "FILE:7:34: error: traffic.probe.timeout: must be at most the probe interval");
    kc_refused_with(FD_HEAD "  probe: {sample_size: 4, successful_samples_required: 5}\n",
                    "FILE:7:56: error: traffic.probe.successful_samples_required: 5 is more than "
                    "sample_size (4)");
    kc_refused_with(FD_HEAD "  probe: {sample_size: 40}\n",
                    "FILE:7:24: error: traffic.probe.sample_size: 40 is more than the 32 samples "
                    "this version keeps per POP and origin");
}
