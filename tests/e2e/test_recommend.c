/* tests/e2e/test_recommend.c: `mrsim recommend` (sim/run/recommend.c,
 * sim/cli/cmd_recommend.c; docs/recommend.md): the statistics on their
 * closed forms, the space's enumeration under when:, a space whose answer
 * is known in closed form, an infeasible space, the efficiency against
 * exhaustive evaluation, --budget and --jobs. Every run is at aggregate
 * fidelity over 20 simulated minutes: the whole file takes seconds. */
#include <math.h>

#include "e2e.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/recommend.h"

#define FIX MRSIM_SOURCE_DIR "/tests/fixtures/run/"

static void search(const char *file, const char *const *sets, size_t nsets, uint64_t budget,
                   mr_rec_result *r)
{
    mr_diag *d = mr_diag_new();
    mr_rec_opts o = {.jobs = 2,
                     .budget_reps = budget,
                     .sets = sets,
                     .nsets = nsets,
                     .kinds = mr_model_registry()};
    int rc = mr_rec_search(file, &o, r, d);
    if (rc != MR_OK)
        mr_diag_print(d, stderr);
    cr_assert_eq(rc, MR_OK, "mr_rec_search failed: %d", rc);
    mr_diag_free(d);
}

static char *label(const mr_rec_result *r, size_t i)
{
    cr_assert_neq(i, SIZE_MAX, "no such option");
    return mr_rec_label(&r->cands[i]);
}

/* With k of n replications meeting a .pQ bound, the one-sided
 * Clopper-Pearson lower bound at level alpha is alpha^(1/n) when k = n:
 * 0.05^(1/59) = 0.95051 >= 0.95 (met), 0.05^(1/58) = 0.94966 < 0.95 (still
 * open); so 59 replications, ceil(ln 0.05 / ln 0.95) = ceil(58.40), are
 * needed. With k = 0 of 8 the upper bound is 1 - alpha^(1/8) = 0.3123 <
 * 0.95: missed. */
Test(recommend, clopper_pearson_bounds_on_their_closed_form)
{
    mr_sc_rec_objective ob = {.metric = MR_METRIC_RTO_S, .quantile = 0.95, .limit = 300};
    double rows[60 * MR_METRIC_COUNT];
    for (size_t i = 0; i < 60 * MR_METRIC_COUNT; i++)
        rows[i] = NAN;
    for (size_t i = 0; i < 60; i++)
        rows[i * MR_METRIC_COUNT + MR_METRIC_RTO_S] = 100;
    mr_rec_verdict v;
    mr_rec_judge(&ob, rows, 59, 0.05, &v);
    cr_expect_float_eq(v.lo, pow(0.05, 1.0 / 59), 1e-9);
    cr_expect_eq(v.verdict, 1);
    mr_rec_judge(&ob, rows, 58, 0.05, &v);
    cr_expect_float_eq(v.lo, pow(0.05, 1.0 / 58), 1e-9);
    cr_expect_eq(v.verdict, 0);
    for (size_t i = 0; i < 8; i++)
        rows[i * MR_METRIC_COUNT + MR_METRIC_RTO_S] = 400;
    mr_rec_judge(&ob, rows, 8, 0.05, &v);
    cr_expect_float_eq(v.hi, 1 - pow(0.05, 1.0 / 8), 1e-9);
    cr_expect_eq(v.verdict, -1);
    mr_sc_recommend rec = {.objectives = &ob, .nobjectives = 1};
    cr_expect_eq(mr_rec_n_needed(&rec, 0.05, 30), 59);
    cr_expect_eq(mr_rec_n_needed(&rec, 0.05, 80), 80);
}

/* A mean bound: values 1, 2, 3 have mean 2 and sd 1; the one-sided upper
 * bound at 0.05 is 2 + t(0.95, 2) / sqrt(3) = 2 + 2.919986 / 1.732051 =
 * 3.685859 and the lower 0.314141: "<= 4" is met (3.69 <= 4), "<= 3" and
 * "<= 1.5" open (the bounds straddle them), "<= 0.2" missed (0.314 > 0.2),
 * ">= 0.2" met. */
Test(recommend, t_bounds_on_the_mean)
{
    double rows[3 * MR_METRIC_COUNT];
    for (size_t i = 0; i < 3 * MR_METRIC_COUNT; i++)
        rows[i] = NAN;
    for (size_t i = 0; i < 3; i++)
        rows[i * MR_METRIC_COUNT + MR_METRIC_RPO_S] = (double)(i + 1);
    mr_sc_rec_objective ob = {.metric = MR_METRIC_RPO_S, .limit = 4};
    mr_rec_verdict v;
    mr_rec_judge(&ob, rows, 3, 0.05, &v);
    cr_expect_float_eq(v.hi, 2 + 2.919986 / sqrt(3.0), 1e-5);
    cr_expect_float_eq(v.lo, 2 - 2.919986 / sqrt(3.0), 1e-5);
    cr_expect_eq(v.verdict, 1);
    ob.limit = 3;
    mr_rec_judge(&ob, rows, 3, 0.05, &v);
    cr_expect_eq(v.verdict, 0);
    ob.limit = 1.5;
    mr_rec_judge(&ob, rows, 3, 0.05, &v);
    cr_expect_eq(v.verdict, 0);
    ob.limit = 0.2;
    mr_rec_judge(&ob, rows, 3, 0.05, &v);
    cr_expect_eq(v.verdict, -1);
    ob.ge = 1; /* >= 0.2: the lower bound 0.314 is above it */
    mr_rec_judge(&ob, rows, 3, 0.05, &v);
    cr_expect_eq(v.verdict, 1);
}

/* when: the interval varies only with TTL 10 s: (10s, 10s), (10s, 30s),
 * then TTL 30 s once (its interval the base's), TTL 60 s once: 4 of the
 * 3 x 2 = 6 combinations, in the space's order. */
Test(recommend, when_merges_the_combinations_it_fixes)
{
    const char *sets[] = {"recommend.space={traffic.ttl: [10s, 30s, 60s], traffic.probe.interval: "
                          "{values: [10s, 30s], when: traffic.ttl == 10s}}"};
    mr_rec_result r;
    search(FIX "recommend-tm.yaml", sets, 1, 1, &r); /* budget 1: enumerate, run nothing */
    cr_assert_eq(r.ncand, 4);
    const char *want[] = {"traffic.ttl=10s; traffic.probe.interval=10s",
                          "traffic.ttl=10s; traffic.probe.interval=30s", "traffic.ttl=30s",
                          "traffic.ttl=60s"};
    for (size_t i = 0; i < 4; i++) {
        char *l = label(&r, i);
        cr_expect_str_eq(l, want[i]);
        free(l);
    }
    /* The base has TTL 10 s and interval 30 s. */
    cr_expect_eq(r.cands[0].nchanged, 1);
    cr_expect_eq(r.cands[1].nchanged, 0);
    cr_expect_eq(r.cands[2].nchanged, 1);
    cr_expect(r.budget_hit);
    cr_expect_eq(r.reps_screen + r.reps_confirm, 0);
    mr_rec_result_fini(&r);
}

/* The closed form (tests/fixtures/run/recommend-tm.yaml): a replication's
 * client_rto_s is the mean over 200 resolvers of detection D plus their
 * residual TTL, D + TTL/2 (+ a few seconds of the first failed and the
 * recovering requests), with D uniform in [5 + 3i, 5 + 4i) s for probe
 * interval i. Bound: 90 s in 95% of replications.
 *   i = 30 s: D >= 95 s > 90 s whatever the TTL: infeasible.
 *   i = 10 s: D in [35, 45): TTL 10 s -> [40, 50), 30 s -> [50, 60),
 *             60 s -> [65, 75): feasible; 300 s -> [185, 195): not.
 * Cost: the same clusters in every candidate; Traffic Manager bills
 * $0.54 per million DNS queries, which the resolvers send once per TTL,
 * so a longer TTL is cheaper, and 10 s probing adds the same $1.20 per
 * endpoint to every feasible one. The cheapest feasible is therefore
 * exactly one: TTL 60 s with 10 s probes (2 keys changed from the base,
 * TTL 10 s / 30 s probes); the fewest changes is TTL 10 s with 10 s probes
 * (1 key). */
Test(recommend, closed_form_space_gives_its_known_answer, .timeout = 120)
{
    mr_rec_result r;
    search(FIX "recommend-tm.yaml", NULL, 0, 0, &r);
    cr_assert_eq(r.ncand, 8);
    char *cheap = label(&r, r.cheapest), *fewest = label(&r, r.fewest);
    cr_expect_str_eq(cheap, "traffic.ttl=60s; traffic.probe.interval=10s");
    cr_expect_str_eq(fewest, "traffic.ttl=10s; traffic.probe.interval=10s");
    cr_expect_eq(r.cands[r.fewest].nchanged, 1);
    cr_expect_eq(r.cands[r.cheapest].nchanged, 2);
    for (size_t i = 0; i < r.ncand; i++) {
        char *l = mr_rec_label(&r.cands[i]);
        if (strstr(l, "interval=30s") || strstr(l, "ttl=300s"))
            cr_expect_eq(r.cands[i].state, MR_REC_INFEASIBLE, "%s: %s", l,
                         mr_rec_state_name(r.cands[i].state));
        else
            cr_expect_neq(r.cands[i].state, MR_REC_INFEASIBLE, "%s", l);
        free(l);
    }
    /* No feasible candidate has fewer changes than the fewest option. */
    for (size_t i = 0; i < r.ncand; i++)
        if (r.cands[i].state == MR_REC_FEASIBLE)
            cr_expect_geq(r.cands[i].nchanged, r.cands[r.fewest].nchanged);
    free(cheap);
    free(fewest);
    mr_rec_result_fini(&r);
}

/* No candidate can meet client_rto_s.p95 <= 30 s: D >= 35 s for every
 * probe interval (above). The message names it as the binding objective;
 * the availability objective (>= 50%: the outage takes 10 of 19 minutes
 * at most) rules out none. Exit 3. */
Test(recommend, infeasible_space_names_the_binding_objective, .timeout = 120)
{
    run_out r = e2e_run("recommend " FIX "recommend-tm.yaml -j 2 --set "
                        "'recommend.objectives=[\"availability >= 50%\", \"client_rto_s.p95 <= "
                        "30s\"]'",
                        "");
    cr_expect_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.out, "no candidate meets the objectives: client_rto_s.p95 <= 30s binds, "
                            "ruling out 8 of 8 candidates") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "closest 1") != NULL, "%s", r.out);
    run_free(&r);
}

/* 200 candidates: the search uses at most a fifth of what evaluating every
 * candidate to the same confidence would: 200 x 59 (above) = 11,800. */
Test(recommend, uses_a_fifth_of_exhaustive_evaluation_on_200_candidates, .timeout = 300)
{
    mr_rec_result r;
    search(FIX "recommend-tm-200.yaml", NULL, 0, 0, &r);
    uint64_t used = r.reps_screen + r.reps_confirm, ex = r.n_exhaustive * r.ncand;
    printf("recommend on %zu candidates: %llu replications (screen %llu); exhaustive %llu\n",
           r.ncand, (unsigned long long)used, (unsigned long long)r.reps_screen,
           (unsigned long long)ex);
    cr_assert_eq(r.ncand, 200);
    cr_assert_eq(r.n_exhaustive, 59);
    cr_expect_leq(used * 5, ex, "%llu replications, exhaustive %llu", (unsigned long long)used,
                  (unsigned long long)ex);
    cr_expect_neq(r.cheapest, SIZE_MAX);
    mr_rec_result_fini(&r);
}

/* --budget 100: the screen of 8 candidates takes 32, the first stage 8 a
 * candidate; no stage that would pass 100 starts. */
Test(recommend, budget_is_respected, .timeout = 120)
{
    mr_rec_result r;
    search(FIX "recommend-tm.yaml", NULL, 0, 100, &r);
    cr_expect_leq(r.reps_screen + r.reps_confirm, 100);
    cr_expect_gt(r.reps_confirm, 0);
    cr_expect(r.budget_hit);
    mr_rec_result_fini(&r);
    run_out o = e2e_run("recommend " FIX "recommend-tm.yaml --budget 100 -j 2", "");
    cr_expect(strstr(o.out, "the budget ended the search") != NULL, "%s", o.out);
    /* 100 replications certify nothing here (59 at least, after 32 of
     * screen and the cheapest candidates' stages): not "no candidate
     * meets", which would claim every one was shown infeasible. */
    cr_expect(strstr(o.out, "no candidate was shown to meet the objectives before the budget "
                            "ended") != NULL,
              "%s", o.out);
    cr_expect_eq(o.status, 3);
    run_free(&o);
}

Test(recommend, identical_at_any_jobs, .timeout = 120)
{
    run_out a = e2e_run("recommend " FIX "recommend-tm.yaml --json -j 1", "");
    run_out b = e2e_run("recommend " FIX "recommend-tm.yaml --json -j 2", "");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert(strlen(a.out) > 500, "%s", a.out);
    cr_expect_str_eq(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

/* --write-dir: each option as a scenario file that loads (mrsim validate)
 * and sets the option's keys. */
Test(recommend, write_dir_options_are_valid_scenarios, .timeout = 120)
{
    run_out o = e2e_sh("d=$(mktemp -d) && %s recommend %srecommend-tm.yaml -j 2 --write-dir $d "
                       ">/dev/null && %s validate $d/option-1-cheapest.yaml "
                       "$d/option-3-fewest-changes.yaml && grep -h 'traffic' "
                       "$d/option-1-cheapest.yaml; rm -rf $d",
                       MRSIM_BINARY, FIX, MRSIM_BINARY);
    cr_expect_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "\"traffic.ttl\": 60s") != NULL, "%s", o.out);
    run_free(&o);
}

/* Values as a map of name to value: a condition reads the name; a value
 * equal to the base's (short = 10 s, the base's TTL) is no change. 2 x 2
 * combinations, the interval fixed unless the TTL is `short`: 3. */
Test(recommend, named_values_are_read_by_their_name)
{
    const char *sets[] = {"recommend.space={traffic.ttl: {values: {short: 10s, long: 300s}}, "
                          "traffic.probe.interval: {values: [10s, 30s], when: traffic.ttl == "
                          "short}}"};
    mr_rec_result r;
    search(FIX "recommend-tm.yaml", sets, 1, 1, &r);
    cr_assert_eq(r.ncand, 3);
    char *l = label(&r, 2);
    cr_expect_str_eq(l, "traffic.ttl=300s");
    free(l);
    cr_expect_eq(r.cands[0].nchanged, 1); /* short, interval 10 s */
    cr_expect_eq(r.cands[1].nchanged, 0); /* short, interval 30 s: the base */
    cr_expect_eq(r.cands[2].nchanged, 1); /* long */
    cr_expect_eq(r.cands[1].changed[0], 0);
    mr_rec_result_fini(&r);
}

/* A file without the section: a located error, exit 4. */
Test(recommend, file_without_the_section_is_refused_where_it_starts)
{
    run_out o = e2e_run("recommend " MRSIM_SOURCE_DIR "/tests/fixtures/good/minimal.yaml", "");
    cr_expect_eq(o.status, 4, "exit %d", o.status);
    cr_expect(strstr(o.err, "minimal.yaml:1:1: error: no recommend: section") != NULL, "%s",
              o.err);
    run_free(&o);
}

/* Each value is valid with the base, but a 10 s timeout with 10 s probes
 * is not (docs/reference.md §1: at most 9 s): the search stops before any
 * run, naming the candidate and then its problem. Exit 4. */
Test(recommend, invalid_combination_is_named_before_any_run)
{
    run_out o = e2e_run("recommend " FIX "recommend-tm.yaml --set 'recommend.space={"
                        "traffic.probe.interval: [10s, 30s], traffic.probe.timeout: [5s, 10s]}'",
                        "");
    cr_expect_eq(o.status, 4, "exit %d", o.status);
    const char *a = strstr(o.err, "the candidate traffic.probe.interval=10s; "
                                  "traffic.probe.timeout=10s is not a valid scenario");
    const char *b = strstr(o.err, "traffic.probe.timeout: 10s is out of range [5s, 9s]");
    cr_expect(a != NULL && b != NULL && a < b, "%s", o.err);
    cr_expect_str_eq(o.out, "");
    run_free(&o);
}
