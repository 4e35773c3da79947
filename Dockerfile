# syntax=docker/dockerfile:1
# Tuilerie: vector and raster tile server. Two stages: the build stage compiles
# TypeScript and builds glyphs and sprites; the runtime stage holds only what
# serving needs, with Debian's Chromium for raster rendering, as a non-root user.
#
#   podman build --format docker -t tuilerie .    (or docker build -t tuilerie .; podman's default
#                                                  OCI format would drop the HEALTHCHECK)
#   docker run -p 8080:8080 -v "$PWD/data:/data" tuilerie                       # import data/osm/*.osm.pbf once, then serve
#   docker run -p 8080:8080 -v "$PWD/data:/data" tuilerie serve /data/grand-est.pmtiles
#   docker run -v "$PWD/data:/data" --entrypoint scripts/refresh_data.sh tuilerie   # the data job alone
# One server process per core (TUILERIE_WORKERS=0); each starts its own browser on its first render.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# fonts: the glyph build reads Noto Sans from /usr/share/fonts/truetype/noto
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY styles ./styles
RUN npm run build \
 && node dist/scripts/build_assets.js \
 && npm prune --omit=dev --no-audit --no-fund
# better-sqlite3 compiles SQLite from source: only the addon itself is needed at run
# time, not its objects, static library, makefiles and the SQLite sources (~27 MB)
RUN cd node_modules/better-sqlite3 \
 && find build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find build/Release -mindepth 1 -maxdepth 1 ! -name better_sqlite3.node -exec rm -rf {} + \
 && rm -rf deps src \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"
# The native renderer downloads a prebuilt binary: it installs only where the
# build reaches the internet; without it the image renders with Chromium.
RUN (npm install --no-save --omit=dev --no-audit --no-fund @maplibre/maplibre-gl-native \
      && node -e "require('@maplibre/maplibre-gl-native')" \
      && echo "native renderer: installed") \
    || (rm -rf node_modules/@maplibre/maplibre-gl-native && echo "native renderer: unavailable, Chromium only")

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TUILERIE_HOST=0.0.0.0 \
    TUILERIE_PORT=8080 \
    TUILERIE_WORKERS=0 \
    TUILERIE_DATA_DIR=/data \
    TUILERIE_OSM_DIR=/data/osm
# Natural Earth (low zooms) is read from /data/naturalearth when it is there
# bzip2: .osm.bz2 input; tini: signals and zombie reaping; curl: scripts/download_osm.sh
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      bzip2 ca-certificates curl tini \
 && rm -rf /var/lib/apt/lists/*
# chromium: raster tiles, static maps, city plans; fonts-noto-core: what Chromium
# draws labels with. Its own layer, so `podman history` shows what raster rendering costs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/assets ./assets
COPY --from=build /app/src ./src
COPY --from=build /app/styles ./styles
# the data job: download (Geofabrik) and import, each written to a temp file and renamed
COPY --from=build /app/scripts/download_osm.sh /app/scripts/refresh_data.sh ./scripts/
# libraries the native renderer's binary links against, only when it was installed
RUN if [ -d node_modules/@maplibre/maplibre-gl-native ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
           libcurl4 libuv1 libjpeg62-turbo libpng16-16 libwebp7 libopengl0 libegl1 libgles2 xvfb xauth \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && mkdir -p /data \
 && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TUILERIE_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/cli/main.js"]
CMD ["start"]
