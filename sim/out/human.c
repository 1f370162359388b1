/* sim/out/human.c: numbers for tables (human.h). Percentages and
 * durations keep their trailing zeros ("4.00 s", "4.880%": the digits
 * shown are the digits known); counts drop them ("65", not "65.00"). Each
 * rounds first and
 * then decides the unit from the rounded value, so a rounding never
 * prints an impossible reading ("60 s", "1h 60m", "100.0%" for less than
 * 100%): it carries into the next unit instead. Only fixed-point
 * conversions (%.*f, %lld) are used, so no value prints in scientific
 * notation however large or small. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "human.h"

/* Removes trailing zeros after a decimal point, and the point if bare. */
static void trim_zeros(char *s)
{
    if (strchr(s, '.') == NULL)
        return;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
}

/* x >= 0 rounded to a whole number, with a comma every three digits.
 * Beyond 1e18 (no count or amount here comes near) it says so rather
 * than print 300 digits. */
static void with_commas(char *out, size_t cap, double x)
{
    if (x >= 1e18) {
        snprintf(out, cap, ">999,999,999,999,999,999");
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", x);
    size_t n = strlen(digits), j = 0;
    char tmp[48];
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            tmp[j++] = ',';
        tmp[j++] = digits[i];
    }
    tmp[j] = '\0';
    snprintf(out, cap, "%s", tmp);
}

/* Decimals that leave `sig` significant digits of x > 0, clamped to [0, max]. */
static int decimals_for(double x, int sig, int max)
{
    int d = sig - 1 - (int)floor(log10(x));
    return d < 0 ? 0 : d > max ? max : d;
}

char *mr_hu_percent(char *buf, size_t cap, double share)
{
    if (isnan(share)) {
        snprintf(buf, cap, "-");
        return buf;
    }
    if (isinf(share)) {
        snprintf(buf, cap, "%sinf%%", share < 0 ? "-" : "");
        return buf;
    }
    double pct = 100 * share;
    if (pct == 0) {
        snprintf(buf, cap, "0%%");
        return buf;
    }
    int d = decimals_for(fabs(pct), 4, 8);
    if (share > 0 && share < 1) {
        int du = decimals_for(100 * (1 - share), 2, 8);
        d = du > d ? du : d;
    }
    char num[MR_HU_LEN];
    snprintf(num, sizeof num, "%.*f", d, pct);
    /* Within 5e-11 of 1 the missing part is below the last digit shown:
     * "100%" would claim no failure at all. */
    if (share < 1 && strncmp(num, "100", 3) == 0)
        snprintf(num, sizeof num, "99.99999999");
    if (share == 1)
        snprintf(num, sizeof num, "100");
    snprintf(buf, cap, "%s%%", num);
    return buf;
}

/* |s| > 0 in its unit, s after any carry. */
static void duration_abs(char *out, size_t cap, double a)
{
    if (a < 1) {
        double ms = a * 1000;
        if (ms < 0.01) {
            snprintf(out, cap, "<0.01 ms");
            return;
        }
        int d = decimals_for(ms, 3, 2);
        double r = round(ms * pow(10, d)) / pow(10, d);
        if (r < 1000) {
            char num[24];
            snprintf(num, sizeof num, "%.*f", d, r);
            snprintf(out, cap, "%s ms", num);
            return;
        }
        a = 1; /* 999.96 ms carries to 1 s */
    }
    if (a < 60) {
        int d = decimals_for(a, 3, 2);
        double r = round(a * pow(10, d)) / pow(10, d);
        if (r < 60) {
            char num[24];
            snprintf(num, sizeof num, "%.*f", d, r);
            snprintf(out, cap, "%s s", num);
            return;
        }
        a = 60;
    }
    if (a < 3600) {
        long long t = llround(a);
        if (t < 3600) {
            snprintf(out, cap, "%lldm %02llds", t / 60, t % 60);
            return;
        }
        a = 3600;
    }
    if (a < 86400) {
        long long m = llround(a / 60);
        if (m < 1440) {
            snprintf(out, cap, "%lldh %02lldm", m / 60, m % 60);
            return;
        }
        a = 86400;
    }
    if (a < 100 * 86400.0) {
        long long h = llround(a / 3600);
        if (h < 100 * 24) {
            snprintf(out, cap, "%lldd %02lldh", h / 24, h % 24);
            return;
        }
    }
    char days[32];
    with_commas(days, sizeof days, round(a / 86400));
    snprintf(out, cap, "%sd", days);
}

char *mr_hu_duration(char *buf, size_t cap, double s)
{
    if (isnan(s)) {
        snprintf(buf, cap, "-");
    } else if (isinf(s)) {
        snprintf(buf, cap, "%sinf", s < 0 ? "-" : "");
    } else if (s == 0) {
        snprintf(buf, cap, "0 s");
    } else {
        char abs[MR_HU_LEN];
        duration_abs(abs, sizeof abs, fabs(s));
        snprintf(buf, cap, "%s%s", s < 0 ? "-" : "", abs);
    }
    return buf;
}

char *mr_hu_ms(char *buf, size_t cap, double ms)
{
    return mr_hu_duration(buf, cap, ms / 1000);
}

char *mr_hu_usd(char *buf, size_t cap, double usd, int monthly)
{
    const char *per = monthly ? "/mo" : "";
    if (isnan(usd)) {
        snprintf(buf, cap, "-");
        return buf;
    }
    if (isinf(usd)) {
        snprintf(buf, cap, "%s$inf%s", usd < 0 ? "-" : "", per);
        return buf;
    }
    const char *sign = usd < 0 ? "-" : "";
    double a = fabs(usd);
    if (a == 0) {
        snprintf(buf, cap, "$0%s", per);
    } else if (a < 0.005) {
        snprintf(buf, cap, "%s<$0.01%s", sign, per);
    } else if (round(a * 100) < 10000) {
        snprintf(buf, cap, "%s$%.2f%s", sign, round(a * 100) / 100, per);
    } else {
        char whole[MR_HU_LEN];
        with_commas(whole, sizeof whole, round(a));
        snprintf(buf, cap, "%s$%s%s", sign, whole, per);
    }
    return buf;
}

char *mr_hu_count(char *buf, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(buf, cap, "-");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, cap, "%sinf", v < 0 ? "-" : "");
        return buf;
    }
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    char num[MR_HU_LEN];
    if (a == 0) {
        snprintf(num, sizeof num, "0");
        sign = "";
    } else if (a < 0.001) {
        snprintf(num, sizeof num, "<0.001");
    } else {
        int d = decimals_for(a, 4, 3);
        double r = round(a * pow(10, d)) / pow(10, d);
        if (r < 1000) {
            snprintf(num, sizeof num, "%.*f", d, r);
            trim_zeros(num);
        } else {
            with_commas(num, sizeof num, a);
        }
    }
    snprintf(buf, cap, "%s%s", sign, num);
    return buf;
}

char *mr_hu_value(char *buf, size_t cap, mr_hu_kind k, double v)
{
    switch (k) {
    case MR_HU_SHARE:
        return mr_hu_percent(buf, cap, v);
    case MR_HU_SECONDS:
        return mr_hu_duration(buf, cap, v);
    case MR_HU_MS:
        return mr_hu_ms(buf, cap, v);
    case MR_HU_USD:
        return mr_hu_usd(buf, cap, v, 0);
    case MR_HU_USD_MONTH:
        return mr_hu_usd(buf, cap, v, 1);
    case MR_HU_COUNT:
    default:
        return mr_hu_count(buf, cap, v);
    }
}

/* The unit at the end of s that an interval writes once, or NULL. Only a
 * unit after a number qualifies: "1m 05s" has none to share. */
static const char *shared_suffix(const char *lo, const char *hi)
{
    static const char *const units[] = {" ms", " s", "%", "/mo", " pp"};
    size_t nl = strlen(lo), nh = strlen(hi);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i]);
        if (nl > n && nh > n && strcmp(lo + nl - n, units[i]) == 0 &&
            strcmp(hi + nh - n, units[i]) == 0)
            return units[i];
    }
    return NULL;
}

char *mr_hu_given(char *buf, size_t cap, mr_hu_kind k, double v)
{
    char num[MR_HU_LEN];
    mr_hu_value(num, sizeof num, k, v);
    /* Trim the number: from the first digit to the end of its digits and
     * point, the rest (unit, suffix) copied after. */
    size_t i = strcspn(num, "0123456789");
    size_t j = i + strspn(num + i, "0123456789.,");
    char head[MR_HU_LEN], digits[MR_HU_LEN];
    snprintf(head, sizeof head, "%.*s", (int)i, num);
    snprintf(digits, sizeof digits, "%.*s", (int)(j - i), num + i);
    trim_zeros(digits);
    snprintf(buf, cap, "%s%s%s", head, digits, num + j);
    return buf;
}

char *mr_hu_delta(char *buf, size_t cap, mr_hu_kind k, double v)
{
    char num[MR_HU_LEN - 4];
    mr_hu_value(num, sizeof num, k, v);
    size_t n = strlen(num);
    if (k == MR_HU_SHARE && n > 0 && num[n - 1] == '%')
        snprintf(num + n - 1, sizeof num - (n - 1), " pp");
    snprintf(buf, cap, "%s%s", v > 0 ? "+" : "", num);
    return buf;
}

static char *interval_of(char *buf, size_t cap, mr_hu_kind k, double lo, double hi, int delta)
{
    if (isnan(lo) || isnan(hi)) {
        snprintf(buf, cap, "-");
        return buf;
    }
    char a[MR_HU_LEN], b[MR_HU_LEN];
    if (delta) {
        mr_hu_delta(a, sizeof a, k, lo);
        mr_hu_delta(b, sizeof b, k, hi);
    } else {
        mr_hu_value(a, sizeof a, k, lo);
        mr_hu_value(b, sizeof b, k, hi);
    }
    const char *u = shared_suffix(a, b);
    if (u)
        a[strlen(a) - strlen(u)] = '\0';
    snprintf(buf, cap, "[%s, %s]", a, b);
    return buf;
}

char *mr_hu_interval(char *buf, size_t cap, mr_hu_kind k, double lo, double hi)
{
    return interval_of(buf, cap, k, lo, hi, 0);
}

char *mr_hu_delta_interval(char *buf, size_t cap, mr_hu_kind k, double lo, double hi)
{
    return interval_of(buf, cap, k, lo, hi, 1);
}

char *mr_hu_plural(char *buf, size_t cap, unsigned long long n, const char *one,
                   const char *many)
{
    snprintf(buf, cap, "%llu %s", n, n == 1 ? one : many);
    return buf;
}
