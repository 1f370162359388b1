/* sim/out/human.h: numbers as people read them in tables: 97.86%,
 * 29m 15s, 95.8 ms, $1,402, 12,345. Never scientific notation, at most
 * four significant digits (a mean over replications rarely supports
 * more), and the JSON keeps the SI numbers (docs/results.md "The table").
 * Every function writes a NUL-terminated string of at most cap bytes into
 * buf (MR_HU_LEN is always enough) and returns buf; NaN reads "-". */
#ifndef MRSIM_OUT_HUMAN_H
#define MRSIM_OUT_HUMAN_H

#include <stddef.h>

#define MR_HU_LEN 48

/* What a value measures, which decides how it reads. */
typedef enum mr_hu_kind {
    MR_HU_SHARE,     /* a ratio, as a percentage: 0.97862 -> "97.86%" */
    MR_HU_SECONDS,   /* a duration in seconds: "1.2 s", "29m 15s" */
    MR_HU_MS,        /* a duration in milliseconds: "95.8 ms", "4.91 s" */
    MR_HU_USD,       /* money: "$0.23", "$1,402" */
    MR_HU_USD_MONTH, /* money per month (a run rate): "$1,402/mo" */
    MR_HU_COUNT      /* a count or a mean of counts: "106.7", "12,345" */
} mr_hu_kind;

/* A share as a percentage with the digits that tell nines apart: at least
 * two significant digits of what is missing to 100% (0.99953 ->
 * "99.953%", 0.9999997 -> "99.999970%"), and four significant digits
 * otherwise (0.1409 -> "14.09%", 1.409 -> "140.9%"); exactly 1 is "100%". */
char *mr_hu_percent(char *buf, size_t cap, double share);
/* Seconds: below 1 s in ms ("95.8 ms"), below a minute with three
 * significant digits ("1.20 s", "59.9 s"), then "29m 15s", "1h 02m",
 * "2d 03h", and beyond 100 days "1,157d"; a rounding that reaches the next
 * unit carries (59.96 s -> "1m 00s"). Negative values get a '-'. */
char *mr_hu_duration(char *buf, size_t cap, double s);
/* Milliseconds, as mr_hu_duration of ms / 1000. */
char *mr_hu_ms(char *buf, size_t cap, double ms);
/* Dollars: cents below $100 ("$0.23", "$38.99"), whole dollars with
 * thousands separators from $100 ("$1,402"); "-$3.10" when negative;
 * monthly appends "/mo". */
char *mr_hu_usd(char *buf, size_t cap, double usd, int monthly);
/* A count: whole numbers with thousands separators from 1,000, four
 * significant digits below ("106.7", "0.25"). */
char *mr_hu_count(char *buf, size_t cap, double v);
/* The value as its kind reads. */
char *mr_hu_value(char *buf, size_t cap, mr_hu_kind k, double v);
/* An interval "[lo, hi]" with a unit both ends share written once
 * ("[1.25, 4.26 s]", "[96.03, 96.09%]"); "-" when either end is NaN
 * (no interval). */
char *mr_hu_interval(char *buf, size_t cap, mr_hu_kind k, double lo, double hi);
/* A value someone set (a target, a limit) rather than one measured: as
 * mr_hu_value without trailing zeros, which would claim digits nobody
 * measured ("1 s", "99.9%", not "1.00 s", "99.900%"). */
char *mr_hu_given(char *buf, size_t cap, mr_hu_kind k, double v);
/* A difference b - a: "+" before a positive one, and shares in
 * percentage points, not percent ("+3.322 pp": 96.42% -> 99.74%). */
char *mr_hu_delta(char *buf, size_t cap, mr_hu_kind k, double v);
/* The interval of a difference, as mr_hu_interval with mr_hu_delta's ends. */
char *mr_hu_delta_interval(char *buf, size_t cap, mr_hu_kind k, double lo, double hi);
/* "1 replication", "20 replications". */
char *mr_hu_plural(char *buf, size_t cap, unsigned long long n, const char *one,
                   const char *many);

#endif
