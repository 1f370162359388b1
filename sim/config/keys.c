/* sim/config/keys.c: the registry of every key table of the scenario
 * format, section by section (mr__sections): what `mrsim validate --keys`
 * prints and docs/scenario-format.md mirrors. The tables themselves live
 * beside the code that binds them. */
#include "config/bind.h"

static const char *const mode_variants[] = {"honor", "floor", "extra", NULL};

const mr__section mr__sections[] = {
    {"(top level)", mr__root_keys, NULL},
    {"run", mr__run_keys, NULL},
    {"run.replications (map form)", mr__adaptive_keys, NULL},
    {"run.replications.until", mr__until_keys, NULL},
    {"regions[]", mr__region_keys, NULL},
    {"rtt", mr__rtt_keys, NULL},
    {"dependencies[]", mr__dependency_keys, NULL},
    {"clusters[]", mr__cluster_keys, NULL},
    {"clusters[].nodes", mr__nodes_keys, NULL},
    {"clusters[].pods", mr__pods_keys, NULL},
    {"clusters[].autoscaler", mr__autoscaler_keys, NULL},
    {"clusters[].cold", mr__cold_keys, NULL},
    {"clusters[].ingress", mr__ingress_keys, NULL},
    {"traffic", mr__traffic_keys, NULL},
    {"traffic.endpoints[] / traffic.origins[]", mr__endpoint_keys, NULL},
    {"resolvers[]", mr__resolver_keys, NULL},
    {"resolvers[].ttl_policy[]", mr__policy_keys, mode_variants},
    {"clients[]", mr__client_keys, NULL},
    {"clients[].profile (map form)", mr__profile_keys, NULL},
    {"clients[].mix", mr__mix_keys, NULL},
    {"clients[].retry", mr__retry_keys, NULL},
    {"datastores[]", mr__store_keys, NULL},
    {"datastores[].replicas[]", mr__replica_keys, NULL},
    {"faults[]", mr__fault_keys, NULL},
    {"faults[].target (selector form)", mr__target_keys, NULL},
    {"faults[].repeat", mr__repeat_keys, NULL},
    {"faults[].ramp", mr__ramp_keys, NULL},
    {"faults[].expect", mr__expect_keys, NULL},
    {"failover", mr__failover_keys, NULL},
    {"failover.actions[]", mr__action_keys, NULL},
    {"failover.failback", mr__failback_keys, NULL},
    {"failover.runbook", mr__runbook_keys, NULL},
    {"slo", mr__slo_keys, NULL},
    {"slo.targets / slo.steady_state", mr__slo_target_keys, NULL},
    {"cost", mr__cost_keys, NULL},
    {"stamps[]", mr__stamp_keys, NULL},
    {"analyze", mr__analyze_keys, NULL},
    {"variants[]", mr__variant_keys, NULL},
    {"recommend", mr__recommend_keys, NULL},
    {"recommend.space (map form of a key)", mr__rec_key_keys, NULL},
    {NULL, NULL, NULL}};

