/**
 * Every configuration key, declared once: type, default, description and the
 * environment variable that may set it. Loading, validation, `--help` text and
 * the documentation all read this table, so adding a key is one entry here.
 */

export type ScalarType = 'integer' | 'number' | 'string' | 'boolean' | 'string[]';

export interface ScalarKey {
  kind: 'scalar';
  type: ScalarType;
  default: unknown;
  description: string;
  /** Environment variable that sets this key (strings parsed by type; lists comma-separated). */
  env?: string;
  /** Allowed values, for enumerations. */
  values?: readonly (string | number)[];
  min?: number;
  max?: number;
}

/** A map of id → entry with fixed fields (sources, styles). */
export interface MapKey {
  kind: 'map';
  description: string;
  entry: Record<string, ScalarKey & { required?: boolean }>;
}

export interface GroupKey {
  kind: 'group';
  description: string;
  keys: Record<string, KeySpec>;
}

export type KeySpec = ScalarKey | MapKey | GroupKey;

const s = (type: ScalarType, def: unknown, description: string, extra: Partial<ScalarKey> = {}): ScalarKey => ({
  kind: 'scalar', type, default: def, description, ...extra,
});

const TILE_CC = 'public, max-age=3600, stale-while-revalidate=86400';
const JSON_CC = 'public, max-age=60, stale-while-revalidate=3600';
const ASSET_CC = 'public, max-age=86400, stale-while-revalidate=604800';

export const CONFIG_SCHEMA: Record<string, KeySpec> = {
  port: s('integer', 8080, 'TCP port to listen on (0 picks a free port).', { env: 'TUILERIE_PORT', min: 0, max: 65535 }),
  host: s('string', '0.0.0.0', 'Interface to bind.', { env: 'TUILERIE_HOST' }),
  publicUrl: s('string', '', 'Base URL clients reach this server at (e.g. https://tiles.example.org/). Empty: derived from Host and X-Forwarded-* headers.', { env: 'TUILERIE_PUBLIC_URL' }),
  trustProxy: s('boolean', false, 'Behind a reverse proxy that sets them, build the URLs of TileJSON, styles, capabilities and plan results from Forwarded / X-Forwarded-Host, -Proto and -Prefix when publicUrl is empty (malformed values are ignored; documents then vary on these headers). Off by default: clients reaching the server directly could otherwise choose the URLs it hands out.', { env: 'TUILERIE_TRUST_PROXY' }),
  dataDir: s('string', 'data', 'Directory of data files; relative source and style paths resolve against the config file directory.', { env: 'TUILERIE_DATA_DIR' }),
  stylesDir: s('string', 'styles', 'Directory scanned for styles (<dir>/<id>/style.json or <dir>/<id>.json) when "styles" is empty.', { env: 'TUILERIE_STYLES_DIR' }),
  logLevel: s('string', 'info', 'Log level.', { env: 'TUILERIE_LOG_LEVEL', values: ['debug', 'info', 'warn', 'error'] }),
  logFormat: s('string', 'text', 'Log lines: "text" (time, level, message) or "json" (one object per line, for log collectors).', { env: 'TUILERIE_LOG_FORMAT', values: ['text', 'json'] }),
  accessLog: s('boolean', true, 'Log one line per HTTP request (method, path, status, bytes, ms, cache hit or miss) at level info.', { env: 'TUILERIE_ACCESS_LOG' }),
  workers: s('integer', 0, 'Server processes sharing the port (node cluster); 0 (the default): one per CPU core; 1: a single process. Each has its own memory cache and, once it renders, its own browser; /metrics sums the counters of all workers (gauges per worker).', { env: 'TUILERIE_WORKERS', min: 0, max: 64 }),
  watch: s('boolean', true, 'Reopen a source when its file is replaced (a new import renamed into place).', { env: 'TUILERIE_WATCH' }),
  cors: {
    kind: 'group',
    description: 'Cross-origin access.',
    keys: {
      origins: s('string[]', ['*'], 'Origins allowed to read (GET, HEAD) across origins; ["*"] allows any, [] disables CORS headers.', { env: 'TUILERIE_CORS_ORIGINS' }),
      postOrigins: s('string[]', [], 'Origins allowed to POST across origins (plan jobs, which queue renders); ["*"] allows any; empty (the default): none.', { env: 'TUILERIE_CORS_POST_ORIGINS' }),
    },
  },
  http: {
    kind: 'group',
    description: 'HTTP connection limits.',
    keys: {
      requestTimeoutMs: s('integer', 30_000, 'Time a client has to send a whole request, headers and body, in milliseconds; a slower one gets 408 and its connection is closed. Answering (rendering) is not counted.', { env: 'TUILERIE_REQUEST_TIMEOUT_MS', min: 1000, max: 3_600_000 }),
      headersTimeoutMs: s('integer', 10_000, 'Time a client has to send the request headers, in milliseconds (at most requestTimeoutMs).', { env: 'TUILERIE_HEADERS_TIMEOUT_MS', min: 1000, max: 3_600_000 }),
      keepAliveTimeoutMs: s('integer', 65_000, 'How long an idle keep-alive connection stays open, in milliseconds; above the idle timeout of a load balancer in front (often 60 s), so that it never reuses a connection just closed.', { env: 'TUILERIE_KEEP_ALIVE_TIMEOUT_MS', min: 0, max: 3_600_000 }),
    },
  },
  ogc: {
    kind: 'group',
    description: 'What the WMS and WMTS capabilities say about the service (QGIS and ArcGIS show it in their layer properties).',
    keys: {
      title: s('string', 'Tuilerie basemaps', 'Service title.'),
      abstract: s('string', 'OpenStreetMap basemaps (OpenMapTiles schema) rendered in Web Mercator and Lambert-93.', 'Service abstract.'),
      attribution: s('string', '© OpenStreetMap contributors', 'Attribution of every layer, when its data source declares none.'),
      attributionUrl: s('string', 'https://www.openstreetmap.org/copyright', 'Link of the attribution.'),
      fees: s('string', 'none', 'Fees.'),
      accessConstraints: s('string', 'Map data © OpenStreetMap contributors, under the Open Database License (ODbL): attribution required.', 'Access constraints.'),
      contactOrganization: s('string', '', 'Organisation running the service (capabilities ContactInformation / ServiceProvider).'),
      contactPerson: s('string', '', 'Contact person.'),
      contactEmail: s('string', '', 'Contact e-mail address.'),
    },
  },
  sources: {
    kind: 'map',
    description: 'Tile archives served under /data/{id}: MBTiles or PMTiles files.',
    entry: {
      path: { ...s('string', undefined, 'Path of the .mbtiles or .pmtiles file, or an http(s) URL of a .pmtiles archive.'), required: true },
    },
  },
  styles: {
    kind: 'map',
    description: 'MapLibre styles served under /styles/{id}/style.json.',
    entry: {
      path: { ...s('string', undefined, 'Path of the style.json file.'), required: true },
      aliases: s('string[]', [], 'Other ids this style answers to.'),
      source: s('string', '', 'Data source id that remote vector sources of this style (e.g. MapTiler URLs) are pointed at; empty: the source of the same name, else the first vector source.'),
      spritesDir: s('string', '', 'Directory a relative "sprite" of the style names its files in (tileserver-gl\'s paths.sprites, with its {style} and {styleJsonFolder} placeholders); empty: sprite.json and sprite.png beside the style file, else Tuilerie\'s sprite.'),
      rendered: s('boolean', true, 'Render this style: raster tiles, static maps, WMTS and WMS layers (tileserver-gl\'s serve_rendered). false: only its style.json is served.'),
    },
  },
  cache: {
    kind: 'group',
    description: 'HTTP and memory caching.',
    keys: {
      memoryBytes: s('integer', 256 * 1024 * 1024, 'Size bound of the in-memory tile cache, in bytes (0 disables it).', { env: 'TUILERIE_CACHE_MEMORY_BYTES', min: 0 }),
      shared: {
        kind: 'group',
        description: 'Cache tier shared by several instances (Redis) for rendered raster tiles: each metatile is rendered once across them.',
        keys: {
          redisUrl: s('string', '', 'Redis URL (redis://[:password@]host:6379/0); empty: no shared tier. When Redis is unreachable the local caches serve and the client keeps reconnecting.', { env: 'TUILERIE_REDIS_URL' }),
          prefix: s('string', 'tuilerie:', 'Prefix of every Redis key (several deployments can share one Redis).', { env: 'TUILERIE_REDIS_PREFIX' }),
          ttlSeconds: s('integer', 7 * 24 * 3600, 'Expiry of shared rendered tiles, in seconds.', { env: 'TUILERIE_REDIS_TTL', min: 1 }),
          lockMs: s('integer', 30_000, 'Expiry of the render lock of a metatile (milliseconds); other instances wait at most this long for its tiles before rendering themselves.', { min: 100 }),
          timeoutMs: s('integer', 500, 'Redis command timeout (milliseconds): past it, the request goes on as a local cache miss.', { min: 10 }),
        },
      },
      missingTileStatus: s('integer', 204, 'Status for an empty or missing tile inside the source range: 204 (what map clients expect) or 404.', { env: 'TUILERIE_MISSING_TILE_STATUS', values: [204, 404] }),
      control: {
        kind: 'group',
        description: 'Cache-Control header per route kind.',
        keys: {
          tiles: s('string', TILE_CC, 'Cache-Control of vector and raster tiles.'),
          tilejson: s('string', JSON_CC, 'Cache-Control of TileJSON documents.'),
          styles: s('string', JSON_CC, 'Cache-Control of style documents.'),
          index: s('string', JSON_CC, 'Cache-Control of /index.json, /data.json, /styles.json.'),
          fonts: s('string', ASSET_CC, 'Cache-Control of glyph ranges.'),
          sprites: s('string', ASSET_CC, 'Cache-Control of sprites.'),
          viewer: s('string', 'public, max-age=300', 'Cache-Control of the web page and its assets.'),
          default: s('string', 'public, max-age=60', 'Cache-Control of any other cacheable route.'),
        },
      },
    },
  },
  raster: {
    kind: 'group',
    description: 'Rendered images (raster tiles, static maps, WMTS/WMS, plan maps): the headless Chromium pool and its caches.',
    keys: {
      poolSize: s('integer', 1, 'Browser pages rendering at once (each holds a WebGL context; on 2 cores one is as fast as two).', { env: 'TUILERIE_RASTER_POOL_SIZE', min: 1, max: 16 }),
      maxQueue: s('integer', 32, 'Renders allowed to wait for a page; one more is refused with 503 and Retry-After.', { env: 'TUILERIE_RASTER_MAX_QUEUE', min: 1, max: 10000 }),
      queueWaitMs: s('integer', 15_000, 'Longest time a request waits for a free renderer, in milliseconds; past it the request is answered 503 with Retry-After (clients retry; the queue does not grow stale). 0: no limit. Plan jobs and seeding are not bounded by it.', { env: 'TUILERIE_RENDER_QUEUE_WAIT_MS', min: 0, max: 3_600_000 }),
      timeoutMs: s('integer', 60_000, 'Time limit of one render (milliseconds); past it the page is recycled and the request fails.', { env: 'TUILERIE_RASTER_TIMEOUT_MS', min: 1000 }),
      metaSize: s('integer', 4, 'Tiles per side of a metatile (one render serves metaSize² tiles, labels placed once across them).', { env: 'TUILERIE_RASTER_META_SIZE', min: 1, max: 8 }),
      chromiumPath: s('string', '/usr/bin/chromium', 'Chromium executable the renderer drives.', { env: 'TUILERIE_CHROMIUM_PATH' }),
      cacheDir: s('string', 'raster-cache', 'Directory of the rendered-tile disk cache (one SQLite file per style); a relative path is taken inside dataDir; empty disables the disk tier.', { env: 'TUILERIE_RASTER_CACHE_DIR' }),
      memoryBytes: s('integer', 64 * 1024 * 1024, 'Size bound of the in-memory cache of rendered images, in bytes (0 disables it).', { env: 'TUILERIE_RASTER_MEMORY_BYTES', min: 0 }),
      maxPixels: s('integer', 4096, 'Largest side, in image pixels, of a static map or WMS GetMap.', { min: 256, max: 8192 }),
      quality: s('integer', 85, 'JPEG and WebP quality of rendered images.', { min: 1, max: 100 }),
      niceness: s('integer', 10, 'Nice steps below the event loop that the pixel worker threads (readback, resampling, compositing, plan pages) and the Chromium processes run at (Linux; 0: same priority). When they fill every core, the thread answering requests still gets one as soon as it wakes, so a cached tile or /health is not held behind big renders. Raising a nice value needs no privilege; where the system refuses, they run at normal priority. Chromium is started through `nice` and, when the server holds CAP_SYS_NICE (root), `setpriv` (util-linux) dropping that capability, so it cannot raise its threads again (without setpriv: a warning).', { env: 'TUILERIE_RASTER_NICENESS', min: 0, max: 19 }),
      idleCloseMs: s('integer', 10 * 60_000, 'Close the browser after this many milliseconds without renders (0: never); the next render starts it again.', { min: 0 }),
    },
  },
  updates: {
    kind: 'group',
    description: 'OpenStreetMap changes applied by `tuilerie start` on a schedule (`--update-every`, `--replication`).',
    keys: {
      replicationUrl: s('string', '', 'Replication directory (state.txt, AAA/BBB/CCC.osc.gz; e.g. Geofabrik\'s …-updates/) that `start --update-every` follows when no --replication is given.', { env: 'TUILERIE_REPLICATION_URL' }),
      every: s('string', '', 'Period of the scheduled update of `start` (e.g. 24h, 30m; s, m, h, d) when no --update-every is given; empty: none.', { env: 'TUILERIE_UPDATE_EVERY' }),
    },
  },
};
