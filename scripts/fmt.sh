#!/usr/bin/env bash
# Formats the code in place (make fmt): shell scripts with shfmt (flags in scripts/lib/common.sh),
# Java with Spotless and google-java-format (pom.xml). What scripts/lint.d/15-format.sh checks.
# Runs as anyone. Touches: the repository's shell scripts and Java sources. Needs: shfmt, a JDK.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
cd "$ZMANIM_ROOT"

command -v shfmt >/dev/null || die "shfmt is not on PATH (run make setup-lint)"
mapfile -t scripts < <(shell_scripts without-bats)
shfmt "${SHFMT_FLAGS[@]}" -w -- "${scripts[@]}"
JAVA_HOME="$("$ZMANIM_ROOT/scripts/java-home.sh")" || die "no JDK 21+ found"
export JAVA_HOME
./mvnw -B -q -Dstyle.color=never spotless:apply
log "formatted ${#scripts[@]} shell scripts and the Java sources"
