/**
 * The open tile sources by id. Opening is injected (the archive module's
 * opener in production, fakes in tests); a source that fails to open is skipped
 * with a warning so one corrupt file never takes the others down. Reloading
 * swaps in a freshly opened archive and drops the cache entries of the old one.
 */
import type { TileSource, TilesetMetadata } from '../archive/tile_source.js';
import type { TileChangeIndex } from '../archive/tile_change_index.js';
import type { TileCache } from '../cache/tile_cache.js';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export type OpenTileSource = (path: string) => Promise<TileSource>;

export interface SourceEntry {
  id: string;
  path: string;
  source: TileSource;
  metadata: TilesetMetadata;
  /** source.version() at open time, part of every cache key. */
  version: string;
  /** Where updates changed the archive (an updatable MBTiles), read at open time. */
  changes?: TileChangeIndex;
}

export interface SourceRegistryOptions {
  open: OpenTileSource;
  cache: TileCache;
  logger: Logger;
  /** How long a replaced archive stays open for requests already reading it. */
  closeDelayMs?: number;
}

export type SourceChangeListener = (id: string) => void;

export class SourceRegistry {
  private readonly entries = new Map<string, SourceEntry>();
  /** Configured sources that could not be opened, kept so a later reload can retry them. */
  private readonly failed = new Map<string, string>();
  private readonly listeners: SourceChangeListener[] = [];
  private changes = 0;

  constructor(private readonly opts: SourceRegistryOptions) {}

  /** Opens and registers a source; false (and a warning) when the file cannot be served. */
  async add(id: string, path: string): Promise<boolean> {
    const entry = await this.tryOpen(id, path);
    if (!entry) {
      this.failed.set(id, path);
      return false;
    }
    this.failed.delete(id);
    this.entries.set(id, entry);
    this.changes++;
    return true;
  }

  /** Moves whenever the set of open sources changes (one added, reopened or closed): what memos of them follow. */
  get generation(): number {
    return this.changes;
  }

  get(id: string): SourceEntry | undefined {
    return this.entries.get(id);
  }

  /** The source, or NOT_FOUND naming the ids that exist. */
  require(id: string): SourceEntry {
    const e = this.entries.get(id);
    if (!e) {
      const known = [...this.entries.keys()];
      throw new TuilerieError('NOT_FOUND', `unknown data source "${id}"${known.length ? `; available: ${known.join(', ')}` : ''}`);
    }
    return e;
  }

  list(): SourceEntry[] {
    return [...this.entries.values()];
  }

  /** Every configured path, opened or not (what the watcher watches). */
  paths(): Array<{ id: string; path: string }> {
    return [...[...this.entries.values()].map((e) => ({ id: e.id, path: e.path })), ...[...this.failed].map(([id, path]) => ({ id, path }))];
  }

  onChange(listener: SourceChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Reopens one source from its path. On failure the previous archive stays in
   * service (a half-copied file must not take a working source down).
   */
  async reload(id: string): Promise<boolean> {
    const old = this.entries.get(id);
    const path = old?.path ?? this.failed.get(id);
    if (!path) throw new TuilerieError('NOT_FOUND', `unknown data source "${id}"`);
    const fresh = await this.tryOpen(id, path);
    if (!fresh) return false;
    if (old && old.version === fresh.version) {
      await fresh.source.close();
      return true;
    }
    this.entries.set(id, fresh);
    this.failed.delete(id);
    this.changes++;
    this.opts.cache.invalidateSource(id);
    this.opts.logger.info('source reloaded', { id, path, version: fresh.version });
    if (old) this.closeLater(old.source);
    for (const l of this.listeners) l(id);
    return true;
  }

  async reloadAll(): Promise<void> {
    for (const { id } of this.paths()) await this.reload(id);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.changes++;
    await Promise.allSettled(all.map((e) => e.source.close()));
  }

  private async tryOpen(id: string, path: string): Promise<SourceEntry | undefined> {
    try {
      const source = await this.opts.open(path);
      const metadata = source.metadata();
      return { id, path, source, metadata, version: source.version(), changes: source.changeIndex?.() };
    } catch (e) {
      this.opts.logger.warn(`source "${id}" skipped: cannot open ${path}: ${(e as Error).message}`, { id, path });
      return undefined;
    }
  }

  private closeLater(source: TileSource): void {
    const t = setTimeout(() => {
      source.close().catch((e) => this.opts.logger.warn('closing a replaced source failed', { error: String(e) }));
    }, this.opts.closeDelayMs ?? 2000);
    t.unref();
  }
}
