/* sim/run/verdict.h: private to sim/run: the columns of a replication's row
 * that the SLO verdicts, the error budget and the steady state read, and
 * the functions that turn the rows into verdicts. The columns follow the
 * ones run.c lays out for itself, starting at x0. */
#ifndef MRSIM_RUN_VERDICT_H
#define MRSIM_RUN_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "run/result.h"
#include "config/scenario.h"

typedef struct mr__slo_cols {
    size_t x0, nfaults;
} mr__slo_cols;

/* Per fault: the worst RTO and RPO of its episodes in the replication (NaN:
 * no episode; INF for the RTO of an episode that never recovered), and the
 * downtime inside its episodes (NaN: no episode). */
static inline size_t mr__col_fault_max_rto(mr__slo_cols c, size_t f)
{
    return c.x0 + 3 * f;
}
static inline size_t mr__col_fault_max_rpo(mr__slo_cols c, size_t f)
{
    return c.x0 + 3 * f + 1;
}
static inline size_t mr__col_fault_downtime(mr__slo_cols c, size_t f)
{
    return c.x0 + 3 * f + 2;
}
/* The replication: its worst episode RTO (likewise), availability and
 * latency p99 (ms) of the warm-up. */
static inline size_t mr__col_rep_max_rto(mr__slo_cols c)
{
    return c.x0 + 3 * c.nfaults;
}
static inline size_t mr__col_warm_availability(mr__slo_cols c)
{
    return c.x0 + 3 * c.nfaults + 1;
}
static inline size_t mr__col_warm_latency_ms_p99(mr__slo_cols c)
{
    return c.x0 + 3 * c.nfaults + 2;
}
static inline size_t mr__slo_ncols(mr__slo_cols c)
{
    return c.x0 + 3 * c.nfaults + 3;
}

/* The error budget of one episode in seconds: 30 days x (1 - A), A the
 * availability target, or slo.success_target without one; NaN when A is 1
 * (no budget: a share would divide by zero). */
double mr__budget_s(const mr_scenario *sc);

/* Fills out's slo, steady, episodes' expect and budget_share from the reps
 * rows of ncols columns (the episodes array must exist). */
void mr__fill_verdicts(const mr_scenario *sc, const double *rows, uint64_t reps, size_t ncols,
                       mr__slo_cols c, mr_result *out);

#endif
