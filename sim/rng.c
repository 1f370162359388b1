/* sim/rng.c: random streams over GSL generators.
 * A stream's seed is a fixed hash of (run seed, replication, name): FNV-1a
 * over the three, finished with the SplitMix64 mixer. The generator is GSL's
 * taus2 (L'Ecuyer's maximally equidistributed combined Tausworthe, period
 * 2^88): its state is 24 bytes, so thousands of component streams stay in
 * cache, where mt19937's 5 KB each would not. GSL seeds taus2 from the low
 * 32 bits of the seed: two streams of one replication coincide with
 * probability about k^2 / 2^33 for k streams (1e-6 at k = 100). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/rng.h"

struct mr_rng {
    gsl_rng *g;
    uint64_t seed; /* run seed */
    uint64_t rep;
    char *name;
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t splitmix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Bytes in little-endian order, so the hash is the same on every machine. */
static uint64_t fnv1a_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return fnv1a(h, b, sizeof b);
}

uint64_t mr_rng_seed_of(uint64_t seed, uint64_t rep, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a_u64(h, seed);
    h = fnv1a_u64(h, rep);
    h = fnv1a(h, name, strlen(name));
    return splitmix64(h);
}

mr_rng *mr_rng_new(uint64_t seed, uint64_t rep, const char *name)
{
    mr_rng *r = mr_xmalloc(sizeof *r);
    r->g = gsl_rng_alloc(gsl_rng_taus2);
    if (r->g == NULL)
        mr_fatal("out of memory (gsl_rng_alloc)");
    r->seed = seed;
    r->rep = rep;
    r->name = mr_xstrdup(name);
    uint64_t s = mr_rng_seed_of(seed, rep, name);
    /* Fold the high half in: GSL's taus2 reads only the low 32 bits. */
    gsl_rng_set(r->g, (unsigned long)((s ^ (s >> 32)) & 0xffffffffULL));
    return r;
}

void mr_rng_free(mr_rng *r)
{
    if (r == NULL)
        return;
    gsl_rng_free(r->g);
    free(r->name);
    free(r);
}

mr_rng *mr_rng_derive(const mr_rng *r, const char *purpose)
{
    size_t a = strlen(r->name), b = strlen(purpose);
    char *name = mr_xmalloc(a + b + 2);
    memcpy(name, r->name, a);
    name[a] = '#';
    memcpy(name + a + 1, purpose, b + 1);
    mr_rng *d = mr_rng_new(r->seed, r->rep, name);
    free(name);
    return d;
}

const char *mr_rng_name(const mr_rng *r)
{
    return r->name;
}

double mr_rng_uniform(mr_rng *r)
{
    return gsl_rng_uniform(r->g);
}

double mr_rng_uniform_pos(mr_rng *r)
{
    return gsl_rng_uniform_pos(r->g);
}

uint32_t mr_rng_below(mr_rng *r, uint32_t n)
{
    return (uint32_t)gsl_rng_uniform_int(r->g, n);
}

double mr_rng_exponential(mr_rng *r, double mean)
{
    return gsl_ran_exponential(r->g, mean);
}

/* mean + sd * z rounded, clamped to [lo, hi]. */
static uint64_t normal_count(mr_rng *r, double mean, double sd, double hi)
{
    double x = round(mean + sd * gsl_ran_ugaussian(r->g));
    if (!(x > 0))
        return 0;
    if (x >= hi)
        return hi >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)hi;
    return (uint64_t)x;
}

uint64_t mr_rng_poisson(mr_rng *r, double mean)
{
    if (!(mean > 0))
        return 0;
    if (mean <= MR_RNG_EXACT_MAX)
        return gsl_ran_poisson(r->g, mean);
    if (mean >= 18446744073709551615.0) /* infinity included */
        return UINT64_MAX;
    return normal_count(r, mean, sqrt(mean), 18446744073709551615.0);
}

uint64_t mr_rng_binomial(mr_rng *r, double p, uint64_t n)
{
    p = p > 0 ? (p < 1 ? p : 1) : 0; /* NaN gives 0 */
    if ((double)n <= MR_RNG_EXACT_MAX) /* GSL draws even at p = 0 or 1: streams stay as they were */
        return gsl_ran_binomial(r->g, p, (unsigned)n);
    if (p == 0 || p == 1)
        return p == 0 ? 0 : n;
    double mean = p * (double)n;
    return normal_count(r, mean, sqrt(mean * (1 - p)), (double)n);
}

gsl_rng *mr_rng_gsl(mr_rng *r)
{
    return r->g;
}
