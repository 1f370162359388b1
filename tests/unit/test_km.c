/* tests/unit/test_km.c: the Kaplan-Meier percentiles of censored durations
 * (sim/run/km.c) against a hand computation, and the histograms' way in. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "run/km.h"

/* Recovered after 1, 2, 3 and 4 s; censored at 2.5 and 5 s (n = 6). By
 * hand, events before censorings at a tie:
 *   t = 1: S = 5/6                  F = 0.1667
 *   t = 2: S = 5/6 x 4/5 = 4/6      F = 0.3333
 *   2.5 censored: 3 at risk
 *   t = 3: S = 4/6 x 2/3 = 0.4444   F = 0.5556
 *   t = 4: S = 0.4444 x 1/2         F = 0.7778
 *   5 censored: none left.
 * p25 = 2, p50 = 3, p75 = 4; p95 is never reached: a lower bound, the
 * largest time observed (5). */
static mr__km_obs six[] = {{4, 1, 0}, {2.5, 1, 1}, {1, 1, 0}, {5, 1, 1}, {3, 1, 0}, {2, 1, 0}};

Test(km, percentiles_match_the_hand_computation)
{
    int lower;
    size_t n = sizeof six / sizeof six[0];
    cr_assert_float_eq(mr__km_quantile(six, n, 0.25, &lower), 2, 1e-12);
    cr_assert_eq(lower, 0);
    cr_assert_float_eq(mr__km_quantile(six, n, 0.50, &lower), 3, 1e-12);
    cr_assert_eq(lower, 0);
    cr_assert_float_eq(mr__km_quantile(six, n, 0.75, &lower), 4, 1e-12);
    cr_assert_eq(lower, 0);
    cr_assert_float_eq(mr__km_quantile(six, n, 0.95, &lower), 5, 1e-12);
    cr_assert_eq(lower, 1, "p95 falls in the censored mass: a lower bound");
}

Test(km, without_censoring_it_is_the_empirical_quantile_and_a_tie_counts_events_first)
{
    /* Four recoveries: F reaches 0.5 at the second (2 of 4), exactly. */
    mr__km_obs o[] = {{3, 1, 0}, {1, 1, 0}, {4, 1, 0}, {2, 1, 0}};
    int lower;
    cr_assert_float_eq(mr__km_quantile(o, 4, 0.50, &lower), 2, 1e-12);
    cr_assert_eq(lower, 0);
    /* A censoring tied with an event at 2 leaves the event's step whole:
     * S(2) = 2/3 x ... (3 at risk at 2, the censored one among them). */
    mr__km_obs t[] = {{1, 1, 0}, {2, 1, 1}, {2, 1, 0}, {3, 1, 0}};
    /* t = 1: S = 3/4; t = 2: S = 3/4 x 2/3 = 1/2 (the censoring leaves after);
     * p50 = 2. */
    cr_assert_float_eq(mr__km_quantile(t, 4, 0.50, &lower), 2, 1e-12);
    cr_assert_eq(lower, 0);
    cr_assert(isnan(mr__km_quantile(t, 0, 0.5, &lower)));
}

Test(km, histograms_give_their_values_while_exact)
{
    mr_hist rec, cens;
    mr_hist_init(&rec);
    mr_hist_init(&cens);
    double r[] = {4, 1, 3, 2}, c[] = {2.5, 5};
    for (int i = 0; i < 4; i++)
        mr_hist_add(&rec, r[i]);
    for (int i = 0; i < 2; i++)
        mr_hist_add(&cens, c[i]);
    size_t n;
    mr__km_obs *o = mr__km_from_hists(&rec, &cens, &n);
    cr_assert_eq(n, 6);
    int lower;
    cr_assert_float_eq(mr__km_quantile(o, n, 0.50, &lower), 3, 1e-12);
    cr_assert_float_eq(mr__km_quantile(o, n, 0.95, &lower), 5, 1e-12);
    cr_assert_eq(lower, 1);
    free(o);
    mr_hist_fini(&rec);
    mr_hist_fini(&cens);
}
