#!/usr/bin/env bash
# Setup step: builds the pinned Go-module tools the static checks (`make lint`) need:
# Packer, its hashicorp/amazon plugin and actionlint. Nothing is downloaded but Go modules (proxy).
# Runs as anyone (root in CI). Touches: $ZMANIM_TOOLS/go (binaries, build cache), Go's module
# cache, and Packer's plugin directory (${PACKER_PLUGIN_PATH:-~/.config/packer/plugins}), so that
# a plain `packer init .` finds the plugin already installed and downloads nothing.
# Needs: go 1.26.3+ on PATH (Packer 1.16.0's go.mod). Idempotent and quiet when every tool is already at its pinned version.
#
# `go install module@version` refuses modules whose go.mod has `replace` lines (Packer and its
# plugins have one for go-cty), so those two are fetched with `go mod download -json` and built
# from a writable copy of the module directory.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
setup_for lint || exit 0

PACKER_VERSION=1.16.0
PACKER_AMAZON_VERSION=1.8.2
ACTIONLINT_VERSION=1.7.12

bin="$ZMANIM_TOOLS/go/bin"
export GOBIN="$bin" GOFLAGS="-buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
export PATH="$bin:$PATH"

have_go() { command -v go >/dev/null || die "go is not on PATH (Go 1.26.3+ builds Packer, its plugin and actionlint)"; }

# build_module MODULE VERSION OUT LDFLAGS: builds the main package of a module with replace lines.
build_module() {
  local module="$1" version="$2" out="$3" ldflags="$4" dir work
  dir="$(cd "$(mktemp -d)" && go mod download -json "$module@v$version" | jq -r '.Dir // empty')"
  [ -d "${dir:-/nonexistent}" ] || die "go mod download $module@v$version gave no directory"
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "chmod -R u+w '$work'; rm -rf '$work'" RETURN
  cp -R "$dir/." "$work/"
  chmod -R u+w "$work"
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$out" . 2>"$work.log") \
    || {
      cat "$work.log" >&2
      die "go build of $module@v$version failed"
    }
  rm -f "$work.log"
}

mkdir -p "$bin"

# Packer itself.
if [ "$("$bin/packer" version 2>/dev/null | head -n1)" != "Packer v$PACKER_VERSION" ]; then
  have_go
  log "building packer $PACKER_VERSION from its Go module"
  build_module github.com/hashicorp/packer "$PACKER_VERSION" "$bin/packer" \
    "-s -w -X github.com/hashicorp/packer/version.VersionPrerelease="
  [ "$("$bin/packer" version | head -n1)" = "Packer v$PACKER_VERSION" ] || die "packer reports $("$bin/packer" version | head -n1)"
fi

# The amazon plugin, installed where `packer init` looks for it.
if ! "$bin/packer" plugins installed 2>/dev/null | grep -q "github.com/hashicorp/amazon/packer-plugin-amazon_v${PACKER_AMAZON_VERSION}_"; then
  have_go
  log "building packer-plugin-amazon $PACKER_AMAZON_VERSION from its Go module"
  plugin="$ZMANIM_TOOLS/go/packer-plugin-amazon"
  build_module github.com/hashicorp/packer-plugin-amazon "$PACKER_AMAZON_VERSION" "$plugin" "-s -w"
  "$bin/packer" plugins install --path "$plugin" github.com/hashicorp/amazon >/dev/null
  "$bin/packer" plugins installed | grep -q "packer-plugin-amazon_v${PACKER_AMAZON_VERSION}_" \
    || die "packer does not list the amazon plugin $PACKER_AMAZON_VERSION after installing it"
fi

# actionlint (no replace lines: go install works).
if [ "$("$bin/actionlint" -version 2>/dev/null | head -n1)" != "$ACTIONLINT_VERSION" ]; then
  have_go
  log "building actionlint $ACTIONLINT_VERSION from its Go module"
  go install -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" \
    "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
fi
