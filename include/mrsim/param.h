/* include/mrsim/param.h: key tables, the one description of every key a
 * scenario file may hold. A table is an array of rows ended by
 * MR_PARAM_END; each row names a key, the kind of value it takes, where the
 * binder stores it (an offset into a struct), its default as a file would
 * write it, its range, and where the default comes from.
 *
 * One table per thing that has keys, read by everyone who needs to know
 * them: the scenario binder (sim/config) binds through it, `mrsim validate
 * --keys` prints it, docs/scenario-format.md mirrors it. The program's own
 * sections (run, slo, clusters, ...) have their tables in sim/config; a
 * component kind of a family with several kinds (a data store, a traffic
 * layer) declares its own table in its model file (mr_model.params), whose
 * offsets are into the kind's cfg struct, so a new kind brings its keys
 * with it and nothing else needs to know them.
 *
 * Defaults are text ("30s", "lognormal(1s, 0.69)"), parsed by the binder
 * exactly as a value written in a file would be, so the kernel and the
 * models need no parser. */
#ifndef MRSIM_PARAM_H
#define MRSIM_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

typedef enum mr_param_type {
    MR_PARAM_T_CODE = 0,  /* bound by code: a family's binder or a custom parse */
    MR_PARAM_T_DURATION,  /* mr_time */
    MR_PARAM_T_RATE,      /* double, per second */
    MR_PARAM_T_RATIO,     /* double in [0, 1] */
    MR_PARAM_T_SIZE,      /* double, bytes */
    MR_PARAM_T_MONEY,     /* double */
    MR_PARAM_T_NUMBER,    /* double */
    MR_PARAM_T_INT,       /* int */
    MR_PARAM_T_INT64,     /* int64_t */
    MR_PARAM_T_BOOL,      /* bool */
    MR_PARAM_T_ENUM,      /* an enum (int-sized), names in choices */
    MR_PARAM_T_TEXT,      /* const char *, owned by the scenario */
    MR_PARAM_T_DIST_TIME, /* mr_dist of durations (ns) */
    MR_PARAM_T_DIST,      /* mr_dist of plain numbers */
} mr_param_type;

/* A custom value: parses text (a scalar as written) into dst. Returns 0, or
 * -1 after writing why into err ("expected uniform or zipf(S)"). */
typedef int (*mr_param_parse_fn)(const char *text, void *dst, char *err, size_t errlen);

/* One key. The default and the range are in the units a file uses for the
 * key: durations in ns (write MR_S etc.), ratios as fractions. */
struct mr_param {
    const char *key;            /* "ttl", or a dotted path into sub-maps: "probe.interval" */
    mr_param_type type;
    size_t off;                 /* in the struct bound into (not for CODE rows without parse) */
    const char *def;            /* as written in a file; NULL: none (the field keeps its preset) */
    double lo, hi;              /* inclusive range; lo > hi: none beyond the type's own */
    const char *const *choices; /* ENUM: names, NULL-terminated */
    unsigned only;              /* bit set of variants the row applies to; 0: all. Several
                                 * rows may share a key with disjoint sets (a default that
                                 * depends on the variant). */
    bool required;
    const char *type_doc;       /* CODE: the type as the docs show it */
    const char *doc;            /* one line: what it means */
    const char *ref;            /* where the default comes from: "docs/reference.md §1 ..."
                                 * or "ours: ..." */
    mr_param_parse_fn parse;    /* CODE rows a kind parses itself; NULL otherwise */
};

/* No range beyond the type's own, as lo, hi. */
#define MR_PARAM_NORANGE 1, 0
#define MR_PARAM_END                                                                               \
    {                                                                                              \
        .key = NULL                                                                                \
    }

/* The row of table for key (a dotted path) that applies to variant bit set
 * `only` (0: any row), or NULL. A NULL table is an empty one. */
const mr_param *mr_param_find(const mr_param *table, const char *key, unsigned only);

/* ---- Checks a kind makes across its keys ---------------------------------
 * After binding a kind's keys, the binder calls the kind's check (mr_model
 * .check) with one of these, so a kind can refuse a combination of values
 * (or fill a default that depends on others) and say where, without
 * knowing files or marks: error() reports at the key's place in the file
 * (the section's own place when the key was not written), record() notes a
 * value it filled in, as the binder notes every resolved default, warn()
 * says something accepted but deprecated, at the key's place (on stderr:
 * it fails nothing; NULL where the caller takes no warnings). */
typedef struct mr_param_ctx mr_param_ctx;
struct mr_param_ctx {
    void (*error)(mr_param_ctx *ctx, const char *key, const char *message);
    void (*record)(mr_param_ctx *ctx, const char *key, const char *text);
    int (*written)(mr_param_ctx *ctx, const char *key); /* 1: the file states the key */
    void (*warn)(mr_param_ctx *ctx, const char *key, const char *message);
    const char *path; /* of the section in the file: "datastores[1]" */
    void *binder;     /* the binder's own, opaque */
};

#endif
