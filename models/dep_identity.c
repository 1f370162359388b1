/* models/dep_identity.c: a shared dependency of kind "identity": an identity
 * provider (Entra ID): every sign-in and token check needs it.
 * Its behaviour is the family's (dependency.c); this file is the kind:
 * its SLA for the composite availability. */
#include "cluster.h"

static const mr_param dep_identity_params[] = {MR_PARAM_END};

static void dep_identity_sla(const void *cfg, mr_model_sla *out)
{
    (void)cfg;
    *out = (mr_model_sla){.availability = 0.9999,
                          .what = "identity",
                          .source = "docs/reference.md §11 mission-critical example (Azure AD 99.99%)"};
}

const mr_model mr_model_dep_identity = {
    .kind = "identity",
    .family = "dependency",
    .summary =
        "shared dependency: an identity provider (Entra ID): every sign-in and token check needs it",
    .params = dep_identity_params,
    .cfg_size = sizeof(mr_dep_cfg),
    .state_size = sizeof(mr_dep_state),
    .link = mr__dep_link,
    .handle = mr__dep_handle,
    .report = mr__dep_report,
    .status = mr__dep_status,
    .sla = dep_identity_sla,
};
