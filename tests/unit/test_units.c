/* tests/unit/test_units.c: the values of sim/config/units.c: every unit of
 * every kind, exact nanoseconds for durations, each error message word for
 * word, the node wrappers with their FILE:LINE:COLUMN, and the edit distance
 * behind the hints. */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "config/node.h"
#include "config/units.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"

#define REL 1e-12

/* ---- Durations --------------------------------------------------------- */

static mr_time duration_ok(const char *text)
{
    char err[MR_UNITS_ERRLEN] = "";
    mr_time t = -1;
    int rc = mr_units_duration(text, &t, err, sizeof err);
    cr_assert_eq(rc, MR_OK, "'%s' failed: %s", text, err);
    return t;
}

static void duration_bad(const char *text, int rc, const char *msg)
{
    char err[MR_UNITS_ERRLEN] = "";
    mr_time t = 12345;
    cr_expect_eq(mr_units_duration(text, &t, err, sizeof err), rc, "'%s'", text);
    cr_expect_eq(t, 12345, "'%s' changed *out", text);
    cr_expect_str_eq(err, msg);
}

Test(units, durations_in_every_unit)
{
    struct {
        const char *text;
        mr_time ns;
    } cases[] = {
        {"250ms", 250 * MR_MS},
        {"30s", 30 * MR_S},
        {"5m", 5 * MR_MIN},
        {"2h", 2 * MR_H},
        {"7d", 7 * MR_DAY},
        {"1y", MR_YEAR},
        {"15ns", 15},
        {"3us", 3 * MR_US},
        {"3\xC2\xB5s", 3 * MR_US},
        {"0", 0},
        {"0.0", 0},
        {"0s", 0},
        {" 30s ", 30 * MR_S},
        {"30 s", 30 * MR_S},
        {"1h30m", 90 * MR_MIN},
        {"1m 30s", 90 * MR_S},
        {"292y", 292 * MR_YEAR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(duration_ok(cases[i].text), cases[i].ns, "'%s'", cases[i].text);
}

Test(units, decimal_durations_are_exact_to_the_nanosecond)
{
    cr_expect_eq(duration_ok("1.5s"), 1500000000);
    cr_expect_eq(duration_ok("0.1s"), 100000000);
    cr_expect_eq(duration_ok("0.1m"), 6 * MR_S);
    cr_expect_eq(duration_ok("1.5y"), 3 * MR_YEAR / 2);
    cr_expect_eq(duration_ok("0.25us"), 250);
    cr_expect_eq(duration_ok("1.000000001s"), 1000000001);
    cr_expect_eq(duration_ok("0.123456789123s"), 123456789);
    cr_expect_eq(duration_ok("0.0000000005s"), 1);
    cr_expect_eq(duration_ok("1.4ns"), 1);
    cr_expect_eq(duration_ok("2.5ns"), 3);
    cr_expect_eq(duration_ok("0.001d"), 86400 * MR_MS);
}

Test(units, iso_8601_durations)
{
    cr_expect_eq(duration_ok("PT5M"), 5 * MR_MIN);
    cr_expect_eq(duration_ok("PT1H30M"), 90 * MR_MIN);
    cr_expect_eq(duration_ok("P1D"), MR_DAY);
    cr_expect_eq(duration_ok("PT0.5S"), 500 * MR_MS);
    cr_expect_eq(duration_ok("PT0,5S"), 500 * MR_MS);
    cr_expect_eq(duration_ok("P1W"), 7 * MR_DAY);
    cr_expect_eq(duration_ok("P1Y"), MR_YEAR);
    cr_expect_eq(duration_ok("P1DT12H"), 36 * MR_H);
    cr_expect_eq(duration_ok("P1Y2W3DT4H5M6.5S"),
                 MR_YEAR + 17 * MR_DAY + 4 * MR_H + 5 * MR_MIN + 6500 * MR_MS);
    cr_expect_eq(duration_ok("pt5m"), 5 * MR_MIN);
}

Test(units, duration_errors)
{
    duration_bad("30", MR_EINVAL,
                 "missing unit in '30': write e.g. 30s or 30m (units: ns, us, ms, s, m, h, d, y)");
    duration_bad("1.5", MR_EINVAL,
                 "missing unit in '1.5': write e.g. 1.5s or 1.5m (units: ns, us, ms, s, m, h, d, "
                 "y)");
    duration_bad("-5s", MR_EINVAL, "a duration cannot be negative: '-5s'");
    duration_bad("-PT5M", MR_EINVAL, "a duration cannot be negative: '-PT5M'");
    duration_bad("30x", MR_EINVAL, "unknown unit 'x' in '30x': use ns, us, ms, s, m, h, d, y");
    duration_bad("30sec", MR_EINVAL,
                 "unknown unit 'sec' in '30sec': use ns, us, ms, s, m, h, d, y");
    duration_bad("1e3s", MR_EINVAL, "unknown unit 'e' in '1e3s': use ns, us, ms, s, m, h, d, y");
    duration_bad("1h30", MR_EINVAL,
                 "missing unit after '30' in '1h30' (units: ns, us, ms, s, m, h, d, y)");
    duration_bad("abc", MR_EINVAL, "expected a duration such as 30s, found 'abc'");
    duration_bad("", MR_EINVAL, "expected a duration such as 30s, found ''");
    duration_bad("5s!", MR_EINVAL, "unexpected '!' in duration '5s!'");
    duration_bad("293y", MR_ERANGE, "duration '293y' is too long: the longest is about 292y");
    duration_bad("99999999999999999999s", MR_ERANGE,
                 "duration '99999999999999999999s' is too long: the longest is about 292y");
    duration_bad("9223372036854775807ns1ns", MR_ERANGE,
                 "duration '9223372036854775807ns1ns' is too long: the longest is about 292y");
}

Test(units, iso_8601_errors)
{
    duration_bad("P1M", MR_EINVAL, "months are ambiguous in 'P1M': write days (P30D)");
    duration_bad("P", MR_EINVAL, "bad ISO 8601 duration 'P': no value");
    duration_bad("PT", MR_EINVAL, "bad ISO 8601 duration 'PT': nothing after 'T'");
    duration_bad("PTT5M", MR_EINVAL, "bad ISO 8601 duration 'PTT5M': a second 'T'");
    duration_bad("PT5X", MR_EINVAL,
                 "bad ISO 8601 duration 'PT5X': expected H, M or S after a number");
    duration_bad("P5H", MR_EINVAL,
                 "bad ISO 8601 duration 'P5H': expected Y, W or D (or T before a time) after a "
                 "number");
    duration_bad("PT5S5M", MR_EINVAL,
                 "bad ISO 8601 duration 'PT5S5M': parts out of order (Y, W, D, T, H, M, S)");
    duration_bad("PXS", MR_EINVAL, "bad ISO 8601 duration 'PXS': expected a number at 'XS'");
    duration_bad("P300Y", MR_ERANGE, "duration 'P300Y' is too long: the longest is about 292y");
}

Test(units, messages_fit_any_buffer)
{
    char err[8];
    mr_time t;
    cr_expect_eq(mr_units_duration("30", &t, err, sizeof err), MR_EINVAL);
    cr_expect_str_eq(err, "missing");
    cr_expect_eq(mr_units_duration("30", &t, NULL, 0), MR_EINVAL);
}

Test(units, numbers_ignore_the_process_locale)
{
    if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL && setlocale(LC_ALL, "fr_FR.UTF-8") == NULL)
        cr_skip_test("no locale with a decimal comma is installed");
    double v;
    cr_expect_eq(mr_units_number("1.5", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 1.5, REL);
    cr_expect_eq(mr_units_number("1,5", &v, NULL, 0), MR_EINVAL);
    setlocale(LC_ALL, "C");
}

/* ---- Rates, ratios, sizes, money, numbers ------------------------------ */

typedef int (*parse_fn)(const char *, double *, char *, size_t);

static void value_ok(parse_fn f, const char *text, double want)
{
    char err[MR_UNITS_ERRLEN] = "";
    double v = NAN;
    cr_assert_eq(f(text, &v, err, sizeof err), MR_OK, "'%s' failed: %s", text, err);
    if (want == 0)
        cr_expect_eq(v, 0, "'%s' gave %g", text, v);
    else
        cr_expect(fabs(v - want) <= REL * fabs(want), "'%s' gave %.17g, expected %.17g", text, v,
                  want);
}

static void value_bad(parse_fn f, const char *text, int rc, const char *msg)
{
    char err[MR_UNITS_ERRLEN] = "";
    double v = 12345;
    cr_expect_eq(f(text, &v, err, sizeof err), rc, "'%s'", text);
    cr_expect_eq(v, 12345, "'%s' changed *out", text);
    cr_expect_str_eq(err, msg);
}

Test(units, rates_per_second)
{
    value_ok(mr_units_rate, "500/s", 500);
    value_ok(mr_units_rate, "30000/m", 500);
    value_ok(mr_units_rate, "2/h", 2.0 / 3600);
    value_ok(mr_units_rate, "1/d", 1.0 / 86400);
    value_ok(mr_units_rate, "1/y", 1.0 / (365.0 * 86400));
    value_ok(mr_units_rate, "3/10m", 0.005);
    value_ok(mr_units_rate, "1.5/ms", 1500);
    value_ok(mr_units_rate, "1e3/s", 1000);
    value_ok(mr_units_rate, " 500 / s ", 500);
    value_ok(mr_units_rate, "0", 0);
    value_ok(mr_units_rate, "0/s", 0);
}

Test(units, rate_errors)
{
    value_bad(mr_units_rate, "500", MR_EINVAL, "missing unit in '500': write e.g. 500/s or 500/m");
    value_bad(mr_units_rate, "-5/s", MR_EINVAL, "a rate cannot be negative: '-5/s'");
    value_bad(mr_units_rate, "5/x", MR_EINVAL,
              "unknown unit 'x' in '5/x': use /s, /m, /h, /d or /y");
    value_bad(mr_units_rate, "5/", MR_EINVAL, "unknown unit '' in '5/': use /s, /m, /h, /d or /y");
    value_bad(mr_units_rate, "5/0s", MR_EINVAL, "bad period in rate '5/0s': it is 0");
    value_bad(mr_units_rate, "5/10", MR_EINVAL,
              "bad period in rate '5/10': missing unit in '10': write e.g. 10s or 10m (units: ns, "
              "us, ms, s, m, h, d, y)");
    value_bad(mr_units_rate, "abc", MR_EINVAL, "expected a rate such as 500/s, found 'abc'");
    value_bad(mr_units_rate, "x/s", MR_EINVAL, "expected a rate such as 500/s, found 'x/s'");
}

Test(units, ratios_as_fractions_or_percentages)
{
    value_ok(mr_units_ratio, "0.9995", 0.9995);
    value_ok(mr_units_ratio, "99.95%", 0.9995);
    value_ok(mr_units_ratio, "100%", 1);
    value_ok(mr_units_ratio, "0%", 0);
    value_ok(mr_units_ratio, "0", 0);
    value_ok(mr_units_ratio, "5e-1", 0.5);
    value_ok(mr_units_ratio, "50 %", 0.5);
}

Test(units, ratio_errors)
{
    value_bad(mr_units_ratio, "1", MR_EINVAL, "ambiguous ratio '1': write 1% or 0.01");
    value_bad(mr_units_ratio, "99.9", MR_EINVAL, "ambiguous ratio '99.9': write 99.9% or 0.999");
    value_bad(mr_units_ratio, "150", MR_ERANGE,
              "ratio '150' is out of range: write a fraction in [0, 1) or a percentage");
    value_bad(mr_units_ratio, "-0.1", MR_ERANGE,
              "ratio '-0.1' is out of range: write a fraction in [0, 1) or a percentage");
    value_bad(mr_units_ratio, "101%", MR_ERANGE, "percentage '101%' is out of range [0%, 100%]");
    value_bad(mr_units_ratio, "-1%", MR_ERANGE, "percentage '-1%' is out of range [0%, 100%]");
    value_bad(mr_units_ratio, "abc%", MR_EINVAL,
              "expected a percentage such as 99.9%, found 'abc%'");
    value_bad(mr_units_ratio, "high", MR_EINVAL,
              "expected a ratio such as 0.999 or 99.9%, found 'high'");
}

Test(units, sizes_in_bytes)
{
    value_ok(mr_units_size, "2KiB", 2048);
    value_ok(mr_units_size, "1.5GB", 1.5e9);
    value_ok(mr_units_size, "512B", 512);
    value_ok(mr_units_size, "1MiB", 1048576);
    value_ok(mr_units_size, "1GiB", 1073741824.0);
    value_ok(mr_units_size, "1TiB", 1099511627776.0);
    value_ok(mr_units_size, "1PiB", 1125899906842624.0);
    value_ok(mr_units_size, "1KB", 1e3);
    value_ok(mr_units_size, "1kB", 1e3);
    value_ok(mr_units_size, "3MB", 3e6);
    value_ok(mr_units_size, "2TB", 2e12);
    value_ok(mr_units_size, "1PB", 1e15);
    value_ok(mr_units_size, "2 KiB", 2048);
    value_ok(mr_units_size, "0", 0);
}

Test(units, size_errors)
{
    value_bad(mr_units_size, "2048", MR_EINVAL,
              "missing unit in '2048': write e.g. 2048B or 2048KiB (units: B, KB, MB, GB, TB, PB, "
              "KiB, MiB, GiB, TiB, PiB)");
    value_bad(mr_units_size, "2Gb", MR_EINVAL,
              "unknown size unit 'Gb' in '2Gb': use B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB "
              "(sizes are in bytes)");
    value_bad(mr_units_size, "-1KB", MR_EINVAL, "a size cannot be negative: '-1KB'");
    value_bad(mr_units_size, "KB", MR_EINVAL, "expected a size such as 2KiB, found 'KB'");
}

Test(units, money_and_plain_numbers)
{
    value_ok(mr_units_money, "740", 740);
    value_ok(mr_units_money, "0.21", 0.21);
    value_ok(mr_units_money, "1e3", 1000);
    value_ok(mr_units_money, "0", 0);
    value_bad(mr_units_money, "$740", MR_EINVAL,
              "expected an amount of money as a plain number such as 740, found '$740'");
    value_bad(mr_units_money, "-5", MR_EINVAL, "an amount of money cannot be negative: '-5'");

    value_ok(mr_units_number, "1.5", 1.5);
    value_ok(mr_units_number, "-2", -2);
    value_ok(mr_units_number, "+3", 3);
    value_ok(mr_units_number, "1e-3", 1e-3);
    value_ok(mr_units_number, "1E3", 1e3);
    value_ok(mr_units_number, " 7 ", 7);
    value_bad(mr_units_number, "abc", MR_EINVAL, "expected a number, found 'abc'");
    value_bad(mr_units_number, ".inf", MR_EINVAL, "expected a number, found '.inf'");
    value_bad(mr_units_number, "0x10", MR_EINVAL, "expected a number, found '0x10'");
    value_bad(mr_units_number, "1,5", MR_EINVAL, "expected a number, found '1,5'");
    value_bad(mr_units_number, "", MR_EINVAL, "expected a number, found ''");
    value_bad(mr_units_number, "1e999", MR_ERANGE, "number '1e999' is out of range");
}

Test(units, integers_with_a_range)
{
    char err[MR_UNITS_ERRLEN] = "";
    int64_t v = 0;
    cr_expect_eq(mr_units_int("42", 0, 100, &v, err, sizeof err), MR_OK);
    cr_expect_eq(v, 42);
    cr_expect_eq(mr_units_int("-3", -5, 5, &v, err, sizeof err), MR_OK);
    cr_expect_eq(v, -3);
    cr_expect_eq(mr_units_int("+7", 0, 10, &v, err, sizeof err), MR_OK);
    cr_expect_eq(v, 7);
    cr_expect_eq(mr_units_int("-9223372036854775808", INT64_MIN, INT64_MAX, &v, err, sizeof err),
                 MR_OK);
    cr_expect_eq(v, INT64_MIN);
    cr_expect_eq(mr_units_int("9223372036854775807", INT64_MIN, INT64_MAX, &v, err, sizeof err),
                 MR_OK);
    cr_expect_eq(v, INT64_MAX);

    v = 99;
    cr_expect_eq(mr_units_int("1.5", 0, 10, &v, err, sizeof err), MR_EINVAL);
    cr_expect_str_eq(err, "expected a whole number, found '1.5'");
    cr_expect_eq(mr_units_int("10", 0, 5, &v, err, sizeof err), MR_ERANGE);
    cr_expect_str_eq(err, "10 is out of range [0, 5]");
    cr_expect_eq(mr_units_int("9223372036854775808", INT64_MIN, INT64_MAX, &v, err, sizeof err),
                 MR_ERANGE);
    cr_expect_str_eq(err, "9223372036854775808 is out of range [-9223372036854775808, "
                          "9223372036854775807]");
    cr_expect_eq(mr_units_int("-99999999999999999999", -1, 1, &v, err, sizeof err), MR_ERANGE);
    cr_expect_str_eq(err, "-99999999999999999999 is out of range [-1, 1]");
    cr_expect_eq(mr_units_int("-", 0, 1, &v, err, sizeof err), MR_EINVAL);
    cr_expect_str_eq(err, "expected a whole number, found '-'");
    cr_expect_eq(v, 99);
}

Test(units, booleans_are_true_or_false_only)
{
    const char *yes[] = {"true", "True", "TRUE"}, *no[] = {"false", "False", "FALSE"};
    bool b;
    for (int i = 0; i < 3; i++) {
        b = false;
        cr_expect_eq(mr_units_bool(yes[i], &b, NULL, 0), MR_OK);
        cr_expect(b);
        b = true;
        cr_expect_eq(mr_units_bool(no[i], &b, NULL, 0), MR_OK);
        cr_expect_not(b);
    }
    char err[MR_UNITS_ERRLEN];
    cr_expect_eq(mr_units_bool("yes", &b, err, sizeof err), MR_EINVAL);
    cr_expect_str_eq(err, "expected true or false, found 'yes'");
}

Test(units, value_dispatches_on_the_kind)
{
    double v;
    cr_expect_eq(mr_units_value(MR_UNIT_DURATION, "2s", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 2e9, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_RATE, "2/s", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 2, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_RATIO, "20%", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 0.2, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_SIZE, "2KiB", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 2048, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_MONEY, "2", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, 2, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_NUMBER, "-2", &v, NULL, 0), MR_OK);
    cr_expect_float_eq(v, -2, REL);
    cr_expect_eq(mr_units_value(MR_UNIT_DURATION, "2", &v, NULL, 0), MR_EINVAL);

    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_DURATION), "a duration (such as 30s)");
    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_RATE), "a rate (such as 500/s)");
    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_RATIO), "a ratio (such as 0.999 or 99.9%)");
    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_SIZE), "a size (such as 2KiB)");
    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_MONEY), "an amount of money");
    cr_expect_str_eq(mr_unit_kind_describe(MR_UNIT_NUMBER), "a number");
}

/* ---- On nodes ---------------------------------------------------------- */

static mr_doc *load(const char *text)
{
    mr_diag *d = mr_diag_new();
    mr_doc *doc;
    cr_assert_eq(mr_doc_load_string(text, "u.yaml", &doc, d), MR_OK);
    mr_diag_free(d);
    return doc;
}

Test(units, node_wrappers_report_at_the_mark_and_mark_used)
{
    mr_doc *doc = load("ttl: 30s\n"
                       "bare: 30\n"
                       "map: {a: 1}\n"
                       "none:\n"
                       "count: 7\n"
                       "flag: yes\n"
                       "seq: [1]\n"
                       "rate: \"500/s\"\n"
                       "big: 11\n"
                       "on: true\n");
    mr_node *root = doc->root;
    mr_diag *d = mr_diag_new();
    mr_time t = 0;
    double v = 0;
    int64_t i = 0;
    bool b = false;

    cr_expect_eq(mr_units_node_duration(mr_node_get(root, "ttl"), &t, d), MR_OK);
    cr_expect_eq(t, 30 * MR_S);
    cr_expect(mr_node_get(root, "ttl")->used);
    cr_expect_eq(mr_units_node_value(mr_node_get(root, "rate"), MR_UNIT_RATE, &v, d), MR_OK);
    cr_expect_float_eq(v, 500, REL);
    cr_expect_eq(mr_units_node_int(mr_node_get(root, "count"), 0, 10, &i, d), MR_OK);
    cr_expect_eq(i, 7);
    cr_expect_eq(mr_units_node_bool(mr_node_get(root, "on"), &b, d), MR_OK);
    cr_expect(b);
    cr_expect_eq(mr_diag_count(d), 0);

    cr_expect_eq(mr_units_node_duration(mr_node_get(root, "bare"), &t, d), MR_ESCENARIO);
    cr_expect_eq(mr_units_node_duration(mr_node_get(root, "map"), &t, d), MR_ESCENARIO);
    cr_expect_eq(mr_units_node_value(mr_node_get(root, "none"), MR_UNIT_RATIO, &v, d),
                 MR_ESCENARIO);
    cr_expect_eq(mr_units_node_bool(mr_node_get(root, "flag"), &b, d), MR_ESCENARIO);
    cr_expect_eq(mr_units_node_int(mr_node_get(root, "seq"), 0, 10, &i, d), MR_ESCENARIO);
    cr_expect_eq(mr_units_node_int(mr_node_get(root, "big"), 0, 10, &i, d), MR_ESCENARIO);
    cr_expect_eq(mr_units_node_value(mr_node_get(root, "bare"), MR_UNIT_SIZE, &v, d), MR_ESCENARIO);
    cr_expect_eq(t, 30 * MR_S);
    cr_expect_eq(i, 7);
    cr_expect(mr_node_get(root, "map")->used);

    const char *want[] = {
        "u.yaml:2:7: error: missing unit in '30': write e.g. 30s or 30m (units: ns, us, ms, s, m, "
        "h, d, y)",
        "u.yaml:3:6: error: expected a duration (such as 30s), found a map",
        "u.yaml:4:6: error: expected a ratio (such as 0.999 or 99.9%), found null",
        "u.yaml:6:7: error: expected true or false, found 'yes'",
        "u.yaml:7:6: error: expected a whole number, found a sequence",
        "u.yaml:9:6: error: 11 is out of range [0, 10]",
        "u.yaml:2:7: error: missing unit in '30': write e.g. 30B or 30KiB (units: B, KB, MB, GB, "
        "TB, PB, KiB, MiB, GiB, TiB, PiB)",
    };
    cr_assert_eq(mr_diag_count(d), 7);
    for (int k = 0; k < 7; k++)
        cr_expect_str_eq(mr_diag_line(d, k), want[k]);
    mr_diag_free(d);
    mr_doc_free(doc);
}

/* ---- Hints ------------------------------------------------------------- */

Test(units, edit_distance_counts_swaps_as_one)
{
    cr_expect_eq(mr_edit_distance("kitten", "sitting"), 3);
    cr_expect_eq(mr_edit_distance("ab", "ba"), 1);
    cr_expect_eq(mr_edit_distance("exponentail", "exponential"), 1);
    cr_expect_eq(mr_edit_distance("", "abc"), 3);
    cr_expect_eq(mr_edit_distance("abc", ""), 3);
    cr_expect_eq(mr_edit_distance("abc", "abc"), 0);
    /* Optimal string alignment, not full Damerau: no edit inside a swap. */
    cr_expect_eq(mr_edit_distance("ca", "abc"), 3);
}

Test(units, closest_finds_likely_typos_only)
{
    const char *keys[] = {"interval", "timeout", "ttl", "tolerated_failures"};
    cr_expect_eq(mr_closest("tll", keys, 4), 2);
    cr_expect_eq(mr_closest("intervall", keys, 4), 0);
    cr_expect_eq(mr_closest("timeuot", keys, 4), 1);
    cr_expect_eq(mr_closest("tolerated_falures", keys, 4), 3);
    cr_expect_eq(mr_closest("zzz", keys, 4), -1);
    cr_expect_eq(mr_closest("routing", keys, 4), -1);
    cr_expect_eq(mr_closest("", keys, 4), -1);
    cr_expect_eq(mr_closest("tll", keys, 0), -1);
    const char *one[] = {"a"};
    cr_expect_eq(mr_closest("x", one, 1), -1);
    /* Long words tolerate a third of their length. */
    const char *longer[] = {"successful_samples_required"};
    cr_expect_eq(mr_closest("succesful_sample_require", longer, 1), 0);
}

Test(units, closest_order_is_stable)
{
    const char *c[] = {"abcd", "ab", "xb", "ba"};
    size_t order[4];
    mr_closest_order("ab", c, 4, order);
    cr_expect_eq(order[0], 1);
    cr_expect_eq(order[1], 2);
    cr_expect_eq(order[2], 3);
    cr_expect_eq(order[3], 0);
}
