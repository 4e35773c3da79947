import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import { lz4DecompressBlock } from '../../../src/osm/lz4_block.js';
import { PbfDecodeError, decodeBlob } from '../../../src/osm/pbf_blob.js';

const bytes = (...parts: Array<number | string>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [p])));
const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

describe('lz4 block decompression', () => {
  it('copies literals and overlapping matches, the last sequence literals only', () => {
    // "abc", then 9 bytes from 3 back (overlapping: abcabcabc), then "x"
    const block = bytes(0x35, 'abc', 3, 0, 0x10, 'x');
    assert.equal(text(lz4DecompressBlock(block, 13)), 'abcabcabcabcx');
  });

  it('reads extended literal and match lengths (15 + extra bytes, 255 meaning more)', () => {
    const lit = 'L'.repeat(15 + 255 + 3);
    // literals: 15 + 255 + 3 = 273; match: 4 + 15 + 255 + 10 = 284 bytes of the last literal repeated (offset 1)
    const block = bytes(0xff, 255, 3, lit, 1, 0, 255, 10, 0x00);
    const out = lz4DecompressBlock(block, 273 + 284);
    assert.equal(out.length, 557);
    assert.ok(out.every((b) => b === 'L'.charCodeAt(0)));
  });

  it('refuses corrupt input with a reason', () => {
    assert.throws(() => lz4DecompressBlock(bytes(0x35, 'abc', 0, 0, 0x10, 'x'), 13), /offset 0/);
    assert.throws(() => lz4DecompressBlock(bytes(0x35, 'abc', 9, 0, 0x10, 'x'), 13), /offset 9 outside/);
    assert.throws(() => lz4DecompressBlock(bytes(0x50, 'ab'), 5), /literals run past/);
    assert.throws(() => lz4DecompressBlock(bytes(0x35, 'abc', 3), 13), /offset runs past/);
    assert.throws(() => lz4DecompressBlock(bytes(0x35, 'abc', 3, 0, 0x10, 'x'), 12), /raw size/);
    assert.throws(() => lz4DecompressBlock(bytes(0x30, 'abc'), 5), /decompressed to 3 bytes, header says 5/);
    assert.throws(() => lz4DecompressBlock(bytes(0xf0), 20), /literal length runs past/);
  });
});

describe('PBF blobs past the format\'s 32 MiB limit', () => {
  const blob = (fields: (w: PbfWriter) => void) => {
    const w = new PbfWriter();
    fields(w);
    return w.finish();
  };
  it('refuses an lz4 blob declaring a larger raw size instead of allocating it', () => {
    const data = blob((w) => { w.writeVarintField(2, 2 ** 30); w.writeBytesField(6, Uint8Array.of(0x00)); });
    assert.throws(() => decodeBlob(data), (e: Error) => e instanceof PbfDecodeError && /limit is 33554432/.test(e.message));
  });
  it('refuses a zlib blob that inflates past the limit', () => {
    const data = blob((w) => { w.writeVarintField(2, 40 * 2 ** 20); w.writeBytesField(3, deflateSync(Buffer.alloc(40 * 2 ** 20))); });
    assert.throws(() => decodeBlob(data), (e: Error) => e instanceof PbfDecodeError && /corrupt zlib data/.test(e.message));
  });
});
