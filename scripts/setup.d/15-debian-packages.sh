#!/usr/bin/env bash
# Setup step: installs the Debian packages listed in scripts/debian-packages.txt that are missing.
# Runs as root when anything is missing (apt). Touches: Debian packages only. Needs: nothing.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$ZMANIM_ROOT/scripts/debian-packages.txt" | awk 'NF {print $1}')
apt_install "${packages[@]}"
