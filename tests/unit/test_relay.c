/* tests/unit/test_relay.c: a replication's view as bytes and back
 * (sim/run/relay.c), which carries the results database's records from the
 * ranks of an MPI run to rank 0: the rebuilt view has the same bits as the
 * original (scalars in order, histograms with their sums of squares, SLO
 * windows, aggregate fidelity's sparse windows), absent parts stay absent, and bytes it did not write are
 * refused without calling the hook. Runs in every build (no MPI needed). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/report.h"
#include "run/result.h"
#include "mrsim/stats.h"
#include "run/relay.h"

typedef struct seen {
    int calls;
    const mr_rep_view *want;
} seen;

static void same_hist(const mr_hist *a, const mr_hist *b)
{
    cr_assert((a == NULL) == (b == NULL));
    if (a == NULL)
        return;
    cr_assert_eq(a->n, b->n);
    cr_assert(memcmp(&a->sum, &b->sum, sizeof a->sum) == 0);
    cr_assert(memcmp(&a->sumsq, &b->sumsq, sizeof a->sumsq) == 0);
    cr_assert(memcmp(&a->min, &b->min, sizeof a->min) == 0);
    cr_assert(memcmp(&a->max, &b->max, sizeof a->max) == 0);
    size_t i = 0, j = 0;
    double la, lb;
    uint64_t ca, cb;
    for (;;) {
        int ma = mr_hist_next_bin(a, &i, &la, &ca), mb = mr_hist_next_bin(b, &j, &lb, &cb);
        cr_assert_eq(ma, mb);
        if (!ma)
            break;
        cr_assert(memcmp(&la, &lb, sizeof la) == 0);
        cr_assert_eq(ca, cb);
    }
}

static int check(void *ctx, const mr_rep_view *v)
{
    seen *s = ctx;
    const mr_rep_view *w = s->want;
    s->calls++;
    cr_assert_eq(v->sc, w->sc);
    cr_assert_eq(v->fault_targets, w->fault_targets);
    cr_assert_eq(v->rep, w->rep);
    cr_assert_eq(v->seed, w->seed);
    cr_assert_eq(v->events, w->events);
    cr_assert(memcmp(&v->started_at, &w->started_at, sizeof v->started_at) == 0);
    cr_assert(memcmp(&v->wall_s, &w->wall_s, sizeof v->wall_s) == 0);
    cr_assert(memcmp(v->metrics, w->metrics, MR_METRIC_COUNT * sizeof *v->metrics) == 0);
    cr_assert_eq(mr_report_count(v->report), mr_report_count(w->report));
    const char *c1, *m1, *c2, *m2;
    double x1, x2;
    for (size_t i = 0; mr_report_get(w->report, i, &c1, &m1, &x1); i++) {
        cr_assert(mr_report_get(v->report, i, &c2, &m2, &x2));
        cr_assert_str_eq(c1, c2);
        cr_assert_str_eq(m1, m2);
        cr_assert(memcmp(&x1, &x2, sizeof x1) == 0, "%s/%s", c1, m1);
    }
    same_hist(v->latency_ms, w->latency_ms);
    same_hist(v->client_rto_s, w->client_rto_s);
    cr_assert_eq(v->nsparse, w->nsparse);
    for (size_t i = 0; i < w->nsparse; i++) {
        cr_assert_eq(v->sparse_w[i], w->sparse_w[i]);
        cr_assert(memcmp(&v->sparse_total[i], &w->sparse_total[i], sizeof(double)) == 0);
        cr_assert(memcmp(&v->sparse_ok[i], &w->sparse_ok[i], sizeof(double)) == 0);
    }
    cr_assert_eq(v->nwin, w->nwin);
    cr_assert_eq(v->window, w->window);
    if (w->nwin) {
        cr_assert(memcmp(v->win_total, w->win_total, w->nwin * sizeof *w->win_total) == 0);
        cr_assert(memcmp(v->win_ok, w->win_ok, w->nwin * sizeof *w->win_ok) == 0);
    }
    /* The vectors: descriptions and every sample, bit for bit. */
    cr_assert_eq(v->nseries, w->nseries);
    if (w->nseries) {
        cr_assert_eq(v->nsamples, w->nsamples);
        cr_assert_eq(v->period, w->period);
        for (size_t i = 0; i < w->nseries; i++) {
            cr_assert_str_eq(v->series[i].component, w->series[i].component);
            cr_assert_str_eq(v->series[i].metric, w->series[i].metric);
            cr_assert_str_eq(v->series[i].unit, w->series[i].unit);
            cr_assert_eq(v->series[i].counter, w->series[i].counter);
        }
        cr_assert(memcmp(v->samples, w->samples,
                         (w->nsamples + 1) * w->nseries * sizeof *w->samples) == 0);
    }
    return MR_OK;
}

Test(relay, a_view_round_trips_bit_for_bit)
{
    double metrics[MR_METRIC_COUNT];
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        metrics[m] = m % 3 == 0 ? NAN : 1.0 / (m + 3);
    mr_report *r = mr_report_new();
    mr_report_scalar(r, "", "requests", 12345);
    mr_report_scalar(r, "clusters/aks-weu", "node_hours", 0.1 + 0.2);
    mr_report_scalar(r, "episode/0", "rto_s", 300.25);
    mr_report_scalar(r, "episode/0", "end_s", NAN);
    mr_hist lat, crto;
    mr_hist_init(&lat);
    mr_hist_init(&crto);
    for (int i = 0; i < 3000; i++) /* past the exact sample: buckets */
        mr_hist_add(&lat, 5.0 + 0.37 * i + (i % 7) * 1e-3);
    for (int i = 0; i < 40; i++)
        mr_hist_add(&crto, i % 5 == 0 ? 0.0 : 100.0 + i / 3.0);
    uint64_t tot[5] = {10, 0, 7, 9, 1}, ok[5] = {10, 0, 3, 9, 0};
    const char *targets[] = {"westeurope"};
    mr_rep_view v = {.sc = NULL, /* rank 0 passes its own */
                     .seed = UINT64_MAX - 2,
                     .rep = 41,
                     .started_at = 1.7e9 + 0.123,
                     .wall_s = 0.0421,
                     .events = 987654,
                     .metrics = metrics,
                     .report = r,
                     .fault_targets = targets,
                     .latency_ms = &lat,
                     .client_rto_s = &crto,
                     .win_total = tot,
                     .win_ok = ok,
                     .nwin = 5,
                     .window = 60000000000LL};
    size_t len;
    unsigned char *buf = mr__view_pack(&v, &len);
    seen s = {.want = &v};
    cr_assert_eq(mr__view_relay(buf, len, v.sc, targets, check, &s), MR_OK);
    cr_assert_eq(s.calls, 1);
    free(buf);

    /* With the components' vectors: two series, three windows (four
     * samples), a NaN (a store's lag before its first look) among them. */
    mr_series_desc desc[2] = {{"clusters/aks-weu", "served", "requests", 1},
                              {"data/orders", "lag_s", "s", 0}};
    double samples[8] = {0, NAN, 1e3 / 3, 0.25, 2e3 / 3, 1.5, 1000, 0.125};
    v.series = desc;
    v.nseries = 2;
    v.nsamples = 3;
    v.period = 10000000000LL;
    v.samples = samples;
    buf = mr__view_pack(&v, &len);
    cr_assert_eq(mr__view_relay(buf, len, v.sc, targets, check, &s), MR_OK);
    cr_assert_eq(s.calls, 2);
    for (size_t cut = 0; cut < len; cut += 11) /* cut short anywhere: refused */
        cr_assert_eq(mr__view_relay(buf, cut, v.sc, targets, check, &s), MR_EINVAL, "%zu", cut);
    free(buf);
    v.series = NULL;
    v.nseries = v.nsamples = 0;
    v.period = 0;
    v.samples = NULL;
    s.calls = 1;

    /* Aggregate fidelity: the sparse windows instead of every window. */
    size_t sw[3] = {2, 17, 400};
    double st[3] = {1e6 / 3, 5, 0.5}, so[3] = {1e6 / 7, 0, 0.25};
    v.win_total = v.win_ok = NULL;
    v.nwin = 0;
    v.sparse_w = sw;
    v.sparse_total = st;
    v.sparse_ok = so;
    v.nsparse = 3;
    buf = mr__view_pack(&v, &len);
    cr_assert_eq(mr__view_relay(buf, len, v.sc, targets, check, &s), MR_OK);
    cr_assert_eq(s.calls, 2);
    free(buf);

    /* Without the SLO collector: no histograms, no windows. */
    v.latency_ms = v.client_rto_s = NULL;
    v.sparse_w = NULL;
    v.sparse_total = v.sparse_ok = NULL;
    v.nsparse = 0;
    v.window = 0;
    buf = mr__view_pack(&v, &len);
    cr_assert_eq(mr__view_relay(buf, len, v.sc, targets, check, &s), MR_OK);
    cr_assert_eq(s.calls, 3);

    /* Cut short or with a byte too many: refused, the hook not called. */
    for (size_t cut = 0; cut < len; cut += 7)
        cr_assert_eq(mr__view_relay(buf, cut, v.sc, targets, check, &s), MR_EINVAL, "%zu",
                     cut);
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    cr_assert_eq(mr__view_relay(longer, len + 1, v.sc, targets, check, &s), MR_EINVAL);
    cr_assert_eq(s.calls, 3);
    free(longer);
    free(buf);
    mr_hist_fini(&lat);
    mr_hist_fini(&crto);
    mr_report_free(r);
}
