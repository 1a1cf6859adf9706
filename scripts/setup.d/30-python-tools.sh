#!/usr/bin/env bash
# Setup step: installs the pinned PyPI tools of scripts/python-tools.txt that the targets being set
# up need (scripts/setup.sh) into $ZMANIM_TOOLS/venv, and links their commands into
# $ZMANIM_TOOLS/bin. A tool whose pinned dependencies conflict with the others' (checkov: its
# botocore range excludes awscli's exact pin) gets a venv of its own, $ZMANIM_TOOLS/venv-<name>.
# Runs as anyone. Touches: $ZMANIM_TOOLS only. Needs: python3 with the venv module.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

# Tools installed apart, each in its own venv (see above).
ISOLATED=(checkov)

list="$(setup_list "$ZMANIM_ROOT/scripts/python-tools.txt")"
[ -n "$list" ] || exit 0
mapfile -t wanted <<<"$list"
for req in "${wanted[@]}"; do
  [[ "$req" =~ ^[A-Za-z0-9._-]+(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+$ ]] \
    || die "scripts/python-tools.txt: '$req' is not pinned exactly (NAME==VERSION)"
done

req_name() {
  local n="${1%%==*}"
  printf '%s' "${n%%\[*}"
}
isolated() {
  local i
  for i in "${ISOLATED[@]}"; do [ "$i" = "$1" ] && return 0; done
  return 1
}

# install VENV REQUIREMENT...: installs into VENV those not installed there yet.
install() {
  local venv="$1" req name
  shift
  # The requirements installed so far, one a line: a requirement absent from it (new tool, new
  # version) is installed; the others are not looked at again.
  local stamp="$venv/.installed-requirements"
  local -a missing=() names=()
  for req in "$@"; do
    grep -qxF -- "$req" "$stamp" 2>/dev/null || missing+=("$req")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  command -v python3 >/dev/null || die "python3 is not on PATH"
  log "installing into $venv from PyPI: ${missing[*]}"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}"
  # Another version of the same tool is no longer installed: drop its line.
  for req in "${missing[@]}"; do names+=("$(req_name "$req")"); done
  local pattern
  pattern="^($(
    IFS='|'
    echo "${names[*]}"
  ))(\[|==)"
  {
    grep -vE -- "$pattern" "$stamp" 2>/dev/null || true
    printf '%s\n' "${missing[@]}"
  } >"$stamp.new"
  mv "$stamp.new" "$stamp"
}

shared=()
for req in "${wanted[@]}"; do
  name="$(req_name "$req")"
  if isolated "$name"; then
    install "$ZMANIM_TOOLS/venv-$name" "$req"
    ln -sfn "$ZMANIM_TOOLS/venv-$name/bin/$name" "$ZMANIM_TOOLS/bin/$name"
  else
    shared+=("$req")
  fi
done
[ "${#shared[@]}" -eq 0 ] || install "$ZMANIM_TOOLS/venv" "${shared[@]}"
# The commands the targets run (a tool's command is linked once the tool is installed).
for cmd in cfn-lint moto_server aws; do
  if [ -x "$ZMANIM_TOOLS/venv/bin/$cmd" ]; then ln -sfn "$ZMANIM_TOOLS/venv/bin/$cmd" "$ZMANIM_TOOLS/bin/$cmd"; fi
done
