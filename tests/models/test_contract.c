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

Test(contract, every_model_has_a_kind_a_summary_and_a_handler)
{
    for (size_t i = 0; i < mr_model_count(); i++) {
        const mr_model *m = mr_model_at(i);
        cr_assert_not_null(m->handle, "%s has no handler", m->kind);
        cr_assert_not_null(m->summary, "%s has no summary", m->kind);
        cr_assert((m->family == NULL) == (m->ops == NULL), "%s: a family needs its ops", m->kind);
    }
}
