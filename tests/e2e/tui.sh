#!/usr/bin/env bash
# tests/e2e/tui.sh: `mrsim tui` end to end in a real terminal (tmux), the
# flow of issue 16: start it on active-passive-tm (seed 7) in a detached
# session of WxH; find the regions, clusters and Traffic Manager endpoints;
# with West Europe selected inject a region outage until repaired; speed to
# max and run; at the end find the primary endpoint Degraded and the traffic
# on North Europe; write the session; quit; the terminal restored and exit
# status 0; then `mrsim run` of the written file with the same seed gives the
# RTO the metrics panel showed: the panel prints it in the run table's human
# units (sim/out/human.c: "20m 25s", "4.91 s", "95.8 ms"), so the JSON's
# rto_s (10 significant digits) is formatted here by the same rules
# (hu_duration below, a transcription of mr_hu_duration) and must read the
# same; an RTO off by more than the last digit shown fails.
#
#   tests/e2e/tui.sh MRSIM SOURCE_DIR [WxH] [nocolor]
#   tests/e2e/tui.sh MRSIM SOURCE_DIR notty     (not a terminal: exit 2)
#   tests/e2e/tui.sh MRSIM SOURCE_DIR invalid   (a bad file: exit 4, its error)
# Exits 0 on success, 1 with the reason and the last pane on failure, 77
# (ctest's SKIP_RETURN_CODE) when tmux is missing.
set -u
mrsim=$1
src=$2
size=${3:-100x30}
nocolor=${4:-}
dir=$(mktemp -d)
sock=mrsim-tui-$$
T() { tmux -L "$sock" "$@"; }
cleanup() {
    T kill-server 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
fail() {
    echo "tui.sh ($size${nocolor:+, NO_COLOR}): FAIL: $*" >&2
    [ -n "${pane:-}" ] && printf '%s\n' "--- pane ---" "$pane" >&2
    exit 1
}

if [ "$size" = notty ]; then
    "$mrsim" tui "$src/scenarios/active-passive-tm.yaml" >"$dir/out.txt" 2>"$dir/err.txt"
    st=$?
    [ $st -eq 2 ] || fail "not a terminal: exit $st, not 2"
    grep -q "standard output is not a terminal" "$dir/err.txt" || fail "no message: $(cat "$dir/err.txt")"
    exit 0
fi

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped" >&2; exit 77; }

if [ "$size" = invalid ]; then
    # In a terminal, an invalid scenario: validate's located error, exit 4,
    # and no screen ever opened (the error is still on the terminal).
    printf 'version: mrsim/v1\nregions: [{name: a, zones: 3}]\nclusters: 7\n' >"$dir/bad.yaml"
    T new-session -d -x 100 -y 30 \
        "cd '$dir' && '$mrsim' tui bad.yaml; echo \$? > status; sleep 600"
    i=0
    while [ ! -s "$dir/status" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    pane=$(T capture-pane -p)
    [ "$(cat "$dir/status" 2>/dev/null)" = 4 ] || fail "invalid scenario: exit $(cat "$dir/status" 2>/dev/null), not 4"
    printf '%s\n' "$pane" | grep -q "^bad.yaml:3:11: error: " || fail "no located error"
    exit 0
fi
w=${size%x*}
h=${size#*x}
envs="TERM=xterm-256color"
[ -n "$nocolor" ] && envs="$envs NO_COLOR=1"

# Waits up to $2 seconds (default 30) for the pane to show $1 (a grep -E
# pattern); leaves the pane's text in $pane.
wait_for() {
    local limit=${2:-30} i=0
    while [ $i -lt $((limit * 10)) ]; do
        pane=$(T capture-pane -p 2>/dev/null)
        if printf '%s\n' "$pane" | grep -Eq -- "$1"; then return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "waited ${limit}s for '$1'"
}

T new-session -d -x "$w" -y "$h" \
    "cd '$dir' && env $envs '$mrsim' tui '$src/scenarios/active-passive-tm.yaml' --seed 7; echo \$? > status; sleep 600"
wait_for "Topology"
for want in "westeurope \(3 zones\)  up" "northeurope \(3 zones\)  up" "aks-weu +up" \
    "aks-neu +up" "endpoint aks-weu +Online" "endpoint aks-neu +Online" "^>westeurope"; do
    printf '%s\n' "$pane" | grep -Eq -- "$want" || fail "the topology has no '$want'"
done
[ "$(T display -p '#{alternate_on}')" = 1 ] || fail "the screen is not on the alternate screen"

# West Europe is selected (the first component): f, region_outage (the
# first kind), until repaired (up from the first duration wraps to it).
T send-keys f
wait_for "Inject on westeurope"
printf '%s\n' "$pane" | grep -q "> region_outage" || fail "region_outage is not the first kind"
T send-keys Enter
wait_for "For how long"
T send-keys Up
wait_for "> until repaired"
T send-keys Enter
wait_for "injected tui-1: region_outage westeurope"
# Speed to max (x60 -> x600 -> max) and run to the end.
T send-keys + +
T send-keys Space
wait_for "ENDED" 240
printf '%s\n' "$pane" | grep -Eq "endpoint aks-weu +Degraded" || fail "the primary endpoint is not Degraded"
printf '%s\n' "$pane" | grep -Eq "westeurope \(3 zones\)  DOWN" || fail "West Europe is not DOWN"
neu=$(printf '%s\n' "$pane" | sed -n 's/.*aks-neu .* \([0-9][0-9]*\)\/s.*/\1/p' | head -1)
[ -n "$neu" ] && [ "$neu" -gt 1000 ] || fail "no traffic on North Europe (aks-neu: '${neu}' requests/s)"
weu=$(printf '%s\n' "$pane" | sed -n 's/.*aks-weu .* \([0-9][0-9]*\)\/s.*/\1/p' | head -1)
[ -n "$weu" ] && [ "$weu" -lt 50 ] || fail "West Europe still takes traffic ('${weu}' requests/s)"
rto=$(printf '%s\n' "$pane" | sed -n 's/.*| rto  *\(>=\)\{0,1\}\([0-9][0-9hdms. ]*[0-9]\(s\| s\| ms\|m\|h\)\).*/\2/p' | head -1)
[ -n "$rto" ] || fail "no rto_s in the metrics panel"

T send-keys w
wait_for "Write the session to"
T send-keys Enter
wait_for "wrote active-passive-tm-session.yaml"
T send-keys q
i=0
while [ ! -s "$dir/status" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$dir/status" ] || { pane=$(T capture-pane -p); fail "mrsim tui did not quit"; }
st=$(cat "$dir/status")
[ "$st" = 0 ] || fail "exit status $st"
pane=$(T capture-pane -p)
[ "$(T display -p '#{alternate_on}')" = 0 ] || fail "the terminal was not restored (alternate screen on)"
printf '%s\n' "$pane" | grep -q "Topology" && fail "the screen was left on the terminal"
printf '%s\n' "$pane" | grep -q "session written to active-passive-tm-session.yaml" ||
    fail "no word of the written session after quitting"

[ -s "$dir/active-passive-tm-session.yaml" ] || fail "no session file"
json=$(cd "$dir" && "$mrsim" run active-passive-tm-session.yaml --seed 7 -n 1 --json -q 2>/dev/null) ||
    fail "mrsim run of the session failed"
run_rto=$(printf '%s\n' "$json" | sed -n 's/.*"rto_s": {"mean": \([-0-9.e+]*\),.*/\1/p' | head -1)
# mr_hu_duration for 0 <= x < 100 days: ms below 1 s, three significant
# digits below a minute, then "Mm SSs", "Hh MMm", "Dd HHh"; a rounding
# that reaches the next unit carries.
run_rto=$(awk -v x="$run_rto" '
function dec(v, sig,   l, f, d) { l = log(v) / log(10) + 1e-12; f = int(l); if (l < 0 && f != l) f--; d = sig - 1 - f; return d < 0 ? 0 : d > 2 ? 2 : d }
BEGIN {
    if (x == 0) { print "0 s"; exit }
    if (x < 1) { ms = x * 1000; d = dec(ms, 3); r = sprintf("%.*f", d, ms); if (r + 0 < 1000) { print r " ms"; exit } x = 1 }
    if (x < 60) { d = dec(x, 3); r = sprintf("%.*f", d, x); if (r + 0 < 60) { print r " s"; exit } x = 60 }
    if (x < 3600) { t = sprintf("%.0f", x) + 0; if (t < 3600) { printf "%dm %02ds\n", int(t / 60), t % 60; exit } x = 3600 }
    if (x < 86400) { m = sprintf("%.0f", x / 60) + 0; if (m < 1440) { printf "%dh %02dm\n", int(m / 60), m % 60; exit } x = 86400 }
    h = sprintf("%.0f", x / 3600) + 0; printf "%dd %02dh\n", int(h / 24), h % 24
}')
[ "$run_rto" = "$rto" ] || fail "mrsim run of the session: rto_s $run_rto, the TUI showed $rto"
echo "tui.sh ($size${nocolor:+, NO_COLOR}): ok, rto_s $rto"
exit 0
