/* sim/cli/cli.c: the command table, --help and --version. A command is one
 * line in `commands` and one cmd_NAME.c file; the helpers the commands share
 * are common.c's. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "run/runner.h"
#include "mrsim/model.h"

static const mr_cli_cmd commands[] = {
    {.name = "run",
     .summary = "simulate a scenario: every replication, metrics with 95% CIs",
     .run = mr_cmd_run,
     .help = mr_cmd_run_help},
    {.name = "compare",
     .summary = "scenarios or variants side by side: paired differences, common random numbers",
     .run = mr_cmd_compare,
     .help = mr_cmd_compare_help},
    {.name = "sweep",
     .summary = "the cross product of parameter values, one run each",
     .run = mr_cmd_sweep,
     .help = mr_cmd_sweep_help},
    {.name = "recommend",
     .summary = "the cheapest change meeting the objectives of a recommend: space, with confidence",
     .run = mr_cmd_recommend,
     .help = mr_cmd_recommend_help},
    {.name = "bench",
     .summary = "benchmarks, figures on stdout",
     .run = mr_cmd_bench,
     .help = mr_cmd_bench_help},
    {.name = "analyze",
     .summary = "closed-form estimates: failover times, composite availability",
     .run = mr_cmd_analyze,
     .help = mr_cmd_analyze_help},
    {.name = "plot",
     .summary = "figures of a results database (gnuplot): metrics, timeline, CDFs, sweeps",
     .run = mr_cmd_plot,
     .help = mr_cmd_plot_help},
    {.name = "report",
     .summary = "the design-review page of a results database (Markdown or HTML)",
     .run = mr_cmd_report,
     .help = mr_cmd_report_help},
    {.name = "validate", .summary = "load and check scenarios; print nothing on success", .run = mr_cmd_validate, .help = mr_cmd_validate_help},
};

static void main_help(FILE *out)
{
    fprintf(out, "mrsim %s: discrete-event simulation of multi-region cloud architectures\n\n",
            MR_VERSION);
    fputs("usage: mrsim COMMAND [options]\n"
          "       mrsim --help | --version | COMMAND --help\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\ncomponent kinds:\n", out);
    for (size_t i = 0; i < mr_model_count(); i++)
        fprintf(out, "  %-16s %s\n", mr_model_at(i)->kind, mr_model_at(i)->summary);
    fputs("\nexamples:\n  mrsim run scenarios/active-passive-tm.yaml --set traffic.ttl=10s\n"
          "  mrsim bench phold --lps 1024 --pending 100000 --events 10000000\n"
          "\nexit codes: 0 success, 1 internal error, 2 usage error, 3 SLO missed,\n"
          "            4 invalid scenario, 5 input/output failure, 130 interrupted\n",
          out);
}

static int dispatch(int argc, char **argv);

/* The command, then the check that its output reached stdout. SIGPIPE is
 * ignored so that a closed pipe (mrsim run ... | head -1) is a write error
 * like a full disk: the command finishes its files (the database, a
 * trace) and exits 5 with a message instead of dying half-way. */
int mr_cli_main(int argc, char **argv)
{
    mr_cli_remember_command(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    return mr_cli_check_stdout(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        main_help(stderr);
        return MR_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        main_help(stdout);
        return MR_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("mrsim %s\n", MR_VERSION);
        return MR_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, cmd) == 0) {
            for (int a = 2; a < argc; a++) {
                if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
                    commands[i].help(stdout);
                    return MR_EXIT_OK;
                }
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    return mr_cli_usage_error(NULL, "unknown command '%s'", cmd);
}
