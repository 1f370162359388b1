/* tests/unit/test_sim.c: the kernel's public API: lifecycle, scheduling
 * and its errors, cancel, run modes, the trace hook, unhandled kinds. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"
#include "mrsim/error.h"
#include "mrsim/sim.h"
#include "phold.h"

/* One PHOLD LP sending its one event to itself every second on average. */
static const mr_phold_cfg lone_lp = {.lps = 1, .first = 0, .initial = 1, .mean = MR_S};

Test(sim, events_reach_the_target_in_order_and_free_is_clean)
{
    mr_sim *sim = th_sim_with_recorder(1);
    th_schedule(sim, 30, MR_MSG_PRIVATE, 3);
    th_schedule(sim, 10, MR_MSG_PRIVATE, 1);
    th_schedule(sim, 20, MR_MSG_PRIVATE, 2);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    const th_log *log = th_recorder_log(mr_sim_find(sim, "rec"));
    cr_assert_eq(log->n, 3);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(log->word[i], i + 1);
        cr_assert_eq(log->time[i], (mr_time)(10 * (i + 1)));
    }
    cr_assert_eq(mr_sim_events(sim), 3);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(sim, bad_schedules_return_codes_and_schedule_nothing)
{
    mr_sim *sim = th_sim_with_recorder(1);
    th_schedule(sim, 100, MR_MSG_PRIVATE, 0);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, 100), MR_OK);
    cr_assert_eq(mr_sim_now(sim), 100);
    uint64_t w = 0;
    mr_handle h = {77, 77};
    cr_assert_eq(mr_sim_schedule_at(sim, 99, 0, MR_MSG_PRIVATE, &w, sizeof w, &h), MR_EPAST);
    cr_assert_eq(mr_sim_schedule(sim, -1, 0, MR_MSG_PRIVATE, &w, sizeof w, &h), MR_EDELAY);
    cr_assert_eq(mr_sim_schedule(sim, 5, 9, MR_MSG_PRIVATE, &w, sizeof w, &h), MR_ENOCOMP);
    char big[MR_PAYLOAD_SIZE + 1] = {0};
    cr_assert_eq(mr_sim_schedule(sim, 5, 0, MR_MSG_PRIVATE, big, sizeof big, &h), MR_EINVAL);
    cr_assert_eq(mr_sim_schedule(sim, 5, 0, MR_MSG_PRIVATE, NULL, 4, &h), MR_EINVAL);
    cr_assert_eq(mr_sim_schedule(sim, MR_TIME_NEVER, 0, MR_MSG_PRIVATE, NULL, 0, &h), MR_ERANGE);
    cr_assert_eq(h.slot, 77, "out-parameter untouched on failure");
    cr_assert_eq(mr_sim_pending(sim), 0);
    cr_assert_str_eq(mr_errname(MR_EPAST), "EPAST");
    cr_assert(strlen(mr_strerror(MR_EDELAY)) > 0);
    cr_assert_str_eq(mr_strerror(-9999), "unknown error");
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(sim, cancel_through_the_api)
{
    mr_sim *sim = th_sim_with_recorder(1);
    mr_handle a = th_schedule(sim, 10, MR_MSG_PRIVATE, 1);
    mr_handle b = th_schedule(sim, 20, MR_MSG_PRIVATE, 2);
    cr_assert_eq(mr_sim_cancel(sim, a), MR_OK);
    cr_assert_eq(mr_sim_cancel(sim, a), MR_ESTALE);
    cr_assert_eq(mr_sim_pending(sim), 1);
    mr_time t;
    cr_assert_eq(mr_sim_next_time(sim, &t), MR_OK);
    cr_assert_eq(t, 20, "the cancelled head is skipped");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    cr_assert_eq(mr_sim_cancel(sim, b), MR_ESTALE, "already fired");
    cr_assert_eq(th_recorder_log(mr_sim_find(sim, "rec"))->n, 1);
    cr_assert_eq(mr_sim_next_time(sim, &t), MR_EEMPTY);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(sim, run_modes_step_until_and_horizon)
{
    mr_sim *sim = th_sim_with_recorder(1);
    for (int i = 1; i <= 5; i++)
        th_schedule(sim, i * MR_S, MR_MSG_PRIVATE, (uint64_t)i);
    cr_assert_eq(mr_sim_set_horizon(sim, 4 * MR_S), MR_OK);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_STEP, 0), MR_OK);
    cr_assert_eq(mr_sim_now(sim), MR_S);
    cr_assert_eq(mr_sim_events(sim), 1);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, 2500 * MR_MS), MR_OK);
    cr_assert_eq(mr_sim_events(sim), 2);
    cr_assert_eq(mr_sim_now(sim), 2500 * MR_MS, "UNTIL leaves the clock at its end");
    cr_assert_eq(mr_sim_run(sim, MR_RUN_UNTIL, MR_S), MR_EPAST);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    cr_assert_eq(mr_sim_events(sim), 4, "the event at the horizon runs, the one after does not");
    cr_assert_eq(mr_sim_now(sim), 4 * MR_S);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_STEP, 0), MR_EEMPTY, "nothing due by the horizon");
    cr_assert_eq(mr_sim_pending(sim), 1);
    cr_assert_eq(mr_sim_set_horizon(sim, MR_S), MR_EPAST);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

static int stop_count;
static void stopper_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)ev;
    stop_count++;
    mr_sim_schedule(sim, MR_S, self->id, MR_MSG_PRIVATE, NULL, 0, NULL);
    if (stop_count == 3)
        mr_sim_stop(sim);
}
static const mr_model stopper = {.kind = "stopper", .handle = stopper_handle};

Test(sim, stop_from_a_handler_ends_the_run)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_component *c;
    cr_assert_eq(mr_sim_add(sim, &stopper, "s", NULL, NULL, &c), MR_OK);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    mr_sim_schedule(sim, 0, c->id, MR_MSG_PRIVATE, NULL, 0, NULL);
    stop_count = 0;
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_OK);
    cr_assert_eq(stop_count, 3);
    cr_assert_eq(mr_sim_now(sim), 2 * MR_S);
    cr_assert_eq(mr_sim_pending(sim), 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK, "pending events are released by free");
}

Test(sim, lifecycle_errors)
{
    mr_sim *sim = mr_sim_new(1, 0);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_HORIZON, 0), MR_ESTATE, "run before start");
    cr_assert_eq(mr_sim_add(sim, &th_model_recorder, "a", NULL, NULL, NULL), MR_OK);
    cr_assert_eq(mr_sim_add(sim, &th_model_recorder, "a", NULL, NULL, NULL), MR_EEXIST);
    cr_assert_eq(mr_sim_add(sim, &th_model_recorder, "", NULL, NULL, NULL), MR_EINVAL);
    static const mr_model no_handle = {.kind = "broken"};
    cr_assert_eq(mr_sim_add(sim, &no_handle, "b", NULL, NULL, NULL), MR_EINVAL);
    cr_assert_eq(mr_sim_component_count(sim), 1);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_ESTATE);
    cr_assert_eq(mr_sim_add(sim, &th_model_recorder, "c", NULL, NULL, NULL), MR_ESTATE);
    cr_assert_null(mr_sim_component(sim, 5));
    cr_assert_null(mr_sim_find(sim, "zz"));
    cr_assert_eq(mr_sim_free(sim), MR_OK);
    cr_assert_eq(mr_sim_free(NULL), MR_OK);
}

static int failing_init(mr_component *self, mr_diag *diag)
{
    mr_diag_error(diag, NULL, "%s: refuses to start", self->name);
    return MR_EMODEL;
}
static const mr_model refuser = {.kind = "refuser", .init = failing_init,
                                 .handle = stopper_handle};

Test(sim, a_failing_init_adds_nothing_and_reports)
{
    mr_sim *sim = mr_sim_new(1, 0);
    mr_diag *d = mr_diag_new();
    cr_assert_eq(mr_sim_add(sim, &refuser, "r", NULL, d, NULL), MR_EMODEL);
    cr_assert_eq(mr_sim_component_count(sim), 0);
    cr_assert_eq(mr_diag_count(d), 1);
    cr_assert_str_eq(mr_diag_line(d, 0), "error: r: refuses to start");
    mr_diag_free(d);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(sim, unknown_kinds_are_counted_not_fatal)
{
    mr_sim *sim = mr_sim_new(1, 0);
    cr_assert_eq(mr_sim_add(sim, mr_model_find("phold"), "lp0", &lone_lp, NULL, NULL), MR_OK);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_STEP, 0), MR_OK); /* its own start event */
    mr_sim_schedule(sim, 0, 0, MR_MSG_PRIVATE + 99, NULL, 0, NULL);
    mr_time t;
    cr_assert_eq(mr_sim_next_time(sim, &t), MR_OK);
    /* Step until the foreign kind has been delivered. */
    for (int i = 0; i < 3 && mr_sim_unhandled_count(sim) == 0; i++)
        mr_sim_run(sim, MR_RUN_STEP, 0);
    cr_assert_eq(mr_sim_unhandled_count(sim), 1);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

typedef struct trace_sink {
    uint64_t hash;
    uint64_t n;
} trace_sink;

static void hash_trace(void *ctx, const mr_sim *sim, const mr_component *c, const mr_event *ev)
{
    (void)sim;
    trace_sink *t = ctx;
    t->hash = (t->hash ^ (uint64_t)ev->time) * 0x100000001b3ULL;
    t->hash = (t->hash ^ c->id) * 0x100000001b3ULL;
    t->n++;
}

Test(sim, trace_hook_sees_every_event)
{
    mr_sim *sim = th_sim_with_recorder(1);
    trace_sink t = {0, 0};
    mr_sim_set_trace(sim, hash_trace, &t);
    for (int i = 0; i < 10; i++)
        th_schedule(sim, i, MR_MSG_PRIVATE, 0);
    mr_sim_run(sim, MR_RUN_HORIZON, 0);
    cr_assert_eq(t.n, 10);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}

Test(sim, trace_csv_has_header_time_component_kind_detail)
{
    mr_sim *sim = mr_sim_new(3, 0);
    cr_assert_eq(mr_sim_add(sim, mr_model_find("phold"), "lp,0", &lone_lp, NULL, NULL), MR_OK);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_trace_csv_header(f);
    mr_sim_set_trace(sim, mr_trace_csv, f);
    cr_assert_eq(mr_sim_run(sim, MR_RUN_STEP, 0), MR_OK);
    fclose(f);
    cr_assert(strncmp(buf, "time_s,component,kind,detail\n", 29) == 0, "%s", buf);
    const char *row = buf + 29;
    cr_assert(strstr(row, ",\"lp,0\",hop,received=0\n") != NULL, "row: %s", row);
    cr_assert(row[1] == '.' || row[2] == '.' || row[3] == '.', "time in seconds: %s", row);
    free(buf);
    cr_assert_eq(mr_sim_free(sim), MR_OK);
}
