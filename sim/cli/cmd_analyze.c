/* sim/cli/cmd_analyze.c: `mrsim analyze SCENARIO.yaml`: the closed-form
 * estimates of mr_analyze (failover detection and client switch times,
 * composite availability) as a table or as JSON (shape in README.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mrsim/model.h"
#include "config/units.h"
#include "mrsim/alloc.h"
#include "run/analyze.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "config/scenario.h"
#include "out/human.h"

void mr_cmd_analyze_help(FILE *out)
{
    fputs("usage: mrsim analyze SCENARIO.yaml [--set KEY=VALUE]... [--sla NAME=A]... [--json]\n\n"
          "Closed-form estimates next to what `run` simulates: when the traffic layer\n"
          "detects a failed region (docs/model.md rules 1-2) and when clients switch once\n"
          "their DNS caches expire (rule 3), as min/mean/p50/p95/p99/max per resolver\n"
          "pool and TTL policy; and the composite availability of docs/reference.md §11\n"
          "(series products, 1 - prod(1 - a) over redundant regions or stamps), which\n"
          "assumes instant failover, with the downtime it allows per month and year.\n",
          out);
}

const mr_cli_opt mr_cmd_analyze_opts[] = {
    {"--set", 0, "KEY=VALUE", "override a scenario value by its dotted path; repeatable", NULL},
    {"--sla", 0, "NAME=A",
     "availability of one component instead of its default:\ntraffic, clusters/NAME, "
     "clusters/NAME/ingress,\ndependencies/NAME, data/NAME; A as 0.9995 or 99.95%;\nwins "
     "over the file's analyze.sla; repeatable",
     NULL},
    {"--json", 0, NULL, "print a JSON document instead of the table", NULL},
    {0},
};

const char mr_cmd_analyze_examples[] =
    "mrsim analyze scenarios/active-passive-tm.yaml --sla clusters/aks-weu=99.9%\n";


/* A time after the fault in human units (docs/results.md "The table"). */
static void cell(FILE *out, double v)
{
    char b[MR_HU_LEN];
    fprintf(out, "  %8s", isinf(v) ? "unbounded" : mr_hu_duration(b, sizeof b, v));
}

/* The label column of the timing tables: with six cells of 10 a row keeps
 * within 80 columns; a longer label takes a line of its own above its
 * cells, never cut. */
enum { LABEL_W = 17 };

static void times_head(FILE *out)
{
    fprintf(out, "  %-*s  %8s  %8s  %8s  %8s  %8s  %8s\n", LABEL_W, "", "min", "mean", "p50",
            "p95", "p99", "max");
}

static void times_row(FILE *out, const char *label, const mr_an_times *t)
{
    if ((int)strlen(label) > LABEL_W)
        fprintf(out, "  %s\n  %-*s", label, LABEL_W, "");
    else
        fprintf(out, "  %-*s", LABEL_W, label);
    cell(out, t->min);
    cell(out, t->mean);
    cell(out, t->p50);
    cell(out, t->p95);
    cell(out, t->p99);
    cell(out, t->max);
    fputc('\n', out);
}

/* The failover timing section: detection, every edge switched (Front
 * Door), the clients' switch, and each part's when there are several. */
static void table_timing(const mr_analysis *a, FILE *out)
{
    fprintf(out, "failover timing, %s (time after the fault)\n", a->traffic_what);
    times_head(out);
    char det[64] = "endpoint Degraded";
    if (a->locations > 1)
        snprintf(det, sizeof det, "endpoint Degraded (%d of %d locations)", a->quorum,
                 a->locations);
    times_row(out,
              a->locations > 1 ? det : a->detection_event,
              &a->detection);
    if (a->has_all_edges) {
        char l[64];
        snprintf(l, sizeof l, "every edge switched (%d edges)", a->pops);
        times_row(out, l, &a->all_edges);
    }
    times_row(out, a->has_caches ? "client switch, all clients" : "client switch (no DNS delay)",
              &a->client_switch);
    for (size_t i = 0; i < a->nparts && a->nparts > 1; i++) {
        const mr_an_part *p = &a->parts[i];
        char l[128], w[MR_HU_LEN];
        snprintf(l, sizeof l, "  %s/%s %s %s%s%s", p->clients, p->resolver, p->policy,
                 mr_hu_given(w, sizeof w, MR_HU_SHARE, p->weight), strcmp(p->runtime, "none") ? " " : "",
                 strcmp(p->runtime, "none") ? p->runtime : "");
        times_row(out, l, &p->t);
    }
    if (a->nparts == 1 && strcmp(a->parts[0].runtime, "none") != 0)
        fprintf(out, "  (runtime cache: %s)\n", a->parts[0].runtime);
}

/* One availability with the downtime it allows per month and per year. */
static void availability_row(FILE *out, const char *label, double availability)
{
    char a[MR_HU_LEN], m[MR_HU_LEN], y[MR_HU_LEN];
    mr_hu_duration(m, sizeof m, mr_an_downtime_month_s(availability));
    mr_hu_duration(y, sizeof y, mr_an_downtime_year_s(availability));
    fprintf(out, "  %-30s %10s  downtime %s/month, %s/year\n", label,
            mr_hu_percent(a, sizeof a, availability), m, y);
}

/* text, word-wrapped at 80 columns, each line indented by `indent`. */
static void wrapped(FILE *out, int indent, const char *text)
{
    int col = fprintf(out, "%*s", indent, "");
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > indent && col + 1 + (int)w > 80)
            col = fprintf(out, "\n%*s", indent, "") - 1;
        else if (col > indent)
            col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)w, p);
        p += w;
        p += strspn(p, " ");
    }
    fputc('\n', out);
}

/* The composite availability section: each component's figure and where
 * it comes from, the formula line by line, then the global tier, each
 * unit and the composite. */
static void table_composite(const mr_analysis *a, FILE *out)
{
    fputs("\ncomposite availability (docs/reference.md §11; assumes instant failover)\n", out);
    for (size_t i = 0; i < a->nitems; i++) {
        const mr_an_item *it = &a->items[i];
        char sla[MR_HU_LEN];
        int col = fprintf(out, "  %-26s %-12s %8s", it->name,
                          it->unit < 0 ? "global" : a->units[it->unit].name,
                          mr_hu_given(sla, sizeof sla, MR_HU_SHARE, it->sla));
        /* The source after it when it fits 80 columns, else below it. */
        if (col + 2 + (int)strlen(it->source) <= 80)
            fprintf(out, "  %s\n", it->source);
        else {
            fputc('\n', out);
            wrapped(out, 6, it->source);
        }
    }
    fputs("\n", out);
    const char *f = a->formula;
    while (*f) {
        const char *nl = strchr(f, '\n');
        size_t len = nl ? (size_t)(nl - f) : strlen(f);
        fprintf(out, "  %.*s\n", (int)len, f);
        f += len + (nl != NULL);
    }
    fputs("\n", out);
    availability_row(out, "global tier", a->global);
    for (size_t u = 0; u < a->nunits; u++) {
        char l[64];
        snprintf(l, sizeof l, "%s %s%s", a->units[u].stamp ? "stamp" : "region", a->units[u].name,
                 a->units[u].standby ? " (standby)" : "");
        availability_row(out, l, a->units[u].availability);
    }
    availability_row(out, "composite", a->composite);
}

/* Client populations pinned to stamps, and stochastic faults, when there
 * are any. */
static void table_populations_faults(const mr_analysis *a, FILE *out)
{
    for (size_t i = 0; i < a->npopulations; i++) {
        const mr_an_population *p = &a->populations[i];
        if (i == 0)
            fputs("\nclient populations pinned to stamps: global x (1 - prod over home and\n"
                  "  fallback stamps)\n",
                  out);
        char l[96];
        snprintf(l, sizeof l, "%s (%d stamp%s)", p->clients, p->stamps, p->stamps == 1 ? "" : "s");
        availability_row(out, l, p->availability);
    }
    if (a->nfaults) {
        fputs("\nstochastic faults: availability of their target, mtbf / (mtbf + mean mttr)\n",
              out);
        /* fault, kind, target: as wide as the widest, as their headings. */
        int w[3] = {(int)strlen("fault"), (int)strlen("kind"), (int)strlen("target")};
        for (size_t i = 0; i < a->nfaults; i++) {
            const char *f[3] = {a->faults[i].fault, a->faults[i].kind, a->faults[i].target};
            for (int k = 0; k < 3; k++)
                w[k] = (int)strlen(f[k]) > w[k] ? (int)strlen(f[k]) : w[k];
        }
        fprintf(out, "  %-*s %-*s %-*s %9s  %7s  %7s\n", w[0], "fault", w[1], "kind", w[2],
                "target", "avail.", "mtbf", "mttr");
        for (size_t i = 0; i < a->nfaults; i++) {
            const mr_an_fault *ft = &a->faults[i];
            char av[MR_HU_LEN], mtbf[MR_HU_LEN], mttr[MR_HU_LEN];
            fprintf(out, "  %-*s %-*s %-*s %9s  %7s  %7s\n", w[0], ft->fault, w[1], ft->kind,
                    w[2], ft->target, mr_hu_percent(av, sizeof av, ft->availability),
                    mr_hu_duration(mtbf, sizeof mtbf, ft->mtbf_s),
                    mr_hu_duration(mttr, sizeof mttr, ft->mttr_mean_s));
        }
    }
}

/* What the first region outage's recovery waits on, the slowest named. */
static void table_recovery(const mr_analysis *a, FILE *out)
{
    if (!a->has_recovery)
        return;
    const mr_an_recovery *r = &a->recovery;
    fprintf(out, "\nrecovery from %s (%s down), what it waits on (after the fault)\n",
            r->fault, r->region);
    times_head(out);
    for (size_t i = 0; i < r->nterms; i++) {
        times_row(out, r->term[i].what, &r->term[i].t);
        wrapped(out, 6, r->term[i].how);
    }
    char line[256], rto[MR_HU_LEN];
    snprintf(line, sizeof line, "recovery waits on: %s: the RTO is about %s%s",
             r->term[r->dominant].what, mr_hu_duration(rto, sizeof rto, r->service_s),
             r->nterms > 1 ? "; standby and data terms from seeded draws" : "");
    wrapped(out, 2, line);
}

static void write_table(const mr_analysis *a, FILE *out)
{
    fprintf(out, "scenario %s (%s): closed-form estimates\n\n", a->scenario, a->file);
    table_timing(a, out);
    table_recovery(a, out);
    table_composite(a, out);
    table_populations_faults(a, out);
}

/* Twelve significant digits: an availability to 1e-12 (ten nines and
 * then some), never the binary noise of %.17g (0.99980001000000002). */
static void jnum(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.12g", v);
    else
        fputs("null", out);
}

static void jstr(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void jtimes(FILE *out, const mr_an_times *t)
{
    fputs("{\"min\": ", out);
    jnum(out, t->min);
    fputs(", \"mean\": ", out);
    jnum(out, t->mean);
    fputs(", \"p50\": ", out);
    jnum(out, t->p50);
    fputs(", \"p95\": ", out);
    jnum(out, t->p95);
    fputs(", \"p99\": ", out);
    jnum(out, t->p99);
    fputs(", \"max\": ", out);
    jnum(out, t->max);
    fputs("}", out);
}

static void javail(FILE *out, double a)
{
    jnum(out, a);
    fputs(", \"downtime_s_month\": ", out);
    jnum(out, mr_an_downtime_month_s(a));
    fputs(", \"downtime_s_year\": ", out);
    jnum(out, mr_an_downtime_year_s(a));
}

/* Arrays of objects, one object a line: what goes before item i, and the
 * closing bracket of an array of n (on its own line unless empty). */
static void jitem(FILE *out, size_t i)
{
    fputs(i ? ",\n    {" : "\n    {", out);
}

static void jclose(FILE *out, size_t n)
{
    fputs(n ? "\n  ]" : "]", out);
}

/* From the document's start to the clients' switch times. */
static void json_timing(const mr_analysis *a, FILE *out)
{
    fputs("{\n  \"mrsim\": ", out);
    jstr(out, MR_VERSION);
    fprintf(out, ",\n  \"schema\": %d", MR_JSON_SCHEMA);
    fputs(",\n  \"scenario\": ", out);
    jstr(out, a->scenario);
    fputs(",\n  \"file\": ", out);
    jstr(out, a->file);
    fputs(",\n  \"traffic\": ", out);
    jstr(out, a->traffic);
    if (a->locations > 0)
        fprintf(out, ",\n  \"probe_locations\": %d, \"quorum\": %d", a->locations, a->quorum);
    fputs(",\n  \"detection_s\": ", out);
    jtimes(out, &a->detection);
    fputs(",\n  \"all_edges_s\": ", out);
    if (a->has_all_edges)
        jtimes(out, &a->all_edges);
    else
        fputs("null", out);
    fputs(",\n  \"client_switch_s\": ", out);
    jtimes(out, &a->client_switch);
    fputs(",\n  \"recovery\": ", out);
    if (!a->has_recovery) {
        fputs("null", out);
        return;
    }
    const mr_an_recovery *r = &a->recovery;
    fputs("{\"fault\": ", out);
    jstr(out, r->fault);
    fputs(", \"terms\": [", out);
    for (size_t i = 0; i < r->nterms; i++) {
        fputs(i ? ", {\"what\": " : "{\"what\": ", out);
        jstr(out, r->term[i].what);
        fputs(", \"how\": ", out);
        jstr(out, r->term[i].how);
        fputs(", \"gate_s\": ", out);
        jnum(out, r->term[i].gate);
        fputs(", \"s\": ", out);
        jtimes(out, &r->term[i].t);
        fputs("}", out);
    }
    fputs("], \"dominant\": ", out);
    jstr(out, r->term[r->dominant].what);
    fputs(", \"service_s\": ", out);
    jnum(out, r->service_s);
    fprintf(out, ", \"draws\": %d}", r->draws);
}

static void json_parts(const mr_analysis *a, FILE *out)
{
    fputs(",\n  \"parts\": [", out);
    for (size_t i = 0; i < a->nparts; i++) {
        const mr_an_part *p = &a->parts[i];
        jitem(out, i);
        fputs("\"clients\": ", out);
        jstr(out, p->clients);
        fputs(", \"resolver\": ", out);
        jstr(out, p->resolver);
        fputs(", \"policy\": ", out);
        jstr(out, p->policy);
        fputs(", \"runtime_cache\": ", out);
        jstr(out, p->runtime);
        fputs(", \"weight\": ", out);
        jnum(out, p->weight);
        fputs(", \"switch_s\": ", out);
        jtimes(out, &p->t);
        fputs("}", out);
    }
    jclose(out, a->nparts);
}

static void json_components(const mr_analysis *a, FILE *out)
{
    fputs(",\n  \"components\": [", out);
    for (size_t i = 0; i < a->nitems; i++) {
        const mr_an_item *it = &a->items[i];
        jitem(out, i);
        fputs("\"name\": ", out);
        jstr(out, it->name);
        fputs(", \"what\": ", out);
        jstr(out, it->what);
        fputs(", \"tier\": ", out);
        jstr(out, it->unit < 0 ? "global" : a->units[it->unit].name);
        fputs(", \"availability\": ", out);
        jnum(out, it->sla);
        fputs(", \"source\": ", out);
        jstr(out, it->source);
        fputs("}", out);
    }
    jclose(out, a->nitems);
}

/* The units, then the global tier, the redundant part and the composite. */
static void json_composite(const mr_analysis *a, FILE *out)
{
    fputs(",\n  \"units\": [", out);
    for (size_t u = 0; u < a->nunits; u++) {
        jitem(out, u);
        fputs("\"name\": ", out);
        jstr(out, a->units[u].name);
        fprintf(out, ", \"kind\": \"%s\", \"standby\": %s, \"availability\": ",
                a->units[u].stamp ? "stamp" : "region", a->units[u].standby ? "true" : "false");
        javail(out, a->units[u].availability);
        fputs("}", out);
    }
    jclose(out, a->nunits);
    fputs(",\n  \"global\": {\"availability\": ", out);
    javail(out, a->global);
    fputs("},\n  \"redundant\": ", out);
    jnum(out, a->redundant);
    fputs(",\n  \"composite\": {\"availability\": ", out);
    javail(out, a->composite);
    fputs(", \"formula\": ", out);
    jstr(out, a->formula);
    fputs("}", out);
}

static void json_populations(const mr_analysis *a, FILE *out)
{
    fputs(",\n  \"populations\": [", out);
    for (size_t i = 0; i < a->npopulations; i++) {
        const mr_an_population *p = &a->populations[i];
        jitem(out, i);
        fputs("\"clients\": ", out);
        jstr(out, p->clients);
        fprintf(out, ", \"stamps\": %d, \"availability\": ", p->stamps);
        javail(out, p->availability);
        fputs("}", out);
    }
    jclose(out, a->npopulations);
}

static void json_faults(const mr_analysis *a, FILE *out)
{
    fputs(",\n  \"faults\": [", out);
    for (size_t i = 0; i < a->nfaults; i++) {
        const mr_an_fault *ft = &a->faults[i];
        jitem(out, i);
        fputs("\"fault\": ", out);
        jstr(out, ft->fault);
        fputs(", \"kind\": ", out);
        jstr(out, ft->kind);
        fputs(", \"target\": ", out);
        jstr(out, ft->target);
        fputs(", \"mtbf_s\": ", out);
        jnum(out, ft->mtbf_s);
        fputs(", \"mttr_mean_s\": ", out);
        jnum(out, ft->mttr_mean_s);
        fputs(", \"availability\": ", out);
        jnum(out, ft->availability);
        fputs("}", out);
    }
    jclose(out, a->nfaults);
}

/* The document of README.md, section by section in its order. */
static void write_json(const mr_analysis *a, FILE *out)
{
    json_timing(a, out);
    json_parts(a, out);
    json_components(a, out);
    json_composite(a, out);
    json_populations(a, out);
    json_faults(a, out);
    fputs("\n}\n", out);
}

int mr_cmd_analyze(int argc, char **argv)
{
    const char *file = NULL;
    const char **sets = mr_xcalloc((size_t)argc, sizeof *sets);
    mr_an_override *ov = mr_xcalloc((size_t)argc, sizeof *ov);
    char **ovnames = mr_xcalloc((size_t)argc, sizeof *ovnames);
    size_t nsets = 0, nov = 0;
    int json = 0, status = MR_EXIT_OK;
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--set") == 0 || strncmp(a, "--set=", 6) == 0) {
            const char *v = a[5] == '=' ? a + 6 : mr_cli_optarg("analyze", argc, argv, &i);
            if (v == NULL)
                status = MR_EXIT_USAGE;
            else if (strchr(v, '=') == NULL)
                status = mr_cli_usage_error("analyze", "--set expects KEY=VALUE, got '%s'", v);
            else
                sets[nsets++] = v;
        } else if (strcmp(a, "--sla") == 0 || strncmp(a, "--sla=", 6) == 0) {
            const char *v = a[5] == '=' ? a + 6 : mr_cli_optarg("analyze", argc, argv, &i);
            const char *eq = v ? strchr(v, '=') : NULL;
            char err[128];
            double x;
            if (v == NULL) {
                status = MR_EXIT_USAGE;
            } else if (eq == NULL || eq == v) {
                status = mr_cli_usage_error("analyze", "--sla expects NAME=AVAILABILITY, got '%s'", v);
            } else if (mr_units_ratio(eq + 1, &x, err, sizeof err) != MR_OK) {
                status = mr_cli_usage_error("analyze", "--sla %s: %s", v, err);
            } else {
                ovnames[nov] = mr_xstrdup(v);
                ovnames[nov][eq - v] = '\0';
                ov[nov] = (mr_an_override){.name = ovnames[nov], .value = x};
                nov++;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("analyze", "unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            status = mr_cli_usage_error("analyze", "one scenario at a time ('%s' and '%s')", file, a);
        }
    }
    if (status == MR_EXIT_OK && file == NULL)
        status = mr_cli_usage_error("analyze", "which scenario? give a file");
    if (status == MR_EXIT_OK) {
        mr_diag *diag = mr_diag_new();
        mr_scenario *sc = NULL;
        mr_analysis *an = NULL;
        int rc = mr_scenario_load(file, sets, nsets, mr_model_registry(), &sc, diag);
        if (rc == MR_OK)
            rc = mr_analyze(sc, ov, nov, &an, diag);
        mr_diag_print(diag, stderr);
        if (rc == MR_OK) {
            if (json)
                write_json(an, stdout);
            else
                write_table(an, stdout);
            if (fflush(stdout) != 0)
                rc = MR_EIO;
        }
        status = mr_cli_exit_code(rc);
        mr_analysis_free(an);
        mr_scenario_free(sc);
        mr_diag_free(diag);
    }
    for (size_t i = 0; i < nov; i++)
        free(ovnames[i]);
    free(ovnames);
    free(ov);
    free(sets);
    return status;
}
