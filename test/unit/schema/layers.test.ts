import { strict as assert } from 'node:assert';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { SourceFeature } from '../../../src/schema/profile.js';
import { buildingHeights } from '../../../src/schema/layers/building.js';
import { displayHousenumber } from '../../../src/schema/layers/housenumber.js';
import { lakeLabelMinZoom } from '../../../src/schema/layers/water_name.js';
import { Collector, fakeArea, fakeLine, fakePoint } from './fake_source.js';

function run(f: SourceFeature, profile = new OpenMapTilesProfile()): Collector {
  const out = new Collector();
  profile.processFeature(f, out);
  return out;
}

describe('boundary layer (OSM)', () => {
  const dept = { relationId: 1, role: 'outer', tags: { type: 'boundary', boundary: 'administrative', admin_level: '6' } };
  const country = { relationId: 2, role: 'outer', tags: { type: 'boundary', boundary: 'administrative', admin_level: '2' } };

  it('gives a way the lowest admin_level of its boundary relations', () => {
    const b = run(fakeLine({ tags: {}, relations: [dept, country] })).layer('boundary');
    assert.equal(b.length, 1);
    assert.equal(b[0].attrs.admin_level, 2);
    assert.equal(b[0].minzoom, 5);
  });

  it('shows department boundaries from z9', () => {
    assert.equal(run(fakeLine({ tags: {}, relations: [dept] })).layer('boundary')[0].minzoom, 9);
  });

  it('wants an untagged way only through its boundary membership', () => {
    const p = new OpenMapTilesProfile();
    assert.equal(p.wants({}, 'way'), false);
    assert.equal(p.wants({}, 'way', [dept]), true);
  });

  it('keeps the tags of a border way whose level is only on its relation', () => {
    assert.equal(new OpenMapTilesProfile().wants({ boundary: 'administrative', maritime: 'yes' }, 'way'), true);
  });

  it('draws nothing for a boundary way outside any boundary relation and without admin_level', () => {
    assert.equal(run(fakeLine({ tags: { boundary: 'administrative' } })).layer('boundary').length, 0);
  });

  it('marks maritime boundaries', () => {
    assert.equal(run(fakeLine({ tags: { maritime: 'yes' }, relations: [country] })).layer('boundary')[0].attrs.maritime, 1);
  });
});

describe('place layer', () => {
  it('writes every name field of a bilingual city', () => {
    const a = run(fakePoint({ tags: { place: 'city', name: 'Strasbourg', 'name:fr': 'Strasbourg', 'name:de': 'Straßburg',
      'name:gsw': 'Strossburi', 'name:en': 'Strasbourg' } })).layer('place')[0].attrs;
    assert.equal(a.class, 'city');
    assert.equal(a.name, 'Strasbourg');
    assert.equal(a.name_de, 'Straßburg');
    assert.equal(a['name:de'], 'Straßburg');
    assert.equal(a['name:fr'], 'Strasbourg');
    assert.equal(a['name:gsw'], 'Strossburi');
    assert.equal(a['name:latin'], 'Strasbourg');
    assert.equal(a.name_int, 'Strasbourg');
  });

  it('ranks a city by the Natural Earth place of the same name nearby', () => {
    const profile = new OpenMapTilesProfile();
    run(fakePoint({ tags: { name: 'Strasbourg', scalerank: '4' }, source: 'naturalearth', table: 'ne_10m_populated_places_simple' }, 7.75, 48.58), profile);
    const f = run(fakePoint({ tags: { place: 'city', name: 'Strasbourg' } }, 7.7521, 48.5734), profile).layer('place')[0];
    assert.equal(f.attrs.rank, 5);
    assert.equal(f.minzoom, 4);
  });

  it('shows villages from z8 and hamlets from z11 without Natural Earth', () => {
    assert.equal(run(fakePoint({ tags: { place: 'village', name: 'V' } })).layer('place')[0].minzoom, 8);
    assert.equal(run(fakePoint({ tags: { place: 'hamlet', name: 'H' } })).layer('place')[0].minzoom, 11);
  });

  it('thins unranked places to 4 per 128 px cell at z8 and not at all at z14', () => {
    const out = run(fakePoint({ tags: { place: 'village', name: 'V' } }));
    assert.deepEqual(out.at('place', 8)?.labelGrid, { sizePx: 128, limit: 4, rankAttr: 'rank', rankOffset: 10 });
    assert.equal(out.at('place', 14)?.labelGrid?.limit, 1000);
  });

  it('marks national capitals with capital=2', () => {
    assert.equal(run(fakePoint({ tags: { place: 'city', name: 'Paris', capital: 'yes' } })).layer('place')[0].attrs.capital, 2);
  });
});

describe('building layer', () => {
  it('computes heights from height and min_height in metres', () => {
    assert.deepEqual(buildingHeights({ height: '12.4 m', min_height: '3' }), { height: 13, minHeight: 3 });
  });

  it('defaults to 5 m without height or levels', () => {
    assert.deepEqual(buildingHeights({ building: 'yes' }), { height: 5, minHeight: 0 });
  });

  it('takes the colour from building:material when no colour is given', () => {
    assert.equal(run(fakeArea({ tags: { building: 'yes', 'building:material': 'brick' } })).at('building', 14)?.attrs.colour, '#bd8161');
  });

  it('hides in 3D an outline that has building parts', () => {
    const rel = { relationId: 3, role: 'outline', tags: { type: 'building' } };
    assert.equal(run(fakeArea({ tags: { building: 'church' }, relations: [rel] })).at('building', 14)?.attrs.hide_3d, true);
  });

  it('writes only the footprint at z13 so that blocks can merge', () => {
    assert.deepEqual(run(fakeArea({ tags: { building: 'yes', height: '20' } })).at('building', 13)?.attrs, {});
  });

  it('drops buildings with implausible heights', () => {
    assert.equal(run(fakeArea({ tags: { building: 'yes', height: '5000' } })).layer('building').length, 0);
  });

  it('skips underground buildings', () => {
    assert.equal(run(fakeArea({ tags: { building: 'yes', location: 'underground' } })).layer('building').length, 0);
  });
});

describe('water, waterway, landuse, park', () => {
  it('classes a riverbank area as water class river', () => {
    assert.equal(run(fakeArea({ tags: { natural: 'water', water: 'river' } }, 0.01)).layer('water')[0].attrs.class, 'river');
  });

  it('marks intermittent lakes', () => {
    assert.equal(run(fakeArea({ tags: { natural: 'water', intermittent: 'yes' } }, 0.01)).layer('water')[0].attrs.intermittent, 1);
  });

  it('labels a named lake in water_name', () => {
    const w = run(fakeArea({ tags: { natural: 'water', name: 'Lac Blanc' } }, 0.01)).layer('water_name');
    assert.equal(w[0].attrs.class, 'lake');
    assert.equal(w[0].geometry, 'labelPoint');
  });

  it('labels a lake once it is half a tile across', () => {
    // A lake 1/1024 of the world wide is 128 px wide at z9.
    assert.equal(lakeLabelMinZoom((1 / 1024) ** 2), 9);
    assert.equal(lakeLabelMinZoom(1e-30), 14);
  });

  it('shows named rivers from z9 and streams from z13', () => {
    assert.equal(run(fakeLine({ tags: { waterway: 'river', name: 'Ill' } })).layer('waterway')[0].minzoom, 9);
    assert.equal(run(fakeLine({ tags: { waterway: 'stream' } })).layer('waterway')[0].minzoom, 13);
  });

  it('maps amenity=grave_yard to landuse cemetery', () => {
    assert.equal(run(fakeArea({ tags: { amenity: 'grave_yard' } }, 0.01)).layer('landuse')[0].attrs.class, 'cemetery');
  });

  it('shows large residential areas earlier than small ones, never before z6', () => {
    const big = run(fakeArea({ tags: { landuse: 'residential' } }, 0.5)).layer('landuse')[0].minzoom;
    const small = run(fakeArea({ tags: { landuse: 'residential' } }, 0.001)).layer('landuse')[0].minzoom;
    assert.equal(big, 6);
    assert.ok(small > big);
  });

  it('classes a park by its protection_title and labels it', () => {
    const out = run(fakeArea({ tags: { boundary: 'protected_area', protection_title: 'Parc naturel régional', name: 'Ballons des Vosges' } }, 0.5));
    assert.equal(out.layer('park').find((f) => f.geometry === 'polygon' && f.minzoom <= 10 && f.maxzoom >= 10)?.attrs.class, 'parc_naturel_régional');
    assert.equal(out.layer('park').find((f) => f.geometry === 'labelPoint')?.attrs.name, 'Ballons des Vosges');
  });

  it('leaves park outlines without class at z4 so that they merge', () => {
    const out = run(fakeArea({ tags: { boundary: 'national_park', name: 'N' } }, 3));
    assert.deepEqual(out.layer('park').find((f) => f.minzoom === 4)?.attrs, {});
  });

  it('labels a large park earlier than a small one', () => {
    const big = run(fakeArea({ tags: { leisure: 'nature_reserve', name: 'B' } }, 0.3)).layer('park').find((f) => f.geometry === 'labelPoint');
    const small = run(fakeArea({ tags: { leisure: 'nature_reserve', name: 'S' } }, 0.003)).layer('park').find((f) => f.geometry === 'labelPoint');
    assert.ok((big?.minzoom ?? 99) < (small?.minzoom ?? 0));
  });
});

describe('poi, housenumber, peaks, aerodromes', () => {
  it('refines place_of_worship to its religion', () => {
    const a = run(fakePoint({ tags: { amenity: 'place_of_worship', religion: 'christian', name: 'Temple Saint-Étienne' } })).layer('poi')[0].attrs;
    assert.equal(a.class, 'place_of_worship');
    assert.equal(a.subclass, 'christian');
  });

  it('shows railway stations from z12 as class railway', () => {
    const p = run(fakePoint({ tags: { railway: 'station', name: 'Mulhouse-Ville' } })).layer('poi')[0];
    assert.equal(p.attrs.class, 'railway');
    assert.equal(p.minzoom, 12);
  });

  it('ranks a named hospital before an unnamed bar', () => {
    const h = run(fakePoint({ tags: { amenity: 'hospital', name: 'H' } })).layer('poi')[0];
    const b = run(fakePoint({ tags: { amenity: 'bar' } })).layer('poi')[0];
    assert.ok((h.sortKey ?? 0) < (b.sortKey ?? 0));
    assert.ok((h.attrs.rank as number) < (b.attrs.rank as number));
  });

  it('writes OpenMapTiles feature ids (osm id × 10 + type)', () => {
    assert.equal(run(fakePoint({ tags: { amenity: 'cafe' }, id: 123 })).layer('poi')[0].id, 1231);
  });

  it('puts house numbers of buildings inside the building at z14', () => {
    const h = run(fakeArea({ tags: { building: 'yes', 'addr:housenumber': '12a' } })).layer('housenumber');
    assert.deepEqual([h[0].geometry, h[0].minzoom, h[0].attrs.housenumber], ['pointOnSurface', 14, '12a']);
  });

  it('shows a list of house numbers as a range', () => {
    assert.equal(displayHousenumber('7;3;5'), '3–7');
    assert.equal(displayHousenumber('3a;5'), '3a–5');
    assert.equal(displayHousenumber('12'), '12');
  });

  it('leaves out peaks without an elevation', () => {
    assert.equal(run(fakePoint({ tags: { natural: 'peak', name: 'Sans altitude' } })).layer('mountain_peak').length, 0);
  });

  it('keeps five peaks per 100 px cell below z14', () => {
    const out = run(fakePoint({ tags: { natural: 'peak', ele: '900' } }));
    assert.equal(out.at('mountain_peak', 10)?.labelGrid?.limit, 5);
    assert.equal(out.at('mountain_peak', 14)?.labelGrid?.limit, 1000);
  });

  it('gives peaks their elevation in metres and feet', () => {
    const a = run(fakePoint({ tags: { natural: 'peak', name: 'Grand Ballon', ele: '1424' } })).layer('mountain_peak')[0].attrs;
    assert.equal(a.ele, 1424);
    assert.equal(a.ele_ft, 4672);
  });

  it('labels an aerodrome with IATA code from z8', () => {
    const f = run(fakeArea({ tags: { aeroway: 'aerodrome', name: 'EuroAirport', iata: 'MLH', icao: 'LFSB', aerodrome: 'international' } }, 0.03))
      .layer('aerodrome_label')[0];
    assert.equal(f.minzoom, 8);
    assert.equal(f.attrs.class, 'international');
    assert.equal(f.attrs.icao, 'LFSB');
  });

  it('draws the aerodrome area in aeroway', () => {
    assert.equal(run(fakeArea({ tags: { aeroway: 'aerodrome' } }, 0.03)).layer('aeroway')[0].attrs.class, 'aerodrome');
  });
});
