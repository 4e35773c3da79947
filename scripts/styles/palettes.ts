/**
 * The colours and a few weights of each of our styles. The layer builders
 * (base_layers.ts, label_layers.ts) read only these, so a new look is a new
 * palette, not a new copy of the layers.
 */

export interface Palette {
  background: string;
  residential: string;
  industrial: string;
  /** Schools, hospitals, kindergartens, universities. */
  institution: string;
  cemetery: string;
  sport: string;
  wood: string;
  grass: string;
  farmland: string;
  wetland: string;
  park: string;
  parkOutline: string;
  water: string;
  waterway: string;
  building: string;
  buildingOutline: string;
  aeroway: string;
  motorway: string;
  motorwayCasing: string;
  trunk: string;
  trunkCasing: string;
  primary: string;
  primaryCasing: string;
  secondary: string;
  secondaryCasing: string;
  minor: string;
  minorCasing: string;
  /** Pedestrian streets (class path, subclass pedestrian): drawn as streets, not as paths. */
  pedestrian: string;
  path: string;
  track: string;
  rail: string;
  transit: string;
  ferry: string;
  boundaryCountry: string;
  boundaryState: string;
  boundaryLocal: string;
  text: string;
  textHalo: string;
  placeText: string;
  roadText: string;
  waterText: string;
  poiText: string;
  /** Icons of the sprite are dark on transparent; print enlarges them. */
  iconScale: number;
  iconOpacity: number;
  /** Road shields in their signage colours (blue, red, yellow, green), or all plain white. */
  colouredShields: boolean;
  /** Multiplies road widths (print draws streets wider so their names fit inside). */
  roadScale: number;
  /** Multiplies every text size. */
  textScale: number;
  /** Multiplies halo widths (labels over aerial photos need a wider one). */
  haloScale: number;
}

export const BRIGHT: Palette = {
  background: '#f6f3ee',
  residential: '#ece7e1',
  industrial: '#eadde6',
  institution: '#f3ead0',
  cemetery: '#d9e3d3',
  sport: '#d6eed2',
  wood: '#c5dfb4',
  grass: '#d8eac3',
  farmland: '#efefd6',
  wetland: '#d6e8e1',
  park: '#cfe6bc',
  parkOutline: '#a9cf95',
  water: '#9fcbe8',
  waterway: '#8cbfe3',
  building: '#ddd4ca',
  buildingOutline: '#c9bdb0',
  aeroway: '#dcdbe5',
  motorway: '#f49a6b',
  motorwayCasing: '#c8653b',
  trunk: '#f9b77f',
  trunkCasing: '#cc7f43',
  primary: '#fcd68a',
  primaryCasing: '#c99a3c',
  secondary: '#fdf0a8',
  secondaryCasing: '#b9a65a',
  minor: '#ffffff',
  minorCasing: '#cbc3b8',
  pedestrian: '#eeeaf2',
  path: '#b0776b',
  track: '#a58a5a',
  rail: '#8d8a8a',
  transit: '#a0809a',
  ferry: '#5a8fc0',
  boundaryCountry: '#8b6f9c',
  boundaryState: '#a58fb3',
  boundaryLocal: '#b8a9c2',
  text: '#333333',
  textHalo: '#ffffff',
  placeText: '#2b2b2b',
  roadText: '#3d3d3d',
  waterText: '#2f6c9f',
  poiText: '#5b4636',
  iconScale: 1,
  iconOpacity: 0.9,
  colouredShields: true,
  roadScale: 1,
  textScale: 1,
  haloScale: 1,
};

/** Quiet greys under thematic data (partners' "faded" and "grey"). */
export const LIGHT: Palette = {
  ...BRIGHT,
  background: '#f4f4f3',
  residential: '#eeeeed',
  industrial: '#ebebea',
  institution: '#eeeeec',
  cemetery: '#e6e9e4',
  sport: '#e6ebe4',
  wood: '#e1e7dd',
  grass: '#e6ebe2',
  farmland: '#f0f0ec',
  wetland: '#e3eae8',
  park: '#e0e8da',
  parkOutline: '#d0dbc8',
  water: '#cdd9e3',
  waterway: '#bfd0dd',
  building: '#e2e1df',
  buildingOutline: '#d3d2cf',
  aeroway: '#e6e6e9',
  motorway: '#ffffff',
  motorwayCasing: '#bcbcbc',
  trunk: '#ffffff',
  trunkCasing: '#c2c2c2',
  primary: '#ffffff',
  primaryCasing: '#c6c6c6',
  secondary: '#ffffff',
  secondaryCasing: '#cdcdcd',
  minor: '#ffffff',
  minorCasing: '#d9d9d9',
  pedestrian: '#f8f8f8',
  path: '#c4c4c4',
  track: '#c8c4bc',
  rail: '#c2c2c2',
  transit: '#c9c3c8',
  ferry: '#b3c4d3',
  boundaryCountry: '#a9a9b3',
  boundaryState: '#bdbdc5',
  boundaryLocal: '#cfcfd5',
  text: '#6e6e6e',
  textHalo: '#fafafa',
  placeText: '#555555',
  roadText: '#7a7a7a',
  waterText: '#7f97ab',
  poiText: '#7a7a7a',
  iconOpacity: 0.55,
  colouredShields: false,
};

export const DARK: Palette = {
  ...BRIGHT,
  background: '#1d2024',
  residential: '#23262b',
  industrial: '#26262d',
  institution: '#272a2c',
  cemetery: '#1f2a22',
  sport: '#1f2a24',
  wood: '#1c2a1f',
  grass: '#202b22',
  farmland: '#22251f',
  wetland: '#1e2829',
  park: '#1f2e23',
  parkOutline: '#2c4432',
  water: '#163a56',
  waterway: '#22557a',
  building: '#2f3237',
  buildingOutline: '#3b3f45',
  aeroway: '#2a2b33',
  motorway: '#6b5a44',
  motorwayCasing: '#15171a',
  trunk: '#5e5342',
  trunkCasing: '#15171a',
  primary: '#55524a',
  primaryCasing: '#15171a',
  secondary: '#494a4b',
  secondaryCasing: '#15171a',
  minor: '#3c3f44',
  minorCasing: '#15171a',
  pedestrian: '#35363c',
  path: '#5c5f63',
  track: '#5a5446',
  rail: '#5a5d62',
  transit: '#5d5360',
  ferry: '#2f5778',
  boundaryCountry: '#8a7b9b',
  boundaryState: '#6c6179',
  boundaryLocal: '#56505f',
  text: '#c9c9c9',
  textHalo: '#16181b',
  placeText: '#e2e2e2',
  roadText: '#b5b5b5',
  waterText: '#6f9cc4',
  poiText: '#bfb6a8',
  iconOpacity: 0.8,
};

/** City plans at 1:5,000–1:25,000: white ground, black text, grey buildings, wide streets. */
export const PRINT: Palette = {
  ...BRIGHT,
  background: '#ffffff',
  residential: '#f7f7f7',
  industrial: '#f0ecf0',
  institution: '#f7f0dc',
  cemetery: '#dde8d7',
  sport: '#dcefd6',
  wood: '#c9e2b8',
  grass: '#dcefc9',
  farmland: '#f5f5e4',
  wetland: '#d9ece6',
  park: '#cfe8bd',
  parkOutline: '#6e9f58',
  water: '#8ec3ea',
  waterway: '#5da7dc',
  building: '#bdbdbd',
  buildingOutline: '#7d7d7d',
  motorway: '#f0864f',
  motorwayCasing: '#6b3418',
  trunk: '#f6a865',
  trunkCasing: '#6b4218',
  primary: '#fccf6e',
  primaryCasing: '#5e4a1c',
  secondary: '#fdec8f',
  secondaryCasing: '#5c5430',
  minor: '#ffffff',
  minorCasing: '#4d4d4d',
  pedestrian: '#f1eef5',
  path: '#7b4d3f',
  track: '#7a6336',
  rail: '#404040',
  transit: '#5a3a55',
  boundaryCountry: '#4b2d63',
  boundaryState: '#6b4e80',
  boundaryLocal: '#7d6a8c',
  text: '#000000',
  textHalo: '#ffffff',
  placeText: '#000000',
  roadText: '#000000',
  waterText: '#0d4f85',
  poiText: '#3b2a1c',
  iconScale: 1.3,
  iconOpacity: 1,
  roadScale: 1.35,
  textScale: 1.1,
};

/** Labels over aerial photos: light text on a dark halo reads on any image. */
export const OVERLAY: Palette = {
  ...BRIGHT,
  boundaryCountry: '#f2e6ff',
  boundaryState: '#e4d4f2',
  boundaryLocal: '#d8c8e6',
  text: '#ffffff',
  textHalo: '#1a1a1a',
  placeText: '#ffffff',
  roadText: '#ffffff',
  waterText: '#d6ecff',
  poiText: '#fff5e0',
  haloScale: 1.4,
};
