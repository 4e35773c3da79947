import assert from 'node:assert/strict';
import { PbfBlobStream, type RawBlob } from '../../../src/osm/pbf_blob_stream.js';
import { osmFile } from '../../helpers/paths.js';

async function readAll(s: PbfBlobStream): Promise<RawBlob[]> {
  const out: RawBlob[] = [];
  await s.open();
  try {
    for (let b = await s.next(); b; b = await s.next()) out.push(b);
  } finally {
    await s.close();
  }
  return out;
}

describe('PbfBlobStream', () => {
  it('frames the same blobs whether blobs fit the read-ahead buffer or not', async () => {
    const file = osmFile('wehr.osm.pbf');
    const big = await readAll(new PbfBlobStream(file));
    const small = await readAll(new PbfBlobStream(file, 1000));
    assert.ok(big.length > 2);
    assert.equal(big[0].type, 'OSMHeader');
    assert.deepEqual(small.map((b) => [b.type, b.offset, b.data.length]), big.map((b) => [b.type, b.offset, b.data.length]));
    for (let i = 0; i < big.length; i++) assert.ok(Buffer.from(small[i].data).equals(Buffer.from(big[i].data)), `blob ${i} differs`);
  });

  it('hands out blobs that own their buffer (transferable without a copy)', async () => {
    const blobs = await readAll(new PbfBlobStream(osmFile('wehr.osm.pbf')));
    for (const b of blobs) assert.equal(b.data.buffer.byteLength, b.data.length);
  });
});
