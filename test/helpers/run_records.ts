/** Tile feature run records for tests: random ones, and a run file of them. */
import type { BlockWriterOptions } from '../../src/importer/compressed_blocks.js';
import { TileRunWriter, type RunRecord } from '../../src/importer/tile_feature_runs.js';
import { geometryMaxBytes, writeGeometryBytes, type TileFeature } from '../../src/importer/tile_feature_store.js';
import type { TileGeometry } from '../../src/tiling/feature_tiler.js';
import type { Attrs } from '../../src/schema/profile.js';

export interface Written { key: number; feature: TileFeature }

/** Random records, sorted by key as a store writes them; some geometries span many blocks. */
export function randomRecords(r: () => number, n: number): Written[] {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const out: Written[] = [];
  let key = int(0, 100);
  for (let seq = 0; seq < n; seq++) {
    if (r() < 0.3) key += int(1, 1000);
    const type = int(1, 3) as 1 | 2 | 3;
    const parts: Int32Array[] = [];
    const long = r() < 0.05;
    for (let p = int(1, 3); p > 0; p--) parts.push(Int32Array.from({ length: 2 * (long ? int(500, 3000) : int(1, 20)) }, () => int(-300, 4400)));
    const geometry: TileGeometry = type === 3 ? { type, geometry: parts, ringsPerPolygon: [parts.length] } : { type, geometry: parts };
    const attrs = ([{ class: 'primary', name: `Straße ${int(0, 3)}`, 'name:de': 'x'.repeat(int(0, 300)) }, { building: true, render_height: int(3, 40) / 2 }, {}] as Attrs[])[int(0, 2)];
    out.push({
      key,
      feature: {
        layer: int(0, 12), sortKey: r() < 0.5 ? 0 : int(-5, 5) / 2, seq, geometry, attrs,
        id: r() < 0.5 ? undefined : int(1, 2 ** 40),
        labelGrid: r() < 0.3 ? { sizePx: 64, limit: int(1, 4), ...(r() < 0.5 ? { rankAttr: 'rank', rankOffset: 1 } : {}) } : undefined,
        ...(r() < 0.5 ? { src: int(0, 2 ** 45) } : {}),
      },
    });
  }
  return out;
}

export function writeRun(file: string, records: Written[], o: BlockWriterOptions = {}): TileRunWriter {
  const w = new TileRunWriter(file, o);
  for (const { key, feature: f } of records) {
    const geom = new Uint8Array(geometryMaxBytes(f.geometry));
    const len = writeGeometryBytes(geom, 0, f.geometry);
    const rec: RunRecord = { key, seq: f.seq, layer: f.layer, sortKey: f.sortKey, id: f.id, attrs: f.attrs, labelGrid: f.labelGrid, src: f.src };
    w.write(rec, geom.subarray(0, len));
  }
  w.close();
  return w;
}
