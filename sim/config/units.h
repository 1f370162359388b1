/* sim/config/units.h: the values of a scenario file, from text to numbers:
 * durations ("250ms", "PT1H30M"), rates ("500/s"), ratios ("0.9995",
 * "99.95%"), sizes ("2KiB"), money, plain numbers, integers and booleans,
 * plus the edit distance behind every "did you mean" hint.
 *
 * Each parser exists twice: on text, writing its message into a caller buffer
 * (for distspec.c, which points inside a compact spec), and on a scalar node,
 * adding "FILE:LINE:COLUMN: error: MESSAGE" at the node's mark (for binders).
 * Invariant: a parser either returns MR_OK and sets *out, or returns an error
 * code, leaves *out untouched and explains itself in one sentence that quotes
 * the text it was given. Numbers are read in the C locale whatever the
 * process's locale is, so "1.5s" means the same on every machine. */
#ifndef MRSIM_CONFIG_UNITS_H
#define MRSIM_CONFIG_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/node.h"
#include "mrsim/diag.h"
#include "mrsim/simtime.h"

/* A message buffer this long holds every message of this file whole for
 * texts of up to 50 bytes; longer ones are cut short, never overflowed. */
#define MR_UNITS_ERRLEN 256

/* What a number in a scenario file measures. */
typedef enum mr_unit_kind {
    MR_UNIT_NUMBER = 0, /* a plain number, as is */
    MR_UNIT_DURATION,   /* nanoseconds */
    MR_UNIT_RATE,       /* events per second */
    MR_UNIT_RATIO,      /* a fraction in [0, 1] */
    MR_UNIT_SIZE,       /* bytes */
    MR_UNIT_MONEY,      /* a non-negative amount in cost.currency */
} mr_unit_kind;

/* "a duration (such as 30s)", "a number", ...: for "expected ..., found ...". */
const char *mr_unit_kind_describe(mr_unit_kind kind);

/* ---- On text ----------------------------------------------------------- */
/* Each returns MR_OK and sets *out, or an error with a message in err (of
 * errlen bytes; err may be NULL): MR_EINVAL for text that is not a value of
 * the kind, MR_ERANGE for one outside the kind's range. Surrounding spaces
 * are ignored. */

/* Duration in ns: NUMBER UNIT, UNIT one of ns, us (or µs), ms, s, m, h, d and
 * y (365 d), decimals allowed ("1.5s"), several in a row summed ("1h30m"); or
 * ISO 8601 ("PT5M", "PT1H30M", "P1D", "PT0.5S", "P1W"; years of 365 d, months
 * refused as ambiguous). A bare number is an error except 0; negative values
 * and values past MR_TIME_NEVER (about 292 years) are errors. Exact to the
 * nanosecond: "0.1s" is 100000000 ns, not a rounded double. */
int mr_units_duration(const char *text, mr_time *out, char *err, size_t errlen);

/* Rate per second: NUMBER/UNIT or NUMBER/DURATION ("500/s", "30000/m", "2/h",
 * "1/d", "1/y", "3/10m"); a bare 0 is allowed. */
int mr_units_rate(const char *text, double *out, char *err, size_t errlen);

/* Ratio in [0, 1]: a fraction below 1 ("0.9995") or a percentage in [0, 100]
 * ("99.95%"). A bare number of 1 or more is refused as ambiguous. */
int mr_units_ratio(const char *text, double *out, char *err, size_t errlen);

/* Size in bytes: NUMBER UNIT, UNIT one of B, KB (or kB), MB, GB, TB, PB
 * (powers of 1000) and KiB, MiB, GiB, TiB, PiB (powers of 1024); a bare 0 is
 * allowed. Fractions of a byte are kept (the result is a double). */
int mr_units_size(const char *text, double *out, char *err, size_t errlen);

/* Money: a plain non-negative number ("740", "0.21"). */
int mr_units_money(const char *text, double *out, char *err, size_t errlen);

/* A finite plain number: [+-]DIGITS[.DIGITS][e[+-]DIGITS]. */
int mr_units_number(const char *text, double *out, char *err, size_t errlen);

/* An integer in [lo, hi]: [+-]DIGITS. */
int mr_units_int(const char *text, int64_t lo, int64_t hi, int64_t *out, char *err, size_t errlen);

/* true or false (also True, TRUE, False, FALSE; not yes/no/on/off). */
int mr_units_bool(const char *text, bool *out, char *err, size_t errlen);

/* Any kind above as a double (durations in ns). */
int mr_units_value(mr_unit_kind kind, const char *text, double *out, char *err, size_t errlen);

/* ---- On nodes ---------------------------------------------------------- */
/* Each parses a scalar node and marks it used. Returns MR_OK and sets *out,
 * or MR_ESCENARIO after one diagnostic at the node's mark (also for a map, a
 * sequence or a null where a value was expected). */

int mr_units_node_value(mr_node *node, mr_unit_kind kind, double *out, mr_diag *diag);
int mr_units_node_duration(mr_node *node, mr_time *out, mr_diag *diag);
int mr_units_node_int(mr_node *node, int64_t lo, int64_t hi, int64_t *out, mr_diag *diag);
int mr_units_node_bool(mr_node *node, bool *out, mr_diag *diag);

/* ---- Hints ------------------------------------------------------------- */

/* The optimal string alignment distance between a and b: insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1. */
size_t mr_edit_distance(const char *a, const char *b);

/* The index of the candidate closest to word, or -1 when even the closest is
 * too far to be a likely typo: more than 2 edits (or a third of the word's
 * length, when that is more), or as many edits as the word has characters.
 * The first of equally close ones wins. */
int mr_closest(const char *word, const char *const *candidates, size_t n);

/* Fills order[0..n) with the candidates' indices, closest to word first
 * (stable: equally close ones keep their order). */
void mr_closest_order(const char *word, const char *const *candidates, size_t n, size_t *order);

/* ---- Between the files of sim/config only ------------------------------ */

/* "a, b, c": names[order[i]] for i < n (names[i] when order is NULL), each in
 * single quotes when quote is set. Caller frees. */
char *mr__names_list(const char *const *names, size_t n, const size_t *order, bool quote);

#endif
