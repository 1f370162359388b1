#!/usr/bin/env bash
# tools/regen-keys.sh BUILD: rewrites the "Keys" section of
# docs/scenario-format.md from `mrsim validate --keys` (every key table:
# the program's sections and every registered kind's), so the reference
# cannot drift from what the binder enforces (tests/e2e/test_validate.c
# checks it). Run after adding or changing a key.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
doc=docs/scenario-format.md
keys=$("$build/mrsim" validate --keys)
head=$(awk '/^## Keys$/ {print; exit} {print}' "$doc")
intro=$(awk 'f && /^### / {exit} f {print} /^## Keys$/ {f=1}' "$doc")
tail=$(awk 'f && /^## / {p=1} p {print} /^## Keys$/ {f=1}' "$doc")
{
    printf '%s\n' "$head"
    printf '%s' "$intro"
    printf '%s\n' "$keys"
    if [ -n "$tail" ]; then printf '\n%s\n' "$tail"; fi
} >"$doc.tmp"
mv "$doc.tmp" "$doc"
