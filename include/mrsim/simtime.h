/* include/mrsim/simtime.h: simulated time.
 * mr_time counts nanoseconds in an int64: a simulated year is 3.2e16 ns, far
 * inside the range, and integer time keeps event order exact and the same on
 * every machine. */
#ifndef MRSIM_SIMTIME_H
#define MRSIM_SIMTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t mr_time;

#define MR_NS ((mr_time)1)
#define MR_US ((mr_time)1000)
#define MR_MS ((mr_time)1000000)
#define MR_S ((mr_time)1000000000)
#define MR_MIN (60 * MR_S)
#define MR_H (60 * MR_MIN)
#define MR_DAY (24 * MR_H)
#define MR_YEAR (365 * MR_DAY)
#define MR_TIME_NEVER INT64_MAX

/* Seconds as a double (for output and arithmetic on rates). */
static inline double mr_time_to_s(mr_time t)
{
    return (double)t / (double)MR_S;
}

/* a + b saturated at MR_TIME_NEVER (and at -MR_TIME_NEVER below): user
 * durations reach 2^31 s, and a sum of two of them in ns can pass int64. */
static inline mr_time mr_time_add_sat(mr_time a, mr_time b)
{
    if (b > 0 && a > MR_TIME_NEVER - b)
        return MR_TIME_NEVER;
    if (b < 0 && a < -MR_TIME_NEVER - b)
        return -MR_TIME_NEVER;
    return a + b;
}

/* Nearest mr_time to s seconds, saturating at 0 and MR_TIME_NEVER; NaN gives 0.
 * Used where a sampled duration (a double) becomes a delay. */
mr_time mr_time_from_s(double s);

/* Writes t as seconds with millisecond precision ("1832.250s", "-0.001s")
 * into buf (always terminated when n > 0). Returns the length the full text
 * needs, as snprintf does. */
int mr_time_format(mr_time t, char *buf, size_t n);

/* Writes t as exact seconds with nine decimals ("12.000000001"), the form of
 * the trace CSV. Same contract as mr_time_format. */
int mr_time_format_exact(mr_time t, char *buf, size_t n);

/* Writes t in the shortest exact form a scenario file takes ("30s",
 * "250ms", "1h", "forever" for MR_TIME_NEVER). Same contract as
 * mr_time_format. */
int mr_time_format_unit(mr_time t, char *buf, size_t n);

#endif
