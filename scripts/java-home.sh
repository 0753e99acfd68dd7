# Sourced: exports JAVA_HOME pointing at a JDK 25 or newer (the machine's default java may be older).
# Keeps a JAVA_HOME that is already new enough; otherwise looks in the standard JVM folder.
_pv_java_version() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(_pv_java_version "$JAVA_HOME")" -lt 25 ] 2>/dev/null || [ -z "$(_pv_java_version "$JAVA_HOME")" ]; then
  JAVA_HOME=""
  for _pv_jdk in /usr/lib/jvm/*; do
    _pv_v=$(_pv_java_version "$_pv_jdk")
    if [ -n "$_pv_v" ] && [ "$_pv_v" -ge 25 ] && [ -x "$_pv_jdk/bin/javac" ]; then JAVA_HOME=$_pv_jdk; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "panavec: no JDK 25 found; install one (e.g. Temurin 25) and set JAVA_HOME to it" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# FAISS uses OpenMP: idle worker threads must not spin on the cores the JVM needs.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
unset _pv_jdk _pv_v
