import assert from 'node:assert/strict';
import { EmptyGeometry, LazySourceFeature } from '../../../src/importer/source_features.js';
import type { Geometry } from '../../../src/core/geometry.js';

const square = (): Geometry => ({ type: 'polygon', polygons: [[new Float64Array([0.5, 0.5, 0.50001, 0.5, 0.50001, 0.50001, 0.5, 0.50001, 0.5, 0.5])]] });

describe('importer/LazySourceFeature', () => {
  it('builds its geometry once, on first use', () => {
    let builds = 0;
    const f = new LazySourceFeature('way', 7, { building: 'yes' }, true, [], () => { builds++; return square(); });
    assert.equal(builds, 0);
    const g = f.geometry();
    assert.equal(f.geometry(), g);
    f.areaM2(); f.lengthM();
    assert.equal(builds, 1);
  });

  it('reads as the SourceFeature of an OSM way or relation', () => {
    const w = new LazySourceFeature('way', 7, { highway: 'path' }, false, [], () => null);
    assert.deepEqual([w.source, w.table, w.osmType, w.id, w.isPoint, w.canBeLine, w.canBePolygon], ['osm', 'way', 'way', 7, false, true, false]);
    const r = new LazySourceFeature('relation', 9, { type: 'multipolygon' }, true, [], () => null);
    assert.deepEqual([r.table, r.osmType, r.canBeLine, r.canBePolygon], ['relation', 'relation', false, true]);
  });

  it('throws EmptyGeometry from every accessor when the geometry cannot be built', () => {
    const f = new LazySourceFeature('way', 1, {}, true, [], () => null);
    assert.throws(() => f.geometry(), EmptyGeometry);
    assert.throws(() => f.areaM2(), EmptyGeometry);
    assert.throws(() => f.lengthM(), EmptyGeometry);
  });

  it('has no area unless it can be a polygon, and caches its measures', () => {
    const line = new LazySourceFeature('way', 1, {}, false, [], () => ({ type: 'line', lines: [new Float64Array([0.5, 0.5, 0.5001, 0.5])] }));
    assert.equal(line.areaM2(), 0);
    assert.ok(line.lengthM() > 0);
    const area = new LazySourceFeature('way', 2, {}, true, [], square);
    const a = area.areaM2();
    assert.ok(a > 0);
    assert.equal(area.areaM2(), a);
  });

  it('gives ways and relations one hidden shape: the same own keys in the same order', () => {
    const w = new LazySourceFeature('way', 1, {}, false, [], () => null);
    const r = new LazySourceFeature('relation', 2, {}, true, [], () => null);
    assert.deepEqual(Object.keys(w), Object.keys(r));
  });
});
