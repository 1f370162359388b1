/* tests/unit/test_report.c: the end-of-run report (sim/report.c): entries
 * remember the component whose report slot added them, histograms and
 * records are copies that outlive what they were made from, and a copied
 * histogram is the same bits as its original. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"
#include "mrsim/stats.h"
#include "run/build.h"

/* A component that reports one scalar "n" = 1 + its id, under a name that
 * is not its own, and a store record with one failover. */
static void teller_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)self;
    mr_sim_unhandled(sim, ev);
}

static void teller_report(const mr_component *self, mr_report *out)
{
    mr_report_scalar(out, "elsewhere", "n", 1.0 + self->id);
    mr_hist h;
    mr_hist_init(&h);
    mr_hist_add(&h, 10.0 * (1 + self->id));
    mr_failover_record fo = {.fault = self->id, .lost = 3, .rpo_s = 1.5, .at_s = 60};
    mr_report_store(out, &(mr_store_record){.reads = 7 + self->id, .stale_reads = 2,
                                            .staleness_ms = &h, .nfailovers = 1,
                                            .failovers = &fo});
    mr_hist_fini(&h); /* the report holds its own copy */
}

static const mr_model teller = {
    .kind = "teller",
    .summary = "test component that reports",
    .handle = teller_handle,
    .report = teller_report,
};

Test(report, entries_remember_the_component_that_added_them)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_add(sim, &teller, "a", NULL, d, NULL), MR_OK);
    cr_assert_eq(mr_sim_add(sim, &teller, "b", NULL, d, NULL), MR_OK);
    mr_diag_free(d);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    mr_report_scalar(r, "", "after", 5); /* outside any slot */
    cr_assert_eq(mr_report_find_from(r, 0, "n"), 1.0);
    cr_assert_eq(mr_report_find_from(r, 1, "n"), 2.0);
    cr_assert(isnan(mr_report_find_from(r, 2, "n")));
    cr_assert_eq(mr_report_find_from(r, MR_REPORT_NO_SOURCE, "after"), 5.0);
    /* Names are still found as given. */
    cr_assert_eq(mr_report_find(r, "elsewhere", "n"), 1.0);
    const mr_store_record *s = mr_report_find_store(r, 1);
    cr_assert_not_null(s);
    cr_assert_eq(s->reads, 8);
    cr_assert_eq(s->stale_reads, 2);
    cr_assert_eq(s->nfailovers, 1);
    cr_assert_eq(s->failovers[0].fault, 1);
    cr_assert_eq(s->failovers[0].lost, 3);
    cr_assert_eq(mr_hist_quantile(s->staleness_ms, 0.5), 20.0);
    cr_assert_null(mr_report_find_store(r, 2));
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(report, a_histogram_is_copied_bit_for_bit)
{
    mr_hist h;
    mr_hist_init(&h);
    for (int i = 0; i < 2000; i++) /* past the exact samples: buckets only */
        mr_hist_add(&h, 0.001 * i * i);
    mr_report *r = mr_report_new();
    mr_report_hist(r, "", "latency_ms", &h);
    const mr_hist *c = mr_report_find_hist(r, "", "latency_ms");
    cr_assert_not_null(c);
    cr_assert_null(mr_report_find_hist(r, "", "other"));
    cr_assert_eq(c->n, h.n);
    cr_assert(memcmp(&c->sum, &h.sum, sizeof h.sum) == 0);
    cr_assert(memcmp(&c->sumsq, &h.sumsq, sizeof h.sumsq) == 0);
    for (double q = 0; q <= 1; q += 0.125) {
        double a = mr_hist_quantile(&h, q), b = mr_hist_quantile(c, q);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "quantile %g", q);
    }
    mr_hist_fini(&h);
    mr_report_free(r);
}

Test(report, records_are_copies_kept_in_order)
{
    mr_report *r = mr_report_new();
    size_t n = 99;
    cr_assert_null(mr_report_episodes(r, &n));
    cr_assert_eq(n, 0);
    cr_assert_null(mr_report_find_windows(r));
    for (uint32_t k = 0; k < 20; k++) {
        mr_episode_record e = {.fault = k, .start_s = k, .end_s = NAN, .rto_s = 2.0 * k,
                               .censored = k == 19, .downtime_s = 10};
        mr_report_episode(r, &e);
    }
    uint64_t total[3] = {5, 0, 7}, ok[3] = {5, 0, 1};
    mr_report_windows(r, &(mr_windows_record){.width = 10 * MR_S, .n = 3, .total = total,
                                               .ok = ok});
    total[2] = 0; /* the report kept its own */
    const mr_episode_record *ep = mr_report_episodes(r, &n);
    cr_assert_eq(n, 20);
    for (uint32_t k = 0; k < 20; k++) {
        cr_assert_eq(ep[k].fault, k);
        cr_assert_eq(ep[k].rto_s, 2.0 * k);
        cr_assert_eq(ep[k].censored, k == 19);
    }
    const mr_windows_record *w = mr_report_find_windows(r);
    cr_assert_not_null(w);
    cr_assert_eq(w->width, 10 * MR_S);
    cr_assert_eq(w->n, 3);
    cr_assert_eq(w->total[2], 7);
    cr_assert_eq(w->ok[2], 1);
    cr_assert_eq(w->nsparse, 0);
    cr_assert_null(w->sparse_w);
    mr_report_free(r);
}

/* The ids the builder hands out for a scenario's populations and data
 * stores are those of the components it built for them, so what they
 * report is found by id (sim/run/metrics.c). */
Test(report, the_builders_ids_are_its_populations_and_stores, .timeout = 60)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/active-active-fd.yaml", MRSIM_SOURCE_DIR);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    mr_sim *sim = NULL;
    cr_assert_eq(mr_build(sc, 1, 0, &sim, d), MR_OK);
    cr_assert_gt(sc->nclients, 1);
    cr_assert_gt(sc->ndatastores, 0);
    char want[192];
    for (size_t p = 0; p < sc->nclients; p++) {
        snprintf(want, sizeof want, "clients/%s", sc->clients[p].name);
        const mr_component *c = mr_sim_component(sim, mr_build_population_id(sc, p));
        cr_assert_str_eq(c->name, want);
    }
    for (size_t k = 0; k < sc->ndatastores; k++) {
        snprintf(want, sizeof want, "data/%s", sc->datastores[k].name);
        const mr_component *c = mr_sim_component(sim, mr_build_store_id(sc, k));
        cr_assert_str_eq(c->name, want);
    }
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_diag_free(d);
}
