#!/usr/bin/env bash
# Checks panavec as a user gets it: installs the library modules (with -sources and -javadoc jars, the
# `publish` profile) into a private, throwaway Maven repository, then builds and runs a separate project
# (scripts/consumer) that depends only on io.panavec:panavec and searches an index.
# The private repository reads the machine's ~/.m2 as a file: repository first (fast, no network when the
# build has run before) and Maven Central after it; nothing is installed into ~/.m2 itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/java-home.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/panavec-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
seed=${PANAVEC_SEED_REPO:-$HOME/.m2/repository}
repo_xml() {  # <id> <url>: a release-only repository
  echo "<$1><id>$2</id><url>$3</url><releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots></$1>"
}
cat > "$work/settings.xml" <<XML
<settings>
  <localRepository>$work/repo</localRepository>
  <profiles><profile><id>seed</id>
    <repositories>$(repo_xml repository seed "file://$seed")</repositories>
    <pluginRepositories>$(repo_xml pluginRepository seed "file://$seed")</pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
</settings>
XML
version=$(awk '/<artifactId>panavec-parent<\/artifactId>/{f=1} f&&/<version>/{gsub(/.*<version>|<\/version>.*/,"");print;exit}' "$root/pom.xml")
echo "consumer-check: installing panavec $version into a private repository"
(cd "$root" && mvn -B -q -s "$work/settings.xml" -Ppublish -DskipTests -pl java-api -am install)
for a in panavec-bindings panavec-mmap-store panavec; do
  for c in "" -sources -javadoc; do
    f="$work/repo/io/panavec/$a/$version/$a-$version$c.jar"
    [ -s "$f" ] || { echo "consumer-check: missing $f" >&2; exit 1; }
  done
done
# The listing goes to a file first: `grep -q` in a pipe exits at the first match, the lister then dies of SIGPIPE
# and pipefail fails the check on a good jar (it did, once the jar grew).
"$JAVA_HOME/bin/jar" tf "$work/repo/io/panavec/panavec-bindings/$version/panavec-bindings-$version.jar" > "$work/bindings.lst"
grep -qx 'io/panavec/native/linux-x86_64/libpanavec.so' "$work/bindings.lst" \
  || { echo "consumer-check: the bindings jar has no native library" >&2; exit 1; }
echo "consumer-check: building and running scripts/consumer against io.panavec:panavec:$version"
cp -r "$root/scripts/consumer" "$work/consumer"
(cd "$work/consumer" && mvn -B -q -s "$work/settings.xml" -Dpanavec.version="$version" verify)
echo "consumer-check: ok"
