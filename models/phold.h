/* models/phold.h: configuration and state of the PHOLD model
 * (models/phold.c), shared with the benchmark and the tests can build PHOLD
 * runs and read their final state. */
#ifndef MRSIM_MODELS_PHOLD_H
#define MRSIM_MODELS_PHOLD_H

#include <stdint.h>

#include "mrsim/simtime.h"

typedef struct mr_phold_cfg {
    int64_t lps;        /* LPs events are sent among */
    int64_t first;      /* component id of the first of them */
    int64_t initial;    /* events this LP holds at the start */
    mr_time mean;       /* mean of the exponential delay */
    int64_t stop_after; /* stop the run after this many events in all; 0: never */
} mr_phold_cfg;

typedef struct mr_phold_state {
    uint64_t received; /* events handled */
    uint64_t hash;     /* FNV-1a fold of their times */
} mr_phold_state;

#endif
