/* sim/config/names.c: the names of the scenario's enumerations
 * (scenario.h), generated from their X-macro lists, so the binder accepts
 * and the results print the same words. */
#include <stddef.h>

#include "config/bind.h"
#include "config/scenario.h"

#define NAME2(c, s) s,
const char *const mr_fidelity_names[] = {MR_FIDELITY_MAP(NAME2) NULL};
const char *const mr_role_names[] = {MR_ROLE_MAP(NAME2) NULL};
const char *const mr_standby_names[] = {MR_STANDBY_MAP(NAME2) NULL};
const char *const mr_needed_for_names[] = {MR_NEEDED_FOR_MAP(NAME2) NULL};
const char *const mr_ttl_mode_names[] = {MR_TTL_MODE_MAP(NAME2) NULL};
const char *const mr_runtime_cache_names[] = {MR_RUNTIME_CACHE_MAP(NAME2) NULL};
const char *const mr_profile_names[] = {MR_PROFILE_MAP(NAME2) NULL};
const char *const mr_failover_mode_names[] = {MR_FAILOVER_MODE_MAP(NAME2) NULL};
const char *const mr_select_names[] = {MR_SELECT_MAP(NAME2) NULL};
const char *const mr_timing_names[] = {MR_TIMING_MAP(NAME2) NULL};
const char *const mr_failover_trigger_names[] = {MR_FAILOVER_TRIGGER_MAP(NAME2) NULL};
const char *const mr_failback_names[] = {MR_FAILBACK_MAP(NAME2) NULL};
const char *const mr_failover_param_names[] = {MR_FAILOVER_PARAM_MAP(NAME2) NULL};
const char *const mr_aks_tier_names[] = {MR_AKS_TIER_MAP(NAME2) NULL};
const char *const mr_fd_tier_names[] = {MR_FD_TIER_MAP(NAME2) NULL};
#undef NAME2

/* Metric names of docs/cli.md's result document (bind.h): here, with no
 * dependency, so that every binder may read them. */
const char *const mr__metric_names[] = {"availability",
                                        "downtime_s",
                                        "rto_s",
                                        "client_rto_s",
                                        "rpo_s",
                                        "lost_writes",
                                        "stale_read_ratio",
                                        "staleness_ms_p99",
                                        "write_conflicts",
                                        "latency_ms_p50",
                                        "latency_ms_p99",
                                        "cost_usd_month",
                                        NULL};
