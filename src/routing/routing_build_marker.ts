/**
 * A `.routing.building` file beside the graph says "a process is building this
 * graph": `tuilerie start` writes it while the graph builds in a child process,
 * and the server (every cluster worker too) answers 503 instead of 404 until the
 * graph appears. It holds the builder's pid, so a marker left by a killed process
 * is ignored.
 */
import fs from 'node:fs';
import { processAlive } from '../core/process_alive.js';

export function buildingMarkerPath(graph: string): string {
  return `${graph}.building`;
}

/** Writes the marker (temp + rename) naming `pid` as the builder. */
export function markBuilding(graph: string, pid: number): void {
  const marker = buildingMarkerPath(graph);
  const tmp = `${marker}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${pid}\n`);
  fs.renameSync(tmp, marker);
}

export function clearBuilding(graph: string): void {
  fs.rmSync(buildingMarkerPath(graph), { force: true });
}

/** True when the marker exists and the process it names still runs. */
export function isBeingBuilt(graph: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(buildingMarkerPath(graph), 'utf8');
  } catch {
    return false;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && processAlive(pid);
}
