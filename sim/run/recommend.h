/* sim/run/recommend.h: the search of `mrsim recommend` (docs/recommend.md):
 * the candidates of a scenario's `recommend:` space, a screen of each at
 * aggregate fidelity, then sequential confirmation of the survivors in
 * order of cost, with common random numbers, Clopper-Pearson and t bounds
 * Bonferroni-corrected over objectives and looks, and elimination of the
 * candidates that are infeasible or can no longer be one of the three
 * options. Deterministic: the same seed and replication budget give the
 * same result at any --jobs and rank count. */
#ifndef MRSIM_RUN_RECOMMEND_H
#define MRSIM_RUN_RECOMMEND_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "config/scenario.h"
#include "mrsim/diag.h"
#include "run/build.h"

/* A candidate's state at the end of the search. */
typedef enum mr_rec_state {
    MR_REC_UNSEEN = 0,  /* never run: the budget ended first */
    MR_REC_FEASIBLE,    /* every objective shown met at the confidence */
    MR_REC_INFEASIBLE,  /* an objective shown missed (at the screen or a stage) */
    MR_REC_DOMINATED,   /* could no longer be an option: costlier than the cheapest
                           feasible's margin, with no fewer changes */
    MR_REC_UNDECIDED,   /* still open at the most replications a candidate gets, or
                           when the budget ended during its stages */
} mr_rec_state;

/* "feasible", ... */
const char *mr_rec_state_name(mr_rec_state s);

/* An objective's verdict on one candidate's replications. */
typedef struct mr_rec_verdict {
    uint64_t n;     /* replications that gave a value */
    double est;     /* the share meeting the bound (.pQ), or the mean */
    double lo, hi;  /* its one-sided bounds at the corrected level */
    int verdict;    /* +1 met, -1 missed, 0 open; -2 no value at all (counts as missed) */
} mr_rec_verdict;

typedef struct mr_rec_cand {
    size_t *idx;         /* value index per key; SIZE_MAX: the key keeps the base's value */
    char **sets;         /* "PATH=VALUE" of the keys it varies, in key order */
    size_t nsets;
    size_t nchanged;     /* keys whose value differs from the base scenario's */
    unsigned char *changed; /* per key: 1 when it differs from the base's */
    mr_rec_state state;
    int binding;         /* the objective that ruled it out (INFEASIBLE), else -1 */
    int screened_out;    /* ruled out by the screen (aggregate fidelity) */
    int screen_skipped;  /* aggregate fidelity refused it: not screened */
    uint64_t screen_n;   /* screen replications (rows in screen_rows) */
    double *screen_rows; /* screen_n x MR_METRIC_COUNT */
    uint64_t n;          /* confirmation replications (rows in rows) */
    double *rows;        /* n x MR_METRIC_COUNT */
    double cost;         /* the mean of the minimised metric, latest fidelity seen */
    mr_rec_verdict *v;   /* per objective, on the latest rows (confirm, else screen) */
} mr_rec_cand;

typedef struct mr_rec_opts {
    uint64_t seed;
    int seed_set;             /* 0: the scenario's */
    int jobs;                 /* threads per run, >= 1 */
    uint64_t budget_reps;     /* 0: no replication budget */
    double budget_s;          /* 0: no time budget (wall clock: not reproducible) */
    const char *const *sets;  /* --set overrides applied to the base and every candidate */
    size_t nsets;
    mr_kinds kinds;           /* mr_model_registry() */
    const atomic_int *stop;   /* SIGINT */
    /* Optional: candidates still to decide, of all, after each stage. */
    void (*progress)(void *ctx, size_t left, size_t total, uint64_t reps);
    void *progress_ctx;
    /* Optional, before each run: may set opts' on_rep (the results
     * database); label is the candidate's "k=v; k=v" and fidelity's name. */
    void (*before_run)(void *ctx, mr_run_opts *opts, const mr_scenario *sc, const char *label);
    void *before_run_ctx;
} mr_rec_opts;

typedef struct mr_rec_result {
    mr_scenario *base;        /* the file with --set, owned */
    const mr_sc_recommend *rec; /* base->recommend */
    size_t ncand;
    mr_rec_cand *cands;       /* in the space's order */
    uint64_t seed;
    double alpha_look;        /* each test's level: (1 - confidence) / (objectives x looks) */
    uint64_t looks;           /* confirmation stages a candidate may get */
    uint64_t n_max;           /* the most confirmation replications a candidate gets */
    uint64_t n_exhaustive;    /* per candidate, one look at (1 - confidence) / objectives */
    uint64_t reps_screen, reps_confirm;
    int budget_hit;           /* the budget ended the search */
    double wall_s;
    size_t cheapest, best_recovery, fewest; /* options; SIZE_MAX: none */
    size_t *ruled_out;        /* per objective: candidates it ruled out */
    size_t closest[3];        /* when none is feasible: the closest, SIZE_MAX padded */
    int binding;              /* when none is feasible: the objective ruling out most */
} mr_rec_result;

/* Searches the `recommend:` space of the scenario in file. MR_OK with out
 * filled (free with mr_rec_result_fini), MR_ESCENARIO when the file has no
 * section or a candidate is invalid (diagnostics name it), MR_EINTR when
 * stopped, or a run's error. */
int mr_rec_search(const char *file, const mr_rec_opts *o, mr_rec_result *out, mr_diag *diag);
void mr_rec_result_fini(mr_rec_result *r);

/* The candidate's changes, "k=v; k=v" ("(the base)" for none); caller frees. */
char *mr_rec_label(const mr_rec_cand *c);

/* The confirmation replications needed to show .pQ objectives met with no
 * miss at level alpha: ceil(ln alpha / ln q), at least floor_n (exposed
 * for the tests). */
uint64_t mr_rec_n_needed(const mr_sc_recommend *rec, double alpha, uint64_t floor_n);

/* An objective's verdict on n rows of MR_METRIC_COUNT values at level
 * alpha (exposed for the tests). */
void mr_rec_judge(const mr_sc_rec_objective *ob, const double *rows, uint64_t n, double alpha,
                  mr_rec_verdict *out);

#endif
