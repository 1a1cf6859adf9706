#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): enablement of the image's units.
# Only zmanim-boot.service is enabled (it runs when /etc/zmanim/instance.env exists); PostgreSQL,
# Redis, the API and the backup/check/drill timers stay disabled until zmanim-boot has the data
# volume mounted, and are started by it. Works without a running systemd (offline enablement).
# Touches: symlinks under /etc/systemd/system. Needs: run after 30-files.sh.
# Safe to re-run: enable/disable are idempotent.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root

# nvmf-autoconnect (nvme-cli) connects NVMe-over-Fabrics targets: none here; it only fails.
DISABLED=(postgresql.service redis-server.service zmanim-api.service restic-backup.timer
  restic-check.timer restore-drill.timer pgbackrest-verify.timer wal-metrics.timer
  pgbackrest.service nvmf-autoconnect.service)
for unit in "${DISABLED[@]}"; do
  if systemctl -q is-enabled "$unit" 2>/dev/null; then
    systemctl disable "$unit"
    log "disabled $unit"
  fi
done
if ! systemctl -q is-enabled zmanim-boot.service 2>/dev/null; then
  systemctl enable zmanim-boot.service
  log "enabled zmanim-boot.service"
fi
# A running systemd (Packer's builder) must see the new units; offline there is nothing to reload.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
log "units: zmanim-boot enabled; ${DISABLED[*]} disabled until the data volume is ready"
