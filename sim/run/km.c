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
