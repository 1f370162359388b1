/* sim/cli/table.c: the tables made for comparing (issue 17): compare's
 * side by side (a column per run, a row per metric: mean, 95% CI, the
 * paired difference against the first run) then its verdicts, and sweep's
 * aligned rows (a row per point, each metric's mean with a marker on the
 * best point and the paired difference against the first). Both fit a
 * width (--width, else COLUMNS, else the terminal's, else 80): columns
 * that do not fit go to a further block, which repeats the row labels and
 * the first run, the one every difference is against. Also the exports
 * (--export-csv, --export-markdown) and the --metrics list. All of it
 * runs once, after the runs: string work here is no hot path. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "out/human.h"
#include "run/runner.h"

/* ---- a grid of cells, split into blocks that fit the width ---- */

enum { CELL = 80 };

typedef struct grid {
    size_t ncols, nrows, caprows;
    char (*cells)[CELL]; /* nrows x (ncols + 1): the label, then each column */
} grid;

static void grid_init(grid *g, size_t ncols)
{
    memset(g, 0, sizeof *g);
    g->ncols = ncols;
}

/* A new row; its cells are empty until set. */
static char (*grid_row(grid *g))[CELL]
{
    if (g->nrows == g->caprows) {
        g->caprows = g->caprows ? 2 * g->caprows : 32;
        g->cells = mr_xrealloc(g->cells, g->caprows * (g->ncols + 1) * sizeof *g->cells);
    }
    char(*row)[CELL] = g->cells + g->nrows++ * (g->ncols + 1);
    memset(row, 0, (g->ncols + 1) * sizeof *row);
    return row;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void cellf(char *cell, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cell, CELL, fmt, ap);
    va_end(ap);
}

/* Prints g (row 0 is the header) in blocks of columns that fit width,
 * never splitting a group of `group` columns (a mean and its difference);
 * every block after the first repeats column 1 when repeat_first. */
static void grid_print(const grid *g, int width, int repeat_first, size_t group, FILE *out)
{
    size_t nc = g->ncols + 1;
    int *w = mr_xcalloc(nc, sizeof *w);
    for (size_t r = 0; r < g->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            int len = (int)strlen(g->cells[r * nc + c]);
            w[c] = len > w[c] ? len : w[c];
        }
    size_t *cols = mr_xcalloc(nc, sizeof *cols);
    for (size_t start = 1; start < nc;) {
        size_t n = 0;
        int used = w[0];
        if (repeat_first && start > 1) {
            cols[n++] = 1;
            used += 2 + w[1];
        }
        size_t c = start;
        /* At least one new group per block, whatever the width. */
        while (c < nc) {
            int need = 0;
            for (size_t k = c; k < c + group && k < nc; k++)
                need += 2 + w[k];
            if (c != start && used + need > width)
                break;
            for (size_t k = c; k < c + group && k < nc; k++)
                cols[n++] = k;
            used += need;
            c += group;
        }
        if (start > 1)
            fputc('\n', out);
        for (size_t r = 0; r < g->nrows; r++) {
            const char(*row)[CELL] = (const char(*)[CELL])(g->cells + r * nc);
            /* No trailing blanks: a line ends at its last non-empty cell. */
            size_t last = 0;
            for (size_t k = 0; k < n; k++)
                if (row[cols[k]][0])
                    last = k + 1;
            /* The header in bold; padding outside the escape sequences so
             * that the columns stay aligned. */
            const char *on = r == 0 ? mr_cli_sgr("\033[1m") : "", *off = *on ? "\033[0m" : "";
            fprintf(out, "%s%s%s%*s", on, row[0], off, last ? w[0] - (int)strlen(row[0]) : 0, "");
            for (size_t k = 0; k < last; k++)
                fprintf(out, "  %*s%s%s%s", w[cols[k]] - (int)strlen(row[cols[k]]), "", on,
                        row[cols[k]], off);
            fputc('\n', out);
        }
        start = c;
    }
    free(cols);
    free(w);
}

static void grid_fini(grid *g)
{
    free(g->cells);
}

/* ---- cells ---- */

static mr_hu_kind kind_of(mr_metric m)
{
    return (mr_hu_kind)mr_metric_table_kind(m);
}

static void mean_text(char *buf, size_t n, const mr_summary *s, mr_metric m)
{
    if (s->n == 0) {
        snprintf(buf, n, "n/a");
        return;
    }
    char v[MR_HU_LEN];
    mr_hu_value(v, sizeof v, kind_of(m), s->mean);
    snprintf(buf, n, "%s%s", (s->lower & MR_LB_MEAN) ? ">=" : "", v);
}

static void ci_text(char *buf, size_t n, const mr_summary *s, mr_metric m)
{
    mr_hu_kind k = kind_of(m) == MR_HU_USD_MONTH ? MR_HU_USD : kind_of(m);
    if (s->n == 0)
        snprintf(buf, n, "%s", "");
    else
        mr_hu_interval(buf, n, k, s->ci_lo, s->ci_hi);
}

/* A ratio or a percentage to three significant digits, whole with
 * thousands separators from 1,000 ("1,357", never "1.36e+03"). */
static char *factor_text(char *buf, size_t n, double v)
{
    if (fabs(v) >= 1000)
        return mr_hu_count(buf, n, round(v));
    snprintf(buf, n, "%.3g", v);
    return buf;
}

/* The difference b - a as "+4m 10s (+35%)": absolute, then relative to a
 * when a is not 0. */
static void diff_text(char *buf, size_t n, const mr_result *a, const mr_difference *d)
{
    if (d->d.n == 0 || isnan(d->d.mean)) {
        snprintf(buf, n, "-");
        return;
    }
    mr_hu_kind k = kind_of(d->metric) == MR_HU_USD_MONTH ? MR_HU_USD : kind_of(d->metric);
    char v[MR_HU_LEN];
    mr_hu_delta(v, sizeof v, k, d->d.mean);
    double base = a->metrics[d->metric].mean;
    if (base != 0 && isfinite(base) && d->d.mean != 0) {
        char rel[16];
        double pct = 100 * d->d.mean / fabs(base);
        if (fabs(pct) < 0.01) /* "+0.000852%" reads as noise: say so */
            snprintf(buf, n, "%s (%s<0.01%%)", v, pct > 0 ? "+" : "-");
        else
            snprintf(buf, n, "%s (%s%s%%)", v, pct > 0 ? "+" : "",
                     factor_text(rel, sizeof rel, pct));
    } else
        snprintf(buf, n, "%s", v);
}

/* "2.4x" when b is at least twice as good as a on the metric, read on the
 * quantity that shrinks as it improves (unavailability for a share that
 * is better higher); "" when that does not read well (below 2x, a zero,
 * a difference that is not significant). */
static void times_text(char *buf, size_t n, const mr_result *a, const mr_result *b,
                       const mr_difference *d)
{
    buf[0] = '\0';
    if (d->verdict == 0)
        return;
    double x = a->metrics[d->metric].mean, y = b->metrics[d->metric].mean;
    if (mr_metric_higher_is_better(d->metric)) {
        if (kind_of(d->metric) != MR_HU_SHARE)
            return;
        x = 1 - x;
        y = 1 - y;
    }
    double big = d->verdict > 0 ? x : y, small = d->verdict > 0 ? y : x;
    if (small > 0 && big / small >= 2 && isfinite(big / small)) {
        char f[16];
        snprintf(buf, n, "%sx", factor_text(f, sizeof f, big / small));
    }
}

/* ---- compare ---- */

/* The metrics a table shows: the list, or every metric that applies to
 * some run. */
static size_t shown_metrics(const mr_cli_metrics *sel, const mr_result *res, size_t nres,
                            mr_metric *out)
{
    if (sel && sel->n) {
        memcpy(out, sel->m, sel->n * sizeof *out);
        return sel->n;
    }
    size_t n = 0;
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        int any = 0;
        for (size_t r = 0; r < nres; r++)
            any |= res[r].metrics[m].n > 0;
        if (any)
            out[n++] = (mr_metric)m;
    }
    return n;
}

void mr_cli_compare_table(const mr_result *res, const char *const *labels, size_t nres,
                          const mr_cli_metrics *sel, int width, FILE *out)
{
    mr_metric ms[MR_METRIC_COUNT];
    size_t nm = shown_metrics(sel, res, nres, ms);
    char reps[64];
    fprintf(out, "%s, common random numbers, seed %llu;\ndifferences paired against %s\n\n",
            mr_hu_plural(reps, sizeof reps, (unsigned long long)res[0].replications,
                         "replication", "replications"),
            (unsigned long long)res[0].seed, labels[0]);
    grid g;
    grid_init(&g, nres);
    char(*row)[CELL] = grid_row(&g);
    cellf(row[0], "metric");
    for (size_t r = 0; r < nres; r++)
        cellf(row[r + 1], "%s", labels[r]);
    for (size_t i = 0; i < nm; i++) {
        mr_metric m = ms[i];
        char name[48];
        mr_metric_table_name(m, name, sizeof name);
        row = grid_row(&g);
        cellf(row[0], "%s", name);
        for (size_t r = 0; r < nres; r++)
            mean_text(row[r + 1], CELL, &res[r].metrics[m], m);
        row = grid_row(&g);
        cellf(row[0], "  95%% CI");
        for (size_t r = 0; r < nres; r++)
            ci_text(row[r + 1], CELL, &res[r].metrics[m], m);
        if (nres < 2)
            continue;
        row = grid_row(&g);
        cellf(row[0], "  vs %s", labels[0]);
        for (size_t r = 1; r < nres; r++) {
            mr_difference d;
            mr_result_difference(&res[0], &res[r], m, &d);
            diff_text(row[r + 1], CELL, &res[0], &d);
        }
    }
    grid_print(&g, width, 1, 1, out);
    grid_fini(&g);

    if (nres < 2)
        return;
    fputs("\nverdicts (paired 95% CI of the difference; better = its CI excludes 0):\n", out);
    for (size_t r = 1; r < nres; r++) {
        char same[512] = "";
        fprintf(out, "%s vs %s:\n", labels[r], labels[0]);
        for (size_t i = 0; i < nm; i++) {
            mr_metric m = ms[i];
            mr_difference d;
            mr_result_difference(&res[0], &res[r], m, &d);
            char name[48];
            mr_metric_table_name(m, name, sizeof name);
            if (d.d.n < 2)
                continue;
            if (d.verdict == 0) {
                snprintf(same + strlen(same), sizeof same - strlen(same), "%s%s",
                         same[0] ? ", " : "", name);
                continue;
            }
            char times[32], ci[2 * MR_HU_LEN], delta[CELL];
            times_text(times, sizeof times, &res[0], &res[r], &d);
            mr_hu_kind k = kind_of(m) == MR_HU_USD_MONTH ? MR_HU_USD : kind_of(m);
            mr_hu_delta_interval(ci, sizeof ci, k, d.d.ci_lo, d.d.ci_hi);
            diff_text(delta, sizeof delta, &res[0], &d);
            const char *winner = d.verdict > 0 ? labels[r] : labels[0];
            const char *loser = d.verdict > 0 ? labels[0] : labels[r];
            char line[4 * CELL];
            /* The length without the colour's escape sequences decides the wrap. */
            int len = snprintf(line, sizeof line, "  %-14s %s %s%s than %s: %s", name, winner,
                               times[0] ? times : "", times[0] ? " better" : "better", loser,
                               delta);
            if (mr_cli_color())
                snprintf(line, sizeof line, "  %-14s \033[32m%s %s%s\033[0m than %s: %s", name,
                         winner, times[0] ? times : "", times[0] ? " better" : "better", loser,
                         delta);
            /* The CI on a line of its own when the line would not fit. */
            fprintf(out, "%s%s95%% CI %s\n", line,
                    len + 10 + (int)strlen(ci) > width ? "\n                   " : ", ", ci);
        }
        if (same[0]) {
            /* The list wrapped at the width, under its first name. */
            char head[CELL];
            snprintf(head, sizeof head, "  no difference at 95%%: ");
            fputs(head, out);
            int col = (int)strlen(head);
            for (char *save = NULL, *tok = strtok_r(same, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                tok += *tok == ' ';
                int last = save == NULL || *save == '\0';
                int len = (int)strlen(tok) + (last ? 0 : 1);
                if (col + 1 + len > width && col > 4) {
                    fputs("\n    ", out);
                    col = 4;
                } else if (col != (int)strlen(head)) {
                    fputc(' ', out);
                    col++;
                }
                fprintf(out, "%s%s", tok, last ? "" : ",");
                col += len;
            }
            fputc('\n', out);
        }
    }
}

/* ---- sweep ---- */

void mr_cli_sweep_table(const mr_result *res, const char *const *points, const char *keys_head,
                        size_t nres, const mr_cli_metrics *sel, int width, FILE *out)
{
    mr_metric ms[MR_METRIC_COUNT];
    size_t nm = shown_metrics(sel, res, nres, ms);
    grid g;
    grid_init(&g, 2 * nm);
    char(*row)[CELL] = grid_row(&g);
    cellf(row[0], "%s", keys_head);
    for (size_t i = 0; i < nm; i++) {
        char name[48];
        mr_metric_table_name(ms[i], name, sizeof name);
        cellf(row[2 * i + 1], "%s", name);
        cellf(row[2 * i + 2], "vs #1");
    }
    /* The best mean of each metric (highest or lowest), marked on every
     * point that has it; none when every point has it (nothing to pick). */
    double best[MR_METRIC_COUNT];
    int marked[MR_METRIC_COUNT];
    for (size_t i = 0; i < nm; i++) {
        best[i] = NAN;
        size_t have = 0, at_best = 0;
        for (size_t r = 0; r < nres; r++) {
            const mr_summary *s = &res[r].metrics[ms[i]];
            if (s->n == 0 || isnan(s->mean))
                continue;
            have++;
            if (isnan(best[i]) ||
                (mr_metric_higher_is_better(ms[i]) ? s->mean > best[i] : s->mean < best[i]))
                best[i] = s->mean;
        }
        for (size_t r = 0; r < nres; r++)
            at_best += res[r].metrics[ms[i]].n > 0 && res[r].metrics[ms[i]].mean == best[i];
        marked[i] = have > 1 && at_best < have;
    }
    for (size_t r = 0; r < nres; r++) {
        row = grid_row(&g);
        cellf(row[0], "%s", points[r]);
        for (size_t i = 0; i < nm; i++) {
            char mean[CELL];
            mean_text(mean, sizeof mean, &res[r].metrics[ms[i]], ms[i]);
            int is_best = marked[i] && res[r].metrics[ms[i]].n > 0 &&
                          res[r].metrics[ms[i]].mean == best[i];
            cellf(row[2 * i + 1], "%s%s", mean, is_best ? " *" : "  ");
            if (r == 0) {
                cellf(row[2 * i + 2], "-");
                continue;
            }
            mr_difference d;
            mr_result_difference(&res[0], &res[r], ms[i], &d);
            char delta[CELL];
            diff_text(delta, sizeof delta, &res[0], &d);
            /* "~": the paired CI holds 0, no difference at 95%. */
            cellf(row[2 * i + 2], "%s%s", delta, d.verdict == 0 && d.d.n >= 2 ? " ~" : "  ");
        }
    }
    grid_print(&g, width, 0, 2, out);
    grid_fini(&g);
    fputs("\n* the best point of each metric; vs #1: the paired difference against the first\n"
          "point (relative in brackets), ~ when its 95% CI holds 0\n",
          out);
}

/* ---- exports ---- */

void mr_cli_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\";\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    if (isnan(v))
        fputs("", f);
    else
        fprintf(f, "%.10g", v);
}

void mr_cli_export_csv(const mr_result *res, const char *const *labels, size_t nres, FILE *f)
{
    fputs("run,metric,n,mean,ci95_lo,ci95_hi,p50,p95,p99,min,max,diff_mean,diff_ci95_lo,"
          "diff_ci95_hi,better\n",
          f);
    for (size_t r = 0; r < nres; r++)
        for (int m = 0; m < MR_METRIC_COUNT; m++) {
            const mr_summary *s = &res[r].metrics[m];
            mr_cli_csv_field(f, labels[r]);
            fprintf(f, ",%s,%llu", mr_metric_name((mr_metric)m), (unsigned long long)s->n);
            const double v[] = {s->mean, s->ci_lo, s->ci_hi, s->p50, s->p95, s->p99, s->min, s->max};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
                fputc(',', f);
                if (s->n)
                    csv_num(f, v[i]);
            }
            if (r > 0) {
                mr_difference d;
                mr_result_difference(&res[0], &res[r], (mr_metric)m, &d);
                fputc(',', f);
                if (d.d.n)
                    csv_num(f, d.d.mean);
                fputc(',', f);
                if (d.d.n)
                    csv_num(f, d.d.ci_lo);
                fputc(',', f);
                if (d.d.n)
                    csv_num(f, d.d.ci_hi);
                fputc(',', f);
                if (d.verdict)
                    mr_cli_csv_field(f, d.verdict > 0 ? labels[r] : labels[0]);
            } else {
                fputs(",,,,", f);
            }
            fputc('\n', f);
        }
}

void mr_cli_export_markdown(const mr_result *res, const char *const *labels, size_t nres,
                            const mr_cli_metrics *sel, FILE *f)
{
    mr_metric ms[MR_METRIC_COUNT];
    size_t nm = shown_metrics(sel, res, nres, ms);
    fputs("| metric |", f);
    for (size_t r = 0; r < nres; r++)
        fprintf(f, " %s |", labels[r]);
    fputs("\n| --- |", f);
    for (size_t r = 0; r < nres; r++)
        fputs(" ---: |", f);
    fputc('\n', f);
    for (size_t i = 0; i < nm; i++) {
        char name[48];
        mr_metric_table_name(ms[i], name, sizeof name);
        fprintf(f, "| %s |", name);
        for (size_t r = 0; r < nres; r++) {
            char mean[CELL], ci[CELL], delta[2 * CELL] = "";
            mean_text(mean, sizeof mean, &res[r].metrics[ms[i]], ms[i]);
            ci_text(ci, sizeof ci, &res[r].metrics[ms[i]], ms[i]);
            if (strcmp(ci, "-") == 0)
                ci[0] = '\0';
            if (r > 0) {
                mr_difference d;
                mr_result_difference(&res[0], &res[r], ms[i], &d);
                char dt[CELL];
                diff_text(dt, sizeof dt, &res[0], &d);
                snprintf(delta, sizeof delta, "<br>%s%s", dt,
                         d.verdict > 0 ? " better" : d.verdict < 0 ? " worse" : "");
            }
            fprintf(f, " %s%s%s%s |", mean, ci[0] ? " " : "", ci, delta);
        }
        fputc('\n', f);
    }
    if (nres > 1)
        fprintf(f, "\nMeans with 95%% CIs over %llu replications; each difference is paired "
                   "against %s (common random numbers), \"better\" when its CI excludes 0.\n",
                (unsigned long long)res[0].replications, labels[0]);
}

int mr_cli_export_to_stdout(const mr_cli_common *c)
{
    const char *paths[3] = {c->export_json, c->export_csv, c->export_md};
    for (int k = 0; k < 3; k++)
        if (paths[k] && strcmp(paths[k], "-") == 0)
            return 1;
    return 0;
}

int mr_cli_exports(const mr_cli_common *c, const mr_result *res, const char *const *labels,
                   size_t n, void (*json)(void *ctx, FILE *f), void *ctx)
{
    const char *paths[3] = {c->export_json, c->export_csv, c->export_md};
    int rc = MR_OK;
    for (int k = 0; k < 3 && rc == MR_OK; k++) {
        if (paths[k] == NULL || mr_mpi_rank() > 0)
            continue;
        mr_cli_outfile o;
        rc = mr_cli_out_open(&o, paths[k]);
        if (rc != MR_OK)
            break;
        if (k == 0)
            json(ctx, o.f);
        else if (k == 1)
            mr_cli_export_csv(res, labels, n, o.f);
        else
            mr_cli_export_markdown(res, labels, n, &c->metrics, o.f);
        rc = mr_cli_out_close(&o, 1);
    }
    return rc;
}
