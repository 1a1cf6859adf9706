#!/usr/bin/env bash
# Runs COMMAND (a systemd-nspawn) in a cgroup of its own, NAME, below the caller's cgroup.
# When: before every container the rehearsal starts (the harness's instance boots, build-rootfs.sh's
#   provisioning steps); as root.
# Why: where the host's PID 1 is not systemd (this workplace: cgroup v1, no host systemd),
#   `systemd-nspawn --keep-unit` puts its container at "<caller's cgroup>/payload". Every container
#   started from the same cgroup then shares that one tree: their systemd instances create and remove
#   the same unit cgroups (payload/system.slice/X.service) under each other's feet, and a unit fails
#   with "Failed to spawn executor: No such file or directory" once two containers run at a time.
# Touches: <caller's cgroup>/zmanim-rehearsal-NAME in the name=systemd hierarchy (v1; and in the
#   unified one beside it on a hybrid host) or the unified one (v2): removes the empty tree an earlier container of that name left, creates it, moves this
#   process into it and execs COMMAND (so the caller's process is COMMAND itself).
# Needs: root, a cgroup file system under /sys/fs/cgroup.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../../scripts/lib/common.sh"

[ "$#" -ge 2 ] || die "usage: in-own-cgroup.sh NAME COMMAND [ARG...]"
name="$1"
shift
[[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "NAME must be letters, digits, '.', '_' or '-', not '$name'"

if [ -f /sys/fs/cgroup/systemd/cgroup.procs ]; then
  base=/sys/fs/cgroup/systemd
  own="$(awk -F: '$2 == "name=systemd" {print $3}' /proc/self/cgroup)"
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  base=/sys/fs/cgroup
  own="$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)"
else
  die "no name=systemd (cgroup v1) or unified (cgroup v2) hierarchy is mounted under /sys/fs/cgroup"
fi
[ -n "$own" ] || die "this process's cgroup is not in /proc/self/cgroup"

# move_into DIR: DIR emptied of what a stopped container left (rmdir removes only empty cgroups, so
# a tree that still holds a process, a container of that name still running, stops here, named),
# created, and this process moved into it.
move_into() {
  local dir="$1"
  if [ -d "$dir" ]; then
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null \
      || die "cgroup $dir still holds processes: is a container named $name still running?"
  fi
  mkdir "$dir"
  echo "$$" >"$dir/cgroup.procs"
}
move_into "$base${own%/}/zmanim-rehearsal-$name"
# Hybrid hosts (v1 with the unified hierarchy mounted beside it): a container's systemd (257) keeps
# its unit cgroups in the unified one, where nspawn puts it at "<caller's cgroup>/payload" too.
if [ "$base" = /sys/fs/cgroup/systemd ] && [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then
  unified="$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)"
  [ -n "$unified" ] || die "this process's unified cgroup is not in /proc/self/cgroup"
  move_into "/sys/fs/cgroup/unified${unified%/}/zmanim-rehearsal-$name"
fi
exec "$@"
