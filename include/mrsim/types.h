/* include/mrsim/types.h: every opaque type of mrsim, declared once.
 * Query functions take const pointers to these; only the owning module sees
 * inside them. */
#ifndef MRSIM_TYPES_H
#define MRSIM_TYPES_H

typedef struct mr_sim mr_sim;             /* one replication's kernel: clock, queue, components */
typedef struct mr_component mr_component; /* an instance of a model, owned by the kernel */
typedef struct mr_model mr_model;         /* a component kind: a const method table */
typedef struct mr_event mr_event;         /* a dispatched event (a copy the handler reads) */
typedef struct mr_rng mr_rng;             /* one random stream over a GSL generator */
typedef struct mr_diag mr_diag;           /* a list of located diagnostics */
typedef struct mr_param mr_param;         /* one entry of a model's parameter table */
typedef struct mr_report mr_report;       /* what a component reports at the end of a run */

#endif
