/**
 * A tile's features as the update store keeps them (one blob per tile): what the
 * tiles stage consumes before generalising, merging and encoding, each feature with
 * the key of the object it comes from, in the order a single-threaded import emits
 * them (source key, then emission). An update takes out the features of the objects
 * it runs again, puts their new ones in, and encodes the tile, without running the
 * tile's other objects. Layout: u32 header length, header JSON (attribute sets,
 * label grids), u32 count, then per feature src f64, sortKey f64, id f64 (NaN: none),
 * layer u8, grid u8 (0: none, else index + 1), attribute set u32, geometry length u32,
 * geometry in the tile feature store's encoding.
 */
import type { Attrs } from '../../schema/profile.js';
import { decodeGeometry, geometryMaxBytes, writeGeometryBytes, type LabelGrid, type TileFeature } from '../tile_feature_store.js';

const ROW_BYTES = 34;

/** The features in canonical order: by source key, emission order (seq) among equal keys. */
export function canonicalOrder(features: TileFeature[]): TileFeature[] {
  return features.slice().sort((a, b) => (a.src ?? 0) - (b.src ?? 0) || a.seq - b.seq);
}

/** Encodes features already in canonical order. */
export function encodeTileBlob(features: readonly TileFeature[]): Buffer {
  const attrs: Attrs[] = [];
  const attrIndex = new Map<Attrs, number>();
  const grids: LabelGrid[] = [];
  const gridIndex = new Map<string, number>();
  let max = 0;
  const rowAttr = new Uint32Array(features.length), rowGrid = new Uint8Array(features.length);
  features.forEach((f, i) => {
    let a = attrIndex.get(f.attrs);
    if (a === undefined) { a = attrs.length; attrs.push(f.attrs); attrIndex.set(f.attrs, a); }
    rowAttr[i] = a;
    if (f.labelGrid) {
      const k = JSON.stringify(f.labelGrid);
      let g = gridIndex.get(k);
      if (g === undefined) { g = grids.length; grids.push(f.labelGrid); gridIndex.set(k, g); }
      rowGrid[i] = g + 1;
    }
    max += ROW_BYTES + geometryMaxBytes(f.geometry);
  });
  const header = Buffer.from(JSON.stringify({ a: attrs, g: grids }), 'utf8');
  const b = Buffer.allocUnsafe(8 + header.length + max);
  let p = b.writeUInt32LE(header.length, 0);
  p += header.copy(b, p);
  p = b.writeUInt32LE(features.length, p);
  features.forEach((f, i) => {
    p = b.writeDoubleLE(f.src ?? 0, p);
    p = b.writeDoubleLE(f.sortKey, p);
    p = b.writeDoubleLE(f.id ?? NaN, p);
    b[p++] = f.layer;
    b[p++] = rowGrid[i];
    p = b.writeUInt32LE(rowAttr[i], p);
    const end = writeGeometryBytes(b, p + 4, f.geometry);
    b.writeUInt32LE(end - p - 4, p);
    p = end;
  });
  return b.subarray(0, p);
}

/** The source keys of a blob's features, in its order, without decoding the features. */
export function blobSources(b: Buffer): Float64Array {
  let p = 4 + b.readUInt32LE(0);
  const n = b.readUInt32LE(p); p += 4;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = b.readDoubleLE(p);
    p += ROW_BYTES + b.readUInt32LE(p + 30);
  }
  return out;
}

function sameGeometry(a: TileFeature['geometry'], b: TileFeature['geometry']): boolean {
  if (a.type !== b.type || a.geometry.length !== b.geometry.length) return false;
  const ra = a.ringsPerPolygon ?? [], rb = b.ringsPerPolygon ?? [];
  if (ra.length !== rb.length || ra.some((v, i) => v !== rb[i])) return false;
  for (let p = 0; p < a.geometry.length; p++) {
    const x = a.geometry[p], y = b.geometry[p];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

function sameAttrs(a: Attrs, b: Attrs): boolean {
  if (a === b) return true;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/**
 * Whether two feature lists are the same input to the tiles stage, in the same order (attribute keys in the same
 * order too): a tile whose features of the objects run again come out as before encodes to the same tile.
 */
export function sameFeatures(a: readonly TileFeature[], b: readonly TileFeature[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x.src !== y.src || x.layer !== y.layer || x.sortKey !== y.sortKey || x.id !== y.id) return false;
    if (JSON.stringify(x.labelGrid) !== JSON.stringify(y.labelGrid)) return false;
    if (!sameAttrs(x.attrs, y.attrs) || !sameGeometry(x.geometry, y.geometry)) return false;
  }
  return true;
}

/** The features of a blob, in its order; `seq` is the position. */
export function decodeTileBlob(b: Buffer): TileFeature[] {
  const hl = b.readUInt32LE(0);
  const header = JSON.parse(b.toString('utf8', 4, 4 + hl)) as { a: Attrs[]; g: LabelGrid[] };
  let p = 4 + hl;
  const n = b.readUInt32LE(p); p += 4;
  const out: TileFeature[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const src = b.readDoubleLE(p), sortKey = b.readDoubleLE(p + 8), id = b.readDoubleLE(p + 16);
    const layer = b[p + 24], grid = b[p + 25], attr = b.readUInt32LE(p + 26), glen = b.readUInt32LE(p + 30);
    p += ROW_BYTES;
    out[i] = {
      layer, sortKey, seq: i, geometry: decodeGeometry(b, p), attrs: header.a[attr],
      id: Number.isNaN(id) ? undefined : id, labelGrid: grid === 0 ? undefined : header.g[grid - 1], src,
    };
    p += glen;
  }
  return out;
}
