import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/cli/cli_args.js';

describe('parseDuration (--update-every)', () => {
  it('reads seconds, minutes, hours and days', () => {
    assert.equal(parseDuration('24h', '--x'), 86_400_000);
    assert.equal(parseDuration('30m', '--x'), 1_800_000);
    assert.equal(parseDuration('90s', '--x'), 90_000);
    assert.equal(parseDuration('2d', '--x'), 172_800_000);
    assert.equal(parseDuration('1.5h', '--x'), 5_400_000);
    assert.equal(parseDuration('1500ms', '--x'), 1500);
  });

  it('refuses what is not a duration of at least a second, naming the flag', () => {
    for (const bad of ['', '24', 'h', '10x', '-1h', '500ms', '0s']) {
      assert.throws(() => parseDuration(bad, '--update-every'), (e: Error & { code?: string }) => e.code === 'BAD_REQUEST' && e.message.includes('--update-every'), bad);
    }
  });
});
