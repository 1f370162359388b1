/* tests/models/test_traffic_manager.c: the traffic_manager kind (rule 1)
 * on its own:
 * - in the hand-built world of tm_world.h, where every probe is traced: an
 *   endpoint turns Degraded exactly when the (k+1)-th consecutive failing
 *   probe times out, for k tolerated failures; with every endpoint
 *   Degraded it fails open (answers as if all were Online); it is Online
 *   again at the first successful probe;
 * - its keys: the defaults bind (docs/reference.md §1), the probe timeout
 *   defaulting to the most the interval allows; what its check refuses (an
 *   interval other than 10 s or 30 s, a timeout beyond it, a quorum beyond
 *   the locations, more locations than simulated) is located at the key.
 * Its detection against the closed form is
 * tests/validation/test_failover_tm.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "kind_checks.h"
#include "tm_world.h"

typedef struct probe_log {
    mr_time sent[64];
    size_t n;
} probe_log;

static void log_probes(void *ctx, const mr_sim *sim, const mr_component *c, const mr_event *ev)
{
    (void)sim;
    probe_log *log = ctx;
    uint32_t e;
    memcpy(&e, ev->payload.bytes, sizeof e);
    char buf[32];
    if (c->id == TM && e == 0 && strcmp(mr_event_kind_name(c, ev->kind, buf, sizeof buf), "probe") == 0 &&
        log->n < 64)
        log->sent[log->n++] = ev->time;
}

static void check_threshold(int64_t tolerated, uint64_t rep)
{
    world_opts o = defaults();
    o.tolerated = tolerated;
    mr_sim *sim = world(&o, rep, 900 * MR_S);
    probe_log log = {.n = 0};
    mr_sim_set_trace(sim, log_probes, &log);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    size_t first = 0;
    while (first < log.n && log.sent[first] < o.fault_at)
        first++;
    cr_assert_lt(first + (size_t)tolerated, log.n);
    cr_assert(tm->degraded[0]);
    /* Degraded when the (k+1)-th failing probe's timeout expires. */
    cr_assert_eq(tm->changed_at[0], log.sent[first + (size_t)tolerated] + o.timeout,
                 "k=%lld: degraded at %lld, probe %zu sent at %lld", (long long)tolerated,
                 (long long)tm->changed_at[0], first + (size_t)tolerated,
                 (long long)log.sent[first + (size_t)tolerated]);
    cr_assert_eq(log.sent[first + 1] - log.sent[first], o.interval, "periodic probes");
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_NEU);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(traffic_manager, degraded_exactly_at_the_k_plus_first_failure)
{
    for (uint64_t rep = 0; rep < 5; rep++) {
        check_threshold(3, rep);
        check_threshold(0, rep);
        check_threshold(9, rep);
    }
}

Test(traffic_manager, fails_open_when_every_endpoint_is_degraded)
{
    world_opts o = defaults();
    o.fault2_at = 300 * MR_S;
    mr_sim *sim = world(&o, 0, 900 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    cr_assert(tm->degraded[0] && tm->degraded[1]);
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_WEU,
                 "all Degraded: answers as if all were Online, so priority 1");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(traffic_manager, online_again_at_the_first_successful_probe)
{
    world_opts o = defaults();
    o.fault_for = 200 * MR_S; /* back at 500 s */
    mr_sim *sim = world(&o, 1, 900 * MR_S);
    probe_log log = {.n = 0};
    mr_sim_set_trace(sim, log_probes, &log);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const mr_tm_state *tm = mr_sim_component(sim, TM)->state;
    size_t back = 0;
    while (back < log.n && log.sent[back] < 500 * MR_S)
        back++;
    cr_assert(!tm->degraded[0]);
    cr_assert_eq(tm->changed_at[0], log.sent[back], "Online at the first probe after repair");
    cr_assert_eq(tm->changes, 2);
    cr_assert_eq(mr__tm_answer(mr_sim_component(sim, TM), NULL, -1), AKS_WEU);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

/* ---- its keys ---------------------------------------------------------------- */

#define TM_HEAD                                                                                    \
    "version: mrsim/v1\n"                                                                          \
    "regions: [{name: a}, {name: b}]\n"                                                            \
    "clusters: [{name: ca, region: a}, {name: cb, region: b, role: standby}]\n"                    \
    "clients: [{name: u, origin: a}]\n"                                                            \
    "traffic:\n"                                                                                   \
    "  kind: traffic_manager\n"
/* Line 7 is the first after TM_HEAD. */

Test(traffic_manager, its_defaults_bind_and_the_probe_timeout_follows_the_interval)
{
    mr_scenario *sc = tsr_load(TM_HEAD, NULL, 0);
    static const char *const want[][2] = {
        {"traffic.kind", "traffic_manager"},
        {"traffic.routing", "priority"},
        {"traffic.ttl", "30s"},
        {"traffic.probe.interval", "30s"},
        {"traffic.probe.timeout", "10s"},
        {"traffic.probe.tolerated_failures", "3"},
        {"traffic.probe.locations", "1"},
        {"traffic.probe.quorum", "1"},
        {"traffic.endpoints[0].cluster", "ca"},
        {"traffic.endpoints[0].priority", "1"},
        {"traffic.endpoints[1].cluster", "cb"},
        {"traffic.endpoints[1].priority", "2"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = mr_scenario_value(sc, want[i][0]);
        cr_assert_not_null(v, "%s", want[i][0]);
        cr_expect_str_eq(v, want[i][1], "%s", want[i][0]);
    }
    const mr_tm_cfg *cfg = sc->traffic.cfg;
    cr_expect_eq(cfg->interval, 30 * MR_S);
    cr_expect_eq(cfg->timeout, 10 * MR_S);
    cr_expect_eq(cfg->tolerated, 3);
    mr_model_sla sla;
    sc->traffic.model->sla(cfg, &sla);
    cr_expect_float_eq(sla.availability, 0.9999, 1e-15, "docs/reference.md §1");
    mr_scenario_free(sc);

    sc = tsr_load(TM_HEAD "  probe: {interval: 10s}\n", NULL, 0);
    cr_expect_str_eq(mr_scenario_value(sc, "traffic.probe.timeout"), "9s",
                     "the most a 10 s interval allows");
    cr_expect_eq(((const mr_tm_cfg *)sc->traffic.cfg)->timeout, 9 * MR_S);
    mr_scenario_free(sc);
}

Test(traffic_manager, what_its_check_refuses_is_located_at_the_key)
{
    kc_refused_with(TM_HEAD "  probe: {interval: 20s}\n",
                    "FILE:7:21: error: traffic.probe.interval: Traffic Manager probes every 30s "
                    "or 10s only (docs/reference.md §1), found 20s");
    kc_refused_with(TM_HEAD "  probe: {interval: 10s, timeout: 10s}\n",
                    "FILE:7:35: error: traffic.probe.timeout: 10s is out of range [5s, 9s] with a "
                    "10s probe interval (docs/reference.md §1)");
    kc_refused_with(TM_HEAD "  probe: {locations: 2, quorum: 3}\n",
                    "FILE:7:33: error: traffic.probe.quorum: 3 is more than locations (2)");
    kc_refused_with(TM_HEAD "  probe: {locations: 17}\n",
                    "FILE:7:22: error: traffic.probe.locations: more than 16 Traffic Manager probe "
                    "locations is not simulated by this version of mrsim yet");
}
