/** Small parsers for OSM tag values, shared by the layers (OSM's yes/no, numbers with units, layer/level). */
import type { OsmTags } from '../osm/types.js';

const TRUE_VALUES = new Set(['yes', '1', 'true']);

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && TRUE_VALUES.has(v);
}

/** `oneway`: 1, -1 or 0 as OpenMapTiles encodes it. */
export function direction(v: string | undefined): number {
  if (v === undefined) return 0;
  if (TRUE_VALUES.has(v)) return 1;
  if (v === '-1' || v === 'reverse') return -1;
  return 0;
}

/** An integer tag (layer, level, population); undefined when absent or not a number. */
export function parseIntTag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(-?\d+)/.exec(v.replace(/[ ,'’](?=\d{3}\b)/g, ''));
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A length in metres (`12`, `12.5 m`, `40'`, `12 ft`); undefined when unreadable. */
export function parseMetres(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(-?\d+(?:[.,]\d+)?)\s*(m|ft|feet|'|)\s*$/i.exec(v);
  if (m === null) return undefined;
  const n = Number(m[1].replace(',', '.'));
  if (!Number.isFinite(n)) return undefined;
  const unit = m[2].toLowerCase();
  return unit === 'ft' || unit === 'feet' || unit === "'" ? n * 0.3048 : n;
}

/** OpenMapTiles' `brunnel`: bridge, tunnel or ford (ford only where the layer allows it). */
export function brunnel(tags: OsmTags, withFord: boolean): string | undefined {
  if (isTrue(tags.bridge) || (tags.bridge !== undefined && tags.bridge !== 'no' && tags.bridge !== '0')) return 'bridge';
  if (isTrue(tags.tunnel) || tags.tunnel === 'building_passage' || tags.tunnel === 'culvert') return 'tunnel';
  if (withFord && isTrue(tags.ford)) return 'ford';
  return undefined;
}

/** OpenMapTiles feature id: the OSM id times 10 plus 1 (node), 2 (way) or 3 (relation). */
export function omtFeatureId(id: number, osmType: 'node' | 'way' | 'relation' | undefined): number | undefined {
  if (osmType === undefined || id < 0) return undefined;
  const code = osmType === 'node' ? 1 : osmType === 'way' ? 2 : 3;
  return id * 10 + code;
}

/** Drops undefined values so attributes stay absent rather than written as empty. */
export function compact(attrs: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}
