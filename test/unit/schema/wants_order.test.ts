import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { OpenMapTilesProfile, wantsOrder } from '../../../src/schema/openmaptiles_profile.js';
import type { OmtLayer, OsmType } from '../../../src/schema/omt_layer.js';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import type { OsmTags } from '../../../src/osm/types.js';
import { osmFile } from '../../helpers/paths.js';

const layersOf = (p: OpenMapTilesProfile): OmtLayer[] => (p as unknown as { impl: OmtLayer[] }).impl;

/** What `wants` answered before it asked layers in its own order: any layer, in schema order. */
function wantsInSchemaOrder(p: OpenMapTilesProfile, tags: OsmTags, type: OsmType): boolean {
  return layersOf(p).some((l) => l.wantsOsm(tags, type));
}

/** Counts the layer tests `wants` makes. */
function countingProfile(): { profile: OpenMapTilesProfile; calls: () => number } {
  const profile = new OpenMapTilesProfile();
  let n = 0;
  for (const l of layersOf(profile)) {
    const own = l.wantsOsm.bind(l);
    l.wantsOsm = (...args) => { n++; return own(...args); };
  }
  return { profile, calls: () => n };
}

describe('OpenMapTilesProfile.wants order', () => {
  it('puts the named layers first, then the others in schema order, each once', () => {
    const ls = ['a', 'b', 'c', 'd'].map((id) => ({ spec: { id } }));
    assert.deepEqual(wantsOrder(ls, ['c', 'x', 'a']).map((l) => l.spec.id), ['c', 'a', 'b', 'd']);
  });

  it('answers a building way after one layer test', () => {
    const { profile, calls } = countingProfile();
    assert.equal(profile.wants({ building: 'yes' }, 'way'), true);
    assert.equal(calls(), 1);
  });

  it('answers a housenumber node after one layer test', () => {
    const { profile, calls } = countingProfile();
    assert.equal(profile.wants({ 'addr:housenumber': '3', 'addr:street': 'Rue' }, 'node'), true);
    assert.equal(calls(), 1);
  });

  it('answers as asking every layer in schema order would, on fuzzed tag sets', () => {
    const p = new OpenMapTilesProfile();
    const keys = ['building', 'highway', 'railway', 'landuse', 'natural', 'waterway', 'water', 'leisure', 'amenity', 'shop',
      'tourism', 'place', 'name', 'addr:housenumber', 'aeroway', 'area:aeroway', 'boundary', 'admin_level', 'maritime',
      'covered', 'type', 'man_made', 'route', 'aerialway', 'public_transport', 'wetland', 'barrier', 'sport', 'historic',
      'disputed', 'boundary_type', 'building:part', 'iata', 'station', 'office', 'landcover'];
    const values = ['yes', 'no', 'water', 'wood', 'forest', 'residential', 'primary', 'river', 'riverbank', 'dock', 'coastline',
      'administrative', 'peak', 'ridge', 'city', 'island', 'multipolygon', 'boundary', 'aerodrome', 'gate', 'runway', 'park',
      'swimming_pool', 'reservoir', 'basin', 'bus_stop', 'ferry', 'pier', 'bridge', 'platform', 'grass', 'sand', 'cafe', 'x'];
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let i = 0; i < 20000; i++) {
      const tags: OsmTags = {};
      for (let k = 1 + rnd(4); k > 0; k--) tags[keys[rnd(keys.length)]] = values[rnd(values.length)];
      for (const type of ['node', 'way', 'relation'] as const) {
        assert.equal(p.wants(tags, type), wantsInSchemaOrder(p, tags, type), `${type} ${JSON.stringify(tags)}`);
      }
    }
  });

  it('answers as asking every layer in schema order would, on every tagged object of the shared extracts', async function () {
    this.timeout(60_000);
    const files = ['mulhouse', 'wehr', 'schopfheim'].map((n) => osmFile(`${n}.osm.pbf`)).filter((f) => fs.existsSync(f));
    if (files.length === 0) this.skip();
    const p = new OpenMapTilesProfile();
    let n = 0;
    for (const f of files) {
      for await (const b of new PbfReader(f).blocks({ threads: 1 })) {
        const objects: [OsmTags, OsmType][] = [...b.taggedNodes.map((o) => [o.tags, 'node'] as [OsmTags, OsmType]),
          ...b.ways.map((o) => [o.tags, 'way'] as [OsmTags, OsmType]), ...b.relations.map((o) => [o.tags, 'relation'] as [OsmTags, OsmType])];
        for (const [tags, type] of objects) {
          assert.equal(p.wants(tags, type), wantsInSchemaOrder(p, tags, type), `${type} ${JSON.stringify(tags)}`);
          n++;
        }
      }
    }
    assert.ok(n > 1000);
  });
});
