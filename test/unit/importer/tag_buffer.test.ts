import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TagBuffer } from '../../../src/importer/tag_buffer.js';
import { CorruptTempFileError } from '../../../src/importer/compressed_blocks.js';

type Tags = Record<string, string>;
// a small deterministic generator: the failing seed is in the message
const rng = (seed: number) => (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };

/** Tag lists as a scale extract has them: common keys and values, long repeated strings, names, unicode, big and empty lists. */
function lists(rand: () => number, n: number): Tags[] {
  const out: Tags[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.05) { out.push({}); continue; }
    const t: Tags = { building: 'yes', source: 'cadastre-dgi-fr source : Direction Générale des Impôts - Cadastre. Mise à jour : 2010' };
    if (r < 0.5) t.name = `Rue ${i} — 東京 ${'é'.repeat(Math.floor(rand() * 50))}`;
    if (r > 0.9) for (let k = 0; k < 40; k++) t[`k${Math.floor(rand() * 100_000)}`] = `v${k}`;
    // a list larger than a compressed block (1 MiB): a record across blocks
    if (i === 777 || i === 15_000) t.note = 'x'.repeat(1_200_000);
    out.push(t);
  }
  return out;
}

describe('importer/TagBuffer', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tags-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // no budget; one the lists pass after a few chunks (moved to the file mid-way); none at all (a file from the first list)
  for (const budgetBytes of [undefined, 4 * 2 ** 20, 0]) {
    it(`gives back every list as added, read in order, with jumps back and forward (${budgetBytes === undefined ? 'in memory' : `spill budget ${budgetBytes} bytes`})`, () => {
      for (const seed of [1, 2]) {
        const rand = rng(seed);
        const added = lists(rand, 20_000);
        const file = path.join(dir, `tags-${seed}`);
        const buf = new TagBuffer(budgetBytes === undefined ? undefined : { file, budgetBytes });
        const pos = added.map((t) => buf.add(t));
        buf.seal();
        assert.equal(buf.onDisk, budgetBytes !== undefined, 'spilled');
        assert.equal(fs.existsSync(file), budgetBytes !== undefined, 'file written');
        for (let i = 0; i < added.length; i++) assert.deepEqual(buf.get(pos[i]), added[i], `seed ${seed} list ${i}`);
        for (let i = 0; i < added.length; i += 1 + Math.floor(rand() * 300)) assert.deepEqual(buf.get(pos[i]), added[i], `seed ${seed} skipping, list ${i}`);
        for (let k = 0; k < 30; k++) {
          const i = Math.floor(rand() * added.length);
          assert.deepEqual(buf.get(pos[i]), added[i], `seed ${seed} jump to list ${i}`);
        }
        buf.close();
      }
    });
  }

  it('keeps a spilled buffer\'s lists out of memory: a few MiB of buffers for 200 MiB of tags, the file compressed', () => {
    const file = path.join(dir, 'tags');
    const buf = new TagBuffer({ file, budgetBytes: 4 * 2 ** 20 });
    const name = 'n'.repeat(1000); // inline: longer than the table's strings
    let raw = 0;
    for (let i = 0; i < 200_000; i++) { buf.add({ building: 'yes', name: `${name}${i}` }); raw += 1000; }
    buf.seal();
    assert.ok(buf.bytes < 8 * 2 ** 20, `${buf.bytes} bytes held for ${raw} bytes of tags`);
    assert.ok(fs.statSync(file).size < raw / 5, `file of ${fs.statSync(file).size} bytes for ${raw} of tags`);
    assert.deepEqual(buf.get(0), { building: 'yes', name: `${name}0` });
    buf.close();
  });

  it('reports a file cut short as corrupt, not as other tags', () => {
    const file = path.join(dir, 'tags');
    const buf = new TagBuffer({ file, budgetBytes: 0 });
    const pos: number[] = [];
    for (let i = 0; i < 5000; i++) pos.push(buf.add({ name: `street ${i} ${'q'.repeat(500)}` }));
    buf.seal();
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    assert.throws(() => { for (const p of pos) buf.get(p); }, CorruptTempFileError);
    buf.close();
  });
});
