/* sim/cli/cmd_tui.c: `mrsim tui SCENARIO.yaml [--variant NAME] [--seed S]`:
 * one replication live in the terminal (docs/tui.md). The checks that need
 * no screen come first: stdout a terminal (else exit 2), the scenario valid
 * (validate's located errors, exit 4), the variant known; only then does
 * the screen open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config/scenario.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/live.h"
#include "tui/tui.h"

void mr_cmd_tui_help(FILE *out)
{
    fputs("usage: mrsim tui SCENARIO.yaml [--variant NAME] [-s SEED]\n\n"
          "Runs replication 0 of the scenario live in the terminal: pause, speed, step,\n"
          "inject faults on any component and repair them, and write the session as a\n"
          "scenario file that `mrsim run FILE --seed SEED -n 1` replays with the same\n"
          "numbers. Press ? in the screen for the keys (docs/tui.md).\n"
          "Standard output must be a terminal (at least 80x24); NO_COLOR is honoured.\n",
          out);
}

const mr_cli_opt mr_cmd_tui_opts[] = {
    {"--variant", 0, "NAME", "run the scenario with that variant's set: applied", NULL},
    {"--seed", 's', "S", "64-bit seed (default: seed of the file)", NULL},
    {0},
};

const char mr_cmd_tui_examples[] = "mrsim tui scenarios/active-passive-tm.yaml\n"
                                   "mrsim tui scenarios/compare-topologies.yaml --variant stamps-fd -s 7\n";

int mr_cmd_tui(int argc, char **argv)
{
    const char *file = NULL, *variant = NULL;
    uint64_t seed = 0;
    int seed_set = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--variant") == 0) {
            if (!(variant = mr_cli_optarg("tui", argc, argv, &i)))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "--seed") == 0) {
            const char *v = mr_cli_optarg("tui", argc, argv, &i);
            if (!v || mr_cli_parse_u64("tui", a, v, 0, UINT64_MAX, &seed) != 0)
                return MR_EXIT_USAGE;
            seed_set = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return mr_cli_usage_error("tui", "unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return mr_cli_usage_error("tui", "one scenario at a time ('%s' and '%s')", file, a);
        }
    }
    if (file == NULL)
        return mr_cli_usage_error("tui", "which scenario? give a file");
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "mrsim: error: tui: standard %s is not a terminal: the TUI draws on one "
                        "(use mrsim run for output to a file or a pipe)\n",
                !isatty(STDOUT_FILENO) ? "output" : "input");
        return MR_EXIT_USAGE;
    }
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(file, NULL, 0, mr_model_registry(), &sc, diag);
    const char **sets = NULL;
    size_t nsets = 0;
    int status = MR_EXIT_OK;
    if (rc == MR_OK && variant != NULL) {
        const mr_sc_variant *var = NULL;
        for (size_t v = 0; v < sc->nvariants; v++)
            if (strcmp(sc->variants[v].name, variant) == 0)
                var = &sc->variants[v];
        if (var == NULL) {
            fprintf(stderr, "mrsim: error: tui: %s has no variant '%s'%s", file, variant,
                    sc->nvariants ? " (variants:" : " (it has no variants)\n");
            for (size_t v = 0; v < sc->nvariants; v++)
                fprintf(stderr, " %s%s", sc->variants[v].name, v + 1 < sc->nvariants ? "," : ")\n");
            status = MR_EXIT_USAGE;
        } else {
            nsets = var->nsets;
            sets = calloc(nsets ? nsets : 1, sizeof *sets);
            for (size_t k = 0; k < nsets; k++)
                sets[k] = var->sets[k].text;
        }
    }
    mr_live *lv = NULL;
    if (rc == MR_OK && status == MR_EXIT_OK)
        rc = mr_live_open(file, sets, nsets, seed, seed_set, &lv, diag);
    mr_diag_print(diag, stderr);
    mr_diag_free(diag);
    if (rc != MR_OK)
        status = mr_cli_exit_code(rc);
    if (status == MR_EXIT_OK) {
        mr_tui_opts opts = {.file = file, .variant = variant};
        status = mr_tui_run(lv, &opts);
    }
    mr_live_close(lv);
    free(sets);
    mr_scenario_free(sc);
    return status;
}
