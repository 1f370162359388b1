/* sim/run/verdict.c: SLO verdicts, fault expectations, the steady state and
 * the error budget, from the rows of every replication. A verdict is the
 * share of replications whose value meets the limit (p_met) and whether it
 * reaches slo.confidence (docs/model.md "SLO verdict"). A replication without
 * a value (no request, no episode) is left out of p_met; with none left the
 * verdict is not evaluable and says why, never a pass. */
#include <math.h>
#include <stdlib.h>

#include "mrsim/alloc.h"
#include "mrsim/simtime.h"
#include "verdict.h"

/* The error-budget period: the 30-day month of SLO practice (Google SRE
 * book, "Embracing risk"; OpenSLO's rolling 30d window), as the task of
 * budget_share defines it; not an Azure figure. */
#define BUDGET_PERIOD_S (30.0 * 86400.0)

double mr__budget_s(const mr_scenario *sc)
{
    double a = isnan(sc->slo.targets.availability) ? sc->slo.success_target
                                                   : sc->slo.targets.availability;
    double budget = BUDGET_PERIOD_S * (1 - a);
    return budget > 0 ? budget : NAN;
}

static void not_evaluable(mr_verdict *v, const char *target, double limit, const char *why)
{
    *v = (mr_verdict){.target = target, .limit = limit, .reason = why, .p_met = NAN};
}

/* Values at rows[i * ncols + col] divided by div; met when >= limit (up) or
 * <= limit. */
static void evaluate(mr_verdict *v, const char *target, double limit, int up, double div,
                     const double *rows, uint64_t reps, size_t ncols, size_t col,
                     double confidence, const char *why_none)
{
    uint64_t n = 0, met = 0;
    for (uint64_t i = 0; i < reps; i++) {
        double x = rows[i * ncols + col];
        if (isnan(x))
            continue;
        x /= div;
        n++;
        met += up ? x >= limit : x <= limit;
    }
    if (n == 0) {
        not_evaluable(v, target, limit, why_none);
        return;
    }
    *v = (mr_verdict){.target = target, .limit = limit, .evaluable = 1, .n = n};
    v->p_met = (double)met / (double)n;
    v->met = v->p_met >= confidence;
}

void mr__fill_verdicts(const mr_scenario *sc, const double *rows, uint64_t reps, size_t ncols,
                       mr__slo_cols c, mr_result *out)
{
    const double conf = sc->slo.confidence;
    const mr_sc_slo_targets *t = &sc->slo.targets;
    out->slo_confidence = conf;
    out->nslo = 0;
    if (t->rto != MR_SC_UNSET)
        evaluate(&out->slo[out->nslo++], "rto", mr_time_to_s(t->rto), 0, 1, rows, reps, ncols,
                 mr__col_rep_max_rto(c), conf, "no fault episode in any replication");
    if (t->rpo != MR_SC_UNSET) {
        if (sc->ndatastores == 0)
            not_evaluable(&out->slo[out->nslo++], "rpo", mr_time_to_s(t->rpo), "no data store");
        else
            evaluate(&out->slo[out->nslo++], "rpo", mr_time_to_s(t->rpo), 0, 1, rows, reps,
                     ncols, MR_METRIC_RPO_S, conf, "no forced failover measured");
    }
    if (!isnan(t->availability))
        evaluate(&out->slo[out->nslo++], "availability", t->availability, 1, 1, rows, reps,
                 ncols, MR_METRIC_AVAILABILITY, conf, "no request measured");
    if (t->latency_p99 != MR_SC_UNSET)
        evaluate(&out->slo[out->nslo++], "latency_p99", mr_time_to_s(t->latency_p99), 0, 1e3,
                 rows, reps, ncols, MR_METRIC_LATENCY_MS_P99, conf, "no successful request");

    /* The steady state is the warm-up: without one there is nothing to check. */
    const mr_sc_slo_targets *s = &sc->slo.steady_state;
    const int warm = sc->run.warmup > 0;
    const char *nowarm = "no warm-up (run.warmup is 0): the steady state cannot be checked";
    const char *faultonly = "measured on fault episodes, not on the warm-up";
    out->nsteady = 0;
    if (!isnan(s->availability)) {
        if (warm)
            evaluate(&out->steady[out->nsteady++], "availability", s->availability, 1, 1, rows,
                     reps, ncols, mr__col_warm_availability(c), conf,
                     "no request in the warm-up");
        else
            not_evaluable(&out->steady[out->nsteady++], "availability", s->availability, nowarm);
    }
    if (s->rto != MR_SC_UNSET)
        not_evaluable(&out->steady[out->nsteady++], "rto", mr_time_to_s(s->rto),
                      warm ? faultonly : nowarm);
    if (s->rpo != MR_SC_UNSET)
        not_evaluable(&out->steady[out->nsteady++], "rpo", mr_time_to_s(s->rpo),
                      warm ? faultonly : nowarm);
    if (s->latency_p99 != MR_SC_UNSET) {
        if (warm)
            evaluate(&out->steady[out->nsteady++], "latency_p99", mr_time_to_s(s->latency_p99),
                     0, 1e3, rows, reps, ncols, mr__col_warm_latency_ms_p99(c), conf,
                     "no successful request in the warm-up");
        else
            not_evaluable(&out->steady[out->nsteady++], "latency_p99",
                          mr_time_to_s(s->latency_p99), nowarm);
    }

    const double budget = mr__budget_s(sc);
    double *share = mr_xmalloc((reps ? reps : 1) * sizeof *share);
    for (size_t f = 0; f < sc->nfaults && f < out->nepisodes; f++) {
        mr_episode_result *ep = &out->episodes[f];
        const mr_sc_fault *sf = &sc->faults[f];
        ep->nexpect = 0;
        if (sf->expect_rto != MR_SC_UNSET)
            evaluate(&ep->expect[ep->nexpect++], "rto", mr_time_to_s(sf->expect_rto), 0, 1,
                     rows, reps, ncols, mr__col_fault_max_rto(c, f), conf,
                     "no episode of this fault in any replication");
        if (sf->expect_rpo != MR_SC_UNSET) {
            if (sc->ndatastores == 0)
                not_evaluable(&ep->expect[ep->nexpect++], "rpo", mr_time_to_s(sf->expect_rpo),
                              "no data store");
            else
                evaluate(&ep->expect[ep->nexpect++], "rpo", mr_time_to_s(sf->expect_rpo), 0, 1,
                         rows, reps, ncols, mr__col_fault_max_rpo(c, f), conf,
                         "no RPO measured in this fault's episodes");
        }
        for (uint64_t i = 0; i < reps; i++)
            share[i] = rows[i * ncols + mr__col_fault_downtime(c, f)] / budget;
        mr_summarize_in(share, reps, 1, MR_RANGE_NONNEG, &ep->budget_share);
    }
    free(share);
}
