#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system), last: asserts what the image holds
# and fails the build when anything is not as expected: packages and versions, configuration
# (PostgreSQL on /data/postgres and local only, Redis persistence and loopback), the baked API and
# its checksum, the on-instance scripts, the units and their enablement, no data or secret baked
# in, and the cleanup. Reports every failure, then exits non-zero if there was one.
# Touches nothing. Needs: ZMANIM_API_VERSION, ZMANIM_INSTALL_CLOUDWATCH_AGENT.
# Safe to re-run: read-only.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_vars ZMANIM_API_VERSION ZMANIM_INSTALL_CLOUDWATCH_AGENT

failures=0
check() { # DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then
    log "ok: $what"
  else
    log "FAIL: $what"
    failures=$((failures + 1))
  fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
not_installed() { ! installed "$1"; }
has_line() { grep -qxF -- "$2" "$1"; }
mode_is() { [ "$(stat -c '%a %U:%G' "$1")" = "$2" ]; }
not_exists() { [ ! -e "$1" ]; }
empty_or_absent() { [ ! -d "$1" ] || [ -z "$(ls -A "$1")" ]; }
enabled() { systemctl -q is-enabled "$1"; }
not_enabled() { ! systemctl -q is-enabled "$1"; }
java_major_is() { java -version 2>&1 | grep -q "version \"$1"; }
jar_verifies() { (cd "/opt/zmanim/releases/$1" && sha256sum --quiet --status -c zmanim-api.jar.sha256); }
no_secret_values() { ! grep -rIlE '^(requirepass|RESTIC_PASSWORD=|ORIGIN_VERIFY_SECRET=|DATABASE_URL=)' "$@"; }

# Packages from Debian's archive.
for p in postgresql-17 postgresql-17-postgis-3 redis-server restic pgbackrest awscli openjdk-25-jre-headless \
  cloud-init amazon-ec2-utils nvme-cli xfsprogs jq curl iproute2 unzip logrotate nftables; do
  check "package $p installed" installed "$p"
done
check "Java 25 is the default java" java_major_is 25
check "restic runs" restic version
check "pgBackRest runs" pgbackrest version
check "aws CLI v2 runs" bash -c 'aws --version 2>&1 | grep -q "^aws-cli/2\."'
check "mkfs.xfs present" test -x /usr/sbin/mkfs.xfs
if [ "$ZMANIM_INSTALL_CLOUDWATCH_AGENT" = true ]; then
  check "CloudWatch agent installed" test -x /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl
  check "SSM agent installed" installed amazon-ssm-agent
else
  log "skipped: CloudWatch and SSM agent checks (ZMANIM_INSTALL_CLOUDWATCH_AGENT=false)"
fi

# PostgreSQL.
pg=/etc/postgresql/17/main
check "postgresql.conf: data_directory /data/postgres" has_line "$pg/postgresql.conf" "data_directory = '/data/postgres'"
check "postgresql.conf: listens on localhost only" has_line "$pg/postgresql.conf" "listen_addresses = 'localhost'"
check "postgresql.conf: scram-sha-256" has_line "$pg/postgresql.conf" "password_encryption = scram-sha-256"
check "pg_hba.conf: no non-local host lines" bash -c "! grep -E '^host' '$pg/pg_hba.conf' | grep -vE '127\.0\.0\.1/32|::1/128'"
check "pg_hba.conf: no trust" bash -c "! grep -E '^[^#]*\btrust\b' '$pg/pg_hba.conf'"
check "postgresql.conf: WAL archiving on" has_line "$pg/postgresql.conf" "archive_mode = on"
check "no archive settings baked (zmanim-boot writes them)" not_exists "$pg/conf.d/50-zmanim-archive.conf"
check "start.conf: manual" has_line "$pg/start.conf" manual
check "config owned by postgres" mode_is "$pg/postgresql.conf" "644 postgres:postgres"
check "no default cluster data" empty_or_absent /var/lib/postgresql/17
check "PostGIS 3 for PostgreSQL 17" test -f /usr/share/postgresql/17/extension/postgis.control
check "initdb 17 present" test -x /usr/lib/postgresql/17/bin/initdb

# Redis.
rc=/etc/redis/redis.conf
check "redis.conf: dir /data/redis" has_line "$rc" "dir /data/redis"
check "redis.conf: appendonly yes" has_line "$rc" "appendonly yes"
check "redis.conf: appendfsync everysec" has_line "$rc" "appendfsync everysec"
check "redis.conf: maxmemory set" grep -qE '^maxmemory [0-9]+[kmg]b$' "$rc"
check "redis.conf: maxmemory-policy set" grep -qE '^maxmemory-policy [a-z-]+$' "$rc"
check "redis.conf: loopback only" has_line "$rc" "bind 127.0.0.1 -::1"
check "redis.conf: protected mode" has_line "$rc" "protected-mode yes"
check "redis.conf: includes the boot-written secrets" has_line "$rc" "include /etc/redis/zmanim-secrets.conf"
check "redis.conf: 0640 root:redis" mode_is "$rc" "640 root:redis"

# The API.
check "BAKED_VERSION is $ZMANIM_API_VERSION" has_line /opt/zmanim/BAKED_VERSION "$ZMANIM_API_VERSION"
check "current -> releases/$ZMANIM_API_VERSION" test "$(readlink /opt/zmanim/current)" = "releases/$ZMANIM_API_VERSION"
check "baked jar matches its SHA-256" jar_verifies "$ZMANIM_API_VERSION"
check "user zmanim exists" getent passwd zmanim
if [ -f "/opt/zmanim/releases/$ZMANIM_API_VERSION/zmanim-api.aot" ]; then
  log "ok: AOT cache of the baked API present"
else
  log "note: no AOT cache for the baked API (its training run failed; the API starts without one)"
fi

# On-instance scripts and units.
for s in zmanim-boot zmanim-backup zmanim-restore zmanim-release-fetch zmanim-release-activate zmanim-notify-failure \
  zmanim-restic-check zmanim-restore-drill zmanim-log-export zmanim-aot-train zmanim-wal-metrics \
  zmanim-restore-pitr zmanim-boot-api zmanim-migrate-restore zmanim-rotate zmanim-health; do
  check "/usr/local/sbin/$s is executable and parses" bash -n "/usr/local/sbin/$s"
done
units=(zmanim-boot.service zmanim-api.service zmanim-api.socket restic-backup.service restic-backup.timer
  restic-check.service restic-check.timer restore-drill.service restore-drill.timer
  zmanim-notify-failure@.service zmanim-log-export@.service pgbackrest-verify.service pgbackrest-verify.timer
  wal-metrics.service wal-metrics.timer)
for u in "${units[@]}"; do
  check "unit $u present" test -f "/etc/systemd/system/$u"
done
# zmanim-api.socket has no address of its own (zmanim-boot writes it at every boot): a stand-in
# drop-in in a temporary unit directory searched first (not /run/systemd/system, whose presence
# would make systemctl look for a running manager) lets the unit load for the check.
standin="$(mktemp -d)"
mkdir "$standin/zmanim-api.socket.d"
printf '[Socket]\nListenStream=127.0.0.1:1\n' >"$standin/zmanim-api.socket.d/50-address.conf"
check "systemd-analyze verify of the image's units" \
  env SYSTEMD_UNIT_PATH="$standin:" systemd-analyze verify --man=no "${units[@]/#//etc/systemd/system/}"
rm -rf "$standin"
check "zmanim-api.socket has no address baked (zmanim-boot writes it)" not_exists /etc/systemd/system/zmanim-api.socket.d
check "zmanim-boot.service enabled" enabled zmanim-boot.service
check "nftables.service not enabled (its flush would drop the metadata rule)" not_enabled nftables.service
for u in postgresql.service redis-server.service zmanim-api.service zmanim-api.socket restic-backup.timer \
  restic-check.timer restore-drill.timer pgbackrest-verify.timer wal-metrics.timer; do
  check "$u not enabled (started by zmanim-boot)" not_enabled "$u"
done

# No data and no secrets in the image.
check "/data is empty" empty_or_absent /data
check "no instance.env baked" not_exists /etc/zmanim/instance.env
check "no endpoints.env baked" not_exists /etc/zmanim/endpoints.env
check "no config.env baked" not_exists /opt/zmanim/config.env
check "no restic env baked" not_exists /etc/restic/env
check "no pgBackRest config baked" not_exists /etc/pgbackrest/pgbackrest.conf
check "no Redis secrets baked" not_exists /etc/redis/zmanim-secrets.conf
check "no secret values in /etc and /opt/zmanim" no_secret_values /etc /opt/zmanim

# Cleanup.
check "machine-id is empty" test ! -s /etc/machine-id
check "no SSH host keys" bash -c '! ls /etc/ssh/ssh_host_* 2>/dev/null'
check "no SSH server package" not_installed openssh-server
check "no sshd binary" not_exists /usr/sbin/sshd
no_authorized_keys() { [ -z "$(find /root /home -name authorized_keys 2>/dev/null)" ]; }
check "no authorized_keys (Packer's temporary key)" no_authorized_keys
check "/etc/redis: 0750 root:redis (root writes temporary files there)" mode_is /etc/redis "750 root:redis"
check "no cloud-init instance state" not_exists /var/lib/cloud/instance
check "no root shell history" not_exists /root/.bash_history

[ "$failures" -eq 0 ] || die "$failures image check(s) failed"
log "image validated"
