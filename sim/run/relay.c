/* sim/run/relay.c: a replication's view as bytes and back (relay.h). The
 * bytes go between processes of the same build only, so values are copied
 * in the machine's own representation: the rebuilt view has the same bits,
 * and the sink writes what it would have written on the rank that ran the
 * replication. Layout: rep, seed, events, started_at, wall_s; the
 * MR_METRIC_COUNT metrics; the report's scalars in order (count, then per
 * scalar component, metric, value); two histograms (present or not, then
 * the length and bytes of mr_hist_pack); the windows (count, width, totals,
 * successes); aggregate fidelity's sparse windows (count, then index, total,
 * successes per window); the vectors (series count, samples, period, then
 * per series its component, metric, unit and counter flag, then the
 * samples). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "run/result.h"
#include "mrsim/stats.h"
#include "relay.h"

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
} wbuf;

/* Room for n more bytes. */
static void reserve(wbuf *w, size_t n)
{
    if (w->n + n <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->n + n)
        cap *= 2;
    w->p = mr_xrealloc(w->p, cap);
    w->cap = cap;
}

static void put(wbuf *w, const void *src, size_t n)
{
    reserve(w, n);
    if (n)
        memcpy(w->p + w->n, src, n);
    w->n += n;
}

static void put_u64(wbuf *w, uint64_t x)
{
    put(w, &x, sizeof x);
}

static void put_f64(wbuf *w, double x)
{
    put(w, &x, sizeof x);
}

static void put_str(wbuf *w, const char *s)
{
    uint64_t n = strlen(s);
    put_u64(w, n);
    put(w, s, (size_t)n);
}

static void put_hist(wbuf *w, const mr_hist *h)
{
    put_u64(w, h != NULL);
    if (h == NULL)
        return;
    size_t n = mr_hist_pack(h, NULL, 0);
    put_u64(w, n);
    reserve(w, n);
    mr_hist_pack(h, w->p + w->n, n);
    w->n += n;
}

unsigned char *mr__view_pack(const mr_rep_view *v, size_t *len)
{
    wbuf w = {0};
    put_u64(&w, v->rep);
    put_u64(&w, v->seed);
    put_u64(&w, v->events);
    put_f64(&w, v->started_at);
    put_f64(&w, v->wall_s);
    put(&w, v->metrics, MR_METRIC_COUNT * sizeof *v->metrics);
    size_t n = mr_report_count(v->report);
    put_u64(&w, n);
    const char *comp, *metric;
    double value;
    for (size_t i = 0; mr_report_get(v->report, i, &comp, &metric, &value); i++) {
        put_str(&w, comp);
        put_str(&w, metric);
        put_f64(&w, value);
    }
    put_hist(&w, v->latency_ms);
    put_hist(&w, v->client_rto_s);
    put_hist(&w, v->client_rto_censored_s);
    put_u64(&w, v->nwin);
    put_u64(&w, (uint64_t)v->window);
    if (v->nwin) {
        put(&w, v->win_total, v->nwin * sizeof *v->win_total);
        put(&w, v->win_ok, v->nwin * sizeof *v->win_ok);
    }
    put_u64(&w, v->nsparse);
    for (size_t i = 0; i < v->nsparse; i++) {
        put_u64(&w, v->sparse_w[i]);
        put_f64(&w, v->sparse_total[i]);
        put_f64(&w, v->sparse_ok[i]);
    }
    put_u64(&w, v->nseries);
    put_u64(&w, v->nsamples);
    put_u64(&w, (uint64_t)v->period);
    for (size_t i = 0; i < v->nseries; i++) {
        put_str(&w, v->series[i].component);
        put_str(&w, v->series[i].metric);
        put_str(&w, v->series[i].unit ? v->series[i].unit : "");
        put_u64(&w, (uint64_t)v->series[i].counter);
    }
    if (v->nseries)
        put(&w, v->samples, (v->nsamples + 1) * v->nseries * sizeof *v->samples);
    *len = w.n;
    return w.p;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rbuf;

/* Where the next n bytes are, or NULL (and bad) past the end. */
static const unsigned char *take(rbuf *r, uint64_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *at = r->p + r->at;
    r->at += (size_t)n;
    return at;
}

static uint64_t get_u64(rbuf *r)
{
    uint64_t x = 0;
    const unsigned char *at = take(r, sizeof x);
    if (at)
        memcpy(&x, at, sizeof x);
    return x;
}

static double get_f64(rbuf *r)
{
    double x = NAN;
    const unsigned char *at = take(r, sizeof x);
    if (at)
        memcpy(&x, at, sizeof x);
    return x;
}

/* A NUL-terminated copy of the next string (free it), or NULL. */
static char *get_str(rbuf *r)
{
    uint64_t n = get_u64(r);
    const unsigned char *at = take(r, n);
    if (at == NULL)
        return NULL;
    char *s = mr_xmalloc((size_t)n + 1);
    memcpy(s, at, (size_t)n);
    s[n] = '\0';
    return s;
}

/* The next histogram into h (initialised); 0 when absent, 1 when read. */
static int get_hist(rbuf *r, mr_hist *h)
{
    if (get_u64(r) == 0)
        return 0;
    uint64_t n = get_u64(r);
    const unsigned char *at = take(r, n);
    if (at == NULL || mr_hist_unpack(h, at, (size_t)n) != MR_OK) {
        r->bad = 1;
        return 0;
    }
    return 1;
}

int mr__view_relay(const void *buf, size_t len, const mr_scenario *sc,
                   const char *const *fault_targets, mr_rep_hook hook, void *hook_ctx)
{
    rbuf r = {.p = buf, .n = len};
    mr_rep_view v = {.sc = sc, .fault_targets = fault_targets};
    double metrics[MR_METRIC_COUNT];
    v.rep = get_u64(&r);
    v.seed = get_u64(&r);
    v.events = get_u64(&r);
    v.started_at = get_f64(&r);
    v.wall_s = get_f64(&r);
    const unsigned char *at = take(&r, sizeof metrics);
    if (at)
        memcpy(metrics, at, sizeof metrics);
    v.metrics = metrics;
    mr_report *rep = mr_report_new();
    uint64_t n = get_u64(&r);
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        char *comp = get_str(&r), *metric = get_str(&r);
        double value = get_f64(&r);
        if (comp && metric && !r.bad)
            mr_report_scalar(rep, comp, metric, value);
        free(comp);
        free(metric);
    }
    v.report = rep;
    mr_hist lat, crto, ccens;
    mr_hist_init(&lat);
    mr_hist_init(&crto);
    mr_hist_init(&ccens);
    if (get_hist(&r, &lat))
        v.latency_ms = &lat;
    if (get_hist(&r, &crto))
        v.client_rto_s = &crto;
    if (get_hist(&r, &ccens))
        v.client_rto_censored_s = &ccens;
    uint64_t nwin = get_u64(&r);
    v.window = (mr_time)get_u64(&r);
    uint64_t *tot = NULL, *ok = NULL;
    if (nwin > 0 && nwin <= (r.n - r.at) / (2 * sizeof *tot)) {
        tot = mr_xmalloc((size_t)nwin * sizeof *tot);
        ok = mr_xmalloc((size_t)nwin * sizeof *ok);
        memcpy(tot, take(&r, nwin * sizeof *tot), (size_t)nwin * sizeof *tot);
        memcpy(ok, take(&r, nwin * sizeof *ok), (size_t)nwin * sizeof *ok);
        v.nwin = (size_t)nwin;
        v.win_total = tot;
        v.win_ok = ok;
    } else if (nwin > 0) {
        r.bad = 1;
    }
    uint64_t nsparse = get_u64(&r);
    size_t *sw = NULL;
    double *st = NULL, *so = NULL;
    if (nsparse > 0 && nsparse <= (r.n - r.at) / 24) {
        sw = mr_xmalloc((size_t)nsparse * sizeof *sw);
        st = mr_xmalloc((size_t)nsparse * sizeof *st);
        so = mr_xmalloc((size_t)nsparse * sizeof *so);
        for (uint64_t i = 0; i < nsparse; i++) {
            sw[i] = (size_t)get_u64(&r);
            st[i] = get_f64(&r);
            so[i] = get_f64(&r);
        }
        v.nsparse = (size_t)nsparse;
        v.sparse_w = sw;
        v.sparse_total = st;
        v.sparse_ok = so;
    } else if (nsparse > 0) {
        r.bad = 1;
    }
    /* The units are static strings on the sending rank: here, copies that
     * live as long as the view. */
    uint64_t nser = get_u64(&r), nsamp = get_u64(&r);
    v.period = (mr_time)get_u64(&r);
    mr_series_desc *desc = NULL;
    char **units = NULL;
    double *samples = NULL;
    if (nser > 0 && nser <= (r.n - r.at) / 32 && nsamp < (r.n - r.at) / 8) {
        desc = mr_xcalloc((size_t)nser, sizeof *desc);
        units = mr_xcalloc((size_t)nser, sizeof *units);
        for (uint64_t i = 0; i < nser && !r.bad; i++) {
            char *comp = get_str(&r), *metric = get_str(&r);
            units[i] = get_str(&r);
            if (comp && metric) {
                snprintf(desc[i].component, sizeof desc[i].component, "%s", comp);
                snprintf(desc[i].metric, sizeof desc[i].metric, "%s", metric);
            }
            desc[i].unit = units[i];
            desc[i].counter = (int)get_u64(&r);
            free(comp);
            free(metric);
        }
        size_t bytes = (size_t)(nsamp + 1) * (size_t)nser * sizeof *samples;
        const unsigned char *sat = r.bad || bytes / sizeof *samples / (size_t)nser != nsamp + 1
                                       ? NULL
                                       : take(&r, bytes);
        if (sat) {
            samples = mr_xmalloc(bytes);
            memcpy(samples, sat, bytes);
            v.series = desc;
            v.nseries = (size_t)nser;
            v.nsamples = (size_t)nsamp;
            v.samples = samples;
        } else {
            r.bad = 1;
        }
    } else if (nser > 0) {
        r.bad = 1;
    }
    int rc = r.bad || r.at != r.n ? MR_EINVAL : hook(hook_ctx, &v);
    for (uint64_t i = 0; units && i < nser; i++)
        free(units[i]);
    free(units);
    free(desc);
    free(samples);
    free(sw);
    free(st);
    free(so);
    free(tot);
    free(ok);
    mr_hist_fini(&lat);
    mr_hist_fini(&crto);
    mr_hist_fini(&ccens);
    mr_report_free(rep);
    return rc;
}
