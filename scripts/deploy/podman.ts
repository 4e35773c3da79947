/**
 * What `npm run test:image` and `npm run test:compose` share: checking podman's
 * prerequisites (with the command that installs what is missing), the local
 * stand-ins for the node:20-bookworm base images, building an image in docker
 * format (HEALTHCHECK kept, one layer cache), running podman and reading its
 * answers, timed steps and checks that print what they measured.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED = path.resolve(process.env.TUILERIE_SHARED ?? path.join(ROOT, '..', 'shared'));
export const OSM_DIR = path.resolve(process.env.TUILERIE_TEST_DATA ? path.join(process.env.TUILERIE_TEST_DATA, 'osm') : path.join(SHARED, 'data', 'osm'));
export const BASE_IMAGES_SCRIPT = path.resolve(process.env.LOCAL_BASE_IMAGES ?? path.join(SHARED, 'scripts', 'local-base-images.sh'));
export const IMAGE = process.env.TUILERIE_IMAGE ?? 'localhost/tuilerie:latest';
export const INFRA_IMAGE = process.env.TUILERIE_INFRA_IMAGE ?? 'localhost/tuilerie-infra:latest';
/** The middle of mulhouse.osm.pbf (7.326–7.342 E, 47.749–47.755 N). */
export const MULHOUSE: [number, number] = [7.334, 47.752];

export const out = (line: string) => process.stdout.write(line + '\n');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CheckFailed extends Error {}
/** Thrown inside `waitFor` to give up at once (a container that stopped). */
export class Fatal extends CheckFailed {}

let failures = 0;
/** Prints a check's outcome; a failed check fails the run at the end (`finish`). */
export function check(name: string, ok: boolean, detail = ''): boolean {
  out(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
  return ok;
}
export function failureCount(): number {
  return failures;
}

/** The machine's cores and load average: the times and rates printed are read against it. */
export function outLoad(when: string): void {
  out(`machine ${when}: ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
}

/** Runs a step, prints its wall time, returns its result. */
export async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = Date.now();
  out(`--- ${name}`);
  const r = await fn();
  out(`    ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

/** podman (or another command) with captured output; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; allowFail?: boolean } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input: opts.input, env: opts.env ?? process.env, cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  const res = { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (r.error) throw new CheckFailed(`${cmd}: ${r.error.message}`);
  if (res.code !== 0 && !opts.allowFail) throw new CheckFailed(`${cmd} ${args.join(' ')} exited ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-15).join('\n')}`);
  return res;
}
export const podman = (args: string[], opts: Parameters<typeof run>[2] = {}) => run('podman', args, opts);

/** Runs a long command with its output in a log file; on failure, throws with the log's tail. */
export function runLogged(cmd: string, args: string[], opts: { log: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(opts.log, 'w');
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
    child.on('error', (e) => reject(new CheckFailed(`${cmd}: ${e.message}`)));
    child.on('exit', (code) => {
      fs.closeSync(fd);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(opts.log, 'utf8').trim().split('\n').slice(-25).join('\n');
      reject(new CheckFailed(`${cmd} ${args.join(' ')} exited ${code} (log: ${opts.log}):\n${tail}`));
    });
  });
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Root, podman (and podman-compose when asked): a clear message with the install command when missing. */
export function requirePrerequisites(opts: { compose?: boolean } = {}): void {
  if (process.getuid && process.getuid() !== 0) throw new CheckFailed('run as root: the local base images and rootful podman need it (sudo npm run …)');
  const missing = ['podman', ...(opts.compose ? ['podman-compose'] : [])].filter((c) => !has(c));
  if (missing.length) throw new CheckFailed(`missing ${missing.join(', ')}: apt-get install -y ${missing.join(' ')} (Debian packages)`);
}

const BASE_IMAGES = ['docker.io/library/node:20-bookworm', 'docker.io/library/node:20-bookworm-slim'];

/** The node:20-bookworm base images: made with local-base-images.sh when podman has none. */
export async function ensureBaseImages(logDir: string): Promise<void> {
  const absent = BASE_IMAGES.filter((i) => podman(['image', 'exists', i], { allowFail: true }).code !== 0);
  if (absent.length === 0) {
    out(`base images present: ${BASE_IMAGES.join(', ')}`);
    return;
  }
  if (!fs.existsSync(BASE_IMAGES_SCRIPT)) {
    throw new CheckFailed(`${absent.join(', ')} missing and no ${BASE_IMAGES_SCRIPT} to make them (set LOCAL_BASE_IMAGES, or pull them where a registry is reachable)`);
  }
  await step(`local base images (${BASE_IMAGES_SCRIPT}, ~10 min the first time)`, () =>
    runLogged('bash', [BASE_IMAGES_SCRIPT], { log: path.join(logDir, 'local-base-images.log') }));
}

/** `podman build --format docker` (keeps HEALTHCHECK; the same layer cache every time). */
export async function buildImage(opts: { tag: string; context: string; file?: string; logDir: string; name: string }): Promise<void> {
  const args = ['build', '--format', 'docker', '-t', opts.tag, ...(opts.file ? ['-f', opts.file] : []), opts.context];
  const log = path.join(opts.logDir, `build-${opts.name}.log`);
  await step(`podman ${args.join(' ')}`, () => runLogged('podman', args, { log }));
  const cached = (fs.readFileSync(log, 'utf8').match(/Using cache/g) ?? []).length;
  out(`    ${cached} layer(s) from cache; log ${log}`);
}

export function imageSize(tag: string): number {
  return Number(podman(['image', 'inspect', '--format', '{{.Size}}', tag]).stdout.trim());
}

/** The layers of an image, newest first: size in bytes and the instruction that made it. */
export function imageLayers(tag: string): Array<{ size: number; createdBy: string }> {
  const json = JSON.parse(podman(['history', '--format', 'json', tag]).stdout) as Array<{ size: number; CreatedBy?: string; createdBy?: string }>;
  return json.map((l) => ({ size: Number(l.size), createdBy: l.CreatedBy ?? l.createdBy ?? '' }));
}

export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Polls until `fn` returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export interface Fetched {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function get(url: string, init: RequestInit = {}): Promise<Fetched> {
  const r = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(180_000) });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

/** A request made from inside a container (to reach one instance, not the balancer). */
export function getInside(container: string, url: string): { status: number; body: Buffer } {
  const js = `fetch(${JSON.stringify(url)}).then(async r=>{process.stdout.write(JSON.stringify({s:r.status,b:Buffer.from(await r.arrayBuffer()).toString('base64')}))},e=>{console.error(String(e));process.exit(1)})`;
  const r = podman(['exec', container, 'node', '-e', js]);
  const j = JSON.parse(r.stdout) as { s: number; b: string };
  return { status: j.s, body: Buffer.from(j.b, 'base64') };
}

/** Slippy-map tile of a point. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}

export const isPng = (b: Buffer) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

/** Memory of a running container as podman stats reports it (bytes). */
export function containerMemory(name: string): number {
  const j = JSON.parse(podman(['stats', '--no-stream', '--format', 'json', name]).stdout) as Array<{ mem_usage?: string }>;
  const used = (j[0]?.mem_usage ?? '').split('/')[0]?.trim() ?? '';
  const m = /^([\d.]+)\s*([kMGT]?i?B)$/i.exec(used);
  if (!m) return NaN;
  const unit: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
  return Number(m[1]) * (unit[m[2]!] ?? NaN);
}

/**
 * Memory of a container's processes by command name (`node 3× 420 MB, chromium 6× 610 MB`): what the
 * cgroup figure is made of. PSS (proportional set size): pages shared by several processes, such as
 * Chromium's, are split between them, so the parts add up.
 */
export function processMemory(container: string): string {
  const script = 'for d in /proc/[0-9]*; do k=$(sed -n "s/^Pss:[^0-9]*\\([0-9]*\\).*/\\1/p" $d/smaps_rollup 2>/dev/null); [ -n "$k" ] && echo "$k $(cat $d/comm 2>/dev/null)"; done; true';
  const byName = new Map<string, { n: number; kb: number }>();
  for (const line of podman(['exec', container, 'sh', '-c', script]).stdout.trim().split('\n')) {
    const m = /^(\d+) (.+)$/.exec(line.trim());
    if (!m || m[2] === 'sh' || m[2] === 'sed' || m[2] === 'cat') continue;
    const e = byName.get(m[2]!) ?? { n: 0, kb: 0 };
    byName.set(m[2]!, { n: e.n + 1, kb: e.kb + Number(m[1]) });
  }
  return [...byName].sort((a, b) => b[1].kb - a[1].kb).map(([name, e]) => `${name} ${e.n}× ${mb(e.kb * 1024)}`).join(', ') + ' (PSS)';
}

/** Leaves the host as it was: removes what a run created, never fails. */
export function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    /* cleanup */
  }
}

export function logDir(name: string): string {
  const dir = path.join(ROOT, '.bench', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
