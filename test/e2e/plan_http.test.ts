/** Plans over HTTP on a Mulhouse import: job queue, status with progress, download, synchronous route, errors. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, osmFile, tempDir } from '../helpers/paths.js';

async function waitDone(url: string, id: string): Promise<{ state: string; progress: number; seen: number[] }> {
  const seen: number[] = [];
  for (let i = 0; i < 600; i++) {
    const s = (await (await fetch(`${url}/plans/${id}`)).json()) as { state: string; progress: number };
    seen.push(s.progress);
    if (s.state === 'done' || s.state === 'failed') return { ...s, seen };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('plan did not finish');
}

function pdfPageSize(dir: string, body: Buffer): string {
  const f = path.join(dir, `p-${Date.now()}.pdf`);
  fs.writeFileSync(f, body);
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(execFileSync('pdfinfo', [f], { encoding: 'utf8' }))!;
  return `${Number(m[1]).toFixed(2)} x ${Number(m[2]).toFixed(2)}`;
}

describe('plans over HTTP @slow', function () {
  this.timeout(300_000);
  let dir: string;
  let server: TuilerieServer;
  let url: string;
  let mbtiles: string;

  before(async () => {
    dir = tempDir('tuilerie-plan-http-');
    mbtiles = path.join(dir, 'mulhouse.mbtiles');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--out', mbtiles, '--natural-earth', NATURAL_EARTH_DIR, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { openmaptiles: { path: mbtiles } }, styles: { print: { path: path.join(REPO_ROOT, 'styles', 'print.json') } } } });
    server = new TuilerieServer({ config, logger: silentLogger, services: { raster: { cacheDir: path.join(dir, 'raster-cache') }, planQueue: 1 } });
    url = await server.start();
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('POST /plans queues a job (202), its status shows progress, and the PDF is then downloadable', async () => {
    const r = await fetch(`${url}/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ place: 'Mulhouse', paper: 'A4', dpi: 72 }) });
    assert.equal(r.status, 202);
    const job = (await r.json()) as { id: string; state: string };
    assert.ok(['queued', 'running'].includes(job.state));
    const done = await waitDone(url, job.id);
    assert.equal(done.state, 'done');
    assert.equal(done.progress, 1);
    const pdf = await fetch(`${url}/plans/${job.id}/plan.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(pdfPageSize(dir, Buffer.from(await pdf.arrayBuffer())), '841.89 x 595.28');
  });

  it('GET /plans/plan.pdf?place=… answers a small plan synchronously', async () => {
    const r = await fetch(`${url}/plans/plan.pdf?place=Mulhouse&paper=A4&orientation=portrait&dpi=72`);
    assert.equal(r.status, 200);
    assert.equal(pdfPageSize(dir, Buffer.from(await r.arrayBuffer())), '595.28 x 841.89');
  });

  it('an unknown place is a 404 that suggests the closest names', async () => {
    const r = await fetch(`${url}/plans/plan.pdf?place=Mulhuse&paper=A4&dpi=72`);
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { error: string }).error, /Mulhouse/);
  });

  it('a large plan is refused on the synchronous route and past the pixel limit on POST', async () => {
    assert.equal((await fetch(`${url}/plans/plan.pdf?place=Mulhouse&paper=A0`)).status, 413);
    const r = await fetch(`${url}/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ place: 'Mulhouse', paper: 'A0', dpi: 600 }) });
    assert.equal(r.status, 413);
  });

  it('past the queue bound, POST /plans answers 503', async () => {
    const post = () => fetch(`${url}/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ place: 'Mulhouse', paper: 'A4', dpi: 72 }) });
    const a = await post(), b = await post(), c = await post();
    assert.deepEqual([a.status, b.status, c.status], [202, 202, 503]);
    await waitDone(url, ((await b.json()) as { id: string }).id);
  });

  it('a finished plan\'s URL follows publicUrl, not Host or forwarded headers', async () => {
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, trustProxy: true, publicUrl: 'https://maps.example.org/city/', sources: { openmaptiles: { path: mbtiles } }, styles: { print: { path: path.join(REPO_ROOT, 'styles', 'print.json') } } } });
    const other = new TuilerieServer({ config, logger: silentLogger, services: { raster: { cacheDir: path.join(dir, 'raster-cache-public') } } });
    const otherUrl = await other.start();
    try {
      const headers = { 'content-type': 'application/json', 'x-forwarded-host': 'evil.example' };
      const r = await fetch(`${otherUrl}/plans`, { method: 'POST', headers, body: JSON.stringify({ place: 'Mulhouse', paper: 'A4', dpi: 72, format: 'svg' }) });
      assert.equal(r.status, 202);
      const { id } = (await r.json()) as { id: string };
      assert.equal((await waitDone(otherUrl, id)).state, 'done');
      const status = (await (await fetch(`${otherUrl}/plans/${id}`, { headers })).json()) as { result: { url: string } };
      assert.equal(status.result.url, `https://maps.example.org/city/plans/${id}/plan.svg`);
    } finally {
      await other.stop();
    }
  });

  it('stops the synchronous plan of a client that hung up: its renders are dropped or abandoned, and the next plan runs', async () => {
    const metric = async (name: string) => Number(new RegExp(`^tuilerie_render_${name} (\\d+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    const stopped = async () => (await metric('cancelled_total')) + (await metric('abandoned_total'));
    const before = await stopped();
    const ac = new AbortController();
    const gone = fetch(`${url}/plans/plan.png?place=Mulhouse&paper=A4&dpi=150`, { signal: ac.signal }).catch(() => 'aborted');
    for (let i = 0; i < 2400 && (await metric('active')) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await metric('active'), 1, 'the plan started rendering');
    ac.abort();
    assert.equal(await gone, 'aborted');
    for (let i = 0; i < 2400 && (await stopped()) === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok((await stopped()) > before, 'a render of the plan was dropped or abandoned');
    // the queue is free again for the next client
    const r = await fetch(`${url}/plans/plan.pdf?place=Mulhouse&paper=A4&dpi=72`);
    assert.equal(r.status, 200);
  });

  it('an unknown job is a 404', async () => {
    assert.equal((await fetch(`${url}/plans/no-such-job`)).status, 404);
  });
});
