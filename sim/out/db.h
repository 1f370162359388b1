/* sim/out/db.h: the results database of docs/cli.md "Results database":
 * one SQLite file, appended to by every `run`, `compare` and `sweep` given
 * --db, one transaction per replication, committed in replication order
 * whatever --jobs is. The replication hook (mr_db_rep_hook) is called from
 * worker threads: it copies the replication into a record and whichever
 * thread finds the next record in order ready commits it, one at a time, so
 * the file holds the same rows for any --jobs (wall times aside). Under
 * MPI only rank 0 opens the file: the runner brings it the other ranks'
 * replications, in order, through the same hook (runner.h relay_take).
 * Errors are MR_EIO codes with a message (mr_db_errmsg); after the first
 * failure every later replication is refused and what was committed before
 * stays intact. */
#ifndef MRSIM_OUT_DB_H
#define MRSIM_OUT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "run/build.h"
#include "config/scenario.h"

/* The schema version this build reads and writes (PRAGMA user_version). */
#define MR_DB_SCHEMA_VERSION 4
/* PRAGMA application_id of an mrsim database: "mrsm". */
#define MR_DB_APPLICATION_ID 0x6d72736d
/* How long a write waits for another process's lock before failing. */
#define MR_DB_BUSY_TIMEOUT_MS 5000

typedef struct mr_db mr_db;

/* Opens path (a file name or a SQLite URI such as file:r.db?mode=ro) for
 * appending, creating the file and its schema when missing or empty. A file
 * of another schema version, one that is not an mrsim database, a read-only
 * or locked one is refused: MR_EIO with the reason in err (errlen bytes),
 * *out NULL. */
int mr_db_open(const char *path, mr_db **out, char *err, size_t errlen);

/* Closes the file (checkpointing the WAL); NULL is a no-op. Returns MR_OK
 * or MR_EIO (the message stays readable until the handle is gone: read it
 * before). */
int mr_db_close(mr_db *db);

/* The command line every invocation row of this handle records (copied). */
void mr_db_set_command(mr_db *db, const char *command_line);

/* Which vectors the file keeps (`--db-vectors`, docs/cli.md "Results
 * database"): MR_VECTORS_NONE none; otherwise the whole system's success
 * ratio and requests of every replication, and the components' vectors of
 * the replications the run samples (give the run the same mode:
 * mr_run_opts.vectors; MR_VECTORS_FIRST samples replication 0 only, what
 * `summary` keeps). The default is MR_VECTORS_FIRST. */
void mr_db_set_vectors(mr_db *db, mr_vectors mode);

/* The message of the last failure, "" when none. */
const char *mr_db_errmsg(const mr_db *db);

/* Replications committed through this handle so far (every run). */
uint64_t mr_db_committed(const mr_db *db);

/* Starts a run: variant goes into run.variant (NULL: the scenario's name);
 * the varied keys mark runattr rows whose path is one of them or lies
 * under one (a key of a whole section). Then give opts->on_rep =
 * mr_db_rep_hook and opts->on_rep_ctx = db to mr_run_scenario, and call
 * mr_db_end_run after it returns. Returns MR_OK or the sticky failure. */
int mr_db_begin_run(mr_db *db, const mr_scenario *sc, const char *variant,
                    const char *const *varied, size_t nvaried);
int mr_db_rep_hook(void *db, const mr_rep_view *v);
/* Drops what could not be committed (replications after a gap left by a
 * failure); returns MR_OK or the sticky failure. */
int mr_db_end_run(mr_db *db);

/* The keys whose resolved values differ between the scenarios (what
 * `compare` of several files varied): *out is allocated (free it and its
 * strings with mr_db_free_keys). Returns the count. */
size_t mr_db_differing_keys(const mr_scenario *const *scs, size_t n, char ***out);
void mr_db_free_keys(char **keys, size_t n);

#endif
