/* sim/run/mpi_sync.h: private to the runner: where the ranks of an MPI run meet
 * (mpi.c). The public half is in runner.h. */
#ifndef MRSIM_RUN_MPI_SYNC_H
#define MRSIM_RUN_MPI_SYNC_H

/* 1 when mr_mpi_init started MPI with more than one rank and no rank has
 * stopped early: mr_replicate must then split and gather. */
int mr__mpi_active(void);

/* Called by mr_replicate on every rank before it gathers anything: every
 * rank says where it is (in mr_replicate, or at mr_mpi_finish with its exit
 * status). Returns 1 when every rank is in mr_replicate; otherwise some rank
 * stopped on its own, which rank 0 reports, and from then on this rank makes
 * no collective call and returns 0 (its mr_replicate then fails). */
int mr__mpi_checkpoint(void);

#endif
