/** The OGC exception code and locator a call throws (fails the test when it throws nothing or something else). */
import assert from 'node:assert/strict';
import { OgcError } from '../../../src/ogc/ogc_exception.js';

export function ogcCode(fn: () => unknown): [string, string | undefined] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof OgcError, String(e));
    return [e.exceptionCode, e.locator];
  }
  assert.fail('expected an OgcError');
}
