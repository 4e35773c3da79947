/**
 * Border attributes through the whole import (OSM XML written by each test →
 * tiles): what the member ways say and what their relations say both reach the
 * boundary layer, as OpenMapTiles defines disputed, claimed_by, disputed_name
 * and maritime.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lonLatToTile } from '../../../src/core/tile_math.js';
import { importOsm, readLayer, type DecodedFeature } from '../../helpers/import_fixture.js';
import { writeOsmXml, type Tags, type XmlRelation } from '../../helpers/osm_xml.js';
import { tempDir } from '../../helpers/paths.js';

// A square country, 0.1° a side, drawn by four ways: south (10), east (11), north (12), west (13).
const W = 7.0, S = 47.0, E = 7.1, N = 47.1;
const SIDES = { south: 10, east: 11, north: 12, west: 13 } as const;
type Side = keyof typeof SIDES;
const MIDPOINTS: Record<Side, [number, number]> = {
  south: [(W + E) / 2, S], east: [E, (S + N) / 2], north: [(W + E) / 2, N], west: [W, (S + N) / 2],
};

interface Case { wayTags?: Partial<Record<Side, Tags>>; relations: XmlRelation[] }

function country(tags: Tags = {}, id = 100): XmlRelation {
  return {
    id, tags: { type: 'boundary', boundary: 'administrative', admin_level: '2', name: 'Squareland', ...tags },
    members: Object.values(SIDES).map((ref) => ({ type: 'way' as const, ref, role: 'outer' })),
  };
}

describe('boundary attributes from member ways and relations (import of hand-written OSM)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Imports the case and returns the boundary features of the z14 tile at the middle of each side. */
  async function bordersOf(c: Case): Promise<Record<Side, DecodedFeature[]>> {
    const nodes = [
      { id: 1, lon: W, lat: S }, { id: 2, lon: E, lat: S }, { id: 3, lon: E, lat: N }, { id: 4, lon: W, lat: N },
    ];
    const ways = [
      { id: SIDES.south, refs: [1, 2], tags: c.wayTags?.south }, { id: SIDES.east, refs: [2, 3], tags: c.wayTags?.east },
      { id: SIDES.north, refs: [3, 4], tags: c.wayTags?.north }, { id: SIDES.west, refs: [4, 1], tags: c.wayTags?.west },
    ];
    const input = writeOsmXml(path.join(dir, 'borders.osm'), { nodes, ways, relations: c.relations });
    const out = path.join(dir, 'borders.mbtiles');
    await importOsm(input, out, { minzoom: 14, maxzoom: 14 });
    const result = {} as Record<Side, DecodedFeature[]>;
    for (const side of Object.keys(SIDES) as Side[]) {
      const t = lonLatToTile(MIDPOINTS[side][0], MIDPOINTS[side][1], 14);
      result[side] = readLayer(out, 14, t.x, t.y, 'boundary');
    }
    return result;
  }

  function only(features: DecodedFeature[]): DecodedFeature['properties'] {
    assert.equal(features.length, 1, JSON.stringify(features.map((f) => f.properties)));
    return features[0].properties;
  }

  it('marks disputed a member way tagged disputed=yes whose own tags say nothing else', async () => {
    const b = await bordersOf({ wayTags: { east: { disputed: 'yes' } }, relations: [country()] });
    assert.equal(only(b.east).disputed, 1);
    assert.equal(only(b.south).disputed, 0);
    assert.equal(only(b.east).admin_level, 2);
  });

  it('marks disputed a member way tagged boundary=disputed, with its name as disputed_name (no blanks)', async () => {
    const b = await bordersOf({ wayTags: { north: { boundary: 'disputed', name: 'Extent of North Claim' } }, relations: [country()] });
    const p = only(b.north);
    assert.equal(p.disputed, 1);
    assert.equal(p.disputed_name, 'NorthClaim');
    assert.equal(only(b.west).disputed_name, undefined);
  });

  it('takes disputed from the other markers of a way (dispute, border_status, disputed_by, claimed_by)', async () => {
    const b = await bordersOf({
      wayTags: { south: { dispute: 'yes' }, east: { border_status: 'dispute' }, north: { disputed_by: 'XA' }, west: { claimed_by: 'XB' } },
      relations: [country()],
    });
    for (const side of Object.keys(SIDES) as Side[]) assert.equal(only(b[side]).disputed, 1, side);
    assert.equal(only(b.west).claimed_by, 'XB');
  });

  it('takes disputed, claimed_by and disputed_name from a disputed relation the way also belongs to', async () => {
    const claim: XmlRelation = {
      id: 200, tags: { type: 'boundary', boundary: 'disputed', claimed_by: 'XC', name: 'Western Claim' },
      members: [{ type: 'way', ref: SIDES.west, role: 'outer' }],
    };
    const b = await bordersOf({ relations: [country(), claim] });
    const p = only(b.west);
    assert.equal(p.disputed, 1);
    assert.equal(p.claimed_by, 'XC');
    assert.equal(p.disputed_name, 'WesternClaim');
    assert.equal(only(b.east).disputed, 0);
    assert.equal(only(b.east).claimed_by, undefined);
  });

  it('marks every way of a country relation tagged disputed, and nothing of an undisputed one', async () => {
    const disputed = await bordersOf({ relations: [country({ disputed: 'yes', claimed_by: 'XD' })] });
    for (const side of Object.keys(SIDES) as Side[]) {
      assert.equal(only(disputed[side]).disputed, 1, side);
      assert.equal(only(disputed[side]).claimed_by, 'XD', side);
    }
    const plain = await bordersOf({ relations: [country()] });
    for (const side of Object.keys(SIDES) as Side[]) assert.deepEqual({ ...only(plain[side]) }, { admin_level: 2, disputed: 0, maritime: 0 }, side);
  });

  it('marks maritime a member way tagged maritime=yes or natural=coastline, not its neighbours', async () => {
    const b = await bordersOf({ wayTags: { south: { maritime: 'yes' }, east: { natural: 'coastline' } }, relations: [country()] });
    assert.equal(only(b.south).maritime, 1);
    assert.equal(only(b.east).maritime, 1);
    assert.equal(only(b.north).maritime, 0);
  });

  it('gives a way shared by a country and a state the country level and the dispute of either', async () => {
    const state: XmlRelation = {
      id: 300, tags: { type: 'boundary', boundary: 'administrative', admin_level: '4', disputed: 'yes' },
      members: [{ type: 'way', ref: SIDES.south, role: 'outer' }],
    };
    const b = await bordersOf({ relations: [country(), state] });
    assert.equal(only(b.south).admin_level, 2);
    assert.equal(only(b.south).disputed, 1);
  });
});

describe('adm0_l / adm0_r: the countries on each side of a border (import of hand-written OSM)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Two countries side by side: AAA west of 7.1°E, BBB east of it; way 20 is their common border.
  const nodes = [
    { id: 1, lon: 7.0, lat: 47.0 }, { id: 2, lon: 7.1, lat: 47.0 }, { id: 3, lon: 7.2, lat: 47.0 },
    { id: 4, lon: 7.2, lat: 47.1 }, { id: 5, lon: 7.1, lat: 47.1 }, { id: 6, lon: 7.0, lat: 47.1 },
  ];
  const countryOf = (id: number, code: string, ways: number[], tags: Tags = {}): XmlRelation => ({
    id, tags: { type: 'boundary', boundary: 'administrative', admin_level: '2', 'ISO3166-1:alpha3': code, ...tags },
    members: ways.map((ref) => ({ type: 'way' as const, ref, role: 'outer' })),
  });

  async function borderProps(border: number[], opts: { borderTags?: Tags; relations?: XmlRelation[]; zoom?: number } = {}): Promise<{ border: DecodedFeature['properties']; west: DecodedFeature['properties'][] }> {
    const ways = [
      { id: 20, refs: border, tags: opts.borderTags }, { id: 21, refs: [5, 6, 1, 2] }, { id: 22, refs: [2, 3, 4, 5] },
    ];
    const relations = opts.relations ?? [countryOf(100, 'AAA', [20, 21]), countryOf(101, 'BBB', [20, 22])];
    const input = writeOsmXml(path.join(dir, 'countries.osm'), { nodes, ways, relations });
    const out = path.join(dir, 'countries.mbtiles');
    const z = opts.zoom ?? 14;
    const summary = await importOsm(input, out, { minzoom: z, maxzoom: z });
    assert.deepEqual(summary.dataErrors, {});
    const mid = lonLatToTile(7.1, 47.05, z);
    const west = lonLatToTile(7.0, 47.05, z);
    const b = readLayer(out, z, mid.x, mid.y, 'boundary');
    assert.equal(b.length, 1, JSON.stringify(b.map((f) => f.properties)));
    return { border: { ...b[0].properties }, west: readLayer(out, z, west.x, west.y, 'boundary').map((f) => ({ ...f.properties })) };
  }

  it('names the country left and right of a border drawn northwards', async () => {
    const { border } = await borderProps([2, 5]);
    assert.equal(border.adm0_l, 'AAA');
    assert.equal(border.adm0_r, 'BBB');
  });

  it('swaps them for the same border drawn southwards', async () => {
    const { border } = await borderProps([5, 2]);
    assert.equal(border.adm0_l, 'BBB');
    assert.equal(border.adm0_r, 'AAA');
  });

  it('names only the country inside for a border with nothing beyond it', async () => {
    const { west } = await borderProps([2, 5]);
    assert.equal(west.length, 1);
    // way 21 runs west along the north edge, then south: AAA is on its left
    assert.equal(west[0].adm0_l, 'AAA');
    assert.equal(west[0].adm0_r, undefined);
  });

  it('names no country on a disputed border', async () => {
    const { border } = await borderProps([2, 5], { borderTags: { disputed: 'yes' } });
    assert.equal(border.disputed, 1);
    assert.equal(border.adm0_l, undefined);
    assert.equal(border.adm0_r, undefined);
  });

  it('names no country whose relation has no ISO code', async () => {
    const relations = [countryOf(100, 'AAA', [20, 21]), { ...countryOf(101, 'BBB', [20, 22]), tags: { type: 'boundary', boundary: 'administrative', admin_level: '2' } }];
    const { border } = await borderProps([2, 5], { relations });
    assert.equal(border.adm0_l, 'AAA');
    assert.equal(border.adm0_r, undefined);
  });

  it('names no country whose outline the extract cuts open, and counts no data error for it', async () => {
    const relations = [countryOf(100, 'AAA', [20, 99]), countryOf(101, 'BBB', [20, 22])];
    const { border } = await borderProps([2, 5], { relations });
    assert.equal(border.adm0_l, undefined);
    assert.equal(border.adm0_r, 'BBB');
  });
});
