#!/usr/bin/env bash
# Setup step: installs the AWS CDK CLI pinned in infrastructure/package-lock.json into
# infrastructure/node_modules (npm ci), so that `cd infrastructure && npx cdk ...` runs that exact
# version and never fetches another. For `make synth` (the other targets run the app without the
# CLI). Runs as anyone. Touches: infrastructure/node_modules only. Needs: node and npm on PATH.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
setup_for synth || exit 0

command -v node >/dev/null || die "node is not on PATH (jsii, which runs the CDK in Java, needs it)"
command -v npm >/dev/null || die "npm is not on PATH (it installs the pinned CDK CLI)"
dir="$ZMANIM_ROOT/infrastructure"
[ -f "$dir/package-lock.json" ] || die "missing $dir/package-lock.json (it pins the CDK CLI)"
want="$(node -p "require('$dir/package-lock.json').packages['node_modules/aws-cdk'].version")"
have="$(node -p "require('$dir/node_modules/aws-cdk/package.json').version" 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  log "installing aws-cdk@$want from infrastructure/package-lock.json"
  (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
