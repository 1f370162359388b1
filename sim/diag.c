/* sim/diag.c: a growable list of formatted diagnostics. Lines are formatted
 * when added, so a mark's file name need only live until then. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/diag.h"

/* Each line with where it points (file copied, NULL without one), for
 * printing sorted by line whatever order the checks ran in. */
struct mr_diag {
    char **lines;
    char **file;
    int *line, *column;
    int n, cap;
};

mr_diag *mr_diag_new(void)
{
    return mr_xcalloc(1, sizeof(mr_diag));
}

void mr_diag_free(mr_diag *d)
{
    if (d == NULL)
        return;
    for (int i = 0; i < d->n; i++) {
        free(d->lines[i]);
        free(d->file[i]);
    }
    free(d->lines);
    free(d->file);
    free(d->line);
    free(d->column);
    free(d);
}

/* line with every control character written as an escape ("\n",
 * "\x01"): a diagnostic is one line whatever text it quotes (a value
 * folded over lines in the file, found by the fuzzer). Takes line. */
static char *one_line(char *line)
{
    size_t extra = 0;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        extra += *p < 0x20 || *p == 0x7f ? 3 : 0;
    if (extra == 0)
        return line;
    char *out = mr_xmalloc(strlen(line) + extra + 1), *q = out;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            *q++ = '\\';
            *q++ = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
        } else if (*p < 0x20 || *p == 0x7f) {
            q += sprintf(q, "\\x%02x", *p);
        } else {
            *q++ = (char)*p;
        }
    }
    *q = '\0';
    free(line);
    return out;
}

void mr_diag_error(mr_diag *d, const mr_mark *mark, const char *fmt, ...)
{
    char prefix[512];
    if (mark && mark->file && mark->line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d:%d: error: ", mark->file, mark->line,
                 mark->column > 0 ? mark->column : 1);
    else if (mark && mark->file)
        snprintf(prefix, sizeof prefix, "%s: error: ", mark->file);
    else
        snprintf(prefix, sizeof prefix, "error: ");

    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        len = 0;
    size_t plen = strlen(prefix);
    char *line = mr_xmalloc(plen + (size_t)len + 1);
    memcpy(line, prefix, plen);
    vsnprintf(line + plen, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    line = one_line(line);

    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->lines = mr_xrealloc(d->lines, (size_t)d->cap * sizeof *d->lines);
        d->file = mr_xrealloc(d->file, (size_t)d->cap * sizeof *d->file);
        d->line = mr_xrealloc(d->line, (size_t)d->cap * sizeof *d->line);
        d->column = mr_xrealloc(d->column, (size_t)d->cap * sizeof *d->column);
    }
    int located = mark && mark->file && mark->line > 0;
    d->file[d->n] = located ? mr_xstrdup(mark->file) : NULL;
    d->line[d->n] = located ? mark->line : 0;
    d->column[d->n] = located ? (mark->column > 0 ? mark->column : 1) : 0;
    d->lines[d->n++] = line;
}

int mr_diag_count(const mr_diag *d)
{
    return d ? d->n : 0;
}

const char *mr_diag_line(const mr_diag *d, int i)
{
    return d && i >= 0 && i < d->n ? d->lines[i] : NULL;
}

/* The order lines are printed in: the located ones sorted by file (in
 * the order files first appear), line and column, stably, among the
 * places located lines hold; a line without a location keeps its place.
 * Binding runs section by section and the checks across sections run
 * last, so insertion order is not the file's order. */
static int *print_order(const mr_diag *d)
{
    int *order = mr_xmalloc((size_t)(d->n ? d->n : 1) * sizeof *order);
    int *loc = mr_xmalloc((size_t)(d->n ? d->n : 1) * sizeof *loc);
    int *fidx = mr_xmalloc((size_t)(d->n ? d->n : 1) * sizeof *fidx);
    int nloc = 0;
    for (int i = 0; i < d->n; i++) {
        order[i] = i;
        fidx[i] = -1;
        if (d->file[i] == NULL)
            continue;
        for (int j = 0; j < i && fidx[i] < 0; j++)
            if (d->file[j] && strcmp(d->file[j], d->file[i]) == 0)
                fidx[i] = fidx[j];
        if (fidx[i] < 0)
            fidx[i] = i;
        loc[nloc++] = i;
    }
    /* Insertion sort: stable, and diagnostics are few (tens). */
    for (int a = 1; a < nloc; a++) {
        int v = loc[a], b = a - 1;
        while (b >= 0) {
            int u = loc[b];
            int later = fidx[u] != fidx[v]       ? fidx[u] > fidx[v]
                        : d->line[u] != d->line[v] ? d->line[u] > d->line[v]
                                                   : d->column[u] > d->column[v];
            if (!later)
                break;
            loc[b + 1] = u;
            b--;
        }
        loc[b + 1] = v;
    }
    for (int i = 0, k = 0; i < d->n; i++)
        if (d->file[i] != NULL)
            order[i] = loc[k++];
    free(loc);
    free(fidx);
    return order;
}

void mr_diag_print(const mr_diag *d, FILE *out)
{
    if (d == NULL || d->n == 0)
        return;
    int *order = print_order(d);
    int shown = d->n <= MR_DIAG_SHOWN ? d->n : MR_DIAG_SHOWN;
    for (int i = 0; i < shown; i++)
        fprintf(out, "%s\n", d->lines[order[i]]);
    if (shown < d->n) {
        const char *file = d->file[order[shown]];
        fprintf(out, "%s%serror: %d more problems not shown (the first %d are above)\n",
                file ? file : "", file ? ": " : "", d->n - shown, shown);
    }
    free(order);
}

void mr_diag_add_prefixed(mr_diag *d, const mr_diag *src, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (int i = 0; src && i < src->n; i++) {
        const char *line = src->lines[i];
        const char *e = strstr(line, "error: ");
        const char *msg = e ? e + 7 : line;
        mr_mark m = {.file = src->file[i], .line = src->line[i], .column = src->column[i]};
        /* A message that already names its key path keeps it once. */
        if (strncmp(msg, prefix, plen) == 0 && msg[plen] == ':')
            mr_diag_error(d, m.file ? &m : NULL, "%s", msg);
        else
            mr_diag_error(d, m.file ? &m : NULL, "%s: %s", prefix, msg);
    }
}
