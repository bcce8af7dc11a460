#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md in sequence and keeps each one's output in OUT (default
# benchmarks/results-<date>). Run from the repository root after packaging:
#   mvn -B -q -pl benchmarks -am package -DskipTests && benchmarks/scripts/run-all.sh
# The machine should be otherwise idle: with 2 libtorch threads on 2 busy cores, every small parallel op can wait a
# scheduler time slice, which inflates operator timings many times over (see docs/benchmarks.md).
set -euo pipefail
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=${OUT:-benchmarks/results-$(date -u +%Y%m%dT%H%M)}
WORK=${WORK:-${TMPDIR:-/tmp}}
export OPT_OUT_TRACKING=true
mkdir -p "$OUT"
run() {
  local name=$1; shift
  echo "== $name  (load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S))" | tee -a "$OUT/summary.txt"
  java -Dai.djl.offline=true "$@" 2>&1 | grep --line-buffered -v 'WARN ai.djl.util.cuda' | tee "$OUT/$name.log" \
    | grep --line-buffered -E '^(date|ViT|  |todre|tome|load)' | tee -a "$OUT/summary.txt" || true
}
run expedit -cp "$JAR" dev.tokenreduce.benchmarks.ExpeditBenchmark l640 b512 --work "$WORK"
run vit-latency -cp "$JAR" dev.tokenreduce.benchmarks.VitLatencyBenchmark b512 l640 --work "$WORK"
run jmh-ratios -cp "$JAR" dev.tokenreduce.benchmarks.RatioReport
echo "results in $OUT"
