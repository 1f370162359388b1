/* tests/e2e/test_ranges.c: every key with a documented range, at its
 * minimum and maximum and one step beyond each (issue 14, "Range-limit
 * tests"). The cases come from `mrsim validate --keys`, the key tables that
 * docs/scenario-format.md is generated from, so a new key is covered
 * without touching this file. Each case is a --set on a fixture that has
 * the key's section (SECTIONS below: a section missing from it fails the
 * test, so a new section needs one line here):
 *   - at the minimum or the maximum, `validate` exits 0 or 4, never with
 *     the key itself "out of range"; when it exits 0 one replication of
 *     35 simulated minutes at 5 requests/s runs cleanly (exit 0 or 4: a
 *     combination rule may refuse it, located);
 *   - one step beyond, `validate` exits 4 with a located --set error;
 *   - never another exit status, a hang (timeout -s KILL), or a sanitizer
 *     report (the test runs under ASan and UBSan in the sanitizer build).
 * Keys of run.* are validated only (their maximum horizon is decades). */
#include <ctype.h>
#include <math.h>

#include "e2e.h"

typedef struct section {
    const char *name;   /* as --keys prints it between backquotes */
    const char *file;   /* fixture under tests/fixtures/, "" for none (skipped) */
    const char *prefix; /* dotted path of its keys, "" for the top level */
    const char *before; /* a --set applied first ("" for none) */
} section;

#define APT "good/active-passive-tm.yaml"
static const section SECTIONS[] = {
    {"(top level)", APT, "", ""},
    {"run", APT, "run.", ""},
    {"run.replications (map form)", APT, "run.replications.", "run.replications={min: 2, max: 4}"},
    {"run.replications.until", APT, "run.replications.until.",
     "run.replications={min: 2, max: 4, until: {metric: rto_s, rel_ci_half_width: 0.1}}"},
    {"regions[]", APT, "regions[0].", ""},
    {"rtt", APT, "rtt.", ""},
    {"dependencies[]", APT, "dependencies[0].", ""},
    {"clusters[]", APT, "clusters[0].", ""},
    {"clusters[].nodes", APT, "clusters[0].nodes.", ""},
    {"clusters[].pods", APT, "clusters[0].pods.", ""},
    {"clusters[].autoscaler", APT, "clusters[0].autoscaler.", ""},
    {"clusters[].cold", "good/cold-runbook.yaml", "clusters[1].cold.", ""},
    {"clusters[].ingress", APT, "clusters[0].ingress.", ""},
    {"clusters[].ingress (kind: agc)", APT, "clusters[0].ingress.", ""},
    {"clusters[].ingress (kind: nginx)", APT, "clusters[0].ingress.", "clusters[0].ingress={kind: nginx}"},
    {"traffic", APT, "traffic.", ""},
    {"traffic (kind: traffic_manager)", APT, "traffic.", ""},
    {"traffic (kind: front_door)", "good/active-active-fd.yaml", "traffic.", ""},
    {"traffic (kind: dns)", "run/aggregate-dns.yaml", "traffic.", ""},
    {"traffic.endpoints[] / traffic.origins[]", APT, "traffic.endpoints[0].", ""},
    {"resolvers[]", APT, "resolvers[0].", ""},
    {"resolvers[].ttl_policy[]", APT, "resolvers[0].ttl_policy[0].", ""},
    {"clients[]", APT, "clients[0].", ""},
    {"clients[].profile (map form)", APT, "clients[0].profile.", "clients[0].profile={kind: diurnal}"},
    {"clients[].mix", APT, "clients[0].mix.", "clients[0].mix={}"},
    {"clients[].retry", APT, "clients[0].retry.", ""},
    {"datastores[]", APT, "datastores[0].", ""},
    {"datastores[] (kind: sql)", APT, "datastores[0].", ""},
    {"datastores[] (kind: cosmos)", "good/active-active-fd.yaml", "datastores[0].", ""},
    {"datastores[] (kind: redis)", "run/tiny-sql.yaml", "datastores[0].", ""},
    {"datastores[] (kind: blob)", "run/tiny-sql.yaml", "datastores[2].", ""},
    {"datastores[].replicas[]", APT, "datastores[0].replicas[0].", ""},
    {"faults[]", APT, "faults[0].", ""},
    {"faults[].target (selector form)", APT, "faults[0].target.", ""},
    {"faults[].repeat", APT, "faults[0].repeat.", "faults[0].repeat={every: 1h}"},
    {"faults[].ramp", APT, "faults[0].ramp.", ""},
    {"faults[].expect", APT, "faults[0].expect.", ""},
    {"failover", APT, "failover.", ""},
    {"failover.actions[]", APT, "failover.actions[0].", ""},
    {"failover.failback", APT, "failover.failback.", ""},
    {"failover.runbook", "good/cold-runbook.yaml", "failover.runbook.", ""},
    {"slo", APT, "slo.", ""},
    {"slo.targets / slo.steady_state", APT, "slo.targets.", ""},
    {"cost", APT, "cost.", ""},
    {"stamps[]", "../../scenarios/stamps-fd.yaml", "stamps[0].", ""},
    {"analyze", "composite/two-regions.yaml", "analyze.", ""},
    {"variants[]", "", "", ""},
    {"recommend", "run/recommend-tm.yaml", "recommend.", ""},
    {"recommend.space (map form of a key)", "", "", ""},
};

static const section *find_section(const char *name)
{
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
        if (strcmp(SECTIONS[i].name, name) == 0)
            return &SECTIONS[i];
    return NULL;
}

/* A bound as a number in its unit: durations in seconds, rates per second. */
typedef struct bound {
    double v;
    const char *unit; /* "s", "/s" or "" */
} bound;

static int parse_bound(const char *text, const char *type, bound *b)
{
    char *end;
    b->v = strtod(text, &end);
    if (end == text)
        return -1;
    b->unit = "";
    if (strcmp(type, "duration") == 0) {
        static const struct {
            const char *u;
            double s;
        } units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1},
                     {"m", 60},    {"h", 3600}, {"d", 86400}, {"y", 31536000}};
        double scale = NAN;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strcmp(end, units[i].u) == 0)
                scale = units[i].s;
        if (isnan(scale) && *end == '\0' && b->v == 0)
            scale = 1;
        if (isnan(scale))
            return -1;
        b->v *= scale;
        b->unit = "s";
    } else if (strcmp(type, "rate") == 0) {
        b->unit = "/s";
    } else if (*end != '\0') {
        return -1;
    }
    return 0;
}

/* The value text of x in b's unit: integers exact, others to 12 digits. */
static void value_text(char *buf, size_t n, double x, const bound *b, int integer)
{
    if (integer || (x == floor(x) && fabs(x) < 1e15))
        snprintf(buf, n, "%.0f%s", x, b->unit);
    else
        snprintf(buf, n, "%.12g%s", x, b->unit);
}

typedef struct tally {
    int cases, ran, refused_in_range, failures, validated_only;
} tally;

static void check_case(const section *s, const char *key, const char *value, int beyond,
                       tally *t)
{
    char path[256];
    snprintf(path, sizeof path, "%s%s", s->prefix, key);
    char before[300] = "";
    if (s->before[0])
        snprintf(before, sizeof before, "--set '%s'", s->before);
    char file[512];
    snprintf(file, sizeof file, "%s/tests/fixtures/%s", MRSIM_SOURCE_DIR, s->file);
    t->cases++;
    run_out v = e2e_sh("timeout -s KILL 60 '%s' validate '%s' %s --set '%s=%s'", MRSIM_BINARY,
                       file, before, path, value);
    char oor[300];
    snprintf(oor, sizeof oor, "%s: %s is out of range [", path, value); /* the binder's */
    int bad = strstr(v.err, "runtime error") || strstr(v.err, "Sanitizer");
    if (beyond)
        bad = bad || v.status != 4 || strstr(v.err, "--set:1:") == NULL;
    else
        bad = bad || (v.status != 0 && v.status != 4) || strstr(v.err, oor) != NULL ||
              strstr(v.err, "out of range: write a fraction") != NULL;
    if (bad) {
        t->failures++;
        cr_log_error("%s=%s (%s, %s): validate exit %d\n%s", path, value, s->file,
                     beyond ? "beyond" : "in range", v.status, v.err);
    }
    if (!beyond && v.status == 4)
        t->refused_in_range++;
    if (!bad && !beyond && v.status == 0) {
        if (strncmp(path, "run.", 4) == 0) {
            t->validated_only++;
        } else {
            /* A short run: 35 simulated minutes (past the fixtures' faults)
             * at 5 requests/s, set before the case so that it wins. */
            run_out r = e2e_sh("timeout -s KILL 120 '%s' run '%s' -n 1 -j 1 -q --set "
                               "run.horizon=35m --set run.warmup=1m --set 'clients[0].rate=5/s' "
                               "%s --set '%s=%s'",
                               MRSIM_BINARY, file, before, path, value);
            if ((r.status != 0 && r.status != 4) || strstr(r.err, "runtime error") ||
                strstr(r.err, "Sanitizer")) {
                t->failures++;
                cr_log_error("%s=%s (%s): run exit %d\n%s", path, value, s->file, r.status,
                             r.err);
            } else if (r.status == 0) {
                t->ran++;
            }
            run_free(&r);
        }
    }
    run_free(&v);
}

/* Splits a table row "| a | b | ... |" into at most n trimmed cells. */
static size_t cells(char *row, char **out, size_t n)
{
    size_t k = 0;
    char *p = strchr(row, '|');
    while (p && k < n) {
        char *q = strchr(p + 1, '|');
        if (q == NULL)
            break;
        *q = '\0';
        char *c = p + 1;
        while (*c == ' ')
            c++;
        char *e = c + strlen(c);
        while (e > c && e[-1] == ' ')
            *--e = '\0';
        out[k++] = c;
        p = q;
    }
    return k;
}

Test(ranges, every_key_at_and_beyond_its_documented_range, .timeout = 1200)
{
    run_out keys = e2e_run("validate", "--keys");
    cr_assert_eq(keys.status, 0, "%s", keys.err);
    tally t = {0};
    const section *cur = NULL;
    char *save = NULL;
    int keys_seen = 0;
    for (char *line = strtok_r(keys.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "### `", 5) == 0) {
            char name[200];
            snprintf(name, sizeof name, "%s", line + 5);
            char *q = strrchr(name, '`');
            if (q)
                *q = '\0';
            cur = find_section(name);
            cr_assert_not_null(cur, "section '%s' of --keys has no fixture in test_ranges.c", name);
            continue;
        }
        char *c[8];
        if (cur == NULL || cur->file[0] == '\0' || line[0] != '|' ||
            cells(line, c, 8) < 4 || c[0][0] != '`')
            continue;
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)strlen(c[0]) - 2, c[0] + 1);
        const char *type = c[1], *range = c[3];
        char lo_t[64], hi_t[64];
        if (range[0] != '[' || sscanf(range, "[%63[^,], %63[^]]]", lo_t, hi_t) != 2)
            continue;
        bound lo, hi;
        if (parse_bound(lo_t, type, &lo) != 0 || parse_bound(hi_t, type, &hi) != 0) {
            cr_log_warn("%s%s: range %s of type %s not understood", cur->prefix, key, range, type);
            continue;
        }
        keys_seen++;
        int integer = strcmp(type, "integer") == 0;
        /* One step: 1 for integers, 1 ms for durations, else a millionth
         * of the range (at least 1e-9). */
        double step = integer ? 1
                      : strcmp(type, "duration") == 0
                          ? 1e-3
                          : fmax(1e-9, (hi.v - lo.v) * 1e-6);
        char val[64];
        value_text(val, sizeof val, lo.v, &lo, integer);
        check_case(cur, key, val, 0, &t);
        value_text(val, sizeof val, hi.v, &hi, integer);
        check_case(cur, key, val, 0, &t);
        value_text(val, sizeof val, lo.v - step, &lo, integer);
        check_case(cur, key, val, 1, &t);
        value_text(val, sizeof val, hi.v + (strcmp(type, "duration") == 0 ? 1 : step), &hi,
                   integer);
        check_case(cur, key, val, 1, &t);
    }
    run_free(&keys);
    cr_log_info("%d keys, %d cases: %d replications ran, %d in-range values refused by another "
                "rule, %d validated only (run.*)",
                keys_seen, t.cases, t.ran, t.refused_in_range, t.validated_only);
    cr_assert_geq(keys_seen, 80, "only %d ranged keys found in --keys", keys_seen);
    cr_assert_geq(t.ran, keys_seen, "only %d replications ran for %d keys", t.ran, keys_seen);
    cr_assert_eq(t.failures, 0, "%d of %d cases failed (see above)", t.failures, t.cases);
}
