/**
 * A `.routing.building` file beside the graph says "a process is building this
 * graph": `tuilerie start` writes it while the graph builds in a child process,
 * and the server (every cluster worker too) answers 503 instead of 404 until the
 * graph appears. It holds the builder's pid, so a marker left by a killed process
 * is ignored. An update claims it before deciding to build (claimBuilding), so two
 * updates ending together never build at once. Two claimants meeting a dead process's
 * marker at the same moment may both take it over (as with the update lock).
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

/**
 * Creates the marker only if no live process holds it (exclusive create: of two
 * processes trying at once, one wins), naming `pid`; false when another build or
 * claimant is alive. A marker of a process that is gone is taken over.
 */
export function claimBuilding(graph: string, pid: number): boolean {
  const marker = buildingMarkerPath(graph);
  // written whole, then linked into place: a link is created atomically or not at all, so no other
  // claimant reads a marker half written (an empty one would look like a dead process's)
  const tmp = `${marker}.${process.pid}.claim`;
  fs.writeFileSync(tmp, `${pid}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(tmp, marker);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (isBeingBuilt(graph)) return false;
      fs.rmSync(marker, { force: true });
    }
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
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
