import assert from 'node:assert/strict';
import { labelPoint, pointOnSurface } from '../../../src/importer/area_points.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import type { PolygonGeometry } from '../../../src/core/geometry.js';

const Z14 = 2 ** 14 * 4096;
/** Metres per degree of latitude, and of longitude at ~47.6°N. */
const M_LAT = 111_195, M_LON = 111_195 * Math.cos((47.6 * Math.PI) / 180);

/** A closed world ring from [east, north] offsets in metres around (lon0, lat0). */
function ringAt(lon0: number, lat0: number, pts: [number, number][]): Float64Array {
  const closed = [...pts, pts[0]];
  return new Float64Array(closed.flatMap(([e, n]) => [lonToX(lon0 + e / M_LON), latToY(lat0 + n / M_LAT)]));
}

/** Even-odd test over every ring, relative to the first vertex (strict: on the outline is outside). */
function insideWorld(x: number, y: number, g: PolygonGeometry): boolean {
  const x0 = g.polygons[0][0][0], y0 = g.polygons[0][0][1];
  const px = x - x0, py = y - y0;
  for (const poly of g.polygons) {
    let odd = false;
    for (const r of poly) {
      for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
        const xi = r[i] - x0, yi = r[i + 1] - y0, xj = r[j] - x0, yj = r[j + 1] - y0;
        if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
      }
    }
    if (odd) return true;
  }
  return false;
}

/** The point as the tiler writes it at z14: rounded to the 4096-extent grid. */
function atZ14([x, y]: [number, number]): [number, number] {
  return [Math.round(x * Z14) / Z14, Math.round(y * Z14) / Z14];
}

function assertInsideAtZ14(g: PolygonGeometry, p: [number, number], what: string): void {
  assert.ok(insideWorld(p[0], p[1], g), `${what}: ${p} outside the polygon`);
  const q = atZ14(p);
  assert.ok(insideWorld(q[0], q[1], g), `${what}: ${q} (z14 grid) outside the polygon`);
}

const poly = (...rings: Float64Array[]): PolygonGeometry => ({ type: 'polygon', polygons: [rings] });

describe('importer/area points', () => {
  it('puts the point of a 5 m building at Wehr inside it, on the z14 grid', () => {
    const g = poly(ringAt(7.9043, 47.6291, [[0, 0], [5, 0], [5, 4], [0, 4]]));
    const p = pointOnSurface(g);
    assertInsideAtZ14(g, p, 'pointOnSurface');
    assert.equal(p[0] * Z14, Math.round(p[0] * Z14));
    assert.equal(p[1] * Z14, Math.round(p[1] * Z14));
    assertInsideAtZ14(g, labelPoint(g), 'labelPoint');
  });

  it('puts the point of a thin L-shaped building inside its 2 m wide arms', () => {
    const g = poly(ringAt(7.9043, 47.6291, [[0, 0], [30, 0], [30, 2], [2, 2], [2, 30], [0, 30]]));
    assertInsideAtZ14(g, pointOnSurface(g), 'pointOnSurface');
    assertInsideAtZ14(g, labelPoint(g), 'labelPoint');
  });

  it('puts the point of a U shape in one of its arms, not in the courtyard', () => {
    const g = poly(ringAt(7.85, 47.61, [[0, 0], [40, 0], [40, 40], [32, 40], [32, 6], [8, 6], [8, 40], [0, 40]]));
    assertInsideAtZ14(g, pointOnSurface(g), 'pointOnSurface');
    assertInsideAtZ14(g, labelPoint(g), 'labelPoint');
  });

  it('avoids a hole that holds the centroid', () => {
    const outer = ringAt(7.85, 47.61, [[0, 0], [60, 0], [60, 60], [0, 60]]);
    const hole = ringAt(7.85, 47.61, [[5, 5], [5, 55], [55, 55], [55, 5]]);
    const g = poly(outer, hole);
    assertInsideAtZ14(g, pointOnSurface(g), 'pointOnSurface');
    assertInsideAtZ14(g, labelPoint(g), 'labelPoint');
  });

  it('takes the point from the widest polygon of a multipolygon', () => {
    const small = ringAt(7.85, 47.61, [[0, 0], [3, 0], [3, 3], [0, 3]]);
    const big = ringAt(7.85, 47.61, [[100, 0], [200, 0], [200, 80], [100, 80]]);
    const g: PolygonGeometry = { type: 'polygon', polygons: [[small], [big]] };
    const p = pointOnSurface(g);
    assert.ok(insideWorld(p[0], p[1], { type: 'polygon', polygons: [[big]] }));
    const l = labelPoint(g);
    assert.ok(insideWorld(l[0], l[1], { type: 'polygon', polygons: [[big]] }));
  });

  it('puts the label point of a square at its centre and of a notched shape far from the outline', () => {
    const sq = poly(ringAt(7.85, 47.61, [[0, 0], [100, 0], [100, 100], [0, 100]]));
    const [x, y] = labelPoint(sq);
    const [cx, cy] = [lonToX(7.85 + 50 / M_LON), latToY(47.61 + 50 / M_LAT)];
    assert.ok(Math.abs(x - cx) * Z14 < 2 && Math.abs(y - cy) * Z14 < 2, 'centre of the square');
    // an E shape: its pole is in the spine, away from the tips of the arms
    const e = poly(ringAt(7.85, 47.61, [[0, 0], [100, 0], [100, 10], [40, 10], [40, 45], [100, 45], [100, 55], [40, 55], [40, 90], [100, 90], [100, 100], [0, 100]]));
    const l = labelPoint(e);
    assertInsideAtZ14(e, l, 'labelPoint');
    assert.ok((l[0] - lonToX(7.85)) * M_LON * 360 < 40, 'in the 40 m wide spine');
  });

  it('returns a finite point for degenerate rings without interior', () => {
    const flat = poly(ringAt(7.85, 47.61, [[0, 0], [10, 0], [20, 0]]));
    const tiny: PolygonGeometry = { type: 'polygon', polygons: [[new Float64Array([0.52, 0.33, 0.52, 0.33, 0.52, 0.33, 0.52, 0.33])]] };
    for (const g of [flat, tiny]) {
      for (const p of [pointOnSurface(g), labelPoint(g)]) assert.ok(Number.isFinite(p[0]) && Number.isFinite(p[1]), String(p));
    }
  });

  it('keeps points inside thousands of random small polygons at high absolute coordinates', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 2000; k++) {
      const lon = -170 + 340 * rand(), lat = -80 + 160 * rand();
      const size = 3 + 60 * rand(), n = 3 + Math.floor(12 * rand());
      // a star-shaped ring: random radii at sorted angles, some spikes thin
      const pts: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n, r = size * (0.15 + rand());
        pts.push([r * Math.cos(a), r * Math.sin(a)]);
      }
      const g = poly(ringAt(lon, lat, pts));
      for (const [name, p] of [['pointOnSurface', pointOnSurface(g)], ['labelPoint', labelPoint(g)]] as const) {
        assert.ok(insideWorld(p[0], p[1], g), `${name} #${k} outside`);
      }
    }
  });
});
