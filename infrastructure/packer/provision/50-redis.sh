#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): makes Redis start only through
# zmanim-boot: redis.conf shipped by 30-files.sh (dir /data/redis, RDB + AOF, loopback only, the
# password in an include written at boot), the package's data in /var/lib/redis left empty, and
# the unit not enabled. Touches: systemd enablement of redis-server.service, /var/lib/redis.
# Needs: run after 30-files.sh. Safe to re-run: checks before acting.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root

conf=/etc/redis/redis.conf
grep -q '^dir /data/redis$' "$conf" || die "$conf does not keep its data in /data/redis: run 30-files.sh first"
grep -q '^include /etc/redis/zmanim-secrets.conf$' "$conf" || die "$conf does not include the secrets file"
! grep -q '^requirepass' "$conf" || die "$conf holds a password: it must come from SSM at boot"
[ ! -e /etc/redis/zmanim-secrets.conf ] || die "/etc/redis/zmanim-secrets.conf exists in the image: it is written at boot only"

# zmanim-boot writes its temporary files in /etc/redis as root: the redis user must not be able to
# create, replace or link anything there (the package makes it redis-owned).
chown root:redis /etc/redis
# g-s too: the package's directory is setgid, which a numeric chmod keeps on a directory.
chmod 0750 /etc/redis
chmod g-s /etc/redis
log "/etc/redis: 0750 root:redis"

if systemctl -q is-enabled redis-server.service 2>/dev/null; then
  systemctl disable redis-server.service
  log "disabled redis-server.service (zmanim-boot starts it once /data is mounted)"
fi
# No data of the package's default instance in the image.
find /var/lib/redis -mindepth 1 -delete 2>/dev/null || true
log "Redis configured: data in /data/redis, started by zmanim-boot"
