#!/usr/bin/env bats
# shellcheck disable=SC2034,SC2317 # variables read by the sourced library; the stand-in is called through it
# common.sh's pgbr_restorable_info, which zmanim-restore and the boot's blank-volume restore ask
# before they touch anything: pgBackRest's `info` exits 0 for a missing stanza and for a wrong key
# alike, so the decision rests on the status it reports. pgBackRest itself is stood in for by a
# function printing what `info --output=json` prints in each case.

load helpers

setup() {
  source_common
  set +u
  set -o pipefail # as in the scripts that call it
  ZMANIM_BACKUP_BUCKET=test-backups
  ZMANIM_SSM_PREFIX=/test/env
  INFO_RC=0
  pgbr() { standin_info "$@"; } # after common.sh, which defines the real one
}

# standin_info ARGS...: pgBackRest's `info` as the test sets it: prints $INFO, exits $INFO_RC.
standin_info() {
  [ "$1" = info ] || return 99
  [ -z "${INFO_ERR:-}" ] || printf '%s\n' "$INFO_ERR" >&2
  printf '%s' "${INFO:-}"
  return "$INFO_RC"
}

stanza() { # CODE MESSAGE BACKUPS: one stanza's info as pgBackRest 2.55 writes it
  printf '[{"backup":%s,"name":"zmanim","repo":[{"key":1,"status":{"code":%s,"message":"%s"}}],"status":{"code":%s,"message":"%s"}}]' \
    "$3" "$1" "$2" "$1" "$2"
}

@test "a repository with a base backup is restorable: its info is printed" {
  INFO="$(stanza 0 ok '[{"label":"20261201-030000F","timestamp":{"start":1,"stop":2}}]')"
  run pgbr_restorable_info "; nothing was touched"
  [ "$status" -eq 0 ]
  [ "$(jq -r '.[0].backup[0].label' <<<"$output")" = 20261201-030000F ]
}

@test "a missing stanza (info exits 0) is named, with the command that creates it" {
  INFO="$(stanza 1 'missing stanza path' '[]')"
  run pgbr_restorable_info "; nothing was touched"
  [ "$status" -eq 1 ]
  [[ "$output" == *"s3://test-backups/pgbackrest (stanza zmanim) is missing or unusable: missing stanza path"* ]]
  [[ "$output" == *"zmanim-backup init"*"; nothing was touched" ]]
}

@test "a wrong key (info exits 0 and quotes what the file decrypted to) is named as the key in SSM" {
  # The raw control characters of the garbage are dropped before jq reads the rest.
  INFO="$(stanza 99 "[CryptoError] unable to flush"$'\x01\x02'" garbage" '[]')"
  run pgbr_restorable_info " (the volume stays empty)"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot be read with the key in SSM /test/env/pgbackrest-cipher-pass (wrong repository key?)"* ]]
  [[ "$output" == *"(the volume stays empty)" ]]
}

@test "a stanza without a backup is refused, not restored from" {
  INFO="$(stanza 2 'no valid backups' '[]')"
  run pgbr_restorable_info "; nothing was touched"
  [ "$status" -eq 1 ]
  [[ "$output" == *"holds no base backup yet: no valid backups; nothing was touched" ]]
}

@test "an unreachable repository is named with pgBackRest's own message" {
  INFO_RC=41
  INFO_ERR="ERROR: [041]: unable to connect to 's3.eu-west-1.amazonaws.com:443'"
  run pgbr_restorable_info "; nothing was touched"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot read the repository s3://test-backups/pgbackrest (stanza zmanim): ERROR: [041]: unable to connect"* ]]
}

@test "an answer that is not JSON is refused as unusable" {
  INFO='not json at all'
  run pgbr_restorable_info "; nothing was touched"
  [ "$status" -eq 1 ]
  [[ "$output" == *"is unusable"* ]]
}
