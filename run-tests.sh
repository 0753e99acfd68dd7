#!/usr/bin/env bash
# Sets up a fresh machine if needed, then builds everything (native included) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
source scripts/java-home.sh
mvn -B verify "$@"
