/* sim/queue.h: private to sim/. The pending-event set: a d-ary min-heap of
 * 16-byte entries (time, seq, slot) over the event pool.
 * Invariants: the heap is ordered by (time, seq); seq is a 32-bit insertion
 * number that strictly increases with every push, so the order is total and
 * events at equal times pop in push order; before it would wrap, every
 * pending entry is renumbered 0..n-1 in its current order (once per 4
 * billion pushes), which keeps that order. Keeping seq in the entry lets a
 * comparison read nothing but the entries themselves. Every heap entry's
 * slot is LIVE or DEAD in the pool, and `dead` counts the DEAD ones.
 * Cancel is lazy: the record turns DEAD (its handle goes stale at once) and
 * its entry is dropped when it reaches the top, or all at once by a
 * compaction when dead entries outnumber live ones, so memory stays within
 * twice the live set and cancel costs O(1) amortised. An eager cancel would
 * need each entry's heap position stored in its record and rewritten at
 * every level of every sift: one cache miss per level at a million pending
 * events, paid by every event, cancelled or not (bench/README.md).
 * Entry k is stored at raw[k + ARITY - 1], so the children of k, entries
 * ARITY k + 1 .. ARITY k + ARITY, share one 64-byte cache line. */
#ifndef MRSIM_SIM_QUEUE_H
#define MRSIM_SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "mrsim/config.h"
#include "mrsim/event.h"
#include "pool.h"

#define MR__ARITY MRSIM_QUEUE_ARITY
_Static_assert(MR__ARITY == 2 || MR__ARITY == 4, "heap arity must be 2 or 4");

typedef struct mr__entry {
    mr_time time;
    uint32_t seq;
    uint32_t slot;
} mr__entry;

#define MR__SEQ_LIMIT UINT32_MAX /* renumber when next_seq reaches this */

typedef struct mr__queue {
    mr__entry *heap; /* heap[0] is the top; points ARITY - 1 entries into raw */
    void *raw;
    size_t n;        /* entries, live and dead */
    size_t cap;
    size_t dead;
    uint32_t next_seq;
    mr__pool pool;
} mr__queue;

void mr__queue_init(mr__queue *q);
/* Releases every pending event, then the memory. Returns the pool's live
 * count after releasing the entries: 0 unless a slot leaked. */
uint32_t mr__queue_fini(mr__queue *q);
void mr__queue_reserve(mr__queue *q, size_t n);
void mr__queue_grow(mr__queue *q);
/* Marks the event DEAD. Returns 0, or -1 when the handle is not pending. */
int mr__queue_cancel(mr__queue *q, mr_handle h);
int mr__queue_is_pending(const mr__queue *q, mr_handle h);
/* Drops every dead entry and rebuilds the heap in O(n). */
void mr__queue_compact(mr__queue *q);
/* Renumbers the pending entries' seq 0..n-1 in (time, seq) order. */
void mr__queue_renumber(mr__queue *q);

/* (time, seq) order without jumps: both operands are in registers. */
static inline int mr__entry_less(mr__entry a, mr__entry b)
{
    return (a.time < b.time) | ((a.time == b.time) & (a.seq < b.seq));
}

static inline void mr__queue_sift_up(mr__queue *q, size_t k, mr__entry e)
{
    mr__entry *h = q->heap;
    while (k > 0) {
        size_t parent = (k - 1) / MR__ARITY;
        if (!mr__entry_less(e, h[parent]))
            break;
        h[k] = h[parent];
        k = parent;
    }
    h[k] = e;
}

/* Places e into the hole at k, moving smaller children up. */
static inline void mr__queue_sift_down(mr__queue *q, size_t k, mr__entry e)
{
    mr__entry *h = q->heap;
    size_t n = q->n;
    for (;;) {
        size_t c = MR__ARITY * k + 1;
        if (c >= n)
            break;
        /* The grandchildren of k are ARITY^2 contiguous entries; fetch their
         * lines now so the next level's loads overlap this comparison. */
        size_t g = MR__ARITY * c + 1;
        if (g < n) {
            for (size_t i = 0; i < MR__ARITY * MR__ARITY; i += 64 / sizeof(mr__entry))
                __builtin_prefetch(&h[g + i]);
        }
        size_t best = c;
        size_t end = c + MR__ARITY < n ? c + MR__ARITY : n;
        for (size_t i = c + 1; i < end; i++) {
            if (mr__entry_less(h[i], h[best]))
                best = i;
        }
        if (!mr__entry_less(h[best], e))
            break;
        h[k] = h[best];
        k = best;
    }
    h[k] = e;
}

/* Pushes an event; returns its slot (the caller fills the record). */
static inline uint32_t mr__queue_push(mr__queue *q, mr_time t, uint32_t target, uint32_t kind)
{
    if (q->n == q->cap)
        mr__queue_grow(q);
    if (q->next_seq == MR__SEQ_LIMIT)
        mr__queue_renumber(q);
    uint32_t s = mr__pool_alloc(&q->pool);
    mr__ev_rec *r = &q->pool.recs[s];
    r->target = target;
    r->kind = kind;
    mr__entry e = {.time = t, .seq = q->next_seq++, .slot = s};
    mr__queue_sift_up(q, q->n++, e);
    return s;
}

/* Removes the top entry. */
static inline void mr__queue_remove_top(mr__queue *q)
{
    mr__entry last = q->heap[--q->n];
    if (q->n > 0)
        mr__queue_sift_down(q, 0, last);
}

/* Drops dead entries from the top, so the top (if any) is live. */
static inline void mr__queue_skip_dead(mr__queue *q)
{
    while (q->n > 0 && q->pool.recs[q->heap[0].slot].link == MR__SLOT_DEAD) {
        mr__pool_release(&q->pool, q->heap[0].slot);
        q->dead--;
        mr__queue_remove_top(q);
    }
}

/* The next pops read the records of the new top and of the smallest of its
 * children (the top after next, unless a new event lands before it): both
 * are likely cache misses with many events pending. Fetching them now lets
 * the misses overlap this event's handler and the next pop. */
static inline void mr__queue_prefetch(const mr__queue *q)
{
    const mr__entry *h = q->heap;
    if (q->n == 0)
        return;
    __builtin_prefetch(&q->pool.recs[h[0].slot]);
}

/* Pops the first live event due at or before end into *ev; returns 1, or 0
 * when none is due (the queue is unchanged apart from dead entries). */
static inline int mr__queue_pop_due(mr__queue *q, mr_time end, mr_event *ev)
{
    mr__queue_skip_dead(q);
    if (q->n == 0 || q->heap[0].time > end)
        return 0;
    uint32_t s = q->heap[0].slot;
    const mr__ev_rec *r = &q->pool.recs[s];
    ev->time = q->heap[0].time;
    ev->seq = q->heap[0].seq;
    ev->target = r->target;
    ev->kind = r->kind;
    memcpy(ev->payload.bytes, r->payload.bytes, MR_PAYLOAD_SIZE);
    mr__queue_remove_top(q);
    mr__pool_release(&q->pool, s);
    mr__queue_prefetch(q);
    return 1;
}

static inline size_t mr__queue_live(const mr__queue *q)
{
    return q->n - q->dead;
}

#endif
