/* sim/queue.c: the cold parts of the event queue: growth, cancel,
 * compaction, renumbering, and the calendar's spill, refill and
 * redistribution (queue.h has the invariants and the hot path). */
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "queue.h"

/* Below this many dead entries a compaction is not worth its O(n) pass. */
#define COMPACT_MIN_DEAD 1024
/* A refill that meets more empty buckets than this, or a bucket this many
 * times the target, means the bucket width no longer fits the events. */
#define TOO_SPARSE 256
#define TOO_DENSE 16

void mr__queue_init(mr__queue *q)
{
    memset(q, 0, sizeof *q);
    mr__pool_init(&q->pool);
    q->far_min = INT64_MAX;
}

static void free_chunk_list(mr__chunk *c)
{
    while (c) {
        mr__chunk *next = c->next;
        free(c);
        c = next;
    }
}

static void release_chunk_list(mr__queue *q, mr__chunk *c)
{
    for (; c; c = c->next) {
        for (uint32_t i = 0; i < c->n; i++)
            mr__pool_release(&q->pool, c->e[i].slot);
    }
}

uint32_t mr__queue_fini(mr__queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        mr__pool_release(&q->pool, q->heap[i].slot);
    if (q->buckets) {
        for (size_t b = 0; b < MR__NBUCKETS; b++) {
            release_chunk_list(q, q->buckets[b].head);
            free_chunk_list(q->buckets[b].head);
        }
    }
    release_chunk_list(q, q->far.head);
    free_chunk_list(q->far.head);
    free_chunk_list(q->free_chunks);
    free(q->buckets);
    uint32_t leaked = q->pool.live_count;
    free(q->raw);
    mr__pool_fini(&q->pool);
    mr__queue_init(q);
    return leaked;
}

void mr__queue_reserve(mr__queue *q, size_t n)
{
    if (n <= q->cap)
        return;
    if (n > MR__SLOT_MAX)
        n = MR__SLOT_MAX;
    void *raw = mr__big_alloc((n + MR__ARITY - 1) * sizeof(mr__entry), 64);
    mr__entry *heap = (mr__entry *)raw + (MR__ARITY - 1);
    if (q->n)
        memcpy(heap, q->heap, q->n * sizeof(mr__entry));
    free(q->raw);
    q->raw = raw;
    q->heap = heap;
    q->cap = n;
    mr__pool_reserve(&q->pool, (uint32_t)n);
}

void mr__queue_grow(mr__queue *q)
{
    if (q->cap >= MR__SLOT_MAX)
        mr_fatal("more than %u pending events", (unsigned)MR__SLOT_MAX);
    mr__queue_reserve(q, q->cap ? q->cap * 2 : 1024);
}

mr__chunk *mr__queue_new_chunk(mr__queue *q)
{
    mr__chunk *c = q->free_chunks;
    if (c)
        q->free_chunks = c->next;
    else
        c = mr_xmalloc(sizeof *c);
    c->next = NULL;
    c->n = 0;
    return c;
}

static void recycle_chunk(mr__queue *q, mr__chunk *c)
{
    c->next = q->free_chunks;
    q->free_chunks = c;
}

/* Appends every entry of the list to the heap array (order not kept) and
 * recycles the chunks. */
static void drain_list(mr__queue *q, mr__bucket *b)
{
    mr__chunk *c = b->head;
    while (c) {
        if (q->n + c->n > q->cap)
            mr__queue_reserve(q, 2 * (q->n + c->n));
        memcpy(q->heap + q->n, c->e, c->n * sizeof(mr__entry));
        q->n += c->n;
        mr__chunk *next = c->next;
        recycle_chunk(q, c);
        c = next;
    }
    b->head = b->tail = NULL;
}

/* Floyd's heap construction: sift every internal node down, last first. */
static void heapify(mr__queue *q)
{
    if (q->n > 1) {
        for (size_t k = (q->n - 2) / MR__ARITY + 1; k-- > 0;)
            mr__queue_sift_down(q, k, q->heap[k]);
    }
}

/* Brings every calendar entry back into the heap array, unordered, and
 * leaves the calendar off. */
static void gather_all(mr__queue *q)
{
    if (!q->spilled)
        return;
    for (size_t b = 0; b < MR__NBUCKETS; b++)
        drain_list(q, &q->buckets[b]);
    drain_list(q, &q->far);
    q->n2 = q->nfar = 0;
    q->far_min = INT64_MAX;
    q->spilled = 0;
}

/* Chooses the bucket width so that a bucket holds about the target
 * number of entries, given their count and time span. */
static int fit_shift(mr_time tmin, mr_time tmax, size_t n)
{
    double width = ((double)tmax - (double)tmin + 1.0) * MR__BUCKET_TARGET / (double)n;
    int shift = 0;
    while (shift < 62 && (double)((int64_t)1 << (shift + 1)) <= width)
        shift++;
    return shift;
}

/* Places an entry in the tier its bucket id says (while spilled). */
static void place(mr__queue *q, mr__entry e)
{
    if ((e.time >> q->wshift) > q->cur) {
        mr__queue_tier2_add(q, e);
    } else {
        if (q->n == q->cap)
            mr__queue_grow(q);
        q->heap[q->n++] = e; /* heapified by the caller */
    }
}

/* The steps of rebuild, each one pass over what it names. */

/* Detaches every calendar list (the buckets in order, then far) into one
 * chain of chunks, which it returns, and leaves the calendar empty. */
static mr__chunk *detach_all(mr__queue *q)
{
    mr__chunk *chain = NULL, **tail = &chain;
    if (q->spilled) {
        for (size_t b = 0; b < MR__NBUCKETS; b++) {
            if (q->buckets[b].head) {
                *tail = q->buckets[b].head;
                tail = &q->buckets[b].tail->next;
                q->buckets[b].head = q->buckets[b].tail = NULL;
            }
        }
        if (q->far.head) {
            *tail = q->far.head;
            tail = &q->far.tail->next;
            q->far.head = q->far.tail = NULL;
        }
    }
    q->n2 = q->nfar = 0;
    q->far_min = INT64_MAX;
    return chain;
}

/* Drops the dead entries of the heap array, releasing their slots; the
 * live keep their order (the array is heapified later). */
static void drop_dead_in_heap(mr__queue *q)
{
    size_t w = 0;
    for (size_t i = 0; i < q->n; i++) {
        mr__entry e = q->heap[i];
        if (q->pool.recs[e.slot].link == MR__SLOT_DEAD) {
            mr__pool_release(&q->pool, e.slot);
            q->dead--;
        } else {
            q->heap[w++] = e;
        }
    }
    q->n = w;
}

/* Fits the bucket width to the span and count of every pending entry, in
 * the heap array and in the detached chain, and starts the window at the
 * earliest. */
static void refit_width(mr__queue *q, const mr__chunk *chain)
{
    size_t count = q->n;
    mr_time tmin = MR_TIME_NEVER, tmax = 0;
    for (size_t i = 0; i < q->n; i++) {
        tmin = q->heap[i].time < tmin ? q->heap[i].time : tmin;
        tmax = q->heap[i].time > tmax ? q->heap[i].time : tmax;
    }
    for (const mr__chunk *c = chain; c; c = c->next) {
        for (uint32_t i = 0; i < c->n; i++) {
            tmin = c->e[i].time < tmin ? c->e[i].time : tmin;
            tmax = c->e[i].time > tmax ? c->e[i].time : tmax;
        }
        count += c->n;
    }
    if (count > 0) {
        q->wshift = fit_shift(tmin, tmax, count);
        q->cur = tmin >> q->wshift;
    }
    q->pops_since_respill = 0;
}

/* Turns the calendar on, and moves the heap entries that now belong to a
 * later bucket into it. */
static void spill_heap(mr__queue *q)
{
    if (q->buckets == NULL)
        q->buckets = mr_xcalloc(MR__NBUCKETS, sizeof *q->buckets);
    q->spilled = 1;
    size_t k = 0;
    for (size_t i = 0; i < q->n; i++) {
        mr__entry e = q->heap[i];
        if ((e.time >> q->wshift) > q->cur)
            mr__queue_tier2_add(q, e);
        else
            q->heap[k++] = e;
    }
    q->n = k;
}

/* Places every entry of the chain in its tier (dropping the dead ones when
 * drop_dead), recycling each chunk as it empties. */
static void place_chain(mr__queue *q, mr__chunk *chain, int drop_dead)
{
    while (chain) {
        for (uint32_t i = 0; i < chain->n; i++) {
            mr__entry e = chain->e[i];
            if (drop_dead && q->pool.recs[e.slot].link == MR__SLOT_DEAD) {
                mr__pool_release(&q->pool, e.slot);
                q->dead--;
            } else {
                place(q, e);
            }
        }
        mr__chunk *next = chain->next;
        recycle_chunk(q, chain);
        chain = next;
    }
}

/* Rebuilds both tiers in place: drops dead entries (drop_dead) and/or
 * fits the bucket width anew to what is pending (refit). Entries move
 * chunk by chunk and chunks are recycled as they empty, so this touches no
 * more memory than the tiers already hold. */
static void rebuild(mr__queue *q, int drop_dead, int refit)
{
    mr__chunk *chain = detach_all(q);
    if (drop_dead)
        drop_dead_in_heap(q);
    if (refit)
        refit_width(q, chain);
    if (q->spilled || refit)
        spill_heap(q);
    place_chain(q, chain, drop_dead);
    heapify(q);
}

int mr__queue_is_pending(const mr__queue *q, mr_handle h)
{
    if (h.gen == 0 || h.slot >= q->pool.used)
        return 0;
    const mr__ev_rec *r = &q->pool.recs[h.slot];
    return r->gen == h.gen && r->link == MR__SLOT_LIVE;
}

int mr__queue_cancel(mr__queue *q, mr_handle h)
{
    if (!mr__queue_is_pending(q, h))
        return -1;
    mr__ev_rec *r = &q->pool.recs[h.slot];
    r->link = MR__SLOT_DEAD;
    mr__rec_retire(r);
    q->dead++;
    if (q->dead >= COMPACT_MIN_DEAD && q->dead > mr__queue_total(q) / 2)
        mr__queue_compact(q);
    return 0;
}

void mr__queue_compact(mr__queue *q)
{
    q->compactions++;
    rebuild(q, 1, 0);
}

static int entry_cmp(const void *pa, const void *pb)
{
    const mr__entry *a = pa, *b = pb;
    return mr__entry_less(*b, *a) - mr__entry_less(*a, *b);
}

void mr__queue_renumber(mr__queue *q)
{
    gather_all(q);
    /* A sorted array is a valid heap, so sorting is the whole rebuild. */
    qsort(q->heap, q->n, sizeof *q->heap, entry_cmp);
    for (size_t i = 0; i < q->n; i++)
        q->heap[i].seq = (uint32_t)i;
    q->next_seq = (uint32_t)q->n;
    if (q->n > MR__SPILL_AT)
        mr__queue_spill(q);
}

void mr__queue_spill(mr__queue *q)
{
    q->refits += q->spilled;
    rebuild(q, 0, 1);
}

/* Moves every far entry that now falls inside the bucket window into its
 * bucket; the rest stay far. */
static void redistribute_far(mr__queue *q)
{
    mr__chunk *c = q->far.head;
    q->far_moves++;
    q->far.head = q->far.tail = NULL;
    q->n2 -= q->nfar;
    q->nfar = 0;
    q->far_min = INT64_MAX;
    while (c) {
        for (uint32_t i = 0; i < c->n; i++)
            mr__queue_tier2_add(q, c->e[i]);
        mr__chunk *next = c->next;
        recycle_chunk(q, c);
        c = next;
    }
}

int mr__queue_refill(mr__queue *q)
{
    size_t empty = 0;
    while (q->n == 0) {
        if (q->n2 == 0)
            return 0;
        if (q->n2 == q->nfar) {
            /* Every bucket is empty: jump to the first far bucket. */
            q->cur = q->far_min - 1;
            redistribute_far(q);
        }
        q->cur++;
        mr__bucket *b = &q->buckets[q->cur & (MR__NBUCKETS - 1)];
        drain_list(q, b);
        q->n2 -= q->n;
        /* Only now is the drained slot free for the id entering the window
         * (cur + NBUCKETS shares it): far entries may move in. */
        if (q->far_min - q->cur <= MR__NBUCKETS)
            redistribute_far(q);
        if (q->n == 0)
            empty++;
    }
    heapify(q);
    q->pops_since_respill += q->n;
    int misfit = empty > TOO_SPARSE || q->n > (size_t)TOO_DENSE * MR__BUCKET_TARGET;
    if (misfit && q->pops_since_respill > mr__queue_total(q))
        mr__queue_spill(q); /* choose the width again from what is pending */
    return 1;
}
