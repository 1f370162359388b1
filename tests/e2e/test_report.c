/* tests/e2e/test_report.c: `mrsim report` (docs/figures.md "The report"):
 * a Markdown page whose image links all resolve and whose table agrees
 * with `compare --json` to the printed digits; an HTML page that is one
 * self-contained file (no external reference) with every figure inlined;
 * the refusals. */
#include <criterion/criterion.h>
#include <math.h>

#include "e2e.h"
#include "out/human.h"

#define FIX MRSIM_SOURCE_DIR "/tests/fixtures/run/"
#define DIR "/tmp/mrsim-test-report"

static void make_db(const char *dir, char **json)
{
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s'", dir, dir);
    run_free(&r);
    char args[1024];
    snprintf(args, sizeof args, "'%svariants.yaml' -n 4 -j 1 --db '%s/cmp.db' -q --json", FIX,
             dir);
    r = e2e_run("compare", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    *json = r.out;
    free(r.err);
}

Test(report, markdown_links_resolve_and_the_table_matches_compare, .timeout = 300)
{
    char *json;
    make_db(DIR, &json);
    run_out r = e2e_run("report", "'" DIR "/cmp.db' --out '" DIR "/review.md'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *md = slurp(DIR "/review.md");
    cr_expect(strstr(md, "# tiny-variants") != NULL || strstr(md, "design review") != NULL);
    /* Every image link resolves, relative to the page. */
    int links = 0;
    for (const char *p = md; (p = strstr(p, "](")) != NULL; p += 2) {
        const char *e = strchr(p + 2, ')');
        cr_assert_not_null(e);
        char path[512];
        snprintf(path, sizeof path, DIR "/%.*s", (int)(e - p - 2), p + 2);
        cr_expect(access(path, R_OK) == 0, "broken link %s", path);
        links++;
    }
    cr_expect_geq(links, 3, "the figures are linked");
    /* The availability of ttl-300s as compare --json gives it, printed
     * as the tables print a share (sim/out/human.c). */
    const char *v = strstr(json, "\"ttl-300s\"");
    cr_assert_not_null(v, "%s", json);
    const char *a = strstr(v, "\"availability\"");
    cr_assert_not_null(a);
    const char *m = strstr(a, "\"mean\":");
    cr_assert_not_null(m);
    double mean = strtod(m + 7, NULL);
    char want[MR_HU_LEN];
    mr_hu_percent(want, sizeof want, mean);
    cr_expect(strstr(md, want) != NULL, "%s (from compare --json) not in the report", want);
    cr_expect(strstr(md, "## Paired differences") != NULL || strstr(md, "### Paired") != NULL);
    cr_expect(strstr(md, "## Assumptions") != NULL && strstr(md, "## Reproduce") != NULL);
    free(md);
    free(json);
    run_free(&r);
}

Test(report, html_is_one_self_contained_file, .timeout = 300)
{
    char *json;
    make_db(DIR "2", &json);
    free(json);
    run_out r = e2e_run("report", "'" DIR "2/cmp.db' --out '" DIR "2/review.html'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *h = slurp(DIR "2/review.html");
    cr_expect(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    cr_expect(strstr(h, "</html>") != NULL);
    cr_expect(strstr(h, "src=") == NULL, "an external image");
    cr_expect(strstr(h, "<link") == NULL && strstr(h, "<script") == NULL);
    cr_expect(strstr(h, "href=\"http") == NULL && strstr(h, "url(http") == NULL);
    int svgs = 0;
    for (const char *p = h; (p = strstr(p, "<svg")) != NULL; p++)
        svgs++;
    cr_expect_geq(svgs, 3, "the figures are inlined");
    /* Balanced: every <table> and <figure> closes. */
    int open = 0, close = 0;
    for (const char *p = h; (p = strstr(p, "<table>")) != NULL; p++)
        open++;
    for (const char *p = h; (p = strstr(p, "</table>")) != NULL; p++)
        close++;
    cr_expect_eq(open, close);
    free(h);
    run_free(&r);
}

Test(report, refusals, .timeout = 120)
{
    run_out r = e2e_run("report", "'" DIR "3/nosuch.db' --out '" DIR "3/x.md'");
    cr_expect_eq(r.status, 5);
    run_free(&r);
    r = e2e_run("report", "'" DIR "3/nosuch.db'");
    cr_expect_eq(r.status, 2);
    run_free(&r);
    r = e2e_run("report", "x.db --out y.md --format pdf");
    cr_expect_eq(r.status, 2);
    run_free(&r);
}
