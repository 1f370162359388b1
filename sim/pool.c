/* sim/pool.c: growth of the event pool (see pool.h for its invariants),
 * and the allocator of the kernel's two big arrays (pool and heap). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mrsim/alloc.h"
#include "pool.h"

void mr__pool_init(mr__pool *p)
{
    p->recs = NULL;
    p->cap = 0;
    p->used = 0;
    p->free_head = MR__SLOT_END;
    p->live_count = 0;
}

void mr__pool_fini(mr__pool *p)
{
    free(p->recs);
    mr__pool_init(p);
}

/* Arrays from this size on are aligned to and backed by 2 MiB pages where
 * the system allows: at a million pending events, random accesses into
 * 4 KiB pages cost a TLB miss each, which doubled the time per event. */
#define HUGE_PAGE ((size_t)2 << 20)

void *mr__big_alloc(size_t bytes, size_t align)
{
    void *p = NULL;
    if (bytes >= 2 * HUGE_PAGE)
        align = HUGE_PAGE;
    if (posix_memalign(&p, align, bytes) != 0)
        mr_fatal("out of memory (allocating %zu bytes)", bytes);
#ifdef MADV_HUGEPAGE
    if (align == HUGE_PAGE)
        madvise(p, bytes - bytes % HUGE_PAGE, MADV_HUGEPAGE); /* advice: failure is harmless */
#endif
    return p;
}

void mr__pool_reserve(mr__pool *p, uint32_t n)
{
    if (n <= p->cap)
        return;
    if (n > MR__SLOT_MAX)
        mr_fatal("more than %u pending events", (unsigned)MR__SLOT_MAX);
    /* Pages past `used` are never touched until needed, so reserving a large
     * array costs address space, not resident memory. */
    mr__ev_rec *recs = mr__big_alloc((size_t)n * sizeof *recs, 64);
    if (p->used)
        memcpy(recs, p->recs, (size_t)p->used * sizeof *recs);
    free(p->recs);
    p->recs = recs;
    p->cap = n;
}

void mr__pool_grow(mr__pool *p)
{
    uint64_t n = p->cap ? (uint64_t)p->cap * 2 : 1024;
    if (n > MR__SLOT_MAX)
        n = MR__SLOT_MAX;
    if (n <= p->cap)
        mr_fatal("more than %u pending events", (unsigned)MR__SLOT_MAX);
    mr__pool_reserve(p, (uint32_t)n);
}
