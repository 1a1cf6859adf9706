#!/usr/bin/env bash
# Operator command: creates, rotates and checks the SSM SecureString parameters the instance needs
# (CloudFormation cannot create SecureString parameters). Run from a workstation or CI with the
# operator's own AWS credentials; touches only the parameters ${prefix}/<name> named below and, for
# rotate, the stack's instances (SSM Run Command, the stack's rotation document only) and, with
# --distribution, that CloudFront distribution's origin header.
# Values never appear on a command line: they are generated here or read from stdin, and reach
# the AWS CLI through a 0600 temporary file.
#   scripts/ops/secrets.sh list                 the required secrets and whether each exists
#   scripts/ops/secrets.sh init                 creates every missing one with a random value
#   scripts/ops/secrets.sh set NAME             sets NAME to the value read from stdin
#   scripts/ops/secrets.sh rotate NAME          a new random value, applied on the instance without
#                                               a failed request (docs/adr/0018-secret-rotation.md,
#                                               docs/runbooks/rotate-*.md):
#       postgres-password, redis-password       one step
#       origin-verify-secret [--distribution ID]  phase 1: the API accepts old and new; with ID,
#                                               CloudFront's X-Origin-Verify header is switched and,
#                                               once deployed, phase 2 runs; without it, set the
#                                               header yourself, then:
#       origin-verify-secret --finish           phase 2: the API accepts the new value only
#       restic-password                         a key for the new password added, switched, the old
#                                               key removed (snapshots stay readable)
#       pgbackrest-cipher-pass                  refused: a new key needs a new repository (ADR 0018)
#   scripts/ops/secrets.sh apply                re-runs zmanim-boot on the instance (SSM Run Command)
#                                               so rotated values take effect
# Options (before the command): --prefix PREFIX, --region eu-west-1, --stack STACK (its instances:
# tag aws:cloudformation:stack-name; its output RotationDocumentName is the SSM document rotate
# runs); PREFIX and STACK default to the configuration's ssmPrefix and compute stack
# (cdk.out/zmanim-names.json, from make synth). ZMANIM_ROTATE_ON_INSTANCE=CMD runs `CMD STEP`
# instead of SSM Run Command (the rehearsal's stand-in for the SSM agent).
# Needs: aws (CLI v2), jq, /dev/urandom. Safe to re-run: init creates only what is missing; a
# rotate interrupted half-way is finished by running it again (each step checks its own state).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

# The required secrets and the form the instance accepts (docs/architecture.md §3), read from the
# image's own definitions (ZMANIM_REQUIRED_SECRETS, ZMANIM_SECRET_PATTERN), never copied.
COMMON="$ZMANIM_ROOT/infrastructure/packer/files/usr/local/lib/zmanim/common.sh"
read -ra REQUIRED <<<"$(sed -n '/^ZMANIM_REQUIRED_SECRETS=(/,/)/p' "$COMMON" | tr -d '()' | sed 's/^ZMANIM_REQUIRED_SECRETS=//' | tr '\n' ' ')"
[ "${#REQUIRED[@]}" -ge 1 ] || die "cannot read ZMANIM_REQUIRED_SECRETS from $COMMON"
SECRET_PATTERN="$(sed -n "s/^ZMANIM_SECRET_PATTERN='\(.*\)'$/\1/p" "$COMMON")"
[ -n "$SECRET_PATTERN" ] || die "cannot read ZMANIM_SECRET_PATTERN from $COMMON"
usage() { usage_from_header; }

prefix="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}" stack=""
while [ "$#" -gt 0 ]; do
  case "$1" in
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
    -h | --help) usage ;;
    *) break ;;
  esac
done
[ "$#" -ge 1 ] || usage
[ -n "$prefix" ] || prefix="$(zmanim_name ssmPrefix)"
[[ "$prefix" =~ ^/[A-Za-z0-9/_.-]+[^/]$ ]] || die "--prefix '$prefix' must start with / and not end with /"
command -v aws >/dev/null || die "the AWS CLI (aws) is not on PATH"
command -v jq >/dev/null || die "jq is not on PATH"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_PAGER=""

known() {
  local n
  for n in "${REQUIRED[@]}"; do [ "$n" = "$1" ] && return 0; done
  die "unknown secret '$1' (required: ${REQUIRED[*]})"
}
# exists NAME: whether the parameter exists; any answer but "not found" (credentials, network) fails,
# so that a rotation never takes an error for an absent parameter.
exists() {
  local out rc=0
  out="$(aws ssm get-parameter --name "$prefix/$1" --query Parameter.Type --output text 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] || return 0
  [[ "$out" == *ParameterNotFound* ]] || die "cannot read $prefix/$1: ${out//$'\n'/ }"
  return 1
}
generate() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# put NAME: stores stdin's value as a SecureString (overwriting), via a 0600 file, never argv.
put() {
  local name="$1" value tmp
  IFS= read -r value || true
  [ -n "$value" ] || die "empty value for $name: refusing"
  [[ "$value" =~ ^${SECRET_PATTERN}$ ]] \
    || die "the value for $name is not 32 to 256 URL-safe base64 characters (A-Z a-z 0-9 - _): the instance refuses it"
  tmp="$(umask 077 && mktemp)"
  trap 'rm -f "$tmp"' RETURN
  jq -n --arg n "$prefix/$name" --rawfile v /dev/stdin \
    '{Name: $n, Value: ($v | rtrimstr("\n")), Type: "SecureString", Overwrite: true, Tier: "Standard"}' \
    <<<"$value" >"$tmp"
  aws ssm put-parameter --cli-input-json "file://$tmp" >/dev/null
  log "stored $prefix/$name (SecureString)"
}

# copy FROM TO: parameter FROM's value into TO (SecureString), through a pipe, never argv.
copy() {
  aws ssm get-parameter --name "$prefix/$1" --with-decryption --output json | jq -r .Parameter.Value | put "$2"
}
# same A B: do parameters A and B hold the same value? (compared through pipes, never argv)
same() {
  cmp -s <(aws ssm get-parameter --name "$prefix/$1" --with-decryption --output json | jq -r .Parameter.Value) \
    <(aws ssm get-parameter --name "$prefix/$2" --with-decryption --output json | jq -r .Parameter.Value)
}
delete() {
  if ! exists "$1"; then
    log "$prefix/$1 is absent already"
    return 0
  fi
  aws ssm delete-parameter --name "$prefix/$1" || die "cannot delete $prefix/$1"
  log "deleted $prefix/$1"
}

# on_instance STEP: zmanim-rotate STEP on the stack's instances, through the stack's own SSM
# document (an operator may be allowed to send that document alone, not AWS-RunShellScript), and
# waits for its result.
on_instance() {
  local step="$1" document id status deadline
  if [ -n "${ZMANIM_ROTATE_ON_INSTANCE:-}" ]; then
    "$ZMANIM_ROTATE_ON_INSTANCE" "$step" || die "zmanim-rotate $step failed on the instance (see its output above)"
    log "instance: zmanim-rotate $step done"
    return 0
  fi
  [ -n "$stack" ] || stack="$(zmanim_name computeStack)"
  document="$(aws cloudformation describe-stacks --stack-name "$stack" --output text \
    --query "Stacks[0].Outputs[?OutputKey=='RotationDocumentName'].OutputValue")" \
    || die "cannot read the stack $stack's outputs"
  if [ -z "$document" ] || [ "$document" = None ]; then
    die "stack $stack has no output RotationDocumentName: deploy it first"
  fi
  id="$(aws ssm send-command --document-name "$document" \
    --targets "Key=tag:aws:cloudformation:stack-name,Values=$stack" \
    --comment "zmanim: rotation step $step" --parameters "step=$step" \
    --query Command.CommandId --output text)"
  log "sent $document (step $step) to the instances of $stack: command $id; waiting"
  deadline=$((SECONDS + 900))
  while :; do
    status="$(aws ssm list-commands --command-id "$id" --output text \
      --query 'Commands[0].[Status, TargetCount, CompletedCount, ErrorCount]')"
    case "$status" in
      Success*)
        [ "$(awk '{print $2}' <<<"$status")" -ge 1 ] || die "command $id reached no instance of $stack"
        break
        ;;
      Pending* | InProgress*) ;;
      *) die "zmanim-rotate $step did not succeed ($status): aws ssm list-command-invocations --command-id $id --details; journalctl -t zmanim-rotate on the instance" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "zmanim-rotate $step did not finish within 15 minutes (command $id)"
    sleep 3
  done
  log "instance: zmanim-rotate $step done"
}

rotate_postgres_password() {
  generate | put postgres-password
  on_instance database
}
rotate_redis_password() {
  generate | put redis-password
  on_instance redis
}

# Two phases: the API accepts the previous value as well while CloudFront's origin header moves to
# the new one; only after that is the previous value deleted and refused.
rotate_origin_verify_secret() {
  if [ "$finish" -eq 1 ]; then
    exists origin-verify-secret-previous || die "no origin-verify-secret rotation in progress (no $prefix/origin-verify-secret-previous)"
    delete origin-verify-secret-previous
    on_instance origin-verify
    log "origin-verify-secret rotated: the previous value is refused from now on"
    return 0
  fi
  if ! exists origin-verify-secret-previous; then
    copy origin-verify-secret origin-verify-secret-previous
    generate | put origin-verify-secret
  elif same origin-verify-secret origin-verify-secret-previous; then
    # Interrupted between the two writes: the new value was never stored.
    generate | put origin-verify-secret
  else
    log "a rotation is in progress already ($prefix/origin-verify-secret-previous exists): keeping its new value"
  fi
  on_instance origin-verify
  if [ -z "$distribution" ]; then
    log "phase 1 done: the API accepts the old and the new value. Now set CloudFront's origin custom header X-Origin-Verify to the new value (docs/runbooks/rotate-origin-verify-secret.md), wait until the distribution is deployed, then run: scripts/ops/secrets.sh rotate origin-verify-secret --finish"
    return 0
  fi
  cloudfront_header "$distribution"
  finish=1
  rotate_origin_verify_secret
}

# cloudfront_header ID: the distribution's origins that send X-Origin-Verify get the new value; the
# configuration travels in 0600 files, never argv. Waits until CloudFront deployed it.
cloudfront_header() {
  local id="$1" dir etag n
  dir="$(umask 077 && mktemp -d)"
  trap 'rm -rf "$dir"' RETURN
  aws cloudfront get-distribution-config --id "$id" --output json >"$dir/current.json" \
    || die "cannot read CloudFront distribution $id's configuration"
  etag="$(jq -r .ETag "$dir/current.json")"
  aws ssm get-parameter --name "$prefix/origin-verify-secret" --with-decryption --output json \
    | jq -r .Parameter.Value | tr -d '\n' >"$dir/value"
  n="$(jq '[.DistributionConfig.Origins.Items[] | select(any(.CustomHeaders.Items[]?; .HeaderName == "X-Origin-Verify"))] | length' "$dir/current.json")"
  [ "$n" -ge 1 ] || die "no origin of CloudFront distribution $id sends the header X-Origin-Verify: set it there first (docs/runbooks/rotate-origin-verify-secret.md)"
  jq --rawfile v "$dir/value" '.DistributionConfig | .Origins.Items |= map(
      if .CustomHeaders.Items then .CustomHeaders.Items |= map(if .HeaderName == "X-Origin-Verify" then .HeaderValue = $v else . end)
      else . end)' "$dir/current.json" >"$dir/new.json"
  aws cloudfront update-distribution --id "$id" --if-match "$etag" \
    --distribution-config "file://$dir/new.json" >/dev/null || die "CloudFront refused the update of distribution $id"
  log "CloudFront distribution $id: $n origin(s) send the new X-Origin-Verify value once deployed; waiting"
  aws cloudfront wait distribution-deployed --id "$id" || die "CloudFront distribution $id did not report Deployed"
  log "CloudFront distribution $id is deployed"
}

# restic: the new password gets a key of its own before SSM names it, so that whatever SSM holds
# always opens the repository; the old key goes last.
rotate_restic_password() {
  exists restic-password-next || generate | put restic-password-next
  on_instance restic-add-key
  copy restic-password-next restic-password
  delete restic-password-next
  on_instance restic-remove-old-key
  log "restic-password rotated: the old password no longer opens the repository; every snapshot still does with the new one"
}

rotate_pgbackrest_cipher_pass() {
  die "pgbackrest-cipher-pass cannot be rotated in place: pgBackRest cannot re-key a repository; a new key means a new repository, a new full backup, and the old one kept readable for the PITR window (docs/adr/0018-secret-rotation.md)"
}

cmd="$1"
shift
case "$cmd" in
  list)
    printf 'Required SecureString parameters under %s/ (docs/architecture.md §3):\n' "$prefix"
    for n in "${REQUIRED[@]}"; do
      if exists "$n"; then printf '  %-22s present\n' "$n"; else printf '  %-22s MISSING\n' "$n"; fi
    done
    ;;
  init)
    for n in "${REQUIRED[@]}"; do
      if exists "$n"; then log "$prefix/$n exists: kept"; else generate | put "$n"; fi
    done
    ;;
  set)
    [ "$#" -eq 1 ] || usage
    known "$1"
    [ ! -t 0 ] || log "reading the value for $1 from stdin (end with Enter)"
    put "$1"
    ;;
  rotate)
    [ "$#" -ge 1 ] || usage
    known "$1"
    name="$1"
    shift
    finish=0 distribution=""
    while [ "$#" -gt 0 ]; do
      case "$1" in
        --finish)
          finish=1
          shift
          ;;
        --distribution)
          distribution="${2:?--distribution needs a CloudFront distribution id}"
          shift 2
          ;;
        *) usage ;;
      esac
    done
    [ "$name" = origin-verify-secret ] || [ "$finish$distribution" = 0 ] \
      || die "--finish and --distribution apply to origin-verify-secret only"
    rotate_"${name//-/_}"
    ;;
  apply)
    [ -n "$stack" ] || stack="$(zmanim_name computeStack)"
    id="$(aws ssm send-command --document-name AWS-RunShellScript \
      --targets "Key=tag:aws:cloudformation:stack-name,Values=$stack" \
      --comment "zmanim: apply rotated secrets" \
      --parameters 'commands=["systemctl restart zmanim-boot.service"]' \
      --query Command.CommandId --output text)"
    log "sent SSM command $id to the instances of $stack; waiting"
    aws ssm wait command-executed --command-id "$id" --instance-id "$(aws ssm list-command-invocations \
      --command-id "$id" --query 'CommandInvocations[0].InstanceId' --output text)" \
      || die "zmanim-boot did not complete: journalctl -t zmanim-boot on the instance"
    log "zmanim-boot re-ran: the rotated values are in effect"
    ;;
  *) usage ;;
esac
