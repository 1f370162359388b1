/* tests/models/test_clients_agg.c: the clients_agg kind
 * (models/clients_agg.c), client populations at aggregate fidelity, where
 * traffic is a rate and the model acts only when something changes:
 * - the builder puts it in the clients' place; its first population is
 *   the hub that runs them all and the clusters take their load from it;
 *   an hour of 40 requests/s under a partition costs a handful of events
 *   (the fault's start and end and what they wake), not an event per
 *   request;
 * - each population reports its own availability: a partition between
 *   the clients' region and the cluster's costs the population of that
 *   region its share, and the other nothing;
 * - a failure on SLO-window boundaries costs exactly its duration of
 *   downtime;
 * - a seed gives the same result, bit for bit.
 * Its agreement with request fidelity is tests/validation/test_aggregate*.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "scenario_run.h"

/* One cluster in a; a population in a and one in b. */
static const char *const two =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m, fidelity: aggregate}\n"
    "regions: [{name: a}, {name: b}]\n"
    "clusters: [{name: ca, region: a, service_time: 5ms}]\n"
    "traffic: {kind: traffic_manager}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients:\n"
    "  - {name: ua, origin: a, resolver: r, rate: 30/s}\n"
    "  - {name: ub, origin: b, resolver: r, rate: 10/s}\n";

static mr_sim *build_with(const char *faults, const char *const *sets, size_t nsets,
                          mr_scenario **sc)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", two, faults);
    *sc = tsr_load(text, sets, nsets);
    return tsr_build(*sc, 0);
}

static const char *const partition =
    "faults: [{name: p, kind: network_partition, target: a, at: 10m, duration: 10m,"
    " params: {peer: b}}]\n";

Test(clients_agg, one_hub_runs_every_population_and_the_clusters_take_their_load_from_it)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(partition, NULL, 0, &sc);
    const mr_component *ua = mr_sim_find(sim, "clients/ua"), *ub = mr_sim_find(sim, "clients/ub");
    cr_assert_not_null(ua);
    cr_assert_not_null(ub);
    cr_expect_str_eq(ua->model->kind, "clients_agg");
    cr_expect_str_eq(ub->model->kind, "clients_agg");
    const mr_cluster_state *ca = mr_sim_find(sim, "clusters/ca")->state;
    cr_expect_eq(ca->agg_hub, ua, "the first population is the hub");
    mr_report *r = tsr_finish(sim);
    /* 144,000 requests; a handful of events (13 today): the fault's start
     * and end and what they wake. */
    cr_expect_lt(mr_sim_events(sim), 100, "%llu events",
                 (unsigned long long)mr_sim_events(sim));
    cr_expect(fabs(mr_report_find(r, "", "requests") - 40.0 * 3300) < 40.0 * 3300 * 0.01,
              "measured requests %g", mr_report_find(r, "", "requests"));
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);

    /* At request fidelity the same file builds the request-level kind,
     * and the clusters have no hub. */
    const char *sets[] = {"run.fidelity=request"};
    sim = build_with("", sets, 1, &sc);
    cr_expect_str_eq(mr_sim_find(sim, "clients/ua")->model->kind, "clients");
    cr_expect_null(((const mr_cluster_state *)mr_sim_find(sim, "clusters/ca")->state)->agg_hub);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(clients_agg, each_population_reports_its_own_availability)
{
    /* The partition a-b lasts 10 of the 55 measured minutes: the
     * population of b loses that share, the one of a nothing. */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(partition, NULL, 0, &sc);
    mr_report *r = tsr_finish(sim);
    double ua = mr_report_find(r, "clients/ua", "availability");
    double ub = mr_report_find(r, "clients/ub", "availability");
    cr_expect_float_eq(ua, 1, 1e-12, "population of a: %g", ua);
    cr_expect(fabs(ub - (1 - 10.0 / 55)) < 0.005, "population of b: %g", ub);
    double all = mr_report_find(r, "", "availability");
    cr_expect(fabs(all - (1 - 10.0 / 55 / 4)) < 0.005, "a quarter of the requests: %g", all);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(clients_agg, a_failure_on_window_boundaries_costs_exactly_its_duration)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults: [{name: f, kind: cluster_failure, target: ca, at: 10m,"
                             " duration: 10m}]\n",
                             NULL, 0, &sc);
    mr_report *r = tsr_finish(sim);
    cr_expect_float_eq(mr_report_find(r, "", "downtime_s"), 600, 1e-9);
    double a = mr_report_find(r, "", "availability");
    cr_expect(fabs(a - (1 - 10.0 / 55)) < 0.005, "availability %g", a);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* Every scalar of replication 0's report, and the events it took. */
static mr_report *report_of(uint64_t *events)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(partition, NULL, 0, &sc);
    mr_report *r = tsr_finish(sim);
    *events = mr_sim_events(sim);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return r;
}

Test(clients_agg, a_seed_gives_the_same_result_bit_for_bit)
{
    uint64_t ea, eb;
    mr_report *a = report_of(&ea), *b = report_of(&eb);
    cr_assert_eq(ea, eb);
    cr_assert_eq(mr_report_count(a), mr_report_count(b));
    for (size_t i = 0; i < mr_report_count(a); i++) {
        const char *ca, *ma, *cb, *mb;
        double va, vb;
        mr_report_get(a, i, &ca, &ma, &va);
        mr_report_get(b, i, &cb, &mb, &vb);
        cr_assert_str_eq(ca, cb);
        cr_assert_str_eq(ma, mb);
        cr_assert((isnan(va) && isnan(vb)) || memcmp(&va, &vb, sizeof va) == 0, "%s %s: %a vs %a",
                  ca, ma, va, vb);
    }
    mr_report_free(a);
    mr_report_free(b);
}
