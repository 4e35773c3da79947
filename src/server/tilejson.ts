/** TileJSON 3.0.0 documents for our sources, with tile URLs on this server. */
import type { SourceEntry } from './source_registry.js';

export interface TileJson {
  tilejson: '3.0.0';
  id: string;
  name: string;
  tiles: string[];
  scheme: 'xyz';
  format: string;
  minzoom: number;
  maxzoom: number;
  bounds?: [number, number, number, number];
  center?: [number, number, number];
  attribution?: string;
  description?: string;
  version?: string;
  type?: string;
  vector_layers?: unknown[];
}

/** The file extension tiles of a format are served under (`pbf` for vector). */
export function tileExtension(format: string): string {
  return format === 'jpeg' ? 'jpg' : format;
}

export function buildTileJson(entry: SourceEntry, base: string): TileJson {
  const m = entry.metadata;
  const doc: TileJson = {
    tilejson: '3.0.0',
    id: entry.id,
    name: m.name || entry.id,
    tiles: [`${base}/data/${encodeURIComponent(entry.id)}/{z}/{x}/{y}.${tileExtension(m.format)}`],
    scheme: 'xyz',
    format: m.format,
    minzoom: m.minzoom,
    maxzoom: m.maxzoom,
  };
  if (m.bounds) doc.bounds = m.bounds;
  if (m.center) doc.center = m.center;
  if (m.attribution) doc.attribution = m.attribution;
  if (m.description) doc.description = m.description;
  if (m.version) doc.version = m.version;
  if (m.type) doc.type = m.type;
  // TileJSON 3.0.0 requires vector_layers for vector tilesets.
  if (m.format === 'pbf') doc.vector_layers = m.vector_layers ?? [];
  return doc;
}
