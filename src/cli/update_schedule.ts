/**
 * `start --update-every PERIOD`: the replication update of the served archive, run at
 * once and then every period, as a `tuilerie update --replication` child process at low
 * priority (the feature work of an update is not done on the server's event loop). One
 * run at a time: the next is scheduled when the previous has ended (the update's own
 * lock also keeps out an update run by hand meanwhile). Each run is logged; a failure is
 * logged and the next period tries again, never stopping the server. The update child
 * rebuilds the routing graph itself when roads changed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Logger } from '../core/logger.js';
import { formatDuration } from '../core/progress.js';

export interface UpdateScheduleOptions {
  archive: string;
  url: string;
  /** The sequence of the imported data, when its store records none (first run). */
  sequence?: number;
  everyMs: number;
  logger: Logger;
  /** Where the child's log goes. */
  stderr: NodeJS.WritableStream;
  /** What runs `tuilerie` (node, its flags, the CLI script); default: this process's own. */
  cli?: string[];
}

/** What one scheduled run ended with. */
export type ScheduledRun = { ok: true; summary: Record<string, unknown>; routingFailed?: string } | { ok: false; error: string };

export class UpdateSchedule {
  private timer: NodeJS.Timeout | undefined;
  private child: ChildProcess | undefined;
  private stopped = false;
  private runs = 0;

  constructor(private readonly opts: UpdateScheduleOptions) {}

  /** The first run at once, then one every period after the previous ended. */
  start(): void {
    this.schedule(0);
  }

  /** No further run; a run in progress is stopped (the update changes nothing unless it commits). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce().finally(() => this.schedule(this.opts.everyMs)), ms);
    this.timer.unref();
  }

  /** One replication update in a child process; resolves when it has ended, however it ended. */
  private async runOnce(): Promise<void> {
    const n = ++this.runs;
    const { logger, everyMs } = this.opts;
    const t0 = Date.now();
    logger.info(`scheduled update #${n}: following ${this.opts.url}`);
    const r = await this.runChild();
    const took = formatDuration(Date.now() - t0);
    if (!r.ok) {
      logger.error(`scheduled update #${n} failed after ${took}: ${r.error}; next try in ${formatDuration(everyMs)}`);
      return;
    }
    const s = r.summary as { upToDate?: boolean; sequence?: number | { from: number; to: number }; tiles?: number; changeLog?: { changedTiles: number }; roadsChanged?: boolean };
    if (s.upToDate) {
      logger.info(`scheduled update #${n}: up to date at sequence ${String(s.sequence)}; next in ${formatDuration(everyMs)}`);
      return;
    }
    const seq = s.sequence as { from: number; to: number };
    const applied = `scheduled update #${n}: sequence ${seq.from} → ${seq.to} in ${took}, ${s.tiles} tiles made again, ${s.changeLog?.changedTiles} changed`;
    if (r.routingFailed !== undefined) {
      // the data was updated (the summary says so); only the graph is behind
      logger.error(`${applied}, roads changed but the routing graph rebuild failed (${r.routingFailed}): routing keeps the old roads until an update changing roads rebuilds it or \`tuilerie route-build --changes-dir\` is run; next in ${formatDuration(everyMs)}`);
      return;
    }
    logger.info(`${applied}${s.roadsChanged ? ', roads changed (routing graph rebuilt when there is one)' : ''}; next in ${formatDuration(everyMs)}`);
  }

  private runChild(): Promise<ScheduledRun> {
    const o = this.opts;
    const args = [...(o.cli ?? [process.execPath, ...process.execArgv, process.argv[1]]), 'update', '--out', o.archive, '--replication', o.url, '--json', ...(o.sequence !== undefined ? ['--sequence', String(o.sequence)] : [])];
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        resolve({ ok: false, error: `cannot start the update: ${(e as Error).message}` });
        return;
      }
      this.child = child;
      if (child.pid !== undefined) {
        try {
          os.setPriority(child.pid, 10);
        } catch {
          // not permitted here: the update competes with serving at normal priority
        }
      }
      let out = '';
      let lastErr = '';
      child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr!.on('data', (d: Buffer) => {
        const text = d.toString();
        const lines = text.split('\n').filter((l) => l.trim());
        if (lines.length) lastErr = lines[lines.length - 1];
        o.stderr.write(text);
      });
      child.on('error', (e) => resolve({ ok: false, error: `cannot start the update: ${e.message}` }));
      child.on('close', (code, signal) => {
        this.child = undefined;
        const why = `${signal ?? `exit ${code}`}${lastErr ? ` (${lastErr.slice(0, 300)})` : ''}`;
        let summary: Record<string, unknown> | undefined;
        try {
          summary = JSON.parse(out) as Record<string, unknown>;
        } catch {
          summary = undefined;
        }
        // an update prints its summary once committed: failing after it, only the routing graph rebuild failed
        if (summary && code === 0) resolve({ ok: true, summary });
        else if (summary) resolve({ ok: true, summary, routingFailed: why });
        else resolve({ ok: false, error: code === 0 ? 'the update ended without its JSON summary' : why });
      });
    });
  }
}
