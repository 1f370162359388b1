/* tests/e2e/test_analyze.c: `mrsim analyze` as a user runs it: exit codes
 * (docs/cli.md: 2 usage, 4 invalid scenario, 5 I/O), the keys of the JSON
 * document (README.md), the docs/reference.md §11 worked examples read back from
 * --json (printed with 17 significant digits, so exactly), the table's
 * sections, and the closed form next to what `run` simulates on the same
 * file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define FIX MRSIM_SOURCE_DIR "/tests/fixtures/analyze/"

/* The number after "key": that follows anchor (or from the start when
 * anchor is NULL) in a JSON text; NAN when absent or null. */
static double num_after(const char *json, const char *anchor, const char *key)
{
    const char *p = anchor ? strstr(json, anchor) : json;
    cr_assert_not_null(p, "no %s in the document", anchor);
    char k[128];
    snprintf(k, sizeof k, "\"%s\": ", key);
    p = strstr(p, k);
    cr_assert_not_null(p, "no %s after %s", key, anchor ? anchor : "the start");
    p += strlen(k);
    if (strncmp(p, "null", 4) == 0)
        return NAN;
    return strtod(p, NULL);
}

Test(analyze_cli, exit_codes)
{
    run_out r = e2e_run("analyze", "");
    cr_assert_eq(r.status, 2, "no file: %d", r.status);
    cr_assert(strstr(r.err, "which scenario") != NULL, "%s", r.err);
    run_free(&r);
    r = e2e_run("analyze", FIX "two-regions.yaml --bogus");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = e2e_run("analyze", FIX "two-regions.yaml --sla traffic=1.5");
    cr_assert_eq(r.status, 2, "a ratio above 1: %d", r.status);
    run_free(&r);
    r = e2e_run("analyze", FIX "two-regions.yaml --sla traffic");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = e2e_run("analyze", FIX "two-regions.yaml --sla clusters/nope=99.9%");
    cr_assert_eq(r.status, 2, "an unknown component: %d", r.status);
    cr_assert(strstr(r.err, "clusters/aks-weu") != NULL, "lists the components: %s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = e2e_run("analyze", FIX "no-such-file.yaml");
    cr_assert_eq(r.status, 5, "a missing file: %d", r.status);
    run_free(&r);
    r = e2e_run("analyze", MRSIM_SOURCE_DIR "/tests/fixtures/bad/03-unknown-key.yaml");
    cr_assert_eq(r.status, 4, "an invalid scenario: %d", r.status);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = e2e_run("analyze", FIX "two-regions.yaml --set 'analyze.sla={clusters/nope: 0.9}'");
    cr_assert_eq(r.status, 4, "analyze.sla naming nothing: %d (%s)", r.status, r.err);
    cr_assert(strstr(r.err, "unknown cluster 'nope'") != NULL, "%s", r.err);
    run_free(&r);
    r = e2e_run("analyze", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--sla NAME=A") != NULL);
    run_free(&r);
    r = e2e_run("--help", "");
    cr_assert(strstr(r.out, "analyze") != NULL, "listed in mrsim --help");
    run_free(&r);
}

Test(analyze_cli, json_has_every_key)
{
    run_out r =
        e2e_run("analyze", MRSIM_SOURCE_DIR "/tests/fixtures/good/active-active-fd.yaml --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *keys[] = {"\"mrsim\": ", "\"scenario\": ", "\"file\": ", "\"traffic\": \"front_door\"",
                          "\"detection_s\": {\"min\": ", "\"all_edges_s\": {", "\"client_switch_s\": {",
                          "\"parts\": [", "\"components\": [", "\"tier\": \"global\"",
                          "\"source\": \"docs/reference.md §2 SLA (99.99%)\"", "\"units\": [",
                          "\"kind\": \"region\"", "\"standby\": false", "\"global\": {\"availability\": ",
                          "\"redundant\": ", "\"composite\": {\"availability\": ",
                          "\"downtime_s_month\": ", "\"downtime_s_year\": ", "\"formula\": \"global = ",
                          "\"populations\": [", "\"faults\": [", "\"mttr_mean_s\": ", "\"p95\": ", "\"p99\": ", "\"max\": "};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert(strstr(r.out, keys[i]) != NULL, "no %s in\n%s", keys[i], r.out);
    cr_assert_eq(r.out[strlen(r.out) - 2], '}');
    run_free(&r);
    /* Traffic Manager: no edges, parts with resolver policies; an unbounded max is null. */
    r = e2e_run("analyze", MRSIM_SOURCE_DIR "/tests/fixtures/good/minimal.yaml --json");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "\"all_edges_s\": null") != NULL);
    cr_assert(strstr(r.out, "\"policy\": \"extra\"") != NULL);
    cr_assert(isnan(num_after(r.out, "\"client_switch_s\"", "max")));
    cr_assert_float_eq(num_after(r.out, "\"detection_s\"", "min"), 100, 1e-12);
    cr_assert_float_eq(num_after(r.out, "\"detection_s\"", "max"), 130, 1e-12);
    run_free(&r);
}

static double composite_of(const char *file, const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, "%s%s --json %s", FIX, file, extra);
    run_out r = e2e_run("analyze", args);
    cr_assert_eq(r.status, 0, "%s: %s", file, r.err);
    double a = num_after(r.out, "\"composite\": {", "availability");
    run_free(&r);
    return a;
}

Test(analyze_cli, reference_11_examples_exactly)
{
    /* To the JSON's twelve significant digits (the in-process values are
     * compared exactly in tests/unit/test_analyze.c). */
    cr_assert_float_eq(composite_of("app-service-sql.yaml", ""), 0.9995 * 0.9999, 1e-12);
    cr_assert_float_eq(composite_of("two-regions.yaml", ""), 1 - (1 - 0.9995) * (1 - 0.9995),
                       1e-12);
    const double global = 1.0 * 0.99999 * 0.9999 * 0.9999;
    const double stamp = 0.9999 * 0.9995 * 0.9995 * 0.999 * 0.9999 * 0.9999;
    run_out r = e2e_run("analyze", FIX "mission-critical-3.yaml --json");
    cr_assert_eq(r.status, 0);
    /* The JSON keeps twelve significant digits (no %.17g binary noise):
     * exact to 1e-12. */
    cr_assert_float_eq(num_after(r.out, "\"global\": {", "availability"), global, 1e-12);
    cr_assert_float_eq(num_after(r.out, "\"name\": \"stamp-1\"", "availability"), stamp, 1e-12);
    run_free(&r);
    const char *files[] = {"mission-critical-1.yaml", "mission-critical-2.yaml",
                           "mission-critical-3.yaml"};
    const double printed[] = {0.99749, 0.99978, 0.99979};
    for (int n = 1; n <= 3; n++) {
        double a = composite_of(files[n - 1], "");
        cr_assert_float_eq(a, global * (1 - pow(1 - stamp, n)), 1e-12);
        cr_assert_float_eq(round(a * 1e5) / 1e5, printed[n - 1], 1e-15, "%d stamps: %.10f", n, a);
    }
    /* --sla wins over analyze.sla and over the defaults. */
    cr_assert_float_eq(
        composite_of("app-service-sql.yaml", "--sla clusters/web=0.999 --sla data/db=99.9%"),
        0.999 * 0.999, 1e-12);
}

Test(analyze_cli, table_sections_and_digits)
{
    run_out r = e2e_run("analyze", FIX "two-regions.yaml");
    cr_assert_eq(r.status, 0);
    const char *want[] = {"failover timing, plain DNS", "operator changes the record",
                          "client switch", "composite availability (docs/reference.md §11; assumes instant failover)",
                          "composite = global x (1 - (1 - 0.9995) x (1 - 0.9995))",
                          "99.999975%", "648 ms/month", "region northeurope (standby)"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(r.out, want[i]) != NULL, "no '%s' in\n%s", want[i], r.out);
    run_free(&r);
}

/* The simulated client RTO against the closed form, on one file: the
 * simulation pools every resolver of 200 replications (rule 1's probe phase
 * is one draw per replication, so replications carry the variance). Its mean
 * is over replication means, standard error 8.7 / sqrt(200) = 0.6 s; its
 * percentiles come from log-bucket histograms (about 1 s wide here). A
 * client RTO runs from a failing request to a success, each up to a request
 * gap (here ~0.5 s, exponential) away from the fault and the switch. */
static void compare_with_run(const char *args, const double tol[4])
{
    run_out a = e2e_run("analyze", args);
    cr_assert_eq(a.status, 0, "%s", a.err);
    char rargs[1024];
    snprintf(rargs, sizeof rargs, "%s -q -j 2", args);
    run_out s = e2e_run("run", rargs);
    cr_assert_eq(s.status, 0, "%s", s.err);
    const char *keys[] = {"mean", "p50", "p95", "p99"};
    for (int i = 0; i < 4; i++) {
        double want = num_after(a.out, "\"client_switch_s\"", keys[i]);
        double got = num_after(s.out, "\"client_rto_s\"", keys[i]);
        cr_assert(fabs(got - want) < tol[i], "%s: %s: simulated %.2f, closed form %.2f", args,
                  keys[i], got, want);
    }
    cr_assert(num_after(s.out, "\"client_rto_s\"", "min") >
              num_after(a.out, "\"client_switch_s\"", "min") - 5);
    cr_assert(num_after(s.out, "\"client_rto_s\"", "max") <
              num_after(a.out, "\"client_switch_s\"", "max") + 5);
    run_free(&a);
    run_free(&s);
}

Test(analyze_cli, closed_form_next_to_the_simulation, .timeout = 300)
{
    const double probes[] = {3, 2, 2, 2};
    /* Traffic Manager, one location (rule 1) and three (the first to trip). */
    compare_with_run(FIX "tm-honor.yaml --json", probes);
    compare_with_run(FIX "tm-honor.yaml --json --set traffic.probe.locations=3", probes);
    /* Front Door: the edge's own detection, no caches. */
    compare_with_run(FIX "fd-edges.yaml --json", probes);
    /* Plain DNS: an operator's delay of one draw per replication spread over
     * 60 s carries more variance (mean: 4 standard errors; percentiles of
     * 200 such draws: about 2 s each). */
    const double operator[] = {5, 8, 8, 8};
    compare_with_run(FIX "dns-operator.yaml --json", operator);
}

/* The active/passive fixture with its registry out of West Europe, one
 * 3 h outage and a failover policy that only scales the standby (no
 * promote): what recovery waits on is the store's grace period, or the
 * standby's nodes, or the clients' caches (results issue, item 10: the
 * client switch alone said 130 s for all of them). */
#define AP MRSIM_SOURCE_DIR "/tests/fixtures/good/active-passive-tm.yaml"
#define AP_SETS                                                                                    \
    " --set 'dependencies=[{name: entra-id, kind: identity, used_by: [aks-weu, aks-neu],"          \
    " needed_for: requests}]' --set 'faults=[{name: weu-outage, kind: region_outage,"             \
    " target: westeurope, at: 30m, duration: 3h}]' --set 'failover={trigger: probes,"             \
    " actions: [{scale: aks-neu, to: 6}], failback: {mode: manual}}' --set run.horizon=5h"

static char *analyze_json(const char *extra)
{
    char args[2048];
    snprintf(args, sizeof args, AP " --json" AP_SETS " %s", extra);
    run_out r = e2e_run("analyze", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    free(r.err);
    return r.out;
}

static double simulated_rto(const char *extra, int n)
{
    char args[2048];
    snprintf(args, sizeof args, AP " --json -q -n %d" AP_SETS " %s", n, extra);
    run_out r = e2e_run("run", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    double rto = num_after(r.out, "\"rto_s\"", "mean");
    run_free(&r);
    return rto;
}

Test(analyze_cli, recovery_waits_on_the_failover_groups_grace, .timeout = 300)
{
    /* SQL automatic mode: 1 h of grace, then the switch (30 s): an RTO of
     * 3630 s (RTO counts to the first window of the recovery that holds).
     * The standby (1 of 4 nodes, lognormal(5m) provisioning) and the
     * clients' p99 (1755 s) come sooner. Simulated: within 2%. */
    char *j = analyze_json("");
    cr_expect(strstr(j, "\"dominant\": \"data orders failed over\""), "%s", j);
    cr_expect_float_eq(num_after(j, "\"data orders failed over\"", "gate_s"), 3630, 1e-9);
    double service = num_after(j, "\"dominant\"", "service_s");
    cr_expect_float_eq(service, 3630, 1e-9);
    free(j);
    double rto = simulated_rto("", 10);
    cr_expect(fabs(rto - service) < 0.02 * service, "simulated %.1f, analyzed %.1f", rto, service);
}

Test(analyze_cli, recovery_waits_on_a_cold_standbys_nodes, .timeout = 300)
{
    /* No store in the clients' path, resolvers that honour the TTL: the
     * clients have switched by 160 s; the cold standby needs 3 of its 6
     * new nodes (400/s over 4 pods x 40/s a node), each ready after
     * lognormal(5m, p95 15m) provisioning and its pods' startup, from the
     * probes' detection (100-130 s): the third of six such draws, about
     * 430 s on average. Simulated: within 15% over 20 replications (the
     * node draws' spread). */
    const char *honor = "--set clients[0].uses=[] --set clusters[1].standby=cold "
                        "--set 'resolvers[0].ttl_policy=[{share: 1, mode: honor}]'";
    char *j = analyze_json(honor);
    cr_expect(strstr(j, "\"dominant\": \"standby aks-neu ready\""), "%s", j);
    double gate = num_after(j, "\"standby aks-neu ready\"", "gate_s");
    cr_expect(gate > 380 && gate < 480, "%g", gate);
    double service = num_after(j, "\"dominant\"", "service_s");
    free(j);
    double rto = simulated_rto(honor, 20);
    cr_expect(fabs(rto - service) < 0.15 * service, "simulated %.1f, analyzed %.1f", rto, service);
}
