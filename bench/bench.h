/* bench/bench.h: the benchmarks behind `mrsim bench` and the programs in
 * bench/. Figures and how to read them: bench/README.md. */
#ifndef MRSIM_BENCH_H
#define MRSIM_BENCH_H

#include <stdint.h>

#include "mrsim/simtime.h"

typedef struct mr_phold_opts {
    uint32_t lps;     /* logical processes, >= 1 */
    uint64_t pending; /* events pending throughout, >= 1 */
    uint64_t events;  /* stop after this many processed events, >= 1 */
    uint64_t seed;
} mr_phold_opts;

typedef struct mr_phold_result {
    uint64_t events;          /* processed */
    double wall_s;            /* of the processing loop only, not the set-up */
    double events_per_s;
    double ns_per_event;
    long peak_rss_kib;        /* of the process so far */
    double bytes_per_pending; /* resident memory the queue added, per pending event */
    uint64_t checksum;        /* of the final state: same seed, same checksum */
    mr_time end_time;         /* simulated time of the last event */
} mr_phold_result;

/* PHOLD on the mrsim kernel: one phold component per LP (each with its own
 * GSL stream), pooled events, the real dispatch loop. Returns MR_OK, or
 * MR_EINVAL for options out of range. */
int mr_bench_phold(const mr_phold_opts *opts, mr_phold_result *out);

/* The minimal reference: a plain binary heap of (time, lp, seq) and an
 * inline xoshiro256+ generator in one loop, built with the same flags. Same
 * contract; its checksum differs from the kernel's (other random numbers). */
int mr_bench_phold_ref(const mr_phold_opts *opts, mr_phold_result *out);

/* Resident set size now, and the peak so far, in KiB (0 if unknown). */
long mr_bench_rss_kib(void);
long mr_bench_peak_rss_kib(void);

/* Monotonic wall clock in seconds (benchmarks only: never in models). */
double mr_bench_wall(void);

#endif
