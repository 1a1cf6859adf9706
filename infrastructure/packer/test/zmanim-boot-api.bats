#!/usr/bin/env bats
# shellcheck disable=SC2034 # the variables set here are read by the sourced script's functions
# Role api's decisions without a boot: instance.env's settings refused naming the key, and the
# database administrator's secret turned into a .pgpass (escaped, 0600) or refused naming the secret,
# never showing its password.

load helpers

ARN='arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b2c-AbCdEf'

setup() {
  # shellcheck source=infrastructure/packer/files/usr/local/sbin/zmanim-boot-api
  . "$FILES/usr/local/sbin/zmanim-boot-api"
  set +u
  ZMANIM_ROLE=api ZMANIM_ENVIRONMENT=prod ZMANIM_REGION=eu-west-1 ZMANIM_SSM_PREFIX=/zmanim/test
  ZMANIM_RELEASES_BUCKET=releases ZMANIM_DB_HOST=db.cluster-x.eu-west-1.rds.amazonaws.com ZMANIM_DB_PORT=5432
  ZMANIM_DB_ADMIN_SECRET_ARN="$ARN" ZMANIM_CACHE_HOST=master.cache.euw1.cache.amazonaws.com ZMANIM_CACHE_PORT=6379
  ZMANIM_API_PORT=8080
}

# aws: Secrets Manager's answer (SecretString as --output text prints it), or a refusal.
aws() {
  if [ -n "${AWS_FAILS:-}" ]; then
    echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation" >&2
    return 254
  fi
  printf '%s\n' "$SECRET_JSON"
}

@test "complete settings of role api are accepted" {
  run check_api_settings
  [ "$status" -eq 0 ]
}

@test "a role other than single or api is refused naming it" {
  ZMANIM_ROLE=worker
  run check_api_settings
  [ "$status" -eq 1 ]
  [[ "$output" == *"ZMANIM_ROLE 'worker' is neither single nor api"* ]]
}

@test "a missing database endpoint is refused naming the key" {
  ZMANIM_DB_HOST=
  run check_api_settings
  [ "$status" -eq 1 ]
  [[ "$output" == *"ZMANIM_DB_HOST is not set"* ]]
}

@test "a host with shell or URL characters is refused" {
  ZMANIM_CACHE_HOST='cache;reboot'
  run check_api_settings
  [ "$status" -eq 1 ]
  [[ "$output" == *"ZMANIM_CACHE_HOST 'cache;reboot' is not a host name"* ]]
}

@test "something that is not a Secrets Manager ARN is refused naming it" {
  ZMANIM_DB_ADMIN_SECRET_ARN='arn:aws:ssm:eu-west-1:123456789012:parameter/x'
  run check_api_settings
  [ "$status" -eq 1 ]
  [[ "$output" == *"ZMANIM_DB_ADMIN_SECRET_ARN 'arn:aws:ssm:eu-west-1:123456789012:parameter/x' is not a Secrets Manager secret ARN"* ]]
}

@test "the administrator's secret becomes a 0600 .pgpass with ':' and '\\' escaped" {
  SECRET_JSON='{"username":"zmanim_admin","password":"p:w\\x"}'
  admin_pgpass "$BATS_TEST_TMPDIR"
  [ "$ADMIN_USER" = zmanim_admin ]
  [ "$(cat "$BATS_TEST_TMPDIR/pgpass")" = 'db.cluster-x.eu-west-1.rds.amazonaws.com:5432:*:zmanim_admin:p\:w\\x' ]
  [ "$(stat -c %a "$BATS_TEST_TMPDIR/pgpass")" = 600 ]
  [ "$PGPASSFILE" = "$BATS_TEST_TMPDIR/pgpass" ]
}

@test "an unreadable administrator's secret fails naming the secret" {
  AWS_FAILS=1
  run admin_pgpass "$BATS_TEST_TMPDIR"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot read the database administrator secret $ARN"*AccessDenied* ]]
  [ ! -e "$BATS_TEST_TMPDIR/pgpass" ]
}

@test "a secret without a password fails without showing anything of it" {
  SECRET_JSON='{"username":"zmanim_admin","pass":"Sup3rS3cretValue"}'
  run admin_pgpass "$BATS_TEST_TMPDIR"
  [ "$status" -eq 1 ]
  [[ "$output" == *"has no password"* ]]
  [[ "$output" != *Sup3rS3cretValue* ]]
}

@test "a username that is not a plain role name is refused" {
  SECRET_JSON='{"username":"admin;drop","password":"x"}'
  run admin_pgpass "$BATS_TEST_TMPDIR"
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not JSON with a valid username"* ]]
}

@test "config.env of role api names the metrics namespace and both origin secrets, as the single role's" {
  # Captures what would be written (mode and owner are write_private's own cases).
  write_private() {
    cat >"$BATS_TEST_TMPDIR/config.env"
    ZMANIM_CHANGED=1
  }
  API_PORT=8080 POSTGRES_PASSWORD=pw REDIS_PASSWORD=rp ZMANIM_METRICS_NAMESPACE=Zmanim
  ORIGIN_VERIFY_SECRET=current ORIGIN_VERIFY_SECRET_PREVIOUS=previous
  api_config
  run cat "$BATS_TEST_TMPDIR/config.env"
  [[ "$output" == *$'\nMETRICS_NAMESPACE=Zmanim\n'* ]]
  [[ "$output" == *"REDIS_URL=rediss://:rp@master.cache.euw1.cache.amazonaws.com:6379/0"* ]]
  [[ "$output" == *$'\nORIGIN_VERIFY_SECRET=current\nORIGIN_VERIFY_SECRET_PREVIOUS=previous' ]]
  [ "$API_CHANGED" -eq 1 ]
}
