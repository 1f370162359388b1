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
#include "param.h"
#include "rng.h"
#include "types.h"

/* What `mrsim analyze` asks of a kind, in closed form, from its cfg alone
 * (no run): the published SLA of one instance as configured. */
typedef struct mr_model_sla {
    double availability; /* in [0, 1] */
    const char *what;    /* "Azure SQL" */
    const char *source;  /* "docs/reference.md §5 Availability SLA (99.99%)" */
    int multi_region;    /* it keeps copies in several regions */
} mr_model_sla;

/* A traffic layer's detection of a failed endpoint (docs/model.md rules 1
 * and 2), for analyze: lo + width x the kth smallest of n independent
 * uniforms on [0, 1) (n = k = 1: one uniform phase), or, when dist is set, a
 * draw of dist scaled by unit (seconds per unit), such as an operator's. */
typedef struct mr_model_detect {
    double lo, width;
    int n, k;
    const mr_dist *dist;
    double unit;
    double ttl_s;  /* the TTL of its DNS answers, seconds; 0 for a proxy */
    int edges;     /* a proxy's entry points, each switching on its own; 0: DNS-based */
    int locations; /* probing locations and the quorum that must trip; 0: none */
    int quorum;
    const char *event; /* what detection is: "endpoint Degraded" */
    const char *layer; /* what the layer is called there: "Traffic Manager" */
} mr_model_detect;

/* What a kind's cost method is given: the replication's report, the
 * component's id in it (mr_report_find_from), the scale from usage in
 * normal time to a month (the run rate, docs/results.md "cost"), a
 * traffic layer's queries and requests per month, and the scenario's
 * prices (`cost:` keys, by name). It returns the part's run rate per
 * month. */
typedef struct mr_cost_ctx mr_cost_ctx;
struct mr_cost_ctx {
    const mr_report *report;
    uint32_t source; /* the component whose report is the kind's usage */
    double scale;    /* usage in normal time (no fault in force) -> a month */
    double queries_month;  /* traffic layers: DNS queries at the authority */
    double requests_month; /* traffic layers: the clients' requests */
    /* A price by its `cost:` key; one found at 0 is listed as unpriced. */
    double (*price)(const mr_cost_ctx *ctx, const char *key);
    /* What the kind bills and has no price for (`what`: its own key,
     * "usd_per_month"): listed as unpriced under the part's name. */
    void (*unpriced)(const mr_cost_ctx *ctx, const char *what);
    const char *what; /* the part: "traffic", "datastores[orders]" */
    const void *prices;
    void *collect;    /* the caller's list of unpriced items */
};

/* A set of kinds to load scenarios with: the registry's
 * (mr_model_registry), or a test's own with a kind added. */
typedef struct mr_kinds {
    const mr_model *const *v;
    size_t n;
} mr_kinds;

/* One time series a component offers (mr_model.series): its component
 * path ("clusters/aks-weu"), metric ("pods_ready"), unit (static), and
 * whether it is a running count (the runner stores its increase over each
 * window) or a level (stored as it stands at the window's start). */
#define MR_SERIES_MAX 64 /* per component */
typedef struct mr_series_desc {
    char component[80];
    char metric[64];
    const char *unit;
    int counter;
} mr_series_desc;

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
    /* Optional: its state now, as scalars (mr_report_scalar), for the live
     * view of `mrsim tui` (sim/run/live.h): read at the screen's rate, any
     * time during a run, never by the metrics. */
    void (*status)(const mr_component *self, mr_report *out);
    /* Optional, the time series of docs/results.md "Vectors": `series`
     * describes the values `sample` writes, up to cap of them (returns how
     * many it has; called once a replication, after start); `sample` writes them as
     * they stand at `now`. The runner calls both between SLO windows,
     * outside the event loop, so they must change nothing a later event
     * reads (no draw, no lazy advance). */
    size_t (*series)(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                     size_t cap);
    void (*sample)(const mr_component *self, mr_time now, double *out);
    /* Optional: the name of a private event kind, for traces. */
    const char *(*event_name)(uint32_t kind);
    /* Optional: a one-line detail of an event for traces (no commas needed;
     * the writer quotes). Returns what snprintf returns. */
    int (*event_detail)(const mr_component *self, const mr_event *ev, char *buf, size_t n);
    /* Optional: frees what init took. */
    void (*fini)(mr_component *self);
    /* Optional, for a kind with its own keys: called by the binder once
     * they are bound into cfg (cfg_size bytes), to refuse a combination of
     * values or fill a default that depends on others (ctx says where).
     * Returns MR_OK, or MR_ESCENARIO after ctx->error. */
    int (*check)(void *cfg, mr_param_ctx *ctx);
    /* Optional: what one instance configured by cfg costs per month, in
     * the scenario's currency (docs/results.md "cost"). */
    double (*cost)(const void *cfg, const mr_cost_ctx *ctx);
    /* Optional: its published SLA (analyze's composite availability). */
    void (*sla)(const void *cfg, mr_model_sla *out);
    /* Optional, traffic layers: how it detects a failed endpoint. */
    void (*detect)(const void *cfg, mr_model_detect *out);
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

/* The first registered model of that kind (in models.def order), or
 * NULL: for the kinds of their own (cluster, region); a family's kind is
 * better found with mr_kinds_find(mr_model_registry(), family, kind). */
const mr_model *mr_model_find(const char *kind);

/* The number of registered kinds, and the ith in --help order (NULL past the end). */
size_t mr_model_count(void);
const mr_model *mr_model_at(size_t i);

/* Every registered kind, as a set to load scenarios with. */
mr_kinds mr_model_registry(void);

/* The kind of that name in a set, of that family (NULL: any), or NULL.
 * Kind names are unique within a family, not across families (a traffic
 * layer and a shared dependency may both be "dns"). In sim/sim.c: the
 * kernel's, so the scenario binder can look kinds up without the
 * registry. */
const mr_model *mr_kinds_find(mr_kinds kinds, const char *family, const char *kind);

#endif
