/* sim/cli/cmd_plot.c: `mrsim plot RESULTS.db --out DIR [--format F]
 * [--only KINDS]`: the figures of docs/figures.md from a results database
 * (sim/out/plot.c), drawn by the gnuplot scripts of plots/. Prints each
 * file written on stdout; with --format dumb the drawings too. Exit 5 when
 * the database cannot be read, gnuplot is missing or fails, or DIR cannot
 * be written; 2 for a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mrsim/error.h"
#include "out/plot.h"


void mr_cmd_plot_help(FILE *out)
{
    fputs("usage: mrsim plot RESULTS.db --out DIR [--format png|svg|pdf|dumb] [--only KINDS]\n\n"
          "Draws the figures of a results database (written by run, compare or sweep with\n"
          "--db) with gnuplot: for each figure whose data the database holds, DIR/KIND.tsv\n"
          "(the data) and DIR/KIND.png (or .svg, .pdf, .txt). The scripts are in plots/\n"
          "(restyle a figure there, no C needed); MRSIM_PLOTS_DIR names another folder,\n"
          "MRSIM_GNUPLOT another gnuplot. Prints the files written, one per line.\n\n"
          "figure kinds (--only):\n",
          out);
    for (int k = 0; k < MR_PLOT_KIND_COUNT; k++)
        fprintf(out, "  %-15s %s\n", mr_plot_kind_name((mr_plot_kind)k),
                mr_plot_kind_text((mr_plot_kind)k));
}

const mr_cli_opt mr_cmd_plot_opts[] = {
    {"--out", 'o', "DIR", "where the figures go (created when missing)", "@dir"},
    {"--format", 0, "F",
     "png (1280 x 720, for a slide; default), svg (for a page),\npdf, or dumb (drawn in the "
     "terminal, 100 x 30)",
     "png svg pdf dumb"},
    {"--only", 0, "KINDS", "a comma-separated list of figure kinds", NULL},
    {0},
};

const char mr_cmd_plot_examples[] = "mrsim compare scenarios/compare-topologies.yaml --db ct.db\n"
                                    "mrsim plot ct.db --out figures\n";

/* The kinds of a comma-separated list as bits; -1 after a usage error. */
static int parse_only(const char *list, unsigned *bits)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    *bits = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int k = mr_plot_kind_find(tok);
        if (k < 0) {
            mr_cli_usage_error("plot", "--only: unknown figure kind '%s' (see mrsim plot --help)",
                               tok);
            return -1;
        }
        *bits |= 1u << k;
    }
    if (*bits == 0) {
        mr_cli_usage_error("plot", "--only needs at least one figure kind");
        return -1;
    }
    return 0;
}

int mr_cmd_plot(int argc, char **argv)
{
    const char *gnuplot = getenv("MRSIM_GNUPLOT"), *dir = mr_cli_data_dir("plots");
    mr_plot_opts o = {.gnuplot = gnuplot && *gnuplot ? gnuplot : "gnuplot",
                      .scripts_dir = dir,
                      .format = MR_PLOT_PNG,
                      .list = stdout,
                      .term = stdout,
                      .note = stderr};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) {
            if (!(o.out_dir = mr_cli_optarg("plot", argc, argv, &i)))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "--format") == 0) {
            const char *v = mr_cli_optarg("plot", argc, argv, &i);
            if (!v)
                return MR_EXIT_USAGE;
            int f = mr_plot_format_find(v);
            if (f < 0)
                return mr_cli_usage_error("plot", "--format: '%s' is not png, svg, pdf or dumb", v);
            o.format = (mr_plot_format)f;
        } else if (strcmp(a, "--only") == 0) {
            const char *v = mr_cli_optarg("plot", argc, argv, &i);
            if (!v || parse_only(v, &o.only) != 0)
                return MR_EXIT_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            return mr_cli_usage_error("plot", "unknown option '%s'", a);
        } else if (o.db_path) {
            return mr_cli_usage_error("plot", "one database at a time ('%s' and '%s')", o.db_path,
                                      a);
        } else {
            o.db_path = a;
        }
    }
    if (!o.db_path)
        return mr_cli_usage_error("plot", "no results database given");
    if (!o.out_dir)
        return mr_cli_usage_error("plot", "--out DIR is required");
    char err[1024];
    size_t drawn = 0;
    int rc = mr_plot_draw(&o, &drawn, err, sizeof err);
    if (rc != MR_OK) {
        fprintf(stderr, "mrsim: error: %s\n", err);
        return MR_EXIT_IO;
    }
    if (drawn == 0)
        fprintf(stderr, "mrsim: note: %s holds no data for any figure\n", o.db_path);
    return MR_EXIT_OK;
}
