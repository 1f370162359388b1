/* tests/unit/test_pool.c: slot reuse, generations and live accounting. */
#include <criterion/criterion.h>

#include "pool.h"

Test(pool, released_slots_are_reused_last_in_first_out)
{
    mr__pool p;
    mr__pool_init(&p);
    uint32_t a = mr__pool_alloc(&p), b = mr__pool_alloc(&p);
    cr_assert_neq(a, b);
    mr__pool_release(&p, a);
    mr__pool_release(&p, b);
    cr_assert_eq(mr__pool_alloc(&p), b);
    cr_assert_eq(mr__pool_alloc(&p), a);
    cr_assert_eq(p.live_count, 2);
    mr__pool_release(&p, a);
    mr__pool_release(&p, b);
    cr_assert_eq(p.live_count, 0);
    mr__pool_fini(&p);
}

Test(pool, release_moves_the_generation_past_zero)
{
    mr__pool p;
    mr__pool_init(&p);
    uint32_t s = mr__pool_alloc(&p);
    uint32_t g0 = p.recs[s].gen;
    cr_assert_neq(g0, 0);
    mr__pool_release(&p, s);
    cr_assert_neq(p.recs[s].gen, g0);
    p.recs[s].gen = UINT32_MAX; /* force the wrap */
    cr_assert_eq(mr__pool_alloc(&p), s);
    mr__pool_release(&p, s);
    cr_assert_eq(p.recs[s].gen, 1, "generation 0 is the zero handle's and is skipped");
    mr__pool_fini(&p);
}

Test(pool, growth_keeps_record_contents)
{
    mr__pool p;
    mr__pool_init(&p);
    enum { N = 5000 };
    for (uint32_t i = 0; i < N; i++) {
        uint32_t s = mr__pool_alloc(&p);
        cr_assert_eq(s, i);
        p.recs[s].target = i * 3;
    }
    cr_assert_geq(p.cap, (uint32_t)N);
    for (uint32_t i = 0; i < N; i++)
        cr_assert_eq(p.recs[i].target, i * 3);
    cr_assert_eq(p.live_count, N);
    mr__pool_fini(&p);
}
