/* sim/cli/main.c: the program's entry: MPI's set-up and tear-down around
 * mr_cli_main. */
#include "cli.h"
#include "mrsim/error.h"
#include "run/runner.h"

int main(int argc, char **argv)
{
    /* Under mpirun every rank runs the whole command; mr_replicate splits
     * the replications and gathers them, rank 0 alone prints (runner.h). */
    mr_mpi_init(&argc, &argv);
    return mr_mpi_finish(mr_cli_main(argc, argv));
}
