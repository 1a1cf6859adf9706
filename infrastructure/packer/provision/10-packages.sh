#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): installs the image's Debian packages
# from Debian 13's own archive: PostgreSQL 17 + PostGIS 3, Redis, restic, the AWS CLI, the Java
# runtime, cloud-init, amazon-ec2-utils, pgBackRest (WAL archive and base backups) and the tools the
# boot logic uses. Touches: apt state,
# /etc/postgresql-common/createcluster.d/ (so no default cluster is ever created).
# Needs: ZMANIM_FILES_DIR. Safe to re-run: installs only what is missing, drops only an empty
# default cluster that a package created before our createcluster setting existed.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_vars ZMANIM_FILES_DIR

PACKAGES=(
  postgresql-17 postgresql-17-postgis-3 postgresql-client-17
  redis-server
  restic
  pgbackrest
  awscli
  openjdk-25-jre-headless
  cloud-init amazon-ec2-utils nvme-cli xfsprogs
  jq curl ca-certificates iproute2 procps util-linux bsdutils unzip logrotate nftables
)

. /etc/os-release
[ "${VERSION_CODENAME:-}" = trixie ] || die "the base system must be Debian 13 (trixie), found ${PRETTY_NAME:-unknown}"

# Before PostgreSQL's packages: never create the default cluster (data lives on /data/postgres,
# initialised at boot on the data volume).
install_file "$ZMANIM_FILES_DIR/etc/postgresql-common/createcluster.d/zmanim.conf" \
  /etc/postgresql-common/createcluster.d/zmanim.conf 644 root:root

# On a booted builder (Packer), let cloud-init's first boot finish: it may hold apt's locks.
if [ -d /run/systemd/system ] && command -v cloud-init >/dev/null; then
  cloud-init status --wait >/dev/null 2>&1 || log "cloud-init finished with errors on the builder (continuing)"
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing from Debian's archive: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "all ${#PACKAGES[@]} packages already installed"
fi

# A cluster created before the setting above (e.g. a base image that had one) is dropped, but only
# when it lives in the package's default place and was never started (holds no data of ours).
if [ -d /etc/postgresql/17/main ] && [ -d /var/lib/postgresql/17/main ]; then
  log "dropping Debian's default cluster 17/main in /var/lib/postgresql (never used)"
  pg_dropcluster --stop 17 main
fi

for p in "${PACKAGES[@]}"; do
  log "package $(dpkg-query -W -f='${Package} ${Version}' "$p")"
done
