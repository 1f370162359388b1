/* sim/out/plot.h: `mrsim plot` (docs/figures.md): the figures of a results
 * database. For each figure kind whose data the database holds, the data
 * is written as DIR/KIND.tsv and the gnuplot script plots/KIND.gp draws
 * DIR/KIND.{png,svg,pdf,txt} from it; mrsim itself never draws. The
 * database is only read, so a figure can be redrawn from the file alone.
 * Files appear whole or not at all: each is written under a temporary
 * name and renamed. */
#ifndef MRSIM_OUT_PLOT_H
#define MRSIM_OUT_PLOT_H

#include <stddef.h>
#include <stdio.h>

/* The figure kinds, in the order they are drawn. */
#define MR_PLOT_KIND_MAP(X)                                                              \
    X(METRICS, "metrics", "headline metrics per variant, mean and 95% CI")              \
    X(TIMELINE, "timeline", "success ratio over time around the fault, 5-95% band")     \
    X(CLIENT_RTO_CDF, "client-rto-cdf", "client RTO distribution (Kaplan-Meier)")       \
    X(SWEEP, "sweep", "metrics against the swept parameters, 95% CI")                   \
    X(PARETO, "pareto", "run-rate cost against downtime, the Pareto front joined")      \
    X(TRAFFIC_SHIFT, "traffic-shift", "share of requests served per region over time")  \
    X(DNS_STALE, "dns-stale", "share of resolvers still answering the failed endpoint") \
    X(RPO, "rpo", "RPO and lost writes per data store, dots and 95% CI")  \
    X(LAG, "lag", "realised replication lag per data store over time")

typedef enum mr_plot_kind {
#define MR_PLOT_ENUM(id, name, text) MR_PLOT_##id,
    MR_PLOT_KIND_MAP(MR_PLOT_ENUM)
#undef MR_PLOT_ENUM
        MR_PLOT_KIND_COUNT
} mr_plot_kind;

typedef enum mr_plot_format { MR_PLOT_PNG, MR_PLOT_SVG, MR_PLOT_PDF, MR_PLOT_DUMB } mr_plot_format;

typedef struct mr_plot_opts {
    const char *db_path;     /* the results database (read only) */
    const char *out_dir;     /* created when missing */
    const char *scripts_dir; /* the plots/ folder of gnuplot scripts */
    const char *gnuplot;     /* the program: a name searched on PATH, or a path */
    mr_plot_format format;
    unsigned only;           /* bit k: draw kind k; 0: every kind */
    FILE *list;              /* each file written, one per line (stdout) */
    FILE *term;              /* dumb: the drawings themselves (stdout); may be NULL */
    FILE *note;              /* why a kind asked for by `only` was not drawn (stderr) */
} mr_plot_opts;

/* "metrics" for MR_PLOT_METRICS; NULL out of range. */
const char *mr_plot_kind_name(mr_plot_kind k);
const char *mr_plot_kind_text(mr_plot_kind k);
/* The kind named name, or -1. */
int mr_plot_kind_find(const char *name);
/* The format named "png", "svg", "pdf" or "dumb", or -1. */
int mr_plot_format_find(const char *name);

/* Draws the figures of opts. Returns MR_OK with *drawn the count of figures
 * drawn, MR_EIO (database unreadable or not an mrsim database, gnuplot
 * missing or failing, out_dir not writable) with the reason in err. */
int mr_plot_draw(const mr_plot_opts *opts, size_t *drawn, char *err, size_t errlen);

#endif
