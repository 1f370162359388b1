/* sim/run/aggregate.c: one metric across replications: mean, a 95% CI from
 * Student's t (GSL) or, where that leaves the metric's range, the BCa
 * bootstrap (sim/stats.c), percentiles (GSL's interpolated quantiles of the sorted
 * values). Values are read in replication order and sorted with a total
 * order, so the result depends only on the values, never on the threads. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/stats.h"
#include "run/runner.h"

void mr_summarize(const double *values, size_t n, size_t stride, mr_summary *out)
{
    double *v = mr_xmalloc((n ? n : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double x = values[i * stride];
        if (!isnan(x))
            v[k++] = x;
    }
    out->n = k;
    out->mean = out->sd = out->ci_lo = out->ci_hi = NAN;
    out->p50 = out->p95 = out->p99 = out->min = out->max = NAN;
    out->censorable = 0;
    out->censored = 0;
    out->lower = 0;
    out->ci_method = NULL;
    if (k > 0) {
        out->mean = gsl_stats_mean(v, 1, k);
        gsl_sort(v, 1, k);
        out->min = v[0];
        out->max = v[k - 1];
        out->p50 = gsl_stats_quantile_from_sorted_data(v, 1, k, 0.50);
        out->p95 = gsl_stats_quantile_from_sorted_data(v, 1, k, 0.95);
        out->p99 = gsl_stats_quantile_from_sorted_data(v, 1, k, 0.99);
    }
    if (k > 1) {
        out->sd = gsl_stats_sd_m(v, 1, k, out->mean);
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * out->sd / sqrt((double)k);
        out->ci_lo = out->mean - half;
        out->ci_hi = out->mean + half;
        out->ci_method = "t";
    }
    free(v);
}

/* FNV-1a over the bits of the values that count, in replication order. */
static uint64_t values_hash(const double *values, size_t n, size_t stride)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        double x = values[i * stride];
        if (isnan(x))
            continue;
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        for (int b = 0; b < 8; b++) {
            h ^= (bits >> (8 * b)) & 0xff;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

void mr_summarize_in(const double *values, size_t n, size_t stride, mr_range range,
                     mr_summary *out)
{
    mr_summarize(values, n, stride, out);
    if (out->n < 2 || !(out->sd > 0)) {
        out->ci_lo = out->ci_hi = NAN;
        out->ci_method = NULL;
        return;
    }
    double bottom = range == MR_RANGE_REAL ? -INFINITY : 0.0;
    double top = range == MR_RANGE_UNIT ? 1.0 : INFINITY;
    if (out->ci_lo >= bottom && out->ci_hi <= top)
        return; /* the t interval, already inside */
    double *v = mr_xmalloc(out->n * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(values[i * stride]))
            v[k++] = values[i * stride];
    if (mr_ci_bootstrap_bca(v, k, MR_BOOTSTRAP_RESAMPLES, values_hash(values, n, stride),
                            &out->ci_lo, &out->ci_hi) == 0)
        out->ci_method = "bootstrap-bca";
    else
        out->ci_method = NULL;
    free(v);
}
