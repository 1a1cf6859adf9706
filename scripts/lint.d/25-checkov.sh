#!/usr/bin/env bash
# Lint check: checkov over the synthesized CloudFormation templates of both profiles
# (infrastructure/cdk.out, and infrastructure/cdk.out-ha which 20-cfn-lint.sh synthesizes) and the
# GitHub Actions workflows; fails on any failed check. Exceptions live where they are made, each with
# its reason: CDK code writes them into a resource's Metadata.checkov.skip (nag/CheckovSkip.java),
# workflows carry `# checkov:skip=ID: reason` comments. Runs offline (no policy download, no
# platform). Runs as anyone, after 20-cfn-lint.sh has synthesized; reads only. Needs: checkov
# (scripts/python-tools.txt).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

command -v checkov >/dev/null || die "checkov is not on PATH (run make setup)"
out="$ZMANIM_ROOT/infrastructure/cdk.out"
[ -f "$out/zmanim-names.json" ] || "$ZMANIM_ROOT/scripts/synth.sh"
out_ha="$ZMANIM_ROOT/infrastructure/cdk.out-ha"
[ -f "$out_ha/zmanim-names.json" ] || die "no $out_ha: 20-cfn-lint.sh synthesizes the ha profile first"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# No API key: checkov only tries to fetch guidelines from its platform, which fails offline; that
# noise goes to a file, not to the report. Exit 1 = a failed check.
rc=0
checkov --skip-download --compact --framework cloudformation github_actions \
  -d "$out" -d "$out_ha" -d "$ZMANIM_ROOT/.github/workflows" >"$tmp/report" 2>"$tmp/noise" || rc=$?
if [ "$rc" -ne 0 ]; then
  grep -v '^$' "$tmp/report" >&2 || tail -20 "$tmp/noise" >&2
  die "checkov: failed checks above (fix them, or skip with the reason where the resource is made)"
fi
grep -E '^(cloudformation|github_actions) scan results|^Passed checks' "$tmp/report" | paste -d' ' - - | sort -u | while read -r line; do
  log "checkov: $line"
done
