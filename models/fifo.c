/* models/fifo.c: the Kiefer-Wolfowitz FIFO c-server queue (see fifo.h). */
#include <assert.h>
#include <stdlib.h>

#include "fifo.h"
#include "mrsim/alloc.h"

static void sift_down(mr_time *h, uint32_t n, uint32_t k)
{
    mr_time x = h[k];
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] < h[c])
            c++;
        if (h[c] >= x)
            break;
        h[k] = h[c];
        k = c;
    }
    h[k] = x;
}

static void sift_up(mr_time *h, uint32_t k)
{
    mr_time x = h[k];
    while (k > 0 && h[(k - 1) / 2] > x) {
        h[k] = h[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    h[k] = x;
}

void mr_fifo_init(mr_fifo *q, uint32_t c)
{
    q->cap = c ? c : 1;
    q->free_at = mr_xcalloc(q->cap, sizeof *q->free_at);
    q->c = c;
    q->last_t = 0;
    q->offers = 0;
}

void mr_fifo_reserve(mr_fifo *q, uint32_t cap)
{
    if (cap > q->cap) {
        q->free_at = mr_xrealloc(q->free_at, (size_t)cap * sizeof *q->free_at);
        q->cap = cap;
    }
}

void mr_fifo_fini(mr_fifo *q)
{
    free(q->free_at);
    q->free_at = NULL;
    q->c = q->cap = 0;
}

mr_time mr_fifo_offer(mr_fifo *q, mr_time t, mr_time s, mr_time patience)
{
    assert(t >= q->last_t && s >= 0 && patience >= 0);
    q->last_t = t;
    q->offers++;
    if (q->c == 0)
        return -1;
    mr_time start = q->free_at[0] > t ? q->free_at[0] : t;
    if (start - t > patience)
        return -1;
    q->free_at[0] = start + s;
    sift_down(q->free_at, q->c, 0);
    return start;
}

void mr_fifo_resize(mr_fifo *q, uint32_t c, mr_time t)
{
    mr_fifo_reserve(q, c);
    while (q->c < c) {
        q->free_at[q->c] = t;
        sift_up(q->free_at, q->c);
        q->c++;
    }
    while (q->c > c) {
        /* Pop the root: the server that frees up first. */
        q->c--;
        if (q->c > 0) {
            q->free_at[0] = q->free_at[q->c];
            sift_down(q->free_at, q->c, 0);
        }
    }
}

uint32_t mr_fifo_busy(const mr_fifo *q, mr_time t)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < q->c; i++)
        n += q->free_at[i] > t;
    return n;
}
