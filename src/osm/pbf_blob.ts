/**
 * PBF `Blob` messages: their content uncompressed (raw, zlib or lz4; the other
 * codecs refused with a clear message), and the decode error the block decoder
 * shares.
 */
import { inflateSync } from 'node:zlib';
import { PbfReader as Pbf } from 'pbf';
import { TuilerieError } from '../core/errors.js';
import { lz4DecompressBlock } from './lz4_block.js';

/** Decoding failed because the data is not valid PBF; the reader adds file and offset. */
export class PbfDecodeError extends Error {}

/** Throws unless a message was read exactly to its end. */
export function checkEnd(pbf: Pbf, end: number, what: string): void {
  if (pbf.pos !== end) throw new PbfDecodeError(`malformed ${what} (read ${pbf.pos} of ${end} bytes)`);
}

/** The PBF format's limit on a decompressed blob (32 MiB): a corrupt size is refused instead of allocated. */
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

/** Uncompressed content of a `Blob` message. */
export function decodeBlob(data: Uint8Array): Uint8Array {
  const pbf = new Pbf(data);
  let raw: Uint8Array | undefined;
  let zlib: Uint8Array | undefined;
  let lz4: Uint8Array | undefined;
  let rawSize = -1;
  let other: string | undefined;
  pbf.readFields((tag, _r, p) => {
    if (tag === 1) raw = p.readBytes();
    else if (tag === 2) rawSize = p.readVarint();
    else if (tag === 3) zlib = p.readBytes();
    else if (tag === 4) { other = 'lzma'; p.skip(p.type); }
    else if (tag === 5) { other = 'bzip2'; p.skip(p.type); }
    else if (tag === 6) lz4 = p.readBytes();
    else if (tag === 7) { other = 'zstd'; p.skip(p.type); }
    else p.skip(p.type);
  }, null);
  checkEnd(pbf, data.length, 'Blob');
  if (raw) return raw;
  if (zlib) {
    let out: Buffer;
    try {
      out = inflateSync(zlib, { maxOutputLength: MAX_BLOB_BYTES });
    } catch (e) {
      throw new PbfDecodeError(`corrupt zlib data (${(e as Error).message})`);
    }
    if (rawSize >= 0 && out.length !== rawSize) throw new PbfDecodeError(`blob inflated to ${out.length} bytes, header says ${rawSize}`);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }
  if (lz4) {
    if (rawSize < 0) throw new PbfDecodeError('lz4 blob without its raw size');
    if (rawSize > MAX_BLOB_BYTES) throw new PbfDecodeError(`blob of ${rawSize} bytes once decompressed: the PBF format's limit is ${MAX_BLOB_BYTES}`);
    try {
      return lz4DecompressBlock(lz4, rawSize);
    } catch (e) {
      throw new PbfDecodeError(`corrupt lz4 data (${(e as Error).message})`);
    }
  }
  if (other) {
    throw new TuilerieError('UNSUPPORTED_FORMAT', `${other}-compressed PBF blocks are not supported: re-encode the file with zlib (e.g. \`osmium cat in.osm.pbf -o out.osm.pbf\`)`);
  }
  throw new PbfDecodeError('blob has no data');
}
