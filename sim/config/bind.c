/* sim/config/bind.c: the binder's generic helpers (bind.h): memory the
 * scenario owns, paths, shapes, values bound through key tables with their
 * defaults and ranges, names and references with "did you mean" hints.
 * Invariant: each helper that finds a problem adds exactly one diagnostic
 * and leaves its destination as it was. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

/* ---- Memory --------------------------------------------------------------- */

static void push_alloc(mr__bind *b, void *p)
{
    mr_scenario_internal *in = b->sc->internal;
    if (in->nallocs == in->capallocs) {
        in->capallocs = in->capallocs ? 2 * in->capallocs : 64;
        in->allocs = mr_xrealloc(in->allocs, in->capallocs * sizeof *in->allocs);
    }
    in->allocs[in->nallocs++] = p;
}

void *mr__alloc(mr__bind *b, size_t n)
{
    if (n == 0)
        return NULL;
    void *p = mr_xcalloc(1, n);
    push_alloc(b, p);
    return p;
}

const char *mr__str(mr__bind *b, const char *s)
{
    char *p = mr_xstrdup(s);
    push_alloc(b, p);
    return p;
}

const char *mr__strf(mr__bind *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = mr_xmalloc((size_t)(len < 0 ? 0 : len) + 1);
    vsnprintf(p, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap2);
    va_end(ap2);
    push_alloc(b, p);
    return p;
}

void mr__keep_dist(mr__bind *b, mr_dist *d)
{
    mr_scenario_internal *in = b->sc->internal;
    for (size_t i = 0; i < in->ndists; i++)
        if (in->dists[i] == d)
            return;
    if (in->ndists == in->capdists) {
        in->capdists = in->capdists ? 2 * in->capdists : 32;
        in->dists = mr_xrealloc(in->dists, in->capdists * sizeof *in->dists);
    }
    in->dists[in->ndists++] = d;
}

void mr__record_default(mr__bind *b, const char *path, const char *text, const mr_param *row)
{
    mr_scenario_internal *in = b->sc->internal;
    struct mr__vdefault def = {.is = row != NULL};
    if (row) {
        def.doc = row->doc ? mr__str(b, row->doc) : NULL;
        def.ref = row->ref ? mr__str(b, row->ref) : NULL;
    }
    /* A value a kind's check settles after the binder noted its default
     * (blob's RA-GRS secondary becomes readable) replaces it in place. */
    for (size_t i = in->nvalues; i-- > 0;)
        if (strcmp(in->vpath[i], path) == 0) {
            in->vtext[i] = mr__str(b, text);
            in->vdefault[i] = def;
            return;
        }
    if (in->nvalues == in->capvalues) {
        in->capvalues = in->capvalues ? 2 * in->capvalues : 128;
        in->vpath = mr_xrealloc(in->vpath, in->capvalues * sizeof *in->vpath);
        in->vtext = mr_xrealloc(in->vtext, in->capvalues * sizeof *in->vtext);
        in->vdefault = mr_xrealloc(in->vdefault, in->capvalues * sizeof *in->vdefault);
    }
    in->vpath[in->nvalues] = mr__str(b, path);
    in->vtext[in->nvalues] = mr__str(b, text);
    in->vdefault[in->nvalues] = def;
    in->nvalues++;
}

void mr__record(mr__bind *b, const char *path, const char *text)
{
    mr__record_default(b, path, text, NULL);
}

/* ---- Paths and text ---------------------------------------------------------- */

/* Appends s to buf (of MR__PATH bytes, holding len bytes), cutting it short
 * rather than overflowing. Returns the new length. */
static size_t path_cat(char *buf, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (len + n > MR__PATH - 1)
        n = MR__PATH - 1 - len;
    memmove(buf + len, s, n);
    buf[len + n] = '\0';
    return len + n;
}

char *mr__path(char *buf, const char *parent, const char *key)
{
    size_t len = 0;
    if (parent != NULL && parent[0] != '\0') {
        if (parent != buf)
            len = path_cat(buf, 0, parent);
        else
            len = strlen(buf);
        len = path_cat(buf, len, ".");
    }
    path_cat(buf, len, key);
    return buf;
}

char *mr__path_index(char *buf, const char *parent, size_t i)
{
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    size_t len = parent == buf ? strlen(buf) : path_cat(buf, 0, parent);
    path_cat(buf, len, idx);
    return buf;
}

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *sb, const char *s, size_t n)
{
    if (sb->n + n + 1 > sb->cap) {
        while (sb->n + n + 1 > sb->cap)
            sb->cap = sb->cap ? 2 * sb->cap : 64;
        sb->s = mr_xrealloc(sb->s, sb->cap);
    }
    memcpy(sb->s + sb->n, s, n);
    sb->n += n;
    sb->s[sb->n] = '\0';
}

static void sb_str(sbuf *sb, const char *s)
{
    sb_put(sb, s, strlen(s));
}

/* Whether a plain scalar with this text would read back differently in a
 * flow collection. */
static bool needs_quotes(const mr_node *n)
{
    const char *t = n->text;
    if (n->null)
        return false;
    if (t[0] == '\0' || t[0] == ' ' || t[strlen(t) - 1] == ' ')
        return true;
    if (strchr("-?!&*%@`'\"|>#", t[0]) != NULL && !(t[0] == '-' && t[1] >= '0' && t[1] <= '9'))
        return true;
    if (strpbrk(t, "{}[]#\n\t") != NULL || strstr(t, ": ") != NULL)
        return true;
    /* A compact dist with commas is rejoined by the loader only when its
     * parentheses balance; anything else with a comma is quoted. */
    if (strchr(t, ',') != NULL && strchr(t, '(') == NULL)
        return true;
    if (n->quoted) {
        /* Quoted to stay a string: "null", "true", "5". */
        static const char *const plain_words[] = {"null", "Null", "NULL", "~", "true", "false"};
        for (size_t i = 0; i < sizeof plain_words / sizeof *plain_words; i++)
            if (strcmp(t, plain_words[i]) == 0)
                return true;
    }
    return false;
}

static void flow(sbuf *sb, const mr_node *n)
{
    switch (n->kind) {
    case MR_NODE_SCALAR:
        if (n->null) {
            sb_str(sb, "null");
        } else if (needs_quotes(n)) {
            sb_str(sb, "\"");
            for (size_t i = 0; i < n->len; i++) {
                char c = n->text[i];
                char esc[8];
                if (c == '"' || c == '\\') {
                    esc[0] = '\\';
                    esc[1] = c;
                    sb_put(sb, esc, 2);
                } else if ((unsigned char)c < 0x20) {
                    snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)c);
                    sb_str(sb, esc);
                } else {
                    sb_put(sb, &c, 1);
                }
            }
            sb_str(sb, "\"");
        } else {
            sb_put(sb, n->text, n->len);
        }
        break;
    case MR_NODE_MAP:
        sb_str(sb, "{");
        for (size_t i = 0; i < n->n; i++) {
            if (i > 0)
                sb_str(sb, ", ");
            flow(sb, n->pairs[i].key);
            sb_str(sb, ": ");
            flow(sb, n->pairs[i].value);
        }
        sb_str(sb, "}");
        break;
    case MR_NODE_SEQ:
        sb_str(sb, "[");
        for (size_t i = 0; i < n->n; i++) {
            if (i > 0)
                sb_str(sb, ", ");
            flow(sb, n->items[i]);
        }
        sb_str(sb, "]");
        break;
    }
}

char *mr__flow(const mr_node *node)
{
    sbuf sb = {0};
    sb_str(&sb, "");
    flow(&sb, node);
    return sb.s;
}

/* ---- Shapes -------------------------------------------------------------------- */

static mr_node *shape(mr__bind *b, mr_node *node, const char *path, mr_node_kind kind,
                      const char *what)
{
    if (node == NULL)
        return NULL;
    node->used = true;
    if (mr_node_is_null(node))
        return NULL;
    if (node->kind == kind)
        return node;
    mr_diag_error(b->diag, &node->mark, "%s: expected %s, found %s", path, what,
                  mr_node_describe(node));
    return NULL;
}

mr_node *mr__map(mr__bind *b, mr_node *node, const char *path)
{
    return shape(b, node, path, MR_NODE_MAP, "a map");
}

mr_node *mr__seq(mr__bind *b, mr_node *node, const char *path)
{
    return shape(b, node, path, MR_NODE_SEQ, "a sequence");
}

mr_node *mr__take_map(mr__bind *b, mr_node *map, const char *key, const char *path)
{
    char p[MR__PATH];
    return mr__map(b, mr_node_take(map, key), mr__path(p, path, key));
}

mr_node *mr__take_seq(mr__bind *b, mr_node *map, const char *key, const char *path)
{
    char p[MR__PATH];
    return mr__seq(b, mr_node_take(map, key), mr__path(p, path, key));
}

/* ---- Values ------------------------------------------------------------------------ */

static mr_unit_kind unit_of(mr_param_type t)
{
    switch (t) {
    case MR_PARAM_T_DURATION:
    case MR_PARAM_T_DIST_TIME:
        return MR_UNIT_DURATION;
    case MR_PARAM_T_RATE:
        return MR_UNIT_RATE;
    case MR_PARAM_T_RATIO:
        return MR_UNIT_RATIO;
    case MR_PARAM_T_SIZE:
        return MR_UNIT_SIZE;
    case MR_PARAM_T_MONEY:
        return MR_UNIT_MONEY;
    default:
        return MR_UNIT_NUMBER;
    }
}

/* v in the unit of the row, as a file would write it. */
static void fmt_value(mr_param_type t, double v, char *buf, size_t n)
{
    if (t == MR_PARAM_T_DURATION || t == MR_PARAM_T_DIST_TIME) {
        mr_time_format_unit(v >= 9.2e18 ? MR_TIME_NEVER : (mr_time)v, buf, n);
    } else if (t == MR_PARAM_T_RATE) {
        snprintf(buf, n, "%g/s", v);
    } else if (t == MR_PARAM_T_SIZE) {
        snprintf(buf, n, "%gB", v);
    } else {
        snprintf(buf, n, "%g", v);
    }
}

/* "out of range [lo, hi]", or "must be at least lo" / "at most hi" for an
 * open end, after "PATH: VALUE". */
static void range_error(mr__bind *b, const mr_mark *mark, const char *path, const mr_param *row,
                        const char *text)
{
    char lo[48], hi[48];
    fmt_value(row->type, row->lo, lo, sizeof lo);
    fmt_value(row->type, row->hi, hi, sizeof hi);
    bool open_hi = row->hi >= 9.2e18 || isinf(row->hi);
    if (open_hi)
        mr_diag_error(b->diag, mark, "%s: %s is out of range: must be at least %s", path, text, lo);
    else
        mr_diag_error(b->diag, mark, "%s: %s is out of range [%s, %s]", path, text, lo, hi);
}

static bool has_range(const mr_param *row)
{
    return row->lo <= row->hi;
}

int mr__int(mr__bind *b, mr_node *node, const char *path, int64_t lo, int64_t hi, int64_t *out)
{
    node->used = true;
    if (node->kind != MR_NODE_SCALAR || node->null) {
        mr_diag_error(b->diag, &node->mark, "%s: expected a whole number, found %s", path,
                      mr_node_describe(node));
        return MR_ESCENARIO;
    }
    char err[MR_UNITS_ERRLEN];
    int64_t v;
    if (mr_units_int(node->text, INT64_MIN, INT64_MAX, &v, err, sizeof err) != MR_OK) {
        mr_diag_error(b->diag, &node->mark, "%s: %s", path, err);
        return MR_ESCENARIO;
    }
    if (v < lo || v > hi) {
        if (hi == INT64_MAX || hi == INT32_MAX)
            mr_diag_error(b->diag, &node->mark,
                          "%s: %" PRId64 " is out of range: must be at least %" PRId64, path, v,
                          lo);
        else
            mr_diag_error(b->diag, &node->mark,
                          "%s: %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]", path, v, lo,
                          hi);
        return MR_ESCENARIO;
    }
    *out = v;
    return MR_OK;
}

int mr__enum(mr__bind *b, mr_node *node, const char *path, const char *const *choices)
{
    node->used = true;
    size_t n = 0;
    while (choices[n])
        n++;
    char *list = mr__names_list(choices, n, NULL, false);
    int result = -1;
    if (node->kind != MR_NODE_SCALAR || node->null) {
        mr_diag_error(b->diag, &node->mark, "%s: expected one of %s, found %s", path, list,
                      mr_node_describe(node));
    } else {
        for (size_t i = 0; i < n; i++)
            if (strcmp(node->text, choices[i]) == 0)
                result = (int)i;
        if (result < 0) {
            int best = mr_closest(node->text, choices, n);
            if (best >= 0)
                mr_diag_error(b->diag, &node->mark,
                              "%s: unknown value '%s' (did you mean '%s'?); expected one of %s",
                              path, node->text, choices[best], list);
            else
                mr_diag_error(b->diag, &node->mark, "%s: unknown value '%s'; expected one of %s",
                              path, node->text, list);
        }
    }
    free(list);
    return result;
}

const char *mr__name(mr__bind *b, mr_node *node, const char *path)
{
    node->used = true;
    if (node->kind != MR_NODE_SCALAR || node->null) {
        mr_diag_error(b->diag, &node->mark, "%s: expected a name such as westeurope, found %s",
                      path, mr_node_describe(node));
        return NULL;
    }
    const char *t = node->text;
    bool ok = t[0] != '\0' && strlen(t) == node->len && strlen(t) <= 63;
    for (const char *p = t; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!ok) {
        mr_diag_error(b->diag, &node->mark,
                      "%s: invalid name '%s': a name is 1 to 63 lowercase letters, digits and "
                      "'-' (such as aks-weu)",
                      path, t);
        return NULL;
    }
    return mr__str(b, t);
}

/* Text of a default or of a present scalar, for the record. */
static void record_node(mr__bind *b, const char *path, const mr_node *node)
{
    if (node->kind == MR_NODE_SCALAR && !node->null) {
        mr__record(b, path, node->text);
    } else {
        char *t = mr__flow(node);
        mr__record(b, path, t);
        free(t);
    }
}

/* Parses text of a unit kind with the path as prefix of any message. */
static int parse_unit(mr__bind *b, const mr_mark *mark, const char *path, mr_param_type type,
                      const char *text, double *out)
{
    char err[MR_UNITS_ERRLEN];
    int rc;
    if (type == MR_PARAM_T_DURATION) {
        mr_time t;
        rc = mr_units_duration(text, &t, err, sizeof err);
        if (rc == MR_OK)
            *out = (double)t;
    } else if (type == MR_PARAM_T_RATIO && mr_units_number(text, out, NULL, 0) == MR_OK && *out == 1) {
        /* Exactly 1 is not ambiguous (docs/scenario-format.md writes severity: 1.0). */
        rc = MR_OK;
    } else {
        rc = mr_units_value(unit_of(type), text, out, err, sizeof err);
    }
    if (rc != MR_OK) {
        mr_diag_error(b->diag, mark, "%s: %s", path, err);
        return MR_ESCENARIO;
    }
    return MR_OK;
}

/* The cases of mr__bind_value, one per kind of value. Each returns MR_OK
 * having written *dst, or MR_ESCENARIO after a diagnostic at mark (or at
 * the node) prefixed with path. */

/* A distribution, from the node or else from the row's default; the
 * previous one in dst is released. */
static int value_dist(mr__bind *b, mr_node *node, const char *path, const mr_param *row, void *dst)
{
    mr_dist d;
    /* The parser knows no key path: its messages get this one. */
    mr_diag *own = mr_diag_new();
    int rc = node ? mr_distspec_node(node, unit_of(row->type), &d, own)
                  : mr_distspec_text(row->def, unit_of(row->type), NULL, &d, own);
    mr_diag_add_prefixed(b->diag, own, path);
    mr_diag_free(own);
    if (rc != MR_OK)
        return MR_ESCENARIO;
    mr_dist_fini((mr_dist *)dst);
    *(mr_dist *)dst = d;
    mr__keep_dist(b, (mr_dist *)dst);
    if (node)
        record_node(b, path, node);
    else
        mr__record_default(b, path, row->def, row);
    return MR_OK;
}

/* The text to parse and where it is: the node's scalar (anything else is
 * refused, naming what the row expects), or the row's default, which has
 * no place in the file. */
static int value_text(mr__bind *b, mr_node *node, const char *path, const mr_param *row,
                      const char **text, const mr_mark **mark)
{
    static const mr_mark defmark = {0};
    if (node == NULL) {
        *text = row->def;
        *mark = &defmark;
        return MR_OK;
    }
    if (node->kind != MR_NODE_SCALAR || node->null) {
        const char *what =
            row->type == MR_PARAM_T_ENUM                                   ? "a value"
            : row->type == MR_PARAM_T_TEXT                                 ? "text"
            : row->type == MR_PARAM_T_INT || row->type == MR_PARAM_T_INT64 ? "a whole number"
            : row->type == MR_PARAM_T_BOOL                                 ? "true or false"
                                           : mr_unit_kind_describe(unit_of(row->type));
        mr_diag_error(b->diag, &node->mark, "%s: expected %s, found %s", path, what,
                      mr_node_describe(node));
        return MR_ESCENARIO;
    }
    *text = node->text;
    *mark = &node->mark;
    return MR_OK;
}

/* One of row->choices, as an int; a default is trusted to be one. */
static int value_enum(mr__bind *b, mr_node *node, const char *path, const mr_param *row,
                      const char *text, void *dst)
{
    int v;
    if (node) {
        v = mr__enum(b, node, path, row->choices);
        if (v < 0)
            return MR_ESCENARIO;
    } else {
        v = -1;
        for (int i = 0; row->choices[i]; i++)
            if (strcmp(row->choices[i], text) == 0)
                v = i;
    }
    memcpy(dst, &v, sizeof v);
    return MR_OK;
}

static int value_bool(mr__bind *b, const mr_mark *mark, const char *path, const char *text,
                      void *dst)
{
    char err[MR_UNITS_ERRLEN];
    bool v;
    if (mr_units_bool(text, &v, err, sizeof err) != MR_OK) {
        mr_diag_error(b->diag, mark, "%s: %s", path, err);
        return MR_ESCENARIO;
    }
    *(bool *)dst = v;
    return MR_OK;
}

/* A whole number within the row's range (an INT's within 32 bits). */
static int value_int(mr__bind *b, const mr_mark *mark, const char *path, const mr_param *row,
                     const char *text, void *dst)
{
    char err[MR_UNITS_ERRLEN];
    int64_t v;
    int64_t lo = has_range(row) ? (int64_t)row->lo : INT64_MIN;
    int64_t hi = has_range(row) ? (row->hi >= 9.2e18 ? INT64_MAX : (int64_t)row->hi) : INT64_MAX;
    if (row->type == MR_PARAM_T_INT) {
        if (lo < INT32_MIN)
            lo = INT32_MIN;
        if (hi > INT32_MAX)
            hi = INT32_MAX;
    }
    if (mr_units_int(text, INT64_MIN, INT64_MAX, &v, err, sizeof err) != MR_OK) {
        mr_diag_error(b->diag, mark, "%s: %s", path, err);
        return MR_ESCENARIO;
    }
    if (v < lo || v > hi) {
        range_error(b, mark, path, row, text);
        return MR_ESCENARIO;
    }
    if (row->type == MR_PARAM_T_INT)
        *(int *)dst = (int)v;
    else
        *(int64_t *)dst = v;
    return MR_OK;
}

/* A number in the row's unit within its range: an mr_time for a duration,
 * else a double. */
static int value_number(mr__bind *b, const mr_mark *mark, const char *path, const mr_param *row,
                        const char *text, void *dst)
{
    double v;
    if (parse_unit(b, mark, path, row->type, text, &v) != MR_OK)
        return MR_ESCENARIO;
    if (has_range(row) && (v < row->lo || v > row->hi)) {
        range_error(b, mark, path, row, text);
        return MR_ESCENARIO;
    }
    if (row->type == MR_PARAM_T_DURATION)
        *(mr_time *)dst = (mr_time)v;
    else
        *(double *)dst = v;
    return MR_OK;
}

int mr__bind_value(mr__bind *b, mr_node *node, const char *path, const mr_param *row, void *dst)
{
    if (node != NULL)
        node->used = true;
    switch (row->type) {
    case MR_PARAM_T_CODE:
        return MR_OK;
    case MR_PARAM_T_DIST_TIME:
    case MR_PARAM_T_DIST:
        return value_dist(b, node, path, row, dst);
    default:
        break;
    }
    const char *text;
    const mr_mark *mark;
    if (value_text(b, node, path, row, &text, &mark) != MR_OK)
        return MR_ESCENARIO;
    int rc;
    switch (row->type) {
    case MR_PARAM_T_ENUM:
        rc = value_enum(b, node, path, row, text, dst);
        break;
    case MR_PARAM_T_TEXT:
        *(const char **)dst = mr__str(b, text);
        rc = MR_OK;
        break;
    case MR_PARAM_T_BOOL:
        rc = value_bool(b, mark, path, text, dst);
        break;
    case MR_PARAM_T_INT:
    case MR_PARAM_T_INT64:
        rc = value_int(b, mark, path, row, text, dst);
        break;
    default:
        rc = value_number(b, mark, path, row, text, dst);
        break;
    }
    if (rc != MR_OK)
        return MR_ESCENARIO;
    if (node == NULL || mr_node_is_null(node))
        mr__record_default(b, path, text, text == row->def ? row : NULL);
    else
        mr__record(b, path, text);
    return MR_OK;
}

/* A CODE row the kind parses itself (mr_param.parse): the scalar written,
 * or the default; what it says is wrong is reported at the value. */
static void bind_parsed(mr__bind *b, mr_node *node, const char *path, const mr_param *k, void *dst)
{
    char err[160] = "";
    if (node != NULL && !mr_node_is_null(node)) {
        node->used = true;
        if (node->kind != MR_NODE_SCALAR) {
            mr_diag_error(b->diag, &node->mark, "%s: expected %s, found %s", path,
                          k->type_doc ? k->type_doc : "a value", mr_node_describe(node));
            mr__fail(b, path);
            return;
        }
        if (k->parse(node->text, dst, err, sizeof err) != 0) {
            mr_diag_error(b->diag, &node->mark, "%s: %s", path, err);
            mr__fail(b, path);
            return;
        }
        mr__record(b, path, node->text);
        return;
    }
    if (k->def != NULL && k->parse(k->def, dst, err, sizeof err) == 0)
        mr__record_default(b, path, k->def, k);
}

void mr__fail(mr__bind *b, const char *path)
{
    if (b->nfailed == b->capfailed) {
        b->capfailed = b->capfailed ? 2 * b->capfailed : 8;
        b->failed = mr_xrealloc(b->failed, b->capfailed * sizeof *b->failed);
    }
    b->failed[b->nfailed++] = mr_xstrdup(path);
}

bool mr__failed(const mr__bind *b, const char *path)
{
    for (size_t i = 0; i < b->nfailed; i++)
        if (strcmp(b->failed[i], path) == 0)
            return true;
    return false;
}

int mr__bind_keys(mr__bind *b, mr_node *map, const mr_mark *at, const char *path,
                  const mr_param *keys, unsigned only, const char *what, void *base)
{
    (void)at; /* missing required keys are reported only inside a map the file has */
    int before = mr_diag_count(b->diag);
    char p[MR__PATH];
    for (const mr_param *k = keys; k->key; k++) {
        bool applies = k->only == 0 || only == 0 || (k->only & only);
        mr_node *node = mr_node_get(map, k->key);
        mr__path(p, path, k->key);
        if (!applies) {
            /* Report a key only once, and only if no row of it applies. */
            if (node && !node->used && mr_param_find(keys, k->key, only) == NULL) {
                node->used = true;
                mr_node_pair *pair = mr_node_pair_of(map, k->key);
                mr_diag_error(b->diag, &pair->key->mark, "%s: '%s' does not apply to %s", p, k->key,
                              what);
            }
            continue;
        }
        if (mr_node_is_null(node) && k->required && map != NULL) {
            if (node)
                node->used = true;
            mr_diag_error(b->diag, &map->mark, "%s: missing required key '%s'",
                          path[0] ? path : "scenario", k->key);
            continue;
        }
        if (k->type == MR_PARAM_T_CODE) {
            if (k->parse)
                bind_parsed(b, node, p, k, (char *)base + k->off);
            continue;
        }
        if (node != NULL && mr_node_is_null(node)) {
            node->used = true;
            node = NULL;
        }
        if (node == NULL && k->def == NULL)
            continue;
        int bad = mr__bind_value(b, node, p, k, (char *)base + k->off) != MR_OK;
        if (bad && node)
            mr__fail(b, p);
        if (bad && node && k->def) {
            /* Keep the default, so that later checks do not trip over a hole. */
            mr_diag *quiet = mr_diag_new();
            mr_diag *loud = b->diag;
            b->diag = quiet;
            mr__bind_value(b, NULL, p, k, (char *)base + k->off);
            b->diag = loud;
            mr_diag_free(quiet);
        }
    }
    return mr_diag_count(b->diag) - before;
}

void mr__unknown_keys(mr__bind *b, const mr_node *map, const mr_param *keys)
{
    if (map == NULL || map->kind != MR_NODE_MAP)
        return;
    const char *valid[64];
    size_t n = 0;
    for (const mr_param *k = keys; k->key && n < 64; k++) {
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup = dup || strcmp(valid[i], k->key) == 0;
        if (!dup)
            valid[n++] = k->key;
    }
    mr_node_report_unused(map, valid, n, b->diag);
}

/* ---- Names and references --------------------------------------------------------- */

void mr__collect_names(mr__bind *b, mr_node *seq, const char *section, mr__names *names)
{
    names->n = 0;
    names->v = NULL;
    names->marks = NULL;
    if (seq == NULL || seq->kind != MR_NODE_SEQ)
        return;
    names->n = seq->n;
    names->v = mr__alloc(b, seq->n * sizeof *names->v);
    names->marks = mr__alloc(b, seq->n * sizeof *names->marks);
    char p[MR__PATH], ip[MR__PATH];
    for (size_t i = 0; i < seq->n; i++) {
        mr_node *item = seq->items[i];
        if (item->kind != MR_NODE_MAP)
            continue; /* the section reports the shape */
        mr_node *nn = mr_node_get(item, "name");
        if (nn == NULL)
            continue; /* the section reports the missing key */
        mr__path(p, mr__path_index(ip, section, i), "name");
        const char *name = mr__name(b, nn, p);
        if (name == NULL)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (names->v[j] && strcmp(names->v[j], name) == 0) {
                const mr_mark *first = &names->marks[j];
                if (first->file && nn->mark.file && strcmp(first->file, nn->mark.file) == 0)
                    mr_diag_error(b->diag, &nn->mark,
                                  "%s: duplicate %s name '%s' (first declared at line %d)", p,
                                  names->what, name, first->line);
                else
                    mr_diag_error(b->diag, &nn->mark,
                                  "%s: duplicate %s name '%s' (first declared at %s:%d)", p,
                                  names->what, name, first->file ? first->file : "?", first->line);
                name = NULL;
                break;
            }
        }
        names->v[i] = name;
        names->marks[i] = nn->mark;
    }
}

size_t mr__ref_text(mr__bind *b, const char *text, const mr_mark *mark, const char *path,
                    const mr__names *names)
{
    const char **valid = mr_xmalloc((names->n + 1) * sizeof *valid);
    size_t nvalid = 0;
    for (size_t i = 0; i < names->n; i++) {
        if (names->v[i] && strcmp(names->v[i], text) == 0) {
            free(valid);
            return i;
        }
        if (names->v[i])
            valid[nvalid++] = names->v[i];
    }
    if (nvalid == 0) {
        mr_diag_error(b->diag, mark, "%s: unknown %s '%s': the scenario declares no %s", path,
                      names->what, text, names->plural);
    } else {
        int best = mr_closest(text, valid, nvalid);
        char *list = mr__names_list(valid, nvalid, NULL, false);
        if (best >= 0)
            mr_diag_error(b->diag, mark, "%s: unknown %s '%s' (did you mean '%s'?); %s: %s", path,
                          names->what, text, valid[best], names->plural, list);
        else
            mr_diag_error(b->diag, mark, "%s: unknown %s '%s'; %s: %s", path, names->what, text,
                          names->plural, list);
        free(list);
    }
    free(valid);
    return MR_SC_NONE;
}

size_t mr__ref(mr__bind *b, mr_node *node, const char *path, const mr__names *names)
{
    node->used = true;
    if (node->kind != MR_NODE_SCALAR || node->null) {
        mr_diag_error(b->diag, &node->mark, "%s: expected the name of a %s, found %s", path,
                      names->what, mr_node_describe(node));
        return MR_SC_NONE;
    }
    return mr__ref_text(b, node->text, &node->mark, path, names);
}

void mr__refs(mr__bind *b, mr_node *node, const char *path, const mr__names *names, mr_sc_refs *out)
{
    out->v = NULL;
    out->n = 0;
    if (node == NULL)
        return;
    out->mark = node->mark;
    node->used = true;
    if (mr_node_is_null(node))
        return;
    if (node->kind != MR_NODE_SEQ) {
        mr_diag_error(b->diag, &node->mark,
                      "%s: expected a sequence of %s names such as [%s], found %s", path,
                      names->what, names->n > 0 && names->v[0] ? names->v[0] : "name",
                      mr_node_describe(node));
        return;
    }
    out->v = mr__alloc(b, node->n * sizeof *out->v);
    char p[MR__PATH];
    for (size_t i = 0; i < node->n; i++) {
        mr_node *item = node->items[i];
        size_t idx = mr__ref(b, item, mr__path_index(p, path, i), names);
        if (idx == MR_SC_NONE)
            continue;
        bool dup = false;
        for (size_t j = 0; j < out->n; j++)
            dup = dup || out->v[j] == idx;
        if (dup) {
            mr_diag_error(b->diag, &item->mark, "%s: %s '%s' is listed twice", p, names->what,
                          item->text);
            continue;
        }
        out->v[out->n++] = idx;
    }
    char *t = mr__flow(node);
    mr__record(b, path, t);
    free(t);
}

mr_node *mr__named_item(mr__bind *b, mr_node *seq, size_t i, const char *section,
                        const char *name, char *p)
{
    mr__path_index(p, section, i);
    mr_node *m = mr__map(b, seq->items[i], p);
    if (m == NULL)
        return NULL;
    mr_node_take(m, "name");
    if (name) {
        char q[MR__PATH];
        mr__record(b, mr__path(q, p, "name"), name);
    }
    return m;
}

/* ---- A kind's keys -------------------------------------------------------------------- */

/* The sub-maps of a kind's section (replication, failover, probe, ...),
 * each taken once, so the kind's dotted keys find theirs and the unknown
 * keys in each can be reported at the end. */
typedef struct submaps {
    const char *name[16];
    mr_node *map[16];
    size_t n;
} submaps;

static mr_node *submap(mr__bind *b, mr_node *m, const char *p, submaps *sm, const char *name,
                       size_t len)
{
    for (size_t i = 0; i < sm->n; i++)
        if (strlen(sm->name[i]) == len && strncmp(sm->name[i], name, len) == 0)
            return sm->map[i];
    if (sm->n == sizeof sm->map / sizeof sm->map[0])
        return NULL;
    const char *key = mr__strf(b, "%.*s", (int)len, name);
    sm->name[sm->n] = key;
    sm->map[sm->n] = mr__take_map(b, m, key, p);
    return sm->map[sm->n++];
}

/* Binds row k of a kind's table, whose key may be dotted ("failover.mode"),
 * into cfg. */
static void bind_row(mr__bind *b, mr_node *m, const char *p, submaps *sm, const mr_param *k,
                     void *cfg, const char *what)
{
    mr_param row[2] = {*k, MR_PARAM_END};
    const char *dot = strchr(k->key, '.');
    mr_node *map = m;
    char q[MR__PATH] = "";
    const char *at = p;
    if (dot != NULL) {
        map = submap(b, m, p, sm, k->key, (size_t)(dot - k->key));
        row[0].key = dot + 1;
        snprintf(q, sizeof q, "%s.%.*s", p, (int)(dot - k->key), k->key);
        at = q;
    }
    mr__bind_keys(b, map, NULL, at, row, 0, what, cfg);
}

/* Whether another kind of self's family in the set has the dotted key. */
static const char *other_kind_with(mr__bind *b, const mr_model *self, const char *key)
{
    mr_kinds k = b->sc->kinds;
    size_t len = strlen(key);
    for (size_t i = 0; i < k.n; i++) {
        if (k.v[i] == self || k.v[i]->family == NULL || strcmp(k.v[i]->family, self->family) != 0)
            continue;
        /* The key itself, or a sub-map of it ("probe" for "probe.interval"). */
        for (const mr_param *r = k.v[i]->params; r && r->key; r++)
            if (strncmp(r->key, key, len) == 0 && (r->key[len] == '\0' || r->key[len] == '.'))
                return k.v[i]->kind;
    }
    return NULL;
}

/* Reports the keys of map (prefix "" at the top, "failover." in a
 * sub-map) that the kind does not know: "does not apply" when another kind
 * of its family has them, otherwise an unknown key with a hint among the
 * kind's keys at that level (and the family's `extra` at the top). */
static void unknown_in(mr__bind *b, const mr_model *model, mr_node *map, const char *path,
                       const char *prefix, const char *what, const char *const *extra)
{
    if (map == NULL || map->kind != MR_NODE_MAP)
        return;
    char full[MR__PATH], q[MR__PATH];
    for (size_t i = 0; i < map->n; i++) {
        mr_node_pair *pair = &map->pairs[i];
        if (pair->value->used)
            continue;
        snprintf(full, sizeof full, "%s%s", prefix, pair->key->text);
        if (mr_param_find(model->params, full, 0) != NULL || other_kind_with(b, model, full) == NULL)
            continue;
        pair->value->used = true;
        mr_diag_error(b->diag, &pair->key->mark, "%s: '%s' does not apply to %s",
                      mr__path(q, path, pair->key->text), pair->key->text, what);
    }
    /* What is left: the keys of the kind at this level, for the hint. */
    mr_param rows[64];
    size_t n = 0, plen = strlen(prefix);
    for (const mr_param *k = model->params; k && k->key && n < 56; k++) {
        if (strncmp(k->key, prefix, plen) != 0 || strstr(k->key, "[]") != NULL)
            continue;
        const char *rest = k->key + plen;
        const char *dot = strchr(rest, '.');
        rows[n] = *k;
        rows[n].key = dot ? mr__strf(b, "%.*s", (int)(dot - rest), rest) : rest;
        n++;
    }
    for (size_t i = 0; plen == 0 && extra && extra[i] && n < 63; i++)
        rows[n++] = (mr_param){.key = extra[i]};
    rows[n] = (mr_param)MR_PARAM_END;
    mr__unknown_keys(b, map, rows);
}

/* ---- The check context a kind's check reports through -------------------- */

typedef struct check_ctx {
    mr_param_ctx pub;
    mr__bind *b;
    mr_node *m;
    const mr_mark *mark;
    int errors;
} check_ctx;

/* The node of a dotted key in the item, or NULL. */
static mr_node *item_node(mr_node *m, const char *key)
{
    char part[64];
    mr_node *n = m;
    while (n != NULL && *key) {
        const char *dot = strchr(key, '.');
        size_t len = dot ? (size_t)(dot - key) : strlen(key);
        if (len >= sizeof part || n->kind != MR_NODE_MAP)
            return NULL;
        memcpy(part, key, len);
        part[len] = '\0';
        n = mr_node_get(n, part);
        key += len + (dot != NULL);
        if (!dot)
            break;
    }
    return n;
}

static void ctx_error(mr_param_ctx *pub, const char *key, const char *message)
{
    check_ctx *c = (check_ctx *)pub;
    mr_node *n = key ? item_node(c->m, key) : NULL;
    char q[MR__PATH] = "";
    mr_diag_error(c->b->diag, n && !mr_node_is_null(n) ? &n->mark : c->mark, "%s: %s",
                  key ? mr__path(q, pub->path, key) : pub->path, message);
    c->errors++;
}

static void ctx_record(mr_param_ctx *pub, const char *key, const char *text)
{
    check_ctx *c = (check_ctx *)pub;
    char q[MR__PATH] = "";
    mr__record(c->b, mr__path(q, pub->path, key), text);
}

/* A deprecation: printed at once ("FILE:LINE:COLUMN: warning: ..."), not
 * collected with the errors, since it fails nothing. */
static void ctx_warn(mr_param_ctx *pub, const char *key, const char *message)
{
    check_ctx *c = (check_ctx *)pub;
    mr_node *n = key ? item_node(c->m, key) : NULL;
    const mr_mark *mark = n && !mr_node_is_null(n) ? &n->mark : c->mark;
    char q[MR__PATH] = "";
    fprintf(stderr, "%s:%d:%d: warning: %s: %s\n", mark && mark->file ? mark->file : "mrsim",
            mark ? mark->line : 0, mark ? mark->column : 0,
            key ? mr__path(q, pub->path, key) : pub->path, message);
}

static int ctx_written(mr_param_ctx *pub, const char *key)
{
    mr_node *n = item_node(((check_ctx *)pub)->m, key);
    return n != NULL && !mr_node_is_null(n);
}

void mr__bind_kind(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                   const char *what, const char *const *family_keys, void *cfg, mr__code_fn code,
                   void *code_ctx)
{
    submaps sm = {.n = 0};
    for (const mr_param *k = model->params; k && k->key; k++) {
        if (strstr(k->key, "[]") != NULL)
            continue; /* a constraint on a family list's items: the family reads it */
        if (k->type == MR_PARAM_T_CODE && k->parse == NULL) {
            code(b, m, p, model, k->key, code_ctx);
            continue;
        }
        bind_row(b, m, p, &sm, k, cfg, what);
    }
    check_ctx ctx = {.pub = {.error = ctx_error, .record = ctx_record, .written = ctx_written,
                             .warn = ctx_warn, .path = p},
                     .b = b,
                     .m = m,
                     .mark = &m->mark};
    if (model->check)
        model->check(cfg, &ctx.pub);
    char q[MR__PATH], prefix[80];
    for (size_t i = 0; i < sm.n; i++) {
        snprintf(prefix, sizeof prefix, "%s.", sm.name[i]);
        unknown_in(b, model, sm.map[i], mr__path(q, p, sm.name[i]), prefix, what, NULL);
    }
    unknown_in(b, model, m, p, "", what, family_keys);
}
