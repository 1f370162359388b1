/* sim/cli/main.c: the program's entry, and the one table that turns library
 * error codes into exit statuses (CLI.md). */
#include "cli.h"
#include "mrsim/error.h"

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
    return mr_cli_main(argc, argv);
}
