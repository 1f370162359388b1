/* sim/trace.c: the --trace CSV writer and the names of event kinds.
 * Tracing is a hook the dispatch loop calls only when one is installed, so
 * an untraced run pays one predictable branch per event. */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/event.h"
#include "mrsim/fault.h"
#include "mrsim/model.h"
#include "mrsim/sim.h"

const char *mr_msg_name(uint32_t kind)
{
    switch (kind) {
#define MR_MSG_NAME(name, text)                                                         \
    case MR_MSG_##name:                                                                 \
        return text;
        MR_MSG_MAP(MR_MSG_NAME)
#undef MR_MSG_NAME
    default:
        return NULL;
    }
}

const char *mr_event_kind_name(const mr_component *target, uint32_t kind, char *buf, size_t n)
{
    const char *name = kind < MR_MSG_PRIVATE ? mr_msg_name(kind) : NULL;
    if (name == NULL && target)
        name = mr_component_event_name(target, kind);
    if (name)
        return name;
    if (kind >= MR_MSG_PRIVATE)
        snprintf(buf, n, "private+%u", (unsigned)(kind - MR_MSG_PRIVATE));
    else
        snprintf(buf, n, "kind%u", (unsigned)kind);
    return buf;
}

/* Writes s as one CSV field, quoted when it holds a comma, a quote or a
 * line break (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The detail of a public message, from its payload (include/mrsim/event.h):
 * the same whoever receives it, so it is written once here, for every
 * model that has no detail of its own for it. */
static void public_detail(const mr_sim *sim, const mr_event *ev, char *buf, size_t n)
{
    switch (ev->kind) {
    case MR_MSG_FAULT_START:
    case MR_MSG_FAULT_END: {
        mr_msg_fault m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        const char *kind = mr_fault_kind_name((mr_fault_kind)m.kind);
        int w = snprintf(buf, n, "faults[%u] %s", (unsigned)m.fault, kind ? kind : "?");
        if (w < 0 || (size_t)w >= n)
            return;
        buf += w, n -= (size_t)w;
        if (ev->kind == MR_MSG_FAULT_START) {
            w = snprintf(buf, n, " severity %g", m.severity);
            if (w < 0 || (size_t)w >= n)
                return;
            buf += w, n -= (size_t)w;
        }
        if (m.zone > 0)
            snprintf(buf, n, " zone %d", (int)m.zone);
        return;
    }
    case MR_MSG_ENDPOINT_STATUS: {
        mr_msg_status m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        const mr_component *c = mr_sim_component(sim, m.cluster);
        snprintf(buf, n, "endpoint %u (%s) %s", (unsigned)m.endpoint, c ? c->name : "?",
                 m.healthy ? "healthy" : "unhealthy");
        return;
    }
    case MR_MSG_SCALE: {
        mr_msg_scale m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        snprintf(buf, n, "scale to %d nodes", (int)m.nodes);
        return;
    }
    case MR_MSG_PROMOTE: {
        mr_msg_promote m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        if (m.fault != UINT32_MAX)
            snprintf(buf, n, "%s failover (faults[%u])", m.forced ? "forced" : "planned",
                     (unsigned)m.fault);
        else
            snprintf(buf, n, "%s failover", m.forced ? "forced" : "planned");
        return;
    }
    case MR_MSG_WAKE:
        snprintf(buf, n, "re-read the world (aggregate fidelity)");
        return;
    case MR_MSG_CAPACITY:
        snprintf(buf, n, "a cluster's serving pods changed (aggregate fidelity)");
        return;
    case MR_MSG_ENDPOINT_ADMIN: {
        mr_msg_admin m;
        memcpy(&m, ev->payload.bytes, sizeof m);
        snprintf(buf, n, "endpoint %u %s by the operator", (unsigned)m.endpoint,
                 m.enabled ? "enabled" : "disabled");
        return;
    }
    default:
        return;
    }
}

void mr_trace_detail(const mr_sim *sim, const mr_component *target, const mr_event *ev,
                     char *buf, size_t n)
{
    mr_component_event_detail(target, ev, buf, n);
    if (n > 0 && buf[0] == '\0' && ev->kind < MR_MSG_PRIVATE)
        public_detail(sim, ev, buf, n);
}

void mr_trace_csv_header(FILE *f)
{
    fputs("time_s,component,kind,detail\n", f);
}

void mr_trace_csv(void *file, const mr_sim *sim, const mr_component *target,
                  const mr_event *ev)
{
    FILE *f = file;
    char t[32], kbuf[32], detail[256];
    mr_time_format_exact(ev->time, t, sizeof t);
    mr_trace_detail(sim, target, ev, detail, sizeof detail);
    fputs(t, f);
    fputc(',', f);
    csv_field(f, target->name);
    fputc(',', f);
    csv_field(f, mr_event_kind_name(target, ev->kind, kbuf, sizeof kbuf));
    fputc(',', f);
    csv_field(f, detail);
    fputc('\n', f);
}

/* Any of n shell patterns (fnmatch without FNM_PATHNAME, so `*` also
 * spans a slash: "clusters/ *" without the blank names every cluster). */
static int any_glob(const char *const *pat, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(pat[i], s, 0) == 0)
            return 1;
    return 0;
}

int mr_trace_filter_match(const mr_trace_filter *f, const char *component, const char *kind)
{
    if (f == NULL)
        return 1;
    if (f->ncomp > 0 && !any_glob(f->comp, f->ncomp, component))
        return 0;
    if (f->nkind > 0) {
        size_t i = 0;
        while (i < f->nkind && strcmp(f->kind[i], kind) != 0)
            i++;
        if (i == f->nkind)
            return 0;
    }
    return 1;
}

void mr_trace_csv_filtered(void *out, const mr_sim *sim, const mr_component *target,
                           const mr_event *ev)
{
    const mr_trace_out *o = out;
    if (o->filter) {
        char kbuf[32];
        const char *kind = mr_event_kind_name(target, ev->kind, kbuf, sizeof kbuf);
        if (!mr_trace_filter_match(o->filter, target->name, kind))
            return; /* before the detail is built: a filtered-out event costs its match */
    }
    mr_trace_csv(o->f, sim, target, ev);
}
