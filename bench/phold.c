/* bench/phold.c: PHOLD on the mrsim kernel. Builds lps phold components
 * (models/phold.c), spreads the pending events over them, and times the
 * dispatch loop alone. The delay's mean is 1 s of simulated time, so ties
 * between event times are as rare as they are in real scenarios. */
#include <inttypes.h>
#include <stdio.h>

#include "bench.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "phold.h"
#include "mrsim/sim.h"

int mr_bench_phold(const mr_phold_opts *opts, mr_phold_result *out)
{
    if (opts->lps < 1 || opts->pending < 1 || opts->events < 1 || opts->pending > UINT32_MAX / 2)
        return MR_EINVAL;
    const mr_model *model = mr_model_find("phold");
    mr_sim *sim = mr_sim_new(opts->seed, 0);
    int rc = MR_OK;
    for (uint32_t i = 0; i < opts->lps && rc == MR_OK; i++) {
        mr_phold_cfg cfg = {
            .lps = opts->lps,
            .first = 0,
            .initial = (int64_t)(opts->pending / opts->lps + (i < opts->pending % opts->lps)),
            .mean = MR_S,
            .stop_after = (int64_t)opts->events,
        };
        char name[32];
        snprintf(name, sizeof name, "lp%" PRIu32, i);
        rc = mr_sim_add(sim, model, name, &cfg, NULL, NULL);
    }
    /* Memory per pending event is what the queue adds: measured from here,
     * after the LPs exist, to the end of the run. */
    long rss0 = mr_bench_rss_kib();
    mr_sim_reserve(sim, opts->pending);
    if (rc == MR_OK)
        rc = mr_sim_start(sim, NULL);
    if (rc != MR_OK) {
        mr_sim_free(sim);
        return rc;
    }

    double t0 = mr_bench_wall();
    rc = mr_sim_run(sim, MR_RUN_HORIZON, 0);
    double t1 = mr_bench_wall();
    long rss1 = mr_bench_rss_kib();

    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t i = 0; i < opts->lps; i++) {
        const mr_phold_state *st = mr_sim_component(sim, i)->state;
        h = (h ^ st->received) * 0x100000001b3ULL;
        h = (h ^ st->hash) * 0x100000001b3ULL;
    }
    out->events = mr_sim_events(sim);
    out->wall_s = t1 - t0;
    out->events_per_s = out->wall_s > 0 ? (double)out->events / out->wall_s : 0;
    out->ns_per_event = out->events ? 1e9 * out->wall_s / (double)out->events : 0;
    out->peak_rss_kib = mr_bench_peak_rss_kib();
    out->bytes_per_pending = 1024.0 * (double)(rss1 - rss0) / (double)opts->pending;
    out->checksum = h;
    out->end_time = mr_sim_now(sim);
    int frc = mr_sim_free(sim);
    return rc != MR_OK ? rc : frc;
}
