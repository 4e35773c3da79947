/**
 * The header of a tile feature blob (tile_feature_blob.ts), read in place: its JSON text,
 * `{"a":[attribute sets],"g":[label grids]}` as JSON.stringify wrote it, is scanned once
 * for where each entry starts and ends, and an entry is decoded or parsed only when asked.
 * Headers of dense tiles run to tens of kilobytes, and an update compares or keeps a few
 * of their entries: parsing all of them was most of the cost of swapping a tile's features.
 */
import { TuilerieError } from '../../core/errors.js';
import type { Attrs } from '../../schema/profile.js';
import type { LabelGrid } from '../tile_feature_store.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN = 0x7b, CLOSE = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, COMMA = 0x2c;
const A_START = Buffer.from('{"a":['), G_START = Buffer.from('],"g":[');

function bad(what: string): TuilerieError {
  return new TuilerieError('BAD_INPUT', `update store: a tile feature blob's header is unreadable (${what}); re-import with --updatable`);
}

/** The end of the JSON object starting at p (one past its closing brace). */
function objectEnd(b: Buffer, p: number, end: number): number {
  if (b[p] !== OPEN) throw bad('an entry is not an object');
  let depth = 0;
  while (p < end) {
    const c = b[p++];
    if (c === QUOTE) {
      while (p < end && b[p] !== QUOTE) p += b[p] === BACKSLASH ? 2 : 1;
      p++;
    } else if (c === OPEN || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE || c === CLOSE_ARRAY) {
      if (--depth === 0) return p;
    }
  }
  throw bad('an entry is cut off');
}

/** Entries of the array whose first entry (or closing bracket) is at p: their [start, end) pairs into `out`; returns the closing bracket's position. */
function scanEntries(b: Buffer, p: number, end: number, out: number[]): number {
  if (b[p] === CLOSE_ARRAY) return p;
  for (;;) {
    const e = objectEnd(b, p, end);
    out.push(p, e);
    if (b[e] === CLOSE_ARRAY) return e;
    if (b[e] !== COMMA) throw bad('entries are not separated by commas');
    p = e + 1;
  }
}

function parsedOnce<T>(cache: Map<number, T>, i: number, text: () => string): T {
  let v = cache.get(i);
  if (v === undefined) cache.set(i, (v = JSON.parse(text()) as T));
  return v;
}

export class BlobHeader {
  private readonly attrAt: number[] = [];
  private readonly gridAt: number[] = [];
  private readonly parsed = new Map<number, Attrs>();
  private readonly grids = new Map<number, LabelGrid>();

  /** `blob`: the whole blob (u32 header length, then the header). */
  constructor(private readonly blob: Buffer) {
    const end = 4 + blob.readUInt32LE(0);
    if (blob.compare(A_START, 0, A_START.length, 4, 4 + A_START.length) !== 0) throw bad('no attribute sets');
    const close = scanEntries(blob, 4 + A_START.length, end, this.attrAt);
    if (blob.compare(G_START, 0, G_START.length, close, close + G_START.length) !== 0) throw bad('no label grids');
    scanEntries(blob, close + G_START.length, end, this.gridAt);
  }

  private text(at: readonly number[], i: number, what: string): string {
    if (2 * i >= at.length) throw bad(`no ${what} ${i}`);
    return this.blob.toString('utf8', at[2 * i], at[2 * i + 1]);
  }

  /** The JSON text of attribute set i, as written. */
  attrText(i: number): string {
    return this.text(this.attrAt, i, 'attribute set');
  }

  /** The JSON text of label grid i (0-based), as written. */
  gridText(i: number): string {
    return this.text(this.gridAt, i, 'label grid');
  }

  attr(i: number): Attrs {
    return parsedOnce(this.parsed, i, () => this.attrText(i));
  }

  grid(i: number): LabelGrid {
    return parsedOnce(this.grids, i, () => this.gridText(i));
  }
}
