/* sim/config/sc_topology.c: binds the compute and routing sections:
 * dependencies, clusters (nodes, pods, autoscaler, ingress), the traffic
 * layer (Traffic Manager, Front Door or plain DNS, with its endpoints and
 * probes) and stamps. Every default cites its docs/reference.md row, or says it
 * is ours. Invariant: as bind.h: one diagnostic per problem, defaults left in
 * place where a value was bad. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/cfg/cluster.h"
#include "mrsim/cfg/traffic.h"
#include "mrsim/error.h"

#define S ((double)MR_S)
#define MS ((double)MR_MS)
#define MIN ((double)MR_MIN)

/* ---- dependencies ------------------------------------------------------------ */

const mr_param mr__dependency_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "dependency name",
     .ref = "-"},
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "a dependency kind: identity, registry, firewall, monitoring, dns, other",
     .def = "other",
     .doc = "what it is (docs/model.md \"Regions and clusters\"); its keys follow in its own "
            "table",
     .ref = "ours"},
    {.key = "region",
     .type = MR_PARAM_T_CODE,
     .type_doc = "region name",
     .doc = "where it runs; global when absent",
     .ref = "-"},
    {.key = "used_by",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of cluster names",
     .doc = "clusters that need it; every cluster when absent",
     .ref = "ours"},
    {.key = "needed_for",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_dependency, needed_for),
     .def = "requests",
     .choices = mr_needed_for_names,
     .doc = "requests: every request fails without it; pod_start: only new pods do",
     .ref = "ours"},
    MR_PARAM_END};

/* The kinds of a family in the set the scenario is loaded with, as an
 * enum's choices (NULL-terminated, owned by the scenario). */
static const char *const *family_kinds(mr__bind *b, const char *family)
{
    mr_kinds k = b->sc->kinds;
    const char **v = mr__alloc(b, (k.n + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < k.n; i++)
        if (k.v[i]->family && strcmp(k.v[i]->family, family) == 0)
            v[n++] = k.v[i]->kind;
    return v;
}

static void no_code(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                    const char *key, void *ctx)
{
    (void)b, (void)m, (void)p, (void)model, (void)key, (void)ctx;
}

/* A dependency's kind (family "dependency", `other` when absent), then the
 * kind's own keys through its table. */
static void bind_dependency_kind(mr__bind *b, mr_node *m, const char *p, mr_sc_dependency *d)
{
    char q[MR__PATH];
    const char *const *kinds = family_kinds(b, "dependency");
    const mr_param row = {.key = "kind", .type = MR_PARAM_T_ENUM, .def = "other",
                          .choices = kinds};
    int kind = -1;
    mr_node *kn = mr_node_take(m, "kind");
    for (int i = 0; kinds[i] && kind < 0; i++)
        kind = strcmp(kinds[i], "other") == 0 ? i : -1;
    if (kinds[0] == NULL || (kind < 0 && mr_node_is_null(kn)) ||
        mr__bind_value(b, mr_node_is_null(kn) ? NULL : kn, mr__path(q, p, "kind"), &row, &kind) !=
            MR_OK) {
        for (size_t k = 0; k < m->n; k++)
            m->pairs[k].value->used = true;
        return;
    }
    d->model = mr_kinds_find(b->sc->kinds, "dependency", kinds[kind]);
    d->cfg = mr__alloc(b, d->model->cfg_size ? d->model->cfg_size : 1);
    static const char *const family_keys[] = {"name", "kind", "region", "used_by", "needed_for",
                                              NULL};
    mr__bind_kind(b, m, p, d->model, mr__strf(b, "a %s dependency", d->model->kind), family_keys,
                  d->cfg, no_code, NULL);
}

void mr__bind_dependencies(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    sc->ndependencies = seq->n;
    sc->dependencies = mr__alloc(b, seq->n * sizeof *sc->dependencies);
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_dependency *d = &sc->dependencies[i];
        d->name = b->dependencies.v[i];
        d->mark = seq->items[i]->mark;
        d->region = MR_SC_NONE;
        mr_node *m = mr__named_item(b, seq, i, "dependencies", d->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__dependency_keys, 0, "", d);
        mr_node *r = mr_node_take(m, "region");
        if (r && !mr_node_is_null(r)) {
            d->region = mr__ref(b, r, mr__path(q, p, "region"), &b->regions);
            if (d->region != MR_SC_NONE)
                mr__record(b, q, r->text);
        }
        mr_node *u = mr_node_take(m, "used_by");
        if (u && !mr_node_is_null(u)) {
            mr__refs(b, u, mr__path(q, p, "used_by"), &b->clusters, &d->used_by);
        } else {
            /* Ours: a shared dependency is shared by every cluster unless told. */
            d->used_by.n = b->clusters.n;
            d->used_by.v = mr__alloc(b, b->clusters.n * sizeof *d->used_by.v);
            for (size_t c = 0; c < b->clusters.n; c++)
                d->used_by.v[c] = c;
            d->used_by.mark = d->mark;
        }
        bind_dependency_kind(b, m, p, d);
    }
}

/* ---- clusters ---------------------------------------------------------------- */

const mr_param mr__cluster_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "cluster name",
     .ref = "-"},
    {.key = "region",
     .type = MR_PARAM_T_CODE,
     .type_doc = "region name",
     .required = true,
     .doc = "the region it runs in",
     .ref = "-"},
    {.key = "role",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_cluster, role),
     .def = "active",
     .choices = mr_role_names,
     .doc = "active serves traffic; standby waits for a failover",
     .ref = "ours"},
    {.key = "standby",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of hot, warm, cold",
     .def = "hot",
     .doc = "how ready a standby cluster is; only with role: standby",
     .ref = "ours"},
    {.key = "zones",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of zone numbers",
     .doc = "zones it spreads over; every zone of its region when absent",
     .ref = "-"},
    {.key = "nodes",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "node pool: count, min, max, sku, usd_per_hour",
     .ref = "-"},
    {.key = "pods",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "per_node, rps_per_pod, startup",
     .ref = "-"},
    /* Ours: docs/reference.md has no service-time figure; docs/scenario-format.md's example. */
    {.key = "service_time",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_cluster, service_time),
     .def = "lognormal(25ms, 0.5)",
     .doc = "time a request spends in service, holding one of its pod's slots "
            "(docs/model.md, the cluster queue)",
     .ref = "ours (docs/scenario-format.md example)"},
    {.key = "autoscaler",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "target_utilization, node_provision",
     .ref = "-"},
    {.key = "ingress", .type = MR_PARAM_T_CODE, .type_doc = "map", .doc = "kind, latency", .ref = "-"},
    {.key = "cold",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "standby: cold only: create, image_pull (steps of its failover); absent: neither",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__cold_keys[] = {
    /* Ours: docs/reference.md has no AKS cluster-creation figure; `az aks
     * create` commonly takes 5 to 10 minutes, sometimes a quarter hour. */
    {.key = "create",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_cold, create),
     .def = "triangular(5m, 8m, 15m)",
     .doc = "creating the cluster from infrastructure-as-code, before its nodes provision",
     .ref = "ours: docs/reference.md gives no cluster-creation time"},
    /* Ours: docs/reference.md §9 "Pod startup time: not found"; a few
     * hundred MB from a registry in the region. */
    {.key = "image_pull",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_cold, image_pull),
     .def = "triangular(10s, 30s, 2m)",
     .doc = "each pod pulls its image (none cached on a cold cluster's nodes) before "
            "pods.startup; needs the dependencies needed for pod_start",
     .ref = "ours: docs/reference.md §9 pod startup and image pull not found"},
    MR_PARAM_END};

const mr_param mr__nodes_keys[] = {
    {.key = "count",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_nodes, count),
     .def = "3",
     .lo = 0,
     .hi = 5000,
     .doc = "nodes at the start",
     .ref = "ours (no docs/reference.md figure)"},
    {.key = "min",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_nodes, min),
     .lo = 0,
     .hi = 5000,
     .type_doc = "integer",
     .doc = "autoscaler floor; count when absent",
     .ref = "ours"},
    {.key = "max",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_nodes, max),
     .lo = 0,
     .hi = 5000,
     .doc = "autoscaler ceiling; count when absent",
     .ref = "ours"},
    /* docs/reference.md §10 AKS node Standard_D4s_v5 ≈ $0.192/h (East US). */
    {.key = "sku",
     .type = MR_PARAM_T_TEXT,
     .off = offsetof(mr_sc_nodes, sku),
     .def = "Standard_D4s_v5",
     .doc = "VM size (informative)",
     .ref = "docs/reference.md §10 AKS node Standard_D4s_v5"},
    {.key = "usd_per_hour",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_nodes, usd_per_hour),
     .def = "0.192",
     .lo = 0,
     .hi = 1000,
     .doc = "price of one node-hour",
     .ref = "docs/reference.md §10 AKS node Standard_D4s_v5 ($0.192/h East US)"},
    MR_PARAM_END};

const mr_param mr__pods_keys[] = {
    {.key = "per_node",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_pods, per_node),
     .def = "4",
     .lo = 1,
     .hi = 250,
     .doc = "serving pods per node",
     .ref = "ours (docs/scenario-format.md example)"},
    {.key = "rps_per_pod",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_sc_pods, rps_per_pod),
     .def = "40",
     .lo = 1e-6,
     .hi = 1e9,
     .doc = "requests per second one pod serves",
     .ref = "ours (docs/scenario-format.md example)"},
    /* docs/reference.md §9 "Pod startup time: not found"; ours, docs/scenario-format.md's example
     * (median 20 s, p95 60 s: sigma = ln 3 / 1.645). */
    {.key = "startup",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_pods, startup),
     .def = "lognormal(20s, 0.668)",
     .doc = "time from scheduling to ready",
     .ref = "ours: docs/reference.md §9 pod startup not found"},
    MR_PARAM_END};

const mr_param mr__autoscaler_keys[] = {
    {.key = "target_utilization",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_autoscaler, target_utilization),
     .def = "0.7",
     .lo = 0.01,
     .hi = 1,
     .doc = "utilization the autoscaler aims at",
     .ref = "ours (docs/scenario-format.md example)"},
    /* docs/reference.md §9 "How to model AKS": new node ready in a lognormal time,
     * median ~4-5 min, p95 ~15 min (sigma = ln 3 / 1.645). */
    {.key = "node_provision",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_autoscaler, node_provision),
     .def = "lognormal(5m, 0.668)",
     .doc = "time to add a node",
     .ref = "docs/reference.md §9 node provisioning (median 5 min, p95 15 min)"},
    MR_PARAM_END};

/* The family's key of an ingress; the rest are the kind's (validate --keys
 * prints each ingress kind's table after this one). */
const mr_param mr__ingress_keys[] = {
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "an ingress kind: agc, nginx",
     .def = "agc",
     .doc = "Application Gateway for Containers or NGINX; its keys follow in its own table",
     .ref = "ours"},
    MR_PARAM_END};

/* A cluster's ingress: its kind (family "ingress", agc when absent), then
 * the kind's own keys through its table. */
static void bind_ingress(mr__bind *b, mr_node *m, const char *path, mr_sc_ingress *in)
{
    char p[MR__PATH], q[MR__PATH];
    mr__path(p, path, "ingress");
    mr_node *im = mr__take_map(b, m, "ingress", path);
    const char *const *kinds = family_kinds(b, "ingress");
    const mr_param row = {.key = "kind", .type = MR_PARAM_T_ENUM, .def = "agc", .choices = kinds};
    int kind = -1;
    for (int i = 0; kinds[i] && kind < 0; i++)
        kind = strcmp(kinds[i], "agc") == 0 ? i : -1;
    mr_node *kn = mr_node_take(im, "kind");
    if (kinds[0] == NULL || (kind < 0 && mr_node_is_null(kn)) ||
        mr__bind_value(b, mr_node_is_null(kn) ? NULL : kn, mr__path(q, p, "kind"), &row, &kind) !=
            MR_OK) {
        for (size_t k = 0; im && k < im->n; k++)
            im->pairs[k].value->used = true;
        return;
    }
    in->model = mr_kinds_find(b->sc->kinds, "ingress", kinds[kind]);
    in->cfg = mr__alloc(b, in->model->cfg_size ? in->model->cfg_size : 1);
    static const char *const family_keys[] = {"kind", NULL};
    /* An absent map binds the kind's defaults; its keys are reported at the
     * cluster's place. */
    mr_node empty = {.kind = MR_NODE_MAP, .mark = m->mark};
    mr__bind_kind(b, im ? im : &empty, p, in->model,
                  mr__strf(b, "a %s ingress", in->model->kind), family_keys, in->cfg, no_code,
                  NULL);
}

static void bind_cluster_sub(mr__bind *b, mr_node *m, const char *path, const char *key,
                             const mr_param *keys, void *base)
{
    char p[MR__PATH];
    mr_node *sub = mr__take_map(b, m, key, path);
    mr__bind_keys(b, sub, NULL, mr__path(p, path, key), keys, 0, "", base);
    mr__unknown_keys(b, sub, keys);
}

/* The cluster queue's servers (include/mrsim/cfg/cluster.h
 * mr_cluster_slots): a service time whose mean is not finite makes no
 * number of slots, and pods x slots at nodes.max must stay within what is
 * reserved before the run. Located at service_time, what makes the slots. */
static void cluster_slots(mr__bind *b, mr_node *m, const char *p, const mr_sc_cluster *c)
{
    double mean_s = mr_dist_mean(&c->service_time) / 1e9;
    uint32_t slots = mr_cluster_slots(c->pods.rps_per_pod, mean_s);
    double pods = (double)c->nodes.max * (double)c->pods.per_node;
    if (slots > 0 && pods * slots <= MR_CLUSTER_MAX_SERVERS)
        return;
    mr_node *st = mr_node_get(m, "service_time");
    if (slots == 0 && !(mean_s < 1e300))
        mr_diag_error(b->diag, st ? &st->mark : &c->mark,
                      "%s.service_time: its mean is not finite, so a pod's slots (rps_per_pod x "
                      "mean service time) are not a number; give a law with a finite mean "
                      "(pareto needs shape > 1)",
                      p);
    else {
        double sl = floor(c->pods.rps_per_pod * mean_s + 0.5);
        mr_diag_error(b->diag, st ? &st->mark : &c->mark,
                      "%s.service_time: rps_per_pod %g x mean service time %g s makes %.0f slots "
                      "per pod, %.0f servers at nodes.max x pods.per_node = %.0f pods, above "
                      "the %u a cluster's queue may have; lower rps_per_pod, the service "
                      "time or nodes.max",
                      p, c->pods.rps_per_pod, mean_s, sl, pods * sl, pods, MR_CLUSTER_MAX_SERVERS);
    }
}

static void bind_zones(mr__bind *b, mr_node *m, const char *path, mr_sc_cluster *c)
{
    char p[MR__PATH], q[MR__PATH];
    int rzones = c->region != MR_SC_NONE ? b->sc->regions[c->region].zones : 0;
    mr_node *z = mr__take_seq(b, m, "zones", path);
    mr__path(p, path, "zones");
    if (z == NULL) {
        c->nzones = (size_t)rzones;
        c->zones = mr__alloc(b, (size_t)rzones * sizeof *c->zones);
        char text[64] = "[";
        for (int i = 0; i < rzones; i++) {
            c->zones[i] = i + 1;
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s%d", i ? ", " : "", i + 1);
        }
        strcat(text, "]");
        mr__record(b, p, text);
        return;
    }
    c->zones = mr__alloc(b, z->n * sizeof *c->zones);
    for (size_t i = 0; i < z->n; i++) {
        int64_t v;
        mr__path_index(q, p, i);
        if (c->region != MR_SC_NONE && rzones == 0) {
            mr_diag_error(b->diag, &z->items[i]->mark,
                          "%s: region %s has no availability zones (regions[].zones is 0)", q,
                          b->sc->regions[c->region].name);
            z->items[i]->used = true;
            break;
        }
        if (mr__int(b, z->items[i], q, 1, rzones > 0 ? rzones : 3, &v) != MR_OK)
            continue;
        bool dup = false;
        for (size_t j = 0; j < c->nzones; j++)
            dup = dup || c->zones[j] == (int)v;
        if (dup) {
            mr_diag_error(b->diag, &z->items[i]->mark, "%s: zone %d is listed twice", q, (int)v);
            continue;
        }
        c->zones[c->nzones++] = (int)v;
    }
    char *t = mr__flow(z);
    mr__record(b, p, t);
    free(t);
}

/* clusters[].cold: only a cold standby has the steps of a cold start. */
static void bind_cold(mr__bind *b, mr_node *m, const char *path, mr_sc_cluster *c)
{
    char p[MR__PATH];
    mr_node *cm = mr__take_map(b, m, "cold", path);
    if (cm == NULL)
        return;
    mr__path(p, path, "cold");
    char q[MR__PATH];
    /* A refused role or standby was already reported: whether this cluster
     * may have cold steps is unknown, so its keys are checked as if. */
    bool unknown = mr__failed(b, mr__path(q, path, "role")) ||
                   mr__failed(b, mr__path(q, path, "standby"));
    if (!unknown && (c->role != MR_ROLE_STANDBY || c->standby != MR_STANDBY_COLD)) {
        mr_diag_error(b->diag, &cm->mark,
                      "%s: only a cluster with role: standby and standby: cold creates itself "
                      "and pulls its images on failover; add standby: cold or remove cold",
                      p);
        for (size_t k = 0; k < cm->n; k++)
            cm->pairs[k].value->used = true;
        return;
    }
    c->cold.present = true;
    c->cold.mark = cm->mark;
    mr__bind_keys(b, cm, NULL, p, mr__cold_keys, 0, "", &c->cold);
    mr__unknown_keys(b, cm, mr__cold_keys);
}

void mr__bind_clusters(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    if (seq->n == 0)
        mr_diag_error(b->diag, &seq->mark,
                      "clusters: the scenario needs at least one cluster, e.g. "
                      "{name: aks-weu, region: westeurope}");
    sc->nclusters = seq->n;
    sc->clusters = mr__alloc(b, seq->n * sizeof *sc->clusters);
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_cluster *c = &sc->clusters[i];
        c->name = b->clusters.v[i];
        c->mark = seq->items[i]->mark;
        c->region = MR_SC_NONE;
        c->nodes.min = c->nodes.max = -1;
        mr_node *m = mr__named_item(b, seq, i, "clusters", c->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__cluster_keys, 0, "", c);
        mr_node *r = mr_node_take(m, "region");
        if (r && !mr_node_is_null(r)) {
            c->region = mr__ref(b, r, mr__path(q, p, "region"), &b->regions);
            if (c->region != MR_SC_NONE)
                mr__record(b, q, r->text);
        }
        /* standby: only for a standby cluster; hot by default (ours). */
        mr_node *sb = mr_node_take(m, "standby");
        mr__path(q, p, "standby");
        c->standby = MR_STANDBY_HOT;
        if (sb && !mr_node_is_null(sb)) {
            int v = mr__enum(b, sb, q, mr_standby_names);
            char rq[MR__PATH];
            if (v < 0) {
                mr__fail(b, q);
            } else if (mr__failed(b, mr__path(rq, p, "role"))) {
                /* The role was refused: no claim about it here (it would
                 * contradict the first error); the mode is left at its
                 * default, as the role was, so later checks see the
                 * consistent pair they would see without either key. */
            } else if (c->role != MR_ROLE_STANDBY) {
                mr_diag_error(b->diag, &sb->mark,
                              "%s: only a cluster with role: standby has a standby mode (this "
                              "one is active); add role: standby or remove standby",
                              q);
            } else if (v >= 0) {
                c->standby = (mr_standby)v;
                mr__record(b, q, sb->text);
            }
        } else if (c->role == MR_ROLE_STANDBY) {
            mr__record(b, q, "hot");
        }
        bind_zones(b, m, p, c);
        bind_cluster_sub(b, m, p, "nodes", mr__nodes_keys, &c->nodes);
        bind_cluster_sub(b, m, p, "pods", mr__pods_keys, &c->pods);
        bind_cluster_sub(b, m, p, "autoscaler", mr__autoscaler_keys, &c->autoscaler);
        bind_cold(b, m, p, c);
        bind_ingress(b, m, p, &c->ingress);
        mr__unknown_keys(b, m, mr__cluster_keys);

        mr_sc_nodes *n = &c->nodes;
        char buf[16];
        if (n->min < 0) {
            n->min = n->count;
            snprintf(buf, sizeof buf, "%d", n->min);
            mr__record(b, mr__path(q, p, "nodes.min"), buf);
        }
        if (n->max < 0) {
            n->max = n->count > n->min ? n->count : n->min;
            snprintf(buf, sizeof buf, "%d", n->max);
            mr__record(b, mr__path(q, p, "nodes.max"), buf);
        }
        if (n->min > n->max || n->count < n->min || n->count > n->max) {
            mr_node *nm = mr_node_get(m, "nodes");
            mr_diag_error(b->diag, nm ? &nm->mark : &c->mark,
                          "%s.nodes: needs min <= count <= max, found min %d, count %d, max %d", p,
                          n->min, n->count, n->max);
        }
        cluster_slots(b, m, p, c);
    }
}

/* ---- traffic ------------------------------------------------------------------- */
/* The family's keys; the rest are the kind's (validate --keys prints each
 * traffic kind's table after this one). */
const mr_param mr__traffic_keys[] = {
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "a traffic kind: traffic_manager, front_door, dns",
     .def = "traffic_manager",
     .doc = "which global layer routes clients to clusters; its keys follow in its own table",
     .ref = "ours"},
    MR_PARAM_END};
/* The keys of an endpoint (an origin); the priority's range is the kind's
 * (its table's `endpoints[].priority` or `origins[].priority` row). */
const mr_param mr__endpoint_keys[] = {
    {.key = "cluster",
     .type = MR_PARAM_T_CODE,
     .type_doc = "cluster name",
     .required = true,
     .doc = "the cluster behind the endpoint",
     .ref = "-"},
    {.key = "priority",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_endpoint, priority),
     .lo = 1,
     .hi = 1000,
     .doc = "lower first; 1 for an active cluster, 2 for a standby when absent",
     .ref = "ours; the kind's range"},
    /* docs/reference.md §2 Routing decision order: weight 1-1000, default 50. */
    {.key = "weight",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_endpoint, weight),
     .def = "50",
     .lo = 1,
     .hi = 1000,
     .doc = "share among endpoints of equal priority (weighted routing)",
     .ref = "docs/reference.md §2 Routing decision order (weight 1-1000, default 50)"},
    MR_PARAM_END};

/* The kinds of family "traffic" in the set, as an enum's choices. */
static const char *const *traffic_kinds(mr__bind *b)
{
    return family_kinds(b, "traffic");
}

static void bind_endpoints(mr__bind *b, mr_node *seq, const char *path, const mr_model *model)
{
    mr_sc_traffic *t = &b->sc->traffic;
    char p[MR__PATH], q[MR__PATH], buf[16];
    /* The endpoint keys, with the priority's range of the kind. */
    mr_param keys[4];
    memcpy(keys, mr__endpoint_keys, sizeof keys);
    snprintf(q, sizeof q, "%s[].priority", strchr(path, '.') + 1);
    const mr_param *pr = mr_param_find(model->params, q, 0);
    if (pr != NULL) {
        keys[1].lo = pr->lo;
        keys[1].hi = pr->hi;
    }
    if (seq == NULL) {
        /* Ours: every cluster, active ones first. */
        t->nendpoints = b->sc->nclusters;
        t->endpoints = mr__alloc(b, t->nendpoints * sizeof *t->endpoints);
        for (size_t i = 0; i < t->nendpoints; i++) {
            mr_sc_endpoint *e = &t->endpoints[i];
            e->cluster = i;
            e->priority = b->sc->clusters[i].role == MR_ROLE_STANDBY ? 2 : 1;
            e->weight = 50; /* docs/reference.md §2 weight default 50 */
            e->mark = t->mark;
            mr__path_index(p, path, i);
            if (b->sc->clusters[i].name)
                mr__record(b, mr__path(q, p, "cluster"), b->sc->clusters[i].name);
            snprintf(buf, sizeof buf, "%d", e->priority);
            mr__record(b, mr__path(q, p, "priority"), buf);
            mr__record(b, mr__path(q, p, "weight"), "50");
        }
        return;
    }
    if (seq->n == 0)
        mr_diag_error(b->diag, &seq->mark, "%s: needs at least one entry such as {cluster: %s}",
                      path, b->clusters.n && b->clusters.v[0] ? b->clusters.v[0] : "aks-weu");
    t->endpoints = mr__alloc(b, seq->n * sizeof *t->endpoints);
    t->nendpoints = seq->n;
    size_t *first = mr__alloc(b, (b->clusters.n + 1) * sizeof *first); /* cluster -> entry */
    for (size_t k = 0; k <= b->clusters.n; k++)
        first[k] = SIZE_MAX;
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_endpoint *e = &t->endpoints[i];
        mr__path_index(p, path, i);
        e->mark = seq->items[i]->mark;
        e->cluster = MR_SC_NONE;
        e->priority = -1;
        mr_node *m = mr__map(b, seq->items[i], p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, keys, 0, "", e);
        mr_node *c = mr_node_take(m, "cluster");
        if (c && !mr_node_is_null(c)) {
            e->cluster = mr__ref(b, c, mr__path(q, p, "cluster"), &b->clusters);
            if (e->cluster != MR_SC_NONE) {
                mr__record(b, q, c->text);
                /* One error per duplicate, naming the first entry (not one
                 * per pair: N copies would print N^2 / 2 lines). */
                if (first[e->cluster] != SIZE_MAX)
                    mr_diag_error(b->diag, &c->mark,
                                  "%s: cluster '%s' already has an endpoint (%s[%zu])", q,
                                  c->text, path, first[e->cluster]);
                else
                    first[e->cluster] = i;
            }
        }
        if (e->priority < 0) {
            e->priority =
                e->cluster != MR_SC_NONE && b->sc->clusters[e->cluster].role == MR_ROLE_STANDBY ? 2
                                                                                                : 1;
            snprintf(buf, sizeof buf, "%d", e->priority);
            mr__record(b, mr__path(q, p, "priority"), buf);
        }
        mr__unknown_keys(b, m, keys);
    }
}

/* The family's own key of a traffic layer, met in its kind's table: its
 * endpoints (`endpoints`, or `origins` for the kind whose table says so),
 * with their priorities and weights copied into the base. */
static void bind_traffic_code(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                              const char *key, void *ctx)
{
    (void)ctx;
    char q[MR__PATH];
    mr_sc_traffic *t = &b->sc->traffic;
    bind_endpoints(b, mr__take_seq(b, m, key, p), mr__path(q, p, key), model);
    mr_traffic_base *base = t->cfg;
    size_t n = t->nendpoints < MR_MAX_ENDPOINTS ? t->nendpoints : MR_MAX_ENDPOINTS;
    base->n = (int64_t)n;
    for (size_t e = 0; e < n; e++) {
        base->priority[e] = t->endpoints[e].priority;
        base->weight[e] = t->endpoints[e].weight;
    }
    if (t->nendpoints > MR_MAX_ENDPOINTS)
        mr_diag_error(b->diag, &t->mark, "%s: more than %d endpoints", q, MR_MAX_ENDPOINTS);
}

void mr__bind_traffic(mr__bind *b, mr_node *m, const mr_mark *root)
{
    mr_sc_traffic *t = &b->sc->traffic;
    t->mark = m ? m->mark : *root;
    if (m == NULL)
        return; /* reported as missing */
    const char *const *kinds = traffic_kinds(b);
    const mr_param kind_row = {.key = "kind",
                               .type = MR_PARAM_T_ENUM,
                               .def = "traffic_manager",
                               .choices = kinds}; /* ours */
    int kind = -1;
    for (int i = 0; kinds[i]; i++)
        if (strcmp(kinds[i], "traffic_manager") == 0)
            kind = i;
    mr_node *kn = mr_node_take(m, "kind");
    if (kinds[0] == NULL || (kind < 0 && mr_node_is_null(kn)) ||
        mr__bind_value(b, mr_node_is_null(kn) ? NULL : kn, "traffic.kind", &kind_row, &kind) !=
            MR_OK) {
        /* Without a kind, only the keys every kind shares can be checked. */
        for (size_t i = 0; i < m->n; i++)
            m->pairs[i].value->used = true;
        return;
    }
    t->model = mr_kinds_find(b->sc->kinds, "traffic", kinds[kind]);
    t->cfg = mr__alloc(b, t->model->cfg_size);
    static const char *const family_keys[] = {"kind", NULL};
    mr__bind_kind(b, m, "traffic", t->model, mr__strf(b, "a %s traffic layer", t->model->kind),
                  family_keys, t->cfg, bind_traffic_code, NULL);
}

/* ---- stamps ----------------------------------------------------------------------- */

const mr_param mr__stamp_keys[] = {{.key = "name",
                                   .type = MR_PARAM_T_CODE,
                                   .type_doc = "name",
                                   .required = true,
                                   .doc = "stamp name",
                                   .ref = "-"},
                                  {.key = "region",
                                   .type = MR_PARAM_T_CODE,
                                   .type_doc = "region name",
                                   .required = true,
                                   .doc = "the stamp's region",
                                   .ref = "-"},
                                  {.key = "clusters",
                                   .type = MR_PARAM_T_CODE,
                                   .type_doc = "sequence of cluster names",
                                   .doc = "clusters of the stamp, all in its region",
                                   .ref = "-"},
                                  {.key = "datastores",
                                   .type = MR_PARAM_T_CODE,
                                   .type_doc = "sequence of datastore names",
                                   .doc = "data stores of the stamp",
                                   .ref = "-"},
                                  MR_PARAM_END};

void mr__bind_stamps(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    sc->nstamps = seq->n;
    sc->stamps = mr__alloc(b, seq->n * sizeof *sc->stamps);
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_stamp *s = &sc->stamps[i];
        s->name = b->stamps.v[i];
        s->mark = seq->items[i]->mark;
        s->region = MR_SC_NONE;
        mr_node *m = mr__named_item(b, seq, i, "stamps", s->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__stamp_keys, 0, "", s);
        mr_node *r = mr_node_take(m, "region");
        if (r && !mr_node_is_null(r)) {
            s->region = mr__ref(b, r, mr__path(q, p, "region"), &b->regions);
            if (s->region != MR_SC_NONE)
                mr__record(b, q, r->text);
        }
        mr_node *cl = mr_node_take(m, "clusters");
        mr__refs(b, cl, mr__path(q, p, "clusters"), &b->clusters, &s->clusters);
        for (size_t k = 0; k < s->clusters.n && s->region != MR_SC_NONE; k++) {
            const mr_sc_cluster *c = &sc->clusters[s->clusters.v[k]];
            if (c->region != MR_SC_NONE && c->region != s->region)
                mr_diag_error(b->diag, &s->clusters.mark,
                              "%s: cluster '%s' is in %s, not in the stamp's region %s", q, c->name,
                              sc->regions[c->region].name, sc->regions[s->region].name);
        }
        mr__refs(b, mr_node_take(m, "datastores"), mr__path(q, p, "datastores"), &b->datastores,
                 &s->datastores);
        mr__unknown_keys(b, m, mr__stamp_keys);
    }
}
