#!/usr/bin/env bash
# Links the JDK that Fray's tests run on: the JDK running the build, with Fray's jlink plugin instrumenting
# java.base so its scheduler sees every lock, park, atomic and volatile access of the JDK's own classes.
# Fray's Maven plugin does the same, but always as `--module-path=<jdk>/jmods --add-modules ALL-MODULE-PATH`;
# JDKs built as a run-time image (JEP 493, e.g. Temurin 25) have no jmods, so this links from the run-time
# image when jmods/ is missing (every module except jdk.jlink and jdk.jpackage, which such a link cannot hold).
# Skipped when OUT already holds a JDK linked by this Fray version from this JDK.
#
#   fray-jdk.sh <jdk home> <out dir> <fray-instrumentation-jdk jar> <its class path> <fray version>
set -euo pipefail
jdk=$1 out=$2 plugin=$3 cp=$4 version=$5
stamp="$version $("$jdk/bin/java" -version 2>&1 | head -1)"
if [ -f "$out/fray-version" ] && [ "$(cat "$out/fray-version")" = "$stamp" ]; then
  echo "fray-jdk: $out is up to date ($stamp)"
  exit 0
fi
rm -rf "$out"
if [ -d "$jdk/jmods" ]; then
  modules=(--module-path="$jdk/jmods" --add-modules=ALL-MODULE-PATH)
else
  list=$("$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vx -e jdk.jlink -e jdk.jpackage | paste -sd, -)
  modules=(--add-modules="$list")
fi
echo "fray-jdk: linking an instrumented JDK from $jdk into $out"
"$jdk/bin/jlink" -J-javaagent:"$plugin" -J--module-path="$cp" -J--add-modules=org.pastalab.fray.instrumentation.jdk \
  -J--class-path="$cp" --output="$out" "${modules[@]}" --release-info add:IMPLEMENTOR=Fray --fray-instrumentation
echo "$stamp" > "$out/fray-version"
