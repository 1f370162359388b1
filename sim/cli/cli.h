/* sim/cli/cli.h: private to the mrsim program: the command table and the
 * helpers every command shares. */
#ifndef MRSIM_CLI_CLI_H
#define MRSIM_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "run/build.h"
#include "out/db.h"

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

typedef struct mr_cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name; returns an exit status */
    void (*help)(FILE *out);
} mr_cli_cmd;

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

/* The options run, compare and sweep share (docs/cli.md "Common options"). */
typedef struct mr_cli_common {
    mr_run_opts opts;       /* replications, seed, jobs (default: the core count) */
    uint64_t min_replications;
    const char **sets;      /* --set values in order; room for argc of them */
    size_t nsets;
    int json, quiet;
    int check_slo;          /* --check-slo: exit 3 when a target is missed */
    const char *db_path;    /* --db FILE, or NULL */
    mr_db *db;              /* open between mr_cli_db_open and mr_cli_db_finish */
    const char *plot_dir;   /* --plot DIR: the figures once the runs are done */
    char tmp_db[64];        /* --plot without --db: a temporary database, removed after */
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

/* Progress on stderr (docs/cli.md): replications done, events/s and ETA on one
 * line rewritten in place, only when stderr is a terminal and not -q. */
typedef struct mr_cli_progress {
    int shown; /* a line is open */
} mr_cli_progress;

/* Sets opts->progress when c asks for progress and stderr is a terminal. */
void mr_cli_progress_attach(const mr_cli_common *c, mr_run_opts *opts, mr_cli_progress *pr);
/* Ends the line if one is open (a sequential rule may stop before max). */
void mr_cli_progress_end(mr_cli_progress *pr);

/* The exit status for --check-slo over results (MR_EXIT_SLO when one was
 * missed, else MR_EXIT_OK), after the warnings of every result on stderr. */
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
} mr_cli_outfile;

/* Opens o for path: MR_OK with o->f to write to, or MR_EIO after
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

/* `mrsim validate` (cmd_validate.c). */
int mr_cmd_plot(int argc, char **argv);
int mr_cmd_report(int argc, char **argv);
void mr_cmd_report_help(FILE *out);
void mr_cmd_plot_help(FILE *out);
int mr_cmd_validate(int argc, char **argv);
void mr_cmd_validate_help(FILE *out);

#endif
