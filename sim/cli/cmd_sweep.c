/* sim/cli/cmd_sweep.c: `mrsim sweep`: the cross product of parameter values,
 * from --vary KEY=V1,V2,... and from the file's `sweep:`, one run each, all
 * with the same seed and replication count (common random numbers), each
 * run's varied values recorded with its results. The last key varies
 * fastest. */
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

#define MAX_KEYS 16

void mr_cmd_sweep_help(FILE *out)
{
    fputs("usage: mrsim sweep SCENARIO.yaml [--vary KEY=V1,V2,...]... [-n N] [-s SEED] [-j J]\n"
          "                   [--set KEY=VALUE]... [--json] [--db FILE] [--check-slo] [-q]\n\n"
          "Runs the cross product of the values of every --vary key and of the file's\n"
          "sweep: section (--vary wins for a key in both), one run each, with common\n"
          "random numbers. Values are split at commas outside brackets and parentheses,\n"
          "so lognormal(5m, 1.2) is one value.\n\n"
          "example:\n"
          "  mrsim sweep scenarios/active-passive-tm.yaml --vary traffic.ttl=10s,30s,300s \\\n"
          "              --vary traffic.probe.interval=10s,30s -n 20 --json\n",
          out);
}

typedef struct axis {
    char *key;
    char **values;
    size_t n;
} axis;

/* Splits text at commas outside (), [] and {}; returns the count. */
static size_t split_values(const char *text, char ***out)
{
    size_t cap = 4, n = 0;
    char **v = mr_xmalloc(cap * sizeof *v);
    int depth = 0;
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0)
            depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            while (*start == ' ')
                start++;
            size_t len = (size_t)(p - start);
            while (len > 0 && start[len - 1] == ' ')
                len--;
            if (n == cap)
                v = mr_xrealloc(v, (cap *= 2) * sizeof *v);
            v[n] = mr_xmalloc(len + 1);
            memcpy(v[n], start, len);
            v[n][len] = '\0';
            n++;
            start = p + 1;
        }
        if (*p == '\0')
            break;
    }
    *out = v;
    return n;
}

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
            axes[i].n = split_values(vals, &axes[i].values);
            return 0;
        }
    }
    if (*naxes == MAX_KEYS)
        return -1;
    axes[*naxes].key = strndup(key, keylen);
    axes[*naxes].n = split_values(vals, &axes[*naxes].values);
    (*naxes)++;
    return 0;
}

static void print_row(const mr_result *r, const axis *axes, size_t naxes, const size_t *idx)
{
    for (size_t k = 0; k < naxes; k++)
        printf("%-14s ", axes[k].values[idx[k]]);
    const mr_metric shown[] = {MR_METRIC_AVAILABILITY, MR_METRIC_DOWNTIME_S, MR_METRIC_RTO_S,
                               MR_METRIC_CLIENT_RTO_S, MR_METRIC_LATENCY_MS_P99};
    for (size_t m = 0; m < sizeof shown / sizeof shown[0]; m++) {
        const mr_summary *s = &r->metrics[shown[m]];
        if (s->n == 0)
            printf(" %22s", "null");
        else
            printf(" %11.6g +/- %-8.3g", s->mean, (s->ci_hi - s->ci_lo) / 2);
    }
    /* The SLO verdict of the point: every stated target and expectation. */
    size_t stated = r->nslo;
    for (size_t e = 0; e < r->nepisodes; e++)
        stated += r->episodes[e].nexpect;
    printf(" %-6s\n", stated == 0 ? "-" : mr_result_slo_missed(r) ? "missed" : "met");
}

int mr_cmd_sweep(int argc, char **argv)
{
    const char *file = NULL;
    size_t naxes = 0;
    axis axes[MAX_KEYS];
    int status = MR_EXIT_OK;
    mr_cli_common c;
    mr_cli_common_init(&c, argc, 1);
    const char **varies = mr_xcalloc((size_t)argc + 1, sizeof *varies);
    size_t nvaries = 0;
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i], *v;
        int k = mr_cli_common_option("sweep", argc, argv, &i, &c);
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
                varies[nvaries++] = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("sweep", "unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            status = mr_cli_usage_error("sweep", "one scenario at a time ('%s' and '%s')", file, a);
        }
    }
    const char **gsets = c.sets;
    size_t ngsets = c.nsets;
    mr_run_opts opts = c.opts;
    int json = c.json, quiet = c.quiet;
    if (status == MR_EXIT_OK && file == NULL)
        status = mr_cli_usage_error("sweep", "which scenario? give a file");
    mr_diag *diag = mr_diag_new();
    mr_scenario *base = NULL;
    int rc = MR_OK;
    if (status == MR_EXIT_OK) {
        rc = mr_scenario_load(file, gsets, ngsets, mr_model_registry(), &base, diag);
        for (size_t k = 0; rc == MR_OK && k < base->nsweeps && status == MR_EXIT_OK; k++) {
            /* The file's values are "PATH=V": join them back into one list. */
            const mr_sc_sweep *sw = &base->sweeps[k];
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
            if (add_axis(axes, &naxes, sw->path, strlen(sw->path), joined) != 0)
                status = mr_cli_usage_error("sweep", "at most %d swept keys", MAX_KEYS);
            free(joined);
        }
        for (size_t k = 0; rc == MR_OK && k < nvaries && status == MR_EXIT_OK; k++) {
            const char *eq = strchr(varies[k], '=');
            if (add_axis(axes, &naxes, varies[k], (size_t)(eq - varies[k]), eq + 1) != 0)
                status = mr_cli_usage_error("sweep", "at most %d swept keys", MAX_KEYS);
        }
        if (rc == MR_OK && status == MR_EXIT_OK && naxes == 0)
            status = mr_cli_usage_error("sweep", "nothing to sweep: give --vary KEY=V1,V2 or a "
                                                 "sweep: section");
    }
    size_t nruns = 1;
    for (size_t k = 0; k < naxes; k++)
        nruns *= axes[k].n;
    size_t *idx = mr_xcalloc(naxes + 1, sizeof *idx);
    char **sets_text = mr_xcalloc(naxes + 1, sizeof *sets_text);
    const char **sets = mr_xcalloc(ngsets + naxes + 1, sizeof *sets);
    const char **keys = mr_xcalloc(naxes + 1, sizeof *keys);
    const char **vals = mr_xcalloc(naxes + 1, sizeof *vals);
    mr_result *results = mr_xcalloc(nruns, sizeof *results);
    mr_scenario **scs = mr_xcalloc(nruns, sizeof *scs);
    if (status == MR_EXIT_OK && rc == MR_OK) {
        if (!opts.seed_set) {
            opts.seed = base->seed;
            opts.seed_set = 1;
        }
        /* Load and check every combination before running any. */
        for (size_t r = 0; r < nruns && rc == MR_OK; r++) {
            size_t rest = r;
            for (size_t k = naxes; k-- > 0;) {
                idx[k] = rest % axes[k].n;
                rest /= axes[k].n;
            }
            memcpy(sets, gsets, ngsets * sizeof *gsets);
            for (size_t k = 0; k < naxes; k++) {
                size_t len = strlen(axes[k].key) + strlen(axes[k].values[idx[k]]) + 2;
                sets_text[k] = mr_xmalloc(len);
                snprintf(sets_text[k], len, "%s=%s", axes[k].key, axes[k].values[idx[k]]);
                sets[ngsets + k] = sets_text[k];
            }
            rc = mr_scenario_load(file, sets, ngsets + naxes, mr_model_registry(), &scs[r], diag);
            if (rc == MR_OK)
                rc = mr_build_check(scs[r], diag);
            for (size_t k = 0; k < naxes; k++)
                free(sets_text[k]);
        }
        for (size_t k = 0; k < naxes; k++)
            keys[k] = axes[k].key;
        if (rc == MR_OK)
            rc = mr_cli_db_open(&c);
        for (size_t r = 0; r < nruns && rc == MR_OK; r++) {
            if (!quiet && isatty(STDERR_FILENO))
                fprintf(stderr, "mrsim: sweep run %zu of %zu\n", r + 1, nruns);
            mr_cli_progress pr;
            mr_cli_progress_attach(&c, &opts, &pr);
            if (c.db_path) { /* every rank under mpirun: all relay to rank 0 */
                /* The run's label in the database: its values, "k=v; k=v". */
                size_t len = 1, rest = r;
                for (size_t k = naxes; k-- > 0;) {
                    idx[k] = rest % axes[k].n;
                    rest /= axes[k].n;
                    len += strlen(axes[k].key) + strlen(axes[k].values[idx[k]]) + 3;
                }
                char *label = mr_xcalloc(len, 1);
                for (size_t k = 0; k < naxes; k++) {
                    if (k)
                        strcat(label, "; ");
                    strcat(label, axes[k].key);
                    strcat(label, "=");
                    strcat(label, axes[k].values[idx[k]]);
                }
                mr_cli_db_run(&c, &opts, scs[r], label, keys, naxes);
                free(label);
            }
            rc = mr_run_scenario(scs[r], &opts, &results[r], diag);
            mr_cli_progress_end(&pr);
            /* Without -n the first run decides the count (by its sequential
             * rule, if it has one) and every other runs as many. */
            if (rc == MR_OK && opts.replications == 0)
                opts.replications = results[r].replications;
        }
    }
    mr_diag_print(diag, stderr);
    int slo_status = MR_EXIT_OK;
    rc = mr_cli_db_finish(&c, rc);
    if (status == MR_EXIT_OK && rc == MR_OK) {
        slo_status = mr_cli_slo_status(&c, results, nruns);
        if (json)
            fputs("{\"runs\": [\n", stdout);
        else {
            for (size_t k = 0; k < naxes; k++)
                printf("%-14s ", axes[k].key);
            printf(" %22s %22s %22s %22s %22s %-6s\n", "availability", "downtime_s", "rto_s",
                   "client_rto_s", "latency_ms_p99", "slo");
        }
        for (size_t r = 0; r < nruns; r++) {
            size_t rest = r;
            for (size_t k = naxes; k-- > 0;) {
                idx[k] = rest % axes[k].n;
                rest /= axes[k].n;
                vals[k] = axes[k].values[idx[k]];
            }
            if (json) {
                results[r].vary_keys = keys;
                results[r].vary_values = vals;
                results[r].nvary = naxes;
                if (r)
                    fputs(",\n", stdout);
                mr_result_write_json(&results[r], stdout);
            } else {
                print_row(&results[r], axes, naxes, idx);
            }
        }
        if (json)
            fputs("]}\n", stdout);
    }
    for (size_t r = 0; r < nruns; r++) {
        mr_result_fini(&results[r]);
        mr_scenario_free(scs[r]);
    }
    for (size_t k = 0; k < naxes; k++)
        axis_free(&axes[k]);
    free(results);
    free(scs);
    free(idx);
    free(sets_text);
    free(sets);
    free(keys);
    free(vals);
    free(varies);
    mr_cli_common_fini(&c);
    mr_scenario_free(base);
    mr_diag_free(diag);
    if (status == MR_EXIT_OK && rc == MR_OK)
        status = slo_status;
    return status != MR_EXIT_OK ? status : mr_cli_exit_code(rc);
}
