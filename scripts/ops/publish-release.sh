#!/usr/bin/env bash
# Operator command: publishes an API release without rebuilding the image. Uploads the artifact
# and its SHA-256 to releases/<version>/ in the releases bucket (written once: the bucket policy
# refuses any upload without If-None-Match and any delete there, so a published version can never
# be replaced), sets SSM ${prefix}/api-release to `<version>@sha256:<hex>` (the instance verifies the
# jar against that digest, which the bucket's writers cannot change), and activates it through SSM
# Run Command: the instance's zmanim-release-activate fetches exactly that version, verifies it,
# trains its AOT cache while the old API still serves, restarts the API behind its held socket (no
# request refused, docs/adr/0017) and waits for /health to report it. Never "latest".
#   scripts/ops/publish-release.sh --bucket BUCKET [--jar api/target/zmanim-api.jar]
#       [--prefix PREFIX] [--region eu-west-1] [--stack STACK] [--no-restart]
#       (PREFIX and STACK default to the configuration's ssmPrefix and compute stack:
#       cdk.out/zmanim-names.json, from make synth)
#   scripts/ops/publish-release.sh --bucket BUCKET --rollback VERSION [--sha256 HEX]
#       (points api-release back; the digest comes from the parameter's own history, or --sha256)
#   scripts/ops/publish-release.sh --bucket BUCKET --rollback baked
#       (back to the version baked into the instance's image)
# Run from a workstation or CI with AWS credentials. Touches: releases/<version>/ in BUCKET,
# the api-release parameter, the API service on the stack's instances. Needs: aws (CLI v2 with
# put-object --if-none-match), unzip, sha256sum. Safe to re-run: re-publishing identical bytes
# uploads nothing.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

usage() { usage_from_header; }

jar=api/target/zmanim-api.jar bucket="${ZMANIM_RELEASES_BUCKET:-}" prefix=""
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}" stack="" restart=1 rollback="" rollback_sum=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --jar)
      jar="${2:?}"
      shift 2
      ;;
    --bucket)
      bucket="${2:?}"
      shift 2
      ;;
    --prefix)
      prefix="${2:?}"
      shift 2
      ;;
    --region)
      region="${2:?}"
      shift 2
      ;;
    --stack)
      stack="${2:?}"
      shift 2
      ;;
    --no-restart)
      restart=0
      shift
      ;;
    --rollback)
      rollback="${2:?}"
      shift 2
      ;;
    --sha256)
      rollback_sum="${2:?}"
      shift 2
      ;;
    *) usage ;;
  esac
done
[ -n "$bucket" ] || die "--bucket (or ZMANIM_RELEASES_BUCKET) is required: the stack's releases bucket"
[ -n "$prefix" ] || prefix="$(zmanim_name ssmPrefix)"
[ "$restart" -eq 0 ] || [ -n "$stack" ] || stack="$(zmanim_name computeStack)"
command -v aws >/dev/null || die "the AWS CLI (aws) is not on PATH"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_PAGER=""
VERSION_RE='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

SHA_RE='^[0-9a-f]{64}$'
if [ "$rollback" = baked ]; then
  [ -z "$rollback_sum" ] || die "--sha256 makes no sense with --rollback baked: the image holds that version"
  version=baked
  value=baked
elif [ -n "$rollback" ]; then
  [[ "$rollback" =~ $VERSION_RE ]] || die "--rollback '$rollback' is not a version"
  aws s3api head-object --bucket "$bucket" --key "releases/$rollback/zmanim-api.jar" >/dev/null 2>&1 \
    || die "release $rollback is not in s3://$bucket/releases/"
  version="$rollback"
  sum="$rollback_sum"
  if [ -z "$sum" ]; then
    # The digest this version was published with, from the parameter's history (written by an
    # operator), never from the bucket (whose writers the digest guards against).
    sum="$(aws ssm get-parameter-history --name "$prefix/api-release" --query 'Parameters[].Value' --output text \
      | tr '\t' '\n' | sed -n "s/^${version//./\\.}@sha256:\([0-9a-f]\{64\}\)$/\1/p" | tail -n1)"
    [ -n "$sum" ] || die "no digest of $version in the history of $prefix/api-release: pass --sha256 HEX (from the release record)"
  fi
  [[ "$sum" =~ $SHA_RE ]] || die "--sha256 '$sum' is not 64 lowercase hex digits"
  value="$version@sha256:$sum"
else
  [ -f "$jar" ] || die "$jar does not exist: build it with ./mvnw -pl api -am package"
  version="$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p')"
  [[ "$version" =~ $VERSION_RE ]] || die "$jar has no usable Implementation-Version ('$version')"
  sum="$(sha256sum "$jar" | cut -d' ' -f1)"
  key="releases/$version"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp "$jar" "$tmp/zmanim-api.jar"
  (cd "$tmp" && sha256sum zmanim-api.jar >zmanim-api.jar.sha256)
  # upload FILE: written only if the key does not exist yet (If-None-Match: *; the bucket policy
  # refuses uploads without it). An existing key must hold the very same bytes.
  upload() {
    local file="$1" out
    if out="$(aws s3api put-object --bucket "$bucket" --key "$key/$file" --body "$tmp/$file" --if-none-match '*' 2>&1)"; then
      log "uploaded s3://$bucket/$key/$file"
    elif [[ "$out" == *PreconditionFailed* ]]; then
      aws s3api get-object --bucket "$bucket" --key "$key/$file" "$tmp/published" >/dev/null \
        || die "cannot read the published s3://$bucket/$key/$file"
      cmp -s "$tmp/published" "$tmp/$file" \
        || die "version $version is already published with other bytes ($file); bump the version"
      log "s3://$bucket/$key/$file is already published with the same bytes"
    else
      die "uploading $key/$file failed: $out"
    fi
  }
  upload zmanim-api.jar
  upload zmanim-api.jar.sha256
  value="$version@sha256:$sum"
fi

aws ssm put-parameter --name "$prefix/api-release" --type String --value "$value" --overwrite >/dev/null
log "$prefix/api-release = $value"

if [ "$restart" -eq 1 ]; then
  # The version is checked against VERSION_RE above (or is "baked"): nothing else reaches the command.
  activate=/usr/local/sbin/zmanim-release-activate
  [ "$version" = baked ] || activate="$activate --expect $version"
  id="$(aws ssm send-command --document-name AWS-RunShellScript \
    --targets "Key=tag:aws:cloudformation:stack-name,Values=$stack" \
    --comment "zmanim: run API $version" \
    --parameters "commands=[\"$activate\"]" \
    --query Command.CommandId --output text)"
  log "sent SSM command $id ($activate) to the instances of $stack"
  sleep 3
  instance="$(aws ssm list-command-invocations --command-id "$id" --query 'CommandInvocations[0].InstanceId' --output text)"
  aws ssm wait command-executed --command-id "$id" --instance-id "$instance" \
    || die "the activation on $instance failed: journalctl -t zmanim-release-activate -t zmanim-release-fetch -t zmanim-api there"
  log "API $version active on $instance (its /health reports it)"
else
  log "not restarted (--no-restart): the next API start runs $version"
fi
