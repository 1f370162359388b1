/* tests/unit/test_queue.c: the event queue: (time, seq) order, FIFO at
 * equal times, cancel (head, middle, fired handle), compaction, seq
 * renumbering before wrap, growth to a million events, leak accounting. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
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
