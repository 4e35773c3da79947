/**
 * Imports a small OSM file written by a test with the OpenMapTiles profile (in
 * process, one thread) and reads tiles back as decoded features, with their
 * geometry in tile coordinates.
 */
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { silentLogger } from '../../src/core/logger.js';
import { runImport } from '../../src/importer/import_pipeline.js';
import type { ImportOptions, ImportSummary } from '../../src/importer/import_options.js';
import { OpenMapTilesProfile } from '../../src/schema/openmaptiles_profile.js';

export interface DecodedFeature {
  properties: Record<string, string | number | boolean>;
  /** 1 point, 2 line, 3 polygon. */
  type: number;
  /** Rings or lines in tile coordinates (extent `extent`). */
  geometry: { x: number; y: number }[][];
  extent: number;
}

export async function importOsm(input: string, out: string, opts: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return runImport(
    { inputs: [input], out, minzoom: 0, maxzoom: 14, threads: 1, logger: silentLogger, ...opts },
    { profile: new OpenMapTilesProfile() },
  );
}

/** Every tile of a zoom level: key `z/x/y` (XYZ, not TMS). */
export function tileKeys(file: string, z: number): [number, number, number][] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT tile_column AS x, tile_row AS y FROM tiles WHERE zoom_level = ?').all(z) as { x: number; y: number }[];
    return rows.map((r) => [z, r.x, (1 << z) - 1 - r.y]);
  } finally {
    db.close();
  }
}

/** The features of one layer in tile z/x/y (XYZ), [] when the tile or the layer is absent. */
export function readLayer(file: string, z: number, x: number, y: number, layer: string): DecodedFeature[] {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?')
      .get(z, x, (1 << z) - 1 - y) as { tile_data: Buffer } | undefined;
    if (!row) return [];
    const data = row.tile_data[0] === 0x1f ? zlib.gunzipSync(row.tile_data) : row.tile_data;
    const l = new VectorTile(new PbfReader(data)).layers[layer];
    if (!l) return [];
    const out: DecodedFeature[] = [];
    for (let i = 0; i < l.length; i++) {
      const f = l.feature(i);
      out.push({ properties: f.properties as DecodedFeature['properties'], type: f.type, geometry: f.loadGeometry(), extent: l.extent });
    }
    return out;
  } finally {
    db.close();
  }
}
