/* tests/e2e/test_completion.c: the completions and the man page are made
 * from the parser's own option tables (issue 17), and `make install`
 * gives a binary that finds its data files. `mrsim options` lists the
 * tables; every entry must be taken by the parser and appear in the bash,
 * zsh and fish completions and in the man page. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

static char *out_of(const char *args)
{
    run_out r = e2e_run(args, "");
    cr_assert_eq(r.status, 0, "mrsim %s: %s", args, r.err);
    free(r.err);
    return r.out;
}

/* "--set" as roff writes it: "\-\-set". */
static void roffed(char *buf, size_t n, const char *s)
{
    size_t k = 0;
    for (; *s && k + 3 < n; s++) {
        if (*s == '-')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k] = '\0';
}

Test(completion, every_command_and_option_of_the_tables_everywhere, .timeout = 300)
{
    char *opts = out_of("options"), *bash = out_of("completion bash"),
         *zsh = out_of("completion zsh"), *fish = out_of("completion fish"), *man = out_of("man");
    size_t ncmd = 0, nopt = 0;
    for (char *save = NULL, *line = strtok_r(opts, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char cmd[64], opt[64] = "", s2[8] = "", s3[64] = "";
        int k = sscanf(line, "%63s %63s %7s %63s", cmd, opt, s2, s3);
        char sub[160];
        if (k == 1) {
            /* A command: named in every script and as a man section. */
            snprintf(sub, sizeof sub, " %s", cmd);
            cr_expect(strstr(bash, sub), "bash lacks %s", cmd);
            snprintf(sub, sizeof sub, "'%s:", cmd);
            cr_expect(strstr(zsh, sub), "zsh lacks %s", cmd);
            snprintf(sub, sizeof sub, "-a %s -d", cmd);
            cr_expect(strstr(fish, sub), "fish lacks %s", cmd);
            snprintf(sub, sizeof sub, ".SS %s\n", cmd);
            cr_expect(strstr(man, sub), "man lacks %s", cmd);
            ncmd++;
            continue;
        }
        /* An option: the parser takes it (a value when it has one; --help
         * then prints the usage, exit 0), and every script lists it. */
        const char *value = s2[0] == '=' ? " 1" : s3[0] == '=' ? " 1" : "";
        char args[160];
        snprintf(args, sizeof args, "%s%s --help", opt, value);
        run_out r = e2e_run(cmd, args);
        cr_expect_eq(r.status, 0, "mrsim %s %s: %s", cmd, args, r.err);
        run_free(&r);
        if (s2[0] == '-') {
            snprintf(args, sizeof args, "%s%s --help", s2, value);
            r = e2e_run(cmd, args);
            cr_expect_eq(r.status, 0, "mrsim %s %s: %s", cmd, args, r.err);
            run_free(&r);
        }
        snprintf(sub, sizeof sub, " %s", opt);
        cr_expect(strstr(bash, sub), "bash lacks %s %s", cmd, opt);
        cr_expect(strstr(zsh, opt), "zsh lacks %s %s", cmd, opt);
        snprintf(sub, sizeof sub, "from %s' -l %s", cmd, opt + 2);
        cr_expect(strstr(fish, sub), "fish lacks %s %s", cmd, opt);
        char r1[128];
        roffed(r1, sizeof r1, opt);
        cr_expect(strstr(man, r1), "man lacks %s %s", cmd, opt);
        nopt++;
    }
    /* run, compare, sweep, recommend, validate, analyze, plot, report, tui,
     * init, explain, export, completion, bench; man and options are hidden. */
    cr_expect_eq(ncmd, 14);
    cr_expect_geq(nopt, 60);
    free(opts);
    free(bash);
    free(zsh);
    free(fish);
    free(man);
}

/* The bash script is valid bash and completes: "mrsim ru" -> run,
 * "mrsim run --repl" -> --replications, "mrsim plot x --format " -> the
 * four formats. */
Test(completion, bash_completes, .timeout = 60)
{
    run_out r = e2e_sh(
        "bash -c 'source <(\"%s\" completion bash) || exit 9; "
        "COMP_WORDS=(mrsim ru); COMP_CWORD=1; _mrsim; echo \"1:${COMPREPLY[*]}\"; "
        "COMP_WORDS=(mrsim run --repl); COMP_CWORD=2; _mrsim; echo \"2:${COMPREPLY[*]}\"; "
        "COMP_WORDS=(mrsim plot x --format \"\"); COMP_CWORD=4; _mrsim; echo \"3:${COMPREPLY[*]}\"'",
        MRSIM_BINARY);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "1:run\n") && strstr(r.out, "2:--replications\n") &&
                  strstr(r.out, "3:png svg pdf dumb\n"),
              "%s", r.out);
    run_free(&r);
}

/* A shell the set-up installs (Makefile PACKAGES: zsh, fish) must be
 * there where the set-up ran: as root (CI runs `make test` as root) or
 * with CI set, its absence fails the test; elsewhere (a developer's
 * machine without them) the check is skipped, saying why. */
static void need_shell(const char *sh)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", sh);
    if (system(cmd) == 0)
        return;
    const char *ci = getenv("CI");
    if (geteuid() == 0 || (ci && strcmp(ci, "true") == 0))
        cr_assert_fail("%s is missing: `make deps` installs it (Makefile PACKAGES)", sh);
    cr_skip_test("%s is not installed (`make deps` installs it)", sh);
}

/* The zsh and fish scripts parse: `zsh -n` and `fish --no-execute` read
 * a script without running it and exit non-zero on a syntax error (a
 * deliberately broken copy checks that they would). */
static void syntax_ok(const char *sh, const char *check)
{
    need_shell(sh);
    char path[] = "/tmp/mrsim-completion-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    run_out r = e2e_sh("'%s' completion %s > %s && %s %s", MRSIM_BINARY, sh, path, check, path);
    cr_expect_eq(r.status, 0, "%s: %s%s", sh, r.out, r.err);
    run_free(&r);
    /* The same script with an unclosed quote added must be refused. */
    r = e2e_sh("echo 'echo \"unclosed' >> %s && %s %s", path, check, path);
    cr_expect_neq(r.status, 0, "%s accepted a broken script", check);
    run_free(&r);
    unlink(path);
}

Test(completion, zsh_script_parses, .timeout = 60)
{
    syntax_ok("zsh", "zsh -n");
}

Test(completion, fish_script_parses, .timeout = 60)
{
    syntax_ok("fish", "fish --no-execute");
}

/* make install DESTDIR=... PREFIX=/usr, then the installed binary says
 * where its data are and runs an installed example with a figure. */
Test(completion, make_install_then_run_an_installed_example, .timeout = 600)
{
    char dest[] = "/tmp/mrsim-install-XXXXXX";
    cr_assert_not_null(mkdtemp(dest));
    run_out r = e2e_sh("make -C '%s' install BUILD='%s' DESTDIR='%s' PREFIX=/usr >/dev/null",
                       MRSIM_SOURCE_DIR, MRSIM_BUILD_DIR, dest);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    static const char *const files[] = {
        "/usr/bin/mrsim", "/usr/share/man/man1/mrsim.1",
        "/usr/share/bash-completion/completions/mrsim", "/usr/share/zsh/site-functions/_mrsim",
        "/usr/share/fish/vendor_completions.d/mrsim.fish",
        "/usr/share/mrsim/plots/metrics.gp", "/usr/share/mrsim/scenarios/active-passive-tm.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", dest, files[i]);
        cr_expect_eq(access(path, R_OK), 0, "not installed: %s", path);
    }
    r = e2e_sh("env -u MRSIM_PLOTS_DIR -u MRSIM_SCENARIOS_DIR '%s/usr/bin/mrsim' --version", dest);
    char want[600];
    snprintf(want, sizeof want, "plots:     %s/usr/share/mrsim/plots\nscenarios: "
                                "%s/usr/share/mrsim/scenarios\n",
             dest, dest);
    cr_expect(strstr(r.out, want), "%s", r.out);
    run_free(&r);
    if (system("command -v gnuplot >/dev/null 2>&1") == 0) {
        r = e2e_sh("cd '%s' && env -u MRSIM_PLOTS_DIR ./usr/bin/mrsim run "
                   "usr/share/mrsim/scenarios/active-passive-tm.yaml -q -n 2 "
                   "--set run.horizon=40m --plot figs > /dev/null && ls figs",
                   dest);
        cr_expect_eq(r.status, 0, "%s", r.err);
        cr_expect(strstr(r.out, ".png"), "no figure drawn: %s %s", r.out, r.err);
        run_free(&r);
    }
    r = e2e_sh("rm -rf '%s'", dest);
    run_free(&r);
}
