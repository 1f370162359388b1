/* models/fault_set.c: the faults in force at one target (fault_set.h):
 * applying starts and ends, and the share of requests they fail now. */
#include <string.h>

#include "fault_set.h"
#include "mrsim/error.h"
#include "mrsim/sim.h"

const mr_component *mr__faults_component(mr_sim *sim, const mr_component *self, int64_t id,
                                         mr_diag *diag, int *rc)
{
    if (id < 0)
        return NULL;
    const mr_component *c = mr_sim_link(sim, self, id, "faults", "fault injector", diag);
    if (c == NULL)
        *rc = MR_ENOCOMP;
    return c;
}

const mr_faults_cfg *mr__faults_link(mr_sim *sim, const mr_component *self, int64_t id,
                                     mr_diag *diag, int *rc)
{
    const mr_component *c = mr__faults_component(sim, self, id, diag, rc);
    return c != NULL ? c->cfg : NULL;
}

void mr__fault_set_apply(mr_fault_set *fs, const mr_event *ev)
{
    mr_msg_fault m;
    memcpy(&m, ev->payload.bytes, sizeof m);
    int whole = !(m.flags & MR_FAULT_F_RAMP) && m.severity >= 1;
    if (ev->kind == MR_MSG_FAULT_START) {
        if (whole) {
            fs->total++;
        } else if (fs->npartial < MR_MAX_PARTIAL) {
            fs->p[fs->npartial].fault = m.fault;
            fs->p[fs->npartial].severity = m.severity;
            fs->p[fs->npartial].start = ev->time;
            fs->npartial++;
        } else {
            fs->overflow++;
        }
    } else if (ev->kind == MR_MSG_FAULT_END) {
        if (whole) {
            if (fs->total > 0)
                fs->total--;
            return;
        }
        /* The oldest partial start of this fault ends first (a fault's
         * durations may differ, but its episodes are alike). */
        for (int32_t i = 0; i < fs->npartial; i++)
            if (fs->p[i].fault == m.fault) {
                memmove(&fs->p[i], &fs->p[i + 1], (size_t)(fs->npartial - i - 1) * sizeof fs->p[0]);
                fs->npartial--;
                return;
            }
    }
}

double mr__fault_set_share(const mr_fault_set *fs, const mr_faults_cfg *faults, mr_time now)
{
    if (fs->total > 0)
        return 1;
    double pass = 1;
    for (int32_t i = 0; i < fs->npartial; i++) {
        double s = fs->p[i].severity;
        const mr_fault_cfg *fc = faults ? &faults->f[fs->p[i].fault] : NULL;
        if (fc && fc->ramp) {
            double x = fc->ramp_over > 0 ? (double)(now - fs->p[i].start) / (double)fc->ramp_over
                                         : 1;
            s = fc->ramp_from + (fc->ramp_to - fc->ramp_from) * (x < 1 ? x : 1);
        }
        pass *= 1 - s;
    }
    return 1 - pass;
}


/* The incident time attributed to fault f since the last advance, from
 * the clock's attributed times now (a, na): while settled only the time in
 * force counts, else all of it after the first start (as inc_t does). */
static double attributed(const mr_usage *u, double a, double na, uint32_t f)
{
    double t = a - u->seen_all[f];
    if (u->settled)
        t -= na - u->seen_normal[f];
    return t;
}

void mr__usage_advance(mr_usage *u, const mr_fault_clock *c, mr_time now)
{
    if (now <= u->last)
        return;
    mr_time n = mr__clock_at(c, now);
    double normal = (double)(n - u->last_n);
    /* A fault in force (so after the first start) counts as incident. */
    double after = (double)(now - u->last) - normal;
    if (u->settled) {
        u->run_x += u->level * normal;
        u->run_t += normal;
    } else if (c != NULL && c->started > 0) {
        /* Unsettled normal time counts as incident once a fault has
         * started (a surge winding down), not before (the start-up). */
        mr_time from = u->last_n > c->first_acc ? u->last_n : c->first_acc;
        if (n > from)
            after += (double)(n - from);
    }
    u->inc_x += u->level * after;
    u->inc_t += after;
    if (c != NULL)
        for (uint32_t f = 0; f < c->nf; f++) {
            double a = mr__clock_attr_all(c, f, now), na = mr__clock_attr_normal(c, f, now);
            double t = attributed(u, a, na, f);
            u->fx[f] += u->level * t;
            u->ft[f] += t;
            u->seen_all[f] = a;
            u->seen_normal[f] = na;
        }
    u->last = now;
    u->last_n = n;
}
