/* sim/pool.h: private to sim/. The event pool: one growable array of event
 * records addressed by 32-bit slot numbers, with a LIFO free list.
 * Invariants: a slot is FREE (on the free list), LIVE (pending in the
 * queue) or DEAD (cancelled, still referenced by a queue entry until it is
 * popped or compacted away); live_count = LIVE + DEAD slots; a record's
 * generation changes whenever it stops being LIVE, so a handle holding an
 * older generation is stale. LIFO reuse means the slot freed by the event
 * being dispatched is the one its handler's next schedule takes: still in
 * cache. Slots are never pointers, so growing the array invalidates nothing. */
#ifndef MRSIM_SIM_POOL_H
#define MRSIM_SIM_POOL_H

#include <stdint.h>
#include <string.h>

#include "mrsim/event.h"

#define MR__SLOT_LIVE UINT32_MAX
#define MR__SLOT_DEAD (UINT32_MAX - 1)
#define MR__SLOT_END (UINT32_MAX - 2) /* end of the free list */
#define MR__SLOT_MAX (UINT32_MAX - 3) /* slots are below this */

typedef struct mr__ev_rec {
    uint32_t target;
    uint32_t kind;
    uint32_t gen;
    uint32_t link; /* MR__SLOT_LIVE, MR__SLOT_DEAD, or the next free slot */
    union {
        unsigned char bytes[MR_PAYLOAD_SIZE];
        uint64_t align_;
    } payload;
} mr__ev_rec;

_Static_assert(sizeof(mr__ev_rec) == 16 + MR_PAYLOAD_SIZE, "event record has padding");

typedef struct mr__pool {
    mr__ev_rec *recs;
    uint32_t cap;        /* slots allocated */
    uint32_t used;       /* slots ever handed out (recs[used..cap) are untouched) */
    uint32_t free_head;  /* MR__SLOT_END when empty */
    uint32_t live_count; /* LIVE + DEAD */
} mr__pool;

/* bytes of memory aligned to align (a power of two >= sizeof(void *)),
 * on huge pages when it is large; free with free(). Aborts when out of memory. */
void *mr__big_alloc(size_t bytes, size_t align);

void mr__pool_init(mr__pool *p);
void mr__pool_fini(mr__pool *p);
/* Makes room for n slots in all. */
void mr__pool_reserve(mr__pool *p, uint32_t n);
/* Grows the array; called by mr__pool_alloc when every slot is in use. */
void mr__pool_grow(mr__pool *p);

/* Moves a record to its next generation, skipping 0 (the zero handle). */
static inline void mr__rec_retire(mr__ev_rec *r)
{
    if (++r->gen == 0)
        r->gen = 1;
}

/* A slot in the LIVE state. Aborts (out of memory) past MR__SLOT_MAX slots. */
static inline uint32_t mr__pool_alloc(mr__pool *p)
{
    uint32_t s = p->free_head;
    if (s != MR__SLOT_END) {
        p->free_head = p->recs[s].link;
    } else {
        if (p->used == p->cap)
            mr__pool_grow(p);
        s = p->used++;
        p->recs[s].gen = 1;
    }
    p->recs[s].link = MR__SLOT_LIVE;
    p->live_count++;
    return s;
}

/* Returns a LIVE or DEAD slot to the free list. */
static inline void mr__pool_release(mr__pool *p, uint32_t s)
{
    mr__ev_rec *r = &p->recs[s];
    if (r->link == MR__SLOT_LIVE)
        mr__rec_retire(r); /* a DEAD record's generation already moved at cancel */
    r->link = p->free_head;
    p->free_head = s;
    p->live_count--;
}

#endif
