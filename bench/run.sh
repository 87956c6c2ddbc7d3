#!/usr/bin/env bash
# Whole-process benchmark: drcheck scan (all rules, SARIF to a file) beside a
# bare simdjson DOM parse and Python's json.load of the same input. Prints the
# median wall time of RUNS runs, peak RSS, and the ratios the targets use.
#   bench/run.sh [RUNS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=bench/out
mkdir -p "$out"
if ! dpkg-query -W -f='${Status}' libsimdjson-dev libbenchmark-dev 2>/dev/null | grep -q "install ok installed"; then
  scripts/setup.sh
  apt-get install -y -qq libsimdjson-dev libbenchmark-dev >/dev/null
fi
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DDRCHECK_BENCH=ON -DDRCHECK_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
drcheck=build-bench/drcheck
simd=build-bench/simdjson_parse

[[ -f $out/plan20k.json ]] || bench/gen_plan.py --resources 20000 --regions 10 -o $out/plan20k.json
[[ -f $out/plan2k.json ]] || bench/gen_plan.py --resources 2000 --regions 10 -o $out/plan2k.json
[[ -d $out/stacks200 ]] || bench/gen_pulumi.py --resources 400 --stacks 200 -o $out/stacks200
[[ -f $out/pulumi20k.json ]] || bench/gen_pulumi.py --resources 20000 -o $out/pulumi20k.json

# run_once CMD...: runs CMD once; prints "seconds max_rss_kb". Wall time
# from the clock in ns (time's %e has 10 ms steps, too coarse for the small
# input); peak RSS from time's %M.
run_once() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" -v m="$(tail -n1 "$out/time.txt")" \
    'BEGIN { printf "%.3f %d\n", (b - a) / 1e9, m }'
}
# median_line TIMES...: "median max_rss_kb" of "seconds rss" pairs on stdin.
median_line() {
  sort -n | awk '{a[NR]=$1; if ($2 > r) r = $2} END {print a[int((NR+1)/2)], r}'
}
# median_of CMD...: runs CMD $runs times; prints "median_seconds max_rss_kb".
median_of() {
  for ((i = 0; i < runs; i++)); do run_once "$@"; done | median_line
}
# median_pair "CMD A" "CMD B": runs A and B alternately $runs times each, so
# both see the same machine (this VM's speed drifts with its neighbours);
# prints "median_a rss_a median_b rss_b".
median_pair() {
  local a b
  for ((i = 0; i < runs; i++)); do
    run_once $1 >>"$out/pair_a.txt"
    run_once $2 >>"$out/pair_b.txt"
  done
  a=$(median_line <"$out/pair_a.txt")
  b=$(median_line <"$out/pair_b.txt")
  rm -f "$out/pair_a.txt" "$out/pair_b.txt"
  echo "$a $b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

scan=("$drcheck" scan --format sarif -o "$out/scan.sarif" --fail-on never)
fmt=sarif

size=$(stat -c %s $out/plan20k.json)
rm -f "$out/pair_a.txt" "$out/pair_b.txt"
read -r t_scan m_scan t_simd m_simd < <(median_pair "${scan[*]} $out/plan20k.json" "$simd $out/plan20k.json")
read -r t_py m_py < <(median_of python3 -c "import json,sys; json.load(open(sys.argv[1]))" $out/plan20k.json)
read -r t_small _ < <(median_of "${scan[@]}" $out/plan2k.json)
read -r t_pul m_pul < <(median_of "${scan[@]}" $out/pulumi20k.json)
read -r t_j1 _ t_j2 _ < <(median_pair "${scan[*]} --jobs 1 $out/stacks200" "${scan[*]} --jobs 2 $out/stacks200")

# The machine's own ceiling for two jobs: two bare simdjson parses of
# plan20k one after the other, then both at once (two processes that share
# nothing). This VM's share of its host varies, so what two cores give is
# measured beside the --jobs figures rather than assumed to be 2x.
two_in_turn() { "$simd" "$plan" >/dev/null; "$simd" "$plan" >/dev/null; }
two_at_once() {
  "$simd" "$plan" >/dev/null &
  "$simd" "$plan" >/dev/null
  wait
}
export -f two_in_turn two_at_once
export simd plan=$out/plan20k.json
read -r t_turn _ t_once _ < <(median_pair "bash -c two_in_turn" "bash -c two_at_once")

echo "input: plan20k.json $((size / 1048576)) MiB, 20,000 resources, 10 regions; $runs runs, medians; output $fmt"
echo "(the scan and simdjson runs alternate, as do the --jobs 1 and --jobs 2 runs)"
printf '%-44s %8s %10s\n' "command" "wall s" "peak MiB"
printf '%-44s %8s %10d\n' "drcheck scan plan20k (all rules)" "$t_scan" $((m_scan / 1024))
printf '%-44s %8s %10d\n' "simdjson DOM parse plan20k" "$t_simd" $((m_simd / 1024))
printf '%-44s %8s %10d\n' "python3 json.load plan20k" "$t_py" $((m_py / 1024))
printf '%-44s %8s %10d\n' "drcheck scan pulumi20k" "$t_pul" $((m_pul / 1024))
printf '%-44s %8s\n' "drcheck scan plan2k (1/10 size)" "$t_small"
printf '%-44s %8s\n' "drcheck scan 200 stacks --jobs 1" "$t_j1"
printf '%-44s %8s\n' "drcheck scan 200 stacks --jobs 2" "$t_j2"
printf '%-44s %8s\n' "2 simdjson parses plan20k, in turn" "$t_turn"
printf '%-44s %8s\n' "2 simdjson parses plan20k, at once" "$t_once"
echo
echo "scan / simdjson parse:        $(ratio "$t_scan" "$t_simd")  (target <= 2.0)"
echo "scan / python json.load:      $(ratio "$t_scan" "$t_py")  (target ~0.15)"
echo "peak RSS / file size:         $(ratio "$((m_scan * 1024))" "$size")  (target <= 2.0)"
echo "time(20k) / time(2k):         $(ratio "$t_scan" "$t_small")  (target <= 11)"
echo "200 stacks jobs1 / jobs2:     $(ratio "$t_j1" "$t_j2")  (target >= 1.8)"
echo "machine: 2 parses in turn / at once: $(ratio "$t_turn" "$t_once")  (the ceiling of the line above)"
