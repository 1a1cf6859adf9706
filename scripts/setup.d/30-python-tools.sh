#!/usr/bin/env bash
# Setup step: installs the pinned PyPI tools of scripts/python-tools.txt that the targets being set
# up need (scripts/setup.sh) into $ZMANIM_TOOLS/venv, and links their commands into
# $ZMANIM_TOOLS/bin. Runs as anyone. Touches: $ZMANIM_TOOLS only. Needs: python3 with the venv module.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

list="$(setup_list "$ZMANIM_ROOT/scripts/python-tools.txt")"
[ -n "$list" ] || exit 0
mapfile -t wanted <<<"$list"
for req in "${wanted[@]}"; do
  [[ "$req" =~ ^[A-Za-z0-9._-]+(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+$ ]] \
    || die "scripts/python-tools.txt: '$req' is not pinned exactly (NAME==VERSION)"
done

venv="$ZMANIM_TOOLS/venv"
# The requirements installed so far, one a line: a requirement absent from it (new tool, new
# version) is installed; the others are not looked at again.
stamp="$venv/.installed-requirements"
missing=()
for req in "${wanted[@]}"; do
  grep -qxF -- "$req" "$stamp" 2>/dev/null || missing+=("$req")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v python3 >/dev/null || die "python3 is not on PATH"
  log "installing into $venv from PyPI: ${missing[*]}"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}"
  # Another version of the same tool is no longer installed: drop its line.
  names=()
  for req in "${missing[@]}"; do name="${req%%==*}"; names+=("${name%%\[*}"); done
  pattern="^($(IFS='|'; echo "${names[*]}"))(\[|==)"
  { grep -vE -- "$pattern" "$stamp" 2>/dev/null || true; printf '%s\n' "${missing[@]}"; } >"$stamp.new"
  mv "$stamp.new" "$stamp"
fi
# The commands the targets run (a tool's command is linked once the tool is installed).
for cmd in cfn-lint moto_server aws; do
  if [ -x "$venv/bin/$cmd" ]; then ln -sfn "$venv/bin/$cmd" "$ZMANIM_TOOLS/bin/$cmd"; fi
done
