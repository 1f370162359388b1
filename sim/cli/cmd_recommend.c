/* sim/cli/cmd_recommend.c: `mrsim recommend`: searches the scenario's
 * `recommend:` space (sim/run/recommend.c) and prints up to three options,
 * each with its changes as a set: list, its metrics with 95% CIs, each
 * objective's verdict and its cost; or, when no candidate meets the
 * objectives, the objective that binds and the closest candidates. Then
 * the replications used and what evaluating every candidate to the same
 * confidence would have used. docs/recommend.md. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config/units.h"
#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/model.h"
#include "out/human.h"
#include "run/recommend.h"
#include "run/runner.h"

void mr_cmd_recommend_help(FILE *out)
{
    fputs("usage: mrsim recommend SCENARIO.yaml [--budget N|DURATION] [-s SEED] [-j J]\n"
          "                       [--set KEY=VALUE]... [--json] [--db FILE]\n"
          "                       [--write-dir DIR] [-q]\n\n"
          "Searches the scenario's recommend: space (its keys' candidate values and\n"
          "when: conditions) for the candidates that meet every objective at the\n"
          "stated confidence: a screen of every candidate at aggregate fidelity, then\n"
          "sequential stages with common random numbers for the survivors, cheapest\n"
          "first, dropping the infeasible and the dominated (docs/recommend.md).\n"
          "Prints up to three options: the cheapest meeting every objective, the best\n"
          "RTO/RPO within the cheapest's cost plus recommend.margin, and the fewest\n"
          "changes from the base; each with its set: list. --budget caps the\n"
          "replications (a number) or the wall time (a duration: not reproducible).\n"
          "--write-dir DIR writes each option as a scenario file there. Exits 3 when\n"
          "no candidate meets the objectives.\n",
          out);
}

const mr_cli_opt mr_cmd_recommend_opts[] = {
    {"--budget", 0, "N|DURATION",
     "cap the replications (a count) or the wall time (a duration:\nnot reproducible)", NULL},
    {"--write-dir", 0, "DIR", "write each option as a scenario file there", "@dir"},
    {"--seed", 's', "S", "64-bit seed (default: seed of the file)", NULL},
    {"--jobs", 'j', "J", "worker threads (default: the number of cores)", NULL},
    {"--set", 0, "KEY=VALUE", "override a value of the base by its dotted path; repeatable", NULL},
    {"--json", 0, NULL, "print the recommendation as JSON instead of text", NULL},
    {"--db", 0, "FILE", "append every replication to a SQLite results database", "@file"},
    {"--quiet", 'q', NULL, "no progress on stderr", NULL},
    {0},
};

const char mr_cmd_recommend_examples[] =
    "mrsim recommend scenarios/recommend-ha.yaml\n"
    "mrsim recommend scenarios/recommend-ha.yaml --budget 20000 --write-dir options/\n";

typedef struct rec_cmd {
    mr_cli_common c;
    const char *file;
    const char *write_dir;
    uint64_t budget_reps;
    double budget_s;
    mr_rec_result r;
    int progress_shown;
} rec_cmd;

static int parse_args(rec_cmd *x, int argc, char **argv)
{
    int status = MR_EXIT_OK;
    for (int i = 1; i < argc && status == MR_EXIT_OK; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-n") == 0 || strcmp(a, "--replications") == 0 ||
            strcmp(a, "--check-slo") == 0 || strcmp(a, "--plot") == 0) {
            status = mr_cli_usage_error("recommend",
                                        "%s does not apply: the search decides the replications "
                                        "(--budget caps them)",
                                        a);
            continue;
        }
        int k = mr_cli_common_option("recommend", argc, argv, &i, &x->c);
        if (k < 0) {
            status = MR_EXIT_USAGE;
        } else if (k > 0) {
            continue;
        } else if (strcmp(a, "--budget") == 0) {
            if (!(v = mr_cli_optarg("recommend", argc, argv, &i))) {
                status = MR_EXIT_USAGE;
            } else if (strspn(v, "0123456789") == strlen(v)) {
                if (mr_cli_parse_u64("recommend", a, v, 1, UINT64_MAX, &x->budget_reps))
                    status = MR_EXIT_USAGE;
            } else {
                mr_time t;
                char err[MR_UNITS_ERRLEN];
                if (mr_units_duration(v, &t, err, sizeof err) != MR_OK || t <= 0)
                    status = mr_cli_usage_error("recommend",
                                                "--budget expects a replication count (500) or "
                                                "a wall time (10m), got '%s'",
                                                v);
                else
                    x->budget_s = (double)t / (double)MR_S;
            }
        } else if (strcmp(a, "--write-dir") == 0) {
            if (!(v = mr_cli_optarg("recommend", argc, argv, &i)))
                status = MR_EXIT_USAGE;
            else
                x->write_dir = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = mr_cli_usage_error("recommend", "unknown option '%s'", a);
        } else if (x->file == NULL) {
            x->file = a;
        } else {
            status = mr_cli_usage_error("recommend", "one scenario at a time ('%s' and '%s')",
                                        x->file, a);
        }
    }
    if (status == MR_EXIT_OK && x->file == NULL)
        status = mr_cli_usage_error("recommend", "which scenario? give a file");
    return status;
}

static void on_progress(void *ctx, size_t left, size_t total, uint64_t reps)
{
    rec_cmd *x = ctx;
    fprintf(stderr, "\rmrsim: recommend: %zu of %zu candidates left, %llu replications   ", left,
            total, (unsigned long long)reps);
    fflush(stderr);
    x->progress_shown = 1;
}

static void before_run(void *ctx, mr_run_opts *opts, const mr_scenario *sc, const char *label)
{
    rec_cmd *x = ctx;
    mr_cli_db_run(&x->c, opts, sc, label, NULL, 0);
}

/* ---- Printing ----------------------------------------------------------------------- */

/* The metrics an option shows. */
static const mr_metric shown[] = {MR_METRIC_COST_USD_MONTH, MR_METRIC_AVAILABILITY,
                                  MR_METRIC_RTO_S,          MR_METRIC_CLIENT_RTO_S,
                                  MR_METRIC_RPO_S,          MR_METRIC_LATENCY_MS_P99};
enum { NSHOWN = sizeof shown / sizeof shown[0] };

static const double *cand_rows(const mr_rec_cand *c, uint64_t *n, const char **fid,
                               const mr_rec_result *r)
{
    if (c->n > 0) {
        *n = c->n;
        *fid = mr_fidelity_names[r->rec->confirm_fidelity];
        return c->rows;
    }
    *n = c->screen_n;
    *fid = "aggregate";
    return c->screen_rows;
}

/* The objective's limit as written, in the metric's human unit. */
static const char *verdict_word(int v)
{
    return v == 1 ? "met" : v == -1 ? "missed" : v == -2 ? "no value" : "undecided";
}

static void print_objective(const mr_rec_result *r, size_t i, const mr_rec_verdict *v)
{
    const mr_sc_rec_objective *ob = &r->rec->objectives[i];
    mr_hu_kind k = (mr_hu_kind)mr_metric_table_kind((mr_metric)ob->metric);
    char est[MR_HU_LEN], bound[MR_HU_LEN];
    if (v->verdict == -2) {
        printf("     %-28s no replication gave a value: not shown met\n", ob->text);
    } else if (ob->quantile > 0) {
        printf("     %-28s %s of %llu replications meet it; share >= %s: %s\n", ob->text,
               mr_hu_percent(est, sizeof est, v->est), (unsigned long long)v->n,
               isnan(v->lo) ? "-" : mr_hu_percent(bound, sizeof bound, v->lo),
               verdict_word(v->verdict));
    } else {
        double b = ob->ge ? v->lo : v->hi;
        printf("     %-28s mean %s; mean %s %s: %s\n", ob->text,
               mr_hu_value(est, sizeof est, k, v->est), ob->ge ? ">=" : "<=",
               isnan(b) ? "-" : mr_hu_value(bound, sizeof bound, k, b), verdict_word(v->verdict));
    }
}

static void print_cand(const mr_rec_result *r, const mr_rec_cand *c)
{
    uint64_t n;
    const char *fid;
    const double *rows = cand_rows(c, &n, &fid, r);
    /* The keys it changes, a named value by its name (datastores[0]=cosmos). */
    printf("   set:%s\n", c->nchanged == 0 ? " [] (the base)" : "");
    for (size_t k = 0; k < r->rec->nkeys; k++)
        if (c->idx[k] != SIZE_MAX && c->changed[k])
            printf("     - %s=%s\n", r->rec->keys[k].path, r->rec->keys[k].texts[c->idx[k]]);
    char reps[48];
    printf("   %zu key%s changed from the base; %s at %s fidelity (95%% CIs):\n", c->nchanged,
           c->nchanged == 1 ? "" : "s",
           mr_hu_plural(reps, sizeof reps, (unsigned long long)n, "replication", "replications"),
           fid);
    for (size_t m = 0; m < NSHOWN; m++) {
        mr_summary s;
        mr_summarize_in(rows + shown[m], (size_t)n, MR_METRIC_COUNT, mr_metric_range(shown[m]),
                        &s);
        if (s.n == 0)
            continue;
        mr_hu_kind k = (mr_hu_kind)mr_metric_table_kind(shown[m]);
        char name[48], v[MR_HU_LEN], ci[2 * MR_HU_LEN];
        mr_metric_table_name(shown[m], name, sizeof name);
        printf("     %-14s %12s  %s\n", name, mr_hu_value(v, sizeof v, k, s.mean),
               mr_hu_interval(ci, sizeof ci, k, s.ci_lo, s.ci_hi));
    }
    printf("   objectives (one-sided bounds at %.4g%%: %g%% Bonferroni-corrected):\n",
           100 * (1 - r->alpha_look), 100 * r->rec->confidence);
    for (size_t i = 0; i < r->rec->nobjectives; i++)
        print_objective(r, i, &c->v[i]);
}

static void print_table(const rec_cmd *x)
{
    const mr_rec_result *r = &x->r;
    const mr_sc_recommend *rec = r->rec;
    size_t counts[5] = {0}, screened = 0;
    for (size_t i = 0; i < r->ncand; i++) {
        counts[r->cands[i].state]++;
        screened += r->cands[i].screened_out;
    }
    printf("recommend: %s: %zu candidates; objectives at %g%% confidence:\n", x->file, r->ncand,
           100 * rec->confidence);
    for (size_t i = 0; i < rec->nobjectives; i++)
        printf("  %s\n", rec->objectives[i].text);
    printf("\n");
    char money[MR_HU_LEN];
    int n = 0;
    if (r->cheapest != SIZE_MAX) {
        const mr_rec_cand *c = &r->cands[r->cheapest];
        printf("%d. cheapest meeting every objective: %s\n", ++n,
               mr_hu_usd(money, sizeof money, c->cost, 1));
        print_cand(r, c);
        printf("\n%d. best RTO/RPO (lowest mean rto, then rpo) within the cheapest's cost + "
               "%g%% (%s):\n",
               ++n, 100 * rec->margin,
               mr_hu_usd(money, sizeof money, c->cost * (1 + rec->margin), 1));
        if (r->best_recovery == r->cheapest) {
            printf("   the cheapest itself: no candidate within the margin recovers faster\n");
        } else {
            printf("   %s\n", mr_hu_usd(money, sizeof money, r->cands[r->best_recovery].cost, 1));
            print_cand(r, &r->cands[r->best_recovery]);
        }
        printf("\n%d. fewest changes from the base meeting every objective: ", ++n);
        if (r->fewest == r->cheapest) {
            printf("the cheapest itself (%zu changed)\n", c->nchanged);
        } else {
            const mr_rec_cand *f = &r->cands[r->fewest];
            printf("%s\n", mr_hu_usd(money, sizeof money, f->cost, 1));
            print_cand(r, f);
        }
    } else {
        /* Cut short, the search has shown nothing infeasible either. */
        printf(r->budget_hit ? "no candidate was shown to meet the objectives before the budget "
                               "ended"
                             : "no candidate meets the objectives");
        if (r->binding >= 0)
            printf(": %s binds, ruling out %zu of %zu candidates", rec->objectives[r->binding].text,
                   r->ruled_out[r->binding], r->ncand);
        printf("\n");
        for (size_t i = 0; i < rec->nobjectives; i++)
            printf("  %-30s ruled out %zu\n", rec->objectives[i].text, r->ruled_out[i]);
        for (size_t k = 0; k < 3 && r->closest[k] != SIZE_MAX; k++) {
            const mr_rec_cand *c = &r->cands[r->closest[k]];
            printf("\nclosest %zu (%s): %s\n", k + 1, mr_rec_state_name(c->state),
                   isnan(c->cost) ? "-" : mr_hu_usd(money, sizeof money, c->cost, 1));
            print_cand(r, c);
        }
    }
    uint64_t used = r->reps_screen + r->reps_confirm, ex = r->n_exhaustive * r->ncand;
    printf("\nreplications: %llu (screen %llu at aggregate fidelity, %llu at %s fidelity)\n",
           (unsigned long long)used, (unsigned long long)r->reps_screen,
           (unsigned long long)r->reps_confirm, mr_fidelity_names[rec->confirm_fidelity]);
    printf("exhaustive: every candidate to the same confidence, %zu x %llu = %llu replications "
           "(%.1fx the search)\n",
           r->ncand, (unsigned long long)r->n_exhaustive, (unsigned long long)ex,
           used ? (double)ex / (double)used : 0.0);
    printf("candidates: %zu feasible, %zu infeasible (%zu at the screen), %zu dominated, %zu "
           "undecided, %zu not evaluated\n",
           counts[MR_REC_FEASIBLE], counts[MR_REC_INFEASIBLE], screened, counts[MR_REC_DOMINATED],
           counts[MR_REC_UNDECIDED], counts[MR_REC_UNSEEN]);
    printf("procedure: each test at level %.3g ((1 - %g) / %zu objectives / %llu looks), at most "
           "%llu replications a candidate; seed %llu\n",
           r->alpha_look, rec->confidence, rec->nobjectives, (unsigned long long)r->looks,
           (unsigned long long)r->n_max, (unsigned long long)r->seed);
    if (r->budget_hit)
        printf("the budget ended the search: the options are the best found so far\n");
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void jstr(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void jnum(double v)
{
    if (isfinite(v))
        printf("%.17g", v);
    else
        fputs("null", stdout);
}

static void json_cand(const mr_rec_result *r, const mr_rec_cand *c)
{
    uint64_t n;
    const char *fid;
    const double *rows = cand_rows(c, &n, &fid, r);
    fputs("{\"set\": [", stdout);
    for (size_t k = 0, i = 0, first = 1; k < r->rec->nkeys; k++) {
        if (c->idx[k] == SIZE_MAX)
            continue;
        if (c->changed[k]) {
            fputs(first ? "" : ", ", stdout);
            jstr(c->sets[i]);
            first = 0;
        }
        i++;
    }
    printf("], \"changed\": %zu, \"state\": ", c->nchanged);
    jstr(mr_rec_state_name(c->state));
    printf(", \"replications\": %llu, \"fidelity\": ", (unsigned long long)n);
    jstr(fid);
    fputs(", \"metrics\": {", stdout);
    for (size_t m = 0; m < NSHOWN; m++) {
        mr_summary s;
        mr_summarize_in(rows + shown[m], (size_t)n, MR_METRIC_COUNT, mr_metric_range(shown[m]),
                        &s);
        printf("%s\"%s\": {\"n\": %llu, \"mean\": ", m ? ", " : "", mr_metric_name(shown[m]),
               (unsigned long long)s.n);
        jnum(s.mean);
        fputs(", \"ci_lo\": ", stdout);
        jnum(s.ci_lo);
        fputs(", \"ci_hi\": ", stdout);
        jnum(s.ci_hi);
        fputs("}", stdout);
    }
    fputs("}, \"objectives\": [", stdout);
    for (size_t i = 0; i < r->rec->nobjectives; i++) {
        const mr_rec_verdict *v = &c->v[i];
        fputs(i ? ", {\"objective\": " : "{\"objective\": ", stdout);
        jstr(r->rec->objectives[i].text);
        printf(", \"n\": %llu, \"estimate\": ", (unsigned long long)v->n);
        jnum(v->est);
        fputs(", \"lo\": ", stdout);
        jnum(v->lo);
        fputs(", \"hi\": ", stdout);
        jnum(v->hi);
        fputs(", \"verdict\": ", stdout);
        jstr(verdict_word(v->verdict));
        fputs("}", stdout);
    }
    fputs("]}", stdout);
}

static void print_json(const rec_cmd *x)
{
    const mr_rec_result *r = &x->r;
    fputs("{\"scenario\": ", stdout);
    jstr(x->file);
    printf(", \"candidates\": %zu, \"seed\": %llu, \"confidence\": ", r->ncand,
           (unsigned long long)r->seed);
    jnum(r->rec->confidence);
    fputs(", \"alpha_look\": ", stdout);
    jnum(r->alpha_look);
    printf(", \"looks\": %llu, \"max_per_candidate\": %llu, \"replications\": {\"screen\": %llu, "
           "\"confirm\": %llu, \"total\": %llu, \"exhaustive\": %llu}, \"budget_hit\": %s",
           (unsigned long long)r->looks, (unsigned long long)r->n_max,
           (unsigned long long)r->reps_screen, (unsigned long long)r->reps_confirm,
           (unsigned long long)(r->reps_screen + r->reps_confirm),
           (unsigned long long)(r->n_exhaustive * r->ncand), r->budget_hit ? "true" : "false");
    const char *names[3] = {"cheapest", "best_recovery", "fewest_changes"};
    size_t which[3] = {r->cheapest, r->best_recovery, r->fewest};
    fputs(", \"options\": [", stdout);
    for (size_t k = 0, first = 1; k < 3; k++) {
        if (which[k] == SIZE_MAX)
            continue;
        printf("%s{\"option\": \"%s\", \"candidate\": ", first ? "" : ", ", names[k]);
        first = 0;
        json_cand(r, &r->cands[which[k]]);
        fputs("}", stdout);
    }
    fputs("], \"binding\": ", stdout);
    if (r->cheapest == SIZE_MAX && r->binding >= 0)
        jstr(r->rec->objectives[r->binding].text);
    else
        fputs("null", stdout);
    fputs(", \"ruled_out\": {", stdout);
    for (size_t i = 0; i < r->rec->nobjectives; i++) {
        if (i)
            fputs(", ", stdout);
        jstr(r->rec->objectives[i].text);
        printf(": %zu", r->ruled_out[i]);
    }
    fputs("}, \"closest\": [", stdout);
    for (size_t k = 0; k < 3 && r->closest[k] != SIZE_MAX; k++) {
        if (k)
            fputs(", ", stdout);
        json_cand(r, &r->cands[r->closest[k]]);
    }
    fputs("]}\n", stdout);
}

/* ---- --write-dir ---------------------------------------------------------------------------- */

/* Each option as a scenario file that extends the base and sets its
 * changes: DIR/option-1-cheapest.yaml and so on. */
static int write_options(const rec_cmd *x)
{
    const mr_rec_result *r = &x->r;
    const char *names[3] = {"cheapest", "best-recovery", "fewest-changes"};
    size_t which[3] = {r->cheapest, r->best_recovery, r->fewest};
    char base[PATH_MAX];
    if (realpath(x->file, base) == NULL) {
        fprintf(stderr, "mrsim: error: %s: cannot resolve the path\n", x->file);
        return MR_EIO;
    }
    mkdir(x->write_dir, 0777); /* may exist; an open failure below says why */
    for (size_t k = 0; k < 3; k++) {
        if (which[k] == SIZE_MAX)
            continue;
        const mr_rec_cand *c = &r->cands[which[k]];
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/option-%zu-%s.yaml", x->write_dir, k + 1, names[k]);
        mr_cli_outfile of = {0};
        if (mr_cli_out_open(&of, path) != MR_OK)
            return MR_EIO;
        fprintf(of.f, "# mrsim recommend: option %zu, %s, of %s\nextends: %s\nset:\n", k + 1,
                names[k], x->file, base);
        for (size_t i = 0; i < x->c.nsets + c->nsets; i++) {
            const char *s = i < x->c.nsets ? x->c.sets[i] : c->sets[i - x->c.nsets];
            const char *eq = strchr(s, '=');
            fprintf(of.f, "  \"%.*s\": %s\n", (int)(eq - s), s, eq + 1);
        }
        fprintf(of.f, "  recommend: null\n");
        if (mr_cli_out_close(&of, 1) != MR_OK)
            return MR_EIO;
        fprintf(stderr, "mrsim: wrote %s\n", path);
    }
    return MR_OK;
}

int mr_cmd_recommend(int argc, char **argv)
{
    rec_cmd x = {0};
    mr_cli_common_init(&x.c, argc, 1);
    int status = parse_args(&x, argc, argv);
    mr_diag *diag = mr_diag_new();
    int rc = MR_OK;
    if (status == MR_EXIT_OK) {
        mr_rec_opts o = {.seed = x.c.opts.seed,
                         .seed_set = x.c.opts.seed_set,
                         .jobs = x.c.opts.jobs,
                         .budget_reps = x.budget_reps,
                         .budget_s = x.budget_s,
                         .sets = x.c.sets,
                         .nsets = x.c.nsets,
                         .kinds = mr_model_registry(),
                         .stop = x.c.opts.stop};
        if (!x.c.quiet && isatty(STDERR_FILENO)) {
            o.progress = on_progress;
            o.progress_ctx = &x;
        }
        rc = mr_cli_db_open(&x.c);
        if (rc == MR_OK && x.c.db_path) {
            o.before_run = before_run;
            o.before_run_ctx = &x;
        }
        if (rc == MR_OK)
            rc = mr_rec_search(x.file, &o, &x.r, diag);
        if (x.progress_shown)
            fputc('\n', stderr);
    }
    mr_diag_print(diag, stderr);
    rc = mr_cli_db_finish(&x.c, rc);
    if (status == MR_EXIT_OK && rc == MR_OK) {
        if (x.c.json)
            print_json(&x);
        else
            print_table(&x);
        if (x.write_dir && mr_mpi_rank() == 0)
            rc = write_options(&x);
        if (x.r.cheapest == SIZE_MAX)
            status = MR_EXIT_SLO;
    }
    if (x.r.cands || x.r.base)
        mr_rec_result_fini(&x.r);
    mr_cli_common_fini(&x.c);
    mr_diag_free(diag);
    return status != MR_EXIT_OK ? status : mr_cli_exit_code(rc);
}
