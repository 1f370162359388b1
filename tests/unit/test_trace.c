/* tests/unit/test_trace.c: the --trace detail column and --trace-filter's
 * matching (docs/cli.md "--trace"). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mrsim/event.h"
#include "mrsim/fault.h"
#include "mrsim/model.h"
#include "mrsim/sim.h"

/* Every private kind of every registered model has a detail: the model's
 * event_detail writes something for each kind its event_name names. The
 * component is zeroed (cfg and state), the state before its first event,
 * which every detail must survive. */
Test(trace, every_private_kind_of_every_model_has_a_detail)
{
    size_t kinds = 0;
    for (size_t m = 0; m < mr_model_count(); m++) {
        const mr_model *md = mr_model_at(m);
        if (md->event_name == NULL)
            continue;
        void *cfg = calloc(1, md->cfg_size ? md->cfg_size : 1);
        void *state = calloc(1, md->state_size ? md->state_size : 1);
        mr_component c = {.model = md, .name = "x", .cfg = cfg, .state = state};
        for (uint32_t k = MR_MSG_PRIVATE; md->event_name(k) != NULL; k++) {
            mr_event ev = {.time = 0, .kind = k};
            char buf[256];
            mr_trace_detail(NULL, &c, &ev, buf, sizeof buf);
            cr_expect(buf[0] != '\0', "%s: kind %s has no detail", md->kind, md->event_name(k));
            kinds++;
        }
        free(cfg);
        free(state);
    }
    /* Counted by hand from the event_name functions: cluster 5, failover
     * 6, cosmos 3, sql, redis and blob 3 each (shared), clients 2,
     * clients_agg 2, faults 2, Front Door 2, Traffic Manager 2, DNS 1,
     * phold 1: 35 (more when a model adds kinds, never fewer). */
    cr_expect_geq(kinds, 35, "%zu kinds", kinds);
}

/* Every public message has a detail from its payload, whoever receives
 * it; the recorder of the harness has no event_detail of its own. */
Test(trace, every_public_message_has_a_detail)
{
    mr_sim *sim = th_sim_with_recorder(1);
    const mr_component *rec = mr_sim_component(sim, 0);
    for (uint32_t k = 1; mr_msg_name(k) != NULL; k++) {
        mr_event ev = {.time = 0, .kind = k};
        char buf[256];
        mr_trace_detail(sim, rec, &ev, buf, sizeof buf);
        cr_expect(buf[0] != '\0', "%s has no detail", mr_msg_name(k));
    }
    /* The status names the endpoint's cluster by its component: id 0 is
     * the recorder "rec". */
    mr_msg_status s = {.endpoint = 1, .cluster = 0, .healthy = 0};
    mr_event ev = {.kind = MR_MSG_ENDPOINT_STATUS};
    memcpy(ev.payload.bytes, &s, sizeof s);
    char buf[256];
    mr_trace_detail(sim, rec, &ev, buf, sizeof buf);
    cr_expect_str_eq(buf, "endpoint 1 (rec) unhealthy");
    mr_msg_fault f = {.fault = 2, .kind = 0, .severity = 0.5, .zone = 3};
    ev = (mr_event){.kind = MR_MSG_FAULT_START};
    memcpy(ev.payload.bytes, &f, sizeof f);
    mr_trace_detail(sim, rec, &ev, buf, sizeof buf);
    char want[128];
    snprintf(want, sizeof want, "faults[2] %s severity 0.5 zone 3",
             mr_fault_kind_name((mr_fault_kind)0));
    cr_expect_str_eq(buf, want);
    mr_sim_free(sim);
}

/* Matching: component globs or-ed, kinds or-ed, the two and-ed; no
 * filter keeps everything. */
Test(trace, filter_matches_components_by_glob_and_kinds_by_name)
{
    cr_expect(mr_trace_filter_match(NULL, "a", "b"));
    mr_trace_filter f = {.comp = {"clusters/*", "traffic"}, .ncomp = 2};
    cr_expect(mr_trace_filter_match(&f, "clusters/aks-weu", "pod_ready"));
    cr_expect(mr_trace_filter_match(&f, "traffic", "probe"));
    cr_expect_not(mr_trace_filter_match(&f, "traffic2", "probe"));
    cr_expect_not(mr_trace_filter_match(&f, "regions/westeurope", "fault_start"));
    f.kind[0] = "fault_start";
    f.kind[1] = "probe";
    f.nkind = 2;
    cr_expect(mr_trace_filter_match(&f, "traffic", "probe"));
    cr_expect_not(mr_trace_filter_match(&f, "traffic", "probe_failed"), "a name, not a prefix");
    cr_expect_not(mr_trace_filter_match(&f, "regions/westeurope", "fault_start"));
    f.ncomp = 0;
    cr_expect(mr_trace_filter_match(&f, "regions/westeurope", "fault_start"));
}
