/* tests/support/validation.h: the rows of the validation table
 * (docs/validation.md, `make validate-model`). A validation test states
 * each case once, with its reference and how it was derived, and checks
 * what mrsim measured at each fidelity through mr_vcheck: the check is a
 * Criterion expectation, and when MRSIM_VALIDATION_OUT names a file the
 * row is appended to it as one line of tab-separated fields, which
 * tools/validation-table.sh turns into the table. */
#ifndef MRSIM_TESTS_VALIDATION_H
#define MRSIM_TESTS_VALIDATION_H

#include <stdint.h>

typedef struct mr_vcase {
    const char *id;        /* unique across tests/validation: "file.case" */
    const char *what;      /* the behaviour, in a few words */
    const char *reference; /* how the reference was derived: "closed form, rule 1: ..." */
    const char *unit;      /* of ref, tol and the measurements: "s", "ratio", "writes" */
    double ref;            /* the reference value */
    double tol;            /* |measured - ref| allowed, justified in the test's comment */
} mr_vcase;

/* Checks mean against c->ref within c->tol and records the row of one
 * fidelity ("request", "aggregate" or "exact" for a deterministic check):
 * mean and its 95% interval [lo, hi] (NaN when there is none), over n
 * replications or samples. Returns 1 when it agrees. */
int mr_vcheck(const mr_vcase *c, const char *fidelity, double mean, double lo, double hi,
              uint64_t n);

/* Records a row without checking it (a reference measured by mrsim
 * itself, such as request fidelity's value in a cross-fidelity case). */
void mr_vrecord(const mr_vcase *c, const char *fidelity, double mean, double lo, double hi,
                uint64_t n, int ok);

/* The same for a sample: its mean and a t interval (NaN below 2 values). */
int mr_vcheck_sample(const mr_vcase *c, const char *fidelity, const double *x, uint64_t n);

/* The same from a sample's mean and standard deviation. */
int mr_vcheck_sample_stats(const mr_vcase *c, const char *fidelity, double mean, double sd,
                           uint64_t n);

#endif
