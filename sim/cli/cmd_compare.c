/* sim/cli/cmd_compare.c: `mrsim compare`: several scenarios, or the
 * `variants:` of one file, run with common random numbers: replication i
 * uses the same seed in every run, and every component's streams are keyed
 * by its name, so the same arrivals and fault times are drawn wherever the
 * same component exists. Differences are then estimated on pairs, each run
 * against the first, with a 95% CI from the t distribution (a difference
 * may be negative: no range to respect); a CI that excludes 0 names the
 * better run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mrsim/config.h"
#include "run/result.h"
#include "mrsim/model.h"
#include "mrsim/alloc.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "config/scenario.h"
#include "out/human.h"

void mr_cmd_compare_help(FILE *out)
{
    fputs("usage: mrsim compare A.yaml B.yaml ... [-n N] [-s SEED] [-j J] [--set KEY=VALUE]...\n"
          "                     [--json] [--db FILE] [--db-vectors all|summary|none] [--plot DIR] [--check-slo] [-q]\n"
          "       mrsim compare FILE.yaml        (a file with variants:)\n\n"
          "Runs every scenario (or variant) with common random numbers: the same seed\n"
          "for replication i everywhere, so the difference of each metric against the\n"
          "first run is estimated on pairs, with a 95% CI. The replication count and\n"
          "the seed are the first run's unless -n and -s say otherwise; --set applies\n"
          "to every run. --plot DIR draws the figures of the comparison there (mrsim\n"
          "plot --help; a temporary database unless --db) and lists them on stderr.\n"
          "Every --set applies to every file; use variants: to vary one of them.\n",
          out);
}

const mr_cli_opt mr_cmd_compare_opts[] = {
    MR_CLI_COMMON_OPTS,
    MR_CLI_TABLE_OPTS,
    {0},
};

const char mr_cmd_compare_examples[] =
    "mrsim compare scenarios/compare-topologies.yaml\n"
    "mrsim compare scenarios/active-passive-tm.yaml scenarios/active-active-fd.yaml -n 40\n";

typedef struct run_spec {
    const char *file;
    const char *label;     /* the variant's name, or NULL: the scenario's */
    const char **sets;     /* global --set first, then the variant's */
    size_t nsets;
} run_spec;

static void json_difference(FILE *out, const char *a, const char *b, const mr_difference *d,
                            int first)
{
    fprintf(out, "%s\n    {\"a\": \"%s\", \"b\": \"%s\", \"metric\": \"%s\", ", first ? "" : ",",
            a, b, mr_metric_name(d->metric));
    if (d->d.n == 0) {
        fputs("\"mean\": null, \"ci95\": null, \"ci_method\": null, \"n\": 0, \"better\": null}", out);
        return;
    }
    fprintf(out, "\"mean\": %.10g, \"ci95\": [%.10g, %.10g], \"ci_method\": \"t\", \"n\": %llu, "
                 "\"better\": ",
            d->d.mean, d->d.ci_lo, d->d.ci_hi, (unsigned long long)d->d.n);
    if (d->verdict == 0)
        fputs("null}", out);
    else
        fprintf(out, "\"%s\"}", d->verdict > 0 ? b : a);
}

/* One comparison: its options, its runs, and each run's scenario, result
 * and label. */
typedef struct compare {
    mr_cli_common c;
    const char **files; /* the scenario files given, in order */
    size_t nfiles;
    mr_scenario *first; /* a single file given: it, whose variants are the runs */
    run_spec *specs;
    size_t nspecs;
    mr_scenario **scs;   /* each run's scenario */
    mr_result *results;  /* each run's result */
    const char **labels; /* each run's name in the output: its variant's, or its scenario's */
} compare;

/* Parses the command line into cmp; returns MR_EXIT_OK or MR_EXIT_USAGE
 * after the usage error has been printed. */
static int parse_args(compare *cmp, int argc, char **argv)
{
    int status = MR_EXIT_OK;
    cmp->files = mr_xcalloc((size_t)argc, sizeof *cmp->files);
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i];
        int k = mr_cli_common_option("compare", argc, argv, &i, &cmp->c);
        if (k < 0)
            status = MR_EXIT_USAGE;
        else if (k > 0)
            continue;
        else if (a[0] == '-' && a[1] != '\0')
            status = mr_cli_usage_error("compare", "unknown option '%s'", a);
        else
            cmp->files[cmp->nfiles++] = a;
    }
    if (status == MR_EXIT_OK && cmp->nfiles == 0)
        status = mr_cli_usage_error("compare", "which scenarios? give two or more files, or "
                                               "one with variants:");
    return status;
}

/* The runs of a single file: its variants, each with the common --set
 * values first and its own after them. */
static void variant_specs(compare *cmp)
{
    const char **gsets = cmp->c.sets;
    size_t ngsets = cmp->c.nsets;
    cmp->nspecs = cmp->first->nvariants;
    cmp->specs = mr_xcalloc(cmp->nspecs, sizeof *cmp->specs);
    for (size_t v = 0; v < cmp->nspecs; v++) {
        const mr_sc_variant *var = &cmp->first->variants[v];
        run_spec *sp = &cmp->specs[v];
        sp->file = cmp->files[0];
        sp->label = var->name;
        sp->sets = mr_xcalloc(ngsets + var->nsets + 1, sizeof *sp->sets);
        memcpy(sp->sets, gsets, ngsets * sizeof *gsets);
        for (size_t k = 0; k < var->nsets; k++)
            sp->sets[ngsets + k] = var->sets[k].text;
        sp->nsets = ngsets + var->nsets;
    }
}

/* The runs of several files: each file with the common --set values. */
static void file_specs(compare *cmp)
{
    const char **gsets = cmp->c.sets;
    size_t ngsets = cmp->c.nsets;
    cmp->nspecs = cmp->nfiles;
    cmp->specs = mr_xcalloc(cmp->nspecs, sizeof *cmp->specs);
    for (size_t f = 0; f < cmp->nfiles; f++) {
        run_spec *sp = &cmp->specs[f];
        sp->file = cmp->files[f];
        sp->sets = mr_xcalloc(ngsets + 1, sizeof *sp->sets);
        memcpy(sp->sets, gsets, ngsets * sizeof *gsets);
        sp->nsets = ngsets;
    }
}

/* Loads and checks every run's scenario before any runs; stops at the
 * first that fails (its problems are in diag). */
static int load_runs(compare *cmp, mr_diag *diag)
{
    int rc = MR_OK;
    for (size_t r = 0; r < cmp->nspecs && rc == MR_OK; r++) {
        const run_spec *sp = &cmp->specs[r];
        rc = mr_scenario_load(sp->file, sp->sets, sp->nsets, mr_model_registry(), &cmp->scs[r],
                              diag);
        if (rc == MR_OK)
            rc = mr_build_check(cmp->scs[r], diag);
    }
    return rc;
}

/* What the runs vary, for the database's runattr.varied: the keys the
 * variants set, or those whose values differ between the files. Returns
 * their count; the caller frees *out with mr_db_free_keys. */
static size_t varied_keys(const compare *cmp, char ***out)
{
    if (cmp->first == NULL)
        return mr_db_differing_keys((const mr_scenario *const *)cmp->scs, cmp->nspecs, out);
    char **varied = NULL;
    size_t nvaried = 0;
    for (size_t v = 0; v < cmp->first->nvariants; v++) {
        for (size_t k = 0; k < cmp->first->variants[v].nsets; k++) {
            const char *text = cmp->first->variants[v].sets[k].text;
            const char *eq = strchr(text, '=');
            varied = mr_xrealloc(varied, (nvaried + 1) * sizeof *varied);
            varied[nvaried++] = strndup(text, eq ? (size_t)(eq - text) : strlen(text));
        }
    }
    *out = varied;
    return nvaried;
}

/* Runs every run in order with opts, all with the same seed and, without
 * -n, the first run's replication count (pairs need it); stops at the
 * first failure. */
static int run_all(compare *cmp, mr_run_opts *opts, char *const *varied, size_t nvaried,
                   mr_diag *diag)
{
    int rc = MR_OK;
    for (size_t r = 0; r < cmp->nspecs && rc == MR_OK; r++) {
        cmp->labels[r] = cmp->specs[r].label ? cmp->specs[r].label : cmp->scs[r]->name;
        mr_cli_progress pr;
        mr_cli_progress_attach(&cmp->c, opts, &pr);
        snprintf(pr.label, sizeof pr.label, "%.40s %zu/%zu", cmp->labels[r], r + 1, cmp->nspecs);
        mr_cli_db_run(&cmp->c, opts, cmp->scs[r], cmp->specs[r].label, (const char *const *)varied,
                      nvaried);
        rc = mr_run_scenario(cmp->scs[r], opts, &cmp->results[r], diag);
        mr_cli_progress_end(&pr);
        if (rc == MR_OK && opts->replications == 0)
            opts->replications = cmp->results[r].replications;
    }
    return rc;
}

/* {"runs": [...], "differences": [...]}: each run's result document, then
 * every metric's paired difference of each run against the first. */
static void print_json(void *ctx, FILE *out)
{
    const compare *cmp = ctx;
    fprintf(out, "{\"mrsim\": \"%s\", \"schema\": %d, \"runs\": [\n", MR_VERSION, MR_JSON_SCHEMA);
    for (size_t r = 0; r < cmp->nspecs; r++) {
        if (r)
            fputs(",\n", out);
        mr_result_write_json(&cmp->results[r], out);
    }
    fputs("],\n\"differences\": [", out);
    int firstd = 1;
    for (size_t r = 1; r < cmp->nspecs; r++) {
        for (int m = 0; m < MR_METRIC_COUNT; m++) {
            mr_difference d;
            mr_result_difference(&cmp->results[0], &cmp->results[r], (mr_metric)m, &d);
            json_difference(out, cmp->labels[0], cmp->labels[r], &d, firstd);
            firstd = 0;
        }
    }
    fputs("\n]}\n", out);
}

static void compare_fini(compare *cmp)
{
    for (size_t r = 0; r < cmp->nspecs; r++) { /* nspecs > 0: scs and results exist */
        mr_result_fini(&cmp->results[r]);
        mr_scenario_free(cmp->scs[r]);
        free(cmp->specs[r].sets);
    }
    mr_scenario_free(cmp->first);
    free(cmp->results);
    free(cmp->scs);
    free(cmp->labels);
    free(cmp->specs);
    free(cmp->files);
    mr_cli_common_fini(&cmp->c);
}

int mr_cmd_compare(int argc, char **argv)
{
    compare cmp = {0};
    mr_cli_common_init(&cmp.c, argc, 2); /* a paired CI needs two pairs */
    int status = parse_args(&cmp, argc, argv);
    if (status != MR_EXIT_OK) {
        compare_fini(&cmp);
        return status;
    }
    mr_diag *diag = mr_diag_new();
    int rc = MR_OK;
    /* The runs: each file, or the variants of a single file. */
    if (cmp.nfiles == 1) {
        rc = mr_scenario_load(cmp.files[0], cmp.c.sets, cmp.c.nsets, mr_model_registry(),
                              &cmp.first, diag);
        if (rc == MR_OK && cmp.first->nvariants < 2) {
            status = mr_cli_usage_error("compare",
                                        "%s has fewer than two variants: give two "
                                        "or more files, or a file with variants:",
                                        cmp.files[0]);
            mr_diag_free(diag);
            compare_fini(&cmp);
            return status;
        }
        if (rc == MR_OK)
            variant_specs(&cmp);
    } else {
        file_specs(&cmp);
    }
    cmp.scs = mr_xcalloc(cmp.nspecs + 1, sizeof *cmp.scs);
    cmp.results = mr_xcalloc(cmp.nspecs + 1, sizeof *cmp.results);
    cmp.labels = mr_xcalloc(cmp.nspecs + 1, sizeof *cmp.labels);
    if (rc == MR_OK)
        rc = load_runs(&cmp, diag);
    char **varied = NULL;
    size_t nvaried = 0;
    if (rc == MR_OK && cmp.c.db_path)
        nvaried = varied_keys(&cmp, &varied);
    if (rc == MR_OK)
        rc = mr_cli_db_open(&cmp.c);
    if (rc == MR_OK) {
        /* Common random numbers: one seed and one replication count for all. */
        mr_run_opts opts = cmp.c.opts;
        if (!opts.seed_set) {
            opts.seed = cmp.scs[0]->seed;
            opts.seed_set = 1;
        }
        rc = run_all(&cmp, &opts, varied, nvaried, diag);
    }
    mr_db_free_keys(varied, nvaried);
    mr_diag_print(diag, stderr);
    int slo_status = MR_EXIT_OK;
    rc = mr_cli_db_finish(&cmp.c, rc);
    if (rc == MR_OK) {
        for (size_t r = 0; r < cmp.nspecs; r++)
            cmp.results[r].scenario = cmp.labels[r];
        slo_status = mr_cli_slo_status(&cmp.c, cmp.results, cmp.nspecs);
        if (mr_cli_export_to_stdout(&cmp.c))
            ; /* the export is stdout's one document */
        else if (cmp.c.json)
            print_json(&cmp, stdout);
        else {
            mr_cli_compare_table(cmp.results, cmp.labels, cmp.nspecs, &cmp.c.metrics,
                                 mr_cli_width(cmp.c.width), stdout);
            /* What one column per run cannot hold: each run's populations,
             * faults and recovery timelines (who waited, and on what). */
            for (size_t r = 0; r < cmp.nspecs; r++)
                mr_result_write_details(&cmp.results[r], cmp.labels[r], stdout);
        }
        rc = mr_cli_exports(&cmp.c, cmp.results, cmp.labels, cmp.nspecs, print_json, &cmp);
        if (rc != MR_OK)
            slo_status = mr_cli_exit_code(rc);
    }
    compare_fini(&cmp);
    mr_diag_free(diag);
    return rc != MR_OK ? mr_cli_exit_code(rc) : slo_status;
}
