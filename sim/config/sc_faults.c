/* sim/config/sc_faults.c: binds faults (kind, target by name or selector,
 * one timing form, severity and ramp, expected RTO/RPO, per-kind params) and
 * the failover policy (trigger, actions, failback). Fault chains
 * (start_after) are checked for cycles in validate.c, once every fault is
 * bound. Invariant: as bind.h; a fault ends with exactly one timing form, or
 * with a diagnostic saying why not. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/cfg/store.h"
#include "mrsim/error.h"

#define S ((double)MR_S)
#define NEVER 9.3e18

const mr_param mr__fault_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "fault name",
     .ref = "-"},
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "fault kind (docs/scenario-format.md)",
     .required = true,
     .doc = "what fails",
     .ref = "-"},
    {.key = "target",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name or selector map",
     .doc = "what it hits; the traffic layer for dns_misconfig and traffic_layer_outage",
     .ref = "-"},
    {.key = "at",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration distribution",
     .doc = "timing form 1: start time (with duration)",
     .ref = "-"},
    {.key = "duration",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration distribution",
     .doc = "how long it lasts (at, repeat and start_after forms)",
     .ref = "-"},
    {.key = "mtbf",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration",
     .doc = "timing form 2: mean up-time between faults (exponential), with mttr",
     .ref = "docs/reference.md §9, §11 (no per-region MTBF published)"},
    {.key = "mttr",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration distribution",
     .doc = "repair time, with mtbf",
     .ref = "-"},
    {.key = "repeat",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {every, count, jitter}",
     .doc = "timing form 3: periodic (with duration)",
     .ref = "-"},
    {.key = "start_after",
     .type = MR_PARAM_T_CODE,
     .type_doc = "fault name",
     .doc = "timing form 4: starts after that fault starts, with delay",
     .ref = "-"},
    {.key = "delay",
     .type = MR_PARAM_T_CODE,
     .type_doc = "duration distribution",
     .def = "0s",
     .doc = "wait after the start_after fault starts",
     .ref = "ours"},
    {.key = "severity",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_fault, severity),
     .def = "1",
     .lo = 0,
     .hi = 1,
     .doc = "share of requests affected",
     .ref = "ours"},
    {.key = "ramp",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {from, to, over}",
     .doc = "severity rises from `from` to `to` over `over`",
     .ref = "-"},
    {.key = "expect",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {rto, rpo}",
     .doc = "per-episode verdict in the results",
     .ref = "-"},
    {.key = "params",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map",
     .doc = "per kind: invert (gray_failure), mode planned|forced (datastore_failover), peer "
            "(network_partition)",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__target_keys[] = {
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of region, zone, cluster, datastore, dependency, traffic",
     .doc = "the fault kind's target kind when absent",
     .ref = "-"},
    {.key = "region",
     .type = MR_PARAM_T_CODE,
     .type_doc = "region name",
     .doc = "only things in this region (zone: the zone's region)",
     .ref = "-"},
    {.key = "zone",
     .type = MR_PARAM_T_CODE,
     .type_doc = "integer",
     .doc = "zone targets: the zone number",
     .ref = "-"},
    {.key = "role",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of active, standby",
     .doc = "clusters: only this role",
     .ref = "-"},
    {.key = "mode",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_target, mode),
     .def = "all",
     .choices = mr_select_names,
     .doc = "how many of the matching things: one, all, count, percent",
     .ref = "ours (Chaos Mesh / AWS FIS modes)"},
    {.key = "value",
     .type = MR_PARAM_T_CODE,
     .type_doc = "integer or ratio",
     .doc = "count mode: how many; percent mode: which share",
     .ref = "-"},
    MR_PARAM_END};

typedef struct repeat {
    mr_time every;
    int count;
    mr_time jitter;
} repeat;

const mr_param mr__repeat_keys[] = {{.key = "every",
                                    .type = MR_PARAM_T_DURATION,
                                    .off = offsetof(repeat, every),
                                    .required = true,
                                    .lo = (double)MR_MS,
                                    .hi = NEVER,
                                    .doc = "period",
                                    .ref = "-"},
                                   {.key = "count",
                                    .type = MR_PARAM_T_INT,
                                    .off = offsetof(repeat, count),
                                    .def = "0",
                                    .lo = 0,
                                    .hi = 1000000,
                                    .doc = "episodes; 0: until the horizon",
                                    .ref = "ours"},
                                   {.key = "jitter",
                                    .type = MR_PARAM_T_DURATION,
                                    .off = offsetof(repeat, jitter),
                                    .def = "0s",
                                    .lo = 0,
                                    .hi = NEVER,
                                    .doc = "each start moves by up to +-jitter; less than every",
                                    .ref = "ours"},
                                   MR_PARAM_END};

typedef struct ramp {
    double from, to;
    mr_time over;
} ramp;

const mr_param mr__ramp_keys[] = {
    {.key = "from",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(ramp, from),
     .def = "0",
     .lo = 0,
     .hi = 1,
     .doc = "severity at the start",
     .ref = "ours"},
    {.key = "to",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(ramp, to),
     .lo = 0,
     .hi = 1,
     .type_doc = "ratio",
     .doc = "severity at the end of the ramp; the fault's severity when absent",
     .ref = "ours"},
    {.key = "over",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(ramp, over),
     .required = true,
     .lo = 0,
     .hi = NEVER,
     .doc = "length of the ramp",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__expect_keys[] = {{.key = "rto",
                                    .type = MR_PARAM_T_DURATION,
                                    .off = offsetof(mr_sc_fault, expect_rto),
                                    .lo = 0,
                                    .hi = NEVER,
                                    .doc = "expected recovery time; -1 when absent",
                                    .ref = "-"},
                                   {.key = "rpo",
                                    .type = MR_PARAM_T_DURATION,
                                    .off = offsetof(mr_sc_fault, expect_rpo),
                                    .lo = 0,
                                    .hi = NEVER,
                                    .doc = "expected data-loss window; -1 when absent",
                                    .ref = "-"},
                                   MR_PARAM_END};

/* ---- targets ------------------------------------------------------------------ */

static const mr__names *names_of(mr__bind *b, mr_target_kind k)
{
    switch (k) {
    case MR_TARGET_REGION:
    case MR_TARGET_ZONE:
        return &b->regions;
    case MR_TARGET_CLUSTER:
        return &b->clusters;
    case MR_TARGET_DATASTORE:
        return &b->datastores;
    case MR_TARGET_DEPENDENCY:
        return &b->dependencies;
    default:
        return NULL;
    }
}

/* The parts of a selector map, each taken from m (at path p) into f's
 * target t, with a diagnostic for what does not fit a fault that targets
 * a `want`. */

/* kind: optional, and if given the fault's own. */
static void selector_kind(mr__bind *b, mr_node *m, const char *p, const mr_sc_fault *f,
                          mr_target_kind want)
{
    char q[MR__PATH];
    mr_node *kn = mr_node_take(m, "kind");
    if (kn && !mr_node_is_null(kn)) {
        int k = mr__enum(b, kn, mr__path(q, p, "kind"), mr_target_kind_names);
        if (k >= 0 && (mr_target_kind)k != want) {
            mr_diag_error(b->diag, &kn->mark, "%s: a %s targets a %s, not a %s", q,
                          mr_fault_kind_name(f->kind), mr_target_kind_names[want],
                          mr_target_kind_names[k]);
        }
    }
    mr__record(b, mr__path(q, p, "kind"), mr_target_kind_names[want]);
}

/* zone: only a zone_outage's, within its region's zones; a region and a
 * zone without a mode name one zone (no longer a selector). rn is the
 * region node, or NULL. */
static void selector_zone(mr__bind *b, mr_node *m, const char *p, mr_sc_target *t,
                          mr_target_kind want, const mr_node *rn)
{
    char q[MR__PATH];
    mr_node *zn = mr_node_take(m, "zone");
    if (zn && !mr_node_is_null(zn)) {
        mr__path(q, p, "zone");
        if (want != MR_TARGET_ZONE) {
            mr_diag_error(b->diag, &zn->mark, "%s: only a zone_outage targets a zone", q);
        } else if (t->region == MR_SC_NONE) {
            if (rn == NULL)
                mr_diag_error(b->diag, &m->mark, "%s: a zone target needs region", p);
        } else {
            int64_t z;
            int rz = b->sc->regions[t->region].zones;
            if (rz == 0)
                mr_diag_error(b->diag, &zn->mark, "%s: region %s has no availability zones", q,
                              b->sc->regions[t->region].name);
            else if (mr__int(b, zn, q, 1, rz, &z) == MR_OK) {
                t->zone = (int)z;
                t->index = t->region;
                mr__record(b, q, zn->text);
                /* A region and a zone name one zone. */
                t->selector = mr_node_get(m, "mode") != NULL;
            }
        }
    } else if (want == MR_TARGET_ZONE && t->region == MR_SC_NONE && rn == NULL) {
        mr_diag_error(b->diag, &m->mark,
                      "%s: a zone target needs region (and zone, or a mode to pick zones)", p);
    }
}

/* role: clusters only. */
static void selector_role(mr__bind *b, mr_node *m, const char *p, mr_sc_target *t,
                          mr_target_kind want)
{
    char q[MR__PATH];
    mr_node *ro = mr_node_take(m, "role");
    if (ro && !mr_node_is_null(ro)) {
        mr__path(q, p, "role");
        if (want != MR_TARGET_CLUSTER)
            mr_diag_error(b->diag, &ro->mark, "%s: only clusters have a role", q);
        else {
            t->role = mr__enum(b, ro, q, mr_role_names);
            if (t->role >= 0)
                mr__record(b, q, ro->text);
        }
    }
}

/* value: how many (mode count) or what share (mode percent); no other
 * mode takes one. */
static void selector_value(mr__bind *b, mr_node *m, const char *p, mr_sc_target *t)
{
    char q[MR__PATH];
    mr_node *vn = mr_node_take(m, "value");
    mr__path(q, p, "value");
    if (t->mode == MR_SELECT_COUNT || t->mode == MR_SELECT_PERCENT) {
        if (vn == NULL || mr_node_is_null(vn)) {
            mr_diag_error(b->diag, &m->mark, "%s: mode %s needs value (%s)", p,
                          mr_select_names[t->mode],
                          t->mode == MR_SELECT_COUNT ? "how many" : "a share such as 50%");
        } else if (t->mode == MR_SELECT_COUNT) {
            int64_t v;
            if (mr__int(b, vn, q, 1, 1000000, &v) == MR_OK) {
                t->value = (double)v;
                mr__record(b, q, vn->text);
            }
        } else {
            static const mr_param row = {.key = "value", .type = MR_PARAM_T_RATIO, .lo = 0, .hi = 1};
            mr__bind_value(b, vn, q, &row, &t->value);
        }
    } else if (vn && !mr_node_is_null(vn)) {
        vn->used = true;
        mr_diag_error(b->diag, &vn->mark, "%s: mode %s takes no value (count and percent do)", q,
                      mr_select_names[t->mode]);
    }
}

static void bind_selector(mr__bind *b, mr_node *m, const char *p, mr_sc_fault *f,
                          mr_target_kind want)
{
    mr_sc_target *t = &f->target;
    char q[MR__PATH];
    t->selector = true;
    t->region = MR_SC_NONE;
    t->role = -1;
    selector_kind(b, m, p, f, want);
    mr__bind_keys(b, m, NULL, p, mr__target_keys, 0, "", t);
    mr_node *rn = mr_node_take(m, "region");
    if (rn && !mr_node_is_null(rn)) {
        t->region = mr__ref(b, rn, mr__path(q, p, "region"), &b->regions);
        if (t->region != MR_SC_NONE)
            mr__record(b, q, rn->text);
    }
    selector_zone(b, m, p, t, want, rn);
    selector_role(b, m, p, t, want);
    selector_value(b, m, p, t);
    mr__unknown_keys(b, m, mr__target_keys);
}

static void bind_target(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    mr_sc_target *t = &f->target;
    mr_target_kind want = mr_fault_kind_target(f->kind);
    char q[MR__PATH];
    mr__path(q, p, "target");
    mr_node *n = mr_node_take(fm, "target");
    t->kind = want;
    t->index = MR_SC_NONE;
    t->region = MR_SC_NONE;
    t->role = -1;
    t->mode = MR_SELECT_ALL;
    t->mark = n ? n->mark : f->mark;
    if (n == NULL || mr_node_is_null(n)) {
        if (want == MR_TARGET_TRAFFIC) {
            mr__record(b, q, "traffic");
            return;
        }
        mr_diag_error(b->diag, &f->mark,
                      "%s: missing required key 'target' (a %s targets a %s by name or with a "
                      "selector map)",
                      p, mr_fault_kind_name(f->kind), mr_target_kind_names[want]);
        return;
    }
    n->used = true;
    if (n->kind == MR_NODE_MAP) {
        bind_selector(b, n, q, f, want);
        return;
    }
    if (n->kind != MR_NODE_SCALAR) {
        mr_diag_error(b->diag, &n->mark, "%s: expected a name or a selector map, found %s", q,
                      mr_node_describe(n));
        return;
    }
    if (want == MR_TARGET_TRAFFIC) {
        if (strcmp(n->text, "traffic") != 0)
            mr_diag_error(b->diag, &n->mark,
                          "%s: a %s hits the traffic layer: write target: traffic or leave it "
                          "out, found '%s'",
                          q, mr_fault_kind_name(f->kind), n->text);
        else
            mr__record(b, q, "traffic");
        return;
    }
    if (want == MR_TARGET_ZONE) {
        mr_diag_error(b->diag, &n->mark,
                      "%s: a zone_outage targets a zone: write target: {region: %s, zone: 1}", q,
                      n->text);
        return;
    }
    t->index = mr__ref(b, n, q, names_of(b, want));
    if (t->index != MR_SC_NONE)
        mr__record(b, q, n->text);
}

/* ---- timing ---------------------------------------------------------------------- */

static const char *const timing_heads[] = {"at", "mtbf", "repeat", "start_after"};

static bool bind_dist(mr__bind *b, mr_node *n, const char *path, mr_dist *dst)
{
    static const mr_param row = {.key = "dist", .type = MR_PARAM_T_DIST_TIME};
    return mr__bind_value(b, n, path, &row, dst) == MR_OK;
}

static void forbid(mr__bind *b, mr_node *fm, const char *p, const char *key, const char *why)
{
    mr_node_pair *pr = mr_node_pair_of(fm, key);
    if (pr == NULL)
        return;
    pr->value->used = true;
    mr_diag_error(b->diag, &pr->key->mark, "%s.%s: %s", p, key, why);
}

/* The fault's one timing form: the index of its head key in timing_heads,
 * or -1 when it has none; a second head is reported and ignored. */
static int timing_head(mr__bind *b, mr_node *fm, const char *p)
{
    int head = -1;
    for (int i = 0; i < 4; i++) {
        mr_node_pair *pr = mr_node_pair_of(fm, timing_heads[i]);
        if (pr == NULL)
            continue;
        if (head >= 0) {
            pr->value->used = true;
            mr_diag_error(b->diag, &pr->key->mark,
                          "%s: two timing forms, '%s' and '%s'; use one of at + duration, "
                          "mtbf + mttr, repeat + duration, start_after + delay",
                          p, timing_heads[head], timing_heads[i]);
            continue;
        }
        head = i;
    }
    return head;
}

/* The keys of one form that the fault's form does not take. */
static void forbid_others(mr__bind *b, mr_node *fm, const char *p, const mr_sc_fault *f,
                          bool instant)
{
    if (f->timing != MR_TIMING_STOCHASTIC)
        forbid(b, fm, p, "mttr", "mttr goes with mtbf; this fault's duration is 'duration'");
    if (f->timing != MR_TIMING_AFTER)
        forbid(b, fm, p, "delay", "delay goes with start_after");
    if (f->timing == MR_TIMING_STOCHASTIC)
        forbid(b, fm, p, "duration", "an mtbf fault lasts mttr: write mttr instead of duration");
    else if (instant)
        forbid(b, fm, p, "duration", "a datastore_failover is a single action and has no duration");
}

/* at: when it starts, which a constant must place before the horizon. */
static void timing_at(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH];
    mr_node *at = mr_node_take(fm, "at");
    if (bind_dist(b, at, mr__path(q, p, "at"), &f->at) && f->at.kind == MR_DIST_CONST &&
        f->at.a >= (double)b->sc->run.horizon) {
        char t1[32], t2[32];
        mr_time_format_unit((mr_time)f->at.a, t1, sizeof t1);
        mr_time_format_unit(b->sc->run.horizon, t2, sizeof t2);
        mr_diag_error(b->diag, &at->mark,
                      "%s: %s is not before run.horizon (%s): the fault would never start", q, t1,
                      t2);
    }
}

/* mtbf + mttr: the mean time between failures and the repair time. */
static void timing_mtbf(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH];
    static const mr_param row = {
        .key = "mtbf", .type = MR_PARAM_T_DURATION, .lo = (double)MR_S, .hi = NEVER};
    mr__bind_value(b, mr_node_take(fm, "mtbf"), mr__path(q, p, "mtbf"), &row, &f->mtbf);
    mr_node *r = mr_node_take(fm, "mttr");
    if (r == NULL || mr_node_is_null(r))
        mr_diag_error(b->diag, &fm->mark, "%s: mtbf needs mttr (the repair time)", p);
    else
        bind_dist(b, r, mr__path(q, p, "mttr"), &f->mttr);
}

/* repeat: {every, count, jitter}, the jitter shorter than every. */
static void timing_repeat(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH];
    mr_node *rm = mr__take_map(b, fm, "repeat", p);
    repeat r = {0};
    mr__path(q, p, "repeat");
    if (rm == NULL) {
        mr_diag_error(b->diag, &fm->mark, "%s: expected a map {every, count, jitter}", q);
        return;
    }
    if (mr__bind_keys(b, rm, NULL, q, mr__repeat_keys, 0, "", &r) == 0 && r.jitter >= r.every)
        mr_diag_error(b->diag, &rm->mark, "%s: jitter must be shorter than every", q);
    mr__unknown_keys(b, rm, mr__repeat_keys);
    f->every = r.every;
    f->count = r.count;
    f->jitter = r.jitter;
}

/* start_after + delay: another fault's name, and 0s unless a delay is given. */
static void timing_after(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH];
    mr_node *a = mr_node_take(fm, "start_after");
    mr__path(q, p, "start_after");
    f->after = mr__ref(b, a, q, &b->faults);
    if (f->after != MR_SC_NONE)
        mr__record(b, q, a->text);
    mr_node *d = mr_node_take(fm, "delay");
    mr__path(q, p, "delay");
    if (mr_node_is_null(d)) {
        static const mr_param row = {.key = "delay", .type = MR_PARAM_T_DIST_TIME, .def = "0s"};
        if (d)
            d->used = true;
        mr__bind_value(b, NULL, q, &row, &f->delay);
    } else {
        bind_dist(b, d, q, &f->delay);
    }
}

static void bind_timing(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH];
    int head = timing_head(b, fm, p);
    f->after = MR_SC_NONE;
    if (head < 0) {
        mr_diag_error(b->diag, &fm->mark,
                      "%s: no timing: add one of at + duration, mtbf + mttr, "
                      "repeat: {every, count, jitter} + duration, start_after + delay",
                      p);
        for (const char *const *k = (const char *const[]){"duration", "mttr", "delay", NULL}; *k;
             k++)
            if (mr_node_get(fm, *k))
                mr_node_get(fm, *k)->used = true;
        return;
    }
    f->timing = (mr_timing)head;
    bool instant = f->kind == MR_FAULT_DATASTORE_FAILOVER;
    forbid_others(b, fm, p, f, instant);
    switch (f->timing) {
    case MR_TIMING_AT:
        timing_at(b, fm, p, f);
        break;
    case MR_TIMING_STOCHASTIC:
        timing_mtbf(b, fm, p, f);
        break;
    case MR_TIMING_REPEAT:
        timing_repeat(b, fm, p, f);
        break;
    case MR_TIMING_AFTER:
        timing_after(b, fm, p, f);
        break;
    }
    if (f->timing != MR_TIMING_STOCHASTIC && !instant) {
        mr_node *d = mr_node_take(fm, "duration");
        if (d == NULL || mr_node_is_null(d))
            mr_diag_error(b->diag, &fm->mark, "%s: '%s' needs duration (how long the fault lasts)",
                          p, timing_heads[head]);
        else
            bind_dist(b, d, mr__path(q, p, "duration"), &f->duration);
    }
}

/* ---- params ------------------------------------------------------------------------- */

static void bind_params(mr__bind *b, mr_node *fm, const char *p, mr_sc_fault *f)
{
    char q[MR__PATH], r[MR__PATH];
    mr_node *m = mr__take_map(b, fm, "params", p);
    mr__path(q, p, "params");
    f->peer = MR_SC_NONE;
    f->failover_mode = MR_FAILOVER_PARAM_FORCED; /* ours: an unplanned failover */
    if (f->kind == MR_FAULT_DATASTORE_FAILOVER && mr_node_get(m, "mode") == NULL)
        mr__record(b, mr__path(r, q, "mode"), "forced");
    if (f->kind == MR_FAULT_NETWORK_PARTITION && mr_node_get(m, "peer") == NULL)
        mr__record(b, mr__path(r, q, "peer"), "clients");
    if (m == NULL)
        return;
    f->params = mr__alloc(b, m->n * sizeof *f->params);
    const char *known[2];
    size_t nknown = 0;
    if (f->kind == MR_FAULT_GRAY_FAILURE)
        known[nknown++] = "invert";
    if (f->kind == MR_FAULT_DATASTORE_FAILOVER)
        known[nknown++] = "mode";
    if (f->kind == MR_FAULT_NETWORK_PARTITION)
        known[nknown++] = "peer";
    for (size_t i = 0; i < m->n; i++) {
        mr_node_pair *pr = mr_node_pair_at(m, i);
        const char *k = pr->key->text;
        mr_node *v = pr->value;
        v->used = true;
        mr__path(r, q, k);
        if (v->kind != MR_NODE_SCALAR) {
            mr_diag_error(b->diag, &v->mark, "%s: expected a value, found %s", r,
                          mr_node_describe(v));
            continue;
        }
        if (nknown == 0 || strcmp(k, known[0]) != 0) {
            int best = mr_closest(k, known, nknown);
            if (best >= 0)
                mr_diag_error(b->diag, &pr->key->mark,
                              "%s: unknown param '%s' (did you mean '%s'?)", r, k, known[best]);
            else if (nknown > 0)
                mr_diag_error(b->diag, &pr->key->mark, "%s: unknown param '%s' (a %s takes: %s)", r,
                              k, mr_fault_kind_name(f->kind), known[0]);
            else
                mr_diag_error(b->diag, &pr->key->mark, "%s: a %s takes no params", r,
                              mr_fault_kind_name(f->kind));
            continue;
        }
        if (strcmp(k, "invert") == 0) {
            static const mr_param row = {.key = "invert", .type = MR_PARAM_T_BOOL, .def = "false"};
            if (mr__bind_value(b, v, r, &row, &f->invert) != MR_OK)
                continue;
        } else if (strcmp(k, "mode") == 0) {
            int mode = mr__enum(b, v, r, mr_failover_param_names);
            if (mode < 0)
                continue;
            f->failover_mode = (mr_failover_param)mode;
            mr__record(b, r, v->text);
        } else if (strcmp(k, "peer") == 0) {
            if (strcmp(v->text, "clients") != 0) {
                f->peer = mr__ref(b, v, r, &b->regions);
                if (f->peer == MR_SC_NONE)
                    continue;
                if (f->peer == f->target.index && !f->target.selector) {
                    mr_diag_error(b->diag, &v->mark,
                                  "%s: a partition is between two different regions", r);
                    continue;
                }
            }
            mr__record(b, r, v->text);
        }
        mr_sc_param *pa = &f->params[f->nparams++];
        pa->key = mr__str(b, k);
        pa->value = mr__str(b, v->text);
        pa->mark = pr->key->mark;
    }
}

void mr__bind_faults(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    sc->nfaults = seq->n;
    sc->faults = mr__alloc(b, seq->n * sizeof *sc->faults);
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_fault *f = &sc->faults[i];
        f->name = b->faults.v[i];
        f->mark = seq->items[i]->mark;
        f->after = f->peer = MR_SC_NONE;
        f->target.index = f->target.region = MR_SC_NONE;
        f->expect_rto = f->expect_rpo = MR_SC_UNSET;
        mr_node *m = mr__named_item(b, seq, i, "faults", f->name, p);
        if (m == NULL)
            continue;
        mr_node *kn = mr_node_take(m, "kind");
        int kind = -1;
        if (kn && !mr_node_is_null(kn)) {
            kind = mr__enum(b, kn, mr__path(q, p, "kind"), mr_fault_kind_names);
            if (kind >= 0)
                mr__record(b, q, kn->text);
        }
        mr__bind_keys(b, m, NULL, p, mr__fault_keys, 0, "", f);
        if (kind < 0) {
            /* Without a kind the target and params cannot be read. */
            for (size_t k = 0; k < m->n; k++)
                m->pairs[k].value->used = true;
            continue;
        }
        f->kind = (mr_fault_kind)kind;
        bind_target(b, m, p, f);
        bind_timing(b, m, p, f);
        mr_node *rm = mr__take_map(b, m, "ramp", p);
        if (rm) {
            ramp r = {.to = NAN};
            mr__path(q, p, "ramp");
            mr__bind_keys(b, rm, NULL, q, mr__ramp_keys, 0, "", &r);
            mr__unknown_keys(b, rm, mr__ramp_keys);
            f->ramp = true;
            f->ramp_from = r.from;
            f->ramp_to = isnan(r.to) ? f->severity : r.to;
            f->ramp_over = r.over;
            if (isnan(r.to)) {
                char buf[32], pp[MR__PATH];
                snprintf(buf, sizeof buf, "%g", f->severity);
                mr__record(b, mr__path(pp, q, "to"), buf);
            }
        }
        mr_node *em = mr__take_map(b, m, "expect", p);
        mr__bind_keys(b, em, NULL, mr__path(q, p, "expect"), mr__expect_keys, 0, "", f);
        mr__unknown_keys(b, em, mr__expect_keys);
        bind_params(b, m, p, f);
        mr__unknown_keys(b, m, mr__fault_keys);
    }
}

/* ---- failover ---------------------------------------------------------------------- */

const mr_param mr__failover_keys[] = {{.key = "trigger",
                                      .type = MR_PARAM_T_ENUM,
                                      .off = offsetof(mr_sc_failover, trigger),
                                      .def = "probes",
                                      .choices = mr_failover_trigger_names,
                                      .doc = "what starts the actions: the traffic layer's probes, "
                                             "the datastore's failover, or an operator",
                                      .ref = "ours"},
                                     /* Ours: no docs/reference.md figure for a human decision delay. */
                                     {.key = "decision",
                                      .type = MR_PARAM_T_DIST_TIME,
                                      .off = offsetof(mr_sc_failover, decision),
                                      .def = "triangular(10m, 20m, 1h)",
                                      .doc = "operator trigger: detection and decision delay",
                                      .ref = "ours (docs/scenario-format.md example)"},
                                     {.key = "actions",
                                      .type = MR_PARAM_T_CODE,
                                      .type_doc = "sequence of {scale, to} or {promote}",
                                      .doc = "what happens, in order",
                                      .ref = "-"},
                                     {.key = "failback",
                                      .type = MR_PARAM_T_CODE,
                                      .type_doc = "map {mode, decision}",
                                      .doc = "returning to the primary once healed",
                                      .ref = "-"},
                                     {.key = "runbook",
                                      .type = MR_PARAM_T_CODE,
                                      .type_doc = "map {disable_endpoint, detect, delay}",
                                      .doc = "an operator disables the endpoint of a cluster "
                                             "missing the SLO",
                                      .ref = "-"},
                                     MR_PARAM_END};

const mr_param mr__runbook_keys[] = {
    {.key = "disable_endpoint",
     .type = MR_PARAM_T_BOOL,
     .off = offsetof(mr_sc_failover, disable_endpoint),
     .def = "true",
     .doc = "disable the Traffic Manager endpoint, Front Door origin or DNS record target of "
            "a cluster missing the SLO; enable it again by the failback rules",
     .ref = "ours"},
    /* Ours: docs/reference.md has no monitoring figure; a metric alert
     * over a 5-minute window is the common choice. */
    {.key = "detect",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_failover, detect),
     .def = "5m",
     .doc = "how long the SLO is missed before the operator decides",
     .ref = "ours: docs/reference.md gives no alerting figure (a 5-minute alert window)"},
    /* Ours: the same human delay as failover.decision. */
    {.key = "delay",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_failover, delay),
     .def = "triangular(10m, 20m, 1h)",
     .doc = "from the decision to the endpoint disabled (the runbook's execution)",
     .ref = "ours (failover.decision's default)"},
    MR_PARAM_END};

const mr_param mr__action_keys[] = {{.key = "scale",
                                    .type = MR_PARAM_T_CODE,
                                    .type_doc = "cluster name",
                                    .doc = "scale this cluster's node pool",
                                    .ref = "-"},
                                   {.key = "to",
                                    .type = MR_PARAM_T_CODE,
                                    .type_doc = "integer in [nodes.min, nodes.max]",
                                    .doc = "scale: the node count",
                                    .ref = "-"},
                                   {.key = "promote",
                                    .type = MR_PARAM_T_CODE,
                                    .type_doc = "datastore name",
                                    .doc = "fail this store over to its secondary",
                                    .ref = "-"},
                                   MR_PARAM_END};

const mr_param mr__failback_keys[] = {{.key = "mode",
                                      .type = MR_PARAM_T_ENUM,
                                      .off = offsetof(mr_sc_failover, failback),
                                      .def = "manual",
                                      .choices = mr_failback_names,
                                      .doc = "manual, automatic or none",
                                      .ref = "ours"},
                                     {.key = "decision",
                                      .type = MR_PARAM_T_DIST_TIME,
                                      .off = offsetof(mr_sc_failover, failback_decision),
                                      .def = "triangular(1h, 4h, 24h)",
                                      .doc = "manual: delay before failing back",
                                      .ref = "ours (docs/scenario-format.md example)"},
                                     /* Ours: Traffic Manager itself routes back at the first
                                      * successful probe (docs/reference.md §1), so no delay. */
                                     {.key = "delay",
                                      .type = MR_PARAM_T_DIST_TIME,
                                      .off = offsetof(mr_sc_failover, failback_delay),
                                      .def = "0s",
                                      .doc = "automatic: delay before failing back, once the "
                                             "primary is healthy",
                                      .ref = "ours"},
                                     MR_PARAM_END};

static void bind_action(mr__bind *b, mr_node *m, const char *p, mr_sc_action *a)
{
    char q[MR__PATH];
    mr_scenario *sc = b->sc;
    mr_node *sn = mr_node_take(m, "scale"), *pn = mr_node_take(m, "promote");
    mr_node *tn = mr_node_take(m, "to");
    a->target = MR_SC_NONE;
    if ((sn == NULL) == (pn == NULL)) {
        mr_diag_error(b->diag, &m->mark,
                      "%s: an action is either {scale: CLUSTER, to: N} or {promote: DATASTORE}", p);
        return;
    }
    if (pn) {
        a->promote = true;
        if (tn)
            mr_diag_error(b->diag, &tn->mark, "%s.to: 'to' goes with scale, not promote", p);
        a->target = mr__ref(b, pn, mr__path(q, p, "promote"), &b->datastores);
        if (a->target == MR_SC_NONE)
            return;
        mr__record(b, q, pn->text);
        const mr_sc_datastore *d = &sc->datastores[a->target];
        /* A store with one copy has nowhere to fail over to (a store whose
         * kind was refused has no cfg: its error is said already). */
        bool single = d->cfg && ((const mr_store_base *)d->cfg)->ncopies < 2;
        if (single)
            mr_diag_error(b->diag, &pn->mark,
                          "%s: datastore '%s' has no secondary region to promote", q, d->name);
        return;
    }
    a->target = mr__ref(b, sn, mr__path(q, p, "scale"), &b->clusters);
    if (a->target != MR_SC_NONE)
        mr__record(b, q, sn->text);
    mr__path(q, p, "to");
    if (tn == NULL || mr_node_is_null(tn)) {
        mr_diag_error(b->diag, &m->mark, "%s: scale needs 'to' (the node count)", p);
        return;
    }
    int64_t lo = 0, hi = 5000;
    if (a->target != MR_SC_NONE) {
        lo = sc->clusters[a->target].nodes.min;
        hi = sc->clusters[a->target].nodes.max;
    }
    int64_t v;
    if (mr__int(b, tn, q, lo, hi, &v) == MR_OK) {
        a->to = (int)v;
        mr__record(b, q, tn->text);
    }
}

/* The runbook disables one endpoint of several: a traffic layer with one
 * endpoint has nowhere to send its users (the operator never disables the
 * last one), so the runbook could never act. */
static void check_runbook(mr__bind *b, mr_node *rb, const mr_sc_failover *fo)
{
    const mr_sc_traffic *t = &b->sc->traffic;
    if (!fo->disable_endpoint || t->model == NULL)
        return;
    if (t->nendpoints < 2) {
        mr_node *d = mr_node_get(rb, "disable_endpoint");
        mr_diag_error(b->diag, d ? &d->mark : &rb->mark,
                      "failover.runbook.disable_endpoint: the %s traffic layer has %zu "
                      "endpoint%s; disabling needs another to send users to (the last one is "
                      "never disabled)",
                      t->model->kind, t->nendpoints, t->nendpoints == 1 ? "" : "s");
    }
}

void mr__bind_failover(mr__bind *b, mr_node *m)
{
    mr_sc_failover *fo = &b->sc->failover;
    char p[MR__PATH];
    fo->present = m != NULL;
    fo->mark = m ? m->mark : (mr_mark){0};
    mr__bind_keys(b, m, NULL, "failover", mr__failover_keys, 0, "", fo);
    mr_node *seq = mr__take_seq(b, m, "actions", "failover");
    if (seq) {
        fo->actions = mr__alloc(b, seq->n * sizeof *fo->actions);
        fo->nactions = seq->n;
        for (size_t i = 0; i < seq->n; i++) {
            mr__path_index(p, "failover.actions", i);
            fo->actions[i].mark = seq->items[i]->mark;
            fo->actions[i].target = MR_SC_NONE;
            mr_node *am = mr__map(b, seq->items[i], p);
            if (am == NULL)
                continue;
            bind_action(b, am, p, &fo->actions[i]);
            mr__unknown_keys(b, am, mr__action_keys);
        }
    }
    mr_node *fb = mr__take_map(b, m, "failback", "failover");
    mr__bind_keys(b, fb, NULL, "failover.failback", mr__failback_keys, 0, "", fo);
    mr__unknown_keys(b, fb, mr__failback_keys);
    mr_node *rb = mr__take_map(b, m, "runbook", "failover");
    if (rb != NULL) {
        fo->runbook = true;
        fo->runbook_mark = rb->mark;
        mr__bind_keys(b, rb, NULL, "failover.runbook", mr__runbook_keys, 0, "", fo);
        mr__unknown_keys(b, rb, mr__runbook_keys);
        check_runbook(b, rb, fo);
    }
    mr__unknown_keys(b, m, mr__failover_keys);
}
