/* sim/out/db.c: the results database (db.h, docs/cli.md "Results
 * database"). Worker threads copy each finished replication into a record
 * (db_rec) and queue it; the thread that queues the record the file waits
 * for next in replication order becomes the writer and commits records in
 * order until the next one is missing, the others return at once. So one
 * thread at a time uses the connection, and the rows (and their ids) are
 * the same for any --jobs.
 * Invariants: `next` is the replication whose record the file takes next;
 * every queued record has rep >= next; `writing` is 1 while a thread is
 * committing; after the first failure (`failed`) nothing more is written.
 * Not-applicable (NaN) scalars are left out rather than stored as NULL, so
 * AVG and COUNT over `scalar` count only replications where the metric
 * applies, as the JSON's n does. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "out/db.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "run/result.h"

/* The schema of docs/cli.md. `tquantile` holds t(0.975, df) for df 1..1000 so
 * that the `summary` view computes its t-based 95% CI in plain SQL (any
 * SQLite reader gets the same numbers); beyond df 1000 the view uses the
 * Cornish-Fisher expansion of the t quantile (below), within 1e-11 there. */
static const char schema_sql[] =
    "CREATE TABLE invocation (invocation_id INTEGER PRIMARY KEY, command_line TEXT NOT NULL,"
    " mrsim_version TEXT NOT NULL, scenario_hash TEXT NOT NULL, started_at TEXT NOT NULL,"
    " vectors TEXT NOT NULL);\n"
    "CREATE TABLE run (run_id INTEGER PRIMARY KEY, invocation_id INTEGER NOT NULL REFERENCES"
    " invocation, scenario TEXT NOT NULL, file TEXT,"
    " variant TEXT NOT NULL, seed INTEGER NOT NULL, replication INTEGER NOT NULL,"
    " started_at TEXT NOT NULL, wall_s REAL, events INTEGER, mrsim_version TEXT NOT NULL);\n"
    "CREATE TABLE runattr (run_id INTEGER NOT NULL REFERENCES run, key TEXT NOT NULL,"
    " value TEXT, varied INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE scalar (run_id INTEGER NOT NULL REFERENCES run, component TEXT NOT NULL,"
    " metric TEXT NOT NULL, value REAL);\n"
    "CREATE TABLE statistic (stat_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES"
    " run, component TEXT NOT NULL, metric TEXT NOT NULL, count INTEGER NOT NULL, sum REAL,"
    " sumsq REAL, min REAL, max REAL);\n"
    "CREATE TABLE histbin (stat_id INTEGER NOT NULL REFERENCES statistic, lower REAL NOT NULL,"
    " count INTEGER NOT NULL);\n"
    "CREATE TABLE episode (run_id INTEGER NOT NULL REFERENCES run, fault TEXT, kind TEXT,"
    " target TEXT, start_s REAL, end_s REAL, rto_s REAL, rpo_s REAL, lost_writes REAL,"
    " censored INTEGER);\n"
    "CREATE TABLE milestone (run_id INTEGER NOT NULL REFERENCES run, episode INTEGER NOT NULL,"
    " fault TEXT, milestone TEXT NOT NULL, component TEXT NOT NULL, t_s REAL,"
    " censored INTEGER NOT NULL);\n"
    "CREATE TABLE vector (vector_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES"
    " run, component TEXT NOT NULL, metric TEXT NOT NULL, unit TEXT, interpolation TEXT);\n"
    "CREATE TABLE vectordata (vector_id INTEGER NOT NULL REFERENCES vector,"
    " t_ns INTEGER NOT NULL, value REAL);\n"
    "CREATE INDEX vectordata_vector_t ON vectordata (vector_id, t_ns);\n"
    "CREATE TABLE tquantile (df INTEGER PRIMARY KEY, t975 REAL NOT NULL);\n"
    "CREATE VIEW summary AS\n"
    " WITH per AS (SELECT r.invocation_id AS invocation_id, r.scenario AS scenario,"
    "   r.variant AS variant,"
    "   s.component AS component, s.metric AS metric, s.value AS value"
    "   FROM scalar s JOIN run r ON r.run_id = s.run_id WHERE s.value IS NOT NULL),\n"
    " m AS (SELECT invocation_id, scenario, variant, component, metric, COUNT(*) AS n,"
    "   AVG(value) AS mean"
    "   FROM per GROUP BY invocation_id, scenario, variant, component, metric),\n"
    " v AS (SELECT m.invocation_id AS invocation_id, m.scenario AS scenario,"
    "   m.variant AS variant, m.component AS component,"
    "   m.metric AS metric, m.n AS n, m.mean AS mean,"
    "   SUM((p.value - m.mean) * (p.value - m.mean)) AS ss"
    "   FROM m JOIN per p ON p.invocation_id = m.invocation_id AND p.scenario = m.scenario"
    "   AND p.variant IS m.variant"
    "   AND p.component = m.component AND p.metric = m.metric"
    "   GROUP BY m.invocation_id, m.scenario, m.variant, m.component, m.metric),\n"
    " h AS (SELECT v.*, CASE WHEN n < 2 THEN NULL"
    "   WHEN n - 1 <= 1000 THEN (SELECT t975 FROM tquantile WHERE df = n - 1)"
    "   ELSE 1.959963984540054 + 2.372271230298562 / (n - 1)"
    "   + 2.822498615739611 / ((n - 1) * (n - 1))"
    "   + 2.555849679507722 / ((n - 1) * (n - 1) * (n - 1)) END"
    "   * sqrt(ss / (n - 1) / n) AS half"
    "   FROM v)\n"
    " SELECT invocation_id, scenario, variant, component, metric, n, mean,"
    " mean - half AS ci95_lo,"
    " mean + half AS ci95_hi FROM h;\n";

/* Cornish-Fisher coefficients above, for z = 1.959963984540054 and df:
 * t = z + g1/df + g2/df^2 + g3/df^3 with g1 = (z^3 + z) / 4,
 * g2 = (5z^5 + 16z^3 + 3z) / 96, g3 = (3z^7 + 19z^5 + 17z^3 - 15z) / 384. */

typedef struct db_scalar {
    char *component, *metric;
    double value;
} db_scalar;

typedef struct db_stat {
    const char *metric; /* static */
    uint64_t count;
    double sum, sumsq, min, max;
    size_t nbins;
    double *lower;
    uint64_t *bins;
} db_stat;

typedef struct db_episode {
    double fault, start_s, end_s, rto_s, rpo_s, lost_writes, censored; /* NaN: not reported */
} db_episode;

/* One recovery milestone of an episode (docs/results.md "Recovery
 * timeline"): t_s NaN when not reached. */
typedef struct db_milestone {
    size_t episode;
    char *name, *component;
    double t_s;
    int censored;
} db_milestone;

typedef struct db_rec {
    uint64_t rep, seed, events;
    double started_at, wall_s;
    db_scalar *scalars;
    size_t nscalars;
    db_stat stats[3];
    size_t nstats;
    db_episode *episodes;
    size_t nepisodes;
    db_milestone *ms;
    size_t nms;
    size_t nwin;
    mr_time window;
    uint64_t *win_total, *win_ok;
    uint64_t *win_index; /* aggregate fidelity: the kept windows' indices; NULL: every one */
    /* The components' vectors, one value per window (docs/results.md
     * "Vectors"): nsamp windows of `period`. */
    struct db_series *ser;
    size_t nser, nsamp;
    mr_time period;
} db_rec;

typedef struct db_series {
    char *component, *metric, *unit;
    double *v; /* nsamp */
} db_series;

typedef struct db_attr {
    char *key, *value;
    int varied;
} db_attr;

enum {
    ST_RUN,
    ST_INVOCATION,
    ST_ATTR,
    ST_SCALAR,
    ST_STAT,
    ST_BIN,
    ST_EPISODE,
    ST_MILESTONE,
    ST_VECTOR,
    ST_VDATA,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_RUN] = "INSERT INTO run (scenario, file, variant, seed, replication, started_at, wall_s,"
               " events, mrsim_version, invocation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_INVOCATION] = "INSERT INTO invocation (command_line, mrsim_version, scenario_hash,"
                      " started_at, vectors) VALUES (?, ?, ?, ?, ?)",
    [ST_ATTR] = "INSERT INTO runattr (run_id, key, value, varied) VALUES (?, ?, ?, ?)",
    [ST_SCALAR] = "INSERT INTO scalar (run_id, component, metric, value) VALUES (?, ?, ?, ?)",
    [ST_STAT] = "INSERT INTO statistic (run_id, component, metric, count, sum, sumsq, min, max)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_BIN] = "INSERT INTO histbin (stat_id, lower, count) VALUES (?, ?, ?)",
    [ST_EPISODE] = "INSERT INTO episode (run_id, fault, kind, target, start_s, end_s, rto_s,"
                   " rpo_s, lost_writes, censored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_MILESTONE] = "INSERT INTO milestone (run_id, episode, fault, milestone, component, t_s,"
                     " censored) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ST_VECTOR] = "INSERT INTO vector (run_id, component, metric, unit, interpolation)"
                  " VALUES (?, ?, ?, ?, ?)",
    [ST_VDATA] = "INSERT INTO vectordata (vector_id, t_ns, value) VALUES (?, ?, ?)",
};

struct mr_db {
    sqlite3 *conn;
    char *path;
    sqlite3_stmt *stmt[ST_COUNT];
    char msg[512];
    pthread_mutex_t lock;
    int failed;  /* sticky: MR_OK or the first failure */
    int writing; /* a thread is committing */
    uint64_t committed;
    mr_vectors vectors;
    uint64_t attempts; /* commits tried, for the test build's fault injection */
    /* The current run. */
    const mr_scenario *sc;
    char *variant;
    char *command_line;        /* for the invocation rows (mr_db_set_command) */
    sqlite3_int64 invocation;  /* the current run's row, 0 until its first commit */
    char scenario_hash[17];    /* of the current run's resolved scenario */
    char **fault_targets; /* copied from the first replication's view */
    size_t nfault_targets;
    db_attr *attrs;
    size_t nattrs;
    uint64_t next;
    db_rec **queue;
    size_t nqueue, capqueue;
#ifdef MRSIM_DB_FAULT_INJECTION
    sqlite3 *blocker; /* a second connection holding the write lock */
#endif
};

static void set_msg(mr_db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->msg, sizeof db->msg, fmt, ap);
    va_end(ap);
}

/* What to tell a user about a SQLite failure: the library's text plus what
 * it usually means here. */
static const char *hint(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return " (another process holds the database's write lock)";
    case SQLITE_READONLY:
        return " (the file or its directory is not writable)";
    case SQLITE_FULL:
        return " (no space left)";
    case SQLITE_NOTADB:
        return " (the file is not a SQLite database, so not an mrsim one)";
    case SQLITE_CANTOPEN:
        return " (missing directory, or no permission)";
    default:
        return "";
    }
}

static int fail_sql(mr_db *db, int code, const char *what)
{
    set_msg(db, "%s: %s: %s%s", db->path, what, sqlite3_errstr(code), hint(code));
    return MR_EIO;
}

static int exec(mr_db *db, const char *sql, const char *what)
{
    int code = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return code == SQLITE_OK ? MR_OK : fail_sql(db, code, what);
}

/* One integer from a query, or an error. */
static int query_int(mr_db *db, const char *sql, int64_t *out, const char *what)
{
    sqlite3_stmt *st = NULL;
    int code = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
    if (code == SQLITE_OK) {
        code = sqlite3_step(st);
        if (code == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            code = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return code == SQLITE_OK ? MR_OK : fail_sql(db, code, what);
}

static void sqrt_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, sqrt(sqlite3_value_double(argv[0])));
}

static int create_schema(mr_db *db)
{
    char sql[160];
    int rc = exec(db, schema_sql, "cannot create the schema");
    sqlite3_stmt *st = NULL;
    if (rc == MR_OK &&
        sqlite3_prepare_v2(db->conn, "INSERT INTO tquantile VALUES (?, ?)", -1, &st, NULL) !=
            SQLITE_OK)
        rc = fail_sql(db, sqlite3_errcode(db->conn), "cannot create the schema");
    for (int df = 1; rc == MR_OK && df <= 1000; df++) {
        sqlite3_bind_int(st, 1, df);
        sqlite3_bind_double(st, 2, gsl_cdf_tdist_Pinv(0.975, df));
        int code = sqlite3_step(st);
        sqlite3_reset(st);
        if (code != SQLITE_DONE)
            rc = fail_sql(db, code, "cannot create the schema");
    }
    sqlite3_finalize(st);
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             MR_DB_APPLICATION_ID, MR_DB_SCHEMA_VERSION);
    if (rc == MR_OK)
        rc = exec(db, sql, "cannot create the schema");
    return rc;
}

/* Checks that the file is an mrsim database of our version, creating the
 * schema in an empty one; the write transaction also proves the file is
 * writable and not locked before any replication runs. */
static int check_or_create(mr_db *db)
{
    int64_t app = 0, version = 0, objects = 0;
    int rc = query_int(db, "PRAGMA application_id", &app, "cannot read");
    if (rc == MR_OK)
        rc = query_int(db, "PRAGMA user_version", &version, "cannot read");
    if (rc == MR_OK)
        rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &objects, "cannot read");
    if (rc != MR_OK)
        return rc;
    if ((objects > 0 || app != 0) && app != MR_DB_APPLICATION_ID) {
        set_msg(db, "%s: not an mrsim results database (a SQLite file of another kind); "
                    "give a new file",
                db->path);
        return MR_EIO;
    }
    if (objects > 0 && version != MR_DB_SCHEMA_VERSION) {
        set_msg(db, "%s: results database of schema version %lld; this mrsim writes version "
                    "%d and mixes none: give a new file",
                db->path, (long long)version, MR_DB_SCHEMA_VERSION);
        return MR_EIO;
    }
    if (sqlite3_db_readonly(db->conn, "main") == 1) {
        set_msg(db, "%s: read-only: cannot append results", db->path);
        return MR_EIO;
    }
    rc = exec(db, "BEGIN IMMEDIATE", "cannot write");
    if (rc != MR_OK)
        return rc;
    /* Again inside the lock: another process may have created it. */
    rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &objects, "cannot read");
    if (rc == MR_OK && objects == 0)
        rc = create_schema(db);
    if (rc == MR_OK)
        rc = exec(db, "COMMIT", "cannot write");
    if (rc != MR_OK && !sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int mr_db_open(const char *path, mr_db **out, char *err, size_t errlen)
{
    *out = NULL;
    mr_db *db = mr_xcalloc(1, sizeof *db);
    db->vectors = MR_VECTORS_FIRST;
    db->path = mr_xstrdup(path);
    pthread_mutex_init(&db->lock, NULL);
    int code = sqlite3_open_v2(path, &db->conn,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
    int rc = code == SQLITE_OK ? MR_OK : fail_sql(db, code, "cannot open");
    if (rc == MR_OK) {
        sqlite3_busy_timeout(db->conn, MR_DB_BUSY_TIMEOUT_MS);
        sqlite3_extended_result_codes(db->conn, 0);
        rc = check_or_create(db);
    }
    if (rc == MR_OK) {
        /* WAL: a reader never blocks the writer, and a kill loses at most the
         * transaction in flight; FULL syncs each replication's commit. */
        sqlite3_stmt *st = NULL;
        code = sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (code == SQLITE_OK && (code = sqlite3_step(st)) == SQLITE_ROW) {
            const char *mode = (const char *)sqlite3_column_text(st, 0);
            code = SQLITE_OK;
            if (mode == NULL || strcmp(mode, "wal") != 0) {
                set_msg(db, "%s: cannot switch to WAL mode (journal mode stays %s)", db->path,
                        mode ? mode : "unknown");
                rc = MR_EIO;
            }
        }
        sqlite3_finalize(st);
        if (code != SQLITE_OK)
            rc = fail_sql(db, code, "cannot switch to WAL mode");
    }
    if (rc == MR_OK)
        rc = exec(db, "PRAGMA synchronous = FULL", "cannot configure");
    if (rc == MR_OK) {
        /* The summary view needs sqrt: SQLite has it when built with its math
         * functions (Debian's is); otherwise this connection gets ours. */
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->conn, "SELECT sqrt(4.0)", -1, &st, NULL) != SQLITE_OK)
            sqlite3_create_function(db->conn, "sqrt", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                    NULL, sqrt_fn, NULL, NULL);
        sqlite3_finalize(st);
    }
    for (int i = 0; rc == MR_OK && i < ST_COUNT; i++) {
        code = sqlite3_prepare_v3(db->conn, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                  &db->stmt[i], NULL);
        if (code != SQLITE_OK)
            rc = fail_sql(db, code, "cannot prepare the inserts (is the schema intact?)");
    }
    if (rc != MR_OK) {
        snprintf(err, errlen, "%s", db->msg);
        mr_db_close(db);
        return rc;
    }
    *out = db;
    return MR_OK;
}

static void rec_free(db_rec *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nscalars; i++) {
        free(r->scalars[i].component);
        free(r->scalars[i].metric);
    }
    free(r->scalars);
    for (size_t i = 0; i < r->nstats; i++) {
        free(r->stats[i].lower);
        free(r->stats[i].bins);
    }
    free(r->episodes);
    for (size_t i = 0; i < r->nms; i++) {
        free(r->ms[i].name);
        free(r->ms[i].component);
    }
    free(r->ms);
    free(r->win_total);
    free(r->win_ok);
    free(r->win_index);
    for (size_t i = 0; i < r->nser; i++) {
        free(r->ser[i].component);
        free(r->ser[i].metric);
        free(r->ser[i].unit);
        free(r->ser[i].v);
    }
    free(r->ser);
    free(r);
}

static void drop_run(mr_db *db)
{
    for (size_t i = 0; i < db->nqueue; i++)
        rec_free(db->queue[i]);
    db->nqueue = 0;
    for (size_t i = 0; i < db->nattrs; i++) {
        free(db->attrs[i].key);
        free(db->attrs[i].value);
    }
    free(db->attrs);
    db->attrs = NULL;
    db->nattrs = 0;
    free(db->variant);
    db->variant = NULL;
    for (size_t f = 0; f < db->nfault_targets; f++)
        free(db->fault_targets[f]);
    db->nfault_targets = 0;
    free(db->fault_targets);
    db->fault_targets = NULL;
    db->sc = NULL;
}

int mr_db_close(mr_db *db)
{
    if (db == NULL)
        return MR_OK;
    int rc = MR_OK;
    drop_run(db);
    free(db->queue);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(db->stmt[i]);
#ifdef MRSIM_DB_FAULT_INJECTION
    if (db->blocker)
        sqlite3_close(db->blocker);
#endif
    if (db->conn && sqlite3_close(db->conn) != SQLITE_OK)
        rc = MR_EIO;
    pthread_mutex_destroy(&db->lock);
    free(db->path);
    free(db->command_line);
    free(db);
    return rc;
}

void mr_db_set_vectors(mr_db *db, mr_vectors mode)
{
    db->vectors = mode;
}

const char *mr_db_errmsg(const mr_db *db)
{
    return db->msg;
}

uint64_t mr_db_committed(const mr_db *db)
{
    return db->committed;
}

typedef struct attr_ctx {
    mr_db *db;
    size_t cap;
    const char *const *varied;
    size_t nvaried;
} attr_ctx;

/* 1 when path is key or lies under it (key "traffic.probe" covers
 * "traffic.probe.interval", key "clusters[1]" covers "clusters[1].nodes"). */
static int covered(const char *path, const char *key)
{
    size_t n = strlen(key);
    return strncmp(path, key, n) == 0 &&
           (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

static void add_attr(void *vctx, const char *path, const char *value)
{
    attr_ctx *a = vctx;
    mr_db *db = a->db;
    if (db->nattrs == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        db->attrs = mr_xrealloc(db->attrs, a->cap * sizeof *db->attrs);
    }
    db_attr *at = &db->attrs[db->nattrs++];
    at->key = mr_xstrdup(path);
    at->value = value ? mr_xstrdup(value) : NULL;
    at->varied = 0;
    for (size_t k = 0; k < a->nvaried && !at->varied; k++)
        at->varied = covered(path, a->varied[k]);
}

int mr_db_begin_run(mr_db *db, const mr_scenario *sc, const char *variant,
                    const char *const *varied, size_t nvaried)
{
    drop_run(db);
    db->sc = sc;
    db->variant = mr_xstrdup(variant ? variant : sc->name);
    db->next = 0;
    attr_ctx a = {.db = db, .varied = varied, .nvaried = nvaried};
    mr_scenario_each_value(sc, add_attr, &a);
    /* A new invocation row per run: two invocations with different --set
     * values (or two variants) never pool in the summary. The hash, FNV-1a
     * over the resolved scenario's key=value lines, tells two identical
     * configurations apart from two different ones. */
    db->invocation = 0;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < db->nattrs; i++) {
        const char *parts[3] = {db->attrs[i].key, "=", db->attrs[i].value ? db->attrs[i].value : ""};
        for (int k = 0; k < 3; k++)
            for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++)
                h = (h ^ *p) * 0x100000001b3ULL;
        h = (h ^ '\n') * 0x100000001b3ULL;
    }
    snprintf(db->scenario_hash, sizeof db->scenario_hash, "%016llx", (unsigned long long)h);
    return db->failed;
}

void mr_db_set_command(mr_db *db, const char *command_line)
{
    free(db->command_line);
    db->command_line = mr_xstrdup(command_line ? command_line : "");
}

int mr_db_end_run(mr_db *db)
{
    drop_run(db);
    return db->failed;
}

static void copy_hist(db_stat *s, const char *metric, const mr_hist *h)
{
    s->metric = metric;
    s->count = h->n;
    s->sum = h->sum;
    s->sumsq = h->sumsq;
    s->min = h->n ? h->min : NAN;
    s->max = h->n ? h->max : NAN;
    size_t i = 0, cap = 0;
    double lower;
    uint64_t count;
    while (mr_hist_next_bin(h, &i, &lower, &count)) {
        if (s->nbins == cap) {
            cap = cap ? 2 * cap : 32;
            s->lower = mr_xrealloc(s->lower, cap * sizeof *s->lower);
            s->bins = mr_xrealloc(s->bins, cap * sizeof *s->bins);
        }
        s->lower[s->nbins] = lower;
        s->bins[s->nbins++] = count;
    }
}

static db_episode *episode_at(db_rec *r, size_t k, size_t *cap)
{
    while (r->nepisodes <= k) {
        if (r->nepisodes == *cap) {
            *cap = *cap ? 2 * *cap : 8;
            r->episodes = mr_xrealloc(r->episodes, *cap * sizeof *r->episodes);
        }
        db_episode *e = &r->episodes[r->nepisodes++];
        e->fault = e->start_s = e->end_s = e->rto_s = e->rpo_s = e->lost_writes = e->censored =
            NAN;
    }
    return &r->episodes[k];
}

/* Each episode's RPO and lost writes: those of the data stores' failovers
 * that its fault caused (the stores report each failover's fault, RPO,
 * lost writes and instant, models/store_common.c), given to the latest
 * episode of that fault started at or before the failover. With data
 * stores an episode that caused none lost nothing (0, as the JSON's
 * per-fault RPO counts it); without any, both stay NULL. */
static void assign_failovers(db_rec *r, const mr_rep_view *v)
{
    if (v->sc->ndatastores == 0)
        return;
    for (size_t k = 0; k < r->nepisodes; k++) {
        r->episodes[k].rpo_s = 0;
        r->episodes[k].lost_writes = 0;
    }
    const char *comp, *metric;
    double value, fault = -1, rpo = 0, lost = 0;
    for (size_t i = 0; mr_report_get(v->report, i, &comp, &metric, &value); i++) {
        if (strcmp(metric, "failover_fault") == 0)
            fault = value;
        else if (strcmp(metric, "failover_rpo_s") == 0)
            rpo = value;
        else if (strcmp(metric, "failover_lost") == 0)
            lost = value;
        else if (strcmp(metric, "failover_at_s") == 0 && fault >= 0) {
            db_episode *best = NULL;
            for (size_t k = 0; k < r->nepisodes; k++) {
                db_episode *e = &r->episodes[k];
                if (e->fault == fault && e->start_s <= value &&
                    (best == NULL || e->start_s >= best->start_s))
                    best = e;
            }
            if (best) {
                best->rpo_s = rpo > best->rpo_s ? rpo : best->rpo_s;
                best->lost_writes += lost;
            }
            fault = -1;
        }
    }
}

/* Whole-system metrics: the values the JSON averages, by its names (NaN:
 * not applicable, left out). */
static void copy_metrics(db_rec *r, const mr_rep_view *v)
{
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        if (isnan(v->metrics[m]))
            continue;
        db_scalar *s = &r->scalars[r->nscalars++];
        s->component = mr_xstrdup("");
        s->metric = mr_xstrdup(mr_metric_name((mr_metric)m));
        s->value = v->metrics[m];
    }
}

/* The field of an episode a report's metric names, or NULL. */
static double *episode_field(db_episode *e, const char *metric)
{
    return strcmp(metric, "fault") == 0         ? &e->fault
           : strcmp(metric, "start_s") == 0     ? &e->start_s
           : strcmp(metric, "end_s") == 0       ? &e->end_s
           : strcmp(metric, "rto_s") == 0       ? &e->rto_s
           : strcmp(metric, "rpo_s") == 0       ? &e->rpo_s
           : strcmp(metric, "lost_writes") == 0 ? &e->lost_writes
           : strcmp(metric, "censored") == 0    ? &e->censored
                                                : NULL;
}

static char *strndup_x(const char *s, size_t n)
{
    char *p = mr_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* A "milestone/K" scalar (sim/run/timeline.c: metric "name|component",
 * value t_s, or "name|component|censored") into episode K's milestone of
 * that name and component; the scalars of one come together, so the last
 * one is the only one to look at. room: the capacity of r->ms. */
static void copy_milestone(db_rec *r, const char *comp, const char *metric, double value,
                           size_t room)
{
    char *end;
    unsigned long k = strtoul(comp + 10, &end, 10);
    const char *bar = strchr(metric, '|');
    if (*end != '\0' || k > 1000000 || bar == NULL || r->nms >= room)
        return;
    const char *rest = bar + 1, *bar2 = strchr(rest, '|');
    size_t nlen = (size_t)(bar - metric), clen = bar2 ? (size_t)(bar2 - rest) : strlen(rest);
    db_milestone *m = r->nms ? &r->ms[r->nms - 1] : NULL;
    if (m == NULL || m->episode != k || strlen(m->name) != nlen ||
        strncmp(m->name, metric, nlen) != 0 || strlen(m->component) != clen ||
        strncmp(m->component, rest, clen) != 0) {
        m = &r->ms[r->nms++];
        m->episode = k;
        m->name = strndup_x(metric, nlen);
        m->component = strndup_x(rest, clen);
        m->t_s = NAN;
        m->censored = 0;
    }
    if (bar2)
        m->censored = value > 0;
    else
        m->t_s = value;
}

/* The report's values: "episode/K" components into episode K, the others
 * as scalars (but NaN, and the whole-system metrics copy_metrics has). */
static void copy_report(db_rec *r, const mr_rep_view *v)
{
    size_t epcap = 0;
    const char *comp, *metric;
    double value;
    size_t room = mr_report_count(v->report);
    r->ms = mr_xcalloc(room + 1, sizeof *r->ms);
    for (size_t i = 0; mr_report_get(v->report, i, &comp, &metric, &value); i++) {
        if (strncmp(comp, "milestone/", 10) == 0) {
            copy_milestone(r, comp, metric, value, room);
            continue;
        }
        if (strncmp(comp, "episode/", 8) == 0) {
            char *end;
            unsigned long k = strtoul(comp + 8, &end, 10);
            if (*end != '\0' || k > 1000000)
                continue;
            double *field = episode_field(episode_at(r, (size_t)k, &epcap), metric);
            if (field)
                *field = value;
            continue;
        }
        if (isnan(value))
            continue;
        if (comp[0] == '\0') {
            /* The metrics above already hold the whole-system values of the
             * JSON's names; other whole-system scalars (requests) follow. */
            int known = 0;
            for (int m = 0; m < MR_METRIC_COUNT && !known; m++)
                known = strcmp(metric, mr_metric_name((mr_metric)m)) == 0;
            if (known)
                continue;
        }
        db_scalar *s = &r->scalars[r->nscalars++];
        s->component = mr_xstrdup(comp);
        s->metric = mr_xstrdup(metric);
        s->value = value;
    }
}

/* The SLO windows' request counts: every window up to the horizon, or at
 * aggregate fidelity the kept ones with their indices (see commit_rec). */
static void copy_windows(db_rec *r, const mr_rep_view *v)
{
    if (v->nwin > 0) {
        /* The windows up to the horizon (the last, partial one included). */
        size_t nwin = v->nwin;
        mr_time horizon = v->sc->run.horizon;
        if (v->window > 0 && (size_t)((horizon + v->window - 1) / v->window) < nwin)
            nwin = (size_t)((horizon + v->window - 1) / v->window);
        r->nwin = nwin;
        r->window = v->window;
        r->win_total = mr_xmalloc((nwin + 1) * sizeof *r->win_total);
        r->win_ok = mr_xmalloc((nwin + 1) * sizeof *r->win_ok);
        memcpy(r->win_total, v->win_total, nwin * sizeof *r->win_total);
        memcpy(r->win_ok, v->win_ok, nwin * sizeof *r->win_ok);
    } else if (v->nsparse > 0) {
        size_t kept = v->nsparse;
        r->nwin = kept;
        r->window = v->window;
        r->win_index = mr_xmalloc(kept * sizeof *r->win_index);
        r->win_total = mr_xmalloc(kept * sizeof *r->win_total);
        r->win_ok = mr_xmalloc(kept * sizeof *r->win_ok);
        for (size_t i = 0; i < kept; i++) { /* Poisson counts: whole numbers */
            r->win_index[i] = v->sparse_w[i];
            r->win_total[i] = (uint64_t)llround(v->sparse_total[i]);
            r->win_ok[i] = (uint64_t)llround(v->sparse_ok[i]);
        }
    }
}

static db_series *add_series(db_rec *r, const char *comp, const char *metric, const char *unit)
{
    db_series *s = &r->ser[r->nser++];
    s->component = mr_xstrdup(comp);
    s->metric = mr_xstrdup(metric);
    s->unit = mr_xstrdup(unit ? unit : "");
    s->v = mr_xcalloc(r->nsamp + 1, sizeof *s->v);
    return s;
}

/* The components' vectors per window (docs/results.md "Vectors"): a
 * level as it stood at the window's start, a counter's increase over the
 * window. A population's successes become its success ratio (NaN for a
 * window where none of its requests ended), a resolver pool's requests
 * per answer their share of its requests (request_share); each region gets the requests
 * served by its clusters, their sum. */
static void copy_series(db_rec *r, const mr_rep_view *v)
{
    if (v->nseries == 0 || v->nsamples == 0)
        return;
    const mr_scenario *sc = v->sc;
    size_t n = v->nsamples, ns = v->nseries;
    r->nsamp = n;
    r->period = v->period;
    r->ser = mr_xcalloc(ns + sc->nregions + 1, sizeof *r->ser);
    const double *S = v->samples;
    for (size_t s = 0; s < ns; s++) {
        const mr_series_desc *d = &v->series[s];
        /* The running count this one is a share of: a population's
         * requests for its successes (just before them); a resolver
         * pool's requests for those per answer, "requests/CLUSTER" (the
         * pool's "requests" comes before them). */
        size_t of = SIZE_MAX;
        char metric[96];
        snprintf(metric, sizeof metric, "%s", d->metric);
        if (strcmp(d->metric, "successes") == 0 && s > 0 &&
            strcmp(v->series[s - 1].metric, "requests") == 0 &&
            strcmp(v->series[s - 1].component, d->component) == 0) {
            of = s - 1;
            snprintf(metric, sizeof metric, "success_ratio");
        } else if (d->counter && strncmp(d->metric, "requests/", 9) == 0) {
            for (size_t b = s; b-- > 0 && strcmp(v->series[b].component, d->component) == 0;)
                if (v->series[b].counter && strcmp(v->series[b].metric, "requests") == 0) {
                    of = b;
                    break;
                }
            if (of != SIZE_MAX)
                snprintf(metric, sizeof metric, "request_share/%s", d->metric + 9);
        }
        db_series *o = add_series(r, d->component, metric, of != SIZE_MAX ? "" : d->unit);
        for (size_t k = 0; k < n; k++) {
            double x = d->counter ? S[(k + 1) * ns + s] - S[k * ns + s] : S[k * ns + s];
            if (of != SIZE_MAX) {
                double req = S[(k + 1) * ns + of] - S[k * ns + of];
                x = req > 0 ? x / req : NAN;
            }
            o->v[k] = x;
        }
    }
    for (size_t g = 0; g < sc->nregions; g++) {
        db_series *o = NULL;
        for (size_t c = 0; c < sc->nclusters; c++) {
            if (sc->clusters[c].region != g)
                continue;
            char comp[96];
            snprintf(comp, sizeof comp, "clusters/%s", sc->clusters[c].name);
            for (size_t s = 0; s < r->nser; s++) {
                if (strcmp(r->ser[s].component, comp) != 0 ||
                    strcmp(r->ser[s].metric, "served") != 0)
                    continue;
                if (o == NULL) {
                    char rcomp[96];
                    snprintf(rcomp, sizeof rcomp, "regions/%s", sc->regions[g].name);
                    o = add_series(r, rcomp, "served", "requests"); /* ser was sized for it */
                }
                for (size_t k = 0; k < n; k++)
                    o->v[k] += r->ser[s].v[k];
                break;
            }
        }
    }
}

/* Copies what the database keeps of the replication (the view dies with
 * the hook's call). */
static db_rec *rec_new(const mr_rep_view *v)
{
    db_rec *r = mr_xcalloc(1, sizeof *r);
    r->rep = v->rep;
    r->seed = v->seed;
    r->events = v->events;
    r->started_at = v->started_at;
    r->wall_s = v->wall_s;
    size_t n = mr_report_count(v->report);
    r->scalars = mr_xcalloc(n + MR_METRIC_COUNT + 1, sizeof *r->scalars);
    copy_metrics(r, v);
    copy_report(r, v);
    if (v->latency_ms)
        copy_hist(&r->stats[r->nstats++], "latency_ms", v->latency_ms);
    if (v->client_rto_s)
        copy_hist(&r->stats[r->nstats++], "client_rto_s", v->client_rto_s);
    if (v->client_rto_censored_s)
        copy_hist(&r->stats[r->nstats++], "client_rto_censored_s", v->client_rto_censored_s);
    copy_windows(r, v);
    copy_series(r, v);
    assign_failovers(r, v);
    return r;
}

static void bind_real(sqlite3_stmt *st, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Runs a bound insert and resets it; SQLITE_DONE or the failure code. */
static int step(sqlite3_stmt *st)
{
    int code = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return code;
}

static void iso_time(double t, char *buf, size_t len)
{
    time_t secs = (time_t)t;
    struct tm tm;
    gmtime_r(&secs, &tm);
    int ms = (int)((t - (double)secs) * 1e3);
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%03dZ", day, ms < 0 ? 0 : ms > 999 ? 999 : ms);
}

#ifdef MRSIM_DB_FAULT_INJECTION
/* Test builds only: MRSIM_DB_FAIL=full:N or busy:N makes the Nth commit
 * of this process meet a real full database (max_page_count capped at the
 * current size) or a real lock (a second connection holding BEGIN
 * EXCLUSIVE), so the failure paths run through SQLite itself. */
static void inject(mr_db *db)
{
    const char *spec = getenv("MRSIM_DB_FAIL");
    if (spec == NULL)
        return;
    const char *colon = strchr(spec, ':');
    if (colon == NULL || strtoull(colon + 1, NULL, 10) != db->attempts)
        return;
    if (strncmp(spec, "full:", 5) == 0) {
        int64_t pages = 0;
        if (query_int(db, "PRAGMA page_count", &pages, "inject") == MR_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
            sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
        }
    } else if (strncmp(spec, "busy:", 5) == 0 && db->blocker == NULL) {
        if (sqlite3_open_v2(db->path, &db->blocker, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI,
                            NULL) == SQLITE_OK)
            sqlite3_exec(db->blocker, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
    }
}
#endif

/* One sample of a vector; SQLITE_DONE or the failure code. */
static int vsample(mr_db *db, sqlite3_int64 vector_id, sqlite3_int64 t_ns, double value)
{
    sqlite3_stmt *st = db->stmt[ST_VDATA];
    sqlite3_bind_int64(st, 1, vector_id);
    sqlite3_bind_int64(st, 2, t_ns);
    if (isnan(value))
        sqlite3_bind_null(st, 3);
    else
        sqlite3_bind_double(st, 3, value);
    return step(st);
}

/* The success ratio of an aggregate-fidelity replication from its kept
 * windows (see commit_rec). */
static int write_sparse(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *S = db->stmt[ST_VECTOR];
    sqlite3_bind_int64(S, 1, run_id);
    bind_text(S, 2, "");
    bind_text(S, 3, "success_ratio");
    bind_text(S, 4, "");
    bind_text(S, 5, "sample-hold");
    int code = step(S);
    if (code != SQLITE_DONE)
        return code;
    sqlite3_int64 id = sqlite3_last_insert_rowid(db->conn), w = (sqlite3_int64)r->window;
    if (r->win_index[0] > 0 && (code = vsample(db, id, 0, 1)) != SQLITE_DONE)
        return code;
    for (size_t i = 0; i < r->nwin; i++) {
        uint64_t k = r->win_index[i];
        double ratio = r->win_total[i] > 0 ? (double)r->win_ok[i] / (double)r->win_total[i] : NAN;
        if ((code = vsample(db, id, (sqlite3_int64)k * w, ratio)) != SQLITE_DONE)
            return code;
        int run_ends = i + 1 == r->nwin || r->win_index[i + 1] != k + 1;
        if (run_ends && (sqlite3_int64)(k + 1) * w < db->sc->run.horizon &&
            (code = vsample(db, id, (sqlite3_int64)(k + 1) * w, 1)) != SQLITE_DONE)
            return code;
    }
    return SQLITE_DONE;
}

/* The writers of commit_rec, one per table (or pair of tables): each runs
 * its inserts and returns SQLITE_DONE, or the failure code at the first
 * that fails. */

/* The run's row; *run_id is its id. */
static int write_run(mr_db *db, const db_rec *r, sqlite3_int64 *run_id)
{
    sqlite3_stmt *st = db->stmt[ST_RUN];
    const mr_scenario *sc = db->sc;
    char started[48];
    iso_time(r->started_at, started, sizeof started);
    bind_text(st, 1, sc->name);
    bind_text(st, 2, sc->file);
    bind_text(st, 3, db->variant);
    /* INTEGER is signed 64-bit: a seed of 2^63 or more reads back negative
     * (add 2^64); the bits are kept exactly. */
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->seed);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)r->rep);
    bind_text(st, 6, started);
    sqlite3_bind_double(st, 7, r->wall_s);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)r->events);
    bind_text(st, 9, MR_VERSION);
    sqlite3_bind_int64(st, 10, db->invocation);
    int code = step(st);
    if (code == SQLITE_DONE)
        *run_id = sqlite3_last_insert_rowid(db->conn);
    return code;
}

/* The invocation row of the current run, written with its first
 * replication (in the same transaction: no invocation without a run). */
static int write_invocation(mr_db *db, const db_rec *r)
{
    if (db->invocation != 0)
        return SQLITE_DONE;
    sqlite3_stmt *st = db->stmt[ST_INVOCATION];
    char started[48];
    iso_time(r->started_at, started, sizeof started);
    bind_text(st, 1, db->command_line ? db->command_line : "");
    bind_text(st, 2, MR_VERSION);
    bind_text(st, 3, db->scenario_hash);
    bind_text(st, 4, started);
    bind_text(st, 5, db->vectors == MR_VECTORS_NONE    ? "none"
                     : db->vectors == MR_VECTORS_ALL ? "all"
                                                     : "summary");
    int code = step(st);
    if (code == SQLITE_DONE)
        db->invocation = sqlite3_last_insert_rowid(db->conn);
    return code;
}

/* The run's attributes: every value of the scenario, the varied marked. */
static int write_attrs(mr_db *db, sqlite3_int64 run_id)
{
    sqlite3_stmt *st = db->stmt[ST_ATTR];
    for (size_t i = 0; i < db->nattrs; i++) {
        sqlite3_bind_int64(st, 1, run_id);
        bind_text(st, 2, db->attrs[i].key);
        bind_text(st, 3, db->attrs[i].value);
        sqlite3_bind_int(st, 4, db->attrs[i].varied);
        int code = step(st);
        if (code != SQLITE_DONE)
            return code;
    }
    return SQLITE_DONE;
}

static int write_scalars(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *st = db->stmt[ST_SCALAR];
    for (size_t i = 0; i < r->nscalars; i++) {
        sqlite3_bind_int64(st, 1, run_id);
        bind_text(st, 2, r->scalars[i].component);
        bind_text(st, 3, r->scalars[i].metric);
        bind_real(st, 4, r->scalars[i].value);
        int code = step(st);
        if (code != SQLITE_DONE)
            return code;
    }
    return SQLITE_DONE;
}

/* Each statistic's row, then its histogram's bins under its id. */
static int write_stats(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *st = db->stmt[ST_STAT], *bin = db->stmt[ST_BIN];
    int code;
    for (size_t i = 0; i < r->nstats; i++) {
        const db_stat *s = &r->stats[i];
        sqlite3_bind_int64(st, 1, run_id);
        bind_text(st, 2, "");
        bind_text(st, 3, s->metric);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)s->count);
        sqlite3_bind_double(st, 5, s->sum);
        sqlite3_bind_double(st, 6, s->sumsq);
        bind_real(st, 7, s->min);
        bind_real(st, 8, s->max);
        if ((code = step(st)) != SQLITE_DONE)
            return code;
        sqlite3_int64 stat_id = sqlite3_last_insert_rowid(db->conn);
        for (size_t b = 0; b < s->nbins; b++) {
            sqlite3_bind_int64(bin, 1, stat_id);
            sqlite3_bind_double(bin, 2, s->lower[b]);
            sqlite3_bind_int64(bin, 3, (sqlite3_int64)s->bins[b]);
            if ((code = step(bin)) != SQLITE_DONE)
                return code;
        }
    }
    return SQLITE_DONE;
}

/* Each episode with its fault's name, kind and target (NULL when the
 * report named no fault of the scenario). */
static int write_episodes(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *st = db->stmt[ST_EPISODE];
    const mr_scenario *sc = db->sc;
    for (size_t k = 0; k < r->nepisodes; k++) {
        const db_episode *e = &r->episodes[k];
        size_t f = isnan(e->fault) || e->fault < 0 ? SIZE_MAX : (size_t)e->fault;
        int known = f < sc->nfaults;
        sqlite3_bind_int64(st, 1, run_id);
        bind_text(st, 2, known ? sc->faults[f].name : NULL);
        bind_text(st, 3, known ? mr_fault_kind_name(sc->faults[f].kind) : NULL);
        bind_text(st, 4, known && db->fault_targets ? db->fault_targets[f] : NULL);
        bind_real(st, 5, e->start_s);
        bind_real(st, 6, e->end_s);
        bind_real(st, 7, e->rto_s);
        bind_real(st, 8, e->rpo_s);
        bind_real(st, 9, e->lost_writes);
        if (isnan(e->censored))
            sqlite3_bind_null(st, 10);
        else
            sqlite3_bind_int(st, 10, e->censored > 0);
        int code = step(st);
        if (code != SQLITE_DONE)
            return code;
    }
    return SQLITE_DONE;
}

/* Each episode's recovery milestones, with its fault's name. */
static int write_milestones(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *st = db->stmt[ST_MILESTONE];
    const mr_scenario *sc = db->sc;
    for (size_t i = 0; i < r->nms; i++) {
        const db_milestone *m = &r->ms[i];
        double fv = m->episode < r->nepisodes ? r->episodes[m->episode].fault : NAN;
        size_t f = isnan(fv) || fv < 0 ? SIZE_MAX : (size_t)fv;
        sqlite3_bind_int64(st, 1, run_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)m->episode);
        bind_text(st, 3, f < sc->nfaults ? sc->faults[f].name : NULL);
        bind_text(st, 4, m->name);
        bind_text(st, 5, m->component);
        bind_real(st, 6, m->t_s);
        sqlite3_bind_int(st, 7, m->censored);
        int code = step(st);
        if (code != SQLITE_DONE)
            return code;
    }
    return SQLITE_DONE;
}

/* Every window of a request-fidelity replication: the success ratio and
 * the requests, two vectors (see commit_rec). */
static int write_windows(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *vec = db->stmt[ST_VECTOR], *data = db->stmt[ST_VDATA];
    int code;
    for (int v = 0; v < 2 && r->nwin > 0; v++) {
        sqlite3_bind_int64(vec, 1, run_id);
        bind_text(vec, 2, "");
        bind_text(vec, 3, v == 0 ? "success_ratio" : "requests");
        bind_text(vec, 4, "");
        bind_text(vec, 5, "sample-hold");
        if ((code = step(vec)) != SQLITE_DONE)
            return code;
        sqlite3_int64 vector_id = sqlite3_last_insert_rowid(db->conn);
        for (size_t w = 0; w < r->nwin; w++) {
            sqlite3_bind_int64(data, 1, vector_id);
            sqlite3_bind_int64(data, 2, (sqlite3_int64)w * r->window);
            if (v == 1)
                sqlite3_bind_double(data, 3, (double)r->win_total[w]);
            else if (r->win_total[w] > 0)
                sqlite3_bind_double(data, 3, (double)r->win_ok[w] / (double)r->win_total[w]);
            else
                sqlite3_bind_null(data, 3);
            if ((code = step(data)) != SQLITE_DONE)
                return code;
        }
    }
    return SQLITE_DONE;
}

/* The components' vectors, sample-hold: a sample only where the value
 * changes (and at the first window), so a level that stands still for a
 * day is one row; NaN (no value) is a NULL sample. */
static int write_series(mr_db *db, sqlite3_int64 run_id, const db_rec *r)
{
    sqlite3_stmt *vec = db->stmt[ST_VECTOR];
    int code;
    for (size_t i = 0; i < r->nser; i++) {
        const db_series *s = &r->ser[i];
        sqlite3_bind_int64(vec, 1, run_id);
        bind_text(vec, 2, s->component);
        bind_text(vec, 3, s->metric);
        bind_text(vec, 4, s->unit);
        bind_text(vec, 5, "sample-hold");
        if ((code = step(vec)) != SQLITE_DONE)
            return code;
        sqlite3_int64 id = sqlite3_last_insert_rowid(db->conn);
        for (size_t k = 0; k < r->nsamp; k++) {
            double x = s->v[k], prev = k ? s->v[k - 1] : 0;
            if (k > 0 && (x == prev || (isnan(x) && isnan(prev))))
                continue;
            if ((code = vsample(db, id, (sqlite3_int64)k * r->period, x)) != SQLITE_DONE)
                return code;
        }
    }
    return SQLITE_DONE;
}

/* Writes one replication in one transaction. Only the writer calls it.
 * Per SLO window, stamped with the window's start: the whole system's
 * success ratio (NULL for a window without requests) and its requests.
 * Aggregate fidelity keeps only the windows below a success share of 1
 * (a century has 300 million windows): the success ratio then has a
 * sample at each of those and a 1 where a run of them ends (and at 0),
 * which sample-hold reads as the whole series; requests are not
 * written, their per-window counts are not kept. */
static int commit_rec(mr_db *db, const db_rec *r)
{
    sqlite3_int64 run_id = 0, had = db->invocation;
    db->attempts++;
#ifdef MRSIM_DB_FAULT_INJECTION
    inject(db);
#endif
    int code = sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (code != SQLITE_OK)
        goto fail;
    if ((code = write_invocation(db, r)) != SQLITE_DONE ||
        (code = write_run(db, r, &run_id)) != SQLITE_DONE ||
        (code = write_attrs(db, run_id)) != SQLITE_DONE ||
        (code = write_scalars(db, run_id, r)) != SQLITE_DONE ||
        (code = write_stats(db, run_id, r)) != SQLITE_DONE ||
        (code = write_episodes(db, run_id, r)) != SQLITE_DONE ||
        (code = write_milestones(db, run_id, r)) != SQLITE_DONE)
        goto fail;
    if (db->vectors != MR_VECTORS_NONE) {
        code = r->win_index ? write_sparse(db, run_id, r) : write_windows(db, run_id, r);
        if (code == SQLITE_DONE)
            code = write_series(db, run_id, r);
        if (code != SQLITE_DONE)
            goto fail;
    }
    code = sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL);
    if (code != SQLITE_OK)
        goto fail;
    db->committed++;
    return MR_OK;
fail:
    code = sqlite3_errcode(db->conn) != SQLITE_OK ? sqlite3_errcode(db->conn) : code;
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    db->invocation = had; /* rolled back with the rest */
    set_msg(db,
            "%s: cannot commit replication %llu of %s: %s%s; the %llu replication(s) committed "
            "before it stay intact",
            db->path, (unsigned long long)r->rep, db->variant, sqlite3_errstr(code), hint(code),
            (unsigned long long)db->committed);
    return MR_EIO;
}

int mr_db_rep_hook(void *vdb, const mr_rep_view *v)
{
    mr_db *db = vdb;
    if (db == NULL)
        return MR_EINVAL; /* a rank other than 0 under mpirun never writes */
    db_rec *rec = rec_new(v);
    pthread_mutex_lock(&db->lock);
    if (db->fault_targets == NULL && v->fault_targets) {
        db->fault_targets = mr_xcalloc(db->sc->nfaults + 1, sizeof *db->fault_targets);
        for (size_t f = 0; f < db->sc->nfaults; f++)
            db->fault_targets[f] = mr_xstrdup(v->fault_targets[f]);
        db->nfault_targets = db->sc->nfaults;
    }
    if (db->failed) {
        int rc = db->failed;
        pthread_mutex_unlock(&db->lock);
        rec_free(rec);
        return rc;
    }
    if (db->nqueue == db->capqueue) {
        db->capqueue = db->capqueue ? 2 * db->capqueue : 8;
        db->queue = mr_xrealloc(db->queue, db->capqueue * sizeof *db->queue);
    }
    db->queue[db->nqueue++] = rec;
    if (db->writing) {
        pthread_mutex_unlock(&db->lock);
        return MR_OK;
    }
    db->writing = 1;
    for (;;) {
        db_rec *r = NULL;
        for (size_t i = 0; i < db->nqueue && r == NULL; i++) {
            if (db->queue[i]->rep == db->next) {
                r = db->queue[i];
                db->queue[i] = db->queue[--db->nqueue];
            }
        }
        if (r == NULL || db->failed)
            break;
        pthread_mutex_unlock(&db->lock);
        int rc = commit_rec(db, r);
        rec_free(r);
        pthread_mutex_lock(&db->lock);
        if (rc != MR_OK) {
            db->failed = rc;
            break;
        }
        db->next++;
    }
    db->writing = 0;
    int rc = db->failed;
    pthread_mutex_unlock(&db->lock);
    return rc;
}

typedef struct diff_ctx {
    const mr_scenario *other;
    char **keys;
    size_t n, cap;
} diff_ctx;

static void diff_one(void *vctx, const char *path, const char *value)
{
    diff_ctx *d = vctx;
    const char *o = mr_scenario_value(d->other, path);
    if (o && value && strcmp(o, value) == 0)
        return;
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->keys[i], path) == 0)
            return;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->keys = mr_xrealloc(d->keys, d->cap * sizeof *d->keys);
    }
    d->keys[d->n++] = mr_xstrdup(path);
}

size_t mr_db_differing_keys(const mr_scenario *const *scs, size_t n, char ***out)
{
    diff_ctx d = {0};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            d.other = scs[j];
            mr_scenario_each_value(scs[i], diff_one, &d);
        }
    }
    *out = d.keys;
    return d.n;
}

void mr_db_free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}
