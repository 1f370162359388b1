/* sim/cli/tracefilter.c: parses --trace-filter (docs/cli.md "--trace").
 * Here rather than in the kernel because refusing an unknown event kind
 * with a "did you mean" needs every model's kinds (the registry) and the
 * hint helper (sim/config/hint.c); the kernel only matches (sim/trace.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config/units.h"
#include "mrsim/event.h"
#include "mrsim/model.h"

/* The most private kinds one model defines (models number theirs from
 * MR_MSG_PRIVATE up, without gaps). */
#define KINDS_PER_MODEL 32
#define KINDS_MAX 256

/* Every event kind name there is: the public messages, then each
 * registered model's private kinds; each name once. */
static size_t known_kinds(const char **out, size_t cap)
{
    size_t n = 0;
    for (uint32_t k = 1; k < MR_MSG_PRIVATE && n < cap; k++) {
        const char *s = mr_msg_name(k);
        if (s == NULL)
            break;
        out[n++] = s;
    }
    for (size_t m = 0; m < mr_model_count(); m++) {
        const mr_model *md = mr_model_at(m);
        if (md->event_name == NULL)
            continue;
        for (uint32_t k = 0; k < KINDS_PER_MODEL; k++) {
            const char *s = md->event_name(MR_MSG_PRIVATE + k);
            if (s == NULL)
                break;
            size_t i = 0;
            while (i < n && strcmp(out[i], s) != 0)
                i++;
            if (i == n && n < cap)
                out[n++] = s;
        }
    }
    return n;
}

/* names as "a, b, c" into buf (cut short when it does not fit). */
static void kinds_list(const char *const *names, size_t nn, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nn && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Splits the comma-separated list at s (in place) into dst. */
static int split_list(const char *opt, char *s, const char **dst, size_t *nd)
{
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (*s == '\0')
            return mr_cli_usage_error("run", "--trace-filter: an empty name in '%s'", opt);
        if (*nd == MR_TRACE_FILTER_MAX)
            return mr_cli_usage_error("run", "--trace-filter: more than %d names of one key",
                                      MR_TRACE_FILTER_MAX);
        dst[(*nd)++] = s;
        if (comma == NULL)
            return MR_EXIT_OK;
        s = comma + 1;
    }
}

int mr_cli_trace_filter(const char *expr, mr_trace_filter *f)
{
    memset(f, 0, sizeof *f);
    if (strlen(expr) >= sizeof f->buf)
        return mr_cli_usage_error("run", "--trace-filter: longer than %zu characters",
                                  sizeof f->buf - 1);
    memcpy(f->buf, expr, strlen(expr) + 1);
    int nclause = 0;
    for (char *p = f->buf;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        char *clause = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
        nclause++;
        char *eq = strchr(clause, '=');
        int st;
        if (eq == NULL) {
            st = split_list(expr, clause, f->comp, &f->ncomp);
        } else {
            *eq = '\0';
            if (strcmp(clause, "component") == 0) {
                st = split_list(expr, eq + 1, f->comp, &f->ncomp);
            } else if (strcmp(clause, "kind") == 0) {
                size_t before = f->nkind;
                st = split_list(expr, eq + 1, f->kind, &f->nkind);
                const char *names[KINDS_MAX];
                size_t nn = known_kinds(names, KINDS_MAX);
                for (size_t i = before; st == MR_EXIT_OK && i < f->nkind; i++) {
                    size_t j = 0;
                    while (j < nn && strcmp(names[j], f->kind[i]) != 0)
                        j++;
                    if (j < nn)
                        continue;
                    int best = mr_closest(f->kind[i], names, nn);
                    if (best >= 0)
                        st = mr_cli_usage_error("run",
                                                "--trace-filter: no event kind '%s'; did you "
                                                "mean '%s'?",
                                                f->kind[i], names[best]);
                    else {
                        char all[2048];
                        kinds_list(names, nn, all, sizeof all);
                        st = mr_cli_usage_error("run",
                                                "--trace-filter: no event kind '%s'; the kinds "
                                                "are %s",
                                                f->kind[i], all);
                    }
                }
            } else {
                const char *keys[] = {"component", "kind"};
                int best = mr_closest(clause, keys, 2);
                st = mr_cli_usage_error("run",
                                        "--trace-filter: unknown key '%s'%s%s%s (the keys are "
                                        "component= and kind=)",
                                        clause, best >= 0 ? "; did you mean '" : "",
                                        best >= 0 ? keys[best] : "", best >= 0 ? "'?" : "");
            }
        }
        if (st != MR_EXIT_OK)
            return st;
    }
    if (nclause == 0)
        return mr_cli_usage_error("run", "--trace-filter: an empty filter");
    return MR_EXIT_OK;
}
