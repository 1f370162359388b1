#!/usr/bin/env bash
# tools/check-layering.sh: the layering rules of docs/development.md
# ("Layers"), checked where the compiler cannot check them.
#
#   tools/check-layering.sh [--src DIR] [--build DIR]
#
# From the sources (--src, default: the repository):
#   1. no #include "../...": a file reaches another layer only through the
#      include paths its CMake target is given;
#   2. include/mrsim/ (the kernel and model API) includes only itself;
#   3. a model (models/) includes only include/mrsim/ and models/, and no
#      library a model has no business with (SQLite, libyaml, curses, MPI,
#      threads);
#   4. each layer of the program includes only the layers below it:
#      kernel (sim/*.c) < config, runner < run < out < cli.
# From the objects of a build (--build; skipped without it):
#   5. no circle between files: file A calling into file B which calls back
#      into A, directly or around a longer loop (nm's symbols, tsort's loop
#      detection);
#   6. calls between layers go down the same order as rule 4, and nothing
#      outside models/ calls a model but through the registry.
# Prints one line per violation, naming the file, and exits 1 if there is
# any; exits 0 silently otherwise. Needs only bash, awk, nm and tsort.
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
build=""
while [ $# -gt 0 ]; do
    case "$1" in
    --src) src=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--src DIR] [--build DIR]" >&2; exit 2 ;;
    esac
done
cd "$src" || exit 2

fail=0
# The layer of each source path (relative to the repository), "" for files
# no rule covers (tests, tools), and the layers each layer may use (include
# or call), itself included. Shared by the awk programs below.
layers_awk='
function layer_of(p) {
    if (p ~ /^include\/mrsim\//) return "api"
    if (p ~ /^models\//) return "models"
    if (p ~ /^sim\/config\//) return "config"
    if (p ~ /^sim\/run\/(replicate\.c|aggregate\.c|mpi\.c|runner\.h|mpi_sync\.h)$/) return "runner"
    if (p ~ /^sim\/run\//) return "run"
    if (p ~ /^sim\/out\//) return "out"
    if (p ~ /^sim\/tui\//) return "tui"
    if (p ~ /^sim\/cli\//) return "cli"
    if (p ~ /^sim\/[^\/]+\//) return "unknown"
    if (p ~ /^sim\//) return "kernel"
    if (p ~ /^bench\//) return "bench"
    return ""
}
function allowed(l) {
    if (l == "api") return " api "
    if (l == "kernel") return " api kernel "
    if (l == "models") return " api kernel models "
    if (l == "config") return " api kernel config "
    if (l == "runner") return " api kernel runner "
    if (l == "run") return " api kernel models config runner run "
    if (l == "out") return " api kernel config runner run out "
    if (l == "tui") return " api kernel config runner run out tui "
    if (l == "cli") return " api kernel models config runner run out tui cli bench "
    if (l == "bench") return " api kernel models bench "
    return ""
}
'

files=$(git ls-files --cached --others --exclude-standard 'include/*.h' 'include/*.in' 'sim/*.c' 'sim/*.h' 'models/*.c' 'models/*.h' \
    'models/*.def' 'bench/*.c' 'bench/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null || true)
if [ -z "$files" ]; then
    files=$(find include sim models bench tests -name '*.[ch]' -o -name '*.def' -o -name '*.in' 2>/dev/null)
fi

# Rules 1 to 4: every #include line, "FILE:LINE:TEXT", in one awk pass. A
# quoted include resolves in the includer's folder first, then in the
# include roots (include/, sim/, models/, bench/).
if ! { printf '%s\n' $files | sed 's/^/=FILE=/'; grep -Hn '^[[:space:]]*#[[:space:]]*include' $files; } |
    awk "$layers_awk"'
    /^=FILE=/ { have[substr($0, 7)] = 1; next }
    {
        f = $0; sub(/:.*/, "", f)
        rest = substr($0, length(f) + 2); line = rest; sub(/:.*/, "", line)
        text = substr(rest, length(line) + 2)
        layer = layer_of(f)
        if (match(text, /"[^"]+"/)) {
            name = substr(text, RSTART + 1, RLENGTH - 2)
            if (name ~ /^\.\.\//) {
                printf "check-layering: %s:%s: #include \"%s\": reach other layers through the include paths, never \"../\"\n", f, line, name
                bad = 1; next
            }
            if (layer == "") next
            dir = f; sub(/\/[^\/]*$/, "", dir)
            target = ""
            n = split(dir "/" name " include/" name " sim/" name " models/" name " bench/" name, cand, " ")
            for (i = 1; i <= n && target == ""; i++) if (cand[i] in have) target = cand[i]
            if (target == "" && name == "mrsim/config.h") target = "include/mrsim/config.h.in"
            if (target == "") {
                printf "check-layering: %s:%s: #include \"%s\": no such header in its folder or an include root\n", f, line, name
                bad = 1; next
            }
            tl = layer_of(target)
            # The headers of models/ are theirs alone: the program reaches
            # models through include/mrsim/ (the registry, the interface).
            if (index(allowed(layer), " " tl " ") == 0 || (tl == "models" && layer != "models" && layer != "bench")) {
                printf "check-layering: %s:%s: #include \"%s\": a %s file may not include a %s header (%s)\n", f, line, name, layer, tl, target
                bad = 1
            }
        } else if (layer == "models" && match(text, /<(sqlite3\.h|yaml\.h|n?curses[a-z\/]*\.h|mpi\.h|pthread\.h)>/)) {
            printf "check-layering: %s:%s: #include %s: a model writes no database, reads no YAML, draws no screen and starts no thread\n", f, line, substr(text, RSTART, RLENGTH)
            bad = 1
        }
    }
    END { exit bad }'; then
    fail=1
fi

# Rules 5 and 6 need the objects of a build.
if [ -n "$build" ]; then
    objs=$(find "$build/CMakeFiles" -path '*/tests/*' -prune -o -name '*.c.o' -print 2>/dev/null | sort)
    if [ -z "$objs" ]; then
        echo "check-layering: no object files under $build/CMakeFiles (build first)" >&2
        exit 2
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # Each object's source path: CMakeFiles/<target>.dir/<source>.o.
    for o in $objs; do
        s=${o#*/CMakeFiles/*.dir/}
        s=${s%.o}
        case "$s" in tests/* | */CompilerId*) continue ;; esac
        nm --defined-only "$o" 2>/dev/null | awk -v s="$s" '$2 ~ /^[TDRBCGS]$/ {print $3, s}' >>"$tmp/def"
        nm -u "$o" 2>/dev/null | awk -v s="$s" '{print $NF, s}' >>"$tmp/und"
    done
    sort -u "$tmp/def" >"$tmp/def.s"
    sort -u "$tmp/und" >"$tmp/und.s"
    # A symbol defined in two objects (two programs' main) is ambiguous: skip it.
    awk '{n[$1]++} END {for (k in n) if (n[k] > 1) print k}' "$tmp/def.s" | sort >"$tmp/dup"
    join -v1 "$tmp/def.s" "$tmp/dup" >"$tmp/def.u"
    # user used-file symbol
    join "$tmp/und.s" "$tmp/def.u" | awk '$2 != $3 {print $2, $3, $1}' | sort -u >"$tmp/edges"
    # Rule 5: tsort reports every loop of the file graph.
    awk '{print $1, $2}' "$tmp/edges" | sort -u | tsort >/dev/null 2>"$tmp/loops"
    if [ -s "$tmp/loops" ]; then
        awk '/input contains a loop/ {if (n) print "check-layering: files call each other in a circle:" cyc; cyc=""; n=1; next}
             {sub(/^tsort: /, ""); cyc = cyc " " $0}
             END {if (n) print "check-layering: files call each other in a circle:" cyc}' "$tmp/loops"
        fail=1
    fi
    # Rule 6.
    if ! awk "$layers_awk"'
        {
            ul = layer_of($1); tl = layer_of($2)
            if (ul == "" || tl == "") next
            # Outside models/, only the registry of include/mrsim/model.h.
            if (tl == "models" && ul != "models" && ul != "bench" && $3 !~ /^mr_model_/) {
                printf "check-layering: %s calls %s of %s: outside models/, only the registry (mr_model_*) is callable\n", $1, $3, $2
                bad = 1; next
            }
            if (index(allowed(ul), " " tl " ")) next
            printf "check-layering: %s calls %s of %s: a %s file may not call into the %s layer\n", $1, $3, $2, ul, tl
            bad = 1
        }
        END { exit bad }' "$tmp/edges"; then
        fail=1
    fi
fi

exit $fail
