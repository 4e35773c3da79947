/**
 * The sea from coastlines against osmcoastline, the reference tool: the Natural
 * Earth 50m land outline around the southern North Sea is turned into
 * `natural=coastline` ways (an OSM XML file written here). osmcoastline gets
 * every way (closed rings: the whole of Eurasia, Great Britain, the Frisian
 * islands…) and writes its water polygons; we import only the ways that reach the
 * extent, as an extract would hold them, with --bbox. The sea in our tiles must
 * match osmcoastline's water within the extent, tile by tile, at z6–z14.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { latToY, lonToX, tileRange } from '../../src/core/tile_math.js';
import { clipPolygon, type Rect } from '../../src/tiling/clip.js';
import { importOsm, readLayer } from '../helpers/import_fixture.js';
import { osmXml, type XmlNode, type XmlWay } from '../helpers/osm_xml.js';
import { NATURAL_EARTH_DIR, tempDir } from '../helpers/paths.js';

// Calais to the Ems, with the West Frisian islands and the English coast from Kent to Norfolk.
const BBOX: [number, number, number, number] = [1.0, 50.8, 7.0, 53.8];
const NODES_PER_WAY = 8;
const HALF = 20037508.342789244;

type Ring = number[][];

/** Natural Earth 50m land rings (outer and holes) whose box meets `box`, as lon/lat lists without the closing point. */
function landRings(box: number[]): Ring[] {
  const data = JSON.parse(fs.readFileSync(path.join(NATURAL_EARTH_DIR, '50m', 'ne_50m_land.geojson'), 'utf8')) as {
    features: { geometry: { type: string; coordinates: unknown } }[];
  };
  const rings: Ring[] = [];
  for (const f of data.features) {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][];
    for (const p of polys) {
      const xs = p[0].map((c) => c[0]), ys = p[0].map((c) => c[1]);
      if (Math.max(...xs) < box[0] || Math.min(...xs) > box[2] || Math.max(...ys) < box[1] || Math.min(...ys) > box[3]) continue;
      for (const r of p) rings.push(r.slice(0, -1));
    }
  }
  return rings;
}

/**
 * Coastline ways of the rings: land on the left (Natural Earth outer rings run clockwise, holes counter-clockwise,
 * so every ring is reversed), NODES_PER_WAY nodes a way, ways sharing their end nodes.
 */
function coastlineWays(rings: Ring[]): { nodes: XmlNode[]; ways: XmlWay[]; boxes: number[][] } {
  const nodes: XmlNode[] = [];
  const ways: XmlWay[] = [];
  const boxes: number[][] = [];
  let nodeId = 1, wayId = 1;
  for (const ring of rings) {
    const pts = [...ring].reverse().filter((c, i, a) => i === 0 || c[0] !== a[i - 1][0] || c[1] !== a[i - 1][1]);
    if (pts.length < 3) continue;
    const ids = pts.map(([lon, lat]) => { nodes.push({ id: nodeId, lon, lat }); return nodeId++; });
    ids.push(ids[0]);
    const coords = [...pts, pts[0]];
    for (let s = 0; s < ids.length - 1; s += NODES_PER_WAY - 1) {
      const e = Math.min(ids.length, s + NODES_PER_WAY);
      ways.push({ id: wayId++, refs: ids.slice(s, e), tags: { natural: 'coastline' } });
      const part = coords.slice(s, e);
      boxes.push([Math.min(...part.map((c) => c[0])), Math.min(...part.map((c) => c[1])), Math.max(...part.map((c) => c[0])), Math.max(...part.map((c) => c[1]))]);
    }
  }
  return { nodes, ways, boxes };
}

function signedArea(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 3 < r.length; i += 2) s += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return s / 2;
}

/** osmcoastline's water polygons, world coordinates (x east, y south, 0..1), [outer, holes…] each. */
function oracleWater(dir: string, osmFile: string): Float64Array[][] {
  const db = path.join(dir, 'coast.db');
  try {
    execFileSync('osmcoastline', ['-o', db, '-p', 'water', '-s', '3857', '-f', '-i', osmFile], { stdio: 'pipe' });
  } catch (e) {
    // exit status 1: warnings only (osmcoastline's documented codes)
    if ((e as { status?: number }).status !== 1) throw e;
  }
  const json = path.join(dir, 'water.geojson');
  execFileSync('ogr2ogr', ['-f', 'GeoJSON', json, db, 'water_polygons'], { stdio: 'pipe' });
  const fc = JSON.parse(fs.readFileSync(json, 'utf8')) as { features: { geometry: { type: string; coordinates: unknown } }[] };
  const out: Float64Array[][] = [];
  for (const f of fc.features) {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
    for (const p of polys) {
      out.push(p.map((r) => Float64Array.from(r.flatMap(([x, y]) => [(x + HALF) / (2 * HALF), (HALF - y) / (2 * HALF)]))));
    }
  }
  return out;
}

function polygonArea(rings: Float64Array[]): number {
  return Math.abs(signedArea(rings[0])) - rings.slice(1).reduce((s, h) => s + Math.abs(signedArea(h)), 0);
}

describe('sea from coastlines against osmcoastline (Natural Earth North Sea coast) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let mbtiles: string;
  let oracle: { rings: Float64Array[]; box: number[] }[];
  const extent: Rect = [lonToX(BBOX[0]), latToY(BBOX[3]), lonToX(BBOX[2]), latToY(BBOX[1])];

  before(async () => {
    dir = tempDir();
    const { nodes, ways, boxes } = coastlineWays(landRings([BBOX[0] - 1, BBOX[1] - 1, BBOX[2] + 1, BBOX[3] + 1]));
    const full = path.join(dir, 'full.osm');
    fs.writeFileSync(full, osmXml({ nodes, ways }));
    // the extract: the ways whose box meets the extent, and their nodes
    const kept = ways.filter((_, i) => !(boxes[i][2] < BBOX[0] || boxes[i][0] > BBOX[2] || boxes[i][3] < BBOX[1] || boxes[i][1] > BBOX[3]));
    const used = new Set(kept.flatMap((w) => w.refs));
    const extract = path.join(dir, 'extract.osm');
    fs.writeFileSync(extract, osmXml({ nodes: nodes.filter((n) => used.has(n.id)), ways: kept }));
    oracle = oracleWater(dir, full).map((rings) => {
      const r = rings[0];
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < r.length; i += 2) {
        minX = Math.min(minX, r[i]); maxX = Math.max(maxX, r[i]); minY = Math.min(minY, r[i + 1]); maxY = Math.max(maxY, r[i + 1]);
      }
      return { rings, box: [minX, minY, maxX, maxY] };
    });
    mbtiles = path.join(dir, 'coast.mbtiles');
    const summary = await importOsm(extract, mbtiles, { bbox: BBOX, minzoom: 6, maxzoom: 14 });
    assert.equal(summary.coastline?.broken, 0, JSON.stringify(summary.coastline));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function oracleArea(rect: Rect): number {
    let a = 0;
    for (const o of oracle) {
      if (o.box[2] < rect[0] || o.box[0] > rect[2] || o.box[3] < rect[1] || o.box[1] > rect[3]) continue;
      const c = clipPolygon(o.rings, rect);
      if (c) a += polygonArea(c);
    }
    return a;
  }

  /** Our ocean in the rectangle, from tile z/x/y (MVT: outer rings positive, holes negative). */
  function tileArea(z: number, x: number, y: number, rect: Rect): number {
    const n = 2 ** z;
    let a = 0;
    for (const f of readLayer(mbtiles, z, x, y, 'water')) {
      if (f.properties.class !== 'ocean') continue;
      for (const ring of f.geometry) {
        const world = Float64Array.from(ring.flatMap((p) => [(x + p.x / f.extent) / n, (y + p.y / f.extent) / n]));
        const c = clipPolygon([world], rect);
        if (c) a += signedArea(c[0]);
      }
    }
    return a;
  }

  /** Per tile of zoom z meeting the extent (every `step`-th column and row): |ours − osmcoastline| / area of tile ∩ extent. */
  function differences(z: number, step = 1): number[] {
    const n = 2 ** z;
    const r = tileRange(BBOX, z);
    const diffs: number[] = [];
    for (let x = r.minX; x <= r.maxX; x += step) {
      for (let y = r.minY; y <= r.maxY; y += step) {
        const rect: Rect = [Math.max(x / n, extent[0]), Math.max(y / n, extent[1]), Math.min((x + 1) / n, extent[2]), Math.min((y + 1) / n, extent[3])];
        const cell = (rect[2] - rect[0]) * (rect[3] - rect[1]);
        if (cell <= 0) continue;
        diffs.push(Math.abs(tileArea(z, x, y, rect) - oracleArea(rect)) / cell);
      }
    }
    return diffs;
  }

  for (const [z, step] of [[6, 1], [8, 1], [10, 1], [12, 1], [14, 7]] as const) {
    it(`matches osmcoastline's water within 1% of every z${z} tile${step > 1 ? ` (every ${step}th column and row)` : ''}`, () => {
      const d = differences(z, step);
      const worst = Math.max(...d);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      process.stdout.write(`      z${z}: ${d.length} tiles, area difference mean ${(mean * 100).toFixed(3)}%, worst ${(worst * 100).toFixed(3)}%\n`);
      assert.ok(d.length > 0);
      assert.ok(worst < 0.01, `worst tile differs by ${(worst * 100).toFixed(2)}% of its area`);
    });
  }

  it('puts no ocean in a z10 tile that osmcoastline finds all land', () => {
    const n = 2 ** 10;
    const r = tileRange(BBOX, 10);
    let landTiles = 0;
    for (let x = r.minX; x <= r.maxX; x++) {
      for (let y = r.minY; y <= r.maxY; y++) {
        const rect: Rect = [x / n, y / n, (x + 1) / n, (y + 1) / n];
        if (rect[0] < extent[0] || rect[1] < extent[1] || rect[2] > extent[2] || rect[3] > extent[3]) continue;
        if (oracleArea(rect) > 0) continue;
        landTiles++;
        assert.equal(readLayer(mbtiles, 10, x, y, 'water').filter((f) => f.properties.class === 'ocean').length, 0, `ocean in land tile 10/${x}/${y}`);
      }
    }
    assert.ok(landTiles > 10, `${landTiles} land tiles`);
  });
});
