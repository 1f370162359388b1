/* tests/unit/test_yaml.c: the node tree of sim/config: loading YAML with
 * marks, every refusal of the loader with its exact FILE:LINE:COLUMN text,
 * paths, set by path and --set, merge, extends with set: and cycles, clone.
 * Files are written under a fresh mkdtemp directory per test (the fixture),
 * which the fixture removes again. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/node.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/mrsim-yaml-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void remove_tmpdir(void)
{
    remove_tree(tmpdir);
}

/* tmpdir/rel, in a static buffer of its own per call site's needs. */
static const char *tmp_path(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmpdir, rel);
    return buf;
}

static void write_file(const char *rel, const char *text)
{
    char path[512];
    tmp_path(rel, path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Checks that diag holds exactly the n lines expected, in order. */
static void expect_diags(const mr_diag *d, const char *const *lines, int n)
{
    for (int i = 0; i < n; i++) {
        const char *got = mr_diag_line(d, i);
        cr_expect_str_eq(got ? got : "(no diagnostic)", lines[i]);
    }
    if (mr_diag_count(d) != n) {
        for (int i = 0; i < mr_diag_count(d); i++)
            fprintf(stderr, "  diag %d: %s\n", i, mr_diag_line(d, i));
    }
    cr_assert_eq(mr_diag_count(d), n, "expected %d diagnostics, got %d", n, mr_diag_count(d));
}

#define EXPECT_DIAGS(d, ...)                                                                       \
    do {                                                                                           \
        const char *const lines_[] = {__VA_ARGS__};                                                \
        expect_diags((d), lines_, (int)(sizeof lines_ / sizeof *lines_));                          \
    } while (0)

/* Loads text as "t.yaml", asserting success. */
static mr_doc *load_ok(const char *text)
{
    mr_diag *d = mr_diag_new();
    mr_doc *doc = NULL;
    int rc = mr_doc_load_string(text, "t.yaml", &doc, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK);
    cr_assert_eq(mr_diag_count(d), 0);
    mr_diag_free(d);
    return doc;
}

/* Loads text as "t.yaml", asserting failure with rc; returns the list. */
static mr_diag *load_bad(const char *text, int rc_expected)
{
    mr_diag *d = mr_diag_new();
    mr_doc *doc = (mr_doc *)0x1;
    int rc = mr_doc_load_string(text, "t.yaml", &doc, d);
    cr_assert_eq(rc, rc_expected, "rc %d, expected %d", rc, rc_expected);
    cr_assert_eq(doc, (mr_doc *)0x1, "*out changed on failure");
    return d;
}

static void expect_mark(const mr_mark *m, const char *file, int line, int column)
{
    cr_expect_str_eq(m->file ? m->file : "(null)", file);
    cr_expect_eq(m->line, line, "line %d, expected %d", m->line, line);
    cr_expect_eq(m->column, column, "column %d, expected %d", m->column, column);
}

static const char *text_at(const mr_node *root, const char *path)
{
    const mr_node *n = mr_node_at(root, path);
    cr_assert_not_null(n, "no node at %s", path);
    cr_assert_eq(n->kind, MR_NODE_SCALAR, "%s is not a scalar", path);
    return n->text;
}

/* ---- Loading ----------------------------------------------------------- */

Test(yaml, scalars_maps_and_sequences_keep_order_and_marks)
{
    mr_doc *doc = load_ok("name: demo\n"
                          "run:\n"
                          "  horizon: 2h\n"
                          "  replications: 200\n"
                          "regions:\n"
                          "  - {name: westeurope, zones: 3}\n"
                          "  - name: northeurope\n"
                          "    zones: 3\n");
    const mr_node *root = doc->root;
    cr_assert_eq(root->kind, MR_NODE_MAP);
    cr_assert_eq(root->n, 3);
    cr_expect_str_eq(root->pairs[0].key->text, "name");
    cr_expect_str_eq(root->pairs[1].key->text, "run");
    cr_expect_str_eq(root->pairs[2].key->text, "regions");
    expect_mark(&root->mark, "t.yaml", 1, 1);
    expect_mark(&root->pairs[2].key->mark, "t.yaml", 5, 1);

    const mr_node *h = mr_node_at(root, "run.horizon");
    cr_assert_not_null(h);
    cr_expect_str_eq(h->text, "2h");
    expect_mark(&h->mark, "t.yaml", 3, 12);
    cr_expect_eq(h->span, 2);
    cr_expect_not(h->quoted);
    cr_expect_not(h->null);

    const mr_node *regions = mr_node_get(root, "regions");
    cr_assert_eq(regions->kind, MR_NODE_SEQ);
    cr_assert_eq(regions->n, 2);
    expect_mark(&mr_node_item(regions, 0)->mark, "t.yaml", 6, 5);
    expect_mark(&mr_node_item(regions, 1)->mark, "t.yaml", 7, 5);
    cr_expect_str_eq(text_at(root, "regions[1].name"), "northeurope");
    expect_mark(&mr_node_at(root, "regions[0].zones")->mark, "t.yaml", 6, 31);
    mr_doc_free(doc);
}

Test(yaml, quoted_and_null_scalars_are_told_apart)
{
    mr_doc *doc = load_ok("a: null\n"
                          "b: ~\n"
                          "c:\n"
                          "d: Null\n"
                          "e: \"null\"\n"
                          "f: 'x'\n"
                          "g: !!str 5\n"
                          "h: |\n"
                          "  block\n"
                          "i: \"\"\n"
                          "j: NULL\n");
    const char *nulls[] = {"a", "b", "c", "d", "j"};
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
        const mr_node *n = mr_node_get(doc->root, nulls[i]);
        cr_expect(mr_node_is_null(n), "%s should be null", nulls[i]);
        cr_expect_not(n->quoted, "%s should be plain", nulls[i]);
        cr_expect_str_eq(mr_node_describe(n), "null");
    }
    const char *strings[] = {"e", "f", "g", "h", "i"};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        const mr_node *n = mr_node_get(doc->root, strings[i]);
        cr_expect_not(mr_node_is_null(n), "%s should not be null", strings[i]);
        cr_expect(n->quoted, "%s should count as quoted", strings[i]);
    }
    cr_expect_str_eq(mr_node_get(doc->root, "e")->text, "null");
    cr_expect_str_eq(mr_node_get(doc->root, "g")->text, "5");
    cr_expect_str_eq(mr_node_get(doc->root, "h")->text, "block\n");
    cr_expect_eq(mr_node_get(doc->root, "h")->span, -1);
    cr_expect_str_eq(mr_node_describe(mr_node_get(doc->root, "f")), "a value");
    mr_doc_free(doc);
}

Test(yaml, empty_and_comment_only_texts_are_empty_maps)
{
    const char *texts[] = {"", "# nothing here\n\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        mr_doc *doc = load_ok(texts[i]);
        cr_expect_eq(doc->root->kind, MR_NODE_MAP, "text %zu", i);
        cr_expect_eq(doc->root->n, 0);
        expect_mark(&doc->root->mark, "t.yaml", 1, 1);
        mr_doc_free(doc);
    }
}

Test(yaml, a_root_that_is_not_a_map_is_kept)
{
    mr_doc *doc = load_ok("[1, 2]\n");
    cr_expect_eq(doc->root->kind, MR_NODE_SEQ);
    cr_expect_str_eq(text_at(doc->root, "[1]"), "2");
    mr_doc_free(doc);
}

Test(yaml, syntax_error_gives_libyaml_problem_and_context)
{
    mr_diag *d = load_bad("a: b\nc: [1, 2\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:3:1: error: did not find expected ',' or ']' (while parsing a flow "
                    "sequence at line 2, column 4)");
    mr_diag_free(d);

    d = load_bad("a: b: c\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:5: error: mapping values are not allowed in this context");
    mr_diag_free(d);

    d = load_bad("- a\nb: 1\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:2:1: error: did not find expected '-' indicator (while parsing a block "
                    "collection at line 1, column 1)");
    mr_diag_free(d);
}

Test(yaml, a_tab_in_the_indentation_gets_a_hint)
{
    mr_diag *d = load_bad("a:\n\tb: 1\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:2:1: error: found character that cannot start any token (while "
                    "scanning for the next token); indent with spaces, not tabs");
    mr_diag_free(d);
}

Test(yaml, an_unquoted_compact_spec_cut_by_yaml_gets_a_hint)
{
    mr_diag *d = load_bad("delay: mix(0.9: const(0s), 0.1: 5m)\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:15: error: mapping values are not allowed in this context; put a "
                    "compact distribution in quotes: \"mix(0.9: ...)\", \"empirical([...])\"");
    mr_diag_free(d);

    d = load_bad("x: {lag: empirical([1s, 2s])}\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:20: error: did not find expected ',' or '}' (while parsing a flow "
                    "mapping at line 1, column 4); put a compact distribution in quotes: "
                    "\"mix(0.9: ...)\", \"empirical([...])\"");
    mr_diag_free(d);
}

Test(yaml, invalid_utf8_is_located_by_its_offset)
{
    mr_diag *d = load_bad("a: 1\nb: \xff\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:2:4: error: invalid leading UTF-8 octet (0xFF)");
    mr_diag_free(d);
}

Test(yaml, duplicate_keys_are_all_reported_with_the_first)
{
    mr_diag *d = load_bad("name: a\n"
                          "run:\n"
                          "  horizon: 1h\n"
                          "  horizon: 2h\n"
                          "name: b\n"
                          "x: {k: 1, k: 2}\n",
                          MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:4:3: error: duplicate key 'horizon' (first at line 3, column 3)",
                 "t.yaml:5:1: error: duplicate key 'name' (first at line 1, column 1)",
                 "t.yaml:6:11: error: duplicate key 'k' (first at line 6, column 5)");
    mr_diag_free(d);
}

Test(yaml, anchors_and_aliases_are_refused)
{
    mr_diag *d = load_bad("a: &x 1\nb: *x\nc: &y {k: 1}\n", MR_ESCENARIO);
    EXPECT_DIAGS(d,
                 "t.yaml:1:4: error: anchors (&x) are not supported: write the value out, or "
                 "share a file with extends:",
                 "t.yaml:2:4: error: aliases (*x) are not supported: write the value out, or "
                 "share a file with extends:",
                 "t.yaml:3:4: error: anchors (&y) are not supported: write the value out, or "
                 "share a file with extends:");
    mr_diag_free(d);
}

Test(yaml, custom_tags_are_refused)
{
    mr_diag *d = load_bad("a: !foo 1\nb: !!binary aGk=\nc: !!int 3\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:4: error: unsupported tag '!foo'",
                 "t.yaml:2:4: error: unsupported tag '!!binary'");
    mr_diag_free(d);
}

Test(yaml, a_second_document_is_refused)
{
    mr_diag *d = load_bad("a: 1\n---\nb: 2\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:2:1: error: a second YAML document: a scenario file holds one");
    mr_diag_free(d);
}

Test(yaml, a_key_must_be_a_scalar)
{
    mr_diag *d = load_bad("? [a, b]\n: 1\nc: 2\n", MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:3: error: a map key must be a plain value, found a sequence");
    mr_diag_free(d);
}

Test(yaml, runaway_nesting_is_refused)
{
    char text[1024];
    memset(text, '[', 300);
    text[300] = '\0';
    mr_diag *d = load_bad(text, MR_ESCENARIO);
    EXPECT_DIAGS(d, "t.yaml:1:202: error: nested deeper than 200 levels");
    mr_diag_free(d);
}

Test(yaml, a_string_without_a_name_is_called_string)
{
    mr_diag *d = mr_diag_new();
    mr_doc *doc;
    cr_assert_eq(mr_doc_load_string("a: [", NULL, &doc, d), MR_ESCENARIO);
    EXPECT_DIAGS(d, "<string>:2:1: error: did not find expected node content (while parsing a "
                    "flow node)");
    mr_diag_free(d);
}

Test(yaml, files_load_with_their_path_as_mark, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[512];
    write_file("s.yaml", "seed: 42\nrun: {horizon: 2h}\n");
    tmp_path("s.yaml", path, sizeof path);
    mr_diag *d = mr_diag_new();
    mr_doc *doc;
    cr_assert_eq(mr_doc_load_file(path, &doc, d), MR_OK);
    expect_mark(&mr_node_at(doc->root, "run.horizon")->mark, path, 2, 16);
    cr_expect_eq(doc->nfiles, 1);
    mr_doc_free(doc);

    write_file("empty.yaml", "");
    tmp_path("empty.yaml", path, sizeof path);
    cr_assert_eq(mr_doc_load_file(path, &doc, d), MR_OK);
    cr_expect_eq(doc->root->kind, MR_NODE_MAP);
    cr_expect_eq(doc->root->n, 0);
    mr_doc_free(doc);
    cr_expect_eq(mr_diag_count(d), 0);
    mr_diag_free(d);
}

Test(yaml, a_missing_file_is_an_io_error, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[512], want[600];
    tmp_path("nope.yaml", path, sizeof path);
    mr_diag *d = mr_diag_new();
    mr_doc *doc = NULL;
    cr_assert_eq(mr_doc_load_file(path, &doc, d), MR_EIO);
    cr_expect_null(doc);
    snprintf(want, sizeof want, "%s: error: cannot open: No such file or directory", path);
    EXPECT_DIAGS(d, want);
    mr_diag_free(d);

    /* A directory opens but cannot be read. */
    d = mr_diag_new();
    cr_assert_eq(mr_doc_load_file(tmpdir, &doc, d), MR_EIO);
    snprintf(want, sizeof want, "%s: error: cannot open: Is a directory", tmpdir);
    EXPECT_DIAGS(d, want);
    mr_diag_free(d);
}

Test(yaml, compact_calls_split_by_flow_commas_are_rejoined)
{
    mr_doc *doc = load_ok("r: {share: 0.05, hold: lognormal(5m, 1.2), mode: extra}\n"
                          "s: [f(1, 2, 3), g, \"h(1\", k]\n"
                          "t: {a: f(1,  2)}\n");
    const mr_node *r = mr_node_get(doc->root, "r");
    cr_assert_eq(r->n, 3);
    cr_expect_str_eq(text_at(doc->root, "r.hold"), "lognormal(5m, 1.2)");
    cr_expect_str_eq(text_at(doc->root, "r.mode"), "extra");
    const mr_node *hold = mr_node_get(r, "hold");
    expect_mark(&hold->mark, "t.yaml", 1, 24);
    mr_mark m = mr_node_text_mark(hold, 14);
    expect_mark(&m, "t.yaml", 1, 38);

    const mr_node *s = mr_node_get(doc->root, "s");
    cr_assert_eq(s->n, 4);
    cr_expect_str_eq(s->items[0]->text, "f(1, 2, 3)");
    cr_expect_str_eq(s->items[1]->text, "g");
    cr_expect_str_eq(s->items[2]->text, "h(1");
    cr_expect_str_eq(s->items[3]->text, "k");

    /* Two blanks after the comma: the text is rejoined with one, so offsets
     * no longer map and the scalar's own mark is used. */
    const mr_node *a = mr_node_at(doc->root, "t.a");
    cr_expect_str_eq(a->text, "f(1, 2)");
    m = mr_node_text_mark(a, 5);
    expect_mark(&m, "t.yaml", 3, 8);
    mr_doc_free(doc);
}

Test(yaml, text_marks_map_offsets_when_the_source_allows)
{
    mr_doc *doc = load_ok("a: uniform(1s, 2s)\n"
                          "b: \"uniform(1s, 2s)\"\n"
                          "c: \"uni\\x66orm\"\n"
                          "d: >\n"
                          "  folded text\n");
    mr_mark m = mr_node_text_mark(mr_node_get(doc->root, "a"), 12);
    expect_mark(&m, "t.yaml", 1, 16);
    m = mr_node_text_mark(mr_node_get(doc->root, "b"), 12);
    expect_mark(&m, "t.yaml", 2, 17);
    m = mr_node_text_mark(mr_node_get(doc->root, "c"), 3);
    expect_mark(&m, "t.yaml", 3, 4);
    m = mr_node_text_mark(mr_node_get(doc->root, "d"), 3);
    expect_mark(&m, "t.yaml", 4, 4);
    mr_doc_free(doc);
}

/* ---- Look-up and used flags -------------------------------------------- */

Test(yaml, take_marks_used_and_the_rest_is_reported_unknown)
{
    mr_doc *doc = load_ok("probe: {interval: 30s, timeout: 10s, tolerated_falures: 3, zzz: 1}\n");
    mr_node *probe = mr_node_get(doc->root, "probe");
    cr_expect_null(mr_node_get(probe, "nope"));
    cr_expect_null(mr_node_get(mr_node_get(probe, "interval"), "x"));
    cr_assert_not_null(mr_node_take(probe, "interval"));
    cr_assert_not_null(mr_node_take(probe, "timeout"));
    cr_expect_null(mr_node_take(probe, "tolerated_failures"));
    cr_expect(mr_node_get(probe, "interval")->used);
    cr_expect_not(mr_node_get(probe, "zzz")->used);

    const char *valid[] = {"interval", "timeout", "tolerated_failures"};
    mr_diag *d = mr_diag_new();
    cr_expect_eq(mr_node_report_unused(probe, valid, 3, d), 2);
    EXPECT_DIAGS(d,
                 "t.yaml:1:38: error: unknown key 'tolerated_falures' (did you mean "
                 "'tolerated_failures'?)",
                 "t.yaml:1:60: error: unknown key 'zzz' (valid keys: interval, timeout, "
                 "tolerated_failures)");
    mr_diag_free(d);

    d = mr_diag_new();
    cr_expect_eq(mr_node_report_unused(probe, NULL, 0, d), 2);
    cr_expect_str_eq(mr_diag_line(d, 1), "t.yaml:1:60: error: unknown key 'zzz'");
    cr_expect_eq(mr_node_report_unused(mr_node_get(probe, "zzz"), NULL, 0, d), 0);
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(yaml, map_put_remove_and_seq_push)
{
    mr_doc *doc = load_ok("a: 1\nb: 2\nc: 3\n");
    mr_node *root = doc->root;
    mr_node_map_put(root, mr_node_new_scalar("b", NULL), mr_node_new_scalar("20", NULL));
    cr_expect_str_eq(text_at(root, "b"), "20");
    expect_mark(&mr_node_pair_of(root, "b")->key->mark, "t.yaml", 2, 1);
    mr_node_map_put(root, mr_node_new_scalar("d", NULL), mr_node_new_seq(NULL));
    mr_node_seq_push(mr_node_get(root, "d"), mr_node_new_scalar("x", NULL));
    mr_node_seq_push(mr_node_get(root, "d"), mr_node_new_null(NULL));
    cr_expect_str_eq(text_at(root, "d[0]"), "x");
    cr_expect(mr_node_is_null(mr_node_at(root, "d[1]")));
    mr_node *b = mr_node_map_remove(root, "b");
    cr_assert_not_null(b);
    cr_expect_str_eq(b->text, "20");
    mr_node_free(b);
    cr_expect_null(mr_node_map_remove(root, "b"));
    cr_assert_eq(root->n, 3);
    cr_expect_str_eq(root->pairs[0].key->text, "a");
    cr_expect_str_eq(root->pairs[1].key->text, "c");
    cr_expect_str_eq(root->pairs[2].key->text, "d");
    mr_doc_free(doc);
}

/* ---- Paths ------------------------------------------------------------- */

static const char *const topology = "traffic:\n"
                                    "  probe: {interval: 30s, timeout: 10s}\n"
                                    "  ttl: 30s\n"
                                    "clusters:\n"
                                    "  - {name: aks-weu, role: active}\n"
                                    "  - {name: aks-neu, role: standby, standby: warm}\n"
                                    "faults:\n"
                                    "  - {name: weu-outage, at: 30m}\n"
                                    "empty:\n";

Test(yaml, paths_follow_keys_indices_and_names)
{
    mr_doc *doc = load_ok(topology);
    cr_expect_str_eq(text_at(doc->root, "traffic.probe.interval"), "30s");
    cr_expect_str_eq(text_at(doc->root, "clusters[1].standby"), "warm");
    cr_expect_str_eq(text_at(doc->root, "clusters[name=aks-neu].role"), "standby");
    cr_expect_str_eq(text_at(doc->root, "clusters[aks-weu].role"), "active");
    cr_expect_str_eq(text_at(doc->root, "faults[0].name"), "weu-outage");
    cr_expect_eq(mr_node_at(doc->root, "faults[0]")->kind, MR_NODE_MAP);
    cr_expect_eq(mr_node_at(doc->root, "traffic"), mr_node_get(doc->root, "traffic"));
    cr_expect_null(mr_node_at(doc->root, "traffic.probe.nope"));
    cr_expect_null(mr_node_at(doc->root, "clusters[2]"));
    cr_expect_null(mr_node_at(doc->root, "traffic..ttl"));
    cr_expect_null(mr_node_at(doc->root, "traffic[0]"));
    mr_doc_free(doc);
}

Test(yaml, find_explains_where_a_path_leads_nowhere)
{
    mr_doc *doc = load_ok(topology);
    mr_mark at = {.file = "--get", .line = 1, .column = 1};
    struct {
        const char *path;
        int rc;
        const char *msg;
    } cases[] = {
        {"traffic.probe.intervall", MR_ENOENT,
         "--get:1:15: error: no key 'intervall' in 'traffic.probe' (did you mean 'interval'?)"},
        {"traffic.zzzzzz", MR_ENOENT, "--get:1:9: error: no key 'zzzzzz' in 'traffic'"},
        {"clusters[5].role", MR_ENOENT,
         "--get:1:9: error: index 5 is past the end of 'clusters' (length 2)"},
        {"clusters[aks-xx]", MR_ENOENT,
         "--get:1:9: error: no element of 'clusters' has name 'aks-xx' (names: aks-weu, aks-neu)"},
        {"clusters[role=x]", MR_ENOENT,
         "--get:1:9: error: no element of 'clusters' has role 'x' (roles: active, standby)"},
        {"clusters[kind=x]", MR_ENOENT, "--get:1:9: error: no element of 'clusters' has kind 'x'"},
        {"traffic.ttl.x", MR_ENOENT, "--get:1:13: error: 'traffic.ttl' is a value, not a map"},
        {"traffic[0]", MR_ENOENT, "--get:1:8: error: 'traffic' is a map, not a sequence"},
        {"empty[0]", MR_ENOENT, "--get:1:6: error: 'empty' is null, not a sequence"},
        {"[0]", MR_ENOENT, "--get:1:1: error: the document is a map, not a sequence"},
        {"a..b", MR_EINVAL, "--get:1:3: error: bad path 'a..b': empty key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mr_diag *d = mr_diag_new();
        mr_node *out = (mr_node *)0x1;
        cr_expect_eq(mr_node_find(doc->root, cases[i].path, &at, &out, d), cases[i].rc, "%s",
                     cases[i].path);
        cr_expect_eq(out, (mr_node *)0x1);
        EXPECT_DIAGS(d, cases[i].msg);
        mr_diag_free(d);
    }
    mr_node *out;
    cr_expect_eq(mr_node_find(doc->root, "traffic.ttl", NULL, &out, NULL), MR_OK);
    cr_expect_str_eq(out->text, "30s");
    mr_doc_free(doc);
}

Test(yaml, malformed_paths_are_refused_with_the_column)
{
    mr_doc *doc = load_ok(topology);
    mr_mark at = {.file = "--set", .line = 1, .column = 1};
    struct {
        const char *path;
        const char *msg;
    } cases[] = {
        {"", "--set:1:1: error: empty path"},
        {".a", "--set:1:1: error: bad path '.a': empty key"},
        {"a.", "--set:1:3: error: bad path 'a.': empty key"},
        {"a..b", "--set:1:3: error: bad path 'a..b': empty key"},
        {"a.[0]", "--set:1:3: error: bad path 'a.[0]': empty key"},
        {"a[0", "--set:1:2: error: bad path 'a[0': missing ']'"},
        {"a[]", "--set:1:2: error: bad path 'a[]': empty []"},
        {"a[0]b", "--set:1:5: error: bad path 'a[0]b': expected '.' or '[' after ']'"},
        {"a]", "--set:1:2: error: bad path 'a]': unexpected ']'"},
        {"a b", "--set:1:2: error: bad path 'a b': unexpected space"},
        {"a[1[2]]", "--set:1:4: error: bad path 'a[1[2]]': unexpected '['"},
        {"a[=x]", "--set:1:3: error: bad path 'a[=x]': empty key in [KEY=VALUE]"},
        {"a[name=]", "--set:1:8: error: bad path 'a[name=]': empty value in [KEY=VALUE]"},
        {"a[99999999999]", "--set:1:3: error: bad path 'a[99999999999]': index too large"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mr_diag *d = mr_diag_new();
        mr_node *v = mr_node_new_scalar("1", NULL);
        cr_expect_eq(mr_doc_set_node(doc, cases[i].path, &at, v, d), MR_EINVAL, "'%s'",
                     cases[i].path);
        mr_node_free(v);
        EXPECT_DIAGS(d, cases[i].msg);
        mr_diag_free(d);
    }
    mr_doc_free(doc);
}

/* ---- Set --------------------------------------------------------------- */

Test(yaml, set_replaces_creates_and_parses_flow_values)
{
    mr_doc *doc = load_ok(topology);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_doc_set_arg(doc, "traffic.ttl=10s", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "clusters[1].standby=hot", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "clusters[aks-weu].zones=[1, 2, 3]", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "faults[0]={name: x, at: 1h}", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "run.warmup.extra=5m", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "empty.inner=\"99.9%\"", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "traffic.probe=null", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "hold=lognormal(5m, 1.2)", NULL, d), MR_OK);
    cr_expect_eq(mr_diag_count(d), 0);
    /* An empty value is a slip, refused at the value (issue 14): null asks
     * for the default. */
    cr_assert_eq(mr_doc_set_arg(doc, "traffic.probe=", NULL, d), MR_ESCENARIO);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect_str_eq(mr_diag_line(d, 0),
                     "--set:1:15: error: traffic.probe: empty value: give a value, or null for "
                     "the default");

    cr_expect_str_eq(text_at(doc->root, "traffic.ttl"), "10s");
    expect_mark(&mr_node_at(doc->root, "traffic.ttl")->mark, "--set", 1, 13);
    expect_mark(&mr_node_pair_of(mr_node_get(doc->root, "traffic"), "ttl")->key->mark, "t.yaml", 3,
                3);
    cr_expect_str_eq(text_at(doc->root, "clusters[1].standby"), "hot");
    const mr_node *zones = mr_node_at(doc->root, "clusters[0].zones");
    cr_assert_eq(zones->kind, MR_NODE_SEQ);
    cr_assert_eq(zones->n, 3);
    expect_mark(&zones->items[2]->mark, "--set", 1, 32);
    cr_expect_str_eq(text_at(doc->root, "faults[0].at"), "1h");
    cr_expect_str_eq(text_at(doc->root, "run.warmup.extra"), "5m");
    /* Created keys carry the mark of their part of the path. */
    mr_node_pair *run = mr_node_pair_of(doc->root, "run");
    expect_mark(&run->key->mark, "--set", 1, 1);
    expect_mark(&mr_node_pair_of(run->value, "warmup")->key->mark, "--set", 1, 5);
    cr_expect_eq(run->key->span, 3);
    cr_expect_str_eq(text_at(doc->root, "empty.inner"), "99.9%");
    cr_expect(mr_node_at(doc->root, "empty.inner")->quoted);
    cr_expect(mr_node_is_null(mr_node_at(doc->root, "traffic.probe")));
    cr_expect_str_eq(text_at(doc->root, "hold"), "lognormal(5m, 1.2)");
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(yaml, set_arg_marks_count_from_the_given_argument_mark)
{
    mr_doc *doc = load_ok("a: 1\n");
    mr_diag *d = mr_diag_new();
    mr_mark at = {.file = "--set", .line = 3, .column = 1};
    cr_assert_eq(mr_doc_set_arg(doc, "b.c=[x, y]", &at, d), MR_OK);
    expect_mark(&mr_node_at(doc->root, "b.c[1]")->mark, "--set", 3, 9);
    /* The pseudo-file name is the document's own copy. */
    cr_expect_neq(mr_node_at(doc->root, "b.c")->mark.file, at.file);
    cr_expect_eq(mr_node_at(doc->root, "b.c")->mark.file, mr_doc_intern(doc, "--set"));
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(yaml, set_failures_explain_and_change_nothing)
{
    mr_doc *doc = load_ok(topology);
    struct {
        const char *arg;
        int rc;
        const char *msg;
    } cases[] = {
        {"clusters[2].role=x", MR_ESCENARIO,
         "--set:1:9: error: index 2 is past the end of 'clusters' (length 2)"},
        {"clusters[aks-x].role=x", MR_ESCENARIO,
         "--set:1:9: error: no element of 'clusters' has name 'aks-x' (names: aks-weu, aks-neu)"},
        {"traffic.ttl.unit=s", MR_ESCENARIO,
         "--set:1:13: error: 'traffic.ttl' is a value, not a map"},
        {"new.list[0]=1", MR_ESCENARIO,
         "--set:1:9: error: no key 'list' in 'new' to select from (only maps are created)"},
        {"traffic[0]=1", MR_ESCENARIO, "--set:1:8: error: 'traffic' is a map, not a sequence"},
        {"traffic.ttl=[1, 2", MR_ESCENARIO,
         "--set:2:1: error: did not find expected ',' or ']' (while parsing a flow sequence at "
         "line 1, column 13)"},
        {"traffic.ttl={a: 1, a: 2}", MR_ESCENARIO,
         "--set:1:20: error: duplicate key 'a' (first at line 1, column 14)"},
        {"traffic.ttl", MR_EINVAL, "--set:1:1: error: expected PATH=VALUE, found 'traffic.ttl'"},
        {"a..b=1", MR_EINVAL, "--set:1:3: error: bad path 'a..b': empty key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mr_diag *d = mr_diag_new();
        cr_expect_eq(mr_doc_set_arg(doc, cases[i].arg, NULL, d), cases[i].rc, "%s", cases[i].arg);
        EXPECT_DIAGS(d, cases[i].msg);
        mr_diag_free(d);
    }
    /* The dry run caught "new.list[0]" before "new" was created. */
    cr_expect_null(mr_node_get(doc->root, "new"));
    cr_expect_str_eq(text_at(doc->root, "traffic.ttl"), "30s");
    cr_expect_eq(doc->root->n, 4);
    mr_doc_free(doc);
}

Test(yaml, set_into_a_selector_with_an_equals_sign)
{
    mr_doc *doc = load_ok(topology);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_doc_set_arg(doc, "clusters[name=aks-neu].standby=cold", NULL, d), MR_OK);
    cr_expect_str_eq(text_at(doc->root, "clusters[1].standby"), "cold");
    expect_mark(&mr_node_at(doc->root, "clusters[1].standby")->mark, "--set", 1, 32);
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(yaml, parse_value_counts_marks_from_its_start)
{
    mr_doc *doc = mr_doc_new("x.yaml");
    mr_diag *d = mr_diag_new();
    mr_mark at = {.file = "--set", .line = 2, .column = 10};
    mr_node *v;
    cr_assert_eq(mr_doc_parse_value(doc, "{a: 1,\n b: 2}", &at, &v, d), MR_OK);
    expect_mark(&v->mark, "--set", 2, 10);
    expect_mark(&mr_node_get(v, "a")->mark, "--set", 2, 14);
    expect_mark(&mr_node_get(v, "b")->mark, "--set", 3, 5);
    mr_node_free(v);
    cr_assert_eq(mr_doc_parse_value(doc, "", &at, &v, d), MR_OK);
    cr_expect(mr_node_is_null(v));
    expect_mark(&v->mark, "--set", 2, 10);
    mr_node_free(v);
    cr_expect_eq(mr_diag_count(d), 0);
    mr_diag_free(d);
    mr_doc_free(doc);
}

/* ---- Merge, clone ------------------------------------------------------ */

Test(yaml, merge_goes_deep_in_maps_and_replaces_the_rest)
{
    mr_doc *base = load_ok("a: {x: 1, y: {p: 1, q: 2}}\nb: [1, 2, 3]\nc: 5\n");
    mr_diag *d = mr_diag_new();
    mr_doc *over;
    cr_assert_eq(mr_doc_load_string("a: {y: {q: 20, r: 30}}\nb: [9]\nc: {now: map}\nd: new\n",
                                    "o.yaml", &over, d),
                 MR_OK);
    /* Moving nodes between documents: the result must own both names. */
    mr_doc_intern(base, "o.yaml");
    mr_node_merge(base->root, mr_node_clone(over->root));
    mr_doc_free(over);
    cr_expect_str_eq(text_at(base->root, "a.x"), "1");
    cr_expect_str_eq(text_at(base->root, "a.y.p"), "1");
    cr_expect_str_eq(text_at(base->root, "a.y.q"), "20");
    cr_expect_str_eq(text_at(base->root, "a.y.r"), "30");
    cr_expect_eq(mr_node_get(base->root, "b")->n, 1);
    cr_expect_str_eq(text_at(base->root, "c.now"), "map");
    cr_expect_str_eq(text_at(base->root, "d"), "new");
    cr_expect_str_eq(base->root->pairs[3].key->text, "d");
    mr_diag_free(d);
    mr_doc_free(base);
}

Test(yaml, merge_of_non_maps_replaces_the_whole_node)
{
    mr_node *a = mr_node_new_scalar("old", NULL);
    mr_node *b = mr_node_new_seq(NULL);
    mr_node_seq_push(b, mr_node_new_scalar("new", NULL));
    mr_node_merge(a, b);
    cr_assert_eq(a->kind, MR_NODE_SEQ);
    cr_expect_str_eq(a->items[0]->text, "new");
    mr_node_free(a);
}

Test(yaml, clones_are_deep_and_outlive_their_source)
{
    mr_doc *doc = load_ok(topology);
    mr_node_take(doc->root, "traffic");
    mr_doc *copy = mr_doc_clone(doc);
    mr_node *sub = mr_node_clone(mr_node_get(doc->root, "clusters"));
    mr_doc_free(doc);
    cr_expect_str_eq(text_at(copy->root, "clusters[1].standby"), "warm");
    expect_mark(&mr_node_at(copy->root, "traffic.ttl")->mark, "t.yaml", 3, 8);
    cr_expect(mr_node_get(copy->root, "traffic")->used);
    cr_expect_eq(mr_node_at(copy->root, "traffic.ttl")->mark.file, copy->files[0]);
    cr_expect_eq(sub->n, 2);
    mr_node_free(sub);
    cr_expect_null(mr_node_clone(NULL));
    mr_doc_free(copy);
}

/* ---- extends ----------------------------------------------------------- */

static mr_doc *load_tmp(const char *rel, mr_diag *d)
{
    char path[512];
    mr_doc *doc = NULL;
    int rc = mr_doc_load_file(tmp_path(rel, path, sizeof path), &doc, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK);
    return doc;
}

Test(yaml, extends_merges_over_the_base_and_applies_set, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_file("base.yaml", "name: active-passive-tm\n"
                            "seed: 42\n"
                            "traffic:\n"
                            "  kind: traffic_manager\n"
                            "  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3}\n"
                            "  ttl: 30s\n"
                            "clusters:\n"
                            "  - {name: aks-weu, role: active}\n"
                            "  - {name: aks-neu, role: standby, standby: warm}\n");
    write_file("fast.yaml", "extends: base.yaml\n"
                            "name: active-passive-fast-probes\n"
                            "traffic:\n"
                            "  ttl: 10s\n"
                            "set:\n"
                            "  traffic.probe.interval: 10s\n"
                            "  clusters[1].standby: hot\n"
                            "  run.horizon: 1h\n");
    char base[512], fast[512];
    tmp_path("base.yaml", base, sizeof base);
    tmp_path("fast.yaml", fast, sizeof fast);
    mr_diag *d = mr_diag_new();
    mr_doc *doc = load_tmp("fast.yaml", d);
    cr_assert_eq(mr_doc_extend(doc, d), MR_OK);
    cr_expect_eq(mr_diag_count(d), 0);

    mr_node *root = doc->root;
    cr_expect_null(mr_node_get(root, "extends"));
    cr_expect_null(mr_node_get(root, "set"));
    cr_expect_str_eq(text_at(root, "name"), "active-passive-fast-probes");
    cr_expect_str_eq(text_at(root, "seed"), "42");
    cr_expect_str_eq(text_at(root, "traffic.kind"), "traffic_manager");
    cr_expect_str_eq(text_at(root, "traffic.ttl"), "10s");
    cr_expect_str_eq(text_at(root, "traffic.probe.interval"), "10s");
    cr_expect_str_eq(text_at(root, "traffic.probe.timeout"), "10s");
    cr_expect_str_eq(text_at(root, "clusters[1].standby"), "hot");
    cr_expect_str_eq(text_at(root, "run.horizon"), "1h");
    /* Base keys keep their order; new keys come after. */
    cr_expect_str_eq(root->pairs[0].key->text, "name");
    cr_expect_str_eq(root->pairs[4].key->text, "run");

    /* Each value's mark points at the file it came from. */
    expect_mark(&mr_node_at(root, "seed")->mark, base, 2, 7);
    expect_mark(&mr_node_at(root, "name")->mark, fast, 2, 7);
    expect_mark(&mr_node_at(root, "traffic.kind")->mark, base, 4, 9);
    expect_mark(&mr_node_at(root, "traffic.ttl")->mark, fast, 4, 8);
    expect_mark(&mr_node_at(root, "traffic.probe.interval")->mark, fast, 6, 27);
    expect_mark(&mr_node_at(root, "traffic.probe.timeout")->mark, base, 5, 35);
    expect_mark(&mr_node_at(root, "clusters[1].standby")->mark, fast, 7, 24);
    expect_mark(&mr_node_at(root, "clusters[0].role")->mark, base, 8, 27);
    expect_mark(&mr_node_pair_of(mr_node_get(root, "run"), "horizon")->key->mark, fast, 8, 7);

    /* The names outlive the loads: a clone after freeing nothing else still
     * reads them, and freeing the document frees them (ASan checks both). */
    mr_doc *copy = mr_doc_clone(doc);
    mr_doc_free(doc);
    expect_mark(&mr_node_at(copy->root, "seed")->mark, base, 2, 7);
    mr_doc_free(copy);
    mr_diag_free(d);
}

Test(yaml, extends_chains_resolve_relative_to_each_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char sub[512];
    mkdir(tmp_path("sub", sub, sizeof sub), 0700);
    write_file("sub/grand.yaml", "a: 1\nb: 1\nc: 1\nset: {b: 2}\n");
    write_file("sub/parent.yaml", "extends: grand.yaml\nb: 3\nc: 3\n");
    write_file("child.yaml", "extends: sub/parent.yaml\nc: 4\n");
    mr_diag *d = mr_diag_new();
    mr_doc *doc = load_tmp("child.yaml", d);
    cr_assert_eq(mr_doc_extend(doc, d), MR_OK);
    /* grand's own set applies to grand, before parent overrides it. */
    cr_expect_str_eq(text_at(doc->root, "a"), "1");
    cr_expect_str_eq(text_at(doc->root, "b"), "3");
    cr_expect_str_eq(text_at(doc->root, "c"), "4");
    cr_expect_eq(doc->root->n, 3);
    char grand[512];
    expect_mark(&mr_node_at(doc->root, "a")->mark, tmp_path("sub/grand.yaml", grand, sizeof grand),
                1, 4);
    mr_doc_free(doc);
    mr_diag_free(d);
}

Test(yaml, set_without_extends_applies_to_the_file_itself)
{
    mr_doc *doc = load_ok("a: {b: 1}\nset:\n  a.b: 2\n  a.c: 3\n");
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_doc_extend(doc, d), MR_OK);
    cr_expect_str_eq(text_at(doc->root, "a.b"), "2");
    cr_expect_str_eq(text_at(doc->root, "a.c"), "3");
    cr_expect_null(mr_node_get(doc->root, "set"));
    expect_mark(&mr_node_pair_of(mr_node_get(doc->root, "a"), "c")->key->mark, "t.yaml", 4, 5);

    /* Nothing to do: fine too. */
    cr_assert_eq(mr_doc_extend(doc, d), MR_OK);
    cr_expect_eq(mr_diag_count(d), 0);
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(yaml, extends_cycles_are_reported, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_file("a.yaml", "extends: b.yaml\nx: 1\n");
    write_file("b.yaml", "name: b\nextends: a.yaml\n");
    write_file("self.yaml", "extends: self.yaml\n");
    char a[512], b[512], self[512], want[4096];
    tmp_path("a.yaml", a, sizeof a);
    tmp_path("b.yaml", b, sizeof b);
    tmp_path("self.yaml", self, sizeof self);

    mr_diag *d = mr_diag_new();
    mr_doc *doc = load_tmp("a.yaml", d);
    cr_assert_eq(mr_doc_extend(doc, d), MR_ESCENARIO);
    snprintf(want, sizeof want, "%s:2:10: error: extends cycle: %s -> %s -> %s", b, a, b, a);
    EXPECT_DIAGS(d, want);
    /* Unchanged on failure. */
    cr_expect_str_eq(text_at(doc->root, "extends"), "b.yaml");
    mr_doc_free(doc);
    mr_diag_free(d);

    d = mr_diag_new();
    doc = load_tmp("self.yaml", d);
    cr_assert_eq(mr_doc_extend(doc, d), MR_ESCENARIO);
    snprintf(want, sizeof want, "%s:1:10: error: extends cycle: %s -> %s", self, self, self);
    EXPECT_DIAGS(d, want);
    mr_doc_free(doc);
    mr_diag_free(d);
}

Test(yaml, extends_problems_are_located, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_file("missing.yaml", "x: 1\nextends: nope.yaml\n");
    write_file("list.yaml", "- 1\n");
    write_file("tolist.yaml", "extends: list.yaml\n");
    write_file("bad.yaml", "extends: [a]\n");
    write_file("badbase.yaml", "a: [\n");
    write_file("tobad.yaml", "extends: badbase.yaml\n");
    write_file("badset.yaml", "a: {b: 1}\nset:\n  a.b.c: 2\n  q[0]: 1\n  a.d: 3\n");
    write_file("setlist.yaml", "set: [a]\n");
    char p1[512], p2[512], want[2048];
    struct {
        const char *file;
        int rc;
    } cases[] = {
        {"missing.yaml", MR_EIO},     {"tolist.yaml", MR_ESCENARIO}, {"bad.yaml", MR_ESCENARIO},
        {"tobad.yaml", MR_ESCENARIO}, {"badset.yaml", MR_ESCENARIO}, {"setlist.yaml", MR_ESCENARIO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mr_diag *d = mr_diag_new();
        mr_doc *doc = load_tmp(cases[i].file, d);
        cr_expect_eq(mr_doc_extend(doc, d), cases[i].rc, "%s", cases[i].file);
        tmp_path(cases[i].file, p1, sizeof p1);
        switch (i) {
        case 0:
            snprintf(want, sizeof want,
                     "%s:2:10: error: cannot open '%s': No such file or directory", p1,
                     tmp_path("nope.yaml", p2, sizeof p2));
            EXPECT_DIAGS(d, want);
            break;
        case 1:
            snprintf(want, sizeof want,
                     "%s:1:1: error: a file used by extends must hold a map of settings, found "
                     "a sequence",
                     tmp_path("list.yaml", p2, sizeof p2));
            EXPECT_DIAGS(d, want);
            break;
        case 2:
            snprintf(want, sizeof want,
                     "%s:1:10: error: extends: expected a file name, found a "
                     "sequence",
                     p1);
            EXPECT_DIAGS(d, want);
            break;
        case 3:
            snprintf(want, sizeof want,
                     "%s:2:1: error: did not find expected node content (while parsing a flow "
                     "node)",
                     tmp_path("badbase.yaml", p2, sizeof p2));
            EXPECT_DIAGS(d, want);
            break;
        case 4: {
            char w1[1024], w2[1024];
            snprintf(w1, sizeof w1, "%s:3:7: error: 'a.b' is a value, not a map", p1);
            snprintf(w2, sizeof w2,
                     "%s:4:4: error: no key 'q' in the document to select from (only maps are "
                     "created)",
                     p1);
            EXPECT_DIAGS(d, w1, w2);
            break;
        }
        case 5:
            snprintf(want, sizeof want,
                     "%s:1:6: error: set: expected a map of PATH: VALUE, found a sequence", p1);
            EXPECT_DIAGS(d, want);
            break;
        }
        mr_doc_free(doc);
        mr_diag_free(d);
    }
}

Test(yaml, intern_returns_one_copy_per_name)
{
    mr_doc *doc = mr_doc_new("a.yaml");
    char name[] = "b.yaml";
    const char *b1 = mr_doc_intern(doc, name);
    const char *b2 = mr_doc_intern(doc, "b.yaml");
    cr_expect_eq(b1, b2);
    cr_expect_neq(b1, name);
    cr_expect_eq(mr_doc_intern(doc, "a.yaml"), doc->files[0]);
    cr_expect_null(mr_doc_intern(doc, NULL));
    cr_expect_eq(doc->nfiles, 2);
    mr_doc_free(doc);
    mr_doc_free(NULL);
    mr_node_free(NULL);
}

/* "PATH[+]=VALUE" appends (the TUI's injected faults, sim/run/live.c): to
 * an existing list (length 2 -> 3, the new item last), to a missing key (a
 * list of one) and to a key with no value; never in the middle of a path,
 * never to a map, and --get has nothing to name with it. */
Test(yaml, set_append_adds_a_last_item)
{
    mr_doc *doc = load_ok(topology);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_doc_set_arg(doc, "clusters[+]={name: aks-x}", NULL, d), MR_OK);
    cr_expect_eq(mr_node_at(doc->root, "clusters")->n, 3);
    cr_expect_str_eq(text_at(doc->root, "clusters[2].name"), "aks-x");
    cr_expect_str_eq(text_at(doc->root, "clusters[0].name"), "aks-weu");
    cr_assert_eq(mr_doc_set_arg(doc, "faults2[+]=7", NULL, d), MR_OK);
    cr_expect_eq(mr_node_at(doc->root, "faults2")->kind, MR_NODE_SEQ);
    cr_expect_eq(mr_node_at(doc->root, "faults2")->n, 1);
    cr_expect_str_eq(text_at(doc->root, "faults2[0]"), "7");
    cr_assert_eq(mr_doc_set_arg(doc, "faults2=null", NULL, d), MR_OK);
    cr_assert_eq(mr_doc_set_arg(doc, "faults2[+]=8", NULL, d), MR_OK);
    cr_expect_eq(mr_node_at(doc->root, "faults2")->n, 1);
    cr_expect_eq(mr_diag_count(d), 0);
    cr_expect_eq(mr_doc_set_arg(doc, "clusters[+].name=x", NULL, d), MR_ESCENARIO);
    cr_expect_eq(mr_doc_set_arg(doc, "traffic[+]=1", NULL, d), MR_ESCENARIO);
    EXPECT_DIAGS(d, "--set:1:9: error: [+] appends: it ends the path",
                 "--set:1:8: error: 'traffic' is a map, not a sequence");
    cr_expect_eq(mr_node_at(doc->root, "clusters")->n, 3);
    cr_expect_null(mr_node_at(doc->root, "clusters[+]"));
    mr_diag_free(d);
    mr_doc_free(doc);
}
