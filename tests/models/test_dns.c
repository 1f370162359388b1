/* tests/models/test_dns.c: the dns traffic kind (models/traffic_dns.c),
 * plain Azure DNS: no probes, an operator who learns of every fault as it
 * starts and ends and edits the record operator_delay later:
 * - the record moves to the best endpoint that serves when the edit lands,
 *   and back once the better one serves again;
 * - a fault that has ended by then moves nothing; with nothing serving the
 *   record stays where it is;
 * - "serves" is what users see: a total gray failure (probes would pass)
 *   moves the record, a partial failure does not;
 * - its defaults bind (docs/reference.md §3), its report counts the record's
 *   changes and the queries it answered, its cost prices those queries and
 *   the zone, and its detection for analyze is the operator's delay.
 * Its failover time against a closed form is
 * tests/validation/test_traffic_layers.c (plain_dns). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "kind_checks.h"
#include "traffic.h"

static const char *const pair =
    "version: mrsim/v1\n"
    "run: {horizon: 1h, warmup: 5m}\n"
    "regions: [{name: a}, {name: b}]\n"
    "clusters:\n"
    "  - {name: ca, region: a, service_time: 5ms}\n"
    "  - {name: cb, region: b, service_time: 5ms}\n"
    "traffic: {kind: dns, ttl: 60s, operator_delay: 5m,\n"
    "          endpoints: [{cluster: ca, priority: 1}, {cluster: cb, priority: 2}]}\n"
    "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 1/s}]\n";

static mr_sim *build_with(const char *faults, mr_scenario **sc)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", pair, faults);
    *sc = tsr_load(text, NULL, 0);
    return tsr_build(*sc, 0);
}

static const mr_dns_state *dns(const mr_sim *sim)
{
    const mr_component *c = mr_sim_find(sim, "traffic");
    cr_assert_not_null(c);
    cr_assert_str_eq(c->model->kind, "dns");
    return c->state;
}

static void run_to_s(mr_sim *sim, double s)
{
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, mr_time_from_s(s)), MR_OK);
}

/* The record changes over the run under these faults. */
static double changes_under(const char *faults)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with(faults, &sc);
    mr_report *r = tsr_finish(sim);
    double n = mr_report_find(r, "traffic", "record_changes");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    return n;
}

Test(dns, the_operator_moves_the_record_its_delay_after_a_fault_and_back)
{
    mr_scenario *sc = NULL;
    mr_sim *sim = build_with("faults: [{name: f, kind: cluster_failure, target: ca, at: 10m,"
                             " duration: 20m}]\n",
                             &sc);
    mr_component *t = mr_sim_find(sim, "traffic");
    uint32_t ca = mr_sim_find(sim, "clusters/ca")->id, cb = mr_sim_find(sim, "clusters/cb")->id;
    const mr_dns_state *st = dns(sim);
    cr_assert_eq(st->record, 0, "the record starts at the lowest priority");
    run_to_s(sim, 900 - 0.001);
    cr_assert_eq(st->record, 0, "no probe: nothing moves before the operator");
    cr_assert_eq(mr__traffic_answer(t, NULL, -1, mr_sim_now(sim)), ca);
    run_to_s(sim, 900);
    cr_assert_eq(st->record, 1, "moved operator_delay after the fault");
    cr_assert_eq(mr__traffic_answer(t, NULL, -1, mr_sim_now(sim)), cb);
    run_to_s(sim, 2100 - 0.001);
    cr_assert_eq(st->record, 1);
    run_to_s(sim, 2100);
    cr_assert_eq(st->record, 0, "back operator_delay after the better endpoint serves again");
    mr_report *r = tsr_finish(sim);
    cr_expect_eq(mr_report_find(r, "traffic", "record_changes"), 2);
    cr_expect_gt(mr_report_find(r, "traffic", "queries"), 0, "the resolvers' refreshes");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
}

Test(dns, a_fault_that_ends_before_the_edit_moves_nothing)
{
    cr_expect_eq(changes_under("faults: [{name: f, kind: cluster_failure, target: ca, at: 10m,"
                               " duration: 2m}]\n"),
                 0);
}

Test(dns, with_nothing_serving_the_record_stays)
{
    cr_expect_eq(changes_under("faults:\n"
                               "  - {name: fa, kind: region_outage, target: a, at: 10m,"
                               " duration: 20m}\n"
                               "  - {name: fb, kind: region_outage, target: b, at: 10m,"
                               " duration: 20m}\n"),
                 0);
}

Test(dns, a_total_gray_failure_moves_the_record_a_partial_failure_does_not)
{
    cr_expect_eq(changes_under("faults: [{name: g, kind: gray_failure, target: ca, at: 10m,"
                               " duration: 20m}]\n"),
                 2, "users see every request fail");
    cr_expect_eq(changes_under("faults: [{name: p, kind: cluster_failure, target: ca, at: 10m,"
                               " duration: 20m, severity: 0.5}]\n"),
                 0, "half the requests still succeed");
}

Test(dns, its_defaults_bind_and_its_detection_is_the_operators_delay)
{
    mr_scenario *sc = tsr_load("version: mrsim/v1\n"
                               "regions: [{name: a}, {name: b}]\n"
                               "clusters:\n"
                               "  - {name: ca, region: a}\n"
                               "  - {name: cb, region: b, role: standby}\n"
                               "traffic: {kind: dns}\n"
                               "clients: [{name: u, origin: a}]\n",
                               NULL, 0);
    static const char *const want[][2] = {
        {"traffic.kind", "dns"},
        {"traffic.ttl", "1h"},
        {"traffic.operator_delay", "triangular(10m, 20m, 1h)"},
        {"traffic.endpoints[0].cluster", "ca"},
        {"traffic.endpoints[0].priority", "1"},
        {"traffic.endpoints[1].cluster", "cb"},
        {"traffic.endpoints[1].priority", "2"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
    const mr_dns_cfg *cfg = sc->traffic.cfg;
    cr_expect_eq(cfg->ttl, MR_H);
    mr_model_detect det;
    sc->traffic.model->detect(cfg, &det);
    cr_expect_eq(det.dist, &cfg->operator_delay, "detection is the operator's delay");
    cr_expect_float_eq(det.ttl_s, 3600, 1e-9);
    cr_expect_eq(det.edges, 0, "DNS-based");
    mr_model_sla sla;
    sc->traffic.model->sla(cfg, &sla);
    cr_expect_float_eq(sla.availability, 1, 1e-15, "docs/reference.md §3: 100%%");
    mr_scenario_free(sc);
}

Test(dns, its_cost_prices_the_queries_it_answered_and_the_zone)
{
    /* Free until priced; then the zone, and the resolvers' refreshes
     * scaled to a month (20 resolvers refreshing a 60 s record). */
    char text[4096];
    snprintf(text, sizeof text, "%s", pair);
    mr_scenario *sc = tsr_load(text, NULL, 0);
    cr_expect_float_eq(kc_month_cost(sc, MR_COST_TRAFFIC), 0, 1e-12);
    mr_scenario_free(sc);
    snprintf(text, sizeof text, "%scost: {dns_per_million_queries: 1000, dns_zone_per_month: 0.5}\n",
             pair);
    sc = tsr_load(text, NULL, 0);
    double month = kc_month_cost(sc, MR_COST_TRAFFIC);
    /* Each resolver refreshes at most once a TTL: 20 x 730 x 60 = 876,000
     * queries a month, $876 at $1,000 a million, + $0.5. */
    cr_expect(month > 0.5 + 0.5 * 876 && month <= 0.5 + 876 + 1e-9, "%g", month);
    mr_scenario_free(sc);
}
