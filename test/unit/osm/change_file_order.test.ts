import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sortChangeFiles } from '../../../src/osm/change_file_order.js';
import { AppliedChanges } from '../../../src/importer/update/applied_changes.js';
import { CHANGES_DIR } from '../../../src/importer/update/store_builder.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { tempDir } from '../../helpers/paths.js';

/** What the store names a kept change file: generation and place, each padded to a minimum width. */
function keptName(generation: number, k: number, width: [number, number] = [6, 4]): string {
  return `${String(generation).padStart(width[0], '0')}-${String(k).padStart(width[1], '0')}.osc.gz`;
}

describe('change file order', () => {
  it('orders kept change files by generation then place, by value, for any size and padding (property)', () => {
    const rnd = seededRandom(18);
    for (let round = 0; round < 200; round++) {
      const items: Array<[number, number]> = [];
      const n = 1 + Math.floor(rnd() * 30);
      for (let i = 0; i < n; i++) {
        const big = rnd() < 0.5;
        items.push([Math.floor(rnd() * (big ? 5e7 : 20)), 1 + Math.floor(rnd() * (big ? 2e5 : 12))]);
      }
      const unique = [...new Map(items.map((x) => [`${x[0]}-${x[1]}`, x])).values()];
      const expected = [...unique].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([g, k]) => keptName(g, k));
      const shuffled = [...expected].sort(() => rnd() - 0.5);
      assert.deepEqual(sortChangeFiles(shuffled), expected);
    }
  });

  it('puts place 10000 of an update after place 2 and generation 1000000 after 999999', () => {
    assert.deepEqual(sortChangeFiles(['000001-10000.osc', '000001-0002.osc', '1000000-0001.osc', '999999-0001.osc']),
      ['000001-0002.osc', '000001-10000.osc', '999999-0001.osc', '1000000-0001.osc']);
  });

  it('AppliedChanges lists a store written with the old fixed widths beside longer names, in application order', () => {
    const store = tempDir('change-order');
    try {
      const dir = path.join(store, CHANGES_DIR);
      fs.mkdirSync(dir, { recursive: true });
      const names = ['000003-0001.osc', '000003-0002.osc.gz', '000003-10000.osc', '000003-10001.osc.bz2', '999999-0001.osc', '1000000-0001.osc'];
      for (const n of [...names].reverse()) fs.writeFileSync(path.join(dir, n), '');
      fs.writeFileSync(path.join(dir, '000004-0001.osc.pending'), '');
      assert.deepEqual(AppliedChanges.list(store).map((f) => path.basename(f)), names);
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  });

  it('AppliedChanges names file 10000 of one update so it is listed after file 9999', () => {
    const store = tempDir('change-order');
    try {
      const src = path.join(store, 'in.osc');
      fs.writeFileSync(src, '<osmChange/>');
      const staged = AppliedChanges.stage(store, 7, Array.from({ length: 10001 }, () => src));
      staged.publish();
      const listed = AppliedChanges.list(store).map((f) => path.basename(f));
      assert.equal(listed.length, 10001);
      assert.deepEqual(listed.slice(9998), ['000007-9999.osc', '000007-10000.osc', '000007-10001.osc']);
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  });
});
