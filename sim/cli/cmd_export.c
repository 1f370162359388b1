/* sim/cli/cmd_export.c: `mrsim export RESULTS.db [--filter EXPR] --format
 * csv|json`: the summary of a results database (the `summary` view: a row
 * per invocation, scenario, variant, component and metric with n, mean and
 * 95% CI) on stdout or in a file, in the way of OMNeT++'s `opp_scavetool
 * export`. The filter is deliberately small: FIELD=VALUE terms joined by
 * "and", FIELD one of scenario, variant, component, metric, VALUE a glob
 * (* and ?); each value is bound as a parameter, never pasted into SQL. */
#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "run/result.h"

void mr_cmd_export_help(FILE *out)
{
    fputs("usage: mrsim export RESULTS.db [--filter EXPR] [--format csv|json] [--out FILE]\n\n"
          "Writes the summary of a results database (written by run, compare or sweep with\n"
          "--db): one row per invocation, scenario, variant, component and metric with the\n"
          "replications n, the mean and its 95% CI, as CSV (the default) or JSON. EXPR\n"
          "keeps the rows it matches: FIELD=VALUE terms joined by 'and', FIELD one of\n"
          "scenario, variant, component, metric (component is empty for the whole system),\n"
          "VALUE a glob with * and ?: e.g. 'metric=rto_s and variant=active-*'.\n",
          out);
}

const mr_cli_opt mr_cmd_export_opts[] = {
    {"--filter", 0, "EXPR", "keep the rows EXPR matches (FIELD=GLOB and ...)", NULL},
    {"--format", 0, "F", "csv (default) or json", "csv json"},
    {"--out", 'o', "FILE", "write to FILE instead of stdout (- for stdout)", "@file"},
    {0},
};

const char mr_cmd_export_examples[] =
    "mrsim compare scenarios/compare-topologies.yaml --db ct.db\n"
    "mrsim export ct.db --filter 'metric=rto_s and component=' --format csv\n";

static const char *const fields[] = {"scenario", "variant", "component", "metric"};
enum { NFIELDS = 4, MAX_TERMS = 16 };

/* Parses expr into a WHERE clause over fields and the values to bind;
 * MR_EXIT_OK or MR_EXIT_USAGE after the message. */
static int parse_filter(const char *expr, char *where, size_t n, char **vals, size_t *nvals)
{
    *nvals = 0;
    snprintf(where, n, "1");
    char *copy = strdup(expr), *s = copy;
    int status = MR_EXIT_OK;
    while (status == MR_EXIT_OK) {
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            break;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            status = mr_cli_usage_error("export", "--filter: expected FIELD=VALUE at '%s'", s);
            break;
        }
        char *fend = eq;
        while (fend > s && isspace((unsigned char)fend[-1]))
            fend--;
        *fend = '\0';
        int f = -1;
        for (int i = 0; i < NFIELDS; i++)
            if (strcmp(s, fields[i]) == 0)
                f = i;
        if (f < 0) {
            status = mr_cli_usage_error("export", "--filter: unknown field '%s' (scenario, "
                                                  "variant, component or metric)",
                                        s);
            break;
        }
        char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        /* The value ends at " and " or the end. */
        char *and = NULL;
        for (char *p = v; *p; p++)
            if (isspace((unsigned char)*p) && strncmp(p + 1, "and", 3) == 0 &&
                (p[4] == '\0' || isspace((unsigned char)p[4]))) {
                and = p;
                break;
            }
        char *vend = and ? and : v + strlen(v);
        while (vend > v && isspace((unsigned char)vend[-1]))
            vend--;
        if (*nvals == MAX_TERMS) {
            status = mr_cli_usage_error("export", "--filter: at most %d terms", MAX_TERMS);
            break;
        }
        vals[(*nvals)++] = strndup(v, (size_t)(vend - v));
        snprintf(where + strlen(where), n - strlen(where), " AND COALESCE(%s, '') GLOB ?",
                 fields[f]);
        if (and == NULL)
            break;
        s = and + 4;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            status = mr_cli_usage_error("export", "--filter: nothing after 'and'");
    }
    free(copy);
    return status;
}

static void json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

int mr_cmd_export(int argc, char **argv)
{
    const char *db = NULL, *filter = "", *out_path = "-";
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--filter") == 0 || strcmp(a, "--format") == 0 ||
            strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) {
            if (!(v = mr_cli_optarg("export", argc, argv, &i)))
                return MR_EXIT_USAGE;
            if (a[2] == 'f' && a[3] == 'i')
                filter = v;
            else if (a[2] == 'f')
                json = strcmp(v, "json") == 0 ? 1 : strcmp(v, "csv") == 0 ? 0 : -1;
            else
                out_path = v;
            if (json < 0)
                return mr_cli_usage_error("export", "--format: '%s' is not csv or json", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return mr_cli_usage_error("export", "unknown option '%s'", a);
        } else if (db) {
            return mr_cli_usage_error("export", "one database at a time ('%s' and '%s')", db, a);
        } else {
            db = a;
        }
    }
    if (!db)
        return mr_cli_usage_error("export", "no results database given");
    char where[1024], *vals[MAX_TERMS];
    size_t nvals = 0;
    int status = parse_filter(filter, where, sizeof where, vals, &nvals);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    mr_cli_outfile o = {0};
    if (status == MR_EXIT_OK &&
        sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        fprintf(stderr, "mrsim: error: %s: cannot open: %s\n", db, h ? sqlite3_errmsg(h) : "");
        status = MR_EXIT_IO;
    }
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT invocation_id, scenario, COALESCE(variant, ''), component, metric, n, mean,"
             " ci95_lo, ci95_hi FROM summary WHERE %s"
             " ORDER BY invocation_id, scenario, variant, component, metric",
             where);
    if (status == MR_EXIT_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "mrsim: error: %s: not a results database: %s\n", db, sqlite3_errmsg(h));
        status = MR_EXIT_IO;
    }
    for (size_t i = 0; i < nvals && status == MR_EXIT_OK; i++)
        sqlite3_bind_text(st, (int)i + 1, vals[i], -1, SQLITE_TRANSIENT);
    if (status == MR_EXIT_OK && mr_cli_out_open(&o, out_path) != MR_OK)
        status = MR_EXIT_IO;
    if (status == MR_EXIT_OK) {
        FILE *f = o.f;
        if (json)
            fprintf(f, "{\"mrsim\": \"%s\", \"schema\": %d, \"database\": ", MR_VERSION,
                    MR_JSON_SCHEMA);
        if (json) {
            json_text(f, db);
            fputs(", \"rows\": [", f);
        } else {
            fputs("invocation,scenario,variant,component,metric,n,mean,ci95_lo,ci95_hi\n", f);
        }
        size_t rows = 0;
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *t[4];
            for (int k = 0; k < 4; k++) {
                t[k] = (const char *)sqlite3_column_text(st, k + 1);
                t[k] = t[k] ? t[k] : "";
            }
            long long inv = sqlite3_column_int64(st, 0), n = sqlite3_column_int64(st, 5);
            double num[3];
            int null[3];
            for (int k = 0; k < 3; k++) {
                null[k] = sqlite3_column_type(st, 6 + k) == SQLITE_NULL;
                num[k] = sqlite3_column_double(st, 6 + k);
            }
            if (json) {
                fprintf(f, "%s\n  {\"invocation\": %lld, \"scenario\": ", rows ? "," : "", inv);
                json_text(f, t[0]);
                fputs(", \"variant\": ", f);
                json_text(f, t[1]);
                fputs(", \"component\": ", f);
                json_text(f, t[2]);
                fputs(", \"metric\": ", f);
                json_text(f, t[3]);
                fprintf(f, ", \"n\": %lld, \"mean\": ", n);
                if (null[0])
                    fputs("null", f);
                else
                    fprintf(f, "%.10g", num[0]);
                if (null[1] || null[2])
                    fputs(", \"ci95\": null}", f);
                else
                    fprintf(f, ", \"ci95\": [%.10g, %.10g]}", num[1], num[2]);
            } else {
                fprintf(f, "%lld,", inv);
                for (int k = 0; k < 4; k++) {
                    mr_cli_csv_field(f, t[k]);
                    fputc(',', f);
                }
                fprintf(f, "%lld", n);
                for (int k = 0; k < 3; k++) {
                    fputc(',', f);
                    if (!null[k])
                        fprintf(f, "%.10g", num[k]);
                }
                fputc('\n', f);
            }
            rows++;
        }
        if (json)
            fputs(rows ? "\n]}\n" : "]}\n", f);
        if (step != SQLITE_DONE) {
            fprintf(stderr, "mrsim: error: %s: %s\n", db, sqlite3_errmsg(h));
            status = MR_EXIT_IO;
        }
        if (mr_cli_out_close(&o, status == MR_EXIT_OK) != MR_OK)
            status = MR_EXIT_IO;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    for (size_t i = 0; i < nvals; i++)
        free(vals[i]);
    return status;
}
