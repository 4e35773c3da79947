/**
 * The sea from OSM coastlines through the whole import, on hand-written OSM XML:
 * a mainland coast crossing the extent, an island, a lake, and broken variants
 * (gap, reversed way, reversed island, self-crossing island). Whatever is broken
 * must never put ocean on land, and must be reported.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lonLatToTile, lonToX, latToY } from '../../../src/core/tile_math.js';
import { importOsm, readLayer } from '../../helpers/import_fixture.js';
import { writeOsmXml, type XmlNode, type XmlWay } from '../../helpers/osm_xml.js';
import { tempDir } from '../../helpers/paths.js';
import type { ImportSummary } from '../../../src/importer/import_options.js';
import { formatSummary } from '../../../src/cli/import_command.js';

const BBOX: [number, number, number, number] = [3.0, 51.0, 4.0, 52.0];
const SEA_POINTS: [number, number][] = [[3.2, 51.7], [3.9, 51.95], [3.05, 51.55]];
const LAND_POINTS: [number, number][] = [[3.5, 51.2], [3.1, 51.05], [3.9, 51.45]];
const ISLAND: [number, number] = [3.5, 51.8];

/** Whether the point is inside an ocean polygon of its tile at zoom z (even-odd over each feature's rings). */
function isOcean(file: string, lon: number, lat: number, z: number): boolean {
  const t = lonLatToTile(lon, lat, z);
  const n = 2 ** z;
  for (const f of readLayer(file, z, t.x, t.y, 'water')) {
    if (f.properties.class !== 'ocean') continue;
    const px = (lonToX(lon) * n - t.x) * f.extent, py = (latToY(lat) * n - t.y) * f.extent;
    let inside = false;
    for (const ring of f.geometry) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i], b = ring[j];
        if ((a.y > py) !== (b.y > py) && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

class Drawing {
  nodes: XmlNode[] = [];
  ways: XmlWay[] = [];
  private id = 1;
  /** Nodes on a grid over [w, s, e, n], `step` degrees apart (the rest of the data: roads, buildings…). */
  grid(box: [number, number, number, number], step: number): void {
    for (let lon = box[0]; lon <= box[2]; lon += step) for (let lat = box[1]; lat <= box[3]; lat += step) this.nodes.push({ id: this.id++, lon, lat });
  }

  /** A way through the points, in order; returns its node ids. */
  way(points: [number, number][], tags: Record<string, string>, closed = false): number[] {
    const ids = points.map(([lon, lat]) => { const id = this.id++; this.nodes.push({ id, lon, lat }); return id; });
    const refs = closed ? [...ids, ids[0]] : ids;
    this.ways.push({ id: this.id++, refs, tags });
    return ids;
  }
}

const COAST = { natural: 'coastline' };
// walking west with land on the left: land to the south, sea to the north
const MAINLAND: [number, number][] = [[4.2, 51.5], [3.8, 51.52], [3.5, 51.48], [3.2, 51.53], [2.8, 51.5]];
// counter-clockwise on the map: an island
const ISLAND_RING: [number, number][] = [[3.45, 51.75], [3.55, 51.75], [3.55, 51.85], [3.45, 51.85]];

describe('sea from OSM coastlines (import of hand-written OSM)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(d: Drawing, extent: { bbox?: typeof BBOX; clip?: string } = { bbox: BBOX }): Promise<{ file: string; summary: ImportSummary }> {
    const input = writeOsmXml(path.join(dir, 'coast.osm'), { nodes: d.nodes, ways: d.ways });
    const file = path.join(dir, 'coast.mbtiles');
    const summary = await importOsm(input, file, { ...extent, minzoom: 4, maxzoom: 12 });
    return { file, summary };
  }

  function assertNoOceanOnLand(file: string, extraLand: [number, number][] = []): void {
    for (const z of [6, 8, 10, 12]) {
      for (const [lon, lat] of [...LAND_POINTS, ...extraLand]) assert.equal(isOcean(file, lon, lat, z), false, `ocean on land at ${lon},${lat} z${z}`);
    }
  }

  it('makes ocean north of a coast crossing the extent, around an island, and none on land or lakes', async () => {
    const d = new Drawing();
    d.way(MAINLAND, COAST);
    d.way(ISLAND_RING, COAST, true);
    d.way([[3.45, 51.15], [3.55, 51.15], [3.55, 51.25], [3.45, 51.25]], { natural: 'water' }, true);
    const { file, summary } = await run(d);
    for (const z of [6, 8, 10, 12]) {
      for (const [lon, lat] of SEA_POINTS) assert.equal(isOcean(file, lon, lat, z), true, `no ocean at ${lon},${lat} z${z}`);
    }
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false, 'the island is land');
    assertNoOceanOnLand(file);
    const lake = lonLatToTile(3.5, 51.2, 12);
    assert.ok(readLayer(file, 12, lake.x, lake.y, 'water').some((f) => f.properties.class === 'lake'));
    assert.equal(summary.coastline?.seaPolygons, 1);
    assert.equal(summary.coastline?.broken, 0);
  });

  it('leaves Natural Earth alone below z6: no coastline ocean at z4-z5', async () => {
    const d = new Drawing();
    d.way(MAINLAND, COAST);
    const { file } = await run(d);
    assert.equal(isOcean(file, 3.2, 51.7, 5), false);
    assert.equal(isOcean(file, 3.2, 51.7, 6), true);
  });

  it('floods nothing and reports a coast with a gap', async () => {
    const d = new Drawing();
    d.way(MAINLAND.slice(0, 3), COAST);
    d.way([[3.45, 51.49], ...MAINLAND.slice(3)], COAST);
    d.way(ISLAND_RING, COAST, true);
    const { file, summary } = await run(d);
    assertNoOceanOnLand(file, [ISLAND]);
    assert.ok((summary.dataErrors.coastline_open ?? 0) > 0, JSON.stringify(summary.dataErrors));
    assert.ok((summary.coastline?.seaLeftOut ?? 0) > 0);
    assert.match(formatSummary(summary), /sea areas left without sea because of broken coastline/);
  });

  it('floods nothing and reports a coast with one way drawn the wrong way round', async () => {
    const d = new Drawing();
    const a = d.way(MAINLAND.slice(0, 2), COAST);
    const b = d.way(MAINLAND.slice(2), COAST);
    // a reversed middle way from the first way's last node to the second way's first node
    d.ways.push({ id: 9999, refs: [b[0], a[a.length - 1]], tags: COAST });
    const { file, summary } = await run(d);
    assertNoOceanOnLand(file);
    assert.ok(Object.keys(summary.dataErrors).some((k) => k.startsWith('coastline_')), JSON.stringify(summary.dataErrors));
  });

  it('takes a clockwise (reversed) island in the sea as land and reports it', async () => {
    const d = new Drawing();
    d.way(MAINLAND, COAST);
    d.way([...ISLAND_RING].reverse(), COAST, true);
    const { file, summary } = await run(d);
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false);
    assert.equal(isOcean(file, 3.2, 51.7, 10), true);
    assert.equal(summary.dataErrors.coastline_reversed_ring, 1);
  });

  it('keeps the sea around an unclosed islet, leaving only the islet without sea, and reports it', async () => {
    const d = new Drawing();
    d.way(MAINLAND, COAST);
    d.way(ISLAND_RING, COAST, true);
    // a 12-sided islet, counter-clockwise, with its last segment missing
    const islet: [number, number][] = [];
    for (let k = 0; k < 12; k++) islet.push([3.7 + 0.03 * Math.cos((k * Math.PI) / 6), 51.75 + 0.02 * Math.sin((k * Math.PI) / 6)]);
    d.way(islet, COAST);
    const { file, summary } = await run(d);
    for (const z of [8, 10, 12]) {
      for (const [lon, lat] of SEA_POINTS) assert.equal(isOcean(file, lon, lat, z), true, `no ocean at ${lon},${lat} z${z}`);
    }
    assert.equal(isOcean(file, 3.7, 51.75, 12), false, 'the islet is land');
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false, 'the island is land');
    assertNoOceanOnLand(file);
    assert.equal(summary.coastline?.brokenIslets, 1);
    assert.equal(summary.coastline?.seaLeftOut, 0);
    assert.equal(summary.dataErrors.coastline_open, 1);
    assert.match(formatSummary(summary), /1 broken islands left without sea/);
  });

  // land south of the mainland coast, mapped densely; the sea with a few buoys
  function landData(d: Drawing): void {
    d.grid([3.02, 51.02, 3.98, 51.44], 0.04);
    d.grid([3.1, 51.6, 3.9, 51.95], 0.2);
  }

  it('leaves out the sea of a whole coast drawn the wrong way round, found by the land data under it, and reports it', async () => {
    const d = new Drawing();
    landData(d);
    d.way([...MAINLAND].reverse(), COAST);
    const { file, summary } = await run(d);
    assertNoOceanOnLand(file);
    assert.equal(summary.dataErrors.coastline_reversed_coast, 1, JSON.stringify(summary.dataErrors));
    assert.equal(summary.coastline?.seaReversed, 1);
    assert.match(formatSummary(summary), /drawn the wrong way round/);
  });

  it('keeps the sea of the same coast drawn the right way, with the same land data', async () => {
    const d = new Drawing();
    landData(d);
    d.way(MAINLAND, COAST);
    const { file, summary } = await run(d);
    for (const [lon, lat] of SEA_POINTS) assert.equal(isOcean(file, lon, lat, 10), true, `${lon},${lat}`);
    assert.equal(summary.coastline?.seaReversed, 0);
  });

  it('leaves out an island drawn clockwise alone in the extent (it would be a sea), found by its data', async () => {
    const d = new Drawing();
    d.grid([3.3, 51.3, 3.7, 51.7], 0.02);
    d.way([[3.25, 51.25], [3.25, 51.75], [3.75, 51.75], [3.75, 51.25]], COAST, true);
    const { file, summary } = await run(d);
    for (const z of [8, 10, 12]) assert.equal(isOcean(file, 3.5, 51.5, z), false, `z${z}`);
    assert.equal(summary.dataErrors.coastline_reversed_coast, 1, JSON.stringify(summary.dataErrors));
  });

  it('makes sea around islands in an extract given no extent, whose tips are on the data\'s outline', async () => {
    const d = new Drawing();
    // the islands' nodes are the data's extreme points west, north and east; a few nodes at sea
    d.way(ISLAND_RING, COAST, true);
    d.way([[3.2, 51.2], [3.3, 51.2], [3.3, 51.3], [3.2, 51.3]], COAST, true);
    d.grid([3.25, 51.1, 3.5, 51.7], 0.1);
    const { file, summary } = await run(d, {});
    assert.equal(summary.coastline?.extent, 'data');
    assert.equal(summary.coastline?.broken, 0, JSON.stringify(summary.coastline));
    for (const z of [8, 10, 12]) assert.equal(isOcean(file, 3.4, 51.5, z), true, `z${z}`);
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false);
    assert.equal(isOcean(file, 3.25, 51.25, 12), false);
  });

  it('floods no self-crossing island and reports it', async () => {
    const d = new Drawing();
    d.way(MAINLAND, COAST);
    // a bow tie: the ring crosses itself
    d.way([[3.45, 51.75], [3.55, 51.85], [3.55, 51.75], [3.45, 51.85]], COAST, true);
    const { file, summary } = await run(d);
    for (const z of [10, 12]) assert.equal(isOcean(file, 3.47, 51.8, z), false);
    assertNoOceanOnLand(file);
    assert.ok((summary.dataErrors.coastline_self_intersection ?? 0) > 0);
  });

  it('makes no sea where there is no coastline at all', async () => {
    const d = new Drawing();
    d.way([[3.45, 51.15], [3.55, 51.15], [3.55, 51.25], [3.45, 51.25]], { natural: 'water' }, true);
    const { file, summary } = await run(d);
    assert.equal(isOcean(file, 3.2, 51.7, 10), false);
    assert.equal(summary.coastline, undefined);
  });

  it('makes sea around an island when the extent holds only islands', async () => {
    const d = new Drawing();
    d.way(ISLAND_RING, COAST, true);
    const { file } = await run(d);
    assert.equal(isOcean(file, 3.2, 51.2, 10), true);
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false);
  });

  it('closes a coast cut by a --clip outline along the outline: sea inside it only', async () => {
    // a diamond; the coast ends just outside it, well inside its bounding box (as in a polygon-cut extract)
    const clip = path.join(dir, 'clip.geojson');
    fs.writeFileSync(clip, JSON.stringify({ type: 'Polygon', coordinates: [[[3.5, 51.0], [4.0, 51.5], [3.5, 52.0], [3.0, 51.5], [3.5, 51.0]]] }));
    const d = new Drawing();
    d.way([[3.99, 51.52], [3.5, 51.48], [3.01, 51.52]], COAST);
    d.way(ISLAND_RING, COAST, true);
    const { file, summary } = await run(d, { clip });
    for (const z of [8, 10, 12]) assert.equal(isOcean(file, 3.5, 51.65, z), true, `z${z}`);
    assert.equal(isOcean(file, ISLAND[0], ISLAND[1], 12), false);
    // north-east of the diamond, inside its box: no data there, so no sea
    for (const z of [6, 8]) assert.equal(isOcean(file, 3.9, 51.9, z), false, `z${z}`);
    assertNoOceanOnLand(file);
    assert.equal(summary.coastline?.broken, 0);
  });
});
