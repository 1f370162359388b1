/* sim/cli/cmd_completion.c: `mrsim completion bash|zsh|fish` and the
 * hidden `mrsim man` and `mrsim options`: the shell completions and the
 * man page written from the command table and each command's option
 * table, the very tables the parser reads (opts.c), so none of them can
 * list an option the parser refuses or miss one it takes. The build
 * writes them (CMakeLists.txt) and `make install` installs them;
 * tests/e2e/test_completion.c checks them against `mrsim options`. The
 * table comes as an argument (cli.c holds it and the commands' entry
 * points), so this file calls nothing of cli.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mrsim/config.h"

void mr_cmd_completion_help(FILE *out)
{
    fputs("usage: mrsim completion bash|zsh|fish\n\n"
          "Prints the shell completion script for mrsim's commands and options, made\n"
          "from the same tables the parser reads. make install installs all three.\n",
          out);
}

const mr_cli_opt mr_cmd_completion_opts[] = {{0}};
const char mr_cmd_completion_examples[] =
    "source <(mrsim completion bash)\n"
    "mrsim completion fish > ~/.config/fish/completions/mrsim.fish\n";

void mr_cmd_man_help(FILE *out)
{
    fputs("usage: mrsim man\n\nPrints the man page mrsim.1 (roff) made from the command and "
          "option tables.\n",
          out);
}

void mr_cmd_options_help(FILE *out)
{
    fputs("usage: mrsim options\n\nPrints every command and option the parser takes, one per "
          "line:\nCOMMAND OPTION [SHORT] [ARG] (the tests compare the completions with it).\n",
          out);
}

/* The first line of s with the characters a shell's quoting or zsh's
 * spec syntax would read removed. */
static void plain(char *buf, size_t n, const char *s)
{
    size_t k = 0;
    for (; *s && *s != '\n' && k + 1 < n; s++)
        if (!strchr("'\"[]:\\`$", *s))
            buf[k++] = *s;
    buf[k] = '\0';
}

static void words(FILE *out, const mr_cli_cmd *cmds, size_t n, int with_help)
{
    for (size_t i = 0; i < n; i++)
        if (!cmds[i].hidden)
            fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
    if (with_help)
        fputs(" help", out);
}

static void bash(FILE *out, const mr_cli_cmd *cmds, size_t n)
{
    fprintf(out, "# bash completion for mrsim %s (mrsim completion bash; made from its option "
                 "tables)\n",
            MR_VERSION);
    fputs("_mrsim() {\n"
          "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"",
          out);
    words(out, cmds, n, 1);
    fputs(" --help --version -V\" -- \"$cur\")); return\n    fi\n"
          "    case \"${COMP_WORDS[1]}\" in\n",
          out);
    fputs("    help) COMPREPLY=($(compgen -W \"", out);
    words(out, cmds, n, 0);
    fputs("\" -- \"$cur\")) ;;\n", out);
    for (size_t i = 0; i < n; i++) {
        const mr_cli_cmd *c = &cmds[i];
        if (c->hidden)
            continue;
        fprintf(out, "    %s)\n        case \"$prev\" in\n", c->name);
        for (const mr_cli_opt *o = c->opts; o && o->name; o++) {
            if (!o->arg)
                continue;
            fprintf(out, "            %s%s%c) ", o->name, o->short_name ? "|-" : "",
                    o->short_name ? o->short_name : ' ');
            if (o->values && strcmp(o->values, "@file") == 0)
                fputs("COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", out);
            else if (o->values && strcmp(o->values, "@dir") == 0)
                fputs("COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", out);
            else if (o->values)
                fprintf(out, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n",
                        o->values);
            else
                fputs("return ;;\n", out);
        }
        fputs("        esac\n        if [[ \"$cur\" == -* ]]; then\n"
              "            COMPREPLY=($(compgen -W \"--help",
              out);
        for (const mr_cli_opt *o = c->opts; o && o->name; o++) {
            fprintf(out, " %s", o->name);
            if (o->short_name)
                fprintf(out, " -%c", o->short_name);
        }
        fputs("\" -- \"$cur\"))\n        else\n", out);
        if (c->operands && c->operands[0] != '@')
            fprintf(out, "            COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))\n",
                    c->operands);
        else if (c->operands)
            fputs("            COMPREPLY=($(compgen -f -- \"$cur\"))\n", out);
        else
            fputs("            COMPREPLY=()\n", out);
        fputs("        fi ;;\n", out);
    }
    fputs("    esac\n}\ncomplete -o filenames -F _mrsim mrsim\n", out);
}

static void zsh(FILE *out, const mr_cli_cmd *cmds, size_t n)
{
    char h[256];
    fprintf(out, "#compdef mrsim\n# zsh completion for mrsim %s (mrsim completion zsh; made "
                 "from its option tables)\n_mrsim() {\n    local -a commands\n    commands=(\n",
            MR_VERSION);
    for (size_t i = 0; i < n; i++)
        if (!cmds[i].hidden) {
            plain(h, sizeof h, cmds[i].summary);
            fprintf(out, "        '%s:%s'\n", cmds[i].name, h);
        }
    fputs("        'help:the usage of a command'\n    )\n"
          "    if (( CURRENT == 2 )); then\n        _describe 'command' commands\n        return\n"
          "    fi\n    case $words[2] in\n",
          out);
    fputs("    help) _describe 'command' commands ;;\n", out);
    for (size_t i = 0; i < n; i++) {
        const mr_cli_cmd *c = &cmds[i];
        if (c->hidden)
            continue;
        fprintf(out, "    %s)\n        _arguments \\\n            '(-h --help)'{-h,--help}'[this "
                     "help]' \\\n",
                c->name);
        for (const mr_cli_opt *o = c->opts; o && o->name; o++) {
            plain(h, sizeof h, o->help);
            char action[160] = "";
            if (o->arg) {
                const char *act = !o->values                     ? " "
                                  : strcmp(o->values, "@file") == 0 ? "_files"
                                  : strcmp(o->values, "@dir") == 0  ? "_files -/"
                                                                    : NULL;
                if (act)
                    snprintf(action, sizeof action, ":%s:%s", o->arg, act);
                else
                    snprintf(action, sizeof action, ":%s:(%s)", o->arg, o->values);
            }
            /* --set and the like may repeat: no exclusion for them. */
            if (o->short_name)
                fprintf(out, "            '(-%c %s)'{-%c,%s}'[%s]%s' \\\n", o->short_name,
                        o->name, o->short_name, o->name, h, action);
            else
                fprintf(out, "            '*%s[%s]%s' \\\n", o->name, h, action);
        }
        if (c->operands && c->operands[0] != '@')
            fprintf(out, "            '1:what:(%s)' '*:file:_files'\n        ;;\n", c->operands);
        else if (c->operands)
            fputs("            '*:file:_files'\n        ;;\n", out);
        else
            fputs("            \n        ;;\n", out);
    }
    fputs("    esac\n}\n_mrsim \"$@\"\n", out);
}

static void fish(FILE *out, const mr_cli_cmd *cmds, size_t n)
{
    char h[256];
    fprintf(out, "# fish completion for mrsim %s (mrsim completion fish; made from its option "
                 "tables)\ncomplete -c mrsim -f\n",
            MR_VERSION);
    for (size_t i = 0; i < n; i++)
        if (!cmds[i].hidden) {
            plain(h, sizeof h, cmds[i].summary);
            fprintf(out, "complete -c mrsim -n __fish_use_subcommand -a %s -d '%s'\n",
                    cmds[i].name, h);
        }
    fputs("complete -c mrsim -n __fish_use_subcommand -a help -d 'a command usage'\n", out);
    fputs("complete -c mrsim -n '__fish_seen_subcommand_from help' -a '", out);
    words(out, cmds, n, 0);
    fputs("'\n", out);
    for (size_t i = 0; i < n; i++) {
        const mr_cli_cmd *c = &cmds[i];
        if (c->hidden)
            continue;
        if (c->operands && c->operands[0] == '@')
            fprintf(out, "complete -c mrsim -n '__fish_seen_subcommand_from %s' -F\n", c->name);
        else if (c->operands)
            fprintf(out, "complete -c mrsim -n '__fish_seen_subcommand_from %s' -a '%s'\n",
                    c->name, c->operands);
        for (const mr_cli_opt *o = c->opts; o && o->name; o++) {
            plain(h, sizeof h, o->help);
            fprintf(out, "complete -c mrsim -n '__fish_seen_subcommand_from %s' -l %s", c->name,
                    o->name + 2);
            if (o->short_name)
                fprintf(out, " -s %c", o->short_name);
            if (o->arg) {
                fputs(" -r", out);
                if (o->values && o->values[0] == '@')
                    fputs(" -F", out);
                else if (o->values)
                    fprintf(out, " -a '%s'", o->values);
            }
            fprintf(out, " -d '%s'\n", h);
        }
    }
}

/* Text for roff: a leading '.' or '\'' escaped, '\\' and '-' escaped. */
static void roff(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else if (*s == '\n') {
            fputc('\n', out);
            if (s[1] == '.' || s[1] == '\'')
                fputs("\\&", out);
        } else
            fputc(*s, out);
    }
}

/* Writes what a help function prints, through a memory stream. */
static void help_text(const mr_cli_cmd *c, FILE *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m == NULL)
        return;
    c->help(m);
    fclose(m);
    fputs(".nf\n", out);
    roff(out, buf);
    fputs(".fi\n", out);
    free(buf);
}

static void man(FILE *out, const mr_cli_cmd *cmds, size_t n)
{
    fprintf(out, ".\\\" mrsim.1: written by `mrsim man` from the command and option tables\n"
                 ".TH MRSIM 1 \"\" \"mrsim %s\" \"User Commands\"\n"
                 ".SH NAME\nmrsim \\- discrete\\-event simulation of multi\\-region cloud "
                 "architectures\n.SH SYNOPSIS\n.B mrsim\n.I COMMAND\n[\\fIoptions\\fR]\n.br\n"
                 ".B mrsim help\n[\\fICOMMAND\\fR] | \\fB\\-\\-help\\fR | \\fB\\-V\\fR, "
                 "\\fB\\-\\-version\\fR\n.SH DESCRIPTION\nmrsim simulates multi\\-region Azure "
                 "architectures (AKS clusters, Traffic Manager, Front Door, DNS, resolvers, "
                 "geo\\-replicated stores) under faults and reports availability, recovery "
                 "times, data loss and cost with confidence intervals.\nOptions take "
                 "\\fB\\-\\-opt=value\\fR or \\fB\\-\\-opt value\\fR, \\fB\\-n1\\fR or "
                 "\\fB\\-n 1\\fR; \\fB\\-\\fR is standard input (a scenario) or standard output "
                 "(a trace, an export).\n.SH COMMANDS\n",
            MR_VERSION);
    for (size_t i = 0; i < n; i++) {
        const mr_cli_cmd *c = &cmds[i];
        if (c->hidden)
            continue;
        fprintf(out, ".SS %s\n", c->name);
        roff(out, c->summary);
        fputs(".\n", out);
        help_text(c, out);
        for (const mr_cli_opt *o = c->opts; o && o->name; o++) {
            fputs(".TP\n", out);
            if (o->short_name)
                fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
            fputs("\\fB", out);
            roff(out, o->name);
            fputs("\\fR", out);
            if (o->arg) {
                fputs(" \\fI", out);
                roff(out, o->arg);
                fputs("\\fR", out);
            }
            fputc('\n', out);
            roff(out, o->help);
            fputc('\n', out);
        }
        if (c->examples) {
            fputs(".PP\nExamples:\n.nf\n", out);
            roff(out, c->examples);
            fputs(".fi\n", out);
        }
    }
    fputs(".SH EXIT STATUS\n0 success, 1 internal error, 2 usage error, 3 an SLO target missed "
          "(\\fB\\-\\-check\\-slo\\fR), 4 invalid scenario, 5 input or output failure, 130 "
          "interrupted.\n"
          ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set and not empty, no colour (unless "
          "\\fB\\-\\-color always\\fR).\n.TP\n.B COLUMNS\nthe width of compare's and sweep's "
          "tables without \\fB\\-\\-width\\fR.\n.TP\n.B MRSIM_PLOTS_DIR, "
          "MRSIM_SCENARIOS_DIR\nwhere the gnuplot scripts and the example scenarios are "
          "(\\fBmrsim \\-\\-version\\fR says).\n.TP\n.B MRSIM_GNUPLOT\nthe gnuplot to run.\n"
          ".SH FILES\n.TP\n.I PREFIX/share/mrsim/plots\nthe gnuplot scripts of \\fBmrsim "
          "plot\\fR.\n.TP\n.I PREFIX/share/mrsim/scenarios\nexample scenarios.\n"
          ".SH SEE ALSO\ndocs/cli.md, docs/scenario\\-format.md and docs/results.md in the "
          "source.\n",
          out);
}

int mr_cli_completion(const mr_cli_cmd *cmds, size_t n, int argc, char **argv)
{
    if (argc != 2)
        return mr_cli_usage_error("completion", "which shell? bash, zsh or fish");
    if (strcmp(argv[1], "bash") == 0)
        bash(stdout, cmds, n);
    else if (strcmp(argv[1], "zsh") == 0)
        zsh(stdout, cmds, n);
    else if (strcmp(argv[1], "fish") == 0)
        fish(stdout, cmds, n);
    else
        return mr_cli_usage_error("completion", "'%s' is not bash, zsh or fish", argv[1]);
    return MR_EXIT_OK;
}

int mr_cli_man(const mr_cli_cmd *cmds, size_t n, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return mr_cli_usage_error("man", "man takes no arguments");
    man(stdout, cmds, n);
    return MR_EXIT_OK;
}

int mr_cli_options(const mr_cli_cmd *cmds, size_t n, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return mr_cli_usage_error("options", "options takes no arguments");
    for (size_t i = 0; i < n; i++) {
        if (cmds[i].hidden)
            continue;
        printf("%s\n", cmds[i].name);
        for (const mr_cli_opt *o = cmds[i].opts; o && o->name; o++) {
            printf("%s %s", cmds[i].name, o->name);
            if (o->short_name)
                printf(" -%c", o->short_name);
            if (o->arg)
                printf(" =%s", o->arg);
            putchar('\n');
        }
    }
    return MR_EXIT_OK;
}
