/**
 * Property test over every shared OSM extract: each housenumber and poi point the importer writes at z14 for an
 * area (and each label point of an area: park, water_name, place, aerodrome_label) lies inside that area, both the exact OSM polygon and the polygon as the tiler writes it in the same z14
 * tile (integer, simplified). Runs the real feature stage (profile → OutputFeatureCollector → tiler) on each
 * extract with a sink that traces every emitted point back to the source feature being processed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataErrors } from '../../../src/core/data_errors.js';
import type { PolygonGeometry } from '../../../src/core/geometry.js';
import { silentLogger } from '../../../src/core/logger.js';
import { MemoryWatch } from '../../../src/core/memory_watch.js';
import { openOsmFile } from '../../../src/osm/open_osm_file.js';
import { createProfile } from '../../../src/schema/profiles.js';
import type { SourceFeature } from '../../../src/schema/profile.js';
import { runFeaturesStage } from '../../../src/importer/features_stage.js';
import { collectOsm } from '../../../src/importer/osm_collector.js';
import { OutputFeatureCollector } from '../../../src/importer/output_features.js';
import { featureProcessor } from '../../../src/importer/source_features.js';
import type { TileFeatureStore } from '../../../src/importer/tile_feature_store.js';
import { tileGeometry, type TileGeometry } from '../../../src/tiling/feature_tiler.js';

const OSM_DIR = join(import.meta.dirname, '../../../../shared/data/osm');
const EXTRACTS = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf', 'freiburg-roads.osm.bz2', 'heidelberg-routing.osm.pbf'];
/** Layers whose points on areas are checked: points on surface (housenumber, poi) and label points. */
const POINT_LAYERS = new Set(['housenumber', 'poi', 'park', 'water_name', 'place', 'aerodrome_label']);
const EXTENT = 4096, Z = 14, SCALE = 2 ** Z * EXTENT;

/** Even-odd over the rings of one polygon, relative to its first vertex; on the outline counts as outside. */
function insidePolygon(x: number, y: number, poly: ArrayLike<number>[]): boolean {
  const x0 = poly[0][0], y0 = poly[0][1];
  const px = x - x0, py = y - y0;
  let odd = false;
  for (const r of poly) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const xi = r[i] - x0, yi = r[i + 1] - y0, xj = r[j] - x0, yj = r[j + 1] - y0;
      const cross = (xj - xi) * (py - yi) - (yj - yi) * (px - xi);
      if (cross === 0 && px >= Math.min(xi, xj) && px <= Math.max(xi, xj) && py >= Math.min(yi, yj) && py <= Math.max(yi, yj)) return false;
      if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

function insideWorld(x: number, y: number, g: PolygonGeometry): boolean {
  return g.polygons.some((p) => insidePolygon(x, y, p));
}

function insideTile(x: number, y: number, t: TileGeometry): boolean {
  let k = 0;
  for (const n of t.ringsPerPolygon ?? [t.geometry.length]) {
    if (insidePolygon(x, y, t.geometry.slice(k, k + n))) return true;
    k += n;
  }
  return false;
}

interface Tally { total: number; inside: number; insideTile: number; failures: string[] }

async function checkExtract(file: string): Promise<Record<string, Tally>> {
  const profile = createProfile('openmaptiles');
  const errors = new DataErrors();
  const tally: Record<string, Tally> = {};
  const tallyOf = (k: string): Tally => (tally[k] ??= { total: 0, inside: 0, insideTile: 0, failures: [] });
  let current: SourceFeature | undefined;
  const sink = {
    add(z: number, x: number, y: number, f: { layer: number; geometry: TileGeometry }): void {
      const layer = profile.layers[f.layer].id;
      if (z !== Z || f.geometry.type !== 1 || !POINT_LAYERS.has(layer) || !current || current.isPoint) return;
      const g = current.geometry();
      if (g.type !== 'polygon') return;
      const [px, py] = f.geometry.geometry[0];
      // a point is also written into neighbours' buffers: count it in its own tile only
      if (px < 0 || py < 0 || px >= EXTENT || py >= EXTENT) return;
      const t = tallyOf(layer === 'housenumber' && current.tags.building !== undefined ? 'building housenumber' : layer);
      t.total++;
      const ok = insideWorld((x * EXTENT + px) / SCALE, (y * EXTENT + py) / SCALE, g);
      if (ok) t.inside++;
      let tilePoly: TileGeometry | undefined;
      tileGeometry(g, { minzoom: Z, maxzoom: Z, buffer: 4 }, (_z, tx, ty, tg) => { if (tx === x && ty === y) tilePoly = tg; });
      const okTile = tilePoly !== undefined && insideTile(px, py, tilePoly);
      if (okTile) t.insideTile++;
      if ((!ok || !okTile) && t.failures.length < 5) t.failures.push(`${current.osmType} ${current.id} (${ok ? 'outside its z14 tile polygon' : 'outside'})`);
    },
  };
  const collector = new OutputFeatureCollector(profile.layers, sink as unknown as TileFeatureStore, { minzoom: Z, maxzoom: Z }, () => true);
  const inner = featureProcessor(profile, collector, errors);
  const process = (f: SourceFeature): void => { current = f; inner(f); current = undefined; };
  const osm = await collectOsm({ readers: [await openOsmFile(join(OSM_DIR, file))], profile, threads: 1, logger: silentLogger, errors, onNode: () => {} });
  const memory = new MemoryWatch();
  try {
    await runFeaturesStage({
      osm, profile, collector, process, errors, memory, threads: 1,
      zooms: { minzoom: Z, maxzoom: Z }, bounds: [-180, -85, 180, 85], logger: silentLogger,
    });
  } finally {
    memory.stop();
  }
  return tally;
}

describe('importer/area points on every shared extract', function () {
  this.timeout(600_000);
  for (const file of EXTRACTS) {
    it(`${file}: every housenumber, poi and label point taken from an area lies inside it at z14`, async function () {
      if (!existsSync(join(OSM_DIR, file))) this.skip();
      const tally = await checkExtract(file);
      const lines = Object.entries(tally).map(([k, t]) => `${k}: ${t.inside}/${t.total} inside, ${t.insideTile}/${t.total} inside the z14 tile polygon`);
      console.log(`      ${file}: ${lines.join('; ') || 'no points from areas'}`);
      for (const [k, t] of Object.entries(tally)) {
        assert.deepEqual([t.inside, t.insideTile], [t.total, t.total], `${file} ${k}: ${t.failures.join(', ')}`);
      }
      if (file === 'wehr.osm.pbf') assert.ok((tally['building housenumber']?.total ?? 0) > 0, 'Wehr has house numbers on buildings');
    });
  }
});
