/**
 * The data's outline (conservative convex hull of the nodes and plausible header
 * boxes) and the open coastline ends taken as the cuts of an extract: near the
 * outline and nearer to it than to any other open end.
 */
import assert from 'node:assert/strict';
import { DataErrors } from '../../../src/core/data_errors.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { dataOutline } from '../../../src/importer/coastline/data_outline.js';
import { attachCutEnds } from '../../../src/importer/coastline/open_ends.js';
import { PolygonExtent } from '../../../src/importer/coastline/sea_extent.js';
import { SeaBuilder } from '../../../src/importer/coastline/sea_polygons.js';
import { pointInRing, signedArea } from '../../../src/importer/coastline/ring_tree.js';

function points(list: [number, number][]): { size: number; lon(i: number): number; lat(i: number): number } {
  return { size: list.length, lon: (i) => list[i][0], lat: (i) => list[i][1] };
}

describe('data outline', () => {
  it('holds every node of random clouds, clockwise, and is no bigger than their box', () => {
    const rnd = seededRandom(5);
    for (let run = 0; run < 20; run++) {
      const list: [number, number][] = [];
      const cx = rnd() * 300 - 150, cy = rnd() * 120 - 60, r = 0.01 + rnd() * 5;
      for (let k = 0; k < 2000; k++) {
        const a = rnd() * 2 * Math.PI, d = r * Math.sqrt(rnd());
        list.push([cx + d * Math.cos(a) * (1 + rnd()), cy + d * Math.sin(a)]);
      }
      const ring = dataOutline(points(list))!;
      assert.ok(signedArea(ring) > 0);
      const outline = new PolygonExtent(ring);
      for (const [lon, lat] of list) {
        const x = lonToX(lon), y = latToY(lat);
        // strictly inside: a node on the outline would make its ring look as if it crossed it
        assert.ok(pointInRing(x, y, ring) && outline.nearest(x, y).distance >= 0.9e-8, `${lon},${lat} run ${run}`);
      }
      const lons = list.map((p) => p[0]);
      for (let i = 0; i < ring.length; i += 2) {
        assert.ok(ring[i] >= lonToX(Math.min(...lons)) - 2e-8 && ring[i] <= lonToX(Math.max(...lons)) + 2e-8);
      }
    }
  });

  it('takes a plausible header box in, and ignores a bogus one', () => {
    const list: [number, number][] = [[3, 51], [4, 51], [4, 52], [3, 52], [3.5, 51.5]];
    const withBox = dataOutline(points(list), [[2.9, 50.9, 4.1, 52.1]])!;
    assert.ok(pointInRing(lonToX(2.95), latToY(50.95), withBox));
    const bogus = dataOutline(points(list), [[0, 0, 180, 90]])!;
    assert.ok(!pointInRing(lonToX(2.95), latToY(50.95), bogus));
    assert.ok(!pointInRing(lonToX(100), latToY(45), bogus));
  });

  it('is undefined for nodes on one line', () => {
    assert.equal(dataOutline(points([[3, 51], [3, 52]])), undefined);
  });
});

describe('cut ends', () => {
  const square = new Float64Array([0, 0, 1, 0, 1, 1, 0, 1, 0, 0]);

  it('joins ends near the outline to it, and leaves a gap in the middle open', () => {
    const extent = new PolygonExtent(square);
    const pieces = [
      // a coast from near the east edge to near the west edge: both ends cuts
      { coords: new Float64Array([0.98, 0.6, 0.5, 0.62, 0.03, 0.6]) },
      // a coast with a gap in the middle: its inner ends are close together and far from the edge
      { coords: new Float64Array([0.98, 0.3, 0.52, 0.3]) },
      { coords: new Float64Array([0.5, 0.3, 0.02, 0.3]) },
    ];
    const joined = attachCutEnds(pieces, extent, { maxDistance: 0.1 });
    assert.equal(joined, 4);
    assert.ok(pieces[0].startT !== undefined && pieces[0].endT !== undefined);
    assert.deepEqual([...pieces[0].coords.slice(0, 2)], [1, 0.6]);
    assert.deepEqual([...pieces[0].coords.slice(-2)], [0, 0.6]);
    assert.ok(pieces[1].startT !== undefined && (pieces[1] as { endT?: number }).endT === undefined);
    assert.ok((pieces[2] as { startT?: number }).startT === undefined && pieces[2].endT !== undefined);
  });

  it('leaves ends farther than the limit open', () => {
    const pieces = [{ coords: new Float64Array([0.8, 0.6, 0.5, 0.62, 0.2, 0.6]) }];
    assert.equal(attachCutEnds(pieces, new PolygonExtent(square), { maxDistance: 0.1 }), 0);
  });

  it('makes the sea of a coast cut short of the outline, on the water side only', () => {
    // land south (y > 0.6): walking west keeps it on the left
    const chains = [{ coords: new Float64Array([0.97, 0.6, 0.5, 0.65, 0.04, 0.6]), closed: false, broken: false }];
    const errors = new DataErrors();
    const sea = new SeaBuilder(new PolygonExtent(square), { closeDistance: 1e-9, errors, cutEnds: { maxDistance: 0.1 } }).build(chains);
    assert.deepEqual(errors.toJSON(), {});
    assert.equal(sea.stats.cutEnds, 2);
    assert.equal(sea.polygons.length, 1);
    const rnd = seededRandom(3);
    for (let k = 0; k < 1000; k++) {
      const x = rnd(), y = rnd();
      if (y > 0.57 && y < 0.68) continue;
      assert.equal(pointInRing(x, y, sea.polygons[0][0]), y < 0.6, `${x},${y}`);
    }
  });
});
