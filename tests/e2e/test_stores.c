/* tests/e2e/test_stores.c: data stores through the program: the result
 * document's "stores" object and per-episode RPO, the same for any --jobs;
 * null data metrics and no "stores" without a store; the reference
 * scenarios that use stores are valid. */
#include "e2e.h"

#define FIXTURES MRSIM_SOURCE_DIR "/tests/fixtures/run/"

/* Runs `mrsim ARGS`; drops the wall-clock line. */
static run_out mrsim(const char *args)
{
    run_out r = e2e_run(args, "");
    drop_line(r.out, "\"wall_s\"");
    return r;
}

Test(stores, the_result_has_each_store_and_the_rpo_of_the_forced_failover, .timeout = 120)
{
    run_out a = mrsim("run " FIXTURES "tiny-sql.yaml --json -q -j 1");
    run_out b = mrsim("run " FIXTURES "tiny-sql.yaml --json -q -j 2");
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(a.out, b.out, "-j 1 and -j 2 differ");
    cr_assert_not_null(strstr(a.out, "\"stores\": {"));
    cr_assert_not_null(strstr(a.out, "\"cache\": {\"kind\": \"redis\", \"rpo_s\": {"));
    cr_assert_not_null(strstr(a.out, "\"orders\": {\"kind\": \"sql\", \"rpo_s\": {\"mean\": "));
    cr_assert_not_null(strstr(a.out, "\"files\": {\"kind\": \"blob\""));
    cr_assert_null(strstr(a.out, "\"rpo_s\": null"), "every RPO applies: %s", a.out);
    cr_assert_null(strstr(a.out, "\"lost_writes\": null"));
    /* The forced failover's episode carries the loss; the outage's is 0. */
    const char *ep = strstr(a.out, "{\"fault\": \"sql-forced\"");
    cr_assert_not_null(ep);
    cr_assert_null(strstr(ep, "\"rpo_s\": {\"mean\": 0,"), "%s", ep);
    run_free(&a);
    run_free(&b);
}

Test(stores, without_a_store_the_data_metrics_are_null, .timeout = 120)
{
    run_out a = mrsim("run " FIXTURES "tiny-tm.yaml --json -q -n 2");
    cr_assert_eq(a.status, 0);
    cr_assert_null(strstr(a.out, "\"stores\""));
    cr_assert_not_null(strstr(a.out, "\"rpo_s\": null"));
    cr_assert_not_null(strstr(a.out, "\"stale_read_ratio\": null"));
    cr_assert_not_null(strstr(a.out, "\"write_conflicts\": null"));
    run_free(&a);
}

Test(stores, the_reference_scenarios_with_stores_are_valid)
{
    run_out a =
        mrsim("validate " MRSIM_SOURCE_DIR "/scenarios/active-passive-tm.yaml " MRSIM_SOURCE_DIR
              "/scenarios/data-choices.yaml");
    cr_assert_eq(a.status, 0, "%s", a.err);
    run_free(&a);
}
