#!/usr/bin/env bash
# Runs the whole suite several times in a row, optionally while a CPU-heavy load runs, and checks
# after every run that no process started from this package's build is left behind.
#
#   Tests/soak.sh [--runs N] [--load "COMMAND"] [--log DIR]
#
# --load runs COMMAND in a loop (in its own process group) for as long as the runs last, e.g.
#   --load ".build/release/weft bench e2e --seconds 600"
# Each run's output goes to DIR/run-K.log and a line per run to DIR/summary.txt; the script stops at
# the first red run or leftover process and exits 1. Use a release binary built from another folder
# (or copied out of .build) for the load, so the suite's build does not replace it under the load.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
load=""
log="/tmp/weft-soak"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --load) load="$2"; shift 2 ;;
    --log) log="$2"; shift 2 ;;
    *) echo "soak: unknown argument '$1' (try: --runs N --load \"COMMAND\" --log DIR)" >&2; exit 1 ;;
  esac
done
mkdir -p "$log"
build_dir="$(pwd)/.build"

load_pid=""
stop_load() {
  if [ -n "$load_pid" ]; then
    kill -TERM -- "-$load_pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$load_pid" 2>/dev/null || true
  fi
}
trap stop_load EXIT INT TERM

# Processes whose executable lives in this package's build folder: anything a test started.
leftovers() {
  local pid exe
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    case "$exe" in
      "$build_dir"/*/weft|"$build_dir"/*/weft-*) echo "$pid $exe" ;;
    esac
  done
}

swift build --build-tests >"$log/build.log" 2>&1

if [ -n "$load" ]; then
  setsid bash -c "while true; do $load >/dev/null 2>&1 || sleep 1; done" &
  load_pid=$!
  echo "soak: load '$load' in process group $load_pid" | tee -a "$log/summary.txt"
fi

for k in $(seq 1 "$runs"); do
  start=$(date +%s)
  if swift test --no-parallel >"$log/run-$k.log" 2>&1; then status=green; else status=red; fi
  seconds=$(( $(date +%s) - start ))
  passed="$(grep -E 'Test run with [0-9]+ tests' "$log/run-$k.log" | tail -1 || true)"
  left="$(leftovers)"
  echo "run $k/$runs: $status in ${seconds}s; ${passed:-no summary}; leftover processes: ${left:-none}" \
    | tee -a "$log/summary.txt"
  if [ "$status" = red ] || [ -n "$left" ]; then
    exit 1
  fi
done
echo "soak: $runs consecutive runs green, nothing left behind" | tee -a "$log/summary.txt"
