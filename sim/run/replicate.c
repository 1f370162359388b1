/* sim/run/replicate.c: replications over worker threads.
 * Workers take the next replication index from a shared counter and write
 * its metrics into the row of that index; nothing else is shared. Which
 * thread ran which replication therefore changes nothing in the output,
 * and the aggregate (read in index order afterwards) is bit-for-bit the
 * same for any --jobs. Progress is reported by the calling thread. Under
 * MPI each rank runs one block of indices this way, then the blocks' rows
 * are all-gathered into the same slots (runner.h). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "mpi_sync.h"
#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "mrsim/runner.h"

#if MRSIM_MPI
#include <limits.h>
#include <mpi.h>
#include <string.h>
#endif

typedef struct shared {
    const mr_runner *spec;
    double *out;
    int *rcs;
    pthread_mutex_t lock;
    pthread_cond_t done_cv;
    uint64_t next; /* next index to hand out */
    uint64_t end;  /* one past the last index to hand out */
    uint64_t done; /* finished replications */
} shared;

static void *worker(void *arg)
{
    shared *sh = arg;
    const mr_runner *spec = sh->spec;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        uint64_t rep = sh->next < sh->end ? sh->next++ : UINT64_MAX;
        pthread_mutex_unlock(&sh->lock);
        if (rep == UINT64_MAX)
            return NULL;
        double *row = sh->out + rep * spec->nmetrics;
        for (size_t m = 0; m < spec->nmetrics; m++)
            row[m] = NAN;
        sh->rcs[rep] = spec->run(spec->ctx, rep, row);
        pthread_mutex_lock(&sh->lock);
        sh->done++;
        pthread_cond_signal(&sh->done_cv);
        pthread_mutex_unlock(&sh->lock);
    }
}

/* Runs replications lo .. hi - 1 (lo < hi) over spec->jobs threads, rcs[rep]
 * receiving each one's code; progress counts from 1 to hi - lo. */
static void run_range(const mr_runner *spec, double *out, int *rcs, uint64_t lo, uint64_t hi)
{
    shared sh = {.spec = spec, .out = out, .rcs = rcs, .next = lo, .end = hi};
    uint64_t count = hi - lo;
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.done_cv, NULL);

    uint64_t njobs = (uint64_t)spec->jobs < count ? (uint64_t)spec->jobs : count;
    pthread_t *threads = mr_xcalloc(njobs, sizeof *threads);
    uint64_t started = 0;
    for (; started < njobs; started++) {
        if (pthread_create(&threads[started], NULL, worker, &sh) != 0)
            break;
    }
    if (started == 0) /* no thread could start: run on this one */
        worker(&sh);

    uint64_t reported = 0;
    pthread_mutex_lock(&sh.lock);
    while (sh.done < count) {
        while (reported == sh.done)
            pthread_cond_wait(&sh.done_cv, &sh.lock);
        uint64_t d = sh.done;
        pthread_mutex_unlock(&sh.lock);
        for (; reported < d; reported++) {
            if (spec->progress)
                spec->progress(spec->progress_ctx, reported + 1, count);
        }
        pthread_mutex_lock(&sh.lock);
    }
    pthread_mutex_unlock(&sh.lock);
    for (uint64_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    for (; reported < count; reported++) {
        if (spec->progress)
            spec->progress(spec->progress_ctx, reported + 1, count);
    }
    free(threads);
    pthread_cond_destroy(&sh.done_cv);
    pthread_mutex_destroy(&sh.lock);
}

#if MRSIM_MPI
/* Rank r's block of count replications from first: contiguous, sizes
 * differing by at most one, rank 0's first. */
static uint64_t block_start(uint64_t first, uint64_t count, int r, int size)
{
    uint64_t q = count / (uint64_t)size, rem = count % (uint64_t)size;
    uint64_t ur = (uint64_t)r;
    return first + q * ur + (ur < rem ? ur : rem);
}

/* Every rank's packed per-replication states to every rank: each block is
 * a sequence of (uint64 length, bytes) per replication in index order. */
static int gather_packed(const mr_runner *spec, const uint64_t *starts, int rank, int size)
{
    uint64_t lo = starts[rank], hi = starts[rank + 1];
    size_t len = 0;
    for (uint64_t rep = lo; rep < hi; rep++)
        len += sizeof(uint64_t) + spec->pack(spec->ctx, rep, NULL, 0);
    unsigned char *mine = mr_xmalloc(len ? len : 1);
    size_t at = 0;
    for (uint64_t rep = lo; rep < hi; rep++) {
        uint64_t n = spec->pack(spec->ctx, rep, NULL, 0);
        spec->pack(spec->ctx, rep, mine + at + sizeof n, (size_t)n);
        memcpy(mine + at, &n, sizeof n);
        at += sizeof n + (size_t)n;
    }
    long long mylen = (long long)len;
    long long *lens = mr_xcalloc((size_t)size, sizeof *lens);
    MPI_Allgather(&mylen, 1, MPI_LONG_LONG, lens, 1, MPI_LONG_LONG, MPI_COMM_WORLD);
    int *counts = mr_xcalloc((size_t)size, sizeof *counts);
    int *displs = mr_xcalloc((size_t)size, sizeof *displs);
    long long total = 0;
    for (int r = 0; r < size; r++) {
        displs[r] = (int)total;
        counts[r] = (int)lens[r];
        total += lens[r];
    }
    int rc = MR_OK;
    unsigned char *all = NULL;
    if (total > INT_MAX) {
        rc = MR_ERANGE; /* the same verdict on every rank: they all see total */
    } else {
        all = mr_xmalloc(total ? (size_t)total : 1);
        MPI_Allgatherv(mine, (int)len, MPI_BYTE, all, counts, displs, MPI_BYTE, MPI_COMM_WORLD);
    }
    for (int r = 0; r < size && rc == MR_OK; r++) {
        if (r == rank)
            continue;
        size_t off = (size_t)displs[r];
        for (uint64_t rep = starts[r]; rep < starts[r + 1] && rc == MR_OK; rep++) {
            uint64_t n;
            memcpy(&n, all + off, sizeof n);
            off += sizeof n;
            rc = spec->unpack(spec->ctx, rep, all + off, (size_t)n);
            off += (size_t)n;
        }
    }
    free(all);
    free(displs);
    free(counts);
    free(lens);
    free(mine);
    return rc;
}

/* The MPI split of mr_replicate: this rank's block, then the rows, codes and
 * packed states of every block to every rank. */
static int replicate_mpi(const mr_runner *spec, double *out, int *rcs)
{
    int rank = mr_mpi_rank(), size = mr_mpi_size();
    uint64_t count = spec->replications - spec->first;
    if (!mr__mpi_checkpoint())
        return MR_EIO;
    uint64_t *starts = mr_xcalloc((size_t)size + 1, sizeof *starts);
    for (int r = 0; r <= size; r++)
        starts[r] = block_start(spec->first, count, r, size);
    if (starts[rank] < starts[rank + 1])
        run_range(spec, out, rcs, starts[rank], starts[rank + 1]);
    /* Counted in rows (a datatype of nmetrics doubles) so that int counts
     * reach INT_MAX replications, not INT_MAX values. */
    int *counts = mr_xcalloc((size_t)size, sizeof *counts);
    int *displs = mr_xcalloc((size_t)size, sizeof *displs);
    int rc = MR_OK;
    if (count > INT_MAX || spec->replications > INT_MAX || spec->nmetrics > INT_MAX)
        rc = MR_ERANGE; /* the same on every rank */
    for (int r = 0; r < size && rc == MR_OK; r++) {
        counts[r] = (int)(starts[r + 1] - starts[r]);
        displs[r] = (int)(starts[r] - spec->first);
    }
    if (rc == MR_OK) {
        MPI_Datatype row;
        MPI_Type_contiguous((int)spec->nmetrics, MPI_DOUBLE, &row);
        MPI_Type_commit(&row);
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, out + spec->first * spec->nmetrics,
                       counts, displs, row, MPI_COMM_WORLD);
        MPI_Type_free(&row);
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, rcs + spec->first, counts, displs,
                       MPI_INT, MPI_COMM_WORLD);
        if (spec->pack && spec->unpack)
            rc = gather_packed(spec, starts, rank, size);
    }
    /* This rank's progress counted its own block: the rest is done now. */
    if (spec->progress)
        spec->progress(spec->progress_ctx, count, count);
    free(displs);
    free(counts);
    free(starts);
    return rc;
}
#endif

int mr_replicate(const mr_runner *spec, double *out, uint64_t *failed_rep)
{
    if (spec == NULL || out == NULL || spec->run == NULL || spec->replications == 0 ||
        spec->first >= spec->replications || spec->jobs < 1)
        return MR_EINVAL;
    int *rcs = mr_xcalloc(spec->replications, sizeof *rcs);
    int rc = MR_OK;
#if MRSIM_MPI
    if (mr__mpi_active() || mr_mpi_size() > 1) {
        rc = replicate_mpi(spec, out, rcs);
        if (rc != MR_OK && failed_rep)
            *failed_rep = spec->first;
    } else
#endif
        run_range(spec, out, rcs, spec->first, spec->replications);
    for (uint64_t i = spec->first; i < spec->replications && rc == MR_OK; i++) {
        if (rcs[i] != MR_OK) {
            rc = rcs[i];
            if (failed_rep)
                *failed_rep = i;
        }
    }
    free(rcs);
    return rc;
}

int mr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
