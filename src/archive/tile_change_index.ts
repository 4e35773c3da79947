/**
 * Which update last changed each tile of an archive (`tuilerie update` records it),
 * so that work derived from an area of the data (rendered images) can be keyed by
 * the version of that area instead of the whole archive's: after an update only
 * what overlaps a changed tile gets a new version, everything else keeps its key.
 * Every process reading the same archive derives the same versions, so a shared
 * cache tier needs no message between them.
 */
/** An area of the map: a box in world units (0..1, x east, y south) and the tile zooms read for it. */
export interface DataArea {
  box: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
}

export interface TileChangeRecord {
  z: number;
  x: number;
  y: number;
  /** The update (1, 2, …) that changed it last. */
  generation: number;
}

export interface TileChangeIndexInit {
  /** Names the import the archive comes from: a new import starts a new lineage (every version changes). */
  lineage: string;
  /** The id of each update by generation (random per update, so copies updated apart never share one). */
  updates: Map<number, string>;
  tiles: Iterable<TileChangeRecord>;
}

/** Past this many cells a range is checked against the changed tiles instead of cell by cell. */
const CELL_LIMIT = 4096;

export class TileChangeIndex {
  readonly lineage: string;
  /** The last update recorded (0: none since the import). */
  readonly generation: number;
  private readonly updates: Map<number, string>;
  /** Per zoom: y·2^z + x → generation. */
  private readonly byZoom = new Map<number, Map<number, number>>();
  private readonly count: number;

  constructor(init: TileChangeIndexInit) {
    this.lineage = init.lineage;
    this.updates = init.updates;
    let n = 0;
    for (const t of init.tiles) {
      let m = this.byZoom.get(t.z);
      if (!m) this.byZoom.set(t.z, (m = new Map()));
      m.set(t.y * 2 ** t.z + t.x, t.generation);
      n++;
    }
    this.count = n;
    // a loop, not a spread: an archive updated every minute has more generations than a call takes arguments
    let last = 0;
    for (const g of init.updates.keys()) if (g > last) last = g;
    this.generation = last;
  }

  /** Tiles that some update changed. */
  get size(): number {
    return this.count;
  }

  /** The last update that changed a tile of the area's zooms overlapping its box (0: none). */
  generationOf(area: DataArea): number {
    let best = 0;
    for (let z = Math.max(0, area.minzoom); z <= area.maxzoom; z++) {
      const m = this.byZoom.get(z);
      if (!m) continue;
      const n = 2 ** z;
      const [x0, y0, x1, y1] = area.box;
      const cx0 = clampCell(Math.floor(x0 * n), n), cy0 = clampCell(Math.floor(y0 * n), n);
      // a box ending exactly on a tile edge does not reach into the next tile
      const cx1 = clampCell(Math.ceil(x1 * n) - 1, n), cy1 = clampCell(Math.ceil(y1 * n) - 1, n);
      if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > Math.max(CELL_LIMIT, m.size)) {
        for (const [key, g] of m) {
          if (g <= best) continue;
          const tx = key % n, ty = Math.floor(key / n);
          if (tx >= cx0 && tx <= cx1 && ty >= cy0 && ty <= cy1) best = g;
        }
        continue;
      }
      for (let x = cx0; x <= cx1; x++) {
        for (let y = cy0; y <= cy1; y++) {
          const g = m.get(y * n + x);
          if (g !== undefined && g > best) best = g;
        }
      }
    }
    return best;
  }

  /** The version of the area's data: the id of the last update that changed it, else the lineage. */
  versionOf(area: DataArea): string {
    const g = this.generationOf(area);
    return g === 0 ? this.lineage : `${this.lineage}.${this.updates.get(g) ?? g}`;
  }
}

function clampCell(c: number, n: number): number {
  return Math.min(n - 1, Math.max(0, c));
}
