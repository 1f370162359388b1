/* tests/support/validation.c: see validation.h. */
#include "validation.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put_field(char *buf, size_t cap, size_t *len, const char *s)
{
    /* A tab or a newline inside a field would break the row's shape. */
    for (; s && *s && *len + 2 < cap; s++)
        buf[(*len)++] = (*s == '\t' || *s == '\n') ? ' ' : *s;
    buf[(*len)++] = '\t';
}

static void put_number(char *buf, size_t cap, size_t *len, double v)
{
    char num[64];
    if (isnan(v))
        snprintf(num, sizeof num, "nan");
    else
        snprintf(num, sizeof num, "%.17g", v);
    put_field(buf, cap, len, num);
}

/* One row per call, written with a single write() on an O_APPEND file so
 * that the test programs CTest runs side by side never interleave rows. */
void mr_vrecord(const mr_vcase *c, const char *fidelity, double mean, double lo, double hi,
                uint64_t n, int ok)
{
    const char *path = getenv("MRSIM_VALIDATION_OUT");
    if (!path || !*path)
        return;
    char row[2048];
    size_t len = 0;
    char count[32];
    snprintf(count, sizeof count, "%llu", (unsigned long long)n);
    put_field(row, sizeof row, &len, c->id);
    put_field(row, sizeof row, &len, fidelity);
    put_field(row, sizeof row, &len, c->what);
    put_field(row, sizeof row, &len, c->reference);
    put_field(row, sizeof row, &len, c->unit);
    put_number(row, sizeof row, &len, c->ref);
    put_number(row, sizeof row, &len, c->tol);
    put_number(row, sizeof row, &len, mean);
    put_number(row, sizeof row, &len, lo);
    put_number(row, sizeof row, &len, hi);
    put_field(row, sizeof row, &len, count);
    put_field(row, sizeof row, &len, ok ? "agrees" : "disagrees");
    row[len - 1] = '\n';
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0)
        return;
    ssize_t w = write(fd, row, len);
    (void)w;
    close(fd);
}

int mr_vcheck(const mr_vcase *c, const char *fidelity, double mean, double lo, double hi,
              uint64_t n)
{
    int ok = isfinite(mean) && fabs(mean - c->ref) <= c->tol;
    mr_vrecord(c, fidelity, mean, lo, hi, n, ok);
    cr_expect(ok, "%s (%s): %.6g %s, reference %.6g +/- %.3g (%s)", c->id, fidelity, mean,
              c->unit, c->ref, c->tol, c->reference);
    return ok;
}

int mr_vcheck_sample(const mr_vcase *c, const char *fidelity, const double *x, uint64_t n)
{
    double sum = 0, ss = 0;
    for (uint64_t i = 0; i < n; i++)
        sum += x[i];
    double mean = n ? sum / (double)n : NAN;
    for (uint64_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    return mr_vcheck_sample_stats(c, fidelity, mean, n >= 2 ? sqrt(ss / (double)(n - 1)) : NAN, n);
}

int mr_vcheck_sample_stats(const mr_vcase *c, const char *fidelity, double mean, double sd,
                           uint64_t n)
{
    double half = n >= 2 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n) : NAN;
    return mr_vcheck(c, fidelity, mean, mean - half, mean + half, n);
}
