/**
 * Which update last changed each tile of an archive (`tuilerie update` records it),
 * so that work derived from an area of the data (rendered images) can be keyed by
 * the version of that area instead of the whole archive's: after an update only
 * what overlaps a changed tile gets a new version, everything else keeps its key.
 * Every process reading the same archive derives the same versions, so a shared
 * cache tier needs no message between them.
 *
 * The records are not read up front: an archive updated for months holds a record per
 * tile any update changed, and every reopen (in every server process) would read them
 * all on the event loop. A ChangedTileLookup answers per area (MBTiles: one indexed
 * SQL max per zoom), and the versions of recent areas are kept in a bounded LRU; an
 * index belongs to one opened version of the archive, so its memo never outlives it.
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

/** Where the records live (SQL table, memory). Cell ranges are inclusive and within the zoom's grid. */
export interface ChangedTileLookup {
  /** The last generation among the tiles of zoom z in the cell range, 0 when none changed. */
  maxGenerationIn(z: number, cells: [number, number, number, number]): number;
  /** The random id of update `generation`, if recorded. */
  updateId(generation: number): string | undefined;
}

export interface TileChangeIndexInit {
  /** Names the import the archive comes from: a new import starts a new lineage (every version changes). */
  lineage: string;
  /** The id of each update by generation (random per update, so copies updated apart never share one). */
  updates: Map<number, string>;
  tiles: Iterable<TileChangeRecord>;
}

/** Areas whose version is remembered per index (a version string and a key each: well under a MB). */
const MEMO_ENTRIES = 4096;
/** Past this many cells a range is checked against the changed tiles instead of cell by cell. */
const CELL_LIMIT = 4096;

export class TileChangeIndex {
  private readonly memo = new Map<string, number>();
  /** Update ids by generation: fixed once written, and asked on every raster request (cache hits included). */
  private readonly ids = new Map<number, string>();

  constructor(readonly lineage: string, private readonly lookup: ChangedTileLookup) {}

  /** An index over records held in memory (tests, small logs). */
  static of(init: TileChangeIndexInit): TileChangeIndex {
    return new TileChangeIndex(init.lineage, new MemoryChangedTiles(init.updates, init.tiles));
  }

  /** The last update that changed a tile of the area's zooms overlapping its box (0: none). */
  generationOf(area: DataArea): number {
    const key = `${area.box.join(',')}/${area.minzoom}/${area.maxzoom}`;
    const known = this.memo.get(key);
    if (known !== undefined) {
      this.memo.delete(key);
      this.memo.set(key, known);
      return known;
    }
    let best = 0;
    for (let z = Math.max(0, area.minzoom); z <= area.maxzoom; z++) {
      const n = 2 ** z;
      const [x0, y0, x1, y1] = area.box;
      // a box ending exactly on a tile edge does not reach into the next tile
      const cells: [number, number, number, number] = [
        clampCell(Math.floor(x0 * n), n), clampCell(Math.floor(y0 * n), n), clampCell(Math.ceil(x1 * n) - 1, n), clampCell(Math.ceil(y1 * n) - 1, n),
      ];
      best = Math.max(best, this.lookup.maxGenerationIn(z, cells));
    }
    this.memo.set(key, best);
    if (this.memo.size > MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value!);
    return best;
  }

  /** The version of the area's data: the id of the last update that changed it, else the lineage. */
  versionOf(area: DataArea): string {
    const g = this.generationOf(area);
    if (g === 0) return this.lineage;
    let id = this.ids.get(g);
    if (id === undefined) {
      id = this.lookup.updateId(g) ?? String(g);
      this.ids.set(g, id);
    }
    return `${this.lineage}.${id}`;
  }
}

class MemoryChangedTiles implements ChangedTileLookup {
  /** Per zoom: y·2^z + x → generation. */
  private readonly byZoom = new Map<number, Map<number, number>>();

  constructor(private readonly updates: Map<number, string>, tiles: Iterable<TileChangeRecord>) {
    for (const t of tiles) {
      let m = this.byZoom.get(t.z);
      if (!m) this.byZoom.set(t.z, (m = new Map()));
      m.set(t.y * 2 ** t.z + t.x, t.generation);
    }
  }

  updateId(generation: number): string | undefined {
    return this.updates.get(generation);
  }

  maxGenerationIn(z: number, [cx0, cy0, cx1, cy1]: [number, number, number, number]): number {
    const m = this.byZoom.get(z);
    if (!m) return 0;
    const n = 2 ** z;
    let best = 0;
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > Math.max(CELL_LIMIT, m.size)) {
      for (const [key, g] of m) {
        if (g <= best) continue;
        const tx = key % n, ty = Math.floor(key / n);
        if (tx >= cx0 && tx <= cx1 && ty >= cy0 && ty <= cy1) best = g;
      }
      return best;
    }
    for (let x = cx0; x <= cx1; x++) {
      for (let y = cy0; y <= cy1; y++) {
        const g = m.get(y * n + x);
        if (g !== undefined && g > best) best = g;
      }
    }
    return best;
  }
}

function clampCell(c: number, n: number): number {
  return Math.min(n - 1, Math.max(0, c));
}
