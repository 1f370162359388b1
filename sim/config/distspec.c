/* sim/config/distspec.c: distribution specs → mr_dist (distspec.h).
 * One table describes every distribution: its name, its parameters in the
 * order the compact form takes them (which are also its map keys), which of
 * them are plain numbers, and its domain in words. The table's index is the
 * mr_dist_kind, so the compact parser, the map reader and the messages cannot
 * disagree about a distribution.
 *
 * The compact form is read by a small recursive-descent parser over the
 * scalar's text; every offset it reports goes through mr_node_text_mark, so a
 * message points at the argument's column when the source allows and at the
 * scalar otherwise. Invariant: every function here either returns MR_OK with
 * *out built by an mr_dist_* constructor, or returns an error having added at
 * least one diagnostic and finalised every dist it built on the way. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "config/distspec.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"

/* Mixes inside mixes deeper than this are refused (the parser recurses). */
#define MAX_DEPTH 16
/* Compact calls take at most this many parameters (triangular). */
#define MAX_ARGS 3
/* A CSV with more bad lines than this stops being read. */
#define MAX_CSV_ERRORS 10

/* The distributions' names, indexed by mr_dist_kind: the one list that
 * look-ups, hints and messages use. */
static const char *const dist_names[] = {
    [MR_DIST_CONST] = "const",
    [MR_DIST_UNIFORM] = "uniform",
    [MR_DIST_EXPONENTIAL] = "exponential",
    [MR_DIST_NORMAL] = "normal",
    [MR_DIST_LOGNORMAL] = "lognormal",
    [MR_DIST_TRIANGULAR] = "triangular",
    [MR_DIST_WEIBULL] = "weibull",
    [MR_DIST_PARETO] = "pareto",
    [MR_DIST_EMPIRICAL] = "empirical",
    [MR_DIST_MIX] = "mix",
};

typedef struct dist_info {
    int nargs;                  /* -1: one or more values (empirical) or parts (mix) */
    const char *args[MAX_ARGS]; /* compact order = map keys */
    bool plain[MAX_ARGS];       /* a plain number whatever the value kind */
    const char *needs;          /* the domain, as "NAME needs ..." */
    const char *usage;          /* the compact form, for "write ..." */
} dist_info;

/* Indexed by mr_dist_kind. */
static const dist_info dists[] = {
    [MR_DIST_CONST] =
        {
            .nargs = 1,
            .args = {"value"},
            .needs = "a finite value",
            .usage = "const(value)",
        },
    [MR_DIST_UNIFORM] =
        {
            .nargs = 2,
            .args = {"min", "max"},
            .needs = "min <= max",
            .usage = "uniform(min, max)",
        },
    [MR_DIST_EXPONENTIAL] =
        {
            .nargs = 1,
            .args = {"mean"},
            .needs = "mean >= 0",
            .usage = "exponential(mean)",
        },
    [MR_DIST_NORMAL] =
        {
            .nargs = 2,
            .args = {"mean", "sd"},
            .needs = "sd >= 0",
            .usage = "normal(mean, sd)",
        },
    [MR_DIST_LOGNORMAL] =
        {
            .nargs = 2,
            .args = {"median", "sigma"},
            .plain = {false, true},
            .needs = "median > 0 and sigma >= 0",
            .usage = "lognormal(median, sigma)",
        },
    [MR_DIST_TRIANGULAR] =
        {
            .nargs = 3,
            .args = {"min", "mode", "max"},
            .needs = "min <= mode <= max and min < max",
            .usage = "triangular(min, mode, max)",
        },
    [MR_DIST_WEIBULL] =
        {
            .nargs = 2,
            .args = {"scale", "shape"},
            .plain = {false, true},
            .needs = "scale > 0 and shape > 0",
            .usage = "weibull(scale, shape)",
        },
    [MR_DIST_PARETO] =
        {
            .nargs = 2,
            .args = {"scale", "shape"},
            .plain = {false, true},
            .needs = "scale > 0 and shape > 0",
            .usage = "pareto(scale, shape)",
        },
    [MR_DIST_EMPIRICAL] =
        {
            .nargs = -1,
            .args = {"values"},
            .needs = "at least one value",
            .usage = "empirical([v1, v2, ...])",
        },
    [MR_DIST_MIX] =
        {
            .nargs = -1,
            .args = {"of"},
            .needs = "probabilities that sum to 1",
            .usage = "mix(p1: dist1, p2: dist2, ...)",
        },
};

_Static_assert(sizeof dists / sizeof *dists == sizeof dist_names / sizeof *dist_names,
               "one name per distribution");

#define NDISTS (sizeof dists / sizeof *dists)

/* Quantile keys of a lognormal map, with their probabilities. */
static const char *const lognormal_q_keys[] = {"p90", "p95", "p99"};
static const double lognormal_q_probs[] = {0.90, 0.95, 0.99};

typedef struct ctx {
    mr_diag *diag;
    mr_unit_kind kind;
    bool io_failed; /* a CSV could not be read: the call returns MR_EIO */
} ctx;

/* The parameters one distribution was given, with their text for messages. */
typedef struct args {
    size_t n;
    double v[MAX_ARGS];
    char text[MAX_ARGS][48];
} args;

static void set_text(args *a, size_t i, const char *s, size_t len)
{
    if (len >= sizeof a->text[i])
        len = sizeof a->text[i] - 1;
    memcpy(a->text[i], s, len);
    a->text[i][len] = '\0';
}

const char *const *mr_distspec_names(size_t *n)
{
    *n = NDISTS;
    return dist_names;
}

static int find_dist(const char *name, size_t len)
{
    for (size_t i = 0; i < NDISTS; i++) {
        if (strlen(dist_names[i]) == len && memcmp(dist_names[i], name, len) == 0)
            return (int)i;
    }
    return -1;
}

static void unknown_dist(ctx *c, const mr_mark *at, const char *name, size_t len)
{
    char *word = mr_xmalloc(len + 1);
    memcpy(word, name, len);
    word[len] = '\0';
    size_t order[NDISTS];
    mr_closest_order(word, dist_names, NDISTS, order);
    char *list = mr__names_list(dist_names, NDISTS, order, false);
    mr_diag_error(c->diag, at, "unknown distribution '%s' (known: %s)", word, list);
    free(list);
    free(word);
}

/* Builds dist k from its parameters, or reports its domain at at. */
static int construct(ctx *c, int k, const args *a, const mr_mark *at, mr_dist *out)
{
    int rc = MR_EINVAL;
    switch ((mr_dist_kind)k) {
    case MR_DIST_CONST:
        rc = mr_dist_const(out, a->v[0]);
        break;
    case MR_DIST_UNIFORM:
        rc = mr_dist_uniform(out, a->v[0], a->v[1]);
        break;
    case MR_DIST_EXPONENTIAL:
        rc = mr_dist_exponential(out, a->v[0]);
        break;
    case MR_DIST_NORMAL:
        rc = mr_dist_normal(out, a->v[0], a->v[1]);
        break;
    case MR_DIST_LOGNORMAL:
        rc = mr_dist_lognormal(out, a->v[0], a->v[1]);
        break;
    case MR_DIST_TRIANGULAR:
        rc = mr_dist_triangular(out, a->v[0], a->v[1], a->v[2]);
        break;
    case MR_DIST_WEIBULL:
        rc = mr_dist_weibull(out, a->v[0], a->v[1]);
        break;
    case MR_DIST_PARETO:
        rc = mr_dist_pareto(out, a->v[0], a->v[1]);
        break;
    case MR_DIST_EMPIRICAL:
    case MR_DIST_MIX:
        break;
    }
    if (rc == MR_OK)
        return MR_OK;
    const dist_info *d = &dists[k];
    char found[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < a->n && used < sizeof found; i++) {
        used += (size_t)snprintf(found + used, sizeof found - used, "%s%s %s", i ? ", " : "",
                                 d->args[i], a->text[i]);
    }
    mr_diag_error(c->diag, at, "%s needs %s (found %s)", dist_names[k], d->needs, found);
    return MR_ESCENARIO;
}

/* A probability: a plain number in [0, 1] or a percentage. */
static int parse_prob(const char *text, double *out, char *err, size_t n)
{
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len > 0 && text[len - 1] == '%')
        return mr_units_ratio(text, out, err, n);
    double v;
    int rc = mr_units_number(text, &v, err, n);
    if (rc != MR_OK)
        return rc;
    if (v < 0 || v > 1) {
        snprintf(err, n, "a probability must be in [0, 1], found '%s'", text);
        return MR_ERANGE;
    }
    *out = v;
    return MR_OK;
}

/* Parses text as parameter i of dist k (or a value of an empirical list when
 * k has no such parameter). */
static int parse_param(const ctx *c, int k, size_t i, const char *text, double *out, char *err,
                       size_t n)
{
    bool plain = dists[k].nargs > 0 && i < MAX_ARGS && dists[k].plain[i];
    if (!plain)
        return mr_units_value(c->kind, text, out, err, n);
    int rc = mr_units_number(text, out, err, n);
    if (rc != MR_OK) {
        snprintf(err, n, "%s of %s is a plain number, without a unit; found '%s'", dists[k].args[i],
                 dist_names[k], text);
    }
    return rc;
}

static int check_mix_sum(ctx *c, const double *p, size_t n, const mr_mark *at)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    /* mr_dist_mix's own tolerance. */
    if (fabs(sum - 1) <= 1e-9)
        return MR_OK;
    mr_diag_error(c->diag, at, "mix probabilities must sum to 1, found %.10g", sum);
    return MR_ESCENARIO;
}

static void fini_parts(mr_dist *parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mr_dist_fini(&parts[i]);
    free(parts);
}

/* ---- Compact form ------------------------------------------------------ */

typedef struct src {
    const char *text;
    mr_node *node; /* the scalar text belongs to, or NULL */
    mr_mark base;  /* without a node: the mark of text[0]; line 0 when unknown */
} src;

typedef struct cparser {
    ctx *c;
    const src *s;
    size_t i;
} cparser;

static mr_mark mark_at(const cparser *p, size_t off)
{
    if (p->s->node != NULL)
        return mr_node_text_mark(p->s->node, off);
    mr_mark m = p->s->base;
    if (m.line > 0)
        m.column += mr__chars(p->s->text, off);
    return m;
}

/* Declared apart so that the compiler checks every call's format. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
perr(const cparser *p, size_t off, const char *fmt, ...);

static int perr(const cparser *p, size_t off, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mr_mark m = mark_at(p, off);
    mr_diag_error(p->c->diag, &m, "%s", msg);
    return MR_ESCENARIO;
}

static void skip_ws(cparser *p)
{
    while (p->s->text[p->i] == ' ' || p->s->text[p->i] == '\t' || p->s->text[p->i] == '\n')
        p->i++;
}

static bool is_ident(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

/* An atom: the text up to the next , ) ] : ( or the end, without blanks
 * around. Sets *off and *len; leaves p at the delimiter. */
static void read_atom(cparser *p, size_t *off, size_t *len)
{
    skip_ws(p);
    const char *t = p->s->text;
    *off = p->i;
    while (t[p->i] != '\0' && strchr(",)]:(", t[p->i]) == NULL)
        p->i++;
    size_t end = p->i;
    while (end > *off && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\n'))
        end--;
    *len = end - *off;
}

static char *atom_dup(const cparser *p, size_t off, size_t len)
{
    char *s = mr_xmalloc(len + 1);
    memcpy(s, p->s->text + off, len);
    s[len] = '\0';
    return s;
}

static int compact_spec(cparser *p, int depth, mr_dist *out);

/* Reads a value atom for parameter i of dist k at p (the caller checked it
 * is not empty). */
static int compact_value(cparser *p, int k, size_t i, size_t off, size_t len, double *out)
{
    if (p->s->text[p->i] == '(') {
        return perr(p, off, "parameters of %s are values, not distributions", dist_names[k]);
    }
    char *text = atom_dup(p, off, len);
    char err[MR_UNITS_ERRLEN];
    int rc = parse_param(p->c, k, i, text, out, err, sizeof err);
    free(text);
    if (rc != MR_OK)
        return perr(p, off, "%s", err);
    return MR_OK;
}

static int arity_error(const cparser *p, int k, size_t name_off, size_t given)
{
    const dist_info *d = &dists[k];
    char list[128] = "";
    for (int i = 0; i < d->nargs; i++) {
        strcat(list, i > 0 ? ", " : "");
        strcat(list, d->args[i]);
    }
    return perr(p, name_off, "%s takes %d argument%s (%s), found %zu", dist_names[k], d->nargs,
                d->nargs > 1 ? "s" : "", list, given);
}

/* After the '(' of NAME(: reads the parameters up to and including ')'. */
static int compact_args(cparser *p, int k, size_t name_off, mr_dist *out)
{
    const dist_info *d = &dists[k];
    args a = {0};
    size_t given = 0;
    bool bad = false;
    skip_ws(p);
    if (p->s->text[p->i] == ')')
        return arity_error(p, k, name_off, 0);
    for (;;) {
        size_t off, len;
        read_atom(p, &off, &len);
        if (len == 0 && p->s->text[p->i] != '(') {
            if (given < MAX_ARGS && (int)given < d->nargs)
                return perr(p, off, "%s: %s is missing", dist_names[k], d->args[given]);
            return perr(p, off, "%s: an argument is missing", dist_names[k]);
        }
        if ((int)given < d->nargs) {
            if (compact_value(p, k, given, off, len, &a.v[given]) != MR_OK)
                bad = true;
            set_text(&a, given, p->s->text + off, len);
            if (p->s->text[p->i] == '(')
                return MR_ESCENARIO;
        }
        given++;
        char ch = p->s->text[p->i];
        if (ch == ',') {
            p->i++;
            continue;
        }
        if (ch == ')') {
            p->i++;
            break;
        }
        if (ch == '\0')
            return perr(p, name_off, "missing ')' after the arguments of %s", dist_names[k]);
        return perr(p, p->i, "unexpected '%c' in the arguments of %s", ch, dist_names[k]);
    }
    if ((int)given != d->nargs)
        return arity_error(p, k, name_off, given);
    if (bad)
        return MR_ESCENARIO;
    a.n = given;
    mr_mark at = mark_at(p, name_off);
    return construct(p->c, k, &a, &at, out);
}

/* After the '(' of empirical(: values, bare or in [ ], then ')'. */
static int compact_empirical(cparser *p, size_t name_off, mr_dist *out)
{
    size_t n = 0, cap = 8;
    double *v = mr_xmalloc(cap * sizeof *v);
    bool bad = false;
    skip_ws(p);
    bool bracket = p->s->text[p->i] == '[';
    if (bracket)
        p->i++;
    int rc = MR_OK;
    for (;;) {
        size_t off, len;
        read_atom(p, &off, &len);
        char ch = p->s->text[p->i];
        if (len == 0 && n == 0 && ch == (bracket ? ']' : ')')) {
            rc = perr(p, name_off, "empirical needs at least one value");
            break;
        }
        if (len == 0) {
            rc = perr(p, off, "empirical: a value is missing");
            break;
        }
        if (n == cap) {
            cap *= 2;
            v = mr_xrealloc(v, cap * sizeof *v);
        }
        if (compact_value(p, MR_DIST_EMPIRICAL, 0, off, len, &v[n]) != MR_OK)
            bad = true;
        n++;
        if (ch == '(') {
            rc = MR_ESCENARIO;
            break;
        }
        if (ch == ',') {
            p->i++;
            continue;
        }
        if (ch == (bracket ? ']' : ')')) {
            p->i++;
            break;
        }
        rc = ch == '\0' ? perr(p, name_off, "missing '%c' after the values of empirical",
                               bracket ? ']' : ')')
                        : perr(p, p->i, "unexpected '%c' in the values of empirical", ch);
        break;
    }
    if (rc == MR_OK && bracket) {
        skip_ws(p);
        if (p->s->text[p->i] == ')')
            p->i++;
        else
            rc = perr(p, p->i, "expected ')' after the values of empirical");
    }
    if (rc == MR_OK && bad)
        rc = MR_ESCENARIO;
    if (rc == MR_OK && mr_dist_empirical(out, v, n) != MR_OK)
        rc = perr(p, name_off, "empirical needs at least one value");
    free(v);
    return rc;
}

/* After the '(' of mix(: "P: SPEC" parts, then ')'. */
static int compact_mix(cparser *p, size_t name_off, int depth, mr_dist *out)
{
    size_t n = 0, cap = 4;
    double *prob = mr_xmalloc(cap * sizeof *prob);
    mr_dist *parts = mr_xmalloc(cap * sizeof *parts);
    int rc = MR_OK;
    for (;;) {
        size_t off, len;
        read_atom(p, &off, &len);
        if (p->s->text[p->i] != ':' || len == 0) {
            rc = perr(p, off, "mix: expected 'PROBABILITY: DISTRIBUTION', found '%s'",
                      p->s->text + off);
            break;
        }
        p->i++;
        if (n == cap) {
            cap *= 2;
            prob = mr_xrealloc(prob, cap * sizeof *prob);
            parts = mr_xrealloc(parts, cap * sizeof *parts);
        }
        char *text = atom_dup(p, off, len);
        char err[MR_UNITS_ERRLEN];
        rc = parse_prob(text, &prob[n], err, sizeof err);
        free(text);
        if (rc != MR_OK) {
            rc = perr(p, off, "%s", err);
            break;
        }
        rc = compact_spec(p, depth + 1, &parts[n]);
        if (rc != MR_OK)
            break;
        n++;
        skip_ws(p);
        char ch = p->s->text[p->i];
        if (ch == ',') {
            p->i++;
            continue;
        }
        if (ch == ')') {
            p->i++;
            break;
        }
        rc = ch == '\0' ? perr(p, name_off, "missing ')' after the parts of mix")
                        : perr(p, p->i, "unexpected '%c' in the parts of mix", ch);
        break;
    }
    if (rc == MR_OK) {
        mr_mark at = mark_at(p, name_off);
        rc = check_mix_sum(p->c, prob, n, &at);
    }
    if (rc == MR_OK && mr_dist_mix(out, prob, parts, n) != MR_OK) {
        mr_mark at = mark_at(p, name_off);
        mr_diag_error(p->c->diag, &at, "mix needs %s", dists[MR_DIST_MIX].needs);
        rc = MR_ESCENARIO;
    }
    if (rc != MR_OK)
        fini_parts(parts, n);
    free(prob);
    return rc;
}

/* A spec at p: NAME(...) or a plain value (a constant), up to the next
 * delimiter. */
static int compact_spec(cparser *p, int depth, mr_dist *out)
{
    skip_ws(p);
    size_t start = p->i;
    if (depth > MAX_DEPTH)
        return perr(p, start, "distributions nested more than %d deep", MAX_DEPTH);
    const char *t = p->s->text;
    size_t j = start;
    while (is_ident(t[j]))
        j++;
    size_t name_end = j;
    while (t[j] == ' ' || t[j] == '\t')
        j++;
    if (name_end > start && t[j] == '(') {
        int k = find_dist(t + start, name_end - start);
        if (k < 0) {
            mr_mark m = mark_at(p, start);
            unknown_dist(p->c, &m, t + start, name_end - start);
            return MR_ESCENARIO;
        }
        p->i = j + 1;
        if (k == MR_DIST_EMPIRICAL)
            return compact_empirical(p, start, out);
        if (k == MR_DIST_MIX)
            return compact_mix(p, start, depth, out);
        return compact_args(p, k, start, out);
    }
    size_t off, len;
    read_atom(p, &off, &len);
    if (len == 0)
        return perr(p, off, "expected a distribution or a value");
    double v;
    if (compact_value(p, MR_DIST_CONST, 0, off, len, &v) != MR_OK)
        return MR_ESCENARIO;
    return mr_dist_const(out, v) == MR_OK ? MR_OK : perr(p, off, "not a finite value");
}

/* The whole text of a scalar as a spec. */
static int compact(ctx *c, const src *s, mr_dist *out)
{
    cparser p = {.c = c, .s = s};
    const char *t = s->text;
    size_t j = 0;
    while (t[j] == ' ')
        j++;
    size_t start = j;
    while (is_ident(t[j]))
        j++;
    size_t name_end = j;
    while (t[j] == ' ')
        j++;
    bool call = name_end > start && t[j] == '(';
    if (!call) {
        /* A plain value: parsed whole, so its message is the unit's own. */
        int k = name_end > start && t[j] == '\0' ? find_dist(t + start, name_end - start) : -1;
        if (k >= 0)
            return perr(&p, start, "%s needs parameters: write %s", dist_names[k], dists[k].usage);
        double v;
        char err[MR_UNITS_ERRLEN];
        if (mr_units_value(c->kind, t, &v, err, sizeof err) != MR_OK)
            return perr(&p, start, "%s", err);
        return mr_dist_const(out, v) == MR_OK ? MR_OK : perr(&p, start, "not a finite value");
    }
    mr_dist d;
    int rc = compact_spec(&p, 0, &d);
    if (rc != MR_OK)
        return rc;
    skip_ws(&p);
    if (t[p.i] != '\0') {
        mr_dist_fini(&d);
        return perr(&p, p.i, "unexpected '%s' after the distribution", t + p.i);
    }
    *out = d;
    return MR_OK;
}

/* ---- Map form ---------------------------------------------------------- */

static int map_spec(ctx *c, mr_node *map, int depth, double *p_out, mr_dist *out);

/* Reports the keys of map no reader took, against dist k's keys. */
static int unknown_keys(ctx *c, const mr_node *map, int k, bool in_mix)
{
    const char *valid[12];
    size_t n = 0;
    valid[n++] = "dist";
    if (in_mix)
        valid[n++] = "p";
    if (k == MR_DIST_EMPIRICAL) {
        valid[n++] = "values";
        valid[n++] = "file";
        valid[n++] = "unit";
    } else {
        for (int i = 0; i < MAX_ARGS && dists[k].args[i] != NULL; i++)
            valid[n++] = dists[k].args[i];
    }
    if (k == MR_DIST_LOGNORMAL) {
        for (size_t i = 0; i < 3; i++)
            valid[n++] = lognormal_q_keys[i];
    }
    return mr_node_report_unused(map, valid, n, c->diag) > 0 ? MR_ESCENARIO : MR_OK;
}

/* A required parameter of a map form, parsed; missing or bad → error. */
static int map_param(ctx *c, mr_node *map, int k, size_t i, args *a)
{
    const char *key = dists[k].args[i];
    mr_node *v = mr_node_take(map, key);
    if (v == NULL) {
        mr_diag_error(c->diag, &map->mark, "%s needs '%s'", dist_names[k], key);
        return MR_ESCENARIO;
    }
    if (v->kind != MR_NODE_SCALAR || v->null) {
        mr_diag_error(c->diag, &v->mark, "%s of %s: expected %s, found %s", key, dist_names[k],
                      dists[k].plain[i] ? "a number" : mr_unit_kind_describe(c->kind),
                      mr_node_describe(v));
        return MR_ESCENARIO;
    }
    char err[MR_UNITS_ERRLEN];
    if (parse_param(c, k, i, v->text, &a->v[i], err, sizeof err) != MR_OK) {
        mr_diag_error(c->diag, &v->mark, "%s", err);
        return MR_ESCENARIO;
    }
    set_text(a, i, v->text, v->len);
    return MR_OK;
}

static int map_lognormal(ctx *c, mr_node *map, mr_dist *out)
{
    const int k = MR_DIST_LOGNORMAL;
    args a = {.n = 2};
    int rc = map_param(c, map, k, 0, &a);
    /* Exactly one of sigma, p90, p95, p99 says how wide. */
    const char *const keys[] = {"sigma", "p90", "p95", "p99"};
    int which = -1;
    const mr_node_pair *again = NULL;
    for (int i = 0; i < 4; i++) {
        mr_node_pair *pair = mr_node_pair_of(map, keys[i]);
        if (pair == NULL)
            continue;
        pair->value->used = true;
        if (which < 0)
            which = i;
        else if (again == NULL)
            again = pair;
    }
    if (again != NULL) {
        mr_diag_error(c->diag, &again->key->mark,
                      "lognormal takes one of 'sigma', 'p90', 'p95', 'p99', found both '%s' and "
                      "'%s'",
                      keys[which], again->key->text);
        return MR_ESCENARIO;
    }
    if (which < 0) {
        if (rc == MR_OK)
            mr_diag_error(c->diag, &map->mark,
                          "lognormal needs 'sigma' or one of 'p90', 'p95', 'p99' besides 'median'");
        return MR_ESCENARIO;
    }
    if (which == 0)
        return rc == MR_OK && map_param(c, map, k, 1, &a) == MR_OK
                   ? construct(c, k, &a, &map->mark, out)
                   : MR_ESCENARIO;
    mr_node *q = mr_node_get(map, keys[which]);
    double x;
    char err[MR_UNITS_ERRLEN];
    if (q->kind != MR_NODE_SCALAR || q->null) {
        mr_diag_error(c->diag, &q->mark, "%s of lognormal: expected %s, found %s", keys[which],
                      mr_unit_kind_describe(c->kind), mr_node_describe(q));
        return MR_ESCENARIO;
    }
    if (mr_units_value(c->kind, q->text, &x, err, sizeof err) != MR_OK) {
        mr_diag_error(c->diag, &q->mark, "%s", err);
        return MR_ESCENARIO;
    }
    if (rc != MR_OK)
        return rc;
    if (mr_dist_lognormal_q(out, 0.5, a.v[0], lognormal_q_probs[which - 1], x) != MR_OK) {
        mr_diag_error(c->diag, &map->mark,
                      "lognormal needs 0 < median < %s (found median %s, %s %s)", keys[which],
                      a.text[0], keys[which], q->text);
        return MR_ESCENARIO;
    }
    return MR_OK;
}

static void trim_line(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
        s[--n] = '\0';
}

/* The value of one line of a CSV (s: the line from its first character on,
 * trimmed, neither blank nor a comment) at mark m: of c->kind, a bare
 * number times unit_ns when unit_ns > 0, in double quotes or not. MR_OK,
 * or MR_ESCENARIO after a diagnostic. */
static int csv_value(ctx *c, char *s, const mr_mark *m, double unit_ns, double *out)
{
    if (strchr(s, ',') != NULL) {
        mr_diag_error(c->diag, m, "expected one value per line, found '%s'", s);
        return MR_ESCENARIO;
    }
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s[len - 1] = '\0';
        s++;
    }
    double x;
    char err[MR_UNITS_ERRLEN];
    int rc;
    if (unit_ns > 0 && mr_units_number(s, &x, err, sizeof err) == MR_OK) {
        x *= unit_ns;
        rc = x >= 0 ? MR_OK : MR_ERANGE;
        if (rc != MR_OK)
            snprintf(err, sizeof err, "a duration cannot be negative: '%s'", s);
    } else {
        rc = mr_units_value(c->kind, s, &x, err, sizeof err);
    }
    if (rc != MR_OK) {
        mr_diag_error(c->diag, m, "%s", err);
        return MR_ESCENARIO;
    }
    *out = x;
    return MR_OK;
}

/* Reads the one-column CSV at path: values of c->kind, bare numbers times
 * unit_ns when unit_ns > 0 (csv_value). Blank lines and # comments are
 * skipped, and so is a first line that cannot start a number (a header). */
static int read_csv(ctx *c, const char *path, const mr_node *at, double unit_ns, double **values,
                    size_t *count)
{
    const char *why = "";
    FILE *f = mr__open_input(path, "r", &why);
    if (f == NULL) {
        mr_diag_error(c->diag, &at->mark, "cannot open '%s': %s", path, why);
        c->io_failed = true;
        return MR_EIO;
    }
    size_t n = 0, cap = 64;
    double *v = mr_xmalloc(cap * sizeof *v);
    char *line = NULL;
    size_t linecap = 0;
    int lineno = 0, errors = 0;
    bool first = true;
    size_t total = 0;
    ssize_t got;
    while ((got = getline(&line, &linecap, f)) >= 0 && errors < MAX_CSV_ERRORS) {
        total += (size_t)got;
        if (total > MR_INPUT_MAX_BYTES) { /* a pipe past the cap */
            mr_diag_error(c->diag, &at->mark, "cannot open '%s': larger than the limit of %s",
                          path, MR_INPUT_MAX_TEXT);
            errors++;
            break;
        }
        lineno++;
        trim_line(line);
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        mr_mark m = {
            .file = path, .line = lineno, .column = 1 + mr__chars(line, (size_t)(s - line))};
        bool header = first && !(s[0] >= '0' && s[0] <= '9') && s[0] != '.' && s[0] != '-' &&
                      s[0] != '+' && s[0] != 'P';
        first = false;
        if (header)
            continue;
        double x;
        if (csv_value(c, s, &m, unit_ns, &x) != MR_OK) {
            errors++;
            continue;
        }
        if (n == cap) {
            cap *= 2;
            v = mr_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = x;
    }
    bool read_error = ferror(f) != 0;
    int e = errno;
    free(line);
    fclose(f);
    if (read_error) {
        mr_diag_error(c->diag, &at->mark, "cannot read '%s': %s", path, strerror(e));
        c->io_failed = true;
        free(v);
        return MR_EIO;
    }
    if (errors > 0) {
        free(v);
        return MR_ESCENARIO;
    }
    if (n == 0) {
        mr_diag_error(c->diag, &at->mark, "'%s' holds no values", path);
        free(v);
        return MR_ESCENARIO;
    }
    *values = v;
    *count = n;
    return MR_OK;
}

static int map_empirical(ctx *c, mr_node *map, mr_dist *out)
{
    mr_node *values = mr_node_take(map, "values");
    mr_node *file = mr_node_take(map, "file");
    mr_node *unit = mr_node_take(map, "unit");
    if (values != NULL && file != NULL) {
        mr_diag_error(c->diag, &mr_node_pair_of(map, "file")->key->mark,
                      "empirical takes 'values' or 'file', not both");
        return MR_ESCENARIO;
    }
    if (values == NULL && file == NULL) {
        mr_diag_error(c->diag, &map->mark, "empirical needs 'values' or 'file'");
        return MR_ESCENARIO;
    }
    if (unit != NULL && file == NULL) {
        mr_diag_error(c->diag, &mr_node_pair_of(map, "unit")->key->mark,
                      "unit: applies to the values of a file only");
        return MR_ESCENARIO;
    }
    double *v = NULL;
    size_t n = 0;
    int rc = MR_OK;
    if (values != NULL) {
        if (values->kind != MR_NODE_SEQ || values->n == 0) {
            mr_diag_error(c->diag, &values->mark,
                          "values: expected a non-empty sequence such as [12s, 15s], found %s",
                          values->kind == MR_NODE_SEQ ? "an empty one" : mr_node_describe(values));
            return MR_ESCENARIO;
        }
        v = mr_xmalloc(values->n * sizeof *v);
        for (size_t i = 0; i < values->n; i++) {
            if (mr_units_node_value(values->items[i], c->kind, &v[i], c->diag) != MR_OK)
                rc = MR_ESCENARIO;
        }
        n = values->n;
    } else {
        double unit_ns = 0;
        if (unit != NULL) {
            char err[MR_UNITS_ERRLEN];
            mr_time t = 0;
            if (c->kind != MR_UNIT_DURATION) {
                mr_diag_error(c->diag, &unit->mark, "unit: only the values of a duration take one");
                return MR_ESCENARIO;
            }
            char one[64];
            snprintf(one, sizeof one, "1%s", unit->kind == MR_NODE_SCALAR ? unit->text : "");
            if (unit->kind != MR_NODE_SCALAR || unit->null || strlen(unit->text) > 8 ||
                mr_units_duration(one, &t, err, sizeof err) != MR_OK) {
                mr_diag_error(
                    c->diag, &unit->mark,
                    "unit: expected a duration unit (ns, us, ms, s, m, h, d, y), found %s%s%s",
                    unit->kind == MR_NODE_SCALAR ? "'" : "",
                    unit->kind == MR_NODE_SCALAR ? unit->text : mr_node_describe(unit),
                    unit->kind == MR_NODE_SCALAR ? "'" : "");
                return MR_ESCENARIO;
            }
            unit_ns = (double)t;
        }
        if (file->kind != MR_NODE_SCALAR || file->null || file->len == 0) {
            mr_diag_error(c->diag, &file->mark, "file: expected a file name, found %s",
                          mr_node_describe(file));
            return MR_ESCENARIO;
        }
        char *path = mr__path_relative(file->mark.file, file->text);
        rc = read_csv(c, path, file, unit_ns, &v, &n);
        free(path);
        if (rc != MR_OK)
            return rc;
    }
    if (rc == MR_OK && mr_dist_empirical(out, v, n) != MR_OK) {
        mr_diag_error(c->diag, &map->mark, "empirical needs %s", dists[MR_DIST_EMPIRICAL].needs);
        rc = MR_ESCENARIO;
    }
    free(v);
    return rc;
}

static int map_mix(ctx *c, mr_node *map, int depth, mr_dist *out)
{
    mr_node *of = mr_node_take(map, "of");
    if (of == NULL) {
        mr_diag_error(c->diag, &map->mark, "mix needs 'of': a list of {p: ..., dist: ...}");
        return MR_ESCENARIO;
    }
    if (of->kind != MR_NODE_SEQ || of->n == 0) {
        mr_diag_error(c->diag, &of->mark,
                      "of: expected a non-empty sequence of {p: ..., dist: ...}, found %s",
                      of->kind == MR_NODE_SEQ ? "an empty one" : mr_node_describe(of));
        return MR_ESCENARIO;
    }
    double *prob = mr_xmalloc(of->n * sizeof *prob);
    mr_dist *parts = mr_xmalloc(of->n * sizeof *parts);
    size_t n = 0;
    int rc = MR_OK;
    for (size_t i = 0; i < of->n; i++) {
        mr_node *item = of->items[i];
        if (item->kind != MR_NODE_MAP) {
            item->used = true;
            mr_diag_error(c->diag, &item->mark,
                          "a part of mix must be a map such as {p: 0.9, dist: const, value: 0s}, "
                          "found %s",
                          mr_node_describe(item));
            rc = MR_ESCENARIO;
            continue;
        }
        mr_dist part;
        double p;
        if (map_spec(c, item, depth + 1, &p, &part) != MR_OK) {
            rc = MR_ESCENARIO;
            continue;
        }
        prob[n] = p;
        parts[n++] = part;
    }
    if (rc == MR_OK)
        rc = check_mix_sum(c, prob, n, &of->mark);
    if (rc == MR_OK && mr_dist_mix(out, prob, parts, n) != MR_OK) {
        mr_diag_error(c->diag, &map->mark, "mix needs %s", dists[MR_DIST_MIX].needs);
        rc = MR_ESCENARIO;
    }
    if (rc != MR_OK)
        fini_parts(parts, n);
    free(prob);
    return rc;
}

/* {dist: NAME, ...}; inside a mix (p_out not NULL) also p. */
static int map_spec(ctx *c, mr_node *map, int depth, double *p_out, mr_dist *out)
{
    map->used = true;
    if (depth > MAX_DEPTH) {
        mr_diag_error(c->diag, &map->mark, "distributions nested more than %d deep", MAX_DEPTH);
        return MR_ESCENARIO;
    }
    int rc = MR_OK;
    double p = 0;
    if (p_out != NULL) {
        mr_node *pn = mr_node_take(map, "p");
        char err[MR_UNITS_ERRLEN];
        if (pn == NULL) {
            mr_diag_error(c->diag, &map->mark, "a part of mix needs 'p', its probability");
            rc = MR_ESCENARIO;
        } else if (pn->kind != MR_NODE_SCALAR || pn->null) {
            mr_diag_error(c->diag, &pn->mark, "p: expected a probability, found %s",
                          mr_node_describe(pn));
            rc = MR_ESCENARIO;
        } else if (parse_prob(pn->text, &p, err, sizeof err) != MR_OK) {
            mr_diag_error(c->diag, &pn->mark, "%s", err);
            rc = MR_ESCENARIO;
        }
    }
    mr_node *name = mr_node_take(map, "dist");
    if (name == NULL) {
        char *list = mr__names_list(dist_names, NDISTS, NULL, false);
        mr_diag_error(c->diag, &map->mark, "a distribution map needs 'dist' (one of %s)", list);
        free(list);
        return MR_ESCENARIO;
    }
    int k = name->kind == MR_NODE_SCALAR ? find_dist(name->text, name->len) : -1;
    if (k < 0) {
        if (name->kind == MR_NODE_SCALAR && !name->null) {
            unknown_dist(c, &name->mark, name->text, name->len);
        } else {
            mr_diag_error(c->diag, &name->mark, "dist: expected a distribution name, found %s",
                          mr_node_describe(name));
        }
        return MR_ESCENARIO;
    }
    mr_dist d;
    int brc;
    if (k == MR_DIST_LOGNORMAL) {
        brc = map_lognormal(c, map, &d);
    } else if (k == MR_DIST_EMPIRICAL) {
        brc = map_empirical(c, map, &d);
    } else if (k == MR_DIST_MIX) {
        brc = map_mix(c, map, depth, &d);
    } else {
        args a = {.n = (size_t)dists[k].nargs};
        brc = MR_OK;
        for (size_t i = 0; i < a.n; i++) {
            if (map_param(c, map, k, i, &a) != MR_OK)
                brc = MR_ESCENARIO;
        }
        if (brc == MR_OK)
            brc = construct(c, k, &a, &map->mark, &d);
    }
    if (unknown_keys(c, map, k, p_out != NULL) != MR_OK || rc != MR_OK) {
        if (brc == MR_OK)
            mr_dist_fini(&d);
        return MR_ESCENARIO;
    }
    if (brc != MR_OK)
        return brc;
    if (p_out != NULL)
        *p_out = p;
    *out = d;
    return MR_OK;
}

/* ---- Entry points ------------------------------------------------------ */

int mr_distspec_node(mr_node *node, mr_unit_kind kind, mr_dist *out, mr_diag *diag)
{
    ctx c = {.diag = diag, .kind = kind};
    node->used = true;
    int rc;
    if (node->kind == MR_NODE_MAP) {
        rc = map_spec(&c, node, 0, NULL, out);
    } else if (node->kind == MR_NODE_SCALAR && !node->null) {
        src s = {.text = node->text, .node = node};
        rc = compact(&c, &s, out);
    } else {
        mr_diag_error(diag, &node->mark, "expected %s or a distribution, found %s",
                      mr_unit_kind_describe(kind), mr_node_describe(node));
        rc = MR_ESCENARIO;
    }
    if (rc != MR_OK)
        return c.io_failed ? MR_EIO : MR_ESCENARIO;
    return MR_OK;
}

int mr_distspec_text(const char *text, mr_unit_kind kind, const mr_mark *mark, mr_dist *out,
                     mr_diag *diag)
{
    ctx c = {.diag = diag, .kind = kind};
    src s = {.text = text};
    if (mark != NULL)
        s.base = *mark;
    return compact(&c, &s, out) == MR_OK ? MR_OK : MR_ESCENARIO;
}
