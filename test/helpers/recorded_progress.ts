/** A ProgressFactory for tests: every bar made, with its total, what was ticked, and whether it finished. */
import type { ProgressFactory } from '../../src/core/progress.js';

export interface RecordedBar { name: string; unit: string; total?: number; ticked: number; ticks: number; finished: boolean }

export function recordedProgress(): { bars: RecordedBar[]; factory: ProgressFactory } {
  const bars: RecordedBar[] = [];
  const factory: ProgressFactory = (name, unit, total) => {
    const bar: RecordedBar = { name, unit, total, ticked: 0, ticks: 0, finished: false };
    bars.push(bar);
    return {
      tick(n = 1) { bar.ticked += n; bar.ticks++; },
      finish() { bar.finished = true; return 0; },
    };
  };
  return { bars, factory };
}
