/* sim/run/replicate.c: replications over worker threads.
 * Workers take the next replication index from a shared counter and write
 * its metrics into the row of that index; nothing else is shared. Which
 * thread ran which replication therefore changes nothing in the output,
 * and the aggregate (read in index order afterwards) is bit-for-bit the
 * same for any --jobs. Progress is reported by the calling thread.
 * Indices are handed out in order, so when a failure or a stop request ends
 * the hand-out, the replications that ran are exactly first .. next-1: the
 * lowest failing index is the same for any --jobs, and a sink that commits
 * in order has no gap. Under MPI each rank runs one block of indices this
 * way, then the blocks' rows are all-gathered into the same slots
 * (runner.h). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "mpi_sync.h"
#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "run/runner.h"

/* How often a progress display hears of the replications in flight: its
 * redraws stay at or under 10 a second (docs/cli.md "Output streams"). */
#define PROGRESS_TICK_NS 100000000L

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
    int failed;    /* a replication failed: hand out no more */
    uint64_t live; /* workers not yet returned */
} shared;

static int stopping(const shared *sh)
{
    return sh->failed || (sh->spec->stop && atomic_load(sh->spec->stop));
}

static void *worker(void *arg)
{
    shared *sh = arg;
    const mr_runner *spec = sh->spec;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        uint64_t rep =
            sh->next < sh->end && !stopping(sh) ? sh->next++ : UINT64_MAX;
        pthread_mutex_unlock(&sh->lock);
        if (rep == UINT64_MAX) {
            pthread_mutex_lock(&sh->lock);
            sh->live--;
            pthread_cond_signal(&sh->done_cv);
            pthread_mutex_unlock(&sh->lock);
            return NULL;
        }
        double *row = sh->out + rep * spec->nmetrics;
        for (size_t m = 0; m < spec->nmetrics; m++)
            row[m] = NAN;
        int rc = spec->run(spec->ctx, rep, row);
        pthread_mutex_lock(&sh->lock);
        sh->rcs[rep] = rc;
        if (rc != MR_OK)
            sh->failed = 1;
        sh->done++;
        pthread_cond_signal(&sh->done_cv);
        pthread_mutex_unlock(&sh->lock);
    }
}

/* Runs replications lo .. hi - 1 (lo < hi) over spec->jobs threads, rcs[rep]
 * receiving each one's code; progress counts from 1 to hi - lo. Returns one
 * past the last index handed out (hi unless a failure or a stop ended the
 * hand-out). */
static uint64_t run_range(const mr_runner *spec, double *out, int *rcs, uint64_t lo, uint64_t hi)
{
    shared sh = {.spec = spec, .out = out, .rcs = rcs, .next = lo, .end = hi};
    uint64_t count = hi - lo;
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.done_cv, NULL);

    uint64_t njobs = (uint64_t)spec->jobs < count ? (uint64_t)spec->jobs : count;
    pthread_t *threads = mr_xcalloc(njobs, sizeof *threads);
    sh.live = njobs;
    uint64_t started = 0;
    for (; started < njobs; started++) {
        if (pthread_create(&threads[started], NULL, worker, &sh) != 0)
            break;
    }
    pthread_mutex_lock(&sh.lock);
    sh.live -= njobs - started; /* those that never started */
    pthread_mutex_unlock(&sh.lock);
    if (started == 0) { /* no thread could start: run on this one */
        sh.live = 1;
        worker(&sh);
    }

    /* Progress until every worker has returned: a stop or a failure ends
     * the hand-out with done < replications. */
    uint64_t reported = 0;
    pthread_mutex_lock(&sh.lock);
    for (;;) {
        /* With a progress display, wake every PROGRESS_TICK_NS also when no
         * replication ended: the display then shows the replications in
         * flight (a call with done unchanged), so one long replication
         * moves the bar. */
        int tick = 0;
        while (reported == sh.done && sh.live > 0 && !tick) {
            if (spec->progress == NULL) {
                pthread_cond_wait(&sh.done_cv, &sh.lock);
                continue;
            }
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += PROGRESS_TICK_NS;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            tick = pthread_cond_timedwait(&sh.done_cv, &sh.lock, &until) == ETIMEDOUT;
        }
        uint64_t d = sh.done;
        int over = sh.live == 0;
        pthread_mutex_unlock(&sh.lock);
        if (tick && reported == d && !over)
            spec->progress(spec->progress_ctx, reported, count);
        for (; reported < d; reported++) {
            if (spec->progress)
                spec->progress(spec->progress_ctx, reported + 1, count);
        }
        pthread_mutex_lock(&sh.lock);
        if (over && reported == sh.done)
            break;
    }
    pthread_mutex_unlock(&sh.lock);
    for (uint64_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);

    free(threads);
    pthread_cond_destroy(&sh.done_cv);
    pthread_mutex_destroy(&sh.lock);
    return sh.next;
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

/* The other ranks' relayed bytes (runner.h) to rank 0, which hands them
 * to relay_take in index order; every rank returns rank 0's verdict. Point
 * to point, one replication at a time (its length, then its bytes in
 * pieces an int can count), rank after rank: rank 0 holds one replication's
 * bytes at a time and no total is bounded by INT_MAX. After a failure rank
 * 0 still receives the rest (and drops it), so no sender waits forever. */
enum { RELAY_TAG = 0x6d72, RELAY_PIECE = 1 << 30 };

static int relay_to_root(const mr_runner *spec, const uint64_t *starts, const uint64_t *ran,
                         int rank, int size)
{
    int rc = MR_OK;
    if (rank > 0) {
        for (uint64_t rep = starts[rank]; rep < ran[rank]; rep++) {
            uint64_t n = spec->relay_pack(spec->ctx, rep, NULL, 0);
            unsigned char *buf = mr_xmalloc(n ? (size_t)n : 1);
            spec->relay_pack(spec->ctx, rep, buf, (size_t)n);
            MPI_Send(&n, 1, MPI_UINT64_T, 0, RELAY_TAG, MPI_COMM_WORLD);
            for (uint64_t at = 0; at < n; at += RELAY_PIECE) {
                int piece = n - at < RELAY_PIECE ? (int)(n - at) : RELAY_PIECE;
                MPI_Send(buf + at, piece, MPI_BYTE, 0, RELAY_TAG, MPI_COMM_WORLD);
            }
            free(buf);
        }
    }
    for (int r = 1; rank == 0 && r < size; r++) {
        for (uint64_t rep = starts[r]; rep < ran[r]; rep++) {
            uint64_t n;
            MPI_Recv(&n, 1, MPI_UINT64_T, r, RELAY_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            unsigned char *buf = mr_xmalloc(n ? (size_t)n : 1);
            for (uint64_t at = 0; at < n; at += RELAY_PIECE) {
                int piece = n - at < RELAY_PIECE ? (int)(n - at) : RELAY_PIECE;
                MPI_Recv(buf + at, piece, MPI_BYTE, r, RELAY_TAG, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
            }
            if (n > 0 && rc == MR_OK)
                rc = spec->relay_take(spec->ctx, rep, buf, (size_t)n);
            free(buf);
        }
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return rc;
}

/* The MPI split of mr_replicate: this rank's block, then the rows, codes and
 * packed states of every block, and how far each block went, to every rank.
 * starts (size + 1 entries) receives the blocks' bounds. */
static int replicate_mpi(const mr_runner *spec, double *out, int *rcs, uint64_t *starts,
                         uint64_t *ran)
{
    int rank = mr_mpi_rank(), size = mr_mpi_size();
    uint64_t count = spec->replications - spec->first;
    if (!mr__mpi_checkpoint())
        return MR_EIO;
    for (int r = 0; r <= size; r++)
        starts[r] = block_start(spec->first, count, r, size);
    /* ran[r]: one past the last index rank r handed out in its block. */
    long long mine = (long long)starts[rank];
    if (starts[rank] < starts[rank + 1])
        mine = (long long)run_range(spec, out, rcs, starts[rank], starts[rank + 1]);
    long long *nexts = mr_xcalloc((size_t)size, sizeof *nexts);
    MPI_Allgather(&mine, 1, MPI_LONG_LONG, nexts, 1, MPI_LONG_LONG, MPI_COMM_WORLD);
    for (int r = 0; r < size; r++)
        ran[r] = (uint64_t)nexts[r];
    free(nexts);
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
        if (rc == MR_OK && spec->relay_pack && spec->relay_take)
            rc = relay_to_root(spec, starts, ran, rank, size);
    }
    /* This rank's progress counted its own block: the rest is done now. */
    if (spec->progress)
        spec->progress(spec->progress_ctx, count, count);
    free(displs);
    free(counts);
    return rc;
}
#endif

#if MRSIM_MPI
typedef struct round_progress {
    const mr_runner *spec;
    uint64_t before; /* replications of the earlier rounds */
} round_progress;

static void on_round_progress(void *vctx, uint64_t done, uint64_t total)
{
    (void)total;
    const round_progress *p = vctx;
    p->spec->progress(p->spec->progress_ctx, p->before + done,
                      p->spec->replications - p->spec->first);
}

static int block_rc(const int *rcs, uint64_t lo, uint64_t hi, uint64_t next, uint64_t *failed_rep);

/* One round: spec->first .. spec->replications - 1 split in blocks over the
 * ranks. Blocks in index order: the first failure found is the lowest one
 * overall, as with threads; a stop anywhere stops the whole run. */
static int replicate_round(const mr_runner *spec, double *out, int *rcs, uint64_t *failed_rep)
{
    int size = mr_mpi_size();
    uint64_t *starts = mr_xcalloc((size_t)size + 1, sizeof *starts);
    uint64_t *ran = mr_xcalloc((size_t)size, sizeof *ran);
    int rc = replicate_mpi(spec, out, rcs, starts, ran);
    if (rc != MR_OK && failed_rep)
        *failed_rep = spec->first;
    int stopped = 0;
    for (int r = 0; r < size && rc == MR_OK; r++) {
        int brc = block_rc(rcs, starts[r], starts[r + 1], ran[r], failed_rep);
        if (brc == MR_EINTR)
            stopped = 1;
        else
            rc = brc;
    }
    if (rc == MR_OK && stopped)
        rc = MR_EINTR;
    free(ran);
    free(starts);
    return rc;
}
#endif

/* The lowest failing index among those that ran in lo .. hi - 1 (ran up to
 * next): its code, or MR_EINTR when the hand-out stopped early, or MR_OK. */
static int block_rc(const int *rcs, uint64_t lo, uint64_t hi, uint64_t next, uint64_t *failed_rep)
{
    for (uint64_t i = lo; i < next; i++) {
        if (rcs[i] != MR_OK) {
            if (failed_rep)
                *failed_rep = i;
            return rcs[i];
        }
    }
    return next < hi ? MR_EINTR : MR_OK;
}

int mr_replicate(const mr_runner *spec, double *out, uint64_t *failed_rep)
{
    if (spec == NULL || out == NULL || spec->run == NULL || spec->replications == 0 ||
        spec->first >= spec->replications || spec->jobs < 1)
        return MR_EINVAL;
    int *rcs = mr_xcalloc(spec->replications, sizeof *rcs);
    int rc = MR_OK;
#if MRSIM_MPI
    if (mr_mpi_size() > 1) {
        uint64_t round = spec->replications - spec->first;
        if (spec->relay_pack && spec->relay_take) {
            uint64_t per =
                (uint64_t)MR_RELAY_ROUND * (uint64_t)spec->jobs * (uint64_t)mr_mpi_size();
            round = per < round ? per : round;
        }
        /* Progress counts over the whole call, round after round. */
        round_progress rp = {.spec = spec};
        mr_runner sub = *spec;
        if (spec->progress) {
            sub.progress = on_round_progress;
            sub.progress_ctx = &rp;
        }
        for (uint64_t lo = spec->first; lo < spec->replications && rc == MR_OK; lo += round) {
            sub.first = lo;
            sub.replications = spec->replications - lo > round ? lo + round : spec->replications;
            rp.before = lo - spec->first;
            rc = replicate_round(&sub, out, rcs, failed_rep);
        }
    } else
#endif
    {
        uint64_t next = run_range(spec, out, rcs, spec->first, spec->replications);
        rc = block_rc(rcs, spec->first, spec->replications, next, failed_rep);
    }
    free(rcs);
    return rc;
}

int mr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
