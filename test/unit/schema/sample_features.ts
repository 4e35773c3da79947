/** A broad sample of OSM tags and Natural Earth records, to see what the profile can produce. */
import type { SourceFeature } from '../../../src/schema/profile.js';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import { Collector, fakeArea, fakeLine, fakePoint } from './fake_source.js';

// An independent vocabulary of OSM tags, wider than the profile's tables.
export const OSM_VALUES: Record<string, string[]> = {
  highway: ['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link',
    'tertiary', 'tertiary_link', 'unclassified', 'residential', 'living_street', 'road', 'service', 'track', 'path',
    'footway', 'cycleway', 'steps', 'bridleway', 'pedestrian', 'corridor', 'raceway', 'busway', 'bus_guideway', 'bus_stop',
    'construction', 'motorway_junction', 'platform'],
  railway: ['rail', 'narrow_gauge', 'preserved', 'funicular', 'subway', 'light_rail', 'monorail', 'tram', 'station', 'halt',
    'tram_stop', 'subway_entrance', 'abandoned'],
  aerialway: ['cable_car', 'gondola', 'chair_lift', 'drag_lift', 't-bar', 'station'],
  route: ['ferry'],
  man_made: ['pier', 'bridge'],
  waterway: ['river', 'stream', 'canal', 'drain', 'ditch', 'riverbank', 'dock', 'dam'],
  natural: ['water', 'wood', 'wetland', 'scrub', 'heath', 'grassland', 'bare_rock', 'scree', 'sand', 'beach', 'glacier',
    'peak', 'saddle', 'volcano', 'ridge', 'cliff', 'bay', 'fell', 'tundra', 'dune'],
  landuse: ['residential', 'commercial', 'industrial', 'retail', 'railway', 'cemetery', 'military', 'garages', 'forest',
    'farmland', 'farm', 'meadow', 'grass', 'orchard', 'vineyard', 'allotments', 'reservoir', 'basin', 'recreation_ground',
    'village_green', 'plant_nursery', 'brownfield', 'quarry', 'construction'],
  leisure: ['park', 'garden', 'golf_course', 'pitch', 'playground', 'stadium', 'track', 'nature_reserve', 'swimming_pool',
    'sports_centre', 'marina'],
  amenity: ['school', 'university', 'college', 'kindergarten', 'hospital', 'grave_yard', 'library', 'bus_station',
    'townhall', 'restaurant', 'cafe', 'bar', 'pub', 'fast_food', 'pharmacy', 'doctors', 'bank', 'atm', 'post_office',
    'fuel', 'parking', 'place_of_worship', 'police', 'cinema', 'theatre', 'toilets', 'ice_cream', 'marketplace'],
  shop: ['supermarket', 'bakery', 'clothes', 'books', 'convenience', 'butcher', 'hairdresser', 'alcohol', 'car', 'shoes'],
  tourism: ['hotel', 'museum', 'attraction', 'viewpoint', 'zoo', 'theme_park', 'camp_site', 'information', 'artwork'],
  historic: ['castle', 'monument', 'ruins'],
  place: ['continent', 'state', 'province', 'city', 'town', 'village', 'hamlet', 'suburb', 'quarter', 'neighbourhood',
    'isolated_dwelling', 'island', 'sea', 'ocean'],
  aeroway: ['aerodrome', 'runway', 'taxiway', 'apron', 'helipad', 'heliport', 'gate'],
  boundary: ['national_park', 'protected_area'],
  wetland: ['bog', 'marsh', 'swamp', 'reedbed'],
};

function neFeature(table: string, tags: Record<string, string>, kind: 'poly' | 'line'): SourceFeature {
  return kind === 'poly' ? fakeArea({ tags, source: 'naturalearth', table }, 5) : fakeLine({ tags, source: 'naturalearth', table }, 5);
}

/** Runs a fresh profile over the whole sample and returns everything it emitted. */
export function runSample(): Collector {
  const profile = new OpenMapTilesProfile();
  const out = new Collector();
  const feed = (f: SourceFeature): void => profile.processFeature(f, out);
  const rich = { name: 'Test', ref: 'A 1', oneway: 'yes', layer: '1', level: '0', indoor: 'yes', ele: '300', iata: 'XXX',
    aerodrome: 'international', 'building:levels': '2', 'addr:housenumber': '1', surface: 'gravel', bridge: 'yes', intermittent: 'yes' };
  for (const [key, values] of Object.entries(OSM_VALUES)) {
    for (const value of values) {
      // Each value bare (no name, no bridge…) and with many attributes.
      for (const tags of [{ [key]: value }, { [key]: value, ...rich }]) {
        feed(fakePoint({ tags }));
        feed(fakeLine({ tags }, 0.2));
        feed(fakeArea({ tags }, 0.1));
      }
      if (key === 'highway' && value === 'construction') {
        for (const c of OSM_VALUES.highway) feed(fakeLine({ tags: { highway: 'construction', construction: c } }, 0.2));
      }
    }
  }
  // Variants the styles filter on: tunnels, reversed one-ways, intermittent water, country borders, ranked cities.
  const extras: Array<Record<string, string>> = [{ tunnel: 'yes' }, { oneway: '-1' }, { intermittent: 'yes' }, { bridge: 'yes' }];
  const bases: Array<Record<string, string>> = [{ waterway: 'river', name: 'R' }, { waterway: 'stream' }, { railway: 'tram' },
    { railway: 'rail' }, { highway: 'primary' }, { highway: 'motorway' }, { highway: 'footway' }, { highway: 'service' }];
  for (const extra of extras) {
    for (const base of bases) {
      feed(fakeLine({ tags: { ...base, ...extra } }, 0.2));
    }
  }
  for (const level of ['2', '4', '6', '8']) {
    feed(fakeLine({ tags: {}, relations: [{ relationId: 9, role: '', tags: { type: 'boundary', boundary: 'administrative', admin_level: level } }] }));
  }
  feed(fakeLine({ tags: { maritime: 'yes' }, relations: [{ relationId: 10, role: '', tags: { type: 'boundary', boundary: 'administrative', admin_level: '2' } }] }));
  feed(fakePoint({ tags: { name: 'Big', scalerank: '1' }, source: 'naturalearth', table: 'ne_10m_populated_places_simple' }, 2.35, 48.85));
  feed(fakePoint({ tags: { place: 'city', name: 'Big', capital: 'yes' } }, 2.35, 48.85));
  feed(fakePoint({ tags: { place: 'city', name: 'Big', capital: 'yes' } }, 2.35, 48.85));
  feed(fakePoint({ tags: { name: 'Second', scalerank: '2' }, source: 'naturalearth', table: 'ne_10m_populated_places_simple' }, 4.83, 45.76));
  feed(fakePoint({ tags: { place: 'city', name: 'Second' } }, 4.83, 45.76));
  feed(fakeLine({ tags: { disputed: 'yes' }, relations: [{ relationId: 11, role: '', tags: { type: 'boundary', boundary: 'administrative', admin_level: '2' } }] }));
  const interstate = { relationId: 12, role: '', tags: { type: 'route', route: 'road', network: 'US:I', ref: '95' } };
  const usHighway = { relationId: 13, role: '', tags: { type: 'route', route: 'road', network: 'US:US', ref: '1' } };
  feed(fakeLine({ tags: { highway: 'motorway' }, relations: [interstate] }));
  feed(fakeLine({ tags: { highway: 'primary' }, relations: [usHighway] }));
  for (const tunnel of [{ tunnel: 'yes' }, {}] as Array<Record<string, string>>) {
    for (const highway of ['motorway_link', 'trunk_link', 'primary_link', 'secondary', 'tertiary', 'residential', 'trunk']) {
      feed(fakeLine({ tags: { highway, ...tunnel } }, 0.2));
    }
  }
  feed(fakeArea({ tags: { building: 'yes' } }));
  feed(fakeLine({ tags: { railway: 'rail', service: 'yard' } }));
  feed(fakePoint({ tags: { place: 'city', name: 'X', capital: '2' } }));
  feed(fakeArea({ tags: { boundary: 'protected_area', protection_title: 'National Park', name: 'N' } }, 0.5));
  feed(fakeLine({ tags: {}, relations: [{ relationId: 1, role: '', tags: { type: 'boundary', boundary: 'administrative', admin_level: '4' } }] }));
  feed(neFeature('ne_110m_ocean', { featurecla: 'Ocean' }, 'poly'));
  feed(neFeature('ne_50m_admin_0_countries', { NAME: 'France', ISO_A2: '-99', WB_A2: 'FR', LABELRANK: '2', scalerank: '1' }, 'poly'));
  feed(neFeature('ne_50m_admin_0_countries', { NAME: 'Andorra', ISO_A2: 'AD', LABELRANK: '6', scalerank: '3' }, 'poly'));
  feed(neFeature('ne_50m_admin_0_countries', { NAME: 'Austria', ISO_A2: 'AT', LABELRANK: '4', scalerank: '1' }, 'poly'));
  feed(neFeature('ne_10m_admin_0_boundary_lines_land', { featurecla: 'International boundary (verify)', min_zoom: '0', adm0_left: 'A', adm0_right: 'B' }, 'line'));
  return out;
}
