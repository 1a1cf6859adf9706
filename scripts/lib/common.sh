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
