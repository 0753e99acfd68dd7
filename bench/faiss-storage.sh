#!/usr/bin/env bash
# FAISS storage before/after (issue 13, item 6): one FAISS spec built by two panavec CLI jars (the one before FAISS
# read the store's rows, and the one after), then, alternating, each index searched by `panavec bench` in its own
# JVM while its resident set (VmRSS, RssAnon, RssFile from /proc) is sampled; disk bytes per file of each directory.
#
#   bench/faiss-storage.sh DATA_DIR OUT.md BEFORE_CLI.jar AFTER_CLI.jar [SPEC] [EFS] [ROUNDS]
#
# DATA_DIR holds base.fvecs, queries.fvecs, queries-groundtruth.ivecs. SPEC defaults to faiss:HNSW32,Flat,efc=100,
# EFS to 16,32,64,128,256, ROUNDS to 2. Builds run first (untimed, inside the lock: at nice 19 on a loaded machine they
# take many minutes) into OUT's directory/faiss-storage-work
# (deleted at the end unless KEEP_WORK is set); run the whole script under the team's benchmark lock. JAVA_HOME: a JDK 25.
set -euo pipefail
data=$1 out=$2 before=$3 after=$4
spec=${5:-faiss:HNSW32,Flat,efc=100}
efs=${6:-16,32,64,128,256}
rounds=${7:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java
work=$(cd "$(dirname "$out")" && pwd)/faiss-storage-work
rm -rf "$work" && mkdir -p "$work"
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$work"' EXIT

for side in before after; do
  jar=$before; [ $side = after ] && jar=$after
  env OMP_WAIT_POLICY=PASSIVE "$java" @"$root/scripts/jvm.options" -jar "$jar" build --input "$data/base.fvecs" \
    --index "$work/$side" --metric ip --spec "$spec" --threads 2 >"$work/$side-build.log" 2>&1
done

# Runs `panavec bench` on one index and samples the JVM's resident set every 0.2 s: prints the bench table, then
# "peak VmRSS / RssAnon / RssFile" in kB.
measure() {
  local side=$1 jar=$2
  # the JVM itself in the background (not a function: $! would be a subshell, whose resident set is the shell's)
  OMP_WAIT_POLICY=PASSIVE "$java" @"$root/scripts/jvm.options" -jar "$jar" bench --index "$work/$side" --queries "$data/queries.fvecs" \
    --groundtruth "$data/queries-groundtruth.ivecs" --ef "$efs" --out "$work/$side-bench" >"$work/$side-bench.out" 2>"$work/$side-bench.err" &
  local pid=$! rss=0 anon=0 file=0 now_rss now_anon now_file
  while kill -0 $pid 2>/dev/null; do
    if [ -r /proc/$pid/status ]; then
      read -r now_rss now_anon now_file < <(awk '/^VmRSS/{r=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} END{print r+0, a+0, f+0}' /proc/$pid/status 2>/dev/null || echo 0 0 0)
      [ "$now_rss" -gt "$rss" ] && rss=$now_rss; [ "$now_anon" -gt "$anon" ] && anon=$now_anon; [ "$now_file" -gt "$file" ] && file=$now_file
    fi
    sleep 0.2
  done
  wait $pid
  cat "$work/$side-bench.out"
  echo "peak kB: VmRSS $rss, RssAnon $anon, RssFile $file"
}

{
  echo "# FAISS storage before/after: \`$spec\` on $(basename "$data")"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Command: \`bench/faiss-storage.sh <data> <out.md> <before cli jar> <after cli jar> $spec $efs $rounds\`"
  echo "- Before: $(unzip -p "$before" META-INF/MANIFEST.MF 2>/dev/null | grep -i '^Implementation-Version' | tr -d '\r' || true) $(basename "$before"); after: $(basename "$after")"
  echo "- Each measurement: a fresh JVM running \`panavec bench --ef $efs\` (open with full verify, which reads every"
  echo "  stored vector, then per beam a warm-up and 3 timed passes over the queries, one thread); the resident set is the"
  echo "  peak sampled every 0.2 s from /proc (RssAnon: heap and native allocations, the FAISS copy among them; RssFile:"
  echo "  mapped file pages, the store among them). Sides alternate, $rounds rounds."
  echo
  for side in before after; do
    echo "## Disk: $side"
    echo
    echo '```'
    (cd "$work/$side" && ls -l --time-style=+ | sed 1d | awk '{print $5, $NF}')
    echo "apparent total: $(du -sb "$work/$side" | cut -f1) bytes; allocated: $(du -s --block-size=1 "$work/$side" | cut -f1) bytes"
    echo '```'
    echo
  done
  for round in $(seq 1 "$rounds"); do
    for side in before after; do
      jar=$before; [ $side = after ] && jar=$after
      echo "## Round $round: $side (load $(cut -d' ' -f1-3 /proc/loadavg))"
      echo
      echo '```'
      measure $side "$jar"
      echo '```'
      echo
    done
  done
  echo "- Load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out"
echo "wrote $out"
