/**
 * A thread of the `features` stage: builds its own profile, reads node locations
 * and way refs from the shared stores, turns the ways it is sent into tile
 * features in its own tile feature store, and at the end hands that store back
 * (shared memory, not copied). Natural Earth goes through its profile first so
 * the profile's joins (city ranks, country outlines) work as on the main thread;
 * the main thread alone writes Natural Earth features.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataErrors } from '../core/data_errors.js';
import type { Bounds } from '../core/tile_math.js';
import type { PolygonGeometry } from '../core/geometry.js';
import { NodeStore, type SharedNodeStore } from '../osm/node_store.js';
import type { OsmTags } from '../osm/types.js';
import type { FeatureCollector, RelationMembership } from '../schema/profile.js';
import { createProfile } from '../schema/profiles.js';
import { findNaturalEarthFiles, readNaturalEarthTable } from './natural_earth_reader.js';
import { OutputFeatureCollector } from './output_features.js';
import { WayGeometryBuilder, featureProcessor, wayFeature } from './source_features.js';
import { makeTileFilter } from './tile_bounds_filter.js';
import { TileFeatureStore, type SpillOptions, type TileStoreExport } from './tile_feature_store.js';
import { WayStore, type SharedWayStore } from './way_store.js';
import { ReachRecorder } from './update/reach_recorder.js';

export interface FeaturesWorkerInit {
  profile: string;
  nodes: SharedNodeStore;
  ways: SharedWayStore;
  zooms: { minzoom: number; maxzoom: number };
  bounds: Bounds;
  clip?: PolygonGeometry;
  naturalEarthDir?: string;
  /** The thread's tile feature store spills past this (prefix already made unique per thread). */
  spill?: SpillOptions;
  /** Record which tiles each way reached (an updatable import). */
  recordReach?: boolean;
}

export type FeaturesWorkerMessage =
  | { kind: 'ways'; id: number; indexes: number[]; tags: OsmTags[]; relations: RelationMembership[][] }
  | { kind: 'finish' };

export type FeaturesWorkerReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number }
  | { kind: 'result'; store: TileStoreExport; perLayer: [string, number][]; errors: Record<string, number>; emptyGeometries: number; reach?: Float64Array }
  | { kind: 'error'; message: string };

const init = workerData as FeaturesWorkerInit;
const port = parentPort!;

function run(): void {
  const profile = createProfile(init.profile);
  const osm = { nodes: NodeStore.fromShared(init.nodes), ways: WayStore.fromShared(init.ways) };
  const errors = new DataErrors();
  // an updatable import keeps each tile's features by source object
  const store = new TileFeatureStore(init.spill, init.recordReach === true);
  const collector = new OutputFeatureCollector(profile.layers, store, init.zooms, makeTileFilter(init.bounds, init.clip));
  const builder = new WayGeometryBuilder(osm, errors);
  const reach = init.recordReach ? new ReachRecorder() : undefined;
  if (reach) collector.onTiled = (...a) => reach.add(...a);
  const processFeature = featureProcessor(profile, collector, errors);

  if (init.naturalEarthDir && profile.naturalEarthTables.length > 0) {
    const discard: FeatureCollector = { add() {} };
    const files = findNaturalEarthFiles(init.naturalEarthDir, profile.naturalEarthTables);
    for (const table of profile.naturalEarthTables) {
      const file = files.get(table);
      if (file) for (const f of readNaturalEarthTable(table, file)) profile.processFeature(f, discard);
    }
  }
  port.postMessage({ kind: 'ready' } satisfies FeaturesWorkerReply);

  port.on('message', (msg: FeaturesWorkerMessage) => {
    try {
      if (msg.kind === 'ways') {
        for (let k = 0; k < msg.indexes.length; k++) {
          const f = wayFeature(msg.indexes[k], msg.tags[k], msg.relations[k], osm, builder);
          if (f) processFeature(f);
        }
        port.postMessage({ kind: 'done', id: msg.id } satisfies FeaturesWorkerReply);
      } else {
        port.postMessage({
          kind: 'result',
          store: store.exportData(),
          perLayer: [...collector.perLayer.entries()],
          errors: errors.toJSON(),
          emptyGeometries: collector.emptyGeometries,
          reach: reach?.toFlat(),
        } satisfies FeaturesWorkerReply);
        osm.nodes.close();
      }
    } catch (e) {
      port.postMessage({ kind: 'error', message: (e as Error).stack ?? String(e) } satisfies FeaturesWorkerReply);
    }
  });
}

try {
  run();
} catch (e) {
  port.postMessage({ kind: 'error', message: (e as Error).stack ?? String(e) } satisfies FeaturesWorkerReply);
}
