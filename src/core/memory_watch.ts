/**
 * Peak resident memory of a long job, overall and per stage. A timer alone misses
 * peaks inside long synchronous loops, so hot loops also call `sample()` now and
 * then (it is cheap: one syscall).
 */
export class MemoryWatch {
  private peakBytes = process.memoryUsage.rss();
  private stageBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 250) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakBytes) this.peakBytes = rss;
    if (rss > this.stageBytes) this.stageBytes = rss;
  }

  /** Starts a new stage; returns the previous stage's peak. */
  nextStage(): number {
    this.sample();
    const p = this.stageBytes;
    this.stageBytes = 0;
    return p;
  }

  get peak(): number {
    return this.peakBytes;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
