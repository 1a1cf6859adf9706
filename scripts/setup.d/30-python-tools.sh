#!/usr/bin/env bash
# Setup step: installs the pinned PyPI tools of scripts/python-tools.txt into $ZMANIM_TOOLS/venv
# and links their commands into $ZMANIM_TOOLS/bin. Runs as anyone. Touches: $ZMANIM_TOOLS only.
# Needs: python3 with the venv module.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

list="$ZMANIM_ROOT/scripts/python-tools.txt"
venv="$ZMANIM_TOOLS/venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$list" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  command -v python3 >/dev/null || die "python3 is not on PATH"
  log "installing PyPI tools into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$list"
  echo "$want" >"$stamp"
fi
for cmd in cfn-lint moto_server aws; do
  ln -sfn "$venv/bin/$cmd" "$ZMANIM_TOOLS/bin/$cmd"
done
