/* sim/quantile.c: the mergeable log-bucket histogram (mr_hist) and its
 * quantiles.
 * Invariants: counts covers the octaves [lo_exp, lo_exp + n_oct), each split
 * into MR_HIST_SUB buckets, or is NULL with n_oct = 0 before the first value
 * at or above MR_HIST_MIN; zero plus the sum of counts is n. While
 * n <= MR_HIST_EXACT, exact[0 .. n_exact) holds every observation in the
 * order added and n_exact = n (exact may be NULL while n = 0); once n exceeds
 * MR_HIST_EXACT, exact is NULL and n_exact is 0 until the next reset. Empty:
 * sum = sumsq = 0, min = +INF, max = -INF. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/stats.h"

/* A value at or above MR_HIST_MIN lies in octave e when frexp gives it the
 * exponent e, that is in [2^(e-1), 2^e). The mantissa m in [0.5, 1) picks
 * one of MR_HIST_SUB equal sub-buckets; (m - 0.5) * 2 * MR_HIST_SUB is exact
 * in binary floating point, so a value on a bucket edge always lands above
 * it. The clamp is only a guard: m < 1 keeps the index below MR_HIST_SUB. */
static void bucket_of(double x, int *oct_exp, int *sub)
{
    int e;
    double m = frexp(x, &e);
    int s = (int)((m - 0.5) * 2 * MR_HIST_SUB);
    *oct_exp = e;
    *sub = s < MR_HIST_SUB - 1 ? s : MR_HIST_SUB - 1;
}

/* Lower edge of bucket sub of octave e. */
static double bucket_lower(int e, int sub)
{
    return ldexp(0.5 + (double)sub / (2.0 * MR_HIST_SUB), e);
}

/* Midpoint of bucket sub of octave e: within half a bucket width, 2^e / (4
 * MR_HIST_SUB), of any value in it, and those values are at least 2^(e-1),
 * hence the relative error of 1 / (2 MR_HIST_SUB) that stats.h documents. */
static double bucket_mid(int e, int sub)
{
    return ldexp(0.5 + ((double)sub + 0.5) / (2.0 * MR_HIST_SUB), e);
}

/* Grows counts, zero-filled, so that it covers the octaves [lo, hi). It takes
 * the exact union of the old and the new range: histograms of one quantity
 * span a few dozen octaves and grow a handful of times, so geometric growth
 * would buy nothing. */
static void cover(mr_hist *h, int lo, int hi)
{
    if (h->n_oct == 0) {
        h->counts = mr_xcalloc((size_t)(hi - lo) * MR_HIST_SUB, sizeof *h->counts);
        h->lo_exp = lo;
        h->n_oct = hi - lo;
        return;
    }
    int old_lo = h->lo_exp;
    int old_hi = h->lo_exp + h->n_oct;
    int new_lo = lo < old_lo ? lo : old_lo;
    int new_hi = hi > old_hi ? hi : old_hi;
    if (new_lo == old_lo && new_hi == old_hi)
        return;
    size_t old_n = (size_t)h->n_oct * MR_HIST_SUB;
    size_t front = (size_t)(old_lo - new_lo) * MR_HIST_SUB;
    size_t back = (size_t)(new_hi - old_hi) * MR_HIST_SUB;
    h->counts = mr_xrealloc(h->counts, (old_n + front + back) * sizeof *h->counts);
    if (front > 0) {
        memmove(h->counts + front, h->counts, old_n * sizeof *h->counts);
        memset(h->counts, 0, front * sizeof *h->counts);
    }
    memset(h->counts + front + old_n, 0, back * sizeof *h->counts);
    h->lo_exp = new_lo;
    h->n_oct = new_hi - new_lo;
}

void mr_hist_init(mr_hist *h)
{
    h->counts = NULL;
    h->exact = NULL;
    h->lo_exp = 0;
    h->n_oct = 0;
    mr_hist_reset(h);
}

void mr_hist_fini(mr_hist *h)
{
    free(h->counts);
    free(h->exact);
    h->counts = NULL;
    h->exact = NULL;
    h->n_oct = 0;
    h->n_exact = 0;
}

void mr_hist_reset(mr_hist *h)
{
    h->n = 0;
    h->zero = 0;
    if (h->counts != NULL)
        memset(h->counts, 0, (size_t)h->n_oct * MR_HIST_SUB * sizeof *h->counts);
    h->n_exact = 0;
    h->sum = 0.0;
    h->sumsq = 0.0;
    h->min = INFINITY;
    h->max = -INFINITY;
}

/* The exact buffer is allocated whole: the struct has no capacity field, and
 * MR_HIST_EXACT doubles are 4 KiB, paid only by histograms that are used. */
static void ensure_exact(mr_hist *h)
{
    if (h->exact == NULL)
        h->exact = mr_xmalloc(MR_HIST_EXACT * sizeof *h->exact);
}

static void drop_exact(mr_hist *h)
{
    free(h->exact);
    h->exact = NULL;
    h->n_exact = 0;
}

void mr_hist_add(mr_hist *h, double x)
{
    /* A checked invariant even in release builds: a negative or NaN value
     * would index outside counts. */
    if (!(x >= 0 && isfinite(x)))
        mr_fatal("histogram value %g is negative or not finite", x);
    if (x < MR_HIST_MIN) {
        h->zero++;
    } else {
        int e, sub;
        bucket_of(x, &e, &sub);
        if (h->n_oct == 0 || e < h->lo_exp || e >= h->lo_exp + h->n_oct)
            cover(h, e, e + 1);
        h->counts[(size_t)(e - h->lo_exp) * MR_HIST_SUB + (size_t)sub]++;
    }
    h->n++;
    if (h->n <= MR_HIST_EXACT) {
        ensure_exact(h);
        h->exact[h->n_exact++] = x;
    } else if (h->exact != NULL) {
        drop_exact(h);
    }
    h->sum += x;
    h->sumsq += x * x;
    if (x < h->min)
        h->min = x;
    if (x > h->max)
        h->max = x;
}

/* Exact samples survive only when the union still fits; by the invariant
 * each side is then still exact itself. Concatenating dst's then src's keeps
 * the insertion order of one pass that adds dst's observations first. */
void mr_hist_merge(mr_hist *dst, const mr_hist *src)
{
    assert(dst != src);
    if (src->n == 0)
        return;
    if (src->n_oct > 0) {
        cover(dst, src->lo_exp, src->lo_exp + src->n_oct);
        size_t off = (size_t)(src->lo_exp - dst->lo_exp) * MR_HIST_SUB;
        size_t len = (size_t)src->n_oct * MR_HIST_SUB;
        for (size_t i = 0; i < len; i++)
            dst->counts[off + i] += src->counts[i];
    }
    dst->zero += src->zero;
    if (dst->n + src->n <= MR_HIST_EXACT) {
        assert(dst->n_exact == dst->n && src->n_exact == src->n);
        ensure_exact(dst);
        memcpy(dst->exact + dst->n_exact, src->exact, src->n_exact * sizeof *src->exact);
        dst->n_exact += src->n_exact;
    } else if (dst->exact != NULL) {
        drop_exact(dst);
    }
    dst->n += src->n;
    dst->sum += src->sum;
    dst->sumsq += src->sumsq;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Representative of the order statistic of rank k (0-based): 0 in the zero
 * bucket, otherwise the midpoint of the bucket that holds it. */
static double order_stat(const mr_hist *h, uint64_t k)
{
    if (k < h->zero)
        return 0.0;
    uint64_t seen = h->zero;
    size_t len = (size_t)h->n_oct * MR_HIST_SUB;
    for (size_t i = 0; i < len; i++) {
        seen += h->counts[i];
        if (k < seen) {
            int sub = (int)(i % MR_HIST_SUB);
            return bucket_mid(h->lo_exp + (int)(i / MR_HIST_SUB), sub);
        }
    }
    /* Unreachable while zero plus the counts is n. */
    assert(0);
    return h->max;
}

/* GSL's definition on the sorted sample: rank r = q (n - 1), linear
 * interpolation between the order statistics floor(r) and floor(r) + 1.
 * From the buckets the same interpolation runs on the representatives; a
 * convex combination of values each within a relative error e of its order
 * statistic is within e of the interpolated quantile, so the documented
 * bound still holds. The clamp to [min, max] can only move the estimate
 * towards the true quantile, which lies in that range. */
double mr_hist_quantile(const mr_hist *h, double q)
{
    assert(q >= 0 && q <= 1);
    if (h->n == 0)
        return NAN;
    if (h->exact != NULL) {
        /* At most MR_HIST_EXACT values: a 4 KiB stack copy, sorted on each
         * call, keeps the function const and the histogram lock-free. */
        double sorted[MR_HIST_EXACT];
        memcpy(sorted, h->exact, h->n_exact * sizeof *sorted);
        qsort(sorted, h->n_exact, sizeof *sorted, cmp_double);
        return gsl_stats_quantile_from_sorted_data(sorted, 1, h->n_exact, q);
    }
    double rank = q * (double)(h->n - 1);
    uint64_t lo = (uint64_t)rank;
    double frac = rank - (double)lo;
    double v = order_stat(h, lo);
    if (frac > 0 && lo + 1 < h->n)
        v = (1 - frac) * v + frac * order_stat(h, lo + 1);
    if (v < h->min)
        v = h->min;
    if (v > h->max)
        v = h->max;
    return v;
}

/* The count of bucket sub of octave e in h (0 outside what it covers). */
static uint64_t count_at(const mr_hist *h, int e, int sub)
{
    if (h->n_oct == 0 || e < h->lo_exp || e >= h->lo_exp + h->n_oct)
        return 0;
    return h->counts[(size_t)(e - h->lo_exp) * MR_HIST_SUB + (size_t)sub];
}

/* order_stat over the bucket-wise difference now - before. before being an
 * earlier state, now covers every octave before does and each of its counts
 * is at least before's, so the differences are counts of the new
 * observations. */
static double order_stat_since(const mr_hist *now, const mr_hist *before, uint64_t k)
{
    uint64_t seen = now->zero - before->zero;
    if (k < seen)
        return 0.0;
    size_t len = (size_t)now->n_oct * MR_HIST_SUB;
    for (size_t i = 0; i < len; i++) {
        int e = now->lo_exp + (int)(i / MR_HIST_SUB), sub = (int)(i % MR_HIST_SUB);
        seen += now->counts[i] - count_at(before, e, sub);
        if (k < seen)
            return bucket_mid(e, sub);
    }
    /* Unreachable while before is an earlier state of now. */
    assert(0);
    return now->max;
}

/* The same definition as mr_hist_quantile, on the new observations. An
 * empty before is mr_hist_quantile itself, bit for bit (its clamp to the
 * minimum included). Otherwise the clamp is to now's maximum only: the new
 * observations' minimum is not kept. Called per period boundary of the
 * live run, never per event. */
double mr_hist_quantile_since(const mr_hist *now, const mr_hist *before, double q)
{
    assert(q >= 0 && q <= 1);
    if (before->n >= now->n)
        return NAN;
    if (before->n == 0)
        return mr_hist_quantile(now, q);
    uint64_t n = now->n - before->n;
    if (now->exact != NULL) {
        /* now holds its sample in the order added, and before (fewer) was
         * exact too: the new observations are now's last n. */
        double sorted[MR_HIST_EXACT];
        memcpy(sorted, now->exact + before->n, (size_t)n * sizeof *sorted);
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
        return gsl_stats_quantile_from_sorted_data(sorted, 1, (size_t)n, q);
    }
    double rank = q * (double)(n - 1);
    uint64_t lo = (uint64_t)rank;
    double frac = rank - (double)lo;
    double v = order_stat_since(now, before, lo);
    if (frac > 0 && lo + 1 < n)
        v = (1 - frac) * v + frac * order_stat_since(now, before, lo + 1);
    return v > now->max ? now->max : v;
}

double mr_hist_mean(const mr_hist *h)
{
    if (h->n == 0)
        return NAN;
    return h->sum / (double)h->n;
}

int mr_hist_is_exact(const mr_hist *h)
{
    return h->n <= MR_HIST_EXACT;
}

/* Layout: n, zero, n_exact, the number of non-empty buckets (uint64);
 * lo_exp, n_oct (int64); sum, sumsq, min, max; then (index, count) per non-empty
 * bucket (uint64 each), then the exact values. Only non-empty buckets
 * travel: a replication's histogram spans a few dozen octaves of 128
 * buckets, most of them empty. */
enum { HIST_HEAD = 4 * 8 + 2 * 8 + 4 * 8 };

static size_t put(unsigned char *buf, size_t cap, size_t at, const void *v, size_t len)
{
    if (buf != NULL && at + len <= cap)
        memcpy(buf + at, v, len);
    return at + len;
}

size_t mr_hist_pack(const mr_hist *h, void *vbuf, size_t cap)
{
    unsigned char *buf = vbuf;
    size_t len = (size_t)h->n_oct * MR_HIST_SUB;
    uint64_t nnz = 0;
    for (size_t i = 0; i < len; i++)
        nnz += h->counts[i] != 0;
    uint64_t head[4] = {h->n, h->zero, h->n_exact, nnz};
    int64_t range[2] = {h->lo_exp, h->n_oct};
    double sums[4] = {h->sum, h->sumsq, h->min, h->max};
    size_t need = HIST_HEAD + (size_t)nnz * 16 + h->n_exact * sizeof(double);
    if (buf == NULL || cap < need)
        return need;
    size_t at = put(buf, cap, 0, head, sizeof head);
    at = put(buf, cap, at, range, sizeof range);
    at = put(buf, cap, at, sums, sizeof sums);
    for (size_t i = 0; i < len; i++) {
        if (h->counts[i] == 0)
            continue;
        uint64_t pair[2] = {i, h->counts[i]};
        at = put(buf, cap, at, pair, sizeof pair);
    }
    if (h->n_exact > 0)
        put(buf, cap, at, h->exact, h->n_exact * sizeof(double));
    return need;
}

int mr_hist_unpack(mr_hist *h, const void *vbuf, size_t len)
{
    const unsigned char *buf = vbuf;
    uint64_t head[4];
    int64_t range[2];
    double sums[4];
    if (len < HIST_HEAD)
        return MR_EINVAL;
    memcpy(head, buf, sizeof head);
    memcpy(range, buf + sizeof head, sizeof range);
    memcpy(sums, buf + sizeof head + sizeof range, sizeof sums);
    uint64_t n = head[0], n_exact = head[2], nnz = head[3];
    if (range[1] < 0 || range[1] > 4096 || range[0] < -4096 || range[0] > 4096 ||
        n_exact != (n <= MR_HIST_EXACT ? n : 0) || nnz > (uint64_t)range[1] * MR_HIST_SUB ||
        len != HIST_HEAD + nnz * 16 + n_exact * sizeof(double))
        return MR_EINVAL;
    size_t nbuckets = (size_t)range[1] * MR_HIST_SUB;
    uint64_t *counts = range[1] > 0 ? mr_xcalloc(nbuckets, sizeof *counts) : NULL;
    const unsigned char *p = buf + HIST_HEAD;
    for (uint64_t k = 0; k < nnz; k++, p += 16) {
        uint64_t pair[2];
        memcpy(pair, p, sizeof pair);
        if (pair[0] >= nbuckets) {
            free(counts);
            return MR_EINVAL;
        }
        counts[pair[0]] = pair[1];
    }
    mr_hist_fini(h);
    mr_hist_init(h);
    h->counts = counts;
    h->lo_exp = (int)range[0];
    h->n_oct = (int)range[1];
    if (n_exact > 0) {
        ensure_exact(h);
        memcpy(h->exact, p, n_exact * sizeof(double));
    }
    h->n = n;
    h->zero = head[1];
    h->n_exact = (size_t)n_exact;
    h->sum = sums[0];
    h->sumsq = sums[1];
    h->min = sums[2];
    h->max = sums[3];
    return MR_OK;
}

/* *i walks the zero bucket (position 0), then counts[*i - 1]. */
int mr_hist_next_bin(const mr_hist *h, size_t *i, double *lower, uint64_t *count)
{
    if (*i == 0) {
        *i = 1;
        if (h->zero > 0) {
            *lower = 0.0;
            *count = h->zero;
            return 1;
        }
    }
    size_t len = (size_t)h->n_oct * MR_HIST_SUB;
    while (*i <= len) {
        size_t j = (*i)++ - 1;
        if (h->counts[j] > 0) {
            *lower = bucket_lower(h->lo_exp + (int)(j / MR_HIST_SUB), (int)(j % MR_HIST_SUB));
            *count = h->counts[j];
            return 1;
        }
    }
    return 0;
}
