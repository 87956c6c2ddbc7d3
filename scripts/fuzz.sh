#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each for
# the given number of seconds, seeded from fixtures/ (and the shared corpus
# when present). Crashes land in build-fuzz/crashes/<fuzzer>/.
#   scripts/fuzz.sh [SECONDS] [FUZZER...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
scripts/setup.sh --all
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDRCHECK_FUZZ=ON -DDRCHECK_SANITIZE=ON -DDRCHECK_TESTS=OFF >/dev/null
cmake --build build-fuzz -j2
fuzzers=("$@")
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  for f in build-fuzz/*_fuzzer; do fuzzers+=("$(basename "$f")"); done
fi
for name in "${fuzzers[@]}"; do
  seeds=build-fuzz/seeds/$name
  mkdir -p "$seeds" "build-fuzz/crashes/$name"
  case $name in
    cidr_fuzzer)
      printf '10.0.0.0/16' >"$seeds/a"; printf '::/0' >"$seeds/b"
      printf 'fd00::1:2:3.4.5.6/120' >"$seeds/c" ;;
    config_fuzzer)
      find fixtures -name .drcheck.json -exec cp -t "$seeds" {} + 2>/dev/null || true ;;
    *)
      find fixtures -name '*.json' -size -256k -exec cp --backup=numbered -t "$seeds" {} + ;;
  esac
  echo "== $name for ${secs}s"
  "build-fuzz/$name" "$seeds" -max_total_time="$secs" -max_len=262144 \
    -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/crashes/$name/" 2>&1 | tail -n 25
done
