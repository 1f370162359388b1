/* sim/queue.h: private to sim/. The pending-event set over the event pool:
 * a d-ary min-heap of 16-byte entries (time, seq, slot) for the near future
 * and, once many events are pending, a calendar of time buckets for the
 * rest (the tier 2).
 * Invariants:
 * - Order is (time, seq); seq is a 32-bit insertion number that strictly
 *   increases with every push, so the order is total and events at equal
 *   times pop in push order. Before it would wrap, every pending entry is
 *   renumbered 0..n-1 in its current order (once per 4 billion pushes).
 *   Keeping seq in the entry lets a comparison read nothing but entries.
 * - While `spilled`, the heap holds exactly the entries whose bucket id
 *   (time >> wshift) is at most cur; bucket id in
 *   (cur, cur + MR__NBUCKETS] lives in buckets[id & mask]; larger ids live
 *   in `far` (far_min is the smallest id there). So the heap's top is the
 *   smallest pending entry whenever the heap is not empty. When it empties,
 *   the next non-empty bucket moves into it (each entry moves once).
 *   Without spilling, everything is in the heap.
 * - Every entry's slot is LIVE or DEAD in the pool; `dead` counts DEAD ones.
 * Why two tiers: at a million pending events a single heap is 16 MB and
 * every pop walks it from top to bottom through cache misses; the heap of
 * the calendar holds a few hundred entries and stays in L1, and a push to
 * a bucket is an append. (bench/README.md has the measurements.)
 * Cancel is lazy: the record turns DEAD (its handle goes stale at once) and
 * its entry is dropped when it reaches the top, or all at once by a
 * compaction when dead entries outnumber live ones, so memory stays within
 * twice the live set and cancel costs O(1) amortised. An eager cancel would
 * need each entry's position stored in its record and rewritten at every
 * move: one cache miss per move at a million pending events.
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

/* Tier 2 sizing: spill the heap into the calendar past MR__SPILL_AT
 * entries, aiming at MR__BUCKET_TARGET entries per bucket. */
#define MR__SPILL_AT ((size_t)1 << 15)
#define MR__BUCKET_TARGET 512
#define MR__NBUCKETS 4096
#define MR__CHUNK 31

/* A bucket is a list of 512-byte chunks of entries, appended at the tail. */
typedef struct mr__chunk {
    struct mr__chunk *next;
    uint32_t n;
    uint32_t pad_;
    mr__entry e[MR__CHUNK];
} mr__chunk;

typedef struct mr__bucket {
    mr__chunk *head, *tail;
} mr__bucket;

typedef struct mr__queue {
    mr__entry *heap; /* heap[0] is the top; points ARITY - 1 entries into raw */
    void *raw;
    size_t n;        /* heap entries, live and dead */
    size_t cap;
    size_t dead;     /* DEAD entries in both tiers */
    uint32_t next_seq;
    mr__pool pool;
    /* Tier 2. */
    int spilled;
    int wshift;        /* bucket width is 2^wshift ns */
    int64_t cur;       /* bucket id the heap ends with */
    mr__bucket *buckets;
    mr__bucket far;
    int64_t far_min;   /* smallest bucket id in far (INT64_MAX when empty) */
    size_t n2;         /* entries in buckets and far */
    size_t nfar;
    mr__chunk *free_chunks;
    uint64_t pops_since_respill;
    uint64_t far_moves;   /* far redistributions so far (for tests and tuning) */
    uint64_t compactions; /* likewise */
    uint64_t refits;      /* likewise: bucket width fitted anew while spilled */
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
/* Drops every dead entry in both tiers and rebuilds the heap in O(n). */
void mr__queue_compact(mr__queue *q);
/* Renumbers the pending entries' seq 0..n-1 in (time, seq) order. */
void mr__queue_renumber(mr__queue *q);
/* Moves the heap's far part into the calendar (heap past MR__SPILL_AT). */
void mr__queue_spill(mr__queue *q);
/* With the heap empty, moves the next non-empty bucket into it; returns 0
 * when nothing is pending at all. */
int mr__queue_refill(mr__queue *q);
/* A chunk for a bucket (from the free list, or new). */
mr__chunk *mr__queue_new_chunk(mr__queue *q);
/* Total entries (live and dead) in both tiers. */
static inline size_t mr__queue_total(const mr__queue *q)
{
    return q->n + q->n2;
}

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

static inline void mr__queue_heap_push(mr__queue *q, mr__entry e)
{
    if (q->n == q->cap)
        mr__queue_grow(q);
    mr__queue_sift_up(q, q->n++, e);
    if (q->n > MR__SPILL_AT && !q->spilled)
        mr__queue_spill(q);
}

static inline void mr__bucket_append(mr__queue *q, mr__bucket *b, mr__entry e)
{
    mr__chunk *c = b->tail;
    if (c == NULL || c->n == MR__CHUNK) {
        mr__chunk *nc = mr__queue_new_chunk(q);
        if (c)
            c->next = nc;
        else
            b->head = nc;
        b->tail = c = nc;
    }
    c->e[c->n++] = e;
}

/* Adds an entry whose bucket id is past cur to the calendar. */
static inline void mr__queue_tier2_add(mr__queue *q, mr__entry e)
{
    int64_t id = e.time >> q->wshift;
    if (id - q->cur <= MR__NBUCKETS) {
        mr__bucket_append(q, &q->buckets[id & (MR__NBUCKETS - 1)], e);
    } else {
        mr__bucket_append(q, &q->far, e);
        q->nfar++;
        if (id < q->far_min)
            q->far_min = id;
    }
    q->n2++;
}

/* Pushes an event; returns its slot (the caller fills the record). */
static inline uint32_t mr__queue_push(mr__queue *q, mr_time t, uint32_t target, uint32_t kind)
{
    if (q->next_seq == MR__SEQ_LIMIT)
        mr__queue_renumber(q);
    uint32_t s = mr__pool_alloc(&q->pool);
    mr__ev_rec *r = &q->pool.recs[s];
    r->target = target;
    r->kind = kind;
    mr__entry e = {.time = t, .seq = q->next_seq++, .slot = s};
    if (q->spilled && (t >> q->wshift) > q->cur)
        mr__queue_tier2_add(q, e);
    else
        mr__queue_heap_push(q, e);
    return s;
}

/* Removes the top entry. */
static inline void mr__queue_remove_top(mr__queue *q)
{
    mr__entry last = q->heap[--q->n];
    if (q->n > 0)
        mr__queue_sift_down(q, 0, last);
}

/* Makes the heap's top (if any) the smallest live entry of both tiers:
 * drops dead entries from the top and refills an empty heap. Returns 0
 * when nothing is pending. */
static inline int mr__queue_settle(mr__queue *q)
{
    for (;;) {
        while (q->n > 0 && q->pool.recs[q->heap[0].slot].link == MR__SLOT_DEAD) {
            mr__pool_release(&q->pool, q->heap[0].slot);
            q->dead--;
            mr__queue_remove_top(q);
        }
        if (q->n > 0)
            return 1;
        if (q->n2 == 0 || !mr__queue_refill(q))
            return 0;
    }
}

/* The next pop reads the new top's record, most likely a cache miss with
 * many events pending; fetching it now overlaps the miss with this event's
 * handler. (Fetching the record of the top after next as well measured
 * slower.) */
static inline void mr__queue_prefetch(const mr__queue *q)
{
    const mr__entry *h = q->heap;
    if (q->n == 0)
        return;
    __builtin_prefetch(&q->pool.recs[h[0].slot]);
    /* A handler usually schedules: the new entry starts at index n, and
     * its first comparison is with that index's parent. */
    __builtin_prefetch(&h[(q->n - 1) / MR__ARITY]);
}

/* Pops the first live event due at or before end into *ev; returns 1, or 0
 * when none is due (the order of what stays is unchanged). */
static inline int mr__queue_pop_due(mr__queue *q, mr_time end, mr_event *ev)
{
    if (!mr__queue_settle(q) || q->heap[0].time > end)
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
    return q->n + q->n2 - q->dead;
}

#endif
