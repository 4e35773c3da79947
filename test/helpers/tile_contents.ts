/** Decoded contents of an MBTiles file, for comparing the tiles of two imports. */
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PbfReader } from 'pbf';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';

/**
 * Tile contents by z/x/y. Feature order within a layer may differ where sort keys tie (which feature thread took
 * which block), so below z14 lines merged in another order start elsewhere and label ranks of equal-ranked points
 * swap: z14 tiles are given feature by feature (geometry included, per-cell label rank aside), lower zooms by their
 * features' attributes.
 */
export function tileContents(file: string): Map<string, string> {
  return readTiles(file, (z, f) => {
    const { rank: _rank, ...props } = f.properties;
    return JSON.stringify(z === 14 ? [f.type, props, f.loadGeometry()] : [f.type, props]);
  }, true);
}

/** Every tile exactly: layers and features in their order, each with type, id, properties and geometry (XYZ keys). */
export function exactTileContents(file: string): Map<string, string> {
  const tiles = readTiles(file, (_z, f) => JSON.stringify([f.type, f.id, f.properties, f.loadGeometry()]), false);
  return new Map([...tiles].map(([k, v]) => {
    const [z, x, y] = k.split('/').map(Number);
    return [`${z}/${x}/${2 ** z - 1 - y}`, v];
  }));
}

function readTiles(file: string, show: (z: number, f: VectorTileFeature) => string, sorted: boolean): Map<string, string> {
  const db = new Database(file, { readonly: true });
  const m = new Map<string, string>();
  for (const r of db.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles').all() as { z: number; x: number; y: number; d: Buffer }[]) {
    const vt = new VectorTile(new PbfReader(zlib.gunzipSync(r.d)));
    const layers = Object.entries(vt.layers).map(([name, l]) => {
      const feats: string[] = [];
      for (let i = 0; i < l.length; i++) feats.push(show(r.z, l.feature(i)));
      return `${name}:${(sorted ? feats.sort() : feats).join('|')}`;
    });
    m.set(`${r.z}/${r.x}/${r.y}`, (sorted ? layers.sort() : layers).join('\n'));
  }
  db.close();
  return m;
}
