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
import { BlobHeader } from './blob_header.js';
import { decodeGeometry, geometryMaxBytes, writeGeometryBytes, type LabelGrid, type TileFeature } from '../tile_feature_store.js';

const ROW_BYTES = 34;

/** The features in canonical order: by source key, emission order (seq) among equal keys. */
export function canonicalOrder(features: TileFeature[]): TileFeature[] {
  return features.slice().sort((a, b) => (a.src ?? 0) - (b.src ?? 0) || a.seq - b.seq);
}

function writeRow(b: Buffer, p: number, f: TileFeature, attr: number, grid: number): number {
  p = b.writeDoubleLE(f.src ?? 0, p);
  p = b.writeDoubleLE(f.sortKey, p);
  p = b.writeDoubleLE(f.id ?? NaN, p);
  b[p++] = f.layer;
  b[p++] = grid;
  p = b.writeUInt32LE(attr, p);
  const end = writeGeometryBytes(b, p + 4, f.geometry);
  b.writeUInt32LE(end - p - 4, p);
  return end;
}

/** Attribute sets and label grids of a blob being written, each stored once, as JSON text. */
class Tables {
  readonly attrs: string[] = [];
  readonly grids: string[] = [];
  private readonly attrIndex = new Map<Attrs, number>();
  private readonly keptAttr = new Map<number, number>();
  private readonly gridIndex = new Map<string, number>();

  attr(a: Attrs): number {
    let i = this.attrIndex.get(a);
    if (i === undefined) { i = this.attrs.length; this.attrs.push(JSON.stringify(a)); this.attrIndex.set(a, i); }
    return i;
  }

  /** Attribute set `i` of another blob, copied as written. */
  keptAttrOf(h: BlobHeader, i: number): number {
    let n = this.keptAttr.get(i);
    if (n === undefined) { n = this.attrs.length; this.attrs.push(h.attrText(i)); this.keptAttr.set(i, n); }
    return n;
  }

  private gridText(k: string): number {
    let i = this.gridIndex.get(k);
    if (i === undefined) { i = this.grids.length; this.grids.push(k); this.gridIndex.set(k, i); }
    return i + 1;
  }

  /** 0: none, else index + 1. */
  grid(g: LabelGrid | undefined): number {
    return g ? this.gridText(JSON.stringify(g)) : 0;
  }

  /** Grid `g` (0: none, else index + 1) of another blob. */
  keptGridOf(h: BlobHeader, g: number): number {
    return g === 0 ? 0 : this.gridText(h.gridText(g - 1));
  }

  header(): Buffer {
    return Buffer.from(`{"a":[${this.attrs.join(',')}],"g":[${this.grids.join(',')}]}`, 'utf8');
  }
}

/** Encodes features already in canonical order. */
export function encodeTileBlob(features: readonly TileFeature[]): Buffer {
  const t = new Tables();
  let max = 0;
  const rowAttr = new Uint32Array(features.length), rowGrid = new Uint8Array(features.length);
  features.forEach((f, i) => {
    rowAttr[i] = t.attr(f.attrs);
    rowGrid[i] = t.grid(f.labelGrid);
    max += ROW_BYTES + geometryMaxBytes(f.geometry);
  });
  const header = t.header();
  const b = Buffer.allocUnsafe(8 + header.length + max);
  let p = b.writeUInt32LE(header.length, 0);
  p += header.copy(b, p);
  p = b.writeUInt32LE(features.length, p);
  features.forEach((f, i) => { p = writeRow(b, p, f, rowAttr[i], rowGrid[i]); });
  return b.subarray(0, p);
}

interface Row { src: number; start: number; end: number }

function scanRows(b: Buffer): Row[] {
  let p = 4 + b.readUInt32LE(0);
  const n = b.readUInt32LE(p); p += 4;
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const end = p + ROW_BYTES + b.readUInt32LE(p + 30);
    rows[i] = { src: b.readDoubleLE(p), start: p, end };
    p = end;
  }
  return rows;
}


/** What swapping a tile's features gave: its new blob (null when no feature is left) and the layers whose features changed. */
export interface SwappedFeatures {
  blob: Buffer | null;
  /** Layer indexes, ascending: every other layer holds the very features it held (encodeChangedLayers). */
  layers: number[];
}

/**
 * A tile's blob with the features of the `replaced` sources swapped for `fresh` (their new features, in canonical
 * order), without decoding the others: their rows are copied. 'unchanged' when, layer by layer, the fresh features are
 * the very ones replaced (same fields, attribute keys in the same order, same geometry, same order).
 */
export function replaceSources(blob: Buffer, replaced: ReadonlySet<number>, fresh: readonly TileFeature[]): SwappedFeatures | 'unchanged' {
  const rows = scanRows(blob);
  const gone = rows.filter((r) => replaced.has(r.src));
  if (gone.length === 0 && fresh.length === 0) return 'unchanged';
  let old: BlobHeader | undefined;
  const header = (): BlobHeader => (old ??= new BlobHeader(blob));
  const t = new Tables();
  // fresh rows, written once (their tables' indexes are patched when they are compared or copied)
  const freshAttr = fresh.map((f) => t.attr(f.attrs)), freshGrid = fresh.map((f) => t.grid(f.labelGrid));
  let max = 0;
  for (const f of fresh) max += ROW_BYTES + geometryMaxBytes(f.geometry);
  const fb = Buffer.allocUnsafe(max);
  const freshRows: Row[] = [];
  let q = 0;
  fresh.forEach((f, i) => { const start = q; q = writeRow(fb, q, f, freshAttr[i], freshGrid[i]); freshRows.push({ src: f.src ?? 0, start, end: q }); });
  const same = (r: Row, i: number): boolean => sameRow({ blob, r, header, fb, fr: freshRows[i], attr: t.attrs[freshAttr[i]], grid: freshGrid[i] === 0 ? undefined : t.grids[freshGrid[i] - 1] });
  const layers = changedLayers(blob, gone, fresh, same);
  if (layers.length === 0) return 'unchanged';
  const kept = rows.filter((r) => !replaced.has(r.src));
  if (kept.length + fresh.length === 0) return { blob: null, layers };
  // kept rows get indexes in the new tables (old sets shared by several rows stay shared)
  const remap = kept.map((r) => [t.keptAttrOf(header(), blob.readUInt32LE(r.start + 26)), t.keptGridOf(header(), blob[r.start + 25])]);
  const head = t.header();
  let size = 8 + head.length + q;
  for (const r of kept) size += r.end - r.start;
  const out = Buffer.allocUnsafe(size);
  let p = out.writeUInt32LE(head.length, 0);
  p += head.copy(out, p);
  p = out.writeUInt32LE(kept.length + fresh.length, p);
  // merge by source key: kept rows are in canonical order, so are the fresh ones, and no key is in both
  let i = 0, j = 0;
  while (i < kept.length || j < freshRows.length) {
    if (j >= freshRows.length || (i < kept.length && kept[i].src <= freshRows[j].src)) {
      const r = kept[i];
      const at = p;
      p += blob.copy(out, p, r.start, r.end);
      out[at + 25] = remap[i][1];
      out.writeUInt32LE(remap[i][0], at + 26);
      i++;
    } else {
      const r = freshRows[j++];
      p += fb.copy(out, p, r.start, r.end);
    }
  }
  return { blob: out.subarray(0, p), layers };
}

/**
 * The layers where the replaced rows and the fresh features differ: in another number, or one of them not the same
 * (`same(row, i)`: the gone row against fresh feature i). Within a layer both come in canonical order, and the kept
 * rows around them stay, so a layer whose rows are the same one by one encodes as before.
 */
function changedLayers(blob: Buffer, gone: readonly Row[], fresh: readonly TileFeature[], same: (r: Row, i: number) => boolean): number[] {
  const goneBy = new Map<number, Row[]>(), freshBy = new Map<number, number[]>();
  for (const r of gone) {
    const l = blob[r.start + 24];
    const list = goneBy.get(l);
    if (list) list.push(r); else goneBy.set(l, [r]);
  }
  fresh.forEach((f, i) => {
    const list = freshBy.get(f.layer);
    if (list) list.push(i); else freshBy.set(f.layer, [i]);
  });
  const out: number[] = [];
  for (const l of new Set([...goneBy.keys(), ...freshBy.keys()])) {
    const g = goneBy.get(l) ?? [], f = freshBy.get(l) ?? [];
    if (g.length !== f.length || !g.every((r, k) => same(r, f[k]))) out.push(l);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Whether an old row holds the same feature as a fresh one (written at `fr` of `fb`, with these attribute and grid
 * texts): the tables are compared by their text, read only when the rest is equal.
 */
function sameRow(c: { blob: Buffer; r: Row; header: () => BlobHeader; fb: Buffer; fr: Row; attr: string; grid: string | undefined }): boolean {
  const { blob, r, fb, fr } = c;
  if (r.end - r.start !== fr.end - fr.start) return false;
  // src, sortKey, id, layer; then geometry length and bytes (grid at 25, attribute set at 26..29)
  if (blob.compare(fb, fr.start, fr.start + 25, r.start, r.start + 25) !== 0) return false;
  if (blob.compare(fb, fr.start + 30, fr.end, r.start + 30, r.end) !== 0) return false;
  const g = blob[r.start + 25];
  if ((g === 0) !== (c.grid === undefined) || (g !== 0 && c.header().gridText(g - 1) !== c.grid)) return false;
  return c.header().attrText(blob.readUInt32LE(r.start + 26)) === c.attr;
}

/**
 * The features of a blob, in its order; `seq` is the position among all its rows. With `layers`, only the features of
 * those layers (the rows of others are skipped, not decoded).
 */
export function decodeTileBlob(b: Buffer, layers?: ReadonlySet<number>): TileFeature[] {
  const hl = b.readUInt32LE(0);
  // every row: the whole header at once; some layers' rows: only the entries they use
  const all = layers ? undefined : JSON.parse(b.toString('utf8', 4, 4 + hl)) as { a: Attrs[]; g: LabelGrid[] };
  const some = layers && new BlobHeader(b);
  let p = 4 + hl;
  const n = b.readUInt32LE(p); p += 4;
  const out: TileFeature[] = [];
  for (let i = 0; i < n; i++) {
    const layer = b[p + 24], glen = b.readUInt32LE(p + 30);
    if (layers && !layers.has(layer)) { p += ROW_BYTES + glen; continue; }
    const src = b.readDoubleLE(p), sortKey = b.readDoubleLE(p + 8), id = b.readDoubleLE(p + 16);
    const grid = b[p + 25], attr = b.readUInt32LE(p + 26);
    p += ROW_BYTES;
    out.push({
      layer, sortKey, seq: i, geometry: decodeGeometry(b, p), attrs: all ? all.a[attr] : some!.attr(attr),
      id: Number.isNaN(id) ? undefined : id, labelGrid: grid === 0 ? undefined : all ? all.g[grid - 1] : some!.grid(grid - 1), src,
    });
    p += glen;
  }
  return out;
}
