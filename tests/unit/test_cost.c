/* tests/unit/test_cost.c: each item of mr_cost_month on a scenario built by
 * hand and a report written by hand (the scalars of cost.h's convention,
 * each added as the component id the builder gives its part would add it),
 * each figure computed in the comments; and the cost: defaults as the
 * binder fills them, against docs/reference.md §10. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run/build.h"
#include "run/cost.h"
#include "mrsim/model.h"
#include "store.h"
#include "traffic.h"
#include "mrsim/error.h"
#include "mrsim/report.h"

#define CENT 0.005

/* Two clusters (3 nodes at $0.25/h, 2 at $0.20/h), Traffic Manager with 2
 * endpoints probed every 30 s, one simulated hour, the §10 default prices. */
typedef struct fixture {
    mr_scenario sc;
    mr_sc_cluster clusters[2];
    mr_sc_endpoint endpoints[2];
    mr_sc_datastore stores[3];
    mr_sc_resolver resolvers[2];
    mr_sc_client clients[1];
    mr_sc_replica replica;
    size_t regions2[2];
    /* The traffic layer's cfg of each kind (the one in use is sc.traffic.cfg). */
    mr_tm_cfg tm;
    mr_fd_cfg fd;
    mr_dns_cfg dns;
    mr_report *r;
} fixture;

/* Adds a scalar as component id source's report slot would. */
static void add_from(mr_report *r, uint32_t source, const char *name, const char *metric,
                     double value)
{
    mr_report_set_source(r, source);
    mr_report_scalar(r, name, metric, value);
    mr_report_set_source(r, MR_REPORT_NO_SOURCE);
}

/* Makes the traffic layer of f the kind `kind`, with its cfg in f. */
static void use_traffic(fixture *f, const char *kind)
{
    f->sc.traffic.model = mr_model_find(kind);
    f->sc.traffic.cfg = strcmp(kind, "front_door") == 0 ? (void *)&f->fd
                        : strcmp(kind, "dns") == 0      ? (void *)&f->dns
                                                        : (void *)&f->tm;
}

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->clusters[0] = (mr_sc_cluster){.name = "aks-a", .nodes = {.count = 3, .usd_per_hour = 0.25}};
    f->clusters[1] = (mr_sc_cluster){.name = "aks-b", .nodes = {.count = 2, .usd_per_hour = 0.20}};
    mr_scenario *sc = &f->sc;
    sc->run.horizon = 3600 * MR_S;
    sc->clusters = f->clusters;
    sc->nclusters = 2;
    sc->traffic.endpoints = f->endpoints;
    sc->traffic.nendpoints = 2;
    f->tm = (mr_tm_cfg){.base = {.n = 2}, .interval = 30 * MR_S};
    use_traffic(f, "traffic_manager");
    sc->cost = (mr_sc_cost){.currency = "USD",
                            .hours_per_month = 730,
                            .egress_per_gb = 0.02,
                            .bytes_per_write = 2048,
                            .aks_tier = MR_AKS_TIER_STANDARD,
                            .aks_standard_per_hour = 0.10,
                            .tm_per_million_queries = 0.54,
                            .tm_per_endpoint_month = 0.36,
                            .tm_fast_probe_per_endpoint_month = 1.20,
                            .front_door_tier = MR_FD_TIER_STANDARD,
                            .front_door_standard_per_month = 35,
                            .front_door_premium_per_month = 330,
                            .cosmos_per_100rus_hour = 0.008,
                            .cosmos_multi_write_per_100rus_hour = 0.016};
    /* Two resolver pools, so that their ids are those of a real layout. */
    f->resolvers[0] = (mr_sc_resolver){.name = "isp-eu", .count = 1};
    f->resolvers[1] = (mr_sc_resolver){.name = "isp-us", .count = 1};
    sc->resolvers = f->resolvers;
    sc->nresolvers = 2;
    f->clients[0] = (mr_sc_client){.name = "users"};
    sc->clients = f->clients;
    sc->nclients = 1;
    f->r = mr_report_new();
    add_from(f->r, mr_build_cluster_id(sc, 0), "clusters/aks-a", "node_hours", 3);
    add_from(f->r, mr_build_cluster_id(sc, 1), "clusters/aks-b", "node_hours", 2);
}

static double item(fixture *f, mr_cost_item i)
{
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(&f->sc, f->r, items, NULL, NULL);
    return items[i];
}

Test(cost, item_names)
{
    cr_assert_str_eq(mr_cost_item_name(MR_COST_NODES), "nodes");
    cr_assert_str_eq(mr_cost_item_name(MR_COST_CLUSTER_FEES), "cluster_fees");
    cr_assert_str_eq(mr_cost_item_name(MR_COST_DATASTORES), "datastores");
    cr_assert_str_eq(mr_cost_item_name(MR_COST_ITEM_COUNT), "?");
}

Test(cost, nodes_are_node_hours_times_price_scaled_to_the_month)
{
    fixture f;
    setup(&f);
    /* (3 x 0.25 + 2 x 0.20) x 730 / 1 h = 839.50 */
    cr_expect_float_eq(item(&f, MR_COST_NODES), 839.50, CENT);
    /* The same node-hours over 2 h are half the rate: 419.75. */
    f.sc.run.horizon = 7200 * MR_S;
    cr_expect_float_eq(item(&f, MR_COST_NODES), 419.75, CENT);
    /* A failover surge: aks-b ran 2 nodes for 1 h and 6 for 1 h (8 node-hours)
     * over 2 h: (6 x 0.25 + 8 x 0.20) x 365 = 3.1 x 365 = 1131.50. */
    mr_report_free(f.r);
    f.r = mr_report_new();
    add_from(f.r, mr_build_cluster_id(&f.sc, 0), "clusters/aks-a", "node_hours", 6);
    add_from(f.r, mr_build_cluster_id(&f.sc, 1), "clusters/aks-b", "node_hours", 8);
    cr_expect_float_eq(item(&f, MR_COST_NODES), 1131.50, CENT);
    mr_report_free(f.r);
}

Test(cost, a_cluster_that_reports_no_node_hours_makes_nodes_null_not_zero)
{
    fixture f;
    setup(&f);
    mr_report_free(f.r);
    f.r = mr_report_new();
    add_from(f.r, mr_build_cluster_id(&f.sc, 0), "clusters/aks-a", "node_hours", 3);
    double items[MR_COST_ITEM_COUNT];
    cr_expect(isnan(item(&f, MR_COST_NODES)));
    cr_expect(isnan(mr_cost_month(&f.sc, f.r, items, NULL, NULL)));
    mr_report_free(f.r);
}

Test(cost, cluster_fees_follow_the_tier)
{
    fixture f;
    setup(&f);
    /* Standard: 2 clusters x 0.10 x 730 = 146.00, whatever the horizon. */
    cr_expect_float_eq(item(&f, MR_COST_CLUSTER_FEES), 146.00, CENT);
    f.sc.run.horizon = 600 * MR_S;
    cr_expect_float_eq(item(&f, MR_COST_CLUSTER_FEES), 146.00, CENT);
    f.sc.cost.aks_standard_per_hour = 0.2;
    cr_expect_float_eq(item(&f, MR_COST_CLUSTER_FEES), 292.00, CENT);
    f.sc.cost.aks_tier = MR_AKS_TIER_FREE;
    cr_expect_float_eq(item(&f, MR_COST_CLUSTER_FEES), 0, 1e-12);
    mr_report_free(f.r);
}

Test(cost, traffic_manager_bills_the_resolvers_refreshes_and_the_endpoints)
{
    fixture f;
    setup(&f);
    /* Nothing refreshed: the health checks alone, 2 x 0.36 = 0.72. */
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 0.72, 1e-9);
    /* 1000 + 500 refreshes in 1 h: 1500 x 730 = 1,095,000 a month x 0.54e-6
     * = 0.5913; + 0.72 = 1.3113. Other components' refreshes do not count,
     * whatever name they give (the cost finds its parts by id). */
    add_from(f.r, mr_build_resolver_id(&f.sc, 0), "resolvers/isp-eu", "refreshes_normal", 1000);
    add_from(f.r, mr_build_resolver_id(&f.sc, 1), "resolvers/isp-us", "refreshes_normal", 500);
    add_from(f.r, mr_build_cluster_id(&f.sc, 0), "resolvers/isp-eu", "refreshes_normal", 1e9);
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 1.3113, 1e-9);
    /* Fast probing (10 s): 2 x 1.20 more = 3.7113. */
    f.tm.interval = 10 * MR_S;
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 3.7113, 1e-9);
    mr_report_free(f.r);
}

Test(cost, front_door_bills_its_tier_and_requests_when_priced)
{
    fixture f;
    setup(&f);
    use_traffic(&f, "front_door");
    add_from(f.r, mr_build_resolver_id(&f.sc, 0), "resolvers/isp-eu", "refreshes_normal", 1e6); /* no DNS answer to bill */
    /* No request reported yet: the base fee. */
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 35, 1e-9);
    f.sc.cost.front_door_tier = MR_FD_TIER_PREMIUM;
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 330, 1e-9);
    /* The clients' 1e6 requests in 1 h (every one goes through the edge;
     * the layer's own count, which may be its routing decisions at
     * aggregate fidelity, does not count): 730e6 a month; x $0.50 per
     * million = 365; x 1000 bytes = 730 GB x $0.10 = 73. 330 + 365 + 73 = 768. */
    add_from(f.r, mr_build_population_id(&f.sc, 0), "users", "requests_normal", 1e6);
    add_from(f.r, mr_build_traffic_id(&f.sc), "traffic", "requests", 5e9);
    f.sc.cost.front_door_per_million_requests = 0.5;
    f.sc.cost.front_door_bytes_per_request = 1000;
    f.sc.cost.front_door_per_gb = 0.1;
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 768, 1e-6);
    mr_report_free(f.r);
}

Test(cost, plain_dns_is_free_until_priced)
{
    fixture f;
    setup(&f);
    use_traffic(&f, "dns");
    add_from(f.r, mr_build_resolver_id(&f.sc, 0), "resolvers/isp-eu", "refreshes_normal", 2000);
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 0, 1e-12);
    /* 2000 x 730 = 1.46e6 queries x $0.40 per million = 0.584; + zone 0.50. */
    f.sc.cost.dns_per_million_queries = 0.40;
    f.sc.cost.dns_zone_per_month = 0.50;
    cr_expect_float_eq(item(&f, MR_COST_TRAFFIC), 1.084, 1e-9);
    mr_report_free(f.r);
}

Test(cost, transfer_is_a_real_zero_without_stores_and_bills_replicated_writes)
{
    fixture f;
    setup(&f);
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(&f.sc, f.r, items, NULL, NULL);
    cr_expect(!isnan(items[MR_COST_TRANSFER]));
    cr_expect_eq(items[MR_COST_TRANSFER], 0);
    cr_expect_eq(items[MR_COST_DATASTORES], 0);
    /* 1e6 writes of 2 KiB shipped in 1 h = 2.048e9 B = 2.048 GB x $0.02 x 730
     * = 29.9008; a second store's 1.024e9 B adds half: 44.8512. */
    f.stores[0] = (mr_sc_datastore){.name = "orders"};
    f.stores[1] = (mr_sc_datastore){.name = "catalog"};
    f.sc.datastores = f.stores;
    f.sc.ndatastores = 2;
    add_from(f.r, mr_build_store_id(&f.sc, 0), "data/orders", "replicated_bytes_normal", 1e6 * 2048);
    cr_expect_float_eq(item(&f, MR_COST_TRANSFER), 29.9008, 1e-9);
    add_from(f.r, mr_build_store_id(&f.sc, 1), "data/catalog", "replicated_bytes_normal", 0.5e6 * 2048);
    cr_expect_float_eq(item(&f, MR_COST_TRANSFER), 44.8512, 1e-9);
    mr_report_free(f.r);
}

Test(cost, datastores_price_instances_replicas_and_cosmos_throughput)
{
    fixture f;
    setup(&f);
    /* Each kind prices itself from its cfg (mr_model.cost). sql at $740
     * with one geo-secondary: billed twice, 1480. */
    mr_pstore_cfg sql = {.base = {.ncopies = 2, .writable = {1}}, .usd_per_month = 740};
    f.stores[0] = (mr_sc_datastore){.name = "orders", .model = mr_model_find("sql"), .cfg = &sql};
    /* cosmos 10,000 RU/s in 2 regions, one write region: 100 x 0.008 x 730 x
     * 2 = 1168 (§10's example: $584 a month per region). */
    mr_cosmos_cfg cosmos = {.base = {.ncopies = 2, .writable = {1, 0}}, .ru_per_s = 10000};
    f.stores[1] =
        (mr_sc_datastore){.name = "catalog", .model = mr_model_find("cosmos"), .cfg = &cosmos};
    /* blob at $50: the redundancy option's price includes the copies. */
    mr_pstore_cfg blob = {.base = {.ncopies = 2, .writable = {1}}, .usd_per_month = 50};
    f.stores[2] = (mr_sc_datastore){.name = "files", .model = mr_model_find("blob"), .cfg = &blob};
    f.sc.datastores = f.stores;
    f.sc.ndatastores = 3;
    cr_expect_float_eq(item(&f, MR_COST_DATASTORES), 1480 + 1168 + 50, 1e-9);
    /* Multi-region writes: 100 x 0.016 x 730 x 2 = 2336 (§10's example). */
    cosmos.base.writable[1] = 1;
    cr_expect_float_eq(item(&f, MR_COST_DATASTORES), 1480 + 2336 + 50, 1e-9);
    /* Another component's own cost_usd_month adds; the runner's
     * whole-system one, added outside any component's slot, is the metric
     * itself and does not. */
    add_from(f.r, 99, "dependencies/fw", "cost_usd_month", 7.5);
    mr_report_scalar(f.r, "", "cost_usd_month", 1e6);
    cr_expect_float_eq(item(&f, MR_COST_DATASTORES), 1480 + 2336 + 50 + 7.5, 1e-9);
    /* A store that reports its own cost is not priced again from the
     * scenario: orders' 1480 gives way to its 1500. */
    add_from(f.r, mr_build_store_id(&f.sc, 0), "data/orders", "cost_usd_month", 1500);
    cr_expect_float_eq(item(&f, MR_COST_DATASTORES), 1500 + 2336 + 50 + 7.5, 1e-9);
    mr_report_free(f.r);
}

Test(cost, the_total_is_the_sum_of_the_items)
{
    fixture f;
    setup(&f);
    add_from(f.r, mr_build_resolver_id(&f.sc, 1), "resolvers/isp-us", "refreshes_normal", 240);
    double items[MR_COST_ITEM_COUNT];
    double total = mr_cost_month(&f.sc, f.r, items, NULL, NULL);
    double sum = 0;
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        sum += items[i];
    cr_expect_eq(total, sum);
    /* 839.50 + 146 + (0.72 + 240 x 730 x 0.54e-6 = 0.814608) = 986.314608 */
    cr_expect_float_eq(total, 986.314608, 1e-9);
    mr_report_free(f.r);
}

Test(cost, the_run_rate_is_normal_time_and_the_incident_cost_what_episodes_added)
{
    fixture f;
    setup(&f);
    /* 2 h simulated, a fault in force for 0.5 h of them: 1.5 h of normal
     * time (the injector's clock). aks-a: settled through the normal time
     * at 3 nodes (4.5 node-hours); aks-b, a standby at 2 nodes scaled out
     * to 6 for the fault and 0.25 h after it (0.75 h at 6 = 4.5
     * node-hours), settled at 2 in the other 1.25 h (2.5 node-hours). */
    f.sc.run.horizon = 7200 * MR_S;
    uint32_t faults = mr_build_faults_id(&f.sc);
    add_from(f.r, faults, "faults", "normal_hours", 1.5);
    add_from(f.r, faults, "faults", "incident_hours", 0.5);
    uint32_t a = mr_build_cluster_id(&f.sc, 0), b = mr_build_cluster_id(&f.sc, 1);
    add_from(f.r, a, "clusters/aks-a", "run_node_hours", 4.5);
    add_from(f.r, a, "clusters/aks-a", "run_hours", 1.5);
    add_from(f.r, a, "clusters/aks-a", "incident_node_hours", 1.5);
    add_from(f.r, a, "clusters/aks-a", "incident_hours", 0.5);
    add_from(f.r, b, "clusters/aks-b", "run_node_hours", 2.5);
    add_from(f.r, b, "clusters/aks-b", "run_hours", 1.25);
    add_from(f.r, b, "clusters/aks-b", "incident_node_hours", 4.5);
    add_from(f.r, b, "clusters/aks-b", "incident_hours", 0.75);
    /* Run rate: 3 and 2 nodes, (3 x 0.25 + 2 x 0.20) x 730 = 839.50, as
     * over a fault-free hour (setup's node_hours are not read when the
     * clusters say how long they were settled). Incident: aks-a none
     * (its 1.5 node-hours in 0.5 h are its 3 nodes); aks-b (4.5 - 2 x 0.75) x 0.20 = 0.60. */
    double items[MR_COST_ITEM_COUNT], incident = -1;
    mr_cost_month(&f.sc, f.r, items, &incident, NULL);
    cr_expect_float_eq(items[MR_COST_NODES], 839.50, 1e-9);
    cr_expect_float_eq(incident, 0.60, 1e-12);
    /* Usage counted in normal time is scaled from its 1.5 h: 1500
     * refreshes -> 1000 an hour, x 730 x 0.54e-6 = 0.3942, + 0.72. */
    add_from(f.r, mr_build_resolver_id(&f.sc, 0), "resolvers/isp-eu", "refreshes_normal", 1500);
    mr_cost_month(&f.sc, f.r, items, &incident, NULL);
    cr_expect_float_eq(items[MR_COST_TRAFFIC], 0.72 + 0.3942, 1e-12);
    mr_report_free(f.r);
}

Test(cost, what_nobody_priced_is_listed)
{
    fixture f;
    setup(&f);
    mr_cost_unpriced u;
    /* Traffic Manager and two priced clusters, no store: nothing. */
    mr_cost_unpriced_list(&f.sc, &u);
    cr_expect_eq(u.n, 0);
    /* A cluster without a node price; SQL with no instance price (§10 "not
     * found"); plain DNS, whose prices are not in §10. */
    f.clusters[1].nodes.usd_per_hour = 0;
    mr_pstore_cfg sql = {.base = {.ncopies = 2, .writable = {1}}};
    f.stores[0] = (mr_sc_datastore){.name = "orders", .model = mr_model_find("sql"), .cfg = &sql};
    f.sc.datastores = f.stores;
    f.sc.ndatastores = 1;
    use_traffic(&f, "dns");
    mr_cost_unpriced_list(&f.sc, &u);
    const char *want[] = {"clusters[aks-b].nodes.usd_per_hour", "cost.dns_per_million_queries",
                          "cost.dns_zone_per_month", "datastores[orders].usd_per_month"};
    cr_assert_eq(u.n, 4);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(u.item[i], want[i]);
    /* Priced, they leave the list; Front Door bills edge egress only when
     * told the bytes per request. */
    f.clusters[1].nodes.usd_per_hour = 0.2;
    sql.usd_per_month = 740;
    f.sc.cost.front_door_per_million_requests = 1;
    f.sc.cost.front_door_per_gb = 0.083;
    use_traffic(&f, "front_door");
    mr_cost_unpriced_list(&f.sc, &u);
    cr_assert_eq(u.n, 1);
    cr_expect_str_eq(u.item[0], "cost.front_door_bytes_per_request");
    mr_report_free(f.r);
}

Test(cost, defaults_are_reference_md_s10)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(MRSIM_SOURCE_DIR "/tests/fixtures/run/cost.yaml", NULL, 0, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    const mr_sc_cost *c = &sc->cost;
    cr_expect_eq(c->aks_tier, MR_AKS_TIER_STANDARD);
    cr_expect_float_eq(c->aks_standard_per_hour, 0.10, 1e-12);
    cr_expect_float_eq(c->tm_per_million_queries, 0.54, 1e-12);
    cr_expect_float_eq(c->tm_per_endpoint_month, 0.36, 1e-12);
    cr_expect_float_eq(c->tm_fast_probe_per_endpoint_month, 1.20, 1e-12);
    cr_expect_eq(c->front_door_tier, MR_FD_TIER_STANDARD);
    cr_expect_float_eq(c->front_door_standard_per_month, 35, 1e-12);
    cr_expect_float_eq(c->front_door_premium_per_month, 330, 1e-12);
    /* §10's approximate third-party rows, the upper bounds. */
    cr_expect_float_eq(c->front_door_per_million_requests, 1.00, 1e-12);
    cr_expect_float_eq(c->front_door_per_gb, 0.083, 1e-12);
    cr_expect_eq(c->front_door_bytes_per_request, 0);
    cr_expect_eq(c->dns_per_million_queries, 0);
    cr_expect_eq(c->dns_zone_per_month, 0);
    cr_expect_float_eq(c->cosmos_per_100rus_hour, 0.008, 1e-12);
    cr_expect_float_eq(c->cosmos_multi_write_per_100rus_hour, 0.016, 1e-12);
    cr_expect_str_eq(mr_scenario_value(sc, "cost.aks_tier"), "standard");
    mr_scenario_free(sc);
    mr_diag_free(d);
}

Test(cost, a_bad_tier_is_refused_with_its_choices)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    const char *sets[] = {"cost.aks_tier=gold", "cost.front_door_tier=premium"};
    int rc = mr_scenario_load(MRSIM_SOURCE_DIR "/tests/fixtures/run/cost.yaml", sets, 2, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_ESCENARIO);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect(strstr(mr_diag_line(d, 0), "gold") && strstr(mr_diag_line(d, 0), "standard"), "%s",
              mr_diag_line(d, 0));
    mr_diag_free(d);
}
