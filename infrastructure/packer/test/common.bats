#!/usr/bin/env bats
# shellcheck disable=SC2016 # the $(...) in single quotes is the point: it must stay literal
# common.sh's env-file parsing (read_env_file): instance.env and endpoints.env are parsed, never
# sourced; anything but blank lines, comments and KEY=value with an allowed key is refused naming
# the file, line and key, never the value.

load helpers

setup() {
  source_common
  set +u
  ENV="$BATS_TEST_TMPDIR/instance.env"
  unset ZMANIM_REGION ZMANIM_ENVIRONMENT AWS_ENDPOINT_URL_S3
}

@test "KEY=value lines, comments and blank lines are read; values are literal" {
  printf '%s\n' '# a comment' '' 'ZMANIM_REGION=eu-west-1' 'ZMANIM_ENVIRONMENT="$(touch /tmp/pwned) $HOME"' >"$ENV"
  read_env_file "$ENV" ZMANIM_REGION ZMANIM_ENVIRONMENT
  [ "$ZMANIM_REGION" = eu-west-1 ]
  # One pair of surrounding quotes dropped, nothing expanded or run.
  [ "$ZMANIM_ENVIRONMENT" = '$(touch /tmp/pwned) $HOME' ]
}

@test "a last line without a newline is read" {
  printf 'ZMANIM_REGION=eu-west-1' >"$ENV"
  read_env_file "$ENV" ZMANIM_REGION
  [ "$ZMANIM_REGION" = eu-west-1 ]
}

@test "a key ending in * allows every key with that prefix" {
  printf 'AWS_ENDPOINT_URL_S3=http://10.0.0.1:5000\n' >"$ENV"
  read_env_file "$ENV" 'AWS_ENDPOINT_URL_*'
  [ "$AWS_ENDPOINT_URL_S3" = http://10.0.0.1:5000 ]
}

@test "an unknown key is refused naming file, line and key" {
  printf 'ZMANIM_REGION=eu-west-1\nBASH_ENV=/tmp/evil\n' >"$ENV"
  run read_env_file "$ENV" ZMANIM_REGION
  [ "$status" -eq 1 ]
  [[ "$output" == *"$ENV line 2: key BASH_ENV is not one this file may set: refusing the file"* ]]
}

@test "a line that is not KEY=value is refused" {
  printf 'export ZMANIM_REGION=eu-west-1\n' >"$ENV"
  run read_env_file "$ENV" ZMANIM_REGION
  [ "$status" -eq 1 ]
  [[ "$output" == *"$ENV line 1 is not KEY=value: refusing the file"* ]]
}

@test "a control character in a value is refused without showing the value" {
  printf 'ZMANIM_REGION=eu\twest-secretvalue\n' >"$ENV"
  run read_env_file "$ENV" ZMANIM_REGION
  [ "$status" -eq 1 ]
  [[ "$output" == *"line 1: the value of ZMANIM_REGION holds a control character"* ]]
  [[ "$output" != *secretvalue* ]]
}

@test "a missing file is named" {
  run read_env_file "$BATS_TEST_TMPDIR/nope.env" ZMANIM_REGION
  [ "$status" -eq 1 ]
  [[ "$output" == *"nope.env is missing or unreadable"* ]]
}

@test "every key the user data may write is one the scripts accept" {
  # The keys of ZMANIM_ENV_KEYS are read as they are listed (a refusal would fail the boot).
  for k in ZMANIM_ENVIRONMENT ZMANIM_SSM_PREFIX ZMANIM_BLANK_VOLUME ZMANIM_ROLE ZMANIM_API_PORT; do
    printf '%s=x\n' "$k" >"$ENV"
    read_env_file "$ENV" "${ZMANIM_ENV_KEYS[@]}"
  done
}
