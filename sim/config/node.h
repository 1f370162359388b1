/* sim/config/node.h: the generic tree a scenario file is loaded into, before
 * anything knows what the keys mean. A document (mr_doc) owns a root node and
 * the file names its nodes' marks point at; a node is a scalar (text), a map
 * (ordered key/value pairs) or a sequence. Binders read the tree, set `used`
 * on what they consumed, and report what is left as unknown keys.
 *
 * Invariants: every node reachable from a document's root has a mark whose
 * file is NULL or one of that document's interned names, so a mark stays valid
 * for as long as the document lives, whatever was merged or set into it; a map
 * holds each key at most once; every map key is a scalar node. Nodes are owned
 * by their parent, the root by its document. */
#ifndef MRSIM_CONFIG_NODE_H
#define MRSIM_CONFIG_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mrsim/diag.h"

typedef enum mr_node_kind {
    MR_NODE_SCALAR = 0,
    MR_NODE_MAP,
    MR_NODE_SEQ,
} mr_node_kind;

typedef struct mr_node mr_node;

/* One entry of a map: key is always a scalar node (its mark is the key's). */
typedef struct mr_node_pair {
    mr_node *key;
    mr_node *value;
} mr_node_pair;

/* Fields are read freely; change the tree only through the functions below,
 * except `used`, which belongs to whoever binds the tree. */
struct mr_node {
    mr_node_kind kind;
    mr_mark mark; /* where the node starts; mark.file is owned by the document */
    bool used;    /* a binder consumed this value (see mr_node_take) */

    /* SCALAR only. */
    char *text;  /* NUL-terminated; "" for an empty value */
    size_t len;  /* bytes of text (a "\0" escape can put a NUL inside) */
    bool quoted; /* written in quotes or as a block scalar, or tagged !!str */
    bool null;   /* a plain null, Null, NULL, ~ or nothing at all */
    int span;    /* characters the scalar covers on its one source line, quotes
                  * included; -1 when it spans lines or was built by code */

    /* MAP: n pairs; SEQ: n items. */
    size_t n, cap;
    mr_node_pair *pairs;
    mr_node **items;
};

/* A loaded scenario file, or several merged by `extends:`. */
typedef struct mr_doc {
    mr_node *root; /* never NULL; an empty file gives an empty map */
    char **files;  /* the interned file names every mark points at; owned */
    size_t nfiles, capfiles;
} mr_doc;

/* ---- Documents ---------------------------------------------------------- */

/* Loads the YAML file at path. Returns MR_OK and sets *out (caller frees with
 * mr_doc_free), or fails with *out untouched: MR_EIO after "PATH: error:
 * cannot open: REASON" when the file cannot be read, MR_ESCENARIO after one
 * diagnostic per problem (a syntax error stops at the first one; duplicate
 * keys, anchors, aliases and tags are all reported). Anchors and aliases are
 * refused: a scenario spells each value out, or reuses a file by extends. */
int mr_doc_load_file(const char *path, mr_doc **out, mr_diag *diag);

/* As mr_doc_load_file, from the NUL-terminated text; name is the file name
 * the marks and diagnostics show ("<string>" when NULL). */
int mr_doc_load_string(const char *text, const char *name, mr_doc **out, mr_diag *diag);

/* A document holding an empty map whose mark is (file, 1, 1). Caller frees. */
mr_doc *mr_doc_new(const char *file);

/* Frees the document, its tree and its file names. NULL is a no-op. */
void mr_doc_free(mr_doc *doc);

/* A deep copy with its own file names; the copy's marks point into it, so
 * either document may be freed first. Caller frees with mr_doc_free. */
mr_doc *mr_doc_clone(const mr_doc *doc);

/* The document's own copy of file (added if new), for the mark of a node the
 * caller builds and puts into this document. NULL gives NULL. */
const char *mr_doc_intern(mr_doc *doc, const char *file);

/* Parses text as one YAML value (usually in flow style: "30s", "[a, b]",
 * "{mode: honor, share: 1}") into a new detached node whose marks are counted
 * from at (the position of text's first character; its file is interned into
 * doc, the one change even a failed call makes). Empty text gives a null scalar. Returns MR_OK and
 * sets *out (the caller puts it into doc's tree or frees it with mr_node_free), or MR_ESCENARIO
 * after diagnostics. */
int mr_doc_parse_value(mr_doc *doc, const char *text, const mr_mark *at, mr_node **out,
                       mr_diag *diag);

/* Replaces the node at path with value, or creates it: missing keys on the
 * way are created as maps (a null on the way becomes a map too). Paths are
 * keys joined by dots with [INDEX] or [KEY=VALUE] selectors ("traffic.ttl",
 * "clusters[1].standby", "faults[name=weu-outage].at"; [NAME] is short for
 * [name=NAME]). path_mark is the position of the path's first character:
 * created keys take their marks from it, and diagnostics point inside the
 * path. Takes ownership of value on success only. Fails with MR_EINVAL for a
 * malformed path and MR_ESCENARIO when the path cannot be followed (a scalar
 * in the way, an index past the end, no element with that name), in both cases
 * after a diagnostic (diag must not be NULL) and with doc unchanged. */
int mr_doc_set_node(mr_doc *doc, const char *path, const mr_mark *path_mark, mr_node *value,
                    mr_diag *diag);

/* mr_doc_set_node with value parsed from text by mr_doc_parse_value, marked
 * from value_mark. Same failures, plus MR_ESCENARIO for a malformed value. */
int mr_doc_set(mr_doc *doc, const char *path, const mr_mark *path_mark, const char *value,
               const mr_mark *value_mark, mr_diag *diag);

/* Applies one --set argument, "PATH=VALUE" (split at the first '=' outside
 * brackets). at is the mark of the argument's first character; NULL means
 * ("--set", 1, 1). Diagnostics then read "--set:1:COLUMN: error: ...".
 * Returns as mr_doc_set, or MR_EINVAL when there is no '='. */
int mr_doc_set_arg(mr_doc *doc, const char *arg, const mr_mark *at, mr_diag *diag);

/* Resolves `extends: PATH` (relative to the directory of the file the key was
 * written in): loads that file, resolves its own extends recursively, merges
 * this document over it (maps merge key by key; anything else replaces),
 * then applies this document's `set:` map (each key a path, as in
 * mr_doc_set_node; applied even without extends), and removes both keys.
 * Marks keep pointing at the file each value came from. Returns MR_OK (also
 * when there is nothing to do), or MR_EIO / MR_ESCENARIO after diagnostics
 * (a file that cannot be read, a cycle, a bad set: path), with doc unchanged. */
int mr_doc_extend(mr_doc *doc, mr_diag *diag);

/* ---- Nodes ------------------------------------------------------------- */

/* New detached nodes at mark (copied; NULL: no location). mark->file must be
 * NULL or interned in the document the node will join (mr_doc_intern). The
 * caller owns the node until it is put into a tree. */
mr_node *mr_node_new_scalar(const char *text, const mr_mark *mark);
mr_node *mr_node_new_null(const mr_mark *mark);
mr_node *mr_node_new_map(const mr_mark *mark);
mr_node *mr_node_new_seq(const mr_mark *mark);

/* Frees node and everything under it. NULL is a no-op. */
void mr_node_free(mr_node *node);

/* A deep copy, marks and used flags included, for use in the same document.
 * NULL gives NULL. Caller frees. */
mr_node *mr_node_clone(const mr_node *node);

/* "a map", "a sequence", "null" or "a value": for messages such as
 * "expected a duration, found a map". */
const char *mr_node_describe(const mr_node *node);

/* The value of key in map, or NULL when map is not a map or lacks the key. */
mr_node *mr_node_get(const mr_node *map, const char *key);

/* The pair of key in map, or NULL (as mr_node_get). */
mr_node_pair *mr_node_pair_of(const mr_node *map, const char *key);

/* mr_node_get, and marks the value used when there is one. */
mr_node *mr_node_take(mr_node *map, const char *key);

/* Puts value under key (a scalar node) in map: replaces and frees the old
 * value (keeping the old key node and freeing the new one) or appends.
 * Takes ownership of both. */
void mr_node_map_put(mr_node *map, mr_node *key, mr_node *value);

/* Removes key from map and returns its value (caller frees), or NULL. */
mr_node *mr_node_map_remove(mr_node *map, const char *key);

/* Appends item to seq and takes ownership of it. */
void mr_node_seq_push(mr_node *seq, mr_node *item);

/* The i-th pair of a map / item of a sequence; i < node->n. Iterate with
 * `for (size_t i = 0; i < node->n; i++)`. */
static inline mr_node_pair *mr_node_pair_at(const mr_node *map, size_t i)
{
    return &map->pairs[i];
}

static inline mr_node *mr_node_item(const mr_node *seq, size_t i)
{
    return seq->items[i];
}

static inline bool mr_node_is_null(const mr_node *node)
{
    return node == NULL || (node->kind == MR_NODE_SCALAR && node->null);
}

/* Deep-merges over into base, consuming over: a key both maps hold merges
 * recursively when both values are maps and is replaced otherwise; a new key
 * is appended. If either is not a map, base's content is replaced by over's.
 * Marks stay with the values they came with. */
void mr_node_merge(mr_node *base, mr_node *over);

/* The node at path (syntax as mr_doc_set_node) below root, or NULL when the
 * path is malformed or leads nowhere. */
mr_node *mr_node_at(const mr_node *root, const char *path);

/* As mr_node_at, with reasons: returns MR_OK and sets *out, MR_EINVAL for a
 * malformed path, MR_ENOENT when it leads nowhere, adding one diagnostic at
 * the offending part of the path (counted from path_mark) when diag is not
 * NULL. */
int mr_node_find(const mr_node *root, const char *path, const mr_mark *path_mark, mr_node **out,
                 mr_diag *diag);

/* The mark of byte offset off inside a scalar's text: exact when the scalar
 * sits on one line and its text is its source (plain, or quoted without
 * escapes), else the scalar's own mark. */
mr_mark mr_node_text_mark(const mr_node *scalar, size_t off);

/* Reports every key of map whose value is not marked used, as "unknown key
 * 'K' (did you mean 'V'?)" (the closest of valid, n_valid entries), or lists
 * valid when none is close. Returns the number of unknown keys. */
int mr_node_report_unused(const mr_node *map, const char *const *valid, size_t n_valid,
                          mr_diag *diag);

/* ---- Between the files of sim/config only ------------------------------ */

/* mr_node_new_scalar for text of len bytes, which may hold NULs. */
mr_node *mr__node_new_scalar_n(const char *text, size_t len, const mr_mark *mark);

/* The number of characters (UTF-8 code points) in the first n bytes of s. */
int mr__chars(const char *s, size_t n);

/* name taken relative to the directory of the file base (as is when name is
 * absolute or base has no directory part). Caller frees. */
char *mr__path_relative(const char *base, const char *name);

/* The largest input file mrsim reads: a scenario, a file it extends, a
 * CSV of samples (docs/scenario-format.md, Limits). A real scenario is a
 * few KiB; the cap keeps `mrsim validate /dev/zero` from eating memory. */
#define MR_INPUT_MAX_BYTES (16 * 1024 * 1024)
#define MR_INPUT_MAX_TEXT "16 MiB"

/* fopen for an input: NULL with *why (errno's text, "Is a directory", "not
 * a regular file", "larger than the limit ...") unless path opens as a
 * regular file of at most MR_INPUT_MAX_BYTES or a pipe (whose reader must
 * stop at the cap itself). */
FILE *mr__open_input(const char *path, const char *mode, const char **why);

/* mr_doc_load_file for extends: when the file cannot be read, the one
 * diagnostic sits at from (the `extends:` value) and names path. */
int mr__doc_load_file_from(const char *path, const mr_mark *from, mr_doc **out, mr_diag *diag);

/* Appends the pair key: value to map without looking for the key (the
 * caller knows it is absent); returns the new pair. */
mr_node_pair *mr__node_map_append(mr_node *map, mr_node *key, mr_node *value);
/* Moves every file name of from into to, so that nodes moved from one
 * document to the other keep valid marks. */
void mr__doc_take_files(mr_doc *to, mr_doc *from);

#endif
