/* include/mrsim/model.h: the one interface every component kind implements.
 * A kind is a const method table (mr_model); an instance is an mr_component
 * the kernel owns. The kernel calls a model only through the inline wrappers
 * below, which skip optional slots. */
#ifndef MRSIM_MODEL_H
#define MRSIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "event.h"
#include "types.h"

struct mr_model {
    const char *kind;       /* name used in scenario files, e.g. "cluster" */
    const char *summary;    /* one line, for --help */
    const mr_param *params; /* parameter table ending in MR_PARAM_END; may be NULL */
    /* The family the kind belongs to when several kinds play one part
     * ("store", "traffic"), or NULL for a kind of its own. The family's
     * method table (ops) is what the others call: its type is the family's
     * (models/store.h mr_store_ops, models/traffic.h mr_traffic_ops). */
    const char *family;
    const void *ops;
    size_t cfg_size;        /* bytes of the struct params are bound into */
    size_t state_size;      /* bytes of per-instance state, zeroed by the kernel */
    /* Own state only; may read cfg. Returns MR_OK or an error with a diagnostic. */
    int (*init)(mr_component *self, mr_diag *diag);
    /* Optional: resolve neighbours once every component exists. */
    int (*link)(mr_component *self, mr_sim *sim, mr_diag *diag);
    /* Optional: schedule the first events; called by mr_sim_start after every link. */
    void (*start)(mr_component *self, mr_sim *sim);
    /* Handles one event addressed to this component. */
    void (*handle)(mr_component *self, mr_sim *sim, const mr_event *ev);
    /* Optional: close open intervals at the end of the run. */
    void (*finish)(mr_component *self, mr_sim *sim);
    /* Optional: adds this component's metrics to out. */
    void (*report)(const mr_component *self, mr_report *out);
    /* Optional: the name of a private event kind, for traces. */
    const char *(*event_name)(uint32_t kind);
    /* Optional: a one-line detail of an event for traces (no commas needed;
     * the writer quotes). Returns what snprintf returns. */
    int (*event_detail)(const mr_component *self, const mr_event *ev, char *buf, size_t n);
    /* Optional: frees what init took. */
    void (*fini)(mr_component *self);
};

struct mr_component {  /* kernel-owned; models read it, never free it */
    const mr_model *model;
    const char *name;  /* unique in the simulation, e.g. "westeurope/aks" */
    uint32_t id;       /* events target ids, not pointers */
    mr_rng *rng;       /* this component's own stream */
    const void *cfg;   /* bound parameters, read-only after init */
    void *state;       /* state_size bytes */
};

static inline int mr_component_init(mr_component *c, mr_diag *diag)
{
    return c->model->init ? c->model->init(c, diag) : 0;
}

static inline int mr_component_link(mr_component *c, mr_sim *sim, mr_diag *diag)
{
    return c->model->link ? c->model->link(c, sim, diag) : 0;
}

static inline void mr_component_start(mr_component *c, mr_sim *sim)
{
    if (c->model->start)
        c->model->start(c, sim);
}

static inline void mr_component_handle(mr_component *c, mr_sim *sim, const mr_event *ev)
{
    c->model->handle(c, sim, ev);
}

static inline void mr_component_finish(mr_component *c, mr_sim *sim)
{
    if (c->model->finish)
        c->model->finish(c, sim);
}

static inline void mr_component_report(const mr_component *c, mr_report *out)
{
    if (c->model->report)
        c->model->report(c, out);
}

/* The name of a private event kind, or NULL when the model has none. */
static inline const char *mr_component_event_name(const mr_component *c, uint32_t kind)
{
    return c->model->event_name ? c->model->event_name(kind) : NULL;
}

/* Writes an event's trace detail into buf ("" when the model has none). */
static inline void mr_component_event_detail(const mr_component *c, const mr_event *ev,
                                             char *buf, size_t n)
{
    if (n > 0)
        buf[0] = '\0';
    if (c->model->event_detail)
        c->model->event_detail(c, ev, buf, n);
}

static inline void mr_component_fini(mr_component *c)
{
    if (c->model->fini)
        c->model->fini(c);
}

/* The registry (models/registry.c, generated from models/models.def). */

/* The model of that kind, or NULL. */
const mr_model *mr_model_find(const char *kind);

/* The number of registered kinds, and the ith in --help order (NULL past the end). */
size_t mr_model_count(void);
const mr_model *mr_model_at(size_t i);

#endif
