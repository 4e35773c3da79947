import assert from 'node:assert/strict';
import { crsByCode } from '../../../src/ogc/crs.js';
import { TILE_MATRIX_SETS, STANDARD_PIXEL_SIZE, findTileMatrixSet, tileAt, tileExtent } from '../../../src/ogc/tile_matrix_sets.js';
import { lonLatToTile, tileBounds, lonLatToMercator } from '../../../src/core/tile_math.js';

describe('WMTS tile matrix sets', () => {
  it('GoogleMapsCompatible level 0 has the OGC well-known scale denominator 559082264.0287178', () => {
    const set = findTileMatrixSet('GoogleMapsCompatible')!;
    assert.ok(Math.abs(set.matrices[0].scaleDenominator - 559082264.0287178) < 1e-3);
    assert.equal(set.wellKnownScaleSet, 'urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible');
  });

  it('a GoogleMapsCompatible tile covers the same Mercator extent as the XYZ tile of the same z/x/y', () => {
    const m = findTileMatrixSet('googlemapscompatible')!.matrices[14];
    const t = lonLatToTile(7.3389, 47.7508, 14);
    const [minx, miny, maxx, maxy] = tileExtent(m, t.y, t.x);
    const [w, s, e, n] = tileBounds(14, t.x, t.y);
    const sw = lonLatToMercator(w, s), ne = lonLatToMercator(e, n);
    for (const [a, b] of [[minx, sw[0]], [miny, sw[1]], [maxx, ne[0]], [maxy, ne[1]]]) assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  });

  it('the 512 px set at level z has the resolution of the 256 px set at z + 1', () => {
    const a = findTileMatrixSet('GoogleMapsCompatible512')!.matrices[10];
    const b = findTileMatrixSet('GoogleMapsCompatible')!.matrices[11];
    assert.equal(a.tileWidth, 512);
    assert.ok(Math.abs(a.cellSize - b.cellSize) < 1e-9);
  });

  it('every scale denominator is the cell size over the 0.28 mm standard pixel', () => {
    for (const s of TILE_MATRIX_SETS) for (const m of s.matrices) assert.ok(Math.abs(m.scaleDenominator * STANDARD_PIXEL_SIZE - m.cellSize) < 1e-6 * m.cellSize);
  });

  it('LAMB93 follows the Géoplateforme grid: EPSG:2154, origin (0, 12 000 000), its levels 0–18, halving resolutions', () => {
    const s = findTileMatrixSet('LAMB93')!;
    assert.equal(s.crs, 'EPSG:2154');
    assert.equal(s.matrices.length, 19);
    assert.deepEqual(s.matrices[0].topLeft, [0, 12_000_000]);
    for (let i = 1; i < s.matrices.length; i++) {
      const ratio = s.matrices[i - 1].cellSize / s.matrices[i].cellSize;
      assert.ok(Math.abs(ratio - 2) < 0.001, `level ${i}: ratio ${ratio}`);
    }
  });

  it('LAMB93 stops where the vector tiles stop adding detail: no level finer than 0.3 m/px', () => {
    const s = findTileMatrixSet('LAMB93')!;
    const finest = s.matrices[s.matrices.length - 1].cellSize;
    assert.ok(finest > 0.3 && finest < 0.5, `finest level ${finest} m/px`);
  });

  it('every LAMB93 level covers metropolitan France (Mulhouse, Brest, Ajaccio, Dunkerque fall in the matrix)', () => {
    const l93 = crsByCode('EPSG:2154');
    const places: [number, number][] = [[7.3389, 47.7508], [-4.486, 48.390], [8.738, 41.919], [2.377, 51.034]];
    for (const m of findTileMatrixSet('LAMB93')!.matrices) {
      for (const [lon, lat] of places) {
        const [x, y] = l93.fromLonLat(lon, lat);
        const t = tileAt(m, x, y);
        assert.ok(t.col >= 0 && t.col < m.matrixWidth && t.row >= 0 && t.row < m.matrixHeight, `level ${m.id}: ${lon},${lat} → ${t.row}/${t.col} outside ${m.matrixHeight}×${m.matrixWidth}`);
      }
    }
  });

  it('tileAt and tileExtent agree: a point lies inside the extent of its tile', () => {
    const m = findTileMatrixSet('LAMB93')!.matrices[15];
    const [x, y] = [1_027_000.5, 6_749_123.25];
    const t = tileAt(m, x, y);
    const [minx, miny, maxx, maxy] = tileExtent(m, t.row, t.col);
    assert.ok(x >= minx && x < maxx && y > miny && y <= maxy);
  });

  it('finds sets case-insensitively and refuses unknown ones', () => {
    assert.equal(findTileMatrixSet('lamb93')?.id, 'LAMB93');
    assert.equal(findTileMatrixSet('EPSG:4326'), undefined);
  });
});
