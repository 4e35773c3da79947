/** Helpers shared by the import benchmarks (bench_import.ts, bench_scale.ts). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs a command under /usr/bin/time: wall and CPU seconds, peak RSS (KiB) of the largest process it waited for. */
export function timedRun(cmd: string, args: string[]): { seconds: number; cpuSeconds: number; peakKb: number; output: string; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { seconds: Number(m[1]), cpuSeconds: Number(m[3]) + Number(m[4]), peakKb: Number(m[2]), output: r.stderr, stdout: r.stdout };
}

/** tilemaker's OpenMapTiles example config without its shapefile layers (offline), written into `work`. */
export function writeTilemakerConfig(work: string): { config: string; process: string } {
  const examples = '/usr/share/doc/tilemaker/examples';
  const c = JSON.parse(fs.readFileSync(path.join(examples, 'config-openmaptiles.json'), 'utf8'));
  // layers read from shapefiles (ocean, NE) are not available offline: drop them for both sides to be comparable
  c.layers = Object.fromEntries(Object.entries(c.layers).filter(([, v]) => !(v as { source?: string }).source));
  const config = path.join(work, 'tm-config.json');
  fs.writeFileSync(config, JSON.stringify(c, null, 1));
  const proc = path.join(work, 'tm-process.lua');
  fs.copyFileSync(path.join(examples, 'process-openmaptiles.lua'), proc);
  return { config, process: proc };
}

