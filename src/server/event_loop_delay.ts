/**
 * The server's event-loop delay as gauges, the way prom-client reports
 * nodejs_eventloop_lag_*: percentiles and maximum of the delays sampled since
 * the previous scrape (each scrape starts a new window). A slow answer with a
 * small delay here is the machine (load, other processes); a large delay is
 * work blocking this process's loop.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Collector } from './metrics.js';

export class EventLoopDelayMonitor {
  private readonly histogram: IntervalHistogram;

  /** `resolutionMs`: how often the loop is sampled; delays shorter than this are not seen. */
  constructor(resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
  }

  /** Gauges of the window since the last call, which then starts a new window. */
  collector(): Collector {
    return () => {
      const h = this.histogram;
      const empty = h.count === 0;
      const seconds = (ns: number) => (empty ? 0 : ns / 1e9);
      const g = (name: string, help: string, value: number) => ({ name: `tuilerie_event_loop_delay_${name}_seconds`, help, type: 'gauge' as const, value });
      const out = [
        g('p50', 'Median event-loop delay since the previous scrape.', seconds(h.percentile(50))),
        g('p99', '99th percentile of the event-loop delay since the previous scrape.', seconds(h.percentile(99))),
        g('max', 'Longest event-loop delay since the previous scrape: how long one request could stall every other.', seconds(h.max)),
      ];
      h.reset();
      return out;
    };
  }

  close(): void {
    this.histogram.disable();
  }
}
