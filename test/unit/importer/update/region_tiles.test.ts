import assert from 'node:assert/strict';
import type { Geometry } from '../../../../src/core/geometry.js';
import { seededRandom } from '../../../../src/core/seeded_random.js';
import { FeatureTiler } from '../../../../src/tiling/feature_tiler.js';
import { RegionTiles } from '../../../../src/importer/update/region_tiles.js';
import { ReachRecorder, entriesOf } from '../../../../src/importer/update/reach_recorder.js';
import type { SourceFeature } from '../../../../src/schema/profile.js';

function randomGeometry(r: () => number): Geometry {
  const cx = 0.52 + r() * 0.001, cy = 0.35 + r() * 0.001, size = r() * r() * 0.0005;
  const pts = (n: number): Float64Array => Float64Array.from({ length: n * 2 }, (_, i) => (i % 2 ? cy : cx) + (r() - 0.5) * size);
  const kind = Math.floor(r() * 3);
  if (kind === 0) return { type: 'point', coords: pts(1) };
  if (kind === 1) return { type: 'line', lines: [pts(2 + Math.floor(r() * 6))] };
  const ring = pts(3 + Math.floor(r() * 5));
  return { type: 'polygon', polygons: [[Float64Array.from([...ring, ring[0], ring[1]])]] };
}

const source = (id: number): SourceFeature => ({
  source: 'osm', table: 'way', osmType: 'way', id, tags: {}, isPoint: false, canBeLine: true, canBePolygon: false, relations: [],
  geometry: () => { throw new Error('unused'); }, areaM2: () => 0, lengthM: () => 0,
});

describe('RegionTiles', () => {
  it('holds every tile the tiler writes a feature into, at every zoom, whatever its buffer (property)', () => {
    const r = seededRandom(18);
    for (let k = 0; k < 300; k++) {
      const geom = randomGeometry(r);
      const buffer = [0, 4, 8, 64, 256][Math.floor(r() * 5)];
      const minzoom = Math.floor(r() * 10), maxzoom = 14;
      const recorder = new ReachRecorder();
      recorder.add(source(k), minzoom, maxzoom, geom, { bufferPx: buffer, out: { layer: 'l', geometry: 'line', minzoom, maxzoom, attrs: {} }, layer: 0 });
      const region = new RegionTiles({ minzoom: 0, maxzoom: 14 });
      for (const e of entriesOf(recorder.toFlat())) region.addReach(e);
      const tiler = new FeatureTiler(geom, { minzoom: 0, maxzoom, buffer, minPixelSize: 0 });
      for (let z = minzoom; z <= maxzoom; z++) {
        tiler.tileZoom(z, (tz, x, y) => assert.ok(region.has(tz, x, y), `case ${k}: ${geom.type} buffer ${buffer}: tile ${tz}/${x}/${y} not in the region`));
      }
    }
  });

  it('adds the tiles entering and leaving the bounds when they move, and no other', () => {
    const region = new RegionTiles({ minzoom: 14, maxzoom: 14 });
    region.addBoundsChange([7.80, 47.50, 7.90, 47.60], [7.80, 47.50, 7.95, 47.60]);
    const tiles = [...region.tiles()];
    assert.ok(tiles.length > 0);
    const x = (lon: number): number => Math.floor(((lon + 180) / 360) * 2 ** 14);
    for (const t of tiles) assert.ok(t.x > x(7.90) - 1 && t.x <= x(7.95), `tile ${t.x} is not in the new strip`);
  });
});
