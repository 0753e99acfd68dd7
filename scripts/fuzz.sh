#!/usr/bin/env bash
# Fuzzes each Jazzer target of the fuzz/ module in turn (fuzzing mode, JAZZER_FUZZ=1), each in its own forked
# test JVM, so a JVM crash in a native reader is recorded as a finding instead of ending the run. Durations
# are the targets' @FuzzTest(maxDuration); findings (crashing inputs) land in
# fuzz/src/test/resources/io/panavec/fuzz/<Class>Inputs/<method>/, where `mvn verify` replays them.
# Usage: scripts/fuzz.sh [Class#method ...]   (default: every target). Writes fuzz/results/fuzz-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ParserFuzzTest#filter ParserFuzzTest#faissFactory
           InputFileFuzzTest#fvecs InputFileFuzzTest#bvecs InputFileFuzzTest#npy InputFileFuzzTest#manifest
           IndexFileFuzzTest#store IndexFileFuzzTest#graph IndexFileFuzzTest#attributes IndexFileFuzzTest#attributeLog
           IndexFileFuzzTest#deletedRows IndexFileFuzzTest#idMap IndexFileFuzzTest#codes IndexFileFuzzTest#faiss)
fi
mkdir -p fuzz/results
out="fuzz/results/fuzz-$(date -u +%Y%m%d-%H%M).md"
log_dir="$(mktemp -d)"
{
  echo "# Fuzz run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "commit $(git rev-parse --short HEAD), load: $(uptime | sed 's/.*load average: //')"
  echo
  echo "| target | result | executions | corpus |"
  echo "|---|---|---|---|"
} > "$out"
for t in "${targets[@]}"; do
  log="$log_dir/${t//#/-}.log"
  set +e
  JAZZER_FUZZ=1 nice -n 10 mvn -B -pl fuzz -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  set -e
  if grep -q "The forked VM terminated\|A fatal error has been detected" "$log"; then
    result="JVM CRASH (see log)"
  elif [ $rc -ne 0 ]; then
    result="FINDING: $(grep -m1 -o 'unclear failure: [^\"]*\|AssertionError: [^\"]*' "$log" | cut -c1-120)"
  else
    result="no finding"
  fi
  execs=$(grep -o '#[0-9]*[[:space:]]*DONE' "$log" | tail -1 | tr -dc '0-9')
  corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -1)
  echo "| $t | $result | ${execs:-?} | ${corpus:-?} |" >> "$out"
  if [ "$result" != "no finding" ]; then
    grep -v '^\[INFO\]\|^WARNING' "$log" | tail -200 > "fuzz/results/$(basename "$log")"
  fi
  echo "$t: $result"
done
echo "results: $out"
