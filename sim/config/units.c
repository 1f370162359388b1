/* sim/config/units.c: scalar text → values with units (units.h), and the
 * edit distance behind "did you mean".
 *
 * Durations are parsed digit by digit into integer nanoseconds, never through
 * a double, so "0.1s" is exactly 100000000 ns and "292y" is checked against
 * INT64_MAX exactly. Other numbers go through strtod, in the C locale and only
 * after this file has checked their syntax itself, so neither a locale's
 * decimal comma nor strtod's extras ("inf", "0x1p3", "  5") slip in.
 * Invariant: on failure *out is untouched and err holds one sentence. */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

#define DURATION_UNITS "ns, us, ms, s, m, h, d, y"
#define SIZE_UNITS "B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB"

/* Declared apart so that the compiler checks every call's format. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(char *err, size_t n, const char *fmt, ...);

static int fail(char *err, size_t n, const char *fmt, ...)
{
    if (err != NULL && n > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, n, fmt, ap);
        va_end(ap);
    }
    return MR_EINVAL;
}

/* text without surrounding blanks, as a new string (caller frees). */
static char *trimmed(const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    char *t = mr_xmalloc(n + 1);
    memcpy(t, text, n);
    t[n] = '\0';
    return t;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The length of the number at s: [+-]? D+ (. D+)? ([eE] [+-]? D+)?, the sign
 * and exponent only when allowed; 0 when s does not start with one. */
static size_t scan_number(const char *s, bool sign, bool exponent)
{
    size_t i = 0;
    if (sign && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t d = i;
    while (is_digit(s[i]))
        i++;
    if (i == d)
        return 0;
    if (s[i] == '.' && is_digit(s[i + 1])) {
        i++;
        while (is_digit(s[i]))
            i++;
    }
    if (exponent && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (is_digit(s[j])) {
            while (is_digit(s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* strtod of the n bytes at s, which scan_number accepted, in the C locale. */
static double c_strtod(const char *s, size_t n)
{
    char small[64];
    char *copy = n < sizeof small ? small : mr_xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    /* The TUI sets the user's locale for wide characters; a decimal comma
     * there must not change what "1.5" means. */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
    double v = strtod(copy, NULL);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    if (copy != small)
        free(copy);
    return v;
}

/* Whether all of s is one number (with the given extras); sets *v. */
static bool whole_number(const char *s, bool sign, bool exponent, double *v)
{
    size_t n = scan_number(s, sign, exponent);
    if (n == 0 || s[n] != '\0')
        return false;
    *v = c_strtod(s, n);
    return true;
}

/* ---- Durations --------------------------------------------------------- */

/* A unit is m * 10^e ns, the split that makes exact decimal fractions easy. */
typedef struct time_unit {
    const char *name;
    int64_t m;
    int e;
} time_unit;

static const time_unit time_units[] = {
    {"ns", 1, 0}, {"us", 1, 3},   {"\xC2\xB5s", 1, 3}, {"ms", 1, 6},       {"s", 1, 9},
    {"m", 60, 9}, {"h", 3600, 9}, {"d", 86400, 9},     {"y", 31536000, 9},
};

static const time_unit *find_time_unit(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof time_units / sizeof *time_units; i++) {
        if (strlen(time_units[i].name) == n && memcmp(time_units[i].name, name, n) == 0)
            return &time_units[i];
    }
    return NULL;
}

/* Adds (int . frac) units to *acc exactly, rounding below 1 ns to nearest.
 * Returns MR_OK or MR_ERANGE past INT64_MAX. */
static int add_scaled(int64_t *acc, const char *ip, size_t ni, const char *fp, size_t nf,
                      const time_unit *u)
{
    int64_t p10 = 1;
    for (int k = 0; k < u->e; k++)
        p10 *= 10;
    int64_t unit = u->m * p10;
    int64_t whole = 0;
    for (size_t k = 0; k < ni; k++) {
        int d = ip[k] - '0';
        if (whole > (INT64_MAX - d) / 10)
            return MR_ERANGE;
        whole = 10 * whole + d;
    }
    if (whole > INT64_MAX / unit)
        return MR_ERANGE;
    int64_t v = whole * unit;
    /* Fraction 0.f1f2... of m 10^e ns: m * (f1..fe as an integer) exactly,
     * plus m * 0.f(e+1)... rounded, from the next nine digits. Both
     * products stay below 3.2e16. */
    int64_t head = 0, tail = 0;
    for (size_t k = 0; k < (size_t)u->e; k++)
        head = 10 * head + (k < nf ? fp[k] - '0' : 0);
    for (size_t k = (size_t)u->e; k < (size_t)u->e + 9; k++)
        tail = 10 * tail + (k < nf ? fp[k] - '0' : 0);
    int64_t frac = u->m * head + (u->m * tail + 500000000) / 1000000000;
    if (v > INT64_MAX - frac)
        return MR_ERANGE;
    v += frac;
    if (*acc > INT64_MAX - v)
        return MR_ERANGE;
    *acc += v;
    return MR_OK;
}

/* Reads D+ (sep D+)? at s + *i, sep being '.' (or ',' in ISO 8601). */
static bool read_decimal(const char *s, size_t *i, bool comma, const char **ip, size_t *ni,
                         const char **fp, size_t *nf)
{
    size_t j = *i;
    *ip = s + j;
    while (is_digit(s[j]))
        j++;
    *ni = j - *i;
    if (*ni == 0)
        return false;
    *fp = s + j;
    *nf = 0;
    if ((s[j] == '.' || (comma && s[j] == ',')) && is_digit(s[j + 1])) {
        j++;
        *fp = s + j;
        while (is_digit(s[j]))
            j++;
        *nf = (size_t)(s + j - *fp);
    }
    *i = j;
    return true;
}

static int too_long(const char *text, char *err, size_t n)
{
    fail(err, n, "duration '%s' is too long: the longest is about 292y", text);
    return MR_ERANGE;
}

/* ISO 8601: P [nY] [nW] [nD] [T [nH] [nM] [nS]]. */
static int iso_duration(const char *t, mr_time *out, char *err, size_t n)
{
    static const char designators[] = "YMWDHMS"; /* order; [1] is months */
    static const time_unit iso_units[] = {
        {"Y", 31536000, 9}, {"M", 0, 0},  {"W", 604800, 9}, {"D", 86400, 9},
        {"H", 3600, 9},     {"M", 60, 9}, {"S", 1, 9},
    };
    int64_t acc = 0;
    size_t i = 1;
    int last = -1;
    bool in_time = false, any = false;
    while (t[i] != '\0') {
        if (t[i] == 'T' || t[i] == 't') {
            if (in_time)
                return fail(err, n, "bad ISO 8601 duration '%s': a second 'T'", t);
            in_time = true;
            i++;
            if (t[i] == '\0')
                return fail(err, n, "bad ISO 8601 duration '%s': nothing after 'T'", t);
            continue;
        }
        const char *ip, *fp;
        size_t ni, nf;
        if (!read_decimal(t, &i, true, &ip, &ni, &fp, &nf))
            return fail(err, n, "bad ISO 8601 duration '%s': expected a number at '%s'", t, t + i);
        char d = t[i] >= 'a' && t[i] <= 'z' ? (char)(t[i] - 'a' + 'A') : t[i];
        int pos = -1;
        for (int k = in_time ? 4 : 0; k < (in_time ? 7 : 4); k++) {
            if (designators[k] == d)
                pos = k;
        }
        if (pos < 0) {
            return fail(err, n, "bad ISO 8601 duration '%s': expected %s after a number", t,
                        in_time ? "H, M or S" : "Y, W or D (or T before a time)");
        }
        if (pos == 1)
            return fail(err, n, "months are ambiguous in '%s': write days (P30D)", t);
        if (pos <= last)
            return fail(err, n,
                        "bad ISO 8601 duration '%s': parts out of order (Y, W, D, T, H, M, S)", t);
        last = pos;
        any = true;
        i++;
        if (add_scaled(&acc, ip, ni, fp, nf, &iso_units[pos]) != MR_OK)
            return too_long(t, err, n);
    }
    if (!any)
        return fail(err, n, "bad ISO 8601 duration '%s': no value", t);
    *out = acc;
    return MR_OK;
}

static int duration_text(const char *t, mr_time *out, char *err, size_t n)
{
    if (t[0] == '-' && (is_digit(t[1]) || t[1] == 'P' || t[1] == 'p'))
        return fail(err, n, "a duration cannot be negative: '%s'", t);
    if (t[0] == 'P' || t[0] == 'p')
        return iso_duration(t, out, err, n);
    if (t[0] == '\0')
        return fail(err, n, "expected a duration such as 30s, found ''");
    double v;
    if (whole_number(t, false, false, &v)) {
        if (v != 0) {
            return fail(err, n, "missing unit in '%s': write e.g. %ss or %sm (units: %s)", t, t, t,
                        DURATION_UNITS);
        }
        *out = 0;
        return MR_OK;
    }
    int64_t acc = 0;
    size_t i = 0;
    while (t[i] != '\0') {
        const char *ip, *fp;
        size_t ni, nf;
        size_t at = i;
        if (!read_decimal(t, &i, false, &ip, &ni, &fp, &nf)) {
            if (at == 0)
                return fail(err, n, "expected a duration such as 30s, found '%s'", t);
            return fail(err, n, "unexpected '%s' in duration '%s'", t + at, t);
        }
        while (t[i] == ' ')
            i++;
        size_t u0 = i;
        while ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
               (unsigned char)t[i] == 0xC2 || (unsigned char)t[i] == 0xB5)
            i++;
        if (i == u0) {
            return fail(err, n, "missing unit after '%.*s' in '%s' (units: %s)", (int)(i - at),
                        t + at, t, DURATION_UNITS);
        }
        const time_unit *u = find_time_unit(t + u0, i - u0);
        if (u == NULL) {
            return fail(err, n, "unknown unit '%.*s' in '%s': use %s", (int)(i - u0), t + u0, t,
                        DURATION_UNITS);
        }
        if (add_scaled(&acc, ip, ni, fp, nf, u) != MR_OK)
            return too_long(t, err, n);
        while (t[i] == ' ')
            i++;
    }
    *out = acc;
    return MR_OK;
}

int mr_units_duration(const char *text, mr_time *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    int rc = duration_text(t, out, err, errlen);
    free(t);
    return rc;
}

/* ---- Rates, ratios, sizes, money, numbers ------------------------------ */

static int rate_text(const char *t, double *out, char *err, size_t n)
{
    double v;
    const char *slash = strchr(t, '/');
    if (slash == NULL) {
        if (whole_number(t, false, true, &v) && v == 0) {
            *out = 0;
            return MR_OK;
        }
        if (whole_number(t, true, true, &v))
            return fail(err, n, "missing unit in '%s': write e.g. %s/s or %s/m", t, t, t);
        return fail(err, n, "expected a rate such as 500/s, found '%s'", t);
    }
    char *lhs = mr_xmalloc((size_t)(slash - t) + 1);
    memcpy(lhs, t, (size_t)(slash - t));
    lhs[slash - t] = '\0';
    char *num = trimmed(lhs);
    free(lhs);
    bool ok = whole_number(num, true, true, &v);
    bool negative = num[0] == '-';
    free(num);
    if (!ok)
        return fail(err, n, "expected a rate such as 500/s, found '%s'", t);
    if (negative && v != 0)
        return fail(err, n, "a rate cannot be negative: '%s'", t);
    char *per = trimmed(slash + 1);
    mr_time period = 0;
    int rc = MR_OK;
    if (!is_digit(per[0])) {
        const time_unit *u = find_time_unit(per, strlen(per));
        if (u == NULL)
            rc = fail(err, n, "unknown unit '%s' in '%s': use /s, /m, /h, /d or /y", per, t);
        else
            add_scaled(&period, "1", 1, "", 0, u);
    } else {
        char why[MR_UNITS_ERRLEN];
        if (mr_units_duration(per, &period, why, sizeof why) != MR_OK)
            rc = fail(err, n, "bad period in rate '%s': %s", t, why);
        else if (period == 0)
            rc = fail(err, n, "bad period in rate '%s': it is 0", t);
    }
    free(per);
    if (rc != MR_OK)
        return rc;
    *out = v * 1e9 / (double)period;
    return MR_OK;
}

int mr_units_rate(const char *text, double *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    int rc = rate_text(t, out, err, errlen);
    free(t);
    return rc;
}

static int ratio_text(char *t, double *out, char *err, size_t n)
{
    double v;
    size_t len = strlen(t);
    if (len > 0 && t[len - 1] == '%') {
        t[len - 1] = '\0';
        char *p = trimmed(t);
        bool ok = whole_number(p, true, false, &v);
        free(p);
        t[len - 1] = '%';
        if (!ok)
            return fail(err, n, "expected a percentage such as 99.9%%, found '%s'", t);
        if (v < 0 || v > 100) {
            fail(err, n, "percentage '%s' is out of range [0%%, 100%%]", t);
            return MR_ERANGE;
        }
        *out = v / 100;
        return MR_OK;
    }
    if (!whole_number(t, true, true, &v))
        return fail(err, n, "expected a ratio such as 0.999 or 99.9%%, found '%s'", t);
    if (v >= 1 && v <= 100)
        return fail(err, n, "ambiguous ratio '%s': write %s%% or %g", t, t, v / 100);
    if (v < 0 || v > 100) {
        fail(err, n, "ratio '%s' is out of range: write a fraction in [0, 1) or a percentage", t);
        return MR_ERANGE;
    }
    *out = v;
    return MR_OK;
}

int mr_units_ratio(const char *text, double *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    int rc = ratio_text(t, out, err, errlen);
    free(t);
    return rc;
}

static int size_text(const char *t, double *out, char *err, size_t n)
{
    static const struct {
        const char *name;
        double bytes;
    } units[] = {
        {"B", 1},
        {"KB", 1e3},
        {"kB", 1e3},
        {"MB", 1e6},
        {"GB", 1e9},
        {"TB", 1e12},
        {"PB", 1e15},
        {"KiB", 1024.0},
        {"MiB", 1048576.0},
        {"GiB", 1073741824.0},
        {"TiB", 1099511627776.0},
        {"PiB", 1125899906842624.0},
    };
    size_t num = scan_number(t, true, false);
    if (num == 0)
        return fail(err, n, "expected a size such as 2KiB, found '%s'", t);
    double v = c_strtod(t, num);
    if (t[0] == '-' && v != 0)
        return fail(err, n, "a size cannot be negative: '%s'", t);
    const char *u = t + num;
    while (*u == ' ')
        u++;
    if (*u == '\0') {
        if (v == 0) {
            *out = 0;
            return MR_OK;
        }
        return fail(err, n, "missing unit in '%s': write e.g. %sB or %sKiB (units: %s)", t, t, t,
                    SIZE_UNITS);
    }
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(u, units[i].name) == 0) {
            *out = v * units[i].bytes;
            return MR_OK;
        }
    }
    return fail(err, n, "unknown size unit '%s' in '%s': use %s (sizes are in bytes)", u, t,
                SIZE_UNITS);
}

int mr_units_size(const char *text, double *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    int rc = size_text(t, out, err, errlen);
    free(t);
    return rc;
}

int mr_units_money(const char *text, double *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    double v;
    int rc = MR_OK;
    if (!whole_number(t, true, true, &v) || !isfinite(v))
        rc = fail(err, errlen,
                  "expected an amount of money as a plain number such as 740, found "
                  "'%s'",
                  t);
    else if (v < 0)
        rc = fail(err, errlen, "an amount of money cannot be negative: '%s'", t);
    else
        *out = v;
    free(t);
    return rc;
}

int mr_units_number(const char *text, double *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    double v;
    int rc = MR_OK;
    if (!whole_number(t, true, true, &v)) {
        rc = fail(err, errlen, "expected a number, found '%s'", t);
    } else if (!isfinite(v)) {
        fail(err, errlen, "number '%s' is out of range", t);
        rc = MR_ERANGE;
    } else {
        *out = v;
    }
    free(t);
    return rc;
}

int mr_units_int(const char *text, int64_t lo, int64_t hi, int64_t *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    size_t i = t[0] == '+' || t[0] == '-' ? 1 : 0;
    bool negative = t[0] == '-';
    size_t d = i;
    /* Accumulate negatively: -INT64_MIN does not exist. */
    int64_t v = 0;
    bool overflow = false;
    while (is_digit(t[i])) {
        int digit = t[i] - '0';
        if (v < (INT64_MIN + digit) / 10)
            overflow = true;
        else
            v = 10 * v - digit;
        i++;
    }
    int rc = MR_OK;
    if (i == d || t[i] != '\0') {
        rc = fail(err, errlen, "expected a whole number, found '%s'", t);
    } else if (!negative && v == INT64_MIN) {
        overflow = true;
    } else if (!negative) {
        v = -v;
    }
    if (rc == MR_OK && (overflow || v < lo || v > hi)) {
        fail(err, errlen, "%s is out of range [%" PRId64 ", %" PRId64 "]", t, lo, hi);
        rc = MR_ERANGE;
    }
    if (rc == MR_OK)
        *out = v;
    free(t);
    return rc;
}

int mr_units_bool(const char *text, bool *out, char *err, size_t errlen)
{
    char *t = trimmed(text);
    int rc = MR_OK;
    if (strcmp(t, "true") == 0 || strcmp(t, "True") == 0 || strcmp(t, "TRUE") == 0)
        *out = true;
    else if (strcmp(t, "false") == 0 || strcmp(t, "False") == 0 || strcmp(t, "FALSE") == 0)
        *out = false;
    else
        rc = fail(err, errlen, "expected true or false, found '%s'", t);
    free(t);
    return rc;
}

int mr_units_value(mr_unit_kind kind, const char *text, double *out, char *err, size_t errlen)
{
    switch (kind) {
    case MR_UNIT_DURATION: {
        mr_time t;
        int rc = mr_units_duration(text, &t, err, errlen);
        if (rc == MR_OK)
            *out = (double)t;
        return rc;
    }
    case MR_UNIT_RATE:
        return mr_units_rate(text, out, err, errlen);
    case MR_UNIT_RATIO:
        return mr_units_ratio(text, out, err, errlen);
    case MR_UNIT_SIZE:
        return mr_units_size(text, out, err, errlen);
    case MR_UNIT_MONEY:
        return mr_units_money(text, out, err, errlen);
    case MR_UNIT_NUMBER:
        break;
    }
    return mr_units_number(text, out, err, errlen);
}

const char *mr_unit_kind_describe(mr_unit_kind kind)
{
    switch (kind) {
    case MR_UNIT_DURATION:
        return "a duration (such as 30s)";
    case MR_UNIT_RATE:
        return "a rate (such as 500/s)";
    case MR_UNIT_RATIO:
        return "a ratio (such as 0.999 or 99.9%)";
    case MR_UNIT_SIZE:
        return "a size (such as 2KiB)";
    case MR_UNIT_MONEY:
        return "an amount of money";
    case MR_UNIT_NUMBER:
        break;
    }
    return "a number";
}

/* ---- On nodes ---------------------------------------------------------- */

/* The text of a scalar node that holds a value, marking the node used; or
 * NULL after "expected WHAT, found ..." at its mark. */
static const char *value_text(mr_node *node, const char *what, mr_diag *diag)
{
    node->used = true;
    if (node->kind == MR_NODE_SCALAR && !node->null)
        return node->text;
    mr_diag_error(diag, &node->mark, "expected %s, found %s", what, mr_node_describe(node));
    return NULL;
}

static int report(mr_node *node, int rc, const char *err, mr_diag *diag)
{
    if (rc == MR_OK)
        return MR_OK;
    mr_diag_error(diag, &node->mark, "%s", err);
    return MR_ESCENARIO;
}

int mr_units_node_value(mr_node *node, mr_unit_kind kind, double *out, mr_diag *diag)
{
    const char *t = value_text(node, mr_unit_kind_describe(kind), diag);
    if (t == NULL)
        return MR_ESCENARIO;
    char err[MR_UNITS_ERRLEN];
    return report(node, mr_units_value(kind, t, out, err, sizeof err), err, diag);
}

int mr_units_node_duration(mr_node *node, mr_time *out, mr_diag *diag)
{
    const char *t = value_text(node, mr_unit_kind_describe(MR_UNIT_DURATION), diag);
    if (t == NULL)
        return MR_ESCENARIO;
    char err[MR_UNITS_ERRLEN];
    return report(node, mr_units_duration(t, out, err, sizeof err), err, diag);
}

int mr_units_node_int(mr_node *node, int64_t lo, int64_t hi, int64_t *out, mr_diag *diag)
{
    const char *t = value_text(node, "a whole number", diag);
    if (t == NULL)
        return MR_ESCENARIO;
    char err[MR_UNITS_ERRLEN];
    return report(node, mr_units_int(t, lo, hi, out, err, sizeof err), err, diag);
}

int mr_units_node_bool(mr_node *node, bool *out, mr_diag *diag)
{
    const char *t = value_text(node, "true or false", diag);
    if (t == NULL)
        return MR_ESCENARIO;
    char err[MR_UNITS_ERRLEN];
    return report(node, mr_units_bool(t, out, err, sizeof err), err, diag);
}
