/* sim/report.c: the end-of-run report, a list of named scalars. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"

typedef struct scalar {
    char *component;
    char *metric;
    double value;
} scalar;

struct mr_report {
    scalar *items;
    size_t n, cap;
};

mr_report *mr_report_new(void)
{
    return mr_xcalloc(1, sizeof(mr_report));
}

void mr_report_free(mr_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].component);
        free(r->items[i].metric);
    }
    free(r->items);
    free(r);
}

void mr_report_scalar(mr_report *r, const char *component, const char *metric, double value)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->items = mr_xrealloc(r->items, r->cap * sizeof *r->items);
    }
    r->items[r->n++] = (scalar){mr_xstrdup(component), mr_xstrdup(metric), value};
}

size_t mr_report_count(const mr_report *r)
{
    return r->n;
}

int mr_report_get(const mr_report *r, size_t i, const char **component, const char **metric,
                  double *value)
{
    if (i >= r->n)
        return 0;
    *component = r->items[i].component;
    *metric = r->items[i].metric;
    *value = r->items[i].value;
    return 1;
}

double mr_report_find(const mr_report *r, const char *component, const char *metric)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->items[i].component, component) == 0 &&
            strcmp(r->items[i].metric, metric) == 0)
            return r->items[i].value;
    }
    return NAN;
}

void mr_sim_report(const mr_sim *sim, mr_report *r)
{
    size_t n = mr_sim_component_count(sim);
    for (size_t i = 0; i < n; i++)
        mr_component_report(mr_sim_component(sim, (uint32_t)i), r);
}
