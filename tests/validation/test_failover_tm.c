/* tests/validation/test_failover_tm.c: an active/passive failover behind
 * Traffic Manager against the closed forms of docs/model.md rules 1 and 3.
 *
 * Set-up: two regions; the active cluster in region 0 fails at f = 300 s for
 * the rest of the run; priority routing to the standby; probes every
 * I = 30 s with timeout T = 10 s and k = 3 tolerated failures; TTL 30 s; one
 * attempt per request, 2,000 requests/s spread over 50 resolvers (40/s each,
 * so a resolver's next request is ~25 ms away).
 *
 * Rule 1: the first probe sent at or after f goes out at f + U, U uniform on
 * [0, I) because the probe phase is uniform and independent of f; it fails
 * at its timeout and so do the next k, so the endpoint turns Degraded at
 *   D = U + k I + T, uniform on [100 s, 130 s).
 * This is checked exactly, in every replication.
 *
 * Rule 3: a resolver honouring the TTL refreshes on a grid of period TTL
 * whose phase is uniform (caches start in steady state); the first refresh
 * after f + D comes a residual R later, R uniform on [0, TTL), independent
 * of D. Its clients' first failing request is issued right after f (within
 * ~25 ms) and the next success completes right after f + D + R (within one
 * request gap plus the request's latency, ~60 ms). So
 *   client RTO - D = R + e,  R ~ U[0, 30 s),  0 < e < 0.2 s mostly.
 * Over 20 replications x 50 resolvers = 1,000 samples, the mean of R is
 * 15 s with standard error 30 / sqrt(12 x 1000) = 0.27 s: the test allows
 * 15 + 0.1 +/- 1.1 s (4 standard errors, plus the small positive e);
 * quantiles q of R are 30 q, checked within 2 s (the standard error of a
 * sample quantile of 1,000 uniforms is under 0.5 s).
 * With every resolver holding at least 300 s (a TTL floor), R becomes
 * uniform on [0, 300 s): mean 150 s (standard error 2.7 s, allowed 11 s),
 * p90 270 s: the tail moves as predicted. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "clients.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "validation.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "mrsim/error.h"
#include "mrsim/report.h"

enum { RESOLVERS = 50, REPS = 20 };
enum { ID_WEU, ID_NEU, ID_AKS_WEU, ID_AKS_NEU, ID_TM, ID_RES, ID_SLO, ID_CLIENTS, ID_FAULTS };

static void add(mr_sim *sim, const char *kind, const char *name, const void *cfg, uint32_t id)
{
    mr_diag *d = mr_diag_new();
    mr_component *c = NULL;
    int rc = mr_sim_add(sim, mr_model_find(kind), name, cfg, d, &c);
    cr_assert_eq(rc, MR_OK, "%s: %s", name, mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    cr_assert_eq(c->id, id);
    mr_diag_free(d);
}

/* Builds and starts the failover drill; floor_ttl > 0 makes every resolver
 * hold answers at least that long. */
static mr_sim *build(uint64_t rep, mr_time floor_ttl, mr_time horizon)
{
    mr_sim *sim = mr_sim_new(7, rep);
    mr_sim_set_horizon(sim, horizon);
    mr_region_cfg region = {.index = 0, .zones = 3, .faults = ID_FAULTS};
    add(sim, "region", "westeurope", &region, ID_WEU);
    region.index = 1;
    add(sim, "region", "northeurope", &region, ID_NEU);
    mr_cluster_cfg cl = {.region = ID_WEU, .faults = ID_FAULTS, .pods = 200, .rps_per_pod = 40, .ingress = -1};
    mr_dist_lognormal(&cl.service_time, 25e6, 0.5);
    add(sim, "cluster", "aks-weu", &cl, ID_AKS_WEU);
    cl.region = ID_NEU;
    add(sim, "cluster", "aks-neu", &cl, ID_AKS_NEU);
    mr_tm_cfg tm = {.base = {.n = 2, .cluster = {ID_AKS_WEU, ID_AKS_NEU}, .priority = {1, 2},
                             .weight = {1, 1}, .watcher = -1, .faults = ID_FAULTS},
                    .routing = MR_ROUTING_PRIORITY, .interval = 30 * MR_S,
                    .timeout = 10 * MR_S, .tolerated = 3, .ttl = 30 * MR_S};
    add(sim, "traffic_manager", "tm", &tm, ID_TM);
    mr_resolver_cfg res = {.tm = ID_TM, .count = RESOLVERS, .faults = -1, .npol = 0};
    if (floor_ttl > 0) {
        res.npol = 1;
        res.pol[0] = (mr_ttl_policy){.share = 1, .mode = MR_TTL_FLOOR, .min_ttl = floor_ttl};
    }
    add(sim, "resolver", "isp", &res, ID_RES);
    mr_slo_cfg slo = {.window = 10 * MR_S, .warmup = 60 * MR_S, .horizon = horizon,
                      .stable_for = 60 * MR_S, .success_target = 0.99, .resolvers = RESOLVERS};
    add(sim, "slo", "slo", &slo, ID_SLO);
    mr_clients_cfg cli = {.resolver = ID_RES, .slo = ID_SLO, .faults = ID_FAULTS, .rate = 2000, .read = 0.9,
                          .timeout = 2 * MR_S, .attempts = 1, .rtt = {5 * MR_MS, 20 * MR_MS}};
    mr_dist_const(&cli.backoff, 0);
    add(sim, "clients", "users", &cli, ID_CLIENTS);
    mr_faults_cfg faults = {.slo = ID_SLO, .n = 1};
    faults.f[0] = (mr_fault_cfg){.kind = 0, .ncand = 1, .cand = {ID_WEU}, .pick = 1, .severity = 1, .timing = MR_FT_AT};
    mr_dist_const(&faults.f[0].at, (double)(300 * MR_S));
    mr_dist_const(&faults.f[0].duration, (double)(10 * MR_H));
    add(sim, "faults", "faults", &faults, ID_FAULTS);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_start(sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    mr_diag_free(d);
    return sim;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs REPS replications; returns the residuals R = client RTO - D, sorted. */
static double *residuals(mr_time floor_ttl, mr_time horizon, size_t *n, double *detect)
{
    double *r = malloc(REPS * RESOLVERS * sizeof *r);
    *n = 0;
    for (uint64_t rep = 0; rep < REPS; rep++) {
        mr_sim *sim = build(rep, floor_ttl, horizon);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
        const mr_tm_state *tm = mr_sim_component(sim, ID_TM)->state;
        cr_assert(tm->degraded[0], "the failed endpoint is Degraded");
        double D = mr_time_to_s(tm->changed_at[0]) - 300;
        cr_assert(D >= 100 && D < 130, "rule 1: detection %.3f s not in [100, 130)", D);
        detect[rep] = D;
        cr_assert(!tm->degraded[1]);
        /* The collector's per-resolver samples are not kept one by one; rerun
         * the rule from its tally: n, mean and the histogram. */
        const mr_slo_state *slo = mr_sim_component(sim, ID_SLO)->state;
        cr_assert_eq(slo->client_rto_s.n, RESOLVERS, "every resolver recovered once");
        const mr_hist *h = &slo->client_rto_hist;
        cr_assert(mr_hist_is_exact(h));
        for (size_t i = 0; i < h->n_exact; i++)
            r[(*n)++] = h->exact[i] - D;
        mr_report *rep_out = mr_report_new();
        mr_sim_report(sim, rep_out);
        double avail = mr_report_find(rep_out, "", "availability");
        cr_assert(avail > 0.5 && avail < 1, "availability %f", avail);
        mr_report_free(rep_out);
        cr_assert_eq(mr_sim_free(sim), MR_OK);
    }
    qsort(r, *n, sizeof *r, cmp_double);
    return r;
}

static double quantile(const double *sorted, size_t n, double q)
{
    return sorted[(size_t)(q * (double)(n - 1) + 0.5)];
}

Test(failover_tm, detection_and_client_rto_match_rules_1_and_3, .timeout = 300)
{
    size_t n;
    double detect[REPS];
    double *r = residuals(0, 600 * MR_S, &n, detect);
    cr_assert(r[0] > -0.1, "a client recovered before its resolver could know: %f", r[0]);
    cr_assert(r[n - 1] < 30.5, "a residual beyond the TTL: %f", r[n - 1]);
    /* D uniform on [100, 130): mean 115 s, standard error of 20 draws
     * 30 / sqrt(12 x 20) = 1.9 s; 4 standard errors allowed. */
    static const mr_vcase detection = {
        .id = "failover_tm.detection",
        .what = "Traffic Manager detection of a failed endpoint (probes 30 s, timeout 10 s, 3 tolerated)",
        .reference = "closed form, rule 1: U + k I + T, U ~ U[0, I): mean 115 s",
        .unit = "s", .ref = 115, .tol = 7.8};
    mr_vcheck_sample(&detection, "request", detect, REPS);
    static const mr_vcase residual = {
        .id = "failover_tm.client_rto_residual",
        .what = "client RTO minus detection behind Traffic Manager, TTL 30 s",
        .reference = "closed form, rule 3: residual TTL ~ U[0, 30 s) + ~0.1 s of request gaps: mean 15.1 s",
        .unit = "s", .ref = 15.1, .tol = 1.1};
    mr_vcheck_sample(&residual, "request", r, n);
    for (double q = 0.1; q < 0.95; q += 0.2)
        cr_assert(fabs(quantile(r, n, q) - 30 * q) < 2, "q%.0f residual %.2f s, expected %.2f",
                  100 * q, quantile(r, n, q), 30 * q);
    free(r);
}

Test(failover_tm, a_ttl_floor_moves_the_tail_as_predicted, .timeout = 300)
{
    size_t n;
    double detect[REPS];
    double *r = residuals(300 * MR_S, 900 * MR_S, &n, detect);
    cr_assert(r[n - 1] < 300.5, "a residual beyond the floor: %f", r[n - 1]);
    static const mr_vcase held = {
        .id = "failover_tm.ttl_floor_residual",
        .what = "client RTO minus detection when resolvers hold answers 300 s (a TTL floor)",
        .reference = "closed form, rule 3: residual ~ U[0, 300 s): mean 150 s",
        .unit = "s", .ref = 150, .tol = 11};
    mr_vcheck_sample(&held, "request", r, n);
    cr_assert(fabs(quantile(r, n, 0.9) - 270) < 15, "p90 residual %.1f s, expected 270 s",
              quantile(r, n, 0.9));
    free(r);
}
