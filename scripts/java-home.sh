#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer (the build's minimum); exits 1 naming what is missing.
# Runs as anyone, at every make invocation; reads only. Uses JAVA_HOME when it is new enough.
set -euo pipefail

major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
best="" best_major=0
for d in "${candidates[@]}"; do
  [ -x "$d/bin/javac" ] || continue
  m="$(major "$d" || echo 0)"
  if [ "${m:-0}" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$d" best_major="$m"; fi
done
if [ -z "$best" ]; then
  echo "no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm/*); install one, e.g. openjdk-21-jdk-headless" >&2
  exit 1
fi
echo "$best"
