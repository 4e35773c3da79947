import assert from 'node:assert/strict';
import os from 'node:os';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { composeOver } from '../../../src/render/compose_over.js';
import { fromGlReadback } from '../../../src/render/gl_readback.js';
import type { RgbaImage } from '../../../src/render/image_codec.js';
import { encodeRuns } from '../../../src/render/readback_runs.js';
import { PixelWorkers } from '../../../src/render/pixel_tasks.js';
import { encodeImage } from '../../../src/render/image_codec.js';
import { currentThreadId } from '../../../src/core/thread_priority.js';

/** Premultiplied RGBA with every kind of pixel: opaque, transparent, and partly transparent. */
function premultiplied(width: number, height: number, seed: number): Buffer {
  const rnd = seededRandom(seed);
  const b = Buffer.alloc(width * height * 4);
  for (let i = 0; i < b.length; i += 4) {
    const kind = rnd();
    const a = kind < 0.6 ? 255 : kind < 0.7 ? 0 : Math.floor(rnd() * 256);
    for (let c = 0; c < 3; c++) b[i + c] = Math.floor(rnd() * (a + 1));
    b[i + 3] = a;
  }
  return b;
}

function straight(width: number, height: number, seed: number): RgbaImage {
  return fromGlReadback(premultiplied(width, height, seed), width, height);
}

/** The pool of the test under way (fresh per test, as a server's). */
let pixels: PixelWorkers;

/** The task ran on a pool thread, never on this one. */
function ranElsewhere(): void {
  const ids = pixels.stats().threadIds;
  assert.ok(ids.length > 0, 'no task answered');
  assert.ok(!ids.includes(threadId), `a task ran on this thread (${threadId})`);
}

describe('render/pixel_tasks (pixel work in worker threads)', () => {
  beforeEach(() => { pixels = new PixelWorkers({ niceness: 10 }); });
  afterEach(() => pixels.close());

  it('unpacks a run-coded readback sent in chunks to the same pixels as unpacking it here', async () => {
    const w = 97, h = 61;
    const gl = premultiplied(w, h, 1);
    // flat stretches too, so that the coding has runs as well as literals
    gl.fill(7, 0, w * 4 * 5);
    const base64 = Buffer.from(encodeRuns(new Uint32Array(gl.buffer, gl.byteOffset, gl.length / 4))).toString('base64');
    // the page sends big readbacks in slices cut anywhere in the base64 text (on 4-character groups)
    const chunks = [base64.slice(0, 400), base64.slice(400, 1000), base64.slice(1000)];
    const off = await pixels.unpackReadback(chunks, w, h);
    assert.ok(off.equals(fromGlReadback(gl, w, h).data));
    ranElsewhere();
  });

  it('encodes a readback in the worker to the same bytes as unpacking it there and encoding it here', async () => {
    const w = 61, h = 37;
    const gl = premultiplied(w, h, 6);
    const base64 = [Buffer.from(encodeRuns(new Uint32Array(gl.buffer, gl.byteOffset, gl.length / 4))).toString('base64')];
    const img = { data: await pixels.unpackReadback(base64, w, h), width: w, height: h };
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const there = await pixels.encodeReadback(base64, { width: w, height: h, format, quality: 80 });
      assert.ok(there.equals(await encodeImage(img, format, 80)), format);
    }
    ranElsewhere();
  });

  it('rejects a readback of the wrong size with the sizes in the message', async () => {
    const base64 = Buffer.from(encodeRuns(new Uint32Array(4))).toString('base64');
    await assert.rejects(pixels.unpackReadback([base64], 3, 3), /readback incomplete \(4 of 9 pixels\)/);
  });

  it('unpremultiplies top-down native output like flipping it and reading it back here', async () => {
    const w = 33, h = 17;
    const rows = premultiplied(w, h, 2);
    const flipped = Buffer.alloc(rows.length);
    for (let y = 0; y < h; y++) rows.copy(flipped, (h - 1 - y) * w * 4, y * w * 4, (y + 1) * w * 4);
    const expected = fromGlReadback(flipped, w, h).data;
    const off = await pixels.unpremultiply(rows, w, h, { topDown: true });
    assert.ok(off.equals(expected));
    // the caller's pixels are copied, not taken (they may belong to a native module)
    assert.equal(rows.length, w * h * 4);
  });

  it('composes layers to the same pixels as composing them here, and takes the inputs', async () => {
    const w = 64, h = 40;
    const here = straight(w, h, 3);
    composeOver(here, straight(w, h, 4));
    // big enough to own their memory, so they are handed over rather than copied
    const bottom = straight(w, h, 3), top = straight(w, h, 4);
    const off = await pixels.compose(bottom, top);
    assert.deepEqual([off.width, off.height], [w, h]);
    assert.ok(off.data.equals(here.data));
    assert.equal(bottom.data.byteLength, 0, 'bottom was copied instead of handed over');
    ranElsewhere();
  });

  it('runs its workers the niceness its owner gave below the event loop\'s priority, where the system allows it (Linux)', async function () {
    if (currentThreadId() === undefined) this.skip();
    const mine = os.getPriority();
    await pixels.close();
    pixels = new PixelWorkers({ niceness: 3 });
    await pixels.unpremultiply(premultiplied(8, 8, 5), 8, 8, { topDown: false });
    const { priorities } = pixels.stats();
    assert.ok(priorities.length > 0, 'no worker reported its priority');
    for (const p of priorities) {
      assert.equal(p.error, undefined, `worker ${p.tid}: ${p.error}`);
      assert.notEqual(p.tid, currentThreadId(), 'the event loop lowered itself');
      // read from this thread: the kernel's value for that thread, not what it said
      assert.equal(os.getPriority(p.tid!), Math.min(19, mine + 3), `worker thread ${p.tid}`);
    }
    assert.equal(os.getPriority(), mine, 'the event loop\'s own priority changed');
  });

  it('hands big images to this thread in shared memory, which does not start a full GC of its heap each time', async () => {
    const w = 4096, h = 3072;
    // 48 MB of pixels from a few bytes of run-coded readback
    const base64 = Buffer.from(encodeRuns(new Uint32Array(w * h))).toString('base64');
    let major = 0;
    const gcs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e.detail as { kind?: number } | undefined)?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR || kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL) major++;
      }
    });
    gcs.observe({ entryTypes: ['gc'] });
    try {
      for (let i = 0; i < 10; i++) {
        const img = await pixels.unpackReadback([base64], w, h);
        assert.equal(img.length, w * h * 4);
        assert.ok(img.buffer instanceof SharedArrayBuffer);
      }
      await new Promise((r) => setImmediate(r));
    } finally {
      gcs.disconnect();
    }
    // handed over instead, each 48 MB image counted as this isolate's external memory and set off a mark-compact
    assert.ok(major <= 2, `${major} full or incremental GCs of the event loop's heap for 10 images`);
  });
});
