import { strict as assert } from 'node:assert';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { SourceFeature } from '../../../src/schema/profile.js';
import { Collector, fakeArea, fakeLine, fakePoint } from './fake_source.js';
import { runSample } from './sample_features.js';

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
    assert.equal(Math.min(...out.layer('building').map((f) => f.minzoom)), 13);
    assert.equal(out.at('building', 14)?.attrs.render_height, 11);
    assert.equal(out.at('building', 14)?.attrs.render_min_height, 0);
  });

  it('maps amenity=townhall to poi class town_hall', () => {
    const out = run(fakePoint({ tags: { amenity: 'townhall', name: 'Hôtel de Ville' } }));
    const p = out.layer('poi');
    assert.equal(p.length, 1);
    assert.equal(p[0].attrs.class, 'town_hall');
    assert.equal(p[0].attrs.subclass, 'townhall');
  });
});

describe('OpenMapTilesProfile layer specs', () => {
  const profile = new OpenMapTilesProfile();
  const specs = new Map(profile.layers.map((l) => [l.id, l]));

  it('uses the OpenMapTiles buffers', () => {
    const buffers = Object.fromEntries(profile.layers.map((l) => [l.id, l.buffer]));
    assert.deepEqual(buffers, { water: 4, waterway: 4, landcover: 4, landuse: 4, mountain_peak: 64, park: 4, boundary: 4,
      aeroway: 4, transportation: 4, building: 4, water_name: 256, transportation_name: 8, place: 256, housenumber: 8,
      poi: 64, aerodrome_label: 64 });
  });

  it('declares every attribute the layers write, with its type', () => {
    const wrong = new Set<string>();
    const typeOf = (v: unknown): string => (typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : 'Boolean');
    for (const f of runSample().features) {
      for (const [k, v] of Object.entries(f.attrs)) {
        if (specs.get(f.layer)?.fields[k] !== typeOf(v)) wrong.add(`${f.layer}.${k}:${typeOf(v)}`);
      }
    }
    assert.deepEqual([...wrong], []);
  });

  it('keeps every feature inside its layer zoom range', () => {
    const outside = runSample().features.filter((f) => {
      const s = specs.get(f.layer);
      return s === undefined || f.minzoom < s.minzoom || f.maxzoom > s.maxzoom || f.minzoom > f.maxzoom;
    });
    assert.deepEqual(outside.map((f) => `${f.layer} ${f.minzoom}-${f.maxzoom}`), []);
  });

  it('declares name fields for the regional languages on label layers', () => {
    for (const id of ['place', 'poi', 'transportation_name', 'water_name']) {
      for (const f of ['name', 'name_en', 'name_de', 'name_int', 'name:latin', 'name:nonlatin', 'name:fr', 'name:gsw', 'name:als', 'name:lb']) {
        assert.equal(specs.get(id)?.fields[f], 'String', `${id}.${f}`);
      }
    }
  });
});
