/* sim/run/analyze.c: closed-form estimates of a scenario (`mrsim analyze`).
 *
 * Switch times. A client switches at detection + the residual life of the
 * resolver's cache + the residual life of its runtime cache, three
 * independent terms (every cache's phase is independent of the fault and of
 * each other). Their sum has no closed form in general (an extra hold is any
 * distribution), so its CDF is computed on a grid: the resolver's residual
 * CDF is tabulated, each uniform term is added exactly by a moving average
 * of that CDF (F'(x) = (I(x) - I(x - w)) / w with I the integral of F,
 * exact for a piecewise-linear F), and a general detection delay (a DNS
 * operator) is added at evaluation time as an average over its quantiles.
 * Means, minima and maxima are exact; percentiles are as fine as the grid
 * (GRID points over the support: well under 0.1% of the range).
 *
 * Composite availability (docs/reference.md §11): global tier x (1 - prod over
 * units (1 - unit)), a unit being a region (or a stamp) with its clusters in
 * parallel and its local dependencies and stores in series. Every default
 * SLA below cites its docs/reference.md row; where no figure is published the
 * component counts as 100% and says so, so an override (analyze.sla,
 * --sla) can supply one. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/cfg/store.h"
#include "run/analyze.h"
#include "run/build.h"
#include "mrsim/error.h"

/* Grid points of a tabulated CDF. */
#define GRID 32768
/* Quantile points of a general detection delay. */
#define DETECT_POINTS 2048
/* The resolver grid stops where an extra hold exceeds its quantile at
 * 1 - HOLD_TAIL; the mass beyond is left out (percentiles up to p99 are
 * unaffected). */
#define HOLD_TAIL 1e-9
#define BISECT_STEPS 200

/* docs/reference.md §4 "Java (OpenJDK) positive cache": 30 s whatever the TTL. */
#define JAVA_HOLD_S 30.0
/* docs/reference.md §4 "Chrome / Chromium": the TTL with a floor of 60 s. */
#define CHROME_FLOOR_S 60.0

/* Days per month and per year of docs/reference.md §11's downtime table
 * (99.9%: 43.2 min/month, 8.76 h/year). */
#define MONTH_S (30.0 * 86400.0)
#define YEAR_S (365.0 * 86400.0)

static double sec(mr_time t)
{
    return (double)t / (double)MR_S;
}

/* ---- Tabulated CDFs ---------------------------------------------------------- */

/* F on lo + k dx, k < n; 0 below lo, F[n-1] above. I[k] = integral of F from
 * lo to lo + k dx. */
typedef struct grid {
    double lo, dx;
    double *F, *I;
} grid;

static void grid_alloc(grid *g, double lo, double hi)
{
    g->lo = lo;
    g->dx = (hi - lo) / (GRID - 1);
    g->F = mr_xcalloc(GRID, sizeof *g->F);
    g->I = NULL;
}

static void grid_free(grid *g)
{
    free(g->F);
    free(g->I);
    g->F = g->I = NULL;
}

static void grid_integrate(grid *g)
{
    g->I = mr_xcalloc(GRID, sizeof *g->I);
    for (size_t k = 1; k < GRID; k++)
        g->I[k] = g->I[k - 1] + g->dx * (g->F[k - 1] + g->F[k]) / 2;
}

static double grid_hi(const grid *g)
{
    return g->lo + g->dx * (GRID - 1);
}

static double grid_eval(const grid *g, double x)
{
    if (x < g->lo)
        return 0;
    if (g->dx <= 0)
        return g->F[GRID - 1];
    double u = (x - g->lo) / g->dx;
    if (u >= GRID - 1)
        return g->F[GRID - 1];
    size_t k = (size_t)u;
    double f = u - (double)k;
    return g->F[k] + f * (g->F[k + 1] - g->F[k]);
}

/* The integral of F from -inf to x. */
static double grid_integral(const grid *g, double x)
{
    if (x <= g->lo)
        return 0;
    double hi = grid_hi(g);
    if (x >= hi || g->dx <= 0)
        return g->I[GRID - 1] + (x - hi) * g->F[GRID - 1];
    double u = (x - g->lo) / g->dx;
    size_t k = (size_t)u;
    if (k >= GRID - 1)
        k = GRID - 2;
    double xk = g->lo + (double)k * g->dx;
    return g->I[k] + (x - xk) * (g->F[k] + grid_eval(g, x)) / 2;
}

/* g becomes the CDF of X + U, U uniform on [0, w), w > 0. */
static void grid_add_uniform(grid *g, double w)
{
    if (!(w > 0))
        return;
    grid_integrate(g);
    grid n;
    grid_alloc(&n, g->lo, grid_hi(g) + w);
    for (size_t k = 0; k < GRID; k++) {
        double x = n.lo + (double)k * n.dx;
        n.F[k] = (grid_integral(g, x) - grid_integral(g, x - w)) / w;
    }
    grid_free(g);
    *g = n;
}

/* ---- One part of the mixture ----------------------------------------------------- */

typedef struct part {
    grid g;          /* resolver + runtime residual (+ uniform detection) */
    bool infinite;   /* an extra hold of infinite mean: never switches */
    double det_q[DETECT_POINTS];
    bool det_dist;
    double min, mean, max;
} part;

/* n and k of a probe-schedule detection, 0 read as 1. */
static void order_of(const mr_an_detect *d, double *n, double *k)
{
    *n = d->n > 0 ? d->n : 1;
    *k = d->k > 0 ? d->k : 1;
}

/* The q-quantile of the kth of n uniforms on [0, 1). */
static double order_q(const mr_an_detect *d, double q)
{
    double n, k;
    order_of(d, &n, &k);
    if (n == 1)
        return q;
    if (q <= 0)
        return 0;
    if (q >= 1)
        return 1;
    return gsl_cdf_beta_Pinv(q, k, n - k + 1);
}

static double hold_q(const mr_an_cache *c, double q)
{
    return mr_dist_quantile(c->hold, q) * c->hold_unit;
}

/* The resolver's residual: a fixed life L (uniform on [0, L)), or the
 * stationary residual of L = ttl + hold (density P(L > r) / E[L]). */
static void resolver_residual(part *p, const mr_an_cache *c, double *mean, double *max)
{
    if (c->mode != MR_TTL_EXTRA) {
        double L = c->mode == MR_TTL_FLOOR ? fmax(c->ttl, c->min_ttl) : c->ttl;
        grid_alloc(&p->g, 0, L > 0 ? L : 1e-9);
        for (size_t k = 0; k < GRID; k++)
            p->g.F[k] = L > 0 ? (double)k / (GRID - 1) : 1;
        *mean = L / 2;
        *max = L;
        return;
    }
    double c0 = c->ttl;
    double eh = mr_dist_mean(c->hold) * c->hold_unit;
    double vh = mr_dist_variance(c->hold) * c->hold_unit * c->hold_unit;
    if (!isfinite(eh) || c0 + eh <= 0) {
        p->infinite = !isfinite(eh);
        grid_alloc(&p->g, 0, 1e-9);
        for (size_t k = 0; k < GRID; k++)
            p->g.F[k] = p->infinite ? 0 : 1;
        *mean = p->infinite ? INFINITY : 0;
        *max = p->infinite ? INFINITY : 0;
        return;
    }
    *mean = (c0 * c0 + 2 * c0 * eh + vh + eh * eh) / (2 * (c0 + eh));
    *max = c0 + hold_q(c, 1);
    double top = hold_q(c, 1 - HOLD_TAIL);
    if (!isfinite(top) || top <= 0)
        top = fmax(eh * 1e3, 1e-9);
    grid_alloc(&p->g, 0, c0 + top);
    double J = 0, prev_y = 0;
    double prev_s = 1 - mr_dist_cdf(c->hold, 0);
    for (size_t k = 0; k < GRID; k++) {
        double x = (double)k * p->g.dx;
        if (x > c0) {
            double y = x - c0;
            double s = 1 - mr_dist_cdf(c->hold, y / c->hold_unit);
            J += (y - prev_y) * (prev_s + s) / 2;
            prev_y = y;
            prev_s = s;
        }
        p->g.F[k] = fmin(1, (fmin(x, c0) + J) / (c0 + eh));
    }
}

static void part_build(part *p, const mr_an_detect *det, const mr_an_cache *c)
{
    memset(p, 0, sizeof *p);
    double rmean, rmax;
    resolver_residual(p, c, &rmean, &rmax);
    grid_add_uniform(&p->g, c->runtime);
    double dmin, dmean, dmax;
    double n, k;
    order_of(det, &n, &k);
    if (det->dist) {
        p->det_dist = true;
        for (size_t j = 0; j < DETECT_POINTS; j++)
            p->det_q[j] = mr_dist_quantile(det->dist, ((double)j + 0.5) / DETECT_POINTS) * det->unit;
        dmin = mr_dist_quantile(det->dist, 0) * det->unit;
        dmean = mr_dist_mean(det->dist) * det->unit;
        dmax = mr_dist_quantile(det->dist, 1) * det->unit;
    } else if (n > 1) {
        /* Several probe schedules: no moving average; quantile points. */
        p->det_dist = true;
        for (size_t j = 0; j < DETECT_POINTS; j++)
            p->det_q[j] = det->lo + det->width * order_q(det, ((double)j + 0.5) / DETECT_POINTS);
        dmin = det->lo;
        dmean = det->lo + det->width * k / (n + 1);
        dmax = det->lo + det->width;
    } else {
        p->g.lo += det->lo;
        grid_add_uniform(&p->g, det->width);
        dmin = det->lo;
        dmean = det->lo + det->width / 2;
        dmax = det->lo + det->width;
    }
    p->min = p->infinite ? INFINITY : dmin;
    p->mean = dmean + rmean + c->runtime / 2;
    p->max = dmax + rmax + c->runtime;
}

static double part_cdf(const part *p, double x)
{
    if (p->infinite)
        return 0;
    if (!p->det_dist)
        return grid_eval(&p->g, x);
    double s = 0;
    for (size_t j = 0; j < DETECT_POINTS; j++)
        s += grid_eval(&p->g, x - p->det_q[j]);
    return s / DETECT_POINTS;
}

static double part_top(const part *p)
{
    return grid_hi(&p->g) + (p->det_dist ? p->det_q[DETECT_POINTS - 1] : 0);
}

static double mix_cdf(const part *ps, const double *w, size_t n, double x)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0)
            s += w[i] * part_cdf(&ps[i], x);
    return s;
}

static double mix_quantile(const part *ps, const double *w, size_t n, double q, double lo,
                           double hi)
{
    if (mix_cdf(ps, w, n, hi) < q - 1e-12)
        return INFINITY;
    if (mix_cdf(ps, w, n, lo) >= q)
        return lo;
    for (int s = 0; s < BISECT_STEPS; s++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (mix_cdf(ps, w, n, mid) >= q)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static mr_an_times mix_times(const part *ps, const double *w, size_t n)
{
    mr_an_times t = {.min = INFINITY, .mean = 0, .max = -INFINITY};
    double top = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0))
            continue;
        t.min = fmin(t.min, ps[i].min);
        t.mean += w[i] * ps[i].mean;
        t.max = fmax(t.max, ps[i].max);
        if (!ps[i].infinite)
            top = fmax(top, part_top(&ps[i]));
    }
    double lo = isfinite(t.min) ? t.min : 0;
    top = fmax(top, lo);
    t.p50 = mix_quantile(ps, w, n, 0.50, lo, top);
    t.p95 = mix_quantile(ps, w, n, 0.95, lo, top);
    t.p99 = mix_quantile(ps, w, n, 0.99, lo, top);
    return t;
}

int mr_an_switch(const mr_an_detect *det, const mr_an_cache *parts, size_t n, mr_an_times *mix,
                 mr_an_times *each)
{
    if (n == 0)
        return MR_EINVAL;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(parts[i].weight >= 0))
            return MR_EINVAL;
        total += parts[i].weight;
    }
    if (!(total > 0))
        return MR_EINVAL;
    part *ps = mr_xcalloc(n, sizeof *ps);
    double *w = mr_xcalloc(n, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        part_build(&ps[i], det, &parts[i]);
        w[i] = parts[i].weight / total;
    }
    *mix = mix_times(ps, w, n);
    if (each) {
        double one = 1;
        for (size_t i = 0; i < n; i++)
            each[i] = mix_times(&ps[i], &one, 1);
    }
    for (size_t i = 0; i < n; i++)
        grid_free(&ps[i].g);
    free(ps);
    free(w);
    return MR_OK;
}

mr_an_detect mr_an_detect_of(const mr_model_detect *d)
{
    return (mr_an_detect){.lo = d->lo,
                          .width = d->width,
                          .n = d->n,
                          .k = d->k,
                          .dist = d->dist,
                          .unit = d->unit};
}

mr_an_times mr_an_uniform_times(mr_an_detect d)
{
    double n, k;
    order_of(&d, &n, &k);
    return (mr_an_times){.min = d.lo,
                         .mean = d.lo + d.width * k / (n + 1),
                         .p50 = d.lo + order_q(&d, 0.50) * d.width,
                         .p95 = d.lo + order_q(&d, 0.95) * d.width,
                         .p99 = d.lo + order_q(&d, 0.99) * d.width,
                         .max = d.lo + d.width};
}

mr_an_times mr_an_all_edges_times(mr_an_detect d, int edges)
{
    double e = edges > 0 ? edges : 1;
    return (mr_an_times){.min = d.lo,
                         .mean = d.lo + d.width * e / (e + 1),
                         .p50 = d.lo + d.width * pow(0.50, 1 / e),
                         .p95 = d.lo + d.width * pow(0.95, 1 / e),
                         .p99 = d.lo + d.width * pow(0.99, 1 / e),
                         .max = d.lo + d.width};
}

double mr_an_parallel(const double *a, size_t n)
{
    double down = 1;
    for (size_t i = 0; i < n; i++)
        down *= 1 - a[i];
    return 1 - down;
}

double mr_an_downtime_month_s(double a)
{
    return (1 - a) * MONTH_S;
}

double mr_an_downtime_year_s(double a)
{
    return (1 - a) * YEAR_S;
}

/* ---- Switch times of a scenario -------------------------------------------------- */

/* The parts of the clients' switch: one per (client population, TTL
 * policy of its pool), weighted by the pool's resolvers in that policy;
 * each part's times, and the mixture's (a->client_switch), after detection
 * det and the record's TTL ttl (s). */
static void switch_parts(const mr_scenario *sc, mr_analysis *a, const mr_an_detect *det, double ttl)
{
    size_t n = 0;
    for (size_t c = 0; c < sc->nclients; c++) {
        size_t r = sc->clients[c].resolver;
        n += r == MR_SC_NONE ? 1 : sc->resolvers[r].npolicies;
    }
    mr_an_cache *caches = mr_xcalloc(n ? n : 1, sizeof *caches);
    a->parts = mr_xcalloc(n ? n : 1, sizeof *a->parts);
    size_t k = 0;
    for (size_t c = 0; c < sc->nclients; c++) {
        const mr_sc_client *cl = &sc->clients[c];
        double runtime = cl->runtime_cache == MR_CACHE_JAVA     ? JAVA_HOLD_S
                         : cl->runtime_cache == MR_CACHE_CHROME ? fmax(ttl, CHROME_FLOOR_S)
                                                                  : 0;
        const mr_sc_resolver *res = cl->resolver == MR_SC_NONE ? NULL : &sc->resolvers[cl->resolver];
        size_t np = res ? res->npolicies : 1;
        for (size_t p = 0; p < np; p++) {
            const mr_sc_ttl_policy *pol = res ? &res->policies[p] : NULL;
            caches[k] = (mr_an_cache){.weight = pol ? pol->share * res->count : 1,
                                      .ttl = ttl,
                                      .mode = pol ? pol->mode : MR_TTL_HONOR,
                                      .min_ttl = pol ? sec(pol->min_ttl) : 0,
                                      .hold = pol ? &pol->hold : NULL,
                                      .hold_unit = 1.0 / (double)MR_S,
                                      .runtime = runtime};
            a->parts[k] = (mr_an_part){.clients = cl->name,
                                       .resolver = res ? res->name : "-",
                                       .policy = mr_ttl_mode_names[caches[k].mode],
                                       .runtime = mr_runtime_cache_names[cl->runtime_cache],
                                       .weight = caches[k].weight};
            k++;
        }
    }
    a->nparts = k;
    if (k > 0) {
        mr_an_times *each = mr_xcalloc(k, sizeof *each);
        double total = 0;
        for (size_t i = 0; i < k; i++)
            total += caches[i].weight;
        if (mr_an_switch(det, caches, k, &a->client_switch, each) == MR_OK)
            for (size_t i = 0; i < k; i++) {
                a->parts[i].t = each[i];
                a->parts[i].weight = total > 0 ? caches[i].weight / total : 0;
            }
        free(each);
    }
    free(caches);
}

/* How the traffic layer detects a failed endpoint: its kind says
 * (mr_model.detect). */
static mr_an_detect traffic_detect(const mr_scenario *sc, mr_model_detect *md)
{
    const mr_sc_traffic *t = &sc->traffic;
    *md = (mr_model_detect){.n = 1, .k = 1, .event = "endpoint unhealthy", .layer = t->model->kind};
    if (t->model->detect)
        t->model->detect(t->cfg, md);
    return mr_an_detect_of(md);
}

static void analyze_switch(const mr_scenario *sc, mr_analysis *a)
{
    const mr_sc_traffic *t = &sc->traffic;
    mr_model_detect md;
    mr_an_detect det = traffic_detect(sc, &md);
    a->traffic = t->model->kind;
    a->traffic_what = md.layer;
    a->detection_event = md.event;
    if (md.edges > 0) {
        a->detection = mr_an_uniform_times(det);
        /* Rule 2: no DNS delay; a client switches when its edge does. */
        a->client_switch = a->detection;
        a->has_all_edges = true;
        a->pops = md.edges;
        a->all_edges = mr_an_all_edges_times(det, md.edges);
        return;
    }
    if (md.dist != NULL) {
        const mr_dist *d = md.dist;
        a->detection = (mr_an_times){.min = mr_dist_quantile(d, 0) * md.unit,
                                     .mean = mr_dist_mean(d) * md.unit,
                                     .p50 = mr_dist_quantile(d, 0.50) * md.unit,
                                     .p95 = mr_dist_quantile(d, 0.95) * md.unit,
                                     .p99 = mr_dist_quantile(d, 0.99) * md.unit,
                                     .max = mr_dist_quantile(d, 1) * md.unit};
    } else {
        a->locations = md.locations;
        a->quorum = md.quorum;
        a->detection = mr_an_uniform_times(det);
    }
    a->has_caches = true;
    switch_parts(sc, a, &det, md.ttl_s);
}

/* ---- Composite availability ------------------------------------------------------- */

static char *fmt(const char *f, ...)
{
    va_list ap, aq;
    va_start(ap, f);
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = mr_xmalloc((size_t)len + 1);
    vsnprintf(s, (size_t)len + 1, f, aq);
    va_end(aq);
    return s;
}

static void add_item(mr_analysis *a, size_t *cap, mr_an_item it)
{
    if (a->nitems == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        a->items = mr_xrealloc(a->items, *cap * sizeof *a->items);
    }
    a->items[a->nitems++] = it;
}

/* Names built here belong to the analysis. */
static const char *keep(mr_analysis *a, char *str)
{
    a->owned = mr_xrealloc(a->owned, (a->nowned + 1) * sizeof *a->owned);
    a->owned[a->nowned++] = str;
    return str;
}

/* A store's published SLA as its kind gives it (mr_model.sla). */
static mr_model_sla store_sla(const mr_sc_datastore *d)
{
    mr_model_sla sla = {.availability = 1, .what = "?", .source = "?"};
    if (d->model && d->model->sla)
        d->model->sla(d->cfg, &sla);
    return sla;
}

static int add_unit(mr_analysis *a, size_t *cap, const char *name, bool stamp)
{
    if (a->nunits == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        a->units = mr_xrealloc(a->units, *cap * sizeof *a->units);
    }
    a->units[a->nunits] = (mr_an_unit){.name = name, .stamp = stamp, .standby = true};
    return (int)a->nunits++;
}

static int find_unit(const mr_analysis *a, const char *name, bool stamp)
{
    for (size_t i = 0; i < a->nunits; i++)
        if (a->units[i].stamp == stamp && strcmp(a->units[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int apply_override(mr_analysis *a, const char *name, double value, const char *src)
{
    for (size_t i = 0; i < a->nitems; i++)
        if (strcmp(a->items[i].name, name) == 0) {
            a->items[i].sla = value;
            a->items[i].source = src;
            return 1;
        }
    return 0;
}

static void append(char **buf, size_t *len, const char *f, ...)
{
    va_list ap, aq;
    va_start(ap, f);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    *buf = mr_xrealloc(*buf, *len + (size_t)n + 1);
    vsnprintf(*buf + *len, (size_t)n + 1, f, aq);
    va_end(aq);
    *len += (size_t)n;
}

static void composite(mr_analysis *a)
{
    char *f = NULL;
    size_t len = 0;
    a->global = 1;
    append(&f, &len, "global");
    const char *sep = " =";
    for (size_t i = 0; i < a->nitems; i++) {
        const mr_an_item *it = &a->items[i];
        if (it->unit >= 0)
            continue;
        a->global *= it->sla;
        append(&f, &len, "%s %s %.10g", sep, it->name, it->sla);
        sep = " x";
    }
    append(&f, &len, "%s = %.10g\n", *sep == '=' ? " 1" : "", a->global);
    double down = 1;
    for (size_t u = 0; u < a->nunits; u++) {
        mr_an_unit *un = &a->units[u];
        double cl_down = 1, series = 1;
        int ncl = 0;
        append(&f, &len, "%s %s = ", un->stamp ? "stamp" : "region", un->name);
        /* Clusters (each with its ingress) in parallel within the unit. */
        append(&f, &len, "(1 - ");
        for (size_t i = 0; i < a->nitems; i++) {
            const mr_an_item *it = &a->items[i];
            if (it->unit != (int)u || !it->parallel || strstr(it->name, "/ingress"))
                continue;
            double ing = 1;
            for (size_t j = 0; j < a->nitems; j++) {
                const mr_an_item *g = &a->items[j];
                size_t nl = strlen(it->name);
                if (g->unit == (int)u && strncmp(g->name, it->name, nl) == 0 &&
                    strcmp(g->name + nl, "/ingress") == 0)
                    ing = g->sla;
            }
            cl_down *= 1 - it->sla * ing;
            append(&f, &len, "%s(1 - %s %.10g x ingress %.10g)", ncl ? " x " : "", it->name,
                   it->sla, ing);
            ncl++;
        }
        if (ncl == 0)
            append(&f, &len, "0");
        append(&f, &len, ")");
        for (size_t i = 0; i < a->nitems; i++) {
            const mr_an_item *it = &a->items[i];
            if (it->unit != (int)u || it->parallel)
                continue;
            series *= it->sla;
            append(&f, &len, " x %s %.10g", it->name, it->sla);
        }
        un->availability = (ncl ? 1 - cl_down : 1) * series;
        append(&f, &len, " = %.10g\n", un->availability);
        down *= 1 - un->availability;
    }
    a->redundant = a->nunits ? 1 - down : 1;
    append(&f, &len, "composite = global x (1 - ");
    for (size_t u = 0; u < a->nunits; u++)
        append(&f, &len, "%s(1 - %.10g)", u ? " x " : "", a->units[u].availability);
    if (a->nunits == 0)
        append(&f, &len, "0");
    a->composite = a->global * a->redundant;
    append(&f, &len, ") = %.10g x %.10g = %.10g", a->global, a->redundant, a->composite);
    a->formula = f;
}

/* ---- The components, units, populations and faults of a scenario ------------------- */

/* The units (stamps, else the regions holding a traffic endpoint), added to
 * a; returns each cluster's unit, -1 for none (the caller frees it). */
static int *cluster_units(const mr_scenario *sc, mr_analysis *a, size_t *ucap)
{
    int *cl_unit = mr_xcalloc(sc->nclusters ? sc->nclusters : 1, sizeof *cl_unit);
    for (size_t c = 0; c < sc->nclusters; c++)
        cl_unit[c] = -1;
    for (size_t s = 0; s < sc->nstamps; s++) {
        const mr_sc_stamp *st = &sc->stamps[s];
        int u = add_unit(a, ucap, st->name, true);
        for (size_t k = 0; k < st->clusters.n; k++)
            cl_unit[st->clusters.v[k]] = u;
    }
    for (size_t e = 0; e < sc->traffic.nendpoints; e++) {
        size_t c = sc->traffic.endpoints[e].cluster;
        if (c == MR_SC_NONE || cl_unit[c] >= 0)
            continue;
        const char *rname = sc->regions[sc->clusters[c].region].name;
        int u = find_unit(a, rname, false);
        cl_unit[c] = u >= 0 ? u : add_unit(a, ucap, rname, false);
    }
    return cl_unit;
}

/* The global traffic layer, as its kind gives its SLA (mr_model.sla). */
static void add_traffic(const mr_scenario *sc, mr_analysis *a, size_t *icap)
{
    mr_model_sla tl = {.availability = 1, .what = sc->traffic.model->kind, .source = "?"};
    if (sc->traffic.model->sla)
        sc->traffic.model->sla(sc->traffic.cfg, &tl);
    add_item(a, icap,
             (mr_an_item){.name = "traffic",
                          .what = tl.what,
                          .sla = tl.availability,
                          .source = tl.source,
                          .unit = -1});
}

/* Clusters and their ingress, in parallel within their unit; a unit with
 * an active cluster is no standby. */
static void add_clusters(const mr_scenario *sc, mr_analysis *a, size_t *icap, const int *cl_unit)
{
    for (size_t c = 0; c < sc->nclusters; c++) {
        const mr_sc_cluster *cl = &sc->clusters[c];
        if (cl_unit[c] < 0)
            continue;
        if (cl->role == MR_ROLE_ACTIVE)
            a->units[cl_unit[c]].standby = false;
        bool zonal = cl->nzones > 1;
        add_item(
            a, icap,
            (mr_an_item){.name = keep(a, fmt("clusters/%s", cl->name)),
                         .what = zonal ? "AKS, zones" : "AKS, one zone",
                         .sla = zonal ? 0.9995 : 0.999,
                         .source = zonal ? "docs/reference.md §9 API server SLA (99.95% with AZ)"
                                         : "docs/reference.md §9 API server SLA (99.9% without AZ)",
                         .unit = cl_unit[c],
                         .parallel = true});
        /* Its ingress's published SLA, as its kind gives it (mr_model.sla). */
        mr_model_sla in = {.availability = 1,
                           .what = cl->ingress.model ? cl->ingress.model->kind : "?",
                           .source = "no docs/reference.md figure: 100% unless set"};
        if (cl->ingress.model && cl->ingress.model->sla)
            cl->ingress.model->sla(cl->ingress.cfg, &in);
        add_item(a, icap,
                 (mr_an_item){.name = keep(a, fmt("clusters/%s/ingress", cl->name)),
                              .what = in.what,
                              .sla = in.availability,
                              .source = in.source,
                              .unit = cl_unit[c],
                              .parallel = true});
    }
}

/* Dependencies needed to serve requests: in a unit when every cluster
 * using it is, global (common mode) otherwise. */
static void add_dependencies(const mr_scenario *sc, mr_analysis *a, size_t *icap,
                             const int *cl_unit)
{
    for (size_t d = 0; d < sc->ndependencies; d++) {
        const mr_sc_dependency *dep = &sc->dependencies[d];
        if (dep->needed_for != MR_NEEDED_FOR_REQUESTS)
            continue;
        int u = -2;
        if (dep->region != MR_SC_NONE)
            for (size_t k = 0; k < dep->used_by.n; k++) {
                int cu = cl_unit[dep->used_by.v[k]];
                u = u == -2 ? cu : u == cu ? u : -1;
            }
        if (u < 0)
            u = -1;
        /* Its kind's published SLA (mr_model.sla). */
        mr_model_sla ms = {.availability = 1,
                           .what = dep->model ? dep->model->kind : "?",
                           .source = "no docs/reference.md figure: 100% unless set"};
        if (dep->model && dep->model->sla)
            dep->model->sla(dep->cfg, &ms);
        add_item(a, icap,
                 (mr_an_item){.name = keep(a, fmt("dependencies/%s", dep->name)),
                              .what = ms.what,
                              .sla = ms.availability,
                              .source = ms.source,
                              .unit = u});
    }
}

/* Data stores: a stamp's in the stamp; one-region stores in their
 * region's unit; geo-replicated ones global. */
static void add_stores(const mr_scenario *sc, mr_analysis *a, size_t *icap)
{
    for (size_t d = 0; d < sc->ndatastores; d++) {
        const mr_sc_datastore *ds = &sc->datastores[d];
        int u = -1;
        for (size_t s = 0; s < sc->nstamps && u < 0; s++)
            for (size_t k = 0; k < sc->stamps[s].datastores.n; k++)
                if (sc->stamps[s].datastores.v[k] == d)
                    u = find_unit(a, sc->stamps[s].name, true);
        mr_model_sla ms = store_sla(ds);
        if (u < 0 && !ms.multi_region) {
            size_t r = ds->primary;
            if (r != MR_SC_NONE)
                u = find_unit(a, sc->regions[r].name, false);
        }
        const char *what = ms.what, *src = ms.source;
        double sla = ms.availability;
        add_item(a, icap,
                 (mr_an_item){.name = keep(a, fmt("data/%s", ds->name)),
                              .what = what,
                              .sla = sla,
                              .source = src,
                              .unit = u});
    }
}

/* The file's analyze.sla, then every --sla, which wins; MR_EINVAL after a
 * diagnostic for each --sla that names no component. */
static int apply_overrides(const mr_scenario *sc, mr_analysis *a, const mr_an_override *ov,
                           size_t nov, mr_diag *diag)
{
    for (size_t i = 0; i < sc->nsla; i++)
        apply_override(a, sc->sla[i].name, sc->sla[i].value, "analyze.sla");
    int rc = MR_OK;
    for (size_t i = 0; i < nov; i++)
        if (!apply_override(a, ov[i].name, ov[i].value, "--sla")) {
            char *names = NULL;
            size_t len = 0;
            for (size_t k = 0; k < a->nitems; k++)
                append(&names, &len, "%s%s", k ? ", " : "", a->items[k].name);
            mr_diag_error(diag, NULL, "--sla %s: no such component in %s; components: %s",
                          ov[i].name, sc->name, names ? names : "none");
            free(names);
            rc = MR_EINVAL;
        }
    return rc;
}

/* Client populations pinned to stamps: the global tier times the
 * redundancy of their home and fallback stamps. */
static void add_populations(const mr_scenario *sc, mr_analysis *a)
{
    a->populations = mr_xcalloc(sc->nclients ? sc->nclients : 1, sizeof *a->populations);
    for (size_t c = 0; c < sc->nclients; c++) {
        const mr_sc_client *cl = &sc->clients[c];
        if (cl->stamp == MR_SC_NONE)
            continue;
        double down = 1;
        int n = 0;
        for (size_t k = 0; k <= cl->fallback.n; k++) {
            size_t s = k == 0 ? cl->stamp : cl->fallback.v[k - 1];
            int u = find_unit(a, sc->stamps[s].name, true);
            if (u < 0)
                continue;
            down *= 1 - a->units[u].availability;
            n++;
        }
        a->populations[a->npopulations++] = (mr_an_population){
            .clients = cl->name, .stamps = n, .availability = a->global * (1 - down)};
    }
}

/* The name of what a fault hits, as the table and the JSON print it. */
static const char *fault_target(const mr_scenario *sc, mr_analysis *a, const mr_sc_target *tg)
{
    if (tg->selector)
        return "selector";
    switch (tg->kind) {
    case MR_TARGET_REGION:
        return sc->regions[tg->index].name;
    case MR_TARGET_ZONE:
        return keep(a, fmt("%s/zone-%d", sc->regions[tg->index].name, tg->zone));
    case MR_TARGET_CLUSTER:
        return sc->clusters[tg->index].name;
    case MR_TARGET_DATASTORE:
        return sc->datastores[tg->index].name;
    case MR_TARGET_DEPENDENCY:
        return sc->dependencies[tg->index].name;
    case MR_TARGET_TRAFFIC:
        return "traffic";
    }
    return "selector";
}

/* Stochastic faults: the availability their mtbf/mttr imply. */
static void add_faults(const mr_scenario *sc, mr_analysis *a)
{
    a->faults = mr_xcalloc(sc->nfaults ? sc->nfaults : 1, sizeof *a->faults);
    for (size_t i = 0; i < sc->nfaults; i++) {
        const mr_sc_fault *ft = &sc->faults[i];
        if (ft->timing != MR_TIMING_STOCHASTIC)
            continue;
        double up = sec(ft->mtbf), rep = mr_dist_mean(&ft->mttr) / (double)MR_S;
        a->faults[a->nfaults++] = (mr_an_fault){.fault = ft->name,
                                                .kind = mr_fault_kind_name(ft->kind),
                                                .target = fault_target(sc, a, &ft->target),
                                                .mtbf_s = up,
                                                .mttr_mean_s = rep,
                                                .availability = up / (up + rep)};
    }
}

/* ---- What recovery waits on ------------------------------------------------------ */

/* Draws of the terms that have no closed form here (a standby's slowest
 * node, a store's earliest failover path): deterministic, from a fixed
 * seed, so analyze prints the same numbers every time. */
#define RECOVERY_DRAWS 20000
#define RECOVERY_SEED 0x616e616c797a65ULL

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static mr_an_times times_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    return (mr_an_times){.min = v[0],
                         .mean = sum / n,
                         .p50 = v[(int)(0.50 * (n - 1))],
                         .p95 = v[(int)(0.95 * (n - 1))],
                         .p99 = v[(int)(0.99 * (n - 1))],
                         .max = v[n - 1]};
}

/* One draw of the traffic layer's detection, in seconds. */
static double draw_detection(const mr_an_detect *det, mr_rng *r)
{
    if (det->dist != NULL)
        return mr_dist_sample(det->dist, r) * det->unit;
    return det->lo + det->width * order_q(det, mr_rng_uniform(r));
}

static double draw_s(const mr_dist *d, mr_rng *r)
{
    return sec(mr_dist_sample_time(d, r));
}

/* When the failover policy acts, from the fault's start: at detection
 * (trigger: probes) or after the operator's decision; NaN when it does
 * not act on a region outage (trigger: datastore). */
static double draw_trigger(const mr_scenario *sc, const mr_an_detect *det, mr_rng *r)
{
    if (sc->failover.trigger == MR_TRIGGER_PROBES)
        return draw_detection(det, r);
    if (sc->failover.trigger == MR_TRIGGER_OPERATOR)
        return draw_s(&sc->failover.decision, r);
    return NAN;
}

/* A standby scaling out: `added` nodes provisioned at once, of which the
 * first `needed` to be ready (their pods started) carry the load. Pods
 * cannot start before `blocked_until` (a registry in the failed region
 * holds them until the region is back; -inf when nothing does). */
typedef struct standby_scale {
    const mr_sc_cluster *c;
    int64_t added, needed;
    bool blocked; /* a pod_start dependency sits in the failed region */
} standby_scale;

static double draw_standby(const mr_scenario *sc, const mr_an_detect *det, const standby_scale *s,
                           const mr_dist *outage, double *ready, mr_rng *r)
{
    double at = draw_trigger(sc, det, r);
    double back = s->blocked ? draw_s(outage, r) : -INFINITY;
    for (int64_t i = 0; i < s->added; i++) {
        double pods = 0;
        for (int j = 0; j < s->c->pods.per_node; j++)
            pods = fmax(pods, draw_s(&s->c->pods.startup, r));
        ready[i] = fmax(at + draw_s(&s->c->autoscaler.node_provision, r), back) + pods;
    }
    qsort(ready, (size_t)s->added, sizeof *ready, cmp_double);
    return ready[s->needed - 1];
}

/* Whether a dependency pods need to start, used by cluster c, sits in
 * region. */
static bool pods_blocked(const mr_scenario *sc, size_t c, size_t region)
{
    for (size_t i = 0; i < sc->ndependencies; i++) {
        const mr_sc_dependency *d = &sc->dependencies[i];
        if (d->region != region || d->needed_for != MR_NEEDED_FOR_POD_START)
            continue;
        bool used = d->used_by.n == 0;
        for (size_t k = 0; k < d->used_by.n; k++)
            used |= d->used_by.v[k] == c;
        if (used)
            return true;
    }
    return false;
}

/* The nodes the standby needs to serve every population's rate (the
 * failed region's load comes to it), beyond those it has. */
static int64_t nodes_needed(const mr_scenario *sc, const mr_sc_cluster *c, int64_t from)
{
    double rate = 0;
    for (size_t i = 0; i < sc->nclients; i++)
        rate += sc->clients[i].rate;
    double per_node = c->pods.per_node * c->pods.rps_per_pod;
    if (!(per_node > 0))
        return 0;
    return (int64_t)ceil(rate / per_node - 1e-9) - from;
}

/* A store whose primary was in the failed region: the earliest of its own
 * failover (automatic: the grace period, or the decision without one;
 * manual: the decision), a forced datastore_failover started after the
 * outage, and the failover policy's promote action; then the switch. */
static double draw_store(const mr_scenario *sc, const mr_an_detect *det, size_t d, size_t fault,
                         mr_rng *r)
{
    const mr_store_base *b = sc->datastores[d].cfg;
    double t = b->mode == MR_FAILOVER_AUTOMATIC && b->grace > 0 ? sec(b->grace)
                                                                : draw_s(&b->decision, r);
    for (size_t f = 0; f < sc->nfaults; f++) {
        const mr_sc_fault *ft = &sc->faults[f];
        if (ft->kind == MR_FAULT_DATASTORE_FAILOVER && ft->timing == MR_TIMING_AFTER &&
            ft->after == fault && !ft->target.selector && ft->target.index == d)
            t = fmin(t, draw_s(&ft->delay, r));
    }
    for (size_t k = 0; k < sc->failover.nactions && sc->failover.present; k++)
        if (sc->failover.actions[k].promote && sc->failover.actions[k].target == d)
            t = fmin(t, draw_trigger(sc, det, r));
    return t + draw_s(&b->duration, r);
}

/* Whether some population reads or writes store d. */
static bool used(const mr_scenario *sc, size_t d)
{
    for (size_t c = 0; c < sc->nclients; c++)
        for (size_t k = 0; k < sc->clients[c].uses.n; k++)
            if (sc->clients[c].uses.v[k] == d)
                return true;
    return false;
}

/* The ways store d fails over after fault, as the label says them. */
const char *mr_an_store_paths(const mr_scenario *sc, size_t d, size_t fault, char buf[128])
{
    const mr_store_base *b = sc->datastores[d].cfg;
    char grace[32] = "";
    if (b->mode == MR_FAILOVER_AUTOMATIC && b->grace > 0)
        mr_time_format_unit(b->grace, grace, sizeof grace);
    int n = snprintf(buf, 128, "%s%s%s",
                     b->mode == MR_FAILOVER_AUTOMATIC ? "automatic" : "manual decision",
                     grace[0] ? " after the grace period " : "", grace);
    for (size_t f = 0; f < sc->nfaults; f++) {
        const mr_sc_fault *ft = &sc->faults[f];
        if (ft->kind == MR_FAULT_DATASTORE_FAILOVER && ft->timing == MR_TIMING_AFTER &&
            ft->after == fault && !ft->target.selector && ft->target.index == d && n < 120)
            n += snprintf(buf + n, 128 - (size_t)n, ", a forced failover");
    }
    for (size_t k = 0; k < sc->failover.nactions && sc->failover.present && n < 120; k++)
        if (sc->failover.actions[k].promote && sc->failover.actions[k].target == d)
            n += snprintf(buf + n, 128 - (size_t)n, ", the failover policy's promote");
    return buf;
}

static void add_term(mr_analysis *a, char *what, char *how, mr_an_times t, double gate)
{
    mr_an_recovery *rc = &a->recovery;
    if (rc->nterms >= MR_AN_MAX_TERMS) {
        free(what);
        free(how);
        return;
    }
    rc->term[rc->nterms] = (mr_an_term){.what = keep(a, what), .how = keep(a, how), .t = t,
                                        .gate = gate};
    if (gate > rc->term[rc->dominant].gate)
        rc->dominant = rc->nterms;
    rc->nterms++;
}

/* The recovery of the first region outage, term by term (results issue,
 * item 10): the client switch alone says nothing of a cold standby's
 * nodes or of a failover group's grace period. */
static void add_recovery(const mr_scenario *sc, mr_analysis *a)
{
    mr_model_detect md;
    mr_an_detect dt = traffic_detect(sc, &md);
    const mr_an_detect *det = &dt;
    size_t fault = sc->nfaults;
    for (size_t f = 0; f < sc->nfaults && fault == sc->nfaults; f++)
        if (sc->faults[f].kind == MR_FAULT_REGION_OUTAGE && !sc->faults[f].target.selector)
            fault = f;
    if (fault == sc->nfaults)
        return;
    size_t region = sc->faults[fault].target.index;
    a->has_recovery = true;
    a->recovery.fault = sc->faults[fault].name;
    a->recovery.region = sc->regions[region].name;
    a->recovery.draws = RECOVERY_DRAWS;
    /* The service meets its target once that share of the traffic moved:
     * the switch's quantile at the target (the nearest tabulated one). */
    double target = sc->slo.success_target;
    const mr_an_times *cs = &a->client_switch;
    double gate = target >= 0.99 ? cs->p99 : target >= 0.95 ? cs->p95 : cs->p50;
    add_term(a, fmt("clients switched"),
             fmt("%s detection, then the caches (above); the service needs %s of them: "
                 "their %s",
                 a->traffic_what, target >= 0.99 ? "99%" : target >= 0.95 ? "95%" : "half",
                 target >= 0.99 ? "p99" : target >= 0.95 ? "p95" : "p50"),
             *cs, gate);
    double *v = mr_xmalloc(RECOVERY_DRAWS * sizeof *v);
    mr_rng *r = mr_rng_new(RECOVERY_SEED, 0, "analyze");
    for (size_t k = 0; k < sc->failover.nactions && sc->failover.present; k++) {
        const mr_sc_action *act = &sc->failover.actions[k];
        if (act->promote || sc->failover.trigger == MR_TRIGGER_DATASTORE)
            continue;
        const mr_sc_cluster *c = &sc->clusters[act->target];
        int64_t from = mr_build_standby_size(c);
        standby_scale s = {.c = c, .added = act->to - from, .needed = nodes_needed(sc, c, from),
                           .blocked = pods_blocked(sc, act->target, region)};
        if (s.added <= 0 || s.needed <= 0 || c->region == region)
            continue;
        if (s.needed > s.added) /* short even when scaled: the last of them */
            s.needed = s.added;
        double *ready = mr_xmalloc((size_t)s.added * sizeof *ready);
        for (int i = 0; i < RECOVERY_DRAWS; i++)
            v[i] = draw_standby(sc, det, &s, &sc->faults[fault].duration, ready, r);
        free(ready);
        mr_an_times t = times_of(v, RECOVERY_DRAWS);
        add_term(a, fmt("standby %s ready", c->name),
                 fmt("%s: the first %lld of %lld nodes added at the %s trigger, provisioned and "
                     "their pods started%s",
                     mr_standby_names[c->standby], (long long)s.needed, (long long)s.added,
                     mr_failover_trigger_names[sc->failover.trigger],
                     s.blocked ? "; pods wait for the region: a pod_start dependency is there"
                               : ""),
                 t, t.mean);
    }
    for (size_t d = 0; d < sc->ndatastores; d++) {
        const mr_store_base *b = sc->datastores[d].cfg;
        if (b == NULL || b->ncopies < 2 || (size_t)b->copy[0] != region || !used(sc, d))
            continue;
        for (int i = 0; i < RECOVERY_DRAWS; i++)
            v[i] = draw_store(sc, det, d, fault, r);
        mr_an_times t = times_of(v, RECOVERY_DRAWS);
        char paths[128];
        add_term(a, fmt("data %s failed over", sc->datastores[d].name),
                 fmt("the earliest of: %s; then the switch", mr_an_store_paths(sc, d, fault, paths)),
                 t, t.mean);
    }
    mr_rng_free(r);
    free(v);
    /* RTO counts to the first window of the recovery that then holds for
     * slo.stable_for, so the holding adds nothing. */
    a->recovery.service_s = a->recovery.term[a->recovery.dominant].gate;
}

int mr_analyze(const mr_scenario *sc, const mr_an_override *ov, size_t nov, mr_analysis **out,
               mr_diag *diag)
{
    mr_analysis *a = mr_xcalloc(1, sizeof *a);
    a->scenario = sc->name;
    a->file = sc->file;
    analyze_switch(sc, a);

    size_t icap = 0, ucap = 0;
    int *cl_unit = cluster_units(sc, a, &ucap);
    add_traffic(sc, a, &icap);
    add_clusters(sc, a, &icap, cl_unit);
    add_dependencies(sc, a, &icap, cl_unit);
    add_stores(sc, a, &icap);
    free(cl_unit);
    int rc = apply_overrides(sc, a, ov, nov, diag);
    if (rc != MR_OK) {
        mr_analysis_free(a);
        return rc;
    }
    composite(a);
    add_populations(sc, a);
    add_faults(sc, a);
    add_recovery(sc, a);
    *out = a;
    return MR_OK;
}

void mr_analysis_free(mr_analysis *a)
{
    if (a == NULL)
        return;
    free(a->parts);
    free(a->items);
    free(a->units);
    free(a->faults);
    free(a->populations);
    free(a->formula);
    for (size_t i = 0; i < a->nowned; i++)
        free(a->owned[i]);
    free(a->owned);
    free(a);
}
