/* tests/unit/test_param.c: look-up in key tables (include/mrsim/param.h):
 * by key, by variant, through a NULL table. Binding through them is the
 * binder's and is tested with the scenarios (test_scenario.c). */
#include <criterion/criterion.h>
#include <stddef.h>

#include "mrsim/param.h"

typedef struct cfg {
    double a;
    int b;
} cfg;

enum { V1 = 1u << 0, V2 = 1u << 1 };

static const mr_param table[] = {
    {.key = "a", .type = MR_PARAM_T_NUMBER, .off = offsetof(cfg, a), .def = "1", .doc = "a"},
    {.key = "probe.b", .type = MR_PARAM_T_INT, .off = offsetof(cfg, b), .only = V1, .def = "1"},
    {.key = "probe.b", .type = MR_PARAM_T_INT, .off = offsetof(cfg, b), .only = V2, .def = "2"},
    MR_PARAM_END,
};

Test(param, finds_a_key_and_a_dotted_key)
{
    cr_assert_eq(mr_param_find(table, "a", 0), &table[0]);
    cr_assert_eq(mr_param_find(table, "probe.b", 0), &table[1], "any variant: the first row");
    cr_assert_null(mr_param_find(table, "probe", 0));
    cr_assert_null(mr_param_find(table, "c", 0));
}

Test(param, picks_the_row_of_the_variant)
{
    cr_assert_str_eq(mr_param_find(table, "probe.b", V1)->def, "1");
    cr_assert_str_eq(mr_param_find(table, "probe.b", V2)->def, "2");
    cr_assert_eq(mr_param_find(table, "a", V2), &table[0], "a row for every variant");
    cr_assert_null(mr_param_find(table, "probe.b", 1u << 5));
}

Test(param, a_null_table_is_empty)
{
    cr_assert_null(mr_param_find(NULL, "a", 0));
}
