/* include/mrsim/report.h: what components report at the end of a run.
 * A report is a list of (component, metric, value) scalars in the order
 * they were added: models add to it from their report slot, the runner
 * turns it into per-replication metrics. Names are copied. */
#ifndef MRSIM_REPORT_H
#define MRSIM_REPORT_H

#include <stddef.h>

#include "types.h"

/* A new, empty report. Caller frees with mr_report_free. */
mr_report *mr_report_new(void);
void mr_report_free(mr_report *r);

/* Adds a scalar; component "" is the whole system. */
void mr_report_scalar(mr_report *r, const char *component, const char *metric, double value);

size_t mr_report_count(const mr_report *r);
/* The ith scalar: returns 1 and sets the outputs, or 0 past the end. */
int mr_report_get(const mr_report *r, size_t i, const char **component, const char **metric,
                  double *value);
/* The value of the first scalar with that component and metric, or NAN. */
double mr_report_find(const mr_report *r, const char *component, const char *metric);

/* Calls every component's report slot, in the order they were added. */
void mr_sim_report(const mr_sim *sim, mr_report *r);

#endif
