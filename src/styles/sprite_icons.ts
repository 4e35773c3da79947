/**
 * What goes into our sprite: every Maki icon under its Maki name, aliases under
 * the names OpenMapTiles styles ask for (`{class}_11` from the poi layer's
 * classes, `circle-11`, `oneway`), and stretchable road-shield backgrounds.
 */

/** OpenMapTiles poi/aerodrome classes and style names whose Maki icon has another name. */
export const OMT_TO_MAKI: Readonly<Record<string, string>> = {
  railway: 'rail',
  rail_metro: 'rail-metro',
  rail_light: 'rail-light',
  atm: 'bank',
  bicycle_rental: 'bicycle-share',
  ferry_terminal: 'ferry',
  mountain: 'mountain',
  peak: 'mountain',
  grocery: 'grocery',
  supermarket: 'grocery',
  hotel: 'lodging',
  motel: 'lodging',
  hostel: 'lodging',
  guest_house: 'lodging',
  fuel: 'fuel',
  parking: 'parking',
  toilets: 'toilet',
  place_of_worship: 'place-of-worship',
  townhall: 'town-hall',
  theatre: 'theatre',
  water_park: 'swimming',
  sports_centre: 'fitness-centre',
  fitness: 'fitness-centre',
  kindergarten: 'school',
  university: 'college',
  clinic: 'doctor',
  books: 'library',
  convenience: 'convenience',
  bakery: 'bakery',
  marketplace: 'shop',
  information: 'information',
  viewpoint: 'viewpoint',
  stop: 'bus',
  halt: 'rail',
  station: 'rail',
  tram_stop: 'rail-light',
  subway: 'rail-metro',
  circle_stroked: 'circle-stroked',
  triangle_stroked: 'triangle-stroked',
  star_stroked: 'star-stroked',
  oneway: 'arrow',
};

/** OpenMapTiles poi classes served as `{class}_11` (those that map to a Maki name by `_` → `-` need no entry above). */
export const OMT_CLASSES: readonly string[] = [
  'aerialway', 'airfield', 'airport', 'alcohol_shop', 'amusement_park', 'aquarium', 'art_gallery', 'atm', 'attraction',
  'bakery', 'bank', 'bar', 'beer', 'bicycle', 'bicycle_rental', 'books', 'bus', 'cafe', 'campsite', 'car', 'castle',
  'cemetery', 'cinema', 'circle', 'circle_stroked', 'clinic', 'clothing_store', 'college', 'convenience', 'dentist',
  'doctor', 'dog_park', 'drinking_water', 'embassy', 'entrance', 'fast_food', 'ferry_terminal', 'fire_station',
  'fitness', 'fuel', 'garden', 'golf', 'grocery', 'halt', 'harbor', 'heliport', 'hospital', 'hotel', 'ice_cream',
  'information', 'kindergarten', 'laundry', 'library', 'lodging', 'marker', 'marketplace', 'monument', 'mountain',
  'museum', 'music', 'park', 'parking', 'peak', 'pharmacy', 'picnic_site', 'pitch', 'place_of_worship', 'playground',
  'police', 'post', 'prison', 'rail_light', 'rail_metro', 'railway', 'religious_christian', 'religious_jewish',
  'religious_muslim', 'restaurant', 'rocket', 'school', 'shop', 'sports_centre', 'stadium', 'star', 'station', 'stop',
  'subway', 'suitcase', 'supermarket', 'swimming', 'theatre', 'toilet', 'toilets', 'town_hall', 'townhall',
  'tram_stop', 'triangle', 'triangle_stroked', 'university', 'veterinary', 'viewpoint', 'volcano', 'water_park', 'zoo',
];

export interface ShieldSpec {
  name: string;
  fill: string;
  stroke: string;
}

/**
 * Road-shield backgrounds, drawn as rounded rectangles and declared stretchable
 * so `icon-text-fit` grows them around any ref. Colours follow French signage:
 * motorways blue, national roads red, departmental yellow, European green.
 */
export const SHIELDS: readonly ShieldSpec[] = [
  { name: 'shield-motorway', fill: '#2a53a4', stroke: '#ffffff' },
  { name: 'shield-national', fill: '#c8302c', stroke: '#ffffff' },
  { name: 'shield-departmental', fill: '#f3d13c', stroke: '#5b4a00' },
  { name: 'shield-european', fill: '#2e8b45', stroke: '#ffffff' },
  { name: 'shield-default', fill: '#ffffff', stroke: '#7a7a7a' },
];

/** `road_{ref_length}` names of the OpenMapTiles styles, served by the default shield. */
export const ROAD_REF_ALIASES: readonly string[] = ['road_1', 'road_2', 'road_3', 'road_4', 'road_5', 'road_6'];

/** The Maki name an alias resolves to, or undefined when no Maki icon fits. */
export function makiNameFor(omtName: string, makiNames: ReadonlySet<string>): string | undefined {
  const mapped = OMT_TO_MAKI[omtName];
  if (mapped && makiNames.has(mapped)) return mapped;
  const hyphen = omtName.replace(/_/g, '-');
  return makiNames.has(hyphen) ? hyphen : undefined;
}

/** Every alias of the sprite built from these Maki icons, and the Maki icon (or shield) it shows. */
export function spriteAliases(makiNames: ReadonlySet<string>): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const name of makiNames) aliases.set(`${name}-11`, name);
  for (const cls of OMT_CLASSES) {
    const target = makiNameFor(cls, makiNames);
    if (target) aliases.set(`${cls}_11`, target);
  }
  const arrow = makiNameFor('oneway', makiNames);
  if (arrow) aliases.set('oneway', arrow);
  for (const r of ROAD_REF_ALIASES) aliases.set(r, 'shield-default');
  return aliases;
}

/** Every image name of the sprite built from these Maki icons: what a style may ask for. */
export function spriteNames(makiNames: ReadonlySet<string>): Set<string> {
  return new Set([...makiNames, ...SHIELDS.map((s) => s.name), ...spriteAliases(makiNames).keys()]);
}
