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
import fs from 'node:fs';
import path from 'node:path';
import { latToY, lonToX, tileRange } from '../../src/core/tile_math.js';
import type { Rect } from '../../src/tiling/clip.js';
import { importOsm, readLayer } from '../helpers/import_fixture.js';
import { osmXml } from '../helpers/osm_xml.js';
import { tempDir } from '../helpers/paths.js';
import { OracleWater, coastlineWays, landRings, tileOceanArea } from '../helpers/coastline_oracle.js';

// Calais to the Ems, with the West Frisian islands and the English coast from Kent to Norfolk.
const BBOX: [number, number, number, number] = [1.0, 50.8, 7.0, 53.8];
const NODES_PER_WAY = 8;

describe('sea from coastlines against osmcoastline (Natural Earth North Sea coast) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let mbtiles: string;
  let oracle: OracleWater;
  const extent: Rect = [lonToX(BBOX[0]), latToY(BBOX[3]), lonToX(BBOX[2]), latToY(BBOX[1])];

  before(async () => {
    dir = tempDir();
    const { nodes, ways, boxes } = coastlineWays(landRings([BBOX[0] - 1, BBOX[1] - 1, BBOX[2] + 1, BBOX[3] + 1]), NODES_PER_WAY);
    const full = path.join(dir, 'full.osm');
    fs.writeFileSync(full, osmXml({ nodes, ways }));
    // the extract: the ways whose box meets the extent, and their nodes
    const kept = ways.filter((_, i) => !(boxes[i][2] < BBOX[0] || boxes[i][0] > BBOX[2] || boxes[i][3] < BBOX[1] || boxes[i][1] > BBOX[3]));
    const used = new Set(kept.flatMap((w) => w.refs));
    const extract = path.join(dir, 'extract.osm');
    fs.writeFileSync(extract, osmXml({ nodes: nodes.filter((n) => used.has(n.id)), ways: kept }));
    oracle = new OracleWater(dir, full);
    mbtiles = path.join(dir, 'coast.mbtiles');
    const summary = await importOsm(extract, mbtiles, { bbox: BBOX, minzoom: 6, maxzoom: 14 });
    assert.equal(summary.coastline?.broken, 0, JSON.stringify(summary.coastline));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

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
        diffs.push(Math.abs(tileOceanArea(mbtiles, [z, x, y], rect) - oracle.area(rect)) / cell);
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
        if (oracle.area(rect) > 0) continue;
        landTiles++;
        assert.equal(readLayer(mbtiles, 10, x, y, 'water').filter((f) => f.properties.class === 'ocean').length, 0, `ocean in land tile 10/${x}/${y}`);
      }
    }
    assert.ok(landTiles > 10, `${landTiles} land tiles`);
  });
});
