#!/usr/bin/env bats
# shellcheck disable=SC2034 # the variables set here are read by the sourced script's functions
# shellcheck disable=SC2030,SC2031 # each @test runs in a subshell of its own; a helper reads the `run` results of the test that calls it
# zmanim-boot's decisions, without a boot: the filesystem decision table (on real filesystems made in
# files and probed by blkid, as the boot probes the volume), the PostgreSQL data directory, the
# volume's described state, the device link, and the settings from instance.env.

load helpers

setup() {
  source_boot
  DEV=/dev/test-volume
  ZMANIM_DATA_VOLUME_ID=vol-0123456789abcdef0
}

# probe FILE: what the boot's blkid call prints for FILE, and its exit status, as "RC<TAB>OUTPUT".
probe() {
  local rc=0 out
  out="$(blkid -p -o export "$1")" || rc=$?
  PROBE_RC=$rc PROBE="$out"
}

volume_file() { # SIZE: a sparse file standing in for a volume
  local f="$BATS_TEST_TMPDIR/volume"
  truncate -s "$1" "$f"
  echo "$f"
}

verdict() { # FILE: runs the filesystem decision on FILE as the boot reaches it (blkid's probe first)
  probe "$1"
  run filesystem_verdict "$PROBE_RC" "$PROBE"
}

refused() { # MESSAGE: the last `run` failed, and its output says MESSAGE
  [ "$status" -eq 1 ]
  [[ "$output" == *"$1"* ]]
}

pg_dir() { # a fresh folder standing in for the volume's PostgreSQL data directory
  mkdir "$BATS_TEST_TMPDIR/pg"
  echo "$BATS_TEST_TMPDIR/pg"
}

@test "a volume with nothing on it is blank: the boot formats it" {
  verdict "$(volume_file 64M)"
  [ "$status" -eq 0 ]
  [ "$output" = blank ]
}

@test "XFS labelled zmanim-data is ours: the boot mounts it without formatting" {
  f="$(volume_file 320M)"
  mkfs.xfs -q -L zmanim-data "$f"
  verdict "$f"
  [ "$status" -eq 0 ]
  [ "$output" = ours ]
}

@test "XFS with another label is foreign: refused naming type and label" {
  f="$(volume_file 320M)"
  mkfs.xfs -q -L otherdata "$f"
  verdict "$f"
  refused "holds a foreign filesystem (xfs, label 'otherdata'); expected XFS labelled zmanim-data: refusing, nothing touched"
}

@test "ext4, even labelled zmanim-data, is foreign: refused" {
  f="$(volume_file 64M)"
  mkfs.ext4 -q -L zmanim-data "$f"
  verdict "$f"
  refused "vol-0123456789abcdef0 (/dev/test-volume) holds a foreign filesystem (ext4, label 'zmanim-data')"
}

@test "a partition table is refused, not formatted" {
  f="$(volume_file 64M)"
  echo 'label: gpt' | sfdisk -q "$f" >/dev/null
  verdict "$f"
  refused "holds a gpt partition table, not our filesystem: refusing, nothing touched"
}

@test "a volume blkid cannot probe is refused, not taken for blank" {
  run filesystem_verdict 4 ""
  refused "blkid could not probe /dev/test-volume (exit 4); refusing to touch it"
}

@test "a data directory holding a cluster of this PostgreSQL major is used" {
  pg="$(pg_dir)"
  echo "$PG_MAJOR" >"$pg/PG_VERSION"
  run pgdata_verdict "$pg"
  [ "$status" -eq 0 ]
  [ "$output" = cluster ]
}

@test "another PostgreSQL major's cluster is refused naming both majors" {
  pg="$(pg_dir)"
  echo 16 >"$pg/PG_VERSION"
  run pgdata_verdict "$pg"
  refused "holds a PostgreSQL 16 cluster; this image runs 17: refusing to start or touch it"
}

@test "an empty data directory is initialised" {
  run pgdata_verdict "$(pg_dir)"
  [ "$status" -eq 0 ]
  [ "$output" = empty ]
}

@test "a data directory holding anything but a cluster is never initialised over" {
  pg="$(pg_dir)"
  touch "$pg/notes.txt"
  run pgdata_verdict "$pg"
  refused "is not empty and has no PG_VERSION: not a PostgreSQL data directory; refusing to initialise over it"
}

# The AWS CLI's text output of the boot's describe-volumes query is tab-separated.
attach_says() { # DECISION STATE ASKED: what the boot does about STATE, as instance i-self
  run attach_action "$2" i-self "$3"
  [ "$output" = "$1" ]
}

@test "attached to this instance: done" {
  attach_says attached $'in-use\ti-self\tattached' 0
}

@test "this instance's attachment still attaching: wait, do not ask again" {
  attach_says pending $'in-use\ti-self\tattaching' 1
}

@test "available and not asked yet: attach" {
  attach_says attach $'available\t-\t-' 0
}

@test "available although asked: the request did not take, ask again" {
  attach_says reask $'available\t-\t-' 1
}

@test "in use by the instance being replaced: wait for it, never take it" {
  attach_says wait $'in-use\ti-old\tattached' 0
  attach_says wait $'in-use\ti-old\tdetaching' 1
}

@test "the device is found by the EBS volume id without its dash (contract §6)" {
  run volume_device_link vol-0123456789abcdef0
  [ "$output" = /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0 ]
}

settings_refused() { # NAME VALUE MESSAGE: valid settings but NAME=VALUE are refused, naming MESSAGE
  valid_settings
  printf -v "$1" '%s' "$2"
  run check_settings
  refused "$3"
}

valid_settings() {
  ZMANIM_ENVIRONMENT=prod ZMANIM_REGION=eu-west-1 ZMANIM_SSM_PREFIX=/zmanim/test
  ZMANIM_DATA_VOLUME_ID=vol-0abc ZMANIM_EIP_ALLOCATION_ID=eipalloc-0abc
  ZMANIM_BACKUP_BUCKET=backups ZMANIM_RELEASES_BUCKET=releases ZMANIM_BLANK_VOLUME=initialise
  ZMANIM_PITR_RETENTION_DAYS=14 ZMANIM_ARCHIVE_TIMEOUT_S=30 ZMANIM_API_PORT=9090
  unset ZMANIM_PGBACKREST_S3_ENDPOINT ZMANIM_ATTACH_TIMEOUT_S ZMANIM_HEALTH_TIMEOUT_S
}

@test "valid settings: defaults and the derived values are set" {
  valid_settings
  check_settings
  [ "$ATTACH_TIMEOUT_S" = 300 ]
  [ "$HEALTH_TIMEOUT_S" = 300 ]
  [ "$PGBR_S3_HOST $PGBR_S3_PORT" = "s3.eu-west-1.amazonaws.com 443" ]
  [ "$DEV_LINK" = /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc ]
  [ "$API_PORT" = 9090 ]
}

@test "the API port is required: no default copied into the boot" {
  valid_settings
  unset ZMANIM_API_PORT
  run check_settings
  refused "ZMANIM_API_PORT is not set"
}

@test "an API port that is not 1024..65535 is refused naming it" {
  valid_settings
  for bad in 80 65536 8080x '8080;x'; do
    ZMANIM_API_PORT="$bad"
    run check_settings
    [ "$status" -eq 1 ]
  done
  ZMANIM_API_PORT=80
  run check_settings
  [[ "$output" == *"ZMANIM_API_PORT '80' is not a port between 1024 and 65535"* ]]
}

@test "a missing setting is named" {
  valid_settings
  unset ZMANIM_BACKUP_BUCKET
  run check_settings
  refused "ZMANIM_BACKUP_BUCKET is not set"
}

@test "a volume id that is not vol-... is refused naming it" {
  settings_refused ZMANIM_DATA_VOLUME_ID 'vol-0abc; rm -rf /' \
    "ZMANIM_DATA_VOLUME_ID 'vol-0abc; rm -rf /' is not a volume id"
}

@test "ZMANIM_BLANK_VOLUME other than initialise or restore is refused" {
  settings_refused ZMANIM_BLANK_VOLUME wipe \
    "ZMANIM_BLANK_VOLUME 'wipe' is neither initialise nor restore"
}

@test "a PITR window under 14 days is refused" {
  settings_refused ZMANIM_PITR_RETENTION_DAYS 13 \
    "ZMANIM_PITR_RETENTION_DAYS '13' is not a whole number of days >= 14"
}

@test "an archive timeout outside 1..3600 s is refused" {
  settings_refused ZMANIM_ARCHIVE_TIMEOUT_S 0 \
    "ZMANIM_ARCHIVE_TIMEOUT_S '0' is not a whole number of seconds between 1 and 3600"
  ZMANIM_ARCHIVE_TIMEOUT_S=3601
  run check_settings
  [ "$status" -eq 1 ]
}

@test "a plain-http pgBackRest endpoint is refused (TLS only)" {
  settings_refused ZMANIM_PGBACKREST_S3_ENDPOINT http://10.0.0.1:5000 \
    "ZMANIM_PGBACKREST_S3_ENDPOINT 'http://10.0.0.1:5000' is not https://HOST[:PORT]"
}

@test "sourcing the script runs no step" {
  # setup() sourced it: nothing was set by a step.
  [ -z "$INSTANCE_ID" ]
  [ -z "$UUID" ]
  [ -z "$DEV_LINK" ]
  [ "$VOLUME_WAS_BLANK" -eq 0 ]
}
