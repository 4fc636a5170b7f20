#!/usr/bin/env bash
# Builds the benchmark jar, runs every JMH benchmark of gateway-bench in one JMH run, and prints
# the tables of docs/PERFORMANCE.md. Extra arguments go to JMH (e.g. a regex: OneThread.b2).
# Not part of `mvn verify`: run it by hand, on a machine that is otherwise idle.
#   gateway-bench/run.sh                      # everything, ~6 minutes on 2 cores
#   gateway-bench/run.sh 'OneThread.b.*'      # a subset
#   OUT=/tmp/jmh gateway-bench/run.sh         # results elsewhere
#   JMH_OPTS='-f 1 -wi 15 -i 10 -w 1s -r 1s' gateway-bench/run.sh 'OneThread.h.*'   # HTTP: longer warm-up
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gateway-bench/target/jmh}
JAR=gateway-bench/target/benchmarks.jar
# fork, warm-up and measurement; the HTTP benchmarks (h*) need a longer warm-up (docs/PERFORMANCE.md)
JMH_OPTS=${JMH_OPTS:--f 1 -wi 5 -i 5 -w 1s -r 1s}
mkdir -p "$OUT"

mvn -B -q -pl gateway-bench -am package -DskipTests

{
  echo "date:        $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpus:        $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "jvm:         $(java -version 2>&1 | sed -n 2p)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo n/a)$(git diff --quiet HEAD -- gateway-core 2>/dev/null || echo ' (gateway-core has uncommitted changes)')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

if awk '{exit !($1 > 1.0)}' /proc/loadavg; then
  echo "WARNING: load average $(cut -d' ' -f1 /proc/loadavg) > 1 before the run: other work shares the CPUs; trust medians, not means." | tee -a "$OUT/machine.txt"
fi

# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar "$JAR" $JMH_OPTS -prof gc -rf json -rff "$OUT/result.json" "$@" | tee "$OUT/jmh.log"

echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
java -cp "$JAR" dev.agentgateway.bench.Report "$OUT/result.json" | tee "$OUT/report.md"
