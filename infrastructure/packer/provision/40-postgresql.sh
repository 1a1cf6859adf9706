#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): makes PostgreSQL 17 start only
# through zmanim-boot: no cluster data in the image, the 17/main configuration shipped by
# 30-files.sh (data_directory /data/postgres, local connections only), and no unit enabled.
# Touches: systemd enablement of postgresql.service. Needs: run after 30-files.sh.
# Safe to re-run: checks before acting.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root

conf=/etc/postgresql/17/main/postgresql.conf
[ -f "$conf" ] || die "$conf is missing: run 30-files.sh first"
grep -q "^data_directory = '/data/postgres'" "$conf" || die "$conf does not point at /data/postgres"
[ -x /usr/lib/postgresql/17/bin/postgres ] || die "PostgreSQL 17 is not installed"
[ -f /usr/share/postgresql/17/extension/postgis.control ] || die "PostGIS for PostgreSQL 17 is not installed"

# Nothing under /var/lib/postgresql/17 (a stray default cluster would hold data in the image).
if [ -d /var/lib/postgresql/17 ] && [ -n "$(ls -A /var/lib/postgresql/17)" ]; then
  die "/var/lib/postgresql/17 is not empty: a default cluster exists in the image"
fi

# The umbrella unit starts every cluster marked auto; ours is manual, and started by zmanim-boot.
if systemctl -q is-enabled postgresql.service 2>/dev/null; then
  systemctl disable postgresql.service
  log "disabled postgresql.service (zmanim-boot starts postgresql@17-main once /data is mounted)"
fi
log "PostgreSQL 17 configured: data in /data/postgres, started by zmanim-boot"
