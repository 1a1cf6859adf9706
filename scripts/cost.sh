#!/usr/bin/env bash
# Prints the monthly on-demand cost of both profiles, priced from the dated table
# infrastructure/src/main/resources/cost/aws-prices.json (com.zmanim.infrastructure.cost): single
# (the synthesized compute and storage stacks in cdk.out), then ha at its minimum capacity (this
# script synthesizes it, with the same context plus profile=ha, into cdk.out-ha).
# Runs as anyone, after scripts/synth.sh (make cost does both). Touches: infrastructure/cdk.out-ha.
# Needs: a JDK 21+ and the classpath the build writes to infrastructure/target/classpath.txt.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

module="$ZMANIM_ROOT/infrastructure"
[ -f "$module/cdk.out/manifest.json" ] || die "no infrastructure/cdk.out: run make synth first"
[ -f "$module/target/classpath.txt" ] || die "no infrastructure/target/classpath.txt: run make synth first"
JAVA_HOME="$("$ZMANIM_ROOT/scripts/java-home.sh")" || die "no JDK 21+ found"
ha_context="$(node -e 'process.stdout.write(JSON.stringify(Object.assign(JSON.parse(process.env.CDK_CONTEXT_JSON || "{}"), {profile: "ha"})))')" \
  || die "CDK_CONTEXT_JSON is not valid JSON"
CDK_CONTEXT_JSON="$ha_context" ZMANIM_SYNTH_OUT="$module/cdk.out-ha" "$ZMANIM_ROOT/scripts/synth.sh" >&2
exec "$JAVA_HOME/bin/java" -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  com.zmanim.infrastructure.cost.CostReport "$module/cdk.out" "$module/cdk.out-ha"
