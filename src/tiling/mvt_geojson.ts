/**
 * A vector tile as GeoJSON (WGS84), every feature's properties with its `layer`:
 * tileserver-gl's `/data/{id}/{z}/{x}/{y}.geojson`, for looking into tiles. Run in
 * a worker (./mvt_geojson_tasks.ts): a dense z14 tile decodes to megabytes of JSON.
 */
import zlib from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { ownMemory, type TaskAnswer } from '../core/worker_pool.js';
import { isGzip } from '../core/gzip_bytes.js';

export interface MvtGeojsonArgs {
  /** The tile as stored: MVT, gzipped or not. */
  data: Uint8Array;
  z: number;
  x: number;
  y: number;
}

export function mvtToGeojson(a: MvtGeojsonArgs): string {
  const raw = isGzip(a.data) ? zlib.gunzipSync(a.data) : a.data;
  const tile = new VectorTile(new PbfReader(raw));
  const features: unknown[] = [];
  for (const [name, layer] of Object.entries(tile.layers)) {
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i).toGeoJSON(a.x, a.y, a.z);
      f.properties = { ...f.properties, layer: name };
      features.push(f);
    }
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

export const geojsonTasks = {
  geojson(a: MvtGeojsonArgs): TaskAnswer<Uint8Array> {
    const bytes = Buffer.from(mvtToGeojson(a));
    return { result: bytes, transfer: ownMemory(bytes) };
  },
};
export type GeojsonTasks = typeof geojsonTasks;
