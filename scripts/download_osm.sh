#!/usr/bin/env bash
# Downloads the region's OpenStreetMap extracts from Geofabrik into data/osm
# (or $TUILERIE_OSM_DIR). Needs internet access; re-running only fetches newer files.
# Data © OpenStreetMap contributors, ODbL 1.0.
#
#   scripts/download_osm.sh            the whole cross-border region
#   scripts/download_osm.sh alsace     only the named extracts (see the list below)
set -euo pipefail
cd "$(dirname "$0")/.."
DEST="${TUILERIE_OSM_DIR:-data/osm}"
BASE="${GEOFABRIK_BASE:-https://download.geofabrik.de}"
declare -A EXTRACTS=(
  [alsace]=europe/france/alsace
  [lorraine]=europe/france/lorraine
  [champagne-ardenne]=europe/france/champagne-ardenne
  [baden-wuerttemberg]=europe/germany/baden-wuerttemberg
  [saarland]=europe/germany/saarland
  [rheinland-pfalz]=europe/germany/rheinland-pfalz
  [luxembourg]=europe/luxembourg
  [belgium]=europe/belgium
  [switzerland]=europe/switzerland
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${!EXTRACTS[@]}")
mkdir -p "$DEST"
for n in "${names[@]}"; do
  p="${EXTRACTS[$n]:-}"
  if [ -z "$p" ]; then echo "unknown extract '$n'; known: ${!EXTRACTS[*]}" >&2; exit 2; fi
  url="$BASE/$p-latest.osm.pbf"
  out="$DEST/$n.osm.pbf"
  echo "downloading $url → $out"
  # -z: only when the remote file is newer; written to a temp file, renamed when complete
  if [ -f "$out" ]; then z=(-z "$out"); else z=(); fi
  curl -fL --retry 3 "${z[@]}" -o "$out.part" "$url"
  if [ -s "$out.part" ]; then mv "$out.part" "$out"; else rm -f "$out.part"; fi
done
echo "done: $(ls "$DEST" | wc -l) extract(s) in $DEST. Run 'npm start' to import and serve them."
