#!/usr/bin/env bash
# Runs the CDK app (com.zmanim.infrastructure.ZmanimApp) with a plain `java -cp`: cdk.json's "app"
# and scripts/synth.sh call it. Runs as anyone, from any directory. Touches: infrastructure/target
# (builds the module when its classes or classpath are missing or older than the sources) and the
# output directory the CDK CLI passes in CDK_OUTDIR. Needs: a JDK 21+ (scripts/java-home.sh), node
# on PATH (jsii runs the CDK on node).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

command -v node >/dev/null || die "node is not on PATH (jsii, which runs the CDK in Java, needs it)"
JAVA_HOME="$("$ZMANIM_ROOT/scripts/java-home.sh")" || die "no JDK 21+ found"
export JAVA_HOME
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"

module="$ZMANIM_ROOT/infrastructure"
classpath_file="$module/target/classpath.txt"
stamp="$module/target/.cdk-app-built"
if [ ! -f "$classpath_file" ] || [ ! -f "$stamp" ] \
  || [ -n "$(find "$module/src/main" "$module/pom.xml" "$ZMANIM_ROOT/pom.xml" -newer "$stamp" -type f -print -quit)" ]; then
  log "building the infrastructure module"
  (cd "$ZMANIM_ROOT" && ./mvnw -B -q -Dstyle.color=never -pl infrastructure -am process-classes) >&2
  touch "$stamp"
fi
exec "$JAVA_HOME/bin/java" -cp "$module/target/classes:$(cat "$classpath_file")" \
  com.zmanim.infrastructure.ZmanimApp "$@"
