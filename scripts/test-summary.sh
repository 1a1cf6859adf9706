#!/usr/bin/env bash
# Prints one line summing the Surefire reports of every module ("java: N passed, N failed, N skipped"),
# because the quiet Maven build prints none. Runs as anyone, after `mvnw verify`; reads
# */target/surefire-reports only. Fails when no report exists (a build that ran no test is wrong).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

shopt -s nullglob
reports=("$ZMANIM_ROOT"/*/target/surefire-reports/TEST-*.xml)
[ "${#reports[@]}" -gt 0 ] || die "no Surefire reports under */target/surefire-reports: no test ran"
total=0 failed=0 skipped=0
for r in "${reports[@]}"; do
  head="$(grep -m1 -o '<testsuite [^>]*>' "$r")"
  attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$head"; }
  total=$((total + $(attr tests)))
  failed=$((failed + $(attr failures) + $(attr errors)))
  skipped=$((skipped + $(attr skipped)))
done
echo "java: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
