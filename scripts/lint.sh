#!/usr/bin/env bash
# Static checks: runs every check in scripts/lint.d/ in name order and fails if any fails
# (all run, so one report shows every problem). Runs as anyone; reads only (checks may write
# to target/ or cdk.out). Needs: the tools scripts/setup.sh installs.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

failed=()
for check in "$ZMANIM_ROOT"/scripts/lint.d/*.sh; do
  name="${check##*/}"
  if bash "$check"; then
    log "ok: ${name%.sh}"
  else
    failed+=("${name%.sh}")
  fi
done
[ "${#failed[@]}" -eq 0 ] || die "failed checks: ${failed[*]}"
