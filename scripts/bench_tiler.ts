/**
 * Throughput of the feature tiler on synthetic data (no I/O):
 *   npx tsx scripts/bench_tiler.ts
 * 1. one big noisy polygon (100k vertices, ~110 km across) over z0–14;
 * 2. a long winding river (50k vertices, ~800 tile geometries) over z0–14;
 * 3. a dense set of short lines (street-like, 12 vertices each) over z4–14.
 * 4. for reference, the polygon's z14 tiles by clipping it to each tile in turn.
 * Prints one line per case: CPU time, input vertices/s, tiles emitted, output vertices.
 */
import { lonToX, latToY } from '../src/core/tile_math.js';
import type { Geometry } from '../src/core/geometry.js';
import { FeatureTiler, type TileGeometry } from '../src/tiling/feature_tiler.js';
import { clipPolygon } from '../src/tiling/clip.js';
import { seededRandom as rng } from '../src/core/seeded_random.js';


function bigPolygon(n: number, radiusDeg: number): Geometry {
  const r = rng(1);
  const ring = new Float64Array(2 * (n + 1));
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rad = radiusDeg * (1 + 0.05 * Math.sin(a * 37) + 0.002 * (r() - 0.5));
    ring[2 * i] = lonToX(7.75 + rad * Math.cos(a) * 1.5);
    ring[2 * i + 1] = latToY(48.58 + rad * Math.sin(a));
  }
  ring[2 * n] = ring[0];
  ring[2 * n + 1] = ring[1];
  return { type: 'polygon', polygons: [[ring]] };
}

function streets(count: number, verts: number): Geometry[] {
  const r = rng(2);
  const out: Geometry[] = [];
  for (let k = 0; k < count; k++) {
    let lon = 6 + r() * 3, lat = 48 + r() * 1.5;
    const c = new Float64Array(2 * verts);
    for (let i = 0; i < verts; i++) {
      c[2 * i] = lonToX(lon);
      c[2 * i + 1] = latToY(lat);
      lon += (r() - 0.3) * 0.0015;
      lat += (r() - 0.5) * 0.0015;
    }
    out.push({ type: 'line', lines: [c] });
  }
  return out;
}

function river(n: number): Geometry {
  const r = rng(3);
  const c = new Float64Array(2 * n);
  let lon = 6.0, lat = 47.6, heading = 0.6;
  for (let i = 0; i < n; i++) {
    c[2 * i] = lonToX(lon);
    c[2 * i + 1] = latToY(lat);
    heading += (r() - 0.5) * 0.1 + (0.6 - heading) * 0.01;
    lon += Math.cos(heading) * 0.00012;
    lat += Math.sin(heading) * 0.00008;
  }
  return { type: 'line', lines: [c] };
}

function run(name: string, geoms: Geometry[], minzoom: number, maxzoom: number, minPixelSize?: number): void {
  let inVerts = 0;
  for (const g of geoms) {
    if (g.type === 'line') for (const l of g.lines) inVerts += l.length / 2;
    if (g.type === 'polygon') for (const p of g.polygons) for (const r of p) inVerts += r.length / 2;
  }
  let tiles = 0, outVerts = 0;
  const emit = (_z: number, _x: number, _y: number, g: TileGeometry): void => {
    tiles++;
    for (const p of g.geometry) outVerts += p.length / 2;
  };
  // CPU time, not wall time: the machine is shared.
  const c0 = process.cpuUsage();
  for (const g of geoms) new FeatureTiler(g, { minzoom, maxzoom, buffer: 4, minPixelSize }).tileAll(emit);
  const ms = process.cpuUsage(c0).user / 1000;
  process.stdout.write(
    `${name}: ${ms.toFixed(0)} ms CPU, ${((inVerts / ms) * 1000 / 1e6).toFixed(2)} M input vertices/s, ` +
      `${geoms.length} features, ${tiles} tile geometries, ${outVerts} output vertices\n`,
  );
}

run('polygon 100k vertices, r=0.5°, z0-14', [bigPolygon(100_000, 0.5)], 0, 14);
run('polygon 100k vertices, r=0.5°, z0-14 (2nd run, warm JIT)', [bigPolygon(100_000, 0.5)], 0, 14);
run('polygon 1M vertices, r=1.5°, z0-14', [bigPolygon(1_000_000, 1.5)], 0, 14);
run('river 50k vertices, z0-14', [river(50_000)], 0, 14);
run('river 50k vertices, z0-14 (2nd run)', [river(50_000)], 0, 14);
run('200k streets x 12 vertices, z4-14', streets(200_000, 12), 4, 14, 0);

/** Reference: the same z14 tiles by clipping the whole polygon to each tile (what the halving avoids). */
function naiveZ14(g: Geometry): void {
  if (g.type !== 'polygon') return;
  const z = 14, e = 4096, b = 64, scale = 2 ** z * e;
  const tiles: [number, number][] = [];
  new FeatureTiler(g, { minzoom: z, maxzoom: z }).tileZoom(z, (_z, x, y) => tiles.push([x, y]));
  const c1 = process.cpuUsage();
  new FeatureTiler(g, { minzoom: z, maxzoom: z }).tileZoom(z, () => undefined);
  const ours = process.cpuUsage(c1).user / 1000;
  const ring = g.polygons[0][0].map((v) => v * scale);
  const c0 = process.cpuUsage();
  for (const [x, y] of tiles) clipPolygon([ring], [x * e - b, y * e - b, (x + 1) * e + b, (y + 1) * e + b]);
  const naive = process.cpuUsage(c0).user / 1000;
  process.stdout.write(`z14 only, ${tiles.length} tiles: recursive halving ${ours.toFixed(0)} ms CPU, per-tile clipping ${naive.toFixed(0)} ms CPU\n`);
}
naiveZ14(bigPolygon(100_000, 0.5));
