#!/usr/bin/env bash
# Fuzzes each Jazzer target of the fuzz/ module in turn (fuzzing mode, JAZZER_FUZZ=1), each in its own JVM
# (io.panavec.fuzz.FuzzMain, the JUnit launcher), so a JVM crash in a native reader is recorded as a finding
# instead of ending the run. The module is built once; durations are the targets' @FuzzTest(maxDuration).
# Findings (crashing inputs) land in fuzz/src/test/resources/io/panavec/fuzz/<Class>Inputs/<method>/, where
# `mvn verify` replays them.
# Usage: scripts/fuzz.sh [Class#method ...]   (default: every target). Writes fuzz/results/fuzz-<date>.md.
# NICE (default 10) sets the priority of the build and the fuzzing JVMs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/java-home.sh
nice_level=${NICE:-10}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ParserFuzzTest#filter ParserFuzzTest#faissFactory
           InputFileFuzzTest#fvecs InputFileFuzzTest#bvecs InputFileFuzzTest#npy InputFileFuzzTest#manifest
           IndexFileFuzzTest#store IndexFileFuzzTest#graph IndexFileFuzzTest#attributes IndexFileFuzzTest#attributeLog
           IndexFileFuzzTest#deletedRows IndexFileFuzzTest#idMap IndexFileFuzzTest#codes IndexFileFuzzTest#faiss IndexFileFuzzTest#faissLinks)
fi
mkdir -p fuzz/results
out="fuzz/results/fuzz-$(date -u +%Y%m%d-%H%M).md"
log_dir="$(mktemp -d)"
echo "building the fuzz module and its classpath once"
nice -n "$nice_level" mvn -B -q -pl fuzz -am test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz-classpath.txt \
  -Dmdep.includeScope=test > "$log_dir/build.log" 2>&1 || { tail -50 "$log_dir/build.log"; exit 1; }
cp="$root/fuzz/target/test-classes:$root/fuzz/target/classes:$(cat fuzz/target/fuzz-classpath.txt)"
{
  echo "# Fuzz run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load before: $(uptime | sed 's/.*load average: //')"
  echo
  echo "| target | result | executions | corpus | classes left uninstrumented | seconds | load after |"
  echo "|---|---|---|---|---|---|---|"
} > "$out"
for t in "${targets[@]}"; do
  log="$log_dir/${t//#/-}.log"
  start=$(date +%s)
  set +e
  (cd fuzz && JAZZER_FUZZ=1 nice -n "$nice_level" "$JAVA_HOME/bin/java" @"$root/scripts/jvm.options" -Xmx1g \
     -XX:+EnableDynamicAgentLoading -cp "$cp" io.panavec.fuzz.FuzzMain "$t") >"$log" 2>&1
  rc=$?
  set -e
  if grep -q "A fatal error has been detected" "$log" || [ $rc -gt 1 ]; then
    result="JVM CRASH (exit $rc, see log)"
  elif [ $rc -ne 0 ]; then
    result="FINDING: $(grep -m1 -o 'Exception[^"]*\|AssertionError[^"]*\|Error: [^"]*' "$log" | cut -c1-120 || true)"
  else
    result="no finding"
  fi
  execs=$(grep -o '#[0-9]*[[:space:]]*DONE' "$log" | tail -1 | tr -dc '0-9' || true)
  corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -1 || true)
  # Jazzer's bundled ASM reads class files up to its Java version: newer ones run uninstrumented (no coverage feedback).
  uninstrumented=$(grep -c 'Unsupported class file major version' "$log" || true)
  echo "| $t | $result | ${execs:-?} | ${corpus:-?} | ${uninstrumented:-0} | $(( $(date +%s) - start )) | $(uptime | sed 's/.*load average: //') |" >> "$out"
  if [ "$result" != "no finding" ]; then
    grep -v '^WARNING' "$log" | tail -200 > "fuzz/results/$(basename "$log")"
  fi
  echo "$t: $result"
done
echo "results: $out"
