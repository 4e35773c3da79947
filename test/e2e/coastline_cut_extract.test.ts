/**
 * The sea of a polygon-cut extract imported with no --bbox and no --clip, as a
 * Geofabrik download would be: the Natural Earth 50m coast from Calais to IJmuiden
 * plus untagged nodes standing for the rest of the data (a 0.02° grid on land, 0.1° at
 * sea: OSM maps land far more densely, which the check of the coast's direction uses), cut with
 * `osmium extract -p` by a non-rectangular polygon (with a notch on the land side),
 * by both osmium strategies (`complete_ways` keeps whole ways, so the coast runs on
 * past the cut; `simple` keeps the ways without their nodes outside it). The sea must
 * be closed along the data's outline: inside the polygon, per tile, it matches
 * osmcoastline's water of the uncut coast (closed rings), and no land tile gets sea.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { latToY, lonToX } from '../../src/core/tile_math.js';
import type { Rect } from '../../src/tiling/clip.js';
import type { ImportSummary } from '../../src/importer/import_options.js';
import { importOsm, readLayer } from '../helpers/import_fixture.js';
import { osmXml, type XmlNode } from '../helpers/osm_xml.js';
import { tempDir } from '../helpers/paths.js';
import { OracleWater, coastlineWays, landRings } from '../helpers/coastline_oracle.js';
import { tileOceanArea } from '../helpers/coastline_oracle.js';

/** The cut polygon (lon/lat): sea to the west and north-west, land to the south and east, concave at (4.4, 51.1). */
const CUT: number[][] = [[2.4, 51.0], [3.6, 50.8], [4.4, 51.1], [5.0, 51.2], [5.2, 52.3], [4.0, 52.6], [2.3, 51.9], [2.4, 51.0]];
const LAND_STEP = 0.02;
const SEA_STEP = 0.1;
/** Areas are compared per cell of this zoom (≈ 0.18°), within tiles of each zoom. */
const CELL_ZOOM = 11;
/** Cells compared must lie this far (world units, ≈ 0.12°) inside the cut: the data's outline runs up to a sea grid step inside it. */
const MARGIN = 0.12 / 360;

const cutRing = Float64Array.from(CUT.flatMap(([lon, lat]) => [lonToX(lon), latToY(lat)]));

function inCut(x: number, y: number): boolean {
  let inside = false;
  const r = cutRing;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    if ((r[i + 1] > y) !== (r[j + 1] > y) && x < ((r[j] - r[i]) * (y - r[i + 1])) / (r[j + 1] - r[i + 1]) + r[i]) inside = !inside;
  }
  return inside;
}

/** Whether the rectangle, grown by MARGIN, lies inside the cut (corners inside, no vertex of the cut within). */
function rectInCut(r: Rect): boolean {
  const g: Rect = [r[0] - MARGIN, r[1] - MARGIN, r[2] + MARGIN, r[3] + MARGIN];
  if (![[g[0], g[1]], [g[2], g[1]], [g[0], g[3]], [g[2], g[3]]].every(([x, y]) => inCut(x, y))) return false;
  for (let i = 0; i < cutRing.length; i += 2) if (cutRing[i] > g[0] && cutRing[i] < g[2] && cutRing[i + 1] > g[1] && cutRing[i + 1] < g[3]) return false;
  return true;
}

function inLonLatRing(lon: number, lat: number, r: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    if ((r[i][1] > lat) !== (r[j][1] > lat) && lon < ((r[j][0] - r[i][0]) * (lat - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]) inside = !inside;
  }
  return inside;
}

describe('sea of a polygon-cut extract imported without --bbox or --clip (osmium extract -p, osmcoastline) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let oracle: OracleWater;
  let full: string;
  before(() => {
    dir = tempDir();
    const rings = landRings([0, 49.5, 8, 54]);
    const { nodes, ways } = coastlineWays(rings, 8);
    const onLand = (lon: number, lat: number): boolean => rings.filter((r) => inLonLatRing(lon, lat, r)).length % 2 === 1;
    const filler: XmlNode[] = [];
    let id = 10_000_000;
    for (let lon = 1.0; lon <= 6.0; lon += LAND_STEP) {
      for (let lat = 50.3; lat <= 53.2; lat += LAND_STEP) {
        const sea = Math.abs(lon / SEA_STEP - Math.round(lon / SEA_STEP)) < 1e-6 && Math.abs(lat / SEA_STEP - Math.round(lat / SEA_STEP)) < 1e-6;
        if (sea || onLand(lon, lat)) filler.push({ id: id++, lon, lat });
      }
    }
    full = path.join(dir, 'full.osm');
    fs.writeFileSync(full, osmXml({ nodes: [...nodes, ...filler], ways }));
    fs.writeFileSync(path.join(dir, 'cut.geojson'), JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [CUT] } }));
    oracle = new OracleWater(dir, full);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const strategy of ['complete_ways', 'simple']) {
    describe(`strategy ${strategy}`, () => {
      let mbtiles: string;
      let summary: ImportSummary;
      before(async () => {
        const cut = path.join(dir, `cut-${strategy}.osm.pbf`);
        execFileSync('osmium', ['extract', '-p', path.join(dir, 'cut.geojson'), '-s', strategy, '-O', '-o', cut, full], { stdio: 'pipe' });
        mbtiles = path.join(dir, `cut-${strategy}.mbtiles`);
        summary = await importOsm(cut, mbtiles, { minzoom: 6, maxzoom: 10 });
      });

      it('closes the coast along the data\'s outline: ends taken as the cut, sea polygons made', () => {
        const c = summary.coastline!;
        assert.equal(c.extent, 'data');
        assert.ok(c.cutEnds >= 2, JSON.stringify(c));
        assert.ok(c.seaPolygons >= 1, JSON.stringify(c));
        assert.equal(c.seaWithheld, false);
        assert.equal(c.seaReversed, 0);
        // `simple` leaves out the coast's nodes past the cut: the ways are split where they are missing
        if (strategy === 'simple') assert.ok((summary.dataErrors.coastline_missing_node ?? 0) > 0, JSON.stringify(summary.dataErrors));
      });

      for (const z of [6, 8, 10]) {
        it(`matches osmcoastline's water within 1% of every z${CELL_ZOOM} cell inside the cut, in z${z} tiles`, () => {
          const n = 2 ** CELL_ZOOM, scale = 2 ** (CELL_ZOOM - z);
          const diffs: number[] = [];
          let seaCells = 0;
          for (let cx = Math.floor(lonToX(2.3) * n); cx <= Math.floor(lonToX(5.2) * n); cx++) {
            for (let cy = Math.floor(latToY(52.6) * n); cy <= Math.floor(latToY(50.8) * n); cy++) {
              const rect: Rect = [cx / n, cy / n, (cx + 1) / n, (cy + 1) / n];
              if (!rectInCut(rect)) continue;
              const expected = oracle.area(rect);
              if (expected > 0) seaCells++;
              const ours = tileOceanArea(mbtiles, [z, Math.floor(cx / scale), Math.floor(cy / scale)], rect);
              diffs.push(Math.abs(ours - expected) / (1 / n) ** 2);
            }
          }
          const worst = Math.max(...diffs);
          const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
          process.stdout.write(`      ${strategy} z${z}: ${diffs.length} cells inside the cut (${seaCells} with sea), area difference mean ${(mean * 100).toFixed(3)}%, worst ${(worst * 100).toFixed(3)}%\n`);
          assert.ok(seaCells > 20, `${seaCells} cells with sea inside the cut`);
          assert.ok(worst < 0.01, `worst cell differs by ${(worst * 100).toFixed(2)}% of its area`);
        });
      }

      it('puts no ocean in a z10 tile that osmcoastline finds all land, inside the cut', () => {
        const n = 2 ** 10;
        let landTiles = 0;
        for (let x = Math.floor(lonToX(2.3) * n); x <= Math.floor(lonToX(5.2) * n); x++) {
          for (let y = Math.floor(latToY(52.6) * n); y <= Math.floor(latToY(50.8) * n); y++) {
            const rect: Rect = [x / n, y / n, (x + 1) / n, (y + 1) / n];
            if (![[rect[0], rect[1]], [rect[2], rect[1]], [rect[0], rect[3]], [rect[2], rect[3]]].every(([px, py]) => inCut(px, py))) continue;
            if (oracle.area(rect) > 0) continue;
            landTiles++;
            assert.equal(readLayer(mbtiles, 10, x, y, 'water').filter((f) => f.properties.class === 'ocean').length, 0, `ocean in land tile 10/${x}/${y}`);
          }
        }
        assert.ok(landTiles > 5, `${landTiles} land tiles`);
      });
    });
  }
});
