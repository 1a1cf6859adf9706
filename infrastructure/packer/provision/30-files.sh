#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): installs the files that ship, from
# the mirror of target paths in $ZMANIM_FILES_DIR, with their modes and owners: PostgreSQL and
# Redis configuration, systemd units and drop-ins, the on-instance scripts and their library, docs.
# Touches: the target paths of the files under $ZMANIM_FILES_DIR only. Needs: ZMANIM_FILES_DIR,
# run after 10-packages.sh (the postgres and redis users exist). Safe to re-run: installs a file
# only when its content, mode or owner differ.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_vars ZMANIM_FILES_DIR
[ -d "$ZMANIM_FILES_DIR/etc" ] || die "ZMANIM_FILES_DIR=$ZMANIM_FILES_DIR does not hold the files to ship"
getent passwd postgres >/dev/null || die "user postgres is missing: run 10-packages.sh first"
getent passwd redis >/dev/null || die "user redis is missing: run 10-packages.sh first"

# mode_owner TARGET: prints "MODE OWNER:GROUP" for a target path.
mode_owner() {
  case "$1" in
    /usr/local/sbin/*) echo "755 root:root" ;;
    /etc/postgresql/*) echo "644 postgres:postgres" ;;
    /etc/redis/*) echo "640 root:redis" ;;
    *) echo "644 root:root" ;;
  esac
}

count=0
while IFS= read -r -d '' src; do
  target="/${src#"$ZMANIM_FILES_DIR"/}"
  read -r mode owner < <(mode_owner "$target")
  install_file "$src" "$target" "$mode" "$owner"
  count=$((count + 1))
done < <(find "$ZMANIM_FILES_DIR" -type f -print0 | sort -z)

# Directories the shipped configuration expects.
install -d -m 0755 -o postgres -g postgres /etc/postgresql/17/main /etc/postgresql/17/main/conf.d
install -d -m 0755 -o root -g root /etc/zmanim /etc/restic /var/cache/restic
chmod 0700 /var/cache/restic
log "$count files in place"
