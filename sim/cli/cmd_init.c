/* sim/cli/cmd_init.c: `mrsim init`: a commented starting scenario on stdout
 * for one of 3 x 3 x 3 designs (topology, traffic layer, data store) over
 * the regions given. The file leans on the key tables' defaults wherever
 * one exists, and says so in a comment with the default's source (the
 * docs/reference.md row or "ours", as docs/scenario-format.md gives them),
 * so the newcomer sees which numbers are published figures and which are
 * guesses to replace. Every combination validates and runs
 * (tests/e2e/test_init.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void mr_cmd_init_help(FILE *out)
{
    fputs("usage: mrsim init [--topology T] [--traffic L] [--data D] [--regions R1,R2,...]\n\n"
          "Writes a commented scenario that validates and runs on stdout: the clusters of\n"
          "the topology in each region, the traffic layer in front of them, a data store,\n"
          "one client population, a resolver pool, a 45-minute outage of the first region\n"
          "and an SLO. Each comment says what the key means and where its value comes from\n"
          "(a docs/reference.md row, or \"ours\": a modelling choice to replace with your\n"
          "own figure). mrsim explain FILE lists every default that applied.\n",
          out);
}

const mr_cli_opt mr_cmd_init_opts[] = {
    {"--topology", 0, "T",
     "active-passive (default): the first region serves, the others\nstand by hot; "
     "active-active: every region serves; stamps: one\ndeployment stamp per region, each "
     "with its tenants",
     "active-passive active-active stamps"},
    {"--traffic", 0, "L", "tm (Traffic Manager, default), fd (Front Door) or dns\n(plain Azure DNS)",
     "tm fd dns"},
    {"--data", 0, "D", "sql (default: a failover group), cosmos or none", "sql cosmos none"},
    {"--regions", 0, "LIST",
     "two or more regions, comma-separated (default weu,neu); short\nnames weu, neu, frc, gwc, "
     "uks, swc, eus, eus2, wus2 or full ones",
     NULL},
    {0},
};

const char mr_cmd_init_examples[] =
    "mrsim init > my.yaml && mrsim run my.yaml\n"
    "mrsim init --topology active-active --traffic fd --data cosmos --regions weu,neu,frc\n";

/* Short names for the regions people start with; a full name is kept. */
static const struct {
    const char *alias, *name;
} region_names[] = {
    {"weu", "westeurope"},   {"neu", "northeurope"},        {"frc", "francecentral"},
    {"gwc", "germanywestcentral"}, {"uks", "uksouth"},       {"swc", "swedencentral"},
    {"eus", "eastus"},       {"eus2", "eastus2"},          {"wus2", "westus2"},
};
enum { NALIAS = sizeof region_names / sizeof region_names[0], MAX_REGIONS = 8 };

typedef struct region {
    char name[64], alias[64];
} region;

/* Splits list into regions; -1 after a usage error. */
static int parse_regions(const char *list, region *r, int *n)
{
    *n = 0;
    const char *s = list;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len == 0 || len >= sizeof r->name) {
            mr_cli_usage_error("init", "--regions: an empty or too long name in '%s'", list);
            return -1;
        }
        if (*n == MAX_REGIONS) {
            mr_cli_usage_error("init", "--regions: at most %d regions", MAX_REGIONS);
            return -1;
        }
        region *g = &r[(*n)++];
        snprintf(g->name, sizeof g->name, "%.*s", (int)len, s);
        for (size_t i = 0; i < len; i++)
            if (!((g->name[i] >= 'a' && g->name[i] <= 'z') ||
                  (g->name[i] >= '0' && g->name[i] <= '9'))) {
                mr_cli_usage_error("init", "--regions: '%s' is not a region name (lower-case "
                                           "letters and digits, e.g. westeurope or weu)",
                                   g->name);
                return -1;
            }
        memcpy(g->alias, g->name, sizeof g->alias); /* same size: no truncation */
        for (size_t a = 0; a < NALIAS; a++) {
            if (strcmp(g->name, region_names[a].alias) == 0)
                snprintf(g->name, sizeof g->name, "%s", region_names[a].name);
            if (strcmp(g->name, region_names[a].name) == 0)
                snprintf(g->alias, sizeof g->alias, "%s", region_names[a].alias);
        }
        for (int j = 0; j + 1 < *n; j++)
            if (strcmp(r[j].name, g->name) == 0) {
                mr_cli_usage_error("init", "--regions: %s given twice", g->name);
                return -1;
            }
        s += len + (comma != NULL);
        if (comma && *s == '\0') {
            mr_cli_usage_error("init", "--regions: an empty name in '%s'", list);
            return -1;
        }
    }
    if (*n < 2) {
        mr_cli_usage_error("init", "--regions: give two or more regions (a failover needs "
                                   "somewhere to go)");
        return -1;
    }
    return 0;
}

/* The index of v in choices (NULL-ended); -1 after a usage error that
 * lists them. */
static int pick(const char *opt, const char *v, const char *const *choices, int *out)
{
    char list[128] = "";
    for (int i = 0; choices[i]; i++) {
        if (strcmp(v, choices[i]) == 0) {
            *out = i;
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 choices[i]);
    }
    mr_cli_usage_error("init", "%s: '%s' is not one of %s", opt, v, list);
    return -1;
}

enum { AP, AA, STAMPS };
enum { TM, FD, DNS };
enum { SQL, COSMOS, NONE };

static const char *const topologies[] = {"active-passive", "active-active", "stamps", NULL};
static const char *const traffics[] = {"tm", "fd", "dns", NULL};
static const char *const datas[] = {"sql", "cosmos", "none", NULL};

static void write_scenario(FILE *o, int topo, int traffic, int data, const region *r, int n)
{
    static const char *const traffic_text[] = {"Traffic Manager", "Front Door", "Azure DNS"};
    static const char *const data_text[] = {"an Azure SQL failover group", "Cosmos DB",
                                            "no data store"};
    fprintf(o,
            "# A starting scenario written by `mrsim init --topology %s --traffic %s --data %s\n"
            "#   --regions ",
            topologies[topo], traffics[traffic], datas[data]);
    for (int i = 0; i < n; i++)
        fprintf(o, "%s%s", i ? "," : "", r[i].alias);
    fprintf(o, "`:\n# %s over %d regions behind %s, with %s.\n",
            topo == AP   ? "active/passive"
            : topo == AA ? "active/active"
                         : "deployment stamps",
            n, traffic_text[traffic], data_text[data]);
    fputs("#\n"
          "# Each comment says what a key means and where its value comes from: a row of\n"
          "# docs/reference.md (a published Azure figure) or \"ours\" (a modelling choice:\n"
          "# replace it with your own figure). Keys left out take their defaults;\n"
          "# `mrsim explain FILE` lists every default that applied and its source, and\n"
          "# docs/scenario-format.md every key.\n"
          "#\n"
          "# Try: mrsim validate FILE && mrsim run FILE\n",
          o);
    fprintf(o, "version: mrsim/v1\nname: my-%s-%s\nseed: 42                 # any 64-bit number; "
               "the same seed gives the same numbers\n\n",
            topo == AP ? "active-passive" : topo == AA ? "active-active" : "stamps",
            traffics[traffic]);
    fputs("run:\n"
          "  horizon: 2h             # simulated time per replication (default 1h, ours)\n"
          "  warmup: 5m              # the first minutes are not measured (default 0s, ours)\n"
          "  replications: 20        # independent runs; the CIs narrow as 1/sqrt(n) (default "
          "30, ours)\n\n",
          o);
    fputs("regions:                  # zones default to 3 (docs/reference.md §11 Zonal)\n", o);
    for (int i = 0; i < n; i++)
        fprintf(o, "  - {name: %s}\n", r[i].name);
    fputs("# rtt: round trips between regions default to 80ms and 1ms within one (ours:\n"
          "# docs/reference.md has no figure); measure yours and add e.g.\n"
          "# rtt: {westeurope-northeurope: 18ms}\n\n",
          o);

    fputs("clusters:                 # AKS clusters; capacity = count x per_node x rps_per_pod\n",
          o);
    for (int i = 0; i < n; i++) {
        int standby = topo == AP && i > 0;
        fprintf(o, "  - name: aks-%s\n    region: %s\n", r[i].alias, r[i].name);
        if (topo == AP)
            fprintf(o, "    role: %s%s\n", standby ? "standby" : "active",
                    standby ? "\n    standby: hot          # full size, takes the load at once "
                              "(hot, warm or cold; default hot, ours)"
                            : "          # serves traffic (default active, ours)");
        fputs("    nodes: {count: 8, min: 3, max: 20}   # 8 x 4 x 40 = 1,280 requests/s "
              "(count default 3, ours)\n"
              "    pods: {per_node: 4, rps_per_pod: 40} # the defaults (ours: the format's "
              "example)\n"
              "    service_time: lognormal(25ms, 0.5)   # the default (ours)\n",
              o);
    }
    fputc('\n', o);
    if (topo == STAMPS) {
        fputs("stamps:                   # one self-contained stamp per region\n", o);
        for (int i = 0; i < n; i++)
            fprintf(o, "  - {name: stamp-%s, region: %s, clusters: [aks-%s]}\n", r[i].alias,
                    r[i].name, r[i].alias);
        fputc('\n', o);
    }

    fputs("traffic:\n", o);
    if (traffic == TM) {
        fputs("  kind: traffic_manager   # DNS-based: clients follow its answers once their "
              "caches expire\n",
              o);
        if (topo != AP)
            fputs("  routing: weighted       # every region serves (default priority, "
                  "docs/reference.md §1)\n",
                  o);
        fputs("  probe: {interval: 30s, timeout: 10s, tolerated_failures: 3}  # the defaults "
              "(docs/reference.md §1)\n"
              "  ttl: 30s                # the default (docs/reference.md §1 Default DNS TTL)\n",
              o);
    } else if (traffic == FD) {
        fputs("  kind: front_door        # anycast L7: no DNS cache between clients and a "
              "failover\n"
              "  probe: {interval: 30s, timeout: 10s, sample_size: 4, "
              "successful_samples_required: 3}\n"
              "                          # the defaults (docs/reference.md §2)\n"
              "  pops: 20                # edge locations probing the origins (default 100, "
              "docs/reference.md §2)\n",
              o);
    } else {
        fputs("  kind: dns               # plain Azure DNS: no health probes, an operator edits "
              "the record\n"
              "  ttl: 5m                 # default 1h (docs/reference.md §3 TTL default)\n"
              "  operator_delay: triangular(10m, 20m, 1h)  # the default (ours: "
              "docs/reference.md §3 has none)\n",
              o);
    }
    fputs("  # endpoints default to every cluster, active ones at priority 1, standbys at 2\n\n",
          o);

    fputs("resolvers:                # the recursive resolvers clients ask (client RTO is per "
          "pool)\n"
          "  - name: isp\n"
          "    count: 1000           # the default (ours)\n"
          "    # ttl_policy: every resolver honours the TTL by default (docs/reference.md §4);\n"
          "    # e.g. [{share: 0.9, mode: honor}, {share: 0.1, mode: floor, min_ttl: 300s}]\n\n",
          o);

    fputs("clients:                  # request populations (Poisson arrivals)\n", o);
    int pops = topo == STAMPS ? n : 1;
    for (int i = 0; i < pops; i++) {
        if (topo == STAMPS)
            fprintf(o, "  - name: tenants-%s\n    origin: %s\n    stamp: stamp-%s\n"
                       "    fallback: [stamp-%s]   # where they go when their stamp fails\n",
                    r[i].alias, r[i].name, r[i].alias, r[(i + 1) % n].alias);
        else
            fprintf(o, "  - name: users\n    origin: %s      # where they are: sets their "
                       "round trips\n",
                    r[0].name);
        fprintf(o, "    resolver: isp\n"
                   "    rate: %d/s            # mean request rate (default 100/s, ours)\n"
                   "    timeout: 2s           # the default (ours)\n",
                topo == STAMPS ? 300 : 1000);
        if (data != NONE)
            fputs("    mix: {read: 0.9, write: 0.1}\n    uses: [orders]        # the data store "
                  "its requests read and write\n",
                  o);
    }
    fputc('\n', o);

    if (data == SQL) {
        fprintf(o,
                "datastores:\n"
                "  - name: orders\n"
                "    kind: sql               # an Azure SQL failover group\n"
                "    primary: %s\n"
                "    replicas:\n",
                r[0].name);
        for (int i = 1; i < n; i++)
            fprintf(o, "      - {region: %s, readable: true}\n", r[i].name);
        fputs("    replication: {lag: lognormal(1s, 0.69)}  # docs/reference.md §5: median ~1 "
              "s, p99 5 s\n"
              "    failover: {mode: automatic, grace: 1h}   # the failover group's minimum "
              "grace (docs/reference.md §5)\n"
              "    listener_ttl: 30s         # the default (docs/reference.md §5)\n\n",
              o);
    } else if (data == COSMOS) {
        fputs("datastores:\n  - name: orders\n    kind: cosmos\n    regions: [", o);
        for (int i = 0; i < n; i++)
            fprintf(o, "%s%s", i ? ", " : "", r[i].name);
        fputs("]\n    write_regions: [", o);
        for (int i = 0; i < (topo == AP ? 1 : n); i++)
            fprintf(o, "%s%s", i ? ", " : "", r[i].name);
        fprintf(o, "]%s\n"
                   "    consistency: session      # the default (docs/reference.md §6: 73%% "
                   "of accounts)\n"
                   "    ru_per_s: 10000           # the default (docs/reference.md §10)\n\n",
                topo == AP ? "   # one write region" : "   # multi-region writes");
    }

    fprintf(o,
            "faults:                   # what goes wrong, and when\n"
            "  - name: %s-outage\n"
            "    kind: region_outage\n"
            "    target: %s\n"
            "    at: 30m\n"
            "    duration: 45m\n",
            r[0].alias, r[0].name);
    if (data == SQL)
        fputs("  - name: sql-forced-failover   # an operator gives up waiting for the grace "
              "period\n"
              "    kind: datastore_failover\n"
              "    target: orders\n"
              "    start_after: " ,
              o);
    if (data == SQL)
        fprintf(o, "%s-outage\n    delay: triangular(10m, 20m, 1h)   # ours\n"
                   "    params: {mode: forced}\n",
                r[0].alias);
    fputs("\nslo:                      # when is the service up?\n"
          "  window: 10s             # the default (ours)\n"
          "  success_target: 0.99    # a window is good at 99% success (default, ours)\n"
          "  stable_for: 60s         # recovered once good this long (default, ours)\n",
          o);
}

int mr_cmd_init(int argc, char **argv)
{
    int topo = AP, traffic = TM, data = SQL, n;
    const char *regions = "weu,neu";
    region r[MAX_REGIONS];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--topology") == 0 || strcmp(a, "--traffic") == 0 ||
            strcmp(a, "--data") == 0 || strcmp(a, "--regions") == 0) {
            if (!(v = mr_cli_optarg("init", argc, argv, &i)))
                return MR_EXIT_USAGE;
            if ((a[2] == 't' && a[3] == 'o' && pick(a, v, topologies, &topo)) ||
                (a[2] == 't' && a[3] == 'r' && pick(a, v, traffics, &traffic)) ||
                (a[2] == 'd' && pick(a, v, datas, &data)))
                return MR_EXIT_USAGE;
            if (a[2] == 'r')
                regions = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return mr_cli_usage_error("init", "unknown option '%s'", a);
        } else {
            return mr_cli_usage_error("init", "init takes no file: it writes on stdout "
                                              "(mrsim init > my.yaml)");
        }
    }
    if (parse_regions(regions, r, &n) != 0)
        return MR_EXIT_USAGE;
    /* What mr_build_check refuses: say it here, before a file is written. */
    if (topo == STAMPS && traffic != FD)
        return mr_cli_usage_error("init", "--topology stamps needs --traffic fd: this version "
                                          "routes populations to their stamps through Front "
                                          "Door only");
    write_scenario(stdout, topo, traffic, data, r, n);
    return MR_EXIT_OK;
}
