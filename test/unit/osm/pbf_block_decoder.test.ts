import assert from 'node:assert/strict';
import { PbfBlobStream } from '../../../src/osm/pbf_blob_stream.js';
import { decodeHeaderBlock, decodePrimitiveBlock } from '../../../src/osm/pbf_block_decoder.js';
import { decodeBlob, PbfDecodeError } from '../../../src/osm/pbf_blob.js';
import { osmFile } from '../../helpers/paths.js';

const ALL = { nodes: true, ways: true, relations: true };

async function rawBlocks(file: string): Promise<{ type: string; raw: Uint8Array }[]> {
  const s = new PbfBlobStream(file);
  await s.open();
  const out: { type: string; raw: Uint8Array }[] = [];
  try {
    for (let b = await s.next(); b; b = await s.next()) out.push({ type: b.type, raw: decodeBlob(b.data) });
  } finally {
    await s.close();
  }
  return out;
}

/** Deterministic pseudo-random bytes: a failing case must reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('PBF block decoder', () => {
  it('rejects or survives any corruption of a block quickly, with a decode error', async () => {
    const blocks = (await rawBlocks(osmFile('wehr.osm.pbf'))).filter((b) => b.type === 'OSMData');
    const rnd = lcg(7);
    let failed = 0, survived = 0;
    const t0 = Date.now();
    for (let trial = 0; trial < 400; trial++) {
      const src = blocks[trial % blocks.length].raw;
      const bad = Uint8Array.from(src);
      const flips = 1 + Math.floor(rnd() * 6);
      for (let f = 0; f < flips; f++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
      try {
        decodePrimitiveBlock(bad, ALL);
        survived++;
      } catch (e) {
        assert.ok(e instanceof Error && !(e instanceof RangeError && /allocation/i.test(e.message)), `trial ${trial}: ${String(e)}`);
        failed++;
      }
    }
    assert.ok(failed > 50, `only ${failed} corruptions detected`);
    assert.equal(failed + survived, 400);
    assert.ok(Date.now() - t0 < 30_000, 'decoding corrupt blocks took too long');
  });

  it('refuses a length prefix that runs past the end of the block', () => {
    // PrimitiveBlock field 2 (a group) claiming 2^40 bytes.
    const buf = Uint8Array.from([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00]);
    assert.throws(() => decodePrimitiveBlock(buf, ALL), PbfDecodeError);
  });

  it('decodes the header block of a real file', async () => {
    const [first] = await rawBlocks(osmFile('mulhouse.osm.pbf'));
    assert.equal(first.type, 'OSMHeader');
    assert.deepEqual(decodeHeaderBlock(first.raw).bbox, [7.326, 47.749, 7.342, 47.755]);
  });
});
