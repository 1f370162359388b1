/* sim/cli/vary.h: splitting a --vary value list (vary.c). */
#ifndef MRSIM_CLI_VARY_H
#define MRSIM_CLI_VARY_H

#include <stddef.h>

/* Splits text at commas outside (), [] and {}, each value trimmed of
 * spaces ("10s, lognormal(1s, 0.5)" gives two); sets *out to an array of
 * the values (each and the array malloc'd, the caller frees); returns the
 * count, at least 1 (an empty text is one empty value). */
size_t mr_cli_split_values(const char *text, char ***out);

#endif
