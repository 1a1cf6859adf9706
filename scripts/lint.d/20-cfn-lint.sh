#!/usr/bin/env bash
# Lint check: synthesizes the CDK app and runs cfn-lint over every template, failing on any error
# or warning (informational findings are reported too). Runs as anyone. Touches:
# infrastructure/cdk.out (rewritten by scripts/synth.sh). Needs: cfn-lint (scripts/python-tools.txt)
# and what scripts/synth.sh needs.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

command -v cfn-lint >/dev/null || die "cfn-lint is not on PATH (run make setup)"
"$ZMANIM_ROOT/scripts/synth.sh"
mapfile -t templates < <(find "$ZMANIM_ROOT/infrastructure/cdk.out" -maxdepth 1 -name '*.template.json' | sort)
[ "${#templates[@]}" -ge 4 ] || die "expected at least 4 templates in infrastructure/cdk.out, found ${#templates[@]}"
# Exit codes are bit flags: 2 = error, 4 = warning, 8 = informational. Fail on any of them.
cfn-lint --format parseable -- "${templates[@]}"
log "cfn-lint: ${#templates[@]} templates, no errors or warnings"
