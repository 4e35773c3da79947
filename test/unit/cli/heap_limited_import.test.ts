import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { HEAP_SET_ENV, importHeapFlags } from '../../../src/cli/heap_limited_import.js';
import { MIN_MAIN_SEMI_SPACE_MB } from '../../../src/importer/heap_limits.js';

const limitMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;

describe('importHeapFlags: the V8 flags an import\'s child process starts with', () => {
  it('asks for a larger semi-space and no old generation limit when the budget leaves the main heap above this one', () => {
    assert.deepEqual(importHeapFlags({}, { mainMb: limitMb * 2, mainSemiSpaceMb: 48 }), ['--max-semi-space-size=48']);
  });

  it('limits the old generation when the budget leaves the main heap below this process\'s limit', () => {
    assert.deepEqual(importHeapFlags({}, { mainMb: 600, mainSemiSpaceMb: MIN_MAIN_SEMI_SPACE_MB }), ['--max-old-space-size=600']);
    assert.deepEqual(importHeapFlags({}, { mainMb: 600, mainSemiSpaceMb: 32 }), ['--max-old-space-size=600', '--max-semi-space-size=32']);
  });

  it('asks for nothing with V8\'s own semi-space and a heap above this one, or in the child', () => {
    assert.deepEqual(importHeapFlags({}, { mainMb: limitMb * 2, mainSemiSpaceMb: MIN_MAIN_SEMI_SPACE_MB }), []);
    assert.deepEqual(importHeapFlags({ [HEAP_SET_ENV]: '1' }, { mainMb: 600, mainSemiSpaceMb: 48 }), []);
  });
});
