/* tests/e2e/test_cost.c: cost_usd_month and its cost_breakdown as `mrsim
 * run --json` prints them, for tests/fixtures/run/cost.yaml computed by hand
 * to the cent, and exactly constant over replications when nothing in the
 * topology varies. */
#include <math.h>
#include <sqlite3.h>

#include "e2e.h"

/* nodes, cluster_fees, traffic, transfer, datastores */
#define MR_COST_ITEM_COUNT_EXPECTED 5

#define FIXTURE MRSIM_SOURCE_DIR "/tests/fixtures/run/cost.yaml"

/* stdout of `mrsim run FIXTURE --json -q ARGS`; asserts exit 0. Caller frees. */
static char *run_json(const char *args)
{
    char line[2048];
    snprintf(line, sizeof line, "%s --json -q %s", FIXTURE, args);
    run_out r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "run %s exited %d: %s", line, r.status, r.err);
    free(r.err);
    return r.out;
}

/* The value of field ("mean", or "ci95" for its lower end) in the summary
 * printed after "KEY": in section (the text from `after` on). */
static double field(const char *json, const char *after, const char *key, const char *fld)
{
    const char *s = strstr(json, after);
    cr_assert(s, "no %s in\n%s", after, json);
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": {", key);
    s = strstr(s, pat);
    cr_assert(s, "no %s after %s in\n%s", key, after, json);
    snprintf(pat, sizeof pat, "\"%s\": %s", fld, strcmp(fld, "ci95") == 0 ? "[" : "");
    const char *v = strstr(s, pat);
    cr_assert(v, "no %s in %.200s", fld, s);
    return strtod(v + strlen(pat), NULL);
}

static double ci_hi(const char *json, const char *after, const char *key)
{
    const char *s = strstr(strstr(json, after), key);
    const char *v = strstr(s, "\"ci95\": [");
    char *end;
    strtod(v + 9, &end);
    return strtod(end + 1, NULL);
}

/* To the cent: the printed value rounds to the hand-computed cents. */
#define EXPECT_CENTS(json, after, key, cents)                                                     \
    do {                                                                                       \
        double v_ = field(json, after, key, "mean");                                           \
        cr_expect(fabs(v_ - (cents)) < 0.005, "%s: %.6f, by hand %.2f", key, v_, (double)(cents)); \
    } while (0)

Test(cost, hand_computed_scenario_to_the_cent, .timeout = 120)
{
    char *j = run_json("");
    /* nodes: 1 h simulated, node-hours 3 and 2, scaled to the 730 h month of
     * docs/reference.md §10: (3 x 0.25 + 2 x 0.20) x 730 = 1.15 x 730 = 839.50. */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "nodes", 839.50);
    /* cluster_fees: 2 clusters x $0.10 per cluster-hour (Standard) x 730 h = 146.00. */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "cluster_fees", 146.00);
    /* traffic: health checks 2 endpoints x $0.36 = 0.72; queries: each of the
     * 2 resolvers refreshes every 30 s plus the wait for the next query
     * (1/50 s), from a first expiry uniform in [0, 30 s): 119 or 120 times
     * in the hour, 238 to 240 in all, x 730 = 173,740 to 175,200 a month, x
     * $0.54 per million = $0.0938 to $0.0946, so 0.09; traffic 0.81. */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "traffic", 0.81);
    /* No data store: nothing replicates, nothing is stored: real zeros. */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "transfer", 0.00);
    EXPECT_CENTS(j, "\"cost_breakdown\"", "datastores", 0.00);
    cr_assert(strstr(j, "\"transfer\": {\"mean\": 0, \"ci95\": [null, null]"), "%s", j);
    /* 839.50 + 146.00 + 0.81 + 0 + 0 = 986.31 (986.3138 to 986.3146). */
    EXPECT_CENTS(j, "\"metrics\"", "cost_usd_month", 986.31);
    free(j);
}

Test(cost, prices_and_tiers_are_overridable_from_the_command_line, .timeout = 120)
{
    /* Free tier: no fee; Premium-style prices for nodes. */
    char *j = run_json("--set cost.aks_tier=free --set clusters[0].nodes.usd_per_hour=0.5 "
                       "--set cost.tm_per_endpoint_month=1 --set cost.hours_per_month=720");
    EXPECT_CENTS(j, "\"cost_breakdown\"", "cluster_fees", 0.00);
    /* (3 x 0.5 + 2 x 0.2) x 720 = 1.9 x 720 = 1368.00 */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "nodes", 1368.00);
    /* 2 x $1 + 238..240 x 720 x 0.54e-6 (0.0925..0.0933) = 2.09 */
    EXPECT_CENTS(j, "\"cost_breakdown\"", "traffic", 2.09);
    free(j);
}

Test(cost, a_static_topology_costs_the_same_in_every_replication, .timeout = 120)
{
    /* With the per-query price at 0 nothing billed depends on chance: every
     * replication costs exactly 839.50 + 146 + 0.72, the CI has zero width. */
    char *j = run_json("--set cost.tm_per_million_queries=0 -n 5");
    cr_assert(strstr(j, "\"cost_usd_month\": {\"mean\": 986.22, \"ci95\": [null, null], "
                        "\"p50\": 986.22, \"p95\": 986.22, \"p99\": 986.22, \"min\": 986.22, "
                        "\"max\": 986.22, \"n\": 5, \"ci_method\": null}"),
              "%s", j);
    /* With queries billed, nodes and fees still have no spread, hence no
     * interval; traffic varies, and its t interval (far from 0) stays. */
    free(j);
    j = run_json("-n 5");
    cr_expect(strstr(j, "\"nodes\": {\"mean\": 839.5, \"ci95\": [null, null]"), "%s", j);
    cr_expect(strstr(j, "\"cluster_fees\": {\"mean\": 146, \"ci95\": [null, null]"), "%s", j);
    double lo = field(j, "\"cost_breakdown\"", "traffic", "ci95");
    cr_expect(lo > 0.80 && ci_hi(j, "\"cost_breakdown\"", "\"traffic\"") < 0.82, "%s", j);
    free(j);
}

Test(cost, the_table_lists_every_item, .timeout = 120)
{
    run_out r = e2e_run("run", FIXTURE " -q -n 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *buf = r.out;
    const char *items[] = {"\ncost_month ", "\n  nodes ", "\n  cluster_fees ", "\n  traffic ",
                           "\n  transfer ", "\n  datastores ", "\nincident_cost "};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        cr_expect(strstr(buf, items[i]), "no '%s' in\n%s", items[i], buf);
    /* 839.50 in both replications (above): $839.50 rounds to $840 from
     * $100 on, and no spread gives no interval. */
    const char *nodes = strstr(buf, "\n  nodes ");
    cr_expect(nodes && strncmp(nodes + 8 + strspn(nodes + 8, " "), "$840/mo  -  ", 12) == 0, "%s",
              buf);
    run_free(&r);
}

#define FRONT_DOOR                                                                                 \
    "--set 'traffic={kind: front_door, origins: [{cluster: aks-a, priority: 1}, "                 \
    "{cluster: aks-b, priority: 2}]}' "

Test(cost, front_door_bills_its_tier_and_its_requests, .timeout = 120)
{
    /* docs/reference.md §10's approximate $1 per million (Standard): 100/s
     * x 3600 s = 360,000 requests (Poisson, sd 600) x 730 = 262.8 +- 0.44
     * a month: 35 + 262.80 = 297.80, within 5 sd. Edge egress needs the
     * bytes per request, which nobody published: listed as unpriced. */
    char *j = run_json(FRONT_DOOR);
    double v = field(j, "\"cost_breakdown\"", "traffic", "mean");
    cr_expect(v > 297.80 - 2.2 && v < 297.80 + 2.2, "%g", v);
    cr_expect(strstr(j, "\"cost_unpriced\": [\"cost.front_door_bytes_per_request\"]"), "%s", j);
    free(j);
    /* Per-request price 0: the Standard base fee, $35, or Premium's $330,
     * and the price is listed as unpriced. */
    j = run_json(FRONT_DOOR "--set cost.front_door_per_million_requests=0");
    cr_expect(strstr(j, "\"traffic\": {\"mean\": 35, \"ci95\": [null, null]"), "%s", j);
    cr_expect(strstr(j, "\"cost.front_door_per_million_requests\""), "%s", j);
    free(j);
    j = run_json(FRONT_DOOR "--set cost.front_door_per_million_requests=0 "
                            "--set cost.front_door_tier=premium");
    cr_expect(strstr(j, "\"traffic\": {\"mean\": 330, \"ci95\": [null, null]"), "%s", j);
    free(j);
}

Test(cost, unpriced_items_are_warned_about_and_marked_in_the_table, .timeout = 120)
{
    /* Plain DNS: Azure DNS prices are not in docs/reference.md. */
    run_out r = e2e_run("run", FIXTURE " -q -n 1 --set 'traffic={kind: dns, endpoints: "
                                       "[{cluster: aks-a, priority: 1}, {cluster: aks-b, "
                                       "priority: 2}], ttl: 30s}'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "mrsim: warning: cost-by-hand: unpriced, billed at 0 (the cost is "
                            "understated): cost.dns_per_million_queries, cost.dns_zone_per_month"),
              "%s", r.err);
    /* Listed under the cost rows (wrapped at 80 columns; these fit one). */
    cr_expect(strstr(r.out, "\nunpriced, billed at 0: cost.dns_per_million_queries, "
                            "cost.dns_zone_per_month\n"),
              "%s", r.out);
    run_free(&r);
    /* Traffic Manager and priced nodes: nothing to say. */
    r = e2e_run("run", FIXTURE " -q -n 1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(!strstr(r.err, "unpriced") && !strstr(r.out, "unpriced"), "%s%s", r.err, r.out);
    run_free(&r);
}

Test(cost, the_run_rate_does_not_depend_on_the_horizon, .timeout = 120)
{
    /* An autoscaled cluster started above its need (16 nodes for 500/s)
     * scales in over its first half hour: over the whole run that start-up
     * made the month cost $1,637, $1,530 and $1,506 at 1 h, 4 h and 12 h
     * (the results issue's reproduction). The run rate bills the nodes once
     * settled, so it is the same to the cent at every horizon. */
    const char *scale = "--set 'clusters[0].nodes={count: 16, min: 1, max: 20, "
                        "usd_per_hour: 0.25}' --set clusters[0].pods.per_node=4 "
                        "--set clusters[0].pods.rps_per_pod=40 --set clients[0].rate=500/s ";
    double v[3];
    const char *horizons[] = {"1h", "4h", "12h"};
    for (int i = 0; i < 3; i++) {
        char args[512];
        snprintf(args, sizeof args, "%s--set run.horizon=%s -n 1", scale, horizons[i]);
        char *j = run_json(args);
        v[i] = field(j, "\"metrics\"", "cost_usd_month", "mean");
        free(j);
    }
    cr_expect(fabs(v[0] - v[1]) < 0.01 && fabs(v[1] - v[2]) < 0.01, "%.4f %.4f %.4f", v[0], v[1],
              v[2]);
}

Test(cost, plain_dns_bills_the_resolvers_queries_when_priced, .timeout = 120)
{
    const char *dns = "--set 'traffic={kind: dns, endpoints: [{cluster: aks-a, priority: 1}, "
                      "{cluster: aks-b, priority: 2}], ttl: 30s}' ";
    char *j = run_json(dns);
    cr_expect(strstr(j, "\"traffic\": {\"mean\": 0, \"ci95\": [null, null]"), "%s", j);
    free(j);
    /* $1 per million x 238..240 x 730 = 0.1737..0.1752, + zone 0.50 = 0.67..0.68. */
    char args[512];
    snprintf(args, sizeof args, "%s--set cost.dns_per_million_queries=1 "
                                "--set cost.dns_zone_per_month=0.5", dns);
    j = run_json(args);
    double v = field(j, "\"cost_breakdown\"", "traffic", "mean");
    cr_expect(v >= 0.5 + 238 * 730e-6 - 1e-9 && v <= 0.5 + 240 * 730e-6 + 1e-9, "%.6f", v);
    free(j);
}

Test(cost, the_results_database_holds_each_item_per_replication, .timeout = 120)
{
    char path[] = "/tmp/mrsim-cost-db-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    remove(path);
    char args[256];
    snprintf(args, sizeof args, "-n 2 --db %s", path);
    free(run_json(args));
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT count(*), min(value), max(value) FROM scalar "
                                    "WHERE component = 'cost_breakdown' AND metric = 'nodes'",
                                    -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_expect_eq(sqlite3_column_int(st, 0), 2);
    cr_expect_float_eq(sqlite3_column_double(st, 1), 839.5, 1e-9);
    cr_expect_float_eq(sqlite3_column_double(st, 2), 839.5, 1e-9);
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT count(DISTINCT metric) FROM scalar "
                                    "WHERE component = 'cost_breakdown'",
                                    -1, &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_expect_eq(sqlite3_column_int(st, 0), MR_COST_ITEM_COUNT_EXPECTED);
    sqlite3_finalize(st);
    sqlite3_close(db);
    remove(path);
}

Test(cost, a_geo_replicated_sql_store_bills_both_copies_and_its_transfer, .timeout = 120)
{
    char *j = run_json("--set 'datastores=[{name: orders, kind: sql, primary: westeurope, "
                       "replicas: [{region: northeurope}], usd_per_month: 740}]' "
                       "--set 'clients[0].mix={read: 0.9, write: 0.1}' "
                       "--set 'clients[0].uses=[orders]'");
    /* 740 for the primary + 740 for the geo-secondary (billed as a database,
     * docs/reference.md §10), billed once. */
    cr_expect(strstr(j, "\"datastores\": {\"mean\": 1480, \"ci95\": [null, null]"), "%s", j);
    /* 10 writes/s x 3600 s = 36,000 (Poisson, sd 190) x 2 KiB x 1 receiving
     * region = 73.7 MB x 730 = 53.8 GB x $0.02 = 1.08 (+- 0.03 at 5 sd). */
    double v = field(j, "\"cost_breakdown\"", "transfer", "mean");
    cr_expect(v > 1.076 - 0.03 && v < 1.076 + 0.03, "%g", v);
    free(j);
}

Test(cost, the_incident_cost_per_episode_goes_to_the_fault_that_started_last, .timeout = 120)
{
    /* The surge of the_incident_cost_is_the_failover_surge (4 nodes x
     * $0.20 an hour from the scale-out, between 30 m and 32.17 m, to the
     * 2 h horizon), with the forced SQL failover 30 m after the outage's
     * start, so at 60 m. Each moment goes to the fault that started last
     * (docs/results.md "incident cost"): weu-outage gets 60 m - the
     * scale-out, $0.80 x (60 - 32.17) / 60 = $0.3711 to $0.80 x 30 / 60 =
     * $0.40; sql-forced-failover the last hour, $0.80 exactly; one episode
     * each, and the two add up to the whole incident cost. */
    const char *ap = MRSIM_SOURCE_DIR "/tests/fixtures/good/active-passive-tm.yaml";
    char line[1024];
    snprintf(line, sizeof line,
             "%s --json -q -n 3 --set clusters[1].nodes.max=6 --set faults[1].delay=30m", ap);
    run_out r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *weu = "\"fault\": \"weu-outage\"", *sql = "\"fault\": \"sql-forced-failover\"";
    double a_lo = field(r.out, weu, "incident_cost_usd", "min");
    double a_hi = field(r.out, weu, "incident_cost_usd", "max");
    cr_expect(a_lo >= 0.3711 - 1e-9 && a_hi <= 0.40 + 1e-9, "weu-outage %.4f to %.4f", a_lo, a_hi);
    cr_expect_float_eq(field(r.out, sql, "incident_cost_usd", "min"), 0.80, 1e-9);
    cr_expect_float_eq(field(r.out, sql, "incident_cost_usd", "max"), 0.80, 1e-9);
    double total = field(r.out, "\"metrics\"", "incident_cost_usd", "mean");
    double parts = field(r.out, weu, "incident_cost_usd", "mean") +
                   field(r.out, sql, "incident_cost_usd", "mean");
    cr_expect_float_eq(parts, total, 1e-9);
    run_free(&r);
    /* Aggregate fidelity runs the same clusters: the same shares. */
    snprintf(line, sizeof line,
             "%s --json -q -n 3 --set clusters[1].nodes.max=6 --set faults[1].delay=30m "
             "--set run.fidelity=aggregate",
             ap);
    r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_float_eq(field(r.out, sql, "incident_cost_usd", "mean"), 0.80, 1e-9);
    run_free(&r);
    /* Two outages of an hour's span each (repeat every 1 h, twice, 10 m
     * long) and no other fault: the surge from the first scale-out to the
     * horizon is split between the two episodes of the one fault, so its
     * cost per episode is half the incident cost. */
    snprintf(line, sizeof line,
             "%s --json -q -n 2 --set clusters[1].nodes.max=6 "
             "--set 'faults=[{name: twice, kind: region_outage, target: westeurope, "
             "repeat: {every: 45m, count: 2}, duration: 10m}]'",
             ap);
    r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "%s", r.err);
    double per = field(r.out, "\"fault\": \"twice\"", "incident_cost_usd", "mean");
    total = field(r.out, "\"metrics\"", "incident_cost_usd", "mean");
    cr_expect(total > 0, "%g", total);
    cr_expect_float_eq(per, total / 2, 1e-9);
    run_free(&r);
}

Test(cost, the_incident_cost_is_the_failover_surge, .timeout = 120)
{
    /* tests/fixtures/good/active-passive-tm.yaml: West Europe down from
     * 30 m for 45 m; Traffic Manager (30 s probes, 3 tolerated, 10 s
     * timeout) sees it within 130 s and the failover policy scales the
     * warm standby aks-neu from 2 nodes to 6 at once; failback is manual,
     * 1 h to 24 h after recovery, so past the 2 h horizon. With max 6 the
     * autoscaler adds nothing: the incident is 4 nodes x $0.20 from the
     * scale-out to the horizon, between (120 - 32.17) / 60 h and 90 / 60 h:
     * $1.1711 to $1.20. The run rate is the settled nodes', not the surge:
     * without the fault it is the same. */
    const char *ap = MRSIM_SOURCE_DIR "/tests/fixtures/good/active-passive-tm.yaml";
    char line[1024];
    snprintf(line, sizeof line, "%s --json -q -n 3 --set clusters[1].nodes.max=6", ap);
    run_out r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "%s", r.err);
    double inc = field(r.out, "\"metrics\"", "incident_cost_usd", "mean");
    double lo = field(r.out, "\"metrics\"", "incident_cost_usd", "min");
    double hi = field(r.out, "\"metrics\"", "incident_cost_usd", "max");
    double run_rate = field(r.out, "\"metrics\"", "cost_usd_month", "mean");
    cr_expect(lo >= 1.1711 && hi <= 1.20, "incident %.4f (%.4f to %.4f)", inc, lo, hi);
    run_free(&r);
    snprintf(line, sizeof line, "%s --json -q -n 3 --set clusters[1].nodes.max=6 --set faults=[]",
             ap);
    r = e2e_run("run", line);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(field(r.out, "\"metrics\"", "incident_cost_usd", "mean"), 0);
    /* Transfer and queries are measured in normal time: within 1%. */
    double free_rate = field(r.out, "\"metrics\"", "cost_usd_month", "mean");
    cr_expect(fabs(free_rate - run_rate) < 0.01 * 50, "%.2f against %.2f", run_rate, free_rate);
    run_free(&r);
}
