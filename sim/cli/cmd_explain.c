/* sim/cli/cmd_explain.c: `mrsim explain SCENARIO.yaml`: the resolved
 * scenario in words: what it holds, every value that took its key table's
 * default with that default's source (a docs/reference.md row, a
 * published Azure figure, or "ours", a modelling choice), and every cost
 * item nobody priced. The sources are the key tables' (sim/config, the
 * models' tables; the same rows docs/scenario-format.md prints), so the
 * two never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/scenario.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "run/cost.h"
#include "out/human.h"

void mr_cmd_explain_help(FILE *out)
{
    fputs("usage: mrsim explain SCENARIO.yaml [--set KEY=VALUE]...\n\n"
          "Loads the scenario as run does and says what it holds, then every value it\n"
          "did not write that took its default, grouped by where the default comes from:\n"
          "published Azure figures (a docs/reference.md row) or modelling choices marked\n"
          "\"ours\" (replace them with your own figures), and the cost items nobody\n"
          "priced (billed at 0: the cost is understated). SCENARIO.yaml may be -.\n",
          out);
}

const mr_cli_opt mr_cmd_explain_opts[] = {
    {"--set", 0, "KEY=VALUE", "override a value by its dotted path first; repeatable", NULL},
    {0},
};

const char mr_cmd_explain_examples[] = "mrsim explain scenarios/active-passive-tm.yaml\n"
                                       "mrsim init | mrsim explain -\n";

typedef struct def_row {
    const char *path, *value, *doc, *ref;
} def_row;

typedef struct defaults {
    const mr_scenario *sc;
    def_row *rows;
    size_t n, cap;
} defaults;

static int relevant(const mr_scenario *sc, const char *path);

static void collect(void *ctx, const char *path, const char *value, const char *doc,
                    const char *ref)
{
    defaults *d = ctx;
    if (!relevant(d->sc, path))
        return;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->rows = mr_xrealloc(d->rows, d->cap * sizeof *d->rows);
    }
    d->rows[d->n++] = (def_row){path, value, doc, ref};
}

/* A price of a service the scenario does not use is no assumption of it
 * (the cost section has a default for every service's price). */
static int relevant(const mr_scenario *sc, const char *path)
{
    static const struct {
        const char *prefix, *kind;
    } uses[] = {{"cost.tm_", "traffic_manager"},
                {"cost.front_door_", "front_door"},
                {"cost.dns_", "dns"},
                {"cost.cosmos_", "cosmos"}};
    for (size_t u = 0; u < sizeof uses / sizeof uses[0]; u++) {
        if (strncmp(path, uses[u].prefix, strlen(uses[u].prefix)) != 0)
            continue;
        const char *t = mr_scenario_value(sc, "traffic.kind");
        if (t && strcmp(t, uses[u].kind) == 0)
            return 1;
        for (size_t i = 0; i < sc->ndatastores; i++) {
            char k[64];
            snprintf(k, sizeof k, "datastores[%zu].kind", i);
            const char *v = mr_scenario_value(sc, k);
            if (v && strcmp(v, uses[u].kind) == 0)
                return 1;
        }
        return 0;
    }
    return 1;
}

static int from_reference(const def_row *r)
{
    return r->ref && strncmp(r->ref, "docs/reference.md", 17) == 0;
}

/* One group of defaults: "  PATH = VALUE" then its meaning and source. */
static void print_group(const defaults *d, int reference, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const def_row *r = &d->rows[i];
        if (from_reference(r) != reference)
            continue;
        fprintf(out, "  %s = %s\n", r->path, r->value);
        fprintf(out, "      %s%s%s\n", r->doc ? r->doc : "", r->doc ? "; " : "",
                r->ref && strcmp(r->ref, "-") != 0 ? r->ref : "no source given");
    }
}

static size_t count_group(const defaults *d, int reference)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += from_reference(&d->rows[i]) == reference;
    return n;
}

static const char *value(const mr_scenario *sc, const char *fmt, size_t i)
{
    static char path[128];
    snprintf(path, sizeof path, fmt, i);
    const char *v = mr_scenario_value(sc, path);
    return v ? v : "?";
}

/* The label of a section's first item, blanks under it for the others: one
 * item per line keeps a many-cluster scenario readable at 80 columns. */
static void item(FILE *out, size_t i, const char *label)
{
    fprintf(out, "  %-12s ", i ? "" : label);
}

/* What the scenario holds, a line per item, grouped by section. */
static void print_summary(const mr_scenario *sc, FILE *out)
{
    char h[MR_HU_LEN];
    mr_hu_duration(h, sizeof h, mr_time_to_s(sc->run.horizon));
    fprintf(out, "%s (%s)%s%s\n", sc->name, sc->file, sc->description[0] ? ": " : "",
            sc->description);
    item(out, 0, "run:");
    fprintf(out, "%s per replication, replications %s, seed %llu\n", h,
            value(sc, "run.replications", 0), (unsigned long long)sc->seed);
    for (size_t i = 0; i < sc->nregions; i++) {
        item(out, i, "regions:");
        fprintf(out, "%s (%d zones)\n", sc->regions[i].name, sc->regions[i].zones);
    }
    for (size_t i = 0; i < sc->nclusters; i++) {
        const mr_sc_cluster *c = &sc->clusters[i];
        item(out, i, "clusters:");
        fprintf(out, "%s in %s (%s%s%s, %d nodes x %d pods x %s/s)\n", c->name,
                sc->regions[c->region].name, value(sc, "clusters[%zu].role", i),
                c->role == MR_ROLE_STANDBY ? " " : "",
                c->role == MR_ROLE_STANDBY ? value(sc, "clusters[%zu].standby", i) : "",
                c->nodes.count, c->pods.per_node, value(sc, "clusters[%zu].pods.rps_per_pod", i));
    }
    item(out, 0, "traffic:");
    fprintf(out, "%s\n", value(sc, "traffic.kind", 0));
    for (size_t i = 0; i < sc->ndatastores; i++) {
        item(out, i, "data:");
        fprintf(out, "%s (%s)\n", sc->datastores[i].name, value(sc, "datastores[%zu].kind", i));
    }
    for (size_t i = 0; i < sc->nclients; i++) {
        char rate[MR_HU_LEN];
        mr_hu_count(rate, sizeof rate, sc->clients[i].rate);
        item(out, i, "clients:");
        fprintf(out, "%s from %s (%s requests/s)\n", sc->clients[i].name,
                sc->regions[sc->clients[i].origin].name, rate);
    }
    for (size_t i = 0; i < sc->nfaults; i++) {
        item(out, i, "faults:");
        fprintf(out, "%s (%s)\n", sc->faults[i].name, value(sc, "faults[%zu].kind", i));
    }
}

int mr_cmd_explain(int argc, char **argv)
{
    const char *file = NULL;
    const char **sets = mr_xcalloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    int status = MR_EXIT_OK;
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--set") == 0) {
            if (!(v = mr_cli_optarg("explain", argc, argv, &i)))
                status = MR_EXIT_USAGE;
            else
                sets[nsets++] = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("explain", "unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            status = mr_cli_usage_error("explain", "one scenario at a time ('%s' and '%s')", file,
                                        a);
        }
    }
    if (status == MR_EXIT_OK && file == NULL)
        status = mr_cli_usage_error("explain", "which scenario? give a file");
    if (status != MR_EXIT_OK) {
        free(sets);
        return status;
    }
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(file, sets, nsets, mr_model_registry(), &sc, diag);
    if (rc == MR_OK)
        rc = mr_build_check(sc, diag);
    mr_diag_print(diag, stderr);
    if (rc == MR_OK) {
        print_summary(sc, stdout);
        defaults d = {.sc = sc};
        mr_scenario_each_default(sc, collect, &d);
        printf("\n%zu defaults applied (values the file did not write).\n", d.n);
        printf("\nFrom docs/reference.md, published Azure figures (%zu):\n", count_group(&d, 1));
        print_group(&d, 1, stdout);
        printf("\nOurs, modelling choices to replace with your own figures (%zu):\n",
               count_group(&d, 0));
        print_group(&d, 0, stdout);
        mr_cost_unpriced up;
        mr_cost_unpriced_list(sc, &up);
        printf("\nUnpriced, billed at 0 so the cost is understated (%zu):\n", up.n);
        for (size_t i = 0; i < up.n; i++)
            printf("  %s\n", up.item[i]);
        if (up.n == 0)
            puts("  none");
        free(d.rows);
    }
    mr_scenario_free(sc);
    mr_diag_free(diag);
    free(sets);
    return mr_cli_exit_code(rc);
}
