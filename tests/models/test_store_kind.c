/* tests/models/test_store_kind.c: a data store kind defined here and
 * nowhere else ("teststore", a single-writer database priced by the
 * gigabyte), registered by handing the loader a kind set of the registry's
 * kinds plus this one. It proves the store family's contract
 * (docs/development.md "How to add a kind"): no file under sim/ or models/
 * knows it, yet a scenario names it, its keys bind through its own table
 * with its defaults, its check refuses what it cannot be, it runs, fails
 * over when its primary's region goes down, and is priced by its own cost
 * method. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "run/cost.h"
#include "scenario_run.h"
#include "store.h"

/* ---- The kind -------------------------------------------------------------- */

typedef struct teststore_cfg {
    mr_pstore_cfg p; /* the single-primary machinery's cfg, its store base first */
    double size_gb;
    double usd_per_gb_month;
} teststore_cfg;

static const mr_param teststore_params[] = {
    {.key = "size_gb",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(teststore_cfg, size_gb),
     .def = "100",
     .lo = 1,
     .hi = 1e6,
     .doc = "stored data",
     .ref = "ours: a test kind"},
    {.key = "usd_per_gb_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(teststore_cfg, usd_per_gb_month),
     .def = "0.5",
     .lo = 0,
     .hi = 1e3,
     .doc = "price of a stored gigabyte for a month, per copy",
     .ref = "ours: a test kind"},
    MR_STORE_PRIMARY_ROWS,
    {.key = "replication.lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(teststore_cfg, p.base.lag),
     .def = "const(2s)",
     .doc = "replication lag",
     .ref = "ours: a test kind"},
    MR_STORE_SAMPLE_ROW(teststore_cfg, p.base),
    {.key = "failover.mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(teststore_cfg, p.base.mode),
     .def = "automatic",
     .choices = mr_store_failover_mode_names,
     .doc = "automatic or manual",
     .ref = "ours: a test kind"},
    {.key = "failover.grace",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(teststore_cfg, p.base.grace),
     .def = "5m",
     .lo = 0,
     .hi = 86400 * (double)MR_S,
     .doc = "automatic mode: wait before failing over",
     .ref = "ours: a test kind"},
    MR_STORE_DECISION_ROW(teststore_cfg, p.base),
    {.key = "failover.duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(teststore_cfg, p.base.duration),
     .def = "const(10s)",
     .doc = "the switch",
     .ref = "ours: a test kind"},
    MR_PARAM_END,
};

/* One replica at most, and only where the data fits. */
static int teststore_check(void *vcfg, mr_param_ctx *ctx)
{
    const teststore_cfg *cfg = vcfg;
    if (cfg->p.base.ncopies > 2) {
        ctx->error(ctx, "replicas", "a teststore has one replica at most");
        return MR_ESCENARIO;
    }
    if (cfg->size_gb > 1000 && cfg->p.base.ncopies > 1) {
        ctx->error(ctx, "size_gb", "more than 1000 GB does not replicate");
        return MR_ESCENARIO;
    }
    return MR_OK;
}

static int teststore_init(mr_component *self, mr_diag *diag)
{
    (void)diag;
    static const mr_pstore_variant plain = {.cache = 0, .min_grace = 0};
    return mr_pstore_init(self, &plain);
}

static double teststore_cost(const void *vcfg, const mr_cost_ctx *ctx)
{
    const teststore_cfg *cfg = vcfg;
    (void)ctx;
    return cfg->size_gb * cfg->usd_per_gb_month * (double)cfg->p.base.ncopies;
}

static void teststore_sla(const void *vcfg, mr_model_sla *out)
{
    const teststore_cfg *cfg = vcfg;
    *out = (mr_model_sla){.availability = 0.9995,
                          .what = "Test store",
                          .source = "ours: a test kind",
                          .multi_region = cfg->p.base.ncopies > 1};
}

static const mr_model mr_model_teststore = {
    .kind = "teststore",
    .summary = "a database kind defined by a test",
    .params = teststore_params,
    .family = "store",
    .ops = &mr_pstore_ops,
    .cfg_size = sizeof(teststore_cfg),
    .state_size = sizeof(mr_pstore_state),
    .init = teststore_init,
    .link = mr_pstore_link,
    .start = mr_pstore_start,
    .handle = mr_pstore_handle,
    .report = mr_pstore_report,
    .event_name = mr_pstore_event_name,
    .fini = mr_pstore_fini,
    .check = teststore_check,
    .cost = teststore_cost,
    .sla = teststore_sla,
};

/* The registry's kinds and the test's. */
static const mr_model *kind_v[64];

static mr_kinds with_teststore(void)
{
    mr_kinds r = mr_model_registry();
    cr_assert_lt(r.n, 63);
    memcpy(kind_v, r.v, r.n * sizeof *kind_v);
    kind_v[r.n] = &mr_model_teststore;
    return (mr_kinds){.v = kind_v, .n = r.n + 1};
}

/* ---- The scenario -------------------------------------------------------------- */

/* Clients in North Europe, served there, write to a teststore whose primary
 * is in West Europe; West Europe goes down at 10 min for an hour. */
static const char *const scenario =
    "regions:\n"
    "  - {name: westeurope}\n"
    "  - {name: northeurope}\n"
    "rtt: {westeurope-northeurope: 20ms}\n"
    "clusters:\n"
    "  - {name: aks-neu, region: northeurope}\n"
    "traffic: {kind: traffic_manager, endpoints: [{cluster: aks-neu}]}\n"
    "resolvers: [{name: isp, count: 20}]\n"
    "clients:\n"
    "  - {name: users, origin: northeurope, rate: 100/s, mix: {write: 0.5}, uses: [orders]}\n"
    "datastores:\n"
    "  - {name: orders, kind: teststore, primary: westeurope, replicas: [northeurope]}\n"
    "faults:\n"
    "  - {name: weu-down, kind: region_outage, target: westeurope, at: 10m, duration: 1h}\n"
    "run: {horizon: 2h, replications: 4}\n";

static int load(const char *text, const char *const *sets, size_t nsets, mr_kinds kinds,
                mr_scenario **out, mr_diag *d)
{
    char *path = tsr_write(text);
    int rc = mr_scenario_load(path, sets, nsets, kinds, out, d);
    unlink(path);
    free(path);
    return rc;
}

Test(store_kind, the_registry_alone_does_not_know_it)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(load(scenario, NULL, 0, mr_model_registry(), &sc, d), MR_ESCENARIO);
    cr_assert_null(sc);
    cr_expect(strstr(mr_diag_line(d, 0), "datastores[0].kind: unknown value 'teststore'") != NULL,
              "%s", mr_diag_line(d, 0));
    mr_diag_free(d);
}

Test(store_kind, its_keys_bind_through_its_own_table_with_its_defaults)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    const char *sets[] = {"datastores[0].size_gb=250"};
    int rc = load(scenario, sets, 1, with_teststore(), &sc, d);
    cr_assert_eq(rc, MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    const mr_sc_datastore *ds = &sc->datastores[0];
    cr_assert_eq(ds->model, &mr_model_teststore);
    const teststore_cfg *cfg = ds->cfg;
    cr_expect_float_eq(cfg->size_gb, 250, 1e-12);
    cr_expect_float_eq(cfg->usd_per_gb_month, 0.5, 1e-12);
    cr_expect_eq(cfg->p.base.grace, 5 * MR_MIN);
    cr_expect_eq(cfg->p.base.mode, MR_FAILOVER_AUTOMATIC);
    cr_expect_eq(cfg->p.base.ncopies, 2);
    cr_expect_eq(cfg->p.base.copy[0], 0, "the primary: West Europe");
    cr_expect_eq(cfg->p.base.copy[1], 1, "the replica: North Europe");
    cr_expect_str_eq(mr_scenario_value(sc, "datastores[0].failover.grace"), "5m");
    mr_scenario_free(sc);
    mr_diag_free(d);
}

Test(store_kind, its_check_refuses_where_the_file_says_it)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    const char *sets[] = {"datastores[0].size_gb=5000", "datastores[0].colour=blue"};
    cr_assert_eq(load(scenario, sets, 2, with_teststore(), &sc, d), MR_ESCENARIO);
    cr_assert_eq(mr_diag_count(d), 2);
    cr_expect(strstr(mr_diag_line(d, 0),
                     "--set:1:23: error: datastores[0].size_gb: more than 1000 GB does not "
                     "replicate") != NULL,
              "%s", mr_diag_line(d, 0));
    cr_expect(strstr(mr_diag_line(d, 1), "unknown key 'colour'") != NULL, "%s",
              mr_diag_line(d, 1));
    mr_diag_free(d);
}

Test(store_kind, it_runs_fails_over_and_is_priced, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(load(scenario, NULL, 0, with_teststore(), &sc, d), MR_OK, "%s",
                 mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    /* One replication by hand: the store fails over once, when the grace
     * (5 min) after its region went down at 600 s runs out (the switch
     * then takes 10 s). */
    mr_sim *sim = NULL;
    cr_assert_eq(mr_build(sc, 11, 0, &sim, d), MR_OK);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    cr_expect_eq(mr_report_find(r, "data/orders", "failovers"), 1);
    double at = mr_report_find(r, "data/orders", "failover_at_s");
    cr_expect_float_eq(at, 600 + 300, 1e-6, "failover at %.9f", at);
    /* Its own price: 100 GB x $0.5 x 2 copies. */
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(sc, r, items, NULL, NULL);
    cr_expect_float_eq(items[MR_COST_DATASTORES], 100, 1e-9);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);

    /* Every replication through the runner: a forced failover loses the
     * writes of the last 2 s (the constant lag), so RPO is about 2 s, and
     * the writes lost about 50 writes/s x 2 s. */
    mr_result res;
    mr_run_opts opts = {.replications = 4, .jobs = 2};
    cr_assert_eq(mr_run_scenario(sc, &opts, &res, d), MR_OK);
    cr_assert_eq(res.nstores, 1);
    cr_expect_str_eq(res.stores[0].kind, "teststore");
    const mr_summary *rpo = &res.metrics[MR_METRIC_RPO_S];
    cr_expect(rpo->mean > 1.9 && rpo->mean <= 2.0 + 1e-9, "RPO %g", rpo->mean);
    const mr_summary *lost = &res.metrics[MR_METRIC_LOST_WRITES];
    cr_expect(lost->mean > 60 && lost->mean < 140, "lost %g", lost->mean);
    cr_expect_float_eq(res.cost_breakdown[MR_COST_DATASTORES].mean, 100, 1e-9);
    mr_result_fini(&res);
    mr_scenario_free(sc);
    mr_diag_free(d);
}
