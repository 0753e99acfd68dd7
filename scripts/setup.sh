#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build panavec (apt packages), and checks for JDK 25.
# Idempotent: installs nothing when everything is present.
set -euo pipefail
# fontconfig + a font: the CLI bench draws its PNG plot (JFreeChart) with them.
packages=(g++ make cmake maven libfaiss-dev libopenblas-dev fontconfig fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  # No pipe into grep -q: with pipefail an early grep exit can fail the pipeline (see consumer-check.sh).
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == *"install ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "panavec setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "panavec setup: need root or sudo to run: apt-get install -y ${missing[*]}" >&2; exit 1; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# shellcheck source=java-home.sh
source "$(dirname "$0")/java-home.sh"
echo "panavec setup: ok (JDK: $JAVA_HOME)"
