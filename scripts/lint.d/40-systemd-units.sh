#!/usr/bin/env bash
# Lint check: `systemd-analyze verify` on every systemd unit and drop-in the image ships
# (infrastructure/packer/files/etc/systemd/system). Runs as anyone; writes only a temp directory.
# Needs: systemd-analyze (systemd 252+).
#
# The units reference programs this machine does not have (Java 25, PostgreSQL 17's
# pg_ctlcluster, ...), so verification runs with --root= against a temporary tree: the host's own
# packaged units (targets etc.), the image's files on top, and an empty executable stand-in only
# for each packaged program a unit runs that is in neither (each one is listed); the image's own
# programs (/usr/local) must be in its files. The drop-ins are verified
# merged into their packaged units (postgresql@.service, redis-server.service): the host's copies
# when installed, else a minimal stand-in with the packaged unit's type, listed as such.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
command -v systemd-analyze >/dev/null || die "systemd-analyze is missing (package systemd)"

src="$ZMANIM_ROOT/infrastructure/packer/files"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/system"
cp -a "$src/." "$root/"

# Packaged units our drop-ins change.
standin() { # NAME TYPE EXEC
  [ -f "$root/usr/lib/systemd/system/$1" ] && return 0
  printf '[Unit]\nDescription=stand-in for the packaged %s\n\n[Service]\nType=%s\nExecStart=%s\n' \
    "$1" "$2" "$3" >"$root/usr/lib/systemd/system/$1"
  log "stand-in unit: $1 (not installed on this machine)"
}
standin postgresql@.service forking "/usr/bin/pg_ctlcluster --skip-systemctl-redirect %i start"
standin redis-server.service notify "/usr/bin/redis-server /etc/redis/redis.conf --supervised systemd --daemonize no"
# zmanim-api.socket has no address of its own: zmanim-boot writes it at every boot from instance.env.
# A stand-in for that drop-in (any port: only the unit's loading is checked).
mkdir -p "$root/run/systemd/system/zmanim-api.socket.d"
printf '[Socket]\nListenStream=127.0.0.1:1\n' >"$root/run/systemd/system/zmanim-api.socket.d/50-address.conf"

units=()
while IFS= read -r -d '' f; do units+=("${f#"$src"/etc/systemd/system/}"); done \
  < <(find "$src/etc/systemd/system" -maxdepth 1 -type f \( -name '*.service' -o -name '*.socket' -o -name '*.timer' \) -print0 | sort -z)
# The packaged units with our drop-ins, instantiated as the image uses them.
units+=(postgresql@17-main.service redis-server.service)

# Programs the units run: stand-ins for those neither the image's files nor the host provide.
stubs=()
while read -r prog; do
  [ -e "$root$prog" ] && continue
  # The image's own programs must exist in its files: never stand in for them.
  case "$prog" in /usr/local/*) die "a unit runs $prog, which infrastructure/packer/files does not ship" ;; esac
  if [ -x "$prog" ] && [ ! -L "$prog" ]; then
    mkdir -p "$root$(dirname "$prog")"
    cp "$prog" "$root$prog"
    continue
  fi
  mkdir -p "$root$(dirname "$prog")"
  printf '#!/bin/sh\nexit 0\n' >"$root$prog"
  chmod 755 "$root$prog"
  stubs+=("$prog")
done < <(cat "$root"/etc/systemd/system/*.service "$root"/etc/systemd/system/*.d/*.conf \
  "$root"/usr/lib/systemd/system/postgresql@.service "$root"/usr/lib/systemd/system/redis-server.service \
  | sed -n 's/^Exec[A-Za-z]*=[-+@!:]*\(\/[^ ]*\).*/\1/p' | sort -u)
[ "${#stubs[@]}" -eq 0 ] || log "executable stand-ins (absent on this machine): ${stubs[*]}"

# Instances of templates are verified by their instance name.
verify=()
for u in "${units[@]}"; do
  case "$u" in *@.service) verify+=("${u%@.service}@check.service") ;; *) verify+=("$u") ;; esac
done
out="$(cd "$root" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --root="$root" "${verify[@]}" 2>&1)" || {
  printf '%s\n' "$out" >&2
  die "systemd-analyze verify failed"
}
# verify exits 0 on some problems it only prints: treat any output as a finding.
if [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  die "systemd-analyze verify reported problems"
fi
log "systemd-analyze verify: ${#verify[@]} units clean (${verify[*]})"
