/* tests/e2e/test_live.c: the live run API of `mrsim tui` (sim/run/live.h).
 * The hard requirement: a fault injected live, written to a session file,
 * replays bit for bit through `mrsim run`'s own path with the same seed.
 * Expected values are the replay's (same seed, same scenario text: the
 * numbers must be identical, not close) and hand-derived times. */
#define _GNU_SOURCE /* mkstemps */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/scenario.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "run/live.h"

#define TM MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml"
#define S ((mr_time)1000000000)

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int same_bits(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void diag_print(mr_diag *d)
{
    mr_diag_print(d, stderr);
}

/* Open active-passive-tm (seed 7), advance to 10 min, inject a region
 * outage on westeurope for 20 min, run to the end; write the session; load
 * the written file and run its replication 0 with seed 7 the way `mrsim
 * run -n 1 -s 7` does. Every metric, RTO, availability and client RTO
 * first, is the same double. */
Test(live, injected_fault_replays_bit_for_bit, .timeout = 300)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    int rc = mr_live_open(TM, NULL, 0, 7, 1, &lv, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    int ended = 0;
    cr_assert_eq(mr_live_run_until(lv, 600 * S, &ended), MR_OK);
    cr_assert_eq(mr_live_now(lv), 600 * S);
    cr_assert_eq(ended, 0);
    mr_live_fault f = {.kind = MR_FAULT_REGION_OUTAGE, .target = "westeurope",
                       .duration = 1200 * S};
    size_t idx = 99;
    rc = mr_live_inject(lv, &f, &idx, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    cr_assert_eq(idx, 0);
    const mr_live_injected *in = mr_live_injected_at(lv, 0);
    /* The file's two faults come first: the injected one is the third. */
    cr_expect_eq(in->index, 2);
    cr_expect_eq(in->at, 600 * S);
    cr_expect_str_eq(in->entry, "{name: tui-1, kind: region_outage, target: westeurope, at: "
                                "600s, duration: 1200s}");
    cr_expect_eq(mr_live_now(lv), 600 * S, "the rebuilt run stands where the old one was");
    cr_expect(mr_live_unsaved(lv));
    while (!ended)
        cr_assert_eq(mr_live_advance(lv, 900 * S, &ended), MR_OK);
    const mr_live_view *v = mr_live_read(lv);
    cr_assert(v->ended);
    cr_expect_eq(v->now, 2 * 3600 * S);
    double live[MR_METRIC_COUNT];
    memcpy(live, v->metrics, sizeof live);
    cr_assert(!isnan(live[MR_METRIC_RTO_S]));
    cr_assert(!isnan(live[MR_METRIC_AVAILABILITY]));

    char path[] = "/tmp/mrsim-live-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    rc = mr_live_write(lv, path, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    cr_expect(!mr_live_unsaved(lv));
    char *text = read_all(path);
    cr_expect_not_null(strstr(text, "\n  - {name: tui-1, kind: region_outage, target: westeurope, "
                                    "at: 600s, duration: 1200s}\n\nslo:\n"),
                       "the entry ends the faults list:\n%s", text);
    mr_live_close(lv);

    mr_scenario *sc = NULL;
    rc = mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    cr_assert_eq(sc->nfaults, 3);
    mr_run_opts opts = {.replications = 1, .seed = 7, .seed_set = 1, .jobs = 1};
    mr_result res = {0};
    rc = mr_run_scenario(sc, &opts, &res, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    cr_expect(same_bits(res.metrics[MR_METRIC_RTO_S].mean, live[MR_METRIC_RTO_S]), "rto %.17g %.17g",
              res.metrics[MR_METRIC_RTO_S].mean, live[MR_METRIC_RTO_S]);
    cr_expect(same_bits(res.metrics[MR_METRIC_AVAILABILITY].mean, live[MR_METRIC_AVAILABILITY]));
    cr_expect(same_bits(res.metrics[MR_METRIC_CLIENT_RTO_S].mean, live[MR_METRIC_CLIENT_RTO_S]));
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        cr_expect(same_bits(res.metrics[m].mean, live[m]), "%s: run %.17g, live %.17g",
                  mr_metric_name((mr_metric)m), res.metrics[m].mean, live[m]);
    mr_result_fini(&res);
    mr_scenario_free(sc);
    unlink(path);
    free(text);
    mr_diag_free(d);
}

/* Until repaired, then repaired: injected at 5 min (300 s, a whole
 * millisecond: at 300s), repaired after advancing 180 s + 0.4 ms: the
 * repair rounds up to the millisecond, 480.001 s, so the duration is
 * 480.001 - 300 = 180.001 s, written 180001ms. */
Test(live, repair_writes_the_repair_time_as_duration, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    const char *sets[] = {"run.horizon=40m"};
    cr_assert_eq(mr_live_open(TM, sets, 1, 3, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 300 * S, NULL), MR_OK);
    mr_live_fault f = {.kind = MR_FAULT_CLUSTER_FAILURE, .target = "aks-neu",
                       .duration = MR_LIVE_UNTIL_REPAIRED};
    cr_assert_eq(mr_live_inject(lv, &f, NULL, d), MR_OK);
    const mr_live_injected *in = mr_live_injected_at(lv, 0);
    /* Open: it outlasts the 40 min horizon (2100 s left, + 1 s). */
    cr_expect_eq(in->duration, 2101 * S);
    cr_assert_eq(mr_live_advance(lv, 180 * S + 400000, NULL), MR_OK);
    size_t n = 0;
    cr_assert_eq(mr_live_repair(lv, "aks-weu", &n, d), MR_OK);
    cr_expect_eq(n, 0, "nothing injected on aks-weu");
    cr_assert_eq(mr_live_repair(lv, "aks-neu", &n, d), MR_OK);
    cr_expect_eq(n, 1);
    cr_expect_eq(in->duration, 180 * S + 1000000);
    cr_expect_str_eq(in->entry, "{name: tui-1, kind: cluster_failure, target: aks-neu, at: 300s, "
                                "duration: 180001ms}");
    cr_expect_eq(mr_live_now(lv), 480 * S + 1000000);
    char path[] = "/tmp/mrsim-live-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(mr_live_write(lv, path, d), MR_OK);
    /* A forced store failover: a single action, written without duration. */
    mr_live_fault g = {.kind = MR_FAULT_DATASTORE_FAILOVER, .target = "orders"};
    cr_assert_eq(mr_live_inject(lv, &g, NULL, d), MR_OK);
    cr_expect_str_eq(mr_live_injected_at(lv, 1)->entry,
                     "{name: tui-2, kind: datastore_failover, target: orders, at: 480001ms, "
                     "params: {mode: forced}}");
    cr_assert_eq(mr_live_write(lv, path, d), MR_OK);
    char *text = read_all(path);
    cr_expect_not_null(strstr(text, "duration: 180001ms}   # until repaired\n"), "%s", text);
    free(text);
    unlink(path);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* A target that does not exist: the loader's located message, a code, and
 * the live run untouched (same time, no injected fault). */
Test(live, invalid_target_is_an_error_not_a_crash, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    const char *sets[] = {"run.horizon=40m"};
    cr_assert_eq(mr_live_open(TM, sets, 1, 3, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 60 * S, NULL), MR_OK);
    mr_live_fault f = {.kind = MR_FAULT_REGION_OUTAGE, .target = "nowhere", .duration = 60 * S};
    cr_expect_eq(mr_live_inject(lv, &f, NULL, d), MR_ESCENARIO);
    cr_assert(mr_diag_count(d) >= 1);
    cr_expect_not_null(strstr(mr_diag_line(d, 0), "nowhere"), "%s", mr_diag_line(d, 0));
    cr_expect_eq(strncmp(mr_diag_line(d, 0), "--set:1:", 8), 0, "%s", mr_diag_line(d, 0));
    cr_expect_eq(mr_live_injected_count(lv), 0);
    cr_expect_eq(mr_live_now(lv), 60 * S);
    /* A kind aimed at the wrong kind of thing: a cluster named for a zone. */
    mr_live_fault g = {.kind = MR_FAULT_DATASTORE_FAILURE, .target = "aks-weu",
                       .duration = 60 * S};
    cr_expect_eq(mr_live_inject(lv, &g, NULL, d), MR_ESCENARIO);
    mr_live_fault h = {.kind = MR_FAULT_CLUSTER_FAILURE, .target = NULL, .duration = 60 * S};
    cr_expect_eq(mr_live_inject(lv, &h, NULL, d), MR_EINVAL);
    cr_expect_eq(mr_live_injected_count(lv), 0);
    /* The session is never written over the scenario being run. */
    cr_expect_eq(mr_live_write(lv, TM, d), MR_EINVAL);
    /* And the run goes on. */
    int ended = 0;
    cr_assert_eq(mr_live_advance(lv, 3600 * S, &ended), MR_OK);
    cr_expect(ended);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* Aggregate fidelity, the same promise: active-passive-tm with
 * run.fidelity=aggregate (the override travels into the session's replay
 * command as --set), a zone outage injected at 20 min for 15 min; the
 * written file run with the same seed and the same --set gives the same
 * metrics, bit for bit. */
Test(live, aggregate_fidelity_replays_bit_for_bit, .timeout = 300)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    const char *sets[] = {"run.fidelity=aggregate"};
    cr_assert_eq(mr_live_open(TM, sets, 1, 11, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 1200 * S, NULL), MR_OK);
    mr_live_fault f = {.kind = MR_FAULT_ZONE_OUTAGE, .target = "westeurope", .zone = 2,
                       .duration = 900 * S};
    int rc = mr_live_inject(lv, &f, NULL, d);
    diag_print(d);
    cr_assert_eq(rc, MR_OK);
    cr_expect_str_eq(mr_live_injected_at(lv, 0)->entry,
                     "{name: tui-1, kind: zone_outage, target: {region: westeurope, zone: 2}, at: "
                     "1200s, duration: 900s}");
    int ended = 0;
    cr_assert_eq(mr_live_run_until(lv, 3 * 3600 * S, &ended), MR_OK);
    cr_assert(ended);
    double live[MR_METRIC_COUNT];
    const mr_live_view *vv = mr_live_read(lv);
    memcpy(live, vv->metrics, sizeof live);
    /* The windows in one pass are the windows one by one; the warm-up's
     * 5 min / 10 s = 30 windows have none, the outage's (20 to 35 min)
     * lost a zone of three: below 1. The 2 h horizon / 10 s = 720 windows. */
    cr_assert_eq(vv->nwin, 720);
    double *all = calloc(vv->nwin, sizeof *all);
    mr_live_window_shares(lv, all, vv->nwin);
    for (size_t i = 0; i < vv->nwin; i++)
        cr_expect(same_bits(all[i], mr_live_window_share(lv, i)), "window %zu", i);
    cr_expect(isnan(all[29]));
    cr_expect(!isnan(all[30]));
    cr_expect(all[121] < 1, "a window of the zone outage: %g", all[121]);
    free(all);
    char path[] = "/tmp/mrsim-live-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(mr_live_write(lv, path, d), MR_OK);
    char *text = read_all(path);
    cr_expect_not_null(strstr(text, "--seed 11 -n 1 --set 'run.fidelity=aggregate'"), "%s", text);
    free(text);
    mr_live_close(lv);
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, sets, 1, mr_model_registry(), &sc, d), MR_OK);
    mr_run_opts opts = {.replications = 1, .seed = 11, .seed_set = 1, .jobs = 1};
    mr_result res = {0};
    cr_assert_eq(mr_run_scenario(sc, &opts, &res, d), MR_OK);
    for (int m = 0; m < MR_METRIC_COUNT; m++)
        cr_expect(same_bits(res.metrics[m].mean, live[m]), "%s: run %.17g, live %.17g",
                  mr_metric_name((mr_metric)m), res.metrics[m].mean, live[m]);
    mr_result_fini(&res);
    mr_scenario_free(sc);
    unlink(path);
    mr_diag_free(d);
}

/* The state the topology panel reads (mr_live_read's status: the models'
 * status slots and their series as they stand). active-passive-tm, seed 7:
 * West Europe (region 0) is down from 30m for 45m and the store `orders`
 * is force-failed-over at 30m + triangular(10m, 20m, 1h), so by 1h30m at
 * the latest: its primary is in region 0 and up at 20m, in region 0 and
 * not up at 31m (its region is down and no failover before 40m), in
 * northeurope (1) and up at 1h40m. Priority routing answers only the
 * primary endpoint while it is Online: at 20m no resolver holds aks-neu
 * (share exactly 0) and some hold aks-weu. */
static double status_of(const mr_live_view *v, const char *comp, const char *metric)
{
    return mr_report_find(v->status, comp, metric);
}

Test(live, status_of_stores_and_resolvers, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(TM, NULL, 0, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 1200 * S, NULL), MR_OK);
    const mr_live_view *v = mr_live_read(lv);
    cr_expect_eq(status_of(v, "data/orders", "primary_region"), 0);
    cr_expect_eq(status_of(v, "data/orders", "primary_up"), 1);
    cr_expect_eq(status_of(v, "resolvers/isp-eu", "answer_share/aks-neu"), 0);
    double weu = status_of(v, "resolvers/isp-eu", "answer_share/aks-weu");
    cr_expect(weu > 0 && weu <= 1, "answer_share/aks-weu %g", weu);
    cr_expect(!isnan(status_of(v, "data/orders", "lag_s")), "the realised lag is read");
    cr_assert_eq(mr_live_run_until(lv, 1860 * S, NULL), MR_OK);
    v = mr_live_read(lv);
    cr_expect_eq(status_of(v, "data/orders", "primary_region"), 0);
    cr_expect_eq(status_of(v, "data/orders", "primary_up"), 0);
    cr_assert_eq(mr_live_run_until(lv, 6000 * S, NULL), MR_OK);
    v = mr_live_read(lv);
    cr_expect_eq(status_of(v, "data/orders", "primary_region"), 1);
    cr_expect_eq(status_of(v, "data/orders", "primary_up"), 1);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* shared-dependency: entra-id (global) is down from 30m for 20m; acr is
 * hosted in West Europe, down with its region from 1h30m for 40m. */
Test(live, status_of_dependencies, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(MRSIM_SOURCE_DIR "/scenarios/shared-dependency.yaml", NULL, 0, 7, 1,
                              &lv, d),
                 MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 2400 * S, NULL), MR_OK);
    const mr_live_view *v = mr_live_read(lv);
    cr_expect_eq(status_of(v, "dependencies/entra-id", "down"), 1);
    cr_expect_eq(status_of(v, "dependencies/acr", "down"), 0);
    cr_assert_eq(mr_live_run_until(lv, 6000 * S, NULL), MR_OK);
    v = mr_live_read(lv);
    cr_expect_eq(status_of(v, "dependencies/entra-id", "down"), 0);
    cr_expect_eq(status_of(v, "dependencies/acr", "down"), 1);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* Requests per region per period (mr_live_served): active-passive-tm's
 * period is its SLO window, 10 s, so at 20m 120 periods are complete. The
 * periods add up to the cluster's own `served` count at 20m (the same
 * counter read at every boundary: the sum telescopes), and priority
 * routing sends nothing to North Europe (region 1) before the outage at
 * 30m. After an injection at 20m the run is rebuilt and the periods read
 * again: the same sums (the run up to the injection is unchanged). */
static void check_served_at_20m(mr_live *lv)
{
    cr_assert_eq(mr_live_period(lv), 10 * S);
    cr_assert_eq(mr_live_periods(lv), 120);
    double sum0 = 0, sum1 = 0;
    for (size_t k = 0; k < 120; k++) {
        sum0 += mr_live_served(lv, k, 0);
        sum1 += mr_live_served(lv, k, 1);
    }
    const mr_live_view *v = mr_live_read(lv);
    double weu = mr_report_find(v->status, "clusters/aks-weu", "served");
    cr_expect(weu > 0);
    cr_expect_eq(sum0, weu, "periods %.17g, the counter %.17g", sum0, weu);
    cr_expect_eq(sum1, 0);
    cr_expect(isnan(mr_live_served(lv, 120, 0)), "period 120 is not complete");
}

Test(live, served_per_region_per_period, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(TM, NULL, 0, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 1200 * S, NULL), MR_OK);
    check_served_at_20m(lv);
    mr_live_fault f = {.kind = MR_FAULT_REGION_OUTAGE, .target = "westeurope",
                       .duration = 600 * S};
    size_t idx = 0;
    cr_assert_eq(mr_live_inject(lv, &f, &idx, d), MR_OK);
    check_served_at_20m(lv);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* mr_live_window_worst is the least of mr_live_window_shares over the same
 * windows (NaN ones skipped; NaN when all are), at both fidelities:
 * active-passive-tm at 40m (the outage from 30m: windows below 1 from
 * 180 on; the warm-up of 5m: windows 0 .. 29 NaN). */
static double least(const double *x, size_t a, size_t b)
{
    double m = NAN;
    for (size_t i = a; i < b; i++)
        if (!isnan(x[i]) && (isnan(m) || x[i] < m))
            m = x[i];
    return m;
}

static void check_worst(const char *const *sets, size_t nsets)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(TM, sets, nsets, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 2400 * S, NULL), MR_OK);
    const mr_live_view *v = mr_live_read(lv);
    cr_assert_eq(v->nwin, 240);
    double x[240];
    mr_live_window_shares(lv, x, 240);
    const size_t r[][2] = {{0, 240}, {0, 30}, {0, 31}, {170, 190}, {180, 240}, {100, 101}, {29, 60}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        double want = least(x, r[i][0], r[i][1]), got = mr_live_window_worst(lv, r[i][0], r[i][1]);
        cr_expect(same_bits(want, got), "%s windows %zu .. %zu: %.17g, not %.17g",
                  nsets ? sets[0] : "request", r[i][0], r[i][1], got, want);
    }
    cr_expect(isnan(mr_live_window_worst(lv, 0, 30)), "the warm-up only");
    cr_expect(mr_live_window_worst(lv, 180, 240) < 1, "the outage");
    mr_live_close(lv);
    mr_diag_free(d);
}

Test(live, window_worst_request_fidelity, .timeout = 120)
{
    check_worst(NULL, 0);
}

Test(live, window_worst_aggregate_fidelity, .timeout = 120)
{
    const char *sets[] = {"run.fidelity=aggregate"};
    check_worst(sets, 1);
}

/* The event log names an endpoint by its cluster, as the topology panel
 * does: gray-failure-runbook's gray failure on aks-weu (endpoint 0) from
 * 30m, the runbook detecting it in 5m and acting 10m later: at 45m
 * "endpoint aks-weu disabled by the runbook", not "endpoint 0 ...". */
Test(live, event_text_names_endpoints, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(MRSIM_SOURCE_DIR "/scenarios/gray-failure-runbook.yaml", NULL, 0,
                              7, 1, &lv, d),
                 MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 3000 * S, NULL), MR_OK);
    int found = 0;
    char text[200];
    for (size_t i = 0; i < mr_live_log_count(lv); i++) {
        const mr_live_event *e = mr_live_log_at(lv, i);
        mr_live_event_text(lv, e, text, sizeof text);
        if (e->kind == MR_MSG_ENDPOINT_ADMIN) {
            cr_expect_eq(e->t, 2700 * S);
            cr_expect_str_eq(text, "endpoint aks-weu disabled by the runbook");
            found++;
        } else if (e->kind == MR_MSG_ENDPOINT_STATUS) {
            cr_expect(strncmp(text, "endpoint aks-", 13) == 0 && strstr(text, " (probes)"),
                      "%s", text);
        }
    }
    cr_expect_eq(found, 1);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* The p99 latency per period (mr_live_latency_p99) on active-passive-tm,
 * seed 7, period 10 s:
 * - the warm-up (5m): latency_ms holds only requests first issued after
 *   it, recorded when their last attempt is issued (no earlier), so
 *   periods 0 .. 29 have none: NaN;
 * - period 30 ([300 s, 310 s]) is the first with requests, and at 310 s
 *   the cumulative p99 of the run so far (the metric latency_ms_p99 of
 *   `mrsim run`, mr_hist_quantile over latency_ms) is over the same
 *   requests: the same double (the histogram at 300 s is empty, and the
 *   quantile since an empty state is mr_hist_quantile itself);
 * - before the outage (30m) a request's latency is its service time
 *   lognormal(25ms, 0.5) plus round trips, ingress and data access, all
 *   >= 0: its p99 is at least the service time's, 25 exp(0.5 x 2.3263) =
 *   80.0 ms (less a sampling margin: 20,000 requests a period put the
 *   empirical p99 within a few percent), and a success ends within the
 *   2 s timeout;
 * - once the outage starts at 30m, a request whose first attempt hit
 *   West Europe and failed succeeds only by its retry, issued after the
 *   2 s timeout plus the backoff, in North Europe once its resolver
 *   answers it: its latency exceeds 2 s. While the resolvers move (probes
 *   90 s, then TTLs of 30 s and longer) such retries are more than 1% of
 *   a period's successes, so some period's p99 exceeds 2000 ms;
 * - no request succeeds from the outage's start until the resolvers send
 *   the clients' retries to North Europe: NaN periods in between;
 * - an injection at 20m rebuilds the run and reads the periods again: the
 *   same doubles before it. */
Test(live, latency_p99_per_period, .timeout = 300)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(TM, NULL, 0, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 310 * S, NULL), MR_OK);
    cr_assert_eq(mr_live_periods(lv), 31);
    for (size_t k = 0; k < 30; k++)
        cr_expect(isnan(mr_live_latency_p99(lv, k)), "warm-up period %zu", k);
    const mr_live_view *v = mr_live_read(lv);
    double cum = v->metrics[MR_METRIC_LATENCY_MS_P99], p30 = mr_live_latency_p99(lv, 30);
    cr_expect(same_bits(p30, cum), "period 30 %.17g, the run's p99 %.17g", p30, cum);
    cr_expect(isnan(mr_live_latency_p99(lv, 31)), "period 31 is not complete");

    cr_assert_eq(mr_live_run_until(lv, 1200 * S, NULL), MR_OK);
    double before[120];
    for (size_t k = 30; k < 120; k++) {
        before[k] = mr_live_latency_p99(lv, k);
        cr_expect(before[k] >= 75 && before[k] <= 2000, "period %zu: %g ms", k, before[k]);
    }
    mr_live_fault f = {.kind = MR_FAULT_REGION_OUTAGE, .target = "westeurope",
                       .duration = 600 * S};
    size_t idx = 0;
    cr_assert_eq(mr_live_inject(lv, &f, &idx, d), MR_OK);
    for (size_t k = 30; k < 120; k++)
        cr_expect(same_bits(mr_live_latency_p99(lv, k), before[k]), "period %zu rebuilt", k);
    mr_live_close(lv);

    /* The file's own outage at 30m. */
    cr_assert_eq(mr_live_open(TM, NULL, 0, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 2400 * S, NULL), MR_OK);
    cr_expect(isnan(mr_live_latency_p99(lv, 181)), "no success just after the outage's start");
    double worst = 0;
    for (size_t k = 180; k < 240; k++) {
        double p = mr_live_latency_p99(lv, k);
        if (!isnan(p) && p > worst)
            worst = p;
    }
    cr_expect(worst > 2000, "the failover's p99 %g ms", worst);
    /* Once the clients reach North Europe (from about 33m20s; the last
     * ten minutes of the 40 here), a request pays the same service time,
     * ingress and in-region data access (reads from the readable replica
     * there; writes fail until the store fails over) plus the round trip
     * from the clients' origin, West Europe, to North Europe: 18 ms more
     * than in West Europe (the scenario's rtt table). A constant shift
     * moves every quantile by it: the mean p99 of periods 210 .. 239
     * exceeds that of periods 120 .. 179 (before the outage) by 18 ms, to
     * within the periods' sampling noise (a few tenths of a ms on the
     * means of 30 and 60). */
    double m0 = 0, m1 = 0;
    for (size_t k = 120; k < 180; k++)
        m0 += mr_live_latency_p99(lv, k) / 60;
    for (size_t k = 210; k < 240; k++)
        m1 += mr_live_latency_p99(lv, k) / 30;
    cr_expect(fabs(m1 - m0 - 18) < 2, "p99 %g ms in North Europe, %g ms before", m1, m0);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* Aggregate fidelity records no latency: NaN in every period. */
Test(live, latency_p99_aggregate_fidelity_is_nan, .timeout = 120)
{
    const char *sets[] = {"run.fidelity=aggregate"};
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(TM, sets, 1, 7, 1, &lv, d), MR_OK);
    cr_assert_eq(mr_live_run_until(lv, 2400 * S, NULL), MR_OK);
    cr_assert_eq(mr_live_periods(lv), 240);
    for (size_t k = 0; k < 240; k++)
        cr_expect(isnan(mr_live_latency_p99(lv, k)), "period %zu", k);
    mr_live_close(lv);
    mr_diag_free(d);
}

/* The ">=" of the metrics panel (mr_live_lower_bounds), as `mrsim run`
 * prints it: active-passive-tm with seed 3 has no episode before its
 * outage at 30m (neither figure a bound); run to the end, `mrsim run
 * --seed 3 -n 1` prints rto >=10m 25s and client_rto >=7m 41s (an episode
 * and some groups censored), so both are bounds there. */
Test(live, lower_bounds_as_run_marks_them, .timeout = 120)
{
    mr_diag *d = mr_diag_new();
    mr_live *lv = NULL;
    cr_assert_eq(mr_live_open(MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml", NULL, 0, 3, 1,
                              &lv, d),
                 MR_OK);
    int rto = -1, crto = -1;
    cr_assert_eq(mr_live_run_until(lv, 1200 * S, NULL), MR_OK);
    mr_live_lower_bounds(mr_live_read(lv), &rto, &crto);
    cr_expect_eq(rto, 0);
    cr_expect_eq(crto, 0);
    int ended = 0;
    cr_assert_eq(mr_live_run_until(lv, mr_live_horizon(lv), &ended), MR_OK);
    mr_live_lower_bounds(mr_live_read(lv), &rto, &crto);
    cr_expect_eq(rto, 1);
    cr_expect_eq(crto, 1);
    mr_live_close(lv);
    mr_diag_free(d);
}
