# shellcheck shell=bash
# Helpers shared by the build-time provisioner scripts; sourced, never run, touches nothing.
# The scripts run as root inside the target system (Packer's builder instance, or the rehearsal's
# rootfs under systemd-nspawn without a booted systemd), so nothing here assumes EC2 or a running
# service manager.

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# need_vars NAME...: fails naming the first variable that is unset or empty.
need_vars() {
  local v
  for v in "$@"; do
    [ -n "${!v:-}" ] || die "variable $v is required (see docs/architecture.md §5)"
  done
}

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root"; }

# install_file SRC DEST MODE OWNER:GROUP: installs when content, mode or owner differ.
install_file() {
  local src="$1" dest="$2" mode="$3" owner="$4"
  if [ -f "$dest" ] && cmp -s "$src" "$dest" \
    && [ "$(stat -c '%a %U:%G' "$dest")" = "$(printf '%o' "0$mode") $owner" ]; then
    return 0
  fi
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$dest"
  log "installed $dest ($mode $owner)"
}
