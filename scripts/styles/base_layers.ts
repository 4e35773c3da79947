/**
 * The drawn map under the labels: land, water, buildings, roads and
 * boundaries, for every zoom 0–20 (tiles stop at 14; the widths keep growing
 * above so overzoomed streets still look like streets).
 */
import type { Palette } from './palettes.js';
import { IS_LINE, IS_POLYGON, eq, isIn, linear, matchTable, ramp, type Json, type Layer } from './expressions.js';

export const SOURCE = 'openmaptiles';

const ROAD_ZOOMS = [5, 7, 9, 11, 12, 13, 14, 15, 16, 17, 18, 20];
/** Fill widths (px) at ROAD_ZOOMS. */
const ROAD_WIDTHS: Record<string, number[]> = {
  motorway: [0.8, 1.2, 1.8, 2.6, 3.2, 4.5, 6.5, 9, 12, 16, 22, 44],
  trunk: [0.6, 1, 1.6, 2.4, 3, 4.2, 6, 8.5, 11, 15, 21, 42],
  primary: [0.4, 0.8, 1.4, 2.2, 2.8, 4, 5.5, 8, 10.5, 14, 20, 40],
  secondary: [0, 0.5, 1, 1.8, 2.4, 3.4, 5, 7, 9.5, 13, 18, 36],
  tertiary: [0, 0, 0.6, 1.2, 1.8, 2.8, 4, 6, 8.5, 12, 16, 32],
  minor: [0, 0, 0, 0.5, 0.8, 1.6, 3, 4.5, 7, 10, 14, 28],
  pedestrian: [0, 0, 0, 0, 0.5, 1.2, 2.5, 4, 6, 9, 12, 24],
  service: [0, 0, 0, 0, 0, 0.4, 0.8, 1.5, 2.5, 4, 6, 12],
};
/** Casing added on each side at ROAD_ZOOMS: none at small scales, where a casing only thickens the line. */
const CASING = [0, 0, 0, 0.4, 0.5, 0.6, 0.8, 1, 1.1, 1.3, 1.5, 2];
/** Drawing order inside the road layers (line-sort-key: higher on top). */
const ROAD_RANK: Record<string, number> = { service: 1, pedestrian: 2, minor: 3, tertiary: 4, secondary: 5, primary: 6, trunk: 7, motorway: 8 };
const ROAD_KINDS = Object.keys(ROAD_WIDTHS);

/** class, with pedestrian streets (class path, subclass pedestrian) as their own kind; construction as the road. */
const ROAD_KIND: Json[] = [
  'case',
  ['==', ['get', 'subclass'], 'pedestrian'], 'pedestrian',
  matchTable(['get', 'class'], {
    ...Object.fromEntries(['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'service'].map((c) => [`${c}_construction`, c])),
    busway: 'minor', raceway: 'minor',
  }, ['to-string', ['get', 'class']]),
];

function roadWidth(p: Palette, withCasing: boolean): Json[] {
  const stops: Array<[number, Json]> = ROAD_ZOOMS.map((z, i) => {
    const table: Record<string, Json> = {};
    for (const kind of ROAD_KINDS) {
      const w = ROAD_WIDTHS[kind][i] * p.roadScale;
      table[kind] = w <= 0 ? 0 : Math.round((w + (withCasing ? 2 * CASING[i] : 0)) * 100) / 100;
    }
    // links (ramps) are narrower than their road
    return [z, ['*', ['case', ['==', ['get', 'ramp'], 1], 0.65, 1], matchTable(ROAD_KIND, table, 0)]];
  });
  return ramp(stops, 1.4);
}

function roadColour(p: Palette, casing: boolean): Json[] {
  return matchTable(ROAD_KIND, casing
    ? { motorway: p.motorwayCasing, trunk: p.trunkCasing, primary: p.primaryCasing, secondary: p.secondaryCasing, tertiary: p.secondaryCasing, pedestrian: p.minorCasing }
    : { motorway: p.motorway, trunk: p.trunk, primary: p.primary, secondary: p.secondary, tertiary: p.secondary, pedestrian: p.pedestrian },
  casing ? p.minorCasing : p.minor);
}

type Level = 'tunnel' | 'ground' | 'bridge';

function levelFilter(level: Level): Json[] {
  if (level === 'ground') return ['!', isIn('brunnel', ['tunnel', 'bridge'])];
  return eq('brunnel', level);
}

const ROAD_FILTER: Json[] = ['all', IS_LINE, ['match', ROAD_KIND, ROAD_KINDS, true, false]];

/** Casings then fills of every road of one level, ordered by class inside each layer. */
function roads(p: Palette, level: Level): Layer[] {
  const filter = ['all', ROAD_FILTER, levelFilter(level)];
  const sortKey: Json[] = ['+', matchTable(ROAD_KIND, ROAD_RANK, 0), ['case', ['==', ['get', 'ramp'], 1], -0.5, 0]];
  const casing: Layer = {
    id: `road-${level}-casing`, type: 'line', source: SOURCE, 'source-layer': 'transportation', minzoom: 5, filter,
    layout: { 'line-cap': level === 'tunnel' ? 'butt' : 'round', 'line-join': 'round', 'line-sort-key': sortKey },
    paint: { 'line-color': roadColour(p, true), 'line-width': roadWidth(p, true),
      ...(level === 'tunnel' ? { 'line-dasharray': [0.6, 0.4] } : {}) },
  };
  const fill: Layer = {
    id: `road-${level}`, type: 'line', source: SOURCE, 'source-layer': 'transportation', minzoom: 5, filter,
    layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': sortKey },
    paint: { 'line-color': roadColour(p, false), 'line-width': roadWidth(p, false), ...(level === 'tunnel' ? { 'line-opacity': 0.55 } : {}) },
  };
  return [casing, fill];
}

/** Footways, cycleways, steps, tracks: dashed, no casing. */
function paths(p: Palette, level: Level): Layer[] {
  const base = { type: 'line', source: SOURCE, 'source-layer': 'transportation', minzoom: 12 };
  const width = (k: number) => ramp([[12, 0.5 * k], [14, 1 * k], [16, 1.8 * k], [18, 3 * k], [20, 5 * k]], 1.4);
  return [
    { ...base, id: `path-${level}`,
      filter: ['all', IS_LINE, levelFilter(level), eq('class', 'path'), ['!=', ['get', 'subclass'], 'pedestrian']],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.path, 'line-width': width(p.roadScale), 'line-dasharray': [2, 1.2],
        ...(level === 'tunnel' ? { 'line-opacity': 0.5 } : {}) } },
    { ...base, id: `track-${level}`, filter: ['all', IS_LINE, levelFilter(level), eq('class', 'track')],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.track, 'line-width': width(1.3 * p.roadScale), 'line-dasharray': [3, 1.5] } },
  ];
}

function railways(p: Palette, level: Level): Layer[] {
  const base = { type: 'line', source: SOURCE, 'source-layer': 'transportation' };
  const rail = ['all', IS_LINE, levelFilter(level), eq('class', 'rail')];
  const opacity: Layer = level === 'tunnel' ? { 'line-opacity': 0.5 } : {};
  return [
    { ...base, id: `rail-${level}`, minzoom: 8, filter: rail,
      paint: { 'line-color': p.rail, 'line-width': ramp([[8, 0.6], [12, 1.2], [14, 2.5], [17, 4], [20, 7]], 1.4), ...opacity } },
    { ...base, id: `rail-${level}-hatching`, minzoom: 13, filter: rail,
      paint: { 'line-color': p.background, 'line-width': ramp([[13, 0.6], [14, 1.2], [17, 2], [20, 4]], 1.4), 'line-dasharray': [3, 3], ...opacity } },
    { ...base, id: `transit-${level}`, minzoom: 12, filter: ['all', IS_LINE, levelFilter(level), eq('class', 'transit')],
      paint: { 'line-color': p.transit, 'line-width': ramp([[12, 0.6], [14, 1.4], [17, 2.4], [20, 4]], 1.4), ...opacity } },
  ];
}

function land(p: Palette): Layer[] {
  const lc = { type: 'fill', source: SOURCE };
  return [
    { id: 'background', type: 'background', paint: { 'background-color': p.background } },
    { ...lc, id: 'landuse-residential', 'source-layer': 'landuse', filter: isIn('class', ['residential', 'suburb', 'neighbourhood']),
      paint: { 'fill-color': p.residential, 'fill-opacity': linear([[4, 0.5], [10, 0.9], [16, 0.6]]) } },
    { ...lc, id: 'landcover', 'source-layer': 'landcover',
      paint: { 'fill-color': matchTable(['get', 'class'], { wood: p.wood, grass: p.grass, farmland: p.farmland, wetland: p.wetland }, p.grass),
        'fill-opacity': linear([[7, 0.6], [11, 1]]) } },
    { ...lc, id: 'landuse', 'source-layer': 'landuse', minzoom: 10, filter: ['!', isIn('class', ['residential', 'suburb', 'neighbourhood'])],
      paint: { 'fill-color': matchTable(['get', 'class'], {
        industrial: p.industrial, commercial: p.industrial, retail: p.industrial, garages: p.industrial, railway: p.industrial, quarry: p.industrial,
        school: p.institution, university: p.institution, college: p.institution, kindergarten: p.institution, hospital: p.institution, library: p.institution,
        cemetery: p.cemetery, stadium: p.sport, pitch: p.sport, playground: p.sport, theme_park: p.sport, zoo: p.sport,
      }, p.residential) } },
    { ...lc, id: 'park', 'source-layer': 'park', paint: { 'fill-color': p.park, 'fill-opacity': linear([[4, 0.4], [10, 0.5], [14, 0.3]]) } },
    { type: 'line', source: SOURCE, id: 'park-outline', 'source-layer': 'park', minzoom: 9,
      paint: { 'line-color': p.parkOutline, 'line-width': ramp([[9, 0.5], [14, 1.5], [20, 3]]), 'line-dasharray': [3, 2] } },
    { ...lc, id: 'aeroway-area', 'source-layer': 'aeroway', minzoom: 10, filter: IS_POLYGON, paint: { 'fill-color': p.aeroway } },
    { type: 'line', source: SOURCE, id: 'aeroway-line', 'source-layer': 'aeroway', minzoom: 10, filter: IS_LINE,
      paint: { 'line-color': p.aeroway, 'line-width': ramp([[10, 1], [14, 8], [18, 40], [20, 80]], 1.6) } },
  ];
}

function water(p: Palette): Layer[] {
  const ww = { type: 'line', source: SOURCE, 'source-layer': 'waterway' };
  return [
    { ...ww, id: 'waterway-tunnel', minzoom: 12, filter: ['all', IS_LINE, eq('brunnel', 'tunnel')],
      paint: { 'line-color': p.waterway, 'line-width': ramp([[12, 0.5], [14, 1.2], [17, 3], [20, 6]], 1.4), 'line-dasharray': [2, 2], 'line-opacity': 0.7 } },
    { ...ww, id: 'waterway', filter: ['all', IS_LINE, ['!=', ['get', 'brunnel'], 'tunnel']],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': p.waterway, 'line-width': ['interpolate', ['exponential', 1.4], ['zoom'],
        3, ['match', ['get', 'class'], ['river', 'canal'], 0.5, 0],
        8, ['match', ['get', 'class'], ['river', 'canal'], 1, 0],
        12, ['match', ['get', 'class'], ['river', 'canal'], 2, 0.5],
        14, ['match', ['get', 'class'], ['river', 'canal'], 3.5, 1.2],
        17, ['match', ['get', 'class'], ['river', 'canal'], 9, 3],
        20, ['match', ['get', 'class'], ['river', 'canal'], 22, 7]] } },
    { type: 'fill', source: SOURCE, 'source-layer': 'water', id: 'water', filter: ['!=', ['get', 'brunnel'], 'tunnel'],
      paint: { 'fill-color': p.water, 'fill-antialias': true } },
  ];
}

function buildings(p: Palette): Layer[] {
  return [
    { id: 'building', type: 'fill', source: SOURCE, 'source-layer': 'building', minzoom: 13,
      paint: { 'fill-color': p.building, 'fill-opacity': linear([[13, 0.5], [15, 1]]) } },
    { id: 'building-outline', type: 'line', source: SOURCE, 'source-layer': 'building', minzoom: 14,
      paint: { 'line-color': p.buildingOutline, 'line-width': ramp([[14, 0.4], [17, 1], [20, 1.6]]) } },
  ];
}

export function boundaries(p: Palette): Layer[] {
  const base = { type: 'line', source: SOURCE, 'source-layer': 'boundary' };
  const land: Json[] = ['!=', ['get', 'maritime'], 1];
  return [
    { ...base, id: 'boundary-local', minzoom: 9, filter: ['all', land, ['>=', ['get', 'admin_level'], 5], ['<=', ['get', 'admin_level'], 8]],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.boundaryLocal, 'line-width': ramp([[9, 0.6], [14, 1.2], [20, 2.5]]), 'line-dasharray': [2, 1.5] } },
    { ...base, id: 'boundary-state', minzoom: 3, filter: ['all', land, ['match', ['get', 'admin_level'], [3, 4], true, false]],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.boundaryState, 'line-width': ramp([[3, 0.6], [8, 1.2], [14, 2], [20, 3.5]]), 'line-dasharray': [4, 1.5, 1, 1.5] } },
    { ...base, id: 'boundary-country', filter: ['all', land, eq('admin_level', 2)],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': p.boundaryCountry, 'line-width': ramp([[0, 0.6], [4, 1.2], [8, 2], [14, 3.5], [20, 6]]),
        'line-dasharray': ['step', ['zoom'], ['literal', [1, 0]], 6, ['literal', [5, 1.5, 1, 1.5]]] } },
  ];
}

/** Everything but the labels, bottom to top. */
export function baseLayers(p: Palette): Layer[] {
  return [
    ...land(p),
    ...water(p),
    ...paths(p, 'tunnel'), ...roads(p, 'tunnel'), ...railways(p, 'tunnel'),
    ...buildings(p),
    { id: 'ferry', type: 'line', source: SOURCE, 'source-layer': 'transportation', minzoom: 7, filter: ['all', IS_LINE, eq('class', 'ferry')],
      paint: { 'line-color': p.ferry, 'line-width': ramp([[7, 0.6], [14, 1.5], [20, 3]]), 'line-dasharray': [4, 3] } },
    { id: 'pier', type: 'fill', source: SOURCE, 'source-layer': 'transportation', minzoom: 13, filter: ['all', IS_POLYGON, eq('class', 'pier')],
      paint: { 'fill-color': p.background } },
    ...paths(p, 'ground'), ...roads(p, 'ground'), ...railways(p, 'ground'),
    ...paths(p, 'bridge'), ...roads(p, 'bridge'), ...railways(p, 'bridge'),
    ...boundaries(p),
  ];
}
