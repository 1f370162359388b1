/* bench/phold_compare.c: the kernel against the reference loop, side by
 * side in one process, at 100,000 and 1,000,000 pending events, each pair
 * repeated and the median kept, so bench/README.md can quote one run.
 * usage: phold-compare [EVENTS [REPEATS]] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000;
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    if (events < 1 || repeats < 1 || repeats > 99) {
        fprintf(stderr, "usage: phold-compare [EVENTS [REPEATS]]\n");
        return 2;
    }
    const uint64_t pendings[] = {100000, 1000000};
    printf("%-9s %-9s %14s %14s %8s %12s %12s\n", "pending", "", "kernel ev/s", "ref ev/s",
           "ratio", "kernel B/ev", "ref B/ev");
    for (size_t p = 0; p < 2; p++) {
        double kr[99], rr[99], ratio[99], kb = 0, rb = 0;
        for (int i = 0; i < repeats; i++) {
            mr_phold_opts o = {.lps = 1024, .pending = pendings[p], .events = events, .seed = 42};
            mr_phold_result k, r;
            if (mr_bench_phold(&o, &k) != 0 || mr_bench_phold_ref(&o, &r) != 0)
                return 1;
            kr[i] = k.events_per_s;
            rr[i] = r.events_per_s;
            ratio[i] = k.events_per_s / r.events_per_s;
            kb = k.bytes_per_pending;
            rb = r.bytes_per_pending;
        }
        qsort(kr, (size_t)repeats, sizeof kr[0], cmp_double);
        qsort(rr, (size_t)repeats, sizeof rr[0], cmp_double);
        qsort(ratio, (size_t)repeats, sizeof ratio[0], cmp_double);
        printf("%-9" PRIu64 " %-9s %14.0f %14.0f %7.2fx %12.1f %12.1f\n", pendings[p], "median",
               kr[repeats / 2], rr[repeats / 2], ratio[repeats / 2], kb, rb);
    }
    return 0;
}
