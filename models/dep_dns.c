/* models/dep_dns.c: a shared dependency of kind "dns": a DNS service the
 * clusters resolve through (Azure DNS, private zones).
 * Its behaviour is the family's (dependency.c); this file is the kind:
 * its SLA for the composite availability. */
#include "cluster.h"

static const mr_param dep_dns_params[] = {MR_PARAM_END};

static void dep_dns_sla(const void *cfg, mr_model_sla *out)
{
    (void)cfg;
    *out = (mr_model_sla){.availability = 1.0,
                          .what = "dns",
                          .source = "docs/reference.md §3 SLA (100%)"};
}

const mr_model mr_model_dep_dns = {
    .kind = "dns",
    .family = "dependency",
    .summary =
        "shared dependency: a DNS service the clusters resolve through (Azure DNS, private zones)",
    .params = dep_dns_params,
    .cfg_size = sizeof(mr_dep_cfg),
    .state_size = sizeof(mr_dep_state),
    .link = mr__dep_link,
    .handle = mr__dep_handle,
    .report = mr__dep_report,
    .status = mr__dep_status,
    .sla = dep_dns_sla,
};
