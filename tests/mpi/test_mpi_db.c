/* tests/mpi/test_mpi_db.c: --db under mpirun (2 ranks). The ranks other than
 * 0 send each replication's records to rank 0, which commits them in
 * replication order: the database holds the same rows, with the same ids,
 * as the one a single process writes for run (request and aggregate
 * fidelity), compare, sweep and a sequentially stopped run; only run.started_at and run.wall_s (when and how
 * long a replication ran) differ, and are blanked before comparing. A
 * database that rank 0 cannot open, or cannot write in the middle of the
 * run (the test build's fault injection, sim/out/db.c), ends every rank
 * with exit 5 instead of a hang, the replications committed before intact.
 * Registered only when MRSIM_MPI is ON (tests/CMakeLists.txt). */
#include "e2e.h"

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

/* mpirun with n ranks; as root Open MPI wants --allow-run-as-root. The
 * fault injection's variable goes to every rank. */
static const char *mpirun(int n)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s %s--oversubscribe -x MRSIM_DB_FAIL -n %d", MRSIM_MPIEXEC,
             getuid() == 0 ? "--allow-run-as-root " : "", n);
    return buf;
}

/* Runs [MRSIM_DB_FAIL=fail] PREFIX BINARY ARGS --db DB, stdout discarded;
 * returns the exit status, *err (if not NULL) receiving stderr. */
static int run_db(const char *fail, const char *prefix, const char *binary, const char *args,
                  const char *db, char **err)
{
    run_out r =
        e2e_sh("MRSIM_DB_FAIL='%s' %s %s %s --db %s", fail ? fail : "", prefix, binary, args, db);
    free(r.out);
    if (err)
        *err = r.err;
    else
        free(r.err);
    return r.status;
}

/* The database's content as SQL text, when and how long each replication
 * ran blanked, and each invocation's start and command line (which names
 * the database file) (the only columns that legitimately differ between
 * runs). */
static char *dump(const char *db)
{
    run_out r = e2e_sh("sqlite3 %s \"UPDATE run SET started_at = '', wall_s = NULL; "
                       "UPDATE invocation SET started_at = '', command_line = ''\" && "
                       "sqlite3 %s .dump",
                       db, db);
    cr_assert_eq(r.status, 0, "sqlite3 %s: %s", db, r.err);
    free(r.err);
    return r.out;
}

static void remove_db(const char *db)
{
    char p[600];
    remove(db);
    snprintf(p, sizeof p, "%s-wal", db);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", db);
    remove(p);
}

/* One process and 2 ranks write the same database for ARGS. */
static void same_db_as_one_process(const char *args, int expect_runs)
{
    char one[] = "/tmp/mrsim-mpidb-one-XXXXXX", two[] = "/tmp/mrsim-mpidb-two-XXXXXX";
    close(mkstemp(one));
    close(mkstemp(two));
    remove(one);
    remove(two);
    char *err = NULL;
    int st = run_db(NULL, "", MRSIM_BINARY, args, one, &err);
    cr_assert_eq(st, 0, "%s", err);
    free(err);
    st = run_db(NULL, mpirun(2), MRSIM_BINARY, args, two, &err);
    cr_assert_eq(st, 0, "2 ranks: %s", err);
    free(err);
    char *a = dump(one), *b = dump(two);
    char want[64];
    snprintf(want, sizeof want, "INSERT INTO run VALUES(%d,", expect_runs);
    cr_assert(strstr(a, want), "%d replications in the database:\n%.2000s", expect_runs, a);
    snprintf(want, sizeof want, "INSERT INTO run VALUES(%d,", expect_runs + 1);
    cr_assert_null(strstr(a, want), "only %d", expect_runs);
    cr_assert(strstr(a, "INSERT INTO histbin") && strstr(a, "INSERT INTO vectordata") &&
                  strstr(a, "INSERT INTO episode") && strstr(a, "INSERT INTO scalar"),
              "every kind of record is compared");
    cr_assert_str_eq(a, b, "%s: the database of 1 process and of 2 ranks differ", args);
    free(a);
    free(b);
    remove_db(one);
    remove_db(two);
}

Test(mpi_db, run_writes_the_same_database_as_one_process, .timeout = 300)
{
    /* 40 replications on 1 thread per rank: rounds of 16 (MR_RELAY_ROUND x
     * 2 ranks), so the relay runs three times, the last round shorter. */
    same_db_as_one_process("run " FIXTURES "tiny-tm.yaml -q -n 40 -j 1", 40);
    same_db_as_one_process("run " FIXTURES "tiny-tm.yaml -q -n 9 -j 2", 9);
}

Test(mpi_db, aggregate_fidelity_writes_the_same_database_as_one_process, .timeout = 300)
{
    /* Its SLO windows are the sparse ones (only those below a share of 1). */
    same_db_as_one_process("run " FIXTURES "aggregate-ap-tm.yaml -q -n 4 -j 1 --set "
                           "run.fidelity=aggregate",
                           4);
}

Test(mpi_db, compare_writes_the_same_database_as_one_process, .timeout = 300)
{
    same_db_as_one_process("compare " FIXTURES "variants.yaml -q -n 5 -j 1", 15);
}

Test(mpi_db, sweep_writes_the_same_database_as_one_process, .timeout = 300)
{
    same_db_as_one_process("sweep " FIXTURES "sweep.yaml -q -n 5 -j 1", 10);
}

Test(mpi_db, sequential_stopping_keeps_the_same_replications, .timeout = 300)
{
    /* Batches of 2; the rule stops at 6 of at most 12 (test_mpi.c). */
    same_db_as_one_process("run " FIXTURES "tiny-tm.yaml -q -j 1 --set "
                           "\"run.replications={min: 2, max: 12, until: {metric: client_rto_s, "
                           "rel_ci_half_width: 0.04}}\"",
                           6);
}

Test(mpi_db, a_database_rank_0_cannot_open_ends_every_rank_with_5, .timeout = 120)
{
    char *err = NULL;
    int st = run_db(NULL, mpirun(2), MRSIM_BINARY, "run " FIXTURES "tiny-tm.yaml -q -n 4",
                    "/nonexistent/dir/r.db", &err);
    cr_assert_eq(st, 5, "%s", err);
    char *first = strstr(err, "mrsim: error: /nonexistent/dir/r.db: cannot open");
    cr_assert(first, "%s", err);
    cr_assert_null(strstr(first + strlen("mrsim: error:"), "error:"),
                   "one message, from rank 0:\n%s", err);
    free(err);
}

/* The committed replications as "0,1,2" and the integrity check's word. */
static void committed(const char *db, char *reps, size_t len, char *check, size_t clen)
{
    run_out r = e2e_sh("sqlite3 %s \"SELECT group_concat(replication) FROM (SELECT replication "
                       "FROM run ORDER BY run_id); PRAGMA integrity_check\"",
                       db);
    cr_assert_eq(r.status, 0, "sqlite3 %s: %s", db, r.err);
    char *text = r.out;
    char *nl = strchr(text, '\n');
    cr_assert(nl, "%s", text);
    *nl = '\0';
    snprintf(reps, len, "%s", text);
    snprintf(check, clen, "%s", nl + 1);
    char *end = strchr(check, '\n');
    if (end)
        *end = '\0';
    run_free(&r);
}

Test(mpi_db, a_commit_failing_on_rank_0_ends_every_rank_with_5, .timeout = 300)
{
    /* 6 replications over 2 ranks: rank 0 runs 0-2, rank 1 3-5. Commit 5
     * is replication 4, sent by rank 1; commit 2 is rank 0's own 1. */
    static const struct {
        const char *fail, *kept;
    } cases[] = {{"full:5", "0,1,2,3"}, {"full:2", "0"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char db[] = "/tmp/mrsim-mpidb-fail-XXXXXX";
        close(mkstemp(db));
        remove(db);
        char *err = NULL;
        int st = run_db(cases[k].fail, mpirun(2), MRSIM_DBFAULT_BINARY,
                        "run " FIXTURES "tiny-tm.yaml -q -n 6 -j 1", db, &err);
        cr_assert_eq(st, 5, "%s: %s", cases[k].fail, err);
        cr_assert(strstr(err, "cannot commit replication"), "%s", err);
        char *first = strstr(err, "error:");
        cr_assert_null(strstr(first + 1, "error:"), "one message, from rank 0:\n%s", err);
        char reps[256], check[64];
        committed(db, reps, sizeof reps, check, sizeof check);
        cr_assert_str_eq(reps, cases[k].kept, "%s", cases[k].fail);
        cr_assert_str_eq(check, "ok");
        free(err);
        remove_db(db);
    }
}
