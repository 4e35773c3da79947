/**
 * What a server (or the seed and plan commands) serves: the source and style
 * registries, the watcher that reopens replaced archives, and styles resolved
 * for a base URL. Everything that asks "which data does this style read, and
 * which version of it" asks here, so there is one answer: `dataVersion`.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { TuilerieConfig } from '../config/config_types.js';
import type { TileCache } from '../cache/tile_cache.js';
import type { Logger } from '../core/logger.js';
import type { RasterStyle, RenderArea } from '../render/raster_tile_service.js';
import type { DataArea } from '../archive/tile_change_index.js';
import { archiveUrlSourceId, rewriteStyle, type StyleRewriteOptions } from '../styles/style_rewriter.js';
import { SourceRegistry, type OpenTileSource, type SourceEntry } from './source_registry.js';
import { SourceWatcher } from './source_watcher.js';
import { StyleRegistry, type StyleEntry } from './style_registry.js';

export interface CatalogOptions {
  open: OpenTileSource;
  /** The vector tile cache the source registry drops entries of on reload. */
  cache: TileCache;
  logger: Logger;
}

export interface ResolveStyleOptions {
  /** Where the style's sources, glyphs and sprites are fetched from. */
  baseUrl: string;
  /** Label language (`name:xx`), if any. */
  lang?: string;
}

/** Sources the style reads: `mbtiles://`-style URLs of ours, else the resolver's choice. */
export type StyleSourceResolver = (name: string, source: Readonly<Record<string, unknown>>) => string | undefined;

const MEMO_LIMIT = 64;

/**
 * The data version of what a render of `area` reads: per source, the version the archive's change log
 * gives that area (the last update that changed a tile there, else the import), or the whole archive's
 * version when it keeps no change log. An update thus moves the version of the areas it changed only.
 */
function areaVersionOf(styleHash: string, sources: readonly SourceEntry[], area: RenderArea): string {
  return `${styleHash}|${sources.map((s) => `${s.id}:${s.changes ? s.changes.versionOf(dataAreaOf(s, area)) : s.version}`).join(',')}`;
}

/**
 * The tiles of a source a render of `area` reads. MapLibre draws a vector source of 512 px tiles
 * at floor(zoom), one of 256 px tiles a zoom deeper, and the deepest tiles past the source's maxzoom:
 * both zooms are counted, clamped to the source's range. Without a zoom, every zoom.
 */
function dataAreaOf(s: SourceEntry, area: RenderArea): DataArea {
  const min = s.metadata.minzoom, max = s.metadata.maxzoom;
  if (area.mapZoom === undefined) return { box: area.box, minzoom: min, maxzoom: max };
  const z = Math.floor(area.mapZoom + 1e-9);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  return { box: area.box, minzoom: clamp(z), maxzoom: clamp(z + 1) };
}

export class Catalog {
  readonly sources: SourceRegistry;
  readonly styles: StyleRegistry;
  private watcher: SourceWatcher | undefined;
  private readonly memo = new Map<string, RasterStyle>();
  private readonly hashes = new WeakMap<object, string>();
  /** sourcesOf by style entry (a reloaded style is a new entry), valid while the source registry's generation holds. */
  private readonly styleSources = new WeakMap<StyleEntry, { generation: number; sources: readonly SourceEntry[] }>();

  constructor(private readonly opts: CatalogOptions) {
    this.sources = new SourceRegistry({ open: opts.open, cache: opts.cache, logger: opts.logger });
    this.styles = new StyleRegistry(opts.logger);
  }

  /** Opens the configured sources and styles, then watches the sources when `config.watch`. */
  async open(config: Pick<TuilerieConfig, 'sources' | 'styles' | 'watch'>): Promise<void> {
    for (const [id, src] of Object.entries(config.sources)) await this.sources.add(id, src.path);
    for (const [id, style] of Object.entries(config.styles)) await this.styles.add(id, style);
    if (config.watch) {
      this.watcher = new SourceWatcher({ registry: this.sources, logger: this.opts.logger });
      this.watcher.start();
    }
  }

  /** Reopens every source and re-reads every style (SIGHUP). */
  async reload(): Promise<void> {
    await this.sources.reloadAll();
    await this.styles.reloadAll();
  }

  stopWatching(): void {
    this.watcher?.stop();
    this.watcher = undefined;
  }

  async close(): Promise<void> {
    this.stopWatching();
    await this.sources.closeAll();
  }

  /** Which data source a style source without one of our URLs is pointed at. */
  sourceResolver(entry: StyleEntry): StyleSourceResolver {
    return (name, source) => {
      if (entry.config.source && this.sources.get(entry.config.source)) return entry.config.source;
      if (this.sources.get(name)) return name;
      const wantVector = source.type === 'vector';
      return this.sources.list().find((s) => (s.metadata.format === 'pbf') === wantVector)?.id;
    };
  }

  /** How the style rewriter finds the data sources of `entry`. */
  sourceOptions(entry: StyleEntry): Pick<StyleRewriteOptions, 'resolveSource' | 'archiveSource'> {
    return { resolveSource: this.sourceResolver(entry), archiveSource: (ref) => this.archiveSource(ref) };
  }

  /** The served source an archive URL names: by id, else by file name (tileserver-gl's `mbtiles://file.mbtiles`). */
  archiveSource(ref: string): string {
    if (this.sources.get(ref)) return ref;
    const stem = (p: string) => path.basename(p).replace(/\.(mbtiles|pmtiles)$/i, '');
    return this.sources.list().find((s) => stem(s.path) === ref)?.id ?? ref;
  }

  /** The data source a style source is pointed at by the style rewriter, if we serve it. */
  sourceOf(entry: StyleEntry, name: string): SourceEntry | undefined {
    const src = ((entry.style.sources ?? {}) as Record<string, unknown>)[name];
    if (typeof src !== 'object' || src === null || Array.isArray(src)) return undefined;
    const s = src as Readonly<Record<string, unknown>>;
    const ref = typeof s.url === 'string' ? archiveUrlSourceId(s.url) : undefined;
    let id = ref === undefined ? undefined : this.archiveSource(ref);
    if (id === undefined && (s.type === 'vector' || s.type === 'raster' || s.type === 'raster-dem')) id = this.sourceResolver(entry)(name, s);
    return id === undefined ? undefined : this.sources.get(id);
  }

  /**
   * The data sources a style draws from. Every raster request asks (through
   * dataVersion), so the answer is kept until the style or the sources change.
   */
  sourcesOf(entry: StyleEntry): readonly SourceEntry[] {
    const generation = this.sources.generation;
    const hit = this.styleSources.get(entry);
    if (hit?.generation === generation) return hit.sources;
    const out: SourceEntry[] = [];
    for (const name of Object.keys((entry.style.sources ?? {}) as Record<string, unknown>)) {
      const data = this.sourceOf(entry, name);
      if (data && !out.includes(data)) out.push(data);
    }
    this.styleSources.set(entry, { generation, sources: out });
    return out;
  }

  /**
   * THE data version of a style: its stored document and the version of every
   * source it reads. Rendered images are keyed by it, so a new import or an
   * edited style makes them stale, and nothing else does.
   */
  dataVersion(entry: StyleEntry): string {
    return `${this.styleHash(entry)}|${this.sourcesOf(entry).map((s) => `${s.id}:${s.version}`).join(',')}`;
  }

  private styleHash(entry: StyleEntry): string {
    let hash = this.hashes.get(entry.style);
    if (!hash) {
      // the stored document, not a rewrite: rewrites hold this process's port
      hash = crypto.createHash('sha1').update(JSON.stringify(entry.style)).digest('base64url').slice(0, 16);
      this.hashes.set(entry.style, hash);
    }
    return hash;
  }

  /** The style (by id or alias) rewritten for `baseUrl`, ready for a renderer; undefined when unknown. */
  resolve(idOrAlias: string, opts: ResolveStyleOptions): RasterStyle | undefined {
    const entry = this.styles.get(idOrAlias);
    return entry && this.resolveEntry(entry, opts);
  }

  resolveEntry(entry: StyleEntry, opts: ResolveStyleOptions): RasterStyle {
    const dataVersion = this.dataVersion(entry);
    const memoKey = `${entry.id}\u0000${entry.generation}\u0000${dataVersion}\u0000${opts.baseUrl}\u0000${opts.lang ?? ''}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const style = rewriteStyle(entry.style, { baseUrl: opts.baseUrl, styleId: entry.id, lang: opts.lang, ...this.sourceOptions(entry) });
    const meta = this.sourcesOf(entry)[0]?.metadata;
    const rs: RasterStyle = {
      id: entry.id,
      name: typeof entry.style.name === 'string' ? entry.style.name : entry.id,
      style,
      // the page reloads its map (and drops tiles of old data) when this changes
      styleKey: `${entry.id}:${dataVersion}${opts.lang ? `:${opts.lang}` : ''}`,
      dataVersion,
      // the sources and hash of this data version, resolved once: raster cache hits ask for every tile
      versionOf: ((hash, sources) => (area: RenderArea) => areaVersionOf(hash, sources, area))(this.styleHash(entry), this.sourcesOf(entry)),
      minzoom: meta?.minzoom ?? 0,
      maxzoom: meta?.maxzoom ?? 14,
      bounds: meta?.bounds,
      center: meta?.center,
      attribution: meta?.attribution,
    };
    if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(memoKey, rs);
    return rs;
  }
}
