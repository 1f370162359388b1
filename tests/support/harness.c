/* tests/support/harness.c: the recorder component and small fixtures. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"
#include "mrsim/error.h"

static void recorder_handle(mr_component *self, mr_sim *sim, const mr_event *ev)
{
    (void)sim;
    th_log *log = self->state;
    if (log->n < 4096) {
        log->time[log->n] = ev->time;
        log->kind[log->n] = ev->kind;
        memcpy(&log->word[log->n], ev->payload.bytes, sizeof(uint64_t));
        log->n++;
    }
}

const mr_model th_model_recorder = {
    .kind = "recorder",
    .summary = "test component that logs what it receives",
    .cfg_size = 0,
    .state_size = sizeof(th_log),
    .handle = recorder_handle,
};

const th_log *th_recorder_log(const mr_component *c)
{
    return c->state;
}

mr_sim *th_sim_with_recorder(uint64_t seed)
{
    mr_sim *sim = mr_sim_new(seed, 0);
    cr_assert_eq(mr_sim_add(sim, &th_model_recorder, "rec", NULL, NULL, NULL), MR_OK);
    cr_assert_eq(mr_sim_start(sim, NULL), MR_OK);
    return sim;
}

mr_handle th_schedule(mr_sim *sim, mr_time at, uint32_t kind, uint64_t word)
{
    mr_handle h = {0, 0};
    int rc = mr_sim_schedule_at(sim, at, 0, kind, &word, sizeof word, &h);
    cr_assert_eq(rc, MR_OK, "schedule failed: %s", mr_strerror(rc));
    return h;
}
