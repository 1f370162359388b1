/* tests/models/test_phold.c: the phold kind (models/phold.c), the kernel's
 * benchmark model, built by hand: LPs sending each event on to an LP drawn
 * uniformly, after an exponential delay.
 * - for a seed, the number of events and the hash of their times are the
 *   same run after run, and another seed gives another hash: the whole
 *   event sequence is a function of the seed;
 * - the events in flight stay what the LPs started with, and the LPs
 *   receive about equal shares;
 * - stop_after ends the run at exactly that many events;
 * - the report gives each LP's events; an LP range beyond the components
 *   is refused at link. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"
#include "phold.h"

enum { LPS = 16, INITIAL = 4 };

typedef struct outcome {
    uint64_t events;
    uint64_t received[LPS];
    uint64_t hash; /* the LPs' hashes folded in order */
} outcome;

/* LPS LPs, INITIAL events each, mean delay 1 s, run to horizon (or
 * stop_after events). */
static mr_sim *phold(uint64_t seed, mr_time horizon, int64_t stop_after)
{
    mr_sim *sim = mr_sim_new(seed, 0);
    const mr_model *m = mr_model_find("phold");
    cr_assert_not_null(m);
    mr_phold_cfg cfg = {.lps = LPS, .first = 0, .initial = INITIAL, .mean = MR_S,
                        .stop_after = stop_after};
    for (int i = 0; i < LPS; i++) {
        char name[16];
        snprintf(name, sizeof name, "lp%d", i);
        cr_assert_eq(mr_sim_add(sim, m, name, &cfg, NULL, NULL), MR_OK);
    }
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    cr_assert_eq(mr_sim_set_horizon(sim, horizon), MR_OK);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    return sim;
}

static outcome outcome_of(const mr_sim *sim)
{
    outcome o = {.events = mr_sim_events(sim), .hash = 0};
    for (uint32_t i = 0; i < LPS; i++) {
        const mr_phold_state *st = mr_sim_component(sim, i)->state;
        o.received[i] = st->received;
        o.hash = (o.hash ^ st->hash) * 0x100000001b3ULL;
    }
    return o;
}

static outcome run(uint64_t seed)
{
    mr_sim *sim = phold(seed, 1000 * MR_S, 0);
    outcome o = outcome_of(sim);
    cr_assert_eq(mr_sim_pending(sim), (size_t)(LPS * INITIAL),
                 "every event handled sent one on");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    return o;
}

Test(phold, the_event_count_and_hash_are_the_same_for_a_seed)
{
    outcome a = run(7), b = run(7), c = run(8);
    cr_assert_gt(a.events, 0);
    cr_assert_eq(a.events, b.events);
    cr_assert_eq(a.hash, b.hash, "same seed, same sequence of event times");
    cr_assert_eq(memcmp(a.received, b.received, sizeof a.received), 0);
    cr_assert_neq(a.hash, c.hash, "another seed, another sequence");
    uint64_t sum = 0;
    for (int i = 0; i < LPS; i++)
        sum += a.received[i];
    cr_assert_eq(sum, a.events, "every event was handled by an LP");
}

Test(phold, the_lps_share_the_events_about_equally)
{
    /* 64 events in flight, each hop 1 s on average: about 64,000 events in
     * 1000 s, 4,000 an LP (a Poisson-like count: sd about 63). */
    outcome o = run(3);
    cr_expect(fabs((double)o.events - 64000) < 2000, "%llu events", (unsigned long long)o.events);
    for (int i = 0; i < LPS; i++)
        cr_expect(fabs((double)o.received[i] - (double)o.events / LPS) < 400, "lp%d: %llu", i,
                  (unsigned long long)o.received[i]);
}

Test(phold, stop_after_ends_the_run_at_that_many_events)
{
    mr_sim *sim = phold(5, MR_TIME_NEVER, 5000);
    cr_assert_eq(mr_sim_events(sim), 5000);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(phold, it_reports_the_events_of_each_lp)
{
    mr_sim *sim = phold(7, 100 * MR_S, 0);
    outcome o = outcome_of(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    cr_assert_eq(mr_report_count(r), LPS);
    for (int i = 0; i < LPS; i++) {
        char name[16];
        snprintf(name, sizeof name, "lp%d", i);
        cr_expect_eq(mr_report_find(r, name, "received"), (double)o.received[i], "%s", name);
    }
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(phold, an_lp_range_beyond_the_components_is_refused_at_link)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_phold_cfg cfg = {.lps = 4, .first = 0, .initial = 1, .mean = MR_S};
    cr_assert_eq(mr_sim_add(sim, mr_model_find("phold"), "lp0", &cfg, NULL, NULL), MR_OK);
    cr_assert_eq(mr_sim_add(sim, mr_model_find("phold"), "lp1", &cfg, NULL, NULL), MR_OK);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_ENOCOMP);
    cr_assert_eq(mr_diag_count(d), 2, "each LP says so");
    cr_expect_str_eq(mr_diag_line(d, 0), "error: lp0: LPs 0..3 do not all exist");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
