/* tests/e2e/test_init.c: `mrsim init` (issue 17): every combination of
 * topology, traffic layer and data store either writes a scenario that
 * validates and runs, or (stamps behind a DNS-based layer, which
 * mr_build_check refuses) is refused up front with exit 2. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

static const char *const topologies[] = {"active-passive", "active-active", "stamps"};
static const char *const traffics[] = {"tm", "fd", "dns"};
static const char *const datas[] = {"sql", "cosmos", "none"};

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* 27 combinations: 21 valid, 6 refused. Each valid file runs two short
 * replications (40 minutes: the outage starts at 30) so the suite stays
 * quick; the run's JSON has an availability. */
Test(init, every_combination_validates_and_runs, .timeout = 900)
{
    char path[] = "/tmp/mrsim-init-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    int valid = 0, refused = 0;
    for (size_t t = 0; t < 3; t++)
        for (size_t l = 0; l < 3; l++)
            for (size_t d = 0; d < 3; d++) {
                run_out r = e2e_sh("'%s' init --topology %s --traffic %s --data %s > %s",
                                   MRSIM_BINARY, topologies[t], traffics[l], datas[d], path);
                if (t == 2 && l != 1) {
                    cr_expect_eq(r.status, 2, "stamps behind %s: exit %d", traffics[l], r.status);
                    cr_expect(strstr(r.err, "--topology stamps needs --traffic fd"), "%s", r.err);
                    refused++;
                    run_free(&r);
                    continue;
                }
                cr_assert_eq(r.status, 0, "%s", r.err);
                run_free(&r);
                r = e2e_run("validate", path);
                cr_expect_eq(r.status, 0, "%s %s %s: %s", topologies[t], traffics[l], datas[d],
                             r.err);
                cr_expect_str_eq(r.err, "");
                run_free(&r);
                char args[512];
                snprintf(args, sizeof args, "%s -q -n 2 -j 2 --json --set run.horizon=40m", path);
                r = e2e_run("run", args);
                cr_expect_eq(r.status, 0, "%s %s %s: %s", topologies[t], traffics[l], datas[d],
                             r.err);
                cr_expect(strstr(r.out, "\"availability\": {\"mean\""), "%.300s", r.out);
                run_free(&r);
                valid++;
            }
    remove(path);
    cr_expect_eq(valid, 21);
    cr_expect_eq(refused, 6);
}

/* --regions weu,neu,frc: three regions and clusters aks-weu, aks-neu,
 * aks-frc; active/passive makes the first active and the other two hot
 * standbys; the SQL primary is in the first region with two readable
 * replicas; the outage hits the first region. Counted in the text. */
Test(init, regions_make_the_clusters_and_roles)
{
    run_out r = e2e_run("init", "--regions weu,neu,frc");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "  - {name: westeurope}\n  - {name: northeurope}\n"
                            "  - {name: francecentral}\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "name: aks-weu\n") && strstr(r.out, "name: aks-neu\n") &&
              strstr(r.out, "name: aks-frc\n"));
    cr_expect_eq(count(r.out, "role: standby"), 2);
    cr_expect_eq(count(r.out, "role: active"), 1);
    cr_expect_eq(count(r.out, "readable: true}"), 2);
    cr_expect(strstr(r.out, "primary: westeurope\n") && strstr(r.out, "target: westeurope\n"));
    /* Every value the file writes says where it comes from. */
    cr_expect(count(r.out, "docs/reference.md") >= 5 && count(r.out, "ours") >= 5);
    run_free(&r);
}

Test(init, bad_choices_are_usage_errors)
{
    static const struct {
        const char *args, *says;
    } cases[] = {
        {"--topology star", "--topology: 'star' is not one of active-passive, active-active, "
                            "stamps"},
        {"--traffic afd", "--traffic: 'afd' is not one of tm, fd, dns"},
        {"--data redis", "--data: 'redis' is not one of sql, cosmos, none"},
        {"--regions weu", "give two or more regions"},
        {"--regions weu,weu", "westeurope given twice"},
        {"--regions weu,,neu", "an empty or too long name"},
        {"--regions 'West Europe,neu'", "is not a region name"},
        {"my.yaml", "init takes no file"},
        {"--topolgy stamps", "did you mean '--topology'?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_out r = e2e_run("init", cases[i].args);
        cr_expect_eq(r.status, 2, "init %s: %d", cases[i].args, r.status);
        cr_expect(strstr(r.err, cases[i].says), "init %s: %s", cases[i].args, r.err);
        cr_expect_str_eq(r.out, "");
        run_free(&r);
    }
}
