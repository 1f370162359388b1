/* tests/unit/test_human.c: the table's numbers (sim/out/human.c). Each
 * expected string is the rule of human.h applied by hand: the rounding,
 * then the unit of the rounded value (carries), never scientific notation. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "out/human.h"

#define IS(call, want)                                                                             \
    do {                                                                                           \
        char b_[MR_HU_LEN];                                                                        \
        const char *got_ = call;                                                                   \
        (void)b_;                                                                                  \
        cr_expect_str_eq(got_, want, "%s: got '%s', want '%s'", #call, got_, want);                \
    } while (0)
#define B b_, sizeof b_

Test(human, percent_shows_the_nines)
{
    /* 97.862%: four significant digits; the missing 2.14% needs only
     * three, so 97.86%. 99.953%: missing 0.047%, two significant digits
     * need three decimals. 99.999970%: missing 0.000030%, two significant
     * digits need six decimals (the zero is a digit known). */
    IS(mr_hu_percent(B, 0.97862), "97.86%");
    IS(mr_hu_percent(B, 0.99953), "99.953%");
    IS(mr_hu_percent(B, 0.99995), "99.9950%"); /* 0.0050%: two digits */
    IS(mr_hu_percent(B, 0.9999997), "99.999970%");
    IS(mr_hu_percent(B, 0.630358), "63.04%");
    IS(mr_hu_percent(B, 1), "100%");
    IS(mr_hu_percent(B, 0), "0%");
    /* A budget burnt 1.409 times: 140.9%. 0.0012% keeps its digits. */
    IS(mr_hu_percent(B, 1.409), "140.9%");
    IS(mr_hu_percent(B, 0.04), "4.000%");
    IS(mr_hu_percent(B, 0.000012), "0.001200%");
    /* 1 - 1e-12 is not 100%: the last 8 decimals are all nines. */
    IS(mr_hu_percent(B, 1 - 1e-12), "99.99999999%");
    IS(mr_hu_percent(B, NAN), "-");
    IS(mr_hu_percent(B, -0.25), "-25.00%");
}

Test(human, durations_carry_into_the_next_unit)
{
    IS(mr_hu_duration(B, 0), "0 s");
    IS(mr_hu_duration(B, 1.2), "1.20 s");
    IS(mr_hu_duration(B, 2.29775), "2.30 s");    /* three digits, the zero one of them */
    IS(mr_hu_duration(B, 59.94), "59.9 s");
    IS(mr_hu_duration(B, 59.96), "1m 00s");      /* 60.0 s is not a reading */
    IS(mr_hu_duration(B, 29 * 60 + 15), "29m 15s");
    IS(mr_hu_duration(B, 3599.6), "1h 00m");     /* 60m 00s carries */
    IS(mr_hu_duration(B, 3600 + 2 * 60 + 10), "1h 02m");
    IS(mr_hu_duration(B, 86399), "1d 00h");      /* 23h 59.98m rounds to 24h */
    IS(mr_hu_duration(B, 2 * 86400 + 3 * 3600), "2d 03h");
    IS(mr_hu_duration(B, 1157 * 86400.0), "1,157d");
    IS(mr_hu_duration(B, 0.0958), "95.8 ms");
    IS(mr_hu_duration(B, 0.99996), "1.00 s");    /* 1000 ms carries */
    IS(mr_hu_duration(B, 1e-9), "<0.01 ms");
    IS(mr_hu_duration(B, -90), "-1m 30s");
    IS(mr_hu_duration(B, NAN), "-");
    IS(mr_hu_duration(B, INFINITY), "inf");
    /* 1e300 s: days with separators up to the cap, no exponent. */
    char b[MR_HU_LEN];
    mr_hu_duration(b, sizeof b, 1e300);
    cr_expect(strchr(b, 'e') == NULL && strchr(b, 'E') == NULL, "%s", b);
}

Test(human, milliseconds)
{
    IS(mr_hu_ms(B, 39.625), "39.6 ms");
    IS(mr_hu_ms(B, 95.75), "95.8 ms");
    IS(mr_hu_ms(B, 4912), "4.91 s");
    /* staleness_ms_p99 3.49798e+06 ms = 3,497.98 s = 58m 18s. */
    IS(mr_hu_ms(B, 3.49798e6), "58m 18s");
}

Test(human, money)
{
    IS(mr_hu_usd(B, 0.23, 0), "$0.23");
    IS(mr_hu_usd(B, 38.987, 0), "$38.99");
    IS(mr_hu_usd(B, 99.996, 0), "$100");     /* 10,000 cents: whole dollars */
    IS(mr_hu_usd(B, 1402.4, 1), "$1,402/mo");
    IS(mr_hu_usd(B, 3133.73, 1), "$3,134/mo");
    IS(mr_hu_usd(B, 1234567.8, 0), "$1,234,568");
    IS(mr_hu_usd(B, 0, 0), "$0");
    IS(mr_hu_usd(B, 0.001, 0), "<$0.01");
    IS(mr_hu_usd(B, -3.1, 0), "-$3.10");
    IS(mr_hu_usd(B, NAN, 1), "-");
}

Test(human, counts)
{
    IS(mr_hu_count(B, 0), "0");
    IS(mr_hu_count(B, 106.667), "106.7");
    IS(mr_hu_count(B, 65), "65");
    IS(mr_hu_count(B, 999.96), "1,000");     /* 1000.0 at four digits: separators */
    IS(mr_hu_count(B, 1234567), "1,234,567");
    IS(mr_hu_count(B, 0.25), "0.25");
    IS(mr_hu_count(B, 1e-5), "<0.001");
    IS(mr_hu_count(B, -12.5), "-12.5");
    IS(mr_hu_count(B, 1e30), ">999,999,999,999,999,999");
}

Test(human, intervals_write_a_shared_unit_once)
{
    IS(mr_hu_interval(B, MR_HU_SECONDS, 1.25144, 4.26436), "[1.25, 4.26 s]");
    IS(mr_hu_interval(B, MR_HU_SHARE, 0.960258, 0.960935), "[96.03, 96.09%]");
    IS(mr_hu_interval(B, MR_HU_SECONDS, 58, 3638.99), "[58.0 s, 1h 01m]");
    IS(mr_hu_interval(B, MR_HU_SECONDS, 3638.99, 3667.68), "[1h 01m, 1h 01m]");
    IS(mr_hu_interval(B, MR_HU_USD_MONTH, 3133.72, 3133.74), "[$3,134, $3,134/mo]");
    IS(mr_hu_interval(B, MR_HU_COUNT, NAN, NAN), "-");
    IS(mr_hu_plural(B, 1, "replication", "replications"), "1 replication");
    IS(mr_hu_plural(B, 20, "replication", "replications"), "20 replications");
}

/* Differences (compare): signed, shares in percentage points. 0.0332198
 * is 3.32198 points, four digits: +3.322 pp. */
Test(human, differences_are_signed_and_in_points)
{
    IS(mr_hu_delta(B, MR_HU_SHARE, 0.0332198), "+3.322 pp");
    IS(mr_hu_delta(B, MR_HU_SHARE, -0.228702), "-22.87 pp");
    IS(mr_hu_delta(B, MR_HU_SECONDS, -1609.5), "-26m 50s");
    IS(mr_hu_delta(B, MR_HU_USD_MONTH, 2364.49), "+$2,364/mo");
    IS(mr_hu_delta(B, MR_HU_COUNT, 0), "0");
    IS(mr_hu_delta_interval(B, MR_HU_SHARE, 0.0323776, 0.034062), "[+3.238, +3.406 pp]");
    IS(mr_hu_delta_interval(B, MR_HU_USD, -0.0260978, 0.0447488), "[-$0.03, +$0.04]");
}

/* What someone set prints as set: no trailing zeros it never had. */
Test(human, given_values_drop_trailing_zeros)
{
    IS(mr_hu_given(B, MR_HU_SECONDS, 1), "1 s");
    IS(mr_hu_given(B, MR_HU_SECONDS, 300), "5m 00s");
    IS(mr_hu_given(B, MR_HU_SHARE, 0.999), "99.9%");
    IS(mr_hu_given(B, MR_HU_SHARE, 0.95), "95%");
    IS(mr_hu_given(B, MR_HU_SECONDS, 0.001), "1 ms");
    IS(mr_hu_given(B, MR_HU_USD, 1500), "$1,500");
}
