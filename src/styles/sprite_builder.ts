/**
 * Builds one sprite sheet (PNG + index JSON) at one pixel ratio from the Maki
 * SVG icons (CC0) and our road-shield backgrounds. librsvg (through sharp)
 * rasterises each SVG at the ratio's density, so @2x is drawn sharp, not scaled.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { TuilerieError } from '../core/errors.js';
import { packShelves } from './sprite_packer.js';
import { SHIELDS, spriteAliases, type ShieldSpec } from './sprite_icons.js';

export interface SpriteEntry {
  x: number;
  y: number;
  width: number;
  height: number;
  pixelRatio: number;
  stretchX?: Array<[number, number]>;
  stretchY?: Array<[number, number]>;
  content?: [number, number, number, number];
}

export interface SpriteSheet {
  png: Buffer;
  index: Record<string, SpriteEntry>;
}

export interface SpriteBuildOptions {
  /** Directory of Maki's `icons/*.svg`. */
  makiDir: string;
  pixelRatio: number;
  iconColor?: string;
  haloColor?: string;
}

/** Icon canvas in CSS pixels: Maki's 15 px plus a 1 px halo on each side. */
const ICON_SIZE = 17;
const SHIELD = { width: 24, height: 18, radius: 4 };

interface Drawn {
  id: string;
  png: Buffer;
  width: number;
  height: number;
  meta?: Pick<SpriteEntry, 'stretchX' | 'stretchY' | 'content'>;
}

function svgInner(svg: string, file: string): string {
  const open = svg.search(/<svg\b[^>]*>/);
  const close = svg.lastIndexOf('</svg>');
  if (open < 0 || close < 0) throw new TuilerieError('BAD_INPUT', `${file} is not an SVG document; reinstall @mapbox/maki`);
  const afterOpen = svg.indexOf('>', open) + 1;
  return svg.slice(afterOpen, close);
}

function iconSvg(inner: string, color: string, halo: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="-1 -1 ${ICON_SIZE} ${ICON_SIZE}">`
    + `<g fill="${halo}" stroke="${halo}" stroke-width="2" stroke-linejoin="round">${inner}</g>`
    + `<g fill="${color}">${inner}</g></svg>`;
}

function shieldSvg(s: ShieldSpec): string {
  const { width, height, radius } = SHIELD;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="${radius}" fill="${s.stroke}"/>`
    + `<rect x="1.5" y="1.5" width="${width - 3}" height="${height - 3}" rx="${radius - 1}" fill="${s.fill}"/></svg>`;
}

async function rasterise(svg: string, ratio: number): Promise<{ png: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg), { density: 72 * ratio }).png().toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

/** Names of the Maki icons (SVG files) in `makiDir`, sorted. */
export function makiIconNames(makiDir: string): string[] {
  try {
    return fs.readdirSync(makiDir).filter((f) => f.endsWith('.svg')).sort().map((f) => f.slice(0, -4));
  } catch (e) {
    throw new TuilerieError('IO_ERROR', `cannot read Maki icons in ${makiDir}: ${(e as Error).message}; run npm install`, { cause: e });
  }
}

export async function buildSprite(opts: SpriteBuildOptions): Promise<SpriteSheet> {
  const ratio = opts.pixelRatio;
  const color = opts.iconColor ?? '#4d4d4d';
  const halo = opts.haloColor ?? '#ffffff';
  const drawn: Drawn[] = [];
  for (const id of makiIconNames(opts.makiDir)) {
    const file = path.join(opts.makiDir, `${id}.svg`);
    const inner = svgInner(fs.readFileSync(file, 'utf8'), file);
    const r = await rasterise(iconSvg(inner, color, halo), ratio);
    drawn.push({ id, ...r });
  }
  const { width: sw, height: sh, radius } = SHIELD;
  for (const s of SHIELDS) {
    const r = await rasterise(shieldSvg(s), ratio);
    drawn.push({
      id: s.name,
      ...r,
      meta: {
        stretchX: [[radius * ratio, (sw - radius) * ratio]],
        stretchY: [[radius * ratio, (sh - radius) * ratio]],
        content: [3 * ratio, 2 * ratio, (sw - 3) * ratio, (sh - 2) * ratio],
      },
    });
  }
  const packed = packShelves(drawn.map((d) => ({ id: d.id, width: d.width, height: d.height })), { maxWidth: 512 * ratio, padding: ratio });
  const byId = new Map(drawn.map((d) => [d.id, d]));
  const png = await sharp({ create: { width: packed.width, height: packed.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite(packed.items.map((it) => ({ input: byId.get(it.id)!.png, left: it.x, top: it.y })))
    .png({ compressionLevel: 9 })
    .toBuffer();
  const entries = new Map<string, SpriteEntry>();
  for (const it of packed.items) {
    entries.set(it.id, { x: it.x, y: it.y, width: it.width, height: it.height, pixelRatio: ratio, ...byId.get(it.id)!.meta });
  }
  addAliases(entries);
  const index: Record<string, SpriteEntry> = {};
  for (const k of [...entries.keys()].sort()) index[k] = entries.get(k)!;
  return { png, index };
}

/** Names OpenMapTiles styles use, pointing at the same pixels as the Maki icon. */
function addAliases(entries: Map<string, SpriteEntry>): void {
  const maki = new Set([...entries.keys()].filter((k) => !k.startsWith('shield-')));
  for (const [alias, target] of spriteAliases(maki)) entries.set(alias, entries.get(target)!);
}
