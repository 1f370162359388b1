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
#include "config/units.h"

/* Every command: its name, its summary for --help, and the table of its
 * options that the parser (opts.c), --help, the completions and the man
 * page read. A new command is one entry here and one cmd_NAME.c. */
static int cmd_completion(int argc, char **argv);
static int cmd_man(int argc, char **argv);
static int cmd_options(int argc, char **argv);

static const mr_cli_cmd commands[] = {
    {.name = "run",
     .summary = "simulate a scenario: every replication, metrics with 95% CIs",
     .run = mr_cmd_run,
     .help = mr_cmd_run_help,
     .opts = mr_cmd_run_opts,
     .operands = "@file",
     .examples = mr_cmd_run_examples},
    {.name = "compare",
     .summary = "scenarios or variants side by side: paired differences, common random numbers",
     .run = mr_cmd_compare,
     .help = mr_cmd_compare_help,
     .opts = mr_cmd_compare_opts,
     .operands = "@file",
     .examples = mr_cmd_compare_examples},
    {.name = "sweep",
     .summary = "the cross product of parameter values, one run each",
     .run = mr_cmd_sweep,
     .help = mr_cmd_sweep_help,
     .opts = mr_cmd_sweep_opts,
     .operands = "@file",
     .examples = mr_cmd_sweep_examples},
    {.name = "validate",
     .summary = "load and check scenarios; print nothing on success",
     .run = mr_cmd_validate,
     .help = mr_cmd_validate_help,
     .opts = mr_cmd_validate_opts,
     .operands = "@file",
     .examples = mr_cmd_validate_examples},
    {.name = "recommend",
     .summary = "the cheapest change meeting the objectives of a recommend: space, with confidence",
     .run = mr_cmd_recommend,
     .help = mr_cmd_recommend_help,
     .opts = mr_cmd_recommend_opts,
     .operands = "@file",
     .examples = mr_cmd_recommend_examples},
    {.name = "analyze",
     .summary = "closed-form estimates: failover times, composite availability",
     .run = mr_cmd_analyze,
     .help = mr_cmd_analyze_help,
     .opts = mr_cmd_analyze_opts,
     .operands = "@file",
     .examples = mr_cmd_analyze_examples},
    {.name = "plot",
     .summary = "figures of a results database (gnuplot): metrics, timeline, CDFs, sweeps",
     .run = mr_cmd_plot,
     .help = mr_cmd_plot_help,
     .opts = mr_cmd_plot_opts,
     .operands = "@file",
     .examples = mr_cmd_plot_examples},
    {.name = "report",
     .summary = "the design-review page of a results database (Markdown or HTML)",
     .run = mr_cmd_report,
     .help = mr_cmd_report_help,
     .opts = mr_cmd_report_opts,
     .operands = "@file",
     .examples = mr_cmd_report_examples},
    {.name = "tui",
     .summary = "one replication live in the terminal: inject faults, watch, write the session",
     .run = mr_cmd_tui,
     .help = mr_cmd_tui_help,
     .opts = mr_cmd_tui_opts,
     .operands = "@file",
     .examples = mr_cmd_tui_examples},
    {.name = "init",
     .summary = "a commented starting scenario on stdout (mrsim init > my.yaml)",
     .run = mr_cmd_init,
     .help = mr_cmd_init_help,
     .opts = mr_cmd_init_opts,
     .examples = mr_cmd_init_examples},
    {.name = "explain",
     .summary = "the resolved scenario in words: defaults applied and their sources, unpriced items",
     .run = mr_cmd_explain,
     .help = mr_cmd_explain_help,
     .opts = mr_cmd_explain_opts,
     .operands = "@file",
     .examples = mr_cmd_explain_examples},
    {.name = "export",
     .summary = "a results database's summary as CSV or JSON, filtered (like opp_scavetool)",
     .run = mr_cmd_export,
     .help = mr_cmd_export_help,
     .opts = mr_cmd_export_opts,
     .operands = "@file",
     .examples = mr_cmd_export_examples},
    {.name = "completion",
     .summary = "the shell completion script: bash, zsh or fish",
     .run = cmd_completion,
     .help = mr_cmd_completion_help,
     .opts = mr_cmd_completion_opts,
     .operands = "bash zsh fish",
     .examples = mr_cmd_completion_examples},
    {.name = "man", .summary = "the man page (roff)", .run = cmd_man,
     .help = mr_cmd_man_help, .hidden = 1},
    {.name = "options", .summary = "every command and option, one per line", .run = cmd_options,
     .help = mr_cmd_options_help, .hidden = 1},
    {.name = "bench",
     .summary = "benchmarks, figures on stdout",
     .run = mr_cmd_bench,
     .help = mr_cmd_bench_help,
     .opts = mr_cmd_bench_opts,
     .operands = "phold scenario",
     .examples = mr_cmd_bench_examples},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

/* The generators of cmd_completion.c over this table. */
static int cmd_completion(int argc, char **argv)
{
    return mr_cli_completion(commands, NCOMMANDS, argc, argv);
}

static int cmd_man(int argc, char **argv)
{
    return mr_cli_man(commands, NCOMMANDS, argc, argv);
}

static int cmd_options(int argc, char **argv)
{
    return mr_cli_options(commands, NCOMMANDS, argc, argv);
}

const mr_cli_cmd *mr_cli_commands(size_t *n)
{
    *n = NCOMMANDS;
    return commands;
}

const mr_cli_cmd *mr_cli_find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void main_help(FILE *out)
{
    fprintf(out, "mrsim %s: discrete-event simulation of multi-region cloud architectures\n\n",
            MR_VERSION);
    fputs("usage: mrsim COMMAND [options]\n"
          "       mrsim help [COMMAND] | --help | -V, --version | COMMAND --help\n\ncommands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!commands[i].hidden)
            fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\ncomponent kinds:\n", out);
    for (size_t i = 0; i < mr_model_count(); i++)
        fprintf(out, "  %-16s %s\n", mr_model_at(i)->kind, mr_model_at(i)->summary);
    fputs("\noptions take --opt=value or --opt value, -n1 or -n 1; - is standard input\n"
          "(a scenario) or standard output (a trace, an export).\n"
          "\nexamples:\n  mrsim run scenarios/active-passive-tm.yaml --set traffic.ttl=10s\n"
          "  mrsim bench phold --lps 1024 --pending 100000 --events 10000000\n"
          "\nexit codes: 0 success, 1 internal error, 2 usage error, 3 SLO missed,\n"
          "            4 invalid scenario, 5 input/output failure, 130 interrupted\n",
          out);
}

/* -V, --version: the version, and where the data files are found (an
 * installed binary and a build tree look in different places). */
static void version(FILE *out)
{
    fprintf(out, "mrsim %s\n", MR_VERSION);
    fprintf(out, "plots:     %s\n", mr_cli_data_dir("plots"));
    fprintf(out, "scenarios: %s\n", mr_cli_data_dir("scenarios"));
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

/* "unknown command 'X'" with the closest command's name as a hint. */
static int unknown_command(const char *cmd)
{
    const char *names[NCOMMANDS + 1];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    names[NCOMMANDS] = "help";
    int best = mr_closest(cmd, names, NCOMMANDS + 1);
    if (best >= 0)
        return mr_cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", cmd,
                                  names[best]);
    return mr_cli_usage_error(NULL, "unknown command '%s'", cmd);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        main_help(stderr);
        return MR_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        (strcmp(cmd, "help") == 0 && argc == 2)) {
        main_help(stdout);
        return MR_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) { /* mrsim help COMMAND = mrsim COMMAND --help */
        const mr_cli_cmd *c = mr_cli_find_command(argv[2]);
        if (c == NULL)
            return unknown_command(argv[2]);
        mr_cli_command_help(c, stdout);
        return MR_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        version(stdout);
        return MR_EXIT_OK;
    }
    const mr_cli_cmd *c = mr_cli_find_command(cmd);
    if (c == NULL)
        return unknown_command(cmd);
    int nargc;
    char **nargv;
    int status = mr_cli_normalize(c, argc - 1, argv + 1, &nargc, &nargv);
    if (status != MR_EXIT_OK)
        return status;
    for (int a = 1; a < nargc; a++) {
        if (strcmp(nargv[a], "--help") == 0 || strcmp(nargv[a], "-h") == 0) {
            mr_cli_command_help(c, stdout);
            mr_cli_normalized_free(nargc, nargv);
            return MR_EXIT_OK;
        }
    }
    status = c->run(nargc, nargv);
    mr_cli_normalized_free(nargc, nargv);
    return status;
}
