/* tests/models/test_contract.c: the contract every registered kind keeps,
 * checked over the whole registry, so a new kind is covered without a new
 * test (docs/development.md "How to add a kind"):
 * - the registry: kinds are unique within their family and found by name;
 * - the shape: a kind, a summary, a handler; a family's method table where
 *   the family has one; a key table whose rows are well formed (a doc, a
 *   source, an offset inside the cfg, choices for an enum);
 * - the behaviour: every kind runs in a small world built from a scenario
 *   (a store, a traffic layer, an ingress or a dependency of that kind put
 *   in the world's slot for its family, its required keys given values of their
 *   type), which means its table's defaults bind and its check passes;
 *   links, runs through a region outage, counts an event of a kind it does
 *   not know instead of failing on it, finishes, reports, and frees clean
 *   (mr_sim_free returns MR_OK only when no event leaked). The PHOLD
 *   benchmark model runs on its own. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"
#include "phold.h"
#include "run/build.h"
#include "scenario_run.h"

/* The world: two regions, an active and a standby cluster behind a
 * traffic layer, clients writing to a store, a shared dependency, a region
 * outage that the failover policy answers. */
static const char *const world =
    "regions: [{name: westeurope}, {name: northeurope}]\n"
    "rtt: {westeurope-northeurope: 20ms}\n"
    "clusters:\n"
    "  - {name: aks-weu, region: westeurope}\n"
    "  - {name: aks-neu, region: northeurope, role: standby}\n"
    "traffic: {kind: traffic_manager}\n"
    "resolvers: [{name: isp, count: 10}]\n"
    "clients:\n"
    "  - {name: users, origin: westeurope, rate: 20/s, mix: {write: 0.3}, uses: [orders]}\n"
    "datastores:\n"
    "  - {name: orders, kind: sql, primary: westeurope, replicas: [northeurope]}\n"
    "dependencies:\n"
    "  - {name: idp, kind: identity}\n"
    "faults:\n"
    "  - {name: weu-down, kind: region_outage, target: westeurope, at: 10m, duration: 10m}\n"
    "  - {name: weu-ingress, kind: ingress_failure, target: aks-weu, at: 25m, duration: 1m}\n"
    "failover: {trigger: probes, actions: [{scale: aks-neu, to: 3}]}\n"
    "run: {horizon: 30m, warmup: 1m, replications: 1}\n";

Test(contract, the_registry_finds_every_kind_in_its_family)
{
    mr_kinds all = mr_model_registry();
    cr_assert_eq(all.n, mr_model_count());
    for (size_t i = 0; i < all.n; i++) {
        const mr_model *m = all.v[i];
        cr_assert_not_null(m->kind);
        cr_assert_eq(mr_model_at(i), m);
        cr_assert_eq(mr_kinds_find(all, m->family, m->kind), m, "%s", m->kind);
        for (size_t j = 0; j < i; j++) {
            const mr_model *o = all.v[j];
            int same_family = (o->family == NULL && m->family == NULL) ||
                              (o->family && m->family && strcmp(o->family, m->family) == 0);
            cr_assert(!same_family || strcmp(o->kind, m->kind) != 0, "duplicate kind %s",
                      m->kind);
        }
    }
    cr_assert_null(mr_model_find("no-such-kind"));
    cr_assert_null(mr_model_at(mr_model_count()));
    cr_assert_eq(mr_model_find("dns"), mr_kinds_find(all, "traffic", "dns"),
                 "the first of a name in models.def order");
    cr_assert_str_eq(mr_kinds_find(all, "dependency", "dns")->family, "dependency");
}

Test(contract, every_kind_has_its_parts_and_a_well_formed_key_table)
{
    for (size_t i = 0; i < mr_model_count(); i++) {
        const mr_model *m = mr_model_at(i);
        cr_assert_not_null(m->handle, "%s has no handler", m->kind);
        cr_assert_not_null(m->summary, "%s has no summary", m->kind);
        if (m->family && (strcmp(m->family, "store") == 0 || strcmp(m->family, "traffic") == 0))
            cr_assert_not_null(m->ops, "%s: a %s needs its family's ops", m->kind, m->family);
        for (const mr_param *p = m->params; p && p->key; p++) {
            cr_assert_not_null(p->doc, "%s.%s has no doc", m->kind, p->key);
            cr_assert_not_null(p->ref, "%s.%s says not where its default comes from", m->kind,
                               p->key);
            if (p->type != MR_PARAM_T_CODE || p->parse)
                cr_assert_lt(p->off, m->cfg_size, "%s.%s outside its cfg", m->kind, p->key);
            if (p->type == MR_PARAM_T_ENUM)
                cr_assert(p->choices && p->choices[0], "%s.%s: an enum without choices", m->kind,
                          p->key);
        }
    }
}

/* A value of a required key's type, inside its range. */
static void value_for(const mr_param *p, char *buf, size_t n)
{
    double lo = p->lo <= p->hi ? p->lo : 1;
    switch (p->type) {
    case MR_PARAM_T_DURATION:
        snprintf(buf, n, "%.0fns", lo > 0 ? lo : 60e9);
        break;
    case MR_PARAM_T_RATIO:
        snprintf(buf, n, "0.5");
        break;
    case MR_PARAM_T_RATE:
        snprintf(buf, n, "%g/s", lo > 0 ? lo : 1);
        break;
    case MR_PARAM_T_BOOL:
        snprintf(buf, n, "false");
        break;
    case MR_PARAM_T_ENUM:
        snprintf(buf, n, "%s", p->choices[0]);
        break;
    case MR_PARAM_T_DIST_TIME:
        snprintf(buf, n, "const(1s)");
        break;
    case MR_PARAM_T_DIST:
        snprintf(buf, n, "const(1)");
        break;
    case MR_PARAM_T_TEXT:
        snprintf(buf, n, "x");
        break;
    default:
        snprintf(buf, n, "%g", lo);
        break;
    }
}

/* The override that puts kind m in its family's slot of the world, its
 * required keys given values (sets[0]); NULL for a kind of its own, which
 * the world holds already. */
static const char *slot_for(const mr_model *m, char *buf, size_t n)
{
    if (m->family == NULL)
        return NULL;
    char keys[512] = "";
    for (const mr_param *p = m->params; p && p->key; p++) {
        if (!p->required || p->type == MR_PARAM_T_CODE || strchr(p->key, '.'))
            continue;
        char v[64];
        value_for(p, v, sizeof v);
        snprintf(keys + strlen(keys), sizeof keys - strlen(keys), ", %s: %s", p->key, v);
    }
    if (strcmp(m->family, "store") == 0) {
        const char *where = mr_param_find(m->params, "regions", 0)
                                ? "regions: [westeurope, northeurope]"
                                : "primary: westeurope, replicas: [northeurope]";
        snprintf(buf, n, "datastores[0]={name: orders, kind: %s, %s%s}", m->kind, where, keys);
    } else if (strcmp(m->family, "traffic") == 0) {
        snprintf(buf, n, "traffic={kind: %s%s}", m->kind, keys);
    } else if (strcmp(m->family, "ingress") == 0) {
        snprintf(buf, n, "clusters[0].ingress={kind: %s%s}", m->kind, keys);
    } else if (strcmp(m->family, "dependency") == 0) {
        snprintf(buf, n, "dependencies[0]={name: idp, kind: %s%s}", m->kind, keys);
    } else {
        cr_assert_fail("%s: a family the contract does not know (%s): give it a slot here",
                       m->kind, m->family);
    }
    return buf;
}

/* Builds the world with sets applied, finds the components of kind m, and
 * runs it with an unknown event sent to each of them. */
static void run_world(const mr_model *m, const char *const *sets, size_t nsets)
{
    char *path = tsr_write(world);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, nsets, mr_model_registry(), &sc, d);
    unlink(path);
    free(path);
    cr_assert_eq(rc, MR_OK, "%s: %s", m->kind, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_sim *sim = NULL;
    rc = mr_build(sc, 5, 0, &sim, d);
    cr_assert_eq(rc, MR_OK, "%s: %s", m->kind, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    uint64_t mine = 0;
    for (uint32_t id = 0; id < mr_sim_component_count(sim); id++)
        if (mr_sim_component(sim, id)->model == m) {
            mr_sim_schedule(sim, 60 * MR_S, id, MR_MSG_PRIVATE + 4000, NULL, 0, NULL);
            mine++;
        }
    cr_assert_gt(mine, 0, "%s: the world holds none", m->kind);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK, "%s", m->kind);
    cr_assert_eq(mr_sim_unhandled_count(sim), mine, "%s: an unknown event not counted", m->kind);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    cr_assert_gt(mr_report_count(r), 0);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK, "%s leaked events", m->kind);
    mr_scenario_free(sc);
    mr_diag_free(d);
}

Test(contract, every_kind_runs_in_a_world_and_frees_clean, .timeout = 300)
{
    for (size_t i = 0; i < mr_model_count(); i++) {
        const mr_model *m = mr_model_at(i);
        if (strcmp(m->kind, "phold") == 0) {
            /* The benchmark model: one LP sending its event to itself. */
            mr_sim *sim = mr_sim_new(1, 0);
            mr_phold_cfg cfg = {.lps = 1, .first = 0, .initial = 1, .mean = MR_S};
            cr_assert_eq(mr_sim_add(sim, m, "lp", &cfg, NULL, NULL), MR_OK);
            cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
            mr_sim_set_horizon(sim, MR_H);
            mr_sim_schedule(sim, 0, 0, MR_MSG_PRIVATE + 4000, NULL, 0, NULL);
            cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
            cr_assert_eq(mr_sim_unhandled_count(sim), 1);
            cr_assert_eq(mr_sim_free(sim), MR_OK);
            continue;
        }
        char slot[1024];
        const char *sets[2];
        size_t n = 0;
        const char *s = slot_for(m, slot, sizeof slot);
        if (s)
            sets[n++] = s;
        /* The aggregate clients replace the request-level ones. */
        if (strcmp(m->kind, "clients_agg") == 0)
            sets[n++] = "run.fidelity=aggregate";
        run_world(m, sets, n);
    }
}
