/* tests/validation/test_runtime_processes.c: runtime caches per client
 * process (docs/model.md rule 3; clients[].processes, issue 13 gap 5) at
 * both fidelities against closed forms and a reference Monte Carlo.
 *
 * Drill: Traffic Manager in priority mode, probes every 30 s, timeout
 * 10 s, 3 tolerated; TTL T = 30 s; 20 resolvers all honouring the TTL;
 * 2,000 requests/s (10/s per process at P = 10, so a runtime refetches
 * ~0.1 s after its expiry: a grid); region a fails at 4 min. Detection
 * D = U + 3 x 30 + 10 s is the same with and without runtime caches: the
 * same seed gives the same probe phases, so each replication's client RTO
 * is compared with the same replication's without a runtime cache (paired).
 *
 * Without a runtime cache a group (one resolver) switches at the
 * resolver's first query after its expiry, uniform on [0, T) after the
 * authority's change: mean T/2, plus a request gap (10 ms here).
 *
 * With a runtime cache of hold H per process: process m refetches on a
 * grid of period H with its own uniform phase (steady state), and the
 * runtimes are the resolver's only clients, so the resolver is asked only
 * at the union of the P grids and refreshes at the first union point at or
 * after its expiry. The process that asked switches then, every other at
 * its own next refetch; the group recovers when the last has.
 *
 * Java (H = T = 30 s). After a refresh at a point of process m* the
 * resolver expires exactly at m*'s next point: it stays locked to m*'s
 * grid. The lock forms at the first refresh, at the first union point
 * after the resolver's initial expiry, which is uniform and independent of
 * the phases: m* ends the arc (of the circle of length H cut by the P
 * points) that contains a uniform point, a size-biased spacing. Spacings
 * are H Beta(1, P - 1): E[A] = H / P, E[A^2] = 2 H^2 / (P (P + 1)), so the
 * size-biased arc has mean E[A^2] / E[A] = 2 H / (P + 1). After the
 * change the resolver refreshes at m*'s next point, uniform on [0, H) as
 * without a runtime cache, and the last process to switch is m*'s
 * predecessor on the circle, H - A later:
 *   Java adds H - 2 H / (P + 1) = H (P - 1) / (P + 1) = 24.55 s (P = 10),
 *   0 for P = 1 (one runtime locked to its resolver: the old rule).
 * (The 30 P / (P + 1) = 27.3 s takes P independent residuals: it
 * holds when nothing locks the grid, e.g. TTL 0: tests/models/test_clients.c.)
 *
 * Chrome (H = 60 s over T = 30 s). After a refresh at t the resolver
 * expires at t + 30 s and refreshes at the first union point after: for
 * P = 1 every 60 s, so the switch waits U(0, 60 s) instead of U(0, 30 s):
 * adds 15 s. For P > 1 the chain of refreshes has no simple stationary law;
 * the reference is the Monte Carlo mc_adds of exactly this model (P
 * uniform phases, the resolver's chain from a uniform start, the change
 * uniform, (last switch - change) - T/2): 53.1 s for P = 10 (its standard
 * error ~0.1 s), and it reproduces the Java closed form (checked).
 *
 * Tolerances: three standard errors of the paired differences over R
 * replications and of the Monte Carlo, plus 1 s for what the model
 * leaves out: at request fidelity a refetch is a request gap (~0.1 s)
 * after the runtime's expiry, so the grids drift and the lock can pass to
 * a close follower. Both fidelities agree within the tolerance of
 * test_aggregate_stores.c (10% of request fidelity's client RTO, RTO and
 * unavailability, or three standard errors).
 *
 * processes: 1 reproduces the numbers of the single runtime cache per
 * resolver exactly (recorded from commit 6fe0cf7, before this rule, with
 * the JSON output's 10 significant digits). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "scenario_run.h"

enum { R = 32 };

#define DRILL                                                                                  \
    "version: mrsim/v1\n"                                                                      \
    "seed: 5\n"                                                                                \
    "run: {horizon: 12m, warmup: 2m}\n"                                                        \
    "regions: [{name: a}, {name: b}]\n"                                                        \
    "rtt: {a-b: 18ms, default: 40ms}\n"                                                        \
    "clusters:\n"                                                                              \
    "  - {name: ca, region: a, nodes: {count: 10}, pods: {per_node: 10, rps_per_pod: 40}}\n"   \
    "  - {name: cb, region: b, role: standby, standby: hot, nodes: {count: 10},"               \
    " pods: {per_node: 10, rps_per_pod: 40}}\n"                                                \
    "traffic: {kind: traffic_manager, routing: priority, ttl: 30s,\n"                          \
    "  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3},\n"                         \
    "  endpoints: [{cluster: ca, priority: 1}, {cluster: cb, priority: 2}]}\n"                 \
    "resolvers: [{name: r, count: 20, ttl_policy: [{share: 1, mode: honor}]}]\n"               \
    "slo: {window: 10s, success_target: 0.95, stable_for: 60s}\n"                              \
    "clients: [{name: u, origin: a, resolver: r, rate: 2000/s, timeout: 2s,"                   \
    " retry: {attempts: 1}}]\n"                                                                \
    "faults:\n"                                                                                \
    "  - {name: out, kind: region_outage, target: a, at: 4m, duration: 6m}\n"

/* ---- the reference Monte Carlo (integer milliseconds: exact grids) ---- */

static uint64_t mc_state;

static uint64_t mc_next(void) /* splitmix64 */
{
    uint64_t z = (mc_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t mc_below(int64_t n)
{
    return (int64_t)(mc_next() % (uint64_t)n);
}

/* The first point at or after t of the grid phase + k h (any integer k). */
static int64_t grid_next(int64_t phase, int64_t h, int64_t t)
{
    int64_t d = t - phase, k = d >= 0 ? (d + h - 1) / h : -((-d) / h);
    return phase + k * h;
}

/* Mean and standard error over n trials of (last process's switch - the
 * authority's change) - T/2 for P processes of hold h (ms) in front of a
 * resolver honouring TTL T (ms). */
static void mc_adds(int P, int64_t h, int64_t T, int n, double *mean, double *se)
{
    int64_t ph[64];
    double s = 0, s2 = 0;
    mc_state = 20260613;
    for (int trial = 0; trial < n; trial++) {
        for (int m = 0; m < P; m++)
            ph[m] = mc_below(h);
        /* The resolver's chain of refreshes from a uniform start, far back. */
        int64_t t = INT64_MAX, start = -20 * h - mc_below(h);
        for (int m = 0; m < P; m++) {
            int64_t x = grid_next(ph[m], h, start);
            t = x < t ? x : t;
        }
        int64_t change = mc_below(3 * h);
        while (t < change) {
            int64_t next = INT64_MAX;
            for (int m = 0; m < P; m++) {
                int64_t x = grid_next(ph[m], h, t + T);
                next = x < next ? x : next;
            }
            t = next;
        }
        int64_t last = t;
        for (int m = 0; m < P; m++) {
            int64_t x = grid_next(ph[m], h, t);
            last = x > last ? x : last;
        }
        double d = (double)(last - change) / 1000 - (double)T / 2000;
        s += d;
        s2 += d * d;
    }
    *mean = s / n;
    *se = sqrt(fmax(0, s2 / n - *mean * *mean) / (n - 1));
}

Test(runtime_processes, the_monte_carlo_reproduces_the_closed_forms)
{
    /* Java's H (P - 1) / (P + 1) and Chrome's 15 s for one process; 20,000
     * trials: standard errors under 0.2 s, allowed four. */
    static const int ps[] = {1, 2, 10};
    for (int x = 0; x < 3; x++) {
        int P = ps[x];
        double m, se;
        mc_adds(P, 30000, 30000, 20000, &m, &se);
        double want = 30.0 * (P - 1) / (P + 1);
        cr_log_info("MC Java, %d processes: %.3f s (se %.3f), closed form %.3f", P, m, se, want);
        cr_expect(fabs(m - want) <= 4 * se + 1e-9, "Java, %d processes: %g vs %g", P, m, want);
    }
    double m, se;
    mc_adds(1, 60000, 30000, 20000, &m, &se);
    cr_expect(fabs(m - 15) <= 4 * se, "Chrome, one process: %g", m);
}

/* The paired difference of client RTO (this run minus the one without a
 * runtime cache): mean, standard error, and the replications. */
static void paired_adds(const mr_result *with, const mr_result *none, double *mean, double *se,
                        uint64_t *n)
{
    double s = 0, s2 = 0;
    *n = 0;
    for (uint64_t i = 0; i < R; i++) {
        double x = tsr_rep(with, i, MR_METRIC_CLIENT_RTO_S),
               y = tsr_rep(none, i, MR_METRIC_CLIENT_RTO_S);
        if (isnan(x) || isnan(y))
            continue;
        s += x - y;
        s2 += (x - y) * (x - y);
        (*n)++;
    }
    cr_assert_gt(*n, 2);
    *mean = s / (double)*n;
    *se = sqrt(fmax(0, s2 / (double)*n - *mean * *mean) / (double)(*n - 1));
}

static void run_drill(const char *fid, const char *cache, int processes, mr_result *out)
{
    char f[64], c[64], p[64];
    snprintf(f, sizeof f, "run.fidelity=%s", fid);
    snprintf(c, sizeof c, "clients[0].runtime_cache=%s", cache);
    snprintf(p, sizeof p, "clients[0].processes=%d", processes);
    const char *sets[] = {f, c, p};
    tsr_run(DRILL, sets, 3, R, out);
}

Test(runtime_processes, each_process_adds_its_refetch_to_client_rto, .timeout = 600)
{
    double mc_chrome, mc_chrome_se;
    mc_adds(10, 60000, 30000, 20000, &mc_chrome, &mc_chrome_se);
    cr_log_info("MC Chrome, 10 processes: %.3f s (se %.3f)", mc_chrome, mc_chrome_se);
    const double java10 = 30.0 * 9 / 11;
    mr_result res[2][5]; /* none, java 1, java 10, chrome 1, chrome 10 */
    static const char *const cache[] = {"none", "java", "java", "chrome", "chrome"};
    static const int procs[] = {1, 1, 10, 1, 10};
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 5; k++)
            run_drill(f ? "aggregate" : "request", cache[k], procs[k], &res[f][k]);
    for (int f = 0; f < 2; f++) {
        const char *fid = f ? "aggregate" : "request";
        static const char *const id[] = {NULL, "runtime_processes.java_1_process_adds",
                                         "runtime_processes.java_10_processes_add",
                                         "runtime_processes.chrome_1_process_adds",
                                         "runtime_processes.chrome_10_processes_add"};
        static const char *const what[] = {
            NULL, "client RTO a Java runtime cache adds, 1 process, TM 30 s/10 s/3, TTL 30 s",
            "client RTO a Java runtime cache adds, 10 processes, TM 30 s/10 s/3, TTL 30 s",
            "client RTO a Chrome runtime cache adds, 1 process, TM 30 s/10 s/3, TTL 30 s",
            "client RTO a Chrome runtime cache adds, 10 processes, TM 30 s/10 s/3, TTL 30 s"};
        static const char *const ref[] = {
            NULL, "closed form, rule 3: one runtime locked to its resolver: 0 s",
            "closed form, rule 3: H (P - 1) / (P + 1), the size-biased locked arc",
            "closed form, rule 3: the switch waits U(0, 60 s) not U(0, 30 s): +15 s",
            "Monte Carlo of rule 3 (P uniform grids, resolver chain), 20,000 trials"};
        const double want[] = {0, 0, java10, 15, mc_chrome};
        for (int k = 1; k < 5; k++) {
            double m, se;
            uint64_t n;
            paired_adds(&res[f][k], &res[f][0], &m, &se, &n);
            double mse = k == 4 ? mc_chrome_se : 0;
            mr_vcase c = {.id = id[k], .what = what[k], .reference = ref[k], .unit = "s",
                          .ref = want[k], .tol = 3 * sqrt(se * se + mse * mse) + 1};
            cr_log_info("%s %s: %.3f s (se %.3f), reference %.3f, tolerance %.3f", fid, id[k], m,
                        se, want[k], c.tol);
            mr_vcheck(&c, fid, m, m - 1.96 * se, m + 1.96 * se, n);
        }
    }
    /* Cross-fidelity, as test_aggregate_stores.c. */
    static const char *const drill[] = {NULL, "java-1", "java-10", "chrome-1", "chrome-10"};
    for (int k = 1; k < 5; k++) {
        const mr_summary *x = res[0][k].metrics, *y = res[1][k].metrics;
        tsr_close_rel(drill[k], "unavailability", &x[MR_METRIC_AVAILABILITY],
                      &y[MR_METRIC_AVAILABILITY], 0.10, 1e-5, 1);
        tsr_close_rel(drill[k], "rto_s", &x[MR_METRIC_RTO_S], &y[MR_METRIC_RTO_S], 0.10, 10, 0);
        tsr_close_rel(drill[k], "client_rto_s", &x[MR_METRIC_CLIENT_RTO_S],
                      &y[MR_METRIC_CLIENT_RTO_S], 0.10, 1, 0);
    }
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 5; k++)
            mr_result_fini(&res[f][k]);
}

/* processes: 1 is the single runtime cache per resolver of old: the same
 * draws, the same numbers (mrsim run of this drill at 200 requests/s, 4
 * replications, built from commit 6fe0cf7). */
Test(runtime_processes, one_process_keeps_the_old_numbers, .timeout = 300)
{
    static const struct {
        const char *fid, *cache;
        double availability, rto, client_rto;
    } old[] = {
        {"request", "java", 0.8738859997, 150, 136.0157235},
        {"request", "chrome", 0.8605091628, 177.5, 150.7120054},
        {"aggregate", "java", 0.8737881336, 147.5, 136.4753034},
        {"aggregate", "chrome", 0.8600235194, 177.5, 151.4506068},
    };
    for (int x = 0; x < 4; x++) {
        char f[64], c[64];
        snprintf(f, sizeof f, "run.fidelity=%s", old[x].fid);
        snprintf(c, sizeof c, "clients[0].runtime_cache=%s", old[x].cache);
        const char *sets[] = {f, c, "clients[0].processes=1", "clients[0].rate=200/s",
                              "run.horizon=20m", "run.warmup=2m", "faults[0].at=5m",
                              "faults[0].duration=10m"};
        mr_result r;
        tsr_run(DRILL, sets, 8, 4, &r);
        const mr_summary *m = r.metrics;
        cr_expect(fabs(m[MR_METRIC_AVAILABILITY].mean - old[x].availability) < 1e-9, "%s %s: %.10g",
                  old[x].fid, old[x].cache, m[MR_METRIC_AVAILABILITY].mean);
        cr_expect(fabs(m[MR_METRIC_RTO_S].mean - old[x].rto) < 1e-9 * old[x].rto, "%s %s: %.10g",
                  old[x].fid, old[x].cache, m[MR_METRIC_RTO_S].mean);
        cr_expect(fabs(m[MR_METRIC_CLIENT_RTO_S].mean - old[x].client_rto) <
                      1e-9 * old[x].client_rto,
                  "%s %s: %.10g", old[x].fid, old[x].cache, m[MR_METRIC_CLIENT_RTO_S].mean);
        mr_result_fini(&r);
    }
}

/* Bad input: a located error, never a crash. */
Test(runtime_processes, processes_below_one_is_a_located_error)
{
    char *path = tsr_write(DRILL);
    const char *sets[] = {"clients[0].processes=0"};
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_expect_eq(mr_scenario_load(path, sets, 1, mr_model_registry(), &sc, d), MR_ESCENARIO);
    cr_expect_null(sc);
    cr_assert_gt(mr_diag_count(d), 0);
    const char *want = "error: clients[0].processes: 0 is out of range [1, 1000]";
    cr_expect(strstr(mr_diag_line(d, 0), want) != NULL, "%s", mr_diag_line(d, 0));
    mr_diag_free(d);
    unlink(path);
    free(path);
}

/* Aggregate fidelity keeps one runtime view per (resolver, process): two
 * populations behind one resolver pool must agree on processes. */
Test(runtime_processes, aggregate_refuses_different_processes_behind_one_pool)
{
    char *path = tsr_write("version: mrsim/v1\n"
                           "run: {horizon: 1h, fidelity: aggregate}\n"
                           "regions: [{name: a}]\n"
                           "clusters: [{name: ca, region: a}]\n"
                           "traffic: {kind: traffic_manager, endpoints: [{cluster: ca}]}\n"
                           "resolvers: [{name: r, count: 10}]\n"
                           "clients: [{name: u, origin: a, resolver: r, rate: 10/s,"
                           " runtime_cache: java},\n"
                           "          {name: v, origin: a, resolver: r, rate: 10/s,"
                           " runtime_cache: java, processes: 4}]\n");
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    cr_expect_eq(mr_build_check(sc, d), MR_ESCENARIO);
    cr_assert_gt(mr_diag_count(d), 0);
    const char *line = mr_diag_line(d, mr_diag_count(d) - 1);
    cr_expect(strncmp(line, path, strlen(path)) == 0 && strstr(line, ":8:") != NULL &&
                  strstr(line, "another processes count") != NULL,
              "%s", line);
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
}
