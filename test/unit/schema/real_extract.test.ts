/**
 * The profile on a real extract (Mulhouse centre, all tags). Geometries are
 * stand-ins (the importer builds the real ones); what is checked is that real
 * tags map to the expected layers and attributes without errors.
 */
import { strict as assert } from 'node:assert';
import { osmFile } from '../../helpers/paths.js';
import { openOsmFile } from '../../../src/osm/open_osm_file.js';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { RelationMembership } from '../../../src/schema/profile.js';
import type { OsmTags } from '../../../src/osm/types.js';
import { Collector, fakeArea, fakeLine, fakePoint } from './fake_source.js';

const AREA_KEYS = ['building', 'landuse', 'natural', 'leisure', 'amenity', 'place', 'aeroway', 'shop', 'tourism', 'area'];

async function runExtract(file: string): Promise<{ out: Collector; profile: OpenMapTilesProfile }> {
  const profile = new OpenMapTilesProfile();
  const out = new Collector();
  const reader = await openOsmFile(file);
  const memberships = new Map<number, RelationMembership[]>();
  const ways: Array<{ id: number; tags: OsmTags; closed: boolean }> = [];
  for await (const block of reader.blocks({ threads: 1 })) {
    for (const n of block.taggedNodes) if (profile.wants(n.tags, 'node')) profile.processFeature(fakePoint({ tags: n.tags, id: n.id }), out);
    for (const w of block.ways) ways.push({ id: w.id, tags: w.tags, closed: w.refs.length > 3 && w.refs[0] === w.refs[w.refs.length - 1] });
    for (const r of block.relations) {
      if (!profile.relationTypes.includes(r.tags.type ?? '')) continue;
      for (const m of r.members) {
        if (m.type !== 'way') continue;
        const list = memberships.get(m.ref) ?? [];
        list.push({ relationId: r.id, role: m.role, tags: r.tags });
        memberships.set(m.ref, list);
      }
    }
  }
  for (const w of ways) {
    const rels = memberships.get(w.id) ?? [];
    if (!profile.wants(w.tags, 'way', rels)) continue;
    const area = w.closed && w.tags.highway === undefined && AREA_KEYS.some((k) => w.tags[k] !== undefined);
    profile.processFeature(area ? fakeArea({ tags: w.tags, id: w.id, relations: rels }) : fakeLine({ tags: w.tags, id: w.id, relations: rels }), out);
  }
  return { out, profile };
}

describe('the profile on the Mulhouse extract', function () {
  let result: { out: Collector; profile: OpenMapTilesProfile };
  before(async () => {
    result = await runExtract(osmFile('mulhouse.osm.pbf'));
  });

  it('fills the main layers', () => {
    const count = (l: string): number => result.out.layer(l).length;
    assert.ok(count('building') > 1000, `building ${count('building')}`);
    assert.ok(count('housenumber') > 500, `housenumber ${count('housenumber')}`);
    assert.ok(count('poi') > 50, `poi ${count('poi')}`);
    assert.ok(count('transportation') > 100, `transportation ${count('transportation')}`);
    assert.ok(count('transportation_name') > 100, `transportation_name ${count('transportation_name')}`);
  });

  it('carries the Alsatian street names (name:gsw) into transportation_name', () => {
    const gsw = result.out.layer('transportation_name').filter((f) => typeof f.attrs['name:gsw'] === 'string');
    assert.ok(gsw.length > 10, `${gsw.length}`);
  });

  it('writes only declared attributes with their declared types', () => {
    const specs = new Map(result.profile.layers.map((l) => [l.id, l]));
    const typeOf = (v: unknown): string => (typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : 'Boolean');
    const wrong = new Set<string>();
    for (const f of result.out.features) {
      for (const [k, v] of Object.entries(f.attrs)) if (specs.get(f.layer)?.fields[k] !== typeOf(v)) wrong.add(`${f.layer}.${k}`);
    }
    assert.deepEqual([...wrong], []);
  });
});
