#!/usr/bin/env bash
# Lint check: shellcheck on every shell script the repository tracks (by extension or shebang).
# Runs as anyone; reads only. Needs: shellcheck (scripts/debian-packages.txt).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
cd "$ZMANIM_ROOT"

mapfile -t scripts < <(shell_scripts with-bats)
[ "${#scripts[@]}" -gt 0 ] || die "no shell scripts found: the file list is wrong"
shellcheck -x -P SCRIPTDIR "${scripts[@]}"
log "shellcheck: ${#scripts[@]} scripts clean"
