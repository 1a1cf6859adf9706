#!/usr/bin/env bash
# Operator command: publishes an API release without rebuilding the image. Uploads the artifact
# and its SHA-256 to releases/<version>/ in the releases bucket (a version, once published, is
# never replaced by different bytes), sets SSM ${prefix}/api-release to <version>@sha256:<digest>
# (the digest the instance checks the artifact against: SSM, not the bucket, is what it trusts), and
# restarts the API through SSM Run Command; the instance's zmanim-release-fetch then fetches exactly
# that version, verifies it against that digest and runs it (docs/architecture.md §4). Never "latest".
#   scripts/ops/publish-release.sh --bucket BUCKET [--jar api/target/zmanim-api.jar]
#       [--prefix /zmanim/prod] [--region eu-west-1] [--stack ZmanimProdCompute] [--no-restart]
#   scripts/ops/publish-release.sh --bucket BUCKET --rollback VERSION   (points api-release back, with
#       the digest an earlier api-release value gave that version: SSM's history, not the bucket)
# Run from a workstation or CI with AWS credentials. Touches: releases/<version>/ in BUCKET,
# the api-release parameter, the API service on the stack's instances. Needs: aws, unzip,
# sha256sum. Safe to re-run: re-publishing identical bytes is a no-op upload.
set -euo pipefail

die() { printf 'publish-release.sh: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'publish-release.sh: %s\n' "$*" >&2; }
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

jar=api/target/zmanim-api.jar bucket="${ZMANIM_RELEASES_BUCKET:-}" prefix=/zmanim/prod
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}" stack=ZmanimProdCompute restart=1 rollback=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --jar) jar="${2:?}"; shift 2 ;;
    --bucket) bucket="${2:?}"; shift 2 ;;
    --prefix) prefix="${2:?}"; shift 2 ;;
    --region) region="${2:?}"; shift 2 ;;
    --stack) stack="${2:?}"; shift 2 ;;
    --no-restart) restart=0; shift ;;
    --rollback) rollback="${2:?}"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$bucket" ] || die "--bucket (or ZMANIM_RELEASES_BUCKET) is required: the stack's releases bucket"
command -v aws >/dev/null || die "the AWS CLI (aws) is not on PATH"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_PAGER=""
VERSION_RE='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

if [ -n "$rollback" ]; then
  [[ "$rollback" =~ $VERSION_RE ]] || die "--rollback '$rollback' is not a version"
  aws s3api head-object --bucket "$bucket" --key "releases/$rollback/zmanim-api.jar" >/dev/null 2>&1 \
    || die "release $rollback is not in s3://$bucket/releases/"
  version="$rollback"
  sum="$(aws ssm get-parameter-history --name "$prefix/api-release" --query 'Parameters[].Value' --output text \
    | tr '\t' '\n' | sed -n "s/^${version//./\\.}@sha256:\([0-9a-f]\{64\}\)$/\1/p" | tail -n1)"
  [ -n "$sum" ] || die "no earlier $prefix/api-release value gave $version a digest: publish it again with --jar"
else
  [ -f "$jar" ] || die "$jar does not exist: build it with ./mvnw -pl api -am package"
  version="$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p')"
  [[ "$version" =~ $VERSION_RE ]] || die "$jar has no usable Implementation-Version ('$version')"
  sum="$(sha256sum "$jar" | cut -d' ' -f1)"
  key="releases/$version"
  # Published versions are immutable: the same version with other bytes is refused.
  if published="$(aws s3 cp --only-show-errors "s3://$bucket/$key/zmanim-api.jar.sha256" - 2>/dev/null)"; then
    [ "${published%% *}" = "$sum" ] || die "version $version is already published with sha256 ${published%% *}; bump the version"
    log "version $version is already published with the same bytes"
  else
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    cp "$jar" "$tmp/zmanim-api.jar"
    (cd "$tmp" && sha256sum zmanim-api.jar >zmanim-api.jar.sha256)
    aws s3 cp --only-show-errors "$tmp/zmanim-api.jar" "s3://$bucket/$key/zmanim-api.jar"
    aws s3 cp --only-show-errors "$tmp/zmanim-api.jar.sha256" "s3://$bucket/$key/zmanim-api.jar.sha256"
    log "uploaded s3://$bucket/$key/ (sha256 $sum)"
  fi
fi

aws ssm put-parameter --name "$prefix/api-release" --type String --value "$version@sha256:$sum" --overwrite >/dev/null
log "$prefix/api-release = $version@sha256:$sum"

if [ "$restart" -eq 1 ]; then
  id="$(aws ssm send-command --document-name AWS-RunShellScript \
    --targets "Key=tag:aws:cloudformation:stack-name,Values=$stack" \
    --comment "zmanim: run API $version" \
    --parameters 'commands=["systemctl restart zmanim-api.service","systemctl is-active zmanim-api.service"]' \
    --query Command.CommandId --output text)"
  log "sent SSM command $id (restart zmanim-api) to the instances of $stack"
  sleep 3
  instance="$(aws ssm list-command-invocations --command-id "$id" --query 'CommandInvocations[0].InstanceId' --output text)"
  aws ssm wait command-executed --command-id "$id" --instance-id "$instance" \
    || die "the restart on $instance failed: journalctl -t zmanim-release-fetch -t zmanim-api there"
  log "API restarted on $instance; it now runs $version (GET /health reports the version)"
else
  log "not restarted (--no-restart): the next API start runs $version"
fi
