/* tests/unit/test_queue.c: the event queue: (time, seq) order, FIFO at
 * equal times, cancel (head, middle, fired handle), compaction, seq
 * renumbering before wrap, growth to a million events, leak accounting. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "mrsim/error.h"
#include "queue.h"

static mr_handle push(mr__queue *q, mr_time t, uint32_t word)
{
    uint32_t s = mr__queue_push(q, t, 0, MR_MSG_PRIVATE);
    memcpy(q->pool.recs[s].payload.bytes, &word, sizeof word);
    return (mr_handle){s, q->pool.recs[s].gen};
}

static int pop(mr__queue *q, mr_event *ev)
{
    return mr__queue_pop_due(q, MR_TIME_NEVER, ev);
}

static uint32_t word_of(const mr_event *ev)
{
    uint32_t w;
    memcpy(&w, ev->payload.bytes, sizeof w);
    return w;
}

Test(queue, pops_in_time_order)
{
    mr__queue q;
    mr__queue_init(&q);
    const mr_time times[] = {50, 10, 40, 20, 30, 0, 60};
    for (uint32_t i = 0; i < 7; i++)
        push(&q, times[i], i);
    mr_event ev;
    mr_time last = -1;
    int n = 0;
    while (pop(&q, &ev)) {
        cr_assert_geq(ev.time, last);
        last = ev.time;
        n++;
    }
    cr_assert_eq(n, 7);
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, equal_times_pop_in_schedule_order)
{
    /* libuv's timer_order: a then b at one time, then b then a at another. */
    mr__queue q;
    mr__queue_init(&q);
    push(&q, 100, 'a');
    push(&q, 100, 'b');
    push(&q, 200, 'b');
    push(&q, 200, 'a');
    const uint32_t want[] = {'a', 'b', 'b', 'a'};
    mr_event ev;
    for (int i = 0; i < 4; i++) {
        cr_assert(pop(&q, &ev));
        cr_assert_eq(word_of(&ev), want[i], "pop %d gave %c", i, (char)word_of(&ev));
    }
    cr_assert_not(pop(&q, &ev));
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, many_equal_times_stay_fifo)
{
    mr__queue q;
    mr__queue_init(&q);
    for (uint32_t i = 0; i < 5000; i++)
        push(&q, 7, i);
    mr_event ev;
    for (uint32_t i = 0; i < 5000; i++) {
        cr_assert(pop(&q, &ev));
        cr_assert_eq(word_of(&ev), i);
    }
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, cancel_of_head_middle_and_fired_handle)
{
    mr__queue q;
    mr__queue_init(&q);
    mr_handle h1 = push(&q, 10, 1);
    mr_handle h2 = push(&q, 20, 2);
    mr_handle h3 = push(&q, 30, 3);
    cr_assert_eq(mr__queue_cancel(&q, h1), 0, "cancel of the head");
    cr_assert_eq(mr__queue_cancel(&q, h1), -1, "second cancel is stale");
    cr_assert_not(mr__queue_is_pending(&q, h1));
    cr_assert_eq(mr__queue_live(&q), 2);
    mr_event ev;
    cr_assert(pop(&q, &ev));
    cr_assert_eq(word_of(&ev), 2);
    cr_assert_eq(mr__queue_cancel(&q, h2), -1, "cancel of a fired event is stale");
    cr_assert(mr__queue_is_pending(&q, h3));
    cr_assert_eq(mr__queue_cancel(&q, h3), 0);
    cr_assert_not(pop(&q, &ev));
    cr_assert_eq(mr__queue_cancel(&q, (mr_handle){0, 0}), -1, "the zero handle");
    cr_assert_eq(mr__queue_cancel(&q, (mr_handle){123456, 1}), -1, "a slot never used");
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, reused_slot_does_not_revive_old_handle)
{
    mr__queue q;
    mr__queue_init(&q);
    mr_handle old = push(&q, 5, 1);
    mr_event ev;
    cr_assert(pop(&q, &ev));
    mr_handle fresh = push(&q, 6, 2);
    cr_assert_eq(fresh.slot, old.slot, "LIFO reuse of the slot");
    cr_assert_eq(mr__queue_cancel(&q, old), -1);
    cr_assert(mr__queue_is_pending(&q, fresh));
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, mass_cancel_compacts_and_keeps_order)
{
    mr__queue q;
    mr__queue_init(&q);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    enum { N = 20000 };
    static mr_handle hs[N];
    static mr_time ts[N];
    for (uint32_t i = 0; i < N; i++) {
        ts[i] = (mr_time)gsl_rng_uniform_int(g, 1000000);
        hs[i] = push(&q, ts[i], i);
    }
    for (uint32_t i = 0; i < N; i++) {
        if (i % 4 != 0)
            cr_assert_eq(mr__queue_cancel(&q, hs[i]), 0);
    }
    cr_assert_lt(q.n, (size_t)N, "compaction dropped dead entries");
    cr_assert_eq(mr__queue_live(&q), N / 4);
    mr_event ev;
    mr_time last = -1;
    size_t n = 0;
    while (pop(&q, &ev)) {
        cr_assert_eq(word_of(&ev) % 4, 0, "a cancelled event fired");
        cr_assert_eq(ev.time, ts[word_of(&ev)]);
        cr_assert_geq(ev.time, last);
        last = ev.time;
        n++;
    }
    cr_assert_eq(n, N / 4);
    gsl_rng_free(g);
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, seq_renumbering_before_wrap_keeps_fifo)
{
    mr__queue q;
    mr__queue_init(&q);
    q.next_seq = MR__SEQ_LIMIT - 3;
    for (uint32_t i = 0; i < 10; i++)
        push(&q, 42, i); /* crosses the renumbering after three pushes */
    push(&q, 41, 100);
    cr_assert_lt(q.next_seq, 100u, "renumbered");
    mr_event ev;
    cr_assert(pop(&q, &ev));
    cr_assert_eq(word_of(&ev), 100);
    for (uint32_t i = 0; i < 10; i++) {
        cr_assert(pop(&q, &ev));
        cr_assert_eq(word_of(&ev), i);
    }
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, pop_due_respects_the_end_time)
{
    mr__queue q;
    mr__queue_init(&q);
    push(&q, 10, 1);
    push(&q, 20, 2);
    mr_event ev;
    cr_assert(mr__queue_pop_due(&q, 10, &ev), "an event at the end time is due");
    cr_assert_not(mr__queue_pop_due(&q, 19, &ev));
    cr_assert_eq(mr__queue_live(&q), 1);
    cr_assert_eq(mr__queue_fini(&q), 0, "fini releases what is still pending");
}

Test(queue, grows_to_a_million_events_in_order, .timeout = 120)
{
    mr__queue q;
    mr__queue_init(&q);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    enum { N = 1000000 };
    for (uint32_t i = 0; i < N; i++)
        push(&q, (mr_time)gsl_rng_uniform_int(g, 4000000000UL), i);
    cr_assert_eq(mr__queue_live(&q), N);
    cr_assert_eq(q.pool.live_count, N);
    mr_event ev;
    mr_time last = -1;
    uint64_t lastseq = 0;
    for (uint32_t i = 0; i < N; i++) {
        cr_assert(pop(&q, &ev));
        cr_assert(ev.time > last || (ev.time == last && ev.seq > lastseq));
        last = ev.time;
        lastseq = ev.seq;
    }
    cr_assert_eq(q.pool.live_count, 0);
    gsl_rng_free(g);
    cr_assert_eq(mr__queue_fini(&q), 0);
}

Test(queue, fini_reports_a_leaked_slot)
{
    mr__queue q;
    mr__queue_init(&q);
    push(&q, 1, 1);
    mr__pool_alloc(&q.pool); /* a slot taken outside the queue: a leak */
    cr_assert_eq(mr__queue_fini(&q), 1);
}

/* A differential test of both tiers against a plain reference heap keyed
 * by (time, 64-bit insertion number): random pushes (mostly near, some a
 * year away, some at the same instant, some at the end of time), random
 * cancels and pops, with enough events pending to spill into the calendar
 * and come back. Every pop must match the reference exactly. */
typedef struct ref_e {
    mr_time time;
    uint64_t seq;
    uint32_t id;
} ref_e;

static int ref_less(ref_e a, ref_e b)
{
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
}

static void ref_push(ref_e *h, size_t *n, ref_e e)
{
    size_t k = (*n)++;
    while (k > 0 && ref_less(e, h[(k - 1) / 2])) {
        h[k] = h[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    h[k] = e;
}

static ref_e ref_pop(ref_e *h, size_t *n)
{
    ref_e top = h[0], last = h[--*n];
    size_t k = 0;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && ref_less(h[c + 1], h[c]))
            c++;
        if (!ref_less(h[c], last))
            break;
        h[k] = h[c];
        k = c;
    }
    if (*n > 0)
        h[k] = last;
    return top;
}

typedef struct coverage {
    int spilled;     /* the calendar was used */
    int compacted;   /* a compaction ran while the calendar was in use */
    size_t max_far;  /* most entries in the far list at once */
    size_t max_live; /* most events pending at once */
    uint64_t far_moves;
    uint64_t refits;
} coverage;

static coverage differential(uint64_t seed, size_t ops, double p_push_bias, double p_cancel)
{
    coverage cov = {0, 0, 0, 0, 0, 0};
    mr__queue q;
    mr__queue_init(&q);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    ref_e *ref = malloc(2 * ops * sizeof *ref);
    mr_handle *handles = malloc(2 * ops * sizeof *handles);
    uint32_t *pending_ids = malloc(2 * ops * sizeof *pending_ids);
    char *alive = calloc(2 * ops, 1);
    size_t nref = 0, npend = 0;
    uint32_t next_id = 0;
    uint64_t seq = 0;
    mr_time now = 0;
    /* After `ops` random operations, drain: pop until empty, pushing a
     * near event after half of the pops, so far events come due while
     * buckets are in use. */
    size_t cap = 2 * ops;
    for (size_t op = 0; op < cap; op++) {
        uint64_t compactions = q.compactions;
        int was_spilled = q.spilled;
        double u = gsl_rng_uniform(g);
        int draining = op >= ops;
        if (draining && nref == 0 && npend == 0)
            break;
        if (draining)
            u = (op % 2 && gsl_rng_uniform(g) < 0.5) ? 0.0 : 1.0;
        if (u < p_push_bias) {
            /* Only near events and ties until the heap spills, so the
             * calendar's bucket width is fitted to them and the far events
             * that follow land past its window. */
            double v = gsl_rng_uniform(g);
            if (!q.spilled || draining)
                v = v < 0.9 ? 0.0 : 0.95;
            mr_time t;
            if (now > MR_TIME_NEVER / 2) /* at the end of time only ties remain */
                t = now;
            else if (v < 0.80)
                t = now + (mr_time)(-log(1 - gsl_rng_uniform(g)) * 1e9);
            else if (v < 0.90)
                t = now + (mr_time)gsl_rng_uniform_int(g, 4000000000UL) * 8000;
            else if (v < 0.99)
                t = now;
            else
                t = MR_TIME_NEVER - (mr_time)gsl_rng_uniform_int(g, 3);
            uint32_t id = next_id++;
            handles[id] = push(&q, t, id);
            alive[id] = 1;
            pending_ids[npend++] = id;
            ref_push(ref, &nref, (ref_e){t, seq++, id});
        } else if (u < p_push_bias + p_cancel && npend > 0) {
            size_t j = gsl_rng_uniform_int(g, npend);
            uint32_t id = pending_ids[j];
            pending_ids[j] = pending_ids[--npend];
            cr_assert_eq(mr__queue_cancel(&q, handles[id]), 0);
            alive[id] = 0;
        } else {
            while (nref > 0 && !alive[ref[0].id])
                ref_pop(ref, &nref);
            mr_event ev;
            int got = pop(&q, &ev);
            cr_assert_eq(got, nref > 0, "op %zu: pop %d with %zu in the reference", op, got, nref);
            if (!got)
                continue;
            ref_e want = ref_pop(ref, &nref);
            cr_assert_eq(word_of(&ev), want.id, "op %zu: popped %u, expected %u", op,
                         word_of(&ev), want.id);
            cr_assert_eq(ev.time, want.time);
            now = ev.time;
            alive[want.id] = 0;
            for (size_t j = 0; j < npend; j++) {
                if (pending_ids[j] == want.id) {
                    pending_ids[j] = pending_ids[--npend];
                    break;
                }
            }
        }
        if (op % 4096 == 0)
            cr_assert_eq(mr__queue_live(&q), npend);
        cov.spilled |= q.spilled;
        cov.compacted |= was_spilled && q.compactions > compactions;
        cov.max_far = q.nfar > cov.max_far ? q.nfar : cov.max_far;
        cov.max_live = npend > cov.max_live ? npend : cov.max_live;
    }
    cr_assert_eq(npend, 0, "the drain emptied the queue");
    cr_assert_eq(mr__queue_live(&q), 0);
    cov.far_moves = q.far_moves;
    cov.refits = q.refits;
    free(ref);
    free(handles);
    free(pending_ids);
    free(alive);
    gsl_rng_free(g);
    cr_assert_eq(mr__queue_fini(&q), 0);
    return cov;
}

Test(queue, both_tiers_match_a_reference_heap_while_growing, .timeout = 120)
{
    /* Pushes outnumber pops: the heap spills into the calendar. */
    coverage c = differential(1, 150000, 0.62, 0.05);
    cr_assert(c.spilled && c.max_far > 0, "spilled %d, far %zu", c.spilled, c.max_far);
    cr_assert_gt(c.max_live, MR__SPILL_AT);
}

Test(queue, both_tiers_match_a_reference_heap_while_draining, .timeout = 120)
{
    /* Pushes and pops balance at a level above the spill threshold, far
     * entries come due, buckets are refilled and jumped over. */
    coverage c = differential(2, 400000, 0.55, 0.01);
    cr_assert(c.spilled && c.max_far > 0, "spilled %d, far %zu", c.spilled, c.max_far);
    cr_assert_gt(c.far_moves, 0, "far entries came due");
    cr_assert_gt(c.refits, 0, "the bucket width was fitted anew");
}

Test(queue, mass_cancel_while_spilled_compacts_both_tiers, .timeout = 60)
{
    /* Cancels outnumber pops: compactions rebuild both tiers. */
    coverage c = differential(3, 300000, 0.55, 0.40);
    cr_assert(c.spilled && c.compacted, "spilled %d, compacted %d", c.spilled, c.compacted);
}

Test(queue, renumbering_while_spilled_keeps_the_order, .timeout = 60)
{
    mr__queue q;
    mr__queue_init(&q);
    enum { N = 50000 };
    for (uint32_t i = 0; i < N; i++)
        push(&q, (mr_time)(i % 1000) * MR_MS, i);
    cr_assert(q.spilled, "the heap spilled into the calendar");
    q.next_seq = MR__SEQ_LIMIT;
    push(&q, 999 * MR_MS, N); /* renumbers first, so it comes after every equal time */
    mr_event ev;
    mr_time last = -1;
    uint32_t last_word = 0;
    for (uint32_t i = 0; i <= N; i++) {
        cr_assert(pop(&q, &ev));
        cr_assert_geq(ev.time, last);
        if (ev.time == last)
            cr_assert_gt(word_of(&ev), last_word, "equal times pop in push order");
        last = ev.time;
        last_word = word_of(&ev);
    }
    cr_assert_eq(last_word, N, "the last pushed of the equal times pops last");
    cr_assert_eq(mr__queue_fini(&q), 0);
}
