/* tests/models/test_dependency.c: the shared dependency kinds (family
 * "dependency": identity, registry, firewall, monitoring, dns, other;
 * models/dependency.c and one file per kind), which the clusters that use
 * them read in place:
 * - an outage of one needed for requests fails the requests and probes of
 *   every cluster that uses it (every cluster when used_by is absent), and
 *   of no other; the clusters' pods stay;
 * - one needed for pod_start fails nothing that serves: it only keeps new
 *   pods from starting (here, the pods of a zone that comes back), and they
 *   start at the first scan after it returns;
 * - one that lives in a region goes down with it, even for clusters
 *   elsewhere; a global one does not;
 * - every kind does all this, counts its outages in its report, and has
 *   its own SLA in the composite availability (analyze), where one needed
 *   for pod_start only is left out.
 * The common-mode figures against closed forms are
 * tests/validation/test_compute.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "run/analyze.h"
#include "scenario_run.h"

/* ca in a (three zones, a node of 2 pods in each), cb in b, behind Traffic
 * Manager with fast probes. */
static const char *const pair =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m}\n"
    "regions: [{name: a, zones: 3}, {name: b}]\n"
    "clusters:\n"
    "  - {name: ca, region: a, nodes: {count: 3}, pods: {per_node: 2, startup: 20s},"
    " service_time: 5ms}\n"
    "  - {name: cb, region: b, service_time: 5ms}\n"
    "traffic:\n"
    "  endpoints: [{cluster: ca, priority: 1}, {cluster: cb, priority: 2}]\n"
    "  probe: {interval: 10s, timeout: 5s, tolerated_failures: 0}\n"
    "  ttl: 10s\n"
    "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

static mr_scenario *load_with(const char *more)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", pair, more);
    return tsr_load(text, NULL, 0);
}

static const void *state(const mr_sim *sim, const char *name)
{
    const mr_component *c = mr_sim_find(sim, name);
    cr_assert_not_null(c, "%s", name);
    return c->state;
}

static void run_to_s(mr_sim *sim, double s)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(s)), MR_OK);
}

Test(dependency, an_outage_of_one_needed_for_requests_fails_the_clusters_that_use_it)
{
    mr_scenario *sc = load_with("dependencies: [{name: idp, kind: identity, used_by: [ca]}]\n"
                                "faults: [{name: o, kind: dependency_outage, target: idp,"
                                " at: 10m, duration: 10m}]\n");
    mr_sim *sim = tsr_build(sc, 0);
    const mr_dep_state *idp = state(sim, "dependencies/idp");
    const mr_cluster_state *ca = state(sim, "clusters/ca"), *cb = state(sim, "clusters/cb");
    run_to_s(sim, 720);
    cr_assert(!mr_dep_up(idp));
    cr_assert(!mr_cluster_up(ca), "ca needs it for requests");
    cr_assert(!mr_cluster_probe_ok(ca, mr_sim_now(sim), 0.99), "and its probes fail too");
    cr_assert_eq(mr_cluster_pods(ca), 6, "its pods are untouched");
    cr_assert(mr_cluster_up(cb), "cb does not use it");
    run_to_s(sim, 1200);
    cr_assert(mr_dep_up(idp));
    cr_assert(mr_cluster_up(ca));
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "traffic", "status_changes"), 2, "failed over and back");
    cr_expect_eq(mr_report_find(r, "dependencies/idp", "outages"), 1);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(dependency, without_used_by_every_cluster_needs_it)
{
    mr_scenario *sc = load_with("dependencies: [{name: fw, kind: firewall}]\n"
                                "faults: [{name: o, kind: dependency_outage, target: fw,"
                                " at: 10m, duration: 10m}]\n");
    mr_sim *sim = tsr_build(sc, 0);
    run_to_s(sim, 720);
    cr_assert(!mr_cluster_up(state(sim, "clusters/ca")));
    cr_assert(!mr_cluster_up(state(sim, "clusters/cb")), "one outage reaches every region");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(dependency, one_needed_for_pod_start_only_keeps_new_pods_from_starting)
{
    /* Zone 1 of a is down from 10 to 15 min; the registry from 12 to 32
     * min. The zone's two pods cannot start again until the registry is
     * back (retried at each 10 s scan), then take pods.startup (20 s);
     * meanwhile ca serves with the other zones. */
    mr_scenario *sc = load_with(
        "dependencies: [{name: acr, kind: registry, used_by: [ca], needed_for: pod_start}]\n"
        "faults:\n"
        "  - {name: z1, kind: zone_outage, target: {region: a, zone: 1}, at: 10m, duration: 5m}\n"
        "  - {name: o, kind: dependency_outage, target: acr, at: 12m, duration: 20m}\n");
    mr_sim *sim = tsr_build(sc, 0);
    const mr_dep_state *acr = state(sim, "dependencies/acr");
    const mr_cluster_state *ca = state(sim, "clusters/ca");
    run_to_s(sim, 780);
    cr_assert(!mr_dep_up(acr));
    cr_assert(mr_cluster_up(ca), "a dependency for pod_start fails no request");
    cr_assert_eq(mr_cluster_pods(ca), 4);
    run_to_s(sim, 900 + 20 + 1);
    cr_assert_eq(ca->z[0].down, 0, "the zone is back");
    cr_assert_eq(ca->z[0].waiting, 2, "its pods wait for the registry");
    cr_assert_eq(mr_cluster_pods(ca), 4);
    run_to_s(sim, 1920 - 0.001);
    cr_assert_eq(mr_cluster_pods(ca), 4);
    cr_assert(mr_cluster_up(ca));
    run_to_s(sim, 1920 + 10 + 20);
    cr_assert_eq(mr_cluster_pods(ca), 6, "started at a scan after its return");
    cr_assert_eq(ca->z[0].waiting, 0);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(dependency, a_regional_one_goes_down_with_its_region_a_global_one_does_not)
{
    /* kv lives in a, idp is global; cb in b uses both. */
    mr_scenario *sc = load_with("dependencies:\n"
                                "  - {name: kv, kind: other, region: a, used_by: [cb]}\n"
                                "  - {name: idp, kind: identity, used_by: [cb]}\n"
                                "faults: [{name: o, kind: region_outage, target: a, at: 10m,"
                                " duration: 10m}]\n");
    mr_sim *sim = tsr_build(sc, 0);
    const mr_dep_state *kv = state(sim, "dependencies/kv"), *idp = state(sim, "dependencies/idp");
    const mr_cluster_state *cb = state(sim, "clusters/cb");
    run_to_s(sim, 720);
    cr_assert(!mr_dep_up(kv), "down with its region");
    cr_assert(mr_dep_up(idp));
    cr_assert(!mr_cluster_up(cb), "cb's region is up, but a dependency it needs is not");
    run_to_s(sim, 1200);
    cr_assert(mr_dep_up(kv));
    cr_assert(mr_cluster_up(cb));
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

/* The published availability each kind states for itself. */
static double expected_sla(const char *kind)
{
    if (strcmp(kind, "identity") == 0)
        return 0.9999; /* docs/reference.md §11 (Entra ID) */
    return 1;          /* dns: §3 100%; the others: no figure, 100% until given one */
}

Test(dependency, every_kind_fails_its_users_counts_its_outages_and_has_its_own_sla)
{
    mr_kinds all = mr_model_registry();
    size_t seen = 0;
    for (size_t i = 0; i < all.n; i++) {
        const mr_model *m = all.v[i];
        if (m->family == NULL || strcmp(m->family, "dependency") != 0)
            continue;
        seen++;
        char more[512];
        snprintf(more, sizeof more,
                 "dependencies: [{name: dep, kind: %s, used_by: [ca]}]\n"
                 "faults: [{name: o, kind: dependency_outage, target: dep, repeat: {every: 10m,"
                 " count: 2}, duration: 1m}]\n",
                 m->kind);
        mr_scenario *sc = load_with(more);
        cr_assert_eq(sc->dependencies[0].model, m, "%s", m->kind);
        mr_sim *sim = tsr_build(sc, 0);
        const mr_cluster_state *ca = state(sim, "clusters/ca");
        run_to_s(sim, 630);
        cr_assert(!mr_cluster_up(ca), "%s: down at 10.5 min", m->kind);
        run_to_s(sim, 690);
        cr_assert(mr_cluster_up(ca), "%s: up at 11.5 min", m->kind);
        run_to_s(sim, 1230);
        cr_assert(!mr_cluster_up(ca), "%s: down at 20.5 min", m->kind);
        mr_report *r = tsr_finish(sim);
        cr_expect_eq(mr_report_find(r, "dependencies/dep", "outages"), 2, "%s", m->kind);
        mr_report_free(r);
        cr_assert_eq(mr_sim_free(sim), MR_OK);

        /* Its SLA: one global dependency needed for requests sits in the
         * global tier, next to Traffic Manager's 99.99%. */
        mr_diag *d = mr_diag_new();
        mr_analysis *a = NULL;
        cr_assert_eq(mr_analyze(sc, NULL, 0, &a, d), MR_OK, "%s", m->kind);
        const mr_an_item *it = NULL;
        for (size_t k = 0; k < a->nitems; k++)
            if (strcmp(a->items[k].name, "dependencies/dep") == 0)
                it = &a->items[k];
        cr_assert_not_null(it, "%s: no item in the composite", m->kind);
        cr_expect_float_eq(it->sla, expected_sla(m->kind), 1e-15, "%s: %g", m->kind, it->sla);
        cr_expect_str_eq(it->what, m->kind);
        cr_expect_eq(it->unit, -1, "%s: global, so in the global tier", m->kind);
        cr_expect_float_eq(a->global, 0.9999 * expected_sla(m->kind), 1e-12, "%s", m->kind);
        mr_analysis_free(a);
        mr_diag_free(d);
        mr_scenario_free(sc);
    }
    cr_assert_eq(seen, 6, "identity, registry, firewall, monitoring, dns, other");
}

Test(dependency, one_needed_for_pod_start_only_is_left_out_of_the_composite)
{
    mr_scenario *sc = load_with(
        "dependencies: [{name: idp, kind: identity, used_by: [ca], needed_for: pod_start}]\n");
    mr_diag *d = mr_diag_new();
    mr_analysis *a = NULL;
    cr_assert_eq(mr_analyze(sc, NULL, 0, &a, d), MR_OK);
    for (size_t k = 0; k < a->nitems; k++)
        cr_expect(strcmp(a->items[k].name, "dependencies/idp") != 0, "listed: %s",
                  a->items[k].name);
    cr_expect_float_eq(a->global, 0.9999, 1e-12, "Traffic Manager alone");
    mr_analysis_free(a);
    mr_diag_free(d);
    mr_scenario_free(sc);
}
