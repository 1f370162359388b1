/* include/mrsim/fault.h: the fault kinds of docs/scenario-format.md, as the fault
 * injector's messages carry them (mr_msg_fault.kind) and every output names
 * them, and the kind of thing each one aims at. One X-macro list, so the
 * scenario binder, the models, the trace and the results cannot drift. */
#ifndef MRSIM_FAULT_H
#define MRSIM_FAULT_H

/* Fault kinds of docs/scenario-format.md, with the kind of thing each one's target names. */
#define MR_FAULT_KIND_MAP(X)                                                                       \
    X(REGION_OUTAGE, "region_outage", REGION)                                                      \
    X(ZONE_OUTAGE, "zone_outage", ZONE)                                                            \
    X(CLUSTER_FAILURE, "cluster_failure", CLUSTER)                                                 \
    X(INGRESS_FAILURE, "ingress_failure", CLUSTER)                                                 \
    X(NETWORK_PARTITION, "network_partition", REGION)                                              \
    X(GRAY_FAILURE, "gray_failure", CLUSTER)                                                       \
    X(DATASTORE_FAILURE, "datastore_failure", DATASTORE)                                           \
    X(DATASTORE_FAILOVER, "datastore_failover", DATASTORE)                                         \
    X(REPLICATION_PARTITION, "replication_partition", DATASTORE)                                   \
    X(DNS_MISCONFIG, "dns_misconfig", TRAFFIC)                                                     \
    X(TRAFFIC_LAYER_OUTAGE, "traffic_layer_outage", TRAFFIC)                                       \
    X(DEPENDENCY_OUTAGE, "dependency_outage", DEPENDENCY)
/* The kinds of thing a fault can aim at. */
#define MR_TARGET_KIND_MAP(X)                                                                      \
    X(REGION, "region")                                                                            \
    X(ZONE, "zone")                                                                                \
    X(CLUSTER, "cluster")                                                                          \
    X(DATASTORE, "datastore")                                                                      \
    X(DEPENDENCY, "dependency")                                                                    \
    X(TRAFFIC, "traffic")

typedef enum mr_fault_kind {
#define X(c, s, t) MR_FAULT_##c,
    MR_FAULT_KIND_MAP(X)
#undef X
        MR_FAULT_KIND_COUNT
} mr_fault_kind;
typedef enum mr_target_kind {
#define X(c, s) MR_TARGET_##c,
    MR_TARGET_KIND_MAP(X)
#undef X
} mr_target_kind;

/* The names, indexed by value and ended by NULL. */
extern const char *const mr_fault_kind_names[];
extern const char *const mr_target_kind_names[];

/* "region_outage" for MR_FAULT_REGION_OUTAGE; "?" out of range. */
const char *mr_fault_kind_name(mr_fault_kind kind);
/* The kind of thing a fault of this kind aims at (MR_TARGET_REGION for a
 * region outage). */
mr_target_kind mr_fault_kind_target(mr_fault_kind kind);

#endif
