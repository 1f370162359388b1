/* sim/config/sc_data.c: binds datastores. A data store is a kind of family
 * "store" (docs/model.md "Data stores"): the binder knows the family's
 * keys (name, kind, and the regions the store keeps copies in) and nothing
 * of any kind; every other key is the kind's, bound through the kind's own
 * key table (mr_model.params) into the kind's cfg, then checked by the
 * kind's check. So a new kind of store brings its keys with it. A key that
 * belongs to another kind of store is reported as not applying to this one.
 * Invariant: as bind.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/cfg/store.h"
#include "mrsim/error.h"

/* The family's keys; the rest are the kind's (validate --keys prints each
 * store kind's table after this one). */
const mr_param mr__store_keys[] = {
    {.key = "name",
     .type = MR_PARAM_T_CODE,
     .type_doc = "name",
     .required = true,
     .doc = "store name",
     .ref = "-"},
    {.key = "kind",
     .type = MR_PARAM_T_CODE,
     .type_doc = "a store kind: sql, cosmos, redis, blob",
     .required = true,
     .doc = "the service; its keys follow in its own table",
     .ref = "-"},
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

/* The kinds of family "store" in the set the scenario is loaded with, as
 * an enum's choices (NULL-terminated, owned by the scenario). */
static const char *const *store_kinds(mr__bind *b)
{
    mr_kinds k = b->sc->kinds;
    const char **v = mr__alloc(b, (k.n + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < k.n; i++)
        if (k.v[i]->family && strcmp(k.v[i]->family, "store") == 0)
            v[n++] = k.v[i]->kind;
    return v;
}

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
            /* Short form: a region name, recorded as the map form would be. */
            char k[MR__PATH];
            r->region = mr__ref(b, rm, q, &b->regions);
            if (r->region != MR_SC_NONE) {
                mr__record(b, mr__path(k, q, "region"), rm->text);
                mr__record(b, mr__path(k, q, "readable"), "false");
            }
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

/* A single writer: `primary`, then `replicas`. */
static void bind_primary(mr__bind *b, mr_node *m, const char *p, mr_sc_datastore *d)
{
    if (mr_node_is_null(mr_node_get(m, "primary")))
        mr_diag_error(b->diag, &m->mark, "%s: missing required key 'primary'", p);
    bind_region_ref(b, m, p, "primary", &d->primary);
    bind_replicas(b, m, p, d);
}

/* An account: `regions`, then `write_regions` (a subset; the first region
 * when absent). Its primary is its first write region. */
static void bind_account(mr__bind *b, mr_node *m, const char *p, mr_sc_datastore *d)
{
    mr_scenario *sc = b->sc;
    char q[MR__PATH];
    mr_node *rn = mr_node_take(m, "regions");
    if (mr_node_is_null(rn))
        mr_diag_error(b->diag, &m->mark, "%s: missing required key 'regions'", p);
    mr__refs(b, rn, mr__path(q, p, "regions"), &b->regions, &d->regions);
    if (rn && !mr_node_is_null(rn) && rn->kind == MR_NODE_SEQ && rn->n == 0)
        mr_diag_error(b->diag, &rn->mark, "%s: an account needs at least one region", q);
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
}

/* The copies the kind's cfg begins with: the family's region keys, as
 * region indices. */
static void fill_copies(mr__bind *b, mr_sc_datastore *d, mr_store_base *base)
{
    size_t n = 0;
    if (d->regions.n > 0) {
        for (size_t i = 0; i < d->regions.n && n < MR_STORE_MAX_COPIES; i++, n++) {
            base->copy[n] = (int64_t)d->regions.v[i];
            for (size_t w = 0; w < d->write_regions.n; w++)
                base->writable[n] |= d->write_regions.v[w] == d->regions.v[i];
        }
    } else if (d->primary != MR_SC_NONE) {
        base->copy[n] = (int64_t)d->primary;
        base->writable[n++] = 1;
        for (size_t r = 0; r < d->nreplicas && n < MR_STORE_MAX_COPIES; r++, n++) {
            base->copy[n] = (int64_t)d->replicas[r].region;
            base->readable[n] = d->replicas[r].readable;
        }
    }
    base->ncopies = (int64_t)n;
    if (d->regions.n + (d->primary != MR_SC_NONE && d->regions.n == 0 ? 1 + d->nreplicas : 0) >
        MR_STORE_MAX_COPIES)
        mr_diag_error(b->diag, &d->mark, "data store '%s': more than %d copies (regions)", d->name,
                      MR_STORE_MAX_COPIES);
}

/* ---- One store ------------------------------------------------------------------ */

/* The kind of the store item m (its `kind` key), or NULL after a diagnostic. */
static const mr_model *store_kind(mr__bind *b, mr_node *m, const char *p)
{
    char q[MR__PATH];
    const char *const *kinds = store_kinds(b);
    mr_node *kn = mr_node_take(m, "kind");
    if (kn == NULL || mr_node_is_null(kn)) {
        size_t nk = 0;
        while (kinds[nk])
            nk++;
        char *list = mr__names_list(kinds, nk, NULL, false);
        mr_diag_error(b->diag, &m->mark, "%s: missing required key 'kind' (one of %s)", p, list);
        free(list);
        return NULL;
    }
    const mr_param row = {.key = "kind", .type = MR_PARAM_T_ENUM, .required = true,
                          .choices = kinds};
    int kind = 0;
    if (mr__bind_value(b, kn, mr__path(q, p, "kind"), &row, &kind) != MR_OK)
        return NULL;
    return mr_kinds_find(b->sc->kinds, "store", kinds[kind]);
}

/* The family's own keys of a store, met in the kind's table: its regions,
 * bound once, at the first of them. */
typedef struct shape_ctx {
    mr_sc_datastore *d;
    bool done;
} shape_ctx;

static void bind_shape(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                       const char *key, void *vctx)
{
    shape_ctx *c = vctx;
    (void)key;
    if (c->done)
        return;
    c->done = true;
    if (mr_param_find(model->params, "regions", 0) != NULL)
        bind_account(b, m, p, c->d);
    else
        bind_primary(b, m, p, c->d);
    fill_copies(b, c->d, c->d->cfg);
}

static void bind_store(mr__bind *b, mr_node *m, const char *p, mr_sc_datastore *d)
{
    const mr_model *model = store_kind(b, m, p);
    if (model == NULL) {
        for (size_t k = 0; k < m->n; k++)
            m->pairs[k].value->used = true;
        return;
    }
    d->model = model;
    d->cfg = mr__alloc(b, model->cfg_size ? model->cfg_size : 1);
    shape_ctx shape = {.d = d};
    static const char *const family_keys[] = {"name", "kind", NULL};
    mr__bind_kind(b, m, p, model, mr__strf(b, "a %s datastore", model->kind), family_keys,
                  d->cfg, bind_shape, &shape);
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
        mr_node *m = mr__named_item(b, seq, i, "datastores", d->name, p);
        if (m == NULL)
            continue;
        bind_store(b, m, p, d);
    }
}
