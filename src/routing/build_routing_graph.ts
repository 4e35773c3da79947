/**
 * Building the routing graph of OSM extracts, for `tuilerie route-build` and
 * `tuilerie import --routing`: read (two passes), network, per-profile graph and
 * contraction, file. Each stage logs its time; the summary has the counts and
 * the peak memory.
 */
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { Progress } from '../core/progress.js';
import { collectGarbage } from '../core/collect_garbage.js';
import type { OsmBlockSource } from '../osm/types.js';
import { openOsmFile } from '../osm/open_osm_file.js';
import { ChangedOsmSource } from '../osm/changed_osm_source.js';
import os from 'node:os';
import { removeStaleTempFiles, tempPathFor } from '../core/temp_files.js';
import { contractGraph } from './contraction.js';
import { contractInWorker } from './contract_in_worker.js';
import { buildProfileGraph, profileGraphBound, type ProfileGraph } from './profile_graph.js';
import type { RoadNetwork } from './road_network.js';
import { RoadNetworkBuilder, type BuildStats } from './road_network_builder.js';
import { mainNetworkEdges } from './strong_components.js';
import { ParkedNetwork } from './parked_network.js';
import { profileDataOf, writeRoutingData, type RoutingData } from './routing_data.js';
import { PROFILE_NAMES, type ProfileName } from './routing_profiles.js';

export interface BuildRoutingOptions {
  inputs: string[];
  /** osmChange files applied over the inputs, in order (the data an updated archive shows). */
  changes?: string[];
  out: string;
  profiles?: readonly ProfileName[];
  logger?: Logger;
  threads?: number;
  tty?: NodeJS.WriteStream;
  /** Memory budget: decides how many profiles contract at once (see contractionLanes). */
  maxMemoryBytes?: number;
}

export interface BuildRoutingSummary {
  out: string;
  bytes: number;
  nodes: number;
  edges: number;
  profiles: Record<string, { nodes: number; arcs: number; upArcs: number; contractMs: number }>;
  stats: BuildStats;
  stageMs: Record<string, number>;
  totalMs: number;
  peakRssMb: number;
  maxMemoryBytes?: number;
  /** Profiles contracted at once. */
  contractLanes: number;
}

export interface RoutingBuildResult {
  data: RoutingData;
  network: RoadNetwork;
  /** The profile graphs (their arcs as well as what the file keeps); empty with `keepGraphs: false`. */
  graphs: Map<ProfileName, ProfileGraph>;
  summary: Omit<BuildRoutingSummary, 'out' | 'bytes'>;
}

export interface BuildFromSourcesOptions {
  sources: OsmBlockSource[];
  profiles?: readonly ProfileName[];
  logger?: Logger;
  threads?: number;
  meta?: Record<string, unknown>;
  /** A terminal to draw progress bars on; otherwise periodic log lines. */
  tty?: NodeJS.WriteStream;
  /** Contract profiles on worker threads, in parallel (default: for graphs past WORKER_THRESHOLD nodes). */
  workers?: boolean;
  /** Memory budget: decides how many profiles contract at once (see contractionLanes). */
  maxMemoryBytes?: number;
  /**
   * Keep each profile graph's arcs in the result (default; tests and checks route on
   * them). Without, they go as soon as the profile is contracted: nothing writes them.
   */
  keepGraphs?: boolean;
  /**
   * A temporary file for the network arrays the contraction does not read (ParkedNetwork: geometry, names,
   * classes, OSM ids): out of memory while the profiles contract, where the build peaks, and read back after.
   * Without, they stay in memory.
   */
  parkFile?: string;
}

/**
 * Bytes one contraction takes, per node plus twice per arc of its graph: measured
 * 80–100 on the connected scale extracts (adjacency pools with their slack, upward
 * arcs, their final arrays, the worker's copy of the graph); rounded up.
 */
const CONTRACTION_BYTES_PER_ELEMENT = 110;

/**
 * How many profiles contract at once: one per thread, as long as their estimated
 * memory fits in what the budget leaves beside what the process holds already.
 * At least one: a budget too small is a reason to go slower, not to fail.
 */
export function contractionLanes(opts: { graphs: Array<{ nodeCount: number; arcs: number }>; threads: number; maxMemoryBytes?: number; rssBytes: number }): number {
  const most = Math.max(1, Math.min(opts.graphs.length, opts.threads));
  if (opts.maxMemoryBytes === undefined) return most;
  const sizes = opts.graphs.map((g) => CONTRACTION_BYTES_PER_ELEMENT * (g.nodeCount + 2 * g.arcs)).sort((a, b) => b - a);
  let lanes = 1;
  let used = sizes[0] ?? 0;
  while (lanes < most && opts.rssBytes + used + sizes[lanes] <= opts.maxMemoryBytes) used += sizes[lanes++];
  return lanes;
}

/**
 * contractionLanes for the profiles of `network` before any of their graphs is built (each is built when its
 * contraction starts): every one counted at the upper bound of its graph (profileGraphBound).
 */
export function profileContractionLanes(network: RoadNetwork, profiles: readonly ProfileName[], o: { threads: number; maxMemoryBytes?: number; rssBytes: number }): number {
  return contractionLanes({ graphs: profiles.map((p) => profileGraphBound(network, p)), ...o });
}

/** Below this many nodes (all profiles together), starting workers costs more than it saves. */
const WORKER_THRESHOLD = 30000;

/** Builds everything in memory from block sources (files or hand-made blocks). */
export async function buildRoutingFromSources(opts: BuildFromSourcesOptions): Promise<RoutingBuildResult> {
  const logger = opts.logger ?? silentLogger;
  const profiles = opts.profiles ?? PROFILE_NAMES;
  const t0 = Date.now();
  let peak = process.memoryUsage().rss;
  const sample = (): void => { peak = Math.max(peak, process.memoryUsage().rss); };
  const stageMs: Record<string, number> = {};
  const stage = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const s = Date.now();
    const r = await fn();
    stageMs[name] = Date.now() - s;
    sample();
    // What the stage dropped goes now, not when the next one is at its largest.
    collectGarbage();
    const m = process.memoryUsage();
    const mib = (b: number): number => Math.round(b / 1048576);
    logger.info(`[${name}] done in ${stageMs[name]} ms; MiB: rss ${mib(m.rss)} (peak ${mib(peak)}), JS heap ${mib(m.heapUsed)}, array buffers ${mib(m.arrayBuffers)}`);
    return r;
  };
  const builder = new RoadNetworkBuilder(profiles);
  await stage('ways', async () => {
    for (const src of opts.sources) {
      for await (const b of src.blocks({ nodes: false, ways: true, relations: true, routingOnly: true, threads: opts.threads })) builder.addWaysAndRelations(b);
    }
    builder.endWayPass();
  });
  await stage('nodes', async () => {
    for (const src of opts.sources) {
      for await (const b of src.blocks({ nodes: true, ways: false, relations: false, routingOnly: true, threads: opts.threads })) builder.addNodes(b);
    }
  });
  const network = await stage('network', () => builder.build());
  logger.info(`network: ${network.nodeCount} junctions, ${network.edgeCount} edges`, { ...builder.stats });
  // An empty graph would load and answer NoSegment to every request: refuse it
  // before anything is written, so a good graph already in place stays.
  if (network.edgeCount === 0) {
    const why = builder.stats.ways > 0 ? ` (${builder.stats.ways} routable ways, but none of their nodes is in the input)` : '';
    throw new TuilerieError('BAD_INPUT', `no routable way for ${profiles.join(', ')} in the input${why}; no routing graph written`);
  }
  const graphs = new Map<ProfileName, ProfileGraph>();
  const data: RoutingData = {
    network,
    profiles: new Map(),
    meta: { builtAt: new Date().toISOString(), ...opts.meta },
  };
  const perProfile: BuildRoutingSummary['profiles'] = {};
  let lanes = 1;
  const contractAll = async (): Promise<void> => {
    // Each profile graph is built when its contraction starts, so the graphs waiting
    // their turn take no memory meanwhile.
    let total = profiles.length * network.nodeCount;
    // One bar for all profiles: they contract at the same time.
    const progress = new Progress({ name: 'contract', unit: 'nodes', total, logger, tty: opts.tty });
    const parallel = opts.workers ?? total > WORKER_THRESHOLD;
    const contractOne = async (p: ProfileName): Promise<void> => {
      const g = buildProfileGraph(network, p);
      // The graph has its own copy of the profile's weights (geoWeight); the file does not store the network's.
      delete network.weights[p];
      graphs.set(p, g);
      collectGarbage(); // the build's scratch arrays, before the contraction allocates
      progress.setTotal((total += g.nodeCount - network.nodeCount));
      const s = Date.now();
      let last = 0;
      const onProgress = (done: number): void => {
        sample();
        progress.tick(done - last);
        last = done;
      };
      const ch = parallel
        ? await contractInWorker(g, network.edgeLength, onProgress)
        : contractGraph(g, { geoLength: (geo) => network.edgeLength[geo >> 1], onProgress });
      progress.tick(g.nodeCount - last);
      data.profiles.set(p, profileDataOf(g, ch, mainNetworkEdges(g, network.edgeCount)));
      if (opts.keepGraphs === false) graphs.delete(p);
      perProfile[p] = { nodes: g.nodeCount, arcs: g.arcHead.length, upArcs: ch.fwdNode.length + ch.bwdNode.length, contractMs: Date.now() - s };
    };
    const queue = [...profiles];
    lanes = parallel ? profileContractionLanes(network, profiles, {
      threads: opts.threads ?? os.availableParallelism(),
      maxMemoryBytes: opts.maxMemoryBytes,
      rssBytes: process.memoryUsage().rss,
    }) : 1;
    logger.info(`contracting ${lanes} profile${lanes > 1 ? 's' : ''} at once${opts.maxMemoryBytes !== undefined ? ` (memory budget ${Math.round(opts.maxMemoryBytes / 1048576)} MiB)` : ''}`);
    await Promise.all(Array.from({ length: lanes }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await contractOne(p);
    }));
    progress.finish();
    // Keep the profiles in their usual order in the file.
    const ordered = new Map([...data.profiles].sort((a, b) => profiles.indexOf(a[0]) - profiles.indexOf(b[0])));
    data.profiles = ordered;
  };
  await stage('contract', async () => {
    const parked = opts.parkFile !== undefined ? ParkedNetwork.park(network, opts.parkFile) : undefined;
    try {
      await contractAll();
    } catch (e) {
      parked?.discard();
      throw e;
    }
    parked?.restore();
  });
  return {
    data,
    network,
    graphs,
    summary: {
      nodes: network.nodeCount,
      edges: network.edgeCount,
      profiles: perProfile,
      stats: builder.stats,
      stageMs,
      totalMs: Date.now() - t0,
      peakRssMb: Math.round(peak / 1048576),
      maxMemoryBytes: opts.maxMemoryBytes,
      contractLanes: lanes,
    },
  };
}

/** Reads OSM files, builds every profile and writes the routing file (temp + rename). */
export async function buildRoutingGraph(opts: BuildRoutingOptions): Promise<BuildRoutingSummary> {
  const logger = (opts.logger ?? silentLogger).child('routing');
  const readers = await Promise.all(opts.inputs.map((p) => openOsmFile(p)));
  removeStaleTempFiles(`${opts.out}.network`, logger);
  const t0 = Date.now();
  const sources: OsmBlockSource[] = opts.changes?.length ? [await ChangedOsmSource.open(readers, opts.changes)] : readers;
  const result = await buildRoutingFromSources({
    sources,
    profiles: opts.profiles,
    logger,
    threads: opts.threads,
    tty: opts.tty,
    maxMemoryBytes: opts.maxMemoryBytes,
    keepGraphs: false,
    parkFile: tempPathFor(`${opts.out}.network`),
    meta: { inputs: opts.inputs.map((p) => p.split(/[\\/]/).pop()), ...(opts.changes?.length ? { changes: opts.changes.length } : {}) },
  });
  const s = Date.now();
  const bytes = writeRoutingData(opts.out, result.data);
  const stageMs = { ...result.summary.stageMs, write: Date.now() - s };
  logger.info(`wrote ${opts.out} (${(bytes / 1048576).toFixed(1)} MB)`);
  return { ...result.summary, stageMs, totalMs: Date.now() - t0, out: opts.out, bytes };
}
