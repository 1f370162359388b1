/* tests/support/queueing_ref.h: the queueing references the validation
 * tests share: Erlang B and C by their recursions, and batch means with
 * a 99.9% t half width. Header-only: each test program is its own binary. */
#ifndef MRSIM_TESTS_QUEUEING_REF_H
#define MRSIM_TESTS_QUEUEING_REF_H

#include <gsl/gsl_cdf.h>
#include <math.h>

/* Erlang B: the loss probability of c servers offered a erlangs. */
static inline double erlang_b(int c, double a)
{
    double term = 1.0, sum = 1.0; /* k = 0 */
    for (int k = 1; k <= c; k++) {
        term *= a / k;
        sum += term;
    }
    return term / sum;
}

/* Erlang C: the probability that an arrival waits, from Erlang B. */
static inline double erlang_c(int c, double a)
{
    double b = erlang_b(c, a);
    return c * b / (c - a * (1 - b));
}

typedef struct batch_stats {
    double mean, half; /* estimate and its 99.9% half width */
} batch_stats;

/* The mean of k batch means and its 99.9% t half width. */
static inline batch_stats batches(const double *v, int k)
{
    double m = 0, s2 = 0;
    for (int i = 0; i < k; i++)
        m += v[i] / k;
    for (int i = 0; i < k; i++)
        s2 += (v[i] - m) * (v[i] - m) / (k - 1);
    return (batch_stats){m, gsl_cdf_tdist_Pinv(0.9995, k - 1) * sqrt(s2 / k)};
}

#endif
