#!/usr/bin/env bash
# Installs what the given make targets need, when it is missing: `scripts/setup.sh synth lint`;
# with no argument (`make setup`), what every target needs. Each target runs it for itself, so a
# fresh clone's `make synth` installs the JDK check, Maven and the CDK CLI only, and the lint,
# bench and rehearsal tools arrive with the targets that use them.
# Runs from `make`; as root when Debian packages are missing (CI is root).
# Touches: Debian packages (apt), and $ZMANIM_TOOLS (default .tools/, git-ignored) for the
# pinned npm, PyPI and Go-module tools. Idempotent and quiet when everything is already there.
# Each step is a file in scripts/setup.d/, run in name order; each checks before it acts and does
# nothing for targets it does not serve. The tool lists (scripts/debian-packages.txt,
# scripts/python-tools.txt) name, per line, the targets that need the tool.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

for target in "$@"; do
  case " ${ZMANIM_SETUP_ALL[*]} " in
    *" $target "*) ;;
    *) die "unknown target '$target' (setup knows: ${ZMANIM_SETUP_ALL[*]})" ;;
  esac
done
if [ "$#" -gt 0 ]; then ZMANIM_SETUP_TARGETS="$*"; else ZMANIM_SETUP_TARGETS="${ZMANIM_SETUP_ALL[*]}"; fi
export ZMANIM_SETUP_TARGETS

mkdir -p "$ZMANIM_TOOLS/bin"
for step in "$ZMANIM_ROOT"/scripts/setup.d/*.sh; do
  bash "$step" || die "setup step ${step##*/} failed (for: $ZMANIM_SETUP_TARGETS)"
done
