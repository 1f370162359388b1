/* sim/run/recommend.c: the search of `mrsim recommend` (recommend.h;
 * docs/recommend.md says what it guarantees and what is heuristic).
 *
 * 1. Candidates: the cross product of the space, last key fastest; a key
 *    whose `when` fails keeps the base's value, and the combinations that
 *    differ only in it collapse into the one with its first value.
 * 2. Screen: each candidate at aggregate fidelity, screen_replications
 *    replications, all with one seed (common random numbers). A candidate
 *    that an objective's bound shows missed is ruled out; none is shown
 *    feasible here (the aggregate model is an approximation).
 * 3. Confirmation at confirm_fidelity, survivors in order of screened cost
 *    (then fewer changes, then space order): stage s adds replications
 *    with seed seed_s (the same for every candidate: common random
 *    numbers) until the total is stage_replications x 2^(s-1), at most
 *    n_max. After each stage every objective is judged at
 *    alpha_look = (1 - confidence) / (objectives x looks): a miss rules
 *    the candidate out, all met make it feasible. Before a candidate
 *    starts, it is dropped as dominated when it can no longer be one of
 *    the options: costlier than the cheapest feasible's x (1 + margin)
 *    and with no fewer changes than the feasible one with the fewest.
 * Nothing here depends on the thread count: each run is deterministic
 * for its seed, and every decision reads the runs in a fixed order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "run/recommend.h"

const char *mr_rec_state_name(mr_rec_state s)
{
    static const char *const names[] = {"not evaluated", "feasible", "infeasible", "dominated",
                                        "undecided"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* ---- Statistics ---------------------------------------------------------------------- */

void mr_rec_judge(const mr_sc_rec_objective *ob, const double *rows, uint64_t n, double alpha,
                  mr_rec_verdict *out)
{
    uint64_t m = 0, k = 0;
    double sum = 0, sum2 = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = rows[i * MR_METRIC_COUNT + (size_t)ob->metric];
        if (isnan(x))
            continue;
        m++;
        k += ob->ge ? x >= ob->limit : x <= ob->limit;
        sum += x;
    }
    *out = (mr_rec_verdict){.n = m, .est = NAN, .lo = NAN, .hi = NAN, .verdict = 0};
    if (m == 0) {
        out->verdict = -2;
        return;
    }
    if (ob->quantile > 0) {
        /* One-sided Clopper-Pearson bounds on the share p of replications
         * meeting the bound: P(p < lo) <= alpha and P(p > hi) <= alpha. */
        out->est = (double)k / (double)m;
        out->lo = k == 0 ? 0 : gsl_cdf_beta_Pinv(alpha, (double)k, (double)(m - k + 1));
        out->hi = k == m ? 1 : gsl_cdf_beta_Pinv(1 - alpha, (double)(k + 1), (double)(m - k));
        out->verdict = out->lo >= ob->quantile ? 1 : out->hi < ob->quantile ? -1 : 0;
        return;
    }
    double mean = sum / (double)m;
    for (uint64_t i = 0; i < n; i++) {
        double x = rows[i * MR_METRIC_COUNT + (size_t)ob->metric];
        if (!isnan(x))
            sum2 += (x - mean) * (x - mean);
    }
    out->est = mean;
    if (m < 2)
        return;
    /* One-sided t bounds on the mean; a metric with no spread (a run-rate
     * cost, an availability of exactly 1) is decided by its value. */
    double sd = sqrt(sum2 / (double)(m - 1));
    double half = sd > 0 ? gsl_cdf_tdist_Pinv(1 - alpha, (double)(m - 1)) * sd / sqrt((double)m)
                         : 0;
    out->lo = mean - half;
    out->hi = mean + half;
    if (ob->ge)
        out->verdict = out->lo >= ob->limit ? 1 : out->hi < ob->limit ? -1 : 0;
    else
        out->verdict = out->hi <= ob->limit ? 1 : out->lo > ob->limit ? -1 : 0;
}

uint64_t mr_rec_n_needed(const mr_sc_recommend *rec, double alpha, uint64_t floor_n)
{
    uint64_t n = floor_n;
    for (size_t i = 0; i < rec->nobjectives; i++) {
        double q = rec->objectives[i].quantile;
        if (q <= 0)
            continue;
        /* With every replication meeting the bound the lower bound is
         * alpha^(1/n): it reaches q once n >= ln alpha / ln q. */
        double need = ceil(log(alpha) / log(q) - 1e-9);
        if (need > (double)n)
            n = need > 1e7 ? 10000000 : (uint64_t)need;
    }
    return n;
}

/* The looks a candidate gets to reach n replications: n1, 2 n1, 4 n1, ...,
 * the last capped at n. */
static uint64_t looks_to(uint64_t n1, uint64_t n)
{
    uint64_t looks = 1;
    for (uint64_t t = n1; t < n; t *= 2)
        looks++;
    return looks;
}

/* The least replications any candidate gets before a mean objective is
 * judged final: the project's default run.replications (30, ours). */
#define MR_REC_FLOOR 30

/* ---- Candidates ----------------------------------------------------------------------- */

static int when_holds(const mr_sc_recommend *rec, const mr_sc_rec_key *key, const size_t *idx)
{
    int any = 0, group = 1;
    for (size_t a = 0; a < key->nwhen; a++) {
        const mr_sc_rec_atom *at = &key->when[a];
        if (a > 0 && at->or_before) {
            any |= group;
            group = 1;
        }
        const mr_sc_rec_key *other = &rec->keys[at->key];
        int eq = strcmp(other->texts[idx[at->key]], at->value) == 0;
        group &= at->neq ? !eq : eq;
    }
    return any | group;
}

static void enumerate(mr_rec_result *r)
{
    const mr_sc_recommend *rec = r->rec;
    size_t total = 1;
    for (size_t k = 0; k < rec->nkeys; k++)
        total *= rec->keys[k].nvalues; /* bounded by MR_REC_MAX_CANDIDATES */
    r->cands = mr_xcalloc(total, sizeof *r->cands);
    size_t *idx = mr_xcalloc(rec->nkeys + 1, sizeof *idx);
    for (size_t i = 0; i < total; i++) {
        size_t rest = i;
        for (size_t k = rec->nkeys; k-- > 0;) {
            idx[k] = rest % rec->keys[k].nvalues;
            rest /= rec->keys[k].nvalues;
        }
        int dup = 0;
        for (size_t k = 0; k < rec->nkeys && !dup; k++)
            if (rec->keys[k].nwhen > 0 && !when_holds(rec, &rec->keys[k], idx))
                dup = idx[k] != 0;
        if (dup)
            continue;
        mr_rec_cand *c = &r->cands[r->ncand++];
        c->idx = mr_xcalloc(rec->nkeys + 1, sizeof *c->idx);
        c->sets = mr_xcalloc(rec->nkeys + 1, sizeof *c->sets);
        c->binding = -1;
        c->changed = mr_xcalloc(rec->nkeys + 1, 1);
        for (size_t k = 0; k < rec->nkeys; k++) {
            int active = rec->keys[k].nwhen == 0 || when_holds(rec, &rec->keys[k], idx);
            c->idx[k] = active ? idx[k] : SIZE_MAX;
            if (active)
                c->sets[c->nsets++] = mr_xstrdup(rec->keys[k].values[idx[k]].text);
        }
        c->v = mr_xcalloc(rec->nobjectives + 1, sizeof *c->v);
        c->cost = NAN;
    }
    free(idx);
}

char *mr_rec_label(const mr_rec_cand *c)
{
    size_t len = 16;
    for (size_t i = 0; i < c->nsets; i++)
        len += strlen(c->sets[i]) + 2;
    char *s = mr_xcalloc(len, 1);
    if (c->nsets == 0)
        strcpy(s, "(the base)");
    for (size_t i = 0; i < c->nsets; i++) {
        if (i)
            strcat(s, "; ");
        strcat(s, c->sets[i]);
    }
    return s;
}

/* Loads candidate c at fidelity fid (NULL: the file's). The file's
 * recommend: section is set to null: its values were checked with the
 * base, and checking them again for every candidate would cost a binding
 * per value. */
static int load_cand(const char *file, const mr_rec_opts *o, const mr_rec_cand *c,
                     const char *fid, mr_scenario **out, mr_diag *diag)
{
    size_t n = 0;
    const char **sets = mr_xcalloc(o->nsets + c->nsets + 3, sizeof *sets);
    for (size_t i = 0; i < o->nsets; i++)
        sets[n++] = o->sets[i];
    for (size_t i = 0; i < c->nsets; i++)
        sets[n++] = c->sets[i];
    char fset[64];
    if (fid) {
        snprintf(fset, sizeof fset, "run.fidelity=%s", fid);
        sets[n++] = fset;
    }
    sets[n++] = "recommend=null";
    int rc = mr_scenario_load(file, sets, n, o->kinds, out, diag);
    if (rc == MR_OK) {
        rc = mr_build_check(*out, diag);
        if (rc != MR_OK) {
            mr_scenario_free(*out);
            *out = NULL;
        }
    }
    free(sets);
    return rc;
}

/* The resolved values at or under one path ("datastores[0]" holds
 * "datastores[0].kind", "datastores[0].replicas[0].region", ...), in
 * binding order. */
typedef struct under {
    const char *prefix;
    size_t plen;
    const char **path, **value;
    size_t n, cap;
} under;

static void collect(void *ctx, const char *path, const char *value)
{
    under *u = ctx;
    if (strncmp(path, u->prefix, u->plen) != 0 ||
        (path[u->plen] != '\0' && path[u->plen] != '.' && path[u->plen] != '['))
        return;
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 16;
        u->path = mr_xrealloc(u->path, u->cap * sizeof *u->path);
        u->value = mr_xrealloc(u->value, u->cap * sizeof *u->value);
    }
    u->path[u->n] = path;
    u->value[u->n++] = value;
}

/* Keys whose resolved values in sc differ from the base's: every value at
 * or under the key's path, defaults included, so that a map-valued key
 * (a whole data store) set to what the base has counts as unchanged. */
static size_t changed_keys(const mr_rec_result *r, mr_rec_cand *c, const mr_scenario *sc)
{
    size_t n = 0;
    for (size_t k = 0; k < r->rec->nkeys; k++) {
        if (c->idx[k] == SIZE_MAX)
            continue;
        const char *p = r->rec->keys[k].path;
        under a = {.prefix = p, .plen = strlen(p)}, b = a;
        mr_scenario_each_value(r->base, collect, &a);
        mr_scenario_each_value(sc, collect, &b);
        int same = a.n == b.n;
        for (size_t i = 0; same && i < a.n; i++)
            same = strcmp(a.path[i], b.path[i]) == 0 && strcmp(a.value[i], b.value[i]) == 0;
        n += !same;
        c->changed[k] = !same;
        free(a.path);
        free(a.value);
        free(b.path);
        free(b.value);
    }
    return n;
}

/* ---- Runs ------------------------------------------------------------------------------- */

typedef struct search {
    const char *file;
    const mr_rec_opts *o;
    mr_rec_result *r;
    mr_diag *diag;
    double t0;
    const char *confirm_fid;
} search;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The seed of stage s (0: the screen): a SplitMix64 step of the run's
 * seed, so stages are independent streams and every candidate's stage s
 * shares them (common random numbers). */
static uint64_t stage_seed(uint64_t seed, uint64_t s)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (s + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* 1 when running n more replications would exceed the budget. */
static int over_budget(search *s, uint64_t n)
{
    const mr_rec_result *r = s->r;
    if (s->o->budget_reps > 0 && r->reps_screen + r->reps_confirm + n > s->o->budget_reps)
        return 1;
    return s->o->budget_s > 0 && now_s() - s->t0 >= s->o->budget_s;
}

/* Runs n replications of sc with stage s's seed and appends their rows to
 * *rows (holding *have rows). */
static int run_rows(search *s, const mr_scenario *sc, const mr_rec_cand *c, const char *fid,
                    uint64_t stage, uint64_t n, double **rows, uint64_t *have)
{
    mr_run_opts ro = {.replications = n,
                      .seed = stage_seed(s->r->seed, stage),
                      .seed_set = 1,
                      .jobs = s->o->jobs > 0 ? s->o->jobs : 1,
                      .stop = s->o->stop};
    if (s->o->before_run) {
        char *label = mr_rec_label(c);
        size_t len = strlen(label) + 64;
        char *full = mr_xmalloc(len);
        snprintf(full, len, "%s [%s, stage %llu]", label, fid, (unsigned long long)stage);
        s->o->before_run(s->o->before_run_ctx, &ro, sc, full);
        free(full);
        free(label);
    }
    mr_result res;
    int rc = mr_run_scenario(sc, &ro, &res, s->diag);
    if (rc != MR_OK)
        return rc;
    *rows = mr_xrealloc(*rows, (size_t)(*have + n) * MR_METRIC_COUNT * sizeof **rows);
    memcpy(*rows + *have * MR_METRIC_COUNT, res.per_rep, (size_t)n * MR_METRIC_COUNT * sizeof **rows);
    *have += n;
    mr_result_fini(&res);
    return MR_OK;
}

static double mean_of(const double *rows, uint64_t n, int metric)
{
    double sum = 0;
    uint64_t m = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = rows[i * MR_METRIC_COUNT + (size_t)metric];
        if (!isnan(x)) {
            sum += x;
            m++;
        }
    }
    return m ? sum / (double)m : NAN;
}

/* Judges every objective on the rows; returns -1 (one missed: *binding
 * is the first), +1 (all met) or 0. */
static int judge_all(const mr_rec_result *r, mr_rec_cand *c, const double *rows, uint64_t n,
                     int *binding)
{
    int all = 1, missed = 0;
    for (size_t i = 0; i < r->rec->nobjectives; i++) {
        mr_rec_judge(&r->rec->objectives[i], rows, n, r->alpha_look, &c->v[i]);
        if (c->v[i].verdict != 1)
            all = 0;
        if (c->v[i].verdict == -1 && !missed) {
            missed = 1;
            *binding = (int)i;
        }
    }
    return missed ? -1 : all ? 1 : 0;
}

static void report_progress(search *s)
{
    if (s->o->progress == NULL)
        return;
    size_t left = 0;
    for (size_t i = 0; i < s->r->ncand; i++)
        left += s->r->cands[i].state == MR_REC_UNSEEN;
    s->o->progress(s->o->progress_ctx, left, s->r->ncand, s->r->reps_screen + s->r->reps_confirm);
}

static void invalid(search *s, const mr_rec_cand *c)
{
    char *label = mr_rec_label(c);
    mr_diag_error(s->diag, &s->r->rec->mark,
                  "recommend: the candidate %s is not a valid scenario (below); add a when: "
                  "condition or drop the value",
                  label);
    free(label);
}

/* Loads every candidate at the confirmation fidelity (validity, changed
 * keys) and screens it at aggregate fidelity. */
static int screen(search *s)
{
    mr_rec_result *r = s->r;
    uint64_t n = (uint64_t)r->rec->screen_replications;
    for (size_t i = 0; i < r->ncand; i++) {
        mr_rec_cand *c = &r->cands[i];
        mr_scenario *sc = NULL;
        mr_diag *d = mr_diag_new();
        int rc = load_cand(s->file, s->o, c, s->confirm_fid, &sc, d);
        if (rc != MR_OK) {
            /* Named first, then its problems, loaded again into the
             * caller's list (only on this path). */
            mr_diag_free(d);
            invalid(s, c);
            if (load_cand(s->file, s->o, c, s->confirm_fid, &sc, s->diag) == MR_OK)
                mr_scenario_free(sc); /* cannot happen: loading is deterministic */
            return rc;
        }
        mr_diag_free(d);
        c->nchanged = changed_keys(r, c, sc);
        mr_scenario_free(sc);
        if (n == 0)
            continue;
        if (over_budget(s, n)) {
            r->budget_hit = 1;
            continue; /* the remaining candidates are still loaded and counted */
        }
        d = mr_diag_new();
        rc = load_cand(s->file, s->o, c, "aggregate", &sc, d);
        mr_diag_free(d);
        if (rc != MR_OK) {
            c->screen_skipped = 1; /* valid at the confirming fidelity only */
            continue;
        }
        rc = run_rows(s, sc, c, "aggregate", 0, n, &c->screen_rows, &c->screen_n);
        mr_scenario_free(sc);
        if (rc != MR_OK)
            return rc;
        r->reps_screen += n;
        c->cost = mean_of(c->screen_rows, c->screen_n, r->rec->minimise);
        if (judge_all(r, c, c->screen_rows, c->screen_n, &c->binding) < 0) {
            c->state = MR_REC_INFEASIBLE;
            c->screened_out = 1;
        }
        if ((i + 1) % 16 == 0)
            report_progress(s);
    }
    return MR_OK;
}

/* The order of confirmation: screened cost, then fewer changes, then the
 * space's order; an unscreened cost (NaN) last. Sorted on copies of the
 * keys, so the comparison needs no pointer back to the result. */
typedef struct order_key {
    double cost;
    size_t nchanged, index;
} order_key;

static int by_cost(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    int na = isnan(a->cost), nb = isnan(b->cost);
    if (na != nb)
        return na - nb;
    if (!na && a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    if (a->nchanged != b->nchanged)
        return a->nchanged < b->nchanged ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The mean of metric m on the candidate's latest rows (+inf when none). */
static double latest_mean(const mr_rec_cand *c, int m)
{
    double v = c->n > 0 ? mean_of(c->rows, c->n, m) : mean_of(c->screen_rows, c->screen_n, m);
    return isnan(v) ? INFINITY : v;
}

/* 1 when c can no longer be an option, given the feasible ones so far
 * (the candidates come cheapest first, so c is no cheaper than the
 * cheapest feasible): it has no fewer changes than the feasible one with
 * the fewest, and it is either costlier than the cheapest's x (1 +
 * margin) or, by its screen, no faster to recover (mean rto_s, then
 * rpo_s) than the best feasible within the margin. The second rule reads
 * the aggregate screen: a heuristic (docs/recommend.md). */
static int dominated(const mr_rec_result *r, const mr_rec_cand *c)
{
    double best = INFINITY;
    size_t fewest = SIZE_MAX;
    for (size_t i = 0; i < r->ncand; i++) {
        const mr_rec_cand *f = &r->cands[i];
        if (f->state != MR_REC_FEASIBLE)
            continue;
        if (f->cost < best)
            best = f->cost;
        if (f->nchanged < fewest)
            fewest = f->nchanged;
    }
    if (fewest == SIZE_MAX || isnan(c->cost) || c->nchanged < fewest)
        return 0;
    double cap = best * (1 + r->rec->margin);
    if (c->cost > cap)
        return 1;
    double crto = latest_mean(c, MR_METRIC_RTO_S), crpo = latest_mean(c, MR_METRIC_RPO_S);
    for (size_t i = 0; i < r->ncand; i++) {
        const mr_rec_cand *f = &r->cands[i];
        if (f->state != MR_REC_FEASIBLE || f->cost > cap)
            continue;
        double frto = latest_mean(f, MR_METRIC_RTO_S), frpo = latest_mean(f, MR_METRIC_RPO_S);
        if (crto > frto || (crto == frto && crpo >= frpo))
            return 1;
    }
    return 0;
}

static int confirm(search *s)
{
    mr_rec_result *r = s->r;
    order_key *order = mr_xcalloc(r->ncand + 1, sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < r->ncand; i++)
        if (r->cands[i].state == MR_REC_UNSEEN)
            order[n++] = (order_key){r->cands[i].cost, r->cands[i].nchanged, i};
    qsort(order, n, sizeof *order, by_cost);
    int rc = MR_OK;
    for (size_t j = 0; j < n && rc == MR_OK && !r->budget_hit; j++) {
        mr_rec_cand *c = &r->cands[order[j].index];
        if (dominated(r, c)) {
            c->state = MR_REC_DOMINATED;
            continue;
        }
        mr_scenario *sc = NULL;
        rc = load_cand(s->file, s->o, c, s->confirm_fid, &sc, s->diag);
        if (rc != MR_OK)
            break;
        uint64_t target = (uint64_t)r->rec->stage_replications;
        for (uint64_t stage = 1; c->state == MR_REC_UNSEEN || c->state == MR_REC_UNDECIDED;
             stage++) {
            if (target > r->n_max)
                target = r->n_max;
            uint64_t add = target - c->n;
            if (over_budget(s, add)) {
                r->budget_hit = 1;
                break;
            }
            rc = run_rows(s, sc, c, s->confirm_fid, stage, add, &c->rows, &c->n);
            if (rc != MR_OK)
                break;
            r->reps_confirm += add;
            c->cost = mean_of(c->rows, c->n, r->rec->minimise);
            int v = judge_all(r, c, c->rows, c->n, &c->binding);
            c->state = v < 0 ? MR_REC_INFEASIBLE : v > 0 ? MR_REC_FEASIBLE : MR_REC_UNDECIDED;
            if (c->state == MR_REC_UNDECIDED && c->n >= r->n_max)
                break;
            target *= 2;
        }
        if (c->state != MR_REC_INFEASIBLE)
            c->binding = -1;
        mr_scenario_free(sc);
        report_progress(s);
    }
    free(order);
    return rc;
}

/* ---- Options ------------------------------------------------------------------------------ */

static double mean_metric(const mr_rec_cand *c, int m)
{
    double v = mean_of(c->rows, c->n, m);
    return isnan(v) ? INFINITY : v;
}

/* How far c is from meeting every objective: the objectives it does not
 * meet, then the sum of its shortfalls (of the share for .pQ, relative to
 * the limit for a mean). */
static void distance(const mr_rec_result *r, const mr_rec_cand *c, size_t *unmet, double *gap)
{
    *unmet = 0;
    *gap = 0;
    for (size_t i = 0; i < r->rec->nobjectives; i++) {
        const mr_sc_rec_objective *ob = &r->rec->objectives[i];
        const mr_rec_verdict *v = &c->v[i];
        if (v->verdict == 1)
            continue;
        (*unmet)++;
        if (v->verdict == -2 || isnan(v->est)) {
            *gap += 1;
            continue;
        }
        double g = ob->quantile > 0 ? ob->quantile - v->est
                                    : (ob->ge ? ob->limit - v->est : v->est - ob->limit) /
                                          (fabs(ob->limit) > 0 ? fabs(ob->limit) : 1);
        *gap += g > 0 ? g : 0;
    }
}

static void choose(mr_rec_result *r)
{
    r->cheapest = r->best_recovery = r->fewest = SIZE_MAX;
    for (size_t i = 0; i < r->ncand; i++) {
        const mr_rec_cand *c = &r->cands[i];
        if (c->state != MR_REC_FEASIBLE)
            continue;
        if (r->cheapest == SIZE_MAX || c->cost < r->cands[r->cheapest].cost ||
            (c->cost == r->cands[r->cheapest].cost && c->nchanged < r->cands[r->cheapest].nchanged))
            r->cheapest = i;
        if (r->fewest == SIZE_MAX || c->nchanged < r->cands[r->fewest].nchanged ||
            (c->nchanged == r->cands[r->fewest].nchanged && c->cost < r->cands[r->fewest].cost))
            r->fewest = i;
    }
    if (r->cheapest != SIZE_MAX) {
        double cap = r->cands[r->cheapest].cost * (1 + r->rec->margin);
        for (size_t i = 0; i < r->ncand; i++) {
            const mr_rec_cand *c = &r->cands[i];
            if (c->state != MR_REC_FEASIBLE || c->cost > cap)
                continue;
            if (r->best_recovery == SIZE_MAX) {
                r->best_recovery = i;
                continue;
            }
            const mr_rec_cand *b = &r->cands[r->best_recovery];
            double cr = mean_metric(c, MR_METRIC_RTO_S), br = mean_metric(b, MR_METRIC_RTO_S);
            double cp = mean_metric(c, MR_METRIC_RPO_S), bp = mean_metric(b, MR_METRIC_RPO_S);
            if (cr < br || (cr == br && (cp < bp || (cp == bp && c->cost < b->cost))))
                r->best_recovery = i;
        }
    }
    r->ruled_out = mr_xcalloc(r->rec->nobjectives + 1, sizeof *r->ruled_out);
    for (size_t i = 0; i < r->ncand; i++)
        if (r->cands[i].state == MR_REC_INFEASIBLE && r->cands[i].binding >= 0)
            r->ruled_out[r->cands[i].binding]++;
    r->binding = -1;
    for (size_t i = 0; i < r->rec->nobjectives; i++)
        if (r->ruled_out[i] > 0 && (r->binding < 0 || r->ruled_out[i] > r->ruled_out[r->binding]))
            r->binding = (int)i;
    for (size_t k = 0; k < 3; k++)
        r->closest[k] = SIZE_MAX;
    if (r->cheapest != SIZE_MAX)
        return;
    /* The closest: fewest objectives unmet, then the smallest shortfall,
     * then the cheaper, over the candidates that ran. */
    for (size_t i = 0; i < r->ncand; i++) {
        const mr_rec_cand *c = &r->cands[i];
        if (c->n == 0 && c->screen_n == 0)
            continue;
        size_t u;
        double g;
        distance(r, c, &u, &g);
        for (size_t k = 0; k < 3; k++) {
            size_t uk;
            double gk;
            if (r->closest[k] != SIZE_MAX)
                distance(r, &r->cands[r->closest[k]], &uk, &gk);
            if (r->closest[k] == SIZE_MAX || u < uk || (u == uk && g < gk)) {
                memmove(&r->closest[k + 1], &r->closest[k], (2 - k) * sizeof r->closest[0]);
                r->closest[k] = i;
                break;
            }
        }
    }
}

/* ---- The search ---------------------------------------------------------------------------- */

int mr_rec_search(const char *file, const mr_rec_opts *o, mr_rec_result *out, mr_diag *diag)
{
    memset(out, 0, sizeof *out);
    out->cheapest = out->best_recovery = out->fewest = SIZE_MAX;
    out->binding = -1;
    int rc = mr_scenario_load(file, o->sets, o->nsets, o->kinds, &out->base, diag);
    if (rc != MR_OK)
        return rc;
    const mr_sc_recommend *rec = &out->base->recommend;
    out->rec = rec;
    if (!rec->present) {
        mr_mark top = {.file = file, .line = 1, .column = 1};
        mr_diag_error(diag, &top,
                      "no recommend: section; add one with space: and objectives: "
                      "(docs/recommend.md)");
        return MR_ESCENARIO;
    }
    out->seed = o->seed_set ? o->seed : out->base->seed;
    /* The looks and the cap decide each other: more looks lower each
     * test's level, which needs more replications, which may need a look
     * more. The loop ends at the first consistent pair. */
    double alpha = 1 - rec->confidence;
    uint64_t n1 = (uint64_t)rec->stage_replications;
    for (uint64_t looks = 1;; looks++) {
        double a = alpha / ((double)rec->nobjectives * (double)looks);
        uint64_t n = mr_rec_n_needed(rec, a, MR_REC_FLOOR > n1 ? MR_REC_FLOOR : n1);
        if (looks_to(n1, n) <= looks || looks >= 64) {
            out->looks = looks;
            out->alpha_look = a;
            out->n_max = n;
            break;
        }
    }
    out->n_exhaustive = mr_rec_n_needed(rec, alpha / (double)rec->nobjectives, MR_REC_FLOOR);
    enumerate(out);
    search s = {.file = file,
                .o = o,
                .r = out,
                .diag = diag,
                .t0 = now_s(),
                .confirm_fid = mr_fidelity_names[rec->confirm_fidelity]};
    rc = screen(&s);
    if (rc == MR_OK) {
        report_progress(&s);
        rc = confirm(&s);
    }
    out->wall_s = now_s() - s.t0;
    if (rc == MR_OK)
        choose(out);
    return rc;
}

void mr_rec_result_fini(mr_rec_result *r)
{
    for (size_t i = 0; i < r->ncand; i++) {
        mr_rec_cand *c = &r->cands[i];
        for (size_t k = 0; k < c->nsets; k++)
            free(c->sets[k]);
        free(c->sets);
        free(c->idx);
        free(c->changed);
        free(c->rows);
        free(c->screen_rows);
        free(c->v);
    }
    free(r->cands);
    free(r->ruled_out);
    mr_scenario_free(r->base);
    memset(r, 0, sizeof *r);
}
