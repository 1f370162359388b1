/* sim/config/distspec.h: distribution specs of a scenario file → mr_dist.
 * A spec is a plain value (a constant), a compact call ("lognormal(4m, 0.5)",
 * "mix(0.9: const(0s), 0.1: lognormal(5m, 1.0))") or a map ({dist: lognormal,
 * median: 4m, p95: 9m}); docs/scenario-format.md lists them all. The value kind says what
 * the location and scale parameters measure (a duration dist holds
 * nanoseconds); shapes and sigmas are plain numbers whatever the kind.
 *
 * In YAML, a compact spec with ": " inside (mix) must be quoted, and so must
 * one with brackets (empirical) inside a flow collection; a plain one with
 * commas inside a flow collection ({hold: lognormal(5m, 1.2)}) is rejoined by
 * the loader, which libyaml splits at the comma.
 *
 * Invariant: on success *out is a dist built by the mr_dist_* constructors
 * (so inside its domain) that the caller finalises with mr_dist_fini; on
 * failure *out is untouched, nothing is leaked, and every problem found has
 * one diagnostic at the offending part (the argument's column inside a compact
 * spec when the scalar's source allows). */
#ifndef MRSIM_CONFIG_DISTSPEC_H
#define MRSIM_CONFIG_DISTSPEC_H

#include <stddef.h>

#include "config/node.h"
#include "config/units.h"
#include "mrsim/diag.h"
#include "mrsim/rng.h"

/* Parses node (a scalar or a map) as a distribution of values of the given
 * kind, marking node and what it read used. `{dist: empirical, file: F}`
 * reads the one-column CSV F relative to the directory of the file node came
 * from (blank lines, '#' comments and a header line are skipped; with
 * `unit: ms` bare numbers of a duration dist are taken in that unit).
 * Returns MR_OK and fills *out, or MR_ESCENARIO (MR_EIO when the CSV cannot be
 * read) after diagnostics. */
int mr_distspec_node(mr_node *node, mr_unit_kind kind, mr_dist *out, mr_diag *diag);

/* The same for a spec written as text (a parameter's default, a value built
 * by code): text is taken as one line starting at mark (NULL: no location).
 * Map forms are not accepted here. */
int mr_distspec_text(const char *text, mr_unit_kind kind, const mr_mark *mark, mr_dist *out,
                     mr_diag *diag);

/* The names of the distributions, in docs/scenario-format.md's order; sets *n. */
const char *const *mr_distspec_names(size_t *n);

#endif
