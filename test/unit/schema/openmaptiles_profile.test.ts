import { strict as assert } from 'node:assert';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { SourceFeature } from '../../../src/schema/profile.js';
import { Collector, fakeArea, fakeLine, fakePoint } from './fake_source.js';

function run(f: SourceFeature): Collector {
  const profile = new OpenMapTilesProfile();
  const out = new Collector();
  profile.processFeature(f, out);
  return out;
}

describe('OpenMapTilesProfile', () => {
  it('declares the sixteen OpenMapTiles layers in schema order', () => {
    const ids = new OpenMapTilesProfile().layers.map((l) => l.id);
    assert.deepEqual(ids, ['water', 'waterway', 'landcover', 'landuse', 'mountain_peak', 'park', 'boundary', 'aeroway',
      'transportation', 'building', 'water_name', 'transportation_name', 'place', 'housenumber', 'poi', 'aerodrome_label']);
  });

  it('maps a motorway to transportation class motorway visible by z5', () => {
    const out = run(fakeLine({ tags: { highway: 'motorway', ref: 'A 35' } }));
    const t = out.layer('transportation');
    assert.ok(t.length > 0);
    assert.ok(Math.min(...t.map((f) => f.minzoom)) <= 5);
    assert.equal(out.at('transportation', 5)?.attrs.class, 'motorway');
  });

  it('labels a motorway in transportation_name with its ref and length', () => {
    const out = run(fakeLine({ tags: { highway: 'motorway', ref: 'A 35' } }));
    const n = out.layer('transportation_name');
    assert.equal(n.length, 1);
    assert.equal(n[0].attrs.ref, 'A 35');
    assert.equal(n[0].attrs.ref_length, 4);
    assert.equal(n[0].attrs.class, 'motorway');
  });

  it('wants nothing from an untagged node', () => {
    assert.equal(new OpenMapTilesProfile().wants({}, 'node'), false);
  });

  it('puts a forest in landcover class wood with subclass forest', () => {
    const out = run(fakeArea({ tags: { landuse: 'forest' } }, 0.05));
    const lc = out.layer('landcover');
    assert.equal(lc.length, 1);
    assert.deepEqual(lc[0].attrs, { class: 'wood', subclass: 'forest' });
  });

  it('gives building=yes a building with render_height from z13', () => {
    const out = run(fakeArea({ tags: { building: 'yes', 'building:levels': '3' } }));
    const b = out.layer('building');
    assert.equal(b.length, 1);
    assert.equal(b[0].minzoom, 13);
    assert.equal(b[0].attrs.render_height, 11);
    assert.equal(b[0].attrs.render_min_height, 0);
  });

  it('maps amenity=townhall to poi class town_hall', () => {
    const out = run(fakePoint({ tags: { amenity: 'townhall', name: 'Hôtel de Ville' } }));
    const p = out.layer('poi');
    assert.equal(p.length, 1);
    assert.equal(p[0].attrs.class, 'town_hall');
    assert.equal(p[0].attrs.subclass, 'townhall');
  });
});
