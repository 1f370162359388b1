/* sim/param.c: look-up in key tables (include/mrsim/param.h). Binding
 * values through them is the scenario binder's work (sim/config/bind.c);
 * the kernel only finds rows. */
#include <string.h>

#include "mrsim/param.h"

const mr_param *mr_param_find(const mr_param *table, const char *key, unsigned only)
{
    for (const mr_param *p = table; p && p->key; p++)
        if (strcmp(p->key, key) == 0 && (p->only == 0 || only == 0 || (p->only & only)))
            return p;
    return NULL;
}
