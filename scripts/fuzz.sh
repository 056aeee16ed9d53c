#!/usr/bin/env bash
# make fuzz SECONDS=60: every reader of outside bytes under libFuzzer with
# AddressSanitizer, each for SECONDS, from the seed corpus in Tests/Fuzz/corpus.
# A crash, a hang over 1 s, or an allocation over 1 GB is a finding: the input
# is saved in .build-fuzz/findings/ and the script fails.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
TARGETS=${TARGETS:-"safetensors idx optdigits image spec checkpoint-settings cli-options unipen"}
swift build -c release --product digits-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -3
BIN=.build-fuzz/release/digits-fuzz
[ -x "$BIN" ] || { echo "fuzz build failed"; exit 1; }
mkdir -p .build-fuzz/findings
status=0
for t in $TARGETS; do
  work=.build-fuzz/corpus/$t
  mkdir -p "$work"
  cp -n Tests/Fuzz/corpus/$t/* "$work"/ 2>/dev/null || true
  log=.build-fuzz/$t.log
  DIGITS_FUZZ_TARGET=$t "$BIN" "$work" -max_total_time="$SECONDS_EACH" -timeout=1 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -max_len=65536 -artifact_prefix=.build-fuzz/findings/$t- -print_final_stats=1 > "$log" 2>&1
  rc=$?
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1)
  corpus=$(ls "$work" | wc -l)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} executions in ${SECONDS_EACH} s, corpus $corpus inputs, no finding"
  else
    echo "fuzz $t: FINDING after ${runs:-?} executions (exit $rc); see $log and .build-fuzz/findings/"
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    status=1
  fi
done
exit $status
