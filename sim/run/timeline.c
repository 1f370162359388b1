/* sim/run/timeline.c: the recovery timeline of each fault (timeline.h):
 * one replication's milestone records into its row, the rows into each
 * fault's timeline over the replications, and the critical path with the
 * reason the configuration gives. Slots, in the table's order: detection,
 * routed 50/95/99%, each cluster's standby ready, each data store's
 * failover, recovery. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/model.h"
#include "run/analyze.h"
#include "run/build.h"
#include "km.h"
#include "timeline.h"

size_t mr__tl_slots(const mr_scenario *sc)
{
    return 5 + sc->nclusters + sc->ndatastores;
}

uint32_t mr__tl_slot_what(const mr_scenario *sc, size_t slot, size_t *index)
{
    *index = SIZE_MAX;
    if (slot < 4)
        return MR_MS_DETECTED + (uint32_t)slot; /* detected, routed 50, 95, 99 */
    if (slot < 4 + sc->nclusters) {
        *index = slot - 4;
        return MR_MS_STANDBY_READY;
    }
    if (slot < 4 + sc->nclusters + sc->ndatastores) {
        *index = slot - 4 - sc->nclusters;
        return MR_MS_STORE_FAILOVER;
    }
    return MR_MS_RECOVERED;
}

const char *mr__tl_slot_component(const mr_scenario *sc, size_t slot, char *buf, size_t n)
{
    size_t i;
    uint32_t what = mr__tl_slot_what(sc, slot, &i);
    if (what == MR_MS_DETECTED)
        snprintf(buf, n, "traffic");
    else if (what == MR_MS_STANDBY_READY)
        snprintf(buf, n, "clusters/%s", sc->clusters[i].name);
    else if (what == MR_MS_STORE_FAILOVER)
        snprintf(buf, n, "data/%s", sc->datastores[i].name);
    else
        snprintf(buf, n, "%s", "");
    return buf;
}

/* The slot of a milestone record: by its milestone and, for a standby or a
 * store, by the component id the builder gave it; SIZE_MAX when none. */
static size_t slot_of(const mr_scenario *sc, const mr_milestone_record *m)
{
    switch (m->what) {
    case MR_MS_DETECTED:
    case MR_MS_ROUTED_50:
    case MR_MS_ROUTED_95:
    case MR_MS_ROUTED_99:
        return m->what - MR_MS_DETECTED;
    case MR_MS_STANDBY_READY:
        for (size_t c = 0; c < sc->nclusters; c++)
            if (mr_build_cluster_id(sc, c) == m->source)
                return 4 + c;
        return SIZE_MAX;
    case MR_MS_STORE_FAILOVER:
        for (size_t d = 0; d < sc->ndatastores; d++)
            if (mr_build_store_id(sc, d) == m->source)
                return 4 + sc->nclusters + d;
        return SIZE_MAX;
    case MR_MS_RECOVERED:
        return mr__tl_slots(sc) - 1;
    default:
        return SIZE_MAX;
    }
}

/* The critical path of episode k (docs/model.md "recovery timeline"): the
 * milestone reached last at or before its recovery, the RTO plus one SLO
 * window (the RTO is measured at window ends, a milestone at any time);
 * when it never recovered, the last still awaited in the timeline's order
 * (a standby or a store before the routed shares that follow from them).
 * Returns the slot, plus the slot count when awaited, plus twice the slot
 * count when reached only once the fault itself had ended (recovery came
 * from the repair: nothing else took over), or SIZE_MAX when none (an
 * episode that missed no window waited on nothing). */
static size_t critical_of(const mr_scenario *sc, const mr_milestone_record *ms, size_t nms,
                          const mr_episode_record *e, size_t k)
{
    size_t S = mr__tl_slots(sc), best = SIZE_MAX;
    double bt = -INFINITY, slack = mr_time_to_s(sc->slo.window);
    if (!e->censored && !(e->rto_s > 0))
        return SIZE_MAX;
    for (size_t i = 0; i < nms; i++) {
        const mr_milestone_record *m = &ms[i];
        size_t s = m->episode == k ? slot_of(sc, m) : SIZE_MAX;
        if (s == SIZE_MAX || m->what == MR_MS_RECOVERED)
            continue;
        if (e->censored) {
            if (m->censored && (best == SIZE_MAX || s > best))
                best = s;
            continue;
        }
        if (m->censored || m->t_s > e->rto_s + slack)
            continue;
        if (m->t_s > bt || (m->t_s == bt && s > best)) {
            bt = m->t_s;
            best = s;
        }
    }
    if (best == SIZE_MAX)
        return SIZE_MAX;
    if (e->censored)
        return best + S;
    return !isnan(e->end_s) && bt >= e->end_s - e->start_s ? best + 2 * S : best;
}

void mr__tl_row(const mr_scenario *sc, mr_report *r, double *row)
{
    size_t S = mr__tl_slots(sc), C = mr__tl_cols(sc), nf = sc->nfaults;
    size_t nep, nms;
    const mr_episode_record *ep = mr_report_episodes(r, &nep);
    const mr_milestone_record *ms = mr_report_milestones(r, &nms);
    if (nf == 0 || nms == 0)
        return;
    double *sum = mr_xcalloc(nf * S, sizeof *sum);
    size_t *cnt = mr_xcalloc(nf * S, sizeof *cnt);
    int *cens = mr_xcalloc(nf * S, sizeof *cens);
    for (size_t i = 0; i < nms; i++) {
        const mr_milestone_record *m = &ms[i];
        size_t s = slot_of(sc, m);
        if (m->fault >= nf || s == SIZE_MAX)
            continue;
        size_t x = m->fault * S + s;
        sum[x] += m->censored ? m->limit_s : m->t_s;
        cnt[x]++;
        cens[x] |= m->censored;
    }
    for (size_t f = 0; f < nf; f++)
        for (size_t s = 0; s < S; s++) {
            size_t x = f * S + s;
            if (cnt[x] == 0)
                continue;
            row[f * C + 2 * s] = sum[x] / (double)cnt[x];
            row[f * C + 2 * s + 1] = cens[x];
        }
    /* Per fault, the critical path of its longest episode (a censored
     * one longest of all). */
    for (size_t f = 0; f < nf; f++) {
        size_t worst = SIZE_MAX;
        for (size_t k = 0; k < nep; k++) {
            if (ep[k].fault != f)
                continue;
            double a = ep[k].censored ? INFINITY : ep[k].rto_s;
            double b = worst == SIZE_MAX ? -INFINITY
                       : ep[worst].censored ? INFINITY : ep[worst].rto_s;
            if (worst == SIZE_MAX || a > b)
                worst = k;
        }
        if (worst == SIZE_MAX)
            continue;
        size_t c = critical_of(sc, ms, nms, &ep[worst], worst);
        if (c != SIZE_MAX)
            row[f * C + 2 * S] = (double)c;
    }
    /* For the results database (sim/out/db.c reads them into `milestone`
     * rows): copied after the loop above, which read the records. */
    for (size_t i = 0; i < nms; i++) {
        const mr_milestone_record m = ms[i]; /* scalars live apart: ms stays valid */
        char comp[32], metric[96];
        snprintf(comp, sizeof comp, "milestone/%u", m.episode);
        snprintf(metric, sizeof metric, "%s|%s", mr_milestone_name(m.what), m.component);
        if (!m.censored)
            mr_report_scalar(r, comp, metric, m.t_s);
        snprintf(metric, sizeof metric, "%s|%s|censored", mr_milestone_name(m.what),
                 m.component);
        mr_report_scalar(r, comp, metric, m.censored);
    }
    free(sum);
    free(cnt);
    free(cens);
}

/* "100-130 s" or "45 s". */
static void span(char *buf, size_t n, double lo, double hi)
{
    if (hi > lo)
        snprintf(buf, n, "%.0f-%.0f s", lo, hi);
    else
        snprintf(buf, n, "%.0f s", lo);
}

/* Why a slot takes the time it does, from the configuration: what a
 * design review would change to shorten it. */
static void reason(const mr_scenario *sc, size_t f, size_t slot, char *buf, size_t n)
{
    size_t i;
    uint32_t what = mr__tl_slot_what(sc, slot, &i);
    const mr_sc_traffic *t = &sc->traffic;
    mr_model_detect md = {.n = 1, .k = 1, .event = "endpoint unhealthy", .layer = t->model->kind};
    if (t->model->detect)
        t->model->detect(t->cfg, &md);
    char when[48];
    if (md.dist != NULL)
        snprintf(when, sizeof when, "mean %.0f s", mr_dist_mean(md.dist) * md.unit);
    else
        span(when, sizeof when, md.lo, md.lo + md.width);
    switch (what) {
    case MR_MS_DETECTED:
        snprintf(buf, n, "traffic: %s, %s after %s%s", md.layer, md.event, when,
                 md.edges > 0 ? " at the first edge" : "");
        return;
    case MR_MS_ROUTED_50:
    case MR_MS_ROUTED_95:
    case MR_MS_ROUTED_99:
        if (md.edges > 1)
            snprintf(buf, n, "traffic: %s, %s after %s at each of %d edges", md.layer, md.event,
                     when, md.edges);
        else if (md.edges == 1)
            snprintf(buf, n, "traffic: %s, %s after %s at its edge", md.layer, md.event, when);
        else
            snprintf(buf, n, "traffic: %s, %s after %s, then DNS TTL %.0f s and the caches",
                     md.layer, md.event, when, md.ttl_s);
        return;
    case MR_MS_STANDBY_READY: {
        const mr_sc_cluster *c = &sc->clusters[i];
        snprintf(buf, n, "clusters/%s: standby %s, %s", c->name, mr_standby_names[c->standby],
                 c->standby == MR_STANDBY_COLD ? "nodes provisioning, then pods starting"
                                               : "pods starting on the added nodes");
        return;
    }
    case MR_MS_STORE_FAILOVER: {
        char paths[128];
        snprintf(buf, n, "data/%s: %s", sc->datastores[i].name,
                 mr_an_store_paths(sc, i, f, paths));
        return;
    }
    default:
        snprintf(buf, n, "%s", "the service's own recovery");
    }
}

void mr__tl_summarise(const mr_scenario *sc, size_t f, const double *rows, uint64_t reps,
                      size_t ncols, size_t base, mr_episode_result *ep)
{
    size_t S = mr__tl_slots(sc), C = mr__tl_cols(sc);
    const double *col = rows + base + f * C;
    ep->timeline = mr_xcalloc(S, sizeof *ep->timeline);
    size_t *at = mr_xmalloc(S * sizeof *at);
    for (size_t s = 0; s < S; s++) {
        at[s] = SIZE_MAX;
        uint64_t applied = 0, reached = 0;
        for (uint64_t i = 0; i < reps; i++) {
            double v = col[i * ncols + 2 * s], c = col[i * ncols + 2 * s + 1];
            applied += !isnan(v);
            reached += !isnan(v) && c == 0;
        }
        if (applied == 0)
            continue;
        mr_milestone_result *m = &ep->timeline[ep->ntimeline];
        size_t idx;
        m->what = mr__tl_slot_what(sc, s, &idx);
        mr__tl_slot_component(sc, s, m->component, sizeof m->component);
        m->applied = applied;
        m->reached = reached;
        mr_summarize_in(col + 2 * s, reps, ncols, MR_RANGE_NONNEG, &m->t_s);
        mr__km_censor_reps(&m->t_s, col + 2 * s, col + 2 * s + 1, ncols, reps, ncols);
        at[s] = ep->ntimeline++;
    }
    /* The most frequent critical path; a tie goes to the earlier slot. */
    uint64_t *count = mr_xcalloc(3 * S, sizeof *count);
    for (uint64_t i = 0; i < reps; i++) {
        double v = col[i * ncols + 2 * S];
        if (!isnan(v) && v >= 0 && v < 3 * S) {
            count[(size_t)v]++;
            ep->critical_of++;
        }
    }
    size_t best = SIZE_MAX;
    for (size_t x = 0; x < 3 * S; x++)
        if (count[x] > 0 && (best == SIZE_MAX || count[x] > count[best]))
            best = x;
    if (best != SIZE_MAX && at[best % S] != SIZE_MAX) {
        ep->has_critical = 1;
        ep->critical = at[best % S];
        ep->critical_censored = best >= S && best < 2 * S;
        ep->critical_n = count[best];
        if (best >= 2 * S)
            snprintf(ep->critical_reason, sizeof ep->critical_reason,
                     "%s back at the fault's end: nothing else took over, recovery waited on "
                     "the repair", ep->target);
        else
            reason(sc, f, best % S, ep->critical_reason, sizeof ep->critical_reason);
    }
    free(count);
    free(at);
}
