/**
 * Tile reads for HTTP: through the cache, with the ETag computed once per
 * stored tile, and the decompressed form produced at most once per tile for
 * clients that do not accept gzip.
 */
import type { TileCache, TileCacheKey } from '../cache/tile_cache.js';
import { strongEtag } from '../cache/etag.js';
import { TuilerieError } from '../core/errors.js';
import { gunzipRepresentation, type Representation } from './conditional_http.js';
import type { SourceEntry } from './source_registry.js';
import { isGzip } from '../core/gzip_bytes.js';

/**
 * A tile that is a view into a much larger buffer (a PMTiles range read, say)
 * would keep that buffer alive in the cache, which counts only the view: copy it.
 */
function ownBytes(data: Buffer): Buffer {
  const backing = data.buffer.byteLength;
  return backing > 65536 && backing > 2 * data.byteLength ? Buffer.from(data) : data;
}

export class TileService {
  constructor(private readonly cache: TileCache) {}

  /** The stored representation, or null when the tile is missing or empty; `outcome.hit` tells whether the cache had it. */
  async get(entry: SourceEntry, z: number, x: number, y: number, outcome?: { hit?: boolean }): Promise<Representation | null> {
    const key: TileCacheKey = { sourceId: entry.id, version: entry.version, z, x, y, variant: 'stored' };
    const hit = this.cache.get(key);
    if (outcome) outcome.hit = hit !== undefined;
    if (hit !== undefined) return hit;
    let tile;
    try {
      tile = await entry.source.getTile(z, x, y);
    } catch (e) {
      // A damaged archive is our fault, not the client's: never a 4xx, and the detail goes to the log only.
      throw new TuilerieError('IO_ERROR', `reading tile ${z}/${x}/${y} of source "${entry.id}" failed: ${(e as Error).message}`, { cause: e });
    }
    let rep: Representation | null = null;
    if (tile && tile.data.length > 0) {
      // Some archives store gzip without saying so in metadata; trust the bytes.
      const gzipped = tile.encoding === 'gzip' || isGzip(tile.data);
      const data = ownBytes(tile.data);
      rep = { data, encoding: gzipped ? 'gzip' : 'identity', etag: strongEtag(data) };
    }
    this.cache.set(key, rep);
    return rep;
  }

  /** The identity form of a stored gzip tile, cached beside it. */
  identity(entry: SourceEntry, z: number, x: number, y: number, stored: Representation): Representation {
    if (stored.encoding !== 'gzip') return stored;
    const key: TileCacheKey = { sourceId: entry.id, version: entry.version, z, x, y, variant: 'identity' };
    const hit = this.cache.get(key);
    if (hit) return hit;
    const rep = gunzipRepresentation(stored);
    this.cache.set(key, rep);
    return rep;
  }
}
