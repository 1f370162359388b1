/* sim/run/replicate.c: replications over worker threads.
 * Workers take the next replication index from a shared counter and write
 * its metrics into the row of that index; nothing else is shared. Which
 * thread ran which replication therefore changes nothing in the output,
 * and the aggregate (read in index order afterwards) is bit-for-bit the
 * same for any --jobs. Progress is reported by the calling thread.
 * Indices are handed out in order, so when a failure or a stop request ends
 * the hand-out, the replications that ran are exactly first .. next-1: the
 * lowest failing index is the same for any --jobs, and a sink that commits
 * in order has no gap. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/runner.h"

typedef struct shared {
    const mr_runner *spec;
    double *out;
    int *rcs;
    pthread_mutex_t lock;
    pthread_cond_t done_cv;
    uint64_t next; /* next index to hand out */
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
            sh->next < spec->replications && !stopping(sh) ? sh->next++ : UINT64_MAX;
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

int mr_replicate(const mr_runner *spec, double *out, uint64_t *failed_rep)
{
    if (spec == NULL || out == NULL || spec->run == NULL || spec->replications == 0 ||
        spec->first >= spec->replications || spec->jobs < 1)
        return MR_EINVAL;
    shared sh = {.spec = spec, .out = out, .next = spec->first};
    uint64_t count = spec->replications - spec->first;
    sh.rcs = mr_xcalloc(spec->replications, sizeof *sh.rcs);
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
        while (reported == sh.done && sh.live > 0)
            pthread_cond_wait(&sh.done_cv, &sh.lock);
        uint64_t d = sh.done;
        int over = sh.live == 0;
        pthread_mutex_unlock(&sh.lock);
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

    int rc = sh.next < spec->replications ? MR_EINTR : MR_OK;
    for (uint64_t i = spec->first; i < sh.next; i++) {
        if (sh.rcs[i] != MR_OK) {
            rc = sh.rcs[i];
            if (failed_rep)
                *failed_rep = i;
            break;
        }
    }
    free(threads);
    free(sh.rcs);
    pthread_cond_destroy(&sh.done_cv);
    pthread_mutex_destroy(&sh.lock);
    return rc;
}

int mr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
