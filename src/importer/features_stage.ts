/**
 * Stage `features`: ways and relations through the profile into tile features
 * (Natural Earth and tagged nodes went through before, while reading). Ways, the bulk, are shared out in
 * blocks between the main thread and `threads - 1` feature threads reading the
 * same shared node and way stores; each thread fills its own tile feature store.
 */
import type { DataErrors } from '../core/data_errors.js';
import type { Logger } from '../core/logger.js';
import type { MemoryWatch } from '../core/memory_watch.js';
import type { PolygonGeometry } from '../core/geometry.js';
import { Progress } from '../core/progress.js';
import type { Bounds } from '../core/tile_math.js';
import type { OsmTags } from '../osm/types.js';
import type { Profile, RelationMembership, SourceFeature } from '../schema/profile.js';
import { FeatureThreads, type ThreadHeap } from './feature_threads.js';
import { findNaturalEarthFiles, readNaturalEarthTable } from './natural_earth_reader.js';
import type { OsmCollection } from './osm_collector.js';
import type { OutputFeatureCollector } from './output_features.js';
import { relationFeature, wayFeature, WayGeometryBuilder } from './source_features.js';
import { addRelationSides } from './relation_sides.js';
import { WayMemberships } from './way_memberships.js';
import type { SpillOptions, TileFeatureStore } from './tile_feature_store.js';

/** Ways per block handed to a thread. */
const BLOCK = 2048;
/** Below this many ways, threads cost more than they save. */
const MIN_WAYS_FOR_THREADS = 20_000;

export interface FeaturesStageOptions {
  osm: OsmCollection;
  profile: Profile;
  /** Name under which feature threads can build the same profile (schema/profiles.ts); none: main thread only. */
  profileName?: string;
  collector: OutputFeatureCollector;
  /** Runs one source feature through the profile into the collector (featureProcessor). */
  process: (f: SourceFeature) => void;
  errors: DataErrors;
  memory: MemoryWatch;
  threads: number;
  zooms: { minzoom: number; maxzoom: number };
  bounds: Bounds;
  clip?: PolygonGeometry;
  naturalEarthDir?: string;
  /** Spill budget of each feature thread's tile feature store (prefix: one per thread is appended). */
  spill?: SpillOptions;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  /** Old and young generation of each feature thread, MiB (heap_limits.ts: an encoder thread's; they never run at once); none: V8's old, 8 MiB young. */
  threadHeap?: ThreadHeap;
  /** Called with what each feature thread's ways reached; set, threads record it (an updatable import). */
  onThreadReach?: (flat: Float64Array) => void;
}

/** Runs the stage; returns the tile feature stores filled by feature threads (the collector's own store aside). */
export async function runFeaturesStage(o: FeaturesStageOptions): Promise<TileFeatureStore[]> {
  const { osm, profile, collector, errors, memory, process } = o;
  const builder = new WayGeometryBuilder(osm, errors);

  const threads = o.profileName && o.threads > 1 && osm.ways.size >= MIN_WAYS_FOR_THREADS
    ? new FeatureThreads(o.threads - 1, {
      profile: o.profileName, nodes: osm.nodes.toShared(), ways: osm.ways.toShared(),
      zooms: o.zooms, bounds: o.bounds, clip: o.clip, naturalEarthDir: o.naturalEarthDir, spill: o.spill,
      recordReach: o.onThreadReach !== undefined,
    }, o.threadHeap)
    : undefined;
  if (threads) o.logger.debug(`feature threads: ${JSON.stringify(threads.resourceLimits)}`);
  try {
    const total = osm.ways.size + osm.relations.length;
    const progress = new Progress({ name: 'features', unit: 'objects', total, logger: o.logger.child('features'), tty: o.tty });

    const memberships = wayMemberships(osm, profile);
    if (profile.wantsSides) addRelationSides(memberships, osm, (r) => profile.wantsSides!(r.tags));
    await threads?.ready();
    for (let start = 0; start < osm.ways.size; start += BLOCK) {
      const end = Math.min(osm.ways.size, start + BLOCK);
      // a block goes to a thread that has room, else the main thread does it: the share adapts to each side's speed
      const target = threads ? threads.idleThread() : -1;
      if (threads && target >= 0) {
        const indexes: number[] = [], tags: OsmTags[] = [], rels: RelationMembership[][] = [];
        for (let i = start; i < end; i++) {
          const w = wayWork(osm, memberships, i);
          if (!w) continue;
          indexes.push(i); tags.push(w.tags); rels.push(w.relations);
        }
        await threads.send(target, indexes, tags, rels);
      } else {
        for (let i = start; i < end; i++) {
          const w = wayWork(osm, memberships, i);
          if (!w) continue;
          const f = wayFeature(i, w.tags, w.relations, osm, builder);
          if (f) process(f);
        }
        memory.sample();
        // lets the threads' "done" messages in, so blocks keep flowing to them
        if (threads) await new Promise<void>((r) => setImmediate(r));
      }
      progress.tick(end - start);
    }

    for (const rel of osm.relations) {
      progress.tick();
      const t = rel.tags.type;
      if (t !== 'multipolygon' && t !== 'boundary') continue;
      if (!profile.wants(rel.tags, 'relation')) continue;
      const f = relationFeature(rel, osm, builder, errors);
      if (f) process(f);
    }
    progress.finish();

    const results = threads ? await threads.finish() : [];
    for (const r of results) {
      for (const [layer, n] of r.perLayer) collector.perLayer.set(layer, (collector.perLayer.get(layer) ?? 0) + n);
      errors.merge(r.errors);
      collector.emptyGeometries += r.emptyGeometries;
      if (r.reach) o.onThreadReach?.(r.reach);
    }
    if (collector.emptyGeometries > 0) errors.count('empty_geometry', collector.emptyGeometries);
    return results.map((r) => r.store);
  } finally {
    await threads?.close();
  }
}


/** Natural Earth records through the profile, in the profile's table order. */
export function processNaturalEarth(dir: string, profile: Profile, o: { process: (f: SourceFeature) => void; logger: Logger; tty?: NodeJS.WriteStream }): void {
  const { process, logger, tty } = o;
  const files = findNaturalEarthFiles(dir, profile.naturalEarthTables);
  const ne = new Progress({ name: 'natural_earth', unit: 'records', logger: logger.child('natural_earth'), tty });
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

/** Memberships of ways in relations the profile asked for (boundaries, routes). */
export function wayMemberships(osm: Pick<OsmCollection, 'relations'>, profile: Profile): WayMemberships {
  return new WayMemberships(osm.relations, new Set(profile.relationTypes));
}

/** The tags and memberships way i is processed with, or null when it produces nothing. */
export function wayWork(osm: Pick<OsmCollection, 'ways'>, memberships: WayMemberships, i: number): { tags: OsmTags; relations: RelationMembership[] } | null {
  if (!osm.ways.isPrimary(i)) return null;
  const relations = memberships.size > 0 ? memberships.get(osm.ways.idAt(i)) : [];
  const tags = osm.ways.tagsAt(i) ?? (relations.length > 0 ? {} : null);
  return tags === null ? null : { tags, relations };
}
