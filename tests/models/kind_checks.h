/* tests/models/kind_checks.h: what the tests of a kind with its own keys
 * (the data stores, the traffic layers) ask of a scenario, through the
 * library: the diagnostics of one that is refused, with its temporary
 * file's name written FILE so that a test states the whole line
 * (FILE:LINE:COLUMN: error: ...); a kind's price for a month, from a short
 * run's report; its published SLA. Header-only: each test file is its own
 * program. */
#ifndef MRSIM_TESTS_MODELS_KIND_CHECKS_H
#define MRSIM_TESTS_MODELS_KIND_CHECKS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/scenario.h"
#include "run/build.h"
#include "run/cost.h"
#include "scenario_run.h"

/* Loads text, which must be refused; returns its diagnostics (at most 8)
 * in lines[], the file's name written FILE (free each), and their count. */
static inline int kc_refusals(const char *text, char **lines, int max)
{
    char *path = tsr_write(text);
    mr_diag *d = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, d);
    cr_assert_eq(rc, MR_ESCENARIO, "the scenario was not refused");
    cr_assert_null(sc);
    int n = 0;
    size_t plen = strlen(path);
    for (int i = 0; i < mr_diag_count(d) && n < max; i++) {
        const char *line = mr_diag_line(d, i);
        char buf[1024];
        if (strncmp(line, path, plen) == 0)
            snprintf(buf, sizeof buf, "FILE%s", line + plen);
        else
            snprintf(buf, sizeof buf, "%s", line);
        lines[n++] = strdup(buf);
    }
    mr_diag_free(d);
    unlink(path);
    free(path);
    return n;
}

/* The one diagnostic of a refused scenario (asserts there is one). */
static inline void kc_refused_with(const char *text, const char *want)
{
    char *lines[8];
    int n = kc_refusals(text, lines, 8);
    cr_assert_eq(n, 1, "%d diagnostics, the first: %s", n, n ? lines[0] : "");
    cr_expect_str_eq(lines[0], want);
    free(lines[0]);
}

/* Cost item `item` (per month) of replication 0 of sc, run to its horizon. */
static inline double kc_month_cost(const mr_scenario *sc, int item)
{
    mr_sim *sim = tsr_build(sc, 0);
    mr_report *r = tsr_finish(sim);
    double items[MR_COST_ITEM_COUNT];
    mr_cost_month(sc, r, items, NULL, NULL);
    mr_report_free(r);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    return items[item];
}

/* The published SLA data store d of sc states for itself. */
static inline mr_model_sla kc_store_sla(const mr_scenario *sc, size_t d)
{
    mr_model_sla sla = {0};
    cr_assert_not_null(sc->datastores[d].model->sla);
    sc->datastores[d].model->sla(sc->datastores[d].cfg, &sla);
    return sla;
}

#endif
