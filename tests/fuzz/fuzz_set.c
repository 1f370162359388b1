/* tests/fuzz/fuzz_set.c: libFuzzer over --set and --vary (issue 14). The
 * input's first line is a --vary argument "KEY=V1,V2,..." split by the
 * code `mrsim sweep` uses (mr_cli_split_values); every further line (up to
 * 8) is a --set argument. Each of the first 4 values of the --vary key is
 * then applied after the --set lines to a small valid scenario, as sweep
 * loads its points (mr_scenario_load with the overrides, mr_build_check),
 * under ASan and UBSan. Checked as in fuzz_scenario.c: only MR_OK,
 * MR_ESCENARIO or MR_EIO, and a refusal always has a diagnostic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/scenario.h"
#include "mrsim/diag.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "run/build.h"
#include "cli/vary.h"

/* tests/fixtures/run/tiny-tm.yaml, shortened: every family, a fault. */
static const char base[] =
    "name: tiny\n"
    "run: {horizon: 10m, warmup: 1m, replications: 2}\n"
    "regions:\n"
    "  - {name: westeurope, zones: 3}\n"
    "  - {name: northeurope, zones: 3}\n"
    "clusters:\n"
    "  - {name: aks-weu, region: westeurope, role: active, nodes: {count: 2}}\n"
    "  - {name: aks-neu, region: northeurope, role: standby, standby: hot, nodes: {count: 2}}\n"
    "traffic:\n"
    "  kind: traffic_manager\n"
    "  endpoints: [{cluster: aks-weu, priority: 1}, {cluster: aks-neu, priority: 2}]\n"
    "  ttl: 30s\n"
    "resolvers: [{name: isp, count: 10, ttl_policy: [{share: 1, mode: extra, hold: 1s}]}]\n"
    "clients: [{name: users, origin: westeurope, resolver: isp, rate: 100/s}]\n"
    "datastores: [{name: orders, kind: sql, primary: westeurope, replicas: [northeurope]}]\n"
    "faults: [{name: out, kind: region_outage, target: westeurope, at: 2m, duration: 5m}]\n";

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/mrsim-fuzz-XXXXXX";
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(path, sizeof path, "%s/base.yaml", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(base, f) < 0 || fclose(f) != 0)
        abort();
    return 0;
}

static void load(const char *const *sets, size_t n)
{
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, sets, n, mr_model_registry(), &sc, diag);
    if (rc == MR_OK)
        rc = mr_build_check(sc, diag);
    if (rc != MR_OK && rc != MR_ESCENARIO && rc != MR_EIO) {
        fprintf(stderr, "unexpected code %s\n", mr_errname(rc));
        abort();
    }
    if (rc != MR_OK && mr_diag_count(diag) == 0) {
        fprintf(stderr, "refused without a diagnostic\n");
        abort();
    }
    mr_scenario_free(sc);
    mr_diag_free(diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[10];
    size_t n = 0;
    char *vary = text, *p = strchr(text, '\n');
    if (p)
        *p++ = '\0';
    while (p && n < 8) {
        sets[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    char *eq = strchr(vary, '=');
    if (eq == NULL) {
        load(sets, n);
    } else {
        char **values;
        size_t nv = mr_cli_split_values(eq + 1, &values);
        *eq = '\0';
        for (size_t i = 0; i < nv; i++) {
            if (i < 4) {
                size_t len = strlen(vary) + strlen(values[i]) + 2;
                char *set = malloc(len);
                if (set == NULL)
                    abort();
                snprintf(set, len, "%s=%s", vary, values[i]);
                sets[n] = set;
                load(sets, n + 1);
                free(set);
            }
            free(values[i]);
        }
        free(values);
    }
    free(text);
    return 0;
}
