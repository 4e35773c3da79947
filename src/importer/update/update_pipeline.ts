/**
 * `tuilerie update`: applies osmChange files to an updatable import's store and
 * regenerates exactly the tiles the changes reach, at every zoom, so the archive holds
 * what a full import of the new data would give.
 *   apply      the changes, in order, into the store
 *   locate     the affected objects, their tile features (made once, here) and where they
 *              reach now, and the region: old ∪ new tiles of each, at every zoom
 *   features   only when the bounds moved: every object the reach index puts in the region,
 *              with Natural Earth and the sea (tiles entering the bounds kept no features)
 *   tiles      each region tile's kept features (the store's, by source object) lose those
 *              of the objects run again and get their new ones; merged, generalised,
 *              encoded and written over the old tiles; region tiles left empty are dropped
 * Store and archive change in one SQLite transaction (the archive is attached to the
 * store's connection): readers see the old or the new archive, a failure leaves both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataErrors } from '../../core/data_errors.js';
import { TuilerieError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { MemoryWatch } from '../../core/memory_watch.js';
import { Progress } from '../../core/progress.js';
import { latToY, lonToX, tileFromKey, tileKey, xToLon, yToLat, type Bounds } from '../../core/tile_math.js';
import { OscReader } from '../../osm/osc_reader.js';
import type { FeatureCollector, Profile, SourceFeature } from '../../schema/profile.js';
import { createProfile } from '../../schema/profiles.js';
import { findNaturalEarthFiles, readNaturalEarthTable } from '../natural_earth_reader.js';
import { dataOutline } from '../coastline/data_outline.js';
import { OutputFeatureCollector } from '../output_features.js';
import { featureProcessor } from '../source_features.js';
import { makeTileFilter, parseClipOutline } from '../tile_bounds_filter.js';
import { TileFeatureStore } from '../tile_feature_store.js';
import { writeTiles } from '../tile_writer.js';
import type { StageTiming } from '../import_options.js';
import { stage as runStage } from '../import_pipeline.js';
import { affectedObjects } from './affected_objects.js';
import { AppliedChanges } from './applied_changes.js';
import { ChangeApplier, type ChangeCounts, type ChangeSet } from './change_applier.js';
import { MbtilesPatch } from './mbtiles_patch.js';
import { KIND, OsmStore, reachKey, type ReachEntry, type ReachKind } from './osm_store.js';
import { ReachRecorder, entriesOf } from './reach_recorder.js';
import { RegionTiles } from './region_tiles.js';
import { ROADS_GENERATION_KEY, SEQUENCE_KEY, STORE_FILE, STORE_ID_KEY, storeDirFor, type StoreSettings } from './store_builder.js';
import { emitSubset, type SeaSettings, type SubsetIds } from './subset_features.js';
import { UpdateLock } from './update_lock.js';
import { osmKey, SEA_KEY } from './source_key.js';
import { canonicalOrder, encodeTileBlob } from './tile_feature_blob.js';
import type { GatheredTile } from './gathered_tile.js';

export interface UpdateOptions {
  /** The MBTiles written by `import --updatable`. */
  archive: string;
  /** osmChange files, applied in this order. */
  changes: string[];
  threads: number;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  /**
   * Replication: the sequence the store must be at (undefined: none recorded yet) and the one it reaches, recorded in
   * the same transaction (a concurrent update that got there first makes this one fail, not apply changes twice).
   */
  sequence?: { from?: number; to: number };
}

export interface UpdateSummary {
  changes: ChangeCounts;
  /** `sameFeatures`: affected objects that gave the tiler what they gave it before, so the same tile features (left as they are). */
  affected: { nodes: number; ways: number; relations: number; sea: boolean; sameFeatures: number };
  /** Objects run through the profile again: everything in the regenerated tiles. */
  rerun: { nodes: number; ways: number; relations: number };
  /**
   * Per zoom: tiles rewritten, tiles removed because nothing is left in them, and region tiles left as they were
   * because the objects run again gave the same features there.
   */
  tilesPerZoom: Record<number, { written: number; removed: number; unchanged: number }>;
  tiles: number;
  boundsChanged: boolean;
  /** A road, a barrier or a turn restriction changed: a routing graph of this data is out of date. */
  roadsChanged: boolean;
  /**
   * The archive's change log entry: the tiles whose content changed (or that went away). A server drops the
   * rendered images over exactly these (its memory tier counts them); every other rendered tile keeps its key.
   */
  changeLog: { generation: number; changedTiles: number };
  dataErrors: Record<string, number>;
  stages: StageTiming[];
  peakRssBytes: number;
  totalMs: number;
}

/** Natural Earth records in the profile's table order, read once for both passes. */
function readNaturalEarth(dir: string | undefined, profile: Profile): SourceFeature[] {
  if (!dir || profile.naturalEarthTables.length === 0) return [];
  if (!fs.existsSync(dir)) throw new TuilerieError('IO_ERROR', `update: the Natural Earth directory of the import, ${dir}, is gone; restore it or re-import`);
  const files = findNaturalEarthFiles(dir, profile.naturalEarthTables);
  const out: SourceFeature[] = [];
  for (const table of profile.naturalEarthTables) {
    const file = files.get(table);
    if (file) for (const f of readNaturalEarthTable(table, file)) out.push(f);
  }
  return out;
}

function sameOutline(a: Float64Array | undefined, b: Float64Array | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]));
}

function sameBounds(a: Bounds, b: Bounds): boolean {
  return a.every((v, i) => v === b[i]);
}

export async function runUpdate(opts: UpdateOptions): Promise<UpdateSummary> {
  const t0 = Date.now();
  const memory = new MemoryWatch();
  const timings: StageTiming[] = [];
  const stage = <T>(name: string, fn: () => Promise<T> | T): Promise<T> => runStage(name, { timings, memory }, fn);
  const archive = path.resolve(opts.archive);
  const dir = storeDirFor(archive);
  if (!fs.existsSync(archive)) throw new TuilerieError('NOT_FOUND', `update: ${archive} does not exist`);
  if (!fs.existsSync(path.join(dir, STORE_FILE))) {
    throw new TuilerieError('NOT_FOUND', `update: no update store beside ${archive} (${dir}); import with --updatable first`);
  }
  for (const c of opts.changes) if (!fs.existsSync(c)) throw new TuilerieError('NOT_FOUND', `update: change file ${c} does not exist`);
  const lock = UpdateLock.take(dir);
  const store = OsmStore.open(path.join(dir, STORE_FILE));
  const errors = new DataErrors();
  try {
    const settings = JSON.parse(store.meta('settings') ?? 'null') as StoreSettings | null;
    if (!settings) throw new TuilerieError('BAD_INPUT', `update: ${dir} has no import settings; re-import with --updatable`);
    store.db.prepare('ATTACH DATABASE ? AS arc').run(archive);
    try {
      const patch = new MbtilesPatch(store.db, 'arc');
      if (patch.metadata(STORE_ID_KEY) !== store.meta('id')) {
        throw new TuilerieError('BAD_INPUT', `update: ${dir} does not belong to ${archive} (another import wrote one of them); re-import with --updatable`);
      }
      store.db.exec('BEGIN IMMEDIATE');
      try {
        const seq = opts.sequence;
        if (seq) {
          const now = store.meta(SEQUENCE_KEY);
          if ((now === undefined ? undefined : Number(now)) !== seq.from) {
            throw new TuilerieError('OVERLOADED', `update: the store moved to replication sequence ${now} meanwhile (another update); run again`);
          }
          store.setMeta(SEQUENCE_KEY, String(seq.to));
        }
        const summary = await applyAndRegenerate({ opts, store, settings, patch, errors, stage });
        await patch.commit();
        // a routing graph built before this generation lacks these roads (cli/graph_freshness.ts)
        if (summary.roadsChanged) store.setMeta(ROADS_GENERATION_KEY, String(patch.recorded!.generation));
        const kept = AppliedChanges.stage(dir, patch.recorded!.generation, opts.changes);
        try {
          store.db.exec('COMMIT');
        } catch (e) {
          kept.discard();
          throw e;
        }
        kept.publish();
        const changeLog = { generation: patch.recorded!.generation, changedTiles: patch.recorded!.tiles };
        return { ...summary, changeLog, dataErrors: errors.toJSON(), stages: timings, peakRssBytes: memory.peak, totalMs: Date.now() - t0 };
      } catch (e) {
        if (store.db.inTransaction) store.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      store.db.exec('DETACH DATABASE arc');
    }
  } finally {
    store.close();
    lock.release();
    memory.stop();
  }
}

interface Work {
  opts: UpdateOptions;
  store: OsmStore;
  settings: StoreSettings;
  patch: MbtilesPatch;
  errors: DataErrors;
  stage: <T>(name: string, fn: () => Promise<T> | T) => Promise<T>;
}

type Regenerated = Omit<UpdateSummary, 'changeLog' | 'dataErrors' | 'stages' | 'peakRssBytes' | 'totalMs'>;

async function applyAndRegenerate(w: Work): Promise<Regenerated> {
  const { opts, store, settings, patch, errors, stage } = w;
  const logger = opts.logger;
  const zooms = { minzoom: settings.minzoom, maxzoom: settings.maxzoom };
  // two profiles: the first only learns where changed objects reach now, the second makes the tiles; each
  // sees Natural Earth once, first, as in the import (its joins depend on it)
  const locating = createProfile(settings.profile);
  const making = createProfile(settings.profile);

  const clip = settings.clipGeoJson ? parseClipOutline(settings.clipGeoJson, 'the import\'s --clip outline') : undefined;
  const given = settings.bbox ?? clip?.bounds;
  const hasCoast = store.hasCoastline() || store.seaReach().length > 0;
  // without a given extent the sea is closed along the outline of all nodes: any node may move it
  const headerBoxes = (settings.headerBoxes ?? []).map((b) => b ?? undefined);
  const derivesOutline = hasCoast && !given;
  const outlineBefore = derivesOutline ? dataOutline(store.allNodePoints(), headerBoxes) : undefined;

  const applier = new ChangeApplier(store, locating, errors);
  await stage('apply', async () => {
    const progress = new Progress({ name: 'apply', unit: 'changes', logger: logger.child('apply'), tty: opts.tty });
    for (const file of opts.changes) {
      for await (const batch of new OscReader(file).changes()) {
        for (const c of batch) applier.apply(c);
        progress.tick(batch.length);
      }
    }
    progress.finish();
  });

  const oldBounds = settings.bounds;
  const newBounds: Bounds = given ?? nodeExtentAfter(store, oldBounds, applier.changes);
  const boundsChanged = !sameBounds(oldBounds, newBounds);
  // every node of the store, read once after the changes: for the outline test and the sea stage
  const pointsAfter = derivesOutline ? store.allNodePoints() : undefined;
  const sea: SeaSettings = {
    bounds: newBounds, clip: settings.bbox ? undefined : clip?.polygon,
    derived: pointsAfter && { points: pointsAfter, headerBoxes },
  };
  const outlineMoved = pointsAfter !== undefined && !sameOutline(outlineBefore, dataOutline(pointsAfter, headerBoxes));
  const naturalEarth = readNaturalEarth(settings.naturalEarthDir, locating);

  // the store keeps every tile's features by source object: only the affected objects run again, unless the
  // bounds moved (tiles entering them hold features no tile kept), then every object of the region does
  const incremental = !boundsChanged;
  const buckets = new TileFeatureStore(undefined, true);
  const filter = makeTileFilter(newBounds, clip?.polygon);
  const discard: FeatureCollector = { add() {} };

  const { affected, region, same } = await stage('locate', () => {
    const affected = affectedObjects(store, locating, applier.changes);
    const seaChanged = hasCoast && (affected.coastChanged || boundsChanged || outlineMoved);
    const region = new RegionTiles(zooms);
    // where the affected objects reached before (read before any entry is replaced)
    const before = new Map<number, ReachEntry>();
    const note = (kind: ReachKind, ids: Set<number>): void => {
      for (const id of ids) {
        const e = store.reach(kind, id);
        if (e) before.set(reachKey(kind, id), e);
      }
    };
    note(KIND.node, affected.nodes);
    note(KIND.way, affected.ways);
    note(KIND.relation, affected.relations);
    const seaBefore = seaChanged ? store.seaReach() : [];

    // incremental: the affected objects' tile features are made here, once; they fall in the tiles the objects
    // reach now, all in the region. Otherwise this only learns where they reach (the features stage runs the region).
    const profile = incremental ? making : locating;
    const recorder = new ReachRecorder();
    const collector = incremental
      ? new OutputFeatureCollector(making.layers, buckets, zooms, filter)
      : new OutputFeatureCollector(locating.layers, new TileFeatureStore(), zooms, () => false);
    collector.recordOnly = !incremental;
    collector.onTiled = (...a) => recorder.add(...a);
    // Natural Earth first, for the profile's joins; its features are in the kept tiles
    for (const f of naturalEarth) profile.processFeature(f, discard);
    const subsetErrors = incremental ? errors : new DataErrors();
    emitSubset({ store, profile, ids: { ...affected, sea: seaChanged }, sea, errors: subsetErrors, process: featureProcessor(profile, collector, subsetErrors) });
    if (incremental && collector.emptyGeometries > 0) errors.count('empty_geometry', collector.emptyGeometries);
    const after = [...entriesOf(recorder.toFlat())];
    // an object that handed the tiler what it handed it before has the very tile features it had: its tiles are not
    // made again for it (when the bounds moved every object of the region runs again anyway)
    const same = incremental ? sameSignatures(before, after) : new Set<number>();
    for (const [key, e] of before) {
      if (same.has(key)) continue;
      store.deleteReach(e.kind, e.id);
      region.addReach(e);
    }
    for (const e of seaBefore) { store.deleteReach(KIND.sea, e.id); region.addReach(e); }
    for (const e of after) {
      if (same.has(reachKey(e.kind, e.id))) continue;
      store.putReach(e);
      region.addReach(e);
    }
    if (boundsChanged) {
      region.addBoundsChange(oldBounds, newBounds);
      store.setMeta('settings', JSON.stringify({ ...settings, bounds: newBounds }));
    }
    return { affected: { ...affected, coastChanged: seaChanged }, region, same };
  });
  logger.info(`update: ${affected.nodes.size} nodes, ${affected.ways.size} ways, ${affected.relations.size} relations affected (${same.size} with the same features); ${region.size} tiles to make again`);

  let rerun = { nodes: affected.nodes.size, ways: affected.ways.size, relations: affected.relations.size };
  const replaced = incremental ? replacedKeys({ ...affected, sea: affected.coastChanged }, same) : new Set<number>();
  if (!incremental) {
    await stage('features', () => {
      const collector = new OutputFeatureCollector(making.layers, buckets, zooms, (z, x, y) => region.has(z, x, y) && filter(z, x, y));
      const process = featureProcessor(making, collector, errors);
      for (const f of naturalEarth) process(f);
      const ids = objectsIn(store, region, making);
      rerun = { nodes: ids.nodes.size, ways: ids.ways.size, relations: ids.relations.size };
      emitSubset({ store, profile: making, ids, sea, errors, process });
      if (collector.emptyGeometries > 0) errors.count('empty_geometry', collector.emptyGeometries);
    });
  }

  /**
   * Each region tile's features: the kept ones of the objects not run again, and the new ones, in import order. The
   * encoders swap the new ones in (gathered_tile.ts); a tile where the objects run again give the very features they
   * gave before is left as it is (`unchanged`).
   */
  const unchanged = new Set<number>();
  function* gathered(keys: number[]): Generator<GatheredTile> {
    for (const key of keys) {
      const { z, x, y } = tileFromKey(key);
      // incremental: the features made are those of the affected objects, kept only where they replace theirs
      const made = buckets.take(key);
      const fresh = canonicalOrder(incremental && same.size > 0 ? made.filter((f) => replaced.has(f.src!)) : made);
      const blob = incremental && filter(z, x, y) ? store.tileFeatures(key) : undefined;
      if (!blob) {
        const next = fresh.length > 0 ? encodeTileBlob(fresh) : null;
        if (next) store.putTileFeatures(key, next);
        else store.deleteTileFeatures(key);
        yield { key, blob: next };
        continue;
      }
      // the stored tile: the layers whose features stay are copied from it
      yield { key, blob, swap: { fresh: fresh.length > 0 ? encodeTileBlob(fresh) : new Uint8Array(0), previous: patch.tile(z, x, y) } };
    }
  }
  const swapped = (key: number, features: Uint8Array | null | 'unchanged'): void => {
    if (features === 'unchanged') unchanged.add(key);
    else if (features) store.putTileFeatures(key, Buffer.from(features.buffer, features.byteOffset, features.byteLength));
    else store.deleteTileFeatures(key);
  };

  const tilesPerZoom: Record<number, { written: number; removed: number; unchanged: number }> = {};
  const perZoom = (z: number): { written: number; removed: number; unchanged: number } => (tilesPerZoom[z] ??= { written: 0, removed: 0, unchanged: 0 });
  await stage('tiles', async () => {
    const keys = region.keys();
    const tiles = { total: keys.length, tiles: gathered(keys), replaced, onSwapped: swapped };
    const written = await writeTiles({ tiles, layers: making.layers, sink: patch, logger: logger.child('tiles'), tty: opts.tty, threads: opts.threads });
    written.tilesPerZoom.forEach((n, z) => { if (n) perZoom(z).written = n; });
    for (const t of region.tiles()) {
      const key = tileKey(t.z, t.x, t.y);
      if (unchanged.has(key)) perZoom(t.z).unchanged++;
      else if (!patch.written.has(key) && patch.dropTile(t.z, t.x, t.y)) perZoom(t.z).removed++;
    }
    if (boundsChanged) {
      patch.setMetadataValue('bounds', newBounds.join(','));
      const center = [xToLon((lonToX(newBounds[0]) + lonToX(newBounds[2])) / 2), yToLat((latToY(newBounds[1]) + latToY(newBounds[3])) / 2)];
      const z = Math.min(zooms.maxzoom, Math.max(zooms.minzoom, 12));
      patch.setMetadataValue('center', `${center[0]},${center[1]},${z}`);
    }
  });

  return {
    changes: applier.changes.counts,
    affected: { nodes: affected.nodes.size, ways: affected.ways.size, relations: affected.relations.size, sea: affected.coastChanged, sameFeatures: same.size },
    rerun,
    tilesPerZoom,
    tiles: Object.values(tilesPerZoom).reduce((s, v) => s + v.written + v.removed, 0),
    boundsChanged,
    roadsChanged: applier.changes.roadsChanged,
  };
}

/**
 * The nodes' extent after the changes, from the one before: grown by the changed nodes' new locations, unless a
 * changed node was on its edge (moved or deleted, the extent may shrink): then read from every node.
 */
function nodeExtentAfter(store: OsmStore, before: Bounds, changes: ChangeSet): Bounds {
  const was = changes.nodesBefore, now = changes.nodesAfter;
  const fixed = (v: number): number => Math.round(v * 1e7) / 1e7;
  const onEdge = fixed(was[0]) <= before[0] || fixed(was[1]) <= before[1] || fixed(was[2]) >= before[2] || fixed(was[3]) >= before[3];
  if (onEdge) return store.nodeExtent() ?? before;
  if (now[0] > now[2]) return before;
  return [Math.min(before[0], fixed(now[0])), Math.min(before[1], fixed(now[1])), Math.max(before[2], fixed(now[2])), Math.max(before[3], fixed(now[3]))];
}

/** The source keys of the objects run again whose kept features are replaced: all but those with the `same` (reach keys). */
function replacedKeys(ids: { nodes: Set<number>; ways: Set<number>; relations: Set<number>; sea: boolean }, same: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  for (const id of ids.nodes) if (!same.has(reachKey(KIND.node, id))) out.add(osmKey('node', id));
  for (const id of ids.ways) if (!same.has(reachKey(KIND.way, id))) out.add(osmKey('way', id));
  for (const id of ids.relations) if (!same.has(reachKey(KIND.relation, id))) out.add(osmKey('relation', id));
  if (ids.sea) out.add(SEA_KEY);
  return out;
}

/**
 * Reach keys of the objects whose one entry after has the signature of their entry before (both known): what they
 * hand the tiler, hence their tile features, did not change. An object recorded twice (its features not emitted
 * together) is never taken as the same.
 */
function sameSignatures(before: ReadonlyMap<number, ReachEntry>, after: readonly ReachEntry[]): Set<number> {
  const count = new Map<number, number>();
  for (const e of after) { const k = reachKey(e.kind, e.id); count.set(k, (count.get(k) ?? 0) + 1); }
  const out = new Set<number>();
  for (const e of after) {
    const k = reachKey(e.kind, e.id);
    const b = before.get(k);
    if (count.get(k) === 1 && b?.signature !== undefined && b.signature === e.signature) out.add(k);
  }
  return out;
}

/** Every object the reach index puts in a region tile (widened by the object's own buffer). */
function objectsIn(store: OsmStore, region: RegionTiles, profile: Profile): SubsetIds & { nodes: Set<number>; ways: Set<number>; relations: Set<number> } {
  const maxBuffer = Math.max(0, ...profile.layers.map((l) => l.buffer)) + 1;
  const out = { nodes: new Set<number>(), ways: new Set<number>(), relations: new Set<number>(), sea: false };
  for (const { z, x, y } of region.tiles()) {
    const n = 2 ** z;
    const b = maxBuffer / 256;
    for (const e of store.reachingBox((x - b) / n, (y - b) / n, (x + 1 + b) / n, (y + 1 + b) / n, z)) {
      const eb = (e.bufferPx + 1) / 256;
      if (e.box[2] < (x - eb) / n || e.box[0] > (x + 1 + eb) / n || e.box[3] < (y - eb) / n || e.box[1] > (y + 1 + eb) / n) continue;
      if (e.kind === KIND.node) out.nodes.add(e.id);
      else if (e.kind === KIND.way) out.ways.add(e.id);
      else if (e.kind === KIND.relation) out.relations.add(e.id);
      else out.sea = true;
    }
  }
  return out;
}
