/**
 * Text and icons: street names and road shields, water names, house numbers,
 * POIs, peaks, airports and places (on top, so they win collisions). Fonts are
 * those of our glyph build; icons those of our sprite (Maki + OpenMapTiles
 * aliases + shields), chosen by `match` over the names the sprite has.
 */
import type { Palette } from './palettes.js';
import { SOURCE } from './base_layers.js';
import {
  BILINGUAL_NAME, FONT_BOLD, FONT_ITALIC, FONT_REGULAR, IS_LINE, IS_POINT, NAME, eq, isIn, linear, matchTable, ramp,
  type Json, type Layer,
} from './expressions.js';

export interface LabelOptions {
  /** "Basel / Bâle" place labels at low and mid zooms. */
  bilingual: boolean;
  /** City-plan density: names on every street, house numbers, every POI earlier, bigger icons. */
  print: boolean;
  /** POI icons and labels (the aerial overlay keeps only places, roads and water). */
  pois: boolean;
}

/** Shield background and text colour per `network` (src/schema/route_networks.ts). */
const SHIELDS: Array<{ networks: string[]; icon: string; text: string }> = [
  { networks: ['fr-motorway', 'de-motorway', 'ch-motorway', 'gb-motorway', 'ie-motorway', 'us-interstate'], icon: 'shield-motorway', text: '#ffffff' },
  { networks: ['fr-national', 'ch-national', 'gb-trunk', 'ie-national', 'us-highway', 'ca-transcanada'], icon: 'shield-national', text: '#ffffff' },
  // German Bundesstraßen are signed black on yellow, like French routes départementales.
  { networks: ['de-federal', 'fr-departmental'], icon: 'shield-departmental', text: '#222222' },
  { networks: ['e-road'], icon: 'shield-european', text: '#ffffff' },
];
const MAJOR_NETWORKS = SHIELDS.flatMap((s) => s.networks);

/** Kinds of POI that are street furniture: too many to label on a basemap. */
const CLUTTER = ['bollard', 'bicycle_parking', 'waste_basket', 'gate', 'lift_gate', 'cycle_barrier', 'bench', 'stile',
  'kissing_gate', 'block', 'post_box', 'vending_machine', 'recycling', 'shelter', 'table_tennis'];

/**
 * The POI icon as a plain `match` on subclass, then class, over the names our sprite has (`{value}_11` before
 * `{value}`), else '' (no icon). Not `coalesce` of `image` lookups: those race the sprite in MapLibre / Mapbox GL
 * (a symbol laid out before the image is known keeps the fallback, so church icons went missing in 2 loads of 7).
 */
export function poiIcon(icons: ReadonlySet<string>): Json[] {
  const table: Record<string, string> = {};
  for (const name of [...icons].sort()) {
    if (name.startsWith('shield-') || name.startsWith('road_') || name === 'oneway' || name.endsWith('-11')) continue;
    const value = name.endsWith('_11') ? name.slice(0, -3) : name;
    table[value] = icons.has(`${value}_11`) ? `${value}_11` : value;
  }
  return matchTable(['coalesce', ['get', 'subclass'], ''], table, matchTable(['coalesce', ['get', 'class'], ''], table, ''));
}

function textPaint(p: Palette, colour: string, haloWidth = 1.4): Layer {
  return { 'text-color': colour, 'text-halo-color': p.textHalo, 'text-halo-width': Math.round(haloWidth * p.haloScale * 10) / 10, 'text-halo-blur': 0.3 };
}

function size(p: Palette, stops: Array<[number, number]>): Json[] {
  return ramp(stops.map(([z, s]) => [z, Math.round(s * p.textScale * 10) / 10]), 1.2);
}

function waterLabels(p: Palette): Layer[] {
  return [
    { id: 'waterway-name', type: 'symbol', source: SOURCE, 'source-layer': 'waterway', minzoom: 12, filter: ['all', IS_LINE, ['has', 'name']],
      layout: { 'text-field': NAME, 'text-font': FONT_ITALIC, 'text-size': size(p, [[12, 10], [16, 13], [20, 16]]),
        'symbol-placement': 'line', 'symbol-spacing': 350, 'text-letter-spacing': 0.1, 'text-max-angle': 30 },
      paint: textPaint(p, p.waterText) },
    { id: 'water-name', type: 'symbol', source: SOURCE, 'source-layer': 'water_name', filter: IS_POINT,
      layout: { 'text-field': NAME, 'text-font': FONT_ITALIC, 'text-max-width': 6, 'text-letter-spacing': 0.1,
        'text-size': ['interpolate', ['linear'], ['zoom'],
          0, ['match', ['get', 'class'], ['ocean', 'sea'], 10 * p.textScale, 9 * p.textScale],
          6, ['match', ['get', 'class'], ['ocean', 'sea'], 16 * p.textScale, 10 * p.textScale],
          14, ['match', ['get', 'class'], ['ocean', 'sea'], 16 * p.textScale, 13 * p.textScale],
          20, ['match', ['get', 'class'], ['ocean', 'sea'], 16 * p.textScale, 17 * p.textScale]] },
      paint: textPaint(p, p.waterText) },
  ];
}

function roadLabels(p: Palette, o: LabelOptions): Layer[] {
  const base = { type: 'symbol', source: SOURCE, 'source-layer': 'transportation_name' };
  const layout = (sizes: Array<[number, number]>, spacing: number): Layer => ({
    'text-field': NAME, 'text-font': FONT_REGULAR, 'text-size': size(p, sizes), 'symbol-placement': 'line',
    'symbol-spacing': spacing, 'text-max-angle': 35, 'text-padding': o.print ? 1 : 2, 'text-pitch-alignment': 'viewport',
  });
  const minorClasses = ['minor', 'service', 'track', 'path', 'busway', 'raceway'];
  return [
    { ...base, id: 'road-name-path', minzoom: o.print ? 15 : 16, filter: ['all', IS_LINE, ['has', 'name'], isIn('class', ['track', 'path']), ['!=', ['get', 'subclass'], 'pedestrian']],
      layout: layout([[15, 9], [18, 12], [20, 14]], 250), paint: textPaint(p, p.roadText) },
    { ...base, id: 'road-name-minor', minzoom: o.print ? 13 : 14,
      filter: ['all', IS_LINE, ['has', 'name'], ['any', isIn('class', minorClasses.filter((c) => c !== 'track' && c !== 'path')), eq('subclass', 'pedestrian')]],
      layout: layout(o.print ? [[13, 8.5], [15, 11], [17, 13], [20, 16]] : [[14, 9.5], [16, 11.5], [20, 15]], o.print ? 180 : 280),
      paint: textPaint(p, p.roadText) },
    { ...base, id: 'road-name-major', minzoom: 12, filter: ['all', IS_LINE, ['has', 'name'], ['!', isIn('class', [...minorClasses, 'ferry', 'aerialway'])]],
      layout: layout([[12, 10], [15, 12], [17, 14], [20, 17]], 300), paint: textPaint(p, p.roadText) },
  ];
}

function shields(p: Palette): Layer[] {
  const icon: Json = p.colouredShields
    ? matchTable(['get', 'network'], Object.fromEntries(SHIELDS.flatMap((s) => s.networks.map((n) => [n, s.icon]))), 'shield-default')
    : 'shield-default';
  const colour: Json = p.colouredShields
    ? matchTable(['get', 'network'], Object.fromEntries(SHIELDS.flatMap((s) => s.networks.map((n) => [n, s.text]))), '#333333')
    : p.roadText;
  const layer = (id: string, minzoom: number, networks: Json): Layer => ({
    id, type: 'symbol', source: SOURCE, 'source-layer': 'transportation_name', minzoom,
    filter: ['all', IS_LINE, ['has', 'ref'], ['<=', ['get', 'ref_length'], 8], networks],
    layout: {
      'symbol-placement': 'line', 'symbol-spacing': ramp([[7, 200], [12, 400], [16, 600]], 1), 'text-field': ['get', 'ref'],
      'text-font': FONT_BOLD, 'text-size': size(p, [[7, 9], [14, 10.5], [18, 12]]), 'text-rotation-alignment': 'viewport',
      'icon-image': icon, 'icon-rotation-alignment': 'viewport', 'icon-text-fit': 'both', 'icon-text-fit-padding': [2, 4, 2, 4],
      'text-padding': 8, 'symbol-avoid-edges': true,
    },
    paint: { 'text-color': colour },
  });
  return [
    layer('road-shield-local', 12, ['!', isIn('network', MAJOR_NETWORKS)]),
    layer('road-shield', 6, isIn('network', MAJOR_NETWORKS)),
  ];
}

function oneway(p: Palette): Layer {
  return { id: 'road-oneway', type: 'symbol', source: SOURCE, 'source-layer': 'transportation', minzoom: 16,
    filter: ['all', IS_LINE, eq('oneway', 1), isIn('class', ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'service'])],
    layout: { 'symbol-placement': 'line', 'icon-image': 'oneway', 'symbol-spacing': 120, 'icon-rotation-alignment': 'map',
      'icon-size': ramp([[16, 0.5], [20, 0.9]], 1.2), 'icon-padding': 2, 'icon-allow-overlap': false },
    paint: { 'icon-opacity': linear([[16, 0.5], [18, 0.8]]) } };
}

function housenumbers(p: Palette, o: LabelOptions): Layer {
  return { id: 'housenumber', type: 'symbol', source: SOURCE, 'source-layer': 'housenumber', minzoom: o.print ? 16 : 17,
    layout: { 'text-field': ['get', 'housenumber'], 'text-font': FONT_REGULAR, 'text-size': size(p, [[16, 8.5], [18, 10], [20, 12]]), 'text-padding': 1 },
    paint: textPaint(p, o.print ? p.text : p.poiText, 1) };
}

function pois(p: Palette, o: LabelOptions, icons: ReadonlySet<string>): Layer[] {
  const base = { type: 'symbol', source: SOURCE, 'source-layer': 'poi' };
  const icon = poiIcon(icons);
  const hasIcon: Json[] = ['!=', icon, ''];
  // as OSM Bright: a POI with neither its own icon nor a name draws nothing (no bare placeholder circle)
  const filter = (extra: Json): Json[] => ['all', IS_POINT, ['!', isIn('class', CLUTTER)], ['!', isIn('subclass', CLUTTER)], ['any', ['has', 'name'], hasIcon], extra];
  const layout: Layer = {
    'icon-image': icon, 'icon-size': p.iconScale, 'text-field': NAME, 'text-font': FONT_REGULAR,
    'text-size': size(p, [[14, 10], [18, 12], [20, 13]]), 'text-anchor': ['case', hasIcon, 'top', 'center'],
    'text-offset': ['case', hasIcon, ['literal', [0, 0.8]], ['literal', [0, 0]]], 'text-max-width': 8,
    'text-optional': true, 'icon-padding': 1, 'symbol-sort-key': ['get', 'rank'],
  };
  const paint = { ...textPaint(p, p.poiText, 1.2), 'icon-opacity': p.iconOpacity };
  const cut = o.print ? 20 : 10;
  return [
    { ...base, id: 'poi-minor', minzoom: o.print ? 15 : 16, filter: filter(['>', ['get', 'rank'], cut]), layout, paint },
    { ...base, id: 'poi', minzoom: 14, filter: filter(['<=', ['get', 'rank'], cut]), layout, paint },
    { ...base, id: 'poi-railway', minzoom: 12, filter: ['all', IS_POINT, eq('class', 'railway'), ['has', 'name']],
      layout: { ...layout, 'icon-image': 'rail', 'text-font': FONT_BOLD, 'text-anchor': 'top', 'text-offset': [0, 0.8] }, paint },
  ];
}

function peaksAndAirports(p: Palette): Layer[] {
  return [
    { id: 'mountain-peak', type: 'symbol', source: SOURCE, 'source-layer': 'mountain_peak', minzoom: 11, filter: ['all', IS_POINT, ['has', 'name']],
      layout: { 'icon-image': 'triangle-11', 'icon-size': 0.7, 'text-field': ['case', ['has', 'ele'], ['concat', NAME, '\n', ['to-string', ['get', 'ele']], ' m'], NAME],
        'text-font': FONT_ITALIC, 'text-size': size(p, [[11, 9], [16, 11]]), 'text-anchor': 'top', 'text-offset': [0, 0.6], 'text-optional': true },
      paint: textPaint(p, p.poiText, 1.2) },
    { id: 'airport', type: 'symbol', source: SOURCE, 'source-layer': 'aerodrome_label', minzoom: 9, filter: IS_POINT,
      layout: { 'icon-image': 'airport_11', 'text-field': ['coalesce', ['get', 'iata'], NAME], 'text-font': FONT_REGULAR,
        'text-size': size(p, [[9, 9], [14, 11]]), 'text-anchor': 'top', 'text-offset': [0, 0.8], 'text-optional': true },
      paint: textPaint(p, p.poiText, 1.2) },
  ];
}

function places(p: Palette, o: LabelOptions): Layer[] {
  const base = { type: 'symbol', source: SOURCE, 'source-layer': 'place' };
  // bilingual only where a place still stands for a whole town; from z13 the map is about streets
  const name: Json = o.bilingual ? ['step', ['zoom'], BILINGUAL_NAME, 13, NAME] : NAME;
  const layout = (font: Json, sizes: Array<[number, number]>, extra: Layer = {}): Layer => ({
    'text-field': name, 'text-font': font, 'text-size': size(p, sizes), 'text-max-width': 8, ...extra,
  });
  return [
    { ...base, id: 'place-minor', minzoom: 13, filter: isIn('class', ['hamlet', 'isolated_dwelling', 'locality', 'farm', 'square']),
      layout: layout(FONT_REGULAR, [[13, 9.5], [16, 12], [20, 14]]), paint: textPaint(p, p.placeText) },
    { ...base, id: 'place-suburb', minzoom: 11, maxzoom: 17, filter: isIn('class', ['suburb', 'quarter', 'neighbourhood']),
      layout: layout(FONT_REGULAR, [[11, 9.5], [14, 12], [16, 13]], { 'text-transform': 'uppercase', 'text-letter-spacing': 0.12 }),
      paint: { ...textPaint(p, p.placeText), 'text-opacity': 0.75 } },
    { ...base, id: 'place-village', minzoom: 10, filter: eq('class', 'village'),
      layout: layout(FONT_REGULAR, [[10, 10], [13, 12.5], [16, 15], [20, 18]]), paint: textPaint(p, p.placeText) },
    { ...base, id: 'place-town', minzoom: 7, filter: eq('class', 'town'),
      layout: layout(FONT_BOLD, [[7, 10], [11, 13], [14, 16], [20, 20]]), paint: textPaint(p, p.placeText) },
    { ...base, id: 'place-city', minzoom: 4, filter: eq('class', 'city'),
      layout: layout(FONT_BOLD, [[4, 10], [8, 13], [11, 16], [14, 20], [20, 24]]), paint: textPaint(p, p.placeText) },
    { ...base, id: 'place-state', minzoom: 5, maxzoom: 9, filter: isIn('class', ['state', 'province']),
      layout: layout(FONT_REGULAR, [[5, 10], [8, 12]], { 'text-transform': 'uppercase', 'text-letter-spacing': 0.15 }),
      paint: { ...textPaint(p, p.placeText), 'text-opacity': 0.7 } },
    { ...base, id: 'place-country', maxzoom: 9, filter: eq('class', 'country'),
      // below z4 in title case and tight: at z2 "GERMANY" and "POLAND" in spaced capitals overlap and one of them goes;
      // equal ranks are placed in tile order, which the importer sorts larger countries first
      layout: layout(FONT_BOLD, [[1, 8.5], [4, 12], [7, 15]], {
        'text-transform': ['step', ['zoom'], 'none', 4, 'uppercase'], 'text-letter-spacing': ['step', ['zoom'], 0, 4, 0.1],
        'symbol-sort-key': ['get', 'rank'] }),
      paint: textPaint(p, p.placeText, 1.6) },
  ];
}

/** Every label layer, bottom to top; `icons` are the names of our sprite (see src/styles/sprite_icons.ts). */
export function labelLayers(p: Palette, o: LabelOptions, icons: ReadonlySet<string>): Layer[] {
  // later layers win label collisions: street names and shields over POIs, house numbers last in line
  return [
    housenumbers(p, o),
    oneway(p),
    ...waterLabels(p),
    ...(o.pois ? [...pois(p, o, icons), ...peaksAndAirports(p)] : []),
    ...roadLabels(p, o),
    ...shields(p),
    ...places(p, o),
  ];
}
