#!/usr/bin/env bash
# tools/readme-figure.sh [BUILD]: redraws the figure the README shows, the
# timeline of scenarios/compare-topologies.yaml (20 replications a variant),
# with mrsim itself: compare into a temporary database, then plot. Run it
# after a change that moves the comparison's numbers, and commit the PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/mrsim" compare scenarios/compare-topologies.yaml -q --db "$tmp/ct.db" >/dev/null
"$build/mrsim" plot "$tmp/ct.db" --out "$tmp/fig" --only timeline >/dev/null
mkdir -p docs/img
cp "$tmp/fig/timeline.png" docs/img/compare-topologies-timeline.png
echo "docs/img/compare-topologies-timeline.png"
