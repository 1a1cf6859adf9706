#!/usr/bin/env bash
# Setup step (`make rehearse`): builds the rehearsal's instance-metadata mock, amazon-ec2-metadata-mock, from its Go
# module at a pinned version into $ZMANIM_TOOLS/bin/ec2-metadata-mock (release binaries are not used:
# only the Go module proxy is reachable). moto_server comes from scripts/python-tools.txt.
# Runs as anyone. Touches: $ZMANIM_TOOLS only (bin/, go/ for the module cache). Needs: go on PATH.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
setup_for rehearse || exit 0

AEMM_MODULE=github.com/aws/amazon-ec2-metadata-mock
AEMM_VERSION=v1.13.0

bin="$ZMANIM_TOOLS/bin/ec2-metadata-mock"
stamp="$ZMANIM_TOOLS/bin/.ec2-metadata-mock.version"
if [ ! -x "$bin" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$AEMM_VERSION" ]; then
  command -v go >/dev/null || die "go is not on PATH (the metadata mock is built from its Go module)"
  log "building $AEMM_MODULE@$AEMM_VERSION from the Go module proxy"
  mkdir -p "$ZMANIM_TOOLS/go"
  GOPATH="$ZMANIM_TOOLS/go" GOFLAGS=-modcacherw GOBIN="$ZMANIM_TOOLS/bin" \
    go install "$AEMM_MODULE/cmd/ec2-metadata-mock@$AEMM_VERSION"
  echo "$AEMM_VERSION" >"$stamp"
fi
