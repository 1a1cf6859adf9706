#!/usr/bin/env bash
# Shared helpers for the project's developer scripts (setup, lint, bench).
# Sourced, never run. Touches nothing by itself.
# shellcheck shell=bash

# The repository root, whatever the caller's working directory.
ZMANIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Tools the project installs for itself live here (git-ignored).
ZMANIM_TOOLS="${ZMANIM_TOOLS:-$ZMANIM_ROOT/.tools}"
export ZMANIM_ROOT ZMANIM_TOOLS

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# zmanim_name KEY [FILE]: a name the CDK app gave something (cdk.out/zmanim-names.json, written at
# synth from the configuration: NamesFile), one value a line for a list; KEY may be a path
# (stacks.Compute, config.apiPort). Dies naming what is missing.
zmanim_name() {
  local key="$1" file="${2:-$ZMANIM_ROOT/infrastructure/cdk.out/zmanim-names.json}"
  [ -s "$file" ] || die "$file is missing: run make synth (with your configuration) first"
  node -e '
    const v = process.argv[2].split(".").reduce((o, k) => (o == null ? undefined : o[k]),
      JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")));
    if (v === undefined) { process.stderr.write("no " + process.argv[2] + " in " + process.argv[1] + "\n"); process.exit(1); }
    process.stdout.write((Array.isArray(v) ? v.join("\n") : typeof v === "object" ? JSON.stringify(v) : String(v)) + "\n");
  ' "$file" "$key" || die "cannot read $key from $file"
}

need_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 needs root (run as root, as CI does)"
}

# apt_install PKG...: installs the packages that are not installed yet; quiet when all are.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root "installing ${missing[*]}"
  log "installing from Debian's archive: ${missing[*]}"
  if [ ! -f "$ZMANIM_TOOLS/.apt-updated" ] || [ -n "$(find "$ZMANIM_TOOLS/.apt-updated" -mmin +720 2>/dev/null)" ]; then
    apt-get update -qq >/dev/null
    mkdir -p "$ZMANIM_TOOLS" && touch "$ZMANIM_TOOLS/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- Setup: each make target installs only the tools it needs ---------------------------------
# The make targets that setup installs tools for; scripts/setup.sh validates its arguments against
# this list and exports the chosen ones as ZMANIM_SETUP_TARGETS (unset: all of them).
ZMANIM_SETUP_ALL=(synth test-java test-bats lint bench rehearse)

# setup_for TARGET...: true when the running setup serves at least one of these make targets.
setup_for() {
  local t
  for t in "$@"; do
    case " ${ZMANIM_SETUP_TARGETS:-${ZMANIM_SETUP_ALL[*]}} " in *" $t "*) return 0 ;; esac
  done
  return 1
}

# setup_list FILE: prints the items of a tool list whose targets the running setup serves. A line is
# `ITEM TARGET[,TARGET...]`, `#` starts a comment. Dies naming the line when a line names no
# target, an unknown one, or has more fields (call it as list="$(setup_list FILE)" so that dies).
setup_list() {
  local file="$1" n=0 line item targets extra t wanted
  local -a ts
  [ -f "$file" ] || die "missing tool list $file"
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    line="${line%%#*}"
    item="" targets="" extra=""
    read -r item targets extra <<<"$line"
    [ -n "$item" ] || continue
    if [ -z "$targets" ] || [ -n "$extra" ]; then
      die "${file#"$ZMANIM_ROOT"/}:$n: '$item' must be followed by the make targets that need it, comma-separated (of: ${ZMANIM_SETUP_ALL[*]}), and nothing else"
    fi
    wanted=false
    IFS=, read -ra ts <<<"$targets"
    for t in "${ts[@]}"; do
      case " ${ZMANIM_SETUP_ALL[*]} " in
        *" $t "*) ;;
        *) die "${file#"$ZMANIM_ROOT"/}:$n: unknown make target '$t' for '$item' (one of: ${ZMANIM_SETUP_ALL[*]})" ;;
      esac
      setup_for "$t" && wanted=true
    done
    if [ "$wanted" = true ]; then echo "$item"; fi
  done <"$file"
}
