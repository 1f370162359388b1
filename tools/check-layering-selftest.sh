#!/usr/bin/env bash
# tools/check-layering-selftest.sh: shows that tools/check-layering.sh
# fails on each kind of violation it is there to catch, naming the file,
# and passes a clean tree. Each case is a small tree made in a temporary
# folder (sources, and for the circle two compiled objects laid out as a
# CMake build lays them out), so the real tree is never touched.
#   (1) a model including a program header (the run layer's);
#   (2) any #include "../...";
#   (3) two files calling each other (a circle, found from the objects);
#   (4) a clean tree: no complaint.
# Exits 0 when every case behaves, 1 (with what went wrong) otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
check="$here/check-layering.sh"
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A minimal tree: the API, a model, a run-layer header.
make_tree() {
    local t=$1
    mkdir -p "$t/include/mrsim" "$t/models" "$t/sim/run"
    printf '#ifndef MRSIM_X_H\n#define MRSIM_X_H\nint mr_x(void);\n#endif\n' >"$t/include/mrsim/x.h"
    printf '#include "mrsim/x.h"\nint m(void);\nint m(void) { return 1; }\n' >"$t/models/m.c"
    printf 'int run_build(void);\n' >"$t/sim/run/build.h"
}

# expect NAME WANT: the checker on tree $tmp/NAME must fail and say WANT.
expect() {
    local name=$1 want=$2 out
    out=$("$check" --src "$tmp/$name" "${@:3}" 2>&1)
    local rc=$?
    if [ $rc -eq 0 ]; then
        echo "selftest: $name: the checker passed a tree it must refuse"
        fail=1
    elif ! grep -qF -- "$want" <<<"$out"; then
        echo "selftest: $name: expected \"$want\" in:"
        echo "$out"
        fail=1
    fi
}

make_tree "$tmp/model-includes-program"
printf '#include "run/build.h"\nint bad(void);\nint bad(void) { return 0; }\n' \
    >"$tmp/model-includes-program/models/bad.c"
expect model-includes-program \
    'models/bad.c:1: #include "run/build.h": a models file may not include a run header'

make_tree "$tmp/dotdot"
printf '#include "../sim/run/build.h"\nint bad(void);\nint bad(void) { return 0; }\n' \
    >"$tmp/dotdot/models/bad.c"
expect dotdot 'models/bad.c:1: #include "../sim/run/build.h": reach other layers through the include paths'

make_tree "$tmp/circle"
mkdir -p "$tmp/circle/build/CMakeFiles/mrsim_models.dir/models"
printf 'int b(void);\nint a(int n);\nint a(int n) { return n ? b() : 0; }\n' >"$tmp/circle/models/a.c"
printf 'int a(int n);\nint b(void);\nint b(void) { return a(0); }\n' >"$tmp/circle/models/b.c"
for f in a b; do
    "$cc" -c "$tmp/circle/models/$f.c" -o "$tmp/circle/build/CMakeFiles/mrsim_models.dir/models/$f.c.o" || fail=1
done
expect circle 'files call each other in a circle: models/' --build "$tmp/circle/build"

make_tree "$tmp/clean"
if ! out=$("$check" --src "$tmp/clean" 2>&1); then
    echo "selftest: clean: the checker refused a clean tree:"
    echo "$out"
    fail=1
fi

exit $fail
