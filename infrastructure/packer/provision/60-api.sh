#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): bakes the API artifact at
# /opt/zmanim/releases/<version>/ with its SHA-256 (contract §4), points /opt/zmanim/current at
# it, records /opt/zmanim/BAKED_VERSION, creates the zmanim service user, and makes the release's
# JDK 25 AOT cache (zmanim-aot-train: a training run of the jar's --aot-training mode).
# Touches: /opt/zmanim, the zmanim user and group. Needs: ZMANIM_API_JAR, ZMANIM_API_VERSION.
# Safe to re-run: re-baking the same version checks it matches; another version is added beside.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_vars ZMANIM_API_JAR ZMANIM_API_VERSION
[[ "$ZMANIM_API_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
  || die "ZMANIM_API_VERSION '$ZMANIM_API_VERSION' is not MAJOR.MINOR.PATCH[-suffix]"
[ -f "$ZMANIM_API_JAR" ] || die "ZMANIM_API_JAR=$ZMANIM_API_JAR is not a file"

# The jar must say it is that version (Implementation-Version in its manifest).
command -v unzip >/dev/null || die "unzip is missing: run 10-packages.sh first"
manifest_version="$(unzip -p "$ZMANIM_API_JAR" META-INF/MANIFEST.MF | tr -d '\r' \
  | sed -n 's/^Implementation-Version: //p')"
[ "$manifest_version" = "$ZMANIM_API_VERSION" ] \
  || die "$ZMANIM_API_JAR says Implementation-Version '${manifest_version}', expected $ZMANIM_API_VERSION"

if ! getent passwd zmanim >/dev/null; then
  useradd --system --user-group --home-dir /opt/zmanim --no-create-home --shell /usr/sbin/nologin zmanim
  log "created system user zmanim"
fi

dir="/opt/zmanim/releases/$ZMANIM_API_VERSION"
sum="$(sha256sum "$ZMANIM_API_JAR" | cut -d' ' -f1)"
if [ -f "$dir/zmanim-api.jar" ]; then
  if ! (cd "$dir" && sha256sum --quiet --status -c zmanim-api.jar.sha256) \
    || [ "$(cut -d' ' -f1 "$dir/zmanim-api.jar.sha256")" != "$sum" ]; then
    die "$dir already holds a different artifact for $ZMANIM_API_VERSION"
  fi
else
  install -d -m 0755 -o root -g root /opt/zmanim /opt/zmanim/releases "$dir"
  install -m 0644 -o root -g root "$ZMANIM_API_JAR" "$dir/zmanim-api.jar"
  (cd "$dir" && sha256sum zmanim-api.jar >zmanim-api.jar.sha256)
  chmod 0644 "$dir/zmanim-api.jar.sha256"
  log "baked API $ZMANIM_API_VERSION (sha256 $sum)"
fi
ln -sfn "releases/$ZMANIM_API_VERSION" /opt/zmanim/current
printf '%s\n' "$ZMANIM_API_VERSION" >/opt/zmanim/BAKED_VERSION
chmod 0644 /opt/zmanim/BAKED_VERSION
log "/opt/zmanim/current -> releases/$ZMANIM_API_VERSION"

# The JDK 25 AOT cache of the baked release, made by the JVM that will run it (needs 30-files.sh).
/usr/local/sbin/zmanim-aot-train
