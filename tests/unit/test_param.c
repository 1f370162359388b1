/* tests/unit/test_param.c: parameter tables: defaults, ranges, look-up,
 * diagnostics; the alloc failure hook; the diagnostic list. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/param.h"
#include "mrsim/diag.h"

typedef struct cfg {
    int64_t pods;
    double share;
    mr_time ttl;
    bool fast;
} cfg;

static const mr_param table[] = {
    MR_PARAM_INT(cfg, pods, 3, 1, 1000, "pods"),
    MR_PARAM_DOUBLE(cfg, share, 0.5, 0, 1, "share"),
    MR_PARAM_DURATION(cfg, ttl, 60 * MR_S, 0, MR_DAY, "TTL"),
    MR_PARAM_BOOL(cfg, fast, 1, "fast probing"),
    MR_PARAM_END,
};

Test(param, defaults_fill_every_field)
{
    cfg c = {0};
    mr_param_defaults(table, &c);
    cr_assert_eq(c.pods, 3);
    cr_assert_float_eq(c.share, 0.5, 1e-15);
    cr_assert_eq(c.ttl, 60 * MR_S);
    cr_assert(c.fast);
    cr_assert_eq(mr_param_check(table, &c, "x", NULL), MR_OK);
}

Test(param, out_of_range_values_are_each_reported)
{
    cfg c;
    mr_param_defaults(table, &c);
    c.pods = 0;
    c.share = 1.5;
    c.ttl = -1;
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_param_check(table, &c, "westeurope/aks", d), MR_ERANGE);
    cr_assert_eq(mr_diag_count(d), 3);
    cr_assert_str_eq(mr_diag_line(d, 0),
                     "error: westeurope/aks: pods = 0 is out of range [1, 1000]");
    cr_assert_str_eq(mr_diag_line(d, 1), "error: westeurope/aks: share = 1.5 is out of range [0, 1]");
    cr_assert_null(mr_diag_line(d, 3));
    mr_diag_free(d);
    c.share = 0.0 / 0.0;
    c.pods = 2;
    c.ttl = 0;
    cr_assert_eq(mr_param_check(table, &c, "x", NULL), MR_ERANGE, "NaN is out of every range");
}

Test(param, find_by_name)
{
    cr_assert_eq(mr_param_find(table, "ttl"), &table[2]);
    cr_assert_null(mr_param_find(table, "tll"));
    cr_assert_null(mr_param_find(NULL, "ttl"));
}

Test(diag, located_lines_have_file_line_column)
{
    mr_diag *d = mr_diag_new();
    mr_mark m = {"a.yaml", 3, 5};
    mr_diag_error(d, &m, "unknown key '%s'", "zones");
    mr_mark nofile = {"b.yaml", 0, 0};
    mr_diag_error(d, &nofile, "cannot open");
    cr_assert_str_eq(mr_diag_line(d, 0), "a.yaml:3:5: error: unknown key 'zones'");
    cr_assert_str_eq(mr_diag_line(d, 1), "b.yaml: error: cannot open");
    mr_diag_free(d);
    mr_diag_free(NULL);
}

static void quiet(void)
{
    fclose(stderr);
}

Test(alloc, the_nth_allocation_fails_fatally, .signal = SIGABRT)
{
    mr_set_fatal_hook(quiet);
    mr_alloc_fail_after(2);
    void *a = mr_xmalloc(16); /* the first succeeds */
    (void)a;
    mr_xmalloc(16); /* the second aborts */
}

Test(alloc, the_hook_off_leaves_allocations_alone)
{
    mr_alloc_fail_after(0);
    for (int i = 0; i < 100; i++)
        free(mr_xmalloc(8));
    char *s = mr_xstrdup("abc");
    cr_assert_str_eq(s, "abc");
    free(s);
}
