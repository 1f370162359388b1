/* sim/cli/cmd_report.c: `mrsim report RESULTS.db --out FILE [--format
 * md|html]`: the design-review page of a results database
 * (sim/out/report.c). The format follows FILE's extension unless --format
 * says. Exit 5 when the database cannot be read, gnuplot is missing or the
 * page cannot be written; 2 for a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mrsim/error.h"
#include "out/report.h"


void mr_cmd_report_help(FILE *out)
{
    fputs("usage: mrsim report RESULTS.db --out FILE [--format md|html]\n\n"
          "Writes the design-review page of a results database: the question and the\n"
          "candidates, the side-by-side table in human units with 95% CIs and paired\n"
          "verdicts, the recovery timelines and critical paths, the figures with captions,\n"
          "the assumptions (defaults and their sources) and how to reproduce the numbers.\n"
          "Markdown (FILE.md) links its figures, drawn in FILE-figures/ beside it; HTML\n"
          "(FILE.html) is one self-contained file with the figures inlined as SVG.\n",
          out);
}

const mr_cli_opt mr_cmd_report_opts[] = {
    {"--out", 'o', "FILE", "the page; its extension picks the format unless --format", "@file"},
    {"--format", 0, "F", "md or html", "md html"},
    {0},
};

const char mr_cmd_report_examples[] = "mrsim compare scenarios/compare-topologies.yaml --db ct.db\n"
                                      "mrsim report ct.db --out review.html\n";

int mr_cmd_report(int argc, char **argv)
{
    const char *gnuplot = getenv("MRSIM_GNUPLOT"), *dir = mr_cli_data_dir("plots");
    mr_report_opts o = {.gnuplot = gnuplot && *gnuplot ? gnuplot : "gnuplot",
                        .scripts_dir = dir,
                        .format = MR_REPORT_MD};
    int format_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) {
            if (!(o.out_path = mr_cli_optarg("report", argc, argv, &i)))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "--format") == 0) {
            const char *v = mr_cli_optarg("report", argc, argv, &i);
            if (!v)
                return MR_EXIT_USAGE;
            if (strcmp(v, "md") == 0)
                o.format = MR_REPORT_MD;
            else if (strcmp(v, "html") == 0)
                o.format = MR_REPORT_HTML;
            else
                return mr_cli_usage_error("report", "--format: '%s' is not md or html", v);
            format_given = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return mr_cli_usage_error("report", "unknown option '%s'", a);
        } else if (o.db_path) {
            return mr_cli_usage_error("report", "one database at a time ('%s' and '%s')",
                                      o.db_path, a);
        } else {
            o.db_path = a;
        }
    }
    if (!o.db_path)
        return mr_cli_usage_error("report", "no results database given");
    if (!o.out_path)
        return mr_cli_usage_error("report", "--out FILE is required");
    size_t len = strlen(o.out_path);
    if (!format_given && len > 5 && strcmp(o.out_path + len - 5, ".html") == 0)
        o.format = MR_REPORT_HTML;
    char err[1024];
    if (mr_report_write(&o, err, sizeof err) != MR_OK) {
        fprintf(stderr, "mrsim: error: %s\n", err);
        return MR_EXIT_IO;
    }
    printf("%s\n", o.out_path);
    return MR_EXIT_OK;
}
