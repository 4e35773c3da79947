/**
 * The routing graph built beside an archive (`X.mbtiles` → `X.routing`) by a
 * `tuilerie route-build` child process at low priority, so the server keeps serving
 * (the old graph, if any) meanwhile and picks the new file up when it is renamed into
 * place. `start` uses it after its import; `update` and `start --update-every` use it
 * when an update changed roads, building from the imported extracts plus every change
 * the store kept (`--changes-dir`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { MALLOC_THRESHOLD_BYTES, MALLOC_THRESHOLD_ENV } from './malloc_tuned_child.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { CHANGES_DIR, STORE_FILE, storeDirFor, type StoreSettings } from '../importer/update/store_builder.js';
import { OsmStore } from '../importer/update/osm_store.js';
import { claimBuilding, clearBuilding, markBuilding } from '../routing/routing_build_marker.js';
import { noteGraphBuiltFrom, roadsVersionOf, type RoadsVersion } from './graph_freshness.js';

export interface GraphBuildOptions {
  inputs: string[];
  /** osmChange files applied over the inputs (a store's kept changes). */
  changesDir?: string;
  graph: string;
  logger: Logger;
  stderr: NodeJS.WritableStream;
  /** The archive's roads as read before the build: noted beside the graph once it is built. */
  builtFrom?: RoadsVersion;
}

/** The graph a server looks for beside an archive. */
export function graphBeside(archive: string): string {
  return archive.replace(/\.(mbtiles|pmtiles)$/i, '') + '.routing';
}

/**
 * Runs `tuilerie route-build` for the graph in a child process at low priority; its log
 * goes to `stderr`. The marker beside the graph tells servers that routing is coming.
 * `done` settles with whether the build succeeded.
 */
export function buildGraphInBackground(opts: GraphBuildOptions): { child: ChildProcess; done: Promise<boolean> } {
  const { inputs, graph, logger } = opts;
  const changes = opts.changesDir ? ['--changes-dir', opts.changesDir] : [];
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'route-build', '--out', graph, ...changes, ...inputs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // set here, the child builds at once instead of starting one more process for it (malloc_tuned_child.ts)
    env: { ...process.env, [MALLOC_THRESHOLD_ENV]: String(MALLOC_THRESHOLD_BYTES) },
  });
  child.stdout!.pipe(opts.stderr, { end: false });
  child.stderr!.pipe(opts.stderr, { end: false });
  if (child.pid !== undefined) {
    markBuilding(graph, child.pid);
    try {
      os.setPriority(child.pid, 10);
    } catch {
      // not permitted here: the build competes with serving at normal priority
    }
  }
  const t0 = Date.now();
  const done = new Promise<boolean>((resolve) => {
    child.on('error', (e) => {
      clearBuilding(graph);
      logger.error(`routing graph build could not start: ${e.message}; routing stays as it was`);
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      clearBuilding(graph);
      if (code === 0 && opts.builtFrom) {
        try {
          noteGraphBuiltFrom(graph, opts.builtFrom);
        } catch (e) {
          logger.warn(`cannot note what ${graph} was built from (${(e as Error).message}): the next start builds it again`);
        }
      }
      if (code === 0) logger.info(`routing graph ${graph} built in ${((Date.now() - t0) / 1000).toFixed(1)} s; the server loads it on the next routing request`);
      else logger.error(`routing graph build failed (${signal ?? `exit ${code}`}); routing stays as it was until \`tuilerie route-build --out ${graph}\` succeeds`);
      resolve(code === 0);
    });
  });
  return { child, done };
}

/**
 * What the graph of an updatable archive is built from now: the imported extracts and
 * the changes applied since. A string says why it cannot be (no store, an older store
 * that did not record its inputs, an input gone).
 */
export function currentRoutingInputs(archive: string): { inputs: string[]; changesDir?: string } | string {
  const dir = storeDirFor(archive);
  const file = path.join(dir, STORE_FILE);
  if (!fs.existsSync(file)) return `no update store beside ${archive}`;
  let settings: StoreSettings | null;
  const store = OsmStore.open(file);
  try {
    settings = JSON.parse(store.meta('settings') ?? 'null') as StoreSettings | null;
  } finally {
    store.close();
  }
  const inputs = settings?.inputs;
  if (!inputs?.length) return `the store ${dir} does not record the imported extracts (an older import): re-import with --updatable`;
  const gone = inputs.find((i) => !fs.existsSync(i));
  if (gone) return `the imported extract ${gone} is gone`;
  const changesDir = path.join(dir, CHANGES_DIR);
  return fs.existsSync(changesDir) ? { inputs, changesDir } : { inputs };
}

/**
 * After an update that changed roads: rebuilds the archive's graph when it has one
 * (in the background of the server; `done` settles when the build ends). Undefined
 * when there is nothing to rebuild or it cannot be (logged).
 */
export async function rebuildGraphAfterUpdate(opts: { archive: string; logger: Logger; stderr: NodeJS.WritableStream; pollMs?: number }): Promise<{ child: ChildProcess; done: Promise<boolean> } | undefined> {
  const graph = graphBeside(opts.archive);
  // a build started before this update (start's, another update's) would write a graph without it: let it finish,
  // then build again. The marker is claimed exclusively, so of two updates ending together one builds at a time.
  let told = false;
  while (!claimBuilding(graph, process.pid)) {
    if (!told) opts.logger.info(`waiting for the routing graph build already running for ${graph}`);
    told = true;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
  }
  try {
    if (!fs.existsSync(graph)) {
      clearBuilding(graph);
      return undefined;
    }
    const from = currentRoutingInputs(opts.archive);
    if (typeof from === 'string') {
      opts.logger.warn(`roads changed but the routing graph ${graph} cannot be rebuilt: ${from}; it keeps the old roads`);
      clearBuilding(graph);
      return undefined;
    }
    opts.logger.info(`roads changed: rebuilding the routing graph ${graph} in the background; the old graph answers meanwhile`);
    // the marker passes to the builder (it names its pid; cleared when it ends)
    return buildGraphInBackground({ ...from, graph, logger: opts.logger, stderr: opts.stderr, builtFrom: roadsVersionOf(opts.archive) });
  } catch (e) {
    clearBuilding(graph);
    throw e;
  }
}
