/* models/fifo.h: private to models/. A FIFO queue in front of c identical
 * servers, computed without events: the Kiefer-Wolfowitz recursion. The
 * queue keeps each server's next free time; a job arriving at t (arrivals
 * are offered in time order, which the kernel guarantees) starts at
 * max(t, earliest free time) on that server. So a request's queueing delay
 * is known when it arrives, and the cluster model needs no completion
 * event (the one-event-per-request design).
 * Invariants: free_at is a binary min-heap of c times; offers come with
 * non-decreasing t; a job that would wait longer than its patience leaves
 * without taking a server (abandonment at the client timeout). */
#ifndef MRSIM_MODELS_FIFO_H
#define MRSIM_MODELS_FIFO_H

#include <stdint.h>

#include "mrsim/simtime.h"

typedef struct mr_fifo {
    mr_time *free_at; /* min-heap of the servers' next free times */
    uint32_t c;       /* servers */
    uint32_t cap;
    mr_time last_t;   /* the last offer's arrival time */
    uint64_t offers;  /* jobs offered so far, refused ones included (the autoscaler's load) */
} mr_fifo;

/* c servers (c may be 0: every offer is refused), all free from time 0. */
void mr_fifo_init(mr_fifo *q, uint32_t c);
/* Room for cap servers, so that resizing up to cap never allocates (a
 * cluster reserves its maximum before the run). */
void mr_fifo_reserve(mr_fifo *q, uint32_t cap);
void mr_fifo_fini(mr_fifo *q);

/* Offers a job arriving at t (>= the previous offer's t) needing service s
 * (>= 0), which leaves if it has not started by t + patience. Returns its
 * start time (>= t; the server is then busy until start + s), or -1 when it
 * abandons or there is no server. */
mr_time mr_fifo_offer(mr_fifo *q, mr_time t, mr_time s, mr_time patience);

/* Changes the number of servers at time t (autoscaling, zone loss). New
 * servers are free from t. Removed ones are those that free up first: a
 * job's fate is fixed when it is offered (its client has already recorded
 * it), so the work admitted to a removed server still completes as
 * computed; taking the earliest-free servers makes that admitted work the
 * least possible (none when they are idle, as after a scale-down), and the
 * survivors keep their backlog. O(log c) per server added or removed;
 * allocation-free within the reserved capacity. */
void mr_fifo_resize(mr_fifo *q, uint32_t c, mr_time t);

/* Servers busy at time t (free_at > t). O(c). */
uint32_t mr_fifo_busy(const mr_fifo *q, mr_time t);

#endif
