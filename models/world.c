/* models/world.c: helpers shared by the models of world.h. */
#include <string.h>

#include "mrsim/error.h"
#include "world.h"

mr_component *mr__world_expect(mr_sim *sim, const mr_component *self, int64_t id,
                               const char *kind, const char *role, mr_diag *diag)
{
    mr_component *c = id >= 0 && id <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)id) : NULL;
    if (c == NULL || strcmp(c->model->kind, kind) != 0) {
        mr_diag_error(diag, NULL, "%s: its %s (component %lld) is not a %s", self->name, role,
                      (long long)id, kind);
        return NULL;
    }
    return c;
}
