/* sim/cli/cmd_sweep.c: `mrsim sweep`: the cross product of parameter values,
 * from --vary KEY=V1,V2,... and from the file's `sweep:`, one run each, all
 * with the same seed and replication count (common random numbers), each
 * run's varied values recorded with its results. The last key varies
 * fastest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mrsim/config.h"
#include "run/result.h"
#include "vary.h"
#include "mrsim/model.h"
#include "mrsim/alloc.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "config/scenario.h"
#include "out/human.h"

#define MAX_KEYS 16
/* The most points a sweep runs (docs/cli.md, Limits): each point's scenario
 * is loaded before the first run. */
#define MR_SWEEP_MAX_POINTS 10000

void mr_cmd_sweep_help(FILE *out)
{
    fputs("usage: mrsim sweep SCENARIO.yaml [--vary KEY=V1,V2,...]... [-n N] [-s SEED] [-j J]\n"
          "                   [--set KEY=VALUE]... [--json] [--db FILE] [--db-vectors all|summary|none]\n"
          "                   [--plot DIR] [--check-slo] [-q]\n\n"
          "Runs the cross product of the values of every --vary key and of the file's\n"
          "sweep: section (--vary wins for a key in both), one run each, with common\n"
          "random numbers. Values are split at commas outside brackets and parentheses,\n"
          "so lognormal(5m, 1.2) is one value. --plot DIR draws the sweep's figures\n"
          "there (mrsim plot --help) and lists them on stderr.\n",
          out);
}

const mr_cli_opt mr_cmd_sweep_opts[] = {
    MR_CLI_COMMON_OPTS,
    MR_CLI_TABLE_OPTS,
    {"--vary", 0, "KEY=V1,V2,...", "the values of one key; repeatable (the last varies fastest)",
     NULL},
    {0},
};

const char mr_cmd_sweep_examples[] =
    "mrsim sweep scenarios/active-passive-tm.yaml --vary traffic.ttl=10s,30s,300s \\\n"
    "            --vary traffic.probe.interval=10s,30s -n 20 --json\n";

typedef struct axis {
    char *key;
    char **values;
    size_t n;
} axis;

static void axis_free(axis *a)
{
    free(a->key);
    for (size_t i = 0; i < a->n; i++)
        free(a->values[i]);
    free(a->values);
}

static int add_axis(axis *axes, size_t *naxes, const char *key, size_t keylen, const char *vals)
{
    for (size_t i = 0; i < *naxes; i++) {
        if (strlen(axes[i].key) == keylen && strncmp(axes[i].key, key, keylen) == 0) {
            axis_free(&axes[i]); /* a later definition of the same key wins */
            axes[i].key = strndup(key, keylen);
            axes[i].n = mr_cli_split_values(vals, &axes[i].values);
            return 0;
        }
    }
    if (*naxes == MAX_KEYS)
        return -1;
    axes[*naxes].key = strndup(key, keylen);
    axes[*naxes].n = mr_cli_split_values(vals, &axes[*naxes].values);
    (*naxes)++;
    return 0;
}

/* One sweep: its options, its axes, and each point's scenario and result.
 * Point r takes value idx[k] of axis k, r read in the mixed radix of the
 * axes' sizes with the last axis the lowest digit (point_of). */
typedef struct sweep {
    mr_cli_common c;
    const char *file;
    const char **varies; /* the --vary arguments, "KEY=V1,V2,...", in order */
    size_t nvaries;
    axis axes[MAX_KEYS];
    size_t naxes;
    const char **keys; /* each axis's key, for the database and the JSON */
    mr_scenario *base; /* the file without any point's values: its sweep: and seed */
    size_t nruns;
    mr_scenario **scs;  /* each point's scenario */
    mr_result *results; /* each point's result */
} sweep;

/* Parses the command line into s; returns MR_EXIT_OK or MR_EXIT_USAGE
 * after the usage error has been printed. */
static int parse_args(sweep *s, int argc, char **argv)
{
    int status = MR_EXIT_OK;
    s->varies = mr_xcalloc((size_t)argc + 1, sizeof *s->varies);
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i], *v;
        int k = mr_cli_common_option("sweep", argc, argv, &i, &s->c);
        if (k < 0) {
            status = MR_EXIT_USAGE;
        } else if (k > 0) {
            continue;
        } else if (strcmp(a, "--vary") == 0) {
            if (!(v = mr_cli_optarg("sweep", argc, argv, &i)))
                status = MR_EXIT_USAGE;
            else if (strchr(v, '=') == NULL || v[0] == '=' || strchr(v, '=')[1] == '\0')
                status = mr_cli_usage_error("sweep", "--vary expects KEY=V1,V2,..., got '%s'", v);
            else
                s->varies[s->nvaries++] = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("sweep", "unknown option '%s'", a);
        } else if (s->file == NULL) {
            s->file = a;
        } else {
            status =
                mr_cli_usage_error("sweep", "one scenario at a time ('%s' and '%s')", s->file, a);
        }
    }
    if (status == MR_EXIT_OK && s->file == NULL)
        status = mr_cli_usage_error("sweep", "which scenario? give a file");
    return status;
}

/* The values of one of the file's sweeps as --vary writes them: the file
 * keeps each as "PATH=V", so they are joined back into "V1,V2,...". The
 * caller frees the string. */
static char *joined_values(const mr_sc_sweep *sw)
{
    size_t len = 1;
    for (size_t i = 0; i < sw->nvalues; i++)
        len += strlen(sw->values[i].text) + 2;
    char *joined = mr_xcalloc(len, 1);
    for (size_t i = 0; i < sw->nvalues; i++) {
        const char *eq = strchr(sw->values[i].text, '=');
        if (i)
            strcat(joined, ",");
        strcat(joined, eq ? eq + 1 : sw->values[i].text);
    }
    return joined;
}

/* The axes: the file's sweep: first, then every --vary, a later one
 * replacing an earlier one of the same key. Returns MR_EXIT_OK or
 * MR_EXIT_USAGE after the usage error has been printed. */
static int collect_axes(sweep *s)
{
    int status = MR_EXIT_OK;
    for (size_t k = 0; k < s->base->nsweeps && status == MR_EXIT_OK; k++) {
        const mr_sc_sweep *sw = &s->base->sweeps[k];
        char *joined = joined_values(sw);
        if (add_axis(s->axes, &s->naxes, sw->path, strlen(sw->path), joined) != 0)
            status = mr_cli_usage_error("sweep", "at most %d swept keys", MAX_KEYS);
        free(joined);
    }
    for (size_t k = 0; k < s->nvaries && status == MR_EXIT_OK; k++) {
        const char *eq = strchr(s->varies[k], '=');
        if (add_axis(s->axes, &s->naxes, s->varies[k], (size_t)(eq - s->varies[k]), eq + 1) != 0)
            status = mr_cli_usage_error("sweep", "at most %d swept keys", MAX_KEYS);
    }
    if (status == MR_EXIT_OK && s->naxes == 0)
        status = mr_cli_usage_error("sweep", "nothing to sweep: give --vary KEY=V1,V2 or a "
                                             "sweep: section");
    for (size_t k = 0; k < s->naxes && status == MR_EXIT_OK; k++)
        for (size_t i = 0; i < s->axes[k].n && status == MR_EXIT_OK; i++)
            if (s->axes[k].values[i][0] == '\0')
                status = mr_cli_usage_error("sweep", "--vary %s: value %zu of %zu is empty",
                                            s->axes[k].key, i + 1, s->axes[k].n);
    /* Counted before anything is allocated: every point's scenario is
     * loaded up front, so the count bounds memory (docs/cli.md, Limits). */
    size_t points = 1;
    for (size_t k = 0; k < s->naxes && status == MR_EXIT_OK; k++) {
        if (points > SIZE_MAX / s->axes[k].n)
            points = SIZE_MAX;
        else
            points *= s->axes[k].n;
    }
    if (status == MR_EXIT_OK && points > MR_SWEEP_MAX_POINTS)
        status = mr_cli_usage_error("sweep",
                                    "the cross product has %zu points, more than the limit of "
                                    "%d: split the sweep",
                                    points, MR_SWEEP_MAX_POINTS);
    return status;
}

/* Each axis's value index at point r: the last key varies fastest. */
static void point_of(const sweep *s, size_t r, size_t *idx)
{
    size_t rest = r;
    for (size_t k = s->naxes; k-- > 0;) {
        idx[k] = rest % s->axes[k].n;
        rest /= s->axes[k].n;
    }
}

/* Loads and checks the scenario of every point, the common --set values
 * first and the point's values after them, before any runs; stops at the
 * first that fails (its problems are in diag). */
static int load_points(sweep *s, mr_diag *diag)
{
    size_t ngsets = s->c.nsets;
    size_t *idx = mr_xcalloc(s->naxes + 1, sizeof *idx);
    char **sets_text = mr_xcalloc(s->naxes + 1, sizeof *sets_text);
    const char **sets = mr_xcalloc(ngsets + s->naxes + 1, sizeof *sets);
    int rc = MR_OK;
    for (size_t r = 0; r < s->nruns && rc == MR_OK; r++) {
        point_of(s, r, idx);
        memcpy(sets, s->c.sets, ngsets * sizeof *sets);
        for (size_t k = 0; k < s->naxes; k++) {
            const axis *ax = &s->axes[k];
            size_t len = strlen(ax->key) + strlen(ax->values[idx[k]]) + 2;
            sets_text[k] = mr_xmalloc(len);
            snprintf(sets_text[k], len, "%s=%s", ax->key, ax->values[idx[k]]);
            sets[ngsets + k] = sets_text[k];
        }
        rc = mr_scenario_load(s->file, sets, ngsets + s->naxes, mr_model_registry(), &s->scs[r],
                              diag);
        if (rc == MR_OK)
            rc = mr_build_check(s->scs[r], diag);
        for (size_t k = 0; k < s->naxes; k++)
            free(sets_text[k]);
    }
    free(idx);
    free(sets_text);
    free(sets);
    return rc;
}

/* The label of point r in the database: its values, "k=v; k=v". The
 * caller frees it. */
static char *point_label(const sweep *s, size_t r)
{
    size_t *idx = mr_xcalloc(s->naxes + 1, sizeof *idx);
    size_t len = 1;
    point_of(s, r, idx);
    for (size_t k = 0; k < s->naxes; k++)
        len += strlen(s->axes[k].key) + strlen(s->axes[k].values[idx[k]]) + 3;
    char *label = mr_xcalloc(len, 1);
    for (size_t k = 0; k < s->naxes; k++) {
        if (k)
            strcat(label, "; ");
        strcat(label, s->axes[k].key);
        strcat(label, "=");
        strcat(label, s->axes[k].values[idx[k]]);
    }
    free(idx);
    return label;
}

/* Runs every point in order with opts, all with the same seed; stops at
 * the first failure. */
static int run_points(sweep *s, mr_run_opts *opts, mr_diag *diag)
{
    int rc = MR_OK;
    for (size_t r = 0; r < s->nruns && rc == MR_OK; r++) {
        mr_cli_progress pr;
        mr_cli_progress_attach(&s->c, opts, &pr);
        snprintf(pr.label, sizeof pr.label, "point %zu/%zu", r + 1, s->nruns);
        if (s->c.db_path) { /* every rank under mpirun: all relay to rank 0 */
            char *label = point_label(s, r);
            mr_cli_db_run(&s->c, opts, s->scs[r], label, s->keys, s->naxes);
            free(label);
        }
        rc = mr_run_scenario(s->scs[r], opts, &s->results[r], diag);
        mr_cli_progress_end(&pr);
        /* Without -n the first run decides the count (by its sequential
         * rule, if it has one) and every other runs as many. */
        if (rc == MR_OK && opts->replications == 0)
            opts->replications = s->results[r].replications;
    }
    return rc;
}

/* {"runs": [...]}: each point's result document with its values as "vary". */
static void print_json(void *ctx, FILE *out)
{
    sweep *s = ctx;
    size_t *idx = mr_xcalloc(s->naxes + 1, sizeof *idx);
    const char **vals = mr_xcalloc(s->naxes + 1, sizeof *vals);
    fprintf(out, "{\"mrsim\": \"%s\", \"schema\": %d, \"runs\": [\n", MR_VERSION, MR_JSON_SCHEMA);
    for (size_t r = 0; r < s->nruns; r++) {
        point_of(s, r, idx);
        for (size_t k = 0; k < s->naxes; k++)
            vals[k] = s->axes[k].values[idx[k]];
        s->results[r].vary_keys = s->keys;
        s->results[r].vary_values = vals;
        s->results[r].nvary = s->naxes;
        if (r)
            fputs(",\n", out);
        mr_result_write_json(&s->results[r], out);
    }
    fputs("]}\n", out);
    for (size_t r = 0; r < s->nruns; r++) { /* vals is freed below */
        s->results[r].vary_values = NULL;
        s->results[r].nvary = 0;
    }
    free(idx);
    free(vals);
}

/* The metrics a sweep's table shows, and the SLO verdict of a point:
 * every stated target and expectation. */
static const mr_metric shown[] = {MR_METRIC_AVAILABILITY, MR_METRIC_DOWNTIME_S, MR_METRIC_RTO_S,
                                  MR_METRIC_CLIENT_RTO_S, MR_METRIC_LATENCY_MS_P99};
enum { NSHOWN = sizeof shown / sizeof shown[0] };

static const char *slo_cell(const mr_result *r)
{
    size_t stated = r->nslo;
    for (size_t e = 0; e < r->nepisodes; e++)
        stated += r->episodes[e].nexpect;
    return stated == 0 ? "-" : mr_result_slo_missed(r) ? "missed" : "met";
}

/* Metric m's mean at one point in human units, ">=" when censoring makes
 * it a lower bound, "-" when it does not apply. */
static void mean_cell(char *buf, size_t n, const mr_result *r, mr_metric m)
{
    const mr_summary *sm = &r->metrics[m];
    char v[MR_HU_LEN - 4];
    mr_hu_value(v, sizeof v, (mr_hu_kind)mr_metric_table_kind(m), sm->mean);
    snprintf(buf, n, "%s%s", sm->n > 0 && (sm->lower & MR_LB_MEAN) ? ">=" : "", v);
}

/* Axis k's key in the table's header: the part after its last dot when
 * no other axis ends the same and no column has that name
 * (traffic.probe.interval -> interval), which the line above the table
 * spells out; else the whole key. */
static const char *short_key(const sweep *s, size_t k)
{
    const char *dot = strrchr(s->axes[k].key, '.');
    const char *tail = dot ? dot + 1 : s->axes[k].key;
    for (size_t j = 0; j < s->naxes; j++) {
        const char *d2 = strrchr(s->axes[j].key, '.');
        if (j != k && strcmp(d2 ? d2 + 1 : s->axes[j].key, tail) == 0)
            return s->axes[k].key;
    }
    for (size_t m = 0; m < NSHOWN; m++) { /* slo.targets.rto is not the rto column */
        char name[48];
        mr_metric_table_name(shown[m], name, sizeof name);
        if (strcmp(name, tail) == 0 || strcmp(tail, "slo") == 0)
            return s->axes[k].key;
    }
    return tail;
}

/* One line per point: its values, then the means of the shown metrics
 * in human units; each column as wide as its widest cell (a first pass
 * measures), so a sweep of two keys stays within 80 columns. The CIs
 * are in --json: five of them would not fit a line. */
static void print_table(const sweep *s)
{
    size_t *idx = mr_xcalloc(s->naxes + 1, sizeof *idx);
    int wk[MAX_KEYS], wm[NSHOWN];
    char cell[MR_HU_LEN], name[48];
    for (size_t k = 0; k < s->naxes; k++) {
        wk[k] = (int)strlen(short_key(s, k));
        for (size_t v = 0; v < s->axes[k].n; v++)
            if ((int)strlen(s->axes[k].values[v]) > wk[k])
                wk[k] = (int)strlen(s->axes[k].values[v]);
    }
    for (size_t m = 0; m < NSHOWN; m++) {
        mr_metric_table_name(shown[m], name, sizeof name);
        wm[m] = (int)strlen(name);
        for (size_t r = 0; r < s->nruns; r++) {
            mean_cell(cell, sizeof cell, &s->results[r], shown[m]);
            wm[m] = (int)strlen(cell) > wm[m] ? (int)strlen(cell) : wm[m];
        }
    }
    char reps[48];
    printf("means over %s (95%% CIs: --json)",
           mr_hu_plural(reps, sizeof reps,
                        (unsigned long long)(s->nruns ? s->results[0].replications : 0),
                        "replication", "replications"));
    /* The keys the header shortens, on a line of their own. */
    for (size_t k = 0, shown_keys = 0; k < s->naxes; k++)
        if (strcmp(short_key(s, k), s->axes[k].key) != 0)
            printf("%s%s: %s", shown_keys++ ? ", " : "\n", short_key(s, k), s->axes[k].key);
    printf("\n\n");
    int any_slo = 0;
    for (size_t r = 0; r < s->nruns; r++)
        any_slo |= strcmp(slo_cell(&s->results[r]), "-") != 0;
    /* Each point's label: its values aligned under the (short) keys, and
     * its SLO verdict when any point states one. */
    size_t lcap = 4;
    for (size_t k = 0; k < s->naxes; k++)
        lcap += (size_t)wk[k] + 2;
    char *head = mr_xcalloc(lcap + 8, 1);
    char **labels = mr_xcalloc(s->nruns + 1, sizeof *labels);
    for (size_t k = 0; k < s->naxes; k++)
        sprintf(head + strlen(head), "%s%-*s", k ? "  " : "", wk[k], short_key(s, k));
    if (any_slo)
        strcat(head, "  slo");
    for (size_t r = 0; r < s->nruns; r++) {
        labels[r] = mr_xcalloc(lcap + 8, 1);
        point_of(s, r, idx);
        for (size_t k = 0; k < s->naxes; k++)
            sprintf(labels[r] + strlen(labels[r]), "%s%-*s", k ? "  " : "", wk[k],
                    s->axes[k].values[idx[k]]);
        if (any_slo)
            sprintf(labels[r] + strlen(labels[r]), "  %-3s", slo_cell(&s->results[r]));
    }
    mr_cli_metrics sel = s->c.metrics;
    if (sel.n == 0) { /* the five that fit 80 columns with two keys */
        memcpy(sel.m, shown, sizeof shown);
        sel.n = NSHOWN;
    }
    mr_cli_sweep_table(s->results, (const char *const *)labels, head, s->nruns, &sel,
                       mr_cli_width(s->c.width), stdout);
    for (size_t r = 0; r < s->nruns; r++)
        free(labels[r]);
    free(labels);
    free(head);
    free(idx);
}

/* The database's and the exports' label of each point. */
static char **point_labels(const sweep *s)
{
    char **l = mr_xcalloc(s->nruns + 1, sizeof *l);
    for (size_t r = 0; r < s->nruns; r++)
        l[r] = point_label(s, r);
    return l;
}

static void sweep_fini(sweep *s)
{
    for (size_t r = 0; r < s->nruns; r++) {
        mr_result_fini(&s->results[r]);
        mr_scenario_free(s->scs[r]);
    }
    for (size_t k = 0; k < s->naxes; k++)
        axis_free(&s->axes[k]);
    free(s->results);
    free(s->scs);
    free(s->keys);
    free(s->varies);
    mr_cli_common_fini(&s->c);
    mr_scenario_free(s->base);
}

int mr_cmd_sweep(int argc, char **argv)
{
    sweep s = {0};
    mr_cli_common_init(&s.c, argc, 1);
    int status = parse_args(&s, argc, argv);
    mr_diag *diag = mr_diag_new();
    int rc = MR_OK;
    if (status == MR_EXIT_OK) {
        rc = mr_scenario_load(s.file, s.c.sets, s.c.nsets, mr_model_registry(), &s.base, diag);
        if (rc == MR_OK)
            status = collect_axes(&s);
    }
    s.nruns = 1;
    for (size_t k = 0; k < s.naxes && status == MR_EXIT_OK; k++)
        s.nruns *= s.axes[k].n; /* collect_axes has bounded it */
    s.keys = mr_xcalloc(s.naxes + 1, sizeof *s.keys);
    for (size_t k = 0; k < s.naxes; k++)
        s.keys[k] = s.axes[k].key;
    s.results = mr_xcalloc(s.nruns, sizeof *s.results);
    s.scs = mr_xcalloc(s.nruns, sizeof *s.scs);
    if (status == MR_EXIT_OK && rc == MR_OK) {
        mr_run_opts opts = s.c.opts;
        if (!opts.seed_set) {
            opts.seed = s.base->seed;
            opts.seed_set = 1;
        }
        rc = load_points(&s, diag);
        if (rc == MR_OK)
            rc = mr_cli_db_open(&s.c);
        if (rc == MR_OK)
            rc = run_points(&s, &opts, diag);
    }
    mr_diag_print(diag, stderr);
    int slo_status = MR_EXIT_OK;
    rc = mr_cli_db_finish(&s.c, rc);
    if (status == MR_EXIT_OK && rc == MR_OK) {
        slo_status = mr_cli_slo_status(&s.c, s.results, s.nruns);
        if (mr_cli_export_to_stdout(&s.c))
            ; /* the export is stdout's one document */
        else if (s.c.json)
            print_json(&s, stdout);
        else
            print_table(&s);
        char **labels = point_labels(&s);
        rc = mr_cli_exports(&s.c, s.results, (const char *const *)labels, s.nruns, print_json,
                            &s);
        for (size_t r = 0; r < s.nruns; r++)
            free(labels[r]);
        free(labels);
    }
    sweep_fini(&s);
    mr_diag_free(diag);
    if (status == MR_EXIT_OK && rc == MR_OK)
        status = slo_status;
    return status != MR_EXIT_OK ? status : mr_cli_exit_code(rc);
}
