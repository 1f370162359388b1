/* include/mrsim/diag.h: located diagnostics. Problems found in user input are
 * collected, not returned one at a time: a user sees every problem of a
 * scenario in one run, each as "FILE:LINE:COLUMN: error: MESSAGE". */
#ifndef MRSIM_DIAG_H
#define MRSIM_DIAG_H

#include <stdio.h>

#include "types.h"

typedef struct mr_mark {
    const char *file; /* not owned; NULL when the problem has no source file */
    int line;         /* 1-based; 0 when unknown */
    int column;       /* 1-based; 0 when unknown */
} mr_mark;

/* A new, empty list. Caller frees with mr_diag_free. */
mr_diag *mr_diag_new(void);
void mr_diag_free(mr_diag *d);

/* Appends an error at mark (NULL: no location) with a printf-style message. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void mr_diag_error(mr_diag *d, const mr_mark *mark, const char *fmt, ...);

/* Number of errors collected. */
int mr_diag_count(const mr_diag *d);

/* The text of the ith diagnostic, fully formatted ("f.yaml:3:5: error: ..."),
 * or NULL when i is out of range. Valid until the list is freed. */
const char *mr_diag_line(const mr_diag *d, int i);

/* Prints the diagnostics, one per line: those with a location sorted by
 * file, line and column (files in the order they first appear; stable),
 * those without one where they were added; at most MR_DIAG_SHOWN, then
 * one line saying how many more there are. */
#define MR_DIAG_SHOWN 50
void mr_diag_print(const mr_diag *d, FILE *out);

/* Adds every diagnostic of src to d with "prefix: " before its message
 * (unless the message starts with it already), at the same location: a
 * parser that knows no key path (units, distributions) reports through a
 * caller that does. */
void mr_diag_add_prefixed(mr_diag *d, const mr_diag *src, const char *prefix);

#endif
