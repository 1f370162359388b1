/* sim/diag.c: a growable list of formatted diagnostics. Lines are formatted
 * when added, so a mark's file name need only live until then. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/diag.h"

struct mr_diag {
    char **lines;
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
    for (int i = 0; i < d->n; i++)
        free(d->lines[i]);
    free(d->lines);
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
    }
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

void mr_diag_print(const mr_diag *d, FILE *out)
{
    for (int i = 0; d && i < d->n; i++)
        fprintf(out, "%s\n", d->lines[i]);
}
