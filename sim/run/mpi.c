/* sim/run/mpi.c: starting and finishing an MPI run, and the one collective
 * call (an all-gather of where every rank is) that keeps a rank that stops
 * on its own from leaving the others waiting forever. mr_replicate's
 * gathers follow it (replicate.c). In a build without MPI every function
 * is that of rank 0 of 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi_sync.h"
#include "mrsim/config.h"
#include "run/runner.h"

#if MRSIM_MPI
#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include "mrsim/alloc.h"
#endif

static int g_rank = 0, g_size = 1;
static int g_gone; /* some rank stopped early: no more collective calls */
#if MRSIM_MPI
static int g_started; /* mr_mpi_init ran MPI_Init */
static int g_gone_status;
static FILE *g_held; /* stderr of a rank other than 0, until mr_mpi_finish */
static int g_stderr_fd = -1;
#endif

int mr_mpi_rank(void)
{
    return g_rank;
}

int mr_mpi_size(void)
{
    return g_size;
}

int mr__mpi_active(void)
{
    return g_size > 1 && !g_gone;
}

void mr_mpi_init(int *argc, char ***argv)
{
#if MRSIM_MPI
    /* Only the main thread calls MPI; the workers of --jobs never do. */
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return;
    g_started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    if (g_rank == 0)
        return;
    /* Every rank computes the same result; rank 0 alone shows it. What the
     * others write to stderr is kept in case only they failed. */
    fflush(stdout);
    fflush(stderr);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    g_held = tmpfile();
    if (g_held != NULL) {
        g_stderr_fd = dup(STDERR_FILENO);
        dup2(fileno(g_held), STDERR_FILENO);
    }
#else
    (void)argc;
    (void)argv;
#endif
}

#if MRSIM_MPI
/* states[r]: 0 while rank r is in mr_replicate, 1 + its exit status once it
 * is at mr_mpi_finish. */
static int *gather_states(int state)
{
    int *states = mr_xcalloc((size_t)g_size, sizeof *states);
    MPI_Allgather(&state, 1, MPI_INT, states, 1, MPI_INT, MPI_COMM_WORLD);
    return states;
}

/* Copies the held-back stderr of this rank to the real one, each line
 * marked with the rank. */
static void release_held(void)
{
    if (g_held == NULL)
        return;
    fflush(stderr);
    FILE *err = fdopen(g_stderr_fd, "w");
    if (err == NULL)
        return;
    rewind(g_held);
    char line[1024];
    int at_start = 1;
    while (fgets(line, sizeof line, g_held)) {
        if (at_start)
            fprintf(err, "[rank %d] ", g_rank);
        fputs(line, err);
        at_start = line[0] != '\0' && line[strlen(line) - 1] == '\n';
    }
    fclose(err);
    g_stderr_fd = -1;
}
#endif

int mr__mpi_checkpoint(void)
{
#if MRSIM_MPI
    if (!mr__mpi_active())
        return !g_gone;
    int *states = gather_states(0);
    for (int r = 0; r < g_size; r++) {
        if (states[r] != 0) {
            g_gone = 1;
            g_gone_status = states[r] - 1;
            if (g_rank == 0)
                fprintf(stderr,
                        "mrsim: error: rank %d stopped (exit status %d) before the replications "
                        "were gathered\n",
                        r, g_gone_status);
            break;
        }
    }
    free(states);
    return !g_gone;
#else
    return 1;
#endif
}

int mr_mpi_finish(int status)
{
#if MRSIM_MPI
    if (!g_started)
        return status;
    int final = status, show = 0;
    if (g_gone) {
        /* A rank stopped first and this one failed for it: report its status. */
        if (g_gone_status != 0)
            final = g_gone_status;
    } else if (g_size > 1) {
        int *states = gather_states(1 + status);
        int all_here = 1;
        for (int r = 0; r < g_size; r++)
            all_here &= states[r] != 0;
        if (all_here) {
            final = states[0] - 1;
            for (int r = 1; r < g_size && final == 0; r++)
                final = states[r] - 1;
        }
        /* Not all here: the others are in mr_replicate and learn from this
         * call that this rank stopped; rank 0 reports it. */
        show = g_rank > 0 && status != 0 && (!all_here || status != states[0] - 1);
        free(states);
    }
    if (show)
        release_held();
    if (g_held != NULL)
        fclose(g_held);
    MPI_Finalize();
    return final;
#else
    return status;
#endif
}
