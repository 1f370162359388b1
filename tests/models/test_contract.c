/* tests/models/test_contract.c: the contract every registered model keeps,
 * checked over the whole registry so a new kind is covered without a new
 * test: its defaults bind and pass their own range check, it has a kind
 * and a handler, an instance inits from its defaults, then either links,
 * starts, runs, finishes, reports and frees clean (mr_sim_free returns
 * MR_OK) with an event of a kind it does not know counted, not fatal; or,
 * when it needs neighbours it does not have, refuses to link with a
 * diagnostic naming it and still frees clean. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/error.h"
#include "mrsim/model.h"
#include "mrsim/param.h"
#include "mrsim/report.h"
#include "mrsim/sim.h"

Test(contract, registry_lookup_matches_iteration)
{
    cr_assert_gt(mr_model_count(), 0);
    for (size_t i = 0; i < mr_model_count(); i++) {
        const mr_model *m = mr_model_at(i);
        cr_assert_not_null(m->kind);
        cr_assert_eq(mr_model_find(m->kind), m, "%s", m->kind);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(mr_model_at(j)->kind, m->kind, "duplicate kind");
    }
    cr_assert_null(mr_model_find("no-such-kind"));
    cr_assert_null(mr_model_at(mr_model_count()));
}

Test(contract, every_model_runs_from_its_defaults_and_frees_clean, .timeout = 60)
{
    for (size_t i = 0; i < mr_model_count(); i++) {
        const mr_model *m = mr_model_at(i);
        cr_assert_not_null(m->handle, "%s has no handler", m->kind);
        cr_assert_not_null(m->summary, "%s has no summary", m->kind);
        void *cfg = calloc(1, m->cfg_size ? m->cfg_size : 1);
        mr_param_defaults(m->params, cfg);
        cr_assert_eq(mr_param_check(m->params, cfg, m->kind, NULL), MR_OK,
                     "%s: a default is outside its own range", m->kind);
        for (const mr_param *p = m->params; p && p->type != MR_PARAM_T_END; p++) {
            cr_assert_not_null(p->help, "%s.%s has no help", m->kind, p->name);
            cr_assert_leq(p->offset + 1, m->cfg_size, "%s.%s outside cfg", m->kind, p->name);
        }
        free(cfg);

        mr_sim *sim = mr_sim_new(1, 0);
        mr_diag *d = mr_diag_new();
        cr_assert_eq(mr_sim_add(sim, m, "subject", NULL, d, NULL), MR_OK, "%s init", m->kind);
        int rc = mr_sim_start(sim, d);
        if (rc != MR_OK) {
            /* A model that needs neighbours cannot link alone: it must say
             * why, located, and still free clean. */
            cr_assert_gt(mr_diag_count(d), 0, "%s: link failed silently", m->kind);
            cr_assert(strstr(mr_diag_line(d, 0), "subject") != NULL, "%s: %s", m->kind,
                      mr_diag_line(d, 0));
            mr_diag_free(d);
            cr_assert_eq(mr_sim_free(sim), MR_OK, "%s leaked events", m->kind);
            continue;
        }
        mr_sim_set_horizon(sim, MR_H);
        mr_sim_schedule(sim, 0, 0, MR_MSG_PRIVATE + 4000, NULL, 0, NULL);
        cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, 10 * MR_S), MR_OK);
        cr_assert_eq(mr_sim_unhandled_count(sim), 1, "%s: unknown kind not counted", m->kind);
        mr_sim_finish(sim);
        mr_report *r = mr_report_new();
        mr_sim_report(sim, r);
        mr_report_free(r);
        cr_assert_eq(mr_diag_count(d), 0);
        mr_diag_free(d);
        cr_assert_eq(mr_sim_free(sim), MR_OK, "%s leaked events", m->kind);
    }
}
