#!/usr/bin/env bash
# Lint check: one fact, one place. The environment's names (stacks, exports, resource names, the
# parameter prefix, the image build's environment) derive from the configuration (ZmanimConfig,
# Naming) and reach scripts, workflows, the image and the harness through the synth's
# cdk.out/zmanim-names.json or the stacks' outputs: a literal of the default environment's names
# in code is a copy that an override (environmentName=staging) would not move. Comments, docs and
# the two classes that define them (ZmanimConfig, Naming) may show them as examples. Runs as anyone; reads only. Needs: git, grep.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
cd "$ZMANIM_ROOT"

# The default environment's names as they appear in code (Naming: ZmanimProd..., zmanim-prod-...,
# /zmanim/prod/..., prod-ami).
pattern='ZmanimProd|zmanim-prod|/zmanim/prod|prod-ami'
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
  scripts .github infrastructure/packer infrastructure/src/main rehearsal/src/main api/src/main \
  | grep -vE '\.md$|^scripts/lint\.d/35-one-place\.sh$|/config/ZmanimConfig\.java$|/naming/Naming\.java$')
[ "${#files[@]}" -gt 0 ] || die "no files to check: the file list is wrong"
# A line whose code (not a comment) holds one of the names.
found="$(grep -nE -- "$pattern" "${files[@]}" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(#|//|\*|/\*\*)' || true)"
if [ -n "$found" ]; then
  printf '%s\n' "$found" >&2
  die "the lines above copy a name of the default environment: read it from the configuration (Naming, ZmanimConfig) or cdk.out/zmanim-names.json"
fi
log "no copy of the default environment's names in ${#files[@]} files"
