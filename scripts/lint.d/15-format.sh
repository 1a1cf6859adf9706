#!/usr/bin/env bash
# Lint check: the code is formatted as `make fmt` leaves it: shell scripts by shfmt (the flags in
# scripts/lib/common.sh; bats files are left to shellcheck, this shfmt cannot parse them), Java by
# Spotless with google-java-format (pom.xml). Fails listing the differences. Runs as anyone; reads
# only. Needs: shfmt (scripts/debian-packages.txt), a JDK and Maven (the wrapper).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
cd "$ZMANIM_ROOT"

command -v shfmt >/dev/null || die "shfmt is not on PATH (run make setup-lint)"
mapfile -t scripts < <(shell_scripts without-bats)
[ "${#scripts[@]}" -gt 0 ] || die "no shell scripts found: the file list is wrong"
failed=0
shfmt "${SHFMT_FLAGS[@]}" -d -- "${scripts[@]}" || {
  log "FAIL: shell scripts above are not formatted: run make fmt"
  failed=1
}
JAVA_HOME="$("$ZMANIM_ROOT/scripts/java-home.sh")" || die "no JDK 21+ found"
export JAVA_HOME
./mvnw -B -q -Dstyle.color=never spotless:check || {
  log "FAIL: Java sources above are not formatted: run make fmt"
  failed=1
}
[ "$failed" -eq 0 ] || die "unformatted code (make fmt formats it)"
log "format: ${#scripts[@]} shell scripts and the Java sources as make fmt leaves them"
