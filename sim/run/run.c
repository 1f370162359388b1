/* sim/run/run.c: every replication of a scenario, summarised. Each
 * replication builds its own components from the shared, read-only
 * scenario, runs to the horizon, and writes one row: the metrics of
 * result.h, then per fault its mean RTO and whether any of its episodes was
 * censored, then the event and request counts, then the columns the SLO
 * verdicts read (verdict.h), then per population its availability, then the
 * cost items (cost.h). Rows are summarised in replication order (runner.h),
 * so the result is the same for any --jobs. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slo.h"
#include "store.h"
#include "mrsim/alloc.h"
#include "run/build.h"
#include "run/cost.h"
#include "mrsim/error.h"
#include "mrsim/report.h"
#include "run/runner.h"
#include "relay.h"
#include "verdict.h"

typedef struct run_ctx {
    const mr_scenario *sc;
    uint64_t seed;
    FILE *trace;
    size_t ncols;
    mr_hist *client_rto; /* per replication: every resolver's client RTO */
    mr__slo_cols slo_cols;
    /* For progress only: never read by the results. */
    _Atomic uint64_t events_done;
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
                   const double *row, double started_at, double t0)
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
    const mr_component *slo = mr_sim_find(sim, "slo");
    if (slo) {
        const mr_slo_state *st = slo->state;
        v.latency_ms = &st->latency_ms;
        v.client_rto_s = &st->client_rto_hist;
        v.window = st->window;
        if (st->agg) {
            v.sparse_w = st->sw;
            v.sparse_total = st->st;
            v.sparse_ok = st->so;
            v.nsparse = st->nsparse;
        } else {
            v.win_total = st->total;
            v.win_ok = st->ok;
            v.nwin = st->nwin;
        }
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

static size_t col_fault_rto(size_t f)
{
    return MR_METRIC_COUNT + 2 * f;
}

static size_t col_fault_censored(size_t f)
{
    return MR_METRIC_COUNT + 2 * f + 1;
}

static size_t col_events(const mr_scenario *sc)
{
    return MR_METRIC_COUNT + 2 * sc->nfaults;
}

static size_t col_requests(const mr_scenario *sc)
{
    return col_events(sc) + 1;
}

/* cur = max(cur, v), a NaN cur meaning no value yet. */
static void take_max(double *cur, double v)
{
    if (isnan(*cur) || v > *cur)
        *cur = v;
}

static void take_sum(double *cur, double v)
{
    *cur = isnan(*cur) ? v : *cur + v;
}

/* Per client population, its availability: after the SLO verdicts' columns. */
static size_t col_population(const run_ctx *ctx, size_t p)
{
    return mr__slo_ncols(ctx->slo_cols) + p;
}

static size_t col_store(const run_ctx *ctx, size_t d, size_t k)
{
    return col_population(ctx, ctx->sc->nclients) + MR_STORE_METRICS * d + k;
}

/* The cost items (cost.h), after the stores' columns. */
static size_t col_cost(const run_ctx *ctx, int item)
{
    return col_store(ctx, ctx->sc->ndatastores, 0) + (size_t)item;
}

/* Data stores: per store the MR_STORE_METRICS of store_metric[], after
 * the populations' columns; per fault its worst RPO goes to the verdicts'
 * column (mr__col_fault_max_rpo). */
static const mr_metric store_metric[MR_STORE_METRICS] = {
    MR_METRIC_RPO_S, MR_METRIC_LOST_WRITES, MR_METRIC_STALE_READ_RATIO,
    MR_METRIC_STALENESS_MS_P99, MR_METRIC_WRITE_CONFLICTS};


/* The data-store metrics of one replication, per store and whole-system
 * (docs/model.md: RPO is the worst forced failover, 0 when none lost a write;
 * lost writes and conflicts add up; the stale-read ratio and the staleness
 * percentile are over every read of every store); null without stores. */
static void store_metrics(const run_ctx *ctx, const mr_sim *sim, double *row)
{
    const mr_scenario *sc = ctx->sc;
    if (sc->ndatastores == 0)
        return;
    double rpo = 0, lost = 0, conflicts = 0, reads = 0, stale = 0;
    mr_hist all;
    mr_hist_init(&all);
    for (size_t f = 0; f < sc->nfaults; f++)
        row[mr__col_fault_max_rpo(ctx->slo_cols, f)] = 0;
    for (size_t d = 0; d < sc->ndatastores; d++) {
        char name[160];
        snprintf(name, sizeof name, "data/%s", sc->datastores[d].name);
        const mr_store_head *h = mr__store_head(mr_sim_find(sim, name));
        if (h == NULL)
            continue;
        double drpo = 0, dlost = 0;
        for (size_t k = 0; k < h->nfo; k++) {
            const mr_store_failover *fo = &h->fo[k];
            drpo = fo->rpo_s > drpo ? fo->rpo_s : drpo;
            dlost += (double)fo->lost;
            if (fo->fault < sc->nfaults)
                take_max(&row[mr__col_fault_max_rpo(ctx->slo_cols, fo->fault)], fo->rpo_s);
        }
        double v[MR_STORE_METRICS] = {
            drpo, dlost, h->reads ? (double)h->stale_reads / (double)h->reads : NAN,
            mr_hist_quantile(&h->staleness_ms, 0.99), (double)h->conflicts};
        for (size_t k = 0; k < MR_STORE_METRICS; k++)
            row[col_store(ctx, d, k)] = v[k];
        rpo = drpo > rpo ? drpo : rpo;
        lost += dlost;
        conflicts += (double)h->conflicts;
        reads += (double)h->reads;
        stale += (double)h->stale_reads;
        mr_hist_merge(&all, &h->staleness_ms);
    }
    row[MR_METRIC_RPO_S] = rpo;
    row[MR_METRIC_LOST_WRITES] = lost;
    row[MR_METRIC_STALE_READ_RATIO] = reads > 0 ? stale / reads : NAN;
    row[MR_METRIC_STALENESS_MS_P99] = mr_hist_quantile(&all, 0.99);
    row[MR_METRIC_WRITE_CONFLICTS] = conflicts;
    mr_hist_fini(&all);
}

static int run_one(void *vctx, uint64_t rep, double *row)
{
    run_ctx *ctx = vctx;
    const mr__slo_cols sc_cols = ctx->slo_cols;
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
    if (rep == 0 && ctx->trace) {
        mr_trace_csv_header(ctx->trace);
        mr_sim_set_trace(sim, mr_trace_csv, ctx->trace);
    }
    rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    mr_sim_finish(sim);
    mr_report *r = mr_report_new();
    mr_sim_report(sim, r);
    row[MR_METRIC_AVAILABILITY] = mr_report_find(r, "", "availability");
    row[MR_METRIC_DOWNTIME_S] = mr_report_find(r, "", "downtime_s");
    row[MR_METRIC_RTO_S] = mr_report_find(r, "", "rto_s");
    row[MR_METRIC_CLIENT_RTO_S] = mr_report_find(r, "", "client_rto_s");
    row[MR_METRIC_LATENCY_MS_P50] = mr_report_find(r, "", "latency_ms_p50");
    row[MR_METRIC_LATENCY_MS_P99] = mr_report_find(r, "", "latency_ms_p99");
    double items[MR_COST_ITEM_COUNT];
    row[MR_METRIC_COST_USD_MONTH] = mr_cost_month(sc, r, items);
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++) {
        row[col_cost(ctx, i)] = items[i];
        /* Named as in the JSON, for the results database's scalar table. */
        mr_report_scalar(r, "cost_breakdown", mr_cost_item_name((mr_cost_item)i), items[i]);
    }
    row[mr__col_warm_availability(sc_cols)] = mr_report_find(r, "", "warmup_availability");
    row[mr__col_warm_latency_ms_p99(sc_cols)] = mr_report_find(r, "", "warmup_latency_ms_p99");
    /* Per fault: the mean RTO of its episodes in this replication. */
    double *sum = mr_xcalloc(sc->nfaults + 1, sizeof *sum);
    double *cnt = mr_xcalloc(sc->nfaults + 1, sizeof *cnt);
    const char *comp, *metric;
    double v, fault = -1;
    for (size_t i = 0; mr_report_get(r, i, &comp, &metric, &v); i++) {
        if (strncmp(comp, "clients/", 8) == 0 && strcmp(metric, "requests") == 0)
            row[col_requests(sc)] = (isnan(row[col_requests(sc)]) ? 0 : row[col_requests(sc)]) + v;
        if (strncmp(comp, "clients/", 8) == 0 && strcmp(metric, "availability") == 0)
            for (size_t p = 0; p < sc->nclients; p++)
                if (strcmp(comp + 8, sc->clients[p].name) == 0)
                    row[col_population(ctx, p)] = v;
        if (strncmp(comp, "episode/", 8) != 0)
            continue;
        if (strcmp(metric, "fault") == 0)
            fault = v;
        if (fault < 0 || fault >= (double)sc->nfaults)
            continue;
        size_t f = (size_t)fault;
        if (strcmp(metric, "rto_s") == 0) {
            sum[f] += v;
            cnt[f] += 1;
            take_max(&row[mr__col_fault_max_rto(sc_cols, f)], v);
            take_max(&row[mr__col_rep_max_rto(sc_cols)], v);
        } else if (strcmp(metric, "censored") == 0 && v > 0) {
            row[col_fault_censored(f)] = 1;
            /* Never recovered: no limit is met (the verdicts' worst RTO). */
            row[mr__col_fault_max_rto(sc_cols, f)] = INFINITY;
            row[mr__col_rep_max_rto(sc_cols)] = INFINITY;
        } else if (strcmp(metric, "rpo_s") == 0) {
            take_max(&row[mr__col_fault_max_rpo(sc_cols, f)], v);
        } else if (strcmp(metric, "downtime_s") == 0) {
            take_sum(&row[mr__col_fault_downtime(sc_cols, f)], v);
        }
    }
    for (size_t f = 0; f < sc->nfaults; f++) {
        row[col_fault_rto(f)] = cnt[f] > 0 ? sum[f] / cnt[f] : NAN;
        if (isnan(row[col_fault_censored(f)]))
            row[col_fault_censored(f)] = 0;
    }
    row[col_events(sc)] = (double)mr_sim_events(sim);
    store_metrics(ctx, sim, row);
    atomic_fetch_add(&ctx->events_done, mr_sim_events(sim));
    const mr_component *slo = mr_sim_find(sim, "slo");
    if (slo)
        mr_hist_merge(&ctx->client_rto[rep], &((const mr_slo_state *)slo->state)->client_rto_hist);
    free(sum);
    free(cnt);
    if (rc == MR_OK && ctx->on_rep)
        rc = pass_on(ctx, rep, sim, r, row, started_at, t0);
    mr_report_free(r);
    int frc = mr_sim_free(sim);
    return rc != MR_OK ? rc : frc;
}

/* Under MPI the client-RTO histogram of a replication travels to the
 * ranks that did not run it (runner.h), which merge it in index order like
 * their own. */
static size_t pack_rep(void *vctx, uint64_t rep, void *buf, size_t cap)
{
    return mr_hist_pack(&((run_ctx *)vctx)->client_rto[rep], buf, cap);
}

static int unpack_rep(void *vctx, uint64_t rep, const void *buf, size_t len)
{
    return mr_hist_unpack(&((run_ctx *)vctx)->client_rto[rep], buf, len);
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
                     .events = atomic_load(&ctx->events_done),
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

int mr_run_scenario(const mr_scenario *sc, const mr_run_opts *opts, mr_result *out,
                    mr_diag *diag)
{
    int rc = mr_build_check(sc, diag);
    if (rc != MR_OK)
        return rc;
    /* Sequential stopping (run.replications {min, max, until}) unless -n
     * fixes the count: min replications, then batches of min until the
     * metric's CI is narrow enough or max is reached. Batch sizes depend on
     * the scenario only, and replication i always has the same seeds, so
     * the replications run and the result are the same for any --jobs. */
    int until = sc->run.adaptive && opts->replications == 0 ? metric_index(sc->run.until_metric)
                                                             : -1;
    uint64_t cap = opts->replications ? opts->replications : (uint64_t)sc->run.replications;
    uint64_t batch = cap;
    if (until >= 0) {
        cap = (uint64_t)sc->run.rep_max;
        batch = (uint64_t)sc->run.rep_min < cap ? (uint64_t)sc->run.rep_min : cap;
    }
    run_ctx ctx = {.sc = sc,
                   .seed = opts->seed_set ? opts->seed : sc->seed,
                   .trace = opts->trace,
                   .opts = opts,
                   .total = cap,
                   .adaptive = until >= 0,
                   .on_rep = opts->on_rep,
                   .on_rep_ctx = opts->on_rep_ctx};
    atomic_init(&ctx.hook_rc, MR_OK);
    if (opts->on_rep) {
        ctx.fault_targets = mr_xcalloc(sc->nfaults + 1, sizeof *ctx.fault_targets);
        for (size_t f = 0; f < sc->nfaults; f++) {
            char buf[256];
            ctx.fault_targets[f] = mr_xstrdup(target_label(sc, &sc->faults[f], buf, sizeof buf));
        }
    }
    ctx.slo_cols = (mr__slo_cols){.x0 = col_requests(sc) + 1, .nfaults = sc->nfaults};
    ctx.ncols = col_cost(&ctx, MR_COST_ITEM_COUNT);
    atomic_init(&ctx.events_done, 0);
    /* Rows grow batch by batch (doubling, up to cap), so that a large max
     * costs memory only when it is reached; never while workers run. */
    double *rows = NULL;
    uint64_t have = 0;
    mr_runner spec = {.jobs = opts->jobs,
                      .nmetrics = ctx.ncols,
                      .run = run_one,
                      .ctx = &ctx,
                      .progress = opts->progress ? run_progress : NULL,
                      .progress_ctx = &ctx,
                      .stop = opts->stop,
                      .pack = pack_rep,
                      .unpack = unpack_rep};
    if (opts->on_rep && mr_mpi_size() > 1) {
        ctx.relay = mr_mpi_rank() > 0;
        spec.relay_pack = relay_pack;
        spec.relay_take = relay_take;
    }
    double t0 = wall_now();
    ctx.t0 = t0;
    uint64_t failed = 0, reps = 0;
    double achieved = NAN;
    int converged = 0;
    while (rc == MR_OK && reps < cap) {
        spec.first = reps;
        spec.replications = reps + batch < cap ? reps + batch : cap;
        if (spec.replications > have) {
            uint64_t want = 2 * have > spec.replications ? 2 * have : spec.replications;
            want = want < cap ? want : cap;
            rows = mr_xrealloc(rows, want * ctx.ncols * sizeof *rows);
            ctx.client_rto = mr_xrealloc(ctx.client_rto, want * sizeof *ctx.client_rto);
            for (uint64_t i = have; i < want; i++)
                mr_hist_init(&ctx.client_rto[i]);
            if (ctx.relay) {
                ctx.relay_buf = mr_xrealloc(ctx.relay_buf, want * sizeof *ctx.relay_buf);
                ctx.relay_len = mr_xrealloc(ctx.relay_len, want * sizeof *ctx.relay_len);
                for (uint64_t i = have; i < want; i++) {
                    ctx.relay_buf[i] = NULL;
                    ctx.relay_len[i] = 0;
                }
            }
            have = want;
        }
        ctx.done_before = reps;
        rc = mr_replicate(&spec, rows, &failed);
        reps = spec.replications;
        if (rc != MR_OK || until < 0)
            continue;
        achieved = rel_half_width(rows, reps, ctx.ncols, until);
        if (achieved <= sc->run.until_rel_ci_half_width) {
            converged = 1;
            break;
        }
    }
    double t1 = wall_now();
    /* Client RTO percentiles are over all resolvers and replications
     * (docs/model.md): the replications' histograms merged in index order. The
     * mean and its CI stay over replication means, since the resolvers of
     * one replication share its detection time and are not independent. */
    mr_hist pooled;
    mr_hist_init(&pooled);
    for (uint64_t i = 0; i < have; i++) {
        if (i < reps)
            mr_hist_merge(&pooled, &ctx.client_rto[i]);
        mr_hist_fini(&ctx.client_rto[i]);
    }
    free(ctx.client_rto);
    for (uint64_t i = 0; ctx.relay && i < have; i++)
        free(ctx.relay_buf[i]); /* those a failure kept from being sent */
    free(ctx.relay_buf);
    free(ctx.relay_len);
    for (size_t f = 0; ctx.fault_targets && f < sc->nfaults; f++)
        free(ctx.fault_targets[f]);
    free(ctx.fault_targets);
    if (rc != MR_OK && atomic_load(&ctx.hook_rc) != MR_OK)
        rc = atomic_load(&ctx.hook_rc); /* the sink has said what failed */
    else if (rc != MR_OK && rc != MR_EINTR)
        mr_diag_error(diag, &sc->run.mark, "replication %llu failed: %s",
                      (unsigned long long)failed, mr_strerror(rc));
    if (rc != MR_OK) {
        mr_hist_fini(&pooled);
        free(rows);
        return rc;
    }
    memset(out, 0, sizeof *out);
    out->scenario = sc->name;
    out->file = sc->file;
    out->seed = ctx.seed;
    out->replications = reps;
    out->horizon_s = mr_time_to_s(sc->run.horizon);
    out->wall_s = t1 - t0;
    if (until >= 0)
        out->stopping = (mr_stopping){.adaptive = 1,
                                      .metric = sc->run.until_metric,
                                      .target_rel = sc->run.until_rel_ci_half_width,
                                      .achieved_rel = achieved,
                                      .converged = converged,
                                      .min = (uint64_t)sc->run.rep_min,
                                      .max = cap,
                                      .batch = batch};
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        mr_summarize(rows + m, reps, ctx.ncols, &out->metrics[m]);
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        mr_summarize(rows + col_cost(&ctx, i), reps, ctx.ncols, &out->cost_breakdown[i]);
    out->per_rep = mr_xmalloc(reps * MR_METRIC_COUNT * sizeof *out->per_rep);
    for (uint64_t i = 0; i < reps; i++)
        memcpy(out->per_rep + i * MR_METRIC_COUNT, rows + i * ctx.ncols,
               MR_METRIC_COUNT * sizeof *rows);
    mr_summary *crto = &out->metrics[MR_METRIC_CLIENT_RTO_S];
    if (crto->n > 0 && pooled.n > 0) {
        crto->p50 = mr_hist_quantile(&pooled, 0.50);
        crto->p95 = mr_hist_quantile(&pooled, 0.95);
        crto->p99 = mr_hist_quantile(&pooled, 0.99);
        crto->min = pooled.min;
        crto->max = pooled.max;
    }
    mr_hist_fini(&pooled);
    for (uint64_t i = 0; i < reps; i++) {
        out->events += (uint64_t)rows[i * ctx.ncols + col_events(sc)];
        double req = rows[i * ctx.ncols + col_requests(sc)];
        out->requests += isnan(req) ? 0 : (uint64_t)req;
    }
    out->npopulations = sc->nclients;
    out->populations = mr_xcalloc(sc->nclients + 1, sizeof *out->populations);
    for (size_t p = 0; p < sc->nclients; p++) {
        mr_population_result *pr = &out->populations[p];
        pr->name = sc->clients[p].name;
        pr->stamp = sc->clients[p].stamp != MR_SC_NONE ? sc->stamps[sc->clients[p].stamp].name
                                                        : NULL;
        mr_summarize(rows + col_population(&ctx, p), reps, ctx.ncols, &pr->availability);
    }
    out->nepisodes = sc->nfaults;
    out->episodes = mr_xcalloc(sc->nfaults + 1, sizeof *out->episodes);
    for (size_t f = 0; f < sc->nfaults; f++) {
        mr_episode_result *ep = &out->episodes[f];
        const mr_sc_fault *sf = &sc->faults[f];
        ep->fault = sf->name;
        ep->kind = mr_fault_kind_name(sf->kind);
        ep->target = target_label(sc, sf, ep->target_buf, sizeof ep->target_buf);
        mr_summarize(rows + col_fault_rto(f), reps, ctx.ncols, &ep->rto_s);
        mr_summarize(rows + mr__col_fault_max_rpo(ctx.slo_cols, f), sc->ndatastores ? reps : 0,
                     ctx.ncols, &ep->rpo_s);
        for (uint64_t i = 0; i < reps; i++)
            ep->censored += rows[i * ctx.ncols + col_fault_censored(f)] > 0;
    }
    out->nstores = sc->ndatastores;
    out->stores = mr_xcalloc(sc->ndatastores + 1, sizeof *out->stores);
    for (size_t d = 0; d < sc->ndatastores; d++) {
        out->stores[d].name = sc->datastores[d].name;
        out->stores[d].kind = sc->datastores[d].model->kind;
        for (size_t k = 0; k < MR_STORE_METRICS; k++) {
            out->stores[d].metric[k] = store_metric[k];
            mr_summarize(rows + col_store(&ctx, d, k), reps, ctx.ncols, &out->stores[d].m[k]);
        }
    }
    mr__fill_verdicts(sc, rows, reps, ctx.ncols, ctx.slo_cols, out);
    free(rows);
    return MR_OK;
}

void mr_result_fini(mr_result *r)
{
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
