/**
 * The import's side of the update store: fills a new store in a temporary directory
 * beside the archive while the OSM is read (every node, every way, the collected
 * relations), the features are tiled (the reach index) and the tiles are encoded (each
 * tile's features by source object), then, once the archive is
 * in place, renames it to FILE.mbtiles.store/ over any previous store. A failed import
 * leaves the previous store as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../../core/errors.js';
import { LINEAGE_KEY } from '../../archive/mbtiles/mbtiles_change_log.js';
import type { OsmBlock } from '../../osm/types.js';
import type { Profile } from '../../schema/profile.js';
import { isCoastline } from '../coastline/coastline_ways.js';
import { wantsRelation } from '../osm_collector.js';
import { OsmStore } from './osm_store.js';
import { ReachRecorder, entriesOf } from './reach_recorder.js';
import type { TileFeature } from '../tile_feature_store.js';
import { canonicalOrder, encodeTileBlob } from './tile_feature_blob.js';

/** Tiles whose features are written to the store in one transaction. */
const TILE_BATCH = 512;

export const STORE_FILE = 'osm.sqlite';
/** Archive metadata key naming the store that belongs to it (also the lineage of the archive's change log). */
export const STORE_ID_KEY = LINEAGE_KEY;
/** Store meta key: the replication sequence the data is at (update --replication). */
export const SEQUENCE_KEY = 'replication_sequence';
/** Store meta key: the archive update generation that last changed roads (absent: none since the import). */
export const ROADS_GENERATION_KEY = 'roads_generation';

export function storeDirFor(archive: string): string {
  return `${path.resolve(archive)}.store`;
}

/** What an update needs to redo the import's work on part of the data. */
export interface StoreSettings {
  profile: string;
  minzoom: number;
  maxzoom: number;
  bbox?: [number, number, number, number];
  /** The --clip outline (GeoJSON text), kept in the store so the update needs no outside file. */
  clipGeoJson?: string;
  naturalEarthDir?: string;
  /** The bounds the archive was written with (given, or the nodes' extent). */
  bounds: [number, number, number, number];
  /** The inputs' header boxes (the sea's outline uses them when no extent is given). */
  headerBoxes?: ([number, number, number, number] | null)[];
  /** The replication sequence of the input (its header's), when there is one input that has it. */
  sequence?: number;
  /** The imported OSM files (absolute): with the applied changes (CHANGES_DIR), the current data for a routing graph. */
  inputs?: string[];
}

/** Store subdirectory keeping every applied osmChange file, in order (`NNNNNN-K.osc[.gz|.bz2]`). */
export const CHANGES_DIR = 'changes';

export class StoreBuilder {
  readonly dir: string;
  readonly id = crypto.randomUUID();
  private readonly tempDir: string;
  private readonly store: OsmStore;
  readonly recorder = new ReachRecorder();
  private readonly threadReach: Float64Array[] = [];
  private readonly loadBlock: (block: OsmBlock) => void;
  private readonly putTiles: (tiles: [number, Buffer][]) => void;
  private pendingTiles: [number, Buffer][] = [];
  private state: 'open' | 'finished' | 'done' = 'open';

  constructor(archive: string, private readonly profile: Profile) {
    this.dir = storeDirFor(archive);
    this.tempDir = `${this.dir}.tmp-${process.pid}`;
    try {
      fs.rmSync(this.tempDir, { recursive: true, force: true });
      fs.mkdirSync(this.tempDir, { recursive: true });
      this.store = OsmStore.create(path.join(this.tempDir, STORE_FILE));
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot create the update store in ${this.tempDir}: ${(e as Error).message}`, { cause: e });
    }
    const types = new Set(profile.relationTypes);
    this.loadBlock = this.store.db.transaction((block: OsmBlock) => {
      const s = this.store;
      if (block.nodeIds.length > 0) s.addNodes(block.nodeIds, block.nodeLons, block.nodeLats);
      for (const n of block.taggedNodes) if (this.profile.wants(n.tags, 'node')) s.tagNode(n.id, n.tags);
      for (const w of block.ways) s.addWay(w, this.profile.wants(w.tags, 'way') ? w.tags : null, isCoastline(w));
      for (const r of block.relations) if (wantsRelation(this.profile, types, r.tags)) s.addRelation(r);
    });
    this.putTiles = this.store.db.transaction((tiles: [number, Buffer][]) => {
      for (const [key, blob] of tiles) this.store.putTileFeatures(key, blob);
    });
  }

  /** The features of a tile the import writes (as the tiles stage gets them, with their source keys). */
  addTile(key: number, features: TileFeature[]): void {
    this.pendingTiles.push([key, encodeTileBlob(canonicalOrder(features))]);
    if (this.pendingTiles.length >= TILE_BATCH) this.flushTiles();
  }

  private flushTiles(): void {
    this.putTiles(this.pendingTiles);
    this.pendingTiles = [];
  }

  /** Every block read, before the import uses it. */
  addBlock(block: OsmBlock): void {
    this.loadBlock(block);
  }

  /** Reach entries recorded by a features thread. */
  addThreadReach(flat: Float64Array): void {
    this.threadReach.push(flat);
  }

  /** Writes the reach index and the settings, builds the indexes; returns the store's size in bytes. */
  finish(settings: StoreSettings): number {
    const s = this.store;
    this.flushTiles();
    s.db.transaction(() => {
      for (const flat of [this.recorder.toFlat(), ...this.threadReach]) for (const e of entriesOf(flat)) s.putReach(e);
      s.setMeta('id', this.id);
      s.setMeta('settings', JSON.stringify(settings));
      if (settings.sequence !== undefined) s.setMeta(SEQUENCE_KEY, String(settings.sequence));
    })();
    s.finishBulk();
    s.close();
    this.state = 'finished';
    return fs.statSync(path.join(this.tempDir, STORE_FILE)).size;
  }

  /** Puts the finished store in place (after the archive's commit). */
  commit(): void {
    if (this.state !== 'finished') throw new TuilerieError('INTERNAL', 'StoreBuilder.commit() before finish()');
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.renameSync(this.tempDir, this.dir);
    this.state = 'done';
  }

  abort(): void {
    if (this.state === 'done') return;
    this.store.close();
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}
