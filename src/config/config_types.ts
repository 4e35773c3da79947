/** The validated, frozen configuration every module receives (shape of CONFIG_SCHEMA). */

export interface SourceConfig {
  /** Absolute path of the archive. */
  readonly path: string;
}

export interface StyleConfig {
  /** Absolute path of the style.json. */
  readonly path: string;
  readonly aliases: readonly string[];
  /** Data source id for remote vector sources of the style ('' = automatic). */
  readonly source: string;
  /** Absolute directory of the files a relative `sprite` names (tileserver-gl layout), or '' / absent. */
  readonly spritesDir?: string;
  /** Raster tiles, static maps and OGC layers of this style are served (absent: true). */
  readonly rendered?: boolean;
}

/** The shared (Redis) cache tier; `redisUrl` empty when there is none. */
export interface SharedCacheConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly ttlSeconds: number;
  readonly lockMs: number;
  readonly timeoutMs: number;
}

/** Route kinds that carry their own Cache-Control. */
export type CacheRouteKind = 'tiles' | 'tilejson' | 'styles' | 'index' | 'fonts' | 'sprites' | 'viewer' | 'default';

/** The renderer pool and rendered-image caches (`raster.*`). */
export interface RasterConfig {
  readonly poolSize: number;
  readonly maxQueue: number;
  readonly queueWaitMs: number;
  readonly timeoutMs: number;
  readonly metaSize: number;
  readonly chromiumPath: string;
  /** Absolute (resolved against dataDir), or '' when the disk tier is off. */
  readonly cacheDir: string;
  readonly memoryBytes: number;
  readonly maxPixels: number;
  readonly quality: number;
  /** Nice steps below the event loop for pixel worker threads and Chromium. */
  readonly niceness: number;
  readonly idleCloseMs: number;
}

/** What OGC capabilities say about the service. */
export interface OgcServiceConfig {
  readonly title: string;
  readonly abstract: string;
  readonly attribution: string;
  readonly attributionUrl: string;
  readonly fees: string;
  readonly accessConstraints: string;
  readonly contactOrganization: string;
  readonly contactPerson: string;
  readonly contactEmail: string;
}

export interface TuilerieConfig {
  readonly port: number;
  readonly host: string;
  /** Empty string when not set: derived per request. No trailing slash. */
  readonly publicUrl: string;
  readonly trustProxy: boolean;
  readonly dataDir: string;
  readonly stylesDir: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly logFormat: 'text' | 'json';
  readonly accessLog: boolean;
  readonly watch: boolean;
  readonly workers: number;
  readonly cors: { readonly origins: readonly string[]; readonly postOrigins: readonly string[] };
  readonly http: { readonly requestTimeoutMs: number; readonly headersTimeoutMs: number; readonly keepAliveTimeoutMs: number };
  readonly ogc: OgcServiceConfig;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly styles: Readonly<Record<string, StyleConfig>>;
  readonly cache: {
    readonly memoryBytes: number;
    readonly shared: SharedCacheConfig;
    readonly missingTileStatus: 204 | 404;
    readonly control: Readonly<Record<CacheRouteKind, string>>;
  };
  readonly raster: RasterConfig;
  readonly updates: { readonly replicationUrl: string; readonly every: string };
}
