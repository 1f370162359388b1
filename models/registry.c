/* models/registry.c: the table of component kinds, generated from
 * models/models.def. Adding a kind is one file and one line there. */
#include <string.h>

#include "mrsim/model.h"

#define MR_MODEL(name) extern const mr_model mr_model_##name;
#include "models.def"
#undef MR_MODEL

static const mr_model *const models[] = {
#define MR_MODEL(name) &mr_model_##name,
#include "models.def"
#undef MR_MODEL
};

const mr_model *mr_model_find(const char *kind)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (strcmp(models[i]->kind, kind) == 0)
            return models[i];
    }
    return NULL;
}

size_t mr_model_count(void)
{
    return sizeof models / sizeof models[0];
}

mr_kinds mr_model_registry(void)
{
    return (mr_kinds){.v = models, .n = sizeof models / sizeof models[0]};
}

const mr_model *mr_model_at(size_t i)
{
    return i < mr_model_count() ? models[i] : NULL;
}
