/* sim/cli/cmd_run.c: `mrsim run`: load a scenario, run its replications,
 * print the result table or the JSON document of docs/cli.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "run/runner.h"
#include "config/scenario.h"

void mr_cmd_run_help(FILE *out)
{
    fputs("usage: mrsim run SCENARIO.yaml [-n N] [-s SEED] [-j J] [--set KEY=VALUE]...\n"
          "                 [--json] [--trace FILE [--trace-filter EXPR]] [--db FILE [--db-vectors all|summary|none]] [--check-slo] [-q]\n\n"
          "Simulates every replication of the scenario and prints each metric's mean,\n"
          "95% confidence interval and percentiles across replications. SCENARIO.yaml\n"
          "may be - for standard input.\n",
          out);
}

const mr_cli_opt mr_cmd_run_opts[] = {
    MR_CLI_COMMON_OPTS,
    {"--trace", 0, "FILE", "write every event of replication 0 as CSV (- for stdout)", "@file"},
    {"--trace-filter", 0, "EXPR",
     "with --trace, only the events EXPR selects: blank-separated clauses\n"
     "component=GLOB[,GLOB...] (or a bare GLOB list), kind=NAME[,NAME...];\n"
     "e.g. 'clusters/* kind=fault_start,fault_end'",
     NULL},
    {0},
};

const char mr_cmd_run_examples[] =
    "mrsim run scenarios/active-passive-tm.yaml -n 50 --set traffic.ttl=10s --json\n";

static void write_json(void *ctx, FILE *f)
{
    mr_result_write_json(ctx, f);
}

int mr_cmd_run(int argc, char **argv)
{
    const char *file = NULL, *trace_path = NULL, *filter_expr = NULL;
    mr_trace_filter filter;
    int status = MR_EXIT_OK;
    mr_cli_common c;
    mr_cli_common_init(&c, argc, 1);
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i];
        int k = mr_cli_common_option("run", argc, argv, &i, &c);
        if (k < 0) {
            status = MR_EXIT_USAGE;
        } else if (k > 0) {
            continue;
        } else if (strcmp(a, "--trace") == 0) {
            if (!(trace_path = mr_cli_optarg("run", argc, argv, &i)))
                status = MR_EXIT_USAGE;
        } else if (strcmp(a, "--trace-filter") == 0) {
            if (!(filter_expr = mr_cli_optarg("run", argc, argv, &i)))
                status = MR_EXIT_USAGE;
            else if (filter_expr && (status = mr_cli_trace_filter(filter_expr, &filter)) != MR_EXIT_OK)
                filter_expr = NULL;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("run", "unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            status = mr_cli_usage_error("run", "one scenario at a time ('%s' and '%s')", file, a);
        }
    }
    if (status == MR_EXIT_OK && file == NULL)
        status = mr_cli_usage_error("run", "which scenario? give a file");
    if (status == MR_EXIT_OK && filter_expr && trace_path == NULL)
        status = mr_cli_usage_error("run", "--trace-filter selects events of --trace: give --trace FILE too");
    if (status != MR_EXIT_OK) {
        mr_cli_common_fini(&c);
        return status;
    }
    mr_run_opts opts = c.opts;
    opts.trace_filter = filter_expr ? &filter : NULL;

    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(file, c.sets, c.nsets, mr_model_registry(), &sc, diag);
    if (rc == MR_OK)
        rc = mr_build_check(sc, diag);
    if (rc == MR_OK)
        rc = mr_cli_db_open(&c);
    /* Under MPI replication 0, the one traced, runs on rank 0: the only
     * rank that writes files. */
    mr_cli_outfile trace = {0};
    if (rc == MR_OK && trace_path && mr_mpi_rank() == 0) {
        rc = mr_cli_out_open(&trace, trace_path);
        opts.trace = trace.f;
    }
    mr_result result = {0};
    if (rc == MR_OK) {
        mr_cli_progress pr;
        mr_cli_progress_attach(&c, &opts, &pr);
        mr_cli_db_run(&c, &opts, sc, NULL, NULL, 0);
        rc = mr_run_scenario(sc, &opts, &result, diag);
        mr_cli_progress_end(&pr);
    }
    /* In place only when whole: a failed run or write leaves the path as
     * it was (the temporary file was ours to remove, the path never is). */
    int trc = mr_cli_out_close(&trace, rc == MR_OK);
    if (rc == MR_OK)
        rc = trc;
    mr_diag_print(diag, stderr);
    int slo_status = MR_EXIT_OK;
    rc = mr_cli_db_finish(&c, rc);
    if (rc == MR_OK) {
        if (mr_cli_export_to_stdout(&c))
            ; /* the export is stdout's one document */
        else if (c.json)
            mr_result_write_json(&result, stdout);
        else
            mr_result_write_table(&result, stdout);
        slo_status = mr_cli_slo_status(&c, &result, 1);
        const char *label = result.scenario;
        rc = mr_cli_exports(&c, &result, &label, 1, write_json, &result);
    }
    mr_result_fini(&result);
    mr_scenario_free(sc);
    mr_diag_free(diag);
    mr_cli_common_fini(&c);
    return rc != MR_OK ? mr_cli_exit_code(rc) : slo_status;
}
