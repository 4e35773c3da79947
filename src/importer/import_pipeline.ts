/**
 * `tuilerie import`: the staged pipeline OSM extracts → OpenMapTiles MBTiles.
 *   osm_read   read every input once (node locations, ways, wanted relations)
 *   features   OSM objects and Natural Earth records → profile → tiles (in memory)
 *   tiles      generalise, encode MVT, gzip, write to the archive (temp file)
 *   commit     rename the finished archive into place
 * A failing stage is rethrown with its name; bad OSM data is counted, not thrown.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { memoryUsage } from 'node:process';
import path from 'node:path';
import { DataErrors } from '../core/data_errors.js';
import type { Logger } from '../core/logger.js';
import { TuilerieError, asTuilerieError } from '../core/errors.js';
import { MemoryWatch } from '../core/memory_watch.js';
import type { Bounds } from '../core/tile_math.js';
import { lonToX, latToY, xToLon, yToLat } from '../core/tile_math.js';
import { openOsmFile } from '../osm/open_osm_file.js';
import type { Profile } from '../schema/profile.js';
import { MbtilesSink } from '../archive/mbtiles/mbtiles_sink.js';
import type { TileSink } from '../archive/tile_source.js';
import { collectOsm, type OsmCollection } from './osm_collector.js';
import { OutputFeatureCollector, type TileFilter } from './output_features.js';
import { processNaturalEarth, runFeaturesStage } from './features_stage.js';
import { featureProcessor } from './source_features.js';
import { nodeFeature } from './source_features.js';
import { TileFeatureStore, TileStoreGroup } from './tile_feature_store.js';
import { makeTileFilter, readClipOutline } from './tile_bounds_filter.js';
import { writeTiles } from './tile_writer.js';
import { heapLimits, tileFeatureBudget, NODE_SHARE, TILE_FEATURE_SHARE, WAY_TAG_SHARE } from './heap_limits.js';
import { mergeFanIn } from './tile_run_merge.js';
import { TempSpace } from './temp_space.js';
import type { ImportOptions, ImportSummary, StageTiming } from './import_options.js';
import { CoastlineWays } from './coastline/coastline_ways.js';
import { runSeaStage, type CoastlineSummary } from './coastline/sea_stage.js';
import { StoreBuilder, STORE_ID_KEY, storeDirFor } from './update/store_builder.js';
import { UpdateLock } from './update/update_lock.js';

export interface ImportDeps {
  profile: Profile;
  /** The profile's name in schema/profiles.ts, so feature threads can build it too; without it ways are processed on the main thread only. */
  profileName?: string;
  /** Opens the output archive; MBTiles by default. */
  openSink?: (out: string) => TileSink;
  /** The temporary directory (the CLI makes it, to remove it on a signal too); by default one is made and removed here. */
  temp?: TempSpace;
}

// node locations past NODE_SHARE go to a temporary file, read through page caches of a quarter of it
/** Page cache of each reader of a node file: bounds. */
const MIN_NODE_CACHE = 256 * 1024, MAX_NODE_CACHE = 256 * 2 ** 20;
/** A store's spill budget is never smaller than this (tests force spilling with a tiny --max-memory). */
const MIN_SPILL_BYTES = 64 * 1024;

/** Runs one named stage: times it, samples its peak memory, rethrows a bug with the stage's name. */
export async function stage<T>(name: string, run: { timings: StageTiming[]; memory: MemoryWatch; logger?: Logger }, fn: () => Promise<T> | T): Promise<T> {
  const { timings, memory, logger } = run;
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  memory.nextStage();
  try {
    return await fn();
  } catch (e) {
    const err = asTuilerieError(e);
    if (err.code === 'INTERNAL') throw new TuilerieError('INTERNAL', `stage ${name} failed: ${err.message}`, { cause: e });
    throw err;
  } finally {
    const cpu = process.cpuUsage(cpu0);
    timings.push({ stage: name, ms: Date.now() - t0, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssBytes: memory.nextStage() });
    if (logger) logMemory(logger, name);
  }
}

/** Where this thread's memory is at the end of a stage (debug): heap vs. typed buffers (external, array buffers) vs. the rest. */
function logMemory(logger: Logger, name: string): void {
  const m = process.memoryUsage(), h = v8.getHeapStatistics(), mib = (b: number): number => Math.round(b / 2 ** 20);
  logger.debug(`${name}: memory at end rss ${mib(m.rss)} heap used ${mib(m.heapUsed)} / total ${mib(m.heapTotal)} (limit ${mib(h.heap_size_limit)}) external ${mib(m.external)}, array buffers ${mib(m.arrayBuffers)} MiB`);
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
  const run = { timings, memory, logger };
  const temp = deps.temp ?? new TempSpace(opts.tmpDir ?? path.dirname(path.resolve(opts.out)));

  try {
    const clip = opts.clip ? readClipOutline(opts.clip) : undefined;
    const readers = await Promise.all(opts.inputs.map((p) => openOsmFile(p)));
    const sink = (deps.openSink ?? ((out: string) => new MbtilesSink(out)))(opts.out);
    let store: StoreBuilder | undefined;
    let osm: OsmCollection | undefined;
    try {
      if (opts.updatable) {
        if (!deps.profileName) throw new TuilerieError('INTERNAL', 'an updatable import needs the profile name');
        store = new StoreBuilder(opts.out, profile);
      }
      const given: Bounds | undefined = opts.bbox ?? clip?.bounds;
      // Without a bbox or outline, the bounds are the nodes' extent (header boxes are not trusted: real files carry
      // bogus ones, e.g. (0,0,180,90)), known only after reading; nodes are tiled while reading, so until then every
      // tile passes, and the tiles stage drops what lies outside.
      let filter: TileFilter = given ? makeTileFilter(given, clip?.polygon) : () => true;
      // every tile feature store (this thread's, each feature thread's) gets an equal part of the stores' budget: their
      // share during the OSM read, then tileFeatureBudget (more when the read left more free)
      const stores = Math.max(1, opts.threads);
      const spill = opts.maxMemoryBytes === undefined ? undefined : {
        dir: temp.dir, prefix: 't', budgetBytes: Math.max(MIN_SPILL_BYTES, Math.floor(opts.maxMemoryBytes * TILE_FEATURE_SHARE / stores)),
      };
      const nodeSpill = opts.maxMemoryBytes === undefined ? undefined : {
        dir: temp.dir, budgetBytes: Math.floor(opts.maxMemoryBytes * NODE_SHARE),
        cacheBytes: Math.min(MAX_NODE_CACHE, Math.max(MIN_NODE_CACHE, Math.floor(opts.maxMemoryBytes * NODE_SHARE / 4 / stores))),
        // the sort runs on this thread: the sampling timer cannot see its peak
        onDiskPeak: () => temp.sample(),
      };
      // the collector's own store: its budget is raised with the others' when the features stage starts (it reads it as it fills)
      const mainSpill = spill && { ...spill, prefix: 'main' };
      const buckets = new TileFeatureStore(mainSpill, opts.updatable === true);
      const collector = new OutputFeatureCollector(profile.layers, buckets, { minzoom: opts.minzoom, maxzoom: opts.maxzoom }, (z, x, y) => filter(z, x, y));
      const process = featureProcessor(profile, collector, errors);
      const recorder = store?.recorder;
      if (recorder) collector.onTiled = (...a) => recorder.add(...a);

      if (opts.naturalEarthDir && profile.naturalEarthTables.length > 0) {
        // first, in the profile's order: it joins OSM objects to these records (city ranks, country outlines)
        await stage('natural_earth', run, () => processNaturalEarth(opts.naturalEarthDir!, profile, { process, logger, tty: opts.tty }));
      }
      const coast = new CoastlineWays();
      osm = await stage('osm_read', run, () =>
        collectOsm({
          readers, profile, threads: opts.threads, logger: logger.child('osm_read'), tty: opts.tty, errors,
          onNode: (n) => process(nodeFeature(n)), onWay: (w) => coast.offer(w),
          onBlock: store && ((b) => store!.addBlock(b)), nodeSpill,
          wayTagSpill: opts.maxMemoryBytes === undefined ? undefined : { file: path.join(temp.dir, 'way-tags'), budgetBytes: Math.floor(opts.maxMemoryBytes * WAY_TAG_SHARE) },
        }));
      const nodesOnDisk = osm.nodes.onDisk;
      if (nodesOnDisk) logger.info(`osm_read: ${osm.nodes.size} node locations past their share of --max-memory, in ${temp.dir}`);
      if (osm.ways.tagsOnDisk) logger.info(`osm_read: tags of wanted ways past their share of --max-memory, in ${temp.dir}`);
      const bounds: Bounds = given ?? nodeExtent(osm);
      // the newest replication timestamp of the inputs: the date of the data (plans print it)
      const osmTimestamp = osm.headers.map((h) => h.timestamp).filter((t): t is string => !!t && !Number.isNaN(Date.parse(t))).sort().pop();
      if (!given) filter = makeTileFilter(bounds);
      let coastline: CoastlineSummary | undefined;
      if (coast.size > 0) {
        coastline = await stage('coastline', run, () => runSeaStage({
          coast, nodes: osm!.nodes, bounds, clip: opts.bbox ? undefined : clip?.polygon, errors, process,
          derived: given ? undefined : { points: osm!.nodes, headerBoxes: osm!.headers.map((h) => h.bbox) },
        }));
        logger.info(`coastline: ${coastline.ways} ways, ${coastline.seaPolygons} sea polygons` +
          (coastline.seaLeftOut > 0 ? `, ${coastline.seaLeftOut} left out because of broken coastline` : '') +
          (coastline.seaWithheld ? ', none made: coastline crossing the extent runs the wrong way' : ''));
      }

      const heap = opts.maxMemoryBytes === undefined ? undefined : heapLimits(opts.maxMemoryBytes, opts.threads);
      if (spill && mainSpill && heap) {
        const storesBytes = tileFeatureBudget({ maxMemoryBytes: opts.maxMemoryBytes!, rssBytes: memoryUsage.rss(), threads: opts.threads, heap });
        spill.budgetBytes = mainSpill.budgetBytes = Math.max(MIN_SPILL_BYTES, Math.floor(storesBytes / stores));
        logger.debug(`features: tile feature stores may hold ${Math.round(storesBytes / 2 ** 20)} MiB before writing runs`);
      }
      const threadStores = await stage('features', run, () => runFeaturesStage({
        osm: osm!, profile, profileName: deps.profileName, collector, process, errors, memory, threads: opts.threads,
        zooms: { minzoom: opts.minzoom, maxzoom: opts.maxzoom }, bounds, clip: clip?.polygon,
        naturalEarthDir: opts.naturalEarthDir, spill, logger, tty: opts.tty,
        onThreadReach: store && ((flat) => store!.addThreadReach(flat)),
        threadHeap: heap && { oldMb: heap.encoderMb, youngMb: heap.workerYoungMb },
      }));
      const group = new TileStoreGroup([buckets, ...threadStores]);
      const osmCounts = osm.counts;
      const headerBoxes = osm.headers.map((h) => h.bbox ?? null);
      const sequence = osm.headers.length === 1 ? osm.headers[0].sequence : undefined;
      // node locations and ways are no longer needed: let them go before the tiles stage
      osm.nodes.close();
      osm.ways.close();
      osm = undefined;
      temp.sample();
      logger.info(group.spilled
        ? `features: ${group.featureCount} tile features, part in runs in ${temp.dir}`
        : `features: ${group.featureCount} tile features in ${group.tileCount} tiles`);

      const written = await stage('tiles', run, () =>
        writeTiles({
          store: group, layers: profile.layers, sink, filter, logger: logger.child('tiles'), tty: opts.tty, threads: opts.threads,
          encoderHeap: heap && { oldMb: heap.encoderMb, youngMb: heap.workerYoungMb },
          // the feature stores' share of the budget is free once all went to runs: the merge's read buffers take it
          mergeFanIn: opts.mergeFanIn ?? mergeFanIn(opts.maxMemoryBytes === undefined ? undefined : opts.maxMemoryBytes * TILE_FEATURE_SHARE),
          onTile: store && ((key, features) => store!.addTile(key, features)),
        }));

      // the centre of the densest deepest tile (a town centre), not of the bounds: several extracts'
      // bounds centre on empty country between them; z13 shows streets and buildings there
      const d = written.densest;
      const n = d ? 2 ** d.z : 1;
      const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
      const center: [number, number, number] = d
        ? [clamp(xToLon((d.x + 0.5) / n), bounds[0], bounds[2]), clamp(yToLat((d.y + 0.5) / n), bounds[1], bounds[3]), Math.min(opts.maxzoom, Math.max(opts.minzoom, 13))]
        : [xToLon((lonToX(bounds[0]) + lonToX(bounds[2])) / 2), yToLat((latToY(bounds[1]) + latToY(bounds[3])) / 2), Math.min(opts.maxzoom, Math.max(opts.minzoom, 12))];
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
        extra: {
          ...opts.metadata, generator: 'tuilerie', ...(osmTimestamp ? { osm_timestamp: osmTimestamp } : {}),
          ...(store ? { [STORE_ID_KEY]: store.id } : {}),
        },
      });
      const storeBytes = store && await stage('store', run, () => store!.finish({
        profile: deps.profileName!, minzoom: opts.minzoom, maxzoom: opts.maxzoom, bbox: opts.bbox,
        clipGeoJson: opts.clip ? fs.readFileSync(opts.clip, 'utf8') : undefined,
        naturalEarthDir: opts.naturalEarthDir && path.resolve(opts.naturalEarthDir), bounds, headerBoxes, sequence,
        inputs: opts.inputs.map((i) => path.resolve(i)),
      }));
      // a running update writes into the archive and the store: wait for it rather than replace them under it
      const lock = await UpdateLock.waitFor(storeDirFor(opts.out), { logger });
      try {
        await stage('commit', run, () => sink.commit());
        store?.commit();
      } finally {
        lock?.release();
      }

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
        maxMemoryBytes: opts.maxMemoryBytes,
        peakTempBytes: Math.max(temp.peakBytes, temp.sample()),
        nodesOnDisk,
        bounds,
        ...(coastline ? { coastline } : {}),
        totalMs: Date.now() - t0,
        ...(storeBytes !== undefined ? { storeBytes } : {}),
      };
    } catch (e) {
      // node locations and way tags on disk are closed after the features stage; a stage failing before leaves them open
      osm?.nodes.close();
      osm?.ways.close();
      store?.abort();
      await sink.abort();
      throw e;
    }
  } finally {
    memory.stop();
    if (!deps.temp) temp.dispose();
  }
}

