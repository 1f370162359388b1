/* tests/fuzz/fuzz_scenario.c: libFuzzer over the scenario loader and binder
 * (issue 14): each input is a scenario file, loaded as `mrsim validate`
 * loads it (mr_scenario_load with the registry's kinds, then
 * mr_build_check) under ASan and UBSan. The contract checked, beyond "no
 * memory error, no undefined behaviour, no leak": the loader returns
 * MR_OK, MR_ESCENARIO or MR_EIO, never anything else; a refusal says why in
 * at least one diagnostic, each located "FILE:LINE:COLUMN: error: " or
 * (an unreadable file) "FILE: error: "; a success says nothing.
 * The input is written to a file (the loader reads paths, extends: is
 * relative to it) in a directory of this process's own. */
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
    snprintf(path, sizeof path, "%s/input.yaml", dir);
    return 0;
}

/* Every line of the printed diagnostics starts with a location. */
static void check_diagnostics(const mr_diag *diag, int rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_diag_print(diag, f);
    fclose(f);
    if (rc != MR_OK && len == 0) {
        fprintf(stderr, "refused (%s) without a diagnostic\n", mr_errname(rc));
        abort();
    }
    for (char *line = buf; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strstr(line, ": error: ") == NULL && strstr(line, ": warning: ") == NULL &&
            strncmp(line, "  ", 2) != 0) {
            fprintf(stderr, "unlocated diagnostic: '%s'\n", line);
            abort();
        }
        line = end ? end + 1 : NULL;
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    int rc = mr_scenario_load(path, NULL, 0, mr_model_registry(), &sc, diag);
    if (rc == MR_OK)
        rc = mr_build_check(sc, diag);
    if (rc != MR_OK && rc != MR_ESCENARIO && rc != MR_EIO) {
        fprintf(stderr, "unexpected code %s\n", mr_errname(rc));
        abort();
    }
    check_diagnostics(diag, rc);
    mr_scenario_free(sc);
    mr_diag_free(diag);
    return 0;
}
