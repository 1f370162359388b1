/* tests/mpi/test_mpi.c: the MPI build (MRSIM_MPI=ON) under mpirun. With 2
 * and 3 ranks, run, compare, sweep, recommend and a sequentially stopped run print the
 * same JSON document, byte for byte (wall_s aside), as one process of the
 * same binary; ranks other than 0 print nothing; a failure on every rank
 * gives docs/cli.md's exit status once; a rank that fails on its own (a file it
 * cannot read) is reported by rank 0 and every rank exits with its status
 * instead of waiting for it. Registered only when MRSIM_MPI is ON
 * (tests/CMakeLists.txt). */
#include "e2e.h"

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

/* Runs PREFIX mrsim ARGS (PREFIX: "" or an mpirun command), stdout without
 * its wall_s lines; the status is mrsim's. */
static run_out sh(const char *prefix, const char *args)
{
    run_out r = e2e_sh("%s '%s' %s", prefix, MRSIM_BINARY, args);
    drop_lines(r.out, "\"wall_s\"");
    return r;
}

/* mpirun with n ranks; as root Open MPI wants --allow-run-as-root, and the
 * 2-core CI machine needs --oversubscribe for 3 ranks. */
static const char *mpirun(int n)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s %s--oversubscribe -n %d", MRSIM_MPIEXEC,
             getuid() == 0 ? "--allow-run-as-root " : "", n);
    return buf;
}

static void same_as_one_process(const char *args)
{
    run_out one = sh("", args);
    cr_assert_eq(one.status, 0, "%s", one.err);
    cr_assert(strlen(one.out) > 100, "%s", one.out);
    for (int n = 2; n <= 3; n++) {
        run_out many = sh(mpirun(n), args);
        cr_assert_eq(many.status, 0, "%d ranks: %s", n, many.err);
        cr_assert_str_eq(one.out, many.out, "%s: 1 process and %d ranks differ", args, n);
        run_free(&many);
    }
    run_free(&one);
}

Test(mpi, run_is_identical_to_one_process, .timeout = 300)
{
    same_as_one_process("run " FIXTURES "tiny-tm.yaml --json -q -j 1");
}

Test(mpi, compare_is_identical_to_one_process, .timeout = 300)
{
    same_as_one_process("compare " FIXTURES "variants.yaml --json -q -n 5 -j 1");
}

Test(mpi, sweep_is_identical_to_one_process, .timeout = 300)
{
    same_as_one_process("sweep " FIXTURES "sweep.yaml --json -q -n 5 -j 1");
}

Test(mpi, recommend_is_identical_to_one_process, .timeout = 300)
{
    /* Every stage of the search is a run of its candidates: each rank takes
     * the same eliminations from the same gathered results (docs/recommend.md). */
    same_as_one_process("recommend " FIXTURES "recommend-tm.yaml --json -q -j 1");
}

Test(mpi, sequential_stopping_stops_at_the_same_replication, .timeout = 300)
{
    /* Batches of 2 over 3 ranks: one rank has nothing to run in a batch. The
     * rule stops at 6 (test_slo.c); every rank must take the same decision. */
    same_as_one_process("run " FIXTURES "tiny-tm.yaml --json -q -j 1 --set "
                        "\"run.replications={min: 2, max: 12, until: {metric: client_rto_s, "
                        "rel_ci_half_width: 0.04}}\"");
    run_out r = sh(mpirun(3), "run " FIXTURES "tiny-tm.yaml --json -q -j 1 --set "
                              "\"run.replications={min: 2, max: 12, until: {metric: "
                              "client_rto_s, rel_ci_half_width: 0.04}}\"");
    cr_assert(strstr(r.out, "\"replications\": 6,"), "%s", r.out);
    run_free(&r);
}

Test(mpi, only_rank_0_prints_and_writes_the_trace, .timeout = 300)
{
    char path[] = "/tmp/mrsim-mpi-trace-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char args[512];
    snprintf(args, sizeof args, "run " FIXTURES "tiny-tm.yaml -q -n 4 --trace %s", path);
    run_out one = sh("", args);
    char *t1 = slurp(path);
    run_out two = sh(mpirun(2), args);
    char *t2 = slurp(path);
    cr_assert_eq(two.status, 0, "%s", two.err);
    cr_assert(strlen(t1) > 100);
    cr_assert_str_eq(t1, t2, "replication 0's trace, written by rank 0 alone");
    cr_assert_str_eq(one.out, two.out, "the table, once");
    free(t1);
    free(t2);
    remove(path);
    run_free(&one);
    run_free(&two);
}

Test(mpi, a_failure_on_every_rank_exits_with_its_code_and_one_message, .timeout = 300)
{
    run_out r = sh(mpirun(2), "run " FIXTURES "tiny-tm.yaml -q --set traffic.ttl=30");
    cr_assert_eq(r.status, 4, "%s", r.err);
    char *first = strstr(r.err, "error:");
    cr_assert(first, "%s", r.err);
    cr_assert_null(strstr(first + 1, "error:"), "one message, from rank 0:\n%s", r.err);
    cr_assert_eq(r.out[0], '\0');
    run_free(&r);
}

Test(mpi, a_rank_failing_on_its_own_is_reported_instead_of_hanging, .timeout = 300)
{
    /* Rank 1 cannot open its scenario file; rank 0 can and reaches the
     * gather. */
    char script[] = "/tmp/mrsim-mpi-split-XXXXXX";
    int fd = mkstemp(script);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "if [ \"$OMPI_COMM_WORLD_RANK\" = 1 ]; then exec %s run /nonexistent/x.yaml -q; "
               "else exec %s run %stiny-tm.yaml -q -n 4; fi\n",
            MRSIM_BINARY, MRSIM_BINARY, FIXTURES);
    fclose(f);
    run_out r = e2e_sh("%s sh %s", mpirun(2), script);
    remove(script);
    cr_assert_eq(r.status, 5, "%s", r.err);
    cr_assert(strstr(r.err, "[rank 1] /nonexistent/x.yaml: error: cannot open"), "%s", r.err);
    cr_assert(strstr(r.err, "rank 1 stopped (exit status 5)"), "%s", r.err);
    run_free(&r);
}
