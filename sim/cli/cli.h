/* sim/cli/cli.h: private to the mrsim program: the command table and the
 * helpers every command shares. */
#ifndef MRSIM_CLI_CLI_H
#define MRSIM_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "run/build.h"
#include "out/db.h"
#include "run/result.h"

/* Exit statuses of docs/cli.md; sim/cli/main.c is the only place that maps
 * library codes onto them. */
enum {
    MR_EXIT_OK = 0,
    MR_EXIT_INTERNAL = 1,
    MR_EXIT_USAGE = 2,
    MR_EXIT_SLO = 3,
    MR_EXIT_SCENARIO = 4,
    MR_EXIT_IO = 5,
    MR_EXIT_INTERRUPTED = 130,
};

/* One option of a command. Each command has one table of them (ended by
 * an entry without a name) that everything about options reads: the
 * parser's conventions (--opt=value, -n1, did-you-mean: opts.c), the
 * options section of --help, the shell completions and the man page. */
typedef struct mr_cli_opt {
    const char *name;   /* the long form, "--replications" */
    char short_name;    /* 'n' for -n, or 0 */
    const char *arg;    /* the value's placeholder ("N"), or NULL for a flag */
    const char *help;   /* one line; more lines after '\n' */
    /* What completes the value: "@file", "@dir", or the words it takes
     * ("png svg pdf dumb"); NULL: nothing to offer. */
    const char *values;
} mr_cli_opt;

/* The options run, compare and sweep share (docs/cli.md "Common options"),
 * spliced into their tables. */
#define MR_CLI_COMMON_OPTS                                                                       \
    {"--replications", 'n', "N",                                                               \
     "a fixed count (default: run.replications of the file,\nwhich may be a sequential rule "    \
     "{min, max, until})", NULL},                                                              \
        {"--seed", 's', "S", "64-bit seed (default: seed of the file)", NULL},                \
        {"--jobs", 'j', "J", "worker threads (default: the number of cores)", NULL},          \
        {"--set", 0, "KEY=VALUE", "override a value by its dotted path; repeatable", NULL},  \
        {"--json", 0, NULL, "print the result document instead of the table", NULL},        \
        {"--db", 0, "FILE", "append every replication to a SQLite results database", "@file"}, \
        {"--db-vectors", 0, "MODE",                                                          \
         "vectors kept in --db: all (every replication's), summary\n(the default: replication "   \
         "0's, with every one's success ratio) or none",                                      \
         "all summary none"},                                                                \
        {"--plot", 0, "DIR", "draw the figures in DIR (mrsim plot --help)", "@dir"},         \
        {"--check-slo", 0, NULL,                                                             \
         "exit 3 when an slo.targets entry or a fault's expect:\nis missed (nothing stated: "  \
         "nothing to check, exit 0)",                                                        \
         NULL},                                                                              \
        {"--quiet", 'q', NULL, "no progress on stderr", NULL},                              \
        {"--export-json", 0, "FILE", "also write the JSON document to FILE (- for stdout)",     \
         "@file"},                                                                           \
        {"--export-csv", 0, "FILE", "also write a CSV row per run and metric to FILE", "@file"}, \
        {"--export-markdown", 0, "FILE", "also write the table as Markdown to FILE", "@file"}, \
        {"--color", 0, "WHEN",                                                               \
         "colour in tables: auto (default: when stdout is a terminal\nand NO_COLOR is unset), "  \
         "always or never",                                                                  \
         "auto always never"}

/* compare's and sweep's table options. */
#define MR_CLI_TABLE_OPTS                                                                      \
    {"--metrics", 0, "LIST",                                                                   \
     "the table's rows: metric names, comma-separated (availability,\nrto_s,...; default: "     \
     "every one that applies)",                                                               \
     NULL},                                                                                   \
        {"--width", 0, "N", "fit the table in N columns (default: COLUMNS, the\nterminal, 80)", \
         NULL}

typedef struct mr_cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name; returns an exit status */
    /* The usage lines and what the command does; --help adds the options
     * (from opts) and the examples. */
    void (*help)(FILE *out);
    const mr_cli_opt *opts;  /* ended by {0} */
    const char *operands;    /* what completes a bare word: "@file", "@db", words, or NULL */
    const char *examples;    /* lines of shell, each ending in '\n' */
    int hidden;              /* not in --help's list (completions, man) */
} mr_cli_cmd;

/* The command table (cli.c) and its size. */
const mr_cli_cmd *mr_cli_commands(size_t *n);
const mr_cli_cmd *mr_cli_find_command(const char *name);

/* Rewrites argv (argv[0] the command) into the one form every command
 * parses: "--opt=value" and "-nVALUE" split in two, every option checked
 * against cmd's table (an unknown one is a usage error with the closest
 * option as a hint, a value given to a flag too). Returns MR_EXIT_OK with
 * *out (free with mr_cli_normalized_free) or MR_EXIT_USAGE after the
 * message. A bare "-" is an operand (standard input or output). */
int mr_cli_normalize(const mr_cli_cmd *cmd, int argc, char **argv, int *out_argc,
                     char ***out_argv);
void mr_cli_normalized_free(int argc, char **argv);

/* --help of a command: its help, the options of its table, its examples. */
void mr_cli_command_help(const mr_cli_cmd *cmd, FILE *out);

int mr_cli_main(int argc, char **argv);

/* The exit status for a library error code (main.c). */
int mr_cli_exit_code(int rc);

/* Prints "mrsim: error: MESSAGE" and a hint to --help on stderr; returns
 * MR_EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int mr_cli_usage_error(const char *cmd, const char *fmt, ...);

/* Parses a whole unsigned decimal number in [min, max] from s; returns 0 on
 * success, -1 (after a usage error naming opt) otherwise. */
int mr_cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min,
                     uint64_t max, uint64_t *out);

/* The value of an option that takes one: argv[*i + 1], advancing *i; NULL
 * (after a usage error) when it is missing. */
const char *mr_cli_optarg(const char *cmd, int argc, char **argv, int *i);

/* The metrics --metrics chose, in its order (n 0: every one that applies). */
typedef struct mr_cli_metrics {
    mr_metric m[MR_METRIC_COUNT];
    size_t n;
} mr_cli_metrics;

/* The options run, compare and sweep share (docs/cli.md "Common options"). */
typedef struct mr_cli_common {
    mr_run_opts opts;       /* replications, seed, jobs (default: the core count) */
    uint64_t min_replications;
    const char **sets;      /* --set values in order; room for argc of them */
    size_t nsets;
    int json, quiet;
    int check_slo;          /* --check-slo: exit 3 when a target is missed */
    const char *db_path;    /* --db FILE, or NULL */
    mr_vectors db_vectors;  /* --db-vectors: MR_VECTORS_FIRST (summary) unless given */
    mr_db *db;              /* open between mr_cli_db_open and mr_cli_db_finish */
    const char *plot_dir;   /* --plot DIR: the figures once the runs are done */
    char tmp_db[64];        /* --plot without --db: a temporary database, removed after */
    const char *export_csv, *export_md, *export_json; /* --export-*: FILE, or NULL */
    int width;              /* --width, or 0 */
    mr_cli_metrics metrics; /* --metrics, or n 0 */
} mr_cli_common;

/* Sets the defaults; sets gets room for argc values; SIGINT and SIGTERM
 * from now on stop the runs cleanly (opts.stop; a second signal kills).
 * Free with mr_cli_common_fini. */
void mr_cli_common_init(mr_cli_common *c, int argc, uint64_t min_replications);
void mr_cli_common_fini(mr_cli_common *c);

/* Parses the common option at argv[*i] (advancing *i past its value).
 * Returns 1 when it was one, 0 when it is not a common option, -1 after a
 * usage error has been printed. */
int mr_cli_common_option(const char *cmd, int argc, char **argv, int *i, mr_cli_common *c);

/* Progress on stderr (docs/cli.md): a bar of the replications done, with
 * events/s and the ETA, on one line rewritten in place and cleared at the
 * end; only when stderr is a terminal and not -q. */
typedef struct mr_cli_progress {
    int shown;         /* a line is open */
    int len;           /* its length, to blank it */
    char label[64];    /* what runs ("ttl-300s 2/3"), or "" */
    double drawn_s;    /* the run's elapsed time at the last redraw */
    uint64_t drawn_done; /* replications done at the last redraw */
} mr_cli_progress;

/* Sets opts->progress when c asks for progress and stderr is a terminal. */
void mr_cli_progress_attach(const mr_cli_common *c, mr_run_opts *opts, mr_cli_progress *pr);
/* Ends the line if one is open (a sequential rule may stop before max). */
void mr_cli_progress_end(mr_cli_progress *pr);

/* The exit status for --check-slo over results (MR_EXIT_SLO when one was
 * missed, else MR_EXIT_OK), after the warnings of every result on stderr. */
/* --export-json/-csv/-markdown of c: each file written whole (or not at
 * all); json writes the JSON document to its stream. MR_OK or MR_EIO after
 * the message. */
/* Whether an --export-* goes to standard output ("-"): the table (or
 * --json) is then not printed, so stdout holds one document. */
int mr_cli_export_to_stdout(const mr_cli_common *c);
int mr_cli_exports(const mr_cli_common *c, const mr_result *res, const char *const *labels,
                   size_t n, void (*json)(void *ctx, FILE *f), void *ctx);

int mr_cli_slo_status(const mr_cli_common *c, const mr_result *results, size_t n);
/* Opens --db when given: MR_OK (c->db stays NULL without --db), or MR_EIO
 * after printing why. */
int mr_cli_db_open(mr_cli_common *c);
/* The command line mrsim was started with, shell-quoted ("" before
 * mr_cli_main remembered it), for the results database's invocations. */
const char *mr_cli_command_line(void);
void mr_cli_remember_command(int argc, char **argv);
/* Before each mr_run_scenario: points opts at the database for a run of sc
 * labelled variant (NULL: the scenario's name) with those varied keys.
 * A no-op without --db. */
void mr_cli_db_run(mr_cli_common *c, mr_run_opts *opts, const mr_scenario *sc,
                   const char *variant, const char *const *varied, size_t nvaried);
/* After the runs: closes the database and returns the code to exit with,
 * having printed the database's failure, or on an interrupt how many
 * replications were committed. */
int mr_cli_db_finish(mr_cli_common *c, int rc);

/* --trace-filter EXPR (docs/cli.md "--trace") into f: MR_EXIT_OK, or
 * MR_EXIT_USAGE after a message (an unknown kind gets the closest one). */
int mr_cli_trace_filter(const char *expr, mr_trace_filter *f);

/* An output file written whole or not at all (--trace). A regular file
 * (or a new one) is written to a temporary file beside it, made here, and
 * renamed over it on success; a symlink is followed to its target. A
 * device or a pipe (/dev/null, /dev/full, a FIFO) is written in place.
 * Nothing that this helper did not create is ever removed. */
typedef struct mr_cli_outfile {
    const char *path; /* as the user gave it */
    char *target;     /* what is replaced: path with its symlinks resolved */
    char *tmp;        /* the temporary file, or NULL when written in place */
    FILE *f;
    int is_stdout;    /* "-": standard output, never closed */
} mr_cli_outfile;

/* Opens o for path ("-": standard output): MR_OK with o->f to write to, or MR_EIO after
 * "mrsim: error: PATH: cannot open for writing: REASON". */
int mr_cli_out_open(mr_cli_outfile *o, const char *path);
/* Closes o: with ok, flushes, checks every write, and puts the file in
 * place (MR_OK, or MR_EIO after a message naming the path and the reason,
 * the temporary file removed); without ok, removes the temporary file.
 * Safe on a zeroed o. */
int mr_cli_out_close(mr_cli_outfile *o, int ok);

/* The last check of every command: stdout flushed, and no write to it
 * failed (a full disk, a closed pipe: SIGPIPE is ignored). Returns status,
 * or MR_EXIT_IO after "mrsim: error: standard output: ..." when status was
 * a success (0 or 3). */
int mr_cli_check_stdout(int status);

/* Colour (--color, NO_COLOR): "auto", "always" or "never" sets the mode
 * (0 after a usage error naming cmd... -1); mr_cli_color() says whether
 * to colour stdout now: always; never; auto when stdout is a terminal,
 * NO_COLOR is unset or empty and TERM is not "dumb". */
int mr_cli_color_mode(const char *cmd, const char *mode);
int mr_cli_color(void);
/* SGR sequences when colouring, "" otherwise. */
const char *mr_cli_sgr(const char *code);

/* Where the data files are: "plots" (the gnuplot scripts; MRSIM_PLOTS_DIR
 * overrides) or "scenarios" (the examples; MRSIM_SCENARIOS_DIR): beside an
 * installed binary in ../share/mrsim/, else the source tree it was built
 * from. */
const char *mr_cli_data_dir(const char *what);

/* ---- tables made for comparing (table.c) ---- */

/* Parses a comma-separated list of metric names (the JSON's, rto_s, or the
 * table's, rto): MR_EXIT_OK, or MR_EXIT_USAGE after a message with the
 * closest name. */
int mr_cli_parse_metrics(const char *cmd, const char *list, mr_cli_metrics *out);
/* The width tables fit: given (--width) when > 0, else COLUMNS, else the
 * terminal's when stdout is one, else 80. */
int mr_cli_width(int given);
/* compare's side-by-side table and its verdicts. */
void mr_cli_compare_table(const mr_result *res, const char *const *labels, size_t nres,
                          const mr_cli_metrics *sel, int width, FILE *out);
/* sweep's table: a row per point (its label: the key values, aligned under
 * keys_head). */
void mr_cli_sweep_table(const mr_result *res, const char *const *points, const char *keys_head,
                        size_t nres, const mr_cli_metrics *sel, int width, FILE *out);
/* --export-csv: a row per run and metric, with the paired difference
 * against the first run. */
void mr_cli_export_csv(const mr_result *res, const char *const *labels, size_t nres, FILE *f);
/* --export-markdown: the side-by-side table as Markdown. */
/* Writes s as one CSV field, quoted when it holds a comma, a quote, a
 * semicolon (spreadsheets that split on it) or a line break (RFC 4180). */
void mr_cli_csv_field(FILE *f, const char *s);
void mr_cli_export_markdown(const mr_result *res, const char *const *labels, size_t nres,
                            const mr_cli_metrics *sel, FILE *f);

/* Each command's option table and examples (cmd_NAME.c). */
extern const mr_cli_opt mr_cmd_run_opts[], mr_cmd_compare_opts[], mr_cmd_sweep_opts[],
    mr_cmd_bench_opts[], mr_cmd_analyze_opts[], mr_cmd_plot_opts[], mr_cmd_report_opts[], mr_cmd_tui_opts[], mr_cmd_recommend_opts[],
    mr_cmd_validate_opts[], mr_cmd_init_opts[], mr_cmd_explain_opts[], mr_cmd_export_opts[], mr_cmd_completion_opts[];
extern const char mr_cmd_run_examples[], mr_cmd_compare_examples[], mr_cmd_sweep_examples[],
    mr_cmd_bench_examples[], mr_cmd_analyze_examples[], mr_cmd_plot_examples[],
    mr_cmd_report_examples[], mr_cmd_tui_examples[], mr_cmd_recommend_examples[], mr_cmd_validate_examples[], mr_cmd_init_examples[], mr_cmd_explain_examples[], mr_cmd_export_examples[], mr_cmd_completion_examples[];

int mr_cmd_run(int argc, char **argv);
void mr_cmd_run_help(FILE *out);
int mr_cmd_compare(int argc, char **argv);
void mr_cmd_compare_help(FILE *out);
int mr_cmd_sweep(int argc, char **argv);
void mr_cmd_sweep_help(FILE *out);
int mr_cmd_recommend(int argc, char **argv);
void mr_cmd_recommend_help(FILE *out);
int mr_cmd_bench(int argc, char **argv);
void mr_cmd_bench_help(FILE *out);

/* `mrsim analyze` (cmd_analyze.c). */
int mr_cmd_analyze(int argc, char **argv);
void mr_cmd_analyze_help(FILE *out);

/* `mrsim tui` (cmd_tui.c). */
int mr_cmd_tui(int argc, char **argv);
void mr_cmd_tui_help(FILE *out);

/* `mrsim validate` (cmd_validate.c). */
int mr_cmd_plot(int argc, char **argv);
int mr_cmd_report(int argc, char **argv);
void mr_cmd_report_help(FILE *out);
void mr_cmd_plot_help(FILE *out);
int mr_cmd_validate(int argc, char **argv);
int mr_cmd_init(int argc, char **argv);
void mr_cmd_init_help(FILE *out);
int mr_cmd_explain(int argc, char **argv);
void mr_cmd_explain_help(FILE *out);
int mr_cmd_export(int argc, char **argv);
void mr_cmd_export_help(FILE *out);
/* completion, man, options (cmd_completion.c) over the command table
 * (cli.c's entry points pass it). */
int mr_cli_completion(const mr_cli_cmd *cmds, size_t n, int argc, char **argv);
void mr_cmd_completion_help(FILE *out);
int mr_cli_man(const mr_cli_cmd *cmds, size_t n, int argc, char **argv);
void mr_cmd_man_help(FILE *out);
int mr_cli_options(const mr_cli_cmd *cmds, size_t n, int argc, char **argv);
void mr_cmd_options_help(FILE *out);
void mr_cmd_validate_help(FILE *out);

#endif
