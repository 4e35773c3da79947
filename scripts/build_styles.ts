/**
 * `node dist/scripts/build_styles.js` (or `npx tsx scripts/build_styles.ts`):
 * writes our six MapLibre styles, styles/<id>.json, from the shared layer
 * builders in scripts/styles/ and one palette per style. The output is
 * committed so the server needs no build step; a unit test checks that the
 * committed files are what this generator writes.
 *
 * Sources, glyphs and sprite use the placeholders src/styles/style_rewriter.ts
 * understands: the vector source `openmaptiles` has no URL, so the server
 * points it at its data source of that name, else at its first vector source;
 * `tuilerie://fonts/...` is our glyph route; the sprite is the style's own
 * (`/styles/{id}/sprite`, our Maki build). Every icon a style names must be in
 * that sprite (same Maki package, same alias rules): the build fails otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makiIconNames } from '../src/styles/sprite_builder.js';
import { spriteNames } from '../src/styles/sprite_icons.js';
import { BRIGHT, DARK, LIGHT, OVERLAY, PRINT, type Palette } from './styles/palettes.js';
import { SOURCE, baseLayers, boundaries } from './styles/base_layers.js';
import { labelLayers, type LabelOptions } from './styles/label_layers.js';
import type { Json, Layer } from './styles/expressions.js';

const ATTRIBUTION =
  '<a href="https://www.openmaptiles.org/" target="_blank">&copy; OpenMapTiles</a> ' +
  '<a href="https://www.openstreetmap.org/copyright" target="_blank">&copy; OpenStreetMap contributors</a>';

export interface StyleDefinition {
  id: string;
  name: string;
  description: string;
  /** Names partners use today for this style (served as aliases). */
  aliases: string[];
  palette: Palette;
  /** Land, water, roads, buildings (false: labels and boundaries only, transparent). */
  base: boolean;
  /** Label options, or undefined for a style without text or icons. */
  labels?: LabelOptions;
}

export const STYLE_DEFINITIONS: readonly StyleDefinition[] = [
  { id: 'bright', name: 'Tuilerie Bright', description: 'Full-colour basemap for the public; bilingual fr/de place names at low and mid zooms.',
    aliases: ['osm-default'], palette: BRIGHT, base: true, labels: { bilingual: true, print: false, pois: true } },
  { id: 'light', name: 'Tuilerie Light', description: 'Quiet greys to put thematic data on.',
    aliases: ['faded', 'grey'], palette: LIGHT, base: true, labels: { bilingual: false, print: false, pois: true } },
  { id: 'dark', name: 'Tuilerie Dark', description: 'Dark basemap.',
    aliases: [], palette: DARK, base: true, labels: { bilingual: false, print: false, pois: true } },
  { id: 'nolabels', name: 'Tuilerie No Labels', description: 'The bright map without any text or icon.',
    aliases: ['pure'], palette: BRIGHT, base: true },
  { id: 'labels', name: 'Tuilerie Labels', description: 'Labels, road shields and boundaries on a transparent background, to lay over aerial photos.',
    aliases: ['overlay'], palette: OVERLAY, base: false, labels: { bilingual: false, print: false, pois: false } },
  { id: 'print', name: 'Tuilerie Print', description: 'City plans at 1:5,000–1:25,000: high contrast, every street named, house numbers, grey buildings.',
    aliases: [], palette: PRINT, base: true, labels: { bilingual: false, print: true, pois: true } },
];

/** The image names of our sprite (scripts/build_assets.ts builds it from the same Maki package). */
export function ourSpriteNames(): Set<string> {
  const require = createRequire(import.meta.url);
  const makiDir = path.join(path.dirname(require.resolve('@mapbox/maki/package.json')), 'icons');
  return spriteNames(new Set(makiIconNames(makiDir)));
}

/**
 * Icon names an `icon-image` value can produce: a literal, or the outputs of `match` / `case` on feature data.
 * Anything else (notably `image` / `coalesce` fallbacks, which race the sprite in the browser) is refused.
 */
export function iconNamesOf(value: Json, where: string): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) throw new Error(`${where}: icon-image must be a name or a match/case expression, got ${JSON.stringify(value)}`);
  const [op, ...args] = value;
  if (op === 'match') {
    const outputs = [...args.slice(1, -1).filter((_, i) => i % 2 === 1), args[args.length - 1]];
    return [...new Set(outputs)].flatMap((o) => iconNamesOf(o, where));
  }
  if (op === 'case') return [...args.slice(0, -1).filter((_, i) => i % 2 === 1), args[args.length - 1]].flatMap((o) => iconNamesOf(o, where));
  throw new Error(`${where}: icon-image uses '${String(op)}'; use a name or match/case over names of our sprite`);
}

/** Throws when a layer asks for an icon our sprite does not have. */
export function checkIcons(styleId: string, layers: readonly Layer[], sprite: ReadonlySet<string>): void {
  for (const l of layers) {
    const layout = l.layout as Record<string, Json> | undefined;
    if (layout?.['icon-image'] === undefined) continue;
    const where = `style ${styleId}, layer ${String(l.id)}`;
    const missing = [...new Set(iconNamesOf(layout['icon-image'], where))].filter((n) => !sprite.has(n));
    if (missing.length > 0) throw new Error(`${where}: icon(s) ${missing.join(', ')} not in our sprite (src/styles/sprite_icons.ts)`);
  }
}

export function buildStyle(def: StyleDefinition, sprite: ReadonlySet<string> = ourSpriteNames()): Record<string, Json> {
  const layers: Layer[] = [
    ...(def.base ? baseLayers(def.palette) : boundaries(def.palette)),
    ...(def.labels ? labelLayers(def.palette, def.labels, sprite) : []),
  ];
  checkIcons(def.id, layers, sprite);
  return {
    version: 8,
    name: def.name,
    metadata: { 'tuilerie:description': def.description, 'tuilerie:aliases': def.aliases, 'tuilerie:generator': 'scripts/build_styles.ts' },
    center: [7.5, 47.7],
    zoom: 9,
    sources: { [SOURCE]: { type: 'vector', attribution: ATTRIBUTION } },
    ...(def.labels ? { sprite: 'sprite', glyphs: 'tuilerie://fonts/{fontstack}/{range}.pbf' } : {}),
    layers,
  };
}

/** Pretty at the top, one layer a line: readable diffs without 200 kB of one-number lines. */
export function formatStyle(style: Record<string, Json>): string {
  const lines = Object.entries(style).map(([k, v]) => {
    if (k !== 'layers' || !Array.isArray(v)) return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    return `  "layers": [\n${v.map((l) => `    ${JSON.stringify(l)}`).join(',\n')}\n  ]`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** File name → file content, exactly as committed under styles/. */
export function buildStyleFiles(): Map<string, string> {
  const sprite = ourSpriteNames();
  return new Map(STYLE_DEFINITIONS.map((d) => [`${d.id}.json`, formatStyle(buildStyle(d, sprite))]));
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));
  const dir = path.join(root, 'styles');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of buildStyleFiles()) fs.writeFileSync(path.join(dir, name), text);
  process.stdout.write(`wrote ${STYLE_DEFINITIONS.length} styles to ${dir}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
