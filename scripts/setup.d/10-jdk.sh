#!/usr/bin/env bash
# Setup step: makes sure a JDK 21+ exists (the Maven build's minimum, enforced by the parent pom).
# Runs as root when it must install. Touches: Debian packages only. Needs: nothing.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

if ! "$ZMANIM_ROOT/scripts/java-home.sh" >/dev/null 2>&1; then
  # Debian 13 and newer carry openjdk-21; older releases fail here with apt's own message.
  apt_install openjdk-21-jdk-headless
  "$ZMANIM_ROOT/scripts/java-home.sh" >/dev/null
fi
