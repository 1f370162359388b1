/* sim/param.c: defaults, range checks and look-up over parameter tables.
 * The scenario loader (sim/config) binds file values through the same
 * tables; this part needs no parser. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "mrsim/diag.h"
#include "mrsim/error.h"
#include "mrsim/param.h"

void mr_param_defaults(const mr_param *table, void *cfg)
{
    for (const mr_param *p = table; p && p->type != MR_PARAM_T_END; p++) {
        char *field = (char *)cfg + p->offset;
        switch (p->type) {
        case MR_PARAM_T_INT:
            memcpy(field, &p->def.i, sizeof p->def.i);
            break;
        case MR_PARAM_T_DOUBLE:
            memcpy(field, &p->def.d, sizeof p->def.d);
            break;
        case MR_PARAM_T_DURATION:
            memcpy(field, &p->def.t, sizeof p->def.t);
            break;
        case MR_PARAM_T_BOOL: {
            bool b = p->def.b != 0;
            memcpy(field, &b, sizeof b);
            break;
        }
        case MR_PARAM_T_END:
            break;
        }
    }
}

int mr_param_check(const mr_param *table, const void *cfg, const char *component,
                   mr_diag *diag)
{
    int rc = MR_OK;
    for (const mr_param *p = table; p && p->type != MR_PARAM_T_END; p++) {
        const char *field = (const char *)cfg + p->offset;
        switch (p->type) {
        case MR_PARAM_T_INT: {
            int64_t v;
            memcpy(&v, field, sizeof v);
            if (v < p->min.i || v > p->max.i) {
                rc = MR_ERANGE;
                if (diag)
                    mr_diag_error(diag, NULL,
                                  "%s: %s = %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]",
                                  component, p->name, v, p->min.i, p->max.i);
            }
            break;
        }
        case MR_PARAM_T_DOUBLE: {
            double v;
            memcpy(&v, field, sizeof v);
            if (!(v >= p->min.d && v <= p->max.d)) {
                rc = MR_ERANGE;
                if (diag)
                    mr_diag_error(diag, NULL, "%s: %s = %g is out of range [%g, %g]", component,
                                  p->name, v, p->min.d, p->max.d);
            }
            break;
        }
        case MR_PARAM_T_DURATION: {
            mr_time v;
            memcpy(&v, field, sizeof v);
            if (v < p->min.t || v > p->max.t) {
                rc = MR_ERANGE;
                if (diag)
                    mr_diag_error(diag, NULL,
                                  "%s: %s = %" PRId64 " ns is out of range [%" PRId64 ", %" PRId64
                                  "] ns",
                                  component, p->name, v, p->min.t, p->max.t);
            }
            break;
        }
        case MR_PARAM_T_BOOL:
        case MR_PARAM_T_END:
            break;
        }
    }
    return rc;
}

const mr_param *mr_param_find(const mr_param *table, const char *name)
{
    for (const mr_param *p = table; p && p->type != MR_PARAM_T_END; p++) {
        if (strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}
