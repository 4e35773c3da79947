/**
 * Merging search pieces into entries: pieces come sorted by key then west
 * edge; a piece joins an open entry of its key whose extent lies within the
 * type's gap, else opens a new one. One street cut into tiles becomes one
 * entry; two streets of the same name in two villages stay two. Only the
 * entries of the current key are held, so memory does not grow with the data.
 */
import type { SearchPiece, SearchType } from './search_pieces.js';

/** Largest gap (degrees) between two pieces of one entry, by type. */
const MERGE_GAP: Record<SearchType, number> = { street: 0.004, place: 0.02, poi: 0.0015, house: 0.0005 };

export interface MergedEntry extends SearchPiece {
  /** Pieces merged into it. */
  pieces: number;
}

function near(e: MergedEntry, p: SearchPiece): boolean {
  const gap = MERGE_GAP[p.type];
  return p.minx <= e.maxx + gap && p.maxx >= e.minx - gap && p.miny <= e.maxy + gap && p.maxy >= e.miny - gap;
}

function absorb(e: MergedEntry, p: SearchPiece): void {
  const cx = (Math.min(e.minx, p.minx) + Math.max(e.maxx, p.maxx)) / 2, cy = (Math.min(e.miny, p.miny) + Math.max(e.maxy, p.maxy)) / 2;
  // keep as representative the point (always on the feature) nearest the merged centre
  if (Math.hypot(p.px - cx, p.py - cy) < Math.hypot(e.px - cx, e.py - cy)) {
    e.px = p.px;
    e.py = p.py;
  }
  e.minx = Math.min(e.minx, p.minx); e.miny = Math.min(e.miny, p.miny);
  e.maxx = Math.max(e.maxx, p.maxx); e.maxy = Math.max(e.maxy, p.maxy);
  e.importance = Math.max(e.importance, p.importance);
  e.nameFr ||= p.nameFr;
  e.nameDe ||= p.nameDe;
  e.pieces++;
}

/** Merges pieces sorted by (key, minx); yields each entry once it can grow no more. */
export function* mergePieces(sorted: Iterable<SearchPiece>): Generator<MergedEntry> {
  let key: string | undefined;
  let open: MergedEntry[] = [];
  for (const p of sorted) {
    if (p.key !== key) {
      yield* open;
      open = [];
      key = p.key;
    }
    const gap = MERGE_GAP[p.type];
    // sorted by west edge: an entry ending west of this piece's reach can take no later piece either
    const still: MergedEntry[] = [];
    for (const e of open) {
      if (e.maxx + gap < p.minx) yield e;
      else still.push(e);
    }
    open = still;
    const target = open.find((e) => near(e, p));
    if (target) absorb(target, p);
    else open.push({ ...p, pieces: 1 });
  }
  yield* open;
}
