/* models/ingress_nginx.c: a regional ingress of kind "nginx": NGINX ingress controller,
 * an ingress controller running in the cluster. Its behaviour is the family's (ingress.c); this file is the kind:
 * its keys with their defaults, and its SLA. */
#include <stddef.h>

#include "cluster.h"

static const mr_param ingress_nginx_params[] = {
    /* Ours: docs/reference.md has no figure for the latency an ingress adds. */
    {.key = "latency",
     .type = MR_PARAM_T_DURATION,
     .off = offsetof(mr_ingress_cfg, latency),
     .def = "2ms",
     .lo = 0,
     .hi = 10 * (double)MR_S,
     .doc = "latency the ingress adds",
     .ref = "ours (no docs/reference.md figure)"},
    MR_PARAM_END,
};

static void ingress_nginx_sla(const void *cfg, mr_model_sla *out)
{
    (void)cfg;
    *out = (mr_model_sla){.availability = 1,
                          .what = "nginx",
                          .source = "no docs/reference.md figure: 100% unless set"};
}

const mr_model mr_model_ingress_nginx = {
    .kind = "nginx",
    .family = "ingress",
    .summary = "regional ingress: NGINX ingress controller",
    .params = ingress_nginx_params,
    .cfg_size = sizeof(mr_ingress_cfg),
    .state_size = sizeof(mr_ingress_state),
    .link = mr__ingress_link,
    .handle = mr__ingress_handle,
    .report = mr__ingress_report,
    .sla = ingress_nginx_sla,
};
