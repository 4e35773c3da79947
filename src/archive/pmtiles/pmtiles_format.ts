/**
 * PMTiles v3 binary layout for writing: the 127-byte header and directories
 * (varint columns, delta tile ids, run lengths, contiguous-offset elision), split
 * into leaf directories when the root would not fit in the first 16 KiB.
 * Spec: https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md
 */
import zlib from 'node:zlib';

export const HEADER_BYTES = 127;
/** Header + root directory must fit in the first read of every client. */
export const ROOT_BUDGET = 16384 - HEADER_BYTES;

export enum PmCompression { Unknown = 0, None = 1, Gzip = 2, Brotli = 3, Zstd = 4 }
export enum PmTileType { Unknown = 0, Mvt = 1, Png = 2, Jpeg = 3, Webp = 4, Avif = 5, Mlt = 6 }

export interface DirEntry {
  tileId: number;
  /** Tile entries: relative to the tile data section; leaf pointers: relative to the leaf section. */
  offset: number;
  length: number;
  /** 0 for a pointer to a leaf directory. */
  runLength: number;
}

export interface HeaderFields {
  rootOffset: number; rootLength: number;
  metadataOffset: number; metadataLength: number;
  leafOffset: number; leafLength: number;
  tileDataOffset: number; tileDataLength: number;
  addressedTiles: number; tileEntries: number; tileContents: number;
  clustered: boolean;
  internalCompression: PmCompression;
  tileCompression: PmCompression;
  tileType: PmTileType;
  minZoom: number; maxZoom: number;
  bounds: [number, number, number, number];
  center: [number, number, number];
}

function writeU64(buf: Buffer, offset: number, v: number): void {
  buf.writeUInt32LE(v % 2 ** 32, offset);
  buf.writeUInt32LE(Math.floor(v / 2 ** 32), offset + 4);
}
const e7 = (deg: number): number => Math.round(deg * 1e7);

export function serializeHeader(h: HeaderFields): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write('PMTiles', 0, 'latin1');
  b.writeUInt8(3, 7);
  const u64: [number, number][] = [
    [8, h.rootOffset], [16, h.rootLength], [24, h.metadataOffset], [32, h.metadataLength],
    [40, h.leafOffset], [48, h.leafLength], [56, h.tileDataOffset], [64, h.tileDataLength],
    [72, h.addressedTiles], [80, h.tileEntries], [88, h.tileContents],
  ];
  for (const [o, v] of u64) writeU64(b, o, v);
  b.writeUInt8(h.clustered ? 1 : 0, 96);
  b.writeUInt8(h.internalCompression, 97);
  b.writeUInt8(h.tileCompression, 98);
  b.writeUInt8(h.tileType, 99);
  b.writeUInt8(h.minZoom, 100);
  b.writeUInt8(h.maxZoom, 101);
  b.writeInt32LE(e7(h.bounds[0]), 102);
  b.writeInt32LE(e7(h.bounds[1]), 106);
  b.writeInt32LE(e7(h.bounds[2]), 110);
  b.writeInt32LE(e7(h.bounds[3]), 114);
  b.writeUInt8(h.center[2], 118);
  b.writeInt32LE(e7(h.center[0]), 119);
  b.writeInt32LE(e7(h.center[1]), 123);
  return b;
}

class VarintWriter {
  private buf = Buffer.alloc(1024);
  private pos = 0;
  write(v: number): void {
    if (this.pos + 10 > this.buf.length) {
      const next = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** One directory, uncompressed. Entries must be sorted by tileId. */
export function serializeDirectory(entries: DirEntry[]): Buffer {
  const w = new VarintWriter();
  w.write(entries.length);
  let last = 0;
  for (const e of entries) {
    w.write(e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) w.write(e.runLength);
  for (const e of entries) w.write(e.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const prev = entries[i - 1];
    // 0 means "right after the previous entry", which clustered archives make the common case.
    if (i > 0 && e.offset === prev.offset + prev.length) w.write(0);
    else w.write(e.offset + 1);
  }
  return w.bytes();
}

export function compress(data: Buffer, c: PmCompression): Buffer {
  return c === PmCompression.Gzip ? zlib.gzipSync(data) : data;
}

/**
 * Root and leaf directories for sorted tile entries: everything in the root when
 * it fits, otherwise leaves of `leafSize` entries (doubled until the root fits).
 */
export function buildDirectories(entries: DirEntry[], internal: PmCompression): { root: Buffer; leaves: Buffer; leafCount: number } {
  const whole = compress(serializeDirectory(entries), internal);
  if (whole.length <= ROOT_BUDGET) return { root: whole, leaves: Buffer.alloc(0), leafCount: 0 };
  let leafSize = Math.max(4096, Math.ceil(entries.length / 3500));
  for (;;) {
    const rootEntries: DirEntry[] = [];
    const leafParts: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = compress(serializeDirectory(entries.slice(i, i + leafSize)), internal);
      rootEntries.push({ tileId: entries[i].tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const root = compress(serializeDirectory(rootEntries), internal);
    if (root.length <= ROOT_BUDGET) return { root, leaves: Buffer.concat(leafParts), leafCount: leafParts.length };
    leafSize *= 2;
  }
}
