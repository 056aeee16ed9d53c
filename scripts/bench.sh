#!/usr/bin/env bash
# make bench: digits' own numbers for each model, and with KERAS=1 the Keras /
# TensorFlow-CPU reference on the same data in the same run, then the ratios.
# The table also replaces the one between the bench markers in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/digits
MODELS=${MODELS:-"seed003 seed004 digitnet"}
KERAS_SCRIPT=${KERAS_SCRIPT:-../shared/bench/keras_reference.py}
VENV=${KERAS_VENV:-/tmp/keras-ref}
# The raw JSON of every run stays in .build/bench/ for a closer look (Keras' two
# epoch times, each round's scaling).
out=.build/bench
rm -rf "$out" && mkdir -p "$out"

# Where MNIST is, for the Keras script (which takes a directory of the four files).
data="${DIGITS_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/digits}"
[ -d "$data/mnist" ] && data="$data/mnist"

keras_arch() { case $1 in seed000|seed001|seed003|seed004) return 0 ;; *) return 1 ;; esac; }

if [ "${KERAS:-0}" = 1 ]; then
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import tensorflow' 2>/dev/null; then
    echo "setting up $VENV with tensorflow-cpu from PyPI (once)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q tensorflow-cpu
  fi
fi

for m in $MODELS; do
  echo "digits bench --model $m" >&2
  "$BIN" bench --model "$m" --json > "$out/digits-$m.json"
  if [ "${KERAS:-0}" = 1 ] && keras_arch "$m"; then
    # Two epochs: the script keeps the faster one, so Keras' tracing and
    # compiling in the first epoch do not count against it.
    echo "keras_reference.py --arch $m" >&2
    "$VENV/bin/python" "$KERAS_SCRIPT" --data "$data" --arch "$m" --epochs 2 --threads 2 > "$out/keras-$m.json"
    # Ours again right after: this VM's speed drifts within minutes, so the ratio
    # uses the mean of our runs just before and just after Keras' run.
    echo "digits bench --model $m (again, after Keras)" >&2
    "$BIN" bench --model "$m" --json > "$out/after-$m.json"
  fi
done

# Memory is measured where it matters: one epoch over all 60,000 MNIST images
# (the whole set in memory, the test set evaluated, a checkpoint written).
if [ -f "$data/train-images-idx3-ubyte.gz" ]; then
  for m in $MODELS; do
    echo "digits train --model $m --epochs 1 (full MNIST, for peak memory)" >&2
    DIGITS_DATA="$data" "$BIN" train --model "$m" --epochs 1 --json --out "$out/$m.safetensors" > "$out/train-$m.json"
  done
fi

python3 scripts/bench_table.py "$out" README.md
echo "raw figures: $out/" >&2
