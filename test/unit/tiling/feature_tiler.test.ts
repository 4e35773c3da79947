import assert from 'node:assert/strict';
import { lonToX, latToY } from '../../../src/core/tile_math.js';
import type { Geometry } from '../../../src/core/geometry.js';
import { FeatureTiler, tileGeometry, type FeatureTilerOptions, type TileGeometry } from '../../../src/tiling/feature_tiler.js';
import { flatRingArea } from '../../../src/tiling/simplify.js';

interface Out { z: number; x: number; y: number; g: TileGeometry }
function run(geom: Geometry, options: FeatureTilerOptions): Out[] {
  const out: Out[] = [];
  tileGeometry(geom, options, (z, x, y, g) => out.push({ z, x, y, g }));
  return out;
}
const key = (o: { z: number; x: number; y: number }): string => `${o.z}/${o.x}/${o.y}`;

/** World coordinates from tile-unit coordinates at zoom z (tile units: 1 = one tile). */
function w(z: number, ...tileUnits: number[]): Float64Array {
  return Float64Array.from(tileUnits, (v) => v / 2 ** z);
}
function square(z: number, x0: number, y0: number, x1: number, y1: number): Float64Array {
  return w(z, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
}

describe('tiling/feature_tiler', () => {
  it('emits a line in exactly the tiles it crosses', () => {
    const z = 4;
    const [ax, ay, bx, by] = [5.5, 5.5, 7.5, 6.5];
    const out = run({ type: 'line', lines: [w(z, ax, ay, bx, by)] }, { minzoom: z, maxzoom: z, buffer: 0 });
    // Independent answer: sample the segment away from tile boundaries.
    const expected = new Set<string>();
    for (let i = 0; i <= 10000; i++) {
      const t = i / 10000, x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
      if (Number.isInteger(x) || Number.isInteger(y)) continue;
      expected.add(`${z}/${Math.floor(x)}/${Math.floor(y)}`);
    }
    assert.deepEqual(new Set(out.map(key)), expected);
    assert.equal(out.length, expected.size);
  });

  it('cuts a line at the tile edges so consecutive tiles meet', () => {
    const z = 3;
    const out = run({ type: 'line', lines: [w(z, 0.5, 2.5, 2.5, 2.5)] }, { minzoom: z, maxzoom: z, buffer: 0 });
    const byX = new Map(out.map((o) => [o.x, Array.from(o.g.geometry[0])]));
    assert.deepEqual(byX.get(0), [2048, 2048, 4096, 2048]);
    assert.deepEqual(byX.get(1), [0, 2048, 4096, 2048]);
    assert.deepEqual(byX.get(2), [0, 2048, 2048, 2048]);
  });

  it('duplicates a point near a tile edge into the neighbour within the buffer', () => {
    const z = 10;
    const pt = w(z, 100 + 4090 / 4096, 200.5);
    const out = run({ type: 'point', coords: pt }, { minzoom: z, maxzoom: z, buffer: 4 });
    const got = new Map(out.map((o) => [key(o), Array.from(o.g.geometry[0])]));
    assert.equal(out.length, 2);
    assert.deepEqual(got.get(`${z}/100/200`), [4090, 2048]);
    assert.deepEqual(got.get(`${z}/101/200`), [-6, 2048]);
  });

  it('groups the points of a multipoint per tile, each with its buffer copies', () => {
    const z = 10;
    const coords = Float64Array.from([...w(z, 100.5, 200.5), ...w(z, 100.25, 200.75), ...w(z, 100 + 4090 / 4096, 200.5)]);
    const out = run({ type: 'point', coords }, { minzoom: z, maxzoom: z, buffer: 4 });
    const got = new Map(out.map((o) => [key(o), Array.from(o.g.geometry[0])]));
    assert.deepEqual(got.get(`${z}/100/200`), [2048, 2048, 1024, 3072, 4090, 2048]);
    assert.deepEqual(got.get(`${z}/101/200`), [-6, 2048]);
    assert.equal(out.length, 2);
  });

  it('keeps a point away from the edges in one tile only', () => {
    const out = run({ type: 'point', coords: w(6, 10.5, 20.5) }, { minzoom: 6, maxzoom: 6, buffer: 64 });
    assert.deepEqual(out.map(key), ['6/10/20']);
  });

  it('places a point at the same coordinates as lonToX/latToY at extent 4096', () => {
    const lon = 7.7521, lat = 48.5734, z = 14;
    const out = run({ type: 'point', coords: Float64Array.of(lonToX(lon), latToY(lat)) }, { minzoom: z, maxzoom: z, buffer: 0 });
    const gx = lonToX(lon) * 2 ** z, gy = latToY(lat) * 2 ** z;
    const tx = Math.floor(gx), ty = Math.floor(gy);
    assert.equal(out.length, 1);
    assert.deepEqual([out[0].x, out[0].y], [tx, ty]);
    assert.deepEqual(Array.from(out[0].g.geometry[0]), [Math.round((gx - tx) * 4096), Math.round((gy - ty) * 4096)]);
  });

  it('places line vertices at the same coordinates as lonToX/latToY at every zoom', () => {
    const pts = [[7.70, 48.55], [7.75, 48.60], [7.80, 48.56]];
    const line = Float64Array.from(pts.flatMap(([lon, lat]) => [lonToX(lon), latToY(lat)]));
    for (const z of [8, 11, 14]) {
      const out = run({ type: 'line', lines: [line] }, { minzoom: z, maxzoom: z, buffer: 0, tolerance: 0, maxzoomTolerance: 0 });
      const [lon, lat] = pts[1];
      const gx = lonToX(lon) * 2 ** z, gy = latToY(lat) * 2 ** z;
      const tile = out.find((o) => o.x === Math.floor(gx) && o.y === Math.floor(gy))!;
      const local = [Math.round(gx * 4096) - tile.x * 4096, Math.round(gy * 4096) - tile.y * 4096];
      const flat = tile.g.geometry.flatMap((p) => Array.from(p));
      const found = flat.some((v, i) => i % 2 === 0 && v === local[0] && flat[i + 1] === local[1]);
      assert.ok(found, `z${z}: vertex ${local} not in ${flat}`);
    }
  });

  it('gives a tile inside a big polygon a plain square including the buffer', () => {
    const z = 8;
    const out = run({ type: 'polygon', polygons: [[square(z, 10.3, 20.2, 15.7, 25.6)]] }, { minzoom: z, maxzoom: z, buffer: 4 });
    const inner = out.find((o) => o.x === 12 && o.y === 22)!;
    assert.deepEqual(inner.g.geometry.map((r) => Array.from(r)), [[-64, -64, 4160, -64, 4160, 4160, -64, 4160, -64, -64]]);
    assert.equal(out.length, 6 * 6);
  });

  it('emits nothing for tiles deep inside a hole', () => {
    const z = 8;
    const outer = square(z, 10.5, 20.5, 19.5, 29.5);
    const hole = square(z, 11.5, 21.5, 18.5, 28.5);
    const out = run({ type: 'polygon', polygons: [[outer, hole]] }, { minzoom: z, maxzoom: z, buffer: 4 });
    const keys = new Set(out.map(key));
    assert.ok(!keys.has('8/15/25'), 'tile inside the hole was emitted');
    assert.ok(keys.has('8/11/21') && keys.has('8/10/20'));
    // Tiles 12..17 × 22..27 are wholly inside the hole (buffer included).
    assert.equal(out.length, 10 * 10 - 6 * 6);
  });

  it('emits outer rings with positive and holes with negative area', () => {
    const z = 5;
    // Outer counter-clockwise and hole clockwise on screen: both the wrong way for MVT.
    const outer = w(z, 1.1, 1.1, 1.1, 1.9, 1.9, 1.9, 1.9, 1.1, 1.1, 1.1);
    const hole = square(z, 1.3, 1.3, 1.5, 1.5);
    const [o] = run({ type: 'polygon', polygons: [[outer, hole]] }, { minzoom: z, maxzoom: z });
    assert.deepEqual(o.g.ringsPerPolygon, [2]);
    assert.ok(flatRingArea(o.g.geometry[0]) > 0);
    assert.ok(flatRingArea(o.g.geometry[1]) < 0);
  });

  it('splits a polygon with a hole across tiles, keeping the hole where it lies', () => {
    const z = 5;
    const out = run({ type: 'polygon', polygons: [[square(z, 1.5, 1.5, 3.5, 2.5), square(z, 1.6, 1.8, 1.9, 2.2)]] }, { minzoom: z, maxzoom: z, buffer: 0 });
    assert.deepEqual(new Set(out.map(key)), new Set(['5/1/1', '5/2/1', '5/3/1', '5/1/2', '5/2/2', '5/3/2']));
    const withHoles = out.filter((o) => o.g.geometry.length === 2).map(key).sort();
    assert.deepEqual(withHoles, ['5/1/1', '5/1/2']);
  });

  it('preserves the total area of a polygon cut over many tiles', () => {
    const z = 6, n = 360, c = [20.5, 30.5];
    const star = new Float64Array(2 * (n + 1));
    for (let i = 0; i <= n; i++) {
      const a = (2 * Math.PI * (i % n)) / n, r = i % 2 === 0 ? 4.3 : 2.1;
      star[2 * i] = (c[0] + r * Math.cos(a)) / 2 ** z;
      star[2 * i + 1] = (c[1] + r * Math.sin(a)) / 2 ** z;
    }
    const out = run({ type: 'polygon', polygons: [[star]] }, { minzoom: z, maxzoom: z, buffer: 0, tolerance: 0, maxzoomTolerance: 0 });
    const total = out.reduce((s, o) => s + o.g.geometry.reduce((t, r) => t + flatRingArea(r), 0), 0);
    const expected = Math.abs(flatRingArea(star)) * (2 ** z * 4096) ** 2;
    assert.ok(Math.abs(total - expected) / expected < 1e-3, `${total} vs ${expected}`);
  });

  it('gives nothing to the neighbours of a polygon that exactly fills one tile', () => {
    const z = 7;
    const out = run({ type: 'polygon', polygons: [[square(z, 40, 50, 41, 51)]] }, { minzoom: z, maxzoom: z, buffer: 0 });
    assert.deepEqual(out.map(key), ['7/40/50']);
    assert.deepEqual(Array.from(out[0].g.geometry[0]), [0, 0, 4096, 0, 4096, 4096, 0, 4096, 0, 0]);
  });

  it('gives nothing to a tile touched only at a corner by a polygon', () => {
    const z = 7;
    // A diamond whose tip touches the corner shared by tiles 40/50 and 41/51.
    const out = run({ type: 'polygon', polygons: [[w(z, 41, 51, 41.5, 51.2, 41.3, 51.8, 41, 51)]] }, { minzoom: z, maxzoom: z, buffer: 0 });
    assert.deepEqual(out.map(key), ['7/41/51']);
  });

  it('drops a tiny polygon below maxzoom but keeps it at maxzoom', () => {
    const side = 0.5 / 256; // half a pixel at z12, in tile units
    const p = square(12, 100.2, 100.2, 100.2 + side, 100.2 + side);
    const out = run({ type: 'polygon', polygons: [[p]] }, { minzoom: 10, maxzoom: 12, minPixelSize: 1 });
    assert.deepEqual(out.map((o) => o.z), [12]);
  });

  it('drops a short line below maxzoom only', () => {
    const t = new FeatureTiler({ type: 'line', lines: [w(14, 50.1, 50.1, 50.3, 50.1)] }, { minzoom: 12, maxzoom: 14, minPixelSize: 100 });
    const zs: number[] = [];
    t.tileAll((z) => zs.push(z));
    assert.deepEqual(zs, [14]);
  });

  it('emits each zoom of the range once per covered tile', () => {
    const out = run({ type: 'line', lines: [w(0, 0.2, 0.2, 0.7, 0.6)] }, { minzoom: 0, maxzoom: 3, buffer: 0 });
    assert.deepEqual([...new Set(out.map((o) => o.z))], [0, 1, 2, 3]);
    assert.equal(new Set(out.map(key)).size, out.length);
  });

  it('rejects an invalid zoom range', () => {
    assert.throws(() => new FeatureTiler({ type: 'point', coords: Float64Array.of(0.5, 0.5) }, { minzoom: 5, maxzoom: 3 }), /zoom range/);
  });
});
