/**
 * Probes of a running stack for `npm run test:compose`: continuous load through the
 * balancer (every failure kept), an instance's render count from its /metrics, the CPU
 * time its container used (cgroup).
 */
import { getInside, podman } from './podman.js';

/** Metatile renders done by an instance (0 before its first raster request). */
export function rendersOf(container: string): number {
  const text = getInside(container, 'http://127.0.0.1:8080/metrics').body.toString();
  const m = /^tuilerie_render_renders_total(?:\{[^}]*\})? (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** CPU seconds used by the containers so far (cgroup v1 cpuacct, else v2 cpu.stat). */
export function cpuSeconds(containers: string[]): number {
  let total = 0;
  for (const c of containers) {
    const f = '/sys/fs/cgroup/cpuacct/cpuacct.usage';
    const [unit, value] = podman(['exec', c, 'sh', '-c', `if [ -r ${f} ]; then echo ns $(cat ${f}); else echo us $(sed -n 's/^usage_usec //p' /sys/fs/cgroup/cpu.stat); fi`]).stdout.trim().split(' ');
    total += Number(value) / (unit === 'ns' ? 1e9 : 1e6);
  }
  return total;
}

/** The instance that answered through the balancer: `X-Upstream: tuilerie-a 10.89.0.5:8080`. */
export function instanceOf(headers: Headers): string {
  return (headers.get('x-upstream') ?? '').trim().split(/\s+/)[0] || '?';
}

export interface LoadResult {
  ok: number;
  failed: number;
  failures: string[];
  seconds: number;
}

export interface Load {
  /** Requests answered so far by this instance (named by X-Upstream). */
  servedBy(instance: string): number;
  stop(): Promise<LoadResult>;
}

/** `concurrency` loops requesting `paths` in turn through the balancer until stopped. */
export function loadThroughBalancer(base: string, paths: string[], concurrency: number): Load {
  let running = true;
  const result: LoadResult = { ok: 0, failed: 0, failures: [], seconds: 0 };
  const byInstance = new Map<string, number>();
  const t0 = Date.now();
  const loop = async (k: number) => {
    for (let i = k; running; i += concurrency) {
      const p = paths[i % paths.length]!;
      try {
        const r = await fetch(base + p, { signal: AbortSignal.timeout(120_000) });
        await r.arrayBuffer();
        if (r.status === 200 || r.status === 204) {
          result.ok++;
          const name = instanceOf(r.headers);
          byInstance.set(name, (byInstance.get(name) ?? 0) + 1);
        } else {
          result.failed++;
          result.failures.push(`${p}: ${r.status}`);
        }
      } catch (e) {
        result.failed++;
        result.failures.push(`${p}: ${(e as Error).message}`);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, k) => loop(k));
  return {
    servedBy: (name) => byInstance.get(name) ?? 0,
    async stop() {
      running = false;
      await Promise.all(loops);
      result.seconds = (Date.now() - t0) / 1000;
      return result;
    },
  };
}
