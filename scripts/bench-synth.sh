#!/usr/bin/env bash
# Benchmark of a fresh clone's `make synth` (docs/benchmarks.md): clones this repository's current
# commit into a temp directory and times `make synth` there, BENCH_SYNTH_RUNS times (default 3)
# "cold" — an empty Maven repository, Maven wrapper home and npm cache each time, as on a fresh
# machine — then as many times "warm" (Maven's downloads kept from the last cold run, a new clone
# and .tools each time). Prints each run and the medians; asserts nothing.
# Runs as anyone (root only if the machine lacks a JDK 21+). Touches only a mktemp directory
# (removed at exit): never ~/.m2, ~/.npm or this checkout's .tools. Needs: git, make, a JDK 21+,
# node and npm, network access to Maven Central and the npm registry.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

RUNS="${BENCH_SYNTH_RUNS:-3}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SYNTH_RUNS must be a positive whole number, not '$RUNS'"
commit="$(git -C "$ZMANIM_ROOT" rev-parse HEAD)"
[ -z "$(git -C "$ZMANIM_ROOT" status --porcelain)" ] \
  || log "the checkout has uncommitted changes: they are NOT measured (the clone is of $commit)"

work="$(mktemp -d "${TMPDIR:-/tmp}/zmanim-bench-synth.XXXXXX")"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# run_once LABEL CACHE: a new clone, then `make synth` with Maven and npm caches under CACHE;
# prints "LABEL seconds".
run_once() {
  local label="$1" cache="$2" clone="$work/clone" t0 t1
  rm -rf "$clone"
  git clone -q "$ZMANIM_ROOT" "$clone"
  git -C "$clone" checkout -q "$commit"
  t0="$(now)"
  (
    cd "$clone"
    unset ZMANIM_TOOLS JAVA_HOME
    MAVEN_USER_HOME="$cache/m2" MAVEN_OPTS="-Dmaven.repo.local=$cache/m2/repository" \
      npm_config_cache="$cache/npm" make synth >"$work/$label.log" 2>&1
  ) || {
    tail -n 30 "$work/$label.log" >&2
    die "make synth failed in run $label"
  }
  t1="$(now)"
  awk -v l="$label" -v a="$t0" -v b="$t1" 'BEGIN {printf "%s %.1f\n", l, b - a}'
}

cold=() warm=()
for i in $(seq "$RUNS"); do
  rm -rf "$work/cache"
  read -r _ s < <(run_once "cold-$i" "$work/cache")
  log "cold run $i (empty Maven repository, wrapper and npm cache): ${s} s"
  cold+=("$s")
done
downloaded="$(du -sh "$work/cache/m2" "$work/cache/npm" | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
for i in $(seq "$RUNS"); do
  read -r _ s < <(run_once "warm-$i" "$work/cache")
  log "warm run $i (Maven's downloads kept): ${s} s"
  warm+=("$s")
done

echo
echo "== fresh clone's make synth: $(date -u +%Y-%m-%dT%H:%MZ), commit ${commit:0:7}, $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "downloaded by a cold run: ${downloaded//$work\/cache\//}"
printf '%-6s %8s   %s\n' mode "median s" "runs (s)"
printf '%-6s %8s   %s\n' cold "$(printf '%s\n' "${cold[@]}" | median)" "${cold[*]}"
printf '%-6s %8s   %s\n' warm "$(printf '%s\n' "${warm[@]}" | median)" "${warm[*]}"
