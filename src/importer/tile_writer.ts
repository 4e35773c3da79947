/**
 * Stage `tiles`: every tile with features is generalised, encoded as MVT and
 * gzipped (tile_encoder.ts). The main thread encodes batches itself and hands
 * others to `threads - 1` encoder threads reading the shared feature store; it
 * alone writes to the sink. An update's tiles come as store blobs the encoders
 * also swap (update/gathered_tile.ts): the main thread only reads and writes.
 */
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { Progress, progressTo } from '../core/progress.js';
import { tileFromKey } from '../core/tile_math.js';
import type { TileSink } from '../archive/tile_source.js';
import type { LayerSpec } from '../schema/profile.js';
import { decodeGroupRows, STORE_SEQ_BASE, type TileFeature, type TileStoreGroup } from './tile_feature_store.js';
import { decodeRunRecords } from './tile_feature_runs.js';
import { MAX_FAN_IN, mergeRunsBounded } from './tile_run_merge.js';
import { TileEncodePool } from './tile_encode_pool.js';
import type { GatheredTile } from './update/gathered_tile.js';
import { encodeBatchTile, type EncodedTile, type TileBatch } from './tile_batch.js';
import type { ThreadHeap } from './feature_threads.js';

export interface TileWriteResult {
  tilesPerZoom: number[];
  bytes: number;
  /** The largest tile of the deepest zoom written: where the data is densest (a town centre), the viewer's first view. */
  densest?: { z: number; x: number; y: number; bytes: number };
}

export interface WriteTilesOptions {
  /** The features stage's stores; or, instead, `tiles`. */
  store?: TileStoreGroup;
  /** Tiles whose features are already gathered as update store blobs, in key order (an update). */
  tiles?: GatheredTiles;
  layers: readonly LayerSpec[];
  sink: TileSink;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  /** Encoder threads; 1 encodes on the main thread. */
  threads: number;
  /** Tiles outside the import's bounds are dropped (features tiled before the bounds were known). */
  filter?: (z: number, x: number, y: number) => boolean;
  /** Old and young generation of each encoder thread, MiB (derived from --max-memory); none: V8's default old, 8 MiB young. */
  encoderHeap?: ThreadHeap;
  /** Told of every tile's features (decoded, with the seq order the encoder uses) before it is encoded (with `store` only). */
  onTile?: (key: number, features: TileFeature[]) => void;
  /** Most feature runs read at once (tile_run_merge.ts; derived from --max-memory); default MAX_FAN_IN. */
  mergeFanIn?: number;
}

/** An update's tiles (update/gathered_tile.ts). */
export interface GatheredTiles {
  /** How many. */
  total: number;
  tiles: Iterable<GatheredTile>;
  /** Source keys whose kept features the swaps replace. */
  replaced: ReadonlySet<number>;
  /** Told, for each tile that came with a swap, its swapped features (null: none left), or that it stays as it is. */
  onSwapped: (key: number, features: Uint8Array | null | 'unchanged') => void;
}

const BATCH = 64;
/**
 * An update's tiles are few and some (low zooms) heavy: small batches keep the main thread, which encodes some too,
 * from holding finished batches of the threads for long.
 */
const GATHERED_BATCH = 16;

/** A batch of tiles to encode: rows of the in-memory stores, or records merged from runs (bytes, decoded where encoded). */
type Batch = TileBatch;
type BlobBatch = Extract<TileBatch, { blobs: Uint8Array[] }>;

const NO_FEATURES = new Uint8Array(0);
/** Batches each encoder thread has in hand. */
const IN_FLIGHT = 2;

/** Gathered tiles (update store blobs) in batches. */
function* blobBatches(tiles: Iterable<GatheredTile>): Generator<Batch> {
  let b: BlobBatch = { keys: [], blobs: [], swaps: [] };
  for (const t of tiles) {
    b.keys.push(t.key);
    b.blobs.push(t.blob ?? NO_FEATURES);
    b.swaps.push(t.swap ?? null);
    if (b.keys.length === GATHERED_BATCH) { yield b; b = { keys: [], blobs: [], swaps: [] }; }
  }
  if (b.keys.length > 0) yield b;
}

function batchFeatures(b: Exclude<Batch, BlobBatch>, i: number, snaps: ReturnType<TileStoreGroup['snapshots']>): TileFeature[] {
  if ('rows' in b) return decodeGroupRows(snaps, b.rows[i]);
  return decodeRunRecords(b.records[i]);
}

/** Tiles merged from runs in batches. */
function* recordBatches(tiles: Iterable<{ key: number; records: Uint8Array }>, keep: (key: number) => boolean): Generator<Batch> {
  let b: { keys: number[]; records: Uint8Array[] } = { keys: [], records: [] };
  for (const t of tiles) {
    if (!keep(t.key)) continue;
    b.keys.push(t.key);
    b.records.push(t.records);
    if (b.keys.length === BATCH) { yield b; b = { keys: [], records: [] }; }
  }
  if (b.keys.length > 0) yield b;
}

/**
 * The tiles to write, in key order, as batches: from the stores' tile index, or, when
 * features went to runs, merged from them tile by tile (nothing else held), at most
 * `fanIn` runs open at once; the runs are removed as they are merged (read once).
 */
function* batches(store: TileStoreGroup, keep: (key: number) => boolean, fanIn: number, logger: Logger, tty?: NodeJS.WriteStream): Generator<Batch> {
  if (!store.spilled) {
    const keys = store.keys().filter(keep);
    for (let i = 0; i < keys.length; i += BATCH) {
      const k = keys.slice(i, i + BATCH);
      yield { keys: k, rows: k.map((key) => store.takeRows(key)) };
    }
    return;
  }
  const runs = store.runFiles().flatMap((files, s) => files.map((file) => ({ file, seqBase: s * STORE_SEQ_BASE })));
  logger.info(`merging ${runs.length} feature runs, at most ${fanIn} at once`);
  const merged = mergeRunsBounded(runs, {
    fanIn, dir: path.dirname(runs[0].file), prefix: 'merged', removeInputs: true, progress: progressTo(logger, tty),
    onPass: (p) => logger.info(`pre-merge pass ${p.pass + 1}: ${p.runs} runs, ${p.groups} groups of up to ${fanIn} merged, ${p.left} runs left`),
  });
  yield* recordBatches(merged, keep);
}

/**
 * Encodes a batch's tiles on the main thread one at a time, letting worker results in after each (`between`): a thread
 * that finished its batches waits for the main thread to hand it the next, so a whole batch encoded at once (64 tiles,
 * heavy ones at low zooms) left the encoder thread idle 17.7 % of the tiles stage at 800 copies under --max-memory 512M.
 */
export async function encodeYielding(count: number, encodeOne: (i: number) => void, between: () => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i++) {
    encodeOne(i);
    await between();
  }
}

export async function writeTiles(opts: WriteTilesOptions): Promise<TileWriteResult> {
  const { store, layers, sink } = opts;
  if (!store === !opts.tiles) throw new Error('writeTiles: give either store or tiles');
  if (opts.tiles && opts.onTile) throw new Error('writeTiles: onTile is for the features stage\'s stores');
  const keep = (k: number): boolean => {
    if (!opts.filter) return true;
    const { z, x, y } = tileFromKey(k);
    return opts.filter(z, x, y);
  };
  const spilled = store ? store.spilled : true;
  // merged runs are counted as they come: their tiles are not known before
  const total = opts.tiles ? opts.tiles.total : spilled ? undefined : store!.keys().filter(keep).length;
  const progress = new Progress({ name: 'tiles', unit: 'tiles', total, logger: opts.logger, tty: opts.tty });
  const result: TileWriteResult = { tilesPerZoom: [], bytes: 0 };
  const put = (key: number, data: Uint8Array | null): void => {
    progress.tick();
    if (!data) return;
    const { z, x, y } = tileFromKey(key);
    sink.putTile(z, x, y, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    result.bytes += data.byteLength;
    result.tilesPerZoom[z] = (result.tilesPerZoom[z] ?? 0) + 1;
    const d = result.densest;
    if (!d || z > d.z || (z === d.z && data.byteLength > d.bytes)) result.densest = { z, x, y, bytes: data.byteLength };
  };

  const gathered = opts.tiles;
  const done = (t: EncodedTile): void => {
    if (t.features !== undefined || t.unchanged) gathered!.onSwapped(t.key, t.unchanged ? 'unchanged' : t.features!);
    put(t.key, t.data);
  };
  const snaps = spilled ? [] : store!.snapshots();
  const ctx = { snapshots: snaps, layers, replaced: gathered?.replaced ?? new Set<number>() };
  const encodeHere = (b: Batch): void => {
    for (let i = 0; i < b.keys.length; i++) done(encodeBatchTile(b, i, ctx));
  };
  const source = store ? batches(store, keep, opts.mergeFanIn ?? MAX_FAN_IN, opts.logger, opts.tty) : blobBatches(gathered!.tiles);
  const next = (): Batch | undefined => {
    const r = source.next();
    if (r.done) return undefined;
    const b = r.value;
    if (opts.onTile && !('blobs' in b)) b.keys.forEach((key, i) => opts.onTile!(key, batchFeatures(b, i, snaps)));
    return b;
  };
  try {
    const helpers = total !== undefined && total < (gathered ? GATHERED_BATCH : BATCH) * 4 ? 0 : Math.max(0, opts.threads - 1);
    if (helpers === 0) {
      for (let b = next(); b; b = next()) encodeHere(b);
    } else {
      // the main thread reads the tiles and writes what comes back, and encodes batches (an update's gathered tiles:
      // tiles) between; the threads have two batches each in flight, so one is waiting while the main thread encodes
      // (with one, a thread that finished sat idle until the main thread's batch was done: 26 % of an encoder thread's
      // time at 13.5 M nodes). An update's tiles are few, so a larger young generation costs little
      const young = opts.encoderHeap?.youngMb ?? 8;
      const pool = new TileEncodePool(helpers, snaps, layers, { youngMb: gathered ? Math.max(32, young) : young, oldMb: opts.encoderHeap?.oldMb, replaced: gathered?.replaced });
      opts.logger.debug(`encoder threads: ${JSON.stringify(pool.resourceLimits[0])}`);
      try {
        const runWorker = async (slot: number): Promise<void> => {
          for (let b = next(); b; b = next()) {
            const res = await ('rows' in b ? pool.encode(slot, b.keys, b.rows) : 'records' in b ? pool.encodeRecords(slot, b.keys, b.records) : pool.encodeBlobs(slot, b));
            for (const t of res.tiles) done(t);
          }
        };
        const runMain = async (): Promise<void> => {
          const between = (): Promise<void> => new Promise<void>((r) => setImmediate(r));
          for (let b = next(); b; b = next()) {
            const batch = b;
            await encodeYielding(batch.keys.length, (i) => done(encodeBatchTile(batch, i, ctx)), between);
          }
        };
        await Promise.all([...Array.from({ length: pool.size * IN_FLIGHT }, (_, i) => runWorker(i % pool.size)), runMain()]);
      } finally {
        await pool.close();
      }
    }
  } finally {
    // a failure mid-way: the merge's open run files close now, not never (file descriptors are not collected)
    source.return(undefined);
  }
  progress.finish();
  return result;
}
