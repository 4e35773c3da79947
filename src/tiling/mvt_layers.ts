/**
 * A vector tile's layers as the messages they are: an MVT tile is a sequence of
 * independent `layers` fields (3), so a layer's bytes can be copied from one tile
 * into another unchanged. Used to encode again only the layers of a tile that changed.
 */
import { TuilerieError } from '../core/errors.js';

const LAYERS_FIELD = 3, NAME_FIELD = 1;
const VARINT = 0, FIXED64 = 1, BYTES = 2, FIXED32 = 5;

function varint(b: Uint8Array, p: { at: number }): number {
  let v = 0, shift = 0, c: number;
  do {
    if (p.at >= b.length) throw new TuilerieError('BAD_INPUT', 'vector tile: truncated varint');
    c = b[p.at++];
    v += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  return v;
}

/** Skips the value of a field of wire type `wire` at `p`. */
function skip(b: Uint8Array, p: { at: number }, wire: number): void {
  if (wire === VARINT) varint(b, p);
  else if (wire === FIXED64) p.at += 8;
  else if (wire === BYTES) p.at += varint(b, p);
  else if (wire === FIXED32) p.at += 4;
  else throw new TuilerieError('BAD_INPUT', `vector tile: unknown wire type ${wire}`);
}

/** The name (field 1) of the layer message body b[start, end). */
function layerName(b: Uint8Array, start: number, end: number): string {
  const p = { at: start };
  while (p.at < end) {
    const tag = varint(b, p);
    if (tag >>> 3 === NAME_FIELD && (tag & 7) === BYTES) {
      const len = varint(b, p);
      return Buffer.from(b.buffer, b.byteOffset + p.at, len).toString('utf8');
    }
    skip(b, p, tag & 7);
  }
  throw new TuilerieError('BAD_INPUT', 'vector tile: a layer without a name');
}

/**
 * Each layer of an (uncompressed) MVT tile by name: the whole `layers` field (tag, length and
 * body), a view into `mvt`. Other top-level fields are not part of the spec and are refused.
 */
export function mvtLayerMessages(mvt: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const p = { at: 0 };
  while (p.at < mvt.length) {
    const start = p.at;
    const tag = varint(mvt, p);
    if (tag !== ((LAYERS_FIELD << 3) | BYTES)) throw new TuilerieError('BAD_INPUT', `vector tile: unexpected top-level field ${tag >>> 3}`);
    const len = varint(mvt, p);
    const body = p.at;
    p.at += len;
    if (p.at > mvt.length) throw new TuilerieError('BAD_INPUT', 'vector tile: truncated layer');
    out.set(layerName(mvt, body, p.at), mvt.subarray(start, p.at));
  }
  return out;
}
