/* sim/report.c: the end-of-run report: scalars, histograms and records,
 * each list in the order of addition. Invariant: the report owns every
 * byte it holds (names, histograms, arrays are copies), and a record or
 * histogram handed out is never moved: they are allocated one by one, so
 * that a pointer returned by a find stays valid while more are added. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"

typedef struct scalar {
    char *component;
    char *metric;
    double value;
    uint32_t source;
} scalar;

typedef struct hist_entry {
    char *component;
    char *metric;
    mr_hist h;
} hist_entry;

typedef struct store_entry {
    uint32_t source;
    mr_store_record rec; /* its pointers point to the two below */
    mr_hist staleness_ms;
    mr_failover_record *failovers;
} store_entry;

/* A growable array of pointers. */
typedef struct ptr_list {
    void **p;
    size_t n, cap;
} ptr_list;

struct mr_report {
    scalar *items;
    size_t n, cap;
    mr_episode_record *episodes;
    size_t nep, capep;
    mr_milestone_record *ms;
    size_t nms, capms;
    ptr_list hists, stores, windows;
    uint32_t source; /* the component whose report slot runs */
};

static void list_push(ptr_list *l, void *item)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->p = mr_xrealloc(l->p, l->cap * sizeof *l->p);
    }
    l->p[l->n++] = item;
}

/* A copy of n elements of size bytes, or NULL when n is 0. */
static void *dup_array(const void *src, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = mr_xmalloc(n * size);
    memcpy(p, src, n * size);
    return p;
}

/* dst (uninitialised) becomes the same histogram as src, bit for bit,
 * through the byte form that carries histograms between processes. */
static void hist_copy(mr_hist *dst, const mr_hist *src)
{
    mr_hist_init(dst);
    size_t len = mr_hist_pack(src, NULL, 0);
    unsigned char *buf = mr_xmalloc(len);
    mr_hist_pack(src, buf, len);
    int rc = mr_hist_unpack(dst, buf, len);
    assert(rc == MR_OK);
    (void)rc;
    free(buf);
}

mr_report *mr_report_new(void)
{
    mr_report *r = mr_xcalloc(1, sizeof(mr_report));
    r->source = MR_REPORT_NO_SOURCE;
    return r;
}

static void free_records(mr_report *r)
{
    for (size_t i = 0; i < r->hists.n; i++) {
        hist_entry *e = r->hists.p[i];
        free(e->component);
        free(e->metric);
        mr_hist_fini(&e->h);
        free(e);
    }
    for (size_t i = 0; i < r->stores.n; i++) {
        store_entry *e = r->stores.p[i];
        mr_hist_fini(&e->staleness_ms);
        free(e->failovers);
        free(e);
    }
    for (size_t i = 0; i < r->windows.n; i++) {
        mr_windows_record *w = r->windows.p[i]; /* its arrays are the report's */
        free((void *)w->total);
        free((void *)w->ok);
        free((void *)w->sparse_w);
        free((void *)w->sparse_total);
        free((void *)w->sparse_ok);
        free(w);
    }
    free(r->hists.p);
    free(r->stores.p);
    free(r->windows.p);
    free(r->episodes);
    free(r->ms);
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
    free_records(r);
    free(r);
}

/* ---- scalars -------------------------------------------------------------- */

void mr_report_scalar(mr_report *r, const char *component, const char *metric, double value)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->items = mr_xrealloc(r->items, r->cap * sizeof *r->items);
    }
    r->items[r->n++] = (scalar){mr_xstrdup(component), mr_xstrdup(metric), value, r->source};
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

uint32_t mr_report_source(const mr_report *r, size_t i)
{
    return i < r->n ? r->items[i].source : MR_REPORT_NO_SOURCE;
}

void mr_report_set_source(mr_report *r, uint32_t source)
{
    r->source = source;
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

double mr_report_find_from(const mr_report *r, uint32_t source, const char *metric)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->items[i].source == source && strcmp(r->items[i].metric, metric) == 0)
            return r->items[i].value;
    }
    return NAN;
}

/* ---- histograms ------------------------------------------------------------ */

void mr_report_hist(mr_report *r, const char *component, const char *metric, const mr_hist *h)
{
    hist_entry *e = mr_xmalloc(sizeof *e);
    e->component = mr_xstrdup(component);
    e->metric = mr_xstrdup(metric);
    hist_copy(&e->h, h);
    list_push(&r->hists, e);
}

const mr_hist *mr_report_find_hist(const mr_report *r, const char *component, const char *metric)
{
    for (size_t i = 0; i < r->hists.n; i++) {
        const hist_entry *e = r->hists.p[i];
        if (strcmp(e->component, component) == 0 && strcmp(e->metric, metric) == 0)
            return &e->h;
    }
    return NULL;
}

/* ---- records ---------------------------------------------------------------- */

void mr_report_episode(mr_report *r, const mr_episode_record *e)
{
    if (r->nep == r->capep) {
        r->capep = r->capep ? 2 * r->capep : 8;
        r->episodes = mr_xrealloc(r->episodes, r->capep * sizeof *r->episodes);
    }
    r->episodes[r->nep++] = *e;
}

const mr_episode_record *mr_report_episodes(const mr_report *r, size_t *n)
{
    *n = r->nep;
    return r->nep ? r->episodes : NULL;
}

static const char *const ms_names[MR_MS_COUNT] = {
#define MR_MILESTONE_NAME(id, name, label) name,
    MR_MILESTONE_MAP(MR_MILESTONE_NAME)
#undef MR_MILESTONE_NAME
};
static const char *const ms_labels[MR_MS_COUNT] = {
#define MR_MILESTONE_LABEL(id, name, label) label,
    MR_MILESTONE_MAP(MR_MILESTONE_LABEL)
#undef MR_MILESTONE_LABEL
};

const char *mr_milestone_name(uint32_t m)
{
    return m < MR_MS_COUNT ? ms_names[m] : "?";
}

const char *mr_milestone_label(uint32_t m)
{
    return m < MR_MS_COUNT ? ms_labels[m] : "?";
}

void mr_report_milestone(mr_report *r, const mr_milestone_record *m)
{
    if (r->nms == r->capms) {
        r->capms = r->capms ? 2 * r->capms : 8;
        r->ms = mr_xrealloc(r->ms, r->capms * sizeof *r->ms);
    }
    r->ms[r->nms++] = *m;
}

const mr_milestone_record *mr_report_milestones(const mr_report *r, size_t *n)
{
    *n = r->nms;
    return r->nms ? r->ms : NULL;
}

void mr_report_store(mr_report *r, const mr_store_record *s)
{
    store_entry *e = mr_xmalloc(sizeof *e);
    e->source = r->source;
    hist_copy(&e->staleness_ms, s->staleness_ms);
    e->failovers = dup_array(s->failovers, s->nfailovers, sizeof *s->failovers);
    e->rec = *s;
    e->rec.staleness_ms = &e->staleness_ms;
    e->rec.failovers = e->failovers;
    list_push(&r->stores, e);
}

const mr_store_record *mr_report_find_store(const mr_report *r, uint32_t source)
{
    for (size_t i = 0; i < r->stores.n; i++) {
        const store_entry *e = r->stores.p[i];
        if (e->source == source)
            return &e->rec;
    }
    return NULL;
}

void mr_report_windows(mr_report *r, const mr_windows_record *w)
{
    mr_windows_record *copy = mr_xmalloc(sizeof *copy);
    *copy = (mr_windows_record){
        .width = w->width,
        .n = w->n,
        .total = dup_array(w->total, w->n, sizeof *w->total),
        .ok = dup_array(w->ok, w->n, sizeof *w->ok),
        .nsparse = w->nsparse,
        .sparse_w = dup_array(w->sparse_w, w->nsparse, sizeof *w->sparse_w),
        .sparse_total = dup_array(w->sparse_total, w->nsparse, sizeof *w->sparse_total),
        .sparse_ok = dup_array(w->sparse_ok, w->nsparse, sizeof *w->sparse_ok),
    };
    list_push(&r->windows, copy);
}

const mr_windows_record *mr_report_find_windows(const mr_report *r)
{
    return r->windows.n ? r->windows.p[0] : NULL;
}

void mr_sim_report(const mr_sim *sim, mr_report *r)
{
    size_t n = mr_sim_component_count(sim);
    for (size_t i = 0; i < n; i++) {
        mr_report_set_source(r, (uint32_t)i);
        mr_component_report(mr_sim_component(sim, (uint32_t)i), r);
    }
    mr_report_set_source(r, MR_REPORT_NO_SOURCE);
}
