/* sim/out/report.h: `mrsim report` (docs/figures.md "The report"): the
 * design-review page of a results database: the question and the
 * candidates, the side-by-side table in human units with CIs and paired
 * verdicts, the recovery timelines and critical paths, the figures with
 * captions, the assumptions (defaults and their sources) and how to
 * reproduce. Markdown with relative image links, or one self-contained
 * HTML file with the figures inlined as SVG. Like `plot`, it reads only
 * the database. */
#ifndef MRSIM_OUT_REPORT_H
#define MRSIM_OUT_REPORT_H

#include <stddef.h>

typedef enum mr_report_format { MR_REPORT_MD, MR_REPORT_HTML } mr_report_format;

typedef struct mr_report_opts {
    const char *db_path;
    const char *out_path;    /* FILE.md or FILE.html */
    mr_report_format format;
    const char *scripts_dir; /* plots/ */
    const char *gnuplot;
} mr_report_opts;

/* Writes the report (and, for Markdown, its figures in a folder beside it,
 * FILE-figures/). MR_OK, or MR_EIO with the reason in err. */
int mr_report_write(const mr_report_opts *opts, char *err, size_t errlen);

#endif
