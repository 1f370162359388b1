/* sim/cli/cmd_bench.c: `mrsim bench phold`: the kernel benchmark, optionally
 * side by side with the minimal reference loop (bench/README.md). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "mrsim/model.h"
#include "cli.h"
#include "mrsim/config.h"
#include "run/result.h"
#include "run/build.h"
#include "mrsim/error.h"
#include "config/scenario.h"

void mr_cmd_bench_help(FILE *out)
{
    fputs("usage: mrsim bench phold [--lps N] [--pending M] [--events K] [--seed S]\n"
          "                         [--reference | --compare] [--json]\n"
          "       mrsim bench scenario SCENARIO.yaml [-n N] [--set KEY=VALUE]...\n\n"
          "scenario: runs the scenario's replications on one thread and prints\n"
          "requests/s, events/s, replications/s and simulated seconds per second.\n\n"
          "PHOLD: each event at LP x, time t, schedules one event at a uniformly random\n"
          "LP at t + Exp(1 s); M events stay pending; the run stops after K events.\n",
          out);
}

const mr_cli_opt mr_cmd_bench_opts[] = {
    {"--lps", 0, "N", "phold: logical processes (default 1024)", NULL},
    {"--pending", 0, "M", "phold: events pending throughout (default 100000)", NULL},
    {"--events", 0, "K", "phold: events to process (default 10000000)", NULL},
    {"--seed", 's', "S", "phold: 64-bit seed (default 42); same seed, same checksum", NULL},
    {"--reference", 0, NULL, "phold: run the minimal binary-heap reference loop instead", NULL},
    {"--compare", 0, NULL, "phold: run the kernel, then the reference, and print the ratio",
     NULL},
    {"--json", 0, NULL,
     "phold: one JSON object on stdout (events_per_s, ns_per_event,\npeak_rss_kib, "
     "bytes_per_pending, checksum, ...)",
     NULL},
    {"--replications", 'n', "N", "scenario: the replication count", NULL},
    {"--set", 0, "KEY=VALUE", "scenario: override a value by its dotted path; repeatable", NULL},
    {0},
};

const char mr_cmd_bench_examples[] =
    "mrsim bench phold --lps 1024 --pending 1000000 --events 20000000 --compare\n";

static void print_json_fields(const mr_phold_result *r)
{
    printf("\"events\": %" PRIu64 ", \"wall_s\": %.6f, \"events_per_s\": %.0f, "
           "\"ns_per_event\": %.2f, \"peak_rss_kib\": %ld, \"bytes_per_pending\": %.1f, "
           "\"checksum\": \"%016" PRIx64 "\", \"end_time_s\": %.9f",
           r->events, r->wall_s, r->events_per_s, r->ns_per_event, r->peak_rss_kib,
           r->bytes_per_pending, r->checksum, mr_time_to_s(r->end_time));
}

static void print_row(const char *label, const mr_phold_result *r)
{
    printf("  %-9s %8.3f M events/s %8.1f ns/event %6.1f B/pending  peak RSS %7ld KiB"
           "  checksum %016" PRIx64 "\n",
           label, r->events_per_s / 1e6, r->ns_per_event, r->bytes_per_pending, r->peak_rss_kib,
           r->checksum);
}

static int bench_phold(int argc, char **argv)
{
    mr_phold_opts o = {.lps = 1024, .pending = 100000, .events = 10000000, .seed = 42};
    int json = 0, reference = 0, compare = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        uint64_t x;
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--reference") == 0) {
            reference = 1;
        } else if (strcmp(a, "--compare") == 0) {
            compare = 1;
        } else if (strcmp(a, "--lps") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)) ||
                mr_cli_parse_u64("bench", a, v, 1, 1u << 24, &x))
                return MR_EXIT_USAGE;
            o.lps = (uint32_t)x;
        } else if (strcmp(a, "--pending") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)) ||
                mr_cli_parse_u64("bench", a, v, 1, UINT32_MAX / 2, &o.pending))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "--events") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)) ||
                mr_cli_parse_u64("bench", a, v, 1, UINT64_MAX / 2, &o.events))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "-s") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)) ||
                mr_cli_parse_u64("bench", a, v, 0, UINT64_MAX, &o.seed))
                return MR_EXIT_USAGE;
        } else {
            return mr_cli_usage_error("bench", "unknown option '%s' for 'bench phold'", a);
        }
    }
    if (reference && compare)
        return mr_cli_usage_error("bench", "--reference and --compare exclude each other");

    mr_phold_result k = {0}, r = {0};
    int rc = MR_OK;
    if (!reference)
        rc = mr_bench_phold(&o, &k);
    if (rc == MR_OK && (reference || compare))
        rc = mr_bench_phold_ref(&o, &r);
    if (rc != MR_OK) {
        fprintf(stderr, "mrsim: error: bench phold failed: %s\n", mr_strerror(rc));
        return mr_cli_exit_code(rc);
    }
    const mr_phold_result *main_r = reference ? &r : &k;
    if (json) {
        printf("{\"mrsim\": \"%s\", \"schema\": %d, \"bench\": \"phold\", \"impl\": \"%s\", "
               "\"lps\": %" PRIu32 ", \"pending\": %" PRIu64 ", \"seed\": %" PRIu64 ", ",
               MR_VERSION, MR_JSON_SCHEMA, reference ? "reference" : "kernel", o.lps, o.pending,
               o.seed);
        print_json_fields(main_r);
        if (compare) {
            printf(", \"reference\": {");
            print_json_fields(&r);
            printf("}, \"ratio\": %.4f", k.events_per_s / r.events_per_s);
        }
        printf("}\n");
        return MR_EXIT_OK;
    }
    printf("PHOLD: %" PRIu32 " LPs, %" PRIu64 " pending, %" PRIu64 " events, seed %" PRIu64 "\n",
           o.lps, o.pending, o.events, o.seed);
    if (!reference)
        print_row("kernel", &k);
    if (reference || compare)
        print_row("reference", &r);
    if (compare)
        printf("kernel/reference: %.2fx events/s at %" PRIu64 " pending, %.1f bytes per pending "
               "event\n",
               k.events_per_s / r.events_per_s, o.pending, k.bytes_per_pending);
    return MR_EXIT_OK;
}

/* `mrsim bench scenario FILE`: request-fidelity throughput of a scenario on
 * one thread (bench/README.md records the reference scenario's figures). */
static int bench_scenario(int argc, char **argv)
{
    const char *file = NULL;
    const char *sets[64];
    size_t nsets = 0;
    mr_run_opts opts = {.jobs = 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-n") == 0 || strcmp(a, "--replications") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)) ||
                mr_cli_parse_u64("bench", a, v, 1, 100000000, &opts.replications))
                return MR_EXIT_USAGE;
        } else if (strcmp(a, "--set") == 0) {
            if (!(v = mr_cli_optarg("bench", argc, argv, &i)))
                return MR_EXIT_USAGE;
            if (nsets == sizeof sets / sizeof sets[0])
                return mr_cli_usage_error("bench", "at most 64 --set options");
            sets[nsets++] = v;
        } else if (a[0] == '-') {
            return mr_cli_usage_error("bench", "unknown option '%s' for 'bench scenario'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return mr_cli_usage_error("bench", "one scenario at a time");
        }
    }
    if (file == NULL)
        return mr_cli_usage_error("bench", "bench scenario needs a scenario file");
    mr_diag *diag = mr_diag_new();
    mr_scenario *sc = NULL;
    mr_result r = {0};
    int rc = mr_scenario_load(file, sets, nsets, mr_model_registry(), &sc, diag);
    if (rc == MR_OK)
        rc = mr_run_scenario(sc, &opts, &r, diag);
    mr_diag_print(diag, stderr);
    if (rc == MR_OK) {
        double sim_s = r.horizon_s * (double)r.replications;
        printf("%s: %llu replications of %.0f s on one thread in %.3f s\n", r.scenario,
               (unsigned long long)r.replications, r.horizon_s, r.wall_s);
        printf("  requests/s       %14.0f  (%llu requests)\n", (double)r.requests / r.wall_s,
               (unsigned long long)r.requests);
        printf("  events/s         %14.0f  (%llu events, %.3f per request)\n",
               (double)r.events / r.wall_s, (unsigned long long)r.events,
               r.requests ? (double)r.events / (double)r.requests : 0.0);
        printf("  replications/s   %14.3f\n", (double)r.replications / r.wall_s);
        printf("  simulated s / s  %14.1f\n", sim_s / r.wall_s);
    }
    mr_result_fini(&r);
    mr_scenario_free(sc);
    mr_diag_free(diag);
    return mr_cli_exit_code(rc);
}

int mr_cmd_bench(int argc, char **argv)
{
    if (argc < 2)
        return mr_cli_usage_error("bench", "which benchmark? available: phold, scenario");
    if (strcmp(argv[1], "phold") == 0)
        return bench_phold(argc - 1, argv + 1);
    if (strcmp(argv[1], "scenario") == 0)
        return bench_scenario(argc - 1, argv + 1);
    return mr_cli_usage_error("bench", "unknown benchmark '%s'; available: phold, scenario",
                              argv[1]);
}
