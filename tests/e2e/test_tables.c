/* tests/e2e/test_tables.c: issue 12 item 8, "impossible intervals and
 * unreadable numbers", one test per point, each failing on the output
 * before the change: negative CI bounds on RPO and lost writes; a
 * staleness printed as 3.49798e+06; 17 significant digits in analyze;
 * "1 replications"; horizons in raw seconds; tables wider than 80 columns. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define SCEN(name) MRSIM_SOURCE_DIR "/scenarios/" name
#define FIX(name) MRSIM_SOURCE_DIR "/tests/fixtures/run/" name

static run_out mrsim(const char *cmd, const char *args)
{
    run_out r = e2e_run(cmd, args);
    cr_assert_eq(r.status, 0, "mrsim %s %s: %d\n%s", cmd, args, r.status, r.err);
    return r;
}

/* The name of the JSON key before position p: the last "KEY": before it. */
static void key_before(const char *doc, const char *p, char *key, size_t n)
{
    const char *end = p;
    while (end > doc && !(end[0] == ':' && end[-1] == '"' && end[1] == ' ' && end[2] == '{'))
        end--;
    const char *start = end - 1;
    while (start > doc && start[-1] != '"')
        start--;
    snprintf(key, n, "%.*s", (int)(end - 1 - start), start);
}

/* data-choices' RPO and lost writes come from a few forced failovers: three
 * replications with one large value give a t interval below 0 (its RPO
 * [-1.96, 6.55] s, lost writes [-94.5, 307.8]). Every interval of a run
 * now lies in its metric's range: >= 0 except the incident cost, <= 1 for
 * availability and ratios; and each says how it was made. */
Test(tables, intervals_stay_in_the_metric_range, .timeout = 120)
{
    run_out r = mrsim("run", SCEN("data-choices.yaml") " -q -n 3 -j 2 --json");
    int checked = 0, bootstrapped = 0;
    for (const char *p = strstr(r.out, "\"ci95\": ["); p; p = strstr(p + 1, "\"ci95\": [")) {
        char key[64], *end;
        key_before(r.out, p, key, sizeof key);
        const char *m = strstr(p, "\"ci_method\": ");
        cr_assert(m && (m - p) < 300, "no ci_method after %s's ci95", key);
        if (strncmp(m + 13, "\"bootstrap-bca\"", 15) == 0)
            bootstrapped++;
        if (strncmp(p + 9, "null", 4) == 0)
            continue;
        double lo = strtod(p + 9, &end), hi = strtod(end + 1, NULL);
        if (strcmp(key, "incident_cost_usd") != 0)
            cr_expect(lo >= 0, "%s: ci95 [%g, %g] below 0", key, lo, hi);
        if (strcmp(key, "availability") == 0 || strcmp(key, "stale_read_ratio") == 0)
            cr_expect(hi <= 1, "%s: ci95 [%g, %g] above 1", key, lo, hi);
        checked++;
    }
    cr_assert(checked >= 10, "%d intervals", checked);
    cr_assert(bootstrapped >= 2, "rpo_s and lost_writes need the bootstrap: %d", bootstrapped);
    const char *rpo = strstr(r.out, "\"rpo_s\": {");
    cr_assert(rpo && strstr(rpo, "\"ci_method\": \"bootstrap-bca\"") - rpo < 300, "%s", r.out);
    run_free(&r);
}

/* 1 when s holds a number in scientific notation: a digit, 'e' or 'E', an
 * optional sign, a digit. */
static int has_exponent(const char *s)
{
    for (const char *p = s + 1; *p; p++)
        if ((*p == 'e' || *p == 'E') && isdigit((unsigned char)p[-1])) {
            const char *q = p + 1 + (p[1] == '+' || p[1] == '-');
            if (isdigit((unsigned char)*q))
                return 1;
        }
    return 0;
}

static int widest_line(const char *s)
{
    int w = 0;
    for (const char *p = s; *p;) {
        int n = (int)strcspn(p, "\n");
        w = n > w ? n : w;
        p += n + (p[n] == '\n');
    }
    return w;
}

/* The run table: staleness p99 3,497,980 ms reads 58m 18s, not
 * 3.49798e+06; the horizon 14400 s reads 4h 00m; within 80 columns. */
Test(tables, the_run_table_reads_in_human_units, .timeout = 120)
{
    run_out r = mrsim("run", SCEN("data-choices.yaml") " -q -n 3 -j 2");
    cr_expect(!has_exponent(r.out), "scientific notation in\n%s", r.out);
    cr_expect(strstr(r.out, "data-choices (" SCEN("data-choices.yaml")
                            "): 3 replications of 4h 00m, seed 42\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "\nstaleness_p99 ") && strstr(r.out, " 58m 18s "), "%s", r.out);
    cr_expect(strstr(r.out, "[-") == NULL, "a negative bound:\n%s", r.out);
    /* The first line names the file as given (here an absolute path). */
    const char *table = strchr(r.out, '\n');
    cr_expect(widest_line(table) <= 80, "%d columns:\n%s", widest_line(table), r.out);
    run_free(&r);
}

Test(tables, one_replication_is_singular, .timeout = 60)
{
    run_out r = mrsim("run", FIX("tiny-tm.yaml") " -q -n 1");
    cr_expect(strstr(r.out, ": 1 replication of 10m 00s, seed 7\n"), "%s", r.out);
    cr_expect(strstr(r.out, "1 replications") == NULL, "%s", r.out);
    run_free(&r);
}

/* Significant digits of the number starting at p (sign, digits, point,
 * exponent); *len gets its length. */
static int significant(const char *p, size_t *len)
{
    size_t n = strspn(p, "-+0123456789.eE");
    *len = n;
    int sig = 0, lead = 1;
    for (size_t i = 0; i < n && p[i] != 'e' && p[i] != 'E'; i++) {
        if (!isdigit((unsigned char)p[i]))
            continue;
        if (p[i] == '0' && lead)
            continue;
        lead = 0;
        sig++;
    }
    return sig;
}

/* analyze --json printed %.17g (206.23012924599999); twelve digits now. */
Test(tables, analyze_json_has_at_most_twelve_digits, .timeout = 120)
{
    run_out r = mrsim("analyze", SCEN("active-passive-tm.yaml") " --json");
    int numbers = 0;
    for (const char *p = r.out; *p;) {
        if (p[0] == ':' && p[1] == ' ' && (isdigit((unsigned char)p[2]) || p[2] == '-')) {
            size_t len;
            int sig = significant(p + 2, &len);
            cr_expect(sig <= 12, "%d digits: %.*s", sig, (int)len, p + 2);
            numbers++;
            p += 2 + len;
        } else {
            p++;
        }
    }
    cr_assert(numbers > 20, "%d numbers", numbers);
    run_free(&r);
}

/* analyze's table: the clients' p99 switch 1755.4 s reads 29m 15s. */
Test(tables, analyze_table_reads_in_human_units, .timeout = 120)
{
    run_out r = mrsim("analyze", SCEN("active-passive-tm.yaml"));
    cr_expect(!has_exponent(r.out), "%s", r.out);
    cr_expect(strstr(r.out, "29m 15s"), "%s", r.out);
    cr_expect(strstr(r.out, "1755.4") == NULL, "%s", r.out);
    run_free(&r);
}

/* compare's differences: cost-only changes no availability (common random
 * numbers: the same replications), so the difference is 0 points with the
 * interval [0, 0]; shares differ in percentage points, not in raw ratios. */
Test(tables, compare_differences_in_human_units, .timeout = 120)
{
    run_out r = mrsim("compare", FIX("variants.yaml") " -q -n 3");
    cr_expect(!has_exponent(r.out), "%s", r.out);
    /* The side-by-side table (issue 17): the availability's "vs base" row
     * reads 0 pp under cost-only, and the verdicts find no difference. */
    const char *a = strstr(r.out, "\navailability ");
    cr_assert(a, "%s", r.out);
    const char *vs = strstr(a, "\n  vs base ");
    cr_assert(vs, "%s", r.out);
    vs += strlen("\n  vs base ");
    vs += strspn(vs, " ");
    cr_expect(strncmp(vs, "0 pp  ", 6) == 0, "%s", r.out);
    const char *d = strstr(r.out, "cost-only vs base:\n  no difference at 95%: availability,");
    cr_expect(d, "%s", r.out);
    run_free(&r);
    /* The JSON's differences say their method too: t, or null with no pair. */
    r = mrsim("compare", FIX("variants.yaml") " -q -n 3 --json");
    cr_expect(strstr(r.out, "\"metric\": \"availability\", \"mean\": 0, \"ci95\": [0, 0], "
                            "\"ci_method\": \"t\", "),
              "%s", r.out);
    cr_expect(strstr(r.out, "\"metric\": \"rpo_s\", \"mean\": null, \"ci95\": null, "
                            "\"ci_method\": null, \"n\": 0"),
              "%s", r.out);
    run_free(&r);
}

/* sweep: means in human units, no "+/-" around a mean that hides an
 * asymmetric interval. */
Test(tables, sweep_means_in_human_units, .timeout = 120)
{
    run_out r = mrsim("sweep", FIX("slo-outage.yaml") " -q -n 2 --vary 'traffic.ttl=10s,60s'");
    cr_expect(!has_exponent(r.out) && strstr(r.out, "+/-") == NULL, "%s", r.out);
    cr_expect(strstr(r.out, "means over 2 replications (95% CIs: --json)"), "%s", r.out);
    cr_expect(strstr(r.out, "\nttl  ") && strstr(r.out, "%  "), "%s", r.out);
    cr_expect(widest_line(strchr(r.out, '\n')) <= 80, "%s", r.out);
    run_free(&r);
}

/* The bootstrap draws from a generator seeded by the values, which are the
 * same whatever the threads: the same document at -j 1 and -j 3 (wall_s
 * and the file aside). */
Test(tables, bootstrapped_intervals_do_not_depend_on_jobs, .timeout = 180)
{
    run_out a = mrsim("run", SCEN("data-choices.yaml") " -q -n 3 -j 1 --json");
    run_out b = mrsim("run", SCEN("data-choices.yaml") " -q -n 3 -j 3 --json");
    drop_line(a.out, "\"wall_s\"");
    drop_line(b.out, "\"wall_s\"");
    cr_assert(strstr(a.out, "\"bootstrap-bca\""), "%s", a.out);
    cr_assert_str_eq(a.out, b.out);
    run_free(&a);
    run_free(&b);
}
