import assert from 'node:assert/strict';
import { EventLoopDelayMonitor } from '../../../src/server/event_loop_delay.js';

describe('EventLoopDelayMonitor', () => {
  it('reports a blocked loop as a delay at least as long as the block, then starts a new window', async () => {
    const m = new EventLoopDelayMonitor(5);
    try {
      const collect = m.collector();
      await new Promise((r) => setTimeout(r, 30));
      const end = Date.now() + 120;
      while (Date.now() < end) {
        // holds the loop, as pixel work on it would
      }
      await new Promise((r) => setTimeout(r, 30));
      const first = Object.fromEntries(collect().map((g) => [g.name, g.value]));
      assert.ok(first.tuilerie_event_loop_delay_max_seconds >= 0.1, `max ${first.tuilerie_event_loop_delay_max_seconds}`);
      assert.ok(first.tuilerie_event_loop_delay_p50_seconds <= first.tuilerie_event_loop_delay_max_seconds);
      const second = Object.fromEntries(collect().map((g) => [g.name, g.value]));
      // nothing sampled since the reset: the old block is not reported again
      assert.ok(second.tuilerie_event_loop_delay_max_seconds < 0.1, `max after reset ${second.tuilerie_event_loop_delay_max_seconds}`);
    } finally {
      m.close();
    }
  });
});
