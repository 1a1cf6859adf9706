#!/usr/bin/env bash
# Builds the rehearsal's local image: a Debian 13 (trixie) root filesystem made by debootstrap, then
# provisioned by exactly the scripts infrastructure/packer/provision/provision.list names, in order,
# run as root inside the target with systemd-nspawn (the same list the Packer template runs).
# Runs: from the rehearsal harness (make rehearse / rehearse-up), as root.
# Touches: only $ZMANIM_REHEARSAL_CACHE (default /var/cache/zmanim-rehearsal): base/<key> (debootstrap
#   output), images/<key>/rootfs (the provisioned image), images/<key>/build.json and provision.log;
#   keeps the newest ZMANIM_REHEARSAL_KEEP_IMAGES (default 3) images. Never the work tree.
# Needs: ZMANIM_API_JAR (the jar to bake), ZMANIM_API_VERSION (its version); debootstrap and
#   systemd-nspawn on PATH. Prints the path of the image directory on stdout (everything else on stderr).
# Re-running with the same inputs reuses the cached image: the key is a SHA-256 over this script, the
# base package set, provision.list and every file under provision/ and files/ (paths, modes,
# contents), and the API jar.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../../scripts/lib/common.sh"

: "${ZMANIM_API_JAR:?ZMANIM_API_JAR (path of the API jar to bake) is not set}"
: "${ZMANIM_API_VERSION:?ZMANIM_API_VERSION (version of that jar) is not set}"
[ "$(id -u)" -eq 0 ] || die "building the image needs root (debootstrap, systemd-nspawn)"
for tool in debootstrap systemd-nspawn sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (make setup installs it: scripts/debian-packages.txt)"
done
[ -f "$ZMANIM_API_JAR" ] || die "ZMANIM_API_JAR=$ZMANIM_API_JAR does not exist (build the API first: ./mvnw -pl api -am package)"

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# ZMANIM_REHEARSAL_PACKER_DIR lets the harness be tried against another image tree (default: this repo's).
packer="${ZMANIM_REHEARSAL_PACKER_DIR:-$root/infrastructure/packer}"
list="$packer/provision/provision.list"
[ -f "$list" ] || die "$list does not exist: the image's provisioning list (contract §5) is missing"
[ -d "$packer/files" ] || die "$packer/files does not exist: the image's files (contract §5) are missing"

cache="${ZMANIM_REHEARSAL_CACHE:-/var/cache/zmanim-rehearsal}"
suite=trixie
arch="$(dpkg --print-architecture)"
mirror="${ZMANIM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What debootstrap installs before the provisioners run: the minimal system an AMI starts from
# (systemd as init, dbus) plus iproute2, which the harness uses to give the instance its address.
base_packages=systemd,systemd-sysv,dbus,iproute2,ca-certificates

# --- keys --------------------------------------------------------------------------------------
base_key="$(printf '%s\n' "$suite" "$arch" "$mirror" "$base_packages" | sha256sum | cut -c1-16)"
tree_digest() { # DIR: paths, modes and contents of every file below DIR, order-independent
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r stat -c '%n %a' \
    && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum) | sha256sum | cut -d' ' -f1
}
image_key="$({
  echo "$base_key"
  sha256sum "$0" | cut -d' ' -f1
  tree_digest "$packer/provision"
  tree_digest "$packer/files"
  sha256sum "$ZMANIM_API_JAR" | cut -d' ' -f1
  echo "$ZMANIM_API_VERSION"
} | sha256sum | cut -c1-16)"

image_dir="$cache/images/$image_key"
cached() {
  if [ -f "$image_dir/build.json" ] && [ -d "$image_dir/rootfs" ]; then
    log "reusing cached image $image_key ($image_dir)"
    echo "$image_dir"
    exit 0
  fi
}
cached
mkdir -p "$cache"
# One build at a time on a machine (make rehearse and rehearse-up may start together); the second
# waits, then finds the first one's image. A cached image is used without waiting (above).
exec 9>"$cache/build.lock"
flock 9
cached

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN {printf "%.1f", (b - a) / 1000}'; }
start=$(now_ms)
mkdir -p "$cache/base" "$cache/images"

# --- base: debootstrap, cached on its own (it changes far less often than the provisioners) ------
base_dir="$cache/base/$base_key"
if [ ! -f "$base_dir/.complete" ]; then
  log "debootstrap $suite ($arch, minbase) into $base_dir"
  rm -rf "$base_dir.tmp"
  debootstrap --variant=minbase --arch="$arch" --include="$base_packages" "$suite" "$base_dir.tmp" "$mirror" \
    >"$cache/base/$base_key.log" 2>&1 || die "debootstrap failed; see $cache/base/$base_key.log"
  rm -rf "$base_dir"
  mv "$base_dir.tmp" "$base_dir"
  touch "$base_dir/.complete"
fi

# --- image: a copy of the base, provisioned -----------------------------------------------------
work="$image_dir.tmp"
rm -rf "$work"
mkdir -p "$work"
log "copying base $base_key"
cp -a "$base_dir" "$work/rootfs"
rm -f "$work/rootfs/.complete"
target="$work/rootfs"

# Build-time inputs are staged outside the target and bound at /tmp/zmanim-build in every step, where
# the Packer template uploads them (nspawn gives each run a fresh /tmp, and the image's cleanup step
# empties /var/tmp, so they cannot live inside the target).
stage=/tmp/zmanim-build
stage_host="$work/stage"
mkdir -p "$stage_host"
cp -a "$packer/provision" "$stage_host/provision"
cp -a "$packer/files" "$stage_host/files"
cp "$ZMANIM_API_JAR" "$stage_host/zmanim-api.jar"
# No service starts during package installs (invoke-rc.d honours policy-rc.d's 101).
printf '#!/bin/sh\nexit 101\n' >"$target/usr/sbin/policy-rc.d"
chmod 0755 "$target/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$target/etc/resolv.conf" 2>/dev/null || true

# One build at a time (the lock above), so one cgroup name serves every build.
run_in_target() {
  "$here/in-own-cgroup.sh" image-build systemd-nspawn -q -D "$target" --register=no --keep-unit --as-pid2 --bind="$stage_host:$stage" \
    --setenv=ZMANIM_FILES_DIR="$stage/files" \
    --setenv=ZMANIM_API_JAR="$stage/zmanim-api.jar" \
    --setenv=ZMANIM_API_VERSION="$ZMANIM_API_VERSION" \
    --setenv=ZMANIM_INSTALL_CLOUDWATCH_AGENT=false \
    --setenv=DEBIAN_FRONTEND=noninteractive \
    "$@"
}

steps_log="$work/provision.log"
: >"$steps_log"
mapfile -t steps < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$list" | awk 'NF {print $1}')
[ "${#steps[@]}" -gt 0 ] || die "$list names no scripts"
for step in "${steps[@]}"; do
  [ -f "$packer/provision/$step" ] || die "provision.list names $step, which is not in $packer/provision"
  log "provision: $step"
  step_start=$(now_ms)
  if ! run_in_target /bin/bash "$stage/provision/$step" >>"$steps_log" 2>&1; then
    tail -n 40 "$steps_log" >&2
    die "provisioning step $step failed (full log: $steps_log)"
  fi
  log "provision: $step done in $(secs_since "$step_start") s"
done
grep -E '^\[[0-9]+-[A-Za-z0-9_.-]+\] skipped' "$steps_log" | sed 's/^/[build-rootfs] reported by the image: /' >&2 || true

rm -rf "$stage_host"
rm -f "$target/usr/sbin/policy-rc.d"
# The image carries no machine identity: each instance gets its own at first boot, as on AWS.
: >"$target/etc/machine-id"
seconds="$(secs_since "$start")"
printf '{"key":"%s","base":"%s","suite":"%s","arch":"%s","api_version":"%s","build_seconds":%s,"built":"%s"}\n' \
  "$image_key" "$base_key" "$suite" "$arch" "$ZMANIM_API_VERSION" "$seconds" "$(date -u +%FT%TZ)" >"$work/build.json"
rm -rf "$image_dir"
mv "$work" "$image_dir"
log "built image $image_key in $seconds s"

# Keep the cache bounded (~1.3 GB an image): the newest ZMANIM_REHEARSAL_KEEP_IMAGES (3) stay, and
# so does any image an instance is running on (the lower layer of a mounted overlay) or being built.
keep="${ZMANIM_REHEARSAL_KEEP_IMAGES:-3}"
in_use="$(findmnt -rn -t overlay -o OPTIONS 2>/dev/null || true)"
find "$cache/images" -mindepth 1 -maxdepth 1 -type d ! -name '*.tmp' -printf '%T@ %p\n' | sort -rn \
  | tail -n +"$((keep + 1))" | while read -r _ old; do
  [ "$old" = "$image_dir" ] && continue
  case "$in_use" in *"lowerdir=$old/rootfs"*) continue ;; esac
  log "pruning cached image ${old##*/}"
  rm -rf --one-file-system "$old"
done
echo "$image_dir"
