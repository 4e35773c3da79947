import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { boundsInCrs, crsByCode, crsUrn, findCrs } from '../../../src/ogc/crs.js';

describe('OGC CRS definitions', () => {
  it('accepts EPSG codes, OGC URNs and URIs case-insensitively', () => {
    assert.equal(findCrs('epsg:2154')?.code, 'EPSG:2154');
    assert.equal(findCrs('urn:ogc:def:crs:EPSG::2154')?.code, 'EPSG:2154');
    assert.equal(findCrs('http://www.opengis.net/def/crs/EPSG/0/3035')?.code, 'EPSG:3035');
    assert.equal(findCrs('urn:ogc:def:crs:OGC:1.3:CRS84')?.code, 'CRS:84');
    assert.equal(findCrs('EPSG:900913')?.code, 'EPSG:3857');
  });

  it('refuses CRS it does not support', () => {
    assert.equal(findCrs('EPSG:27572'), undefined);
    assert.equal(findCrs('nonsense'), undefined);
  });

  for (const code of ['EPSG:2154', 'EPSG:3035']) {
    it(`agrees with PROJ (GDAL's gdaltransform) on ${code} within a centimetre`, () => {
      const points: [number, number][] = [[7.3389, 47.7508], [2.3461, 48.8462], [-4.486, 48.39], [8.738, 41.919], [6.13, 49.61]];
      const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', code, '-output_xy'], { input: points.map((p) => p.join(' ')).join('\n') + '\n' }).toString().trim().split('\n');
      const c = crsByCode(code);
      points.forEach(([lon, lat], i) => {
        const [ex, ey] = out[i].trim().split(/\s+/).map(Number);
        const [x, y] = c.fromLonLat(lon, lat);
        // GDAL's command-line tools use east,north order for every CRS (traditional GIS order)
        const [gx, gy] = [ex, ey];
        assert.ok(Math.hypot(x - gx, y - gy) < 0.01, `${lon},${lat}: ${x},${y} vs PROJ ${gx},${gy}`);
      });
    });
  }

  it('round-trips Lambert-93 and LAEA Europe within a millimetre', () => {
    for (const code of ['EPSG:2154', 'EPSG:3035', 'EPSG:3857']) {
      const c = crsByCode(code);
      const [x, y] = c.fromLonLat(7.3389, 47.7508);
      const [lon, lat] = c.toLonLat(x, y);
      const [x2, y2] = c.fromLonLat(lon, lat);
      assert.ok(Math.hypot(x2 - x, y2 - y) < 1e-3, code);
    }
  });

  it('northing comes first in WMS 1.3.0 for EPSG:4326, EPSG:4258 and EPSG:3035 only', () => {
    const first = ['EPSG:3857', 'EPSG:2154', 'EPSG:4326', 'CRS:84', 'EPSG:4258', 'EPSG:3035'].filter((c) => crsByCode(c).northingFirst);
    assert.deepEqual(first, ['EPSG:4326', 'EPSG:4258', 'EPSG:3035']);
  });

  it('spells SupportedCRS as OGC URNs', () => {
    assert.equal(crsUrn(crsByCode('EPSG:2154')), 'urn:ogc:def:crs:EPSG::2154');
    assert.equal(crsUrn(crsByCode('CRS:84')), 'urn:ogc:def:crs:OGC:1.3:CRS84');
  });

  it('a lon/lat box in Lambert-93 encloses its projected corners', () => {
    const c = crsByCode('EPSG:2154');
    const [x0, y0, x1, y1] = boundsInCrs(c, [7.2, 47.7, 7.4, 47.8]);
    for (const [lon, lat] of [[7.2, 47.7], [7.4, 47.8], [7.2, 47.8], [7.4, 47.7]]) {
      const [x, y] = c.fromLonLat(lon, lat);
      assert.ok(x >= x0 - 1e-6 && x <= x1 + 1e-6 && y >= y0 - 1e-6 && y <= y1 + 1e-6);
    }
  });
});
