/* sim/cli/common.c: what every command shares: the one table that turns
 * library error codes into exit statuses (docs/cli.md), usage errors,
 * option parsing, the signal handlers, the progress line, SLO status, and
 * the results database's open, run and finish. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out/human.h"
#include "cli.h"
#include "mrsim/alloc.h"
#include "mrsim/config.h"
#include "mrsim/error.h"
#include "out/plot.h"
#include "config/units.h"
#include "run/runner.h"

int mr_cli_exit_code(int rc)
{
    switch (rc) {
    case MR_OK:
        return MR_EXIT_OK;
    case MR_ESCENARIO:
        return MR_EXIT_SCENARIO;
    case MR_EIO:
        return MR_EXIT_IO;
    case MR_EINVAL:
        return MR_EXIT_USAGE;
    case MR_EINTR:
        return MR_EXIT_INTERRUPTED;
    default:
        return MR_EXIT_INTERNAL;
    }
}

int mr_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("mrsim: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\ntry 'mrsim %s --help'\n", cmd);
    else
        fputs("\ntry 'mrsim --help'\n", stderr);
    return MR_EXIT_USAGE;
}

int mr_cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min,
                     uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || *end != '\0' || errno == ERANGE) {
        mr_cli_usage_error(cmd, "%s expects a whole number, got '%s'", opt, s);
        return -1;
    }
    if (v < min || v > max) {
        mr_cli_usage_error(cmd, "%s must be in [%llu, %llu], got %llu", opt,
                           (unsigned long long)min, (unsigned long long)max, v);
        return -1;
    }
    *out = v;
    return 0;
}

const char *mr_cli_optarg(const char *cmd, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        mr_cli_usage_error(cmd, "option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* Set by SIGINT/SIGTERM; read by the runner's workers. A lock-free atomic
 * int is safe to store from a signal handler. */
static atomic_int interrupted;

/* The first SIGINT or SIGTERM asks for a stop; a second one of either
 * kind (SIGTERM then SIGINT too) ends the process by that signal's default
 * action. Only async-signal-safe calls here. */
static void on_signal(int sig)
{
    static const char msg[] =
        "\nmrsim: stopping after the replications in progress (signal again to abort)\n";
    if (atomic_exchange(&interrupted, 1)) {
        signal(sig, SIG_DFL);
        raise(sig); /* blocked until this handler returns, then fatal */
        return;
    }
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1); /* async-signal-safe */
    (void)w;
}

void mr_cli_common_init(mr_cli_common *c, int argc, uint64_t min_replications)
{
    memset(c, 0, sizeof *c);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* on_signal ends the process at a second signal */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    c->opts.stop = &interrupted;
    c->opts.jobs = mr_cpu_count();
    c->db_vectors = MR_VECTORS_FIRST;
    c->min_replications = min_replications;
    c->sets = mr_xcalloc((size_t)argc + 1, sizeof *c->sets);
}

static void drop_tmp_db(mr_cli_common *c)
{
    if (c->tmp_db[0] == '\0')
        return;
    char side[96];
    unlink(c->tmp_db);
    snprintf(side, sizeof side, "%s-wal", c->tmp_db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", c->tmp_db);
    unlink(side);
    c->tmp_db[0] = '\0';
}

void mr_cli_common_fini(mr_cli_common *c)
{
    free(c->sets);
    c->sets = NULL;
    drop_tmp_db(c);
}

int mr_cli_common_option(const char *cmd, int argc, char **argv, int *i, mr_cli_common *c)
{
    const char *a = argv[*i], *v;
    uint64_t x;
    if (strcmp(a, "--json") == 0) {
        c->json = 1;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        c->quiet = 1;
    } else if (strcmp(a, "-n") == 0 || strcmp(a, "--replications") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) ||
            mr_cli_parse_u64(cmd, a, v, c->min_replications, 100000000, &c->opts.replications))
            return -1;
    } else if (strcmp(a, "-s") == 0 || strcmp(a, "--seed") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) ||
            mr_cli_parse_u64(cmd, a, v, 0, UINT64_MAX, &c->opts.seed))
            return -1;
        c->opts.seed_set = 1;
    } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) || mr_cli_parse_u64(cmd, a, v, 1, 4096, &x))
            return -1;
        c->opts.jobs = (int)x;
    } else if (strcmp(a, "--check-slo") == 0) {
        c->check_slo = 1;
    } else if (strcmp(a, "--db") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)))
            return -1;
        drop_tmp_db(c); /* --plot came first: the figures read this one */
        c->db_path = v;
    } else if (strcmp(a, "--db-vectors") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)))
            return -1;
        if (strcmp(v, "all") == 0)
            c->db_vectors = MR_VECTORS_ALL;
        else if (strcmp(v, "summary") == 0)
            c->db_vectors = MR_VECTORS_FIRST;
        else if (strcmp(v, "none") == 0)
            c->db_vectors = MR_VECTORS_NONE;
        else {
            mr_cli_usage_error(cmd, "--db-vectors takes all, summary or none, not '%s'", v);
            return -1;
        }
    } else if (strcmp(a, "--plot") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)))
            return -1;
        c->plot_dir = v;
        if (c->db_path == NULL && mr_mpi_rank() == 0) {
            /* The figures read a database: a temporary one unless --db. */
            const char *tmp = getenv("TMPDIR");
            snprintf(c->tmp_db, sizeof c->tmp_db, "%s/mrsim-plot-XXXXXX",
                     tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
            int fd = mkstemp(c->tmp_db);
            if (fd < 0) {
                fprintf(stderr, "mrsim: error: %s: %s\n", c->tmp_db, strerror(errno));
                c->tmp_db[0] = '\0';
                return -1;
            }
            close(fd);
            c->db_path = c->tmp_db;
        }
    } else if (strcmp(a, "--export-json") == 0 || strcmp(a, "--export-csv") == 0 ||
               strcmp(a, "--export-markdown") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)))
            return -1;
        *(a[9] == 'j' ? &c->export_json : a[9] == 'c' ? &c->export_csv : &c->export_md) = v;
    } else if (strcmp(a, "--color") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) || mr_cli_color_mode(cmd, v) != 0)
            return -1;
    } else if (strcmp(a, "--width") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) || mr_cli_parse_u64(cmd, a, v, 40, 1000, &x))
            return -1;
        c->width = (int)x;
    } else if (strcmp(a, "--metrics") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)) ||
            mr_cli_parse_metrics(cmd, v, &c->metrics) != MR_EXIT_OK)
            return -1;
    } else if (strcmp(a, "--set") == 0) {
        if (!(v = mr_cli_optarg(cmd, argc, argv, i)))
            return -1;
        c->sets[c->nsets++] = v;
    } else {
        return 0;
    }
    return 1;
}

static void progress_line(void *vctx, const mr_progress *p)
{
    mr_cli_progress *pr = vctx;
    /* Only for what takes over a second: a quick run leaves no trace. */
    if (p->elapsed_s < 1.0)
        return;
    /* At most 10 redraws a second: replications that end in a burst, or
     * the runner's ticks, redraw only when a tenth of a second has passed
     * (the last replication always: the line then shows the end). */
    if (pr->shown && p->elapsed_s - pr->drawn_s < 0.1 && p->done < p->total)
        return;
    pr->drawn_s = p->elapsed_s;
    pr->drawn_done = p->done;
    /* What is done: the finished replications and the simulated time the
     * ones in flight have done (a share of one, p->partial). */
    double done = (double)p->done + (p->done < p->total ? p->partial : 0);
    char rate[MR_HU_LEN] = "-", eta[MR_HU_LEN] = "-";
    if (p->elapsed_s > 0)
        mr_hu_count(rate, sizeof rate, (double)p->events / p->elapsed_s);
    if (done > 0 && done <= (double)p->total)
        mr_hu_duration(eta, sizeof eta, p->elapsed_s / done * ((double)p->total - done));
    /* In adaptive mode total is max and the run may stop before: the ETA is
     * then an upper bound. */
    enum { BAR = 24 };
    char bar[BAR + 1];
    size_t fill = p->total ? (size_t)(BAR * done / (double)p->total) : 0;
    for (size_t i = 0; i < BAR; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[BAR] = '\0';
    /* Within a replication, how much of the run's simulated time is done. */
    char within[32] = "";
    if (p->done < p->total && p->partial > 0)
        snprintf(within, sizeof within, " (%.0f%% simulated)",
                 100.0 * done / (double)(p->total ? p->total : 1));
    int len = fprintf(stderr, "\r%s%s[%s] %llu%s%llu replications%s, %s events/s, ETA %s%s",
                      pr->label, pr->label[0] ? " " : "", bar, (unsigned long long)p->done,
                      p->adaptive ? " of at most " : "/", (unsigned long long)p->total, within,
                      rate, p->adaptive ? "at most " : "", eta);
    if (len - 1 < pr->len) /* blank what a longer line left */
        fprintf(stderr, "%*s", pr->len - (len - 1), "");
    pr->len = len - 1 > pr->len ? len - 1 : pr->len;
    fflush(stderr);
    pr->shown = 1;
}

void mr_cli_progress_attach(const mr_cli_common *c, mr_run_opts *opts, mr_cli_progress *pr)
{
    pr->shown = 0;
    pr->len = 0;
    pr->label[0] = '\0';
    pr->drawn_s = 0;
    pr->drawn_done = 0;
    if (!c->quiet && isatty(STDERR_FILENO)) {
        opts->progress = progress_line;
        opts->progress_ctx = pr;
    }
}

void mr_cli_progress_end(mr_cli_progress *pr)
{
    /* Cleared, not ended: the terminal shows only what was printed. */
    if (pr->shown)
        fprintf(stderr, "\r%*s\r", pr->len, "");
    fflush(stderr);
    pr->shown = 0;
}

/* 0 auto, 1 always, 2 never. */
static int color_mode;

int mr_cli_color_mode(const char *cmd, const char *mode)
{
    if (strcmp(mode, "auto") == 0)
        color_mode = 0;
    else if (strcmp(mode, "always") == 0)
        color_mode = 1;
    else if (strcmp(mode, "never") == 0)
        color_mode = 2;
    else {
        mr_cli_usage_error(cmd, "--color: '%s' is not auto, always or never", mode);
        return -1;
    }
    return 0;
}

int mr_cli_color(void)
{
    if (color_mode != 0)
        return color_mode == 1;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

const char *mr_cli_sgr(const char *code)
{
    return mr_cli_color() ? code : "";
}

int mr_cli_width(int given)
{
    if (given > 0)
        return given;
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        int w = atoi(c);
        if (w >= 40 && w <= 1000)
            return w;
    }
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return 80;
}

int mr_cli_parse_metrics(const char *cmd, const char *list, mr_cli_metrics *out)
{
    memset(out, 0, sizeof *out);
    const char *names[2 * MR_METRIC_COUNT];
    char table[MR_METRIC_COUNT][48];
    for (int m = 0; m < MR_METRIC_COUNT; m++) {
        names[m] = mr_metric_name((mr_metric)m);
        mr_metric_table_name((mr_metric)m, table[m], sizeof table[m]);
        names[MR_METRIC_COUNT + m] = table[m];
    }
    const char *s = list;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)len, s);
        int found = -1;
        for (int i = 0; i < 2 * MR_METRIC_COUNT && found < 0; i++)
            if (strcmp(word, names[i]) == 0)
                found = i % MR_METRIC_COUNT;
        if (found < 0) {
            int best = mr_closest(word, names, 2 * MR_METRIC_COUNT);
            if (best >= 0)
                return mr_cli_usage_error(cmd, "--metrics: unknown metric '%s' (did you mean "
                                               "'%s'?)",
                                          word, names[best]);
            return mr_cli_usage_error(cmd, "--metrics: unknown metric '%s' (the names of the "
                                           "JSON, e.g. availability,rto_s,client_rto_s)",
                                      word);
        }
        int dup = 0;
        for (size_t i = 0; i < out->n; i++)
            dup |= out->m[i] == (mr_metric)found;
        if (!dup)
            out->m[out->n++] = (mr_metric)found;
        s += len + (comma != NULL);
    }
    if (out->n == 0)
        return mr_cli_usage_error(cmd, "--metrics needs at least one metric");
    return MR_EXIT_OK;
}

int mr_cli_slo_status(const mr_cli_common *c, const mr_result *results, size_t n)
{
    int missed = 0;
    for (size_t i = 0; i < n; i++) {
        mr_result_write_warnings(&results[i], c->check_slo, stderr);
        missed |= mr_result_slo_missed(&results[i]);
    }
    return c->check_slo && missed ? MR_EXIT_SLO : MR_EXIT_OK;
}

/* The command line as typed (each argument shell-quoted when it needs
 * it), for the results database's invocation table. */
static char command_line[4096];

const char *mr_cli_command_line(void)
{
    return command_line;
}

void mr_cli_remember_command(int argc, char **argv)
{
    size_t n = 0;
    for (int a = 0; a < argc && n + 4 < sizeof command_line; a++) {
        const char *s = argv[a];
        int quote = s[0] == '\0' || strpbrk(s, " \t\n'\"\\$`*?[]{}();&|<>#~") != NULL;
        n += (size_t)snprintf(command_line + n, sizeof command_line - n, "%s%s", a ? " " : "",
                              quote ? "'" : "");
        for (; *s && n + 6 < sizeof command_line; s++)
            n += (size_t)snprintf(command_line + n, sizeof command_line - n, "%s",
                                  *s == '\'' ? "'\\''" : (char[2]){*s, 0});
        if (quote && n + 2 < sizeof command_line)
            n += (size_t)snprintf(command_line + n, sizeof command_line - n, "'");
    }
}

int mr_cli_db_open(mr_cli_common *c)
{
    if (c->db_path == NULL)
        return MR_OK;
    /* Under mpirun rank 0 alone opens the file; the others send it what
     * their replications leave (mr_cli_db_run). When rank 0 cannot open it,
     * the others learn it at their first gather and exit with its status. */
    if (mr_mpi_rank() > 0)
        return MR_OK;
    char err[600];
    int rc = mr_db_open(c->db_path, &c->db, err, sizeof err);
    if (rc != MR_OK)
        fprintf(stderr, "mrsim: error: %s\n", err);
    else
        mr_db_set_command(c->db, mr_cli_command_line());
    return rc;
}

void mr_cli_db_run(mr_cli_common *c, mr_run_opts *opts, const mr_scenario *sc,
                   const char *variant, const char *const *varied, size_t nvaried)
{
    if (c->db == NULL && c->db_path != NULL && mr_mpi_rank() > 0) {
        /* The runner sends the replications to rank 0 instead of calling
         * the hook here (run.c): it only says that there is a sink. */
        opts->on_rep = mr_db_rep_hook;
        opts->on_rep_ctx = NULL;
        opts->vectors = c->db_vectors;
        return;
    }
    if (c->db == NULL)
        return;
    mr_db_set_vectors(c->db, c->db_vectors);
    opts->vectors = c->db_vectors;
    mr_db_begin_run(c->db, sc, variant, varied, nvaried);
    opts->on_rep = mr_db_rep_hook;
    opts->on_rep_ctx = c->db;
}

/* --plot DIR: every figure of the database just written (docs/figures.md).
 * stdout holds the table or the JSON, so the files are listed on stderr. */

static int draw_figures(mr_cli_common *c)
{
    const char *gnuplot = getenv("MRSIM_GNUPLOT"), *dir = mr_cli_data_dir("plots");
    mr_plot_opts o = {.db_path = c->db_path,
                      .out_dir = c->plot_dir,
                      .scripts_dir = dir,
                      .gnuplot = gnuplot && *gnuplot ? gnuplot : "gnuplot",
                      .format = MR_PLOT_PNG,
                      .list = stderr};
    fprintf(stderr, "mrsim: figures in %s:\n", c->plot_dir);
    char err[1024];
    size_t drawn = 0;
    if (mr_plot_draw(&o, &drawn, err, sizeof err) != MR_OK) {
        fprintf(stderr, "mrsim: error: %s\n", err);
        return MR_EIO;
    }
    return MR_OK;
}

int mr_cli_db_finish(mr_cli_common *c, int rc)
{
    if (rc == MR_OK && atomic_load(&interrupted))
        rc = MR_EINTR; /* the signal came after the last replication was handed out */
    if (c->db == NULL) {
        if (rc == MR_EINTR)
            fputs("mrsim: interrupted\n", stderr);
        return rc;
    }
    mr_db_end_run(c->db);
    const char *msg = mr_db_errmsg(c->db);
    if (msg[0] != '\0') {
        fprintf(stderr, "mrsim: error: %s\n", msg);
        if (rc == MR_OK || rc == MR_EINTR)
            rc = MR_EIO;
    } else if (rc == MR_EINTR) {
        fprintf(stderr, "mrsim: interrupted; %llu replications committed to %s\n",
                (unsigned long long)mr_db_committed(c->db), c->db_path);
    }
    if (mr_db_close(c->db) != MR_OK && rc == MR_OK) {
        fprintf(stderr, "mrsim: error: %s: cannot close the database\n", c->db_path);
        rc = MR_EIO;
    }
    c->db = NULL;
    if (rc == MR_OK && c->plot_dir)
        rc = draw_figures(c);
    drop_tmp_db(c);
    return rc;
}

#ifndef MRSIM_SOURCE_DATA_DIR
#define MRSIM_SOURCE_DATA_DIR "."
#endif

/* The install layout of `make install` (CMakeLists.txt): the binary in
 * PREFIX/bin, its data in PREFIX/share/mrsim. */
static int data_under_exe(const char *what, char *buf, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return 0;
    *slash = '\0';
    snprintf(buf, n, "%s/../share/mrsim/%s", exe, what);
    char *real = realpath(buf, NULL);
    struct stat st;
    int ok = real && stat(real, &st) == 0 && S_ISDIR(st.st_mode);
    if (ok)
        snprintf(buf, n, "%s", real);
    free(real);
    return ok;
}

const char *mr_cli_data_dir(const char *what)
{
    static char plots[4200], scenarios[4200];
    char *buf = strcmp(what, "plots") == 0 ? plots : scenarios;
    if (buf[0] != '\0')
        return buf;
    const char *env = getenv(buf == plots ? "MRSIM_PLOTS_DIR" : "MRSIM_SCENARIOS_DIR");
    if (env && *env)
        snprintf(buf, sizeof plots, "%s", env);
    else if (!data_under_exe(what, buf, sizeof plots))
        snprintf(buf, sizeof plots, "%s/%s", MRSIM_SOURCE_DATA_DIR, what);
    return buf;
}

int mr_cli_out_open(mr_cli_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (strcmp(path, "-") == 0) { /* standard output, written in place */
        o->f = stdout;
        o->is_stdout = 1;
        return MR_OK;
    }
    struct stat st;
    int exists = stat(path, &st) == 0; /* follows symlinks */
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device or a pipe: written in place, never replaced or removed. */
        o->f = fopen(path, "w");
    } else {
        o->target = exists ? realpath(path, NULL) : mr_xstrdup(path);
        if (o->target == NULL) {
            fprintf(stderr, "mrsim: error: %s: cannot open for writing: %s\n", path,
                    strerror(errno));
            return MR_EIO;
        }
        size_t n = strlen(o->target) + 16;
        o->tmp = mr_xmalloc(n);
        snprintf(o->tmp, n, "%s.tmp-XXXXXX", o->target);
        int fd = mkstemp(o->tmp);
        if (fd < 0) {
            free(o->tmp);
            o->tmp = NULL;
        } else {
            /* mkstemp makes it 0600; the file the user gets is as fopen's */
            mode_t mask = umask(0);
            umask(mask);
            (void)fchmod(fd, (exists ? st.st_mode : 0666 & ~mask) & 07777); /* best effort */
            o->f = fdopen(fd, "w");
            if (o->f == NULL)
                close(fd);
        }
    }
    if (o->f == NULL) {
        int e = errno;
        if (o->tmp)
            remove(o->tmp); /* ours */
        fprintf(stderr, "mrsim: error: %s: cannot open for writing: %s\n", path, strerror(e));
        free(o->tmp);
        free(o->target);
        memset(o, 0, sizeof *o);
        return MR_EIO;
    }
    return MR_OK;
}

int mr_cli_out_close(mr_cli_outfile *o, int ok)
{
    if (o->f == NULL)
        return MR_OK;
    int rc = MR_OK;
    int failed = fflush(o->f) != 0 || ferror(o->f);
    int e = errno;
    if (o->is_stdout) {
        o->f = NULL; /* mr_cli_check_stdout reports a failed write to it */
        return MR_OK;
    }
    if (fclose(o->f) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    o->f = NULL;
    if (ok && failed) {
        fprintf(stderr, "mrsim: error: %s: write failed: %s\n", o->path, strerror(e));
        rc = MR_EIO;
    }
    if (o->tmp) {
        if (ok && !failed && rename(o->tmp, o->target) != 0) {
            fprintf(stderr, "mrsim: error: %s: cannot put the file in place: %s\n", o->path,
                    strerror(errno));
            rc = MR_EIO;
            failed = 1;
        }
        if (!ok || failed)
            remove(o->tmp); /* ours: the user's file, if any, is untouched */
    }
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
    return rc;
}

int mr_cli_check_stdout(int status)
{
    errno = 0;
    int flushed = fflush(stdout) == 0;
    int e = errno;
    if (flushed && !ferror(stdout))
        return status;
    if (e != 0)
        fprintf(stderr, "mrsim: error: standard output: write failed: %s\n", strerror(e));
    else
        fputs("mrsim: error: standard output: write failed\n", stderr);
    return status == MR_EXIT_OK || status == MR_EXIT_SLO ? MR_EXIT_IO : status;
}
