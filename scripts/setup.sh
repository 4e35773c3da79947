#!/usr/bin/env bash
# One command to make a fresh machine ready: Debian packages, npm packages,
# TypeScript build, glyph and sprite assets. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  bzip2            # .osm.bz2 input
  fonts-noto-core  # glyph build (Noto Sans Regular/Bold/Italic)
  chromium         # raster renderer and browser tests
  gdal-bin         # GIS client used by tests (ogrinfo, gdalinfo, gdal_translate)
  poppler-utils    # PDF checks of city plans
  osmium-tool      # scale extracts for benchmarks (split, merge, fileinfo); derive-changes in the update tests
  python3-numpy    # ../shared/scripts/make-big-extract.py (bench:scale inputs)
  osmcoastline     # oracle of the sea-from-coastlines test
  tilemaker        # importer benchmark peer
  redis-server     # shared cache tier tests
  nginx            # reverse proxy of the prefix test (docs/nginx-prefix.conf)
  wrk              # HTTP benchmarks
  sqlite3
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "setup: installing npm packages"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

echo "setup: building TypeScript"
npm run build

if [ -f dist/scripts/build_assets.js ]; then
  echo "setup: building glyphs and sprites"
  node dist/scripts/build_assets.js
fi
echo "setup: done"
