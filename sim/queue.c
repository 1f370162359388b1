/* sim/queue.c: the cold parts of the event queue: growth, cancel,
 * compaction and teardown (queue.h has the invariants and the hot path). */
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "queue.h"

/* Below this many dead entries a compaction is not worth its O(n) pass. */
#define COMPACT_MIN_DEAD 1024

void mr__queue_init(mr__queue *q)
{
    q->heap = NULL;
    q->raw = NULL;
    q->n = 0;
    q->cap = 0;
    q->dead = 0;
    q->next_seq = 0;
    mr__pool_init(&q->pool);
}

uint32_t mr__queue_fini(mr__queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        mr__pool_release(&q->pool, q->heap[i].slot);
    uint32_t leaked = q->pool.live_count;
    free(q->raw);
    mr__pool_fini(&q->pool);
    q->heap = NULL;
    q->raw = NULL;
    q->n = q->cap = q->dead = 0;
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
    if (q->dead >= COMPACT_MIN_DEAD && q->dead > q->n / 2)
        mr__queue_compact(q);
    return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const mr__entry *a = pa, *b = pb;
    return mr__entry_less(*b, *a) - mr__entry_less(*a, *b);
}

void mr__queue_renumber(mr__queue *q)
{
    /* A sorted array is a valid heap, so sorting is the whole rebuild. */
    qsort(q->heap, q->n, sizeof *q->heap, entry_cmp);
    for (size_t i = 0; i < q->n; i++)
        q->heap[i].seq = (uint32_t)i;
    q->next_seq = (uint32_t)q->n;
}

void mr__queue_compact(mr__queue *q)
{
    size_t w = 0;
    for (size_t i = 0; i < q->n; i++) {
        uint32_t s = q->heap[i].slot;
        if (q->pool.recs[s].link == MR__SLOT_DEAD)
            mr__pool_release(&q->pool, s);
        else
            q->heap[w++] = q->heap[i];
    }
    q->n = w;
    q->dead = 0;
    /* Floyd's heap construction: sift every internal node down, last first. */
    if (q->n > 1) {
        for (size_t k = (q->n - 2) / MR__ARITY + 1; k-- > 0;)
            mr__queue_sift_down(q, k, q->heap[k]);
    }
}
