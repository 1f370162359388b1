/* include/mrsim/event.h: what the kernel dispatches.
 * An event is a value: its payload is copied into the event (never a pointer
 * to heap data), so an event owns no memory and the pool can recycle it the
 * moment it is popped. Handlers receive a copy. */
#ifndef MRSIM_EVENT_H
#define MRSIM_EVENT_H

#include <stdint.h>

#include "simtime.h"
#include "types.h"

/* Bytes of inline payload. Together with the queue entry this keeps a pending
 * event within 64 bytes (bench/README.md). Payload structs are checked
 * against it with MR_PAYLOAD_FITS. */
#define MR_PAYLOAD_SIZE 24

/* Messages between component kinds. Each later model adds its messages here,
 * so the trace, the TUI and the tests print the same names. Kinds below
 * MR_MSG_PRIVATE are public; a model's own timers start at MR_MSG_PRIVATE. */
#define MR_MSG_MAP(X)                                                                      \
    X(FAULT_START, "fault_start") /* payload mr_msg_fault: a fault begins at its target */ \
    X(FAULT_END, "fault_end")     /* payload mr_msg_fault: it ends */                      \
    X(ENDPOINT_STATUS, "endpoint_status") /* payload mr_msg_status: traffic layer's verdict */ \
    X(SCALE, "scale")             /* payload mr_msg_scale: a cluster is told its node count */ \
    X(PROMOTE, "promote")         /* payload mr_msg_promote: a data store fails over */ \
    X(WAKE, "wake")               /* no payload: aggregate fidelity, re-read the world */ \
    X(CAPACITY, "capacity")       /* no payload: aggregate fidelity, a cluster's pods changed */ \
    X(ENDPOINT_ADMIN, "endpoint_admin") /* payload mr_msg_admin: an operator disables or enables */

enum mr_msg {
    MR_MSG_NONE = 0,
#define MR_MSG_ENUM(name, text) MR_MSG_##name,
    MR_MSG_MAP(MR_MSG_ENUM)
#undef MR_MSG_ENUM
    MR_MSG_PRIVATE = 256
};

struct mr_event {
    mr_time time;     /* when it fires */
    uint64_t seq;     /* insertion order: ties at equal time fire in this order */
    uint32_t target;  /* id of the component that handles it */
    uint32_t kind;    /* an mr_msg, or a model's private kind >= MR_MSG_PRIVATE */
    union {
        unsigned char bytes[MR_PAYLOAD_SIZE];
        uint64_t align_; /* keeps payload structs with 64-bit fields aligned */
    } payload;
};

/* Payload of MR_MSG_FAULT_START and MR_MSG_FAULT_END. */
typedef struct mr_msg_fault {
    uint32_t fault; /* index of the fault in the faults component */
    uint32_t kind;  /* the fault kind (mr_fault_kind of the scenario) */
    double severity; /* share of requests affected at the start: 1 = total */
    int32_t zone;    /* zone_outage: the 1-based zone; 0 otherwise */
    uint32_t flags;  /* model-defined (models/world.h: ramped, inverted) */
} mr_msg_fault;
_Static_assert(sizeof(mr_msg_fault) <= MR_PAYLOAD_SIZE, "fault payload too large");

/* Payload of MR_MSG_ENDPOINT_STATUS: the traffic layer tells its watcher
 * (the failover policy) that an endpoint's health verdict changed. */
typedef struct mr_msg_status {
    uint32_t endpoint; /* index in the traffic layer's endpoints */
    uint32_t cluster;  /* component id of the endpoint's cluster */
    int32_t healthy;   /* 1: Online / healthy somewhere; 0: Degraded everywhere */
} mr_msg_status;
_Static_assert(sizeof(mr_msg_status) <= MR_PAYLOAD_SIZE, "status payload too large");

/* Payload of MR_MSG_ENDPOINT_ADMIN: the failover policy's runbook tells the
 * traffic layer to disable an endpoint (Traffic Manager endpoint, Front
 * Door origin, the DNS record's target) or to enable it again. */
typedef struct mr_msg_admin {
    uint32_t endpoint; /* index in the traffic layer's endpoints */
    int32_t enabled;   /* 0: disabled (never answered, never routed to); 1: enabled */
} mr_msg_admin;
_Static_assert(sizeof(mr_msg_admin) <= MR_PAYLOAD_SIZE, "admin payload too large");

/* Payload of MR_MSG_SCALE: the failover policy sets a cluster's node count
 * (scale a warm standby up, provision a cold one, scale back at failback). */
typedef struct mr_msg_scale {
    int32_t nodes;
} mr_msg_scale;
_Static_assert(sizeof(mr_msg_scale) <= MR_PAYLOAD_SIZE, "scale payload too large");

/* Payload of MR_MSG_PROMOTE: a data store fails over to a replica. */
typedef struct mr_msg_promote {
    uint32_t forced; /* 1: forced (may lose writes), 0: planned (waits for catch-up) */
    uint32_t fault;  /* the fault whose episode it belongs to, or UINT32_MAX */
} mr_msg_promote;
_Static_assert(sizeof(mr_msg_promote) <= MR_PAYLOAD_SIZE, "promote payload too large");

/* A cancellable reference to a pending event. The generation makes a handle
 * of a fired or cancelled event detectably stale, even after its slot is
 * reused. The zero handle refers to nothing. */
typedef struct mr_handle {
    uint32_t slot;
    uint32_t gen;
} mr_handle;

/* The public name of a kind below MR_MSG_PRIVATE, or NULL. */
const char *mr_msg_name(uint32_t kind);

#endif
