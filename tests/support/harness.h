/* tests/support/harness.h: fixtures shared by the tests. */
#ifndef MRSIM_TESTS_HARNESS_H
#define MRSIM_TESTS_HARNESS_H

#include <stdint.h>

#include "mrsim/model.h"
#include "mrsim/sim.h"

/* A recorder component: logs the (time, kind, payload word) of every event
 * it receives, up to 4096 of them. */
typedef struct th_log {
    size_t n;
    mr_time time[4096];
    uint32_t kind[4096];
    uint64_t word[4096];
} th_log;

extern const mr_model th_model_recorder;

/* The log of a recorder component. */
const th_log *th_recorder_log(const mr_component *c);

/* A sim with one recorder named "rec" (id 0), started. */
mr_sim *th_sim_with_recorder(uint64_t seed);

/* Schedules an event for id 0 carrying word as payload; asserts MR_OK. */
mr_handle th_schedule(mr_sim *sim, mr_time at, uint32_t kind, uint64_t word);

#endif
