#!/usr/bin/env bash
# Lint check: what the image must hold, as the story's definition of done states it (its greps,
# on the files' real paths: files/ mirrors target paths), and that no secret value sits in the
# image's files, the template or the workflows. Runs as anyone; reads only. Needs: grep.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
cd "$ZMANIM_ROOT"
p=infrastructure/packer
f="$p/files"
failed=0
need() { # DESCRIPTION PATTERN FILE
  if grep -qE -- "$2" "$3"; then log "ok: $1"; else
    log "FAIL: $1 ($3 lacks /$2/)"
    failed=1
  fi
}
pg="$f/etc/postgresql/17/main/postgresql.conf"
need "postgresql.conf sets shared_buffers" '^shared_buffers = [0-9]+[kMG]B' "$pg"
need "postgresql.conf sets work_mem" '^work_mem = [0-9]+[kMG]B' "$pg"
need "postgresql.conf: data_directory = '/data/postgres'" "^data_directory = '/data/postgres'$" "$pg"
rc="$f/etc/redis/redis.conf"
need "redis.conf sets appendonly" '^appendonly yes$' "$rc"
need "redis.conf sets maxmemory" '^maxmemory [0-9]+[kmg]b$' "$rc"
need "redis.conf: dir /data/redis" '^dir /data/redis$' "$rc"
bk="$f/usr/local/sbin/zmanim-backup"
need "backup script runs pg_dump" 'pg_dump -Fc -Z0' "$bk"
need "backup script backs up Redis" 'redis-cli .*--rdb' "$bk"
need "backup script uses restic" 'restic backup' "$bk"
need "backup timer at 03:00 UTC" '^OnCalendar=\*-\*-\* 03:00:00 UTC$' "$f/etc/systemd/system/restic-backup.timer"
wf=.github/workflows/build-ami.yml
need "workflow triggers on v*-ami tags" "^ +- ['\"]?v\*-ami['\"]?$" "$wf"
# The parameter names are the image pipeline stack's outputs (repository variables), never literals.
# shellcheck disable=SC2016 # the $ in these patterns is the workflow's, not this script's
need "workflow writes the candidate id to the parameter the stack names" 'ssm put-parameter --name "\$AMI_CANDIDATE_ID_PARAMETER" ' "$wf"
need "that name comes from the repository variable" '^ +AMI_CANDIDATE_ID_PARAMETER: \$\{\{ vars\.AMI_CANDIDATE_ID_PARAMETER \}\}$' "$wf"
# shellcheck disable=SC2016 # the workflow's $, as above
if grep -E 'ssm put-parameter' "$wf" | grep -vqE -- '--name "\$AMI_CANDIDATE_(ID|VERSION)_PARAMETER" '; then
  log "FAIL: $wf writes a parameter other than the two candidate ones (only promotion may write ami-id)"
  failed=1
fi

# No secret values: AWS keys, private keys, passwords set to literals.
if grep -rnIE \
  -e 'AKIA[0-9A-Z]{16}' -e 'aws_secret_access_key' -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' \
  -e '^requirepass +[^$]' -e '^(RESTIC_PASSWORD|ORIGIN_VERIFY_SECRET)=[^$]' \
  -e "PASSWORD +'[^'$]" \
  "$p" .github; then
  log "FAIL: the lines above look like secret values in the image, template or workflows"
  failed=1
else
  log "ok: no secret values in $p or .github"
fi
# Env files are parsed, never sourced (docs/architecture.md §1, §3): the only file an on-instance
# script sources is common.sh, and no unit hands instance.env or endpoints.env to a script.
# (zmanim-boot finds it beside itself, /usr/local/sbin/../lib, so that its bats cases source the mirror;
# zmanim-boot-api, role api's boot, sources zmanim-boot's steps, which runs nothing.)
# shellcheck disable=SC2016 # the source line as written in the script, not expanded here
if grep -rnE '^[[:space:]]*(\.|source)[[:space:]]' "$f/usr/local" \
  | grep -vE '\. /usr/local/lib/zmanim/common\.sh$' \
  | grep -vF '. "$(dirname "${BASH_SOURCE[0]}")/../lib/zmanim/common.sh"' \
  | grep -vE '^[^:]*/sbin/zmanim-boot-api:[0-9]+:\. "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)/zmanim-boot"$'; then
  log "FAIL: the lines above source a file other than common.sh (parse env files with read_env_file)"
  failed=1
else
  log "ok: on-instance scripts source nothing but common.sh (and zmanim-boot-api zmanim-boot's steps)"
fi
if grep -rnE '^EnvironmentFile=-?/etc/zmanim/(instance|endpoints)\.env' "$f/etc/systemd"; then
  log "FAIL: the units above pass instance.env/endpoints.env into a script's environment (bash runs BASH_ENV)"
  failed=1
else
  log "ok: no unit passes instance.env or endpoints.env to a script"
fi
# Every key a user data writes into instance.env is one the on-instance scripts accept
# (ZMANIM_ENV_KEYS in common.sh): otherwise the boot refuses the file.
keys="$(sed -n '/^ZMANIM_ENV_KEYS=(/,/)/p' "$f/usr/local/lib/zmanim/common.sh")"
unknown=0
for ud in infrastructure/src/main/resources/*/user-data.sh; do
  while read -r k; do
    if ! grep -qw -- "$k" <<<"$keys"; then
      log "FAIL: $ud writes $k, which ZMANIM_ENV_KEYS in common.sh does not list (the boot would refuse instance.env)"
      unknown=1
    fi
  done < <(sed -n '/<<.INSTANCE_ENV.$/,/^INSTANCE_ENV$/s/^\(ZMANIM_[A-Z0-9_]*\)=.*/\1/p' "$ud")
done
if [ "$unknown" -eq 0 ]; then log "ok: every key the user data write is one the on-instance scripts accept"; else failed=1; fi
[ "$failed" -eq 0 ] || die "image content checks failed"
