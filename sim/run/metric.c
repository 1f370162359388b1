/* sim/run/metric.c: the metrics' names, units and directions from the one
 * X-macro list of result.h, and the paired difference of two results
 * (compare): what the run layer computes, before any sink prints it. */
#include <math.h>
#include <stdlib.h>

#include "run/result.h"

const char *mr_metric_name(mr_metric m)
{
    switch (m) {
#define MR_METRIC_NAME(id, name, unit, text, up)                                                \
    case MR_METRIC_##id:                                                                    \
        return name;
        MR_METRIC_MAP(MR_METRIC_NAME)
#undef MR_METRIC_NAME
    default:
        return "?";
    }
}

const char *mr_metric_unit(mr_metric m)
{
    switch (m) {
#define MR_METRIC_UNIT(id, name, unit, text, up)                                                \
    case MR_METRIC_##id:                                                                    \
        return unit;
        MR_METRIC_MAP(MR_METRIC_UNIT)
#undef MR_METRIC_UNIT
    default:
        return "";
    }
}

int mr_metric_higher_is_better(mr_metric m)
{
    switch (m) {
#define MR_METRIC_UP(id, name, unit, text, up)                                              \
    case MR_METRIC_##id:                                                                    \
        return up;
        MR_METRIC_MAP(MR_METRIC_UP)
#undef MR_METRIC_UP
    default:
        return 0;
    }
}

mr_range mr_metric_range(mr_metric m)
{
    switch (m) {
    case MR_METRIC_AVAILABILITY:
    case MR_METRIC_STALE_READ_RATIO:
        return MR_RANGE_UNIT;
    case MR_METRIC_INCIDENT_COST_USD:
        return MR_RANGE_REAL; /* fewer nodes during an outage than normal: negative */
    default:
        return MR_RANGE_NONNEG;
    }
}

const char *mr_cost_item_name(mr_cost_item i)
{
    switch (i) {
#define MR_COST_NAME(id, name)                                                                     \
    case MR_COST_##id:                                                                             \
        return name;
        MR_COST_ITEM_MAP(MR_COST_NAME)
#undef MR_COST_NAME
    default:
        return "?";
    }
}

void mr_result_difference(const mr_result *a, const mr_result *b, mr_metric m,
                          mr_difference *out)
{
    uint64_t n = a->replications < b->replications ? a->replications : b->replications;
    double *d = malloc((n ? n : 1) * sizeof *d);
    for (uint64_t i = 0; i < n; i++) {
        double x = a->per_rep ? a->per_rep[i * MR_METRIC_COUNT + m] : NAN;
        double y = b->per_rep ? b->per_rep[i * MR_METRIC_COUNT + m] : NAN;
        d[i] = y - x; /* NaN when either does not apply */
    }
    out->metric = m;
    mr_summarize(d, n, 1, &out->d);
    free(d);
    out->verdict = 0;
    if (out->d.n >= 2 && (out->d.ci_lo > 0 || out->d.ci_hi < 0)) {
        int b_higher = out->d.ci_lo > 0;
        out->verdict = b_higher == mr_metric_higher_is_better(m) ? 1 : -1;
    }
}
