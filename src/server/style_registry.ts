/**
 * The configured styles by id (and alias), read from disk at start and on
 * reload. A style that cannot be read is skipped with a warning. The documents
 * are kept as written; rewriting for a request happens in src/styles.
 * Aliases come from the config and from the style's own
 * `metadata["tuilerie:aliases"]`, so styles found in stylesDir (which have no
 * config entry) can still answer to the names partners use.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StyleConfig } from '../config/config_types.js';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export interface StyleEntry {
  id: string;
  path: string;
  /** Directory of the style file: where its sprite and other side files live. */
  dir: string;
  config: StyleConfig;
  /** The style document as read (never mutated). */
  style: Readonly<Record<string, unknown>>;
  /** Bumped at every reload so memoised rewrites can be dropped. */
  generation: number;
}

export class StyleRegistry {
  private readonly entries = new Map<string, StyleEntry>();
  private readonly aliases = new Map<string, string>();
  private readonly configs = new Map<string, StyleConfig>();
  private generation = 0;

  constructor(private readonly logger: Logger) {}

  /** Reads and registers a style; false (and a warning) when it cannot be used. */
  async add(id: string, config: StyleConfig): Promise<boolean> {
    this.configs.set(id, config);
    for (const a of config.aliases) this.aliases.set(a, id);
    try {
      const text = await fs.readFile(config.path, 'utf8');
      const style = JSON.parse(text) as unknown;
      if (typeof style !== 'object' || style === null || Array.isArray(style) || !Array.isArray((style as { layers?: unknown }).layers)) {
        throw new Error('not a MapLibre style (no "layers" array)');
      }
      for (const a of metadataAliases(style)) if (!this.aliases.has(a)) this.aliases.set(a, id);
      this.entries.set(id, { id, path: config.path, dir: path.dirname(config.path), config, style: style as Record<string, unknown>, generation: ++this.generation });
      return true;
    } catch (e) {
      this.entries.delete(id);
      this.logger.warn(`style "${id}" skipped: cannot read ${config.path}: ${(e as Error).message}`, { id });
      return false;
    }
  }

  get(idOrAlias: string): StyleEntry | undefined {
    return this.entries.get(idOrAlias) ?? this.entries.get(this.aliases.get(idOrAlias) ?? '');
  }

  require(idOrAlias: string): StyleEntry {
    const e = this.get(idOrAlias);
    if (!e) {
      const known = [...this.entries.keys()];
      throw new TuilerieError('NOT_FOUND', `unknown style "${idOrAlias}"${known.length ? `; available: ${known.join(', ')}` : ''}`);
    }
    return e;
  }

  /** The other names a style answers to. */
  aliasesOf(id: string): string[] {
    return [...this.aliases].filter(([, target]) => target === id).map(([alias]) => alias).filter((a) => !this.entries.has(a));
  }

  list(): StyleEntry[] {
    return [...this.entries.values()];
  }

  /** The styles drawn as images (raster tiles, static maps, WMTS/WMS): those not configured `rendered: false`. */
  rendered(): StyleEntry[] {
    return this.list().filter((e) => e.config.rendered !== false);
  }

  /** Re-reads every configured style (SIGHUP). */
  async reloadAll(): Promise<void> {
    for (const [id, cfg] of this.configs) await this.add(id, cfg);
  }
}

/** Strings of the style's `metadata["tuilerie:aliases"]`; config aliases win over these. */
function metadataAliases(style: object): string[] {
  const meta = (style as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) return [];
  const list = (meta as Record<string, unknown>)['tuilerie:aliases'];
  return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string' && a !== '') : [];
}
