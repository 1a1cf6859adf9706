#!/usr/bin/env bash
# Setup step: installs the pinned AWS CDK CLI from the npm registry into $ZMANIM_TOOLS/node.
# Runs as anyone. Touches: $ZMANIM_TOOLS only. Needs: node and npm on PATH.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

CDK_CLI_VERSION=2.1148.1

command -v node >/dev/null || die "node is not on PATH (jsii, which runs the CDK in Java, needs it)"
prefix="$ZMANIM_TOOLS/node"
installed="$(node -p "require('$prefix/node_modules/aws-cdk/package.json').version" 2>/dev/null || true)"
if [ "$installed" != "$CDK_CLI_VERSION" ]; then
  log "installing aws-cdk@$CDK_CLI_VERSION from npm"
  mkdir -p "$prefix"
  npm install --silent --no-save --prefix "$prefix" "aws-cdk@$CDK_CLI_VERSION" >/dev/null
fi
ln -sfn "$prefix/node_modules/.bin/cdk" "$ZMANIM_TOOLS/bin/cdk"
