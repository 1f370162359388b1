/* models/dns_resolver.c: a pool of recursive resolvers caching the traffic
 * layer's answer (docs/model.md rule 3). A resolver holding no answer or an
 * expired one asks the authority on the next query and keeps the answer for
 * the record's TTL stretched by its policy: honor (the TTL), floor
 * (max(TTL, min_ttl)) or extra (TTL + a hold drawn at each refresh). Policies
 * are given by share and assigned to resolvers in index order, so the same
 * resolvers violate the TTL in every replication and every variant.
 * Caches start in steady state: at t = 0 each holds the answer current at
 * t = 0 with a remaining lifetime uniform in [0, effective TTL).
 * Invariant: expiry[i] is the first time resolver i asks again. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "fault_set.h"
#include "resolver.h"
#include "traffic.h"

static int resolver_init(mr_component *self, mr_diag *diag)
{
    const mr_resolver_cfg *cfg = self->cfg;
    mr_resolver_state *st = self->state;
    double sum = 0;
    for (int64_t p = 0; p < cfg->npol; p++)
        sum += cfg->pol[p].share;
    if (cfg->npol > 0 && (sum < 1 - 1e-9 || sum > 1 + 1e-9)) {
        mr_diag_error(diag, NULL, "%s: TTL policy shares sum to %g, not 1", self->name, sum);
        return MR_ERANGE;
    }
    size_t n = (size_t)cfg->count;
    st->answer = mr_xcalloc(n, sizeof *st->answer);
    st->expiry = mr_xcalloc(n, sizeof *st->expiry);
    st->policy = mr_xcalloc(n, sizeof *st->policy);
    /* Policy p covers the resolvers from the cumulative share before it. */
    double cum = 0;
    size_t i = 0;
    for (int64_t p = 0; p < cfg->npol; p++) {
        cum += cfg->pol[p].share;
        size_t end = p == cfg->npol - 1 ? n : (size_t)(cum * (double)n + 0.5);
        for (; i < end && i < n; i++)
            st->policy[i] = (uint8_t)p;
    }
    return MR_OK;
}

static int resolver_link(mr_component *self, mr_sim *sim, mr_diag *diag)
{
    const mr_resolver_cfg *cfg = self->cfg;
    mr_resolver_state *st = self->state;
    mr_component *t = cfg->tm >= 0 && cfg->tm <= UINT32_MAX ? mr_sim_component(sim, (uint32_t)cfg->tm)
                                                             : NULL;
    if (mr__traffic_ops(t) == NULL) {
        mr_diag_error(diag, NULL, "%s: its authority (component %lld) is not a traffic layer",
                      self->name, (long long)cfg->tm);
        return MR_ENOCOMP;
    }
    st->tm = t;
    if (mr__traffic_base(t)->n < 1) {
        mr_diag_error(diag, NULL, "%s: its authority %s has no endpoint to answer with",
                      self->name, t->name);
        return MR_ENOCOMP;
    }
    int rc = MR_OK;
    st->clock = mr__faults_clock(sim, self, cfg->faults, diag, &rc);
    /* Indexed by component id, so that a request counts with one
     * increment and no search (clients.c attempt). */
    st->nused = (uint32_t)mr_sim_component_count(sim);
    st->used = mr_xcalloc((size_t)st->nused + 1, sizeof *st->used);
    return rc;
}

/* The time resolver i keeps an answer fetched now. */
static mr_time effective_ttl(mr_component *self, uint32_t i)
{
    const mr_resolver_cfg *cfg = self->cfg;
    const mr_resolver_state *st = self->state;
    mr_time ttl = mr__traffic_ttl(st->tm);
    if (cfg->npol == 0)
        return ttl;
    const mr_ttl_policy *p = &cfg->pol[st->policy[i]];
    switch (p->mode) {
    case MR_TTL_FLOOR:
        return ttl > p->min_ttl ? ttl : p->min_ttl;
    case MR_TTL_EXTRA:
        return mr_time_add_sat(ttl, mr_dist_sample_time(&p->hold, self->rng));
    default:
        return ttl;
    }
}

double mr__resolver_mean_hold_s(const mr_component *pool, uint32_t i)
{
    const mr_resolver_cfg *cfg = pool->cfg;
    const mr_resolver_state *st = pool->state;
    double ttl = (double)mr__traffic_ttl(st->tm);
    if (cfg->npol == 0)
        return ttl / 1e9;
    const mr_ttl_policy *p = &cfg->pol[st->policy[i]];
    switch (p->mode) {
    case MR_TTL_FLOOR:
        return (ttl > (double)p->min_ttl ? ttl : (double)p->min_ttl) / 1e9;
    case MR_TTL_EXTRA: {
        double hold = mr_dist_mean(&p->hold);
        if (!(hold >= 0) || !isfinite(hold))
            hold = mr_dist_quantile(&p->hold, 0.5);
        return (ttl + hold) / 1e9;
    }
    default:
        return ttl / 1e9;
    }
}

mr_time mr__resolver_hold(mr_component *pool, uint32_t i)
{
    return effective_ttl(pool, i);
}

/* The remaining lifetime at t = 0 of resolver i's cached answer, in
 * steady state (rule 3). With a fixed lifetime it is uniform on [0, TTL).
 * With a random one (an extra hold) a uniform fraction of one draw would be
 * too short: the cycle that spans t = 0 is length-biased (renewal theory).
 * So the cycles are run from far in the past, BURN_IN mean lifetimes back,
 * until one spans t = 0: its end is the expiry. */
#define BURN_IN 64
static mr_time initial_expiry(mr_component *self, uint32_t i)
{
    const mr_resolver_cfg *cfg = self->cfg;
    const mr_resolver_state *st = self->state;
    if (cfg->npol == 0 || cfg->pol[st->policy[i]].mode != MR_TTL_EXTRA)
        return (mr_time)(mr_rng_uniform(self->rng) * (double)effective_ttl(self, i));
    const mr_dist *hold = &cfg->pol[st->policy[i]].hold;
    double mean = (double)mr__traffic_ttl(st->tm) + mr_dist_mean(hold);
    if (!(mean > 0) || !isfinite(mean)) /* heavy tails without a mean: the median */
        mean = (double)mr__traffic_ttl(st->tm) + mr_dist_quantile(hold, 0.5);
    /* A TTL near its maximum (2^31 s) puts BURN_IN means past int64 ns:
     * start as far back as the clock goes instead. */
    double back = BURN_IN * mean;
    mr_time t = back < 9e18 ? -(mr_time)back : -MR_TIME_NEVER;
    for (int guard = 0; t <= 0 && guard < 1000 * BURN_IN; guard++)
        t = mr_time_add_sat(t, effective_ttl(self, i));
    return t > 0 ? t : 0;
}

static void resolver_start(mr_component *self, mr_sim *sim)
{
    const mr_resolver_cfg *cfg = self->cfg;
    mr_resolver_state *st = self->state;
    (void)sim;
    for (uint32_t i = 0; i < (uint32_t)cfg->count; i++) {
        st->answer[i] = mr__traffic_answer(st->tm, self->rng, cfg->origin, 0);
        st->expiry[i] = initial_expiry(self, i);
    }
}

uint32_t mr__resolver_lookup(mr_component *pool, uint32_t i, mr_time now)
{
    mr_resolver_state *st = pool->state;
    if (now >= st->expiry[i]) {
        const mr_resolver_cfg *cfg = pool->cfg;
        uint32_t a = mr__traffic_answer(st->tm, pool->rng, cfg->origin, now);
        if (a == MR_NO_ANSWER)
            return a; /* nothing to cache: the next query asks again */
        /* Counted once answered: refreshes are the authority's billed
         * queries (sim/run/cost.c), and an authority that is down answers
         * and bills none, however often the resolvers ask. */
        st->refreshes++;
        st->refreshes_normal += (uint64_t)mr__clock_normal(st->clock);
        st->answer[i] = a;
        st->expiry[i] = mr_time_add_sat(now, effective_ttl(pool, i));
    }
    return st->answer[i];
}

static void resolver_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)self;
    mr_sim_unhandled(sim, ev);
}

static void resolver_report(const mr_component *self, mr_report *out)
{
    const mr_resolver_state *st = self->state;
    mr_report_scalar(out, self->name, "refreshes", (double)st->refreshes);
    mr_report_scalar(out, self->name, "refreshes_normal", (double)st->refreshes_normal);
}

/* Vectors: per endpoint of its authority, the share of its resolvers
 * holding that endpoint as a live (unexpired) answer (a level; an expired
 * one asks again at its next query, so it answers nothing until then);
 * then the requests its clients issued (a running count) and, per
 * endpoint, those whose first attempt used it (running counts, which the
 * database turns into request_share/CLUSTER, the share of the window's
 * requests: sim/out/db.c copy_series). At aggregate fidelity the hub has
 * the answers and reports both (clients_agg.c agg_series). */
static size_t resolver_series(const mr_component *self, const mr_sim *sim, mr_series_desc *out,
                              size_t cap)
{
    const mr_resolver_state *st = self->state;
    /* Front Door's resolvers answer its own anycast address, never an
     * origin: no mix to show (a string comparison once a replication). */
    if (st->hub || st->tm == NULL || strcmp(st->tm->model->kind, "front_door") == 0)
        return 0;
    const mr_traffic_base *b = mr__traffic_base(st->tm);
    if ((size_t)(2 * b->n + 1) > cap)
        return 0;
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        if (k == 1) {
            snprintf(out[n].component, sizeof out[n].component, "%s", self->name);
            snprintf(out[n].metric, sizeof out[n].metric, "requests");
            out[n].unit = "requests";
            out[n++].counter = 1;
        }
        for (int64_t e = 0; e < b->n; e++, n++) {
            const mr_component *c = mr_sim_component(sim, (uint32_t)b->cluster[e]);
            const char *name = c ? c->name : "?";
            const char *slash = strchr(name, '/');
            snprintf(out[n].component, sizeof out[n].component, "%s", self->name);
            snprintf(out[n].metric, sizeof out[n].metric, "%s/%s",
                     k == 0 ? "answer_share" : "requests", slash ? slash + 1 : name);
            out[n].unit = k == 0 ? "" : "requests";
            out[n].counter = k;
        }
    }
    return n;
}

static void resolver_sample(const mr_component *self, mr_time now, double *out)
{
    const mr_resolver_cfg *cfg = self->cfg;
    const mr_resolver_state *st = self->state;
    const mr_traffic_base *b = mr__traffic_base(st->tm);
    for (int64_t e = 0; e < b->n; e++)
        out[e] = 0;
    for (int64_t i = 0; i < cfg->count; i++) {
        if (st->expiry[i] <= now)
            continue;
        for (int64_t e = 0; e < b->n; e++)
            if ((int64_t)st->answer[i] == b->cluster[e])
                out[e] += 1;
    }
    for (int64_t e = 0; e < b->n; e++)
        out[e] /= cfg->count > 0 ? (double)cfg->count : 1;
    uint64_t all = 0;
    for (uint32_t c = 0; c <= st->nused; c++)
        all += st->used[c];
    out[b->n] = (double)all;
    for (int64_t e = 0; e < b->n; e++)
        out[b->n + 1 + e] = b->cluster[e] >= 0 && b->cluster[e] < (int64_t)st->nused
                                ? (double)st->used[b->cluster[e]]
                                : 0;
}

static void resolver_fini(mr_component *self)
{
    mr_resolver_state *st = self->state;
    free(st->answer);
    free(st->expiry);
    free(st->policy);
    free(st->used);
}

const mr_model mr_model_dns_resolver = {
    .kind = "resolver",
    .summary = "recursive DNS resolvers: TTL honour, floors, extra holds",
    .cfg_size = sizeof(mr_resolver_cfg),
    .state_size = sizeof(mr_resolver_state),
    .init = resolver_init,
    .link = resolver_link,
    .start = resolver_start,
    .handle = resolver_handle,
    .report = resolver_report,
    .series = resolver_series,
    .sample = resolver_sample,
    .fini = resolver_fini,
};
