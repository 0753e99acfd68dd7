#!/usr/bin/env bash
# Builds libpanavec into <target>/dist. Called by Maven (module panavec-native); runnable by hand.
# A missing toolchain piece or library fails here with the apt command that installs it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-$here/target}
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
[ -f /usr/include/faiss/Index.h ] && [ -f "/usr/lib/$multiarch/libfaiss.a" ] || missing+=(libfaiss-dev)
[ -e "/usr/lib/$multiarch/libopenblas.a" ] || missing+=(libopenblas-dev)
# libstdc++.a and libgcc.a (linked statically) come with g++; check, since some distributions split them out.
[ -e "$(g++ -print-file-name=libstdc++.a 2>/dev/null)" ] || missing+=("libstdc++-$(gcc -dumpversion | cut -d. -f1)-dev")
if [ ${#missing[@]} -gt 0 ]; then
  echo "panavec-native: missing ${missing[*]}. Install with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
mkdir -p "$target"
cmake -S "$here" -B "$target/build" -DCMAKE_BUILD_TYPE=Release >"$target/cmake.log" 2>&1 || { cat "$target/cmake.log" >&2; exit 1; }
cmake --build "$target/build" -j "$(nproc)"
mkdir -p "$target/dist"
cp "$target/build/libpanavec.so" "$target/dist/libpanavec.so"
echo "panavec-native: built $target/dist/libpanavec.so"
