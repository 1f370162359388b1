/* tests/e2e/test_db.c: `--db FILE` as a user runs it, read back with SQLite:
 * the schema version, WAL, one row per replication with the JSON's means,
 * appending, compare and sweep labels and varied keys, the same rows for
 * any --jobs, and the failures of docs/cli.md (exit 5: a foreign or other-version
 * file, read-only, locked, full; exit 130 on SIGINT/SIGTERM), each leaving
 * whole committed replications and an intact file. Full and busy are
 * injected by mrsim-dbfault (MRSIM_DB_FAIL, a test-only build). */
#include <criterion/logging.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "e2e.h"
#include "mrsim/config.h"

#define TINY MRSIM_SOURCE_DIR "/tests/fixtures/run/tiny-tm.yaml"
#define VARIANTS MRSIM_SOURCE_DIR "/tests/fixtures/run/variants.yaml"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/mrsim-db-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", dir, dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(db, .init = make_dir, .fini = remove_dir, .timeout = 180);

static char *path_in(const char *name)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

/* Runs a shell command line with stdout and stderr captured into *out and
 * *err (either may be NULL); returns the exit status. */
static int sh(char **out, char **err, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    run_out r = e2e_sh("%s", cmd);
    if (out)
        *out = r.out;
    else
        free(r.out);
    if (err)
        *err = r.err;
    else
        free(r.err);
    return r.status;
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                 SQLITE_OK, "%s",
                 path);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

static sqlite3_stmt *query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    return st;
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = query(db, sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static double q_double(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = query(db, sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    double v = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every row of the query as text, one line per row. */
static char *q_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = query(db, sql);
    size_t cap = 1024, len = 0;
    char *buf = malloc(cap);
    buf[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            char cell[128];
            snprintf(cell, sizeof cell, "%s%s", c ? "|" : "", t ? t : "NULL");
            size_t n = strlen(cell);
            if (len + n + 2 > cap)
                buf = realloc(buf, cap = 2 * (len + n + 2));
            memcpy(buf + len, cell, n + 1);
            len += n;
        }
        buf[len++] = '\n';
        buf[len] = '\0';
    }
    sqlite3_finalize(st);
    return buf;
}

static void assert_intact(const char *path)
{
    sqlite3 *db = open_db(path);
    char *r = q_rows(db, "PRAGMA integrity_check");
    cr_assert_str_eq(r, "ok\n", "integrity_check of %s: %s", path, r);
    free(r);
    sqlite3_close(db);
}

/* The committed replications are 0 .. n-1 of one run, each whole: as many
 * scalars, runattrs, histogram bins' worth of statistics, episodes and
 * window samples as the first. Returns n. */
static int64_t assert_whole_replications(const char *path)
{
    sqlite3 *db = open_db(path);
    int64_t n = q_int(db, "SELECT count(*) FROM run");
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run WHERE replication = run_id - 1"), n,
                 "replications are not 0 .. n-1 in order");
    const char *per_run[] = {
        "SELECT count(DISTINCT c) FROM (SELECT run_id, count(*) AS c FROM scalar GROUP BY run_id)",
        "SELECT count(DISTINCT c) FROM (SELECT run_id, count(*) AS c FROM runattr GROUP BY "
        "run_id)",
        "SELECT count(DISTINCT c) FROM (SELECT run_id, count(*) AS c FROM statistic GROUP BY "
        "run_id)",
        "SELECT count(DISTINCT c) FROM (SELECT run_id, count(*) AS c FROM episode GROUP BY "
        "run_id)",
        /* The whole system's vectors: every replication's (the components'
         * are replication 0's by default, `--db-vectors summary`). */
        "SELECT count(DISTINCT c) FROM (SELECT v.run_id, count(*) AS c FROM vectordata d JOIN "
        "vector v USING (vector_id) WHERE v.component = '' GROUP BY v.run_id)",
    };
    for (size_t i = 0; n > 0 && i < sizeof per_run / sizeof per_run[0]; i++)
        cr_assert_eq(q_int(db, per_run[i]), 1, "replications differ in size: %s", per_run[i]);
    if (n > 0) {
        cr_assert_eq(q_int(db, "SELECT count(DISTINCT run_id) FROM scalar"), n);
        cr_assert_eq(q_int(db, "SELECT count(DISTINCT run_id) FROM vector"), n);
        /* A statistic's bins hold all of its observations. */
        cr_assert_eq(q_int(db, "SELECT count(*) FROM statistic s WHERE count != (SELECT "
                               "coalesce(sum(count), 0) FROM histbin b WHERE b.stat_id = "
                               "s.stat_id)"),
                     0);
    }
    sqlite3_close(db);
    return n;
}

/* The value after "name": {"mean": in a result document. */
static double json_field(const char *doc, const char *metric, const char *field)
{
    char key[96];
    snprintf(key, sizeof key, "\"%s\":", metric);
    const char *p = strstr(doc, key);
    cr_assert_not_null(p, "%s missing", metric);
    snprintf(key, sizeof key, "\"%s\": ", field);
    p = strstr(p, key);
    cr_assert_not_null(p);
    p += strlen(key);
    if (*p == '[')
        p++;
    return strtod(p, NULL);
}

static double json_ci_hi(const char *doc, const char *metric)
{
    char key[96];
    snprintf(key, sizeof key, "\"%s\":", metric);
    const char *p = strstr(strstr(doc, key), "\"ci95\": [");
    p = strchr(p, ',');
    return strtod(p + 1, NULL);
}

static void assert_close(double a, double b, const char *what)
{
    cr_assert(fabs(a - b) <= 1e-9 * fmax(1, fabs(b)), "%s: %.15g vs %.15g", what, a, b);
}

Test(db, one_row_per_replication_with_the_json_means)
{
    char *out, *err;
    const char *f = path_in("r.db");
    int st = sh(&out, &err, "%s run %s -q -n 5 -j 2 --json --db %s", MRSIM_BINARY, TINY, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    cr_assert_eq(q_int(db, "PRAGMA user_version"), 4);
    cr_assert_eq(q_int(db, "PRAGMA application_id"), 0x6d72736d);
    char *mode = q_rows(db, "PRAGMA journal_mode");
    cr_assert_str_eq(mode, "wal\n");
    free(mode);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run"), 5);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run WHERE scenario = 'tiny-tm' AND variant = "
                           "'tiny-tm' AND seed = 7 AND mrsim_version != '' AND events > 0 AND "
                           "wall_s >= 0 AND started_at LIKE '20%Z'"),
                 5);
    cr_assert_eq(q_int(db, "SELECT sum(replication) FROM run"), 0 + 1 + 2 + 3 + 4);
    /* Each whole-system metric averaged over the replications is the JSON's
     * mean, and the summary view's CI is the JSON's (the same t CI). */
    const char *metrics[] = {"availability", "downtime_s", "rto_s", "client_rto_s",
                             "latency_ms_p50", "latency_ms_p99"};
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT avg(value) FROM scalar WHERE component = '' AND metric = '%s'",
                 metrics[i]);
        assert_close(q_double(db, sql), json_field(out, metrics[i], "mean"), metrics[i]);
        snprintf(sql, sizeof sql,
                 "SELECT ci95_lo FROM summary WHERE component = '' AND metric = '%s'", metrics[i]);
        double lo = q_double(db, sql);
        snprintf(sql, sizeof sql,
                 "SELECT ci95_hi FROM summary WHERE component = '' AND metric = '%s'", metrics[i]);
        double hi = q_double(db, sql);
        if (json_field(out, metrics[i], "ci95") == json_ci_hi(out, metrics[i])) {
            assert_close(lo, hi, metrics[i]); /* no spread: both bounds equal */
        } else {
            assert_close(lo, json_field(out, metrics[i], "ci95"), metrics[i]);
            assert_close(hi, json_ci_hi(out, metrics[i]), metrics[i]);
        }
    }
    /* Not applicable (no data store): left out, not zero. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM scalar WHERE metric = 'rpo_s'"), 0);
    /* Component scalars, by path. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM scalar WHERE component = 'clusters/aks-weu' "
                           "AND metric = 'node_hours'"),
                 5);
    /* Every resolved parameter; nothing varied in a plain run. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runattr WHERE key = 'traffic.ttl' AND value = "
                           "'30s' AND varied = 0"),
                 5);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runattr WHERE varied != 0"), 0);
    /* The latency and client-RTO histograms: bins hold every observation. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM statistic WHERE metric IN ('latency_ms', "
                           "'client_rto_s') AND count > 0 AND min <= max"),
                 10);
    /* The fault episode of each replication. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM episode WHERE fault = 'weu-outage' AND kind = "
                           "'region_outage' AND target = 'westeurope' AND start_s = 120 AND "
                           "rto_s = 300 AND censored = 0"),
                 5);
    /* The success ratio per 10 s window over 10 minutes, integer ns stamps. */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vector WHERE component = '' AND metric = "
                           "'success_ratio'"),
                 5);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.component = '' AND v.metric = 'success_ratio' AND v.run_id = 1"),
                 60);
    cr_assert_eq(q_int(db, "SELECT max(t_ns) FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.run_id = 1"),
                 590000000000LL);
    cr_assert_eq(q_int(db, "SELECT typeof(t_ns) = 'integer' FROM vectordata LIMIT 1"), 1);
    /* During the outage (window at 200 s) requests fail; before it they pass. */
    cr_assert(q_double(db, "SELECT value FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.component = '' AND v.metric = 'success_ratio' AND v.run_id = 1 AND t_ns = "
                           "200000000000") < 0.5);
    cr_assert(q_double(db, "SELECT value FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.component = '' AND v.metric = 'success_ratio' AND v.run_id = 1 AND t_ns = "
                           "60000000000") > 0.99);
    sqlite3_close(db);
    assert_whole_replications(f);
    assert_intact(f);
    free(out);
    free(err);
}

Test(db, a_second_run_appends)
{
    const char *f = path_in("a.db");
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 0);
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 -s 9 --db %s", MRSIM_BINARY, TINY, f), 0);
    sqlite3 *db = open_db(f);
    char *r = q_rows(db, "SELECT run_id, seed, replication FROM run ORDER BY run_id");
    cr_assert_str_eq(r, "1|7|0\n2|7|1\n3|9|0\n4|9|1\n5|9|2\n");
    free(r);
    /* Two invocations, two configurations (another seed): never pooled. */
    r = q_rows(db, "SELECT invocation_id, n FROM summary WHERE component = '' AND metric = "
                   "'availability' ORDER BY invocation_id");
    cr_assert_str_eq(r, "1|2\n2|3\n");
    free(r);
    sqlite3_close(db);
    assert_intact(f);
}

Test(db, each_invocation_is_recorded_and_the_summary_keeps_them_apart)
{
    /* The results issue's item 7: two `run --db` with different --set
     * values made one summary row of n = 6, the mean of two systems. Now
     * each invocation has its row (command line, version, a hash of the
     * resolved scenario: equal for the same configuration, different for
     * another), its runs point to it, and the summary groups by it. */
    const char *f = path_in("inv.db");
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 --db %s", MRSIM_BINARY, TINY, f), 0);
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 --db %s --set traffic.ttl=10s", MRSIM_BINARY,
                    TINY, f),
                 0);
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 --db %s", MRSIM_BINARY, TINY, f), 0);
    sqlite3 *db = open_db(f);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM invocation"), 3);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT scenario_hash) FROM invocation"), 2);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM invocation i1 JOIN invocation i2 ON "
                           "i1.scenario_hash = i2.scenario_hash WHERE i1.invocation_id = 1 AND "
                           "i2.invocation_id = 3"),
                 1);
    cr_expect_eq(q_int(db, "SELECT command_line LIKE '% run %tiny-tm.yaml -q -n 3 --db %"
                           "--set traffic.ttl=10s' FROM invocation WHERE invocation_id = 2"),
                 1);
    cr_expect_eq(q_int(db, "SELECT mrsim_version = '" MR_VERSION "' FROM invocation LIMIT 1"), 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run WHERE invocation_id = 2"), 3);
    char *r = q_rows(db, "SELECT invocation_id, n FROM summary WHERE component = '' AND metric = "
                         "'availability' ORDER BY invocation_id");
    cr_assert_str_eq(r, "1|3\n2|3\n3|3\n");
    free(r);
    sqlite3_close(db);
    assert_intact(f);
}

/* Every table's rows in id order, without the timings. */
static char *dump(const char *path)
{
    sqlite3 *db = open_db(path);
    const char *sql[] = {
        "SELECT run_id, scenario, file, variant, seed, replication, events, mrsim_version FROM "
        "run ORDER BY run_id",
        "SELECT * FROM runattr ORDER BY rowid",
        "SELECT run_id, component, metric, quote(value) FROM scalar ORDER BY rowid",
        "SELECT stat_id, run_id, component, metric, count, quote(sum), quote(sumsq), quote(min), "
        "quote(max) FROM statistic ORDER BY stat_id",
        "SELECT stat_id, quote(lower), count FROM histbin ORDER BY rowid",
        "SELECT * FROM episode ORDER BY rowid",
        "SELECT * FROM vector ORDER BY vector_id",
        "SELECT vector_id, t_ns, quote(value) FROM vectordata ORDER BY rowid",
    };
    size_t len = 0;
    char *all = calloc(1, 1);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        char *r = q_rows(db, sql[i]);
        all = realloc(all, len + strlen(r) + 8);
        memcpy(all + len, r, strlen(r) + 1);
        len += strlen(r);
        strcat(all, "--\n");
        len += 3;
        free(r);
    }
    sqlite3_close(db);
    return all;
}

Test(db, the_same_rows_for_any_jobs)
{
    const char *a = path_in("j1.db"), *b = path_in("j2.db");
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 6 -j 1 --db %s", MRSIM_BINARY, TINY, a), 0);
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 6 -j 2 --db %s", MRSIM_BINARY, TINY, b), 0);
    char *da = dump(a), *db = dump(b);
    cr_assert(strlen(da) > 10000);
    cr_assert(strcmp(da, db) == 0, "--jobs 1 and --jobs 2 wrote different rows");
    free(da);
    free(db);
}

Test(db, compare_labels_variants_and_marks_what_they_vary)
{
    const char *f = path_in("c.db");
    char *err;
    cr_assert_eq(sh(NULL, &err, "%s compare %s -q -n 2 --db %s", MRSIM_BINARY, VARIANTS, f), 0,
                 "%s", err);
    free(err);
    sqlite3 *db = open_db(f);
    char *r = q_rows(db, "SELECT variant, count(*) FROM run GROUP BY variant ORDER BY "
                         "min(run_id)");
    cr_assert_str_eq(r, "base|2\ncost-only|2\nttl-300s|2\n");
    free(r);
    r = q_rows(db, "SELECT DISTINCT key FROM runattr WHERE varied = 1 ORDER BY key");
    cr_assert_str_eq(r, "cost.egress_per_gb\ntraffic.ttl\n");
    free(r);
    r = q_rows(db, "SELECT r.variant, a.value FROM runattr a JOIN run r USING (run_id) WHERE "
                   "a.key = 'traffic.ttl' AND r.replication = 0 ORDER BY r.run_id");
    cr_assert_str_eq(r, "base|30s\ncost-only|30s\nttl-300s|300s\n");
    free(r);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT variant) FROM summary"), 3);
    sqlite3_close(db);
    assert_intact(f);

    /* Two files: the keys whose values differ are the varied ones. */
    const char *g = path_in("c2.db");
    cr_assert_eq(sh(NULL, &err, "%s compare %s %s --set traffic.ttl=10s -q -n 2 --db %s",
                    MRSIM_BINARY, TINY, TINY, g),
                 0, "%s", err);
    free(err);
    db = open_db(g);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runattr WHERE varied = 1"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run WHERE variant = 'tiny-tm'"), 4);
    sqlite3_close(db);
}

Test(db, sweep_labels_each_point_by_its_values)
{
    const char *f = path_in("s.db");
    char *err;
    cr_assert_eq(sh(NULL, &err, "%s sweep %s --vary traffic.ttl=10s,60s -q -n 2 --db %s",
                    MRSIM_BINARY, TINY, f),
                 0, "%s", err);
    free(err);
    sqlite3 *db = open_db(f);
    char *r = q_rows(db, "SELECT r.variant, a.value, a.varied FROM run r JOIN runattr a USING "
                         "(run_id) WHERE a.key = 'traffic.ttl' ORDER BY r.run_id");
    cr_assert_str_eq(r, "traffic.ttl=10s|10s|1\ntraffic.ttl=10s|10s|1\n"
                        "traffic.ttl=60s|60s|1\ntraffic.ttl=60s|60s|1\n");
    free(r);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT key) FROM runattr WHERE varied = 1"), 1);
    sqlite3_close(db);
    assert_intact(f);
}

/* The file as bytes, to check a refused run left it untouched. */
static char *bytes(const char *path)
{
    return slurp(path);
}

Test(db, a_file_that_is_not_ours_is_refused_untouched)
{
    char *err;
    /* Not SQLite at all. */
    const char *t = path_in("notes.db");
    FILE *fp = fopen(t, "w");
    fputs("some notes, not a database\n", fp);
    fclose(fp);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, t), 5);
    cr_assert(strstr(err, "not a SQLite database"), "%s", err);
    free(err);
    char *after = bytes(t);
    cr_assert_str_eq(after, "some notes, not a database\n");
    free(after);

    /* SQLite, somebody else's tables. */
    const char *o = path_in("other.db");
    sqlite3 *db = open_db(o);
    cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t (a); INSERT INTO t VALUES (1)", NULL, NULL,
                              NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, o), 5);
    cr_assert(strstr(err, "not an mrsim results database"), "%s", err);
    free(err);
    db = open_db(o);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
    sqlite3_close(db);

    /* SQLite, no tables yet, but marked as another application's. */
    const char *m = path_in("marked.db");
    db = open_db(m);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA application_id = 1234", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, m), 5);
    cr_assert(strstr(err, "not an mrsim results database"), "%s", err);
    free(err);

    /* Ours, of another schema version (1: before the invocation table). */
    const char *v = path_in("v1.db");
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, v), 0);
    db = open_db(v);
    cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, v), 5);
    cr_assert(strstr(err, "schema version 1"), "%s", err);
    free(err);
    db = open_db(v);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run"), 2);
    sqlite3_close(db);
    assert_intact(v);

    /* Nowhere to create it. */
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s/missing/dir/r.db", MRSIM_BINARY,
                    TINY, dir),
                 5);
    cr_assert(strstr(err, "cannot open"), "%s", err);
    free(err);
}

Test(db, a_read_only_database_is_refused)
{
    const char *f = path_in("ro.db");
    char *err, uri[512];
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 0);
    /* Read-only for any user, root included: a read-only URI. */
    snprintf(uri, sizeof uri, "'file:%s?mode=ro'", f);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, uri), 5);
    cr_assert(strstr(err, "read-only"), "%s", err);
    free(err);
    /* A file without write permission: root writes anyway, so only as
     * another user. */
    if (geteuid() == 0) {
        cr_log_info("running as root: the chmod 0444 case is skipped (root ignores it); the "
                    "read-only URI above covers the refusal");
    } else {
        cr_assert_eq(chmod(f, 0444), 0);
        cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 5);
        cr_assert(strstr(err, "read-only") || strstr(err, "readonly"), "%s", err);
        free(err);
        cr_assert_eq(chmod(f, 0644), 0);
    }
    cr_assert_eq(assert_whole_replications(f), 2);
    assert_intact(f);
}

Test(db, a_locked_database_fails_after_the_busy_timeout)
{
    const char *f = path_in("lock.db");
    char *err;
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 0);
    sqlite3 *holder = open_db(f);
    cr_assert_eq(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    time_t t0 = time(NULL);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 5);
    cr_assert(time(NULL) - t0 >= 4, "gave up before the busy timeout");
    cr_assert(strstr(err, "locked"), "%s", err);
    free(err);
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    cr_assert_eq(assert_whole_replications(f), 2);
    assert_intact(f);
}

Test(db, a_full_disk_keeps_the_replications_committed_before_it)
{
    const char *f = path_in("full.db");
    char *err;
    int st = sh(NULL, &err, "MRSIM_DB_FAIL=full:3 %s run %s -q -n 6 -j 2 --db %s",
                MRSIM_DBFAULT_BINARY, TINY, f);
    cr_assert_eq(st, 5, "%s", err);
    cr_assert(strstr(err, "full") && strstr(err, "replication 2"), "%s", err);
    free(err);
    cr_assert_eq(assert_whole_replications(f), 2);
    assert_intact(f);
    /* The file takes more afterwards. */
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 2 --db %s", MRSIM_BINARY, TINY, f), 0);
    sqlite3 *db = open_db(f);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run"), 4);
    sqlite3_close(db);
}

Test(db, a_lock_during_the_run_keeps_the_replications_committed_before_it)
{
    const char *f = path_in("busy.db");
    char *err;
    int st = sh(NULL, &err, "MRSIM_DB_FAIL=busy:2 %s run %s -q -n 6 -j 2 --db %s",
                MRSIM_DBFAULT_BINARY, TINY, f);
    cr_assert_eq(st, 5, "%s", err);
    cr_assert(strstr(err, "locked") && strstr(err, "replication 1"), "%s", err);
    free(err);
    cr_assert_eq(assert_whole_replications(f), 1);
    assert_intact(f);
}

Test(db, without_injection_the_test_build_behaves_as_mrsim)
{
    const char *a = path_in("n1.db"), *b = path_in("n2.db");
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 --db %s", MRSIM_BINARY, TINY, a), 0);
    cr_assert_eq(sh(NULL, NULL, "%s run %s -q -n 3 --db %s", MRSIM_DBFAULT_BINARY, TINY, b), 0);
    char *da = dump(a), *db = dump(b);
    cr_assert(strcmp(da, db) == 0);
    free(da);
    free(db);
}

/* Starts mrsim on a long run, waits for its first committed replication,
 * sends sig, and checks exit 130 and whole replications only. */
static void interrupt_with(int sig, const char *name)
{
    const char *f = path_in(name);
    char errpath[300];
    snprintf(errpath, sizeof errpath, "%s/%s.err", dir, name);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        FILE *e = freopen(errpath, "w", stderr);
        FILE *o = freopen("/dev/null", "w", stdout);
        (void)e;
        (void)o;
        execl(MRSIM_BINARY, "mrsim", "run", TINY, "-q", "-n", "2000", "-j", "2", "--set",
              "run.horizon=1h", "--db", f, (char *)NULL);
        _exit(127);
    }
    int64_t n = 0;
    for (int i = 0; i < 1200 && n < 2; i++) {
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
        if (access(f, F_OK) != 0)
            continue;
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(f, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(db, 1000);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(db, "SELECT count(*) FROM run", -1, &st, NULL) ==
                    SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                n = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }
    cr_assert(n >= 2, "no replication committed within two minutes");
    cr_assert_eq(kill(pid, sig), 0);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    char *err = slurp(errpath);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d: %s", status, err);
    cr_assert(strstr(err, "interrupted"), "%s", err);
    free(err);
    int64_t k = assert_whole_replications(f);
    cr_assert(k >= n && k < 2000, "%lld replications", (long long)k);
    assert_intact(f);
}

Test(db, sigint_commits_the_finished_replications_and_exits_130)
{
    interrupt_with(SIGINT, "int.db");
}

Test(db, sigterm_too)
{
    interrupt_with(SIGTERM, "term.db");
}

Test(db, without_db_a_signal_still_stops_cleanly_with_130)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        FILE *o = freopen("/dev/null", "w", stdout);
        FILE *e = freopen("/dev/null", "w", stderr);
        (void)o;
        (void)e;
        execl(MRSIM_BINARY, "mrsim", "run", TINY, "-q", "-n", "2000", "-j", "2", "--set",
              "run.horizon=1h", (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
    cr_assert_eq(kill(pid, SIGINT), 0);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
}

/* Episodes carry their fault's end, and with data stores the RPO and lost
 * writes of the failovers their fault caused: per replication they add up
 * to the store's lost_writes, and the worst is the whole-system RPO. */
Test(db, episodes_carry_end_rpo_and_lost_writes)
{
    char *out, *err;
    const char *f = path_in("e.db");
    int st = sh(&out, &err, "%s run %s/scenarios/active-passive-tm.yaml -q -n 3 -j 2 --db %s",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    /* The region outage lasts 45 min from 30 min in (the file's `at`). */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM episode WHERE fault = 'weu-outage' AND "
                           "abs(end_s - start_s - 2700) < 1e-6"),
                 3);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM episode WHERE rpo_s IS NULL OR "
                           "lost_writes IS NULL"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM episode WHERE fault = 'sql-forced-failover' "
                           "AND lost_writes > 0 AND rpo_s > 0"),
                 3);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM run r WHERE abs((SELECT sum(lost_writes) FROM "
                           "episode e WHERE e.run_id = r.run_id) - (SELECT value FROM scalar s "
                           "WHERE s.run_id = r.run_id AND component = '' AND metric = "
                           "'lost_writes')) > 1e-9"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM run r WHERE abs((SELECT max(rpo_s) FROM "
                           "episode e WHERE e.run_id = r.run_id) - (SELECT value FROM scalar s "
                           "WHERE s.run_id = r.run_id AND component = '' AND metric = "
                           "'rpo_s')) > 1e-9"),
                 0);
    sqlite3_close(db);
    assert_intact(f);
    free(out);
    free(err);
}

/* The recovery timeline's milestone rows (docs/results.md "Recovery
 * timeline"), on the tiny SQL drill: West Europe fails at 2 min and an
 * operator forces the failover group's failover a minute later, which
 * starts the second episode (an episode lasts until the next fault). In
 * the first, the stores that lost their primary owe a failover that does
 * not come before it ends: censored, t_s NULL. In the second, the forced
 * failover switches in the default 30 s (docs/reference.md §5): t_s = 30
 * from that fault's start. Every episode of every replication has its
 * recovery row; the scalar table holds none of them. The JSON has each
 * episode's timeline and critical path. */
Test(db, milestones_are_rows_per_episode)
{
    char *out, *err;
    const char *f = path_in("m.db");
    int st = sh(&out, &err, "%s run %s/tests/fixtures/run/tiny-sql.yaml -q -n 2 -j 2 --json --db %s",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    cr_assert(strstr(out, "\"timeline\": [{\"milestone\": "), "%s", out);
    cr_assert(strstr(out, "\"critical_path\": {\"milestone\": "), "%s", out);
    cr_assert(strstr(out, "{\"milestone\": \"store_failover\", \"component\": \"data/orders\""),
              "%s", out);
    sqlite3 *db = open_db(f);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM milestone WHERE fault = 'weu-outage' AND "
                           "episode = 0 AND milestone = 'store_failover' AND "
                           "component = 'data/orders' AND censored = 1 AND t_s IS NULL"),
                 2);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM milestone WHERE fault = 'sql-forced' AND "
                           "episode = 1 AND milestone = 'store_failover' AND "
                           "component = 'data/orders' AND censored = 0 AND abs(t_s - 30) < 1e-9"),
                 2);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM milestone WHERE milestone = 'recovered'"), 4);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM milestone WHERE censored = 0 AND t_s IS NULL"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM scalar WHERE component LIKE 'milestone/%'"), 0);
    sqlite3_close(db);
    assert_intact(f);
    free(out);
    free(err);
}

/* Aggregate fidelity keeps only the windows below a success share of 1;
 * the whole system's success-ratio series holds those, and a 1 where each run of them
 * ends, so that sample-hold reads the whole series: its time-weighted
 * mean is the availability's (up to the windows' request weights). */
Test(db, aggregate_fidelity_writes_its_kept_windows)
{
    char *out, *err;
    const char *f = path_in("a.db");
    int st = sh(&out, &err, "%s run %s/tests/fixtures/run/aggregate-ap-tm.yaml -q -n 2 -j 2 "
                            "--set run.fidelity=aggregate --db %s",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM vector WHERE component = '' AND metric = "
                           "'requests'"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM vector WHERE component = '' AND metric = "
                           "'success_ratio'"),
                 2);
    /* The components' vectors are replication 0's (summary); the checks
     * below are of the whole system's success ratio. */
    cr_expect_gt(q_int(db, "SELECT count(*) FROM vector WHERE component != '' AND run_id = 1"), 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM vector WHERE component != '' AND run_id != 1"), 0);
    cr_expect_gt(q_int(db, "SELECT count(*) FROM vectordata WHERE value < 1"), 0);
    /* Every run of kept windows is closed by a 1 (the outage ends before
     * the horizon), and the first sample is at 0. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM vector v WHERE (SELECT min(t_ns) FROM "
                           "vectordata d WHERE d.vector_id = v.vector_id) != 0"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM vector v WHERE component = '' AND (SELECT value "
                           "FROM vectordata d WHERE d.vector_id = v.vector_id ORDER BY t_ns DESC "
                           "LIMIT 1) != 1"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM episode WHERE end_s IS NULL"), 0);
    sqlite3_close(db);
    assert_intact(f);
    free(out);
    free(err);
}

/* ---- vectors (docs/results.md "Vectors", --db-vectors) ------------------ */

/* Vector (comp, metric) of run_id expanded onto its n windows, sample-hold
 * (a row stands until the next one): out[k], NaN before the first row or
 * for a NULL sample. Returns the number of rows. */
static int expand(sqlite3 *db, int run_id, const char *comp, const char *metric, double *out,
                  int n, int64_t period_ns)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT t_ns, value FROM vectordata d JOIN vector v USING "
                                    "(vector_id) WHERE v.run_id = ? AND v.component = ? AND "
                                    "v.metric = ? ORDER BY t_ns",
                                    -1, &st, NULL),
                 SQLITE_OK);
    sqlite3_bind_int(st, 1, run_id);
    sqlite3_bind_text(st, 2, comp, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, metric, -1, SQLITE_STATIC);
    for (int k = 0; k < n; k++)
        out[k] = NAN;
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k0 = (int)(sqlite3_column_int64(st, 0) / period_ns);
        double x = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
        for (int k = k0; k >= 0 && k < n; k++)
            out[k] = x;
        rows++;
    }
    sqlite3_finalize(st);
    return rows;
}

/* The default (summary): every replication's whole-system vectors, the
 * components' of replication 0 only. tiny-tm: 10 min of 10 s windows = 60
 * windows; each cluster runs nodes.count 2 x per_node 4 = 8 pods from the
 * start (a hot standby runs its full count); one cluster per region, so a
 * region's served requests are its cluster's, window by window; and a
 * population's requests weighted by its success ratio, summed over the
 * windows, over its requests is its availability (both count the requests
 * after the warm-up by their final outcome): the same integers summed. */
Test(db, summary_keeps_the_components_vectors_of_replication_0)
{
    char *out, *err;
    const char *f = path_in("v.db");
    int st = sh(&out, &err, "%s run %s -q -n 3 -j 2 --db %s", MRSIM_BINARY, TINY, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM invocation WHERE vectors = 'summary'"), 1);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT run_id) FROM vector WHERE component = ''"), 3);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vector WHERE component != '' AND run_id != 1"),
                 0);
    char *names = q_rows(db, "SELECT component || ' ' || metric || ' ' || unit FROM vector "
                             "WHERE run_id = 1 AND component != '' ORDER BY component, metric");
    cr_assert_str_eq(names, "clients/users requests requests\n"
                            "clients/users success_ratio \n"
                            "clusters/aks-neu pods_ready pods\n"
                            "clusters/aks-neu served requests\n"
                            "clusters/aks-weu pods_ready pods\n"
                            "clusters/aks-weu served requests\n"
                            "regions/northeurope served requests\n"
                            "regions/westeurope served requests\n"
                            "resolvers/isp answer_share/aks-neu \n"
                            "resolvers/isp answer_share/aks-weu \n"
                            "resolvers/isp request_share/aks-neu \n"
                            "resolvers/isp request_share/aks-weu \n"
                            "resolvers/isp requests requests\n");
    free(names);
    double a[60], b[60], req[60], ok[60];
    const int64_t W = 10000000000LL;
    expand(db, 1, "clusters/aks-weu", "pods_ready", a, 60, W);
    expand(db, 1, "clusters/aks-neu", "pods_ready", b, 60, W);
    cr_assert_eq(a[0], 8);
    cr_assert_eq(b[0], 8);
    expand(db, 1, "clusters/aks-weu", "served", a, 60, W);
    expand(db, 1, "regions/westeurope", "served", b, 60, W);
    double served = 0;
    for (int k = 0; k < 60; k++) {
        cr_assert_eq(a[k], b[k], "window %d", k);
        served += a[k];
    }
    cr_assert_gt(served, 0);
    cr_assert_gt(expand(db, 1, "clients/users", "requests", req, 60, W), 1);
    expand(db, 1, "clients/users", "success_ratio", ok, 60, W);
    double n = 0, s = 0;
    for (int k = 0; k < 60; k++) {
        if (req[k] > 0) {
            n += req[k];
            s += req[k] * ok[k];
        }
    }
    assert_close(s / n,
                 q_double(db, "SELECT value FROM scalar WHERE run_id = 1 AND component = "
                              "'clients/users' AND metric = 'availability'"),
                 "the population's availability from its vectors");
    /* Shares of resolvers: in [0, 1], summing to at most 1 (an expired
     * answer counts for none). Before the fault (60 s) the authority
     * answers aks-weu (priority routing, weu healthy): no live answer of
     * aks-neu. By 400 s (the outage from 120 s to 420 s; Traffic Manager
     * detects within its probes' 3 x 30 s, then a 30 s TTL) most live
     * answers are aks-neu. */
    expand(db, 1, "resolvers/isp", "answer_share/aks-weu", a, 60, W);
    expand(db, 1, "resolvers/isp", "answer_share/aks-neu", b, 60, W);
    for (int k = 0; k < 60; k++)
        cr_assert(a[k] >= 0 && b[k] >= 0 && a[k] + b[k] <= 1 + 1e-12, "window %d", k);
    cr_assert_eq(b[6], 0);
    cr_assert_gt(b[40], 0.5);
    /* Shares of the pool's requests, by the answer each request's first
     * attempt used: each request counts once, in the window of its issue,
     * so the pool's windows add up to the population's requests (its only
     * one: the scalar counts every issue); the two endpoints' shares add
     * up to at most 1 (a request without an answer counts for neither),
     * exactly 1 before the fault (every cached answer is aks-weu's, the
     * authority answers it) and after the fault's end, when the answers
     * have come back (by 540 s: 420 s + 3 probes + TTL + slack). */
    double pr[60];
    expand(db, 1, "resolvers/isp", "requests", pr, 60, W);
    double issued = 0;
    for (int k = 0; k < 60; k++)
        issued += pr[k];
    cr_assert_eq(issued, q_double(db, "SELECT value FROM scalar WHERE run_id = 1 AND component = "
                                      "'clients/users' AND metric = 'requests'"));
    expand(db, 1, "resolvers/isp", "request_share/aks-weu", a, 60, W);
    expand(db, 1, "resolvers/isp", "request_share/aks-neu", b, 60, W);
    for (int k = 0; k < 60; k++) {
        cr_assert(a[k] >= 0 && b[k] >= 0 && a[k] + b[k] <= 1 + 1e-12, "window %d", k);
        if (k < 12)
            cr_assert_eq(a[k], 1, "window %d", k);
    }
    cr_assert_gt(b[40], 0.5);
    sqlite3_close(db);
    free(out);
    free(err);
}

/* none: no vector at all; all: every replication's, the whole system's
 * requests one sample per window (3 replications x 60 windows), and the
 * same vectors in each replication. The results do not depend on the
 * sampling: the JSON of a sampled run is the unsampled one's. */
Test(db, none_writes_no_vector_and_all_writes_every_replications)
{
    char *out, *err, *plain, *sampled;
    const char *fn = path_in("none.db"), *fa = path_in("all.db");
    int st = sh(&out, &err, "%s run %s -q -n 3 -j 2 --db %s --db-vectors none", MRSIM_BINARY,
                TINY, fn);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(fn);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vector"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vectordata"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM invocation WHERE vectors = 'none'"), 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM run"), 3);
    sqlite3_close(db);
    free(out);
    free(err);
    st = sh(&sampled, &err, "%s run %s -q -n 3 -j 2 --json --db %s --db-vectors all | grep -v "
                            "wall_s",
            MRSIM_BINARY, TINY, fa);
    cr_assert_eq(st, 0, "%s", err);
    free(err);
    cr_assert_eq(sh(&plain, NULL, "%s run %s -q -n 3 -j 1 --json | grep -v wall_s", MRSIM_BINARY,
                    TINY),
                 0);
    cr_assert_str_eq(sampled, plain, "sampling the vectors changed the results");
    free(sampled);
    free(plain);
    db = open_db(fa);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM invocation WHERE vectors = 'all'"), 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.component = '' AND v.metric = 'requests'"),
                 3 * 60);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vector WHERE component != ''"), 3 * 13);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT c) FROM (SELECT run_id, group_concat(component "
                           "|| metric) AS c FROM (SELECT * FROM vector ORDER BY vector_id) GROUP "
                           "BY run_id)"),
                 1);
    sqlite3_close(db);
    cr_assert_eq(sh(NULL, &err, "%s run %s -q -n 1 --db %s --db-vectors some", MRSIM_BINARY, TINY,
                    path_in("x.db")),
                 2);
    cr_assert(strstr(err, "--db-vectors takes all, summary or none") != NULL, "%s", err);
    free(err);
}

/* Data stores: the realised lag per store, in seconds. tiny-sql's SQL
 * database draws its lag from lognormal(median 1 s, p99 5 s) (docs/
 * reference.md §5): under 10 s before the fault in all but a freak draw;
 * the region outage from 120 s cuts its replication link, so the realised
 * lag grows at one second per second: past 60 s within the outage. */
Test(db, each_store_has_its_realised_lag)
{
    char *out, *err;
    const char *f = path_in("s.db");
    int st = sh(&out, &err, "%s run %s/tests/fixtures/run/tiny-sql.yaml -q -n 1 --db %s",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    char *names = q_rows(db, "SELECT component || ' ' || unit FROM vector WHERE metric = 'lag_s' "
                             "ORDER BY component");
    cr_assert_str_eq(names, "data/cache s\ndata/files s\ndata/orders s\n");
    free(names);
    double lag[60];
    expand(db, 1, "data/orders", "lag_s", lag, 60, 10000000000LL);
    double before = 0, during = 0;
    for (int k = 0; k < 12; k++)
        before = isnan(lag[k]) ? before : fmax(before, lag[k]);
    for (int k = 12; k < 42; k++)
        during = isnan(lag[k]) ? during : fmax(during, lag[k]);
    cr_assert_lt(before, 10);
    cr_assert_gt(during, 60);
    sqlite3_close(db);
    free(out);
    free(err);
}

/* Aggregate fidelity has the clusters', regions', resolvers' (from the
 * hub) and populations' vectors too. A cluster's served requests there are the hub's
 * expected offers: before the outage (the first 60 s) priority routing
 * sends every request to aks-weu, none to aks-neu. */
Test(db, aggregate_fidelity_has_component_vectors)
{
    char *out, *err;
    const char *f = path_in("ag.db");
    int st = sh(&out, &err, "%s run %s/tests/fixtures/run/aggregate-ap-tm.yaml -q -n 1 "
                            "--set run.fidelity=aggregate --db %s --db-vectors all",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    char *names = q_rows(db, "SELECT metric FROM vector WHERE component = 'clients/eu-users' "
                             "ORDER BY metric");
    cr_assert_str_eq(names, "requests\nsuccess_ratio\n");
    free(names);
    cr_assert_gt(q_int(db, "SELECT count(*) FROM vector WHERE component LIKE 'regions/%' AND "
                           "metric = 'served'"),
                 0);
    cr_assert_gt(q_int(db, "SELECT count(*) FROM vector WHERE component LIKE 'resolvers/%' AND "
                           "metric LIKE 'answer_share/%'"),
                 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vectordata d JOIN vector v USING (vector_id) "
                           "WHERE v.metric LIKE 'answer_share/%' AND (value < 0 OR value > 1)"),
                 0);
    cr_assert_gt(q_double(db, "SELECT value FROM vectordata d JOIN vector v USING (vector_id) "
                              "WHERE v.component = 'clusters/aks-weu' AND v.metric = 'served' "
                              "AND t_ns = 0"),
                 0);
    cr_assert_eq(q_double(db, "SELECT value FROM vectordata d JOIN vector v USING (vector_id) "
                              "WHERE v.component = 'clusters/aks-neu' AND v.metric = 'served' "
                              "AND t_ns = 0"),
                 0);
    sqlite3_close(db);
    free(out);
    free(err);
}

/* A population's vectors at aggregate fidelity against a hand count
 * (tests/fixtures/run/aggregate-pop-outage.yaml): 50 requests/s, warm-up
 * 30 s, 10 s windows, the only region down over [65 s, 125 s) with nothing
 * to fail over to, capacity 320/s otherwise. The hub integrates expected
 * counts, so each window after the warm-up has 50 x 10 = 500 requests
 * (none before: windows 0-2 count nothing, their ratio NULL); the success
 * share is 1 outside the outage and 0 inside, so the ratio of a window is
 * the share of it outside [65, 125): window 6 [60, 70) 5/10 = 0.5, windows
 * 7-11 0, window 12 [120, 130) 5/10 = 0.5, the others 1. Summed, the
 * windows hold the population's availability: (210 - 60) / 210 of the
 * requests after the warm-up (4 min horizon: 210 s measured). */
Test(db, aggregate_population_vectors_count_rate_times_window_and_the_outage_share)
{
    char *out, *err;
    const char *f = path_in("agp.db");
    int st = sh(&out, &err, "%s run %s/tests/fixtures/run/aggregate-pop-outage.yaml -q --db %s",
                MRSIM_BINARY, MRSIM_SOURCE_DIR, f);
    cr_assert_eq(st, 0, "%s", err);
    sqlite3 *db = open_db(f);
    double req[24], ok[24];
    const int64_t W = 10000000000LL;
    expand(db, 1, "clients/users", "requests", req, 24, W);
    expand(db, 1, "clients/users", "success_ratio", ok, 24, W);
    double n = 0, s = 0;
    for (int k = 0; k < 24; k++) {
        if (k < 3) {
            cr_assert_eq(req[k], 0, "window %d", k);
            cr_assert(isnan(ok[k]), "window %d: %g", k, ok[k]);
            continue;
        }
        double want = k == 6 || k == 12 ? 0.5 : k >= 7 && k <= 11 ? 0 : 1;
        cr_assert(fabs(req[k] - 500) <= 1e-9 * 500, "window %d: %.15g requests", k, req[k]);
        cr_assert(fabs(ok[k] - want) <= 1e-9, "window %d: ratio %.15g, want %g", k, ok[k], want);
        n += req[k];
        s += req[k] * ok[k];
    }
    assert_close(s / n, 150.0 / 210.0, "availability from the vectors");
    /* The pool's requests: every one from 0 on (counted at issue, warm-up
     * or not), each window 500, all of them answered aks-weu (the only
     * endpoint; Traffic Manager answers it even when it is down). */
    expand(db, 1, "resolvers/isp", "requests", req, 24, W);
    expand(db, 1, "resolvers/isp", "request_share/aks-weu", ok, 24, W);
    for (int k = 0; k < 24; k++) {
        cr_assert(fabs(req[k] - 500) <= 1e-9 * 500, "window %d: %.15g pool requests", k, req[k]);
        cr_assert(fabs(ok[k] - 1) <= 1e-12, "window %d: request share %.15g", k, ok[k]);
    }
    assert_close(q_double(db, "SELECT value FROM scalar WHERE run_id = 1 AND component = "
                              "'clients/users' AND metric = 'availability'"),
                 150.0 / 210.0, "the population's availability");
    sqlite3_close(db);
    free(out);
    free(err);
}

/* Sampling the populations at aggregate fidelity (a projection of the
 * hub's integrals, models/clients_agg.c agg_sample) changes nothing: the
 * JSON of a run that keeps every vector is the unsampled run's, bit for
 * bit, with two populations (one on a daily profile) behind two pools and
 * an outage; and each population's windows add up to its requests after
 * the warm-up (the counter's increases telescope; 3 h = 1080 windows). */
Test(db, aggregate_sampling_changes_no_result)
{
    char *err, *plain, *sampled;
    const char *fa = path_in("agall.db");
    const char *sc = MRSIM_SOURCE_DIR "/tests/fixtures/run/aggregate-pops.yaml";
    int st = sh(&sampled, &err, "%s run %s -q -n 2 -j 2 --json --db %s --db-vectors all | grep -v "
                                "wall_s",
                MRSIM_BINARY, sc, fa);
    cr_assert_eq(st, 0, "%s", err);
    free(err);
    cr_assert_eq(sh(&plain, NULL, "%s run %s -q -n 2 -j 1 --json | grep -v wall_s", MRSIM_BINARY, sc),
                 0);
    cr_assert_str_eq(sampled, plain, "sampling the vectors changed the results");
    free(sampled);
    free(plain);
    sqlite3 *db = open_db(fa);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM vector WHERE component IN ('clients/u1', "
                           "'clients/u2') AND metric IN ('requests', 'success_ratio')"),
                 2 * 2 * 2);
    static double req[1080], ok[1080];
    const int64_t W = 10000000000LL;
    const char *pops[] = {"clients/u1", "clients/u2"};
    for (int r = 1; r <= 2; r++)
        for (int p = 0; p < 2; p++) {
            expand(db, r, pops[p], "requests", req, 1080, W);
            expand(db, r, pops[p], "success_ratio", ok, 1080, W);
            double n = 0, s = 0;
            for (int k = 0; k < 1080; k++)
                if (req[k] > 0) {
                    n += req[k];
                    s += req[k] * ok[k];
                }
            char q[200];
            snprintf(q, sizeof q, "SELECT value FROM scalar WHERE run_id = %d AND component = "
                                  "'%s' AND metric = 'availability'", r, pops[p]);
            cr_assert(fabs(s / n - q_double(db, q)) <= 1e-9, "run %d %s: %.15g vs %.15g", r,
                      pops[p], s / n, q_double(db, q));
        }
    /* Window by window, not only in sum: u2 (50/s, constant) has 500
     * requests in every window after the warm-up (5 min: window 30 on),
     * also while the hub's resolvers refresh in chains between the kernel's
     * events (it must not integrate past a window's start: clients_agg.c
     * on_refresh); its pool r2 500 in every window from 0 (counted at
     * issue), split over the two endpoints (shares adding up to 1 before
     * the fault at 40-50 min: every answer is ca's). */
    double sa[1080], sb[1080];
    for (int r = 1; r <= 2; r++) {
        expand(db, r, "clients/u2", "requests", req, 1080, W);
        for (int k = 30; k < 1080; k++)
            cr_assert(fabs(req[k] - 500) <= 1e-6, "run %d window %d: %.15g", r, k, req[k]);
        expand(db, r, "resolvers/r2", "requests", req, 1080, W);
        expand(db, r, "resolvers/r2", "request_share/ca", sa, 1080, W);
        expand(db, r, "resolvers/r2", "request_share/cb", sb, 1080, W);
        for (int k = 0; k < 1080; k++) {
            cr_assert(fabs(req[k] - 500) <= 1e-6, "run %d window %d: %.15g", r, k, req[k]);
            cr_assert(sa[k] >= -1e-12 && sb[k] >= -1e-12 && sa[k] + sb[k] <= 1 + 1e-9,
                      "run %d window %d", r, k);
            if (k < 240)
                cr_assert(fabs(sa[k] - 1) <= 1e-12, "run %d window %d: %.15g", r, k, sa[k]);
        }
    }
    sqlite3_close(db);
}
