#!/usr/bin/env bash
# tools/fuzz.sh BUILD SECONDS: runs each libFuzzer harness of tests/fuzz for
# SECONDS (make fuzz; docs/development.md "Fuzzing"), niced, from a corpus
# in BUILD/corpus/NAME seeded by the reference scenarios and the fixtures
# (fuzz_scenario) or by tests/fuzz/seeds/set (fuzz_set), then replays the
# crashes kept as fixtures (tests/fuzz/crashes/NAME/). A finding is written
# to BUILD/artifacts/ and fails the script: reduce it, fix the bug, and add
# the input under tests/fuzz/crashes/NAME/.
set -euo pipefail
build=${1:?usage: tools/fuzz.sh BUILD SECONDS}
seconds=${2:?usage: tools/fuzz.sh BUILD SECONDS}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/artifacts"
build=$(cd "$build" && pwd)
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for name in fuzz_scenario fuzz_set; do
  corpus=$build/corpus/$name
  mkdir -p "$corpus"
  if [ "$name" = fuzz_scenario ]; then
    find "$src/scenarios" "$src/tests/fixtures" -name '*.yaml' -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  else
    cp -n "$src"/tests/fuzz/seeds/set/* "$corpus/" 2>/dev/null || true
  fi
  crashes=$src/tests/fuzz/crashes/$name
  if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
    echo "fuzz: $name: replaying $(ls "$crashes" | wc -l) kept crashes"
    "$build/tests/fuzz/$name" -runs=0 "$crashes"/* || status=1
  fi
  echo "fuzz: $name for ${seconds}s"
  # From the corpus's directory: extends: in a seed is relative to it.
  # Stdin is /dev/null: an input that extends /dev/stdin must not wait on
  # a pipe of CI's.
  (cd "$corpus" && nice -n 19 "$build/tests/fuzz/$name" -max_total_time="$seconds" \
     -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
     -artifact_prefix="$build/artifacts/$name-" "$corpus" </dev/null) || status=1
done
exit $status
