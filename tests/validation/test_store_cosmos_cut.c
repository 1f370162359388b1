/* tests/validation/test_store_cosmos_cut.c: Cosmos DB bounded staleness
 * with its replication link cut (issue 13, disagreement 2; docs/model.md
 * rule 4: a cut link freezes applied for every consistency level, bounded
 * staleness throttles writes once K or T is exceeded, cut link or not, and
 * a forced failover during the cut loses what was not shipped).
 * Before, cosmos.c's applied() held the replica within T of now although
 * nothing was shipped (RPO 299 s and 298 lost writes below with T = 300 s)
 * and throttle() skipped cut links (no write was ever refused).
 *
 * The drill: one write region a, a replica in b, bounded staleness with
 * K = 100,000 (never reached here) and T; writes Poisson at w = 1/s
 * (10 requests/s, 10% writes) from clients of a; the link cut at
 * c = 30 min for 1 h; a forced failover to b at c + 900 s; 2 h in all.
 * At the cut the replica stands at p = c - l, l the realised lag (the
 * default lognormal(100ms, 0.8): well under a second).
 * - T = 300 s: writes are accepted until the frozen replica is T behind,
 *   at p + T, then throttled. The failover loses the writes of (p, p + T]:
 *   Poisson with mean w T = 300 (whatever l). RPO: the age at c + 900 of
 *   the first write after p, which is Exp(w) after p: 900 + l - 1/w on
 *   average, in [899, 900] (899.6 measured over 8 replications).
 *   Throttled: from p + T to the failover (600 + l s), then on b, whose
 *   link to a is cut from the failover on, from c + 900 + T to the end of
 *   the cut at c + 3600 (2,400 s): w (3,000 + l) writes of the 72,000
 *   requests, so availability 1 - 3000/72000 = 0.958333 (+ l/72000).
 * - T = 1200 s: no throttle before the failover (900 s < T), so every
 *   write since p is lost: Poisson with mean w (900 + l) = 900.1, RPO as
 *   above; the audit's "about 899 s and 900 writes". Throttled on b from
 *   c + 900 + 1200 to c + 3600: 1,500 s, availability 1 - 1500/72000 =
 *   0.979167.
 * Both fidelities (aggregate: the hub is woken at the instant the bound is
 * passed, cosmos.c agg_wakes). Tolerances: 3 standard errors of the mean
 * over the replications (Poisson counts: sd sqrt(300) = 17 and 30; the RPO
 * spreads like Exp(1): sd ~ 1 s) plus l's share (0.2 writes, 1e-5). */
#include <criterion/criterion.h>
#include <math.h>

#include "scenario_run.h"
#include "mrsim/model.h"

static const char *const cut_drill =
    "version: mrsim/v1\n"
    "run: {horizon: 2h}\n"
    "regions: [{name: a}, {name: b}]\n"
    "rtt: {a-b: 10ms, default: 10ms}\n"
    "clusters: [{name: ca, region: a, nodes: {count: 4}, service_time: 5ms}]\n"
    "traffic: {kind: dns, endpoints: [{cluster: ca, priority: 1}]}\n"
    "resolvers: [{name: r, count: 10}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 10/s, mix: {read: 0.9, write: 0.1},"
    " timeout: 2s, uses: [orders]}]\n"
    "datastores:\n"
    "  - {name: orders, kind: cosmos, regions: [a, b], write_regions: [a],"
    " consistency: bounded, bounded: {versions: 100000, time: 300s}}\n"
    "faults:\n"
    "  - {name: cut, kind: replication_partition, target: orders, at: 30m, duration: 1h}\n"
    "  - {name: fo, kind: datastore_failover, target: orders, start_after: cut, delay: 900s,"
    " params: {mode: forced}}\n";

static void within(const char *what, const mr_summary *s, double expect, double slack)
{
    double se = s->sd / sqrt((double)s->n);
    cr_expect(fabs(s->mean - expect) <= 3 * se + slack, "%s: %g +/- %g (se), expected %g", what,
              s->mean, se, expect);
}

/* The validation table's row for a drill's lost writes. */
static void row(const char *bound, const char *fidelity, const mr_summary *s, double expect)
{
    int t300 = strstr(bound, "=300s") != NULL;
    mr_vcase vc = {.id = t300 ? "store_cosmos_cut.bounded_t300_lost_writes"
                              : "store_cosmos_cut.bounded_t1200_lost_writes",
                   .what = t300 ? "Cosmos bounded staleness (T 300 s), link cut, forced failover 900 s later: lost writes"
                                : "Cosmos bounded staleness (T 1200 s), link cut, forced failover 900 s later: lost writes",
                   .reference = t300 ? "closed form, rule 4: writes throttle once T is passed: w T = 300"
                                     : "closed form, rule 4: every write since the cut: w x 900 s",
                   .unit = "writes", .ref = expect, .tol = 3 * s->sd / sqrt((double)s->n) + 0.2};
    mr_vcheck(&vc, strstr(fidelity, "aggregate") ? "aggregate" : "request", s->mean, s->ci_lo,
              s->ci_hi, s->n);
}

static void drill(const char *bound, const char *fidelity, double lost, double avail)
{
    const char *sets[] = {bound, fidelity};
    mr_result r;
    tsr_run(cut_drill, sets, 2, 20, &r);
    char what[160];
    snprintf(what, sizeof what, "%s %s lost_writes", bound, fidelity);
    row(bound, fidelity, &r.metrics[MR_METRIC_LOST_WRITES], lost);
    snprintf(what, sizeof what, "%s %s rpo_s", bound, fidelity);
    const mr_summary *rpo = &r.metrics[MR_METRIC_RPO_S];
    double se = rpo->sd / sqrt((double)rpo->n);
    cr_expect(rpo->mean >= 899 - 3 * se && rpo->mean <= 900 + 3 * se,
              "%s: %g +/- %g (se), expected in [899, 900]", what, rpo->mean, se);
    snprintf(what, sizeof what, "%s %s availability", bound, fidelity);
    within(what, &r.metrics[MR_METRIC_AVAILABILITY], avail, 2e-5);
    mr_result_fini(&r);
}

Test(store_cosmos_cut, bounded_throttles_once_t_is_passed_and_a_forced_failover_loses_t_of_writes,
     .timeout = 300)
{
    const char *bound = "datastores[0].bounded.time=300s";
    drill(bound, "run.fidelity=request", 300, 1 - 3000.0 / 72000);
    drill(bound, "run.fidelity=aggregate", 300, 1 - 3000.0 / 72000);
}

Test(store_cosmos_cut, bounded_with_t_beyond_the_cut_loses_every_write_since_the_cut,
     .timeout = 300)
{
    const char *bound = "datastores[0].bounded.time=1200s";
    drill(bound, "run.fidelity=request", 900.1, 1 - 1500.0 / 72000);
    drill(bound, "run.fidelity=aggregate", 900.1, 1 - 1500.0 / 72000);
}
