#!/bin/sh
# tests/e2e/readme.sh MRSIM SOURCE_DIR: what README.md tells a newcomer holds.
# Its first scenario validates and its comparison prints the verdict the
# README quotes; every file it links or cites is in the repository. A README
# that drifts from the program fails here, not in a newcomer's first hour.
set -u
mrsim=$1; src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "readme: $*" >&2; fail=1; }

# The first ```yaml block is "Your first scenario".
awk '/^```yaml/{f=1;next} /^```/{if(f)exit} f' "$src/README.md" > "$tmp/my.yaml"
[ -s "$tmp/my.yaml" ] || say "no yaml block"
out=$("$mrsim" validate "$tmp/my.yaml" 2>&1); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] || say "validate my.yaml: exit $rc: $out"

# The verdict the README prints beside `compare my.yaml`.
claim=$(sed -n 's/.*mrsim compare my.yaml *# [^:]*: \(.*\)$/\1/p' "$src/README.md")
[ -n "$claim" ] || say "no claimed verdict beside 'compare my.yaml'"
who=${claim%% *}; rest=${claim#* }; factor=${rest%% *}; metric=${claim##* }
"$mrsim" compare "$tmp/my.yaml" -q > "$tmp/cmp.txt" 2>&1 || say "compare my.yaml failed"
grep -Eq "^  $metric +$who $factor better than " "$tmp/cmp.txt" \
  || say "compare my.yaml does not say '$claim':$(grep better "$tmp/cmp.txt")"

# Every relative link and every scenarios/*.yaml it names exists.
for f in $(grep -o '](\([^)#]*\))' "$src/README.md" | sed 's/^](\(.*\))$/\1/' | grep -v '://' | sort -u) \
         $(grep -o 'scenarios/[a-z0-9-]*\.yaml' "$src/README.md" | sort -u); do
  [ -e "$src/$f" ] || say "README cites $f, which is not in the repository"
done
exit $fail
