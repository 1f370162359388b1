/* sim/run/relay.h: private to the runner: a finished replication's view
 * (mr_rep_view) as bytes, so that under MPI a rank other than 0 can send
 * what the sink (the results database) needs to rank 0, which alone writes
 * it (run.c, replicate.c). */
#ifndef MRSIM_RUN_RELAY_H
#define MRSIM_RUN_RELAY_H

#include <stddef.h>

#include "run/build.h"

/* The view as bytes (allocated; *len receives their number): everything
 * the hook may read except sc and fault_targets, which rank 0 has. */
unsigned char *mr__view_pack(const mr_rep_view *v, size_t *len);

/* Rebuilds the view of bytes mr__view_pack wrote, with rank 0's scenario
 * and fault targets, and passes it to hook. Returns the hook's code, or
 * MR_EINVAL for bytes it did not write. */
int mr__view_relay(const void *buf, size_t len, const mr_scenario *sc,
                   const char *const *fault_targets, mr_rep_hook hook, void *hook_ctx);

#endif
