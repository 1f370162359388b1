/* sim/out/dbread.h: reading a results database for `plot` and `report`:
 * opening it read-only (refusing what is not an mrsim database), its
 * candidates and their summaries. The candidates of a database are its
 * (scenario, variant) pairs, each with the runs of its latest invocation
 * (a database appended to twice shows the newest runs), ordered by their
 * first run: the order that fixes a candidate's colour in every figure. */
#ifndef MRSIM_OUT_DBREAD_H
#define MRSIM_OUT_DBREAD_H

#include <sqlite3.h>
#include <stddef.h>

#define MR_DBR_MAX_CAND 64

typedef struct mr_dbr_cand {
    char scenario[128], variant[128];
    sqlite3_int64 inv; /* its latest invocation */
    int color;         /* its index: the palette entry of plots/style.gp */
    int runs;          /* replications in that invocation */
} mr_dbr_cand;

/* Opens path read-only: MR_OK, or MR_EIO with the reason in err. */
int mr_dbr_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* The candidates, at most max of them; returns the count. */
size_t mr_dbr_candidates(sqlite3 *db, mr_dbr_cand *out, size_t max);

/* The whole system's summary of metric for candidate k (the summary view:
 * mean and t interval over its replications): 0 when there is none. One
 * replication has no interval: lo and hi are then the mean. */
int mr_dbr_summary(sqlite3 *db, const mr_dbr_cand *k, const char *metric, double *mean,
                   double *lo, double *hi);

/* select prepared with candidate k bound to its first three parameters
 * (invocation_id, scenario, variant); NULL when it does not compile. */
sqlite3_stmt *mr_dbr_runs(sqlite3 *db, const mr_dbr_cand *k, const char *select);

#endif
