/* sim/run/runner.h: replications and their aggregate.
 * Replications are independent runs; the runner spreads them over threads
 * and stores each one's metrics in the slot of its index, then the
 * aggregate reads the slots in index order. Since replication i always uses
 * the same seeds and the combination order is fixed, the aggregate is
 * bit-for-bit the same whatever the number of threads. */
#ifndef MRSIM_RUN_RUNNER_H
#define MRSIM_RUN_RUNNER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Runs replication rep, writing nmetrics values into metrics (NAN for a
 * metric that does not apply). Returns MR_OK or an error code. Called
 * concurrently from several threads for different reps: it must share no
 * mutable state except through ctx it synchronises itself. */
typedef int (*mr_rep_fn)(void *ctx, uint64_t rep, double *metrics);

/* Called on the calling thread after each finished replication, in
 * completion order (not index order): for progress display only. */
typedef void (*mr_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct mr_runner {
    uint64_t first;        /* replications first .. replications - 1 run (0: all); a
                              sequential rule runs its batches this way */
    uint64_t replications; /* >= 1, > first */
    int jobs;              /* worker threads, >= 1 (capped at replications) */
    size_t nmetrics;
    mr_rep_fn run;
    void *ctx;
    mr_progress_fn progress; /* optional */
    void *progress_ctx;
    const atomic_int *stop;  /* optional: nonzero (a signal) hands out no more replications */
    /* Optional, for a run spread over MPI ranks: the state of a replication
     * that its row does not hold (run.c's client-RTO histogram). pack writes
     * replication rep's state into buf when it fits in cap bytes and returns
     * its size either way; unpack restores it, on every rank that did not
     * run rep, from the len bytes pack wrote. Without them only rows travel. */
    size_t (*pack)(void *ctx, uint64_t rep, void *buf, size_t cap);
    int (*unpack)(void *ctx, uint64_t rep, const void *buf, size_t len);
    /* Optional, under MPI: what a replication leaves for rank 0 alone (the
     * results database's records). relay_pack is called like pack on the
     * rank that ran rep (0 bytes: nothing to send) and may drop rep's state
     * once it has written it (buf not NULL); relay_take is called on rank 0
     * alone, on the calling thread, after rank 0's own block has run, in
     * index order for each replication of the other blocks that sent bytes.
     * Its failure ends the run on every rank with its code. With them the
     * replications run in rounds of at most MR_RELAY_ROUND per rank and
     * thread, each round gathered before the next, so that a rank holds at
     * most one round of such state, and rank 0 one replication's bytes. */
    size_t (*relay_pack)(void *ctx, uint64_t rep, void *buf, size_t cap);
    int (*relay_take)(void *ctx, uint64_t rep, const void *buf, size_t len);
} mr_runner;

/* Replications per rank and thread in a round of a relaying MPI run: more
 * waits less for the slowest rank at each round's end, fewer holds less. */
#define MR_RELAY_ROUND 8

/* Runs replications first .. replications - 1; out receives their rows, row
 * rep at out + rep * nmetrics (out holds replications rows). Progress reports
 * (done, total) of this call's replications - first. Returns MR_OK, or the code of the failed
 * replication with the lowest index (setting *failed_rep if not NULL), so a
 * failure is reported the same whatever the thread count. No replication is
 * handed out after one has failed or once *stop is set: those handed out
 * (always 0 .. k-1 for some k) run to their end. MR_EINTR when *stop cut
 * the run short and none failed. MR_EINVAL for a bad spec. */
int mr_replicate(const mr_runner *spec, double *out, uint64_t *failed_rep);

/* MPI (a MRSIM_MPI build started by mpirun): mr_replicate splits
 * first .. replications - 1 into one contiguous block per rank (rank 0 has
 * the lowest, hence replication 0 and its trace), each rank runs its block
 * over its own --jobs threads, and every rank then holds every row and
 * packed state (an all-gather), so that every rank takes the same decisions
 * (sequential stopping, failures) and the same calls follow. Rows are the
 * same bits as in one process, so the result is identical for any number of
 * ranks. Every rank computes the result; only rank 0 may print or write
 * files (callers check mr_mpi_rank()). Without MPI, or when MPI was not
 * initialised (the tests), rank 0 of 1. */
int mr_mpi_rank(void);
int mr_mpi_size(void);

/* For the program's main only. mr_mpi_init initialises MPI (a no-op in a
 * build without it); on ranks other than 0 it sends stdout to /dev/null and
 * holds stderr back. mr_mpi_finish(status) agrees on the exit status with
 * the other ranks and finalises: every rank returns rank 0's status, or,
 * when rank 0 succeeded and another rank failed on its own (a file missing
 * on its node), that rank's, whose held-back stderr is then printed. A rank
 * that stops early is seen by the others at their next mr_replicate, which
 * then fails with MR_EIO instead of waiting for it forever. */
void mr_mpi_init(int *argc, char ***argv);
int mr_mpi_finish(int status);

/* The number of online processors (the default of --jobs), at least 1. */
int mr_cpu_count(void);

/* Summary of one metric across replications. NaN values (the metric did
 * not apply in that replication) are left out; with no value left every
 * field is NaN and n is 0. mr_summarize's CI is mean +/- t(0.975, n-1)
 * sd / sqrt(n) (NaN for n < 2); percentiles are GSL's interpolated
 * quantiles. mr_summarize_in's CI respects the metric's range (below). */
typedef struct mr_summary {
    uint64_t n;
    double mean, sd;
    double ci_lo, ci_hi;
    double p50, p95, p99;
    double min, max;
    /* Censoring (docs/results.md), for the metrics that have it
     * (censorable 1; 0, as zero-initialised, for the others): the share of
     * the observations that had not recovered when their episode ended,
     * and which figures are therefore only lower bounds (MR_LB_* bits). */
    int censorable;
    unsigned lower;
    double censored; /* after the two ints: no padding (tests compare summaries bytewise) */
    /* How ci_lo and ci_hi were made (docs/results.md "Intervals"): "t",
     * "bootstrap-bca", or NULL when there is no interval. Static. */
    const char *ci_method;
} mr_summary;

enum { MR_LB_MEAN = 1, MR_LB_P50 = 2, MR_LB_P95 = 4, MR_LB_P99 = 8 };

/* Summarises values[0], values[stride], ... (n of them). */
void mr_summarize(const double *values, size_t n, size_t stride, mr_summary *out);

/* The values a metric can take: a share ([0, 1]: availability, ratios), a
 * non-negative amount ([0, inf): durations, counts, costs, latencies), or
 * any real (incident cost: an outage can run fewer nodes than normal). */
typedef enum mr_range { MR_RANGE_NONNEG, MR_RANGE_UNIT, MR_RANGE_REAL } mr_range;

/* mr_summarize with an interval that never leaves range: the t interval
 * when it lies inside the range, else the BCa bootstrap of the mean
 * (mr_ci_bootstrap_bca, seeded from a hash of the values in their order,
 * so the same values give the same bounds at any --jobs or rank count).
 * No interval (NaN bounds, ci_method NULL) for n < 2 or values all
 * equal: nothing to say about the spread. */
void mr_summarize_in(const double *values, size_t n, size_t stride, mr_range range,
                     mr_summary *out);

#endif
