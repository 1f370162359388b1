/* sim/config/yaml.c: YAML text → the node tree of node.h, through libyaml's
 * event parser. libyaml marks are 0-based; every node gets a 1-based mark
 * counted from where the text starts (a whole file starts at 1:1; a --set
 * value starts at its column in the argument).
 *
 * Beyond plain YAML this loader refuses what a scenario has no use for and a
 * reader could misread: anchors and aliases, custom tags, a second document,
 * duplicate keys. It also undoes one trap: in a flow collection libyaml splits
 * a plain scalar at each comma, so `{hold: lognormal(5m, 1.2)}` would become
 * the keys `hold` and `1.2)`. A plain scalar with an unclosed '(' is rejoined
 * with the plain scalars that follow it until the parentheses balance.
 *
 * Invariant: a syntax error stops the parse at once with one diagnostic; any
 * other problem is reported and the parse goes on, so one run shows them all;
 * either way a failed load frees everything it built. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "config/node.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

/* Deeper nesting than this is refused, so that a hostile file cannot exhaust
 * the stack of the recursive builder. */
#define MAX_DEPTH 200

#define CORE_TAG "tag:yaml.org,2002:"

typedef struct builder {
    yaml_parser_t parser;
    const char *file;         /* interned in the document being built */
    const unsigned char *buf; /* the text, for error positions */
    size_t len;
    int line0, col0; /* mark of buf[0] */
    mr_diag *diag;
    int errors; /* problems other than a syntax error so far */
} builder;

static mr_mark mark_of(const builder *b, yaml_mark_t m)
{
    mr_mark r = {.file = b->file, .line = b->line0 + (int)m.line};
    r.column = m.line == 0 ? b->col0 + (int)m.column : 1 + (int)m.column;
    return r;
}

/* Skips a UTF-8 byte order mark, which libyaml drops without counting it. */
static size_t text_start(const builder *b)
{
    if (b->len >= 3 && b->buf[0] == 0xEF && b->buf[1] == 0xBB && b->buf[2] == 0xBF)
        return 3;
    return 0;
}

static int is_break(const unsigned char *s, size_t i, size_t len, size_t *width)
{
    if (s[i] == '\r') {
        *width = i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
        return 1;
    }
    *width = 1;
    return s[i] == '\n';
}

/* The byte offset of a 0-based (line, column) in the text, or len when the
 * text is shorter. */
static size_t offset_of(const builder *b, size_t line, size_t column)
{
    size_t i = text_start(b), w;
    while (line > 0 && i < b->len) {
        if (is_break(b->buf, i, b->len, &w))
            line--;
        i += w;
    }
    while (column > 0 && i < b->len) {
        i++;
        while (i < b->len && (b->buf[i] & 0xC0) == 0x80)
            i++;
        column--;
    }
    return i;
}

/* The 0-based (line, column) of a byte offset, as libyaml would count. */
static yaml_mark_t mark_at_offset(const builder *b, size_t off)
{
    yaml_mark_t m = {0};
    size_t i = text_start(b), w;
    while (i < off && i < b->len) {
        if (is_break(b->buf, i, b->len, &w)) {
            m.line++;
            m.column = 0;
        } else if ((b->buf[i] & 0xC0) != 0x80) {
            m.column++;
        }
        i += w;
    }
    return m;
}

/* Whether the text in [from, to) opens more parentheses than it closes: the
 * sign of an unquoted compact spec cut short by a ':' or a flow indicator. */
static bool open_before(const builder *b, size_t from, size_t to)
{
    int depth = 0;
    for (size_t i = from; i < to && i < b->len; i++)
        depth += (b->buf[i] == '(') - (b->buf[i] == ')');
    return depth > 0;
}

static void syntax_error(builder *b)
{
    yaml_parser_t *p = &b->parser;
    if (p->error == YAML_MEMORY_ERROR)
        mr_fatal("out of memory in libyaml");
    const char *problem = p->problem ? p->problem : "syntax error";
    if (p->error == YAML_READER_ERROR) {
        mr_mark m = mark_of(b, mark_at_offset(b, p->problem_offset));
        if (p->problem_value != -1)
            mr_diag_error(b->diag, &m, "%s (0x%02X)", problem, (unsigned)p->problem_value);
        else
            mr_diag_error(b->diag, &m, "%s", problem);
        return;
    }
    mr_mark m = mark_of(b, p->problem_mark);
    size_t off = offset_of(b, p->problem_mark.line, p->problem_mark.column);
    const char *hint = "";
    if (off < b->len && b->buf[off] == '\t')
        hint = "; indent with spaces, not tabs";
    else if (open_before(b, offset_of(b, p->problem_mark.line, 0), off))
        hint = "; put a compact distribution in quotes: \"mix(0.9: ...)\", \"empirical([...])\"";
    if (p->context == NULL) {
        mr_diag_error(b->diag, &m, "%s%s", problem, hint);
    } else if (p->context_mark.line == p->problem_mark.line &&
               p->context_mark.column == p->problem_mark.column) {
        mr_diag_error(b->diag, &m, "%s (%s)%s", problem, p->context, hint);
    } else {
        mr_mark c = mark_of(b, p->context_mark);
        mr_diag_error(b->diag, &m, "%s (%s at line %d, column %d)%s", problem, p->context, c.line,
                      c.column, hint);
    }
}

static int next_event(builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev)) {
        syntax_error(b);
        return MR_ESCENARIO;
    }
    return MR_OK;
}

/* Reports an anchor or a tag this loader refuses. *is_str is set by !!str,
 * which makes a plain scalar a string like a quoted one. */
static void check_props(builder *b, const yaml_char_t *anchor, const yaml_char_t *tag,
                        yaml_mark_t at, bool *is_str)
{
    mr_mark m = mark_of(b, at);
    if (anchor != NULL) {
        mr_diag_error(b->diag, &m,
                      "anchors (&%s) are not supported: write the value out, or share a file "
                      "with extends:",
                      (const char *)anchor);
        b->errors++;
    }
    if (tag == NULL || strcmp((const char *)tag, "!") == 0)
        return;
    const char *t = (const char *)tag;
    if (strncmp(t, CORE_TAG, strlen(CORE_TAG)) == 0) {
        static const char *const core[] = {"str", "int", "float", "bool", "null", "map", "seq"};
        const char *name = t + strlen(CORE_TAG);
        for (size_t i = 0; i < sizeof core / sizeof *core; i++) {
            if (strcmp(name, core[i]) == 0) {
                *is_str = i == 0;
                return;
            }
        }
        mr_diag_error(b->diag, &m, "unsupported tag '!!%s'", name);
    } else {
        mr_diag_error(b->diag, &m, "unsupported tag '%s'", t);
    }
    b->errors++;
}

static bool is_null_text(const char *s)
{
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static mr_node *scalar_node(builder *b, const yaml_event_t *ev)
{
    bool is_str = false;
    check_props(b, ev->data.scalar.anchor, ev->data.scalar.tag, ev->start_mark, &is_str);
    mr_mark m = mark_of(b, ev->start_mark);
    mr_node *n =
        mr__node_new_scalar_n((const char *)ev->data.scalar.value, ev->data.scalar.length, &m);
    n->quoted = is_str || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    n->null = !n->quoted && is_null_text(n->text);
    if (ev->start_mark.line == ev->end_mark.line)
        n->span = (int)(ev->end_mark.column - ev->start_mark.column);
    return n;
}

/* Parenthesis depth of a plain scalar: > 0 when libyaml cut it at a comma. */
static int open_parens(const mr_node *n)
{
    if (n->kind != MR_NODE_SCALAR || n->quoted)
        return 0;
    int depth = 0;
    for (size_t i = 0; i < n->len; i++)
        depth += (n->text[i] == '(') - (n->text[i] == ')');
    return depth;
}

/* Appends ", " and the text of piece to head, both plain scalars of one flow
 * collection, and widens head's span to cover piece when both sit on one
 * line (node.c checks the width before trusting it). */
static void rejoin(mr_node *head, const mr_node *piece)
{
    char *t = mr_xmalloc(head->len + 2 + piece->len + 1);
    memcpy(t, head->text, head->len);
    memcpy(t + head->len, ", ", 2);
    memcpy(t + head->len + 2, piece->text, piece->len + 1);
    free(head->text);
    head->text = t;
    head->len += 2 + piece->len;
    head->null = false;
    if (head->span >= 0 && piece->span >= 0 && head->mark.line == piece->mark.line)
        head->span = piece->mark.column + piece->span - head->mark.column;
    else
        head->span = -1;
}

static int build(builder *b, const yaml_event_t *ev, int depth, mr_node **out);

static int build_seq(builder *b, const yaml_event_t *start, int depth, mr_node **out)
{
    bool is_str = false;
    check_props(b, start->data.sequence_start.anchor, start->data.sequence_start.tag,
                start->start_mark, &is_str);
    mr_mark m = mark_of(b, start->start_mark);
    mr_node *seq = mr_node_new_seq(&m);
    bool flow = start->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(b, &ev);
        if (rc != MR_OK) {
            mr_node_free(seq);
            return rc;
        }
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        mr_node *item;
        rc = build(b, &ev, depth + 1, &item);
        yaml_event_delete(&ev);
        if (rc != MR_OK) {
            mr_node_free(seq);
            return rc;
        }
        mr_node *prev = seq->n > 0 ? seq->items[seq->n - 1] : NULL;
        if (flow && prev != NULL && open_parens(prev) > 0 && item->kind == MR_NODE_SCALAR &&
            !item->quoted) {
            rejoin(prev, item);
            mr_node_free(item);
        } else {
            mr_node_seq_push(seq, item);
        }
    }
    *out = seq;
    return MR_OK;
}

/* True when value is the empty value libyaml makes up for a flow-mapping
 * entry written without ':' (it sits right at the end of the key). */
static bool implicit_empty(const mr_node *key, const mr_node *value)
{
    return value->kind == MR_NODE_SCALAR && !value->quoted && value->len == 0 && key->span >= 0 &&
           value->mark.line == key->mark.line && value->mark.column == key->mark.column + key->span;
}

static int build_map(builder *b, const yaml_event_t *start, int depth, mr_node **out)
{
    bool is_str = false;
    check_props(b, start->data.mapping_start.anchor, start->data.mapping_start.tag,
                start->start_mark, &is_str);
    mr_mark m = mark_of(b, start->start_mark);
    mr_node *map = mr_node_new_map(&m);
    bool flow = start->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(b, &ev);
        if (rc != MR_OK) {
            mr_node_free(map);
            return rc;
        }
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        mr_node *key, *value;
        rc = build(b, &ev, depth + 1, &key);
        yaml_event_delete(&ev);
        if (rc != MR_OK) {
            mr_node_free(map);
            return rc;
        }
        rc = next_event(b, &ev);
        if (rc == MR_OK) {
            rc = build(b, &ev, depth + 1, &value);
            yaml_event_delete(&ev);
        }
        if (rc != MR_OK) {
            mr_node_free(key);
            mr_node_free(map);
            return rc;
        }

        mr_node *prev = map->n > 0 ? map->pairs[map->n - 1].value : NULL;
        if (flow && prev != NULL && open_parens(prev) > 0 && key->kind == MR_NODE_SCALAR &&
            !key->quoted && implicit_empty(key, value)) {
            rejoin(prev, key);
            mr_node_free(key);
            mr_node_free(value);
            continue;
        }
        if (key->kind != MR_NODE_SCALAR) {
            mr_diag_error(b->diag, &key->mark, "a map key must be a plain value, found %s",
                          mr_node_describe(key));
            b->errors++;
            mr_node_free(key);
            mr_node_free(value);
            continue;
        }
        const mr_node_pair *first = mr_node_pair_of(map, key->text);
        if (first != NULL) {
            mr_diag_error(b->diag, &key->mark, "duplicate key '%s' (first at line %d, column %d)",
                          key->text, first->key->mark.line, first->key->mark.column);
            b->errors++;
            mr_node_free(key);
            mr_node_free(value);
            continue;
        }
        mr_node_map_put(map, key, value);
    }
    *out = map;
    return MR_OK;
}

/* Builds the node that starts with ev (which the caller deletes). Fails only
 * on a syntax error or runaway nesting; other problems are counted. */
static int build(builder *b, const yaml_event_t *ev, int depth, mr_node **out)
{
    if (depth > MAX_DEPTH) {
        mr_mark m = mark_of(b, ev->start_mark);
        mr_diag_error(b->diag, &m, "nested deeper than %d levels", MAX_DEPTH);
        return MR_ESCENARIO;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        *out = scalar_node(b, ev);
        return MR_OK;
    case YAML_SEQUENCE_START_EVENT:
        return build_seq(b, ev, depth, out);
    case YAML_MAPPING_START_EVENT:
        return build_map(b, ev, depth, out);
    case YAML_ALIAS_EVENT: {
        mr_mark m = mark_of(b, ev->start_mark);
        mr_diag_error(b->diag, &m,
                      "aliases (*%s) are not supported: write the value out, or share a file "
                      "with extends:",
                      (const char *)ev->data.alias.anchor);
        b->errors++;
        *out = mr_node_new_null(&m);
        return MR_OK;
    }
    default:
        break;
    }
    /* libyaml only starts a node with the four events above. */
    mr_fatal("yaml.c: unexpected libyaml event %d", (int)ev->type);
}

/* Parses the whole text: *out is its one document's root, or NULL for a
 * stream without a document. */
static int parse_text(builder *b, mr_node **out)
{
    mr_node *root = NULL;
    yaml_event_t ev;
    int rc = next_event(b, &ev); /* STREAM-START */
    if (rc != MR_OK)
        return rc;
    yaml_event_delete(&ev);
    for (;;) {
        rc = next_event(b, &ev);
        if (rc != MR_OK)
            break;
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (root != NULL) {
            /* A second DOCUMENT-START. */
            mr_mark m = mark_of(b, ev.start_mark);
            mr_diag_error(b->diag, &m, "a second YAML document: a scenario file holds one");
            yaml_event_delete(&ev);
            rc = MR_ESCENARIO;
            break;
        }
        yaml_event_delete(&ev);
        rc = next_event(b, &ev);
        if (rc != MR_OK)
            break;
        rc = build(b, &ev, 0, &root);
        yaml_event_delete(&ev);
        if (rc != MR_OK)
            break;
        rc = next_event(b, &ev); /* DOCUMENT-END */
        if (rc != MR_OK)
            break;
        yaml_event_delete(&ev);
    }
    if (rc == MR_OK && b->errors > 0)
        rc = MR_ESCENARIO;
    if (rc != MR_OK) {
        mr_node_free(root);
        return rc;
    }
    *out = root;
    return MR_OK;
}

/* Parses len bytes of text whose first character is at (file, line, column). */
static int parse_buffer(const char *text, size_t len, const char *file, int line, int column,
                        mr_diag *diag, mr_node **out)
{
    builder b = {
        .file = file,
        .buf = (const unsigned char *)text,
        .len = len,
        .line0 = line,
        .col0 = column,
        .diag = diag,
    };
    if (!yaml_parser_initialize(&b.parser))
        mr_fatal("out of memory in libyaml");
    yaml_parser_set_input_string(&b.parser, b.buf, len);
    int rc = parse_text(&b, out);
    yaml_parser_delete(&b.parser);
    return rc;
}

/* Loads text into a new document named file: an empty text or a null root
 * gives the empty map of mr_doc_new. */
static int load_text(const char *text, size_t len, const char *file, mr_doc **out, mr_diag *diag)
{
    mr_doc *doc = mr_doc_new(file);
    mr_node *root;
    int rc = parse_buffer(text, len, doc->files[0], 1, 1, diag, &root);
    if (rc != MR_OK) {
        mr_doc_free(doc);
        return rc;
    }
    if (root != NULL && !mr_node_is_null(root)) {
        mr_node_free(doc->root);
        doc->root = root;
    } else {
        mr_node_free(root);
    }
    *out = doc;
    return MR_OK;
}

FILE *mr__open_input(const char *path, const char *mode, const char **why)
{
    FILE *f = fopen(path, mode);
    if (f == NULL) {
        *why = strerror(errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        *why = strerror(errno);
    } else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
    } else if (S_ISREG(st.st_mode) && st.st_size > MR_INPUT_MAX_BYTES) {
        *why = "larger than the limit of " MR_INPUT_MAX_TEXT " (docs/scenario-format.md, Limits)";
    } else {
        return f;
    }
    fclose(f);
    return NULL;
}

/* Reads the whole file into a NUL-terminated buffer (caller frees). Returns
 * MR_OK, or MR_EIO with *why set. At most MR_INPUT_MAX_BYTES are read, even
 * from a pipe or a file that grows while it is read. */
static int read_stream(FILE *f, char **buf, size_t *len, const char **why);

/* "-": standard input, read once and kept, since a command may load its
 * scenario more than once (compare's variants, sweep's points). */
static char *stdin_text;
static size_t stdin_len;

static int read_file(const char *path, char **buf, size_t *len, const char **why)
{
    if (strcmp(path, "-") == 0) {
        if (stdin_text == NULL) {
            int rc = read_stream(stdin, &stdin_text, &stdin_len, why);
            if (rc != MR_OK)
                return rc;
        }
        *buf = mr_xmalloc(stdin_len + 1);
        memcpy(*buf, stdin_text, stdin_len + 1);
        *len = stdin_len;
        return MR_OK;
    }
    FILE *f = mr__open_input(path, "rb", why);
    if (f == NULL)
        return MR_EIO;
    return read_stream(f, buf, len, why);
}

/* Reads all of f into a NUL-terminated buffer and closes it (unless it
 * is stdin). */
static int read_stream(FILE *f, char **buf, size_t *len, const char **why)
{
    size_t n = 0, cap = 4096;
    char *b = mr_xmalloc(cap);
    for (;;) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (ferror(f)) {
            *why = strerror(errno);
            if (f != stdin)
                fclose(f);
            free(b);
            return MR_EIO;
        }
        if (n > MR_INPUT_MAX_BYTES) {
            *why = "larger than the limit of " MR_INPUT_MAX_TEXT
                   " (docs/scenario-format.md, Limits)";
            if (f != stdin)
                fclose(f);
            free(b);
            return MR_EIO;
        }
        if (feof(f))
            break;
        cap *= 2;
        b = mr_xrealloc(b, cap);
    }
    if (f != stdin)
        fclose(f);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return MR_OK;
}

int mr__doc_load_file_from(const char *path, const mr_mark *from, mr_doc **out, mr_diag *diag)
{
    char *text;
    size_t len;
    const char *why = "";
    if (read_file(path, &text, &len, &why) != MR_OK) {
        if (from != NULL) {
            mr_diag_error(diag, from, "cannot open '%s': %s", path, why);
        } else {
            mr_mark m = {.file = path};
            mr_diag_error(diag, &m, "cannot open: %s", why);
        }
        return MR_EIO;
    }
    int rc = load_text(text, len, strcmp(path, "-") == 0 ? "<stdin>" : path, out, diag);
    free(text);
    return rc;
}

int mr_doc_load_file(const char *path, mr_doc **out, mr_diag *diag)
{
    return mr__doc_load_file_from(path, NULL, out, diag);
}

int mr_doc_load_string(const char *text, const char *name, mr_doc **out, mr_diag *diag)
{
    return load_text(text, strlen(text), name ? name : "<string>", out, diag);
}

int mr_doc_parse_value(mr_doc *doc, const char *text, const mr_mark *at, mr_node **out,
                       mr_diag *diag)
{
    mr_mark m = at ? *at : (mr_mark){0};
    m.file = mr_doc_intern(doc, m.file);
    if (m.line <= 0)
        m.line = 1;
    if (m.column <= 0)
        m.column = 1;
    mr_node *v;
    int rc = parse_buffer(text, strlen(text), m.file, m.line, m.column, diag, &v);
    if (rc != MR_OK)
        return rc;
    *out = v != NULL ? v : mr_node_new_null(&m);
    return MR_OK;
}
