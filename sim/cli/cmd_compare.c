/* sim/cli/cmd_compare.c: `mrsim compare`: several scenarios, or the
 * `variants:` of one file, run with common random numbers: replication i
 * uses the same seed in every run, and every component's streams are keyed
 * by its name, so the same arrivals and fault times are drawn wherever the
 * same component exists. Differences are then estimated on pairs, each run
 * against the first, with a 95% CI from the t distribution; a CI that
 * excludes 0 names the better run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mrsim/model.h"
#include "mrsim/alloc.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "config/scenario.h"

void mr_cmd_compare_help(FILE *out)
{
    fputs("usage: mrsim compare A.yaml B.yaml ... [-n N] [-s SEED] [-j J] [--set KEY=VALUE]...\n"
          "                     [--json] [--db FILE] [--check-slo] [-q]\n"
          "       mrsim compare FILE.yaml        (a file with variants:)\n\n"
          "Runs every scenario (or variant) with common random numbers: the same seed\n"
          "for replication i everywhere, so the difference of each metric against the\n"
          "first run is estimated on pairs, with a 95% CI. The replication count and\n"
          "the seed are the first run's unless -n and -s say otherwise; --set applies\n"
          "to every run.\n\n"
          "example:\n"
          "  mrsim compare scenarios/active-passive-tm.yaml --set traffic.ttl=10s \\\n"
          "                scenarios/active-passive-tm.yaml -n 40\n"
          "  (every --set applies to every file; use variants: to vary one of them)\n",
          out);
}

typedef struct run_spec {
    const char *file;
    const char *label;     /* the variant's name, or NULL: the scenario's */
    const char **sets;     /* global --set first, then the variant's */
    size_t nsets;
} run_spec;

static void print_difference(const char *a, const char *b, const mr_difference *d)
{
    const char *name = mr_metric_name(d->metric);
    if (d->d.n == 0)
        return;
    printf("  %-22s %12.6g  [%12.6g, %12.6g]  n %-4llu %s\n", name, d->d.mean, d->d.ci_lo,
           d->d.ci_hi, (unsigned long long)d->d.n,
           d->verdict > 0 ? b : d->verdict < 0 ? a : "no difference at 95%");
}

static void json_difference(FILE *out, const char *a, const char *b, const mr_difference *d,
                            int first)
{
    fprintf(out, "%s\n    {\"a\": \"%s\", \"b\": \"%s\", \"metric\": \"%s\", ", first ? "" : ",",
            a, b, mr_metric_name(d->metric));
    if (d->d.n == 0) {
        fputs("\"mean\": null, \"ci95\": null, \"n\": 0, \"better\": null}", out);
        return;
    }
    fprintf(out, "\"mean\": %.10g, \"ci95\": [%.10g, %.10g], \"n\": %llu, \"better\": ", d->d.mean,
            d->d.ci_lo, d->d.ci_hi, (unsigned long long)d->d.n);
    if (d->verdict == 0)
        fputs("null}", out);
    else
        fprintf(out, "\"%s\"}", d->verdict > 0 ? b : a);
}

int mr_cmd_compare(int argc, char **argv)
{
    const char **files = mr_xcalloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    int status = MR_EXIT_OK;
    mr_cli_common c;
    mr_cli_common_init(&c, argc, 2); /* a paired CI needs two pairs */
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i];
        int k = mr_cli_common_option("compare", argc, argv, &i, &c);
        if (k < 0)
            status = MR_EXIT_USAGE;
        else if (k > 0)
            continue;
        else if (a[0] == '-' && a[1] != '\0')
            status = mr_cli_usage_error("compare", "unknown option '%s'", a);
        else
            files[nfiles++] = a;
    }
    if (status == MR_EXIT_OK && nfiles == 0)
        status = mr_cli_usage_error("compare", "which scenarios? give two or more files, or "
                                               "one with variants:");
    if (status != MR_EXIT_OK) {
        free(files);
        mr_cli_common_fini(&c);
        return status;
    }
    const char **gsets = c.sets;
    size_t ngsets = c.nsets;
    mr_run_opts opts = c.opts;
    int json = c.json, quiet = c.quiet;

    mr_diag *diag = mr_diag_new();
    int rc = MR_OK;
    /* The runs: each file, or the variants of a single file. */
    run_spec *specs = NULL;
    size_t nspecs = 0;
    mr_scenario *first = NULL;
    if (nfiles == 1) {
        rc = mr_scenario_load(files[0], gsets, ngsets, mr_model_registry(), &first, diag);
        if (rc == MR_OK && first->nvariants < 2) {
            status = mr_cli_usage_error("compare", "%s has fewer than two variants: give two "
                                                   "or more files, or a file with variants:",
                                        files[0]);
            mr_scenario_free(first);
            mr_diag_free(diag);
            free(files);
            mr_cli_common_fini(&c);
            return status;
        }
        if (rc == MR_OK) {
            nspecs = first->nvariants;
            specs = mr_xcalloc(nspecs, sizeof *specs);
            for (size_t v = 0; v < nspecs; v++) {
                const mr_sc_variant *var = &first->variants[v];
                specs[v].file = files[0];
                specs[v].label = var->name;
                specs[v].sets = mr_xcalloc(ngsets + var->nsets + 1, sizeof *specs[v].sets);
                memcpy(specs[v].sets, gsets, ngsets * sizeof *gsets);
                for (size_t k = 0; k < var->nsets; k++)
                    specs[v].sets[ngsets + k] = var->sets[k].text;
                specs[v].nsets = ngsets + var->nsets;
            }
        }
    } else {
        nspecs = nfiles;
        specs = mr_xcalloc(nspecs, sizeof *specs);
        for (size_t f = 0; f < nfiles; f++) {
            specs[f].file = files[f];
            specs[f].sets = mr_xcalloc(ngsets + 1, sizeof *specs[f].sets);
            memcpy(specs[f].sets, gsets, ngsets * sizeof *gsets);
            specs[f].nsets = ngsets;
        }
    }

    mr_scenario **scs = mr_xcalloc(nspecs + 1, sizeof *scs);
    mr_result *results = mr_xcalloc(nspecs + 1, sizeof *results);
    const char **labels = mr_xcalloc(nspecs + 1, sizeof *labels);
    /* Load and check everything before running anything. */
    for (size_t r = 0; r < nspecs && rc == MR_OK; r++) {
        int lrc = mr_scenario_load(specs[r].file, specs[r].sets, specs[r].nsets, mr_model_registry(), &scs[r], diag);
        if (lrc == MR_OK)
            lrc = mr_build_check(scs[r], diag);
        if (lrc != MR_OK && rc == MR_OK)
            rc = lrc;
    }
    /* What the runs vary, for the database's runattr.varied: the keys the
     * variants set, or those whose values differ between the files. */
    char **varied = NULL;
    size_t nvaried = 0;
    if (rc == MR_OK && c.db_path && first) {
        for (size_t v = 0; v < first->nvariants; v++) {
            for (size_t k = 0; k < first->variants[v].nsets; k++) {
                const char *text = first->variants[v].sets[k].text;
                const char *eq = strchr(text, '=');
                varied = mr_xrealloc(varied, (nvaried + 1) * sizeof *varied);
                varied[nvaried++] = strndup(text, eq ? (size_t)(eq - text) : strlen(text));
            }
        }
    } else if (rc == MR_OK && c.db_path) {
        nvaried = mr_db_differing_keys((const mr_scenario *const *)scs, nspecs, &varied);
    }
    if (rc == MR_OK)
        rc = mr_cli_db_open(&c);
    if (rc == MR_OK) {
        /* Common random numbers: one seed and one replication count for all. */
        if (!opts.seed_set) {
            opts.seed = scs[0]->seed;
            opts.seed_set = 1;
        }
        /* Without -n the first run decides the count (by its sequential
         * rule, if it has one) and the others run as many: pairs need it. */
        for (size_t r = 0; r < nspecs && rc == MR_OK; r++) {
            labels[r] = specs[r].label ? specs[r].label : scs[r]->name;
            if (!quiet && isatty(STDERR_FILENO))
                fprintf(stderr, "mrsim: running %s (%zu of %zu)\n", labels[r], r + 1, nspecs);
            mr_cli_progress pr;
            mr_cli_progress_attach(&c, &opts, &pr);
            mr_cli_db_run(&c, &opts, scs[r], specs[r].label, (const char *const *)varied,
                          nvaried);
            rc = mr_run_scenario(scs[r], &opts, &results[r], diag);
            mr_cli_progress_end(&pr);
            if (rc == MR_OK && opts.replications == 0)
                opts.replications = results[r].replications;
        }
    }
    mr_db_free_keys(varied, nvaried);
    mr_diag_print(diag, stderr);
    int slo_status = MR_EXIT_OK;
    rc = mr_cli_db_finish(&c, rc);
    if (rc == MR_OK) {
        for (size_t r = 0; r < nspecs; r++)
            results[r].scenario = labels[r];
        slo_status = mr_cli_slo_status(&c, results, nspecs);
        if (json) {
            fputs("{\"runs\": [\n", stdout);
            for (size_t r = 0; r < nspecs; r++) {
                if (r)
                    fputs(",\n", stdout);
                results[r].scenario = labels[r];
                mr_result_write_json(&results[r], stdout);
            }
            fputs("],\n\"differences\": [", stdout);
            int firstd = 1;
            for (size_t r = 1; r < nspecs; r++) {
                for (int m = 0; m < MR_METRIC_COUNT; m++) {
                    mr_difference d;
                    mr_result_difference(&results[0], &results[r], (mr_metric)m, &d);
                    json_difference(stdout, labels[0], labels[r], &d, firstd);
                    firstd = 0;
                }
            }
            fputs("\n]}\n", stdout);
        } else {
            for (size_t r = 0; r < nspecs; r++) {
                results[r].scenario = labels[r];
                mr_result_write_table(&results[r], stdout);
                fputs("\n", stdout);
            }
            for (size_t r = 1; r < nspecs; r++) {
                printf("%s - %s (paired over %llu replications, common random numbers):\n",
                       labels[r], labels[0], (unsigned long long)results[r].replications);
                printf("  %-22s %12s  [%12s, %12s]  %-6s %s\n", "metric", "mean", "ci95 lo",
                       "ci95 hi", "", "better");
                for (int m = 0; m < MR_METRIC_COUNT; m++) {
                    mr_difference d;
                    mr_result_difference(&results[0], &results[r], (mr_metric)m, &d);
                    print_difference(labels[0], labels[r], &d);
                }
            }
        }
    }
    for (size_t r = 0; r < nspecs; r++) {
        mr_result_fini(&results[r]);
        mr_scenario_free(scs[r]);
        free(specs[r].sets);
    }
    mr_scenario_free(first);
    free(results);
    free(scs);
    free(labels);
    free(specs);
    free(files);
    mr_cli_common_fini(&c);
    mr_diag_free(diag);
    return rc != MR_OK ? mr_cli_exit_code(rc) : slo_status;
}
