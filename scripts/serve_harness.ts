/**
 * What the soak, fault and fuzz scripts share: a Mulhouse archive made with
 * tilemaker (cached in .bench/), `tuilerie serve` started from dist/ on a free
 * loopback port with the osm-bright style, resident memory of the server and
 * its browser, and small output helpers. Loopback only; every child is stopped.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = path.join(ROOT, '.bench');
export const SHARED = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const STYLE = path.join(SHARED, 'styles', 'osm-bright', 'style.json');
export const MULHOUSE: [number, number] = [7.334, 47.752];

export const out = (line: string) => process.stdout.write(line + '\n');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** tilemaker's OpenMapTiles example (no shapefile layers) over an OSM extract, cached under .bench/data. */
export function tilemakerArchive(osmName = 'mulhouse.osm.pbf'): string {
  const file = path.join(BENCH, 'data', osmName.replace(/\.osm\.pbf$/, '') + '-tm.mbtiles');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const examples = '/usr/share/doc/tilemaker/examples';
  const config = JSON.parse(fs.readFileSync(path.join(examples, 'config-openmaptiles.json'), 'utf8'));
  for (const [name, layer] of Object.entries(config.layers as Record<string, { source?: string }>)) if (layer.source) delete config.layers[name];
  const cfg = path.join(BENCH, 'data', 'tilemaker-config.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  const tmp = file + '.tmp.mbtiles';
  fs.rmSync(tmp, { force: true });
  execFileSync('tilemaker', ['--input', path.join(SHARED, 'osm', osmName), '--output', tmp, '--config', cfg, '--process', path.join(examples, 'process-openmaptiles.lua'), '--threads', '1'], { cwd: path.dirname(file), stdio: 'ignore' });
  fs.renameSync(tmp, file);
  return file;
}

export interface Served {
  url: string;
  child: ChildProcess;
  /** Date.now() when the process was started. */
  startedAt: number;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** `tuilerie serve` with a config file (sources, osm-bright as "bright", dataDir), extra env and node options (e.g. --cpu-prof). */
export async function startServe(opts: { dir: string; sources: Record<string, string>; extraConfig?: Record<string, unknown>; env?: Record<string, string>; args?: string[]; nodeArgs?: string[]; stdoutFile?: string }): Promise<Served> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  const port = await freePort();
  const config = path.join(opts.dir, 'tuilerie.json');
  fs.writeFileSync(config, JSON.stringify({
    dataDir: path.join(opts.dir, 'data'),
    sources: Object.fromEntries(Object.entries(opts.sources).map(([id, p]) => [id, { path: p }])),
    styles: { bright: { path: STYLE } },
    ...opts.extraConfig,
  }));
  let log = '';
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, 'serve', '--config', config, '--port', String(port), '--host', '127.0.0.1', ...(opts.args?.includes('--workers') ? [] : ['--workers', '1']), ...(opts.args ?? [])], { stdio: ['ignore', opts.stdoutFile ? fs.openSync(opts.stdoutFile, 'w') : 'ignore', 'pipe'], env: { ...process.env, TUILERIE_LOG_LEVEL: 'warn', ...opts.env } });
  child.stderr!.on('data', (b: Buffer) => {
    log += b.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${log}`);
    try {
      if ((await fetch(url + '/health')).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`serve did not become healthy within 60 s: ${log}`);
    await sleep(100);
  }
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return { url, child, startedAt, stderr: () => log, stop };
}

/** Pids of a process and all its descendants (from /proc). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const outPids: number[] = [];
  const walk = (p: number) => {
    outPids.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return outPids;
}

/** CPU seconds (user + system) from a /proc stat file, NaN when the process or thread is gone. */
export function statCpu(file: string): number {
  try {
    const f = fs.readFileSync(file, 'utf8');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(v[11]) + Number(v[12])) / 100;
  } catch {
    return NaN;
  }
}

export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the server's node processes and, separately, of its browsers. */
export function rss(pid: number): { node: number; browser: number } {
  let node = 0, browser = 0;
  for (const p of processTree(pid)) {
    if (/chrom/i.test(commandOf(p))) browser += rssOf(p);
    else node += rssOf(p);
  }
  return { node, browser };
}

export const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** A z/x/y at a lon/lat. */
export function tileAt(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** XYZ tiles stored in an MBTiles between two zooms. */
export function storedTiles(file: string, minz: number, maxz: number): string[] {
  const rows = execFileSync('sqlite3', [file, `SELECT zoom_level || '/' || tile_column || '/' || ((1 << zoom_level) - 1 - tile_row) FROM tiles WHERE zoom_level BETWEEN ${minz} AND ${maxz}`], { encoding: 'utf8' });
  return rows.split('\n').filter((l) => l.length > 0);
}

export function sqliteIntegrity(file: string): string {
  try {
    return execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
  } catch (e) {
    return `error: ${(e as Error).message.split('\n')[0]}`;
  }
}
