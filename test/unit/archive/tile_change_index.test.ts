import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { TileChangeIndex, type DataArea, type TileChangeRecord } from '../../../src/archive/tile_change_index.js';
import { readTileChangeIndex, recordTileChanges } from '../../../src/archive/mbtiles/mbtiles_change_log.js';
import { seededRandom } from '../../../src/core/seeded_random.js';

/** The generation brute force: every record whose tile's interior meets the box, at the area's zooms. */
function expected(records: TileChangeRecord[], area: DataArea): number {
  let g = 0;
  for (const r of records) {
    if (r.z < area.minzoom || r.z > area.maxzoom) continue;
    const n = 2 ** r.z;
    const [x0, y0, x1, y1] = area.box;
    if (r.x + 1 <= x0 * n || r.x >= x1 * n || r.y + 1 <= y0 * n || r.y >= y1 * n) continue;
    g = Math.max(g, r.generation);
  }
  return g;
}

describe('TileChangeIndex', () => {
  it('gives every area the last update that changed a tile under it (random tiles and areas)', () => {
    const next = seededRandom(18);
    const rnd = { next, int: (a: number, b: number) => a + Math.floor(next() * (b - a + 1)) };
    for (let round = 0; round < 20; round++) {
      const byTile = new Map<string, TileChangeRecord>();
      for (let i = 0; i < 300; i++) {
        const z = rnd.int(0, 15), n = 2 ** z;
        // clustered like real updates: around one spot
        const x = Math.min(n - 1, Math.floor((0.52 + rnd.next() * 0.01) * n)), y = Math.min(n - 1, Math.floor((0.35 + rnd.next() * 0.01) * n));
        byTile.set(`${z}/${x}/${y}`, { z, x, y, generation: rnd.int(1, 5) });
      }
      const records = [...byTile.values()];
      const memory = TileChangeIndex.of({ lineage: 'L', updates: new Map([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'e']]), tiles: records });
      // the same log in an archive's tables, as five updates wrote it, read per area through SQL
      const db = new Database(':memory:');
      const ids = new Map<number, string>();
      for (let g = 1; g <= 5; g++) ids.set(g, recordTileChanges(db, 'main', records.filter((r) => r.generation === g)).id);
      const sql = readTileChangeIndex(db, 'L')!;
      for (let k = 0; k < 200; k++) {
        const w = rnd.next() ** 4 * 0.05;
        const x0 = 0.515 + rnd.next() * 0.02, y0 = 0.345 + rnd.next() * 0.02;
        const minzoom = rnd.int(0, 15), maxzoom = Math.min(15, minzoom + rnd.int(0, 2));
        const area: DataArea = { box: [x0, y0, x0 + w, y0 + w], minzoom, maxzoom };
        const g = expected(records, area);
        assert.equal(memory.generationOf(area), g, JSON.stringify(area));
        assert.equal(memory.versionOf(area), g === 0 ? 'L' : `L.${'abcde'[g - 1]}`);
        assert.equal(sql.generationOf(area), g, `sql: ${JSON.stringify(area)}`);
        assert.equal(sql.versionOf(area), g === 0 ? 'L' : `L.${ids.get(g)}`);
        // asked again (remembered): the same answer
        assert.equal(sql.versionOf(area), g === 0 ? 'L' : `L.${ids.get(g)}`);
      }
      db.close();
    }
  });

  it('an area far from every change keeps the lineage as its version', () => {
    const index = TileChangeIndex.of({ lineage: 'L', updates: new Map([[1, 'a']]), tiles: [{ z: 14, x: 8500, y: 5800, generation: 1 }] });
    assert.equal(index.versionOf({ box: [0.1, 0.1, 0.2, 0.2], minzoom: 0, maxzoom: 14 }), 'L');
    const n = 2 ** 14;
    assert.equal(index.versionOf({ box: [8500 / n, 5800 / n, 8501 / n, 5801 / n], minzoom: 14, maxzoom: 14 }), 'L.a');
    // touching the tile's edge only is not overlapping it
    assert.equal(index.versionOf({ box: [8501 / n, 5800 / n, 8502 / n, 5801 / n], minzoom: 14, maxzoom: 14 }), 'L');
    assert.equal(index.versionOf({ box: [8500 / n, 5800 / n, 8501 / n, 5801 / n], minzoom: 13, maxzoom: 13 }), 'L', 'other zooms are not read');
  });

  it('opens the log of an archive updated every minute for months (hundreds of thousands of updates)', () => {
    // one update a minute for a year: the archive must still open (a spread of the generations overflowed the stack)
    const updates = new Map<number, string>();
    for (let g = 1; g <= 525_600; g++) updates.set(g, `u${g}`);
    const index = TileChangeIndex.of({ lineage: 'L', updates, tiles: [{ z: 14, x: 8500, y: 5800, generation: 525_600 }] });
    const n = 2 ** 14;
    assert.equal(index.versionOf({ box: [8500 / n, 5800 / n, 8501 / n, 5801 / n], minzoom: 14, maxzoom: 14 }), 'L.u525600');
  });

  it('opening an archive\'s index reads none of its log (only its tables\' names)', () => {
    const db = new Database(':memory:');
    recordTileChanges(db, 'main', [{ z: 14, x: 8500, y: 5800 }]);
    const read: string[] = [];
    const traced = new Proxy(db, {
      get(target, prop) {
        if (prop === 'prepare') return (sql: string) => { read.push(sql); return target.prepare(sql); };
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const index = readTileChangeIndex(traced, 'L')!;
    assert.ok(read.every((q) => !/SELECT (\*|z, x, y|generation, id)\b/i.test(q) || /WHERE/i.test(q)), read.join('\n'));
    const n = 2 ** 14;
    assert.match(index.versionOf({ box: [8500 / n, 5800 / n, 8501 / n, 5801 / n], minzoom: 14, maxzoom: 14 }), /^L\.[\w-]+$/);
    db.close();
  });

  it('asks the archive for an update\'s id once, however many requests read the area', () => {
    let asked = 0;
    const lookup = { maxGenerationIn: () => 2, updateId: (g: number) => { asked++; return `u${g}`; } };
    const index = new TileChangeIndex('L', lookup);
    const area: DataArea = { box: [0.5, 0.5, 0.51, 0.51], minzoom: 10, maxzoom: 11 };
    for (let i = 0; i < 100; i++) assert.equal(index.versionOf(area), 'L.u2');
    assert.equal(index.versionOf({ ...area, box: [0.1, 0.1, 0.11, 0.11] }), 'L.u2');
    assert.equal(asked, 1);
  });
});
