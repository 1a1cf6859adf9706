#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): removes what must not be baked into
# an image: the SSH server and authorized keys, the machine id, SSH host keys, cloud-init's state,
# apt's caches, logs and shell history. Each instance recreates them on first boot. Touches only those paths.
# Needs: nothing. Safe to re-run: removing what is absent is a no-op.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root

apt-get -q clean
rm -rf /var/lib/apt/lists/*

# cloud-init runs again on the instance (user data); its state and logs from the build go.
if command -v cloud-init >/dev/null; then
  cloud-init clean --logs >/dev/null
fi
rm -rf /var/lib/cloud/instances /var/lib/cloud/instance /var/lib/cloud/data

# No SSH in the image: operators use Session Manager. The server goes (Packer's own connection, already
# open, outlives it: the remaining provisioners reuse it), and so do the builder's authorized keys,
# Packer's temporary key among them (the template also sets ssh_clear_authorized_keys).
if dpkg-query -W -f='${Status}' openssh-server 2>/dev/null | grep -q 'install ok installed'; then
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q openssh-server openssh-sftp-server >/dev/null
  log "purged openssh-server"
fi
find /root /home -name authorized_keys -path '*/.ssh/*' -delete 2>/dev/null || true

# A new machine id per instance (empty file: systemd fills it at first boot).
truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id
rm -f /etc/ssh/ssh_host_*

# Logs, journals and shell history of the build.
find /var/log -type f \( -name '*.gz' -o -name '*.[0-9]' -o -name '*.old' \) -delete
find /var/log -type f -exec truncate -s 0 {} +
rm -rf /var/log/journal/*
rm -f /root/.bash_history /home/*/.bash_history /root/.lesshst
# /tmp is a tmpfs on Debian 13 (and holds the build's staging until the end); /var/tmp is not.
find /var/tmp -mindepth 1 -delete
log "cleaned: SSH server and authorized keys, machine-id, SSH host keys, cloud-init state, apt caches, logs, shell history"
