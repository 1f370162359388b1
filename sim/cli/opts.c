/* sim/cli/opts.c: the conventions every command's options follow, read
 * from the command's option table (cli.h): "--opt=value" as "--opt value",
 * "-n1" as "-n 1", a usage error with the closest option for an unknown
 * one (the edit distance of the scenario keys' hints, sim/config/hint.c),
 * and the options section of --help. Commands then parse one form only. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/units.h"
#include "mrsim/alloc.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = mr_xcalloc(n + 1, 1);
    memcpy(d, s, n);
    return d;
}

static const mr_cli_opt help_opt = {"--help", 'h', NULL, "this help", NULL};

static const mr_cli_opt *find_long(const mr_cli_cmd *cmd, const char *name, size_t len)
{
    if (strlen(help_opt.name) == len && strncmp(help_opt.name, name, len) == 0)
        return &help_opt;
    for (const mr_cli_opt *o = cmd->opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static const mr_cli_opt *find_short(const mr_cli_cmd *cmd, char c)
{
    if (c == 'h')
        return &help_opt;
    for (const mr_cli_opt *o = cmd->opts; o && o->name; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

/* "unknown option 'X'" with the closest long option as a hint. */
static int unknown(const mr_cli_cmd *cmd, const char *a, size_t len)
{
    size_t n = 0;
    for (const mr_cli_opt *o = cmd->opts; o && o->name; o++)
        n++;
    const char **names = mr_xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = cmd->opts[i].name;
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int)len, a);
    /* "-replications" and "replications" are the same typo of a long option. */
    char dashed[132];
    snprintf(dashed, sizeof dashed, "%s%s", word[1] == '-' ? "" : "-", word);
    /* A one-letter option is too short for a distance to mean anything. */
    int best = strlen(word) > 2 ? mr_closest(dashed, names, n) : -1;
    int rc;
    if (best >= 0)
        rc = mr_cli_usage_error(cmd->name, "unknown option '%s' (did you mean '%s'?)", word,
                                names[best]);
    else
        rc = mr_cli_usage_error(cmd->name, "unknown option '%s'", word);
    free(names);
    return rc;
}

int mr_cli_normalize(const mr_cli_cmd *cmd, int argc, char **argv, int *out_argc,
                     char ***out_argv)
{
    /* At most one split per argument: 2 * argc entries are enough. */
    char **v = mr_xcalloc(2 * (size_t)argc + 1, sizeof *v);
    int n = 0;
    v[n++] = mr_xstrdup(argv[0]);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') { /* an operand, or "-" */
            v[n++] = mr_xstrdup(a);
            continue;
        }
        const mr_cli_opt *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a) : strlen(a);
            if (!(o = find_long(cmd, a, len))) {
                mr_cli_normalized_free(n, v);
                return unknown(cmd, a, len);
            }
            if (eq && !o->arg) {
                mr_cli_normalized_free(n, v);
                return mr_cli_usage_error(cmd->name, "option %s takes no value, got '%s'",
                                          o->name, eq + 1);
            }
            value = eq ? eq + 1 : NULL;
        } else {
            if (!(o = find_short(cmd, a[1]))) {
                mr_cli_normalized_free(n, v);
                return unknown(cmd, a, strlen(a));
            }
            if (a[2] != '\0') {
                if (!o->arg) {
                    mr_cli_normalized_free(n, v);
                    return mr_cli_usage_error(cmd->name,
                                              "option -%c takes no value, got '%s' (one "
                                              "flag per argument)",
                                              o->short_name, a);
                }
                value = a + 2 + (a[2] == '='); /* -n1 and -n=1 */
            }
        }
        /* The long form for a long option, the short one as typed: a
         * command's parser accepts both (and its messages name what the
         * user wrote). */
        v[n++] = dup_n(a, a[1] == '-' ? strlen(o->name) : 2);
        if (value) {
            v[n++] = mr_xstrdup(value);
        } else if (o->arg && i + 1 < argc) {
            v[n++] = mr_xstrdup(argv[++i]); /* the value, whatever it looks like: -5 */
        }
    }
    *out_argc = n;
    *out_argv = v;
    return MR_EXIT_OK;
}

void mr_cli_normalized_free(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

void mr_cli_command_help(const mr_cli_cmd *cmd, FILE *out)
{
    cmd->help(out);
    if (cmd->opts && cmd->opts[0].name) {
        fputs("\noptions:\n", out);
        for (const mr_cli_opt *o = cmd->opts; o->name; o++) {
            char lhs[64];
            snprintf(lhs, sizeof lhs, "%s%c%s%s%s%s", o->short_name ? "-" : " ",
                     o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
            const char *h = o->help;
            /* Each line of the help under the first, aligned. */
            for (int first = 1; h; first = 0) {
                const char *nl = strchr(h, '\n');
                int len = nl ? (int)(nl - h) : (int)strlen(h);
                if (first && (int)strlen(lhs) > 22)
                    fprintf(out, "  %s\n  %-22s  %.*s\n", lhs, "", len, h);
                else
                    fprintf(out, "  %-22s  %.*s\n", first ? lhs : "", len, h);
                h = nl ? nl + 1 : NULL;
            }
        }
    }
    if (cmd->examples) {
        fprintf(out, "\nexample%s:\n", strchr(cmd->examples, '\n') !=
                                               strrchr(cmd->examples, '\n') ? "s" : "");
        for (const char *e = cmd->examples; *e;) {
            const char *nl = strchr(e, '\n');
            int len = nl ? (int)(nl - e) : (int)strlen(e);
            fprintf(out, "  %.*s\n", len, e);
            e += len + (nl != NULL);
        }
    }
}
