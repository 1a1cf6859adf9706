#!/usr/bin/env bash
# Setup step: installs the Debian packages of scripts/debian-packages.txt that the targets being set
# up need (scripts/setup.sh) and that are missing. Runs as root when anything is missing (apt).
# Touches: Debian packages only. Needs: nothing.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

list="$(setup_list "$ZMANIM_ROOT/scripts/debian-packages.txt")"
[ -n "$list" ] || exit 0
mapfile -t packages <<<"$list"
apt_install "${packages[@]}"
