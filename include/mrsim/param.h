/* include/mrsim/param.h: declarative parameter tables (ROSS's TWOPT_*).
 * A model lists its parameters once; the scenario loader binds values into
 * the model's cfg struct through the table, --help and the documentation read
 * the same table, and mr_param_defaults() fills a cfg with the defaults.
 * Defaults are typed values, not strings, so the kernel needs no parser. */
#ifndef MRSIM_PARAM_H
#define MRSIM_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "simtime.h"
#include "types.h"

typedef enum mr_param_type {
    MR_PARAM_T_END = 0,
    MR_PARAM_T_INT,      /* int64_t */
    MR_PARAM_T_DOUBLE,   /* double */
    MR_PARAM_T_DURATION, /* mr_time */
    MR_PARAM_T_BOOL,     /* bool */
} mr_param_type;

struct mr_param {
    mr_param_type type;
    const char *name;   /* key in the scenario file */
    size_t offset;      /* of the field in the cfg struct */
    const char *help;   /* one sentence; where the default comes from */
    union {
        int64_t i;
        double d;
        mr_time t;
        int b;
    } def, min, max;     /* default and inclusive range (unused for bools) */
};

#define MR_PARAM_INT(cfg, field, dflt, lo, hi, text)                                       \
    {.type = MR_PARAM_T_INT, .name = #field, .offset = offsetof(cfg, field), .help = (text), \
     .def = {.i = (dflt)}, .min = {.i = (lo)}, .max = {.i = (hi)}}
#define MR_PARAM_DOUBLE(cfg, field, dflt, lo, hi, text)                                       \
    {.type = MR_PARAM_T_DOUBLE, .name = #field, .offset = offsetof(cfg, field), .help = (text), \
     .def = {.d = (dflt)}, .min = {.d = (lo)}, .max = {.d = (hi)}}
#define MR_PARAM_DURATION(cfg, field, dflt, lo, hi, text)                                       \
    {.type = MR_PARAM_T_DURATION, .name = #field, .offset = offsetof(cfg, field), .help = (text), \
     .def = {.t = (dflt)}, .min = {.t = (lo)}, .max = {.t = (hi)}}
#define MR_PARAM_BOOL(cfg, field, dflt, text)                                               \
    {.type = MR_PARAM_T_BOOL, .name = #field, .offset = offsetof(cfg, field), .help = (text), \
     .def = {.b = (dflt)}}
#define MR_PARAM_END {.type = MR_PARAM_T_END}

/* Writes every parameter's default into cfg (whose other bytes are left as
 * they are). A NULL table is an empty one. */
void mr_param_defaults(const mr_param *table, void *cfg);

/* Checks every parameter of cfg against its range. Returns MR_OK, or
 * MR_ERANGE after adding one diagnostic per value out of range (naming the
 * component, the parameter and the range) to diag when diag is not NULL. */
int mr_param_check(const mr_param *table, const void *cfg, const char *component,
                   mr_diag *diag);

/* The entry named name, or NULL. */
const mr_param *mr_param_find(const mr_param *table, const char *name);

#endif
