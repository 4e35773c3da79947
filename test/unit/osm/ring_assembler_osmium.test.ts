/**
 * Differential test against osmium's area assembler on a real extract: every
 * relation area osmium builds must be built here too, with the same area.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assembleMultipolygon, isAreaRelation, type MemberWay } from '../../../src/osm/ring_assembler.js';
import { NodeStore } from '../../../src/osm/node_store.js';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { DataErrors } from '../../../src/core/data_errors.js';
import { ringArea } from '../../../src/core/geometry.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import type { OsmRelation, OsmWay } from '../../../src/osm/types.js';
import { osmFile } from '../../helpers/paths.js';

function osmiumAvailable(): boolean {
  try {
    execFileSync('osmium', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Relation id → area in world units of osmium's multipolygon (outer areas minus holes). */
function osmiumRelationAreas(file: string): Map<number, number> {
  const out = execFileSync('osmium', ['export', '-f', 'geojsonseq', '--geometry-types=polygon', '-a', 'type,id', file], { maxBuffer: 1 << 28 }).toString();
  const areas = new Map<number, number>();
  for (const line of out.split('\n')) {
    const text = line.replace(/^\x1e/, '').trim();
    if (!text) continue;
    const f = JSON.parse(text) as { geometry: { type: string; coordinates: number[][][][] }; properties: Record<string, unknown> };
    if (f.properties['@type'] !== 'relation') continue;
    const polys = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates as unknown as number[][][]];
    let a = 0;
    for (const poly of polys) {
      poly.forEach((ring, i) => {
        const flat = new Float64Array(ring.flatMap(([lon, lat]) => [lonToX(lon), latToY(lat)]));
        a += (i === 0 ? 1 : -1) * Math.abs(ringArea(flat));
      });
    }
    areas.set(Number(f.properties['@id']), a);
  }
  return areas;
}

function areaOf(polygons: Float64Array[][]): number {
  let a = 0;
  for (const p of polygons) p.forEach((ring, i) => { a += (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)); });
  return a;
}

describe('assembleMultipolygon against osmium', function () {
  before(function () {
    if (!osmiumAvailable()) this.skip();
  });

  for (const name of ['wehr.osm.pbf', 'schopfheim.osm.pbf']) {
    it(`builds every relation area osmium builds from ${name}, with the same area @slow`, async () => {
      const store = new NodeStore();
      const ways = new Map<number, OsmWay>();
      const relations: OsmRelation[] = [];
      for await (const b of new PbfReader(osmFile(name)).blocks({ threads: 2 })) {
        store.addBlock(b.nodeIds, b.nodeLons, b.nodeLats);
        for (const w of b.ways) ways.set(w.id, w);
        relations.push(...b.relations);
      }
      store.seal();
      const errors = new DataErrors();
      const ours = new Map<number, number>();
      for (const rel of relations) {
        if (!isAreaRelation(rel.tags)) continue;
        const members: MemberWay[] = [];
        for (const m of rel.members) {
          const w = m.type === 'way' ? ways.get(m.ref) : undefined;
          if (!w) continue;
          const present = [...w.refs].filter((id) => store.get(id) >= 0);
          if (present.length < 2) continue;
          members.push({ id: w.id, role: m.role, coords: store.wayCoords(w.refs), firstNode: present[0], lastNode: present[present.length - 1] });
        }
        const g = assembleMultipolygon(members, { errors });
        if (g) ours.set(rel.id, areaOf(g.polygons));
      }
      const theirs = osmiumRelationAreas(osmFile(name));
      assert.ok(theirs.size >= 10, `osmium built only ${theirs.size} areas`);
      for (const [id, area] of theirs) {
        assert.ok(ours.has(id), `relation ${id} not assembled`);
        assert.ok(Math.abs(ours.get(id)! - area) <= 1e-9 * area, `relation ${id}: area ${ours.get(id)} vs osmium ${area}`);
      }
    });
  }
});
