import assert from 'node:assert/strict';
import { needsMallocTunedChild } from '../../../src/cli/malloc_tuned_child.js';

describe('needsMallocTunedChild', () => {
  it('on Linux, unless the threshold is set already (variable or tunable)', () => {
    assert.equal(needsMallocTunedChild({}, 'linux'), true);
    assert.equal(needsMallocTunedChild({ MALLOC_MMAP_THRESHOLD_: '131072' }, 'linux'), false);
    assert.equal(needsMallocTunedChild({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' }, 'linux'), false);
    assert.equal(needsMallocTunedChild({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux'), true);
  });

  it('elsewhere, never (no glibc)', () => {
    assert.equal(needsMallocTunedChild({}, 'darwin'), false);
    assert.equal(needsMallocTunedChild({}, 'win32'), false);
  });
});
