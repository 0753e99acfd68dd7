#!/usr/bin/env bash
# Regenerates the FFM bindings of every header in native/include with jextract (22+), one class
# <header>_h per header (panavec.h -> panavec_h, panavec_faiss.h -> panavec_faiss_h, ...).
#
# The committed classes are maintained by hand in jextract's format while jextract is not
# installed on the build machines; this script replaces them when it is. After regenerating,
# re-apply what jextract cannot know (check with `git diff`):
#   - symbols load through NativeLibrary (ADDR = NativeLibrary.symbol(..), HANDLE = NativeLibrary.downcall(..)),
#     not through jextract's own SymbolLookup;
#   - hot kernels (pv_*_score, pv_*_scores, pv_*_topk, pv_topk_sort, pv_crc32c, pv_f32_to_f16,
#     pv_f16_to_f32) pass Linker.Option.critical(true) so heap arrays can be passed.
# SymbolResolutionTest checks that every PV_API function of every header has a method here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
include="$here/../native/include"
out="$here/src/main/java"
if ! command -v jextract >/dev/null 2>&1; then
  echo "jextract is not installed: the committed bindings under $out/io/panavec/bindings are" >&2
  echo "hand-maintained in jextract style. Install jextract 22+ (https://jdk.java.net/jextract/) to regenerate." >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$include"/*.h; do
  name=$(basename "$h" .h)
  echo "jextract: $h -> io.panavec.bindings.${name}_h"
  # Keep only this header's own pv_* functions and PV_* constants: not libc's, and not those of
  # panavec headers it includes (each has its own class). --dump-includes tags lines "# header: <path>".
  jextract --dump-includes "$tmp/all.txt" -I "$include" "$h"
  grep -E -- "--include-(function|constant) +(pv_|PV_).*header: .*/${name}\.h\b" "$tmp/all.txt" >"$tmp/ours.txt" || true
  jextract --target-package io.panavec.bindings --header-class-name "${name}_h" \
    --output "$out" -I "$include" @"$tmp/ours.txt" "$h"
done
