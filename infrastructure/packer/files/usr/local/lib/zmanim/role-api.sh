# Helpers of image role api (profile ha, contract §10): Aurora's administrator, over TLS. Sourced
# (after common.sh) by zmanim-boot-api and zmanim-migrate-restore, never run; touches nothing by
# itself. The administrator's secret (JSON username/password, rotated by RDS) is read when needed
# and never kept: it lives in a 0600 .pgpass in the caller's private directory under /run.
# shellcheck shell=bash

ADMIN_USER=""

# admin_pgpass DIR: reads ZMANIM_DB_ADMIN_SECRET_ARN from Secrets Manager into DIR/pgpass (0600),
# exports PGPASSFILE, sets ADMIN_USER. Fails naming the secret when it is unreadable or malformed.
admin_pgpass() {
  local dir="$1" json rc=0
  json="$(aws --cli-connect-timeout 5 --cli-read-timeout 30 --output text secretsmanager get-secret-value \
    --secret-id "$ZMANIM_DB_ADMIN_SECRET_ARN" --query SecretString 2>&1)" || rc=$?
  [ "$rc" -eq 0 ] \
    || die "cannot read the database administrator secret $ZMANIM_DB_ADMIN_SECRET_ARN (exit $rc): ${json//$'\n'/ }"
  ADMIN_USER="$(jq -er '.username | select(type == "string" and test("^[a-z_][a-z0-9_]{0,62}$"))' <<<"$json" 2>/dev/null)" \
    || die "the database administrator secret $ZMANIM_DB_ADMIN_SECRET_ARN is not JSON with a valid username"
  jq -e '.password | type == "string" and length > 0' <<<"$json" >/dev/null 2>&1 \
    || die "the database administrator secret $ZMANIM_DB_ADMIN_SECRET_ARN has no password"
  # .pgpass fields escape backslash and colon; jq reads the secret on stdin, never argv.
  (umask 077 && jq -r --arg h "$ZMANIM_DB_HOST" --arg p "$ZMANIM_DB_PORT" \
    '[$h, $p, "*", .username, .password] | map(gsub("\\\\"; "\\\\") | gsub(":"; "\\:")) | join(":")' \
    <<<"$json" >"$dir/pgpass")
  export PGPASSFILE="$dir/pgpass"
}

# db_conn DB [USER]: the libpq connection string to Aurora's DB as USER (the administrator by
# default). sslmode=require: Aurora forces TLS (rds.force_ssl), a plain connection is never tried.
db_conn() {
  printf 'host=%s port=%s dbname=%s user=%s sslmode=require connect_timeout=5' \
    "$ZMANIM_DB_HOST" "$ZMANIM_DB_PORT" "$1" "${2:-$ADMIN_USER}"
}

# db_psql DB [USER]: psql on DB reading SQL on stdin, stopping at the first error; tuples only.
db_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$(db_conn "$@")"; }

# await_database TIMEOUT_S: waits until Aurora accepts the administrator (it may still be creating,
# or failing over); fails naming the endpoint and psql's last message.
await_database() {
  local deadline=$((SECONDS + $1)) err
  until err="$(psql -X -Atq "$(db_conn postgres)" -c 'SELECT 1' 2>&1 >/dev/null)"; do
    [ "$SECONDS" -lt "$deadline" ] \
      || die "database $ZMANIM_DB_HOST:$ZMANIM_DB_PORT unreachable or refusing $ADMIN_USER (TLS) for $1s: ${err//$'\n'/ }"
    sleep 2
  done
}
