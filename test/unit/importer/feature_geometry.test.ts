import assert from 'node:assert/strict';
import { areaSquareMetres, centroid, lengthMetres } from '../../../src/importer/feature_geometry.js';
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

  it('puts the centroid of a 5 m building at high world coordinates in its middle (no cancellation)', () => {
    const lon = 7.9043, lat = 47.6291, d = 0.00005;
    const g: PolygonGeometry = { type: 'polygon', polygons: [[ring([[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]])]] };
    const [x, y] = centroid(g);
    const unit = 1 / 2 ** 26; // one z14 tile-grid unit, ~0.4 m here
    assert.ok(Math.abs(x - lonToX(lon + d / 2)) < unit / 100 && Math.abs(y - latToY(lat + d / 2)) < unit / 100, `${x},${y}`);
  });

  it('measures the area of a 5 m building at high world coordinates', () => {
    const lon = 7.9043, lat = 47.6291;
    const dLat = 5 / 111_195, dLon = 5 / (111_195 * Math.cos((lat * Math.PI) / 180));
    const g: PolygonGeometry = { type: 'polygon', polygons: [[ring([[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]])]] };
    assert.ok(Math.abs(areaSquareMetres(g) - 25) < 0.1, String(areaSquareMetres(g)));
  });
});
