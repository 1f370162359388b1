/* sim/config/doc.c: a document as a whole: paths into its tree
 * ("clusters[1].standby", "faults[name=x].at"), set by path (--set, `set:`),
 * and `extends:` with its files. Above node.c (the tree) and yaml.c (the
 * parser), which it uses both.
 *
 * Invariant (as node.h): a function that fails leaves the document as it
 * was: set by path checks the whole path in a dry run before it changes
 * anything, and extend works on a copy it swaps in at the end. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/node.h"
#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

/* Indices above this are refused as a typo rather than looked up. */
#define INDEX_MAX 100000000

/* ---- Paths ------------------------------------------------------------- */

typedef enum step_kind {
    STEP_KEY,    /* .key */
    STEP_INDEX,  /* [3] */
    STEP_SELECT, /* [key=value], or [value] for [name=value] */
    STEP_APPEND, /* [+]: a new last item (a set's last step only) */
} step_kind;

typedef struct step {
    step_kind kind;
    char *key;    /* KEY: the key; SELECT: the key compared */
    char *value;  /* SELECT: the value looked for */
    size_t index; /* INDEX */
    size_t off;   /* the step's first byte in the path text ('[' for brackets) */
} step;

typedef struct path {
    const char *text;
    mr_mark mark; /* of text[0]; file NULL and line 0 when unknown */
    step *steps;
    size_t n, cap;
} path;

static mr_mark path_mark_at(const path *p, size_t off)
{
    mr_mark m = p->mark;
    if (m.line > 0)
        m.column += mr__chars(p->text, off);
    return m;
}

static void path_fini(path *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->steps[i].key);
        free(p->steps[i].value);
    }
    free(p->steps);
}

static step *path_push(path *p, step_kind kind, size_t off)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->steps = mr_xrealloc(p->steps, p->cap * sizeof *p->steps);
    }
    p->steps[p->n] = (step){.kind = kind, .off = off};
    return &p->steps[p->n++];
}

static char *dup_range(const char *s, size_t from, size_t to)
{
    char *d = mr_xmalloc(to - from + 1);
    memcpy(d, s + from, to - from);
    d[to - from] = '\0';
    return d;
}

static int bad_path(const path *p, size_t off, const char *why, mr_diag *diag)
{
    if (diag != NULL) {
        mr_mark m = path_mark_at(p, off);
        mr_diag_error(diag, &m, "bad path '%s': %s", p->text, why);
    }
    return MR_EINVAL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses "[...]" at s[*i] == '[' into a step and moves *i past the ']'. */
static int parse_bracket(path *p, size_t *i, mr_diag *diag)
{
    const char *s = p->text;
    size_t open = *i, j = open + 1;
    while (s[j] != '\0' && s[j] != ']' && s[j] != '[' && !is_space(s[j]))
        j++;
    if (s[j] == '[')
        return bad_path(p, j, "unexpected '['", diag);
    if (is_space(s[j]))
        return bad_path(p, j, "unexpected space", diag);
    if (s[j] != ']')
        return bad_path(p, open, "missing ']'", diag);
    if (j == open + 1)
        return bad_path(p, open, "empty []", diag);

    if (j == open + 2 && s[open + 1] == '+') {
        path_push(p, STEP_APPEND, open);
        *i = j + 1;
        return MR_OK;
    }
    size_t k = open + 1;
    while (k < j && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k == j) {
        size_t index = 0;
        for (k = open + 1; k < j; k++) {
            index = 10 * index + (size_t)(s[k] - '0');
            if (index > INDEX_MAX)
                return bad_path(p, open + 1, "index too large", diag);
        }
        path_push(p, STEP_INDEX, open)->index = index;
    } else {
        const char *eq = memchr(s + open + 1, '=', j - open - 1);
        size_t e = eq ? (size_t)(eq - s) : 0;
        if (eq != NULL && e == open + 1)
            return bad_path(p, open + 1, "empty key in [KEY=VALUE]", diag);
        if (eq != NULL && e + 1 == j)
            return bad_path(p, e + 1, "empty value in [KEY=VALUE]", diag);
        step *st = path_push(p, STEP_SELECT, open);
        st->key = eq ? dup_range(s, open + 1, e) : mr_xstrdup("name");
        st->value = eq ? dup_range(s, e + 1, j) : dup_range(s, open + 1, j);
    }
    *i = j + 1;
    return MR_OK;
}

/* Splits p->text into steps: KEY ('.' KEY | '[' ... ']')*, or a leading
 * bracket for a root that is a sequence. */
static int path_parse(path *p, mr_diag *diag)
{
    const char *s = p->text;
    size_t i = 0;
    if (s[0] == '\0') {
        if (diag != NULL) {
            mr_mark m = path_mark_at(p, 0);
            mr_diag_error(diag, &m, "empty path");
        }
        return MR_EINVAL;
    }
    for (bool first = true;; first = false) {
        if (s[i] == '[' && first) {
            int rc = parse_bracket(p, &i, diag);
            if (rc != MR_OK)
                return rc;
        } else {
            size_t start = i;
            while (s[i] != '\0' && s[i] != '.' && s[i] != '[' && s[i] != ']' && !is_space(s[i]))
                i++;
            if (s[i] == ']')
                return bad_path(p, i, "unexpected ']'", diag);
            if (is_space(s[i]))
                return bad_path(p, i, "unexpected space", diag);
            if (i == start)
                return bad_path(p, i, "empty key", diag);
            path_push(p, STEP_KEY, start)->key = dup_range(s, start, i);
        }
        while (s[i] == '[') {
            int rc = parse_bracket(p, &i, diag);
            if (rc != MR_OK)
                return rc;
        }
        if (s[i] == '\0')
            return MR_OK;
        if (s[i] != '.')
            return bad_path(p, i, "expected '.' or '[' after ']'", diag);
        i++;
    }
}

/* The path up to step k, for messages: "'traffic.probe'", or "the document"
 * for the root. Returned in buf. */
static const char *prefix_name(const path *p, size_t k, char *buf, size_t n)
{
    size_t end = p->steps[k].off;
    if (end > 0 && p->text[end - 1] == '.')
        end--;
    if (end == 0)
        snprintf(buf, n, "the document");
    else
        snprintf(buf, n, "'%.*s'", (int)end, p->text);
    return buf;
}

/* The item of seq a bracket step selects, or NULL after a diagnostic. */
static mr_node **select_item(const path *p, size_t k, mr_node *seq, mr_diag *diag)
{
    const step *st = &p->steps[k];
    char where[256];
    mr_mark m = path_mark_at(p, st->off);
    if (seq->kind != MR_NODE_SEQ) {
        if (diag != NULL)
            mr_diag_error(diag, &m, "%s is %s, not a sequence",
                          prefix_name(p, k, where, sizeof where), mr_node_describe(seq));
        return NULL;
    }
    if (st->kind == STEP_INDEX) {
        if (st->index < seq->n)
            return &seq->items[st->index];
        if (diag != NULL)
            mr_diag_error(diag, &m, "index %zu is past the end of %s (length %zu)", st->index,
                          prefix_name(p, k, where, sizeof where), seq->n);
        return NULL;
    }
    for (size_t i = 0; i < seq->n; i++) {
        const mr_node *v = mr_node_get(seq->items[i], st->key);
        if (v != NULL && v->kind == MR_NODE_SCALAR && strcmp(v->text, st->value) == 0)
            return &seq->items[i];
    }
    if (diag != NULL) {
        /* List what the selector could have meant. */
        const char **names = mr_xmalloc((seq->n + 1) * sizeof *names);
        size_t nn = 0;
        for (size_t i = 0; i < seq->n; i++) {
            const mr_node *v = mr_node_get(seq->items[i], st->key);
            if (v != NULL && v->kind == MR_NODE_SCALAR)
                names[nn++] = v->text;
        }
        prefix_name(p, k, where, sizeof where);
        if (nn > 0) {
            char *list = mr__names_list(names, nn, NULL, false);
            mr_diag_error(diag, &m, "no element of %s has %s '%s' (%ss: %s)", where, st->key,
                          st->value, st->key, list);
            free(list);
        } else {
            mr_diag_error(diag, &m, "no element of %s has %s '%s'", where, st->key, st->value);
        }
        free(names);
    }
    return NULL;
}

static void no_key(const path *p, size_t k, const mr_node *map, mr_diag *diag)
{
    const step *st = &p->steps[k];
    char where[256];
    mr_mark m = path_mark_at(p, st->off);
    prefix_name(p, k, where, sizeof where);
    const char **keys = mr_xmalloc((map->n + 1) * sizeof *keys);
    for (size_t i = 0; i < map->n; i++)
        keys[i] = map->pairs[i].key->text;
    int best = mr_closest(st->key, keys, map->n);
    if (best >= 0)
        mr_diag_error(diag, &m, "no key '%s' in %s (did you mean '%s'?)", st->key, where,
                      keys[best]);
    else
        mr_diag_error(diag, &m, "no key '%s' in %s", st->key, where);
    free(keys);
}

static void not_map(const path *p, size_t k, const mr_node *node, mr_diag *diag)
{
    char where[256];
    mr_mark m = path_mark_at(p, p->steps[k].off);
    mr_diag_error(diag, &m, "%s is %s, not a map", prefix_name(p, k, where, sizeof where),
                  mr_node_describe(node));
}

static int path_get(mr_node *root, const path *p, mr_node **out, mr_diag *diag)
{
    mr_node *cur = root;
    for (size_t k = 0; k < p->n; k++) {
        const step *st = &p->steps[k];
        if (st->kind == STEP_KEY) {
            if (cur->kind != MR_NODE_MAP) {
                if (diag != NULL)
                    not_map(p, k, cur, diag);
                return MR_ENOENT;
            }
            mr_node *next = mr_node_get(cur, st->key);
            if (next == NULL) {
                if (diag != NULL)
                    no_key(p, k, cur, diag);
                return MR_ENOENT;
            }
            cur = next;
        } else {
            mr_node **slot = NULL;
            if (st->kind == STEP_APPEND) {
                if (diag != NULL) {
                    mr_mark m = path_mark_at(p, st->off);
                    mr_diag_error(diag, &m, "[+] appends: it names no existing item");
                }
            } else {
                slot = select_item(p, k, cur, diag);
            }
            if (slot == NULL)
                return MR_ENOENT;
            cur = *slot;
        }
    }
    *out = cur;
    return MR_OK;
}

int mr_node_find(const mr_node *root, const char *text, const mr_mark *path_mark, mr_node **out,
                 mr_diag *diag)
{
    path p = {.text = text};
    if (path_mark != NULL)
        p.mark = *path_mark;
    int rc = path_parse(&p, diag);
    if (rc == MR_OK)
        rc = path_get((mr_node *)root, &p, out, diag);
    path_fini(&p);
    return rc;
}

mr_node *mr_node_at(const mr_node *root, const char *text)
{
    mr_node *out = NULL;
    return mr_node_find(root, text, NULL, &out, NULL) == MR_OK ? out : NULL;
}

/* Follows p from doc's root and puts value at its end. With dry set, changes
 * nothing and only finds out whether that would work (reporting why not);
 * without, it must not fail, because the dry run passed. Parts of the path
 * that do not exist yet are followed "virtually" in a dry run. */
static int path_put(mr_doc *doc, const path *p, mr_node *value, bool dry, mr_diag *diag)
{
    mr_node **slot = &doc->root;
    bool virt = false;
    char where[256];
    for (size_t k = 0; k < p->n; k++) {
        const step *st = &p->steps[k];
        bool last = k + 1 == p->n;
        mr_node *cur = virt ? NULL : *slot;

        if (st->kind == STEP_APPEND) {
            /* "faults[+]=VALUE" adds an item (the TUI's injected faults,
             * sim/run/live.c): a missing or empty key is an empty list. */
            mr_mark m = path_mark_at(p, st->off);
            if (!last) {
                mr_diag_error(diag, &m, "[+] appends: it ends the path");
                return MR_ESCENARIO;
            }
            if (cur != NULL && !mr_node_is_null(cur) && cur->kind != MR_NODE_SEQ) {
                mr_diag_error(diag, &m, "%s is %s, not a sequence",
                              prefix_name(p, k, where, sizeof where), mr_node_describe(cur));
                return MR_ESCENARIO;
            }
            if (!dry) {
                if (cur == NULL || mr_node_is_null(cur)) {
                    mr_node *seq = mr_node_new_seq(cur ? &cur->mark : &value->mark);
                    if (cur != NULL)
                        mr_node_free(cur);
                    *slot = cur = seq;
                }
                mr_node_seq_push(cur, value);
            }
            return MR_OK;
        }
        if (st->kind != STEP_KEY) {
            /* Only keys are created, so a bracket after a missing key (virt)
             * was refused by the step before. */
            assert(cur != NULL);
            mr_node **item = select_item(p, k, cur, diag);
            if (item == NULL)
                return MR_ESCENARIO;
            if (last) {
                if (!dry) {
                    mr_node_free(*item);
                    *item = value;
                }
                return MR_OK;
            }
            slot = item;
            continue;
        }

        if (cur != NULL && mr_node_is_null(cur)) {
            /* "traffic:" with nothing under it is an empty map to set into. */
            if (dry) {
                virt = true;
                cur = NULL;
            } else {
                mr_node *map = mr_node_new_map(&cur->mark);
                mr_node_free(cur);
                *slot = cur = map;
            }
        }
        if (cur != NULL && cur->kind != MR_NODE_MAP) {
            not_map(p, k, cur, diag);
            return MR_ESCENARIO;
        }
        mr_node_pair *pair = cur ? mr_node_pair_of(cur, st->key) : NULL;
        if (pair != NULL) {
            if (last) {
                if (!dry) {
                    mr_node_free(pair->value);
                    pair->value = value;
                }
                return MR_OK;
            }
            slot = &pair->value;
            continue;
        }
        if (!last && p->steps[k + 1].kind != STEP_KEY && p->steps[k + 1].kind != STEP_APPEND) {
            mr_mark m = path_mark_at(p, p->steps[k + 1].off);
            mr_diag_error(diag, &m, "no key '%s' in %s to select from (only maps are created)",
                          st->key, prefix_name(p, k, where, sizeof where));
            return MR_ESCENARIO;
        }
        if (dry) {
            virt = true;
            continue;
        }
        assert(cur != NULL); /* only a dry run follows a path that does not exist */
        mr_mark km = path_mark_at(p, st->off);
        km.file = mr_doc_intern(doc, km.file);
        mr_node *key = mr_node_new_scalar(st->key, &km);
        if (km.line > 0)
            key->span = mr__chars(st->key, strlen(st->key));
        mr_node *fresh = last                                     ? value
                         : p->steps[k + 1].kind == STEP_APPEND ? mr_node_new_null(&km)
                                                               : mr_node_new_map(&km);
        mr_node_pair *added = mr__node_map_append(cur, key, fresh);
        if (last)
            return MR_OK;
        slot = &added->value;
    }
    return MR_OK;
}

int mr_doc_set_node(mr_doc *doc, const char *text, const mr_mark *path_mark, mr_node *value,
                    mr_diag *diag)
{
    path p = {.text = text};
    if (path_mark != NULL)
        p.mark = *path_mark;
    int rc = path_parse(&p, diag);
    if (rc == MR_OK)
        rc = path_put(doc, &p, value, true, diag);
    if (rc == MR_OK)
        rc = path_put(doc, &p, value, false, diag);
    path_fini(&p);
    return rc;
}

int mr_doc_set(mr_doc *doc, const char *text, const mr_mark *path_mark, const char *value,
               const mr_mark *value_mark, mr_diag *diag)
{
    mr_node *v;
    int rc = mr_doc_parse_value(doc, value, value_mark, &v, diag);
    if (rc != MR_OK)
        return rc;
    rc = mr_doc_set_node(doc, text, path_mark, v, diag);
    if (rc != MR_OK)
        mr_node_free(v);
    return rc;
}

int mr_doc_set_arg(mr_doc *doc, const char *arg, const mr_mark *at, mr_diag *diag)
{
    mr_mark base = at ? *at : (mr_mark){.file = "--set", .line = 1, .column = 1};
    size_t eq = 0;
    int depth = 0;
    /* A selector "[name=x]" has an '=' of its own. */
    while (arg[eq] != '\0' && !(arg[eq] == '=' && depth == 0)) {
        depth += arg[eq] == '[';
        depth -= arg[eq] == ']' && depth > 0;
        eq++;
    }
    if (arg[eq] != '=') {
        mr_diag_error(diag, &base, "expected PATH=VALUE, found '%s'", arg);
        return MR_EINVAL;
    }
    mr_mark vm = base;
    vm.column += mr__chars(arg, eq + 1);
    const char *v = arg + eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (*v == '\0') { /* "--set traffic.ttl=" is a slip, not a request for the default */
        char *key = dup_range(arg, 0, eq);
        mr_diag_error(diag, &vm, "%s: empty value: give a value, or null for the default",
                      key);
        free(key);
        return MR_ESCENARIO;
    }
    char *text = dup_range(arg, 0, eq);
    int rc = mr_doc_set(doc, text, &base, arg + eq + 1, &vm, diag);
    free(text);
    return rc;
}

/* ---- extends ----------------------------------------------------------- */

/* One file of an extends chain, innermost first, for cycle detection. */
typedef struct chain {
    const char *file;
    bool known; /* dev and ino are valid */
    dev_t dev;
    ino_t ino;
    const struct chain *up;
} chain;

static int resolve(mr_doc *doc, const chain *up, mr_diag *diag);

char *mr__path_relative(const char *base, const char *name)
{
    const char *slash = base ? strrchr(base, '/') : NULL;
    if (name[0] == '/' || slash == NULL)
        return mr_xstrdup(name);
    size_t dir = (size_t)(slash - base) + 1;
    char *out = mr_xmalloc(dir + strlen(name) + 1);
    memcpy(out, base, dir);
    strcpy(out + dir, name);
    return out;
}

static void cycle_error(const chain *me, const char *again, const mr_mark *at, mr_diag *diag)
{
    size_t n = 0, len = strlen(again) + 1;
    for (const chain *c = me; c != NULL; c = c->up) {
        n++;
        len += strlen(c->file) + 4;
    }
    const char **files = mr_xmalloc(n * sizeof *files);
    size_t i = n;
    for (const chain *c = me; c != NULL; c = c->up)
        files[--i] = c->file;
    char *text = mr_xmalloc(len);
    text[0] = '\0';
    for (i = 0; i < n; i++) {
        strcat(text, files[i]);
        strcat(text, " -> ");
    }
    strcat(text, again);
    mr_diag_error(diag, at, "extends cycle: %s", text);
    free(text);
    free(files);
}

/* Loads the file ext names, resolves it, and merges doc's root over it. */
static int merge_base(mr_doc *doc, const mr_node *ext, const chain *up, mr_diag *diag)
{
    if (ext->kind != MR_NODE_SCALAR || ext->null || ext->len == 0) {
        mr_diag_error(diag, &ext->mark, "extends: expected a file name, found %s",
                      mr_node_describe(ext));
        return MR_ESCENARIO;
    }
    chain me = {.file = ext->mark.file ? ext->mark.file : "<unnamed>", .up = up};
    struct stat st;
    if (ext->mark.file != NULL && stat(ext->mark.file, &st) == 0) {
        me.known = true;
        me.dev = st.st_dev;
        me.ino = st.st_ino;
    }
    char *file = mr__path_relative(ext->mark.file, ext->text);
    if (stat(file, &st) == 0) {
        for (const chain *c = &me; c != NULL; c = c->up) {
            if (c->known && c->dev == st.st_dev && c->ino == st.st_ino) {
                cycle_error(&me, file, &ext->mark, diag);
                free(file);
                return MR_ESCENARIO;
            }
        }
    }
    mr_doc *base;
    int rc = mr__doc_load_file_from(file, &ext->mark, &base, diag);
    free(file);
    if (rc != MR_OK)
        return rc;
    rc = resolve(base, &me, diag);
    if (rc == MR_OK && base->root->kind != MR_NODE_MAP) {
        mr_diag_error(diag, &base->root->mark,
                      "a file used by extends must hold a map of settings, found %s",
                      mr_node_describe(base->root));
        rc = MR_ESCENARIO;
    }
    if (rc != MR_OK) {
        mr_doc_free(base);
        return rc;
    }
    mr_node_merge(base->root, doc->root);
    doc->root = base->root;
    base->root = NULL;
    mr__doc_take_files(doc, base);
    mr_doc_free(base);
    return MR_OK;
}

/* Applies each "PATH: VALUE" of set to doc, reporting every bad one. */
static int apply_set(mr_doc *doc, mr_node *set, mr_diag *diag)
{
    if (mr_node_is_null(set))
        return MR_OK;
    if (set->kind != MR_NODE_MAP) {
        mr_diag_error(diag, &set->mark, "set: expected a map of PATH: VALUE, found %s",
                      mr_node_describe(set));
        return MR_ESCENARIO;
    }
    int rc = MR_OK;
    for (size_t i = 0; i < set->n; i++) {
        mr_node_pair *p = &set->pairs[i];
        mr_mark at = mr_node_text_mark(p->key, 0);
        if (mr_doc_set_node(doc, p->key->text, &at, p->value, diag) == MR_OK)
            p->value = NULL; /* now in doc's tree */
        else
            rc = MR_ESCENARIO;
    }
    return rc;
}

static int resolve(mr_doc *doc, const chain *up, mr_diag *diag)
{
    if (doc->root->kind != MR_NODE_MAP)
        return MR_OK;
    mr_node *ext = mr_node_map_remove(doc->root, "extends");
    mr_node *set = mr_node_map_remove(doc->root, "set");
    int rc = MR_OK;
    if (ext != NULL)
        rc = merge_base(doc, ext, up, diag);
    if (rc == MR_OK && set != NULL)
        rc = apply_set(doc, set, diag);
    mr_node_free(ext);
    mr_node_free(set);
    return rc;
}

int mr_doc_extend(mr_doc *doc, mr_diag *diag)
{
    if (mr_node_get(doc->root, "extends") == NULL && mr_node_get(doc->root, "set") == NULL)
        return MR_OK;
    mr_doc *work = mr_doc_clone(doc);
    int rc = resolve(work, NULL, diag);
    if (rc == MR_OK) {
        mr_doc tmp = *doc;
        *doc = *work;
        *work = tmp;
    }
    mr_doc_free(work);
    return rc;
}
