#!/usr/bin/env bash
# bench/tui-speed.sh MRSIM SCENARIO: `mrsim run -n 1 --jobs 1`'s wall_s (the JSON's:
# the replication, not loading) against the TUI's "ran X s" at max
# (its header at the end: wall time from space to the end of the run).
m=$1; sc=$2
run=$("$m" run "$sc" -n 1 --jobs 1 -q --seed 7 --json 2>/dev/null | sed -n 's/.*"wall_s": \([0-9.e-]*\).*/\1/p' | head -1)
S=mt$$
tmux -L $S new-session -d -x 100 -y 30 "env TERM=xterm-256color $m tui $sc --seed 7; sleep 60"
for i in $(seq 100); do tmux -L $S capture-pane -p | grep -q Topology && break; sleep 0.1; done
tmux -L $S send-keys + +; sleep 0.3
tmux -L $S send-keys Space
while ! tmux -L $S capture-pane -p | grep -q "ran [0-9.]* s"; do sleep 0.05; done
tui=$(tmux -L $S capture-pane -p | sed -n 's/.*ran \([0-9.]*\) s.*/\1/p')
tmux -L $S kill-server
awk -v r="$run" -v t="$tui" -v n="$(basename $sc)" 'BEGIN { printf "%s: run %.3f s, tui %.3f s, tui speed %.0f%% of run\n", n, r, t, 100 * r / t }'
