/**
 * `npm run bench:update`: what an OSM change costs against a full re-import (issue 18).
 * On a scale extract of N copies of mulhouse + wehr + schopfheim (the shared fast
 * generator, cached under .bench/ like bench:scale's), it times
 *   tuilerie import                 the full import a change would otherwise need
 *   tuilerie import --updatable     the same, keeping the update store
 *   tuilerie update                 a change renaming 0.1% of the ways (every 1000th way gets a new name)
 * and prints wall and CPU time, peak RSS, the store's size and the ratio update / full import.
 *   BENCH_UPDATE_COPIES   copies, default 3200 (the issue's target: update ≤ 5% of the full import)
 *   BENCH_UPDATE_SHARE    share of the ways changed, default 0.001
 *   BENCH_UPDATE_REUSE    1: keep the --updatable import (archive + store) under .bench/ as a pristine copy and, on
 *                         later runs, update a copy of it instead of importing again (the plain import is still
 *                         run and timed every time: the ratio compares the update with an import of the same run)
 *   TUILERIE_TEST_DATA    shared data dir (default ../shared/data)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOsmFile } from '../src/osm/open_osm_file.js';
import { timedRun } from './bench_tools.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(root, '..', 'shared', 'data'));
const work = path.join(root, '.bench');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const copies = Number(process.env.BENCH_UPDATE_COPIES ?? 3200);
const share = Number(process.env.BENCH_UPDATE_SHARE ?? 0.001);
const reuse = process.env.BENCH_UPDATE_REUSE === '1';

function out(s: string): void {
  process.stdout.write(s + '\n');
}

function esc(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The scale extract (generated once, shared with bench:scale's cache). */
function extract(): string {
  const file = path.join(work, `scale-${copies}.osm.pbf`);
  if (!fs.existsSync(file)) {
    out(`generating ${file} …`);
    const sources = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf'].map((f) => path.join(shared, 'osm', f));
    execFileSync('python3', [path.join(shared, '..', 'scripts', 'make-big-extract.py'), file + '.part.osm.pbf', String(copies), ...sources], { stdio: 'inherit' });
    fs.renameSync(file + '.part.osm.pbf', file);
  }
  return file;
}

/** An osmChange renaming every (1/share)-th way; returns how many ways it touches and how many there are. */
async function makeChange(file: string, osc: string): Promise<{ changed: number; ways: number }> {
  const every = Math.max(1, Math.round(1 / share));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osmChange version="0.6" generator="bench:update">', '<modify>'];
  let ways = 0, changed = 0;
  const reader = await openOsmFile(file);
  for await (const block of reader.blocks({ nodes: false, relations: false })) {
    for (const w of block.ways) {
      if (ways++ % every !== 0) continue;
      changed++;
      const tags = { ...w.tags, name: `Bench ${w.id}` };
      const t = Object.entries(tags).map(([k, v]) => `<tag k="${esc(k)}" v="${esc(v)}"/>`).join('');
      lines.push(`<way id="${w.id}" version="2">${[...w.refs].map((r) => `<nd ref="${r}"/>`).join('')}${t}</way>`);
    }
  }
  lines.push('</modify>', '</osmChange>');
  fs.writeFileSync(osc, lines.join('\n'));
  return { changed, ways };
}

/** The update's own summary (--json): where its time went and how many tiles it read and wrote. */
function printUpdateSummary(stdout: string): void {
  const s = JSON.parse(stdout) as {
    stages?: { stage: string; ms: number; cpuMs: number; peakRssBytes: number }[];
    affected?: { nodes: number; ways: number; relations: number };
    tilesPerZoom?: Record<string, { written: number; removed: number; unchanged: number }>;
  };
  for (const st of s.stages ?? []) {
    out(`  update stage ${st.stage}: ${(st.ms / 1000).toFixed(1)} s wall, ${(st.cpuMs / 1000).toFixed(1)} s CPU, ${(st.peakRssBytes / 2 ** 20).toFixed(0)} MiB peak RSS`);
  }
  const zooms = Object.values(s.tilesPerZoom ?? {});
  const sum = (f: (v: { written: number; removed: number; unchanged: number }) => number): number => zooms.reduce((a, v) => a + f(v), 0);
  if (s.affected) out(`  affected: ${s.affected.nodes} nodes, ${s.affected.ways} ways, ${s.affected.relations} relations`);
  out(`  tiles: ${sum((v) => v.written)} written, ${sum((v) => v.removed)} removed, ${sum((v) => v.unchanged)} read and left unchanged`);
}

/** An updatable import (archive and its store directory) copied to `to`, replacing what was there. */
function copyImport(from: string, to: string): void {
  fs.rmSync(`${to}.store`, { recursive: true, force: true });
  fs.cpSync(`${from}.store`, `${to}.store`, { recursive: true });
  fs.copyFileSync(from, to);
}

async function main(): Promise<void> {
  fs.mkdirSync(work, { recursive: true });
  const file = extract();
  const osc = path.join(work, `update-${copies}.osc`);
  const { changed, ways } = await makeChange(file, osc);
  out(`${path.basename(file)}: ${ways} ways; the change renames ${changed} (${((100 * changed) / ways).toFixed(2)}%)`);
  const full = path.join(work, `update-${copies}-full.mbtiles`), updatable = path.join(work, `update-${copies}.mbtiles`);
  const pristine = path.join(work, `update-${copies}-pristine.mbtiles`);
  const rows = new Map<string, { seconds: number; cpu: number; rssMiB: number }>();
  const run = (name: string, args: string[]): string => {
    const r = timedRun(process.execPath, [cli, ...args]);
    rows.set(name, { seconds: r.seconds, cpu: r.cpuSeconds, rssMiB: r.peakKb / 1024 });
    out(`${name}: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, ${(r.peakKb / 1024).toFixed(0)} MiB peak RSS`);
    return r.stdout;
  };
  try {
    run('import', ['import', '--quiet', '--out', full, file]);
    if (reuse && fs.existsSync(`${pristine}.store`)) {
      out(`updating a copy of ${path.basename(pristine)} (BENCH_UPDATE_REUSE=1: the --updatable import is not run again)`);
      copyImport(pristine, updatable);
    } else {
      run('import --updatable', ['import', '--quiet', '--updatable', '--out', updatable, file]);
      if (reuse) copyImport(updatable, pristine);
    }
    printUpdateSummary(run('update', ['update', '--quiet', '--json', '--out', updatable, osc]));
    const store = fs.statSync(path.join(`${updatable}.store`, 'osm.sqlite')).size;
    out(`update store: ${(store / 2 ** 20).toFixed(0)} MiB; archive ${(fs.statSync(updatable).size / 2 ** 20).toFixed(0)} MiB`);
    const imp = rows.get('import')!, upd = rows.get('update')!;
    const ratio = upd.seconds / imp.seconds;
    const cpuRatio = upd.cpu / imp.cpu;
    const verdict = (r: number): string => (r <= 0.05 ? 'met' : 'NOT met');
    out(`update / full import: ${(100 * ratio).toFixed(1)}% wall (target ≤ 5%: ${verdict(ratio)}), ${(100 * cpuRatio).toFixed(1)}% CPU (target ≤ 5%: ${verdict(cpuRatio)})`);
  } finally {
    for (const f of [full, updatable]) fs.rmSync(f, { force: true });
    fs.rmSync(`${updatable}.store`, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:update: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
