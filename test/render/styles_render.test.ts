/**
 * Render tests of our styles: each style at z6, 10, 13, 15 and 17 over the
 * real extracts (Mulhouse, Wehr, Schopfheim), drawn in headless Chromium by
 * src/render's renderer through our server, compared with the reviewed
 * references in test/render/expected/ with pixelmatch. `UPDATE=1` rewrites the
 * references instead (look at them before committing). On a mismatch the fresh
 * image and the diff go to test/output/render/ for a look.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { RENDER_PLACES, RENDER_STYLES, RENDER_ZOOMS, StyleRenderSession, expectedPath } from '../../scripts/render_refs.js';
import { REPO_ROOT, SHARED_DATA, tempDir } from '../helpers/paths.js';

const UPDATE = process.env.UPDATE === '1';
const OUT_DIR = path.join(REPO_ROOT, 'test', 'output', 'render');
/** Per-pixel colour tolerance of pixelmatch (0–1) and the share of pixels allowed to differ beyond it. */
const PIXEL_THRESHOLD = 0.1;
const MAX_DIFF_SHARE = 0.005;

describe('our styles rendered over Mulhouse, Wehr and Schopfheim @slow', function () {
  this.timeout(600_000);
  let dir: string;
  let session: StyleRenderSession;

  before(async () => {
    dir = tempDir('tuilerie-render-');
    session = await StyleRenderSession.open({ workDir: dir, sharedData: SHARED_DATA });
  });
  after(async () => {
    await session?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const style of RENDER_STYLES) {
    for (const place of Object.keys(RENDER_PLACES)) {
      for (const zoom of RENDER_ZOOMS) {
        it(`${style}: ${place} at z${zoom} matches its reference image`, async () => {
          const actual = await session.render(style, place, zoom);
          const file = expectedPath(style, place, zoom);
          if (UPDATE) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, actual);
            return;
          }
          assert.ok(fs.existsSync(file), `no reference ${path.relative(REPO_ROOT, file)}: run UPDATE=1 npx mocha test/render/ and review the images`);
          const want = PNG.sync.read(fs.readFileSync(file));
          const got = PNG.sync.read(actual);
          assert.deepEqual([got.width, got.height], [want.width, want.height]);
          const diff = new PNG({ width: want.width, height: want.height });
          const bad = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: PIXEL_THRESHOLD });
          const share = bad / (want.width * want.height);
          if (share > MAX_DIFF_SHARE) {
            const out = path.join(OUT_DIR, style);
            fs.mkdirSync(out, { recursive: true });
            fs.writeFileSync(path.join(out, `${place}-z${zoom}.png`), actual);
            fs.writeFileSync(path.join(out, `${place}-z${zoom}.diff.png`), PNG.sync.write(diff));
          }
          assert.ok(share <= MAX_DIFF_SHARE, `${(share * 100).toFixed(2)}% of pixels differ (at most ${MAX_DIFF_SHARE * 100}%): see ${path.relative(REPO_ROOT, OUT_DIR)}/${style}/${place}-z${zoom}.diff.png`);
        });
      }
    }
  }
});
