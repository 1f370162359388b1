/* tests/models/test_slo.c: the SLO collector's measures for the verdicts:
 * the warm-up measured on its own (the existing metrics unchanged) and the
 * downtime of each episode, windows shared out so that none counts twice.
 * Requests are fed to the collector directly, so every count is known. */
#include <criterion/criterion.h>
#include <math.h>

#include "clients.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/error.h"
#include "mrsim/report.h"

#define W (10 * MR_S)

static mr_sim *slo_sim(mr_component **out)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_sim_set_horizon(sim, 100 * MR_S);
    mr_slo_cfg cfg = {.window = W, .warmup = 20 * MR_S, .horizon = 100 * MR_S,
                      .stable_for = 10 * MR_S, .success_target = 0.9, .resolvers = 1};
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_add(sim, mr_model_find("slo"), "slo", &cfg, d, out), MR_OK);
    mr_diag_free(d);
    return sim;
}

/* n requests first issued at t, ok of them successful after lat. */
static void requests(mr_slo_state *s, mr_time t, int n, int ok, mr_time lat)
{
    for (int i = 0; i < n; i++)
        mr__slo_request(s, t, i < ok, t + lat);
}

Test(slo_model, warm_up_is_measured_apart_and_episodes_share_out_downtime)
{
    mr_component *c = NULL;
    mr_sim *sim = slo_sim(&c);
    mr_slo_state *s = c->state;
    /* Warm-up windows 0 and 1: 10 requests each, 8 and 10 ok, 5 ms. */
    requests(s, 1 * MR_S, 10, 8, 5 * MR_MS);
    requests(s, 11 * MR_S, 10, 10, 5 * MR_MS);
    /* Measured windows 2..9: 10 requests each at 50 ms; windows 3 and 4 fail
     * (episode 0 from 30 s), window 6 fails (episode 1 from 55 s, in window
     * 5), window 8 fails too. */
    mr__slo_episode_start(s, 30 * MR_S, 0);
    mr__slo_episode_start(s, 55 * MR_S, 1);
    for (int w = 2; w < 10; w++) {
        int bad = w == 3 || w == 4 || w == 6 || w == 8;
        requests(s, (mr_time)w * W + MR_S, 10, bad ? 0 : 10, 50 * MR_MS);
    }
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    cr_assert_float_eq(mr_report_find(r, "", "warmup_availability"), 18.0 / 20.0, 1e-12);
    cr_assert_float_eq(mr_report_find(r, "", "warmup_latency_ms_p99"), 5.0, 1e-9);
    /* The measured metrics ignore the warm-up as before. */
    cr_assert_float_eq(mr_report_find(r, "", "availability"), 40.0 / 80.0, 1e-12);
    cr_assert_float_eq(mr_report_find(r, "", "latency_ms_p99"), 50.0, 1e-9);
    cr_assert_float_eq(mr_report_find(r, "", "downtime_s"), 40.0, 1e-12);
    /* Episode 0 owns windows 3 and 4 (up to window 5, where episode 1
     * starts); episode 1 owns 5..9: windows 6 and 8. */
    cr_assert_float_eq(mr_report_find(r, "episode/0", "downtime_s"), 20.0, 1e-12);
    cr_assert_float_eq(mr_report_find(r, "episode/1", "downtime_s"), 20.0, 1e-12);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(slo_model, episode_downtime_leaves_out_the_warm_up)
{
    mr_component *c = NULL;
    mr_sim *sim = slo_sim(&c);
    mr_slo_state *s = c->state;
    mr__slo_episode_start(s, 5 * MR_S, 0);
    for (int w = 0; w < 10; w++)
        requests(s, (mr_time)w * W, 10, w < 4 ? 0 : 10, MR_MS);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    /* Windows 0..3 fail; 0 and 1 are the warm-up. */
    cr_assert_float_eq(mr_report_find(r, "episode/0", "downtime_s"), 20.0, 1e-12);
    cr_assert_float_eq(mr_report_find(r, "", "warmup_availability"), 0.0, 1e-12);
    cr_assert(isnan(mr_report_find(r, "", "warmup_latency_ms_p99")), "no success in warm-up");
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
