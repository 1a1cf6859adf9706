#!/usr/bin/env bash
# Lint check: actionlint on every GitHub Actions workflow (.github/workflows), with shellcheck on
# their run: steps. Runs as anyone; reads only. Needs: actionlint from `make setup`, shellcheck.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
export PATH="$ZMANIM_TOOLS/go/bin:$PATH"
command -v actionlint >/dev/null || die "actionlint is missing: run make setup"
cd "$ZMANIM_ROOT"
mapfile -t workflows < <(git ls-files --cached --others --exclude-standard '.github/workflows/*.yml' '.github/workflows/*.yaml')
[ "${#workflows[@]}" -gt 0 ] || die "no workflows found in .github/workflows"
actionlint -shellcheck="$(command -v shellcheck)" "${workflows[@]}"
log "actionlint: ${#workflows[@]} workflows clean"
