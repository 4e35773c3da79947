#!/usr/bin/env bash
# The data job of a deployment (the compose stack's import service, the Kubernetes CronJob):
# optionally downloads fresh extracts, then imports every extract of $TUILERIE_OSM_DIR into
# $TUILERIE_DATA_DIR/openmaptiles.mbtiles and builds the routing graph beside it.
# Every file is written to a temp file and renamed into place, so the servers reading the
# data volume switch from the old version to the new one at once (they watch the directory)
# and a failed run leaves the old data served.
#
#   scripts/refresh_data.sh                  import when the extracts are newer than the tiles
#   REFRESH_EXTRACTS="alsace saarland" scripts/refresh_data.sh
#                                            download those first (scripts/download_osm.sh;
#                                            GEOFABRIK_BASE sets the mirror)
#   REFRESH_FORCE=1 scripts/refresh_data.sh  import even when the tiles are up to date
#   REFRESH_PMTILES=/objects/openmaptiles.pmtiles scripts/refresh_data.sh
#                                            also write the tiles as PMTiles there (a bucket
#                                            mounted or synced, served over HTTP range requests)
#
# Run one at a time on a volume (a CronJob with concurrencyPolicy: Forbid): two imports of the
# same output in containers with the same process id would share a temp file name.
set -euo pipefail
cd "$(dirname "$0")/.."
OSM_DIR=${TUILERIE_OSM_DIR:-data/osm}
DATA_DIR=${TUILERIE_DATA_DIR:-data}
NE_DIR=${TUILERIE_NATURAL_EARTH_DIR:-data/naturalearth}
OUT=$DATA_DIR/openmaptiles.mbtiles
log() { printf 'refresh: %s\n' "$*" >&2; }

if [ -n "${REFRESH_EXTRACTS:-}" ]; then
  # shellcheck disable=SC2086  # a list of names
  TUILERIE_OSM_DIR=$OSM_DIR scripts/download_osm.sh $REFRESH_EXTRACTS
fi
shopt -s nullglob nocaseglob
inputs=("$OSM_DIR"/*.osm.pbf "$OSM_DIR"/*.osm "$OSM_DIR"/*.osm.bz2)
if [ ${#inputs[@]} -eq 0 ]; then
  log "no OSM extracts (.osm.pbf, .osm, .osm.bz2) in $OSM_DIR: put some there, or set REFRESH_EXTRACTS to download them"
  exit 1
fi
newest=$(ls -t "${inputs[@]}" | head -n1)
if [ "${REFRESH_FORCE:-0}" != 1 ] && [ -s "$OUT" ] && [ "$OUT" -nt "$newest" ]; then
  log "$OUT is newer than every extract in $OSM_DIR: nothing to do (REFRESH_FORCE=1 imports anyway)"
  exit 0
fi
mkdir -p "$DATA_DIR"
ne=()
[ -d "$NE_DIR" ] && ne=(--natural-earth "$NE_DIR")
log "importing ${#inputs[@]} extract(s) from $OSM_DIR into $OUT"
start=$(date +%s)
node dist/src/cli/main.js import --out "$OUT" --routing --name 'Tuilerie OpenStreetMap' "${ne[@]}" "${inputs[@]}"
if [ -n "${REFRESH_PMTILES:-}" ]; then
  mkdir -p "$(dirname "$REFRESH_PMTILES")"
  node dist/src/cli/main.js convert --force "$OUT" "$REFRESH_PMTILES"
fi
log "done in $(( $(date +%s) - start )) s: $(du -h "$OUT" | cut -f1) $OUT"
