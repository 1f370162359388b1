/* sim/config/sc_recommend.c: binds the `recommend:` section, the design
 * space of `mrsim recommend` (docs/recommend.md): `space`, a map from a key
 * path (as --set takes it) to its candidate values (a sequence, or a map
 * of name to value), or to {values, when}
 * for a key that varies only when a condition on other keys holds;
 * `objectives`, bounds such as "rto_s.p95 <= 5m"; the confidence they hold
 * with, what to minimise and the search's settings. Every candidate value
 * is checked like a sweep's (a copy of the scenario bound with it), so a
 * misspelt path or a bad value is reported where it is written (by
 * scenario.c, which owns that check).
 * Invariant: as bind.h: one diagnostic per problem, binding never stops. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "config/units.h"
#include "mrsim/error.h"

/* The most candidates a space may have (the cross product before `when`
 * removes any): each is loaded when the search reaches it, and the screen
 * runs every one; past this a space is better split. Ours. */
#define MR_REC_MAX_CANDIDATES 100000

const mr_param mr__recommend_keys[] = {
    {.key = "space",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map of path to values (a sequence, or a map of name to value), or to {values, when}",
     .required = true,
     .doc = "the keys that may change and their candidate values",
     .ref = "-"},
    {.key = "objectives",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence of text",
     .required = true,
     .doc = "bounds every recommended candidate meets: METRIC[.pQ] <= or >= VALUE",
     .ref = "-"},
    /* Ours: the usual 95% of the SLO verdicts (slo.confidence). */
    {.key = "confidence",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_recommend, confidence),
     .def = "0.95",
     .lo = 0.5,
     .hi = 0.9999,
     .doc = "the confidence each objective's verdict is stated with",
     .ref = "ours (statistical setting)"},
    {.key = "minimise",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_recommend, minimise),
     .def = "cost_usd_month",
     .choices = mr__metric_names,
     .doc = "the metric the first option minimises (its mean)",
     .ref = "ours"},
    /* Ours: a tenth more than the cheapest is a price an architect weighs. */
    {.key = "margin",
     .type = MR_PARAM_T_RATIO,
     .off = offsetof(mr_sc_recommend, margin),
     .def = "0.1",
     .lo = 0,
     .hi = 1,
     .doc = "the second option: best RTO/RPO within the cheapest's cost x (1 + margin)",
     .ref = "ours"},
    {.key = "screen_replications",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_recommend, screen_replications),
     .def = "4",
     .lo = 0,
     .hi = 1000,
     .doc = "replications of each candidate's screen at aggregate fidelity (0: no screen)",
     .ref = "ours (simulation setting)"},
    {.key = "stage_replications",
     .type = MR_PARAM_T_INT,
     .off = offsetof(mr_sc_recommend, stage_replications),
     .def = "8",
     .lo = 2,
     .hi = 100000,
     .doc = "replications of the first confirmation stage; each next stage doubles the total",
     .ref = "ours (simulation setting)"},
    {.key = "confirm_fidelity",
     .type = MR_PARAM_T_ENUM,
     .off = offsetof(mr_sc_recommend, confirm_fidelity),
     .def = "request",
     .choices = mr_fidelity_names,
     .doc = "the fidelity the survivors of the screen are confirmed at",
     .ref = "ours (simulation setting)"},
    MR_PARAM_END};

const mr_param mr__rec_key_keys[] = {
    {.key = "values",
     .type = MR_PARAM_T_CODE,
     .type_doc = "sequence, or map of name to value",
     .required = true,
     .doc = "the key's candidate values",
     .ref = "-"},
    {.key = "when",
     .type = MR_PARAM_T_CODE,
     .type_doc = "text",
     .doc = "the key varies only when this holds: KEY == V or KEY != V, joined by and / or",
     .ref = "-"},
    MR_PARAM_END};

/* ---- when: KEY (==|!=) VALUE [(and|or) KEY (==|!=) VALUE]... ------------------ */

typedef struct atom_src {
    char key[MR__PATH];
    size_t key_off; /* in the text, for the diagnostics' column */
    char value[MR__PATH];
    size_t value_off;
} atom_src;

static size_t skip_space(const char *t, size_t i)
{
    while (t[i] == ' ' || t[i] == '\t')
        i++;
    return i;
}

/* Copies the word at t[i] (up to a space, or, when stop_op, up to = or !)
 * into buf; returns the index after it. */
static size_t word(const char *t, size_t i, char *buf, size_t cap, int stop_op)
{
    size_t n = 0;
    while (t[i] && t[i] != ' ' && t[i] != '\t' && !(stop_op && (t[i] == '=' || t[i] == '!'))) {
        if (n + 1 < cap)
            buf[n++] = t[i];
        i++;
    }
    buf[n] = '\0';
    return i;
}

/* Parses the condition in node (a scalar) into key k's atoms, resolving
 * keys against the space later (resolve_when). Returns the count parsed,
 * 0 after a diagnostic. */
static size_t parse_when(mr__bind *b, mr_node *node, const char *p, atom_src **src_out,
                         mr_sc_rec_atom **atoms_out)
{
    const char *t = node->text;
    size_t cap = 1;
    for (const char *c = t; *c; c++)
        cap += *c == ' ';
    atom_src *src = mr__alloc(b, cap * sizeof *src);
    mr_sc_rec_atom *atoms = mr__alloc(b, cap * sizeof *atoms);
    size_t n = 0, i = skip_space(t, 0);
    for (;;) {
        atom_src *s = &src[n];
        s->key_off = i;
        i = word(t, i, s->key, sizeof s->key, 1);
        i = skip_space(t, i);
        int neq;
        if (strncmp(t + i, "==", 2) == 0)
            neq = 0;
        else if (strncmp(t + i, "!=", 2) == 0)
            neq = 1;
        else {
            mr_mark mk = mr_node_text_mark(node, i);
            mr_diag_error(b->diag, &mk,
                          "%s: expected == or != after '%s' (a condition is KEY == VALUE or "
                          "KEY != VALUE, joined by and / or)",
                          p, s->key);
            return 0;
        }
        i = skip_space(t, i + 2);
        s->value_off = i;
        i = word(t, i, s->value, sizeof s->value, 0);
        if (s->key[0] == '\0' || s->value[0] == '\0') {
            mr_mark mk = mr_node_text_mark(node, s->key[0] ? s->value_off : s->key_off);
            mr_diag_error(b->diag, &mk, "%s: a condition needs a key and a value: KEY == VALUE",
                          p);
            return 0;
        }
        atoms[n].neq = neq;
        n++;
        i = skip_space(t, i);
        if (t[i] == '\0')
            break;
        char join[8];
        size_t at = i;
        i = skip_space(t, word(t, i, join, sizeof join, 0));
        if ((strcmp(join, "and") != 0 && strcmp(join, "or") != 0) || t[i] == '\0') {
            mr_mark mk = mr_node_text_mark(node, at);
            mr_diag_error(b->diag, &mk,
                          "%s: expected 'and' or 'or' and another condition, found '%s'", p,
                          t + at);
            return 0;
        }
        atoms[n].or_before = strcmp(join, "or") == 0;
    }
    *src_out = src;
    *atoms_out = atoms;
    return n;
}

/* Resolves key k's atoms against the space: each names another key of it
 * that has no condition of its own, and one of that key's values. */
static void resolve_when(mr__bind *b, mr_sc_recommend *r, size_t k, mr_node *node,
                         const atom_src *src, const char *p)
{
    mr_sc_rec_key *key = &r->keys[k];
    for (size_t a = 0; a < key->nwhen; a++) {
        mr_mark km = mr_node_text_mark(node, src[a].key_off);
        size_t j = 0;
        while (j < r->nkeys && strcmp(r->keys[j].path, src[a].key) != 0)
            j++;
        if (j == r->nkeys || j == k) {
            mr_diag_error(b->diag, &km,
                          "%s: '%s' is not %s key of recommend.space; a condition reads the "
                          "value of another key that varies",
                          p, src[a].key, j == k ? "another" : "a");
            key->nwhen = 0;
            return;
        }
        if (r->keys[j].nwhen > 0 || r->keys[j].when_text != NULL) {
            mr_diag_error(b->diag, &km,
                          "%s: '%s' has a condition of its own; a condition may only read keys "
                          "that always vary",
                          p, src[a].key);
            key->nwhen = 0;
            return;
        }
        size_t v = 0;
        while (v < r->keys[j].nvalues && strcmp(r->keys[j].texts[v], src[a].value) != 0)
            v++;
        if (v == r->keys[j].nvalues) {
            mr_mark vm = mr_node_text_mark(node, src[a].value_off);
            char *list = mr__names_list(r->keys[j].texts, r->keys[j].nvalues, NULL, true);
            mr_diag_error(b->diag, &vm, "%s: '%s' is not one of the values of %s: %s", p,
                          src[a].value, src[a].key, list);
            free(list);
            key->nwhen = 0;
            return;
        }
        key->when[a].key = j;
        key->when[a].value = r->keys[j].texts[v];
    }
}

/* ---- objectives: METRIC[.pQ] (<=|>=) VALUE ------------------------------------- */

/* The unit an objective's limit on metric `name` is written in. */
static mr_unit_kind limit_unit(const char *name)
{
    size_t n = strlen(name);
    if (strcmp(name, "availability") == 0 || strcmp(name, "stale_read_ratio") == 0)
        return MR_UNIT_RATIO;
    if (strcmp(name, "cost_usd_month") == 0)
        return MR_UNIT_MONEY;
    if (strstr(name, "_ms") != NULL || (n > 2 && strcmp(name + n - 2, "_s") == 0))
        return MR_UNIT_DURATION;
    return MR_UNIT_NUMBER;
}

static void parse_objective(mr__bind *b, mr_node *node, const char *p, mr_sc_rec_objective *o)
{
    const char *t = node->text;
    char name[64];
    size_t i = skip_space(t, 0), n = 0, start = i;
    while (t[i] && (isalnum((unsigned char)t[i]) || t[i] == '_')) {
        if (n + 1 < sizeof name)
            name[n++] = t[i];
        i++;
    }
    name[n] = '\0';
    size_t nm = 0;
    while (mr__metric_names[nm])
        nm++;
    int metric = -1;
    for (size_t m = 0; m < nm; m++)
        if (strcmp(mr__metric_names[m], name) == 0)
            metric = (int)m;
    if (metric < 0) {
        mr_mark mk = mr_node_text_mark(node, start);
        int best = mr_closest(name, mr__metric_names, nm);
        char *list = mr__names_list(mr__metric_names, nm, NULL, false);
        if (best >= 0)
            mr_diag_error(b->diag, &mk, "%s: unknown metric '%s' (did you mean '%s'?); metrics: %s",
                          p, name, mr__metric_names[best], list);
        else
            mr_diag_error(b->diag, &mk, "%s: unknown metric '%s'; metrics: %s", p, name, list);
        free(list);
        return;
    }
    double q = 0;
    if (t[i] == '.') {
        size_t qs = i + 1;
        char *end = NULL;
        double pct = t[qs] == 'p' ? strtod(t + qs + 1, &end) : -1;
        if (t[qs] != 'p' || end == t + qs + 1 || !(pct > 0 && pct < 100) ||
            (*end != ' ' && *end != '<' && *end != '>' && *end != '\0')) {
            mr_mark mk = mr_node_text_mark(node, qs);
            mr_diag_error(b->diag, &mk,
                          "%s: expected a percentile such as p95 or p99.9 after '%s.' (the "
                          "share of replications that must meet the bound, in (0, 100))",
                          p, name);
            return;
        }
        q = pct / 100.0;
        i = (size_t)(end - t);
    }
    size_t lhs_end = i;
    i = skip_space(t, i);
    int ge;
    if (strncmp(t + i, "<=", 2) == 0)
        ge = 0;
    else if (strncmp(t + i, ">=", 2) == 0)
        ge = 1;
    else {
        mr_mark mk = mr_node_text_mark(node, i);
        mr_diag_error(b->diag, &mk, "%s: expected <= or >= after '%.*s', found '%s'", p,
                      (int)(lhs_end - start), t + start, t + i);
        return;
    }
    i = skip_space(t, i + 2);
    mr_unit_kind unit = limit_unit(name);
    double v;
    char err[MR_UNITS_ERRLEN];
    if (mr_units_value(unit, t + i, &v, err, sizeof err) != MR_OK) {
        mr_mark mk = mr_node_text_mark(node, i);
        mr_diag_error(b->diag, &mk, "%s: a bound on %s is %s: %s", p, name,
                      mr_unit_kind_describe(unit), err);
        return;
    }
    /* The rows hold seconds for *_s and milliseconds for *_ms_*. */
    if (unit == MR_UNIT_DURATION)
        v = strstr(name, "_ms") != NULL ? v / (double)MR_MS : v / (double)MR_S;
    *o = (mr_sc_rec_objective){.text = mr__str(b, t),
                               .metric = metric,
                               .quantile = q,
                               .ge = ge,
                               .limit = v,
                               .mark = node->mark};
}

/* ---- The section ------------------------------------------------------------------ */

static void bind_space(mr__bind *b, mr_sc_recommend *r, mr_node *space)
{
    char p[MR__PATH], q[MR__PATH];
    r->keys = mr__alloc(b, (space->n ? space->n : 1) * sizeof *r->keys);
    mr_node **whens = mr__alloc(b, (space->n ? space->n : 1) * sizeof *whens);
    atom_src **srcs = mr__alloc(b, (space->n ? space->n : 1) * sizeof *srcs);
    for (size_t k = 0; k < space->n; k++) {
        mr_node_pair *pr = mr_node_pair_at(space, k);
        mr__path(p, "recommend.space", pr->key->text);
        mr_node *vals = pr->value, *when = NULL;
        if (vals && vals->kind == MR_NODE_MAP) {
            vals->used = true;
            mr__bind_keys(b, vals, NULL, p, mr__rec_key_keys, 0, "", NULL);
            mr_node *m = vals;
            vals = mr_node_take(m, "values");
            when = mr_node_take(m, "when");
            mr__unknown_keys(b, m, mr__rec_key_keys);
            if (vals == NULL) {
                mr_diag_error(b->diag, &m->mark, "%s: a key's map needs values: [...]", p);
                continue;
            }
            mr__path(p, p, "values");
        }
        /* A map of name to value names its values: a condition and the
         * output read the name ("cosmos"), the run the value (a whole
         * data store). */
        mr_node *seq = vals && vals->kind == MR_NODE_MAP ? vals : mr__seq(b, vals, p);
        if (seq == NULL) {
            if (vals == NULL || mr_node_is_null(vals))
                mr_diag_error(b->diag, &pr->key->mark,
                              "%s: expected a sequence of values such as [10s, 30s], found null",
                              p);
            continue;
        }
        seq->used = true;
        if (seq->n == 0) {
            mr_diag_error(b->diag, &seq->mark, "%s: a key of the space needs at least one value",
                          p);
            continue;
        }
        for (size_t j = 0; j < r->nkeys; j++)
            if (strcmp(r->keys[j].path, pr->key->text) == 0)
                mr_diag_error(b->diag, &pr->key->mark, "%s: the key is in the space twice", p);
        mr_sc_rec_key *key = &r->keys[r->nkeys];
        key->path = mr__str(b, pr->key->text);
        key->mark = pr->key->mark;
        key->nvalues = seq->n;
        key->values = mr__alloc(b, seq->n * sizeof *key->values);
        key->texts = mr__alloc(b, seq->n * sizeof *key->texts);
        key->nodes = mr__alloc(b, seq->n * sizeof *key->nodes);
        for (size_t i = 0; i < seq->n; i++) {
            mr_node *item = seq->kind == MR_NODE_MAP ? mr_node_pair_at(seq, i)->value
                                                     : seq->items[i];
            /* Not marked used: a clone of a used node would hide a
             * misspelt path from the checking copy's unknown-key check. */
            char *t = mr__flow(item);
            key->nodes[i] = item;
            key->texts[i] =
                mr__str(b, seq->kind == MR_NODE_MAP ? mr_node_pair_at(seq, i)->key->text : t);
            key->values[i] = (mr_sc_override){.text = mr__strf(b, "%s=%s", key->path, t),
                                              .mark = item->mark};
            for (size_t j = 0; j < i; j++)
                if (strcmp(key->texts[j], key->texts[i]) == 0)
                    mr_diag_error(b->diag, &item->mark, "%s: value %s is listed twice", p,
                                  key->texts[i]);
            free(t);
        }
        if (when != NULL && !mr_node_is_null(when)) {
            mr__path(q, mr__path(q, "recommend.space", pr->key->text), "when");
            when->used = true;
            if (when->kind != MR_NODE_SCALAR) {
                mr_diag_error(b->diag, &when->mark,
                              "%s: expected a condition such as 'traffic.kind == front_door', "
                              "found %s",
                              q, mr_node_describe(when));
            } else {
                key->when_text = mr__str(b, when->text);
                key->nwhen = parse_when(b, when, q, &srcs[r->nkeys], &key->when);
                whens[r->nkeys] = when;
            }
        }
        r->nkeys++;
    }
    for (size_t k = 0; k < r->nkeys; k++) {
        if (r->keys[k].nwhen == 0)
            continue;
        mr__path(q, mr__path(q, "recommend.space", r->keys[k].path), "when");
        resolve_when(b, r, k, whens[k], srcs[k], q);
    }
    double count = 1;
    for (size_t k = 0; k < r->nkeys; k++)
        count *= (double)r->keys[k].nvalues;
    if (count > MR_REC_MAX_CANDIDATES)
        mr_diag_error(b->diag, &space->mark,
                      "recommend.space: %.0f combinations, more than the limit of %d: fix some "
                      "keys or split the space",
                      count, MR_REC_MAX_CANDIDATES);
}

void mr__bind_recommend(mr__bind *b, mr_node *m)
{
    mr_sc_recommend *r = &b->sc->recommend;
    mr__bind_keys(b, m, NULL, "recommend", mr__recommend_keys, 0, "", r);
    if (m == NULL)
        return;
    r->present = true;
    r->mark = m->mark;
    mr_node *space = mr__take_map(b, m, "space", "recommend");
    mr_node *obj = mr__take_seq(b, m, "objectives", "recommend");
    mr__unknown_keys(b, m, mr__recommend_keys);
    if (space != NULL && space->n == 0)
        mr_diag_error(b->diag, &space->mark, "recommend.space: name at least one key to vary");
    else if (space != NULL)
        bind_space(b, r, space);
    if (obj != NULL && obj->n == 0)
        mr_diag_error(b->diag, &obj->mark,
                      "recommend.objectives: state at least one bound, e.g. 'rto_s.p95 <= 5m'");
    if (obj == NULL || obj->n == 0)
        return;
    r->objectives = mr__alloc(b, obj->n * sizeof *r->objectives);
    char p[MR__PATH];
    for (size_t i = 0; i < obj->n; i++) {
        mr__path_index(p, "recommend.objectives", i);
        mr_node *o = obj->items[i];
        o->used = true;
        if (o->kind != MR_NODE_SCALAR) {
            mr_diag_error(b->diag, &o->mark,
                          "%s: expected a bound such as 'rto_s.p95 <= 5m', found %s", p,
                          mr_node_describe(o));
            continue;
        }
        mr_sc_rec_objective *ob = &r->objectives[r->nobjectives];
        ob->metric = -1;
        parse_objective(b, o, p, ob);
        if (ob->metric >= 0)
            r->nobjectives++;
    }
}
