/**
 * What the update e2e tests share: two versions of a real extract and the osmChange
 * between them, the CLI run as a child (the server under test keeps its event loop),
 * the names a vector tile holds, and the teardown of servers that followed an update.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { CLI, osmFile } from './paths.js';
import { isGzip } from '../../src/core/gzip_bytes.js';
import type { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { copyObjects, deriveChanges, readOsmObjects, writeOsmObjects, type OsmObject } from './osm_versions.js';

export interface ExtractVersions {
  v1: string;
  v2: string;
  /** osmChange from v1 to v2 (.osc.gz). */
  change: string;
  objects: OsmObject[];
  edited: OsmObject[];
}

/** `extract` (a file of the shared data) as v1, `edit` applied to a copy as v2, and the change between them, in `dir`. */
export function extractVersions(dir: string, extract: string, edit: (edited: OsmObject[]) => void): ExtractVersions {
  const v1 = path.join(dir, 'v1.osm.pbf'), v2 = path.join(dir, 'v2.osm.pbf'), change = path.join(dir, 'c.osc.gz');
  const objects = readOsmObjects(osmFile(extract));
  writeOsmObjects(objects, v1);
  const edited = copyObjects(objects);
  edit(edited);
  writeOsmObjects(edited, v2);
  deriveChanges(v1, v2, change);
  return { v1, v2, change, objects, edited };
}

/** Runs the built CLI without blocking this process's event loop. */
export function runCliAsync(args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ status: code ?? -1, stderr }));
  });
}

/** Every `name` of a vector tile's features (gzipped or not). */
export function tileNames(tile: Buffer): Set<string> {
  const vt = new VectorTile(new PbfReader(isGzip(tile) ? zlib.gunzipSync(tile) : tile));
  const out = new Set<string>();
  for (const l of Object.values(vt.layers)) for (let i = 0; i < l.length; i++) { const n = l.feature(i).properties.name; if (typeof n === 'string') out.add(n); }
  return out;
}

/**
 * An update test's after(): stops its servers (those started) and removes its
 * directory (if made). A server that reloaded an archive writes its search index
 * in the background: waited for before the stop, and the removal retried.
 */
export async function stopServersAndRemove(servers: readonly (TuilerieServer | undefined)[], dir: string | undefined): Promise<void> {
  for (const s of servers) {
    if (!s) continue;
    await s.services.search.settled();
    await s.stop();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
}
