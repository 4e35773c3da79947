/**
 * `tuilerie serve --workers N`: N server processes sharing the port (node
 * cluster), each with its own archive handles and memory cache. The primary
 * only supervises: on SIGHUP it forwards a reload message (sources and styles
 * reopened in place) or, when the configuration changed, replaces the workers
 * one at a time (each new one listening before an old one stops, so the port
 * never goes unanswered); it restarts a worker that dies, and on SIGTERM/SIGINT
 * stops the workers and waits for them.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../core/logger.js';

const RESTART_DELAY_MS = 1000;

export interface ClusterMessage {
  type: 'reload';
}

/** Runs the supervising primary until the workers have stopped; resolves with the exit code. */
export function runPrimary(opts: {
  workers: number;
  logger: Logger;
  /** Reads and validates the configuration again (throws when invalid); a change triggers a rolling restart on SIGHUP. */
  configFingerprint?: () => string;
}): Promise<number> {
  const { logger } = opts;
  let stopping = false;
  let rolling = false;
  /** Workers stopped on purpose by a rolling restart: not to be replaced again. */
  const retired = new WeakSet<Worker>();
  let fingerprint = opts.configFingerprint?.();
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('exit', (code, signal) => {
      if (stopping || retired.has(w)) return;
      logger.warn(`worker ${w.process.pid} died (${signal ?? `exit ${code}`}); starting another`);
      setTimeout(() => { if (!stopping) fork(); }, RESTART_DELAY_MS).unref();
    });
    return w;
  };
  for (let i = 0; i < opts.workers; i++) fork();
  logger.info(`primary ${process.pid}: ${opts.workers} workers`);

  return new Promise<number>((resolve) => {
    const rollingRestart = async () => {
      rolling = true;
      logger.info('configuration changed: replacing the workers one at a time');
      for (const old of Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead())) {
        if (stopping) break;
        const fresh = fork();
        // ready = sources and styles open, not just listening
        await new Promise<void>((r) => {
          fresh.on('message', (m: { type?: string }) => { if (m?.type === 'ready') r(); });
          fresh.once('exit', () => r());
        });
        if (fresh.isDead()) {
          logger.error('a new worker failed to start; the others keep the previous configuration');
          break;
        }
        retired.add(old);
        const gone = new Promise<void>((r) => old.once('exit', () => r()));
        old.process.kill('SIGTERM');
        await gone;
      }
      rolling = false;
    };
    const onHup = () => {
      if (rolling || stopping) return;
      let next = fingerprint;
      try {
        next = opts.configFingerprint?.();
      } catch (e) {
        logger.error(`configuration not reloaded: ${(e as Error).message}`);
      }
      if (next !== fingerprint) {
        fingerprint = next;
        rollingRestart().catch((e) => logger.error('rolling restart failed', { error: String(e) }));
        return;
      }
      for (const w of Object.values(cluster.workers ?? {})) w?.send({ type: 'reload' } satisfies ClusterMessage);
    };
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.off('SIGHUP', onHup);
      logger.info(`${signal}: stopping workers`);
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      let left = alive.length;
      if (left === 0) resolve(0);
      for (const w of alive) {
        w.once('exit', () => { if (--left === 0) resolve(0); });
        w.process.kill('SIGTERM');
      }
    };
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', () => onStop('SIGTERM'));
    process.once('SIGINT', () => onStop('SIGINT'));
  });
}

/** In a worker: runs `reload` when the primary forwards a SIGHUP. */
export function onPrimaryReload(reload: () => void): void {
  process.on('message', (m: ClusterMessage) => {
    if (m && m.type === 'reload') reload();
  });
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** In a worker after it stopped: drops the IPC channel, which would otherwise keep the process alive. */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) process.disconnect();
}
