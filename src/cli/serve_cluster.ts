/**
 * `tuilerie serve --workers N`: N server processes sharing the port (node
 * cluster), each with its own archive handles and memory cache. The primary
 * only supervises: on SIGHUP it forwards a reload message (sources and styles
 * reopened in place) or, when the configuration changed, replaces the workers
 * one at a time (each new one listening before an old one stops, so the port
 * never goes unanswered); it restarts a worker that dies, and on SIGTERM/SIGINT
 * stops the workers and waits for them.
 *
 * Connections: by default the workers accept from the shared listening socket
 * themselves (node's SCHED_NONE). A worker that stops just stops accepting, and
 * the connections queued in the kernel go to the others; one that is killed
 * resets the connections it had accepted, so clients see an error at once. With
 * node's round-robin policy (NODE_CLUSTER_SCHED_POLICY=rr) the primary accepts
 * and hands each connection over IPC, and a connection handed to a worker that
 * is killed in that instant is held by the primary with no answer.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../core/logger.js';
import { ClusterMetrics } from '../server/cluster_metrics.js';

const RESTART_DELAY_MS = 1000;

/**
 * Sends to a worker that may be going away: on Ctrl-C the terminal signals the
 * workers too, so one may close its channel just as the primary answers it. A
 * send without a callback reports that as an 'error' event (EPIPE,
 * ERR_IPC_CHANNEL_CLOSED) that would crash the primary; the exit handler deals
 * with the worker's end.
 */
function sendQuietly(w: Worker, m: ClusterMessage): void {
  if (!w.isConnected()) return;
  w.send(m, undefined, () => {});
}

export interface ClusterMessage {
  /**
   * reload: reopen sources and styles; leave-ack: the primary will hand this worker no more connections;
   * metrics-collect: send your metrics text; metrics-result: the cluster's metrics, answering a metrics-scrape.
   */
  type: 'reload' | 'leave-ack' | 'metrics-collect' | 'metrics-result';
  id?: number;
  text?: string;
}

/** How long the primary waits for each worker's metrics before using its previous ones. */
const METRICS_WAIT_MS = 2000;

/** Runs the supervising primary until the workers have stopped; resolves with the exit code. */
export function runPrimary(opts: {
  workers: number;
  logger: Logger;
  /** Reads and validates the configuration again (throws when invalid); a change triggers a rolling restart on SIGHUP. */
  configFingerprint?: () => string;
  /** Who accepts connections: the workers from the shared socket (default), or the primary handing them round-robin. */
  scheduling?: 'os' | 'round-robin';
}): Promise<number> {
  const { logger } = opts;
  cluster.schedulingPolicy = opts.scheduling === 'round-robin' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  let stopping = false;
  let rolling = false;
  /** Workers stopped on purpose by a rolling restart: not to be replaced again. */
  const retired = new WeakSet<Worker>();
  let fingerprint = opts.configFingerprint?.();
  const metrics = new ClusterMetrics();
  let collectId = 0;
  const pending = new Map<number, Map<number, () => void>>();
  /** Asks every live worker for its metrics (those that do not answer in time keep their previous ones). */
  const collect = async (): Promise<string> => {
    const id = ++collectId;
    const waits = new Map<number, () => void>();
    pending.set(id, waits);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, METRICS_WAIT_MS);
      waits.set(w.id, () => { clearTimeout(timer); resolve(); });
      sendQuietly(w, { type: 'metrics-collect', id });
    })));
    pending.delete(id);
    return metrics.render();
  };
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('error', (e: NodeJS.ErrnoException) => logger.debug(`worker ${w.process.pid}: ${e.code ?? e.message}`));
    // A stopping worker asks before it drops the IPC channel: this answer comes after
    // every connection the primary handed it (IPC keeps order), so none is lost in the pipe.
    w.on('message', (m: { type?: string; id?: number; text?: string }) => {
      if (m?.type === 'leaving') sendQuietly(w, { type: 'leave-ack' });
      else if (m?.type === 'metrics-snapshot' && typeof m.text === 'string') {
        metrics.update(String(w.process.pid), m.text);
        pending.get(m.id ?? -1)?.get(w.id)?.();
      } else if (m?.type === 'metrics-scrape') {
        collect().then((text) => sendQuietly(w, { type: 'metrics-result', id: m.id, text }), () => {});
      }
    });
    w.on('exit', (code, signal) => {
      metrics.retire(String(w.process.pid));
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
      for (const w of Object.values(cluster.workers ?? {})) if (w) sendQuietly(w, { type: 'reload' });
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
        // a worker that exited on its own signal meanwhile has no process left to signal
        try { w.process.kill('SIGTERM'); } catch { /* already gone */ }
      }
    };
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', () => onStop('SIGTERM'));
    process.once('SIGINT', () => onStop('SIGINT'));
  });
}

/**
 * In a worker: /metrics answers the metrics of the whole cluster, gathered by
 * the primary (`scrape`), and this worker's own text goes to the primary when it asks.
 */
export function shareClusterMetrics(metrics: { render(): string; useScraper(f: () => Promise<string>): void }): void {
  if (!cluster.isWorker) return;
  let nextId = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on('message', (m: ClusterMessage) => {
    if (m?.type === 'metrics-collect' && process.connected) process.send?.({ type: 'metrics-snapshot', id: m.id, text: metrics.render() }, undefined, {}, () => {});
    else if (m?.type === 'metrics-result' && m.id !== undefined) waiting.get(m.id)?.(m.text ?? '');
  });
  metrics.useScraper(() => new Promise<string>((resolve, reject) => {
    if (!process.connected) return reject(new Error('no primary'));
    const id = ++nextId;
    const timer = setTimeout(() => { waiting.delete(id); reject(new Error('the primary did not answer')); }, METRICS_WAIT_MS * 3);
    waiting.set(id, (text) => { clearTimeout(timer); waiting.delete(id); resolve(text); });
    process.send?.({ type: 'metrics-scrape', id }, undefined, {}, () => {});
  }));
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

/**
 * In a worker after its server closed: waits until the primary has seen the
 * close (a connection it handed over meanwhile is sent back to it by node's
 * cluster code, which needs the channel open), then drops the IPC channel,
 * which would otherwise keep the process alive.
 */
export async function leaveCluster(timeoutMs = 2000): Promise<void> {
  if (!cluster.isWorker || !process.connected) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    }
    function onMessage(m: ClusterMessage) {
      if (m?.type === 'leave-ack') setImmediate(done);
    }
    process.on('message', onMessage);
    process.send?.({ type: 'leaving' });
  });
  if (process.connected) process.disconnect();
}
