#!/usr/bin/env bash
# Builds every fuzz target with libFuzzer and AddressSanitizer (release mode) and runs each for N
# seconds on its seed corpus. Exits non-zero if any target crashes, leaks or times out; prints the
# executions per target. Usage: Tests/Fuzz/run.sh [--seconds N | --runs N] [--only TARGET]
# --runs N runs exactly N inputs per target from the committed seeds with a fixed seed (-seed=1) and a
# fresh corpus: the same inputs on every machine, which is what CI runs.
set -uo pipefail

seconds=10
fixed_runs=""
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) fixed_runs="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        *) echo "usage: $0 [--seconds N | --runs N] [--only TARGET]" >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="$root/.build-fuzz"
work="$scratch/work"
mkdir -p "$work"

targets=$(sed -n 's/^ *fuzzer("\(Fuzz[A-Za-z]*\)".*/\1/p' "$here/Package.swift")
[ -n "$only" ] && targets="$only"

# SwiftPM's `--sanitize fuzzer --sanitize address` passes two separate -sanitize flags and swiftc keeps
# only the last, which left the code either without ASan or without coverage instrumentation. So one
# combined flag comes last (-Xswiftc flags follow SwiftPM's own); `--sanitize fuzzer` stays so that
# SwiftPM links libFuzzer's main instead of the target's.
flags=(-c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
echo "building fuzz targets (release, -sanitize=fuzzer,address) in $scratch"
swift build --package-path "$here" --scratch-path "$scratch" "${flags[@]}" || exit 1
bin="$(swift build --package-path "$here" --scratch-path "$scratch" "${flags[@]}" --show-bin-path)"
# A target without coverage counters or without ASan would "pass" without testing anything.
for target in $targets; do
    sections=$(readelf -S "$bin/$target")
    symbols=$(nm "$bin/$target")
    if [[ "$sections" != *__sancov_cntrs* || "$symbols" != *__asan_init* ]]; then
        echo "$target is not instrumented for coverage and AddressSanitizer; refusing to report a run" >&2
        exit 1
    fi
done

failed=0
printf '\n%-20s %12s %8s  %s\n' target executions seconds result
for target in $targets; do
    artifacts="$work/$target-artifacts"
    log="$work/$target.log"
    if [ -n "$fixed_runs" ]; then
        corpus="$work/$target-runs"         # fresh each time: only the committed seeds count
        rm -rf "$corpus"
        limit=(-runs="$fixed_runs" -seed=1)
    else
        corpus="$work/$target"              # the seeds plus what earlier runs discovered (not committed)
        limit=(-max_total_time="$seconds")
    fi
    mkdir -p "$corpus" "$artifacts"
    start=$(date +%s)
    "$bin/$target" "$corpus" "$here/Corpus/$target" "${limit[@]}" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    elapsed=$(( $(date +%s) - start ))
    if [ $status -eq 0 ]; then result="ok"; else result="FAILED (exit $status, see $log; input in $artifacts)"; failed=1; fi
    printf '%-20s %12s %8s  %s\n' "$target" "${runs:-?}" "$elapsed" "$result"
done
exit $failed
