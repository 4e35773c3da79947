/**
 * `tuilerie plan` end to end on our own import of Mulhouse: the PDF is read
 * back with poppler (pdfinfo, pdftotext) and checked against the tile geometry
 * with a separate, simple implementation (segment–rectangle tests per square).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { indexName } from '../../src/print/street_name.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, osmFile, tempDir } from '../helpers/paths.js';

const CLI_TS = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_TS, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---- a deliberately plain reimplementation of the geometry, for checking -----------------

const mx = (lon: number) => (lon + 180) / 360;
const my = (lat: number) => {
  const s = Math.sin((lat * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};

type Pt = [number, number];

function inside(p: Pt, r: [number, number, number, number]): boolean {
  return p[0] > r[0] && p[0] < r[2] && p[1] > r[1] && p[1] < r[3];
}

function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o = (p: Pt, q: Pt, r: Pt) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

function segmentHitsRect(a: Pt, b: Pt, r: [number, number, number, number]): boolean {
  if (inside(a, r) || inside(b, r)) return true;
  const c: Pt[] = [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]];
  return c.some((p, i) => segmentsCross(a, b, p, c[(i + 1) % 4]));
}

/** Street name → squares ("B3") from the z14 tiles, for a frame bbox and a cols × rows grid. */
function expectedIndex(mbtiles: string, bbox: number[], cols: number, rows: number): Map<string, Set<string>> {
  const [x0, y0, x1, y1] = [mx(bbox[0]), my(bbox[3]), mx(bbox[2]), my(bbox[1])];
  const cells: { label: string; r: [number, number, number, number] }[] = [];
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      cells.push({ label: `${String.fromCharCode(65 + c)}${r + 1}`, r: [x0 + ((x1 - x0) * c) / cols, y0 + ((y1 - y0) * r) / rows, x0 + ((x1 - x0) * (c + 1)) / cols, y0 + ((y1 - y0) * (r + 1)) / rows] });
    }
  }
  const out = new Map<string, Set<string>>();
  const db = new Database(mbtiles, { readonly: true });
  const rowsDb = db.prepare('SELECT tile_column x, tile_row y, tile_data d FROM tiles WHERE zoom_level = 14').all() as { x: number; y: number; d: Buffer }[];
  db.close();
  for (const t of rowsDb) {
    const y = 2 ** 14 - 1 - t.y;
    const layer = new VectorTile(new PbfReader(zlib.gunzipSync(t.d))).layers.transportation_name;
    if (!layer) continue;
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const p = f.properties;
      const name = (p['name:fr'] ?? p.name) as string | undefined;
      if (!name || f.type !== 2 || ['rail', 'transit', 'ferry', 'aerialway'].includes(String(p.class))) continue;
      for (const line of f.loadGeometry()) {
        const pts = line.map((q): Pt => [(t.x + q.x / layer.extent) / 2 ** 14, (y + q.y / layer.extent) / 2 ** 14]);
        for (let k = 1; k < pts.length; k++) {
          for (const cell of cells) {
            if (segmentHitsRect(pts[k - 1], pts[k], cell.r)) {
              if (!out.has(name)) out.set(name, new Set());
              out.get(name)!.add(cell.label);
            }
          }
        }
      }
    }
  }
  return out;
}

interface Word { x0: number; y0: number; x1: number; y1: number; text: string }

function words(pdf: string, page = 1): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }));
}

function keywords(pdf: string): Record<string, string> {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const line = /^Keywords:\s*(.*)$/m.exec(info)?.[1] ?? '';
  return Object.fromEntries(line.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
}

describe('tuilerie plan on Mulhouse @slow', function () {
  this.timeout(300_000);
  let dir: string;
  let mbtiles: string;
  let pdf: string;
  let run: ReturnType<typeof cli>;

  before(() => {
    dir = tempDir('tuilerie-plan-e2e-');
    mbtiles = path.join(dir, 'mulhouse.mbtiles');
    execFileSync(process.execPath, ['--import', 'tsx', CLI_TS, 'import', '--out', mbtiles, '--natural-earth', NATURAL_EARTH_DIR, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
    pdf = path.join(dir, 'mulhouse.pdf');
    run = cli(['plan', '--place', 'Mulhouse', '--data', mbtiles, '--paper', 'A3', '--orientation', 'landscape', '--dpi', '150', '--out', pdf]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the PDF and exits 0', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.ok(fs.statSync(pdf).size > 10_000);
  });

  it('the page is A3 landscape, 420 × 297 mm', () => {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+1190\.55 x 841\.89 pts/);
  });

  it('the title is the place name', () => {
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    assert.equal(text.split('\n').find((l) => l.trim())?.trim(), 'Mulhouse');
  });

  it('the attribution is on the map page', () => {
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    assert.match(text, /© OpenStreetMap contributors/);
  });

  it('every named street crossing the frame is in the index with exactly the squares it crosses', () => {
    const k = keywords(pdf);
    const [cols, rows] = k.grid.split('x').map(Number);
    const expected = expectedIndex(mbtiles, k.bbox.split(',').map(Number), cols, rows);
    assert.ok(expected.size > 30, `only ${expected.size} streets in the frame`);
    const raw = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const problems: string[] = [];
    for (const [name, squares] of expected) {
      const m = new RegExp(`${esc(indexName(name, 'fr')).replace(/ /g, '\\s+')}\\s+([A-Z]+\\d+(?:,\\s+[A-Z]+\\d+)*)`).exec(raw);
      const want = [...squares].sort().join(', ');
      const got = m ? m[1].split(/,\s+/).sort().join(', ') : 'missing';
      if (got !== want) problems.push(`${name}: index ${got}, geometry ${want}`);
    }
    assert.deepEqual(problems, []);
  });

  it('the index lists no street that the geometry does not put in the frame', () => {
    const k = keywords(pdf);
    const [cols, rows] = k.grid.split('x').map(Number);
    const expected = expectedIndex(mbtiles, k.bbox.split(',').map(Number), cols, rows);
    const raw = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
    const streets = raw.slice(raw.indexOf('Index des rues'), raw.indexOf('Lieux remarquables'));
    const runs = streets.match(/[A-Z]+\d+(?:,\s+[A-Z]+\d+)*/g) ?? [];
    assert.equal(runs.length, expected.size);
  });

  it('the scale bar is as long on paper as the scale says, within 1%', () => {
    const w = words(pdf);
    const sub = w.findIndex((x) => x.text === '1:5' || /^1:\d/.test(x.text));
    assert.ok(sub >= 0, 'scale in the subtitle');
    const scale = Number((w[sub].text + (w[sub + 1]?.text ?? '')).replace(/^1:/, '').replace(/\D/g, ''));
    const zero = w.find((x) => x.text === '0' && w.some((y) => y !== x && Math.abs(y.y0 - x.y0) < 0.5 && /^\d+$/.test(y.text) && +y.text > 0));
    assert.ok(zero, 'scale bar labels');
    const end = w.filter((y) => Math.abs(y.y0 - zero.y0) < 0.5 && /^\d+$/.test(y.text)).sort((a, b) => +b.text - +a.text)[0];
    const unit = w.filter((y) => (y.text === 'm' || y.text === 'km') && y.x0 > end.x0 && Math.abs(y.y0 - end.y0) < 10).sort((a, b) => a.x0 - b.x0)[0];
    const metres = +end.text * (unit.text === 'km' ? 1000 : 1);
    const mm = (((end.x0 + end.x1) / 2 - (zero.x0 + zero.x1) / 2) * 25.4) / 72;
    const shown = (mm * scale) / 1000;
    assert.ok(Math.abs(shown - metres) / metres < 0.01, `bar ${mm.toFixed(2)} mm at 1:${scale} is ${shown.toFixed(1)} m, labelled ${metres} m`);
  });

  it('the map frame covers the ground the scale says (1 cm = scale cm at the latitude of the map)', () => {
    const k = keywords(pdf);
    const [w, s, e, n] = k.bbox.split(',').map(Number);
    const frameMm = k.frame_mm.split(',').map(Number);
    const lat = (s + n) / 2;
    const R = 6378137;
    const ground = R * Math.cos((lat * Math.PI) / 180) * ((e - w) * Math.PI) / 180;
    const scale = (ground * 1000) / frameMm[2];
    assert.ok(Math.abs(scale - Number(k.scale)) / Number(k.scale) < 0.005, `frame is at 1:${scale.toFixed(0)}`);
  });

  it('an unknown place is an error that suggests the closest names', () => {
    const r = cli(['plan', '--place', 'Mulhuse', '--data', mbtiles, '--out', path.join(dir, 'x.pdf')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no place named "Mulhuse".*Mulhouse/);
  });

  it('a place that does not fit at the asked scale is an error naming a scale that fits', () => {
    const r = cli(['plan', '--place', 'Mulhouse', '--data', mbtiles, '--paper', 'A4', '--scale', '1000', '--out', path.join(dir, 'x.pdf')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /does not fit on A4 .* at 1:1000.*--scale \d+/);
  });

  it('a resolution past the limit is refused before any work', () => {
    const r = cli(['plan', '--place', 'Mulhouse', '--data', mbtiles, '--dpi', '5000', '--out', path.join(dir, 'x.pdf')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /dpi 5000 is outside/);
  });
});
