/* tests/unit/test_distspec.c: distribution specs of sim/config/distspec.c:
 * every compact and map form of docs/scenario-format.md, durations in nanoseconds and
 * plain numbers as is, the CSV variant of empirical, and each error message
 * with its exact FILE:LINE:COLUMN (the argument's column inside a compact
 * spec). Specs are loaded from YAML as "x: SPEC" in d.yaml, so a compact
 * spec's text starts at column 4. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/distspec.h"
#include "config/node.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"

#define REL 1e-12

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/mrsim-dist-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(path);
    }
    closedir(d);
    rmdir(tmpdir);
}

static void write_tmp(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* A document holding yaml (as d.yaml), freed by the caller. */
static mr_doc *load(const char *yaml)
{
    mr_diag *d = mr_diag_new();
    mr_doc *doc = NULL;
    int rc = mr_doc_load_string(yaml, "d.yaml", &doc, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK);
    mr_diag_free(d);
    return doc;
}

/* Parses "x: SPEC" as kind; asserts success. */
static mr_dist parse_ok(const char *spec, mr_unit_kind kind)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "x: %s\n", spec);
    mr_doc *doc = load(yaml);
    mr_diag *d = mr_diag_new();
    mr_dist out;
    mr_node *x = mr_node_get(doc->root, "x");
    int rc = mr_distspec_node(x, kind, &out, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK, "%s", spec);
    cr_expect_eq(mr_diag_count(d), 0);
    cr_expect(x->used);
    mr_diag_free(d);
    mr_doc_free(doc);
    return out;
}

/* Parses the whole document's x as kind; asserts failure with rc and exactly
 * the diagnostics given. */
static void expect_fail_doc(const char *yaml, mr_unit_kind kind, int rc_expected,
                            const char *const *lines, int n)
{
    mr_doc *doc = load(yaml);
    mr_diag *d = mr_diag_new();
    mr_dist out;
    memset(&out, 0xA5, sizeof out);
    mr_dist before = out;
    int rc = mr_distspec_node(mr_node_get(doc->root, "x"), kind, &out, d);
    cr_expect_eq(rc, rc_expected, "%s: rc %d", yaml, rc);
    cr_expect(memcmp(&before, &out, sizeof out) == 0, "%s: *out changed", yaml);
    for (int i = 0; i < n; i++) {
        const char *got = mr_diag_line(d, i);
        cr_expect_str_eq(got ? got : "(no diagnostic)", lines[i]);
    }
    if (mr_diag_count(d) != n)
        mr_diag_print(d, stderr);
    cr_expect_eq(mr_diag_count(d), n, "%s: %d diagnostics", yaml, mr_diag_count(d));
    mr_diag_free(d);
    mr_doc_free(doc);
}

#define EXPECT_FAIL_DOC(yaml, kind, ...)                                                           \
    do {                                                                                           \
        const char *const lines_[] = {__VA_ARGS__};                                                \
        expect_fail_doc((yaml), (kind), MR_ESCENARIO, lines_,                                      \
                        (int)(sizeof lines_ / sizeof *lines_));                                    \
    } while (0)

/* "x: SPEC" fails with one diagnostic msg. */
static void expect_fail(const char *spec, mr_unit_kind kind, const char *msg)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "x: %s\n", spec);
    expect_fail_doc(yaml, kind, MR_ESCENARIO, &msg, 1);
}

#define D MR_UNIT_DURATION
#define N MR_UNIT_NUMBER

static void expect_params(const mr_dist *d, mr_dist_kind kind, double a, double b, double c)
{
    cr_expect_eq(d->kind, kind, "kind %d, expected %d", (int)d->kind, (int)kind);
    cr_expect_float_eq(d->a, a, REL * fabs(a) + 1e-300);
    cr_expect_float_eq(d->b, b, REL * fabs(b) + 1e-300);
    cr_expect_float_eq(d->c, c, REL * fabs(c) + 1e-300);
}

/* ---- Compact forms ----------------------------------------------------- */

Test(distspec, plain_values_are_constants)
{
    mr_dist d = parse_ok("30s", D);
    expect_params(&d, MR_DIST_CONST, 30e9, 0, 0);
    d = parse_ok("\"PT5M\"", D);
    expect_params(&d, MR_DIST_CONST, 300e9, 0, 0);
    d = parse_ok("0", D);
    expect_params(&d, MR_DIST_CONST, 0, 0, 0);
    d = parse_ok("-2.5", N);
    expect_params(&d, MR_DIST_CONST, -2.5, 0, 0);
}

Test(distspec, every_compact_form_in_durations)
{
    mr_dist d = parse_ok("const(30s)", D);
    expect_params(&d, MR_DIST_CONST, 30e9, 0, 0);
    d = parse_ok("uniform(10s, 50s)", D);
    expect_params(&d, MR_DIST_UNIFORM, 10e9, 50e9, 0);
    d = parse_ok("exponential(2s)", D);
    expect_params(&d, MR_DIST_EXPONENTIAL, 2e9, 0, 0);
    d = parse_ok("normal(60m, 10m)", D);
    expect_params(&d, MR_DIST_NORMAL, 3600e9, 600e9, 0);
    d = parse_ok("lognormal(4m, 0.5)", D);
    expect_params(&d, MR_DIST_LOGNORMAL, 240e9, 0.5, 0);
    d = parse_ok("triangular(10m, 20m, 1h)", D);
    expect_params(&d, MR_DIST_TRIANGULAR, 600e9, 1200e9, 3600e9);
    d = parse_ok("weibull(30d, 1.5)", D);
    expect_params(&d, MR_DIST_WEIBULL, 30 * 86400e9, 1.5, 0);
    d = parse_ok("pareto(1m, 1.5)", D);
    expect_params(&d, MR_DIST_PARETO, 60e9, 1.5, 0);
    d = parse_ok("  lognormal ( 25ms ,0.5 )  ", D);
    expect_params(&d, MR_DIST_LOGNORMAL, 25e6, 0.5, 0);
}

Test(distspec, compact_forms_of_plain_numbers)
{
    mr_dist d = parse_ok("uniform(-1, 1e3)", N);
    expect_params(&d, MR_DIST_UNIFORM, -1, 1000, 0);
    d = parse_ok("normal(-5, 2)", N);
    expect_params(&d, MR_DIST_NORMAL, -5, 2, 0);
    d = parse_ok("lognormal(100, 0.25)", N);
    expect_params(&d, MR_DIST_LOGNORMAL, 100, 0.25, 0);
}

Test(distspec, empirical_and_mix)
{
    mr_dist d = parse_ok("empirical([12s, 15s, 40s])", D);
    cr_assert_eq(d.kind, MR_DIST_EMPIRICAL);
    cr_assert_eq(d.n, 3);
    cr_expect_float_eq(d.values[0], 12e9, REL);
    cr_expect_float_eq(d.values[2], 40e9, REL);
    mr_dist_fini(&d);

    d = parse_ok("empirical(1s, 2s)", D);
    cr_assert_eq(d.n, 2);
    cr_expect_float_eq(d.values[1], 2e9, REL);
    mr_dist_fini(&d);

    d = parse_ok("\"mix(0.9: const(0s), 0.1: lognormal(5m, 1.0))\"", D);
    cr_assert_eq(d.kind, MR_DIST_MIX);
    cr_assert_eq(d.n, 2);
    cr_expect_float_eq(d.p[0], 0.9, REL);
    cr_expect_float_eq(d.p[1], 0.1, REL);
    expect_params(&d.parts[0], MR_DIST_CONST, 0, 0, 0);
    expect_params(&d.parts[1], MR_DIST_LOGNORMAL, 300e9, 1.0, 0);
    mr_dist_fini(&d);

    d = parse_ok("'mix(50%: 1s, 25%: mix(0.5: 2s, 0.5: uniform(1s, 3s)), 25%: empirical([4s]))'",
                 D);
    cr_assert_eq(d.n, 3);
    expect_params(&d.parts[0], MR_DIST_CONST, 1e9, 0, 0);
    cr_assert_eq(d.parts[1].kind, MR_DIST_MIX);
    expect_params(&d.parts[1].parts[1], MR_DIST_UNIFORM, 1e9, 3e9, 0);
    cr_expect_eq(d.parts[2].kind, MR_DIST_EMPIRICAL);
    mr_dist_fini(&d);
}

Test(distspec, compact_specs_inside_flow_maps)
{
    /* docs/scenario-format.md writes these unquoted inside flow maps. */
    mr_doc *doc = load("resolvers: [{share: 0.05, mode: extra, hold: lognormal(5m, 1.2)}]\n"
                       "retry: {attempts: 2, backoff: exponential(200ms)}\n");
    mr_diag *d = mr_diag_new();
    mr_dist out;
    cr_assert_eq(mr_distspec_node(mr_node_at(doc->root, "resolvers[0].hold"), D, &out, d), MR_OK);
    expect_params(&out, MR_DIST_LOGNORMAL, 300e9, 1.2, 0);
    cr_assert_eq(mr_distspec_node(mr_node_at(doc->root, "retry.backoff"), D, &out, d), MR_OK);
    expect_params(&out, MR_DIST_EXPONENTIAL, 200e6, 0, 0);
    cr_expect_eq(mr_node_at(doc->root, "resolvers[0]")->n, 3);

    /* A bad argument in a rejoined spec is still found by its column. */
    cr_assert_eq(mr_distspec_node(mr_node_at(doc->root, "resolvers[0].mode"), D, &out, d),
                 MR_ESCENARIO);
    mr_doc_free(doc);
    doc = load("r: {hold: lognormal(5m, 1.2s)}\n");
    cr_assert_eq(mr_distspec_node(mr_node_at(doc->root, "r.hold"), D, &out, d), MR_ESCENARIO);
    cr_assert_eq(mr_diag_count(d), 2);
    cr_expect_str_eq(mr_diag_line(d, 0),
                     "d.yaml:1:33: error: expected a duration such as 30s, found 'extra'");
    cr_expect_str_eq(mr_diag_line(d, 1), "d.yaml:1:25: error: sigma of lognormal is a plain "
                                         "number, without a unit; found '1.2s'");
    mr_diag_free(d);
    mr_doc_free(doc);
}

Test(distspec, text_specs_for_defaults)
{
    mr_diag *d = mr_diag_new();
    mr_dist out;
    cr_assert_eq(mr_distspec_text("exponential(50ms)", D, NULL, &out, d), MR_OK);
    expect_params(&out, MR_DIST_EXPONENTIAL, 50e6, 0, 0);
    mr_mark at = {.file = "models/store_sql.c", .line = 12, .column = 40};
    cr_assert_eq(mr_distspec_text("uniform(1s, 5)", D, &at, &out, d), MR_ESCENARIO);
    cr_assert_eq(mr_distspec_text("exponential(5)", D, NULL, &out, d), MR_ESCENARIO);
    cr_assert_eq(mr_diag_count(d), 2);
    cr_expect_str_eq(mr_diag_line(d, 0),
                     "models/store_sql.c:12:52: error: missing unit in '5': write e.g. 5s or 5m "
                     "(units: ns, us, ms, s, m, h, d, y)");
    cr_expect_str_eq(mr_diag_line(d, 1), "error: missing unit in '5': write e.g. 5s or 5m (units: "
                                         "ns, us, ms, s, m, h, d, y)");
    mr_diag_free(d);

    size_t n;
    const char *const *names = mr_distspec_names(&n);
    cr_assert_eq(n, 10);
    cr_expect_str_eq(names[0], "const");
    cr_expect_str_eq(names[MR_DIST_MIX], "mix");
}

Test(distspec, compact_errors_point_at_the_argument)
{
    expect_fail("lognorml(4m, 0.5)", D,
                "d.yaml:1:4: error: unknown distribution 'lognorml' (known: lognormal, normal, "
                "uniform, const, weibull, exponential, pareto, empirical, mix, triangular)");
    expect_fail("uniform(10s, 50s, 90s)", D,
                "d.yaml:1:4: error: uniform takes 2 arguments (min, max), found 3");
    expect_fail("exponential()", D,
                "d.yaml:1:4: error: exponential takes 1 argument (mean), found 0");
    expect_fail("triangular(1m, 2m)", D,
                "d.yaml:1:4: error: triangular takes 3 arguments (min, mode, max), found 2");
    expect_fail("uniform(10, 50s)", D,
                "d.yaml:1:12: error: missing unit in '10': write e.g. 10s or 10m (units: ns, us, "
                "ms, s, m, h, d, y)");
    expect_fail("uniform(10s, 50q)", D,
                "d.yaml:1:17: error: unknown unit 'q' in '50q': use ns, us, ms, s, m, h, d, y");
    expect_fail("lognormal(4m, 30s)", D,
                "d.yaml:1:18: error: sigma of lognormal is a plain number, without a unit; found "
                "'30s'");
    expect_fail("pareto(1m, 1.5x)", D,
                "d.yaml:1:15: error: shape of pareto is a plain number, without a unit; found "
                "'1.5x'");
    expect_fail("uniform(, 5s)", D, "d.yaml:1:12: error: uniform: min is missing");
    expect_fail("uniform(1s, )", D, "d.yaml:1:16: error: uniform: max is missing");
    expect_fail("uniform(exponential(1s), 5s)", D,
                "d.yaml:1:12: error: parameters of uniform are values, not distributions");
    expect_fail("uniform(10s, 50s", D,
                "d.yaml:1:4: error: missing ')' after the arguments of uniform");
    expect_fail("uniform(10s] 50s)", D,
                "d.yaml:1:15: error: unexpected ']' in the arguments of uniform");
    expect_fail("exponential(2s) extra", D,
                "d.yaml:1:20: error: unexpected 'extra' after the distribution");
    expect_fail("exponential", D,
                "d.yaml:1:4: error: exponential needs parameters: write exponential(mean)");
    expect_fail("mix", D,
                "d.yaml:1:4: error: mix needs parameters: write mix(p1: dist1, p2: dist2, ...)");
    expect_fail("30", D,
                "d.yaml:1:4: error: missing unit in '30': write e.g. 30s or 30m (units: ns, us, "
                "ms, s, m, h, d, y)");
    expect_fail("zipf(0.9)", N,
                "d.yaml:1:4: error: unknown distribution 'zipf' (known: mix, const, uniform, "
                "normal, weibull, pareto, empirical, lognormal, triangular, exponential)");
}

Test(distspec, domain_errors_state_the_constraint)
{
    expect_fail("uniform(50s, 10s)", D,
                "d.yaml:1:4: error: uniform needs min <= max (found min 50s, max 10s)");
    expect_fail("normal(60, -1)", N,
                "d.yaml:1:4: error: normal needs sd >= 0 (found mean 60, sd -1)");
    expect_fail("lognormal(0s, 0.5)", D,
                "d.yaml:1:4: error: lognormal needs median > 0 and sigma >= 0 (found median 0s, "
                "sigma 0.5)");
    expect_fail("lognormal(4m, -0.5)", D,
                "d.yaml:1:4: error: lognormal needs median > 0 and sigma >= 0 (found median 4m, "
                "sigma -0.5)");
    expect_fail("triangular(10m, 2h, 1h)", D,
                "d.yaml:1:4: error: triangular needs min <= mode <= max and min < max (found min "
                "10m, mode 2h, max 1h)");
    expect_fail("weibull(0s, 1.5)", D,
                "d.yaml:1:4: error: weibull needs scale > 0 and shape > 0 (found scale 0s, shape "
                "1.5)");
    expect_fail("pareto(1m, 0)", D,
                "d.yaml:1:4: error: pareto needs scale > 0 and shape > 0 (found scale 1m, shape "
                "0)");
    expect_fail("exponential(-1)", N,
                "d.yaml:1:4: error: exponential needs mean >= 0 (found mean -1)");
}

Test(distspec, empirical_and_mix_compact_errors)
{
    expect_fail("empirical([])", D, "d.yaml:1:4: error: empirical needs at least one value");
    expect_fail("empirical()", D, "d.yaml:1:4: error: empirical needs at least one value");
    expect_fail("empirical([1s, , 2s])", D, "d.yaml:1:19: error: empirical: a value is missing");
    expect_fail("empirical([1s, 2s)", D,
                "d.yaml:1:21: error: unexpected ')' in the values of empirical");
    expect_fail("empirical([1s, 2s", D,
                "d.yaml:1:4: error: missing ']' after the values of "
                "empirical");
    expect_fail("empirical([1s] x)", D,
                "d.yaml:1:19: error: expected ')' after the values of empirical");
    expect_fail("empirical([1s, 7])", D,
                "d.yaml:1:19: error: missing unit in '7': write e.g. 7s or 7m (units: ns, us, ms, "
                "s, m, h, d, y)");
    expect_fail("'mix(0.9: const(0s), 0.2: 5m)'", D,
                "d.yaml:1:5: error: mix probabilities must sum to 1, found 1.1");
    expect_fail("'mix(0.9: const(0s), 0.05: 5m)'", D,
                "d.yaml:1:5: error: mix probabilities must sum to 1, found 0.95");
    expect_fail("'mix(1.5: 1s)'", D,
                "d.yaml:1:9: error: a probability must be in [0, 1], found '1.5'");
    expect_fail("'mix(150%: 1s)'", D,
                "d.yaml:1:9: error: percentage '150%' is out of range [0%, 100%]");
    expect_fail("'mix(const(1s))'", D,
                "d.yaml:1:9: error: mix: expected 'PROBABILITY: DISTRIBUTION', found "
                "'const(1s))'");
    expect_fail("'mix(0.5: 1s; 0.5: 2s)'", D,
                "d.yaml:1:14: error: unexpected '; 0.5' in duration '1s; 0.5'");
    expect_fail("'mix(1: 1s'", D, "d.yaml:1:5: error: missing ')' after the parts of mix");
    expect_fail("'mix(0.5: 1s, 0.5: norml(1s, 1s))'", D,
                "d.yaml:1:23: error: unknown distribution 'norml' (known: normal, const, "
                "uniform, lognormal, pareto, mix, weibull, empirical, exponential, triangular)");
}

Test(distspec, deep_nesting_is_refused)
{
    char spec[1024] = "'";
    for (int i = 0; i < 20; i++)
        strcat(spec, "mix(1: ");
    strcat(spec, "1s");
    for (int i = 0; i < 20; i++)
        strcat(spec, ")");
    strcat(spec, "'");
    expect_fail(spec, D, "d.yaml:1:124: error: distributions nested more than 16 deep");
}

/* ---- Map forms --------------------------------------------------------- */

Test(distspec, every_map_form)
{
    mr_dist d = parse_ok("{dist: const, value: 30s}", D);
    expect_params(&d, MR_DIST_CONST, 30e9, 0, 0);
    d = parse_ok("{dist: uniform, min: 10s, max: 50s}", D);
    expect_params(&d, MR_DIST_UNIFORM, 10e9, 50e9, 0);
    d = parse_ok("{dist: exponential, mean: 2s}", D);
    expect_params(&d, MR_DIST_EXPONENTIAL, 2e9, 0, 0);
    d = parse_ok("{dist: normal, mean: 60m, sd: 10m}", D);
    expect_params(&d, MR_DIST_NORMAL, 3600e9, 600e9, 0);
    d = parse_ok("{dist: lognormal, median: 4m, sigma: 0.5}", D);
    expect_params(&d, MR_DIST_LOGNORMAL, 240e9, 0.5, 0);
    d = parse_ok("{dist: triangular, min: 10m, mode: 20m, max: 1h}", D);
    expect_params(&d, MR_DIST_TRIANGULAR, 600e9, 1200e9, 3600e9);
    d = parse_ok("{dist: weibull, scale: 30d, shape: 1.5}", D);
    expect_params(&d, MR_DIST_WEIBULL, 30 * 86400e9, 1.5, 0);
    d = parse_ok("{dist: pareto, scale: 1m, shape: 1.5}", D);
    expect_params(&d, MR_DIST_PARETO, 60e9, 1.5, 0);

    d = parse_ok("{dist: empirical, values: [12s, 15s, 40s]}", D);
    cr_assert_eq(d.kind, MR_DIST_EMPIRICAL);
    cr_assert_eq(d.n, 3);
    cr_expect_float_eq(d.values[1], 15e9, REL);
    mr_dist_fini(&d);

    d = parse_ok("{dist: mix, of: [{p: 0.9, dist: const, value: 0s}, "
                 "{p: 10%, dist: lognormal, median: 5m, sigma: 1.0}]}",
                 D);
    cr_assert_eq(d.kind, MR_DIST_MIX);
    cr_assert_eq(d.n, 2);
    cr_expect_float_eq(d.p[1], 0.1, REL);
    expect_params(&d.parts[1], MR_DIST_LOGNORMAL, 300e9, 1.0, 0);
    mr_dist_fini(&d);
}

Test(distspec, lognormal_by_median_and_a_quantile)
{
    /* "Usually 4 minutes, 1 in 20 over 9": sigma = ln(9 / 4) / z(0.95). */
    const double z95 = 1.6448536269514722, z90 = 1.2815515655446004, z99 = 2.3263478740408408;
    mr_dist d = parse_ok("{dist: lognormal, median: 4m, p95: 9m}", D);
    cr_expect_eq(d.kind, MR_DIST_LOGNORMAL);
    cr_expect_float_eq(d.a, 240e9, 1e-9 * 240e9);
    cr_expect_float_eq(d.b, log(9.0 / 4.0) / z95, 1e-9);
    d = parse_ok("{dist: lognormal, median: 20s, p90: 60s}", D);
    cr_expect_float_eq(d.b, log(3.0) / z90, 1e-9);
    d = parse_ok("{dist: lognormal, median: 1s, p99: 10s}", D);
    cr_expect_float_eq(d.b, log(10.0) / z99, 1e-9);
}

Test(distspec, map_errors)
{
    EXPECT_FAIL_DOC("x: {mean: 2s}\n", D,
                    "d.yaml:1:4: error: a distribution map needs 'dist' (one of const, uniform, "
                    "exponential, normal, lognormal, triangular, weibull, pareto, empirical, mix)");
    EXPECT_FAIL_DOC("x: {dist: exponental, mean: 2s}\n", D,
                    "d.yaml:1:11: error: unknown distribution 'exponental' (known: exponential, "
                    "empirical, const, normal, lognormal, pareto, triangular, uniform, weibull, "
                    "mix)");
    EXPECT_FAIL_DOC("x: {dist: [a]}\n", D,
                    "d.yaml:1:11: error: dist: expected a distribution name, found a sequence");
    EXPECT_FAIL_DOC("x: {dist: exponential}\n", D, "d.yaml:1:4: error: exponential needs 'mean'");
    EXPECT_FAIL_DOC("x: {dist: exponential, meen: 2s}\n", D,
                    "d.yaml:1:4: error: exponential needs 'mean'",
                    "d.yaml:1:24: error: unknown key 'meen' (did you mean 'mean'?)");
    EXPECT_FAIL_DOC("x: {dist: uniform, min: 1s, max: 2s, foo: 3}\n", D,
                    "d.yaml:1:38: error: unknown key 'foo' (valid keys: dist, min, max)");
    EXPECT_FAIL_DOC("x: {dist: uniform, min: 10, max: {a: 1}}\n", D,
                    "d.yaml:1:25: error: missing unit in '10': write e.g. 10s or 10m (units: ns, "
                    "us, ms, s, m, h, d, y)",
                    "d.yaml:1:34: error: max of uniform: expected a duration (such as 30s), found "
                    "a map");
    EXPECT_FAIL_DOC("x: {dist: weibull, scale: 30d, shape: 2d}\n", D,
                    "d.yaml:1:39: error: shape of weibull is a plain number, without a unit; found "
                    "'2d'");
    EXPECT_FAIL_DOC("x:\n  dist: uniform\n  min: 50s\n  max: 10s\n", D,
                    "d.yaml:2:3: error: uniform needs min <= max (found min 50s, max 10s)");
    EXPECT_FAIL_DOC("x: {dist: lognormal, median: 4m}\n", D,
                    "d.yaml:1:4: error: lognormal needs 'sigma' or one of 'p90', 'p95', 'p99' "
                    "besides 'median'");
    EXPECT_FAIL_DOC("x: {dist: lognormal, median: 4m, sigma: 0.5, p95: 9m, p99: 20m}\n", D,
                    "d.yaml:1:46: error: lognormal takes one of 'sigma', 'p90', 'p95', 'p99', "
                    "found both 'sigma' and 'p95'");
    EXPECT_FAIL_DOC("x: {dist: lognormal, median: 9m, p95: 4m}\n", D,
                    "d.yaml:1:4: error: lognormal needs 0 < median < p95 (found median 9m, p95 "
                    "4m)");
    EXPECT_FAIL_DOC("x: {dist: lognormal, median: 4m, p95: 9}\n", D,
                    "d.yaml:1:39: error: missing unit in '9': write e.g. 9s or 9m (units: ns, us, "
                    "ms, s, m, h, d, y)");
    EXPECT_FAIL_DOC("x: {dist: lognormal, sigma: 1}\n", D,
                    "d.yaml:1:4: error: lognormal needs 'median'");
    EXPECT_FAIL_DOC("x: [1s, 2s]\n", D,
                    "d.yaml:1:4: error: expected a duration (such as 30s) or a distribution, found "
                    "a sequence");
    EXPECT_FAIL_DOC("x:\n", N,
                    "d.yaml:1:3: error: expected a number or a distribution, found null");
}

Test(distspec, mix_and_empirical_map_errors)
{
    EXPECT_FAIL_DOC("x: {dist: mix}\n", D,
                    "d.yaml:1:4: error: mix needs 'of': a list of {p: ..., dist: ...}");
    EXPECT_FAIL_DOC("x: {dist: mix, of: []}\n", D,
                    "d.yaml:1:20: error: of: expected a non-empty sequence of {p: ..., dist: ...}, "
                    "found an empty one");
    EXPECT_FAIL_DOC("x: {dist: mix, of: [1s]}\n", D,
                    "d.yaml:1:21: error: a part of mix must be a map such as {p: 0.9, dist: const, "
                    "value: 0s}, found a value");
    EXPECT_FAIL_DOC("x: {dist: mix, of: [{dist: const, value: 1s}]}\n", D,
                    "d.yaml:1:21: error: a part of mix needs 'p', its probability");
    EXPECT_FAIL_DOC("x: {dist: mix, of: [{p: 0.5, dist: const, value: 1s}, "
                    "{p: 0.4, dist: const, value: 2s}]}\n",
                    D, "d.yaml:1:20: error: mix probabilities must sum to 1, found 0.9");
    EXPECT_FAIL_DOC("x: {dist: mix, of: [{p: 2, dist: const, value: 1s, q: 1}]}\n", D,
                    "d.yaml:1:25: error: a probability must be in [0, 1], found '2'",
                    "d.yaml:1:52: error: unknown key 'q' (valid keys: dist, p, value)");
    EXPECT_FAIL_DOC("x: {dist: mix, of: [{p: {a: 1}, dist: const, value: 1s}]}\n", D,
                    "d.yaml:1:25: error: p: expected a probability, found a map");
    EXPECT_FAIL_DOC("x: {dist: empirical}\n", D,
                    "d.yaml:1:4: error: empirical needs 'values' or 'file'");
    EXPECT_FAIL_DOC("x: {dist: empirical, values: [1s], file: a.csv}\n", D,
                    "d.yaml:1:36: error: empirical takes 'values' or 'file', not both");
    EXPECT_FAIL_DOC("x: {dist: empirical, values: [1s], unit: s}\n", D,
                    "d.yaml:1:36: error: unit: applies to the values of a file only");
    EXPECT_FAIL_DOC("x: {dist: empirical, values: []}\n", D,
                    "d.yaml:1:30: error: values: expected a non-empty sequence such as [12s, 15s], "
                    "found an empty one");
    EXPECT_FAIL_DOC("x: {dist: empirical, values: [1s, 2, 3s, x]}\n", D,
                    "d.yaml:1:35: error: missing unit in '2': write e.g. 2s or 2m (units: ns, us, "
                    "ms, s, m, h, d, y)",
                    "d.yaml:1:42: error: expected a duration such as 30s, found 'x'");
    EXPECT_FAIL_DOC("x: {dist: empirical, file: [a]}\n", D,
                    "d.yaml:1:28: error: file: expected a file name, found a sequence");
}

/* ---- Empirical from a CSV file ----------------------------------------- */

/* Loads the spec file tmpdir/s.yaml holding "x: SPEC" and parses x. */
static int parse_file_spec(const char *spec, mr_unit_kind kind, mr_dist *out, mr_diag *d,
                           char *yaml_path, size_t n)
{
    char text[512];
    snprintf(text, sizeof text, "x: %s\n", spec);
    write_tmp("s.yaml", text);
    snprintf(yaml_path, n, "%s/s.yaml", tmpdir);
    mr_doc *doc;
    cr_assert_eq(mr_doc_load_file(yaml_path, &doc, d), MR_OK);
    int rc = mr_distspec_node(mr_node_get(doc->root, "x"), kind, out, d);
    mr_doc_free(doc);
    return rc;
}

Test(distspec, empirical_from_a_csv_next_to_the_scenario, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
    write_tmp("lag.csv", "lag\n# measured in May\n12s\n\n 15s \n\"40s\"\n");
    write_tmp("bare.csv", "0.5\n1.5\n");
    write_tmp("nums.csv", "1\n2.5\n");
    char yaml[512];
    mr_diag *d = mr_diag_new();
    mr_dist out;
    cr_assert_eq(parse_file_spec("{dist: empirical, file: lag.csv}", D, &out, d, yaml, sizeof yaml),
                 MR_OK);
    cr_assert_eq(out.n, 3);
    cr_expect_float_eq(out.values[0], 12e9, REL);
    cr_expect_float_eq(out.values[1], 15e9, REL);
    cr_expect_float_eq(out.values[2], 40e9, REL);
    mr_dist_fini(&out);

    cr_assert_eq(parse_file_spec("{dist: empirical, file: bare.csv, unit: ms}", D, &out, d, yaml,
                                 sizeof yaml),
                 MR_OK);
    cr_assert_eq(out.n, 2);
    cr_expect_float_eq(out.values[1], 1.5e6, REL);
    mr_dist_fini(&out);

    cr_assert_eq(
        parse_file_spec("{dist: empirical, file: nums.csv}", N, &out, d, yaml, sizeof yaml), MR_OK);
    cr_expect_float_eq(out.values[1], 2.5, REL);
    mr_dist_fini(&out);
    cr_expect_eq(mr_diag_count(d), 0);
    mr_diag_free(d);
}

Test(distspec, csv_problems_are_located_in_the_csv, .init = make_tmpdir, .fini = remove_tmpdir)
{
    write_tmp("bad.csv", "lag\n12s\n7\n1s,2s\n  zz\n");
    write_tmp("empty.csv", "# nothing\n");
    char yaml[512], csv[512], want[1024];
    mr_diag *d = mr_diag_new();
    mr_dist out;
    cr_assert_eq(parse_file_spec("{dist: empirical, file: bad.csv}", D, &out, d, yaml, sizeof yaml),
                 MR_ESCENARIO);
    snprintf(csv, sizeof csv, "%s/bad.csv", tmpdir);
    cr_assert_eq(mr_diag_count(d), 3);
    snprintf(want, sizeof want,
             "%s:3:1: error: missing unit in '7': write e.g. 7s or 7m (units: ns, us, ms, s, m, h, "
             "d, y)",
             csv);
    cr_expect_str_eq(mr_diag_line(d, 0), want);
    snprintf(want, sizeof want, "%s:4:1: error: expected one value per line, found '1s,2s'", csv);
    cr_expect_str_eq(mr_diag_line(d, 1), want);
    snprintf(want, sizeof want, "%s:5:3: error: expected a duration such as 30s, found 'zz'", csv);
    cr_expect_str_eq(mr_diag_line(d, 2), want);
    mr_diag_free(d);

    d = mr_diag_new();
    cr_assert_eq(
        parse_file_spec("{dist: empirical, file: empty.csv}", D, &out, d, yaml, sizeof yaml),
        MR_ESCENARIO);
    snprintf(want, sizeof want, "%s:1:28: error: '%s/empty.csv' holds no values", yaml, tmpdir);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect_str_eq(mr_diag_line(d, 0), want);
    mr_diag_free(d);

    d = mr_diag_new();
    cr_assert_eq(
        parse_file_spec("{dist: empirical, file: none.csv}", D, &out, d, yaml, sizeof yaml),
        MR_EIO);
    snprintf(want, sizeof want,
             "%s:1:28: error: cannot open '%s/none.csv': No such file or directory", yaml, tmpdir);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect_str_eq(mr_diag_line(d, 0), want);
    mr_diag_free(d);

    d = mr_diag_new();
    cr_assert_eq(parse_file_spec("{dist: empirical, file: bad.csv, unit: parsec}", D, &out, d, yaml,
                                 sizeof yaml),
                 MR_ESCENARIO);
    snprintf(want, sizeof want,
             "%s:1:43: error: unit: expected a duration unit (ns, us, ms, s, m, h, d, y), found "
             "'parsec'",
             yaml);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect_str_eq(mr_diag_line(d, 0), want);
    mr_diag_free(d);

    d = mr_diag_new();
    cr_assert_eq(
        parse_file_spec("{dist: empirical, file: bad.csv, unit: s}", N, &out, d, yaml, sizeof yaml),
        MR_ESCENARIO);
    snprintf(want, sizeof want, "%s:1:43: error: unit: only the values of a duration take one",
             yaml);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_expect_str_eq(mr_diag_line(d, 0), want);
    mr_diag_free(d);
}

/* ---- Ownership --------------------------------------------------------- */

Test(distspec, draws_follow_the_parsed_distribution)
{
    /* A smoke check that what the parser builds is a working dist: the mean
     * of a parsed exponential(2s) over many draws is near 2 s. */
    mr_dist d = parse_ok("exponential(2s)", D);
    mr_rng *r = mr_rng_new(42, 0, "distspec");
    double sum = 0;
    for (int i = 0; i < 20000; i++)
        sum += (double)mr_dist_sample_time(&d, r);
    cr_expect(fabs(sum / 20000 - 2e9) < 5 * 2e9 / sqrt(20000.0), "mean %g", sum / 20000);
    mr_rng_free(r);
    mr_dist_fini(&d);
}
