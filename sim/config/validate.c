/* sim/config/validate.c: the checks that need several sections bound at
 * once: fault chains (start_after must not loop), and what the scenario as
 * a whole must hold. The per-section checks (ranges, names, shapes) stay
 * with their binders. Invariant: only reads the bound scenario; every
 * unresolved reference (MR_SC_NONE) is skipped, its problem being reported
 * already. */
#include <stdlib.h>
#include <string.h>

#include "config/bind.h"
#include "mrsim/alloc.h"

/* Reports each start_after cycle once, at the fault of the cycle that comes
 * first in the file: "a -> b -> a". */
static void check_chains(mr__bind *b)
{
    mr_scenario *sc = b->sc;
    size_t n = sc->nfaults;
    if (n == 0)
        return;
    char *done = mr_xcalloc(n, 1);
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        /* Walk from i; a cycle through i is one that returns to i. */
        size_t steps = 0, j = i;
        bool cycle = false;
        while (sc->faults[j].timing == MR_TIMING_AFTER && sc->faults[j].after != MR_SC_NONE &&
               steps <= n) {
            j = sc->faults[j].after;
            steps++;
            if (j == i) {
                cycle = true;
                break;
            }
        }
        if (!cycle)
            continue;
        /* Mark the whole cycle done and spell it out. */
        size_t len = 0;
        j = i;
        do {
            done[j] = 1;
            len += strlen(sc->faults[j].name ? sc->faults[j].name : "?") + 4;
            j = sc->faults[j].after;
        } while (j != i);
        len += strlen(sc->faults[i].name ? sc->faults[i].name : "?") + 1;
        char *text = mr_xmalloc(len);
        text[0] = '\0';
        j = i;
        do {
            strcat(text, sc->faults[j].name ? sc->faults[j].name : "?");
            strcat(text, " -> ");
            j = sc->faults[j].after;
        } while (j != i);
        strcat(text, sc->faults[i].name ? sc->faults[i].name : "?");
        mr_node *fm = NULL;
        mr_node *seq = mr_node_get(b->doc->root, "faults");
        if (seq && seq->kind == MR_NODE_SEQ && i < seq->n)
            fm = mr_node_get(seq->items[i], "start_after");
        char p[MR__PATH], q[MR__PATH];
        mr__path(q, mr__path_index(p, "faults", i), "start_after");
        mr_diag_error(b->diag, fm ? &fm->mark : &sc->faults[i].mark,
                      "%s: start_after chain is a cycle (%s): one of them needs another timing "
                      "form",
                      q, text);
        free(text);
    }
    free(done);
}

void mr__validate(mr__bind *b)
{
    check_chains(b);
}
