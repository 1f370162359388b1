/* sim/config/sc_topology.c: binds the compute and routing sections:
 * dependencies, clusters (nodes, pods, autoscaler, ingress), the traffic
 * layer (Traffic Manager, Front Door or plain DNS, with its endpoints and
 * probes) and stamps. Every default cites its REFERENCE.md row, or says it
 * is ours. Invariant: as bind.h: one diagnostic per problem, defaults left in
 * place where a value was bad. */
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
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
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_dependency, kind),
     .def = "other",
     .choices = mr_dep_kind_names,
     .doc = "what it is (DESIGN.md: identity, hub firewall, registry, monitoring)",
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
        mr__unknown_keys(b, m, mr__dependency_keys);
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
    /* Ours: REFERENCE.md has no service-time figure; SCENARIO.md's example. */
    {.key = "service_time",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_cluster, service_time),
     .def = "lognormal(25ms, 0.5)",
     .doc = "time a request spends in service",
     .ref = "ours (SCENARIO.md example)"},
    {.key = "autoscaler",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "target_utilization, node_provision",
     .ref = "-"},
    {.key = "ingress", .type = MR_PARAM_T_CODE, .type_doc = "map", .doc = "kind, latency", .ref = "-"},
    MR_PARAM_END};

const mr_param mr__nodes_keys[] = {
    {.key = "count",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_nodes, count),
     .def = "3",
     .lo = 0,
     .hi = 5000,
     .doc = "nodes at the start",
     .ref = "ours (no REFERENCE.md figure)"},
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
    /* REFERENCE.md §10 AKS node Standard_D4s_v5 ≈ $0.192/h (East US). */
    {.key = "sku",
     .type = MR_PARAM_T_TEXT,
     .off = offsetof(mr_sc_nodes, sku),
     .def = "Standard_D4s_v5",
     .doc = "VM size (informative)",
     .ref = "REFERENCE.md §10 AKS node Standard_D4s_v5"},
    {.key = "usd_per_hour",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_nodes, usd_per_hour),
     .def = "0.192",
     .lo = 0,
     .hi = 1000,
     .doc = "price of one node-hour",
     .ref = "REFERENCE.md §10 AKS node Standard_D4s_v5 ($0.192/h East US)"},
    MR_PARAM_END};

const mr_param mr__pods_keys[] = {
    {.key = "per_node",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_pods, per_node),
     .def = "4",
     .lo = 1,
     .hi = 250,
     .doc = "serving pods per node",
     .ref = "ours (SCENARIO.md example)"},
    {.key = "rps_per_pod",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_sc_pods, rps_per_pod),
     .def = "40",
     .lo = 1e-6,
     .hi = 1e9,
     .doc = "requests per second one pod serves",
     .ref = "ours (SCENARIO.md example)"},
    /* REFERENCE.md §9 "Pod startup time: not found"; ours, SCENARIO.md's example
     * (median 20 s, p95 60 s: sigma = ln 3 / 1.645). */
    {.key = "startup",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_pods, startup),
     .def = "lognormal(20s, 0.668)",
     .doc = "time from scheduling to ready",
     .ref = "ours: REFERENCE.md §9 pod startup not found"},
    MR_PARAM_END};

const mr_param mr__autoscaler_keys[] = {
    {.key = "target_utilization",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_autoscaler, target_utilization),
     .def = "0.7",
     .lo = 0.01,
     .hi = 1,
     .doc = "utilization the autoscaler aims at",
     .ref = "ours (SCENARIO.md example)"},
    /* REFERENCE.md §9 "How to model AKS": new node ready in a lognormal time,
     * median ~4-5 min, p95 ~15 min (sigma = ln 3 / 1.645). */
    {.key = "node_provision",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_autoscaler, node_provision),
     .def = "lognormal(5m, 0.668)",
     .doc = "time to add a node",
     .ref = "REFERENCE.md §9 node provisioning (median 5 min, p95 15 min)"},
    MR_PARAM_END};

const mr_param mr__ingress_keys[] = {{.key = "kind",
                                     .type = MR_PARAM_T_ENUM,
                                     .off = offsetof(mr_sc_ingress, kind),
                                     .def = "agc",
                                     .choices = mr_ingress_names,
                                     .doc = "Application Gateway for Containers or NGINX",
                                     .ref = "ours"},
                                    {.key = "latency",
                                     .type = MR_PARAM_T_DURATION,
                                     .off = offsetof(mr_sc_ingress, latency),
                                     .def = "2ms",
                                     .lo = 0,
                                     .hi = 10 * S,
                                     .doc = "latency the ingress adds",
                                     .ref = "ours (no REFERENCE.md figure)"},
                                    MR_PARAM_END};

static void bind_cluster_sub(mr__bind *b, mr_node *m, const char *path, const char *key,
                             const mr_param *keys, void *base)
{
    char p[MR__PATH];
    mr_node *sub = mr__take_map(b, m, key, path);
    mr__bind_keys(b, sub, NULL, mr__path(p, path, key), keys, 0, "", base);
    mr__unknown_keys(b, sub, keys);
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
            if (v >= 0 && c->role != MR_ROLE_STANDBY) {
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
        bind_cluster_sub(b, m, p, "ingress", mr__ingress_keys, &c->ingress);
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
    }
}

/* ---- traffic ------------------------------------------------------------------- */

enum {
    TM = 1u << MR_TRAFFIC_TRAFFIC_MANAGER,
    FD = 1u << MR_TRAFFIC_FRONT_DOOR,
    DNS = 1u << MR_TRAFFIC_DNS
};

#define TTL_MAX (2147483647.0 * S)

const mr_param mr__traffic_keys[] = {
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of traffic_manager, front_door, dns",
     .def = "traffic_manager",
     .doc = "which global layer routes clients to clusters",
     .ref = "ours"},
    {.key = "routing",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_traffic, routing),
     .def = "priority",
     .choices = mr_routing_names,
     .doc = "routing method",
     .ref = "REFERENCE.md §1 routing methods"},
    {.key = "endpoints",
     .type = MR_PARAM_T_CODE,
     .only = TM | DNS,
     .type_doc = "sequence of maps",
     .doc = "clusters answered; every cluster (active priority 1, standby 2) when absent",
     .ref = "ours"},
    {.key = "origins",
     .type = MR_PARAM_T_CODE,
     .only = FD,
     .type_doc = "sequence of maps",
     .doc = "Front Door's name for endpoints",
     .ref = "ours"},
    {.key = "probe",
     .type = MR_PARAM_T_CODE,
     .only = TM | FD,
     .type_doc = "map",
     .doc = "health probes (plain DNS has none: REFERENCE.md §3)",
     .ref = "-"},
    /* REFERENCE.md §1 Default DNS TTL: 30 s (az CLI); range 0 to 2,147,483,647 s. */
    {.key = "ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_traffic, ttl),
     .only = TM,
     .def = "30s",
     .lo = 0,
     .hi = TTL_MAX,
     .doc = "TTL of the DNS answer",
     .ref = "REFERENCE.md §1 Default DNS TTL (30 s), DNS TTL range"},
    /* REFERENCE.md §3 TTL default: the docs' example uses 3600 s; range 1 s to 2^31 - 1 s. */
    {.key = "ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_traffic, ttl),
     .only = DNS,
     .def = "1h",
     .lo = S,
     .hi = TTL_MAX,
     .doc = "TTL of the DNS record",
     .ref = "REFERENCE.md §3 TTL default (3600 s), TTL range"},
    /* REFERENCE.md §2 Probe volume: the doc's example uses ~100 POPs. */
    {.key = "pops",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_traffic, pops),
     .only = FD,
     .def = "100",
     .lo = 1,
     .hi = 1000,
     .doc = "edge locations, each probing on its own",
     .ref = "REFERENCE.md §2 Probe volume (~100 POPs)"},
    /* REFERENCE.md §2 Latency sensitivity: 50 ms (0-1000). */
    {.key = "additional_latency",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_traffic, additional_latency),
     .only = FD,
     .def = "50ms",
     .lo = 0,
     .hi = 1000 * MS,
     .doc = "origins this close to the fastest share traffic",
     .ref = "REFERENCE.md §2 Latency sensitivity (50 ms, 0-1000)"},
    /* REFERENCE.md §2 "How to model": retry on connect failure to another origin
     * is unverified (PR #128720 closed): off unless stated. */
    {.key = "retry_next_origin",
     .type = MR_PARAM_T_BOOL,
     .off = offsetof(mr_sc_traffic, retry_next_origin),
     .only = FD,
     .def = "false",
     .doc = "a request whose origin refuses the connection is retried at the next origin",
     .ref = "REFERENCE.md §2 How to model (unverified vendor behaviour)"},
    /* Ours: REFERENCE.md §3 gives no figure for the operator's delay. */
    {.key = "operator_delay",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_traffic, operator_delay),
     .only = DNS,
     .def = "triangular(10m, 20m, 1h)",
     .doc = "detection, decision and record edit before a DNS failover",
     .ref = "ours: REFERENCE.md §3 gives none (SCENARIO.md example)"},
    MR_PARAM_END};

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
     .only = TM | DNS,
     .lo = 1,
     .hi = 1000,
     .doc = "lower first; 1 for an active cluster, 2 for a standby when absent",
     .ref = "ours"},
    /* REFERENCE.md §2 Routing decision order: priority 1-5. */
    {.key = "priority",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_endpoint, priority),
     .only = FD,
     .lo = 1,
     .hi = 5,
     .doc = "lower first; 1 for an active cluster, 2 for a standby when absent",
     .ref = "REFERENCE.md §2 Routing decision order (1-5)"},
    /* REFERENCE.md §2 Routing decision order: weight 1-1000, default 50. */
    {.key = "weight",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_endpoint, weight),
     .def = "50",
     .lo = 1,
     .hi = 1000,
     .doc = "share among endpoints of equal priority (weighted routing)",
     .ref = "REFERENCE.md §2 Routing decision order (weight 1-1000, default 50)"},
    MR_PARAM_END};

const mr_param mr__probe_keys[] = {
    /* REFERENCE.md §1 Probing interval: 30 s (default) or 10 s only. */
    {.key = "interval",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_probe, interval),
     .only = TM,
     .def = "30s",
     .lo = 10 * S,
     .hi = 30 * S,
     .doc = "10s or 30s",
     .ref = "REFERENCE.md §1 Probing interval"},
    /* REFERENCE.md §2 Probe interval: pick explicitly; 30 s, the conceptual doc's
     * default, range 5 s to 31,536,000 s. */
    {.key = "interval",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_probe, interval),
     .only = FD,
     .def = "30s",
     .lo = 5 * S,
     .hi = 31536000.0 * S,
     .doc = "time between probes of one POP",
     .ref = "REFERENCE.md §2 Probe interval default (30 s, conceptual doc)"},
    /* REFERENCE.md §1 Probe timeout: 5-10 s, default 10 s (5-9 s, default 9 s at 10 s). */
    {.key = "timeout",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_probe, timeout),
     .only = TM,
     .lo = 5 * S,
     .hi = 10 * S,
     .type_doc = "duration",
     .doc = "10s with a 30s interval, 9s with 10s when absent; at most 9s with 10s",
     .ref = "REFERENCE.md §1 Probe timeout"},
    /* Ours: REFERENCE.md §2 publishes no Front Door probe timeout (DESIGN.md rule 2:
     * a parameter); Traffic Manager's default (§1 "Probe timeout", 10 s) stands in. */
    {.key = "timeout",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_probe, timeout),
     .only = FD,
     .def = "10s",
     .lo = 0,
     .hi = 3600.0 * S,
     .doc = "a probe of a down origin fails after this; at most interval",
     .ref = "ours: no Front Door figure (REFERENCE.md §2); TM's 10 s (§1)"},
    /* REFERENCE.md §1 Tolerated number of failures: 0-9, default 3. */
    {.key = "tolerated_failures",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, tolerated_failures),
     .only = TM,
     .def = "3",
     .lo = 0,
     .hi = 9,
     .doc = "failed probes tolerated before Degraded",
     .ref = "REFERENCE.md §1 Tolerated number of failures"},
    /* REFERENCE.md §2 Sample size: default 4, range 0-255 (0 would never decide). */
    {.key = "sample_size",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, sample_size),
     .only = FD,
     .def = "4",
     .lo = 1,
     .hi = 255,
     .doc = "probes in the health window",
     .ref = "REFERENCE.md §2 Sample size"},
    /* REFERENCE.md §2 Successful samples required: default 3. */
    {.key = "successful_samples_required",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, successful_samples_required),
     .only = FD,
     .def = "3",
     .lo = 1,
     .hi = 255,
     .doc = "healthy when this many of the window succeeded; at most sample_size",
     .ref = "REFERENCE.md §2 Successful samples required"},
    /* Ours: REFERENCE.md §1 "Probe origin" says probes come from multiple
     * locations, not how many; one keeps DESIGN.md rule 1 exact by default. */
    {.key = "locations",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, locations),
     .only = TM,
     .def = "1",
     .lo = 1,
     .hi = 100,
     .doc = "probing regions, each with its own phase and failure count",
     .ref = "ours: REFERENCE.md §1 Probe origin gives no count"},
    /* REFERENCE.md §1 "How to model": a quorum across regions is not documented;
     * default any region. */
    {.key = "quorum",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, quorum),
     .only = TM,
     .def = "1",
     .lo = 1,
     .hi = 100,
     .doc = "Degraded once this many locations count enough failures; at most locations",
     .ref = "REFERENCE.md §1 How to model (quorum not documented: any)"},
    {.key = "locations",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_probe, locations),
     .only = FD,
     .lo = 1,
     .hi = 1000,
     .type_doc = "integer",
     .doc = "probing POPs; traffic.pops when absent",
     .ref = "REFERENCE.md §2 (every POP probes)"},
    MR_PARAM_END};

static void bind_endpoints(mr__bind *b, mr_node *seq, const char *path, unsigned only,
                           const char *what)
{
    mr_sc_traffic *t = &b->sc->traffic;
    char p[MR__PATH], q[MR__PATH], buf[16];
    if (seq == NULL) {
        /* Ours: every cluster, active ones first. */
        t->nendpoints = b->sc->nclusters;
        t->endpoints = mr__alloc(b, t->nendpoints * sizeof *t->endpoints);
        for (size_t i = 0; i < t->nendpoints; i++) {
            mr_sc_endpoint *e = &t->endpoints[i];
            e->cluster = i;
            e->priority = b->sc->clusters[i].role == MR_ROLE_STANDBY ? 2 : 1;
            e->weight = 50; /* REFERENCE.md §2 weight default 50 */
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
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_endpoint *e = &t->endpoints[i];
        mr__path_index(p, path, i);
        e->mark = seq->items[i]->mark;
        e->cluster = MR_SC_NONE;
        e->priority = -1;
        mr_node *m = mr__map(b, seq->items[i], p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__endpoint_keys, only, what, e);
        mr_node *c = mr_node_take(m, "cluster");
        if (c && !mr_node_is_null(c)) {
            e->cluster = mr__ref(b, c, mr__path(q, p, "cluster"), &b->clusters);
            if (e->cluster != MR_SC_NONE) {
                mr__record(b, q, c->text);
                for (size_t j = 0; j < i; j++)
                    if (t->endpoints[j].cluster == e->cluster)
                        mr_diag_error(b->diag, &c->mark,
                                      "%s: cluster '%s' already has an endpoint (%s[%zu])", q,
                                      c->text, path, j);
            }
        }
        if (e->priority < 0) {
            e->priority =
                e->cluster != MR_SC_NONE && b->sc->clusters[e->cluster].role == MR_ROLE_STANDBY ? 2
                                                                                                : 1;
            snprintf(buf, sizeof buf, "%d", e->priority);
            mr__record(b, mr__path(q, p, "priority"), buf);
        }
        mr__unknown_keys(b, m, mr__endpoint_keys);
    }
}

static void bind_probe(mr__bind *b, mr_node *tmap, unsigned only, const char *what)
{
    mr_sc_traffic *t = &b->sc->traffic;
    mr_sc_probe *pr = &t->probe;
    if (t->kind == MR_TRAFFIC_DNS)
        return; /* reported as a key that does not apply */
    mr_node *m = mr__take_map(b, tmap, "probe", "traffic");
    mr__bind_keys(b, m, &t->mark, "traffic.probe", mr__probe_keys, only, what, pr);
    mr__unknown_keys(b, m, mr__probe_keys);
    char buf[32];
    if (t->kind == MR_TRAFFIC_TRAFFIC_MANAGER) {
        mr_node *in = mr_node_get(m, "interval");
        if (pr->interval != 10 * MR_S && pr->interval != 30 * MR_S) {
            mr_time_format_unit(pr->interval, buf, sizeof buf);
            mr_diag_error(b->diag, in ? &in->mark : &t->mark,
                          "traffic.probe.interval: Traffic Manager probes every 30s or 10s only "
                          "(REFERENCE.md §1), found %s",
                          buf);
        }
        mr_time hi = pr->interval == 10 * MR_S ? 9 * MR_S : 10 * MR_S;
        if (pr->timeout == 0) {
            pr->timeout = hi;
            mr_time_format_unit(hi, buf, sizeof buf);
            mr__record(b, "traffic.probe.timeout", buf);
        } else if (pr->timeout > hi) {
            mr_node *tn = mr_node_get(m, "timeout");
            char h[32];
            mr_time_format_unit(pr->timeout, buf, sizeof buf);
            mr_time_format_unit(hi, h, sizeof h);
            mr_diag_error(b->diag, tn ? &tn->mark : &t->mark,
                          "traffic.probe.timeout: %s is out of range [5s, %s] with a %s probe "
                          "interval (REFERENCE.md §1)",
                          buf, h, pr->interval == 10 * MR_S ? "10s" : "30s");
        }
        if (pr->quorum > pr->locations) {
            mr_node *qn = mr_node_get(m, "quorum");
            mr_diag_error(b->diag, qn ? &qn->mark : (m ? &m->mark : &t->mark),
                          "traffic.probe.quorum: %d is more than locations (%d)", pr->quorum,
                          pr->locations);
        }
    } else {
        if (pr->timeout > pr->interval) {
            mr_node *tn = mr_node_get(m, "timeout");
            mr_diag_error(b->diag, tn ? &tn->mark : (m ? &m->mark : &t->mark),
                          "traffic.probe.timeout: must be at most the probe interval");
        }
        if (pr->locations == 0) {
            pr->locations = t->pops;
            snprintf(buf, sizeof buf, "%d", pr->locations);
            mr__record(b, "traffic.probe.locations", buf);
        }
        if (pr->sample_size > 32) {
            mr_node *sn = mr_node_get(m, "sample_size");
            mr_diag_error(b->diag, sn ? &sn->mark : (m ? &m->mark : &t->mark),
                          "traffic.probe.sample_size: %d is more than the 32 samples this "
                          "version keeps per POP and origin",
                          pr->sample_size);
        }
        if (pr->successful_samples_required > pr->sample_size) {
            mr_node *sn = mr_node_get(m, "successful_samples_required");
            mr_diag_error(b->diag, sn ? &sn->mark : (m ? &m->mark : &t->mark),
                          "traffic.probe.successful_samples_required: %d is more than "
                          "sample_size (%d)",
                          pr->successful_samples_required, pr->sample_size);
        }
    }
}

void mr__bind_traffic(mr__bind *b, mr_node *m, const mr_mark *root)
{
    mr_sc_traffic *t = &b->sc->traffic;
    t->mark = m ? m->mark : *root;
    t->ttl = MR_SC_UNSET;
    if (m == NULL)
        return; /* reported as missing */
    static const mr_param kind_row = {.key = "kind",
                                     .type = MR_PARAM_T_ENUM,
                                     .def = "traffic_manager",
                                     .choices = mr_traffic_kind_names}; /* ours */
    int kind = MR_TRAFFIC_TRAFFIC_MANAGER;
    mr_node *kn = mr_node_take(m, "kind");
    if (mr__bind_value(b, mr_node_is_null(kn) ? NULL : kn, "traffic.kind", &kind_row, &kind) !=
        MR_OK) {
        /* Without a kind, only the keys every kind shares can be checked. */
        for (size_t i = 0; i < m->n; i++)
            m->pairs[i].value->used = true;
        return;
    }
    t->kind = (mr_traffic_kind)kind;
    unsigned only = 1u << kind;
    const char *what = kind == MR_TRAFFIC_FRONT_DOOR ? "a front_door traffic layer"
                       : kind == MR_TRAFFIC_DNS
                           ? "a dns traffic layer (plain Azure DNS has no health probes)"
                           : "a traffic_manager traffic layer";
    mr__bind_keys(b, m, NULL, "traffic", mr__traffic_keys, only, what, t);
    if (kind == MR_TRAFFIC_FRONT_DOOR) {
        mr_node *e = mr_node_get(m, "endpoints");
        if (e && !e->used) {
            mr_node_pair *pr = mr_node_pair_of(m, "endpoints");
            e->used = true;
            mr_diag_error(b->diag, &pr->key->mark,
                          "traffic.endpoints: Front Door calls them origins: write "
                          "traffic.origins");
        }
        bind_endpoints(b, mr__take_seq(b, m, "origins", "traffic"), "traffic.origins", only, what);
    } else {
        mr_node *o = mr_node_get(m, "origins");
        if (o && !o->used) {
            mr_node_pair *pr = mr_node_pair_of(m, "origins");
            o->used = true;
            mr_diag_error(b->diag, &pr->key->mark,
                          "traffic.origins: origins are Front Door's; a %s layer has endpoints: "
                          "write traffic.endpoints",
                          mr_traffic_kind_names[kind]);
        }
        bind_endpoints(b, mr__take_seq(b, m, "endpoints", "traffic"), "traffic.endpoints", only,
                       what);
    }
    bind_probe(b, m, only, what);
    mr__unknown_keys(b, m, mr__traffic_keys);
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
