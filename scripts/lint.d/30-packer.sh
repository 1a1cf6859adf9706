#!/usr/bin/env bash
# Lint check: the Packer template (infrastructure/packer): `packer fmt -check`, `packer init` (finds
# the amazon plugin that scripts/setup.d/40-go-tools.sh installed: no download) and `packer
# validate` with the template's defaults and the build tags of the configuration (AMI_BUILD_TAGS,
# else cdk.out/zmanim-names.json; no AWS credentials needed: the amazon plugin checks them only
# when building). Also checks that every script named in provision/provision.list exists
# and every provisioner script is named there. Runs as anyone; reads only (init may write
# Packer's plugin directory). Needs: packer and the plugin from `make setup`.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
export PATH="$ZMANIM_TOOLS/go/bin:$PATH"
command -v packer >/dev/null || die "packer is missing: run make setup"
cd "$ZMANIM_ROOT/infrastructure/packer"

packer fmt -check -diff -recursive . || die "packer fmt: run 'packer fmt -recursive infrastructure/packer'"
packer init . >/dev/null || die "packer init failed"
# The role's tags as the configuration names them (the workflow passes its repository variable).
build_tags="${AMI_BUILD_TAGS:-$(zmanim_name amiBuildTags)}"
packer validate -var "build_tags=$build_tags" . || die "packer validate failed"

# The shared list and the scripts agree.
mapfile -t listed < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' provision/provision.list | awk 'NF')
[ "${#listed[@]}" -gt 0 ] || die "provision/provision.list names no script"
for s in "${listed[@]}"; do
  [ -f "provision/$s" ] || die "provision/provision.list names $s, which does not exist"
done
for f in provision/[0-9]*.sh; do
  # A here-string, not a pipe: grep -q exits at the first match, and under pipefail the writer's
  # SIGPIPE would fail the check at random on a loaded machine.
  grep -qxF -- "${f#provision/}" <<<"$(printf '%s\n' "${listed[@]}")" || die "$f is not named in provision/provision.list"
done
log "packer: fmt, init, validate clean; ${#listed[@]} provisioner scripts listed"
