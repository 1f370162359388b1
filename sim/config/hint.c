/* sim/config/hint.c: "did you mean" for every name the binder refuses
 * (keys, kinds, references): an edit distance, the closest candidates, and
 * the list of names a diagnostic prints. Depends on nothing but the C
 * library, so every file of sim/config can use it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/units.h"
#include "mrsim/alloc.h"

size_t mr_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    /* Three rows of the dynamic programme: i - 2, i - 1 and i. */
    size_t *rows = mr_xmalloc(3 * (m + 1) * sizeof *rows);
    size_t *pp = rows, *prev = rows + (m + 1), *cur = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    size_t d = prev[m];
    free(rows);
    return d;
}

int mr_closest(const char *word, const char *const *candidates, size_t n)
{
    size_t len = strlen(word);
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    int best = -1;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = mr_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = (int)i;
        }
    }
    /* A "match" that rewrites the whole word is no hint at all. */
    if (best < 0 || best_d > limit || best_d >= len)
        return -1;
    return best;
}

void mr_closest_order(const char *word, const char *const *candidates, size_t n, size_t *order)
{
    size_t *dist = mr_xmalloc((n + 1) * sizeof *dist);
    for (size_t i = 0; i < n; i++) {
        dist[i] = mr_edit_distance(word, candidates[i]);
        order[i] = i;
    }
    /* Insertion sort: stable, and n is a handful of names. */
    for (size_t i = 1; i < n; i++) {
        size_t o = order[i];
        size_t j = i;
        while (j > 0 && dist[order[j - 1]] > dist[o]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = o;
    }
    free(dist);
}

char *mr__names_list(const char *const *names, size_t n, const size_t *order, bool quote)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + 4;
    char *s = mr_xmalloc(len);
    char *p = s;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[order ? order[i] : i];
        p += sprintf(p, quote ? "%s'%s'" : "%s%s", i > 0 ? ", " : "", name);
    }
    *p = '\0';
    return s;
}
