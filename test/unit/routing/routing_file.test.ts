import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/paths.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { ROUTING_FILE_VERSION, routingFile } from '../../../src/routing/routing_file.js';

describe('routing file', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const sample = (): Map<string, Int32Array | Float64Array | Uint8Array> => new Map<string, Int32Array | Float64Array | Uint8Array>([
    ['a', Int32Array.from([1, -2, 3])],
    ['b', Float64Array.from([0.5, Math.PI])],
    ['c', Uint8Array.from([7])],
  ]);

  it('reads back metadata and typed arrays of each type', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, { hello: 'world' }, sample());
    const back = routingFile.read(f);
    assert.deepEqual(back.meta, { hello: 'world' });
    assert.deepEqual(back.arrays.get('a'), Int32Array.from([1, -2, 3]));
    assert.deepEqual(back.arrays.get('b'), Float64Array.from([0.5, Math.PI]));
    assert.deepEqual(back.arrays.get('c'), Uint8Array.from([7]));
  });

  it('aligns every array to 8 bytes so views need no copy', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, {}, sample());
    for (const arr of routingFile.read(f).arrays.values()) assert.equal(arr.byteOffset % 8, 0);
  });

  it('rejects a file that is not a routing graph', () => {
    const f = path.join(dir, 'x.routing');
    fs.writeFileSync(f, 'SQLite format 3\0 and more bytes');
    assert.throws(() => routingFile.read(f), (e) => isTuilerieError(e, 'BAD_INPUT') && /not a Tuilerie routing graph/.test(e.message));
  });

  it('rejects another format version with a rebuild hint', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, {}, sample());
    const buf = fs.readFileSync(f);
    buf.writeUInt32LE(99, 8);
    fs.writeFileSync(f, buf);
    assert.throws(() => routingFile.read(f), (e) => isTuilerieError(e, 'BAD_INPUT') && /version 99.*route-build/.test(e.message));
  });

  it('tells the format version of a file, and nothing for another file or none', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, {}, sample());
    assert.equal(routingFile.version(f), ROUTING_FILE_VERSION);
    fs.writeFileSync(f, 'SQLite format 3\0 and more bytes');
    assert.equal(routingFile.version(f), undefined);
    assert.equal(routingFile.version(path.join(dir, 'missing.routing')), undefined);
  });

  it('refuses a graph of format 1 (before road classes) and asks for route-build', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, {}, sample());
    const buf = fs.readFileSync(f);
    buf.writeUInt32LE(1, 8);
    fs.writeFileSync(f, buf);
    assert.ok(ROUTING_FILE_VERSION >= 2);
    assert.throws(() => routingFile.read(f), (e) => isTuilerieError(e, 'BAD_INPUT') && /version 1, this build reads \d+; rebuild it with `tuilerie route-build`/.test(e.message));
  });

  it('rejects a truncated file', () => {
    const f = path.join(dir, 'x.routing');
    routingFile.write(f, {}, sample());
    const buf = fs.readFileSync(f);
    fs.writeFileSync(f, buf.subarray(0, buf.length - 8));
    assert.throws(() => routingFile.read(f), (e) => isTuilerieError(e, 'BAD_INPUT') && /truncated/.test(e.message));
  });

  it('replaces an existing file atomically and leaves no temporary file', () => {
    const f = path.join(dir, 'x.routing');
    fs.writeFileSync(f, 'old');
    routingFile.write(f, { v: 2 }, sample());
    assert.deepEqual(routingFile.read(f).meta, { v: 2 });
    assert.deepEqual(fs.readdirSync(dir), ['x.routing']);
  });
});
