/* sim/cli/cmd_validate.c: `mrsim validate FILE... [--set K=V]...`: every
 * check `run` makes before it simulates, without simulating: loads each
 * scenario (mr_scenario_load), refuses what this build cannot simulate
 * (mr_build_check), then builds the components of replication 0 (every
 * model's init and link) and frees them. Prints nothing and exits 0 when
 * every file is valid; otherwise prints every diagnostic of every file on
 * stderr and exits as `run` would: 4 for an invalid scenario, 5 when a file
 * cannot be read, 1 when a model refuses what the checks let through (a
 * bug: the checks should have said it).
 * `--keys` prints every key of the format as Markdown tables (the source of
 * docs/scenario-format.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/bind.h"
#include "mrsim/alloc.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/sim.h"
#include "config/scenario.h"
#include "run/build.h"

void mr_cmd_validate_help(FILE *out)
{
    fputs("usage: mrsim validate SCENARIO.yaml... [--set KEY=VALUE]...\n"
          "       mrsim validate --keys\n\n"
          "Loads each scenario (extends:, set:, then every --set), binds every section with\n"
          "its defaults, checks every cross-reference and what this build can simulate,\n"
          "and builds the components of one replication as `run` does, without simulating.\n"
          "Prints nothing and exits 0 when all files are valid; otherwise prints every\n"
          "problem on stderr as FILE:LINE:COLUMN: error: MESSAGE and exits 4 (5 when a\n"
          "file cannot be read), the verdict `run` would give.\n",
          out);
}

const mr_cli_opt mr_cmd_validate_opts[] = {
    {"--set", 0, "KEY=VALUE",
     "override a value by its dotted path before checking, e.g.\n--set traffic.ttl=10s --set "
     "clusters[1].standby=cold;\napplies to every file; repeatable",
     NULL},
    {"--keys", 0, NULL, "print every key (type, default, range, source) as Markdown", NULL},
    {0},
};

const char mr_cmd_validate_examples[] =
    "mrsim validate scenarios/active-passive-tm.yaml --set traffic.probe.interval=10s\n";

static const char *type_name(const mr_param *k)
{
    switch (k->type) {
    case MR_PARAM_T_DURATION:
        return "duration";
    case MR_PARAM_T_RATE:
        return "rate";
    case MR_PARAM_T_RATIO:
        return "ratio";
    case MR_PARAM_T_SIZE:
        return "size";
    case MR_PARAM_T_MONEY:
        return "money";
    case MR_PARAM_T_NUMBER:
        return "number";
    case MR_PARAM_T_INT:
    case MR_PARAM_T_INT64:
        return "integer";
    case MR_PARAM_T_BOOL:
        return "boolean";
    case MR_PARAM_T_ENUM:
        return "one of";
    case MR_PARAM_T_TEXT:
        return "text";
    case MR_PARAM_T_DIST_TIME:
        return "duration distribution";
    case MR_PARAM_T_DIST:
        return "distribution";
    default:
        return k->type_doc ? k->type_doc : "see below";
    }
}

static void range_text(const mr_param *k, char *buf, size_t n)
{
    buf[0] = '\0';
    if (k->type == MR_PARAM_T_CODE || k->type == MR_PARAM_T_ENUM || k->type == MR_PARAM_T_TEXT ||
        k->type == MR_PARAM_T_BOOL || k->type == MR_PARAM_T_DIST || k->type == MR_PARAM_T_DIST_TIME ||
        k->lo > k->hi)
        return;
    char lo[48], hi[48];
    bool open = k->hi >= 9.2e18;
    if (k->type == MR_PARAM_T_DURATION) {
        mr_time_format_unit((mr_time)k->lo, lo, sizeof lo);
        if (!open)
            mr_time_format_unit((mr_time)k->hi, hi, sizeof hi);
    } else {
        snprintf(lo, sizeof lo, "%.15g", k->lo);
        snprintf(hi, sizeof hi, "%.15g", k->hi);
    }
    if (open)
        snprintf(buf, n, ">= %s", lo);
    else
        snprintf(buf, n, "[%s, %s]", lo, hi);
}

static void print_table(const char *path, const mr_param *keys, const char *const *variants)
{
    printf("\n### `%s`\n\n| key | type | default | range |%s meaning | source |\n"
           "| --- | --- | --- | --- |%s --- | --- |\n",
           path, variants ? " applies to |" : "", variants ? " --- |" : "");
    for (const mr_param *k = keys; k->key; k++) {
        char range[128], only[128] = "";
        range_text(k, range, sizeof range);
        for (int i = 0; variants && variants[i]; i++)
            if (k->only & (1u << i))
                snprintf(only + strlen(only), sizeof only - strlen(only), "%s%s",
                         only[0] ? ", " : "", variants[i]);
        printf("| `%s` | %s", k->key, type_name(k));
        if (k->type == MR_PARAM_T_ENUM)
            for (int i = 0; k->choices[i]; i++)
                printf("%s `%s`", i ? "," : "", k->choices[i]);
        printf(" | %s | %s |",
               k->required ? "required"
               : k->def    ? k->def
                           : "-",
               range[0] ? range : "-");
        if (variants)
            printf(" %s |", only[0] ? only : "all");
        printf(" %s | %s |\n", k->doc ? k->doc : "", k->ref ? k->ref : "-");
    }
}

/* The program's sections, and after a family's section the key table of
 * each of its kinds, in the registry's order: a new kind's keys show up
 * here (and in docs/scenario-format.md) with nothing else to change. */
static void print_keys(void)
{
    char path[128];
    for (const mr__section *s = mr__sections; s->path; s++) {
        print_table(s->path, s->keys, s->variants);
        const char *family = strcmp(s->path, "datastores[]") == 0         ? "store"
                             : strcmp(s->path, "traffic") == 0              ? "traffic"
                             : strcmp(s->path, "dependencies[]") == 0       ? "dependency"
                             : strcmp(s->path, "clusters[].ingress") == 0 ? "ingress"
                                                                            : NULL;
        for (size_t i = 0; family && i < mr_model_count(); i++) {
            const mr_model *m = mr_model_at(i);
            if (m->family == NULL || strcmp(m->family, family) != 0 || m->params == NULL ||
                m->params[0].key == NULL)
                continue; /* a kind with no keys of its own has no table */
            snprintf(path, sizeof path, "%s (kind: %s)", s->path, m->kind);
            print_table(path, m->params, NULL);
        }
    }
}

/* What `run` checks of a loaded scenario before it simulates: what this
 * build cannot simulate (mr_build_check, as cmd_run.c), then replication
 * 0's components built (every model's init and link) and freed, which must
 * leave nothing live (docs/development.md rule 13). Returns MR_OK, or the code `run`
 * fails with; diagnostics go to diag: the build check's, or for a failure
 * past it the model's own followed by the line `run` prints for it. */
static int build_once(const mr_scenario *sc, mr_diag *diag)
{
    int rc = mr_build_check(sc, diag);
    if (rc != MR_OK)
        return rc;
    mr_sim *sim = NULL;
    rc = mr_build(sc, sc->seed, 0, &sim, diag);
    if (rc == MR_OK)
        rc = mr_sim_free(sim);
    if (rc != MR_OK)
        mr_diag_error(diag, &sc->run.mark, "replication 0 failed: %s", mr_strerror(rc));
    return rc;
}

int mr_cmd_validate(int argc, char **argv)
{
    const char **files = mr_xcalloc((size_t)argc, sizeof *files);
    const char **sets = mr_xcalloc((size_t)argc, sizeof *sets);
    size_t nfiles = 0, nsets = 0;
    int status = MR_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--keys") == 0) {
            print_keys();
            goto done;
        } else if (strcmp(a, "--set") == 0) {
            const char *v = mr_cli_optarg("validate", argc, argv, &i);
            if (v == NULL) {
                status = MR_EXIT_USAGE;
                goto done;
            }
            if (strchr(v, '=') == NULL) {
                status = mr_cli_usage_error("validate", "--set expects KEY=VALUE, got '%s'", v);
                goto done;
            }
            sets[nsets++] = v;
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[nsets++] = a + 6;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("validate", "unknown option '%s'", a);
            goto done;
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        status = mr_cli_usage_error("validate", "no scenario file given");
        goto done;
    }
    for (size_t f = 0; f < nfiles; f++) {
        mr_diag *diag = mr_diag_new();
        mr_scenario *sc = NULL;
        int rc = mr_scenario_load(files[f], sets, nsets, mr_model_registry(), &sc, diag);
        if (rc == MR_OK)
            rc = build_once(sc, diag);
        mr_diag_print(diag, stderr);
        mr_diag_free(diag);
        mr_scenario_free(sc);
        int code = mr_cli_exit_code(rc);
        /* The worst status wins: an unreadable file over an invalid one. */
        if (code == MR_EXIT_IO || (code != MR_EXIT_OK && status == MR_EXIT_OK))
            status = code;
    }
done:
    free(files);
    free(sets);
    return status;
}
