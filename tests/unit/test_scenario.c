/* tests/unit/test_scenario.c: the scenario binder: good files bind to the
 * values written and to the documented defaults, --set and extends/set:
 * override with their own marks, every problem is reported at once, and
 * mr_scenario_each_value lists every resolved parameter. The bad-file corpus
 * (tests/fixtures/bad) is checked through the program by e2e/test_validate.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrsim/diag.h"
#include "mrsim/model.h"
#include "store.h"
#include "traffic.h"
#include "mrsim/error.h"
#include "config/scenario.h"

#define GOOD(name) MRSIM_SOURCE_DIR "/tests/fixtures/good/" name

static mr_scenario *load_ok(const char *path, const char *const *sets, size_t nsets)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK, "%s did not load", path);
    cr_assert_eq(mr_diag_count(d), 0);
    cr_assert_not_null(sc);
    mr_diag_free(d);
    return sc;
}

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/mrsim-scenario-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

#define MINIMAL                                                                                    \
    "regions:\n"                                                                                   \
    "  - {name: westeurope}\n"                                                                     \
    "clusters:\n"                                                                                  \
    "  - {name: aks-weu, region: westeurope}\n"                                                    \
    "traffic: {}\n"                                                                                \
    "clients:\n"                                                                                   \
    "  - {name: users}\n"

Test(scenario, the_scenario_md_example_binds_to_what_it_says)
{
    mr_scenario *sc = load_ok(GOOD("active-passive-tm.yaml"), NULL, 0);
    cr_expect_str_eq(sc->name, "active-passive-tm");
    cr_expect_eq(sc->seed, 42);
    cr_expect_eq(sc->nlabels, 2);
    cr_expect_str_eq(sc->labels[1].value, "traffic-manager");
    cr_expect_eq(sc->run.horizon, 2 * MR_H);
    cr_expect_eq(sc->run.warmup, 5 * MR_MIN);
    cr_expect_eq(sc->run.replications, 200);
    cr_expect_not(sc->run.adaptive);
    cr_expect_eq(sc->run.fidelity, MR_FIDELITY_REQUEST);

    cr_assert_eq(sc->nregions, 2);
    cr_expect_str_eq(sc->regions[1].name, "northeurope");
    cr_expect_eq(sc->rtt[0 * 2 + 1], 18 * MR_MS);
    cr_expect_eq(sc->rtt[1 * 2 + 0], 18 * MR_MS);
    cr_expect_eq(sc->rtt[0], 1 * MR_MS, "rtt.local defaults to 1ms");

    cr_assert_eq(sc->ndependencies, 2);
    cr_expect_str_eq(sc->dependencies[1].model->kind, "registry");
    cr_expect_eq(sc->dependencies[1].region, 0);
    cr_expect_eq(sc->dependencies[0].region, MR_SC_NONE);
    cr_expect_eq(sc->dependencies[1].needed_for, MR_NEEDED_FOR_POD_START);
    cr_expect_eq(sc->dependencies[0].used_by.n, 2);

    cr_assert_eq(sc->nclusters, 2);
    const mr_sc_cluster *c = &sc->clusters[1];
    cr_expect_str_eq(c->name, "aks-neu");
    cr_expect_eq(c->region, 1);
    cr_expect_eq(c->role, MR_ROLE_STANDBY);
    cr_expect_eq(c->standby, MR_STANDBY_WARM);
    cr_expect_eq(c->nzones, 3);
    cr_expect_eq(c->zones[2], 3);
    cr_expect_eq(c->nodes.count, 2);
    cr_expect_eq(c->nodes.max, 20);
    cr_expect_str_eq(c->nodes.sku, "Standard_D4s_v5");
    cr_expect_float_eq(c->nodes.usd_per_hour, 0.20, 1e-12);
    cr_expect_eq(c->pods.per_node, 4);
    cr_expect_eq(c->pods.startup.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(c->pods.startup.a, 20e9, 1);
    cr_expect_eq(c->service_time.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(c->service_time.a, 25e6, 1);
    cr_expect_float_eq(c->autoscaler.target_utilization, 0.7, 1e-12);
    cr_expect_str_eq(c->ingress.model->kind, "agc");
    cr_expect_eq(((const mr_ingress_cfg *)c->ingress.cfg)->latency, 2 * MR_MS);
    cr_expect_eq(sc->clusters[0].standby, MR_STANDBY_HOT);

    const mr_sc_traffic *t = &sc->traffic;
    cr_expect_str_eq(t->model->kind, "traffic_manager");
    cr_assert_eq(t->nendpoints, 2);
    cr_expect_eq(t->endpoints[1].cluster, 1);
    cr_expect_eq(t->endpoints[1].priority, 2);
    /* The kind's keys, bound through its table into its cfg. */
    const mr_tm_cfg *tm = t->cfg;
    cr_expect_eq(tm->routing, MR_ROUTING_PRIORITY);
    cr_expect_eq(tm->base.n, 2);
    cr_expect_eq(tm->base.priority[1], 2);
    cr_expect_eq(tm->interval, 30 * MR_S);
    cr_expect_eq(tm->timeout, 10 * MR_S);
    cr_expect_eq(tm->tolerated, 3);
    cr_expect_eq(tm->ttl, 30 * MR_S);

    cr_assert_eq(sc->nresolvers, 1);
    const mr_sc_resolver *r = &sc->resolvers[0];
    cr_expect_eq(r->count, 1000);
    cr_assert_eq(r->npolicies, 3);
    cr_expect_eq(r->policies[1].mode, MR_TTL_FLOOR);
    cr_expect_eq(r->policies[1].min_ttl, 300 * MR_S);
    cr_expect_eq(r->policies[2].hold.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(r->policies[2].hold.b, 1.2, 1e-12);

    cr_assert_eq(sc->nclients, 1);
    const mr_sc_client *cl = &sc->clients[0];
    cr_expect_eq(cl->origin, 0);
    cr_expect_eq(cl->resolver, 0);
    cr_expect_eq(cl->runtime_cache, MR_CACHE_NONE);
    cr_expect_float_eq(cl->rate, 400, 1e-9);
    cr_expect_eq(cl->profile.kind, MR_PROFILE_CONST);
    cr_expect_float_eq(cl->read, 0.9, 1e-12);
    cr_expect_float_eq(cl->write, 0.1, 1e-12);
    cr_expect_eq(cl->timeout, 2 * MR_S);
    cr_expect_eq(cl->retry.attempts, 2);
    cr_expect_eq(cl->retry.backoff.kind, MR_DIST_EXPONENTIAL);
    cr_expect_eq(cl->uses.n, 1);
    cr_expect_eq(cl->stamp, MR_SC_NONE);

    cr_assert_eq(sc->ndatastores, 1);
    const mr_sc_datastore *d = &sc->datastores[0];
    cr_expect_str_eq(d->model->kind, "sql");
    cr_expect_eq(d->primary, 0);
    cr_assert_eq(d->nreplicas, 1);
    cr_expect_eq(d->replicas[0].region, 1);
    cr_expect(d->replicas[0].readable);
    /* The kind's keys, bound through its table into its cfg. */
    const mr_pstore_cfg *sql = d->cfg;
    cr_expect_eq(sql->base.ncopies, 2);
    cr_expect_eq(sql->base.copy[1], 1);
    cr_expect_eq(sql->base.readable[1], 1);
    cr_expect_eq(sql->base.lag.kind, MR_DIST_LOGNORMAL);
    cr_expect_eq(sql->base.hold.kind, MR_DIST_CONST);
    cr_expect_float_eq(sql->base.hold.a, 1e9, 1e-6, "hold: const(1s)");
    cr_expect_eq(sql->base.mode, MR_FAILOVER_AUTOMATIC);
    cr_expect_eq(sql->base.grace, MR_H);
    cr_expect_eq(sql->route_ttl, 30 * MR_S);
    cr_expect_float_eq(sql->usd_per_month, 740, 1e-9);

    cr_assert_eq(sc->nfaults, 2);
    const mr_sc_fault *f = &sc->faults[0];
    cr_expect_eq(f->kind, MR_FAULT_REGION_OUTAGE);
    cr_expect_str_eq(mr_fault_kind_name(f->kind), "region_outage");
    cr_expect_eq(f->target.kind, MR_TARGET_REGION);
    cr_expect_not(f->target.selector);
    cr_expect_eq(f->target.index, 0);
    cr_expect_eq(f->timing, MR_TIMING_AT);
    cr_expect_float_eq(f->at.a, 30 * 60e9, 1);
    cr_expect_float_eq(f->duration.a, 45 * 60e9, 1);
    cr_expect_eq(f->expect_rto, 5 * MR_MIN);
    cr_expect_eq(f->expect_rpo, 5 * MR_S);
    cr_expect_float_eq(f->severity, 1, 1e-12);
    f = &sc->faults[1];
    cr_expect_eq(f->kind, MR_FAULT_DATASTORE_FAILOVER);
    cr_expect_eq(f->timing, MR_TIMING_AFTER);
    cr_expect_eq(f->after, 0);
    cr_expect_eq(f->delay.kind, MR_DIST_TRIANGULAR);
    cr_expect_eq(f->failover_mode, MR_FAILOVER_PARAM_FORCED);
    cr_expect_eq(f->nparams, 1);

    cr_expect(sc->failover.present);
    cr_expect_eq(sc->failover.trigger, MR_TRIGGER_PROBES);
    cr_assert_eq(sc->failover.nactions, 2);
    cr_expect_not(sc->failover.actions[0].promote);
    cr_expect_eq(sc->failover.actions[0].target, 1);
    cr_expect_eq(sc->failover.actions[0].to, 6);
    cr_expect(sc->failover.actions[1].promote);
    cr_expect_eq(sc->failover.failback, MR_FAILBACK_MANUAL);

    cr_expect_eq(sc->slo.window, 10 * MR_S);
    cr_expect_float_eq(sc->slo.success_target, 0.99, 1e-12);
    cr_expect_float_eq(sc->slo.targets.availability, 0.9995, 1e-12);
    cr_expect_eq(sc->slo.targets.latency_p99, 400 * MR_MS);
    cr_expect_eq(sc->slo.steady_state.rto, MR_SC_UNSET, "absent targets are -1");
    cr_expect(isnan(sc->slo.steady_state.availability) == 0);

    cr_expect_str_eq(sc->cost.currency, "USD");
    cr_expect_float_eq(sc->cost.bytes_per_write, 2048, 1e-9);
    mr_scenario_free(sc);
}

Test(scenario, a_minimal_file_gets_every_documented_default)
{
    mr_scenario *sc = load_ok(GOOD("minimal.yaml"), NULL, 0);
    cr_expect_str_eq(sc->name, "minimal", "the file's base name");
    cr_expect_str_eq(sc->description, "");
    cr_expect_eq(sc->seed, 1);
    cr_expect_eq(sc->run.horizon, MR_H);
    cr_expect_eq(sc->run.warmup, 0);
    cr_expect_eq(sc->run.replications, 30);
    cr_expect_eq(sc->regions[0].zones, 3);
    cr_expect_eq(sc->rtt[0], MR_MS);
    const mr_sc_cluster *c = &sc->clusters[0];
    cr_expect_eq(c->role, MR_ROLE_ACTIVE);
    cr_expect_eq(c->nodes.count, 3);
    cr_expect_eq(c->nodes.min, 3);
    cr_expect_eq(c->nodes.max, 3);
    cr_expect_float_eq(c->nodes.usd_per_hour, 0.192, 1e-12);
    cr_expect_eq(c->nzones, 3);
    cr_expect_eq(c->autoscaler.node_provision.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(c->autoscaler.node_provision.a, 300e9, 1);
    /* Traffic Manager with docs/reference.md §1's defaults, one endpoint per cluster. */
    const mr_sc_traffic *t = &sc->traffic;
    cr_expect_str_eq(t->model->kind, "traffic_manager");
    const mr_tm_cfg *tm = t->cfg;
    cr_expect_eq(tm->ttl, 30 * MR_S);
    cr_expect_eq(tm->interval, 30 * MR_S);
    cr_expect_eq(tm->timeout, 10 * MR_S);
    cr_expect_eq(tm->tolerated, 3);
    cr_assert_eq(t->nendpoints, 1);
    cr_expect_eq(t->endpoints[0].priority, 1);
    cr_expect_eq(t->endpoints[0].weight, 50);
    /* One implicit resolver population with docs/reference.md §4's mixture. */
    cr_assert_eq(sc->nresolvers, 1);
    const mr_sc_resolver *r = &sc->resolvers[0];
    cr_expect(r->implicit);
    cr_expect_str_eq(r->name, "default");
    cr_assert_eq(r->npolicies, 2);
    cr_expect_float_eq(r->policies[0].share, 0.9, 1e-12);
    cr_expect_eq(r->policies[0].mode, MR_TTL_HONOR);
    cr_expect_float_eq(r->policies[1].share, 0.1, 1e-12);
    cr_expect_eq(r->policies[1].mode, MR_TTL_EXTRA);
    cr_expect_eq(r->policies[1].hold.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(r->policies[1].hold.a, 300e9, 1);
    cr_expect_float_eq(r->policies[1].hold.b, 1.0, 1e-12);
    const mr_sc_client *cl = &sc->clients[0];
    cr_expect_eq(cl->resolver, 0);
    cr_expect_eq(cl->origin, 0);
    cr_expect_float_eq(cl->rate, 100, 1e-9);
    cr_expect_eq(cl->retry.attempts, 1);
    cr_expect_float_eq(cl->read + cl->write, 1, 1e-12);
    cr_expect_not(sc->failover.present);
    cr_expect(isnan(sc->slo.targets.availability));
    cr_expect_eq(sc->slo.targets.rto, MR_SC_UNSET);
    cr_expect_float_eq(sc->cost.hours_per_month, 730, 1e-9);
    cr_expect_float_eq(sc->cost.egress_per_gb, 0.02, 1e-12);
    cr_expect_eq(sc->nfaults, 0);
    cr_expect_eq(sc->ndatastores, 0);
    mr_scenario_free(sc);
}

Test(scenario, front_door_cosmos_selectors_variants_and_sweep)
{
    mr_scenario *sc = load_ok(GOOD("active-active-fd.yaml"), NULL, 0);
    cr_expect(sc->run.adaptive);
    cr_expect_eq(sc->run.rep_min, 20);
    cr_expect_eq(sc->run.rep_max, 500);
    cr_expect_str_eq(sc->run.until_metric, "availability");
    cr_expect_float_eq(sc->run.until_rel_ci_half_width, 0.01, 1e-12);
    cr_expect_eq(sc->run.fidelity, MR_FIDELITY_AGGREGATE);
    cr_expect_eq(sc->rtt[0 * 3 + 2], 85 * MR_MS);
    cr_expect_eq(sc->rtt[2 * 3 + 1], 75 * MR_MS);
    const mr_sc_traffic *t = &sc->traffic;
    cr_expect_str_eq(t->model->kind, "front_door");
    const mr_fd_cfg *fd = t->cfg;
    cr_expect_eq(fd->pops, 20);
    cr_expect_eq(fd->locations, 20, "defaults to pops");
    cr_expect_eq(fd->sample_size, 4);
    cr_expect_eq(fd->additional_latency, 50 * MR_MS);
    cr_expect_eq(t->endpoints[1].weight, 100);
    cr_expect_eq(fd->base.weight[1], 100);
    cr_expect_eq(sc->resolvers[0].policies[1].min_ttl, 300 * MR_S);
    const mr_sc_client *c = &sc->clients[0];
    cr_expect_float_eq(c->rate, 500, 1e-9);
    cr_expect_eq(c->runtime_cache, MR_CACHE_CHROME);
    cr_expect_eq(c->profile.kind, MR_PROFILE_DIURNAL);
    cr_expect_eq(c->profile.peak_at, 13 * MR_H);
    cr_expect_float_eq(c->write, 0.2, 1e-12);
    const mr_sc_datastore *d = &sc->datastores[0];
    cr_expect_str_eq(d->model->kind, "cosmos");
    cr_expect_eq(d->regions.n, 2);
    cr_expect_eq(d->write_regions.n, 2);
    const mr_cosmos_cfg *co = d->cfg;
    cr_expect_eq(co->base.ncopies, 2);
    cr_expect(co->base.writable[0] && co->base.writable[1]);
    cr_expect_eq(co->consistency, MR_COSMOS_SESSION);
    cr_expect_eq(co->k_versions, 100000, "bounded staleness's minimums are its defaults");
    cr_expect_eq(co->t_bound, 300 * MR_S);
    cr_expect_float_eq(co->zipf, 0.9, 1e-12);
    cr_expect_eq(co->keys, 100000);
    cr_expect_eq(co->base.mode, MR_FAILOVER_AUTOMATIC);
    const mr_sc_fault *f = &sc->faults[0];
    cr_expect_eq(f->timing, MR_TIMING_STOCHASTIC);
    cr_expect_eq(f->target.kind, MR_TARGET_ZONE);
    cr_expect_eq(f->target.index, 0);
    cr_expect_eq(f->target.zone, 2);
    cr_expect_eq(f->mtbf, 90 * MR_DAY);
    f = &sc->faults[1];
    cr_expect_eq(f->timing, MR_TIMING_REPEAT);
    cr_expect(f->target.selector);
    cr_expect_eq(f->target.role, MR_ROLE_ACTIVE);
    cr_expect_eq(f->target.mode, MR_SELECT_ONE);
    cr_expect_eq(f->every, 24 * MR_H);
    cr_expect_eq(f->count, 7);
    cr_expect_eq(f->jitter, MR_H);
    f = &sc->faults[2];
    cr_expect(f->ramp);
    cr_expect_float_eq(f->ramp_from, 0.2, 1e-12);
    cr_expect_eq(f->ramp_over, 5 * MR_MIN);
    cr_assert_eq(sc->nvariants, 2);
    cr_expect_str_eq(sc->variants[0].name, "strong-probes");
    cr_assert_eq(sc->variants[0].nsets, 1);
    cr_expect_str_eq(sc->variants[0].sets[0].text, "traffic.probe.interval=10s");
    cr_expect_str_eq(sc->variants[1].sets[0].text, "datastores[0].consistency=eventual");
    cr_assert_eq(sc->nsweeps, 1);
    cr_expect_str_eq(sc->sweeps[0].path, "traffic.additional_latency");
    cr_assert_eq(sc->sweeps[0].nvalues, 3);
    cr_expect_str_eq(sc->sweeps[0].values[2].text, "traffic.additional_latency=200ms");
    mr_scenario_free(sc);
}

Test(scenario, set_overrides_apply_before_binding)
{
    /* A map value replaces the whole map: timeout falls back to its default. */
    const char *sets[] = {"clusters[1].standby=cold", "traffic.ttl=10s",
                          "traffic.probe={interval: 10s, tolerated_failures: 0}"};
    mr_scenario *sc = load_ok(GOOD("active-passive-tm.yaml"), sets, 3);
    cr_expect_eq(sc->clusters[1].standby, MR_STANDBY_COLD);
    const mr_tm_cfg *tm = sc->traffic.cfg;
    cr_expect_eq(tm->ttl, 10 * MR_S);
    cr_expect_eq(tm->interval, 10 * MR_S);
    cr_expect_eq(tm->timeout, 9 * MR_S, "9s is the default at a 10s interval");
    cr_expect_eq(tm->tolerated, 0);
    cr_expect_str_eq(mr_scenario_value(sc, "clusters[1].standby"), "cold");
    cr_expect_str_eq(mr_scenario_value(sc, "traffic.ttl"), "10s");
    mr_scenario_free(sc);
}

Test(scenario, a_bad_set_is_reported_at_its_column, .init = make_tmpdir, .fini = remove_tmpdir)
{
    const char *path = write_tmp("s.yaml", MINIMAL);
    const char *sets[] = {"traffic.ttl=10", "clusters[0].role=stanby"};
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = (mr_scenario *)0x1;
    cr_assert_eq(mr_scenario_load(path, sets, 2, mr_model_registry(), &sc, d), MR_ESCENARIO);
    cr_expect_eq(sc, (mr_scenario *)0x1, "*out untouched on failure");
    cr_assert_eq(mr_diag_count(d), 2);
    cr_expect_str_eq(mr_diag_line(d, 0),
                     "--set:1:18: error: clusters[0].role: unknown value 'stanby' (did you mean "
                     "'standby'?); expected one of active, standby");
    cr_expect_str_eq(mr_diag_line(d, 1),
                     "--set:1:13: error: traffic.ttl: missing unit in '10': write e.g. 10s or 10m "
                     "(units: ns, us, ms, s, m, h, d, y)");
    mr_diag_free(d);
}

Test(scenario, extends_and_set_merge_over_the_base, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_tmp("base.yaml", MINIMAL "seed: 9\n");
    const char *path = write_tmp("child.yaml", "extends: base.yaml\n"
                                               "name: child\n"
                                               "set:\n"
                                               "  traffic.ttl: 10s\n"
                                               "  clusters[aks-weu].nodes.count: 5\n");
    mr_scenario *sc = load_ok(path, NULL, 0);
    cr_expect_str_eq(sc->name, "child");
    cr_expect_eq(sc->seed, 9);
    cr_expect_eq(((const mr_tm_cfg *)sc->traffic.cfg)->ttl, 10 * MR_S);
    cr_expect_eq(sc->clusters[0].nodes.count, 5);
    cr_expect_eq(sc->clusters[0].nodes.min, 5);
    /* Marks point at the file each value came from. */
    cr_expect(strstr(sc->clusters[0].mark.file, "base.yaml") != NULL);
    mr_scenario_free(sc);
}

Test(scenario, every_problem_is_reported_not_only_the_first, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
    const char *path = write_tmp("bad.yaml", "regions:\n"
                                             "  - {name: westeurope, zones: 4}\n"
                                             "clusters:\n"
                                             "  - {name: aks-weu, region: westeuropa}\n"
                                             "traffic: {kind: front_door, ttl: 30s}\n"
                                             "clients:\n"
                                             "  - {name: users, rate: 400}\n");
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_ESCENARIO);
    cr_assert_null(sc);
    cr_assert_eq(mr_diag_count(d), 4);
    const char *want[] = {
        ":2:31: error: regions[0].zones: 4 is out of range [0, 3]",
        ":4:29: error: clusters[0].region: unknown region 'westeuropa' (did you mean "
        "'westeurope'?); regions: westeurope",
        ":5:29: error: traffic.ttl: 'ttl' does not apply to a front_door traffic layer",
        ":7:25: error: clients[0].rate: missing unit in '400': write e.g. 400/s or 400/m",
    };
    for (int i = 0; i < 4; i++) {
        const char *line = mr_diag_line(d, i);
        cr_expect(strncmp(line, path, strlen(path)) == 0);
        cr_expect_str_eq(line + strlen(path), want[i]);
    }
    mr_diag_free(d);
}

Test(scenario, an_unreadable_file_is_eio)
{
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_expect_eq(mr_scenario_load("/nonexistent/s.yaml", NULL, 0, mr_model_registry(), &sc, d), MR_EIO);
    cr_expect_null(sc);
    cr_expect_eq(mr_diag_count(d), 1);
    mr_diag_free(d);
}

typedef struct collect {
    size_t n;
    int seen_default_ttl, seen_policy;
} collect;

static void on_value(void *ctx, const char *path, const char *value)
{
    collect *c = ctx;
    c->n++;
    if (strcmp(path, "traffic.ttl") == 0 && strcmp(value, "30s") == 0)
        c->seen_default_ttl++;
    if (strcmp(path, "resolvers[0].ttl_policy[1].hold") == 0 &&
        strcmp(value, "lognormal(5m, 1.0)") == 0)
        c->seen_policy++;
}

Test(scenario, each_value_lists_defaults_too_once_each)
{
    mr_scenario *sc = load_ok(GOOD("minimal.yaml"), NULL, 0);
    collect c = {0};
    size_t n = mr_scenario_each_value(sc, on_value, &c);
    cr_expect_eq(n, c.n);
    cr_expect_gt(n, 60);
    cr_expect_eq(c.seen_default_ttl, 1);
    cr_expect_eq(c.seen_policy, 1);
    cr_expect_str_eq(mr_scenario_value(sc, "clusters[0].nodes.usd_per_hour"), "0.192");
    cr_expect_str_eq(mr_scenario_value(sc, "run.horizon"), "1h");
    cr_expect_null(mr_scenario_value(sc, "no.such.path"));
    mr_scenario_free(sc);
}

Test(scenario, fault_kind_names_come_from_one_list)
{
    cr_expect_str_eq(mr_fault_kind_name(MR_FAULT_DEPENDENCY_OUTAGE), "dependency_outage");
    cr_expect_str_eq(mr_fault_kind_names[MR_FAULT_ZONE_OUTAGE], "zone_outage");
    cr_expect_null(mr_fault_kind_names[MR_FAULT_KIND_COUNT]);
    cr_expect_eq(mr_fault_kind_target(MR_FAULT_INGRESS_FAILURE), MR_TARGET_CLUSTER);
    cr_expect_eq(mr_fault_kind_target(MR_FAULT_TRAFFIC_LAYER_OUTAGE), MR_TARGET_TRAFFIC);
    cr_expect_str_eq(mr_fault_kind_name((mr_fault_kind)99), "?");
}

Test(scenario, free_of_null_is_a_no_op)
{
    mr_scenario_free(NULL);
}
