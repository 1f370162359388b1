/* tests/unit/test_hist_pack.c: mr_hist_pack / mr_hist_unpack, which carry a
 * replication's histogram between MPI ranks. The copy must be the same
 * histogram bit for bit: same fields, same buckets, and merging it must give
 * the same pooled quantiles as merging the original, exact or not. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/stats.h"

static void fill(mr_hist *h, size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < n; i++)
        mr_hist_add(h, i % 17 == 0 ? 0.0 : gsl_ran_lognormal(r, 3, 1.5));
    gsl_rng_free(r);
}

static void *pack(const mr_hist *h, size_t *len)
{
    *len = mr_hist_pack(h, NULL, 0);
    void *buf = malloc(*len ? *len : 1);
    cr_assert_eq(mr_hist_pack(h, buf, *len), *len);
    return buf;
}

static void assert_same(const mr_hist *a, const mr_hist *b)
{
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->zero, b->zero);
    cr_assert_eq(a->lo_exp, b->lo_exp);
    cr_assert_eq(a->n_oct, b->n_oct);
    cr_assert_eq(a->n_exact, b->n_exact);
    cr_assert(memcmp(&a->sum, &b->sum, sizeof a->sum) == 0);
    /* The results database's statistic rows read it (relayed under MPI). */
    cr_assert(memcmp(&a->sumsq, &b->sumsq, sizeof a->sumsq) == 0);
    cr_assert(memcmp(&a->min, &b->min, sizeof a->min) == 0);
    cr_assert(memcmp(&a->max, &b->max, sizeof a->max) == 0);
    if (a->n_oct > 0)
        cr_assert(memcmp(a->counts, b->counts, (size_t)a->n_oct * MR_HIST_SUB * sizeof *a->counts) ==
                  0);
    if (a->n_exact > 0)
        cr_assert(memcmp(a->exact, b->exact, a->n_exact * sizeof *a->exact) == 0);
}

Test(hist_pack, round_trips_empty_exact_and_bucketed_histograms)
{
    const size_t sizes[] = {0, 1, 100, MR_HIST_EXACT, MR_HIST_EXACT + 1, 20000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        mr_hist h, copy;
        mr_hist_init(&h);
        mr_hist_init(&copy);
        fill(&h, sizes[k], 7 + k);
        mr_hist_add(&copy, 5.0); /* unpack replaces what was there */
        size_t len;
        void *buf = pack(&h, &len);
        cr_assert_eq(mr_hist_unpack(&copy, buf, len), MR_OK, "n = %zu", sizes[k]);
        assert_same(&h, &copy);
        free(buf);
        mr_hist_fini(&h);
        mr_hist_fini(&copy);
    }
}

Test(hist_pack, merging_the_copies_gives_the_pooled_quantiles_of_the_originals)
{
    /* Three replications' histograms merged in order, as run.c pools them:
     * originals on one side, packed-and-unpacked copies on the other. */
    const size_t sizes[] = {300, 150, 9000};
    mr_hist pooled_a, pooled_b;
    mr_hist_init(&pooled_a);
    mr_hist_init(&pooled_b);
    for (size_t k = 0; k < 3; k++) {
        mr_hist h, copy;
        mr_hist_init(&h);
        mr_hist_init(&copy);
        fill(&h, sizes[k], 100 + k);
        size_t len;
        void *buf = pack(&h, &len);
        cr_assert_eq(mr_hist_unpack(&copy, buf, len), MR_OK);
        mr_hist_merge(&pooled_a, &h);
        mr_hist_merge(&pooled_b, &copy);
        if (k == 1) {
            /* 450 values: still exact, and the same values in the same order. */
            cr_assert(mr_hist_is_exact(&pooled_b));
            double qa = mr_hist_quantile(&pooled_a, 0.95), qb = mr_hist_quantile(&pooled_b, 0.95);
            cr_assert(memcmp(&qa, &qb, sizeof qa) == 0);
        }
        free(buf);
        mr_hist_fini(&h);
        mr_hist_fini(&copy);
    }
    assert_same(&pooled_a, &pooled_b);
    for (double q = 0; q <= 1.0; q += 0.05) {
        double qa = mr_hist_quantile(&pooled_a, q), qb = mr_hist_quantile(&pooled_b, q);
        cr_assert(memcmp(&qa, &qb, sizeof qa) == 0, "q %g: %.17g vs %.17g", q, qa, qb);
    }
    mr_hist_fini(&pooled_a);
    mr_hist_fini(&pooled_b);
}

Test(hist_pack, a_short_buffer_gets_nothing_and_bad_bytes_are_refused)
{
    mr_hist h, copy;
    mr_hist_init(&h);
    mr_hist_init(&copy);
    fill(&h, 1000, 3);
    size_t len;
    unsigned char *buf = pack(&h, &len);
    mr_hist_add(&copy, 5.0);
    unsigned char small[16] = {0};
    cr_assert_eq(mr_hist_pack(&h, small, sizeof small), len, "the size, whatever the room");
    for (size_t i = 0; i < sizeof small; i++)
        cr_assert_eq(small[i], 0, "nothing written into a buffer too short");
    cr_assert_eq(mr_hist_unpack(&copy, buf, len - 1), MR_EINVAL, "truncated");
    cr_assert_eq(mr_hist_unpack(&copy, buf, 8), MR_EINVAL, "shorter than the header");
    uint64_t wrong = 3; /* n_exact must be 0 past MR_HIST_EXACT */
    memcpy(buf + 16, &wrong, sizeof wrong);
    cr_assert_eq(mr_hist_unpack(&copy, buf, len), MR_EINVAL, "inconsistent header");
    cr_assert(copy.n == 1 && copy.max == 5.0, "a refused unpack changes nothing");
    free(buf);
    mr_hist_fini(&h);
    mr_hist_fini(&copy);
}
