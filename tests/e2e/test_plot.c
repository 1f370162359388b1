/* tests/e2e/test_plot.c: `mrsim plot` (docs/figures.md) on small databases
 * made here: each figure's TSV agrees with the database by value, a PNG has
 * the asked size and is not blank, an SVG is well formed, `dumb` draws the
 * title and the axis labels; the same database gives byte-identical TSV and
 * SVG; no gnuplot and an unwritable --out exit 5 with nothing written. */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>

#include "e2e.h"

#define FIX MRSIM_SOURCE_DIR "/tests/fixtures/run/"

/* A database of the tiny drill's variants (compare) and one of its sweep,
 * made once per test program under dir. */
static void make_dbs(const char *dir)
{
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s'", dir, dir);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    char args[1024];
    snprintf(args, sizeof args, "'%svariants.yaml' -n 4 -j 1 --db '%s/cmp.db' -q", FIX, dir);
    r = e2e_run("compare", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    snprintf(args, sizeof args, "'%ssweep.yaml' -n 3 -j 1 --db '%s/sweep.db' -q", FIX, dir);
    r = e2e_run("sweep", args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* One value of the database: the first column of the first row of sql. */
static double db_value(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    double v = NAN;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The field col (0-based) of the data line of tsv whose first field is key,
 * in the block after the comment line holding header. */
static double tsv_field(const char *tsv, const char *header, const char *key, int col)
{
    const char *p = strstr(tsv, header);
    cr_assert_not_null(p, "no block %s", header);
    size_t klen = strlen(key);
    for (const char *line = strchr(p, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *l = line + 1;
        if (*l == '\n')
            break; /* the block ends */
        if (*l == '#' || strncmp(l, key, klen) != 0 || l[klen] != '\t')
            continue;
        for (int c = 0; c < col; c++)
            l = strchr(l, '\t') + 1;
        return strtod(l, NULL);
    }
    cr_assert_fail("no row %s in block %s", key, header);
    return NAN;
}

static run_out plot(const char *db, const char *out, const char *more)
{
    char args[1024];
    snprintf(args, sizeof args, "'%s' --out '%s' %s", db, out, more);
    return e2e_run("plot", args);
}

/* A PNG's width and height from its IHDR chunk. */
static void png_size(const char *path, uint32_t *w, uint32_t *h)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    unsigned char b[24];
    cr_assert_eq(fread(b, 1, sizeof b, f), sizeof b);
    fclose(f);
    cr_assert(memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0, "%s is not a PNG", path);
    *w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    *h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

#define DIR "/tmp/mrsim-test-plot"

Test(plot, compare_database_figures_agree_with_the_database, .timeout = 300)
{
    make_dbs(DIR);
    run_out r = plot(DIR "/cmp.db", DIR "/png", "");
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* The kinds a comparison has data for; no sweep (no swept key). */
    const char *kinds[] = {"metrics", "timeline", "client-rto-cdf", "pareto"};
    for (size_t k = 0; k < 4; k++) {
        char png[256], tsv[256];
        snprintf(png, sizeof png, DIR "/png/%s.png", kinds[k]);
        snprintf(tsv, sizeof tsv, DIR "/png/%s.tsv", kinds[k]);
        cr_expect(strstr(r.out, png) != NULL, "%s not listed:\n%s", png, r.out);
        cr_expect(strstr(r.out, tsv) != NULL, "%s not listed", tsv);
        uint32_t w, h;
        png_size(png, &w, &h);
        cr_expect(w == 1280 && h == 720, "%s is %ux%u", png, w, h);
        /* Blank 1280 x 720 PNGs compress to about 5 KB; a drawn figure
         * with text, bars and lines is several times that. */
        cr_expect(file_size(png) > 20000, "%s looks blank (%ld bytes)", png, file_size(png));
    }
    cr_expect(strstr(r.out, "sweep") == NULL);
    cr_expect(access(DIR "/png/metrics.png.part", F_OK) != 0, "a temporary file left behind");

    /* metrics.tsv: the mean and CI of the summary view, by value. */
    char *tsv = slurp(DIR "/png/metrics.tsv");
    const char *q = "SELECT %s FROM summary WHERE variant = 'ttl-300s' AND component = ''"
                    " AND metric = 'availability'";
    char sql[512];
    snprintf(sql, sizeof sql, q, "100 * (1 - mean)");
    double want = db_value(DIR "/cmp.db", sql);
    double got = tsv_field(tsv, "# Failed requests (%)", "ttl-300s", 2);
    cr_expect(fabs(got - want) <= 1e-5 * fabs(want), "failed %% %g, database %g", got, want);
    snprintf(sql, sizeof sql, q, "100 * (1 - ci95_lo)");
    want = db_value(DIR "/cmp.db", sql);
    got = tsv_field(tsv, "# Failed requests (%)", "ttl-300s", 4);
    cr_expect(fabs(got - want) <= 1e-5 * fabs(want), "upper bound %g, database %g", got, want);
    snprintf(sql, sizeof sql,
             "SELECT mean FROM summary WHERE variant = 'base' AND component = '' AND metric ="
             " 'cost_usd_month'");
    want = db_value(DIR "/cmp.db", sql);
    got = tsv_field(tsv, "# Run-rate cost (USD/month)", "base", 2);
    cr_expect(fabs(got - want) <= 1e-5 * want, "cost %g, database %g", got, want);
    free(tsv);

    /* timeline.tsv: at the first window after the warm-up the mean of the
     * replications' success ratios, as the vector table holds them. */
    tsv = slurp(DIR "/png/timeline.tsv");
    cr_expect(strstr(tsv, "# base (4 replications)") != NULL);
    want = db_value(DIR "/cmp.db",
                    "SELECT AVG(d.value) FROM vectordata d JOIN vector v USING (vector_id) JOIN"
                    " run r USING (run_id) WHERE r.variant = 'base' AND v.metric ="
                    " 'success_ratio' AND d.t_ns = (SELECT MIN(t_ns) FROM vectordata"
                    " WHERE value < 1)");
    double t_min = db_value(DIR "/cmp.db", "SELECT MIN(t_ns) / 60e9 FROM vectordata WHERE value < 1");
    char key[64];
    snprintf(key, sizeof key, "%.6f", t_min);
    got = tsv_field(tsv, "# base (4 replications)", key, 1);
    cr_expect(fabs(got - want) < 1e-5, "timeline mean %g at %s min, database %g", got, key, want);
    free(tsv);
    run_free(&r);
}

Test(plot, sweep_database_has_a_sweep_figure, .timeout = 300)
{
    make_dbs(DIR "2");
    run_out r = plot(DIR "2/sweep.db", DIR "2/fig", "--only sweep,metrics");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, DIR "2/fig/sweep.png") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "timeline") == NULL, "--only draws only what it names");
    char *tsv = slurp(DIR "2/fig/sweep.tsv");
    /* The TTL on the x axis in seconds: 10 and 300. */
    cr_expect(strstr(tsv, "\n10\t10s\t") != NULL && strstr(tsv, "\n300\t300s\t") != NULL, "%s",
              tsv);
    free(tsv);
    run_free(&r);
}

Test(plot, svg_is_well_formed_and_deterministic, .timeout = 300)
{
    make_dbs(DIR "3");
    run_out a = plot(DIR "3/cmp.db", DIR "3/a", "--format svg");
    run_out b = plot(DIR "3/cmp.db", DIR "3/b", "--format svg");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    const char *kinds[] = {"metrics", "timeline", "client-rto-cdf", "pareto", "traffic-shift",
                           "dns-stale"};
    for (size_t k = 0; k < 6; k++) {
        char pa[256], pb[256];
        snprintf(pa, sizeof pa, DIR "3/a/%s.svg", kinds[k]);
        snprintf(pb, sizeof pb, DIR "3/b/%s.svg", kinds[k]);
        char *x = slurp(pa), *y = slurp(pb);
        cr_expect(strncmp(x, "<?xml", 5) == 0, "%s: no XML declaration", pa);
        cr_expect(strstr(x, "</svg>") != NULL, "%s: not closed", pa);
        /* Well formed enough for a browser: every <g opens and closes. */
        size_t open = 0, close = 0;
        for (const char *p = x; (p = strstr(p, "<g")) != NULL; p++)
            open += p[2] == ' ' || p[2] == '>';
        for (const char *p = x; (p = strstr(p, "</g>")) != NULL; p++)
            close++;
        cr_expect_eq(open, close, "%s: %zu <g> against %zu </g>", pa, open, close);
        cr_expect_str_eq(x, y, "%s and %s differ", pa, pb);
        free(x);
        free(y);
        snprintf(pa, sizeof pa, DIR "3/a/%s.tsv", kinds[k]);
        snprintf(pb, sizeof pb, DIR "3/b/%s.tsv", kinds[k]);
        x = slurp(pa);
        y = slurp(pb);
        cr_expect_str_eq(x, y, "%s and %s differ", pa, pb);
        free(x);
        free(y);
    }
    /* A dominated candidate (front 0, the TSV's last column) is faded in
     * the pareto figure, and only it: see-through strokes and fills. */
    char *tsv = slurp(DIR "3/a/pareto.tsv"), *svg = slurp(DIR "3/a/pareto.svg");
    size_t dominated = 0;
    for (const char *l = tsv, *nl; l && (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
        size_t tabs = 0; /* block 0's rows have nine fields; block 1's two */
        for (const char *c = l; c < nl; c++)
            tabs += *c == '\t';
        if (*l != '#' && tabs == 8)
            dominated += nl[-1] == '0' && nl[-2] == '\t';
    }
    cr_assert_gt(dominated, 0, "the test's comparison has no dominated candidate:\n%s", tsv);
    cr_expect_not_null(strstr(svg, "opacity='0.37'"), "the dominated point is not faded");
    free(tsv);
    free(svg);
    run_free(&a);
    run_free(&b);
}

Test(plot, dumb_draws_in_the_terminal, .timeout = 300)
{
    make_dbs(DIR "4");
    run_out r = plot(DIR "4/cmp.db", DIR "4/d", "--format dumb --only timeline");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "Success ratio over time") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "time since start (min)") != NULL);
    cr_expect(strstr(r.out, DIR "4/d/timeline.txt") != NULL);
    run_free(&r);
}

Test(plot, no_gnuplot_exits_5_naming_the_package_and_writes_nothing, .timeout = 300)
{
    make_dbs(DIR "5");
    run_out r = e2e_sh("MRSIM_GNUPLOT=mrsim-no-such-gnuplot '%s' plot '%s' --out '%s'",
                       MRSIM_BINARY, DIR "5/cmp.db", DIR "5/none");
    cr_expect_eq(r.status, 5);
    cr_expect(strstr(r.err, "gnuplot-nox") != NULL, "%s", r.err);
    cr_expect(access(DIR "5/none", F_OK) != 0, "the output folder was created");
    run_free(&r);
}

Test(plot, bad_input_is_refused_with_the_documented_codes, .timeout = 300)
{
    make_dbs(DIR "6");
    /* A read-only --out (skipped as root, who may write anywhere). */
    if (geteuid() != 0) {
        run_out r = e2e_sh("mkdir -p '%s' && chmod 555 '%s'", DIR "6/ro", DIR "6/ro");
        run_free(&r);
        r = plot(DIR "6/cmp.db", DIR "6/ro", "");
        cr_expect_eq(r.status, 5, "%s", r.err);
        run_free(&r);
    }
    run_out r = plot(DIR "6/nosuch.db", DIR "6/x", "");
    cr_expect_eq(r.status, 5);
    cr_expect(strstr(r.err, "nosuch.db") != NULL, "%s", r.err);
    run_free(&r);
    r = e2e_sh("echo 'not a database' > '%s'", DIR "6/text.db");
    run_free(&r);
    r = plot(DIR "6/text.db", DIR "6/x", "");
    cr_expect_eq(r.status, 5);
    run_free(&r);
    r = plot(DIR "6/cmp.db", DIR "6/x", "--only nosuch");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "nosuch") != NULL, "%s", r.err);
    run_free(&r);
    r = plot(DIR "6/cmp.db", DIR "6/x", "--format jpeg");
    cr_expect_eq(r.status, 2);
    run_free(&r);
    r = e2e_run("plot", "'" DIR "6/cmp.db'");
    cr_expect_eq(r.status, 2, "--out is required");
    run_free(&r);
}

/* --plot DIR on compare: the figures without --db (a temporary database,
 * removed after), listed on stderr so that stdout keeps the JSON. */
Test(plot, compare_plot_option_draws_from_a_temporary_database, .timeout = 300)
{
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s/tmp' && TMPDIR='%s/tmp' '%s' compare "
                       "'%svariants.yaml' -n 2 -j 1 -q --json --plot '%s/fig'",
                       DIR "7", DIR "7", DIR "7", MRSIM_BINARY, FIX, DIR "7");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(r.out[0] == '{' || r.out[0] == '[', "stdout is the JSON: %.40s", r.out);
    cr_expect(strstr(r.out, "metrics.png") == NULL, "the list went to stdout");
    cr_expect(strstr(r.err, DIR "7/fig/timeline.png") != NULL, "%s", r.err);
    cr_expect(file_size(DIR "7/fig/metrics.png") > 20000);
    run_out ls = e2e_sh("ls -A '%s/tmp'", DIR "7");
    cr_expect_str_eq(ls.out, "", "the temporary database was left behind: %s", ls.out);
    run_free(&ls);
    run_free(&r);
}

/* The vectors' and the stores' figures on tiny-sql (one cluster per
 * region behind Traffic Manager, three data stores, a forced SQL
 * failover), every replication's vectors kept: each kind drawn at the
 * asked size, its TSV agreeing with the database by value. */
Test(plot, vector_figures_agree_with_the_database, .timeout = 300)
{
    const char *d = DIR "8";
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s' && '%s' run '%stiny-sql.yaml' -n 2 -j 1 -q "
                       "--db '%s/v.db' --db-vectors all",
                       d, d, MRSIM_BINARY, FIX, d);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = plot(DIR "8/v.db", DIR "8/png", "--only traffic-shift,dns-stale,rpo,lag");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *kinds[] = {"traffic-shift", "dns-stale", "rpo", "lag"};
    for (size_t k = 0; k < 4; k++) {
        char png[256];
        snprintf(png, sizeof png, DIR "8/png/%s.png", kinds[k]);
        cr_expect(strstr(r.out, png) != NULL, "%s not listed:\n%s", png, r.out);
        uint32_t w, h;
        png_size(png, &w, &h);
        cr_expect(w == 1280 && h == 720, "%s is %ux%u", png, w, h);
        cr_expect(file_size(png) > 20000, "%s looks blank (%ld bytes)", png, file_size(png));
    }
    run_free(&r);
    const char *db = DIR "8/v.db";
    /* traffic-shift at t = 0: West Europe's share is the sum over the
     * replications of its served requests in the first window over the
     * sum of both regions' (a ratio of sums). */
    char *tsv = slurp(DIR "8/png/traffic-shift.tsv");
    double want = db_value(db, "SELECT SUM(CASE WHEN v.component = 'regions/westeurope' THEN"
                               " d.value END) / SUM(d.value) FROM vectordata d JOIN vector v"
                               " USING (vector_id) WHERE v.component LIKE 'regions/%' AND"
                               " d.t_ns = 0");
    double got = tsv_field(tsv, "# tiny-sql (2 replications)", "0.000000", 1);
    cr_expect(fabs(got - want) <= 1e-5 * fmax(want, 1e-9), "weu share %g, database %g", got, want);
    cr_expect(strstr(tsv, "\twesteurope\tnortheurope\t") != NULL, "%s", tsv);
    free(tsv);
    /* rpo: the mean of the orders database's RPO is the summary view's. */
    tsv = slurp(DIR "8/png/rpo.tsv");
    want = db_value(db, "SELECT mean FROM summary WHERE component = 'data/orders' AND metric ="
                        " 'rpo_s'");
    got = tsv_field(tsv, "# rpo_s: mean", "1.0000", 1); /* the second store, x = 1 */
    cr_expect(fabs(got - want) <= 1e-5 * fmax(want, 1e-9), "orders RPO %g, database %g", got,
              want);
    free(tsv);
    /* lag at 10 s (the first sample a store has: nothing noted at 0):
     * the mean over both replications of the orders database's lag. */
    tsv = slurp(DIR "8/png/lag.tsv");
    want = db_value(db, "SELECT AVG(d.value) FROM vectordata d JOIN vector v USING (vector_id)"
                        " WHERE v.component = 'data/orders' AND v.metric = 'lag_s' AND"
                        " d.t_ns = 10000000000");
    got = tsv_field(tsv, "# data/orders, tiny-sql", "0.166667", 1);
    cr_expect(fabs(got - fmax(want, 1e-3)) <= 1e-5 * fmax(want, 1e-3), "lag %g, database %g", got,
              want);
    free(tsv);
    /* dns-stale at 1 s after the change: per replication the share of
     * live answers of aks-weu (what the resolvers answered before) held at
     * its own detection + 1 s, averaged. */
    tsv = slurp(DIR "8/png/dns-stale.tsv");
    /* The detection here falls in the episode of the forced failover at
     * 180 s (an episode lasts until the next fault starts): episode 1. */
    want = db_value(db, "SELECT AVG((SELECT d.value FROM vectordata d WHERE d.vector_id ="
                        " v.vector_id AND d.t_ns <= CAST(ROUND((e.start_s + m.t_s) * 1e9) AS"
                        " INTEGER) + 1000000000 ORDER BY d.t_ns DESC LIMIT 1)) FROM vector v"
                        " JOIN episode e ON e.run_id = v.run_id JOIN milestone m ON m.run_id ="
                        " v.run_id AND m.milestone = 'detected' AND m.t_s IS NOT NULL WHERE"
                        " v.metric = 'answer_share/aks-weu' AND e.fault = 'sql-forced'");
    cr_expect(strstr(tsv, "still answering aks-weu (2 replications)") != NULL, "%s", tsv);
    got = tsv_field(tsv, "still answering aks-weu", "1", 1);
    cr_expect(fabs(got - want) <= 1e-5, "stale share %g, database %g", got, want);
    /* And the requests' column: per replication the pool's request_share
     * of aks-weu in the window holding detection + 1 s (the row at or
     * before it: sample-hold), averaged; it differs from the resolvers'
     * (a window's share of requests, not an instant's of resolvers). */
    double wantq = db_value(db, "SELECT AVG((SELECT d.value FROM vectordata d WHERE d.vector_id ="
                                " v.vector_id AND d.t_ns <= CAST(ROUND((e.start_s + m.t_s) * 1e9)"
                                " AS INTEGER) + 1000000000 ORDER BY d.t_ns DESC LIMIT 1)) FROM"
                                " vector v JOIN episode e ON e.run_id = v.run_id JOIN milestone m"
                                " ON m.run_id = v.run_id AND m.milestone = 'detected' AND m.t_s"
                                " IS NOT NULL WHERE v.metric = 'request_share/aks-weu' AND"
                                " e.fault = 'sql-forced'");
    double gotq = tsv_field(tsv, "still answering aks-weu", "1", 2);
    cr_expect(wantq > 0 && wantq < 1, "request share %g: not a case that tells", wantq);
    cr_expect(fabs(gotq - wantq) <= 1e-5, "request share %g, database %g", gotq, wantq);
    cr_expect(strstr(tsv, "# seconds_since_change\tresolver_share\trequest_share\n") != NULL,
              "%s", tsv);
    free(tsv);
    /* The dumb terminal: the traffic-shift figure's key names both regions. */
    r = plot(DIR "8/v.db", DIR "8/dumb", "--format dumb --only traffic-shift");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "Share of requests served per region") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "westeurope") != NULL && strstr(r.out, "northeurope") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "time since start (min)") != NULL, "%s", r.out);
    run_free(&r);
}

/* Without their data the kinds are skipped, each with a one-line note
 * when asked for: no data store (tiny-tm's variants): no rpo or lag; no
 * vectors kept (--db-vectors none): no traffic-shift or dns-stale. */
Test(plot, vector_figures_are_skipped_without_their_data, .timeout = 300)
{
    make_dbs(DIR "9");
    run_out r = plot(DIR "9/cmp.db", DIR "9/a", "--only rpo,lag,traffic-shift");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "no rpo figure: the database has no data for it") != NULL, "%s",
              r.err);
    cr_expect(strstr(r.err, "no lag figure") != NULL, "%s", r.err);
    cr_expect(strstr(r.out, "traffic-shift.png") != NULL, "%s", r.out);
    cr_expect(access(DIR "9/a/rpo.png", F_OK) != 0 && access(DIR "9/a/lag.tsv", F_OK) != 0);
    run_free(&r);
    r = e2e_sh("'%s' run '%stiny-tm.yaml' -n 2 -j 1 -q --db '%s/none.db' --db-vectors none",
               MRSIM_BINARY, FIX, DIR "9");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = plot(DIR "9/none.db", DIR "9/b", "--only traffic-shift,dns-stale,timeline");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "no traffic-shift figure") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "no dns-stale figure") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "no timeline figure") != NULL, "%s", r.err);
    run_out ls = e2e_sh("ls -A '%s/b'", DIR "9");
    cr_expect_str_eq(ls.out, "", "files written without data: %s", ls.out);
    run_free(&ls);
    run_free(&r);
}

/* More candidates than a figure over time shows (six): a sweep of eight
 * TTLs on the tiny drill. The rule (docs/figures.md): the first, the last,
 * the best and the worst by mean availability, the rest evenly between.
 * A longer TTL keeps clients longer on the failed region, so availability
 * falls with the TTL (checked below on the database): best = first (10s),
 * worst = last (900s); the four left aim at (j + 1) x 7 / 5 = 1.4, 2.8,
 * 4.2, 5.6, the nearest indexes 1, 3, 4, 6: 20s, 60s, 120s, 600s. So the
 * panels are 10s, 20s, 60s, 120s, 600s, 900s, in that order, and the
 * title says that 6 of 8 are shown; dns-stale picks the same. */
Test(plot, more_candidates_than_panels_are_picked_and_said, .timeout = 300)
{
    const char *d = DIR "10";
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s' && '%s' sweep '%ssweep-wide.yaml' -n 2 -j 1 "
                       "-q --db '%s/w.db'",
                       d, d, MRSIM_BINARY, FIX, d);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    const char *db = DIR "10/w.db";
    cr_assert_eq(db_value(db, "SELECT COUNT(*) FROM (SELECT mean, LAG(mean) OVER (ORDER BY"
                              " MIN(r.run_id)) AS prev FROM summary s JOIN run r ON r.variant ="
                              " s.variant WHERE s.metric = 'availability' AND s.component = ''"
                              " GROUP BY s.variant) WHERE prev IS NOT NULL AND mean < prev"),
                 7, "availability does not fall with the TTL: the derivation does not hold");
    r = plot(db, DIR "10/png", "--only traffic-shift,dns-stale");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    const char *want[] = {"10s", "20s", "60s", "120s", "600s", "900s"};
    const char *kinds[] = {"traffic-shift", "dns-stale"};
    for (int k = 0; k < 2; k++) {
        char path[256];
        snprintf(path, sizeof path, DIR "10/png/%s.tsv", kinds[k]);
        char *tsv = slurp(path);
        const char *p = tsv;
        for (int i = 0; i < 6; i++) {
            char head[64];
            snprintf(head, sizeof head, "# traffic.ttl=%s%s", want[i], k == 0 ? " (" : ", ");
            const char *at = strstr(p, head);
            cr_expect(at != NULL, "%s: block %d (%s) missing or out of order:\n%.400s", kinds[k],
                      i, want[i], tsv);
            p = at ? at + 1 : p;
        }
        cr_expect(strstr(tsv, "traffic.ttl=30s") == NULL && strstr(tsv, "traffic.ttl=300s") == NULL,
                  "%s shows a candidate it should have left out", kinds[k]);
        free(tsv);
    }
    /* The title says so, and each panel why it is there. */
    r = plot(db, DIR "10/dumb", "--format dumb --only traffic-shift");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "6 of 8 shown: first, last, best and worst") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "traffic.ttl=10s (first, best)") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "traffic.ttl=900s (last, worst)") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "traffic.ttl=20s (between)") != NULL, "%s", r.out);
    run_free(&r);
    /* pareto has every candidate, but beyond four numbers the points and
     * names them in a legend, in the database's order: 1 is 10s, 8 900s. */
    r = plot(db, DIR "10/dumb", "--format dumb --only pareto");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "1: traffic.ttl=10s") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "8: traffic.ttl=900s") != NULL, "%s", r.out);
    run_free(&r);
}

/* Vectors sampled coarser than a minute (here SLO windows of 90 s; a
 * year's run is sampled every 3,160 s) make dns-stale's curves steps of
 * that length: its title says so, with the step (the shortest between two
 * samples: 90 s). With 10 s windows (tiny-tm) it says nothing of it. */
Test(plot, dns_stale_says_when_its_vectors_are_coarse, .timeout = 300)
{
    const char *d = DIR "11";
    run_out r = e2e_sh("rm -rf '%s' && mkdir -p '%s' && '%s' run '%stiny-tm.yaml' -n 1 -q --set "
                       "slo.window=90s --db '%s/c.db' && '%s' run '%stiny-tm.yaml' -n 1 -q "
                       "--db '%s/f.db'",
                       d, d, MRSIM_BINARY, FIX, d, MRSIM_BINARY, FIX, d);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = plot(DIR "11/c.db", DIR "11/c", "--format dumb --only dns-stale");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "sampled every 90 s, too coarse for the caches") != NULL, "%s", r.out);
    run_free(&r);
    r = plot(DIR "11/f.db", DIR "11/f", "--format dumb --only dns-stale");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "Resolvers and requests still on the failed endpoint") != NULL, "%s",
              r.out);
    cr_expect(strstr(r.out, "sampled every") == NULL, "%s", r.out);
    run_free(&r);
}
