/* sim/config/sc_load.c: binds the load: DNS resolver populations with
 * their TTL policies (docs/reference.md §4) and client populations (origin,
 * resolver, runtime cache, rate and daily profile, read/write mix, timeout,
 * retries, the stores they use, their stamp and fallbacks).
 * Invariant: as bind.h; every resolver ends with policies whose shares sum
 * to 1 (the default policy when the file gives none). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/error.h"

#define S ((double)MR_S)
#define MS ((double)MR_MS)

/* ---- resolvers --------------------------------------------------------------- */

enum { HONOR = 1u << MR_TTL_HONOR, FLOOR = 1u << MR_TTL_FLOOR, EXTRA = 1u << MR_TTL_EXTRA };

const mr_param mr__resolver_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "resolver population name",
     .ref = "-"},
    {.key = "count",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_resolver, count),
     .def = "1000",
     .lo = 1,
     .hi = 10000000,
     .doc = "resolvers in the population, each with its own cache",
     .ref = "ours (no docs/reference.md figure)"},
    {.key = "ttl_policy",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of maps; shares sum to 1",
     .def = "[{share: 0.9, mode: honor}, {share: 0.1, mode: extra, hold: lognormal(5m, 1.0)}]",
     .doc = "how resolvers treat TTLs",
     .ref = "docs/reference.md §4 stale-answer tail (Flavel et al. 2014) and its suggested mixture"},
    MR_PARAM_END};

const mr_param mr__policy_keys[] = {
    {.key = "share",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_ttl_policy, share),
     .required = true,
     .lo = 0,
     .hi = 1,
     .doc = "share of the resolvers",
     .ref = "-"},
    {.key = "mode",
     .type = MR_PARAM_T_CODE,
     .type_doc = "one of honor, floor, extra",
     .def = "honor",
     .doc = "honor the TTL, raise it to min_ttl, or hold answers longer",
     .ref = "docs/reference.md §4"},
    {.key = "min_ttl",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_ttl_policy, min_ttl),
     .only = FLOOR,
     .required = true,
     .lo = 0,
     .hi = 7 * 86400 * S,
     .doc = "floor mode: answers are kept at least this long",
     .ref = "-"},
    {.key = "hold",
     .type = MR_PARAM_T_DIST_TIME,
     .off = offsetof(mr_sc_ttl_policy, hold),
     .only = EXTRA,
     .required = true,
     .doc = "extra mode: answers are kept this much longer than the TTL",
     .ref = "-"},
    MR_PARAM_END};

/* docs/reference.md §4 "How to model DNS resolvers": 90% compliant, 10% with an extra
 * heavy-tailed hold, fitted to Flavel et al. 2014 (P(stale at 15 min) ~ 2%). */
static void default_policy(mr__bind *b, mr_sc_resolver *r, const char *path)
{
    char p[MR__PATH], q[MR__PATH];
    r->npolicies = 2;
    r->policies = mr__alloc(b, 2 * sizeof *r->policies);
    r->policies[0] = (mr_sc_ttl_policy){.share = 0.9, .mode = MR_TTL_HONOR, .mark = r->mark};
    r->policies[1] = (mr_sc_ttl_policy){.share = 0.1, .mode = MR_TTL_EXTRA, .mark = r->mark};
    mr_distspec_text("lognormal(5m, 1.0)", MR_UNIT_DURATION, NULL, &r->policies[1].hold, b->diag);
    mr__keep_dist(b, &r->policies[1].hold);
    mr__path(q, path, "ttl_policy");
    mr__record(b, mr__path(p, mr__path_index(p, q, 0), "share"), "0.9");
    mr__record(b, mr__path(p, mr__path_index(p, q, 0), "mode"), "honor");
    mr__record(b, mr__path(p, mr__path_index(p, q, 1), "share"), "0.1");
    mr__record(b, mr__path(p, mr__path_index(p, q, 1), "mode"), "extra");
    mr__record(b, mr__path(p, mr__path_index(p, q, 1), "hold"), "lognormal(5m, 1.0)");
}

static void bind_policies(mr__bind *b, mr_node *seq, const char *path, mr_sc_resolver *r)
{
    char p[MR__PATH], q[MR__PATH];
    r->policies = mr__alloc(b, seq->n * sizeof *r->policies);
    r->npolicies = seq->n;
    double sum = 0;
    bool all_ok = true;
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_ttl_policy *pol = &r->policies[i];
        mr__path_index(p, path, i);
        pol->mark = seq->items[i]->mark;
        mr_node *m = mr__map(b, seq->items[i], p);
        if (m == NULL) {
            all_ok = false;
            continue;
        }
        static const mr_param mode_row = {.key = "mode",
                                         .type = MR_PARAM_T_ENUM,
                                         .def = "honor",
                                         .choices = mr_ttl_mode_names}; /* ours */
        mr_node *mn = mr_node_take(m, "mode");
        int mode = 0;
        if (mr__bind_value(b, mr_node_is_null(mn) ? NULL : mn, mr__path(q, p, "mode"), &mode_row,
                           &mode) != MR_OK) {
            for (size_t k = 0; k < m->n; k++)
                m->pairs[k].value->used = true;
            all_ok = false;
            continue;
        }
        pol->mode = (mr_ttl_mode)mode;
        pol->share = NAN;
        const char *what = mode == MR_TTL_HONOR   ? "an honor policy"
                           : mode == MR_TTL_FLOOR ? "a floor policy (it has min_ttl)"
                                                  : "an extra policy (it has hold)";
        if (mr__bind_keys(b, m, NULL, p, mr__policy_keys, 1u << mode, what, pol) > 0)
            all_ok = false;
        mr__unknown_keys(b, m, mr__policy_keys);
        if (!isnan(pol->share))
            sum += pol->share;
    }
    if (all_ok && fabs(sum - 1) > 1e-6)
        mr_diag_error(b->diag, &seq->mark, "%s: shares sum to %g, not 1", path, sum);
}

void mr__bind_resolvers(mr__bind *b, mr_node *seq, const mr_mark *root)
{
    mr_scenario *sc = b->sc;
    char p[MR__PATH], q[MR__PATH];
    if (seq == NULL) {
        /* None declared: one population named "default" with every default. */
        sc->nresolvers = 1;
        sc->resolvers = mr__alloc(b, sizeof *sc->resolvers);
        mr_sc_resolver *r = &sc->resolvers[0];
        r->name = "default";
        r->implicit = true;
        r->mark = *root;
        b->resolvers.n = 1;
        b->resolvers.v = mr__alloc(b, sizeof *b->resolvers.v);
        b->resolvers.marks = mr__alloc(b, sizeof *b->resolvers.marks);
        b->resolvers.v[0] = "default";
        mr__record(b, "resolvers[0].name", "default");
        mr__bind_keys(b, NULL, root, "resolvers[0]", mr__resolver_keys, 0, "", r);
        default_policy(b, r, "resolvers[0]");
        return;
    }
    sc->nresolvers = seq->n;
    sc->resolvers = mr__alloc(b, seq->n * sizeof *sc->resolvers);
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_resolver *r = &sc->resolvers[i];
        r->name = b->resolvers.v[i];
        r->mark = seq->items[i]->mark;
        mr_node *m = mr__named_item(b, seq, i, "resolvers", r->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__resolver_keys, 0, "", r);
        mr_node *pol = mr__take_seq(b, m, "ttl_policy", p);
        if (pol == NULL || pol->n == 0) {
            if (pol != NULL)
                mr_diag_error(b->diag, &pol->mark,
                              "%s.ttl_policy: needs at least one entry such as "
                              "{share: 1, mode: honor}; leave it out for the default",
                              p);
            default_policy(b, r, p);
        } else {
            bind_policies(b, pol, mr__path(q, p, "ttl_policy"), r);
        }
        mr__unknown_keys(b, m, mr__resolver_keys);
    }
}

/* ---- clients -------------------------------------------------------------------- */

const mr_param mr__client_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "population name",
     .ref = "-"},
    {.key = "origin",
     .type = MR_PARAM_T_CODE,
     .type_doc = "region name",
     .doc = "region nearest the clients; the stamp's region, else the first region, when absent",
     .ref = "ours"},
    {.key = "resolver",
     .type = MR_PARAM_T_CODE,
     .type_doc = "resolver name",
     .doc = "their DNS resolvers; the first resolver when absent",
     .ref = "ours"},
    {.key = "runtime_cache",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_client, runtime_cache),
     .def = "none",
     .choices = mr_runtime_cache_names,
     .doc = "client DNS cache: java keeps 30 s ignoring the TTL, chrome floors the TTL at 60 s",
     .ref = "docs/reference.md §4 Java and Chrome rows"},
    {.key = "processes",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_client, processes),
     .def = "10",
     .lo = 1,
     .hi = 1000,
     .doc = "client processes behind each resolver, each with its own runtime cache and phase "
            "(requests spread uniformly over them); only read with a runtime_cache",
     .ref = "ours (a handful of app instances per resolver, so runtime caches do not refresh "
            "in lockstep with their resolver; 1 is the lockstep extreme)"},
    {.key = "rate",
     .type = MR_PARAM_T_RATE,
     .off = offsetof(mr_sc_client, rate),
     .def = "100/s",
     .lo = 0,
     .hi = 1e9,
     .doc = "mean request rate (Poisson)",
     .ref = "ours (no docs/reference.md figure)"},
    {.key = "profile",
     .type = MR_PARAM_T_CODE,
     .type_doc = "const, diurnal, or a map",
     .def = "const",
     .doc = "how the rate varies over a day",
     .ref = "ours"},
    {.key = "mix",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {read, write}",
     .doc = "read and write shares, summing to 1",
     .ref = "ours"},
    {.key = "timeout",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_sc_client, timeout),
     .def = "2s",
     .lo = MS,
     .hi = 3600 * S,
     .doc = "a request not answered by then fails",
     .ref = "ours (docs/scenario-format.md example)"},
    {.key = "retry",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map {attempts, backoff}",
     .doc = "retries of a failed request",
     .ref = "-"},
    {.key = "uses",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of datastore names",
     .doc = "stores its requests read and write",
     .ref = "-"},
    {.key = "stamp", .type = MR_PARAM_T_CODE, .type_doc = "stamp name", .doc = "home stamp", .ref = "-"},
    {.key = "fallback",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of stamp names",
     .doc = "stamps used when the home stamp fails",
     .ref = "-"},
    MR_PARAM_END};

const mr_param mr__profile_keys[] = {{.key = "kind",
                                     .type = MR_PARAM_T_CODE,
                                     .type_doc = "one of const, diurnal",
                                     .def = "const",
                                     .doc = "shape of the daily profile",
                                     .ref = "ours"},
                                    {.key = "peak",
                                     .type = MR_PARAM_T_NUMBER,
                                     .off = offsetof(mr_sc_profile, peak),
                                     .def = "1.8",
                                     .lo = 1,
                                     .hi = 100,
                                     .doc = "rate multiplier at the peak",
                                     .ref = "ours (docs/scenario-format.md example)"},
                                    {.key = "trough",
                                     .type = MR_PARAM_T_NUMBER,
                                     .off = offsetof(mr_sc_profile, trough),
                                     .def = "0.35",
                                     .lo = 0,
                                     .hi = 1,
                                     .doc = "rate multiplier at the trough, 12 h from the peak",
                                     .ref = "ours (docs/scenario-format.md example)"},
                                    {.key = "peak_at",
                                     .type = MR_PARAM_T_CODE,
                                     .type_doc = "time of day \"HH:MM\"",
                                     .def = "13:00",
                                     .doc = "time of the peak",
                                     .ref = "ours (docs/scenario-format.md example)"},
                                    MR_PARAM_END};

typedef struct mix {
    double read, write;
} mix;

const mr_param mr__mix_keys[] = {{.key = "read",
                                 .type = MR_PARAM_T_RATIO,
                                 .off = offsetof(mix, read),
                                 .lo = 0,
                                 .hi = 1,
                                 .type_doc = "ratio",
                                 .doc = "share of reads; 1 - write, or 0.9 when both are absent",
                                 .ref = "ours (docs/scenario-format.md example)"},
                                {.key = "write",
                                 .type = MR_PARAM_T_RATIO,
                                 .off = offsetof(mix, write),
                                 .lo = 0,
                                 .hi = 1,
                                 .type_doc = "ratio",
                                 .doc = "share of writes; 1 - read when absent",
                                 .ref = "ours"},
                                MR_PARAM_END};

const mr_param mr__retry_keys[] = {{.key = "attempts",
                                   .type = MR_PARAM_T_INT,
                                   .off = offsetof(mr_sc_retry, attempts),
                                   .def = "1",
                                   .lo = 1,
                                   .hi = 20,
                                   .doc = "attempts in all, the first included (1: no retry)",
                                   .ref = "ours"},
                                  {.key = "backoff",
                                   .type = MR_PARAM_T_DIST_TIME,
                                   .off = offsetof(mr_sc_retry, backoff),
                                   .def = "exponential(200ms)",
                                   .doc = "wait before each retry",
                                   .ref = "ours (docs/scenario-format.md example)"},
                                  MR_PARAM_END};

static void bind_peak_at(mr__bind *b, mr_node *n, const char *path, mr_sc_profile *pf)
{
    const char *t = n ? n->text : "13:00";
    int h = -1, m = -1, s = 0, used = 0;
    bool ok = n == NULL || (n->kind == MR_NODE_SCALAR && !n->null);
    if (ok) {
        int k = sscanf(t, "%2d:%2d%n:%2d%n", &h, &m, &used, &s, &used);
        ok = k >= 2 && t[used] == '\0' && h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 60;
        if (k < 3)
            s = 0;
    }
    if (!ok) {
        n->used = true;
        mr_diag_error(b->diag, &n->mark,
                      "%s: expected a time of day \"HH:MM\" such as \"13:00\", found %s", path,
                      n->kind == MR_NODE_SCALAR ? n->text : mr_node_describe(n));
        return;
    }
    if (n)
        n->used = true;
    pf->peak_at = h * MR_H + m * MR_MIN + s * MR_S;
    mr__record(b, path, t);
}

static void bind_profile(mr__bind *b, mr_node *cm, const char *path, mr_sc_profile *pf)
{
    char p[MR__PATH], q[MR__PATH];
    mr__path(p, path, "profile");
    mr_node *n = mr_node_take(cm, "profile");
    pf->kind = MR_PROFILE_CONST;
    pf->peak = pf->trough = 1;
    static const mr_param kind_row = {
        .key = "kind", .type = MR_PARAM_T_ENUM, .def = "const", .choices = mr_profile_names}; /* ours */
    mr_node *m = NULL;
    int kind = MR_PROFILE_CONST;
    if (n == NULL || mr_node_is_null(n) || n->kind == MR_NODE_SCALAR) {
        if (mr__bind_value(b, mr_node_is_null(n) ? NULL : n, p, &kind_row, &kind) != MR_OK)
            return;
    } else {
        m = mr__map(b, n, p);
        if (m == NULL)
            return;
        mr_node *kn = mr_node_take(m, "kind");
        if (mr__bind_value(b, mr_node_is_null(kn) ? NULL : kn, mr__path(q, p, "kind"), &kind_row,
                           &kind) != MR_OK)
            return;
    }
    pf->kind = (mr_profile_kind)kind;
    if (kind == MR_PROFILE_DIURNAL) {
        mr__bind_keys(b, m, NULL, p, mr__profile_keys, 0, "", pf);
        mr_node *pa = mr_node_take(m, "peak_at");
        bind_peak_at(b, mr_node_is_null(pa) ? NULL : pa, mr__path(q, p, "peak_at"), pf);
        if (pf->trough > pf->peak)
            mr_diag_error(b->diag, m ? &m->mark : &n->mark, "%s: trough (%g) is above peak (%g)", p,
                          pf->trough, pf->peak);
    } else if (m != NULL) {
        for (size_t i = 0; i < m->n; i++) {
            mr_node_pair *pr = mr_node_pair_at(m, i);
            if (!pr->value->used && mr_param_find(mr__profile_keys, pr->key->text, 0)) {
                pr->value->used = true;
                mr_diag_error(b->diag, &pr->key->mark,
                              "%s.%s: '%s' applies to a diurnal profile, not a const one", p,
                              pr->key->text, pr->key->text);
            }
        }
    }
    mr__unknown_keys(b, m, mr__profile_keys);
}

static void bind_mix(mr__bind *b, mr_node *cm, const char *path, mr_sc_client *c)
{
    char p[MR__PATH], buf[32];
    mr__path(p, path, "mix");
    mr_node *m = mr__take_map(b, cm, "mix", path);
    mix x = {NAN, NAN};
    if (mr__bind_keys(b, m, NULL, p, mr__mix_keys, 0, "", &x) > 0) {
        mr__unknown_keys(b, m, mr__mix_keys);
        return;
    }
    mr__unknown_keys(b, m, mr__mix_keys);
    char q[MR__PATH];
    if (isnan(x.read) && isnan(x.write)) {
        x.read = 0.9; /* ours: docs/scenario-format.md's example */
        x.write = 0.1;
        mr__record(b, mr__path(q, p, "read"), "0.9");
        mr__record(b, mr__path(q, p, "write"), "0.1");
    } else if (isnan(x.write)) {
        x.write = 1 - x.read;
        snprintf(buf, sizeof buf, "%g", x.write);
        mr__record(b, mr__path(q, p, "write"), buf);
    } else if (isnan(x.read)) {
        x.read = 1 - x.write;
        snprintf(buf, sizeof buf, "%g", x.read);
        mr__record(b, mr__path(q, p, "read"), buf);
    } else if (fabs(x.read + x.write - 1) > 1e-6) {
        mr_diag_error(b->diag, &m->mark, "%s: read %g + write %g = %g, must be 1", p, x.read,
                      x.write, x.read + x.write);
    }
    c->read = x.read;
    c->write = x.write;
}

void mr__bind_clients(mr__bind *b, mr_node *seq)
{
    mr_scenario *sc = b->sc;
    if (seq == NULL)
        return;
    if (seq->n == 0)
        mr_diag_error(b->diag, &seq->mark,
                      "clients: the scenario needs at least one client population, e.g. "
                      "{name: users, rate: 100/s}");
    sc->nclients = seq->n;
    sc->clients = mr__alloc(b, seq->n * sizeof *sc->clients);
    char p[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_sc_client *c = &sc->clients[i];
        c->name = b->clients.v[i];
        c->mark = seq->items[i]->mark;
        c->origin = c->resolver = c->stamp = MR_SC_NONE;
        mr_node *m = mr__named_item(b, seq, i, "clients", c->name, p);
        if (m == NULL)
            continue;
        mr__bind_keys(b, m, NULL, p, mr__client_keys, 0, "", c);

        mr_node *st = mr_node_take(m, "stamp");
        if (st && !mr_node_is_null(st)) {
            c->stamp = mr__ref(b, st, mr__path(q, p, "stamp"), &b->stamps);
            if (c->stamp != MR_SC_NONE)
                mr__record(b, q, st->text);
        }
        mr_node *o = mr_node_take(m, "origin");
        mr__path(q, p, "origin");
        if (o && !mr_node_is_null(o)) {
            c->origin = mr__ref(b, o, q, &b->regions);
            if (c->origin != MR_SC_NONE)
                mr__record(b, q, o->text);
        } else {
            /* Ours: the home stamp's region, else the first region. */
            if (c->stamp != MR_SC_NONE && c->stamp < sc->nstamps &&
                sc->stamps[c->stamp].region != MR_SC_NONE)
                c->origin = sc->stamps[c->stamp].region;
            else if (sc->nregions > 0 && sc->regions[0].name)
                c->origin = 0;
            if (c->origin != MR_SC_NONE)
                mr__record(b, q, sc->regions[c->origin].name);
        }
        mr_node *r = mr_node_take(m, "resolver");
        mr__path(q, p, "resolver");
        if (r && !mr_node_is_null(r)) {
            c->resolver = mr__ref(b, r, q, &b->resolvers);
            if (c->resolver != MR_SC_NONE)
                mr__record(b, q, r->text);
        } else if (sc->nresolvers > 0 && sc->resolvers[0].name) {
            c->resolver = 0; /* ours: the first resolver population */
            mr__record(b, q, sc->resolvers[0].name);
        }
        bind_profile(b, m, p, &c->profile);
        bind_mix(b, m, p, c);
        mr_node *rt = mr__take_map(b, m, "retry", p);
        mr__bind_keys(b, rt, NULL, mr__path(q, p, "retry"), mr__retry_keys, 0, "", &c->retry);
        mr__unknown_keys(b, rt, mr__retry_keys);
        mr__refs(b, mr_node_take(m, "uses"), mr__path(q, p, "uses"), &b->datastores, &c->uses);
        mr__refs(b, mr_node_take(m, "fallback"), mr__path(q, p, "fallback"), &b->stamps,
                 &c->fallback);
        for (size_t k = 0; k < c->fallback.n; k++)
            if (c->fallback.v[k] == c->stamp)
                mr_diag_error(b->diag, &c->fallback.mark,
                              "%s.fallback: '%s' is the population's home stamp; fallbacks are "
                              "other stamps",
                              p, sc->stamps[c->stamp].name);
        if (c->fallback.n > 0 && c->stamp == MR_SC_NONE && (!st || mr_node_is_null(st)))
            mr_diag_error(b->diag, &c->fallback.mark,
                          "%s.fallback: fallbacks need a home stamp: add stamp", p);
        mr__unknown_keys(b, m, mr__client_keys);
    }
}
