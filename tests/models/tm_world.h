/* tests/models/tm_world.h: the small world several per-kind tests build by
 * hand (no scenario, no builder): two regions, an active cluster in each
 * (50 pods of 40 requests/s, 10 ms of service), Traffic Manager in priority
 * mode over them, one SLO collector, a pool of four resolvers, one client
 * population and a fault injector whose first fault is a whole outage of
 * region weu (a second one of neu on request). Shared by
 * test_traffic_manager.c, test_resolver.c, test_clients.c and
 * test_front_door.c (which uses add() only); header-only, each test file is
 * its own program. The component ids are the enum below, in the order
 * world() adds them. */
#ifndef MRSIM_TESTS_MODELS_TM_WORLD_H
#define MRSIM_TESTS_MODELS_TM_WORLD_H

#include <criterion/criterion.h>
#include <string.h>

#include "clients.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/error.h"

enum { WEU, NEU, AKS_WEU, AKS_NEU, TM, SLO, RES, CLIENTS, FAULTS };

typedef struct world_opts {
    int64_t tolerated;
    mr_time interval, timeout, ttl;
    mr_time fault_at, fault_for; /* region 0 */
    mr_time fault2_at;           /* region 1, or -1 */
    int64_t npol;
    mr_ttl_policy pol[2];
    double rate;
    int64_t attempts;
    mr_time backoff;
    int64_t runtime_cache;
    int64_t processes; /* per resolver, with a runtime cache (0: one) */
    int64_t profile;
    double peak, trough;
} world_opts;

static inline void add(mr_sim *sim, const char *kind, const char *name, const void *cfg)
{
    mr_diag *d = mr_diag_new();
    int rc = mr_sim_add(sim, mr_model_find(kind), name, cfg, d, NULL);
    cr_assert_eq(rc, MR_OK, "%s: %s", name, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
}

static inline mr_sim *world(const world_opts *o, uint64_t rep, mr_time horizon)
{
    mr_sim *sim = mr_sim_new(3, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = FAULTS};
    add(sim, "region", "weu", &region);
    region.index = 1;
    add(sim, "region", "neu", &region);
    mr_cluster_cfg cl = {.region = WEU, .faults = FAULTS, .pods = 50, .rps_per_pod = 40, .ingress = -1};
    mr_dist_const(&cl.service_time, 10e6);
    add(sim, "cluster", "aks-weu", &cl);
    cl.region = NEU;
    add(sim, "cluster", "aks-neu", &cl);
    mr_tm_cfg tm = {.base = {.n = 2, .cluster = {AKS_WEU, AKS_NEU}, .priority = {1, 2},
                             .weight = {1, 1}, .watcher = -1, .faults = FAULTS},
                    .routing = MR_ROUTING_PRIORITY, .interval = o->interval, .timeout = o->timeout,
                    .tolerated = o->tolerated, .ttl = o->ttl};
    add(sim, "traffic_manager", "tm", &tm);
    mr_slo_cfg slo = {.window = 5 * MR_S, .horizon = horizon, .stable_for = 60 * MR_S,
                      .success_target = 0.99, .resolvers = 4};
    add(sim, "slo", "slo", &slo);
    mr_resolver_cfg res = {.tm = TM, .count = 4, .faults = -1, .npol = o->npol};
    memcpy(res.pol, o->pol, sizeof o->pol);
    add(sim, "resolver", "isp", &res);
    mr_clients_cfg cli = {.resolver = RES, .slo = SLO, .faults = FAULTS, .rate = o->rate, .timeout = 2 * MR_S,
                          .attempts = o->attempts, .rtt = {MR_MS, 10 * MR_MS},
                          .runtime_cache = o->runtime_cache, .processes = o->processes,
                          .profile = o->profile,
                          .peak = o->peak, .trough = o->trough, .peak_at = 13 * MR_H};
    mr_dist_const(&cli.backoff, (double)o->backoff);
    add(sim, "clients", "users", &cli);
    mr_faults_cfg f = {.slo = SLO, .n = o->fault2_at >= 0 ? 2 : 1};
    f.f[0] = (mr_fault_cfg){.ncand = 1, .cand = {WEU}, .pick = 1, .severity = 1, .timing = MR_FT_AT};
    mr_dist_const(&f.f[0].at, (double)o->fault_at);
    mr_dist_const(&f.f[0].duration, (double)o->fault_for);
    if (o->fault2_at >= 0) {
        f.f[1] = (mr_fault_cfg){.ncand = 1, .cand = {NEU}, .pick = 1, .severity = 1, .timing = MR_FT_AT};
        mr_dist_const(&f.f[1].at, (double)o->fault2_at);
        mr_dist_const(&f.f[1].duration, (double)o->fault_for);
    }
    add(sim, "faults", "faults", &f);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    return sim;
}

static inline world_opts defaults(void)
{
    return (world_opts){.tolerated = 3, .interval = 30 * MR_S, .timeout = 10 * MR_S,
                        .ttl = 30 * MR_S, .fault_at = 300 * MR_S, .fault_for = 10 * MR_H,
                        .fault2_at = -1, .rate = 0, .attempts = 1};
}

#endif
