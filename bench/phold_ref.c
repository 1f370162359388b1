/* bench/phold_ref.c: the minimal reference PHOLD the kernel is measured
 * against: one loop, a plain binary heap of 16-byte (time, lp, seq)
 * entries, and an inline xoshiro256+ generator. It has none of the
 * kernel's generality (no pool, no payload, no cancel, no components, one
 * random stream): it is the practical upper bound for a binary heap.
 * Ties at equal times are broken by a 32-bit insertion counter, enough for
 * a benchmark. */
#include <math.h>
#include <stdlib.h>

#include "bench.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

typedef struct ref_entry {
    int64_t time;
    uint32_t lp;
    uint32_t seq;
} ref_entry;

typedef struct ref_state {
    uint64_t received;
    uint64_t hash;
} ref_state;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(uint64_t s[4])
{
    uint64_t result = s[0] + s[3];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline int ref_less(ref_entry a, ref_entry b)
{
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
}

static inline void ref_push(ref_entry *h, size_t *n, ref_entry e)
{
    size_t k = (*n)++;
    while (k > 0) {
        size_t p = (k - 1) / 2;
        if (!ref_less(e, h[p]))
            break;
        h[k] = h[p];
        k = p;
    }
    h[k] = e;
}

static inline ref_entry ref_pop(ref_entry *h, size_t *n)
{
    ref_entry top = h[0];
    ref_entry last = h[--*n];
    size_t k = 0, m = *n;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= m)
            break;
        if (c + 1 < m && ref_less(h[c + 1], h[c]))
            c++;
        if (!ref_less(h[c], last))
            break;
        h[k] = h[c];
        k = c;
    }
    if (m > 0)
        h[k] = last;
    return top;
}

static inline int64_t ref_delay(uint64_t s[4])
{
    /* Exp(1 s) by inversion of a uniform on (0, 1]. */
    double u = (double)((xoshiro_next(s) >> 11) + 1) * 0x1.0p-53;
    return (int64_t)(-log(u) * 1e9 + 0.5);
}

int mr_bench_phold_ref(const mr_phold_opts *opts, mr_phold_result *out)
{
    if (opts->lps < 1 || opts->pending < 1 || opts->events < 1 || opts->pending > UINT32_MAX / 2)
        return MR_EINVAL;
    uint64_t s[4];
    uint64_t z = opts->seed;
    for (int i = 0; i < 4; i++) { /* SplitMix64 seeding, as xoshiro's authors advise */
        z += 0x9e3779b97f4a7c15ULL;
        uint64_t x = z;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        s[i] = x ^ (x >> 31);
    }
    long rss0 = mr_bench_rss_kib();
    ref_entry *heap = mr_xmalloc(opts->pending * sizeof *heap);
    ref_state *lps = mr_xcalloc(opts->lps, sizeof *lps);
    for (uint32_t i = 0; i < opts->lps; i++)
        lps[i].hash = 0xcbf29ce484222325ULL;
    size_t n = 0;
    uint32_t seq = 0;
    for (uint64_t i = 0; i < opts->pending; i++) {
        ref_entry e = {ref_delay(s), (uint32_t)(i % opts->lps), seq++};
        ref_push(heap, &n, e);
    }

    double t0 = mr_bench_wall();
    int64_t now = 0;
    for (uint64_t k = 0; k < opts->events; k++) {
        ref_entry e = ref_pop(heap, &n);
        now = e.time;
        ref_state *st = &lps[e.lp];
        st->received++;
        st->hash = (st->hash ^ (uint64_t)e.time) * 0x100000001b3ULL;
        uint32_t dest = (uint32_t)(((xoshiro_next(s) >> 32) * opts->lps) >> 32);
        ref_entry next = {now + ref_delay(s), dest, seq++};
        ref_push(heap, &n, next);
    }
    double t1 = mr_bench_wall();
    long rss1 = mr_bench_rss_kib();

    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t i = 0; i < opts->lps; i++) {
        h = (h ^ lps[i].received) * 0x100000001b3ULL;
        h = (h ^ lps[i].hash) * 0x100000001b3ULL;
    }
    out->events = opts->events;
    out->wall_s = t1 - t0;
    out->events_per_s = out->wall_s > 0 ? (double)out->events / out->wall_s : 0;
    out->ns_per_event = 1e9 * out->wall_s / (double)out->events;
    out->peak_rss_kib = mr_bench_peak_rss_kib();
    out->bytes_per_pending = 1024.0 * (double)(rss1 - rss0) / (double)opts->pending;
    out->checksum = h;
    out->end_time = now;
    free(lps);
    free(heap);
    return MR_OK;
}
