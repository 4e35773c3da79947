import assert from 'node:assert/strict';
import sharp from 'sharp';
import pixelmatch from 'pixelmatch';
import { ChromiumRenderer, DEFAULT_CHROMIUM_PATH } from '../../../src/render/chromium_renderer.js';
import { PixelWorkers } from '../../../src/render/pixel_tasks.js';
import { startFixtureServer, tilemakerAvailable, type FixtureServer } from './fixture_tile_server.js';
import { MULHOUSE, rendererContract } from './renderer_contract.js';
import fs from 'node:fs';
import os from 'node:os';
import { DEFAULT_BACKGROUND_NICENESS } from '../../../src/core/thread_priority.js';

const available = fs.existsSync(DEFAULT_CHROMIUM_PATH) && tilemakerAvailable();

describe(`ChromiumRenderer @slow${available ? '' : ' (skipped: needs Debian chromium and tilemaker)'}`, function () {
  if (!available) return;
  let server: FixtureServer;
  let renderer: ChromiumRenderer;
  let pixels: PixelWorkers;
  before(async () => {
    server = await startFixtureServer();
    pixels = new PixelWorkers({ niceness: 0 });
    renderer = new ChromiumRenderer({ allowedOrigins: [server.baseUrl], pixels });
  });
  after(async () => {
    await renderer?.close();
    await pixels?.close();
    await server?.close();
  });

  rendererContract(() => ({ renderer, server }));

  it('runs the browser and every process and thread it started below this process\'s priority, after drawing (Linux)', async function () {
    if (!fs.existsSync('/proc/self/task')) this.skip();
    await renderer.render({ style: server.style('dark-matter'), styleKey: 'dark-matter', view: { center: MULHOUSE, zoom: 11 }, width: 64, height: 64, scale: 1, format: 'png' });
    const pid = await renderer.browserPid();
    assert.ok(pid);
    const tree = (p: number): number[] => [p, ...fs.readdirSync(`/proc/${p}/task`).flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number)).flatMap(tree)];
    const want = Math.min(19, os.getPriority() + DEFAULT_BACKGROUND_NICENESS);
    // threads running above `want`, sampled while renders draw and after: Chromium as root raised some while drawing
    const high = new Set<string>();
    const sample = () => {
      for (const p of tree(pid)) {
        for (const t of fs.readdirSync(`/proc/${p}/task`)) {
          try { if (os.getPriority(Number(t)) < want) high.add(`${p}/${t} (${fs.readFileSync(`/proc/${p}/task/${t}/comm`, 'utf8').trim()}) at ${os.getPriority(Number(t))}`); } catch { /* thread gone */ }
        }
      }
    };
    for (let i = 0; i < 3; i++) {
      const timer = setInterval(sample, 20);
      try {
        await renderer.render({ style: server.style('dark-matter'), styleKey: 'dark-matter', view: { center: MULHOUSE, zoom: 12 + i, pitch: 40 * i }, width: 512, height: 512, scale: 1, format: 'png' });
      } finally {
        clearInterval(timer);
      }
      sample();
    }
    assert.equal(await renderer.browserPid(), pid, 'the same browser throughout');
    const pids = tree(pid);
    assert.ok(pids.length >= 3, `browser, zygote and renderer expected, found ${pids.length} processes`);
    for (const p of pids) assert.ok(os.getPriority(p) >= want, `process ${p} runs at nice ${os.getPriority(p)}`);
    assert.deepEqual([...high], []);
    // and the browser cannot raise a priority: no CAP_SYS_NICE (bit 23) in any of its processes
    for (const p of pids) {
      const eff = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))![1]}`);
      assert.equal((eff >> 23n) & 1n, 0n, `process ${p} holds CAP_SYS_NICE`);
    }
  });

  it('draws a style\'s sky above the horizon, and nothing there for a style without one (its skipped sky is transparent)', async () => {
    const base = server.style('dark-matter');
    // pitched far enough that the top rows show the sky above the horizon
    const view = { center: MULHOUSE, zoom: 14, pitch: 80 };
    const top = async (style: Record<string, unknown>, key: string) => {
      const raw = await renderer.render({ style, styleKey: key, view, width: 128, height: 128, scale: 1, format: 'raw' });
      return [...raw.subarray(0, 4)];
    };
    const red = { 'sky-color': '#ff0000', 'horizon-color': '#ff0000', 'sky-horizon-blend': 0, 'horizon-fog-blend': 0, 'fog-color': '#ff0000', 'fog-ground-blend': 1, 'atmosphere-blend': 0 };
    assert.deepEqual(await top({ ...base, sky: red }, 'dark-matter+sky'), [255, 0, 0, 255]);
    assert.equal((await top(base, 'dark-matter'))[3], 0);
  });

  it('keeps drawing after its page is recycled', async () => {
    await renderer.recycle();
    const png = await renderer.render({ style: server.style('dark-matter'), styleKey: 'dark-matter', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 1, format: 'png' });
    assert.equal((await sharp(png).metadata()).width, 256);
  });
});

describe(`ChromiumRenderer idle-hold fast path @slow${available ? '' : ' (skipped: needs Debian chromium and tilemaker)'}`, function () {
  if (!available) return;
  let server: FixtureServer;
  let pixels: PixelWorkers;
  before(async () => {
    server = await startFixtureServer();
    pixels = new PixelWorkers({ niceness: 0 });
  });
  after(async () => {
    await pixels?.close();
    await server?.close();
  });

  /** One browser at a time: render, close, return the straight RGBA. */
  async function renderWith(fastPath: boolean, zoom: number): Promise<Buffer> {
    const r = new ChromiumRenderer({ allowedOrigins: [server.baseUrl], pixels, fastPath });
    try {
      return await r.render({ style: server.style('osm-bright'), styleKey: 'osm-bright', view: { center: MULHOUSE, zoom }, width: 512, height: 512, scale: 1, format: 'raw' });
    } finally {
      await r.close();
    }
  }

  for (const zoom of [13, 15.5]) {
    it(`draws the same pixels as MapLibre's stock path at zoom ${zoom}`, async () => {
      const fast = await renderWith(true, zoom);
      const stock = await renderWith(false, zoom);
      const diff = pixelmatch(fast, stock, undefined, 512, 512, { threshold: 0 });
      assert.equal(diff, 0, `${diff} pixels differ`);
    });
  }
});
