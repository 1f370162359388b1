/* sim/config/sc_data.c: binds datastores: Azure SQL failover groups, Cosmos
 * DB accounts, Azure Cache for Redis geo-replication and Blob Storage
 * redundancy (REFERENCE.md §5-§8). A key that belongs to another kind of
 * store is reported as not applying to this one. Invariant: as bind.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/error.h"

#define S ((double)MR_S)
#define MIN ((double)MR_MIN)
#define H ((double)MR_H)

enum {
    SQL = 1u << MR_STORE_SQL,
    COSMOS = 1u << MR_STORE_COSMOS,
    REDIS = 1u << MR_STORE_REDIS,
    BLOB = 1u << MR_STORE_BLOB,
};

const mr_param mr__store_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "store name",
     .ref = "-"},
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of sql, cosmos, redis, blob",
     .required = true,
     .doc = "the service",
     .ref = "-"},
    {.key = "primary",
     .type = MR_PARAM_T_CODE,
     .only = SQL | REDIS | BLOB,
     .type_doc = "region name",
     .required = true,
     .doc = "the writable region",
     .ref = "-"},
    {.key = "replicas",
     .type = MR_PARAM_T_CODE,
     .only = SQL | REDIS | BLOB,
     .type_doc = "sequence of {region, readable}",
     .doc = "geo-secondaries",
     .ref = "-"},
    {.key = "regions",
     .type = MR_PARAM_T_CODE,
     .only = COSMOS,
     .type_doc = "sequence of region names",
     .required = true,
     .doc = "every region of the account",
     .ref = "-"},
    {.key = "write_regions",
     .type = MR_PARAM_T_CODE,
     .only = COSMOS,
     .type_doc = "sequence of region names",
     .doc = "writable regions, a subset of regions; the first region when absent; several = "
            "multi-region writes",
     .ref = "ours"},
    /* REFERENCE.md §6 Usage prevalence: about 73% of tenants use Session. */
    {.key = "consistency",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_datastore, consistency),
     .only = COSMOS,
     .def = "session",
     .choices = mr_consistency_names,
     .doc = "consistency level",
     .ref = "REFERENCE.md §6 Usage prevalence (Session, 73%)"},
    {.key = "bounded",
     .type = MR_PARAM_T_CODE,
     .only = COSMOS,
     .type_doc = "map {versions, time}",
     .doc = "bounded-staleness bounds",
     .ref = "REFERENCE.md §6"},
    {.key = "keys",
     .type = MR_PARAM_T_CODE,
     .only = COSMOS,
     .type_doc = "map {count, popularity}",
     .doc = "the key space, for conflicts",
     .ref = "-"},
    /* REFERENCE.md §10 Cosmos DB billing example: 10K RU/s. */
    {.key = "ru_per_s",
     .type = MR_PARAM_T_NUMBER,
     .off = offsetof(mr_sc_datastore, ru_per_s),
     .only = COSMOS,
     .def = "10000",
     .lo = 100,
     .hi = 1e9,
     .doc = "provisioned throughput per region",
     .ref = "REFERENCE.md §10 Cosmos DB provisioned throughput (10K RU/s example)"},
    {.key = "geo",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_datastore, geo),
     .only = REDIS,
     .def = "passive",
     .choices = mr_geo_names,
     .doc = "passive (Premium, 2 caches) or active (Enterprise, up to 5)",
     .ref = "REFERENCE.md §7"},
    {.key = "redundancy",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_datastore, redundancy),
     .only = BLOB,
     .def = "grs",
     .choices = mr_redundancy_names,
     .doc = "storage redundancy",
     .ref = "ours (REFERENCE.md §8 lists them)"},
    {.key = "replication",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {lag, sample}",
     .doc = "replication lag",
     .ref = "-"},
    {.key = "failover",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {mode, grace, decision, duration}",
     .doc = "how the store fails over",
     .ref = "-"},
    /* REFERENCE.md §5 Client redirection: listener TTL 30 s (third parties; unverified). */
    {.key = "listener_ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_datastore, listener_ttl),
     .only = SQL,
     .def = "30s",
     .lo = 0,
     .hi = 86400 * S,
     .doc = "TTL of the failover-group listener CNAME",
     .ref = "REFERENCE.md §5 Client redirection (30 s, unverified)"},
    /* REFERENCE.md §7 gives no hit ratio: a workload value the scenario states. */
    {.key = "hit_ratio",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_datastore, hit_ratio),
     .only = REDIS,
     .required = true,
     .lo = 0,
     .hi = 1,
     .doc = "share of reads the warm cache serves (cache-aside in front of the next store in "
            "clients' uses)",
     .ref = "ours: workload (REFERENCE.md §7 has none)"},
    /* REFERENCE.md §7 "Model a hit-ratio ramp": its length is not published. */
    {.key = "warm_up",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_datastore, warm_up),
     .only = REDIS,
     .required = true,
     .lo = 0,
     .hi = 86400 * S,
     .doc = "after a failover or an outage the hit ratio ramps from 0 over this",
     .ref = "ours: REFERENCE.md §7 How to model Redis (ramp, no figure)"},
    /* REFERENCE.md §10: SQL and Redis prices not found; ours 0. */
    {.key = "usd_per_month",
     .type = MR_PARAM_T_MONEY,
     .off = offsetof(mr_sc_datastore, usd_per_month),
     .def = "0",
     .lo = 0,
     .hi = 1e9,
     .doc = "fixed monthly price: per copy for sql and redis (the primary and each replica), "
            "once for blob (the redundancy covers the copies), on top of the RU/s for cosmos",
     .ref = "ours: REFERENCE.md §10 prices not found"},
    MR_PARAM_END};

const mr_param mr__replica_keys[] = {{.key = "region",
                                     .type = MR_PARAM_T_CODE,
                                     .type_doc = "region name",
                                     .required = true,
                                     .doc = "the secondary's region",
                                     .ref = "-"},
                                    {.key = "readable",
                                     .type = MR_PARAM_T_BOOL,
                                     .off = offsetof(mr_sc_replica, readable),
                                     .def = "false",
                                     .doc = "serves reads (stale by the lag)",
                                     .ref = "ours"},
                                    MR_PARAM_END};

const mr_param mr__replication_keys[] = {
    /* REFERENCE.md §5 "How to model Azure SQL": lognormal, median ~1 s, p99 <= 5 s
     * (sigma = ln 5 / 2.326). */
    {.key = "lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_datastore, lag),
     .only = SQL,
     .def = "lognormal(1s, 0.69)",
     .doc = "replication lag",
     .ref = "REFERENCE.md §5 How to model Azure SQL (median 1 s, p99 5 s)"},
    /* Ours: REFERENCE.md §6 gives the shape (RTT/2 plus a lognormal queue), not its size. */
    {.key = "lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_datastore, lag),
     .only = COSMOS,
     .def = "lognormal(100ms, 0.8)",
     .doc = "replication lag",
     .ref = "ours: REFERENCE.md §6 How to model Cosmos DB (shape only)"},
    /* Ours: REFERENCE.md §7 "the same lag model as Cosmos DB with a small median". */
    {.key = "lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_datastore, lag),
     .only = REDIS,
     .def = "lognormal(50ms, 0.8)",
     .doc = "replication lag",
     .ref = "ours: REFERENCE.md §7 How to model Redis"},
    /* REFERENCE.md §8 How to model Blob Storage: median of minutes, mostly under 15 min. */
    {.key = "lag",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_datastore, lag),
     .only = BLOB,
     .def = "lognormal(3m, 0.6)",
     .doc = "replication lag",
     .ref = "REFERENCE.md §8 Geo RPO (< 15 min typical)"},
    {.key = "sample",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_datastore, lag_sample),
     .def = "1s",
     .lo = (double)MR_MS,
     .hi = 3600 * S,
     .doc = "how often the lag is drawn anew",
     .ref = "ours (simulation setting)"},
    MR_PARAM_END};

const mr_param mr__store_failover_keys[] = {
    /* REFERENCE.md §5 failover groups fail over automatically after the grace period. */
    {.key = "mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_store_failover, mode),
     .only = SQL | COSMOS,
     .def = "automatic",
     .choices = mr_failover_mode_names,
     .doc = "automatic (failover group / service-managed) or manual",
     .ref = "REFERENCE.md §5 failover group, §6 service-managed failover"},
    /* REFERENCE.md §7 Redis: no automatic failover; §8 Blob: customer-managed. */
    {.key = "mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_store_failover, mode),
     .only = REDIS | BLOB,
     .def = "manual",
     .choices = mr_failover_mode_names,
     .doc = "manual (customer) or automatic (blob: Microsoft-managed)",
     .ref = "REFERENCE.md §7 Passive geo failover, §8 Customer-managed failover"},
    /* REFERENCE.md §5 GracePeriodWithDataLossHours: default 1 h, cannot be below 1 h. */
    {.key = "grace",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_store_failover, grace),
     .only = SQL,
     .def = "1h",
     .lo = H,
     .hi = 10000 * H,
     .doc = "automatic mode: wait before failing over with data loss",
     .ref = "REFERENCE.md §5 Failover group grace period"},
    /* Ours: no REFERENCE.md figure for a human decision. */
    {.key = "decision",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_store_failover, decision),
     .def = "triangular(10m, 20m, 1h)",
     .doc = "manual mode: detection and decision before the switch",
     .ref = "ours (SCENARIO.md example)"},
    /* REFERENCE.md §5 Manual database failover (forced): RTO 30 s. */
    {.key = "duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_store_failover, duration),
     .only = SQL,
     .def = "30s",
     .doc = "the switch itself",
     .ref = "REFERENCE.md §5 RTO/RPO table (forced failover 30 s)"},
    /* REFERENCE.md §6: service-managed failover, RTO < 15 min. */
    {.key = "duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_store_failover, duration),
     .only = COSMOS,
     .def = "uniform(0s, 15m)",
     .doc = "the switch itself",
     .ref = "REFERENCE.md §6 How to model Cosmos DB (cap 15 min)"},
    /* Ours: REFERENCE.md §7 says "minutes; parameter". */
    {.key = "duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_store_failover, duration),
     .only = REDIS,
     .def = "uniform(1m, 5m)",
     .doc = "unlink and repoint",
     .ref = "ours: REFERENCE.md §7 (minutes)"},
    /* REFERENCE.md §8: customer failover ~ N(60 min, sigma); sigma ours. */
    {.key = "duration",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_store_failover, duration),
     .only = BLOB,
     .def = "normal(60m, 15m)",
     .doc = "the account failover",
     .ref = "REFERENCE.md §8 Customer-managed failover time (about an hour)"},
    MR_PARAM_END};

typedef struct bounded {
    int64_t versions;
    mr_time time;
} bounded;

const mr_param mr__bounded_keys[] = {
    /* REFERENCE.md §6 Bounded staleness minimums: multi-region K >= 100,000, T >= 300 s;
     * single region K >= 10, T >= 5 s; T <= 86,400 s. The defaults are the minimums. */
    {.key = "versions",
     .type = MR_PARAM_T_INT64,
     .off = offsetof(bounded, versions),
     .lo = 10,
     .hi = 2147483647.0,
     .type_doc = "integer",
     .doc = "K: writes a read may lag; 100000 (multi-region) or 10 when absent",
     .ref = "REFERENCE.md §6 Bounded staleness minimums"},
    {.key = "time",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(bounded, time),
     .lo = 5 * S,
     .hi = 86400 * S,
     .type_doc = "duration",
     .doc = "T: time a read may lag; 300s (multi-region) or 5s when absent",
     .ref = "REFERENCE.md §6 Bounded staleness minimums, API ranges"},
    MR_PARAM_END};

typedef struct keyspace {
    int64_t count;
} keyspace;

const mr_param mr__keyspace_keys[] = {{.key = "count",
                                      .type = MR_PARAM_T_INT64,
                                      .off = offsetof(keyspace, count),
                                      .def = "100000",
                                      .lo = 1,
                                      .hi = 1e12,
                                      .doc = "distinct keys",
                                      .ref = "ours (SCENARIO.md example)"},
                                     {.key = "popularity",
                                      .type = MR_PARAM_T_CODE,
                                      .type_doc = "uniform or zipf(S)",
                                      .def = "uniform",
                                      .doc = "which keys requests touch",
                                      .ref = "ours"},
                                     MR_PARAM_END};

static void bind_region_ref(mr__bind *b, mr_node *m, const char *path, const char *key, size_t *dst)
{
    char q[MR__PATH];
    mr_node *n = mr_node_take(m, key);
    if (n == NULL || mr_node_is_null(n))
        return;
    *dst = mr__ref(b, n, mr__path(q, path, key), &b->regions);
    if (*dst != MR_SC_NONE)
        mr__record(b, q, n->text);
}

static void bind_replicas(mr__bind *b, mr_node *m, const char *path, mr_sc_datastore *d)
{
    char p[MR__PATH], q[MR__PATH];
    mr_node *seq = mr__take_seq(b, m, "replicas", path);
    if (seq == NULL)
        return;
    mr__path(p, path, "replicas");
    d->replicas = mr__alloc(b, seq->n * sizeof *d->replicas);
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_replica *r = &d->replicas[d->nreplicas];
        mr__path_index(q, p, i);
        r->mark = seq->items[i]->mark;
        r->region = MR_SC_NONE;
        mr_node *rm = seq->items[i];
        if (rm->kind == MR_NODE_SCALAR && !rm->null) {
            /* Short form: a region name. */
            r->region = mr__ref(b, rm, q, &b->regions);
        } else {
            rm = mr__map(b, rm, q);
            if (rm == NULL)
                continue;
            mr__bind_keys(b, rm, NULL, q, mr__replica_keys, 0, "", r);
            bind_region_ref(b, rm, q, "region", &r->region);
            mr__unknown_keys(b, rm, mr__replica_keys);
        }
        if (r->region == MR_SC_NONE)
            continue;
        if (r->region == d->primary) {
            mr_diag_error(b->diag, &r->mark, "%s: the replica is in the primary's region %s", q,
                          b->sc->regions[r->region].name);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < d->nreplicas; j++)
            dup = dup || d->replicas[j].region == r->region;
        if (dup) {
            mr_diag_error(b->diag, &r->mark, "%s: region %s already has a replica", q,
                          b->sc->regions[r->region].name);
            continue;
        }
        d->nreplicas++;
    }
}

static void bind_popularity(mr__bind *b, mr_node *n, const char *path, mr_sc_datastore *d)
{
    d->zipf = 0;
    if (n == NULL || mr_node_is_null(n)) {
        mr__record(b, path, "uniform");
        return;
    }
    n->used = true;
    double s;
    if (n->kind == MR_NODE_SCALAR && strcmp(n->text, "uniform") == 0) {
        mr__record(b, path, n->text);
        return;
    }
    if (n->kind == MR_NODE_SCALAR && strncmp(n->text, "zipf(", 5) == 0 &&
        n->text[strlen(n->text) - 1] == ')') {
        char *end;
        s = strtod(n->text + 5, &end);
        if (end != n->text + 5 && *end == ')' && end[1] == '\0' && s >= 0 && s <= 10) {
            d->zipf = s;
            mr__record(b, path, n->text);
            return;
        }
    }
    mr_diag_error(b->diag, &n->mark,
                  "%s: expected uniform or zipf(S) with S in [0, 10] (such as zipf(0.9)), found %s",
                  path, n->kind == MR_NODE_SCALAR ? n->text : mr_node_describe(n));
}

static void bind_cosmos(mr__bind *b, mr_node *m, const char *p, mr_sc_datastore *d)
{
    mr_scenario *sc = b->sc;
    char q[MR__PATH], buf[32];
    mr_node *rn = mr_node_take(m, "regions");
    mr__refs(b, rn, mr__path(q, p, "regions"), &b->regions, &d->regions);
    if (rn && !mr_node_is_null(rn) && rn->kind == MR_NODE_SEQ && rn->n == 0)
        mr_diag_error(b->diag, &rn->mark, "%s: a Cosmos DB account needs at least one region", q);
    mr_node *wn = mr_node_take(m, "write_regions");
    mr__path(q, p, "write_regions");
    if (wn && !mr_node_is_null(wn)) {
        mr__refs(b, wn, q, &b->regions, &d->write_regions);
        for (size_t i = 0; i < d->write_regions.n; i++) {
            bool in = false;
            for (size_t j = 0; j < d->regions.n; j++)
                in = in || d->regions.v[j] == d->write_regions.v[i];
            if (!in && d->regions.n > 0)
                mr_diag_error(b->diag, &d->write_regions.mark,
                              "%s: %s is not one of the account's regions", q,
                              sc->regions[d->write_regions.v[i]].name);
        }
    } else if (d->regions.n > 0) {
        /* Ours: single-region writes, in the first region. */
        d->write_regions.n = 1;
        d->write_regions.v = mr__alloc(b, sizeof(size_t));
        d->write_regions.v[0] = d->regions.v[0];
        d->write_regions.mark = d->regions.mark;
        mr__record(b, q, mr__strf(b, "[%s]", sc->regions[d->regions.v[0]].name));
    }
    if (d->write_regions.n > 0)
        d->primary = d->write_regions.v[0];
    bool multi_region = d->regions.n > 1;
    /* REFERENCE.md §6 Strong and multi-write: not allowed together. */
    if (d->consistency == MR_CONSISTENCY_STRONG && d->write_regions.n > 1) {
        mr_node *cn = mr_node_get(m, "consistency");
        mr_diag_error(b->diag, cn ? &cn->mark : &d->mark,
                      "%s.consistency: strong consistency cannot be combined with several "
                      "write regions (REFERENCE.md §6)",
                      p);
    }
    /* REFERENCE.md §6 Bounded staleness minimums. */
    bounded bd = {-1, -1};
    mr_node *bn = mr__take_map(b, m, "bounded", p);
    mr__path(q, p, "bounded");
    if (bn && d->consistency != MR_CONSISTENCY_BOUNDED)
        mr_diag_error(b->diag, &bn->mark, "%s: applies to consistency: bounded only", q);
    mr__bind_keys(b, bn, NULL, q, mr__bounded_keys, 0, "", &bd);
    mr__unknown_keys(b, bn, mr__bounded_keys);
    int64_t kmin = multi_region ? 100000 : 10;
    mr_time tmin = multi_region ? 300 * MR_S : 5 * MR_S;
    char r[MR__PATH];
    if (bd.versions < 0) {
        bd.versions = kmin;
        snprintf(buf, sizeof buf, "%lld", (long long)kmin);
        mr__record(b, mr__path(r, q, "versions"), buf);
    } else if (bd.versions < kmin) {
        mr_node *vn = mr_node_get(bn, "versions");
        mr_diag_error(b->diag, &vn->mark,
                      "%s.versions: %lld is out of range: must be at least %lld for a %s account "
                      "(REFERENCE.md §6)",
                      q, (long long)bd.versions, (long long)kmin,
                      multi_region ? "multi-region" : "single-region");
    }
    if (bd.time < 0) {
        bd.time = tmin;
        mr__fmt_time(tmin, buf, sizeof buf);
        mr__record(b, mr__path(r, q, "time"), buf);
    } else if (bd.time < tmin) {
        mr_node *tn = mr_node_get(bn, "time");
        char t1[32], t2[32];
        mr__fmt_time(bd.time, t1, sizeof t1);
        mr__fmt_time(tmin, t2, sizeof t2);
        mr_diag_error(b->diag, &tn->mark,
                      "%s.time: %s is out of range: must be at least %s for a %s account "
                      "(REFERENCE.md §6)",
                      q, t1, t2, multi_region ? "multi-region" : "single-region");
    }
    d->bounded_versions = bd.versions;
    d->bounded_time = bd.time;
    keyspace ks = {0};
    mr_node *kn = mr__take_map(b, m, "keys", p);
    mr__path(q, p, "keys");
    mr__bind_keys(b, kn, NULL, q, mr__keyspace_keys, 0, "", &ks);
    mr_node *pop = mr_node_take(kn, "popularity");
    bind_popularity(b, pop, mr__path(r, q, "popularity"), d);
    mr__unknown_keys(b, kn, mr__keyspace_keys);
    d->keys = ks.count;
}

static void bind_store(mr__bind *b, mr_node *m, const char *p, mr_sc_datastore *d)
{
    char q[MR__PATH];
    static const mr_param kind_row = {
        .key = "kind", .type = MR_PARAM_T_ENUM, .required = true, .choices = mr_store_kind_names};
    mr_node *kn = mr_node_take(m, "kind");
    int kind = 0;
    if (kn == NULL || mr_node_is_null(kn)) {
        mr_diag_error(b->diag, &m->mark,
                      "%s: missing required key 'kind' (one of sql, cosmos, "
                      "redis, blob)",
                      p);
        for (size_t k = 0; k < m->n; k++)
            m->pairs[k].value->used = true;
        return;
    }
    if (mr__bind_value(b, kn, mr__path(q, p, "kind"), &kind_row, &kind) != MR_OK) {
        for (size_t k = 0; k < m->n; k++)
            m->pairs[k].value->used = true;
        return;
    }
    d->kind = (mr_store_kind)kind;
    unsigned only = 1u << kind;
    const char *what = mr__strf(b, "a %s datastore", mr_store_kind_names[kind]);
    mr__bind_keys(b, m, NULL, p, mr__store_keys, only, what, d);
    if (kind != MR_STORE_COSMOS) {
        bind_region_ref(b, m, p, "primary", &d->primary);
        bind_replicas(b, m, p, d);
    } else {
        bind_cosmos(b, m, p, d);
    }
    if (kind != MR_STORE_SQL)
        d->listener_ttl = MR_SC_UNSET;

    mr_node *rn = mr__take_map(b, m, "replication", p);
    mr__bind_keys(b, rn, NULL, mr__path(q, p, "replication"), mr__replication_keys, only, what, d);
    mr__unknown_keys(b, rn, mr__replication_keys);

    mr_node *fn = mr__take_map(b, m, "failover", p);
    mr__bind_keys(b, fn, NULL, mr__path(q, p, "failover"), mr__store_failover_keys, only, what,
                  &d->failover);
    mr__unknown_keys(b, fn, mr__store_failover_keys);
    if (kind == MR_STORE_REDIS && d->failover.mode == MR_FAILOVER_AUTOMATIC &&
        d->geo == MR_GEO_PASSIVE) {
        mr_node *mn = mr_node_get(fn, "mode");
        mr_diag_error(b->diag, mn ? &mn->mark : &d->mark,
                      "%s.failover.mode: passive geo-replication has no automatic failover "
                      "(REFERENCE.md §7): use manual",
                      p);
    }
    if (kind == MR_STORE_SQL && d->failover.mode == MR_FAILOVER_AUTOMATIC && d->nreplicas > 1)
        mr_diag_error(b->diag, &d->mark,
                      "%s.replicas: a failover group (automatic mode) has one secondary, found "
                      "%zu (REFERENCE.md §5); use failover.mode: manual for active "
                      "geo-replication",
                      p, d->nreplicas);
    if (kind == MR_STORE_SQL && d->nreplicas > 4)
        mr_diag_error(b->diag, &d->mark,
                      "%s.replicas: at most 4 geo-secondaries (REFERENCE.md §5), found %zu", p,
                      d->nreplicas);
    if (kind == MR_STORE_REDIS) {
        size_t max = d->geo == MR_GEO_PASSIVE ? 1 : 4;
        if (d->nreplicas > max)
            mr_diag_error(b->diag, &d->mark,
                          "%s.replicas: %s geo-replication links at most %zu caches "
                          "(REFERENCE.md §7), found %zu",
                          p, mr_geo_names[d->geo], max + 1, d->nreplicas + 1);
    }
    if (kind == MR_STORE_BLOB) {
        bool geo = d->redundancy != MR_REDUNDANCY_LRS && d->redundancy != MR_REDUNDANCY_ZRS;
        if (!geo && d->nreplicas > 0)
            mr_diag_error(b->diag, &d->mark,
                          "%s.replicas: %s redundancy keeps no copy in another region; use grs, "
                          "ra_grs, gzrs or ra_gzrs",
                          p, mr_redundancy_names[d->redundancy]);
        if (d->nreplicas > 1)
            mr_diag_error(b->diag, &d->mark,
                          "%s.replicas: geo-redundant storage has one secondary region (the "
                          "paired one), found %zu (REFERENCE.md §8)",
                          p, d->nreplicas);
    }
}

void mr__bind_datastores(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    sc->ndatastores = seq->n;
    sc->datastores = mr__alloc(b, seq->n * sizeof *sc->datastores);
    char p[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_datastore *d = &sc->datastores[i];
        d->name = b->datastores.v[i];
        d->mark = seq->items[i]->mark;
        d->primary = MR_SC_NONE;
        d->listener_ttl = MR_SC_UNSET;
        mr_node *m = mr__named_item(b, seq, i, "datastores", d->name, p);
        if (m == NULL)
            continue;
        bind_store(b, m, p, d);
        mr__unknown_keys(b, m, mr__store_keys);
    }
}
