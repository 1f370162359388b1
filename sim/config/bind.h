/* sim/config/bind.h: private to sim/config: the binder's context and its
 * helpers, shared by the files that bind one part of a scenario each
 * (scenario.c: the top level, run, regions, rtt, slo, cost, variants and
 * sweep; sc_topology.c: dependencies, clusters, traffic, stamps; sc_load.c:
 * resolvers and clients; sc_data.c: datastores; sc_faults.c: faults and
 * failover; validate.c: the checks across sections).
 *
 * A section is described by a key table (mr_param): each row a key with its
 * kind of value, where it is stored, its default as it would be written in a
 * file, its range, and the docs/reference.md row the default comes from. The
 * generic binder (mr__bind_keys) reads the rows it can; keys of kind
 * MR_PARAM_T_CODE are bound by the section's own code, the table still listing
 * them so that unknown keys get a hint and docs/scenario-format.md can
 * mirror the table row for row.
 *
 * Invariant: every problem adds exactly one diagnostic and binding goes on;
 * a section that fails leaves its struct filled with defaults, so later
 * checks can run without dereferencing anything unbound (an unresolved
 * reference is MR_SC_NONE and checks skip it). */
#ifndef MRSIM_CONFIG_BIND_H
#define MRSIM_CONFIG_BIND_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/distspec.h"
#include "config/node.h"
#include "config/units.h"
#include "mrsim/diag.h"
#include "mrsim/param.h"
#include "config/scenario.h"

/* Room for a dotted path such as "datastores[12].replication.lag". */
#define MR__PATH 192

/* A named section's names, in file order (NULL where an element has no
 * valid name), for resolving references. */
typedef struct mr__names {
    const char **v;
    mr_mark *marks;
    size_t n;
    const char *what;   /* "region" */
    const char *plural; /* "regions" */
} mr__names;

typedef struct mr__bind {
    mr_scenario *sc;
    mr_doc *doc;
    mr_diag *diag;
    mr__names regions, clusters, datastores, dependencies, resolvers, clients, stamps, faults;
    /* Key paths whose value the file gave but was refused (the binding
     * kept the default): a check that reads one skips rather than report
     * a follow-on that contradicts the first error (mr__failed). */
    char **failed;
    size_t nfailed, capfailed;
    /* The diagnostics the scenario itself gave, before its overrides
     * (variants, sweep, recommend) were checked on copies: a copy's
     * problem at one of their places is theirs, not the override's. */
    int base_lines;
} mr__bind;

/* Notes that path's value was refused (a diagnostic was given). */
void mr__fail(mr__bind *b, const char *path);
/* Whether path's value was refused. */
bool mr__failed(const mr__bind *b, const char *path);

/* The private half of mr_scenario: the document and every allocation. */
struct mr_scenario_internal {
    mr_doc *doc;
    void **allocs;
    size_t nallocs, capallocs;
    mr_dist **dists;
    size_t ndists, capdists;
    const char **vpath, **vtext; /* resolved values, in binding order */
    /* Per value: whether it is its key table row's default, and the row's
     * doc and source, copied (a row may live on a binder's stack). */
    struct mr__vdefault {
        bool is;
        const char *doc, *ref;
    } *vdefault;
    size_t nvalues, capvalues;
};

/* ---- Memory owned by the scenario ----------------------------------------- */

/* n zeroed bytes (NULL for 0) that the scenario frees. */
void *mr__alloc(mr__bind *b, size_t n);
/* A copy of s that the scenario frees. */
const char *mr__str(mr__bind *b, const char *s);
/* printf into a string the scenario frees. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
const char *
mr__strf(mr__bind *b, const char *fmt, ...);
/* Registers a bound dist so that mr_scenario_free finalises it. */
void mr__keep_dist(mr__bind *b, mr_dist *d);
/* Records a resolved value for mr_scenario_each_value (a path recorded
 * before keeps its place and takes the new value). */
void mr__record(mr__bind *b, const char *path, const char *text);
/* The same for a value that is row's default (no file, extends: or --set
 * wrote it): what `mrsim explain` lists with the row's source. */
void mr__record_default(mr__bind *b, const char *path, const char *text, const mr_param *row);

/* ---- Paths and text -------------------------------------------------------- */

/* buf = parent.key (or key when parent is ""). Returns buf. */
char *mr__path(char *buf, const char *parent, const char *key);
/* buf = parent[i]. Returns buf. */
char *mr__path_index(char *buf, const char *parent, size_t i);
/* The node as YAML flow text ("{dist: const, value: 1s}"), quoting scalars
 * that need it. Caller frees. */
char *mr__flow(const mr_node *node);
/* "30s", "250ms", "1h": the shortest exact form of t. */

/* ---- Shapes ------------------------------------------------------------------ */

/* node when it is a map; NULL for an absent or null node (nothing said) and
 * after "PATH: expected a map, found ..." for anything else. */
mr_node *mr__map(mr__bind *b, mr_node *node, const char *path);
/* Item i of a named section (`regions`, `clusters`, ...): writes its path
 * into p ("clusters[1]"), and returns its map with the `name` key taken
 * and recorded, or NULL after a diagnostic when the item is no map. */
mr_node *mr__named_item(mr__bind *b, mr_node *seq, size_t i, const char *section,
                        const char *name, char *p);
/* The same for a sequence. */
mr_node *mr__seq(mr__bind *b, mr_node *node, const char *path);
/* mr_node_take(map, key) then mr__map / mr__seq. */
mr_node *mr__take_map(mr__bind *b, mr_node *map, const char *key, const char *path);
mr_node *mr__take_seq(mr__bind *b, mr_node *map, const char *key, const char *path);

/* ---- Values ---------------------------------------------------------------- */

/* Binds every non-CODE row of keys that applies to variant bit `only` (0:
 * rows with only == 0 or any bit) from map (which may be NULL: all defaults)
 * into base, recording each value under path. A key present in map whose
 * rows all exclude the variant gets "PATH.K: 'K' does not apply to WHAT"
 * (what names the variant, e.g. "a front_door traffic layer"). A required
 * key missing from map is reported at the map's mark (never when map is
 * NULL: the section's own code reports a missing map; `at` is kept for
 * callers that have no map). A value that fails leaves the row's default in
 * place. Returns the number of problems. */
int mr__bind_keys(mr__bind *b, mr_node *map, const mr_mark *at, const char *path,
                  const mr_param *keys, unsigned only, const char *what, void *base);
/* Reports each key of map that is neither bound nor in keys, with a hint. */
void mr__unknown_keys(mr__bind *b, const mr_node *map, const mr_param *keys);

/* Binds one value of a row (the node present in a file, or the row's
 * default when node is NULL) into dst. Returns MR_OK or MR_ESCENARIO after a
 * diagnostic. */
int mr__bind_value(mr__bind *b, mr_node *node, const char *path, const mr_param *row, void *dst);

/* A name ([a-z0-9-]+) from a scalar node, owned by the scenario; NULL after
 * a diagnostic. */
const char *mr__name(mr__bind *b, mr_node *node, const char *path);
/* An enum value from a scalar; -1 after "unknown WHAT 'x' (did you mean ...)". */
int mr__enum(mr__bind *b, mr_node *node, const char *path, const char *const *choices);
/* An integer in [lo, hi]; MR_ESCENARIO after a diagnostic with the range. */
int mr__int(mr__bind *b, mr_node *node, const char *path, int64_t lo, int64_t hi, int64_t *out);

/* ---- A kind's keys ---------------------------------------------------------------- */

/* Binds the section map m (at path p) of a component of kind `model`
 * through the kind's own key table into cfg (model->cfg_size bytes): every
 * row in table order, dotted keys in their sub-maps; a CODE row without a
 * parse of its own is the family's (its regions, its endpoints), bound by
 * calling code at that row; then the kind's check; then every key the kind
 * does not know is reported ("does not apply to WHAT" when another kind of
 * the family has it; family_keys, NULL-terminated, are the family's own
 * keys the hints list). Rows with "[]" in their key constrain the items of
 * a family list and are left to the family. */
typedef void (*mr__code_fn)(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                            const char *key, void *ctx);
void mr__bind_kind(mr__bind *b, mr_node *m, const char *p, const mr_model *model,
                   const char *what, const char *const *family_keys, void *cfg, mr__code_fn code,
                   void *code_ctx);

/* ---- Names and references ------------------------------------------------------ */

/* Collects the names of the sequence seq (each item a map with `name`),
 * reporting invalid and duplicate names. seq may be NULL. */
void mr__collect_names(mr__bind *b, mr_node *seq, const char *section, mr__names *names);
/* The index of the name in node (a scalar) among names; MR_SC_NONE after
 * "PATH: unknown WHAT 'x' (did you mean 'y'?); WHATs: a, b". */
size_t mr__ref(mr__bind *b, mr_node *node, const char *path, const mr__names *names);
/* mr__ref by text, reporting at mark. */
size_t mr__ref_text(mr__bind *b, const char *text, const mr_mark *mark, const char *path,
                    const mr__names *names);
/* A sequence of names → indices (unresolved ones dropped after their
 * diagnostic); duplicates are reported. node may be NULL (n = 0). */
void mr__refs(mr__bind *b, mr_node *node, const char *path, const mr__names *names,
              mr_sc_refs *out);

/* ---- Sections ------------------------------------------------------------------- */

void mr__bind_dependencies(mr__bind *b, mr_node *seq);
void mr__bind_clusters(mr__bind *b, mr_node *seq);
void mr__bind_traffic(mr__bind *b, mr_node *map, const mr_mark *root);
void mr__bind_stamps(mr__bind *b, mr_node *seq);
void mr__bind_resolvers(mr__bind *b, mr_node *seq, const mr_mark *root);
void mr__bind_clients(mr__bind *b, mr_node *seq);
void mr__bind_datastores(mr__bind *b, mr_node *seq);
void mr__bind_faults(mr__bind *b, mr_node *seq);
void mr__bind_failover(mr__bind *b, mr_node *map);
/* `analyze:` (sc_analyze.c): settings of mrsim analyze. */
void mr__bind_analyze(mr__bind *b, mr_node *map);
/* `recommend:` (sc_recommend.c): the design space of mrsim recommend;
 * scenario.c then checks each candidate value on a copy. */
void mr__bind_recommend(mr__bind *b, mr_node *map);
/* Checks that need several sections bound (fault chains, stamps). */
void mr__validate(mr__bind *b);

/* Every key table, for the format reference (`mrsim validate --keys`). */
typedef struct mr__section {
    const char *path; /* "clusters[].nodes" */
    const mr_param *keys;
    const char *const *variants; /* names of the `only` bits, or NULL */
} mr__section;
extern const mr__section mr__sections[];

extern const mr_param mr__root_keys[], mr__run_keys[], mr__adaptive_keys[], mr__until_keys[],
    mr__region_keys[], mr__rtt_keys[], mr__slo_keys[], mr__slo_target_keys[], mr__cost_keys[],
    mr__variant_keys[], mr__dependency_keys[], mr__cluster_keys[], mr__nodes_keys[],
    mr__pods_keys[], mr__autoscaler_keys[], mr__ingress_keys[], mr__traffic_keys[],
    mr__endpoint_keys[], mr__stamp_keys[], mr__resolver_keys[], mr__policy_keys[],
    mr__client_keys[], mr__profile_keys[], mr__mix_keys[], mr__retry_keys[], mr__store_keys[],
    mr__replica_keys[], mr__fault_keys[], mr__target_keys[], mr__repeat_keys[], mr__ramp_keys[],
    mr__expect_keys[], mr__failover_keys[], mr__action_keys[], mr__failback_keys[],
    mr__runbook_keys[], mr__cold_keys[];
extern const mr_param mr__analyze_keys[];
extern const mr_param mr__recommend_keys[], mr__rec_key_keys[];

/* Metric names of docs/cli.md's result document (run.replications.until.metric). */
extern const char *const mr__metric_names[];

#endif
