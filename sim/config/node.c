/* sim/config/node.c: the node tree of sim/config/node.h: construction,
 * look-up, deep merge, and the documents that own the file names of its
 * marks. Parsing YAML into the tree is yaml.c's job; paths, set by path and
 * `extends:` are doc.c's.
 *
 * Invariant (as node.h): every mark in a document's tree points at a name the
 * document owns. Names are only ever added to a document, never removed or
 * deduplicated after the fact, so moving nodes between documents is safe as
 * long as the names move with them (mr__doc_take_files). A function that fails leaves
 * the document as it was: set by path checks the whole path in a dry run
 * before it changes anything, and extend works on a copy it swaps in at the
 * end. */
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

int mr__chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        /* A UTF-8 continuation byte is 10xxxxxx; every other byte starts a
         * character. */
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    }
    return c;
}

/* ---- Nodes ------------------------------------------------------------- */

static mr_node *node_new(mr_node_kind kind, const mr_mark *mark)
{
    mr_node *n = mr_xcalloc(1, sizeof *n);
    n->kind = kind;
    if (mark != NULL)
        n->mark = *mark;
    n->span = -1;
    return n;
}

mr_node *mr__node_new_scalar_n(const char *text, size_t len, const mr_mark *mark)
{
    mr_node *n = node_new(MR_NODE_SCALAR, mark);
    n->text = mr_xmalloc(len + 1);
    memcpy(n->text, text, len);
    n->text[len] = '\0';
    n->len = len;
    return n;
}

mr_node *mr_node_new_scalar(const char *text, const mr_mark *mark)
{
    return mr__node_new_scalar_n(text, strlen(text), mark);
}

mr_node *mr_node_new_null(const mr_mark *mark)
{
    mr_node *n = mr__node_new_scalar_n("", 0, mark);
    n->null = true;
    return n;
}

mr_node *mr_node_new_map(const mr_mark *mark)
{
    return node_new(MR_NODE_MAP, mark);
}

mr_node *mr_node_new_seq(const mr_mark *mark)
{
    return node_new(MR_NODE_SEQ, mark);
}

/* Frees what n owns and leaves the struct itself. */
static void node_clear(mr_node *n)
{
    for (size_t i = 0; i < n->n; i++) {
        if (n->kind == MR_NODE_MAP) {
            mr_node_free(n->pairs[i].key);
            mr_node_free(n->pairs[i].value);
        } else if (n->kind == MR_NODE_SEQ) {
            mr_node_free(n->items[i]);
        }
    }
    free(n->pairs);
    free(n->items);
    free(n->text);
}

void mr_node_free(mr_node *node)
{
    if (node == NULL)
        return;
    node_clear(node);
    free(node);
}

/* Where a clone's file names come from: pointers into from's names become the
 * pointers at the same index in to's. Without a remap, names are shared. */
typedef struct remap {
    const mr_doc *from;
    mr_doc *to;
} remap;

static const char *remap_file(const remap *r, const char *file)
{
    if (r == NULL || file == NULL)
        return file;
    for (size_t i = 0; i < r->from->nfiles; i++) {
        if (r->from->files[i] == file)
            return r->to->files[i];
    }
    /* A mark the source document does not own breaks node.h's invariant;
     * interning by content at least keeps the copy's marks valid. */
    return mr_doc_intern(r->to, file);
}

static mr_node *clone_node(const mr_node *n, const remap *r)
{
    if (n == NULL)
        return NULL;
    mr_node *c = mr_xmalloc(sizeof *c);
    *c = *n;
    c->mark.file = remap_file(r, n->mark.file);
    c->text = NULL;
    c->pairs = NULL;
    c->items = NULL;
    c->cap = n->n;
    if (n->kind == MR_NODE_SCALAR) {
        c->text = mr_xmalloc(n->len + 1);
        memcpy(c->text, n->text, n->len + 1);
    } else if (n->kind == MR_NODE_MAP && n->n > 0) {
        c->pairs = mr_xmalloc(n->n * sizeof *c->pairs);
        for (size_t i = 0; i < n->n; i++) {
            c->pairs[i].key = clone_node(n->pairs[i].key, r);
            c->pairs[i].value = clone_node(n->pairs[i].value, r);
        }
    } else if (n->kind == MR_NODE_SEQ && n->n > 0) {
        c->items = mr_xmalloc(n->n * sizeof *c->items);
        for (size_t i = 0; i < n->n; i++)
            c->items[i] = clone_node(n->items[i], r);
    }
    return c;
}

mr_node *mr_node_clone(const mr_node *node)
{
    return clone_node(node, NULL);
}

const char *mr_node_describe(const mr_node *node)
{
    if (node == NULL || mr_node_is_null(node))
        return "null";
    switch (node->kind) {
    case MR_NODE_MAP:
        return "a map";
    case MR_NODE_SEQ:
        return "a sequence";
    case MR_NODE_SCALAR:
        break;
    }
    return "a value";
}

mr_node_pair *mr_node_pair_of(const mr_node *map, const char *key)
{
    if (map == NULL || map->kind != MR_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->pairs[i].key->text, key) == 0)
            return &map->pairs[i];
    }
    return NULL;
}

mr_node *mr_node_get(const mr_node *map, const char *key)
{
    mr_node_pair *p = mr_node_pair_of(map, key);
    return p ? p->value : NULL;
}

mr_node *mr_node_take(mr_node *map, const char *key)
{
    mr_node *v = mr_node_get(map, key);
    if (v != NULL)
        v->used = true;
    return v;
}

mr_node_pair *mr__node_map_append(mr_node *map, mr_node *key, mr_node *value)
{
    if (map->n == map->cap) {
        map->cap = map->cap ? 2 * map->cap : 4;
        map->pairs = mr_xrealloc(map->pairs, map->cap * sizeof *map->pairs);
    }
    map->pairs[map->n] = (mr_node_pair){.key = key, .value = value};
    return &map->pairs[map->n++];
}

void mr_node_map_put(mr_node *map, mr_node *key, mr_node *value)
{
    mr_node_pair *p = mr_node_pair_of(map, key->text);
    if (p != NULL) {
        mr_node_free(p->value);
        p->value = value;
        mr_node_free(key);
        return;
    }
    mr__node_map_append(map, key, value);
}

mr_node *mr_node_map_remove(mr_node *map, const char *key)
{
    mr_node_pair *p = mr_node_pair_of(map, key);
    if (p == NULL)
        return NULL;
    mr_node *value = p->value;
    mr_node_free(p->key);
    size_t i = (size_t)(p - map->pairs);
    memmove(&map->pairs[i], &map->pairs[i + 1], (map->n - i - 1) * sizeof *map->pairs);
    map->n--;
    return value;
}

void mr_node_seq_push(mr_node *seq, mr_node *item)
{
    if (seq->n == seq->cap) {
        seq->cap = seq->cap ? 2 * seq->cap : 4;
        seq->items = mr_xrealloc(seq->items, seq->cap * sizeof *seq->items);
    }
    seq->items[seq->n++] = item;
}

void mr_node_merge(mr_node *base, mr_node *over)
{
    if (base->kind != MR_NODE_MAP || over->kind != MR_NODE_MAP) {
        /* Anything but two maps: over wins whole, mark included. Swapping the
         * structs lets over's shell carry base's old content to the free. */
        mr_node tmp = *base;
        *base = *over;
        *over = tmp;
        mr_node_free(over);
        return;
    }
    for (size_t i = 0; i < over->n; i++) {
        mr_node *key = over->pairs[i].key;
        mr_node *value = over->pairs[i].value;
        mr_node_pair *p = mr_node_pair_of(base, key->text);
        if (p == NULL) {
            mr__node_map_append(base, key, value);
            continue;
        }
        /* The key as the overriding file wrote it: an unknown key is then
         * reported where the user last typed it. */
        mr_node_free(p->key);
        p->key = key;
        if (p->value->kind == MR_NODE_MAP && value->kind == MR_NODE_MAP) {
            mr_node_merge(p->value, value);
        } else {
            mr_node_free(p->value);
            p->value = value;
        }
    }
    free(over->pairs);
    free(over);
}

mr_mark mr_node_text_mark(const mr_node *scalar, size_t off)
{
    mr_mark m = scalar->mark;
    if (scalar->kind != MR_NODE_SCALAR || scalar->span < 0 || off > scalar->len)
        return m;
    int chars = mr__chars(scalar->text, scalar->len);
    int lead;
    /* The text is its source only when the widths agree: a quoted scalar with
     * escapes, a tag or a folded line is wider than its text. */
    if (!scalar->quoted && scalar->span == chars)
        lead = 0;
    else if (scalar->quoted && scalar->span == chars + 2)
        lead = 1;
    else
        return m;
    m.column += lead + mr__chars(scalar->text, off);
    return m;
}

int mr_node_report_unused(const mr_node *map, const char *const *valid, size_t n_valid,
                          mr_diag *diag)
{
    int count = 0;
    if (map == NULL || map->kind != MR_NODE_MAP)
        return 0;
    for (size_t i = 0; i < map->n; i++) {
        const mr_node_pair *p = &map->pairs[i];
        if (p->value->used)
            continue;
        count++;
        int best = mr_closest(p->key->text, valid, n_valid);
        if (best >= 0) {
            mr_diag_error(diag, &p->key->mark, "unknown key '%s' (did you mean '%s'?)",
                          p->key->text, valid[best]);
        } else if (n_valid > 0) {
            char *list = mr__names_list(valid, n_valid, NULL, false);
            mr_diag_error(diag, &p->key->mark, "unknown key '%s' (valid keys: %s)", p->key->text,
                          list);
            free(list);
        } else {
            mr_diag_error(diag, &p->key->mark, "unknown key '%s'", p->key->text);
        }
    }
    return count;
}

/* ---- Documents ---------------------------------------------------------- */

mr_doc *mr_doc_new(const char *file)
{
    mr_doc *doc = mr_xcalloc(1, sizeof *doc);
    mr_mark m = {.file = mr_doc_intern(doc, file), .line = 1, .column = 1};
    doc->root = mr_node_new_map(&m);
    return doc;
}

void mr_doc_free(mr_doc *doc)
{
    if (doc == NULL)
        return;
    mr_node_free(doc->root);
    for (size_t i = 0; i < doc->nfiles; i++)
        free(doc->files[i]);
    free(doc->files);
    free(doc);
}

/* Appends name to doc's names as is (no look-up: the pointer itself may
 * already be in use by marks). */
static void add_file(mr_doc *doc, char *name)
{
    if (doc->nfiles == doc->capfiles) {
        doc->capfiles = doc->capfiles ? 2 * doc->capfiles : 4;
        doc->files = mr_xrealloc(doc->files, doc->capfiles * sizeof *doc->files);
    }
    doc->files[doc->nfiles++] = name;
}

const char *mr_doc_intern(mr_doc *doc, const char *file)
{
    if (file == NULL)
        return NULL;
    for (size_t i = 0; i < doc->nfiles; i++) {
        if (doc->files[i] == file || strcmp(doc->files[i], file) == 0)
            return doc->files[i];
    }
    add_file(doc, mr_xstrdup(file));
    return doc->files[doc->nfiles - 1];
}

void mr__doc_take_files(mr_doc *to, mr_doc *from)
{
    for (size_t i = 0; i < from->nfiles; i++)
        add_file(to, from->files[i]);
    from->nfiles = 0;
}

mr_doc *mr_doc_clone(const mr_doc *doc)
{
    mr_doc *c = mr_xcalloc(1, sizeof *c);
    for (size_t i = 0; i < doc->nfiles; i++)
        add_file(c, mr_xstrdup(doc->files[i]));
    remap r = {.from = doc, .to = c};
    c->root = clone_node(doc->root, &r);
    return c;
}
