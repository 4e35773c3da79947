/**
 * `tuilerie import`: the staged pipeline OSM extracts → OpenMapTiles MBTiles.
 *   osm_read   read every input once (node locations, ways, wanted relations)
 *   features   OSM objects and Natural Earth records → profile → tiles (in memory)
 *   tiles      generalise, encode MVT, gzip, write to the archive (temp file)
 *   commit     rename the finished archive into place
 * A failing stage is rethrown with its name; bad OSM data is counted, not thrown.
 */
import path from 'node:path';
import { DataErrors } from '../core/data_errors.js';
import { TuilerieError, asTuilerieError } from '../core/errors.js';
import { Progress } from '../core/progress.js';
import { MemoryWatch } from '../core/memory_watch.js';
import type { Bounds } from '../core/tile_math.js';
import { lonToX, latToY, xToLon, yToLat } from '../core/tile_math.js';
import { openOsmFile } from '../osm/open_osm_file.js';
import type { Profile } from '../schema/profile.js';
import { MbtilesSink } from '../archive/mbtiles/mbtiles_sink.js';
import type { TileSink } from '../archive/tile_source.js';
import { collectOsm, type OsmCollection } from './osm_collector.js';
import { findNaturalEarthFiles, readNaturalEarthTable } from './natural_earth_reader.js';
import { OutputFeatureCollector } from './output_features.js';
import { EmptyGeometry, nodeFeature, relationFeature, wayFeature, WayGeometryBuilder } from './source_features.js';
import { TileFeatureStore, TileStoreGroup } from './tile_feature_store.js';
import { makeTileFilter, readClipOutline } from './tile_bounds_filter.js';
import { writeTiles } from './tile_writer.js';
import type { ImportOptions, ImportSummary, StageTiming } from './import_options.js';
import type { RelationMembership, SourceFeature } from '../schema/profile.js';

export interface ImportDeps {
  profile: Profile;
  /** Opens the output archive; MBTiles by default. */
  openSink?: (out: string) => TileSink;
}

async function stage<T>(name: string, timings: StageTiming[], memory: MemoryWatch, fn: () => Promise<T> | T): Promise<T> {
  const t0 = Date.now();
  memory.nextStage();
  try {
    return await fn();
  } catch (e) {
    const err = asTuilerieError(e);
    if (err.code === 'INTERNAL') throw new TuilerieError('INTERNAL', `stage ${name} failed: ${err.message}`, { cause: e });
    throw err;
  } finally {
    timings.push({ stage: name, ms: Date.now() - t0, peakRssBytes: memory.nextStage() });
  }
}

function nodeExtent(osm: OsmCollection): Bounds {
  const n = osm.nodes.size;
  if (n === 0) throw new TuilerieError('BAD_INPUT', 'the inputs contain no nodes: nothing to import');
  let w = Infinity, s = Infinity, e = -Infinity, no = -Infinity;
  for (let i = 0; i < n; i++) {
    const lon = osm.nodes.lon(i), lat = osm.nodes.lat(i);
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > no) no = lat;
  }
  return [w, s, e, no];
}

export async function runImport(opts: ImportOptions, deps: ImportDeps): Promise<ImportSummary> {
  const t0 = Date.now();
  const timings: StageTiming[] = [];
  const errors = new DataErrors();
  const { logger } = opts;
  const { profile } = deps;
  const memory = new MemoryWatch();

  try {
    const clip = opts.clip ? readClipOutline(opts.clip) : undefined;
    const readers = await Promise.all(opts.inputs.map((p) => openOsmFile(p)));
    const sink = (deps.openSink ?? ((out: string) => new MbtilesSink(out)))(opts.out);
    try {
      let osm: OsmCollection | undefined = await stage('osm_read', timings, memory, () =>
        collectOsm({ readers, profile, threads: opts.threads, logger: logger.child('osm_read'), tty: opts.tty, errors }));
      // header bounding boxes are not trusted (real files carry bogus ones, e.g. (0,0,180,90)): the nodes say where the data is
      const bounds: Bounds = opts.bbox ?? clip?.bounds ?? nodeExtent(osm);
      const filter = makeTileFilter(bounds, clip?.polygon);
      const buckets = new TileFeatureStore();
      const collector = new OutputFeatureCollector(profile.layers, buckets, { minzoom: opts.minzoom, maxzoom: opts.maxzoom }, filter);

      await stage('features', timings, memory, () => processFeatures({ osm: osm!, profile, collector, errors, opts, memory }));
      const osmCounts = osm.counts;
      // node locations and ways are no longer needed: let them go before the tiles stage
      osm = undefined;
      logger.info(`features: ${buckets.featureCount} tile features in ${buckets.tileCount} tiles`);

      const written = await stage('tiles', timings, memory, () =>
        writeTiles({ store: new TileStoreGroup([buckets]), layers: profile.layers, sink, logger: logger.child('tiles'), tty: opts.tty, threads: opts.threads }));

      const center: [number, number, number] = [
        xToLon((lonToX(bounds[0]) + lonToX(bounds[2])) / 2),
        yToLat((latToY(bounds[1]) + latToY(bounds[3])) / 2),
        Math.min(opts.maxzoom, Math.max(opts.minzoom, 12)),
      ];
      sink.setMetadata({
        name: opts.name ?? path.basename(opts.out).replace(/\.(mbtiles|pmtiles)$/, ''),
        format: 'pbf',
        type: 'baselayer',
        bounds,
        center,
        minzoom: opts.minzoom,
        maxzoom: opts.maxzoom,
        attribution: opts.attribution ?? profile.attribution,
        description: opts.description ?? `${profile.name} ${profile.version} tiles from ${opts.inputs.map((p) => path.basename(p)).join(', ')}`,
        version: profile.version,
        vector_layers: profile.layers.map((l) => ({
          id: l.id, description: l.description, fields: { ...l.fields },
          minzoom: Math.max(l.minzoom, opts.minzoom), maxzoom: Math.min(l.maxzoom, opts.maxzoom),
        })),
        extra: { generator: 'tuilerie' },
      });
      await stage('commit', timings, memory, () => sink.commit());

      const tilesPerZoom: Record<number, number> = {};
      written.tilesPerZoom.forEach((n, z) => { if (n) tilesPerZoom[z] = n; });
      return {
        stages: timings,
        featuresPerLayer: Object.fromEntries(profile.layers.map((l) => [l.id, collector.perLayer.get(l.id) ?? 0])),
        tilesPerZoom,
        tiles: Object.values(tilesPerZoom).reduce((a, b) => a + b, 0),
        bytes: written.bytes,
        dataErrors: errors.toJSON(),
        osm: osmCounts,
        peakRssBytes: memory.peak,
        bounds,
        totalMs: Date.now() - t0,
      };
    } catch (e) {
      await sink.abort();
      throw e;
    }
  } finally {
    memory.stop();
  }
}

async function processFeatures(a: {
  osm: OsmCollection;
  profile: Profile;
  collector: OutputFeatureCollector;
  errors: DataErrors;
  opts: ImportOptions;
  memory: MemoryWatch;
}): Promise<void> {
  const { osm, profile, collector, errors, opts, memory } = a;
  const builder = new WayGeometryBuilder(osm, errors);
  const process = (f: SourceFeature): void => {
    collector.begin(f);
    try {
      profile.processFeature(f, collector);
    } catch (e) {
      // a way or relation whose nodes are all missing: counted, not fatal
      if (e instanceof EmptyGeometry) errors.count('empty_geometry');
      else throw e;
    }
  };

  if (opts.naturalEarthDir && profile.naturalEarthTables.length > 0) {
    const files = findNaturalEarthFiles(opts.naturalEarthDir, profile.naturalEarthTables);
    const ne = new Progress({ name: 'natural_earth', unit: 'records', logger: opts.logger.child('natural_earth'), tty: opts.tty });
    // in the profile's order: it may join OSM objects to these records (city ranks, country outlines)
    for (const table of profile.naturalEarthTables) {
      const file = files.get(table);
      if (!file) continue;
      for (const f of readNaturalEarthTable(table, file)) {
        process(f);
        ne.tick();
      }
    }
    ne.finish();
  }
  const total = osm.pointNodes.length + osm.ways.size + osm.relations.length;
  const progress = new Progress({ name: 'features', unit: 'objects', total, logger: opts.logger.child('features'), tty: opts.tty });
  for (const node of osm.pointNodes) {
    const f = nodeFeature(node);
    process(f);
    progress.tick();
  }
  osm.pointNodes.length = 0;

  // memberships of ways in relations the profile asked for (boundaries, routes)
  const memberships = new Map<number, RelationMembership[]>();
  const relationTypes = new Set(profile.relationTypes);
  for (const rel of osm.relations) {
    if (!relationTypes.has(rel.tags.type ?? '')) continue;
    for (const m of rel.members) {
      if (m.type !== 'way') continue;
      let list = memberships.get(m.ref);
      if (!list) memberships.set(m.ref, (list = []));
      list.push({ relationId: rel.id, role: m.role, tags: rel.tags });
    }
  }

  for (let i = 0; i < osm.ways.size; i++) {
    progress.tick();
    if ((i & 8191) === 0) memory.sample();
    if (!osm.ways.isPrimary(i)) continue;
    const rels = memberships.get(osm.ways.idAt(i)) ?? [];
    const tags = osm.ways.tagsAt(i) ?? (rels.length > 0 ? {} : null);
    if (tags === null) continue;
    const f = wayFeature(i, tags, rels, osm, builder);
    if (!f) continue;
    process(f);
    osm.ways.releaseTags(i);
  }

  for (const rel of osm.relations) {
    progress.tick();
    const t = rel.tags.type;
    if (t !== 'multipolygon' && t !== 'boundary') continue;
    if (!profile.wants(rel.tags, 'relation')) continue;
    const f = relationFeature(rel, osm, builder, errors);
    if (!f) continue;
    process(f);
  }
  progress.finish();

  if (collector.emptyGeometries > 0) errors.count('empty_geometry', collector.emptyGeometries);
}
