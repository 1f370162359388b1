/* sim/run/run.c: every replication of a scenario, summarised. Each
 * replication builds its own components from the shared, read-only
 * scenario, runs to the horizon, and turns its components' reports into
 * one row (metrics.h has the columns and computes them). Rows are
 * summarised in replication order (runner.h), so the result is the same
 * for any --jobs. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"
#include "mrsim/alloc.h"
#include "mrsim/cfg/store.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "km.h"
#include "relay.h"
#include "run/build.h"
#include "run/cost.h"
#include "run/runner.h"
#include "timeline.h"
#include "vectors.h"
#include "verdict.h"

typedef struct run_ctx {
    const mr_scenario *sc;
    uint64_t seed;
    FILE *trace;
    mr__metric_cols cols; /* of every replication's row */
    mr_hist *client_rto;  /* per replication: every group's client RTO, recovered */
    mr_hist *client_cens; /* per replication: the censored ones */
    /* For progress only: never read by the results. */
    _Atomic uint64_t events_done;
    /* The simulated time done by the replications in flight, in
     * millionths of a replication, summed (run_chunked). */
    _Atomic uint64_t partial_ppm, partial_events;
    const mr_run_opts *opts;
    uint64_t done_before, total; /* replications of earlier batches; the most that may run */
    int adaptive;
    double t0;
    mr_rep_hook on_rep;
    void *on_rep_ctx;
    atomic_int hook_rc;   /* the first failure of on_rep */
    char **fault_targets; /* with on_rep: what each fault hits, as the JSON names it */
    /* Under MPI, on a rank other than 0: the views on_rep would get, as
     * bytes (relay.h), until they are sent to rank 0, which alone calls it. */
    int relay;
    unsigned char **relay_buf;
    size_t *relay_len;
} run_ctx;

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *target_label(const mr_scenario *sc, const mr_sc_fault *f, char *buf,
                                size_t size);

static int hand_over(run_ctx *ctx, const mr_rep_view *v);

/* Hands the finished replication to the sink while sim and report exist. */
static int pass_on(run_ctx *ctx, uint64_t rep, const mr_sim *sim, const mr_report *r,
                   const double *row, double started_at, double t0, const mr__vec *vec)
{
    mr_rep_view v = {.sc = ctx->sc,
                     .seed = ctx->seed,
                     .rep = rep,
                     .started_at = started_at,
                     .wall_s = wall_now() - t0,
                     .events = mr_sim_events(sim),
                     .metrics = row,
                     .report = r,
                     .fault_targets = (const char *const *)ctx->fault_targets};
    mr__metrics_view(r, &v);
    if (vec->nsamples > 0) {
        v.series = vec->desc;
        v.nseries = vec->nseries;
        v.nsamples = vec->nsamples;
        v.period = vec->period;
        v.samples = vec->val;
    }
    if (ctx->relay) {
        ctx->relay_buf[rep] = mr__view_pack(&v, &ctx->relay_len[rep]);
        return MR_OK;
    }
    return hand_over(ctx, &v);
}

/* on_rep, the first failure kept. */
static int hand_over(run_ctx *ctx, const mr_rep_view *v)
{
    int rc = ctx->on_rep(ctx->on_rep_ctx, v);
    if (rc != MR_OK) {
        int expected = MR_OK;
        atomic_compare_exchange_strong(&ctx->hook_rc, &expected, rc);
    }
    return rc;
}

/* Progress within a replication (docs/cli.md "Output streams"): with a
 * progress display the replication runs in PROGRESS_STEPS stretches of
 * simulated time, each followed by one atomic add of the share done; no
 * work per event. Running up to a time and on changes none of its events
 * (vectors.c samples the same way): the results are those of one run to
 * the horizon, bit for bit. */
#define PROGRESS_STEPS 256

/* One replication's part of ctx->partial_*: what it has added so far. */
typedef struct rep_progress {
    run_ctx *ctx;
    mr_time t0, span;
    uint64_t ppm, events;
} rep_progress;

/* Publishes how far the replication has come (called between two runs of
 * the kernel, never per event). */
static void progress_note(void *vp, const mr_sim *sim)
{
    rep_progress *p = vp;
    if (p->span <= 0)
        return;
    mr_time done = mr_sim_now(sim) - p->t0;
    uint64_t ppm = done >= p->span ? 1000000u
                                   : (uint64_t)((double)done / (double)p->span * 1e6);
    if (ppm > p->ppm) {
        atomic_fetch_add(&p->ctx->partial_ppm, ppm - p->ppm);
        p->ppm = ppm;
    }
    uint64_t e = mr_sim_events(sim);
    atomic_fetch_add(&p->ctx->partial_events, e - p->events);
    p->events = e;
}

/* Counted as done (and its events) once the replication returns. */
static void progress_end(rep_progress *p)
{
    atomic_fetch_sub(&p->ctx->partial_ppm, p->ppm);
    atomic_fetch_sub(&p->ctx->partial_events, p->events);
}

static int run_chunked(rep_progress *p, mr_sim *sim)
{
    mr_time h = mr_sim_horizon(sim);
    if (h == MR_TIME_NEVER || p->span < PROGRESS_STEPS)
        return mr_sim_run(sim, MR_RUN_HORIZON, 0);
    int rc = MR_OK;
    for (int k = 1; k < PROGRESS_STEPS; k++) {
        mr_time until = p->t0 + p->span / PROGRESS_STEPS * k;
        rc = mr_sim_run(sim, MR_RUN_UNTIL, until);
        if (rc != MR_OK || mr_sim_now(sim) < until) /* interrupted, or a model stopped it */
            break;
        progress_note(p, sim);
    }
    if (rc == MR_OK && mr_sim_now(sim) < h)
        rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    return rc;
}

static int run_one(void *vctx, uint64_t rep, double *row)
{
    run_ctx *ctx = vctx;
    const mr_scenario *sc = ctx->sc;
    double t0 = 0, started_at = 0;
    if (ctx->on_rep) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        started_at = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
        t0 = wall_now();
    }
    mr_diag *diag = mr_diag_new();
    mr_sim *sim = NULL;
    int rc = mr_build(sc, ctx->seed, rep, &sim, diag);
    mr_diag_free(diag);
    if (rc != MR_OK)
        return rc;
    /* Lives as long as the replication: the hook reads it at every event. */
    mr_trace_out trace_out = {ctx->trace, ctx->opts->trace_filter};
    if (rep == 0 && ctx->trace) {
        mr_trace_csv_header(ctx->trace);
        mr_sim_set_trace(sim, mr_trace_csv_filtered, &trace_out);
    }
    mr_sim_set_interrupt(sim, ctx->opts->stop); /* a long replication stops too */
    /* The vectors' sampling runs the replication window by window, which
     * changes none of its events (vectors.h). */
    mr__vec vec = {0};
    mr_vectors want = ctx->on_rep ? ctx->opts->vectors : MR_VECTORS_NONE;
    rep_progress prog = {.ctx = ctx, .t0 = mr_sim_now(sim)};
    prog.span = mr_sim_horizon(sim) == MR_TIME_NEVER ? 0 : mr_sim_horizon(sim) - prog.t0;
    if (want == MR_VECTORS_ALL || (want == MR_VECTORS_FIRST && rep == 0)) {
        if (ctx->opts->progress) {
            vec.step = progress_note;
            vec.step_ctx = &prog;
        }
        rc = mr__vec_run(sim, sc, &vec);
    } else if (ctx->opts->progress) {
        rc = run_chunked(&prog, sim);
    } else {
        rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    }
    progress_end(&prog);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    mr__metrics_row(&ctx->cols, r, mr_sim_events(sim), row);
    atomic_fetch_add(&ctx->events_done, mr_sim_events(sim));
    const mr_hist *client_rto = mr__metrics_client_rto(r);
    if (client_rto)
        mr_hist_merge(&ctx->client_rto[rep], client_rto);
    const mr_hist *client_cens = mr__metrics_client_rto_censored(r);
    if (client_cens)
        mr_hist_merge(&ctx->client_cens[rep], client_cens);
    if (rc == MR_OK && ctx->on_rep)
        rc = pass_on(ctx, rep, sim, r, row, started_at, t0, &vec);
    mr__vec_fini(&vec);
    mr_report_free(r);
    int frc = mr_sim_free(sim);
    return rc != MR_OK ? rc : frc;
}

/* Under MPI the client-RTO histograms of a replication travel to the
 * ranks that did not run it (runner.h), which merge them in index order
 * like their own: the recovered one's length (a uint64), it, the censored
 * one. */
static size_t pack_rep(void *vctx, uint64_t rep, void *buf, size_t cap)
{
    run_ctx *ctx = vctx;
    size_t a = mr_hist_pack(&ctx->client_rto[rep], NULL, 0);
    size_t b = mr_hist_pack(&ctx->client_cens[rep], NULL, 0);
    size_t n = sizeof(uint64_t) + a + b;
    if (buf != NULL && n <= cap) {
        uint64_t la = a;
        memcpy(buf, &la, sizeof la);
        mr_hist_pack(&ctx->client_rto[rep], (unsigned char *)buf + sizeof la, a);
        mr_hist_pack(&ctx->client_cens[rep], (unsigned char *)buf + sizeof la + a, b);
    }
    return n;
}

static int unpack_rep(void *vctx, uint64_t rep, const void *buf, size_t len)
{
    run_ctx *ctx = vctx;
    uint64_t la;
    if (len < sizeof la)
        return MR_EINVAL;
    memcpy(&la, buf, sizeof la);
    if (la > len - sizeof la)
        return MR_EINVAL;
    const unsigned char *p = (const unsigned char *)buf + sizeof la;
    int rc = mr_hist_unpack(&ctx->client_rto[rep], p, (size_t)la);
    return rc != MR_OK ? rc
                       : mr_hist_unpack(&ctx->client_cens[rep], p + la,
                                        len - sizeof la - (size_t)la);
}

/* Under MPI the views of a rank other than 0 go to rank 0 (runner.h),
 * whose on_rep takes them in index order after its own. */
static size_t relay_pack(void *vctx, uint64_t rep, void *buf, size_t cap)
{
    run_ctx *ctx = vctx;
    size_t n = ctx->relay_len[rep];
    if (buf != NULL && n <= cap && ctx->relay_buf[rep] != NULL) {
        memcpy(buf, ctx->relay_buf[rep], n);
        free(ctx->relay_buf[rep]); /* sent: this rank holds one round at most */
        ctx->relay_buf[rep] = NULL;
        ctx->relay_len[rep] = 0;
    }
    return n;
}

static int relay_take(void *vctx, uint64_t rep, const void *buf, size_t len)
{
    (void)rep;
    run_ctx *ctx = vctx;
    int rc = mr__view_relay(buf, len, ctx->sc, (const char *const *)ctx->fault_targets,
                            ctx->on_rep, ctx->on_rep_ctx);
    if (rc != MR_OK) {
        int expected = MR_OK;
        atomic_compare_exchange_strong(&ctx->hook_rc, &expected, rc);
    }
    return rc;
}

/* What a fault hits, for the results: a name, "REGION zone Z", or the
 * selector spelled out. */
static const char *target_label(const mr_scenario *sc, const mr_sc_fault *f, char *buf,
                                size_t size)
{
    const mr_sc_target *t = &f->target;
    switch (t->kind) {
    case MR_TARGET_TRAFFIC:
        return "traffic";
    case MR_TARGET_ZONE:
        snprintf(buf, size, "%s zone %d", sc->regions[t->index].name, t->zone);
        return buf;
    default:
        break;
    }
    if (t->selector) {
        snprintf(buf, size, "%s: %s%s%s%s%s", mr_target_kind_names[t->kind],
                 mr_select_names[t->mode], t->region != MR_SC_NONE ? " in " : "",
                 t->region != MR_SC_NONE ? sc->regions[t->region].name : "",
                 t->role >= 0 ? ", role " : "", t->role >= 0 ? mr_role_names[t->role] : "");
        return buf;
    }
    if (t->kind == MR_TARGET_REGION)
        return sc->regions[t->index].name;
    if (t->kind == MR_TARGET_CLUSTER)
        return sc->clusters[t->index].name;
    if (t->kind == MR_TARGET_DATASTORE)
        return sc->datastores[t->index].name;
    if (t->kind == MR_TARGET_DEPENDENCY)
        return sc->dependencies[t->index].name;
    return "?";
}

static void run_progress(void *vctx, uint64_t done, uint64_t total)
{
    (void)total;
    run_ctx *ctx = vctx;
    mr_progress p = {.done = ctx->done_before + done,
                     .total = ctx->total,
                     .adaptive = ctx->adaptive,
                     .events = atomic_load(&ctx->events_done) + atomic_load(&ctx->partial_events),
                     .partial = (double)atomic_load(&ctx->partial_ppm) / 1e6,
                     .elapsed_s = wall_now() - ctx->t0};
    ctx->opts->progress(ctx->opts->progress_ctx, &p);
}

static int metric_index(const char *name)
{
    for (int m = 0; name && m < MR_METRIC_COUNT; m++)
        if (strcmp(mr_metric_name((mr_metric)m), name) == 0)
            return m;
    return -1;
}

/* The sequential rule's check after n replications: the relative 95% CI
 * half-width of the metric. A zero half-width is 0 whatever the mean (every
 * value equal: nothing more to learn); a zero mean with a spread is INF;
 * fewer than two values or no value (NaN mean) give NaN, which never
 * converges. */
static double rel_half_width(const double *rows, uint64_t n, size_t ncols, int metric)
{
    mr_summary s;
    mr_summarize(rows + metric, n, ncols, &s);
    if (s.n < 2 || isnan(s.mean) || isnan(s.ci_hi))
        return NAN;
    double half = (s.ci_hi - s.ci_lo) / 2;
    if (half == 0)
        return 0;
    if (s.mean == 0)
        return INFINITY;
    return half / fabs(s.mean);
}

/* How many replications run, in which batches. Sequential stopping
 * (run.replications {min, max, until}) unless -n fixes the count: min
 * replications, then batches of min until the metric's CI is narrow enough
 * or max is reached. Batch sizes depend on the scenario only, and
 * replication i always has the same seeds, so the replications run and
 * the result are the same for any --jobs. */
typedef struct run_plan {
    int until;      /* the sequential rule's metric, or -1: a fixed count */
    uint64_t cap;   /* the most that may run */
    uint64_t batch;
} run_plan;

static run_plan plan_of(const mr_scenario *sc, const mr_run_opts *opts)
{
    run_plan p = {.until = sc->run.adaptive && opts->replications == 0
                               ? metric_index(sc->run.until_metric)
                               : -1};
    p.cap = opts->replications ? opts->replications : (uint64_t)sc->run.replications;
    p.batch = p.cap;
    if (p.until >= 0) {
        p.cap = (uint64_t)sc->run.rep_max;
        p.batch = (uint64_t)sc->run.rep_min < p.cap ? (uint64_t)sc->run.rep_min : p.cap;
    }
    return p;
}

/* The rows of the replications run so far, and how the run went. */
typedef struct run_rows {
    double *rows;
    uint64_t have;   /* rows (and per-replication state) allocated */
    uint64_t reps;   /* rows filled: replications 0 .. reps - 1 */
    uint64_t failed; /* the replication that failed, if one did */
    double achieved; /* the sequential rule's last check */
    int converged;
} run_rows;

static void ctx_init(run_ctx *ctx, const mr_scenario *sc, const mr_run_opts *opts,
                     const run_plan *plan)
{
    *ctx = (run_ctx){.sc = sc,
                     .seed = opts->seed_set ? opts->seed : sc->seed,
                     .trace = opts->trace,
                     .cols = mr__metric_cols_of(sc),
                     .opts = opts,
                     .total = plan->cap,
                     .adaptive = plan->until >= 0,
                     .on_rep = opts->on_rep,
                     .on_rep_ctx = opts->on_rep_ctx};
    atomic_init(&ctx->hook_rc, MR_OK);
    atomic_init(&ctx->partial_ppm, 0);
    atomic_init(&ctx->partial_events, 0);
    atomic_init(&ctx->events_done, 0);
    if (opts->on_rep) {
        ctx->fault_targets = mr_xcalloc(sc->nfaults + 1, sizeof *ctx->fault_targets);
        for (size_t f = 0; f < sc->nfaults; f++) {
            char buf[256];
            ctx->fault_targets[f] = mr_xstrdup(target_label(sc, &sc->faults[f], buf, sizeof buf));
        }
    }
}

/* Room for `need` rows and replications' state: rows grow batch by batch
 * (doubling, up to cap), so that a large max costs memory only when it is
 * reached; never while workers run. */
static void grow(run_ctx *ctx, run_rows *rr, uint64_t need, uint64_t cap)
{
    if (need <= rr->have)
        return;
    uint64_t have = rr->have;
    uint64_t want = 2 * have > need ? 2 * have : need;
    want = want < cap ? want : cap;
    rr->rows = mr_xrealloc(rr->rows, want * ctx->cols.ncols * sizeof *rr->rows);
    ctx->client_rto = mr_xrealloc(ctx->client_rto, want * sizeof *ctx->client_rto);
    ctx->client_cens = mr_xrealloc(ctx->client_cens, want * sizeof *ctx->client_cens);
    for (uint64_t i = have; i < want; i++) {
        mr_hist_init(&ctx->client_rto[i]);
        mr_hist_init(&ctx->client_cens[i]);
    }
    if (ctx->relay) {
        ctx->relay_buf = mr_xrealloc(ctx->relay_buf, want * sizeof *ctx->relay_buf);
        ctx->relay_len = mr_xrealloc(ctx->relay_len, want * sizeof *ctx->relay_len);
        for (uint64_t i = have; i < want; i++) {
            ctx->relay_buf[i] = NULL;
            ctx->relay_len[i] = 0;
        }
    }
    rr->have = want;
}

/* The replications, batch by batch, until the plan's count or the
 * sequential rule's target is reached. Returns mr_replicate's code. */
static int run_batches(run_ctx *ctx, const run_plan *plan, run_rows *rr)
{
    const mr_run_opts *opts = ctx->opts;
    mr_runner spec = {.jobs = opts->jobs,
                      .nmetrics = ctx->cols.ncols,
                      .run = run_one,
                      .ctx = ctx,
                      .progress = opts->progress ? run_progress : NULL,
                      .progress_ctx = ctx,
                      .stop = opts->stop,
                      .pack = pack_rep,
                      .unpack = unpack_rep};
    if (opts->on_rep && mr_mpi_size() > 1) {
        ctx->relay = mr_mpi_rank() > 0;
        spec.relay_pack = relay_pack;
        spec.relay_take = relay_take;
    }
    int rc = MR_OK;
    while (rc == MR_OK && rr->reps < plan->cap) {
        spec.first = rr->reps;
        spec.replications =
            rr->reps + plan->batch < plan->cap ? rr->reps + plan->batch : plan->cap;
        grow(ctx, rr, spec.replications, plan->cap);
        ctx->done_before = rr->reps;
        rc = mr_replicate(&spec, rr->rows, &rr->failed);
        rr->reps = spec.replications;
        if (rc != MR_OK || plan->until < 0)
            continue;
        rr->achieved = rel_half_width(rr->rows, rr->reps, ctx->cols.ncols, plan->until);
        if (rr->achieved <= ctx->sc->run.until_rel_ci_half_width) {
            rr->converged = 1;
            break;
        }
    }
    return rc;
}

/* Frees the replications' state, merging the client RTO histograms of
 * those that ran into pooled and pooled_cens (initialised) in index
 * order. */
static void ctx_fini(run_ctx *ctx, const run_rows *rr, mr_hist *pooled, mr_hist *pooled_cens)
{
    for (uint64_t i = 0; i < rr->have; i++) {
        if (i < rr->reps) {
            mr_hist_merge(pooled, &ctx->client_rto[i]);
            mr_hist_merge(pooled_cens, &ctx->client_cens[i]);
        }
        mr_hist_fini(&ctx->client_rto[i]);
        mr_hist_fini(&ctx->client_cens[i]);
    }
    free(ctx->client_rto);
    free(ctx->client_cens);
    for (uint64_t i = 0; ctx->relay && i < rr->have; i++)
        free(ctx->relay_buf[i]); /* those a failure kept from being sent */
    free(ctx->relay_buf);
    free(ctx->relay_len);
    for (size_t f = 0; ctx->fault_targets && f < ctx->sc->nfaults; f++)
        free(ctx->fault_targets[f]);
    free(ctx->fault_targets);
}

/* Percentiles with censoring (docs/results.md "Censoring"): from the
 * Kaplan-Meier estimate over the recovered samples and the censored ones
 * (at their censoring time) pooled over replications; a percentile in the
 * censored mass is the largest time observed, a lower bound; the mean
 * (over replications, censored samples at their censoring time) is one
 * too. */
static void censor_pooled(mr_summary *s, const mr_hist *rec, const mr_hist *cens)
{
    size_t n;
    mr__km_obs *obs = mr__km_from_hists(rec, cens, &n);
    mr__km_percentiles(s, obs, n);
    free(obs);
    s->min = rec->n ? fmin(rec->min, cens->min) : cens->min;
    s->max = rec->n ? fmax(rec->max, cens->max) : cens->max;
    s->censored = (double)cens->n / (double)(rec->n + cens->n);
    s->lower |= MR_LB_MEAN;
}

/* The whole-system metrics over the replications, the cost items, and
 * the counts. Client RTO percentiles are over all resolvers and
 * replications (docs/model.md): pooled, the replications' histograms merged in
 * index order. The mean and its CI stay over replication means, since the
 * resolvers of one replication share its detection time and are not
 * independent. */
static void summarise_metrics(const run_ctx *ctx, const run_rows *rr, const mr_hist *pooled,
                              const mr_hist *pooled_cens, mr_result *out)
{
    const mr__metric_cols *c = &ctx->cols;
    uint64_t reps = rr->reps;
    const double *rows = rr->rows;
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        mr_summarize_in(rows + m, reps, c->ncols, mr_metric_range((mr_metric)m),
                        &out->metrics[m]);
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        mr_summarize_in(rows + mr__col_cost(c, i), reps, c->ncols, MR_RANGE_NONNEG,
                        &out->cost_breakdown[i]);
    for (size_t k = 0; k < 2; k++)
        mr_summarize_in(rows + mr__col_failed_latency(c, k), reps, c->ncols, MR_RANGE_NONNEG,
                        &out->failed_latency_ms[k]);
    out->per_rep = mr_xmalloc(reps * MR_METRIC_COUNT * sizeof *out->per_rep);
    for (uint64_t i = 0; i < reps; i++)
        memcpy(out->per_rep + i * MR_METRIC_COUNT, rows + i * c->ncols,
               MR_METRIC_COUNT * sizeof *rows);
    mr_summary *crto = &out->metrics[MR_METRIC_CLIENT_RTO_S];
    if (crto->n > 0 && pooled_cens->n > 0) {
        censor_pooled(crto, pooled, pooled_cens);
    } else if (crto->n > 0 && pooled->n > 0) {
        crto->p50 = mr_hist_quantile(pooled, 0.50);
        crto->p95 = mr_hist_quantile(pooled, 0.95);
        crto->p99 = mr_hist_quantile(pooled, 0.99);
        crto->min = pooled->min;
        crto->max = pooled->max;
    }
    crto->censorable = 1;
    /* The whole system's RTO: a replication whose episode was censored
     * holds a lower bound. */
    double *cens = mr_xmalloc((reps ? reps : 1) * sizeof *cens);
    for (uint64_t i = 0; i < reps; i++) {
        cens[i] = 0;
        for (size_t f = 0; f < ctx->sc->nfaults; f++)
            cens[i] = fmax(cens[i], rows[i * c->ncols + mr__col_fault_censored(c, f)]);
    }
    mr__km_censor_reps(&out->metrics[MR_METRIC_RTO_S], rows + MR_METRIC_RTO_S, cens, 1, reps, c->ncols);
    free(cens);
    for (uint64_t i = 0; i < reps; i++) {
        out->events += (uint64_t)rows[i * c->ncols + mr__col_events(c)];
        double req = rows[i * c->ncols + mr__col_requests(c)];
        out->requests += isnan(req) ? 0 : (uint64_t)req;
    }
}

/* Per population, fault and data store, their metrics over the
 * replications. */
static void summarise_parts(const run_ctx *ctx, const run_rows *rr, mr_result *out)
{
    const mr_scenario *sc = ctx->sc;
    const mr__metric_cols *c = &ctx->cols;
    uint64_t reps = rr->reps;
    const double *rows = rr->rows;
    out->npopulations = sc->nclients;
    out->populations = mr_xcalloc(sc->nclients + 1, sizeof *out->populations);
    for (size_t p = 0; p < sc->nclients; p++) {
        mr_population_result *pr = &out->populations[p];
        pr->name = sc->clients[p].name;
        pr->stamp = sc->clients[p].stamp != MR_SC_NONE ? sc->stamps[sc->clients[p].stamp].name
                                                        : NULL;
        mr_summarize_in(rows + mr__col_population(c, p), reps, c->ncols, MR_RANGE_UNIT,
                        &pr->availability);
        /* Its client RTO over replications (each the mean over its groups'
         * samples): with a censored sample anywhere every figure is a lower
         * bound (raising a value raises each percentile and the mean). */
        mr_summarize_in(rows + mr__col_pop_crto(c, p, 0), reps, c->ncols, MR_RANGE_NONNEG,
                        &pr->client_rto_s);
        double nc = 0, ng = 0;
        for (uint64_t i = 0; i < reps; i++) {
            double a = rows[i * c->ncols + mr__col_pop_crto(c, p, 1)];
            double b = rows[i * c->ncols + mr__col_pop_crto(c, p, 2)];
            nc += isnan(a) ? 0 : a;
            ng += isnan(b) ? 0 : b;
        }
        pr->client_rto_s.censorable = 1;
        pr->client_rto_s.censored = ng > 0 ? nc / ng : 0;
        if (nc > 0)
            pr->client_rto_s.lower = MR_LB_MEAN | MR_LB_P50 | MR_LB_P95 | MR_LB_P99;
    }
    out->nepisodes = sc->nfaults;
    out->episodes = mr_xcalloc(sc->nfaults + 1, sizeof *out->episodes);
    for (size_t f = 0; f < sc->nfaults; f++) {
        mr_episode_result *ep = &out->episodes[f];
        const mr_sc_fault *sf = &sc->faults[f];
        ep->fault = sf->name;
        ep->kind = mr_fault_kind_name(sf->kind);
        ep->target = target_label(sc, sf, ep->target_buf, sizeof ep->target_buf);
        mr_summarize_in(rows + mr__col_fault_rto(c, f), reps, c->ncols, MR_RANGE_NONNEG,
                        &ep->rto_s);
        mr_summarize_in(rows + mr__col_fault_max_rpo(c->slo, f), sc->ndatastores ? reps : 0,
                        c->ncols, MR_RANGE_NONNEG, &ep->rpo_s);
        for (uint64_t i = 0; i < reps; i++)
            ep->censored += rows[i * c->ncols + mr__col_fault_censored(c, f)] > 0;
        mr__km_censor_reps(&ep->rto_s, rows + mr__col_fault_rto(c, f),
                    rows + mr__col_fault_censored(c, f), c->ncols, reps, c->ncols);
        mr__tl_summarise(sc, f, rows, reps, c->ncols, mr__col_timeline(c), ep);
        mr_summarize_in(rows + mr__col_fault_incident(c, f), reps, c->ncols, MR_RANGE_REAL,
                        &ep->incident_cost_usd);
    }
    out->nstores = sc->ndatastores;
    out->stores = mr_xcalloc(sc->ndatastores + 1, sizeof *out->stores);
    for (size_t d = 0; d < sc->ndatastores; d++) {
        out->stores[d].name = sc->datastores[d].name;
        out->stores[d].kind = sc->datastores[d].model->kind;
        for (size_t k = 0; k < MR_STORE_METRICS; k++) {
            out->stores[d].metric[k] = mr__store_metric[k];
            mr_summarize_in(rows + mr__col_store(c, d, k), reps, c->ncols,
                            mr_metric_range(mr__store_metric[k]), &out->stores[d].m[k]);
        }
        const mr_store_base *base = sc->datastores[d].cfg;
        out->stores[d].capacity = base && base->capacity;
        mr_summarize_in(rows + mr__col_store_capacity(c, d, 0),
                        out->stores[d].capacity ? reps : 0, c->ncols, MR_RANGE_UNIT,
                        &out->stores[d].throttled_ratio);
        mr_summarize_in(rows + mr__col_store_capacity(c, d, 1),
                        out->stores[d].capacity ? reps : 0, c->ncols, MR_RANGE_NONNEG,
                        &out->stores[d].capacity_wait_ms);
    }
}

int mr_run_scenario(const mr_scenario *sc, const mr_run_opts *opts, mr_result *out,
                    mr_diag *diag)
{
    int rc = mr_build_check(sc, diag);
    if (rc != MR_OK)
        return rc;
    run_plan plan = plan_of(sc, opts);
    run_ctx ctx;
    ctx_init(&ctx, sc, opts, &plan);
    run_rows rr = {.achieved = NAN};
    double t0 = wall_now();
    ctx.t0 = t0;
    rc = run_batches(&ctx, &plan, &rr);
    double t1 = wall_now();
    mr_hist pooled, pooled_cens;
    mr_hist_init(&pooled);
    mr_hist_init(&pooled_cens);
    ctx_fini(&ctx, &rr, &pooled, &pooled_cens);
    if (rc != MR_OK && atomic_load(&ctx.hook_rc) != MR_OK)
        rc = atomic_load(&ctx.hook_rc); /* the sink has said what failed */
    else if (rc != MR_OK && rc != MR_EINTR)
        mr_diag_error(diag, &sc->run.mark, "replication %llu failed: %s",
                      (unsigned long long)rr.failed, mr_strerror(rc));
    if (rc == MR_OK) {
        memset(out, 0, sizeof *out);
        out->scenario = sc->name;
        out->file = sc->file;
        out->seed = ctx.seed;
        out->replications = rr.reps;
        out->horizon_s = mr_time_to_s(sc->run.horizon);
        out->wall_s = t1 - t0;
        if (plan.until >= 0)
            out->stopping = (mr_stopping){.adaptive = 1,
                                          .metric = sc->run.until_metric,
                                          .target_rel = sc->run.until_rel_ci_half_width,
                                          .achieved_rel = rr.achieved,
                                          .converged = rr.converged,
                                          .min = (uint64_t)sc->run.rep_min,
                                          .max = plan.cap,
                                          .batch = plan.batch};
        summarise_metrics(&ctx, &rr, &pooled, &pooled_cens, out);
        summarise_parts(&ctx, &rr, out);
        mr_cost_unpriced_list(sc, &out->unpriced);
        mr__fill_verdicts(sc, rr.rows, rr.reps, ctx.cols.ncols, ctx.cols.slo, out);
    }
    mr_hist_fini(&pooled);
    mr_hist_fini(&pooled_cens);
    free(rr.rows);
    return rc;
}

void mr_result_fini(mr_result *r)
{
    for (size_t f = 0; r->episodes && f < r->nepisodes; f++)
        free(r->episodes[f].timeline);
    free(r->episodes);
    free(r->per_rep);
    free(r->stores);
    r->stores = NULL;
    r->nstores = 0;
    free(r->populations);
    r->populations = NULL;
    r->npopulations = 0;
    r->episodes = NULL;
    r->per_rep = NULL;
    r->nepisodes = 0;
}
