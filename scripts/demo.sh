#!/usr/bin/env bash
# Sets up, builds, and runs drcheck on the bundled seed fixtures: five real
# two-region DR architectures synthesized by their own tools (Pulumi state
# exports and a CDKTF cdktf.out), mistakes included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs" --target drcheck
status=0
for seed in fixtures/seeds/*/; do
  echo "== drcheck scan $seed"
  build/drcheck scan --format text --config "$seed/.drcheck.json" "$seed" || status=$?
  echo
done
# Findings are the point of the demo: exit 0 unless an input failed to load.
[[ $status -eq 2 ]] && exit 2
exit 0
