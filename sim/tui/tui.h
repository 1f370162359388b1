/* sim/tui/tui.h: the ncurses front end of `mrsim tui` (docs/tui.md). It
 * drives one live replication (run/live.h, its only way into the
 * simulation), lays each frame out with the screen model (screen.h) and
 * copies the cells to the terminal. */
#ifndef MRSIM_TUI_TUI_H
#define MRSIM_TUI_TUI_H

#include "run/live.h"

typedef struct mr_tui_opts {
    const char *file;    /* the scenario, as given */
    const char *variant; /* NULL: none */
} mr_tui_opts;

/* Runs the screen until the user quits (or SIGINT / SIGTERM). The terminal
 * is restored on every way out, a fatal signal included. Returns 0, or 130
 * after a signal, or 1 when the terminal could not be set up. */
int mr_tui_run(mr_live *lv, const mr_tui_opts *opts);

#endif
