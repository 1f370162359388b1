/* sim/cli/main.c: the program's entry, and the one table that turns library
 * error codes into exit statuses (CLI.md). */
#include "cli.h"
#include "mrsim/error.h"
#include "mrsim/runner.h"

int mr_cli_exit_code(int rc)
{
    switch (rc) {
    case MR_OK:
        return MR_EXIT_OK;
    case MR_ESCENARIO:
        return MR_EXIT_SCENARIO;
    case MR_EIO:
        return MR_EXIT_IO;
    case MR_EINVAL:
        return MR_EXIT_USAGE;
    case MR_EINTR:
        return MR_EXIT_INTERRUPTED;
    default:
        return MR_EXIT_INTERNAL;
    }
}

int main(int argc, char **argv)
{
    /* Under mpirun every rank runs the whole command; mr_replicate splits
     * the replications and gathers them, rank 0 alone prints (runner.h). */
    mr_mpi_init(&argc, &argv);
    return mr_mpi_finish(mr_cli_main(argc, argv));
}
