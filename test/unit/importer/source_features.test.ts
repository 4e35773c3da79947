import assert from 'node:assert/strict';
import { EmptyGeometry, LazySourceFeature, WayGeometryBuilder, wayFeature, type OsmStores } from '../../../src/importer/source_features.js';
import { DataErrors } from '../../../src/core/data_errors.js';
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

/** Stores of one closed way 1-2-3-1 (node 4 missing when asked for), counting how often its refs are decoded. */
function fakeStores(refs: number[]): { osm: OsmStores; decodes: () => number } {
  let n = 0;
  const ways = { refsAt: () => { n++; return new Float64Array(refs); }, idAt: () => 100 };
  const nodes = {
    wayCoords: (r: Float64Array, missing?: (id: number, k: number) => void) => {
      const out: number[] = [];
      r.forEach((id, k) => { if (id === 4) missing?.(id, k); else out.push(id / 10, id / 20); });
      return new Float64Array(out);
    },
  };
  return { osm: { ways, nodes } as unknown as OsmStores, decodes: () => n };
}

describe('importer/wayFeature', () => {
  it('decodes a way\'s refs once, for its tests and its geometry', () => {
    const { osm, decodes } = fakeStores([1, 2, 3, 1]);
    const errors = new DataErrors();
    const f = wayFeature(0, { building: 'yes' }, [], osm, new WayGeometryBuilder(osm, errors))!;
    assert.deepEqual(f.geometry(), { type: 'polygon', polygons: [[new Float64Array([0.1, 0.05, 0.2, 0.1, 0.3, 0.15, 0.1, 0.05])]] });
    assert.equal(decodes(), 1);
  });

  it('coordsOfRefs gives coords() of the way and counts its missing nodes', () => {
    const { osm } = fakeStores([1, 4, 2]);
    const errors = new DataErrors();
    const b = new WayGeometryBuilder(osm, errors);
    assert.deepEqual(b.coordsOfRefs(new Float64Array([1, 4, 2])), b.coords(0));
    assert.equal(errors.get('osm_missing_node'), 2);
  });
});
