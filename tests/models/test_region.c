/* tests/models/test_region.c: the region kind (models/region.c) on its
 * events, in worlds built from inline scenarios (three regions a, b, c;
 * clusters a1 and a2 in a, b1 in b), run step by step so that the state
 * the clusters and clients read in place can be checked at known times:
 * - a whole region_outage takes every cluster in the region down, and only
 *   those; overlapping outages compose (up only when all have ended);
 * - a network_partition with a peer cuts that pair of regions and nothing
 *   else: only the clients whose origin is the peer lose the region; one
 *   without a peer cuts the region off every client;
 * - partial outages fail their share of requests and probes, composed as
 *   independent shares, and never take the region down: data stores see
 *   whole outages only;
 * - the report counts the partial outages beyond what a region keeps. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "cluster.h"
#include "scenario_run.h"

static const char *const three =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m}\n"
    "regions: [{name: a}, {name: b}, {name: c}]\n"
    "clusters:\n"
    "  - {name: a1, region: a, service_time: 5ms}\n"
    "  - {name: a2, region: a, service_time: 5ms}\n"
    "  - {name: b1, region: b, service_time: 5ms}\n"
    "traffic: {kind: traffic_manager}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

/* base followed by faults, loaded and built (replication 0). */
static mr_sim *build_with(const char *base, const char *faults, mr_scenario **sc)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", base, faults);
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

static const mr_region_state *region(const mr_sim *sim, const char *name)
{
    const mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static const mr_cluster_state *cluster(const mr_sim *sim, const char *name)
{
    const mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static void run_to(mr_sim *sim, double minutes)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(minutes * 60)), MR_OK);
}

Test(region, an_outage_takes_down_every_cluster_in_the_region_and_only_those)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three,
                             "faults: [{name: o, kind: region_outage, target: a, at: 10m,"
                             " duration: 10m}]\n",
                             &sc);
    const mr_cluster_state *a1 = cluster(sim, "clusters/a1"), *a2 = cluster(sim, "clusters/a2"),
                           *b1 = cluster(sim, "clusters/b1");
    run_to(sim, 9.99);
    cr_assert(mr_cluster_up(a1) && mr_cluster_up(a2) && mr_cluster_up(b1));
    run_to(sim, 10);
    cr_assert_eq(region(sim, "regions/a")->down, 1);
    cr_assert(!mr_cluster_up(a1) && !mr_cluster_up(a2), "both clusters of a are down");
    cr_assert(mr_cluster_up(b1), "b is untouched");
    cr_assert_eq(region(sim, "regions/b")->down, 0);
    cr_assert_eq(a1->down, 0, "the clusters themselves did not fail: they read their region");
    cr_assert_eq(mr_cluster_pods(a1), 12, "their pods are still there for the return");
    run_to(sim, 20);
    cr_assert_eq(region(sim, "regions/a")->down, 0);
    cr_assert(mr_cluster_up(a1) && mr_cluster_up(a2), "up again when the outage ends");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(region, overlapping_outages_compose_up_only_when_all_have_ended)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three,
                             "faults:\n"
                             "  - {name: o1, kind: region_outage, target: a, at: 10m, duration: 20m}\n"
                             "  - {name: o2, kind: region_outage, target: a, at: 20m, duration: 20m}\n",
                             &sc);
    const mr_region_state *a = region(sim, "regions/a");
    const mr_cluster_state *a1 = cluster(sim, "clusters/a1");
    run_to(sim, 25);
    cr_assert_eq(a->down, 2);
    run_to(sim, 35);
    cr_assert_eq(a->down, 1, "o1 has ended, o2 has not");
    cr_assert(!mr_cluster_up(a1), "still down: o2 is in force");
    run_to(sim, 39.99);
    cr_assert(!mr_cluster_up(a1));
    run_to(sim, 40);
    cr_assert_eq(a->down, 0);
    cr_assert(mr_cluster_up(a1));
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(region, a_partition_with_a_peer_cuts_that_pair_and_nothing_else)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three,
                             "faults: [{name: p, kind: network_partition, target: a, at: 10m,"
                             " duration: 10m, params: {peer: b}}]\n",
                             &sc);
    const mr_region_state *a = region(sim, "regions/a"), *b = region(sim, "regions/b"),
                          *c = region(sim, "regions/c");
    run_to(sim, 15);
    cr_assert_eq(a->cut[1], 1, "a counts the cut towards b");
    cr_assert_eq(b->cut[0], 1, "b counts the cut towards a");
    cr_assert_eq(a->cut[2] + b->cut[2] + c->cut[0] + c->cut[1], 0, "c is in no pair");
    cr_assert_eq(a->cut_clients + b->cut_clients + c->cut_clients, 0);
    cr_assert(!mr_region_reachable(a, 1), "clients of b cannot reach a");
    cr_assert(mr_region_reachable(a, 2), "clients of c can");
    cr_assert(mr_region_reachable(a, 0) && mr_region_reachable(a, -1));
    cr_assert(!mr_region_reachable(b, 0) && mr_region_reachable(b, 2));
    cr_assert_eq(a->down, 0, "a partition is no outage");
    cr_assert(mr_cluster_up(cluster(sim, "clusters/a1")));
    run_to(sim, 20);
    cr_assert_eq(a->cut[1] + b->cut[0], 0, "healed at its end");
    cr_assert(mr_region_reachable(a, 1));
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(region, only_the_populations_of_the_peer_lose_the_region, .timeout = 120)
{
    /* One endpoint, a1: every population is sent there. The partition a-b
     * lasts 10 of the 55 measured minutes: the population of b loses that
     * share, the one of c nothing. */
    const char *text = "version: mrsim/v1\n"
                       "run: {horizon: 1h, warmup: 5m}\n"
                       "regions: [{name: a}, {name: b}, {name: c}]\n"
                       "clusters: [{name: a1, region: a, service_time: 5ms}]\n"
                       "traffic: {kind: traffic_manager, endpoints: [{cluster: a1}]}\n"
                       "resolvers: [{name: r, count: 10}]\n"
                       "clients:\n"
                       "  - {name: ub, origin: b, resolver: r, rate: 20/s}\n"
                       "  - {name: uc, origin: c, resolver: r, rate: 20/s}\n"
                       "faults: [{name: p, kind: network_partition, target: a, at: 10m,"
                       " duration: 10m, params: {peer: b}}]\n";
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    double ub = mr_report_find(r, "clients/ub", "availability");
    double uc = mr_report_find(r, "clients/uc", "availability");
    /* 66,000 requests each: a binomial share's sd is below 0.002. */
    cr_expect(fabs(ub - (1 - 10.0 / 55)) < 0.01, "population of b: %g", ub);
    cr_expect_eq(uc, 1, "population of c: %g", uc);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(region, a_partition_without_a_peer_cuts_the_region_off_every_client)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three,
                             "faults: [{name: p, kind: network_partition, target: a, at: 10m,"
                             " duration: 10m}]\n",
                             &sc);
    const mr_region_state *a = region(sim, "regions/a");
    run_to(sim, 15);
    cr_assert_eq(a->cut_clients, 1);
    for (int from = -1; from < 3; from++)
        cr_assert(!mr_region_reachable(a, from), "from %d", from);
    cr_assert(mr_region_reachable(region(sim, "regions/b"), 0), "b is not cut from anyone");
    cr_assert_eq(a->cut[1] + a->cut[2], 0, "no pair is cut");
    run_to(sim, 20);
    cr_assert(mr_region_reachable(a, -1));
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(region, partial_outages_fail_their_shares_composed_and_never_take_it_down)
{
    /* p1 0.3 from 10 to 30 min, p2 0.5 from 20 to 40 min: the failed share
     * is 0.3, then 1 - 0.7 x 0.5 = 0.65, then 0.5, then 0, for requests and
     * probes of both clusters of a alike. */
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three,
                             "faults:\n"
                             "  - {name: p1, kind: region_outage, target: a, at: 10m, duration: 20m,"
                             " severity: 0.3}\n"
                             "  - {name: p2, kind: region_outage, target: a, at: 20m, duration: 20m,"
                             " severity: 0.5}\n",
                             &sc);
    const mr_cluster_state *a1 = cluster(sim, "clusters/a1"), *a2 = cluster(sim, "clusters/a2"),
                           *b1 = cluster(sim, "clusters/b1");
    const double at[] = {5, 15, 25, 35, 45}, share[] = {0, 0.3, 0.65, 0.5, 0};
    for (int i = 0; i < 5; i++) {
        run_to(sim, at[i]);
        mr_time now = mr_sim_now(sim);
        cr_assert_eq(region(sim, "regions/a")->down, 0, "a partial outage is no outage");
        cr_assert(mr_cluster_up(a1) && mr_cluster_up(a2));
        cr_assert_float_eq(mr_cluster_request_fail_share(a1, now), share[i], 1e-12, "at %g min",
                           at[i]);
        cr_assert_float_eq(mr_cluster_probe_fail_share(a1, now), share[i], 1e-12, "at %g min",
                           at[i]);
        cr_assert_float_eq(mr_cluster_request_fail_share(a2, now), share[i], 1e-12);
        cr_assert_float_eq(mr_cluster_request_fail_share(b1, now), 0, 1e-12, "b is untouched");
    }
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* The writes the store orders (primary in a, read and written from b)
 * failed under the fault given. */
static double failed_writes_under(const char *fault)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: mrsim/v1\n"
             "run: {horizon: 40m, warmup: 5m}\n"
             "regions: [{name: a}, {name: b}]\n"
             "clusters: [{name: b1, region: b, service_time: 5ms}]\n"
             "traffic: {kind: traffic_manager}\n"
             "resolvers: [{name: r, count: 10}]\n"
             "clients: [{name: u, origin: b, resolver: r, rate: 20/s, mix: {write: 0.5},"
             " uses: [orders]}]\n"
             "datastores: [{name: orders, kind: sql, primary: a, replicas: [b]}]\n"
             "faults: [%s]\n",
             fault);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    double failed = mr_report_find(r, "data/orders", "failed_writes");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return failed;
}

Test(region, data_stores_see_whole_outages_only)
{
    double whole = failed_writes_under(
        "{name: o, kind: region_outage, target: a, at: 10m, duration: 10m}");
    double partial = failed_writes_under(
        "{name: o, kind: region_outage, target: a, at: 10m, duration: 10m, severity: 0.5}");
    /* 10 writes/s for 10 minutes reach a primary that is down. */
    cr_expect(whole > 5000 && whole < 7000, "whole outage: %g writes failed", whole);
    cr_expect_eq(partial, 0, "partial outage: %g writes failed", partial);
}

Test(region, its_report_counts_partial_outages_beyond_what_it_keeps)
{
    /* Nine overlapping partial outages: eight are kept (MR_MAX_PARTIAL),
     * the ninth is reported, not hidden. */
    char faults[2048] = "faults:\n";
    for (int i = 0; i < 9; i++)
        snprintf(faults + strlen(faults), sizeof faults - strlen(faults),
                 "  - {name: p%d, kind: region_outage, target: a, at: %dm, duration: 20m,"
                 " severity: 0.01}\n",
                 i, 10 + i);
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(three, faults, &sc);
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "regions/a", "partial_faults_dropped"), 1);
    cr_expect_eq(mr_report_find(r, "regions/b", "partial_faults_dropped"), 0);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}
