/* sim/simtime.c: conversions and formatting of mr_time. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "mrsim/simtime.h"

mr_time mr_time_from_s(double s)
{
    if (!(s > 0))
        return 0;
    double ns = s * (double)MR_S;
    if (ns >= 9.2e18)
        return MR_TIME_NEVER;
    return (mr_time)llround(ns);
}

int mr_time_format(mr_time t, char *buf, size_t n)
{
    /* Round to the millisecond in integers: no double rounding surprises. */
    int neg = t < 0;
    uint64_t a = neg ? (uint64_t)(-(t + 1)) + 1 : (uint64_t)t;
    uint64_t ms = (a + (uint64_t)MR_MS / 2) / (uint64_t)MR_MS;
    return snprintf(buf, n, "%s%llu.%03llus", neg && ms ? "-" : "",
                    (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
}

int mr_time_format_exact(mr_time t, char *buf, size_t n)
{
    int neg = t < 0;
    uint64_t a = neg ? (uint64_t)(-(t + 1)) + 1 : (uint64_t)t;
    return snprintf(buf, n, "%s%llu.%09llu", neg ? "-" : "",
                    (unsigned long long)(a / (uint64_t)MR_S),
                    (unsigned long long)(a % (uint64_t)MR_S));
}

int mr_time_format_unit(mr_time t, char *buf, size_t n)
{
    static const struct {
        mr_time ns;
        const char *unit;
    } units[] = {{MR_DAY, "d"}, {MR_H, "h"},   {MR_MIN, "m"}, {MR_S, "s"},
                 {MR_MS, "ms"}, {MR_US, "us"}, {MR_NS, "ns"}};
    if (t == 0)
        return snprintf(buf, n, "0s");
    if (t == MR_TIME_NEVER)
        return snprintf(buf, n, "forever");
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (t % units[i].ns == 0)
            return snprintf(buf, n, "%" PRId64 "%s", t / units[i].ns, units[i].unit);
    return snprintf(buf, n, "%" PRId64 "ns", t);
}
