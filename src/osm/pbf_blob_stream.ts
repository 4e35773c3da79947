/**
 * Reads the framing of an OSM PBF file (length, BlobHeader, Blob) sequentially with
 * large buffered reads, handing out each blob's bytes still compressed, in their own
 * ArrayBuffer so they can be transferred to a worker without a copy. Never holds
 * more than one read-ahead buffer and the current blob in memory.
 */
import fs from 'node:fs/promises';
import { PbfReader as Pbf } from 'pbf';
import { TuilerieError } from '../core/errors.js';

/** Spec limits: a BlobHeader is under 64 KiB, a Blob under 32 MiB. */
const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
const READ_AHEAD = 4 * 1024 * 1024;

export interface RawBlob {
  /** `OSMHeader` or `OSMData` (other types are skipped by readers, per the spec). */
  type: string;
  /** Compressed Blob message bytes, owning their buffer. */
  data: Uint8Array;
  /** File offset of the blob's length prefix, for error messages. */
  offset: number;
}

export class PbfBlobStream {
  private fh: fs.FileHandle | null = null;
  private buf = new Uint8Array(0);
  private bufStart = 0;
  private bufPos = 0;
  private fileSize = 0;
  /** Bytes consumed so far (end of the last blob handed out). */
  consumed = 0;

  /** `readAhead`: bytes per buffered read; blobs larger than it are read straight into their own buffer. */
  constructor(readonly path: string, private readonly readAhead = READ_AHEAD) {}

  async open(): Promise<void> {
    try {
      this.fh = await fs.open(this.path, 'r');
      this.fileSize = (await this.fh.stat()).size;
    } catch (e) {
      await this.close();
      throw new TuilerieError('IO_ERROR', `cannot open ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }

  /** The next blob, or null at a clean end of file. */
  async next(): Promise<RawBlob | null> {
    const offset = this.consumed;
    if (offset >= this.fileSize) return null;
    const lenBytes = await this.read(4, offset, 'blob length');
    const headerLen = ((lenBytes[0] << 24) | (lenBytes[1] << 16) | (lenBytes[2] << 8) | lenBytes[3]) >>> 0;
    if (headerLen === 0 || headerLen > MAX_HEADER) {
      throw this.bad(offset, `invalid BlobHeader length ${headerLen} (not an OSM PBF file, or corrupt)`);
    }
    const header = await this.read(headerLen, offset, 'BlobHeader');
    let type = '';
    let dataSize = -1;
    try {
      const pbf = new Pbf(header);
      pbf.readFields((tag, _r, p) => {
        if (tag === 1) type = p.readString();
        else if (tag === 3) dataSize = p.readVarint();
        else p.skip(p.type);
      }, null);
      if (pbf.pos !== headerLen) throw new Error('overrun');
    } catch {
      throw this.bad(offset, 'unreadable BlobHeader (not an OSM PBF file, or corrupt)');
    }
    if (!type || dataSize < 0 || dataSize > MAX_BLOB) {
      throw this.bad(offset, `invalid BlobHeader (type '${type}', datasize ${dataSize})`);
    }
    const data = await this.read(dataSize, offset, `${type} blob`);
    this.consumed = offset + 4 + headerLen + dataSize;
    return { type, data, offset };
  }

  private bad(offset: number, what: string): TuilerieError {
    return new TuilerieError('BAD_INPUT', `${this.path}: ${what} at byte ${offset}`);
  }

  /** Exactly n bytes at the current position in a fresh buffer; a short read means truncation. */
  private async read(n: number, blobOffset: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const avail = this.buf.length - this.bufPos;
      if (avail > 0) {
        const take = Math.min(avail, n - filled);
        out.set(this.buf.subarray(this.bufPos, this.bufPos + take), filled);
        this.bufPos += take;
        filled += take;
        continue;
      }
      const got = await this.refill(n - filled > this.readAhead ? out.subarray(filled) : null);
      if (got === 0) {
        throw this.bad(blobOffset, `file is truncated: ${what} needs ${n} bytes, only ${filled} left`);
      }
      if (got < 0) filled += -got;
    }
    return out;
  }

  /**
   * Reads ahead into the internal buffer, or directly into `direct` for big blobs.
   * Returns bytes buffered (> 0), -bytes written directly (< 0), or 0 at end of file.
   */
  private async refill(direct: Uint8Array | null): Promise<number> {
    if (!this.fh) throw new TuilerieError('INTERNAL', 'PbfBlobStream used before open()');
    const pos = this.bufStart + this.buf.length;
    if (direct) {
      const { bytesRead } = await this.fh.read(direct, 0, direct.length, pos);
      this.bufStart = pos + bytesRead;
      this.buf = new Uint8Array(0);
      this.bufPos = 0;
      return -bytesRead;
    }
    const target = new Uint8Array(this.readAhead);
    const { bytesRead } = await this.fh.read(target, 0, this.readAhead, pos);
    this.bufStart = pos;
    this.buf = target.subarray(0, bytesRead);
    this.bufPos = 0;
    return bytesRead;
  }
}
