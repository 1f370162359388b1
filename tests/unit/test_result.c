/* tests/unit/test_result.c: the result document's keys, nulls and number
 * format, and the table. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/report.h"
#include "run/result.h"

static char *render(const mr_result *r, int json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (json)
        mr_result_write_json(r, f);
    else
        mr_result_write_table(r, f);
    fclose(f);
    return buf;
}

static mr_result sample(mr_episode_result *ep)
{
    mr_result r = {.scenario = "ap", .file = "s/ap.yaml", .seed = 42, .replications = 3,
                   .horizon_s = 7200, .events = 99, .wall_s = 0.5, .episodes = ep,
                   .nepisodes = 1};
    const double avail[] = {0.99, 0.995, 0.999};
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        const double nan3[] = {NAN, NAN, NAN};
        mr_summarize(m == MR_METRIC_AVAILABILITY ? avail : nan3, 3, 1, &r.metrics[m]);
    }
    mr_summarize(avail, 3, 1, &ep->rto_s);
    mr_summarize(avail, 0, 1, &ep->rpo_s);
    return r;
}

Test(result, json_has_every_key_of_cli_md_and_nulls_for_what_does_not_apply)
{
    mr_episode_result ep = {.fault = "weu-outage", .kind = "region_outage",
                            .target = "westeurope", .censored = 1};
    mr_result r = sample(&ep);
    char *j = render(&r, 1);
    static const char *const keys[] = {"\"mrsim\": ", "\"scenario\": \"ap\"",
                                       "\"file\": \"s/ap.yaml\"", "\"seed\": 42",
                                       "\"replications\": 3", "\"horizon_s\": 7200",
                                       "\"events\": 99", "\"wall_s\": 0.5", "\"metrics\": {",
                                       "\"episodes\": [", "\"slo\": ["};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert(strstr(j, keys[i]), "missing %s in\n%s", keys[i], j);
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        char key[64];
        snprintf(key, sizeof key, "\"%s\": ", mr_metric_name((mr_metric)m));
        cr_assert(strstr(j, key), "missing metric %s", key);
    }
    cr_assert(strstr(j, "\"availability\": {\"mean\": 0.9946666667, \"ci95\": ["), "%s", j);
    cr_assert(strstr(j, "\"rpo_s\": null,\n"), "a metric that does not apply is null");
    cr_assert(strstr(j, "\"p50\": 0.995, \"p95\": "), "%s", j);
    cr_assert(strstr(j, "\"n\": 3, \"ci_method\": \"t\"}"), "%s", j);
    cr_assert(strstr(j, "{\"fault\": \"weu-outage\", \"kind\": \"region_outage\", \"target\": "
                        "\"westeurope\", \"rto_s\": {"),
              "%s", j);
    cr_assert(strstr(j, "\"rpo_s\": null, \"censored\": 1, \"budget_share\": null, "
                        "\"incident_cost_usd\": null, \"expect\": {}, \"timeline\": [], "
                        "\"critical_path\": null}"),
              "%s", j);
    cr_assert(strstr(j, "\"stopping\": {\"rule\": \"fixed\"}"), "%s", j);
    cr_assert(strstr(j, "\"slo\": [],\n  \"steady_state\": []\n}\n"), "%s", j);
    free(j);
}

Test(result, json_escapes_strings)
{
    mr_episode_result ep = {.fault = "a\"b\\c\n", .kind = "k", .target = "t"};
    mr_result r = sample(&ep);
    char *j = render(&r, 1);
    cr_assert(strstr(j, "\"fault\": \"a\\\"b\\\\c\\u000a\""), "%s", j);
    free(j);
}

Test(result, table_names_every_metric_and_marks_nulls)
{
    mr_episode_result ep = {.fault = "weu-outage", .kind = "region_outage", .target = "w"};
    mr_result r = sample(&ep);
    char *t = render(&r, 0);
    cr_assert(strstr(t, "ap (s/ap.yaml): 3 replications of 2h 00m, seed 42"), "%s", t);
    /* 0.99, 0.995, 0.999 (sample): mean 0.99467 -> 99.47% (four digits,
     * which hold two of the missing 0.53%); GSL's p50 0.995 -> 99.50%. */
    cr_assert(strstr(t, "availability ") && strstr(t, "99.47%") && strstr(t, "99.50%"), "%s", t);
    cr_assert(strstr(t, "\nrpo ") && strstr(t, " n/a\n"), "%s", t);
    cr_assert(strstr(t, "fault weu-outage (region_outage, w)\n  rto "), "%s", t);
    free(t);
}

/* 1 when the table t has a row whose label is `label` and whose cells,
 * after the padding, begin with `cells` (the widths depend on the rows). */
__attribute__((noinline)) static int row_starts(const char *t, const char *label,
                                                 const char *cells)
{
    const char *p = strstr(t, label);
    if (p == NULL)
        return 0;
    p += strlen(label);
    p += strspn(p, " ");
    return strncmp(p, cells, strlen(cells)) == 0;
}

Test(result, cost_breakdown_names_every_item_in_json_and_table)
{
    mr_episode_result ep = {.fault = "f", .kind = "k", .target = "t"};
    mr_result r = sample(&ep);
    const double usd[] = {100, 100, 100};
    for (int i = 0; i < MR_COST_ITEM_COUNT; i++)
        mr_summarize(usd, i == MR_COST_DATASTORES ? 0 : 3, 1, &r.cost_breakdown[i]);
    char *j = render(&r, 1);
    cr_assert(strstr(j, "\n  },\n  \"cost_breakdown\": {\n    \"nodes\": {\"mean\": 100, \"ci95\": "
                        "[100, 100], \"p50\": 100, \"p95\": 100, \"p99\": 100, \"min\": 100, "
                        "\"max\": 100, \"n\": 3, \"ci_method\": \"t\"},\n    \"cluster_fees\": {"),
              "%s", j);
    cr_assert(strstr(j, "\"transfer\": {") && strstr(j, "\"traffic\": {"), "%s", j);
    cr_assert(strstr(j, "\"datastores\": null\n  },\n"), "%s", j);
    free(j);
    char *t = render(&r, 0);
    /* $100 a month in each of three replications: mean $100/mo, t
     * interval [100, 100] (mr_summarize, no range), $100 percentiles. */
    cr_assert(row_starts(t, "\n  cluster_fees ", "$100/mo  [$100, $100]  "), "%s", t);
    cr_assert(row_starts(t, "\n  datastores ", "n/a\n"), "%s", t);
    free(t);
}

Test(result, verdicts_in_json_table_and_check)
{
    mr_episode_result ep = {.fault = "weu-outage", .kind = "region_outage", .target = "w"};
    ep.expect[0] = (mr_verdict){.target = "rto", .limit = 300, .evaluable = 1, .met = 1,
                                .p_met = 0.98, .n = 3};
    ep.nexpect = 1;
    mr_result r = sample(&ep);
    r.slo_confidence = 0.95;
    r.slo[0] = (mr_verdict){.target = "rto", .limit = 300, .evaluable = 1, .met = 1,
                            .p_met = 0.97, .n = 3};
    r.slo[1] = (mr_verdict){.target = "rpo", .limit = 5, .reason = "no data store",
                            .p_met = NAN};
    r.nslo = 2;
    char *j = render(&r, 1);
    cr_assert(strstr(j, "\"expect\": {\"rto\": {\"limit\": 300, \"met\": true, \"p_met\": 0.98, "
                        "\"n\": 3}}"),
              "%s", j);
    cr_assert(strstr(j, "{\"target\": \"rto\", \"limit\": 300, \"met\": true, \"p_met\": 0.97"),
              "%s", j);
    cr_assert(strstr(j, "{\"target\": \"rpo\", \"limit\": 5, \"met\": null, \"p_met\": null, "
                        "\"n\": 0, \"reason\": \"no data store\"}"),
              "%s", j);
    free(j);
    char *t = render(&r, 0);
    cr_assert(strstr(t, "rto <= 5m 00s") && strstr(t, "met     p_met 97%"), "%s", t);
    cr_assert(strstr(t, "rpo <= 5 s") && strstr(t, "not evaluable: no data store"), "%s", t);
    free(t);
    /* A target that cannot be evaluated never fails the gate; a missed one does. */
    cr_assert_eq(mr_result_slo_missed(&r), 0);
    ep.expect[0].met = 0;
    cr_assert_eq(mr_result_slo_missed(&r), 1);
    ep.expect[0].met = 1;
    r.slo[0].met = 0;
    cr_assert_eq(mr_result_slo_missed(&r), 1);
}

Test(result, stopping_in_json_and_table)
{
    mr_episode_result ep = {.fault = "f", .kind = "k", .target = "t"};
    mr_result r = sample(&ep);
    r.stopping = (mr_stopping){.adaptive = 1, .metric = "rto_s", .target_rel = 0.05,
                               .achieved_rel = INFINITY, .min = 10, .max = 100, .batch = 10};
    char *j = render(&r, 1);
    cr_assert(strstr(j, "\"stopping\": {\"rule\": \"until\", \"metric\": \"rto_s\", "
                        "\"target_rel_half_width\": 0.05, \"achieved_rel_half_width\": null, "
                        "\"min\": 10, \"max\": 100, \"batch\": 10, \"reason\": \"max\"}"),
              "%s", j);
    free(j);
    char *t = render(&r, 0);
    cr_assert(strstr(t, "stopped at max, half-width not computable"), "%s", t);
    free(t);
}

/* The recovery timeline's block under the table (sim/out/timeline.c):
 * means in hours, minutes and seconds from the fault's start, the routed
 * shares on one line, a milestone some replications missed with its
 * count, one never reached said so, and the critical path with its share
 * of the replications, wrapped at 78 columns (on spaces). */
Test(result, table_prints_the_recovery_timeline)
{
    mr_episode_result ep = {.fault = "weu-outage", .kind = "region_outage",
                            .target = "westeurope"};
    mr_result r = sample(&ep);
    r.replications = 20;
    mr_milestone_result tl[7] = {
        {.what = MR_MS_DETECTED, .component = "traffic", .applied = 20, .reached = 20},
        {.what = MR_MS_ROUTED_50, .applied = 20, .reached = 20},
        {.what = MR_MS_ROUTED_95, .applied = 20, .reached = 20},
        {.what = MR_MS_ROUTED_99, .applied = 20, .reached = 20},
        {.what = MR_MS_STANDBY_READY, .component = "clusters/aks-neu", .applied = 20,
         .reached = 0},
        {.what = MR_MS_STORE_FAILOVER, .component = "data/orders", .applied = 20, .reached = 18},
        {.what = MR_MS_RECOVERED, .applied = 20, .reached = 20}};
    const double mean[7] = {92, 125, 135, 155, 1800, 3612, 3630};
    for (int i = 0; i < 7; i++)
        tl[i].t_s.mean = mean[i];
    ep.timeline = tl;
    ep.ntimeline = 7;
    ep.has_critical = 1;
    ep.critical = 5;
    ep.critical_n = 18;
    ep.critical_of = 20;
    snprintf(ep.critical_reason, sizeof ep.critical_reason, "%s",
             "data/orders: automatic after the grace period 1h, the failover policy's promote");
    char *t = render(&r, 0);
    static const char *const lines[] = {
        "\nrecovery of weu-outage (region_outage, westeurope):\n",
        "\n  detected by traffic layer          +1m 32s\n",
        "\n  50% / 95% / 99% routed             +2m 05s / +2m 15s / +2m 35s\n",
        "\n  clusters/aks-neu standby ready     not reached\n",
        "\n  data/orders failover complete      +1h 00m 12s (18 of 20)\n",
        "\n  service recovered (RTO)            +1h 00m 30s\n",
        "\n  critical path (18 of 20 replications): data/orders: automatic after the\n"
        "  grace period 1h, the failover policy's promote\n"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        cr_assert(strstr(t, lines[i]), "missing %s in\n%s", lines[i], t);
    for (const char *p = t; *p;) {
        size_t w = strcspn(p, "\n");
        if (strstr(p, "recovery of") == p || strstr(p, "  critical") == p)
            cr_assert_leq(w, 78, "%.*s", (int)w, p);
        p += w + (p[w] == '\n');
    }
    free(t);
}
