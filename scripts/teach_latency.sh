#!/bin/bash
# Per-stroke latency of the app (its own --debug figure) while the menu's Teach
# runs, and the same strokes without teaching, for comparison on the same machine.
# Usage: scripts/teach_latency.sh SAMPLES_DIR MNIST_DIR [WEIGHTS]
# SAMPLES_DIR: a samples folder (digits samples add ...); the app teaches from it.
set -eu
samples=$1; data=$2; weights=${3:-}
bin=${DIGITS_BIN:-$(dirname "$0")/../.build/release/digits}
sock=teach-latency-$$
run() {   # $1 = teach|plain
  tmux -L $sock kill-server 2>/dev/null || true
  tmux -L $sock new-session -d -x 120 -y 40 "TERM=xterm-256color '$bin' draw --debug --samples '$samples' --data '$data' ${weights:+--weights '$weights'} 2>/tmp/$sock.err; sleep 30"
  sleep 2
  [ "$1" = teach ] && { tmux -L $sock send-keys F7; sleep 1; }
  for round in 1 2 3; do
    for s in 0 1 2 3 4 5; do
      tmux -L $sock send-keys c
      y0=$((4 + s * 3))
      tmux -L $sock send-keys -l $'\e[<0;10;'$((3 + y0))'M'
      for i in $(seq 0 29); do tmux -L $sock send-keys -l $'\e[<32;'$((2 + (4 + i * 20 / 30) * 2))';'$((3 + y0 + i / 4))'M'; done
      tmux -L $sock send-keys -l $'\e[<0;50;'$((3 + y0 + 7))'m'
      sleep 0.3
    done
  done
  still=$(tmux -L $sock capture-pane -p | grep -c "teaching" || true)
  tmux -L $sock send-keys q; sleep 1
  [ "$1" = teach ] && tmux -L $sock send-keys q && sleep 1   # the quit question while teaching runs
  echo "$1: $(cat /tmp/$sock.err | tr -d '\r' | grep -o 'per-stroke latency.*' || echo 'no figure') (teaching still on screen at the end: $still)"
  tmux -L $sock kill-server 2>/dev/null || true
}
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
run teach
run plain
