#!/usr/bin/env bash
# Prints the monthly on-demand cost of the synthesized compute and storage stacks, priced from the
# dated table infrastructure/src/main/resources/cost/aws-prices.json (com.zmanim.infrastructure.cost).
# Runs as anyone, after scripts/synth.sh (make cost does both). Touches: nothing (reads cdk.out).
# Needs: a JDK 21+ and the classpath the build writes to infrastructure/target/classpath.txt.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

module="$ZMANIM_ROOT/infrastructure"
[ -f "$module/cdk.out/manifest.json" ] || die "no infrastructure/cdk.out: run make synth first"
[ -f "$module/target/classpath.txt" ] || die "no infrastructure/target/classpath.txt: run make synth first"
JAVA_HOME="$("$ZMANIM_ROOT/scripts/java-home.sh")" || die "no JDK 21+ found"
exec "$JAVA_HOME/bin/java" -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  com.zmanim.infrastructure.cost.CostReport "$module/cdk.out"
