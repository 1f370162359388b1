/* sim/out/timeline.c: the recovery timeline blocks of the table (timeline.h).
 * Times are the means over the replications that reached the milestone's
 * episode, "+1h 00m 12s" from the fault's start; ">=" marks a lower bound
 * (some replication's episode ended before it was reached: counted at the
 * episode's end). Durations keep their seconds past an hour (unlike the
 * tables' human units, sim/out/human.c): a store's failover at +1h 00m 12s
 * and the recovery at +1h 00m 30s must not both read "1h 00m". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "out/timeline.h"
#include "mrsim/report.h"

/* "+45s", "+9.5s", "+2m 05s", "+1h 00m 12s". */
static void dur(char *buf, size_t n, double s)
{
    if (isnan(s)) {
        snprintf(buf, n, "n/a");
        return;
    }
    if (s < 10) {
        snprintf(buf, n, "+%.1fs", s);
        return;
    }
    long long t = llround(s);
    if (t < 60)
        snprintf(buf, n, "+%llds", t);
    else if (t < 3600)
        snprintf(buf, n, "+%lldm %02llds", t / 60, t % 60);
    else
        snprintf(buf, n, "+%lldh %02lldm %02llds", t / 3600, t / 60 % 60, t % 60);
}

/* A milestone's cell: its mean, ">=" when a lower bound, "not reached"
 * when no replication reached it, "(k of n)" when some did not. */
static void cell(char *buf, size_t n, const mr_milestone_result *m)
{
    if (m == NULL) {
        snprintf(buf, n, "-");
        return;
    }
    if (m->reached == 0) {
        snprintf(buf, n, "not reached");
        return;
    }
    char d[32];
    dur(d, sizeof d, m->t_s.mean);
    snprintf(buf, n, "%s%s", m->t_s.lower & MR_LB_MEAN ? ">=" : "", d);
}

static const mr_milestone_result *find(const mr_episode_result *ep, uint32_t what)
{
    for (size_t i = 0; i < ep->ntimeline; i++)
        if (ep->timeline[i].what == what)
            return &ep->timeline[i];
    return NULL;
}

/* Prints text from column `indent`, wrapped at 78 on spaces. */
static void wrapped(FILE *out, const char *text, int indent)
{
    int col = indent;
    fprintf(out, "%*s", indent, "");
    while (*text) {
        size_t w = strcspn(text, " ");
        if (col > indent && col + 1 + (int)w > 78) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)w, text);
        col += (int)w;
        text += w;
        while (*text == ' ')
            text++;
    }
    fputc('\n', out);
}

static void block(const mr_episode_result *ep, uint64_t reps, FILE *out)
{
    char a[48], b[48], c[48], label[96];
    fprintf(out, "\nrecovery of %s (%s, %s):\n", ep->fault, ep->kind, ep->target);
    for (size_t i = 0; i < ep->ntimeline; i++) {
        const mr_milestone_result *m = &ep->timeline[i];
        if (m->what >= MR_MS_ROUTED_50 && m->what <= MR_MS_ROUTED_99) {
            if (m->what != MR_MS_ROUTED_50 && find(ep, MR_MS_ROUTED_50))
                continue; /* one line for the three */
            cell(a, sizeof a, find(ep, MR_MS_ROUTED_50));
            cell(b, sizeof b, find(ep, MR_MS_ROUTED_95));
            cell(c, sizeof c, find(ep, MR_MS_ROUTED_99));
            fprintf(out, "  %-34s %s / %s / %s\n", "50% / 95% / 99% routed", a, b, c);
            continue;
        }
        if (m->component[0] && m->what != MR_MS_DETECTED)
            snprintf(label, sizeof label, "%s %s", m->component, mr_milestone_label(m->what));
        else
            snprintf(label, sizeof label, "%s", mr_milestone_label(m->what));
        cell(a, sizeof a, m);
        if (m->reached > 0 && m->reached < reps)
            fprintf(out, "  %-34s %s (%llu of %llu)\n", label, a, (unsigned long long)m->reached,
                    (unsigned long long)reps);
        else
            fprintf(out, "  %-34s %s\n", label, a);
    }
    if (!ep->has_critical) {
        fputs("  critical path: none (no SLO window missed)\n", out);
        return;
    }
    const mr_milestone_result *m = &ep->timeline[ep->critical];
    char line[320];
    snprintf(line, sizeof line, "critical path (%llu of %llu replication%s): %s%s",
             (unsigned long long)ep->critical_n, (unsigned long long)ep->critical_of,
             ep->critical_of == 1 ? "" : "s",
             ep->critical_censored ? "not recovered, still waiting on " : "",
             ep->critical_reason);
    (void)m;
    wrapped(out, line, 2);
}

void mr_timeline_write_table(const mr_result *r, FILE *out)
{
    for (size_t e = 0; e < r->nepisodes; e++)
        if (r->episodes[e].ntimeline > 0)
            block(&r->episodes[e], r->replications, out);
}
