/* sim/run/replicate.c: replications over worker threads.
 * Workers take the next replication index from a shared counter and write
 * its metrics into the row of that index; nothing else is shared. Which
 * thread ran which replication therefore changes nothing in the output,
 * and the aggregate (read in index order afterwards) is bit-for-bit the
 * same for any --jobs. Progress is reported by the calling thread. */
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
} shared;

static void *worker(void *arg)
{
    shared *sh = arg;
    const mr_runner *spec = sh->spec;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        uint64_t rep = sh->next < spec->replications ? sh->next++ : UINT64_MAX;
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

    int rc = MR_OK;
    for (uint64_t i = spec->first; i < spec->replications; i++) {
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
