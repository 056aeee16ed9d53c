#!/usr/bin/env bash
# Instruction counts of a fixed piece of training under valgrind's callgrind:
# unlike seconds, they repeat to the last digit whatever else the machine is
# doing, so a change to the engine can be judged before and after on one number.
#
#   scripts/profile.sh [MODEL] [IMAGES] [THREADS]      (default: seed004 640 1)
#
# Prints the total and the functions with the most instructions of their own.
# Raw output: .build/profile/<model>-<images>-<threads>.out (open it with
# callgrind_annotate or kcachegrind).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-seed004}; IMAGES=${2:-640}; THREADS=${3:-1}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 1; }
swift build -c release --product digits 2>&1 | grep -E "error|Compiling" || true
mkdir -p .build/profile
out=.build/profile/$MODEL-$IMAGES-$THREADS.out
# OpenBLAS picks its kernels from the CPU it sees; valgrind shows it the same
# CPU every time, so the counts are comparable between runs on one machine.
valgrind --tool=callgrind --callgrind-out-file="$out" \
  .build/release/digits bench --model "$MODEL" --training-only --images "$IMAGES" --threads "$THREADS" 2>/dev/null
report=.build/profile/$MODEL-$IMAGES-$THREADS.txt
callgrind_annotate --threshold=95 "$out" > "$report" 2>/dev/null
total=$(grep -m1 "PROGRAM TOTALS" "$report" | grep -oE "[0-9,]+" | head -1)
echo "instructions: $total ($MODEL, $IMAGES noise images + 128 warm-up, batch 64, $THREADS thread(s))"
sed -n '/file:function/,$p' "$report" | sed 1,2d | grep -E "^ *[0-9]" | head -12 | swift demangle --simplified \
  | sed -E 's/^ *([0-9,]+) +\(([0-9. %]+)\) +[^:]*:/  \1 (\2) /; s/ \[[^]]*\]$//' | cut -c1-140
