#!/usr/bin/env bash
# Shared helpers of the on-instance scripts (zmanim-boot, -backup, -restore, -release-fetch, ...).
# Sourced, never run; touches nothing by itself. Reads /etc/zmanim/instance.env (written by user
# data, contract §1) and the optional /etc/zmanim/endpoints.env (contract §2) when present.
# Secrets never go through here into logs or command lines: values travel in variables, files
# of mode 0600/0640 and stdin only.
# shellcheck shell=bash

ZMANIM_SCRIPT="${ZMANIM_SCRIPT:-${0##*/}}"
ZMANIM_ETC="${ZMANIM_ETC:-/etc/zmanim}"

# log MESSAGE: to the journal with the script's own name as identifier (contract §8), also when
# the script runs inside another unit (the release step runs in zmanim-api.service); to stderr as
# well when stderr is not the journal already (run by hand), or when the journal is unreachable.
log() {
  local journal=0
  if command -v logger >/dev/null && logger -t "$ZMANIM_SCRIPT" -- "$*" 2>/dev/null; then journal=1; fi
  if [ "$journal" -eq 0 ] || [ -z "${JOURNAL_STREAM:-}" ]; then printf '%s\n' "$*" >&2; fi
  return 0
}
warn() { log "WARNING: $*"; }
die() {
  log "ERROR: $*"
  exit 1
}

# need_vars NAME...: fails naming the first variable that is unset or empty.
need_vars() {
  local v
  for v in "$@"; do
    [ -n "${!v:-}" ] || die "$v is not set (expected in $ZMANIM_ETC/instance.env, see docs/architecture.md §1)"
  done
}

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root"; }

# The keys instance.env (contract §1) and endpoints.env (contract §2) may hold. Anything else in
# them fails the script naming the key: the files are parsed, never sourced (a value is data, never
# shell), and nobody can slip BASH_ENV, PATH, LD_PRELOAD or AWS_CONFIG_FILE in through them.
ZMANIM_ENV_KEYS=(ZMANIM_ENVIRONMENT ZMANIM_REGION ZMANIM_SSM_PREFIX ZMANIM_DATA_VOLUME_ID
  ZMANIM_EIP_ALLOCATION_ID ZMANIM_BACKUP_BUCKET ZMANIM_RELEASES_BUCKET ZMANIM_STACK_NAME
  ZMANIM_SIGNAL_RESOURCE ZMANIM_NOTIFY_FROM ZMANIM_NOTIFY_TO ZMANIM_METRICS_NAMESPACE
  ZMANIM_CW_AGENT_CONFIG_PARAM ZMANIM_BLANK_VOLUME ZMANIM_PITR_RETENTION_DAYS ZMANIM_ARCHIVE_TIMEOUT_S
  ZMANIM_API_PORT
  ZMANIM_ROLE ZMANIM_DB_HOST ZMANIM_DB_PORT ZMANIM_DB_ADMIN_SECRET_ARN ZMANIM_CACHE_HOST ZMANIM_CACHE_PORT
  ZMANIM_ATTACH_TIMEOUT_S ZMANIM_HEALTH_TIMEOUT_S ZMANIM_CHECK_SUBSET
  ZMANIM_RESTIC_OPEN_TIMEOUT_S ZMANIM_IMDS_ENDPOINT ZMANIM_PGBACKREST_S3_ENDPOINT ZMANIM_LOGICAL_DUMP_WEEKDAY
  ZMANIM_RECOVERY_TIMEOUT_S ZMANIM_DB_TIMEOUT_S
  AWS_ENDPOINT_URL 'AWS_ENDPOINT_URL_*' AWS_EC2_METADATA_SERVICE_ENDPOINT
  AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY)

# read_env_file FILE KEY...: exports FILE's settings. Parsed, never sourced: each line is blank, a
# comment (#...) or KEY=value with KEY one of KEY... (a KEY ending in * stands for any key with that
# prefix); the value is taken literally (one pair of surrounding double quotes removed, as systemd's
# EnvironmentFile= does; no expansion, no escapes), and may hold no control character. Anything
# else fails naming the file, the line number and the key (never the value: it may be a secret).
read_env_file() {
  local file="$1" line n=0 key value k ok
  shift
  [ -r "$file" ] || die "$file is missing or unreadable"
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    case "$line" in '' | '#'*) continue ;; esac
    [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || die "$file line $n is not KEY=value: refusing the file"
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}" ok=0
    for k in "$@"; do
      if [[ "$k" == *'*' ]]; then
        [[ "$key" != "${k%'*'}"* ]] || ok=1
      elif [ "$key" = "$k" ]; then
        ok=1
      fi
    done
    [ "$ok" -eq 1 ] || die "$file line $n: key $key is not one this file may set: refusing the file"
    if [[ "$value" =~ ^\"(.*)\"$ ]]; then value="${BASH_REMATCH[1]}"; fi
    [[ ! "$value" =~ [[:cntrl:]] ]] || die "$file line $n: the value of $key holds a control character: refusing the file"
    export "$key=$value"
  done <"$file"
}

# load_env: the instance's identifiers and, in the rehearsal, the endpoints (parsed, see above).
load_env() {
  [ -r "$ZMANIM_ETC/instance.env" ] || die "$ZMANIM_ETC/instance.env is missing: user data has not run (contract §1)"
  read_env_file "$ZMANIM_ETC/instance.env" "${ZMANIM_ENV_KEYS[@]}"
  [ ! -e "$ZMANIM_ETC/endpoints.env" ] || read_env_file "$ZMANIM_ETC/endpoints.env" "${ZMANIM_ENV_KEYS[@]}"
  ZMANIM_IMDS_ENDPOINT="${ZMANIM_IMDS_ENDPOINT:-http://169.254.169.254}"
  export AWS_DEFAULT_REGION="${ZMANIM_REGION:-${AWS_DEFAULT_REGION:-}}"
  export AWS_REGION="$AWS_DEFAULT_REGION"
  # Bounded AWS calls: an outage fails a step in seconds, not minutes.
  export AWS_RETRY_MODE="${AWS_RETRY_MODE:-standard}" AWS_MAX_ATTEMPTS="${AWS_MAX_ATTEMPTS:-3}"
  export AWS_PAGER=""
}

# api_health: GET /health of the API on this instance, on its configured port (ZMANIM_API_PORT,
# config apiPort); prints the body, fails unless it answers 200 within 3 s.
api_health() {
  need_vars ZMANIM_API_PORT
  curl -fsS --max-time 3 "http://127.0.0.1:$ZMANIM_API_PORT/health"
}

# awsq ARGS...: the AWS CLI with bounded timeouts, output as text.
awsq() { aws --cli-connect-timeout 5 --cli-read-timeout 30 --output text "$@"; }

# imds PATH: one instance-metadata value, IMDSv2 (a token is always requested first).
imds() {
  local token
  token="$(curl -fsS --max-time 5 --retry 3 --retry-connrefused -X PUT \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$ZMANIM_IMDS_ENDPOINT/latest/api/token")" \
    || die "instance metadata: no IMDSv2 token from $ZMANIM_IMDS_ENDPOINT"
  curl -fsS --max-time 5 --retry 3 -H "X-aws-ec2-metadata-token: $token" \
    "$ZMANIM_IMDS_ENDPOINT/latest/meta-data/$1" || die "instance metadata: cannot read $1"
}

# The secrets the instance needs (contract §3): every one required, no defaults.
# shellcheck disable=SC2034 # used by the scripts that source this file
ZMANIM_REQUIRED_SECRETS=(postgres-password redis-password restic-password origin-verify-secret
  pgbackrest-cipher-pass)

# Parameters of the same form that exist only while a rotation runs (docs/adr/0018): read with the
# required ones, absent most of the time.
# shellcheck disable=SC2034 # used by the scripts that source this file
ZMANIM_ROTATION_SECRETS=(origin-verify-secret-previous restic-password-next)

# fetch_secrets: reads every required secret, and the rotation ones that exist, with one SSM call
# (with decryption) into memory.
fetch_secrets() {
  local names=() n rc=0
  for n in "${ZMANIM_REQUIRED_SECRETS[@]}" "${ZMANIM_ROTATION_SECRETS[@]}"; do names+=("$ZMANIM_SSM_PREFIX/$n"); done
  ZMANIM_SECRETS_JSON="$(aws --cli-connect-timeout 5 --cli-read-timeout 30 --output json \
    ssm get-parameters --names "${names[@]}" --with-decryption 2>&1)" || rc=$?
  [ "$rc" -eq 0 ] || die "cannot read the required secrets from SSM (exit $rc): ${ZMANIM_SECRETS_JSON//$'\n'/ }"
}

# The form every secret value must have: URL-safe base64 characters only (what
# scripts/ops/secrets.sh generates: 43 of them), at least 32 and at most 256. An allow-list: a value
# is data in env files, URLs and Redis' configuration, and no character of it can mean anything there.
ZMANIM_SECRET_PATTERN='[A-Za-z0-9_-]{32,256}'

# read_secret NAME VAR [optional]: puts secret ${ZMANIM_SSM_PREFIX}/NAME (fetched by fetch_secrets)
# into variable VAR. A missing, empty or malformed one fails naming it (never showing the value),
# before anything is written or started; with "optional", a missing one leaves VAR empty. The value
# never reaches argv or the log (jq reads it on stdin).
read_secret() {
  local name="$1" __var="$2" optional="${3:-}" param="${ZMANIM_SSM_PREFIX}/$1" check value
  [ -n "${ZMANIM_SECRETS_JSON:-}" ] || fetch_secrets
  # The whole value is checked inside jq (\A...\z: a trailing newline is not lost to the shell).
  check="$(jq -r --arg n "$param" --arg re "$ZMANIM_SECRET_PATTERN" '.Parameters[] | select(.Name == $n)
    | if .Type != "SecureString" then "type " + .Type
      elif (.Value | test("\\A\\s*\\z")) then "empty"
      elif (.Value | test("\\A(?:" + $re + ")\\z")) then "ok"
      else "malformed" end' <<<"$ZMANIM_SECRETS_JSON")"
  case "$check" in
    ok) ;;
    "")
      if [ "$optional" = optional ]; then
        printf -v "$__var" '%s' ""
        return 0
      fi
      die "required secret $param is missing in SSM (create it: scripts/ops/secrets.sh set $name)"
      ;;
    "type "*) die "required secret $param is a ${check#type }, not a SecureString" ;;
    empty) die "required secret $param is empty" ;;
    *) die "required secret $param is not 32 to 256 URL-safe base64 characters (A-Z a-z 0-9 - _): refused, nothing was written or started (scripts/ops/secrets.sh generates such values)" ;;
  esac
  value="$(jq -r --arg n "$param" '.Parameters[] | select(.Name == $n) | .Value' <<<"$ZMANIM_SECRETS_JSON")"
  [[ "$value" =~ ^${ZMANIM_SECRET_PATTERN}$ ]] || die "required secret $param: unexpected form after reading it"
  printf -v "$__var" '%s' "$value"
}

# write_private FILE MODE OWNER GROUP: writes stdin to FILE atomically with that mode and owner,
# only when the content or the metadata differ. Sets ZMANIM_CHANGED=1 when it wrote, else 0.
# shellcheck disable=SC2034 # ZMANIM_CHANGED is read by the scripts that source this file
write_private() {
  local file="$1" mode="$2" owner="$3" group="$4" tmp
  ZMANIM_CHANGED=0
  tmp="$(umask 077 && mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file" \
    && [ "$(stat -c '%a %U %G' "$file")" = "$mode $owner $group" ]; then
    rm -f "$tmp"
    return 0
  fi
  chown "$owner:$group" "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$file"
  ZMANIM_CHANGED=1
  log "wrote $file ($mode $owner:$group)"
}

# urlencode STRING: percent-encodes for a URL's userinfo (bash only: the value stays off argv).
urlencode() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *)
        printf -v c '%%%02X' "'$c"
        out+="$c"
        ;;
    esac
  done
  printf '%s' "$out"
}

# put_metric NAME VALUE UNIT: one custom metric (contract §7), dimension Environment.
put_metric() {
  awsq cloudwatch put-metric-data --namespace "${ZMANIM_METRICS_NAMESPACE:-Zmanim}" \
    --metric-data "MetricName=$1,Value=$2,Unit=$3,Dimensions=[{Name=Environment,Value=${ZMANIM_ENVIRONMENT}}]" >/dev/null
}

# restic_env: the repository settings written at boot (/etc/restic/env, 0600 root; parsed, never
# sourced). The password is not in it: restic reads it from RESTIC_PASSWORD_FILE (0600 root).
RESTIC_ENV_KEYS=(RESTIC_REPOSITORY RESTIC_PASSWORD_FILE RESTIC_CACHE_DIR AWS_DEFAULT_REGION)
restic_env() {
  [ -r /etc/restic/env ] || die "/etc/restic/env is missing: zmanim-boot has not completed"
  read_env_file /etc/restic/env "${RESTIC_ENV_KEYS[@]}"
  [ -r "${RESTIC_PASSWORD_FILE:-}" ] || die "the restic password file ${RESTIC_PASSWORD_FILE:-(RESTIC_PASSWORD_FILE unset)} is missing: zmanim-boot has not completed"
}

# backup_lock: takes the lock that keeps backup, restore, drill and check apart (fd 9, waits at most
# an hour). It lives in /run/zmanim (0700 root), not in the world-writable /run/lock, where any user
# could create or hold it first.
backup_lock() {
  install -d -m 0700 -o root -g root /run/zmanim
  exec 9>/run/zmanim/backup.lock
  flock -w 3600 9 || die "another backup, restore or drill holds the backup lock for an hour"
}

# restic_repository: the repository URL (contract §2): from AWS_ENDPOINT_URL_S3, else
# AWS_ENDPOINT_URL, else the regional S3 endpoint.
restic_repository() {
  local endpoint="${AWS_ENDPOINT_URL_S3:-${AWS_ENDPOINT_URL:-https://s3.${ZMANIM_REGION}.amazonaws.com}}"
  printf 's3:%s/%s/restic' "${endpoint%/}" "$ZMANIM_BACKUP_BUCKET"
}

# redis_auth: exports REDISCLI_AUTH from the secrets include (redis-cli reads it; never argv).
redis_auth() {
  local line
  line="$(grep -m1 '^requirepass ' /etc/redis/zmanim-secrets.conf)" || die "no requirepass in /etc/redis/zmanim-secrets.conf"
  export REDISCLI_AUTH="${line#requirepass }"
}

# as_postgres CMD...: runs a command as the postgres user (for psql over the Unix socket).
as_postgres() { runuser -u postgres -- "$@"; }

# psql_zmanim DB: psql as the API's own role zmanim (peer authentication of the OS user zmanim,
# pg_hba.conf), reading SQL on stdin. Whatever the application's tables hold, code they could run
# (row-level security policies, functions in them) runs with zmanim's privileges, never a superuser's.
psql_zmanim() { runuser -u zmanim -- psql -X -q -A -t -v ON_ERROR_STOP=1 -h /var/run/postgresql -d "$1"; }

# rowcount_sql: prints one SELECT that counts the rows of every user table of the current database,
# one line per table: "<name><TAB><rows>". <name> is the table's qualified name as PostgreSQL quotes
# it (format %I.%I: quotes, dots, spaces, capitals stay unambiguous; a plain lower-case name reads
# schema.table as before) with backslash, tab, newline and CR written as \\, \t, \n, \r, so that
# every table is exactly one line. Each count is a statement the server builds from the catalog
# with format('%I.%I') (query_to_xml): nothing from a name is ever parsed as SQL or shell by anyone.
# Run it as role zmanim (psql_zmanim), never as a superuser.
rowcount_sql() {
  cat <<SQL
SELECT $(rowcount_escape "format('%I.%I', n.nspname, c.relname)") || chr(9)
       || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
                                              false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
 ORDER BY 1;
SQL
}
# rowcount_escape EXPR: the SQL expression EXPR with backslash, tab, newline and CR escaped.
rowcount_escape() {
  printf 'replace(replace(replace(replace(%s, chr(92), chr(92) || chr(92)), chr(9), chr(92) || %s), chr(10), chr(92) || %s), chr(13), chr(92) || %s)' \
    "$1" "'t'" "'n'" "'r'"
}

# --- pgBackRest (docs/adr/0008) -------------------------------------------------------------------
# The stanza (one PostgreSQL cluster in the repository) and the configuration zmanim-boot writes
# (0640 root:postgres: archive-push runs as postgres; it holds the repository key).
# shellcheck disable=SC2034 # used by the scripts that source this file
PGBR_STANZA=zmanim
# shellcheck disable=SC2034 # used by the scripts that source this file
PGBR_CONF=/etc/pgbackrest/pgbackrest.conf

# pgbr ARGS...: pgBackRest as postgres (the data directory's owner), on the stanza.
pgbr() { runuser -u postgres -- pgbackrest --stanza="$PGBR_STANZA" "$@"; }

# pgbr_s3_endpoint: prints "host port" of the repository's S3 endpoint: ZMANIM_PGBACKREST_S3_ENDPOINT
# (contract §2; the rehearsal's TLS front of moto), else the regional S3 endpoint. pgBackRest speaks
# TLS only: an http:// endpoint is refused naming it.
pgbr_s3_endpoint() {
  local url="${ZMANIM_PGBACKREST_S3_ENDPOINT:-https://s3.${ZMANIM_REGION}.amazonaws.com}" hostport
  [[ "$url" =~ ^https://([A-Za-z0-9.-]+)(:([0-9]{1,5}))?/?$ ]] \
    || die "ZMANIM_PGBACKREST_S3_ENDPOINT '$url' is not https://HOST[:PORT] (pgBackRest talks to S3 over TLS only)"
  hostport="${BASH_REMATCH[1]} ${BASH_REMATCH[3]:-443}"
  printf '%s\n' "$hostport"
}

# pgbr_info_json: the repository's backups (pgbackrest info --output=json) on stdout; fails
# with pgBackRest's own message on stderr. A status message may quote a file that decrypted to
# garbage (a wrong key): its raw control characters are dropped so that jq can read the rest.
pgbr_info_json() { pgbr info --output=json "${ZMANIM_PGBR_INFO_ARGS[@]}" | LC_ALL=C tr -d '\000-\037'; }
# Extra options of pgbr_info_json (zmanim-restore's --repo-as-of); none by default.
ZMANIM_PGBR_INFO_ARGS=()

# pgbr_repository_name: the repository as people name it in messages.
pgbr_repository_name() { printf 's3://%s/pgbackrest (stanza %s)\n' "$ZMANIM_BACKUP_BUCKET" "$PGBR_STANZA"; }

# pgbr_restorable_info SUFFIX: prints the repository's info (JSON) when a restore can start from it:
# reachable, decrypted with the key in SSM, the stanza there, at least one base backup. Otherwise
# fails (exit 1) after logging what is wrong, followed by SUFFIX (what the caller did or did not
# touch). pgBackRest's info exits 0 for a missing stanza and for a wrong key alike (status 1/3,
# and 99 quoting a file that decrypted to garbage): the status is read, not only the exit code.
pgbr_restorable_info() {
  local suffix="$1" repo info err status message rc=0
  repo="$(pgbr_repository_name)"
  err="$(mktemp)"
  info="$(pgbr_info_json 2>"$err")" || rc=$?
  if [ "$rc" -ne 0 ]; then
    message="$(tr '\n' ' ' <"$err")"
    rm -f "$err"
    case "$message" in
      *cipher* | *decrypt* | *checksum*)
        log "ERROR: the repository $repo cannot be decrypted with SSM $ZMANIM_SSM_PREFIX/pgbackrest-cipher-pass (wrong repository key?): $message$suffix"
        ;;
      *) log "ERROR: cannot read the repository $repo: $message$suffix" ;;
    esac
    return 1
  fi
  rm -f "$err"
  # Status: 0 ok, 1 missing stanza path, 2 no valid backup, 3 missing stanza data, 99 other.
  status="$(jq -r '.[0].status.code // 99' <<<"$info" 2>/dev/null || echo 99)"
  message="$(jq -r '[.[0].repo[]?.status.message // empty] + [.[0].status.message // "no status"] | first' <<<"$info" 2>/dev/null | head -n1)"
  case "$status" in
    0) ;;
    2)
      log "ERROR: the repository $repo holds no base backup yet: $message$suffix"
      return 1
      ;;
    1 | 3)
      log "ERROR: the repository $repo is missing or unusable: $message (missing repository: was \`zmanim-backup init\` run?)$suffix"
      return 1
      ;;
    *)
      case "$message" in
        *FormatError* | *CryptoError* | *cipher* | *decrypt*)
          log "ERROR: the repository $repo cannot be read with the key in SSM $ZMANIM_SSM_PREFIX/pgbackrest-cipher-pass (wrong repository key?): $message$suffix"
          ;;
        *) log "ERROR: the repository $repo is unusable: ${message:-no answer}$suffix" ;;
      esac
      return 1
      ;;
  esac
  [ "$(jq '.[0].backup | length' <<<"$info")" -gt 0 ] || {
    log "ERROR: the repository $repo holds no base backup yet$suffix"
    return 1
  }
  printf '%s\n' "$info"
}

# --- image role api (profile ha, contract §10): Aurora's administrator, over TLS -----------------
# Used by zmanim-boot-api and zmanim-migrate-restore. The administrator's secret (JSON
# username/password, rotated by RDS) is read when needed and never kept: it lives in a 0600 .pgpass
# in the caller's private directory under /run.

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
