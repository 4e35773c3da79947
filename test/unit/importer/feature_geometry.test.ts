import assert from 'node:assert/strict';
import { areaSquareMetres, centroid, lengthMetres, pointOnSurface } from '../../../src/importer/feature_geometry.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import type { PolygonGeometry } from '../../../src/core/geometry.js';

const ring = (pts: [number, number][]) => new Float64Array(pts.flatMap(([lon, lat]) => [lonToX(lon), latToY(lat)]));

describe('importer/feature geometry', () => {
  it('measures a 0.01° square at 48°N close to its true area on the ground', () => {
    const g: PolygonGeometry = { type: 'polygon', polygons: [[ring([[7, 48], [7.01, 48], [7.01, 48.01], [7, 48.01], [7, 48]])]] };
    // 0.01° of latitude = 1112 m; 0.01° of longitude at 48° = 744 m
    const expected = 1112 * 744.1;
    assert.ok(Math.abs(areaSquareMetres(g) - expected) / expected < 0.01, String(areaSquareMetres(g)));
  });

  it('subtracts holes from areas', () => {
    const outer = ring([[7, 48], [7.02, 48], [7.02, 48.02], [7, 48.02], [7, 48]]);
    const hole = ring([[7.005, 48.005], [7.015, 48.005], [7.015, 48.015], [7.005, 48.015], [7.005, 48.005]]);
    const a = areaSquareMetres({ type: 'polygon', polygons: [[outer]] });
    const b = areaSquareMetres({ type: 'polygon', polygons: [[outer, hole]] });
    assert.ok(Math.abs(b / a - 0.75) < 0.01);
  });

  it('measures 0.01° of latitude as about 1112 m', () => {
    const len = lengthMetres({ type: 'line', lines: [ring([[7, 48], [7, 48.01]])] });
    assert.ok(Math.abs(len - 1112) < 5, String(len));
  });

  it('puts the centroid of a square in its middle', () => {
    const [x, y] = centroid({ type: 'polygon', polygons: [[new Float64Array([0, 0, 2, 0, 2, 2, 0, 2, 0, 0])]] });
    assert.ok(Math.abs(x - 1) < 1e-12 && Math.abs(y - 1) < 1e-12);
  });

  it('puts the label point of a U shape inside it, where the centroid is not', () => {
    const u = new Float64Array([0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3, 0, 0]);
    const g: PolygonGeometry = { type: 'polygon', polygons: [[u]] };
    const [x, y] = pointOnSurface(g);
    const inside = (y < 1 && x > 0 && x < 3) || (y >= 1 && ((x > 0 && x < 1) || (x > 2 && x < 3)));
    assert.ok(inside, `${x},${y}`);
  });
});
