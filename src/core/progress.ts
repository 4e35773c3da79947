/**
 * Progress of long jobs. On a terminal: one redrawn line with a bar, rate and ETA.
 * Elsewhere: a log line at most every `logEveryMs`. Every long job uses this.
 */
import type { Logger } from './logger.js';

export interface ProgressOptions {
  /** Stage name shown in brackets, e.g. `osm_pass1`. */
  name: string;
  /** Unit label, e.g. `nodes`, `tiles`, `bytes`. */
  unit: string;
  /** Expected total, when known: enables bar and ETA. */
  total?: number;
  logger: Logger;
  /** A TTY stream to draw on; when absent, periodic log lines are written. */
  tty?: NodeJS.WriteStream;
  logEveryMs?: number;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return (n / 1e9).toFixed(1) + 'G';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (n >= 1e4) return (n / 1e3).toFixed(0) + 'k';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
  return String(Math.round(n));
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private done = 0;
  private total?: number;
  private readonly start = Date.now();
  private lastDraw = 0;
  private finished = false;
  constructor(private readonly opts: ProgressOptions) {
    this.total = opts.total;
  }
  get count(): number { return this.done; }
  setTotal(total: number): void { this.total = total; }
  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    const every = this.opts.tty ? 200 : (this.opts.logEveryMs ?? 5000);
    if (now - this.lastDraw >= every) {
      this.lastDraw = now;
      this.draw(false);
    }
  }
  /** Ends the bar and returns the elapsed milliseconds. */
  finish(): number {
    if (!this.finished) {
      this.finished = true;
      this.draw(true);
    }
    return Date.now() - this.start;
  }
  line(): string {
    const elapsed = Date.now() - this.start;
    const rate = elapsed > 0 ? (this.done * 1000) / elapsed : 0;
    const { name, unit } = this.opts;
    let s = `[${name}] ${formatCount(this.done)}`;
    if (this.total) {
      const frac = Math.min(1, this.done / this.total);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = rate > 0 ? ((this.total - this.done) / rate) * 1000 : Infinity;
      s += `/${formatCount(this.total)} ${unit} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${formatCount(rate)}/s ETA ${formatDuration(eta)}`;
    } else {
      s += ` ${unit} ${formatCount(rate)}/s ${formatDuration(elapsed)}`;
    }
    return s;
  }
  private draw(final: boolean): void {
    const s = this.line();
    if (this.opts.tty) {
      this.opts.tty.write(`\r${s}\x1b[K${final ? '\n' : ''}`);
    } else {
      this.opts.logger.info(s.replace(/^\[[^\]]+\] /, ''));
    }
  }
}

/** What a long job ticks: a Progress, or a test's counter. */
export interface ProgressSink {
  tick(n?: number): void;
  finish(): number;
}

/**
 * Makes the progress of a step inside a module that has no logger of its own (a sort, a
 * merge pass): the caller decides where it is drawn.
 */
export type ProgressFactory = (name: string, unit: string, total?: number) => ProgressSink;

/** Progress bars drawn on `tty`, or logged through `logger`, as every other bar of the job. */
export function progressTo(logger: Logger, tty?: NodeJS.WriteStream): ProgressFactory {
  return (name, unit, total) => new Progress({ name, unit, total, logger, tty });
}
