/* models/dep_registry.c: a shared dependency of kind "registry": a container
 * registry: new pods pull their images from it.
 * Its behaviour is the family's (dependency.c); this file is the kind:
 * its SLA for the composite availability. */
#include "cluster.h"

static const mr_param dep_registry_params[] = {MR_PARAM_END};

static void dep_registry_sla(const void *cfg, mr_model_sla *out)
{
    (void)cfg;
    *out = (mr_model_sla){.availability = 1.0,
                          .what = "registry",
                          .source = "no docs/reference.md figure: 100% unless set"};
}

const mr_model mr_model_dep_registry = {
    .kind = "registry",
    .family = "dependency",
    .summary =
        "shared dependency: a container registry: new pods pull their images from it",
    .params = dep_registry_params,
    .cfg_size = sizeof(mr_dep_cfg),
    .state_size = sizeof(mr_dep_state),
    .link = mr__dep_link,
    .handle = mr__dep_handle,
    .report = mr__dep_report,
    .status = mr__dep_status,
    .sla = dep_registry_sla,
};
