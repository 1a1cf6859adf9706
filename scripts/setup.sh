#!/usr/bin/env bash
# Installs everything the build, the tests and the rehearsal need, when it is missing.
# Runs from `make` before every target that needs tools; as root for Debian packages (CI is root).
# Touches: Debian packages (apt), and $ZMANIM_TOOLS (default .tools/, git-ignored) for the
# pinned npm, PyPI and Go-module tools. Idempotent and quiet when everything is already there.
# Each step is a file in scripts/setup.d/, run in name order; each checks before it acts.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

mkdir -p "$ZMANIM_TOOLS/bin"
for step in "$ZMANIM_ROOT"/scripts/setup.d/*.sh; do
  bash "$step" || die "setup step ${step##*/} failed"
done
