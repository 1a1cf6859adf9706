#!/usr/bin/env bash
# Lint check: synthesizes the CDK app in both profiles (single into infrastructure/cdk.out, ha into
# infrastructure/cdk.out-ha) and runs cfn-lint over every template, failing on any error or warning
# (informational findings are reported too). Runs as anyone. Touches: infrastructure/cdk.out and
# infrastructure/cdk.out-ha (rewritten by scripts/synth.sh). Needs: cfn-lint (scripts/python-tools.txt)
# and what scripts/synth.sh needs.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

command -v cfn-lint >/dev/null || die "cfn-lint is not on PATH (run make setup)"
"$ZMANIM_ROOT/scripts/synth.sh"
# The ha profile on top of whatever context is configured (cdk.json, CDK_CONTEXT_JSON).
ha_context="$(node -e 'process.stdout.write(JSON.stringify(Object.assign(JSON.parse(process.env.CDK_CONTEXT_JSON || "{}"), {profile: "ha"})))')"
CDK_CONTEXT_JSON="$ha_context" ZMANIM_SYNTH_OUT="$ZMANIM_ROOT/infrastructure/cdk.out-ha" "$ZMANIM_ROOT/scripts/synth.sh"
mapfile -t templates < <(find "$ZMANIM_ROOT/infrastructure/cdk.out" "$ZMANIM_ROOT/infrastructure/cdk.out-ha" \
  -maxdepth 1 -name '*.template.json' | sort)
[ "${#templates[@]}" -ge 9 ] || die "expected at least 9 templates (4 single + 5 ha), found ${#templates[@]}"
# Exit codes are bit flags: 2 = error, 4 = warning, 8 = informational. Fail on any of them.
cfn-lint --format parseable -- "${templates[@]}"
log "cfn-lint: ${#templates[@]} templates, no errors or warnings"
