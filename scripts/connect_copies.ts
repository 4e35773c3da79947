/**
 * Makes the copies of a scale extract one road network, for routing benchmarks: the
 * copies are separate islands, which makes contraction unrealistically easy. The
 * nodes of highway ways are bucketed in a grid of `cellDegrees`; in each bucket the
 * easternmost node is joined to the westernmost of the next bucket east, and the
 * northernmost to the southernmost of the next bucket north, by a `highway=primary`
 * way. Neighbouring copies (and parts of one copy) are so linked at every cell
 * edge. Written as OPL and merged into a sorted PBF with `osmium merge`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { openOsmFile } from '../src/osm/open_osm_file.js';

interface Extremes { e: number; w: number; n: number; s: number; ex: number; wx: number; ny: number; sy: number }

export async function connectCopies(input: string, output: string, cellDegrees = 0.05): Promise<number> {
  const reader = await openOsmFile(input);
  // pass 1: which node ids highway ways use (ids of a scale extract are dense: a bitmap by id)
  let used = new Uint8Array(1 << 20);
  let maxWay = 0;
  for await (const b of reader.blocks({ nodes: false, relations: false })) {
    for (const w of b.ways) {
      if (w.id > maxWay) maxWay = w.id;
      if (w.tags.highway === undefined) continue;
      for (const r of w.refs) {
        if (r >= used.length * 8) { const u = new Uint8Array(Math.max(used.length * 2, Math.ceil(r / 8) + 1)); u.set(used); used = u; }
        used[r >>> 3] |= 1 << (r & 7);
      }
    }
  }
  // pass 2: per grid cell, the extreme highway nodes
  const cells = new Map<string, Extremes>();
  for await (const b of reader.blocks({ ways: false, relations: false })) {
    for (let i = 0; i < b.nodeIds.length; i++) {
      const id = b.nodeIds[i];
      if (id >= used.length * 8 || !(used[id >>> 3] & (1 << (id & 7)))) continue;
      const lon = b.nodeLons[i], lat = b.nodeLats[i];
      const key = `${Math.floor(lon / cellDegrees)},${Math.floor(lat / cellDegrees)}`;
      const c = cells.get(key);
      if (!c) { cells.set(key, { e: id, w: id, n: id, s: id, ex: lon, wx: lon, ny: lat, sy: lat }); continue; }
      if (lon > c.ex) { c.ex = lon; c.e = id; }
      if (lon < c.wx) { c.wx = lon; c.w = id; }
      if (lat > c.ny) { c.ny = lat; c.n = id; }
      if (lat < c.sy) { c.sy = lat; c.s = id; }
    }
  }
  const lines: string[] = [];
  let id = maxWay + 1;
  for (const [key, c] of cells) {
    const [x, y] = key.split(',').map(Number);
    const east = cells.get(`${x + 1},${y}`), north = cells.get(`${x},${y + 1}`);
    if (east) lines.push(`w${id++} Thighway=primary,bench=connector Nn${c.e},n${east.w}`);
    if (north) lines.push(`w${id++} Thighway=primary,bench=connector Nn${c.n},n${north.s}`);
  }
  const opl = output + '.connectors.opl';
  fs.writeFileSync(opl, lines.join('\n') + '\n');
  try {
    execFileSync('osmium', ['merge', '--overwrite', '-o', output, input, opl], { stdio: 'inherit' });
  } finally {
    fs.rmSync(opl, { force: true });
  }
  return lines.length;
}
