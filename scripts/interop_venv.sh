#!/usr/bin/env bash
# A Python with Keras / TensorFlow-CPU for the cross-framework test
# (Tests/EndToEndTests/CrossFrameworkTests.swift): a venv from PyPI, made once and
# reused while it still imports. Prints the venv's python on stdout, its time on
# stderr; exits 1 if it cannot be made (two tries, each bounded in time).
#
#   DIGITS_INTEROP_PYTHON=$(scripts/interop_venv.sh) make test
set -uo pipefail
VENV=${1:-${DIGITS_INTEROP_VENV:-/tmp/digits-interop}}
# Pinned so that CI's reference numbers do not move under it with a new release.
TF=2.21.0 KERAS=3.15.1
TRY_SECONDS=${TRY_SECONDS:-300}

usable() {
  "$VENV/bin/python" -c "import tensorflow as t, keras as k; assert (t.__version__, k.__version__) == ('$TF', '$KERAS')" >/dev/null 2>&1
}

# It is removed and made anew when it does not import: so only ever a venv.
if [ -e "$VENV" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
  echo "interop venv: $VENV exists and is not a venv; not touching it" >&2
  exit 1
fi
start=$(date +%s)
ok=0
for try in 1 2; do
  if usable; then ok=1; break; fi
  [ "$try" = 2 ] && echo "interop venv: retrying once" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2 &&
    timeout "$TRY_SECONDS" "$VENV/bin/pip" install -q --disable-pip-version-check --no-input "tensorflow-cpu==$TF" "keras==$KERAS" >&2 &&
    usable && { ok=1; break; }
done
echo "interop venv $VENV: $([ $ok = 1 ] && echo ready || echo FAILED) in $(( $(date +%s) - start )) s" >&2
[ $ok = 1 ] || { rm -rf "$VENV"; exit 1; }
echo "$VENV/bin/python"
