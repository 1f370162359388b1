/* sim/out/dbread.c: see dbread.h. */
#include "out/dbread.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mrsim/error.h"
#include "out/db.h"

int mr_dbr_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return MR_EIO;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return MR_EIO;
    }
    sqlite3_stmt *st = NULL;
    int app = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        app = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (app != MR_DB_APPLICATION_ID) {
        snprintf(err, errlen, "%s: not an mrsim results database", path);
        sqlite3_close(db);
        return MR_EIO;
    }
    /* The summary view groups and self-joins every scalar of the file
     * each time it is read, and a figure reads it per candidate and
     * metric: a 50-point x 20-replication sweep took minutes. Computed
     * once into a temporary table of the same name (the temp schema is
     * searched first, and is writable on a read-only connection), indexed
     * by what the readers filter on, it takes seconds. */
    if (sqlite3_exec(db,
                     "CREATE TEMP TABLE summary AS SELECT * FROM main.summary;"
                     " CREATE INDEX temp.summary_key ON summary (invocation_id, scenario,"
                     " variant, component, metric);",
                     NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot read its summary: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return MR_EIO;
    }
    *out = db;
    return MR_OK;
}

static void copy(char *dst, size_t len, const unsigned char *src)
{
    snprintf(dst, len, "%s", src ? (const char *)src : "");
}

size_t mr_dbr_candidates(sqlite3 *db, mr_dbr_cand *out, size_t max)
{
    sqlite3_stmt *st = NULL;
    const char *q = "SELECT scenario, variant, MAX(invocation_id), MIN(run_id) FROM run"
                    " GROUP BY scenario, variant ORDER BY MIN(run_id)";
    size_t n = 0;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        mr_dbr_cand *k = &out[n];
        memset(k, 0, sizeof *k);
        copy(k->scenario, sizeof k->scenario, sqlite3_column_text(st, 0));
        copy(k->variant, sizeof k->variant, sqlite3_column_text(st, 1));
        k->inv = sqlite3_column_int64(st, 2);
        k->color = (int)n;
        n++;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        st = mr_dbr_runs(db, &out[i], "SELECT COUNT(*) FROM run WHERE invocation_id = ? AND"
                                      " scenario = ? AND variant IS ?");
        if (st && sqlite3_step(st) == SQLITE_ROW)
            out[i].runs = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

sqlite3_stmt *mr_dbr_runs(sqlite3 *db, const mr_dbr_cand *k, const char *select)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, select, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, k->inv);
    sqlite3_bind_text(st, 2, k->scenario, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, k->variant, -1, SQLITE_TRANSIENT);
    return st;
}

int mr_dbr_summary(sqlite3 *db, const mr_dbr_cand *k, const char *metric, double *mean,
                   double *lo, double *hi)
{
    sqlite3_stmt *st = mr_dbr_runs(db, k,
                                   "SELECT mean, ci95_lo, ci95_hi FROM summary WHERE"
                                   " invocation_id = ? AND scenario = ? AND variant IS ? AND"
                                   " component = '' AND metric = ?");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 4, metric, -1, SQLITE_TRANSIENT);
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *mean = sqlite3_column_double(st, 0);
        *lo = sqlite3_column_type(st, 1) == SQLITE_NULL ? *mean : sqlite3_column_double(st, 1);
        *hi = sqlite3_column_type(st, 2) == SQLITE_NULL ? *mean : sqlite3_column_double(st, 2);
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}
