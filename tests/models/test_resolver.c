/* tests/models/test_resolver.c: resolvers start in steady state (rule 3).
 * A resolver that holds each answer for L = TTL + H (an extra hold H drawn
 * at every refresh) is, at a time far from its start, in the cycle that
 * spans that time: a length-biased cycle, so the remaining lifetime has
 * mean E[L^2] / (2 E[L]), not E[L] / 2. With H lognormal (median m, sigma s):
 * E[H] = m e^{s^2/2}, E[H^2] = m^2 e^{2 s^2}. */
#include <math.h>

#include "clients.h"
#include "mrsim/model.h"
#include "cluster.h"
#include "fault_set.h"
#include "resolver.h"
#include "slo.h"
#include "traffic.h"
#include "mrsim/cfg/failover.h"
#include "config/scenario.h"
#include "scenario_run.h"

static const char *const pool =
    "version: mrsim/v1\n"
    "run: {horizon: 1h}\n"
    "regions: [{name: a}]\n"
    "clusters: [{name: ca, region: a}]\n"
    "traffic: {kind: traffic_manager, ttl: 20s}\n"
    "resolvers: [{name: r, count: 20000, ttl_policy: [{share: 1, mode: extra,"
    " hold: lognormal(5m, 1.0)}]}]\n"
    "clients: [{name: u, origin: a, resolver: r, rate: 0/s}]\n";

Test(resolver, extra_holds_start_with_a_length_biased_residual)
{
    char *path = tsr_write(pool);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    cr_assert_eq(mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d), MR_OK);
    mr_sim *sim = NULL;
    cr_assert_eq(mr_build(sc, 3, 0, &sim, d), MR_OK, "%s", mr_diag_count(d) ? mr_diag_line(d, 0) : "");
    const mr_resolver_state *st = mr_sim_find(sim, "resolvers/r")->state;
    double sum = 0, sum2 = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        double x = mr_time_to_s(st->expiry[i]);
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / n, sd = sqrt(sum2 / n - mean * mean);
    double m = 300, s = 1.0, ttl = 20;
    double eh = m * exp(s * s / 2), eh2 = m * m * exp(2 * s * s);
    double el = ttl + eh, el2 = ttl * ttl + 2 * ttl * eh + eh2;
    double expect = el2 / (2 * el);
    /* 4.4 standard errors: a 1e-5 false alarm; the naive E[L]/2 (257 s) is
     * far outside (expect is 577 s). */
    cr_expect(fabs(mean - expect) < 4.4 * sd / sqrt(n), "mean residual %g s, expected %g s",
              mean, expect);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    mr_scenario_free(sc);
    mr_diag_free(d);
    unlink(path);
    free(path);
}
