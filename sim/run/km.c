/* sim/run/km.c: the Kaplan-Meier estimate of km.h. With the observations
 * sorted by time, at each distinct time t with d recoveries among the r
 * still at risk, S(t) = S(t-) x (1 - d / r); a censoring at t leaves S and
 * removes one from the risk set after t's recoveries (the usual tie rule).
 * The q-quantile is the first time with 1 - S(t) >= q. Invariant: the
 * result depends on the multiset of observations only (the sort is total:
 * time, then events first). */
#include <math.h>
#include <stdlib.h>

#include "km.h"
#include "mrsim/alloc.h"

static int by_time(const void *a, const void *b)
{
    const mr__km_obs *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->censored - y->censored;
}

double mr__km_quantile(mr__km_obs *obs, size_t n, double q, int *lower)
{
    *lower = 0;
    double at_risk = 0;
    for (size_t i = 0; i < n; i++)
        at_risk += obs[i].count;
    if (n == 0 || !(at_risk > 0))
        return NAN;
    qsort(obs, n, sizeof *obs, by_time);
    double surv = 1;
    /* A small tolerance so that S exactly on 1 - q (e.g. 2 of 4 recovered
     * for the median) counts as reached, whatever the rounding. */
    const double eps = 1e-12;
    for (size_t i = 0; i < n;) {
        double t = obs[i].t, d = 0, c = 0;
        for (; i < n && obs[i].t == t; i++) {
            if (obs[i].censored)
                c += obs[i].count;
            else
                d += obs[i].count;
        }
        if (d > 0 && at_risk > 0)
            surv *= 1 - d / at_risk;
        at_risk -= d + c;
        if (1 - surv >= q - eps)
            return t;
    }
    *lower = 1;
    return obs[n - 1].t;
}

/* Appends h's observations (values, or buckets at their middle). */
static size_t add_hist(mr__km_obs *out, size_t k, const mr_hist *h, int censored, int exact)
{
    if (exact) {
        for (size_t i = 0; i < h->n_exact; i++)
            out[k++] = (mr__km_obs){.t = h->exact[i], .count = 1, .censored = censored};
        return k;
    }
    size_t it = 0;
    double lower;
    uint64_t count;
    while (mr_hist_next_bin(h, &it, &lower, &count)) {
        double mid = 0;
        if (lower > 0) {
            int e;
            frexp(lower, &e); /* lower in [2^(e-1), 2^e): buckets 2^(e-1) / MR_HIST_SUB wide */
            mid = lower + 0.5 * ldexp(1.0, e - 1) / MR_HIST_SUB;
        }
        out[k++] = (mr__km_obs){.t = mid, .count = (double)count, .censored = censored};
    }
    return k;
}

mr__km_obs *mr__km_from_hists(const mr_hist *recovered, const mr_hist *censored, size_t *n)
{
    int exact = mr_hist_is_exact(recovered) && mr_hist_is_exact(censored);
    size_t cap = 0;
    const mr_hist *hs[2] = {recovered, censored};
    for (int j = 0; j < 2; j++) {
        if (exact) {
            cap += hs[j]->n_exact;
            continue;
        }
        size_t it = 0;
        double lower;
        uint64_t count;
        while (mr_hist_next_bin(hs[j], &it, &lower, &count))
            cap++;
    }
    mr__km_obs *out = mr_xmalloc((cap ? cap : 1) * sizeof *out);
    size_t k = add_hist(out, 0, recovered, 0, exact);
    *n = add_hist(out, k, censored, 1, exact);
    return out;
}

/* The Kaplan-Meier p50, p95 and p99 of obs into s, each marked a lower
 * bound when it falls in the censored mass. */
void mr__km_percentiles(mr_summary *s, mr__km_obs *obs, size_t n)
{
    static const double qs[3] = {0.50, 0.95, 0.99};
    static const unsigned bits[3] = {MR_LB_P50, MR_LB_P95, MR_LB_P99};
    double *out[3] = {&s->p50, &s->p95, &s->p99};
    for (int i = 0; i < 3; i++) {
        int lower;
        *out[i] = mr__km_quantile(obs, n, qs[i], &lower);
        s->lower |= lower ? bits[i] : 0;
    }
}

/* Censoring over replications (run.c, timeline.c): value i (values[i x stride]) censored when
 * cens[i x cstride] > 0; with none censored the percentiles stay as
 * mr_summarize made them. */
void mr__km_censor_reps(mr_summary *s, const double *values, const double *cens, size_t cstride,
                        uint64_t reps, size_t stride)
{
    s->censorable = 1;
    mr__km_obs *obs = mr_xmalloc((reps ? reps : 1) * sizeof *obs);
    size_t n = 0, nc = 0;
    for (uint64_t i = 0; i < reps; i++) {
        double v = values[i * stride];
        if (isnan(v))
            continue;
        int c = cens[i * cstride] > 0;
        obs[n++] = (mr__km_obs){.t = v, .count = 1, .censored = c};
        nc += (size_t)c;
    }
    s->censored = n ? (double)nc / (double)n : 0;
    if (nc > 0) {
        mr__km_percentiles(s, obs, n);
        s->lower |= MR_LB_MEAN;
    }
    free(obs);
}
