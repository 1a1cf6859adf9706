#!/usr/bin/env bash
# Operator command: creates, rotates and checks the SSM SecureString parameters the instance needs
# (CloudFormation cannot create SecureString parameters). Run from a workstation or CI with AWS
# credentials for the account; touches only the parameters ${prefix}/<name> named below.
# Values never appear on a command line: they are generated here or read from stdin, and reach
# the AWS CLI through a 0600 temporary file.
#   scripts/ops/secrets.sh list                 the required secrets and whether each exists
#   scripts/ops/secrets.sh init                 creates every missing one with a random value
#   scripts/ops/secrets.sh set NAME             sets NAME to the value read from stdin
#   scripts/ops/secrets.sh rotate NAME          sets NAME to a new random value (not the two
#                                               repository keys restic-password, pgbackrest-cipher-pass)
#   scripts/ops/secrets.sh apply                re-runs zmanim-boot on the instance (SSM Run Command)
#                                               so rotated values take effect
# Options (before the command): --prefix PREFIX, --region eu-west-1, --stack STACK (instances to
# apply to: tag aws:cloudformation:stack-name); PREFIX and STACK default to the configuration's
# ssmPrefix and compute stack (cdk.out/zmanim-names.json, from make synth).
# Needs: aws (CLI v2), jq, openssl or /dev/urandom. Safe to re-run: init creates only what is
# missing; set/rotate overwrite only the named parameter.
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
usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

prefix="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}" stack=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?}"; shift 2 ;;
    --region) region="${2:?}"; shift 2 ;;
    --stack) stack="${2:?}"; shift 2 ;;
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

known() { local n; for n in "${REQUIRED[@]}"; do [ "$n" = "$1" ] && return 0; done; die "unknown secret '$1' (required: ${REQUIRED[*]})"; }
exists() { aws ssm get-parameter --name "$prefix/$1" --query Parameter.Type --output text >/dev/null 2>&1; }
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

cmd="$1"; shift
case "$cmd" in
  list)
    printf 'Required SecureString parameters under %s/ (docs/architecture.md §3):\n' "$prefix"
    for n in "${REQUIRED[@]}"; do
      if exists "$n"; then printf '  %-22s present\n' "$n"; else printf '  %-22s MISSING\n' "$n"; fi
    done ;;
  init)
    for n in "${REQUIRED[@]}"; do
      if exists "$n"; then log "$prefix/$n exists: kept"; else generate | put "$n"; fi
    done ;;
  set)
    [ "$#" -eq 1 ] || usage; known "$1"
    [ ! -t 0 ] || log "reading the value for $1 from stdin (end with Enter)"
    put "$1" ;;
  rotate)
    [ "$#" -eq 1 ] || usage; known "$1"
    # restic encrypts the repository's keys with this password: a new value needs `restic key add`
    # with the old one first, or every backup becomes unreadable.
    # pgBackRest encrypts the whole repository with this key and cannot re-key it: a new value
    # means a new repository (new stanza, new full backup) and the old one kept for its window.
    [ "$1" != pgbackrest-cipher-pass ] || die "pgbackrest-cipher-pass cannot be replaced: pgBackRest cannot re-key an existing repository; a new key needs a new repository (docs/runbooks/restore.md)"
    [ "$1" != restic-password ] || die "restic-password cannot simply be replaced: on the instance run restic key add (new password), check it opens the repository, then scripts/ops/secrets.sh set restic-password and apply; remove the old key with restic key remove"
    generate | put "$1"
    log "now run: scripts/ops/secrets.sh apply  (re-runs zmanim-boot, which applies the new value)" ;;
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
    log "zmanim-boot re-ran: the rotated values are in effect" ;;
  *) usage ;;
esac
