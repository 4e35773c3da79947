/**
 * JavaScript heap limits derived from `import --max-memory`. V8 grows an old
 * generation towards its limit (≈ 4 GiB by default here) before collecting hard, so
 * an import's resident memory is mostly garbage waiting for a collection long
 * before the live data is that large; a limit sized to the budget makes V8
 * collect first. What lives outside the heaps (node locations, way tags and tile
 * features in typed buffers, code and native allocations) is taken off the budget first;
 * the floors keep an import whose live heap fits today from running out of heap.
 */

/**
 * The import's budget when --max-memory is not given: a quarter of the machine's RAM. The import keeps under its budget
 * whatever the input (what does not fit goes to temporary files), so this bounds the whole region too (≈ 300 M nodes:
 * 6 GiB on a 24 GiB machine), and leaves the rest to the tile server, its caches and the page cache of the files
 * read. Half the RAM took 4.8 GiB at 108 M nodes for the same speed: at 54 M nodes, 6 GiB writes no run either.
 */
export function defaultImportBudget(totalMemoryBytes: number): number {
  return Math.floor(totalMemoryBytes / 4);
}

/** Share of the budget for node locations in typed buffers (past it they go to a temporary file). */
export const NODE_SHARE = 0.25;
/** Share of the budget for the tags of wanted ways (past it they go to a temporary file, read back in way order). */
export const WAY_TAG_SHARE = 0.05;
/** Share of the budget for the tile feature stores together (typed buffers; past it: sorted runs on disk). */
export const TILE_FEATURE_SHARE = 0.15;
/** Share of the budget for each encoder thread's old generation (and each feature thread's: the two never run at once). */
const ENCODER_SHARE = 0.1;
/** Code, young generations, thread stacks, SQLite's page cache, zlib: outside every old generation. */
const NATIVE_BYTES = 96 * 2 ** 20;
/** Floors: the most a batch of 64 dense tiles (encoder) or the reading of ways and relations (main) has been seen to hold live, with room. */
export const MIN_ENCODER_HEAP_MB = 128;
export const MIN_MAIN_HEAP_MB = 512;
/** Ceiling of an encoder thread's heap: past it a limit only delays collections. */
const MAX_ENCODER_HEAP_MB = 1024;
/**
 * Young generations: every thread allocates short-lived objects fast (decoded tags, geometries, MVT layers), and each
 * scavenge copies what is still alive, so a small young generation pays that copy often (8 MiB: 22 % of a feature
 * thread's and 35 % of an encoder thread's time in GC at 13.5 M nodes). They take 1/256 of the budget each, between
 * V8's sizes (8 MiB a worker's young generation, 16 MiB the main thread's semi-space, as before: a 2 GiB budget keeps
 * them) and 24 MiB. At 54 M nodes (default budget, 2 threads) a 64 MiB ceiling took CPU from 415 to 325 s but the peak
 * from 3,669 to 4,280 MiB (features stage); 24 MiB took it to 349 s at 3,572 MiB: most of the gain, none of the memory.
 */
const YOUNG_DIVISOR = 256;
export const MIN_WORKER_YOUNG_MB = 8, MIN_MAIN_SEMI_SPACE_MB = 16, MAX_YOUNG_MB = 24;

export interface HeapLimits {
  /** Old generation of the main thread (the import's own heap), MiB. */
  mainMb: number;
  /** Old generation of each tile encoder thread, MiB. */
  encoderMb: number;
  /** Young generation of each feature and encoder thread, MiB. */
  workerYoungMb: number;
  /** Semi-space of the main thread's young generation (V8's --max-semi-space-size), MiB. */
  mainSemiSpaceMb: number;
}

/** `threads`: the import's threads (the tiles stage runs `threads - 1` encoder threads beside the main thread). */
export function heapLimits(maxMemoryBytes: number, threads: number): HeapLimits {
  const mb = 2 ** 20;
  const encoderMb = Math.min(MAX_ENCODER_HEAP_MB, Math.max(MIN_ENCODER_HEAP_MB, Math.floor(maxMemoryBytes * ENCODER_SHARE / mb)));
  const young = Math.floor(maxMemoryBytes / YOUNG_DIVISOR / mb);
  const workerYoungMb = Math.min(MAX_YOUNG_MB, Math.max(MIN_WORKER_YOUNG_MB, young));
  const mainSemiSpaceMb = Math.min(MAX_YOUNG_MB, Math.max(MIN_MAIN_SEMI_SPACE_MB, young));
  // NATIVE_BYTES holds V8's default young generations; larger ones come off the budget too (a young generation is 3 semi-spaces)
  const youngAbove = (Math.max(0, threads - 1) * (workerYoungMb - MIN_WORKER_YOUNG_MB) + 3 * (mainSemiSpaceMb - MIN_MAIN_SEMI_SPACE_MB)) * mb;
  const outside = maxMemoryBytes * (NODE_SHARE + TILE_FEATURE_SHARE + WAY_TAG_SHARE) + NATIVE_BYTES + youngAbove + Math.max(0, threads - 1) * encoderMb * mb;
  const mainMb = Math.max(MIN_MAIN_HEAP_MB, Math.floor((maxMemoryBytes - outside) / mb));
  return { mainMb, encoderMb, workerYoungMb, mainSemiSpaceMb };
}

/** Of what the budget has free once the OSM read is done, the part the tile feature stores may take (the rest: garbage, growth). */
const FREE_FOR_TILE_FEATURES = 0.5;

/**
 * The tile feature stores' budget in the features stage, all stores together: their share of the budget, or, when
 * more is free, half of what the budget has left beside the resident memory at the end of the OSM read
 * and the feature threads' heaps (`threads - 1` of them, old and young generations). Node locations, ways and tags
 * that stayed well under their shares leave their room to the tile features instead of spilling them: at 54 M nodes
 * and a 6 GiB budget, the 15 % share sent tile features to runs while the import peaked at 2.8 GiB.
 */
export function tileFeatureBudget(o: { maxMemoryBytes: number; rssBytes: number; threads: number; heap: HeapLimits }): number {
  const mb = 2 ** 20;
  const threadHeaps = Math.max(0, o.threads - 1) * (o.heap.encoderMb + 3 * o.heap.workerYoungMb) * mb;
  const free = o.maxMemoryBytes - o.rssBytes - threadHeaps - NATIVE_BYTES;
  return Math.max(Math.floor(o.maxMemoryBytes * TILE_FEATURE_SHARE), Math.floor(free * FREE_FOR_TILE_FEATURES));
}
