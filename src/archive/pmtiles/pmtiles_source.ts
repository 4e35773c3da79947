/**
 * Reads PMTiles v3 through the `pmtiles` package, from a local file (positioned
 * reads on one descriptor) or over HTTP range requests. Tiles are returned as
 * stored, so gzip MVT goes out with Content-Encoding: gzip and is never inflated.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { PMTiles, FetchSource, SharedPromiseCache, Compression, TileType, tileIdToZxy, type Source, type RangeResponse, type Header, type Entry } from 'pmtiles';
import { TuilerieError } from '../../core/errors.js';
import { isValidTile } from '../../core/tile_math.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TileData, TileEntry, TileSource, TilesetMetadata, VectorLayerInfo } from '../tile_source.js';
import { isGzip } from '../../core/gzip_bytes.js';

const gunzip = promisify(zlib.gunzip);
const brotli = promisify(zlib.brotliDecompress);
const readAt = promisify(fs.read);

export interface PmtilesSourceOptions {
  logger?: Logger;
}

/** A pmtiles `Source` over a local file: one descriptor, positioned reads, short reads at EOF allowed. */
class NodeFileSource implements Source {
  constructor(private readonly file: string, private readonly fd: number) {}
  getKey(): string {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await readAt(this.fd, buf, 0, length, offset).catch((e: unknown) => {
      throw new TuilerieError('IO_ERROR', `cannot read ${this.file}: ${(e as Error).message}`, { cause: e });
    });
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
  }
}

/** Directories and metadata: inflate with zlib (faster than DecompressionStream on Node). */
async function decompressInternal(data: ArrayBuffer, c: Compression): Promise<ArrayBuffer> {
  const b = Buffer.from(data);
  let out: Buffer;
  if (c === Compression.None || c === Compression.Unknown) return data;
  if (c === Compression.Gzip) out = await gunzip(b);
  else if (c === Compression.Brotli) out = await brotli(b);
  else throw new TuilerieError('UNSUPPORTED_FORMAT', `PMTiles compression ${Compression[c]} is not supported; re-create the archive with gzip`);
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
}

/** Tile data is kept as stored; recoding happens in getTile when needed. */
async function keepTile(data: ArrayBuffer): Promise<ArrayBuffer> {
  return data;
}

const FORMATS: Partial<Record<TileType, string>> = {
  [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp', [TileType.Avif]: 'avif', [TileType.Mlt]: 'mlt',
};

function toMetadata(h: Header, json: Record<string, unknown>, fallbackName: string): TilesetMetadata {
  const str = (k: string): string | undefined => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
  const meta: TilesetMetadata = {
    name: str('name') ?? fallbackName,
    format: FORMATS[h.tileType as TileType] ?? str('format') ?? 'unknown',
    minzoom: h.minZoom,
    maxzoom: h.maxZoom,
    bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
    center: [h.centerLon, h.centerLat, h.centerZoom],
  };
  for (const k of ['attribution', 'description', 'version'] as const) if (str(k) !== undefined) meta[k] = str(k);
  const type = str('type');
  if (type === 'baselayer' || type === 'overlay') meta.type = type;
  if (Array.isArray(json.vector_layers)) meta.vector_layers = json.vector_layers as VectorLayerInfo[];
  const extra: Record<string, string> = {};
  const known = new Set(['name', 'format', 'attribution', 'description', 'version', 'vector_layers', 'minzoom', 'maxzoom', 'bounds', 'center']);
  for (const [k, v] of Object.entries(json)) {
    if (known.has(k) || (k === 'type' && meta.type)) continue;
    extra[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (Object.keys(extra).length) meta.extra = extra;
  return meta;
}

/** Maps what the pmtiles package throws on a bad archive to our codes. */
function openError(where: string, e: unknown): TuilerieError {
  if (e instanceof TuilerieError) return e;
  const msg = (e as Error).message ?? String(e);
  if (/spec version/i.test(msg)) return new TuilerieError('UNSUPPORTED_FORMAT', `${where}: ${msg}. Convert it with a current pmtiles tool.`, { cause: e });
  if (/magic number/i.test(msg)) return new TuilerieError('BAD_INPUT', `${where} is not a PMTiles archive (wrong magic number)`, { cause: e });
  if (/Bad response code|fetch failed|ECONN|ENOTFOUND/i.test(msg)) return new TuilerieError('IO_ERROR', `cannot read ${where}: ${msg}`, { cause: e });
  return new TuilerieError('BAD_INPUT', `${where} is not a readable PMTiles archive: ${msg}`, { cause: e });
}

export class PmtilesSource implements TileSource {
  private closed = false;
  private constructor(
    readonly location: string,
    private readonly pm: PMTiles,
    private readonly source: Source,
    private readonly cache: SharedPromiseCache,
    private readonly header: Header,
    private readonly meta: TilesetMetadata,
    private readonly ver: string,
    private readonly fd: number | undefined,
  ) {}

  /** Opens a local .pmtiles file or an http(s) URL (read with range requests). */
  static async open(location: string, opts: PmtilesSourceOptions = {}): Promise<PmtilesSource> {
    const logger = opts.logger ?? silentLogger;
    const isUrl = /^https?:\/\//i.test(location);
    let fd: number | undefined;
    let source: Source;
    let ver: string;
    let name: string;
    if (isUrl) {
      source = new FetchSource(location);
      name = path.basename(new URL(location).pathname).replace(/\.pmtiles$/i, '') || 'pmtiles';
      ver = '';
    } else {
      const file = path.resolve(location);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
        fd = fs.openSync(file, 'r');
      } catch (e) {
        throw new TuilerieError('NOT_FOUND', `PMTiles file ${file} does not exist or cannot be read`, { cause: e, details: { path: file } });
      }
      if (st.size === 0) {
        fs.closeSync(fd);
        throw new TuilerieError('BAD_INPUT', `${file} is empty, not a PMTiles archive`, { details: { path: file } });
      }
      source = new NodeFileSource(file, fd);
      name = path.basename(file).replace(/\.pmtiles$/i, '');
      ver = `${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}-${st.ino.toString(36)}`;
    }
    try {
      const head = Buffer.from((await source.getBytes(0, 8)).data);
      if (head.length >= 3 && head[0] === 0x50 && head[1] === 0x4d && head[2] < 3) {
        throw new TuilerieError('UNSUPPORTED_FORMAT', `${location} is a PMTiles v${head[2]} archive; only v3 is supported. Convert it with \`pmtiles convert\`.`);
      }
      const cache = new SharedPromiseCache(128, true, decompressInternal);
      // The package inflates tiles and metadata with one function; two readers sharing
      // one cache let metadata be inflated while tiles stay as stored.
      const pm = new PMTiles(source, cache, keepTile);
      const header = await pm.getHeader();
      if (header.tileCompression === Compression.Zstd) {
        throw new TuilerieError('UNSUPPORTED_FORMAT', `${location}: zstd-compressed tiles are not supported; re-create the archive with gzip`);
      }
      const json = ((await new PMTiles(source, cache, decompressInternal).getMetadata()) ?? {}) as Record<string, unknown>;
      const meta = toMetadata(header, typeof json === 'object' ? json : {}, name);
      if (isUrl) ver = `${header.etag ?? ''}-${header.tileDataLength ?? 0}-${header.numTileContents}`;
      logger.debug('pmtiles opened', { location, tiles: header.numAddressedTiles });
      return new PmtilesSource(location, pm, source, cache, header, meta, ver, fd);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      throw openError(location, e);
    }
  }

  metadata(): TilesetMetadata {
    return this.meta;
  }

  async getTile(z: number, x: number, y: number): Promise<TileData | undefined> {
    if (!isValidTile(z, x, y) || z > 26) return undefined;
    let resp: RangeResponse | undefined;
    try {
      resp = await this.pm.getZxy(z, x, y);
    } catch (e) {
      throw openError(this.location, e);
    }
    if (!resp) return undefined;
    let data = Buffer.from(resp.data);
    if (this.header.tileCompression === Compression.Brotli) data = await brotli(data);
    return { data, encoding: isGzip(data) ? 'gzip' : 'identity' };
  }

  /** Every addressed tile in tile-id order, walking root and leaf directories. */
  async *tiles(): AsyncIterable<TileEntry> {
    const h = this.header;
    const walk = async function* (this: PmtilesSource, offset: number, length: number): AsyncGenerator<TileEntry> {
      const entries: Entry[] = await this.cache.getDirectory(this.source, offset, length, h);
      for (const e of entries) {
        if (e.runLength === 0) {
          yield* walk.call(this, h.leafDirectoryOffset + e.offset, e.length);
          continue;
        }
        const resp = await this.source.getBytes(h.tileDataOffset + e.offset, e.length);
        let data = Buffer.from(resp.data);
        if (h.tileCompression === Compression.Brotli) data = await brotli(data);
        const tile: TileData = { data, encoding: isGzip(data) ? 'gzip' : 'identity' };
        for (let i = 0; i < e.runLength; i++) {
          const [z, x, y] = tileIdToZxy(e.tileId + i);
          yield { z, x, y, tile };
        }
      }
    };
    yield* walk.call(this, h.rootDirectoryOffset, h.rootDirectoryLength);
  }

  tileCount(): number {
    return this.header.numAddressedTiles;
  }

  version(): string {
    return this.ver;
  }

  async close(): Promise<void> {
    if (this.fd !== undefined && !this.closed) fs.closeSync(this.fd);
    this.closed = true;
  }
}
