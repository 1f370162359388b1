/* models/dep_monitoring.c: a shared dependency of kind "monitoring": central
 * monitoring: agents ship to it.
 * Its behaviour is the family's (dependency.c); this file is the kind:
 * its SLA for the composite availability. */
#include "cluster.h"

static const mr_param dep_monitoring_params[] = {MR_PARAM_END};

static void dep_monitoring_sla(const void *cfg, mr_model_sla *out)
{
    (void)cfg;
    *out = (mr_model_sla){.availability = 1.0,
                          .what = "monitoring",
                          .source = "no docs/reference.md figure: 100% unless set"};
}

const mr_model mr_model_dep_monitoring = {
    .kind = "monitoring",
    .family = "dependency",
    .summary =
        "shared dependency: central monitoring: agents ship to it",
    .params = dep_monitoring_params,
    .cfg_size = sizeof(mr_dep_cfg),
    .state_size = sizeof(mr_dep_state),
    .link = mr__dep_link,
    .handle = mr__dep_handle,
    .report = mr__dep_report,
    .status = mr__dep_status,
    .sla = dep_monitoring_sla,
};
