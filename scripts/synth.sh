#!/usr/bin/env bash
# Synthesizes every stack into infrastructure/cdk.out (<stack>.template.json), with no AWS account
# or credentials: the stacks are environment-agnostic unless -c account=/region= are given.
# Runs as anyone. Touches: infrastructure/target, infrastructure/cdk.out (replaced; or $ZMANIM_SYNTH_OUT).
# Needs: what scripts/cdk-app.sh needs. Extra arguments are not accepted: configuration comes from
# context, e.g. CDK_CONTEXT_JSON='{"alarmEmail":"ops@example.org"}' scripts/synth.sh.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

[ "$#" -eq 0 ] || die "synth.sh takes no arguments (pass configuration as CDK_CONTEXT_JSON)"
# ZMANIM_SYNTH_OUT: another output directory (the lint step synthesizes the ha profile beside the default).
out="${ZMANIM_SYNTH_OUT:-$ZMANIM_ROOT/infrastructure/cdk.out}"
rm -rf "$out"
mkdir -p "$out"
# The CDK CLI passes these two to the app; without the CLI we pass them ourselves: the "context"
# of infrastructure/cdk.json (as `npx cdk` would read it), overridden by CDK_CONTEXT_JSON.
context="$(node -e '
  const base = require(process.argv[1]).context || {};
  const extra = JSON.parse(process.env.CDK_CONTEXT_JSON || "{}");
  process.stdout.write(JSON.stringify(Object.assign({}, base, extra)));
' "$ZMANIM_ROOT/infrastructure/cdk.json")" || die "CDK_CONTEXT_JSON or infrastructure/cdk.json is not valid JSON"
CDK_OUTDIR="$out" CDK_CONTEXT_JSON="$context" "$ZMANIM_ROOT/scripts/cdk-app.sh"

# The stacks the app made for this configuration, as it names them in zmanim-names.json (NamesFile).
names="$out/zmanim-names.json"
[ -s "$names" ] || die "synth wrote no $names"
profile="$(zmanim_name profile "$names")"
mapfile -t expected < <(zmanim_name stackNames "$names")
[ "${#expected[@]}" -gt 0 ] || die "$names names no stack"
for stack in "${expected[@]}"; do
  [ -s "$out/$stack.template.json" ] || die "synth wrote no $out/$stack.template.json"
done
log "synthesized ${#expected[@]} stacks of profile $profile into ${out#"$ZMANIM_ROOT"/}: ${expected[*]}"
