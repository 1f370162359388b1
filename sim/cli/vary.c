/* sim/cli/vary.c: the values of a --vary argument, split. A file of its
 * own (no other dependency) so that the --set/--vary fuzzer
 * (tests/fuzz/fuzz_set.c) runs the very code `mrsim sweep` does. */
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "vary.h"

size_t mr_cli_split_values(const char *text, char ***out)
{
    size_t cap = 4, n = 0;
    char **v = mr_xmalloc(cap * sizeof *v);
    int depth = 0;
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0)
            depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            while (*start == ' ')
                start++;
            size_t len = (size_t)(p - start);
            while (len > 0 && start[len - 1] == ' ')
                len--;
            if (n == cap)
                v = mr_xrealloc(v, (cap *= 2) * sizeof *v);
            v[n] = mr_xmalloc(len + 1);
            memcpy(v[n], start, len);
            v[n][len] = '\0';
            n++;
            start = p + 1;
        }
        if (*p == '\0')
            break;
    }
    *out = v;
    return n;
}
