#!/usr/bin/env bats
# zmanim-rotate's decisions that need no instance: which steps it accepts, how it edits config.env
# (one key at a time, every other line kept, values never run), and the optional rotation secrets.

# shellcheck disable=SC2016 # the $(...) in single quotes is the point: it must stay literal

load helpers

setup() {
  # shellcheck source=infrastructure/packer/files/usr/local/sbin/zmanim-rotate
  . "$FILES/usr/local/sbin/zmanim-rotate"
  set +u
  CONFIG_ENV="$BATS_TEST_TMPDIR/config.env"
  printf '%s\n' '# Written by zmanim-boot' 'HOST=0.0.0.0' 'PORT=8080' \
    'DATABASE_URL=postgresql://zmanim:old@127.0.0.1:5432/zmanim' 'ORIGIN_VERIFY_SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' >"$CONFIG_ENV"
  # The test runs unprivileged: the file keeps the test user as owner.
  # shellcheck disable=SC2317 # called by config_env_set
  write_private() { cat >"$1"; ZMANIM_CHANGED=1; }
}

@test "an unknown step is refused naming it, before anything is read" {
  run main rotate-everything
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown step 'rotate-everything'"* ]]
}

@test "no step prints the usage" {
  run main
  [ "$status" -eq 2 ]
  [[ "$output" == *"zmanim-rotate database"* ]]
}

@test "config_env_set replaces one key and keeps every other line" {
  config_env_set DATABASE_URL 'postgresql://zmanim:new@127.0.0.1:5432/zmanim'
  run cat "$CONFIG_ENV"
  [ "${lines[0]}" = '# Written by zmanim-boot' ]
  [ "${lines[3]}" = 'DATABASE_URL=postgresql://zmanim:new@127.0.0.1:5432/zmanim' ]
  [ "${lines[4]}" = 'ORIGIN_VERIFY_SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' ]
  [ "${#lines[@]}" -eq 5 ]
}

@test "config_env_set adds a missing key and drops one set to empty" {
  config_env_set ORIGIN_VERIFY_SECRET_PREVIOUS bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
  grep -qx 'ORIGIN_VERIFY_SECRET_PREVIOUS=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' "$CONFIG_ENV"
  config_env_set ORIGIN_VERIFY_SECRET_PREVIOUS ''
  run grep -q ORIGIN_VERIFY_SECRET_PREVIOUS "$CONFIG_ENV"
  [ "$status" -eq 1 ]
  grep -qx 'PORT=8080' "$CONFIG_ENV"
}

@test "config_env_set writes a value literally, running nothing" {
  config_env_set REDIS_URL '$(touch '"$BATS_TEST_TMPDIR"'/pwned)'
  grep -qxF 'REDIS_URL=$(touch '"$BATS_TEST_TMPDIR"'/pwned)' "$CONFIG_ENV"
  [ ! -e "$BATS_TEST_TMPDIR/pwned" ]
}

@test "config_env_set refuses a config.env of another form, naming the line, and changes nothing" {
  printf 'not a setting\n' >>"$CONFIG_ENV"
  before="$(cat "$CONFIG_ENV")"
  run config_env_set PORT 9090
  [ "$status" -eq 1 ]
  [[ "$output" == *"config.env line 6 is not KEY=value"* ]]
  [ "$(cat "$CONFIG_ENV")" = "$before" ]
}

@test "config_env_value reads one key without exporting the file" {
  [ "$(config_env_value PORT)" = 8080 ]
  [ -z "${DATABASE_URL:-}" ]
}

@test "an absent rotation secret is empty; a malformed one is refused naming it" {
  ZMANIM_SSM_PREFIX=/zmanim/test
  ZMANIM_SECRETS_JSON='{"Parameters":[{"Name":"/zmanim/test/origin-verify-secret-previous","Type":"SecureString","Value":"x;rm -rf /"}],"InvalidParameters":["/zmanim/test/restic-password-next"]}'
  read_secret restic-password-next next optional
  [ -z "$next" ]
  run read_secret origin-verify-secret-previous previous optional
  [ "$status" -eq 1 ]
  [[ "$output" == *"/zmanim/test/origin-verify-secret-previous is not 32 to 256 URL-safe base64"* ]]
  [[ "$output" != *"rm -rf"* ]]
}
