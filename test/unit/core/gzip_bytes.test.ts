import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { isGzip } from '../../../src/core/gzip_bytes.js';
import { seededRandom } from '../../../src/core/seeded_random.js';

describe('isGzip', () => {
  it('holds for whatever zlib gzips, empty input included, at every level', () => {
    const rand = seededRandom(15);
    for (let i = 0; i < 50; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
      assert.ok(isGzip(zlib.gzipSync(bytes, { level: i % 10 })), `input of ${bytes.length} bytes`);
    }
  });
  it('fails for raw deflate, zlib streams, MVT and image bytes, and fewer than two bytes', () => {
    const mvt = Buffer.from([0x1a, 0x05, 0x78, 0x02, 0x0a, 0x01, 0x61]);
    for (const b of [zlib.deflateRawSync(mvt), zlib.deflateSync(mvt), mvt, Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0x1f]), Buffer.alloc(0), Buffer.from([0x8b, 0x1f])]) {
      assert.equal(isGzip(b), false, b.toString('hex'));
    }
  });
});
