/* sim/trace.c: the --trace CSV writer and the names of event kinds.
 * Tracing is a hook the dispatch loop calls only when one is installed, so
 * an untraced run pays one predictable branch per event. */
#include <stdio.h>
#include <string.h>

#include "mrsim/event.h"
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

void mr_trace_csv_header(FILE *f)
{
    fputs("time_s,component,kind,detail\n", f);
}

void mr_trace_csv(void *file, const mr_sim *sim, const mr_component *target,
                  const mr_event *ev)
{
    (void)sim;
    FILE *f = file;
    char t[32], kbuf[32], detail[256];
    mr_time_format_exact(ev->time, t, sizeof t);
    mr_component_event_detail(target, ev, detail, sizeof detail);
    fputs(t, f);
    fputc(',', f);
    csv_field(f, target->name);
    fputc(',', f);
    csv_field(f, mr_event_kind_name(target, ev->kind, kbuf, sizeof kbuf));
    fputc(',', f);
    csv_field(f, detail);
    fputc('\n', f);
}
