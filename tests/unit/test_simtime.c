/* tests/unit/test_simtime.c: time constants, conversions and formatting. */
#include <criterion/criterion.h>

#include "mrsim/simtime.h"

Test(simtime, units_are_nanoseconds)
{
    cr_assert_eq(MR_S, 1000000000);
    cr_assert_eq(MR_H, 3600 * MR_S);
    cr_assert_eq(MR_YEAR, 365 * 86400 * MR_S);
    cr_assert(MR_YEAR * 100 < MR_TIME_NEVER, "a century fits");
}

Test(simtime, from_seconds_rounds_and_saturates)
{
    cr_assert_eq(mr_time_from_s(1.5), 1500 * MR_MS);
    cr_assert_eq(mr_time_from_s(1e-9 * 0.6), 1);
    cr_assert_eq(mr_time_from_s(-3), 0);
    cr_assert_eq(mr_time_from_s(0.0 / 0.0), 0);
    cr_assert_eq(mr_time_from_s(1e30), MR_TIME_NEVER);
}

Test(simtime, format_in_seconds_with_milliseconds)
{
    char b[32];
    mr_time_format(1832 * MR_S + 250 * MR_MS, b, sizeof b);
    cr_assert_str_eq(b, "1832.250s");
    mr_time_format(1999999, b, sizeof b); /* 1.999999 ms rounds to 2 ms */
    cr_assert_str_eq(b, "0.002s");
    mr_time_format(-MR_MS, b, sizeof b);
    cr_assert_str_eq(b, "-0.001s");
    mr_time_format(0, b, sizeof b);
    cr_assert_str_eq(b, "0.000s");
    mr_time_format_exact(12 * MR_S + 1, b, sizeof b);
    cr_assert_str_eq(b, "12.000000001");
    mr_time_format_exact(INT64_MIN, b, sizeof b);
    cr_assert_str_eq(b, "-9223372036.854775808");
    cr_assert_eq(mr_time_format(MR_S, b, 3), 6, "returns the needed length");
    cr_assert_str_eq(b, "1.");
}
