import { strict as assert } from 'node:assert';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { RelationMembership, SourceFeature } from '../../../src/schema/profile.js';
import { Collector, fakeArea, fakeLine } from './fake_source.js';

function run(f: SourceFeature): Collector {
  const out = new Collector();
  new OpenMapTilesProfile().processFeature(f, out);
  return out;
}
const minZoom = (out: Collector, layer: string): number => Math.min(...out.layer(layer).map((f) => f.minzoom));

describe('transportation layer', () => {
  it('makes a footway a path with subclass footway from z14', () => {
    const out = run(fakeLine({ tags: { highway: 'footway' } }));
    assert.equal(out.at('transportation', 14)?.attrs.class, 'path');
    assert.equal(out.at('transportation', 14)?.attrs.subclass, 'footway');
    assert.equal(minZoom(out, 'transportation'), 14);
  });

  it('shows a named path from z13', () => {
    assert.equal(minZoom(run(fakeLine({ tags: { highway: 'path', name: 'Sentier' } })), 'transportation'), 13);
  });

  it('shows residential streets from z12 and trunks from z5', () => {
    assert.equal(minZoom(run(fakeLine({ tags: { highway: 'residential' } })), 'transportation'), 12);
    assert.equal(minZoom(run(fakeLine({ tags: { highway: 'trunk' } })), 'transportation'), 5);
  });

  it('marks link roads as ramps and keeps them from z9', () => {
    const out = run(fakeLine({ tags: { highway: 'motorway_link' } }));
    assert.equal(minZoom(out, 'transportation'), 9);
    assert.equal(out.at('transportation', 12)?.attrs.ramp, 1);
    assert.equal(out.at('transportation', 12)?.attrs.class, 'motorway');
  });

  it('adds oneway, surface and service only from z12', () => {
    const out = run(fakeLine({ tags: { highway: 'secondary', oneway: 'yes', surface: 'asphalt' } }));
    assert.equal(out.at('transportation', 10)?.attrs.oneway, undefined);
    assert.equal(out.at('transportation', 12)?.attrs.oneway, 1);
    assert.equal(out.at('transportation', 12)?.attrs.surface, 'paved');
  });

  it('covers every zoom from minzoom to 14 exactly once', () => {
    const out = run(fakeLine({ tags: { highway: 'primary', bridge: 'yes', layer: '1', oneway: '-1', toll: 'yes' } }));
    const covered = out.layer('transportation').flatMap((f) => Array.from({ length: f.maxzoom - f.minzoom + 1 }, (_, i) => f.minzoom + i));
    assert.deepEqual(covered.sort((a, b) => a - b), [7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('writes brunnel, layer, toll and a reversed oneway at z14', () => {
    const a = run(fakeLine({ tags: { highway: 'primary', bridge: 'yes', layer: '1', oneway: '-1', toll: 'yes' } })).at('transportation', 14)?.attrs;
    assert.equal(a?.brunnel, 'bridge');
    assert.equal(a?.layer, 1);
    assert.equal(a?.toll, 1);
    assert.equal(a?.oneway, -1);
  });

  it('classes roads under construction with a _construction suffix', () => {
    const out = run(fakeLine({ tags: { highway: 'construction', construction: 'secondary' } }));
    assert.equal(out.at('transportation', 14)?.attrs.class, 'secondary_construction');
  });

  it('classes railways as rail and trams as transit', () => {
    assert.equal(run(fakeLine({ tags: { railway: 'rail', usage: 'main' } })).at('transportation', 8)?.attrs.class, 'rail');
    assert.equal(run(fakeLine({ tags: { railway: 'tram' } })).at('transportation', 14)?.attrs.class, 'transit');
  });

  it('draws a street with tram tracks as both a minor road and a transit line', () => {
    const classes = run(fakeLine({ tags: { highway: 'residential', railway: 'tram' } })).layer('transportation').map((f) => f.attrs.class);
    assert.deepEqual([...new Set(classes)].sort(), ['minor', 'transit']);
  });

  it('keeps pedestrian areas as polygons from z13', () => {
    const out = run(fakeArea({ tags: { highway: 'pedestrian', area: 'yes' } }));
    const t = out.layer('transportation');
    assert.equal(t.length, 1);
    assert.equal(t[0].geometry, 'polygon');
    assert.equal(t[0].minzoom, 13);
  });

  it('draws a closed pier as a pier area, not as a line', () => {
    const pier = fakeArea({ tags: { man_made: 'pier' } });
    const t = run({ ...pier, canBeLine: true }).layer('transportation');
    assert.deepEqual(t.map((f) => [f.geometry, f.attrs.class]), [['polygon', 'pier']]);
  });

  it('maps ferries to class ferry from z4', () => {
    const out = run(fakeLine({ tags: { route: 'ferry', name: 'Bac' } }, 1));
    assert.equal(out.at('transportation', 4)?.attrs.class, 'ferry');
  });
});

describe('transportation_name layer', () => {
  const aRoad: RelationMembership = { relationId: 7, role: '', tags: { type: 'route', route: 'road', network: 'FR:A-road', ref: 'A 35' } };
  const eRoad: RelationMembership = { relationId: 8, role: '', tags: { type: 'route', route: 'road', network: 'e-road', ref: 'E 25' } };

  it('takes ref and network from the national route relation', () => {
    const n = run(fakeLine({ tags: { highway: 'motorway' }, relations: [eRoad, aRoad] })).layer('transportation_name')[0];
    assert.equal(n.attrs.ref, 'A 35');
    assert.equal(n.attrs.network, 'fr-motorway');
  });

  it('lists the route relations as route_1, route_2', () => {
    const a = run(fakeLine({ tags: { highway: 'motorway' }, relations: [eRoad, aRoad] })).layer('transportation_name')[0].attrs;
    assert.equal(a.route_1, 'FR:A-road=A 35');
    assert.equal(a.route_2, 'e-road=E 25');
  });

  it('derives a German federal network from a B ref without relation', () => {
    const n = run(fakeLine({ tags: { highway: 'primary', ref: 'B 34' } })).layer('transportation_name')[0];
    assert.equal(n.attrs.network, 'de-federal');
  });

  it('uses the generic road network for an unknown ref', () => {
    const n = run(fakeLine({ tags: { highway: 'secondary', ref: 'RD 9' } })).layer('transportation_name')[0];
    assert.equal(n.attrs.network, 'road');
  });

  it('never labels a road before it is drawn', () => {
    const out = run(fakeLine({ tags: { highway: 'residential', name: 'Rue du Sauvage' } }));
    assert.ok(minZoom(out, 'transportation_name') >= minZoom(out, 'transportation'));
  });

  it('marks bridges in road labels only from z12', () => {
    const out = run(fakeLine({ tags: { highway: 'motorway', ref: 'A 5', bridge: 'yes' } }));
    assert.equal(out.at('transportation_name', 10)?.attrs.brunnel, undefined);
    assert.equal(out.at('transportation_name', 12)?.attrs.brunnel, 'bridge');
  });

  it('skips unnamed roads without ref', () => {
    assert.equal(run(fakeLine({ tags: { highway: 'residential' } })).layer('transportation_name').length, 0);
  });
});
