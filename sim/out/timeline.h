/* sim/out/timeline.h: the recovery timeline of each fault under the run
 * and compare tables (docs/results.md "Recovery timeline"). */
#ifndef MRSIM_OUT_TIMELINE_H
#define MRSIM_OUT_TIMELINE_H

#include <stdio.h>

#include "run/result.h"

/* One block per fault with a timeline, readable at 80 columns: each
 * milestone's mean time from the fault's start, then the critical path. */
void mr_timeline_write_table(const mr_result *r, FILE *out);

#endif
