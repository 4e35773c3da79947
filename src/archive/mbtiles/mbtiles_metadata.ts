/**
 * MBTiles 1.3 metadata table ⇄ TilesetMetadata. Shared by the sink (write) and the
 * source (read) so both agree on every key's text form.
 */
import type { TilesetMetadata, VectorLayerInfo } from '../tile_source.js';

const KNOWN = new Set(['name', 'format', 'bounds', 'center', 'minzoom', 'maxzoom', 'attribution', 'description', 'version', 'type', 'json']);

/** Rows (name, value) for the metadata table. */
export function metadataToRows(meta: TilesetMetadata): [string, string][] {
  const rows: [string, string][] = [
    ['name', meta.name],
    ['format', meta.format],
    ['minzoom', String(meta.minzoom)],
    ['maxzoom', String(meta.maxzoom)],
  ];
  if (meta.bounds) rows.push(['bounds', meta.bounds.join(',')]);
  if (meta.center) rows.push(['center', meta.center.join(',')]);
  if (meta.attribution !== undefined) rows.push(['attribution', meta.attribution]);
  if (meta.description !== undefined) rows.push(['description', meta.description]);
  if (meta.version !== undefined) rows.push(['version', meta.version]);
  if (meta.type !== undefined) rows.push(['type', meta.type]);
  let extraJson: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta.extra ?? {})) {
    if (k === 'json') {
      try {
        const parsed = JSON.parse(v) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) extraJson = parsed as Record<string, unknown>;
      } catch {
        // An unparseable json value cannot be merged with vector_layers; it is dropped.
      }
    } else if (!KNOWN.has(k)) rows.push([k, v]);
  }
  if (meta.vector_layers || Object.keys(extraJson).length) {
    const json = { ...extraJson, ...(meta.vector_layers ? { vector_layers: meta.vector_layers } : {}) };
    rows.push(['json', JSON.stringify(json)]);
  }
  return rows;
}

function numbers(s: string | undefined, n: number): number[] | undefined {
  if (s === undefined) return undefined;
  const parts = s.split(',').map((p) => Number(p.trim()));
  return parts.length === n && parts.every(Number.isFinite) ? parts : undefined;
}

function zoom(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const z = Number(s);
  return Number.isInteger(z) && z >= 0 && z <= 30 ? z : undefined;
}

export interface ParsedMetadata {
  meta: Omit<TilesetMetadata, 'minzoom' | 'maxzoom' | 'format'> & { minzoom?: number; maxzoom?: number; format?: string };
  /** Values that were present but could not be understood, for a warning. */
  problems: string[];
}

/** Parses metadata rows; zooms and format may be missing (the caller derives them from the tiles). */
export function rowsToMetadata(rows: { name: string; value: string | null }[], fallbackName: string): ParsedMetadata {
  const kv = new Map<string, string>();
  for (const r of rows) if (r.name !== null && r.value !== null && r.value !== undefined) kv.set(String(r.name), String(r.value));
  const problems: string[] = [];
  const extra: Record<string, string> = {};
  for (const [k, v] of kv) if (!KNOWN.has(k)) extra[k] = v;

  const bounds = numbers(kv.get('bounds'), 4);
  if (kv.has('bounds') && !bounds) problems.push(`bounds '${kv.get('bounds')}'`);
  const center = numbers(kv.get('center'), 3) ?? numbers(kv.get('center'), 2)?.concat([NaN]);
  if (kv.has('center') && !center) problems.push(`center '${kv.get('center')}'`);
  const type = kv.get('type');

  let vectorLayers: VectorLayerInfo[] | undefined;
  const json = kv.get('json');
  if (json !== undefined) {
    try {
      const parsed = JSON.parse(json) as Record<string, unknown>;
      if (Array.isArray(parsed?.vector_layers)) vectorLayers = parsed.vector_layers as VectorLayerInfo[];
      if (parsed && typeof parsed === 'object' && Object.keys(parsed).some((k) => k !== 'vector_layers')) extra.json = json;
    } catch {
      problems.push('json (not valid JSON)');
      extra.json = json;
    }
  }
  const minzoom = zoom(kv.get('minzoom'));
  const maxzoom = zoom(kv.get('maxzoom'));
  const meta: ParsedMetadata['meta'] = {
    name: kv.get('name') ?? fallbackName,
    format: kv.get('format'),
    minzoom,
    maxzoom,
  };
  if (bounds) meta.bounds = bounds as [number, number, number, number];
  if (center) {
    const z = Number.isFinite(center[2]) ? center[2] : Math.round(((minzoom ?? 0) + (maxzoom ?? 0)) / 2);
    meta.center = [center[0], center[1], z];
  }
  if (kv.has('attribution')) meta.attribution = kv.get('attribution');
  if (kv.has('description')) meta.description = kv.get('description');
  if (kv.has('version')) meta.version = kv.get('version');
  if (type === 'baselayer' || type === 'overlay') meta.type = type;
  else if (type !== undefined) extra.type = type;
  if (vectorLayers) meta.vector_layers = vectorLayers;
  if (Object.keys(extra).length) meta.extra = extra;
  return { meta, problems };
}

/** Tile format from the first bytes of a tile, for archives whose metadata omits it. */
export function sniffFormat(data: Uint8Array): string {
  if (data.length >= 4 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.length >= 12 && String.fromCharCode(...data.subarray(8, 12)) === 'WEBP') return 'webp';
  return 'pbf';
}
