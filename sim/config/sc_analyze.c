/* sim/config/sc_analyze.c: binds the `analyze:` section, the settings of
 * `mrsim analyze` only: `sla`, a map from a component path to the
 * availability the composite estimate uses for it instead of its
 * docs/reference.md default. A path is `traffic`, `clusters/NAME`,
 * `clusters/NAME/ingress`, `dependencies/NAME` or `data/NAME`, and its
 * NAME must exist. Invariant: as bind.h: one diagnostic per problem. */
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/error.h"

const mr_param mr__analyze_keys[] = {
    {.key = "sla",
     .type = MR_PARAM_T_CODE,
     .type_doc = "map of component path to ratio",
     .doc = "availabilities for the composite estimate: traffic, clusters/NAME, "
            "clusters/NAME/ingress, dependencies/NAME, data/NAME",
     .ref = "docs/reference.md §1-§11 rows when absent (see README, mrsim analyze)"},
    MR_PARAM_END};

/* Checks that the path in key names a component; reports otherwise. */
static void check_path(mr__bind *b, const mr_node *key, const char *path)
{
    const char *k = key->text;
    if (strcmp(k, "traffic") == 0)
        return;
    static const struct {
        const char *prefix;
        size_t off;
    } sections[] = {{"clusters/", offsetof(mr__bind, clusters)},
                    {"dependencies/", offsetof(mr__bind, dependencies)},
                    {"data/", offsetof(mr__bind, datastores)}};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        size_t pl = strlen(sections[i].prefix);
        if (strncmp(k, sections[i].prefix, pl) != 0)
            continue;
        const mr__names *names = (const mr__names *)((const char *)b + sections[i].off);
        char name[MR__PATH];
        snprintf(name, sizeof name, "%s", k + pl);
        char *slash = strchr(name, '/');
        if (slash && (i != 0 || strcmp(slash, "/ingress") != 0)) {
            mr_diag_error(b->diag, &key->mark,
                          "%s: '%s' is not a component path; only a cluster has a part "
                          "(clusters/NAME/ingress)",
                          path, k);
            return;
        }
        if (slash)
            *slash = '\0';
        mr_mark mk = mr_node_text_mark(key, pl);
        mr__ref_text(b, name, &mk, path, names);
        return;
    }
    mr_diag_error(b->diag, &key->mark,
                  "%s: '%s' is not a component path: traffic, clusters/NAME, "
                  "clusters/NAME/ingress, dependencies/NAME or data/NAME",
                  path, k);
}

void mr__bind_analyze(mr__bind *b, mr_node *m)
{
    if (m == NULL)
        return;
    mr__bind_keys(b, m, NULL, "analyze", mr__analyze_keys, 0, "", NULL);
    mr_node *sla = mr__take_map(b, m, "sla", "analyze");
    mr__unknown_keys(b, m, mr__analyze_keys);
    if (sla == NULL)
        return;
    mr_scenario *sc = b->sc;
    sc->sla = mr__alloc(b, (sla->n ? sla->n : 1) * sizeof *sc->sla);
    char p[MR__PATH];
    static const mr_param row = {.key = "sla", .type = MR_PARAM_T_RATIO, .lo = 0, .hi = 1};
    for (size_t k = 0; k < sla->n; k++) {
        mr_node_pair *pr = mr_node_pair_at(sla, k);
        pr->value->used = true;
        mr__path(p, "analyze.sla", pr->key->text);
        check_path(b, pr->key, p);
        double v;
        if (mr__bind_value(b, pr->value, p, &row, &v) != MR_OK)
            continue;
        if (pr->value->kind == MR_NODE_SCALAR)
            mr__record(b, p, pr->value->text);
        sc->sla[sc->nsla++] =
            (mr_sc_sla){.name = mr__str(b, pr->key->text), .value = v, .mark = pr->key->mark};
    }
}
