#!/usr/bin/env bash
# Operator command: promotes the image workflow's candidate AMI to the one the compute stack
# launches. The workflow only writes ${prefix}/ami-candidate-id and -version; this is the explicit
# step that copies them to ${prefix}/ami-id and ${prefix}/ami-version, after checking that the image
# is owned by this account, available, arm64, and the very candidate (ADR 0012). The next
# deploy of the compute stack then replaces the instance with it.
#   scripts/ops/promote-ami.sh [--ami ami-...] [--prefix PREFIX] [--region eu-west-1]
#     --prefix  default: the configuration's ssmPrefix (cdk.out/zmanim-names.json, from make synth)
#     --ami   the id the workflow's summary printed; must equal the candidate parameter (a guard
#             against promoting something else than what was reviewed)
# Run from a workstation with AWS credentials allowed ssm:PutParameter on ami-id/ami-version (an
# administrator; the build role cannot). Touches: those two parameters only. Needs: aws (CLI v2),
# jq. Safe to re-run: promoting the current image again changes nothing.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

usage() { usage_from_header; }

prefix="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}" expected=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --ami)
      expected="${2:?}"
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
    -h | --help) usage ;;
    *) usage ;;
  esac
done
[ -n "$prefix" ] || prefix="$(zmanim_name ssmPrefix)"
[[ "$prefix" =~ ^/[A-Za-z0-9/_.-]+[^/]$ ]] || die "--prefix '$prefix' must start with / and not end with /"
command -v aws >/dev/null || die "the AWS CLI (aws) is not on PATH"
command -v jq >/dev/null || die "jq is not on PATH"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_PAGER=""

param() { aws ssm get-parameter --name "$prefix/$1" --query Parameter.Value --output text; }
ami="$(param ami-candidate-id)" || die "cannot read $prefix/ami-candidate-id (has the workflow run?)"
version="$(param ami-candidate-version)" || die "cannot read $prefix/ami-candidate-version"
[[ "$ami" =~ ^ami-[0-9a-f]+$ ]] || die "$prefix/ami-candidate-id holds '$ami', not an AMI id"
[ -z "$expected" ] || [ "$expected" = "$ami" ] || die "the candidate is $ami, not $expected: refusing"

account="$(aws sts get-caller-identity --query Account --output text)"
# --owners self: an image of another account (a public look-alike, a shared image) is not found.
image="$(aws ec2 describe-images --owners self --image-ids "$ami" --query 'Images[0]' --output json 2>/dev/null)" \
  || die "$ami is not an image owned by account $account: refusing"
[ "$(jq -r '.OwnerId' <<<"$image")" = "$account" ] || die "$ami is not owned by account $account: refusing"
[ "$(jq -r '.State' <<<"$image")" = available ] || die "$ami is $(jq -r '.State' <<<"$image"), not available"
[ "$(jq -r '.Architecture' <<<"$image")" = arm64 ] || die "$ami is $(jq -r '.Architecture' <<<"$image"), not arm64"

if [ "$(param ami-id 2>/dev/null || true)" = "$ami" ]; then
  log "$prefix/ami-id is already $ami (version $version): nothing to do"
  exit 0
fi
aws ssm put-parameter --name "$prefix/ami-id" --type String --data-type aws:ec2:image --value "$ami" --overwrite >/dev/null
aws ssm put-parameter --name "$prefix/ami-version" --type String --value "$version" --overwrite >/dev/null
log "promoted $ami (version $version, owner $account) to $prefix/ami-id; now: cd infrastructure && npx cdk deploy $(zmanim_name computeStack 2>/dev/null || echo '<the compute stack>')"
