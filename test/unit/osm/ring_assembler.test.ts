import assert from 'node:assert/strict';
import { assembleMultipolygon, isAreaRelation, type MemberWay } from '../../../src/osm/ring_assembler.js';
import { DataErrors } from '../../../src/core/data_errors.js';
import { ringArea } from '../../../src/core/geometry.js';

/** A member way through numbered points of a small grid: node id n sits at PTS[n]. */
const PTS: Record<number, [number, number]> = {
  1: [0, 0], 2: [10, 0], 3: [10, 10], 4: [0, 10],
  5: [3, 3], 6: [6, 3], 7: [6, 6], 8: [3, 6],
  9: [20, 0], 10: [30, 0], 11: [30, 10], 12: [20, 10],
  13: [4, 4], 14: [5, 4], 15: [5, 5], 16: [4, 5],
};

let nextId = 100;
function way(role: string, ...nodes: number[]): MemberWay {
  const coords = new Float64Array(nodes.length * 2);
  nodes.forEach((n, i) => { coords[2 * i] = PTS[n][0]; coords[2 * i + 1] = PTS[n][1]; });
  return { id: nextId++, role, coords, firstNode: nodes[0], lastNode: nodes[nodes.length - 1] };
}

function pointSet(ring: Float64Array): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i < ring.length; i += 2) s.add(`${ring[i]},${ring[i + 1]}`);
  return s;
}

function ringPoints(...nodes: number[]): Set<string> {
  return new Set(nodes.map((n) => `${PTS[n][0]},${PTS[n][1]}`));
}

describe('assembleMultipolygon', () => {
  it('joins two half-ways into one closed ring', () => {
    const g = assembleMultipolygon([way('outer', 1, 2, 3), way('outer', 3, 4, 1)]);
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
    const ring = g.polygons[0][0];
    assert.equal(ring.length, 10);
    assert.deepEqual([ring[0], ring[1]], [ring[8], ring[9]]);
    assert.equal(Math.abs(ringArea(ring)), 100);
  });

  it('reverses ways that run the other way', () => {
    const g = assembleMultipolygon([way('outer', 1, 2), way('outer', 3, 2), way('outer', 4, 3), way('outer', 4, 1)]);
    assert.ok(g);
    assert.deepEqual(pointSet(g.polygons[0][0]), ringPoints(1, 2, 3, 4));
    assert.equal(Math.abs(ringArea(g.polygons[0][0])), 100);
  });

  it('classifies by containment when roles are swapped', () => {
    const errors = new DataErrors();
    const g = assembleMultipolygon([way('inner', 1, 2, 3, 4, 1), way('outer', 5, 6, 7, 8, 5)], { errors });
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
    assert.deepEqual(pointSet(g.polygons[0][0]), ringPoints(1, 2, 3, 4));
    assert.deepEqual(pointSet(g.polygons[0][1]), ringPoints(5, 6, 7, 8));
    assert.equal(errors.get('osm_wrong_role'), 2);
  });

  it('treats empty roles by containment too', () => {
    const g = assembleMultipolygon([way('', 5, 6, 7, 8, 5), way('', 1, 2, 3, 4, 1)]);
    assert.ok(g);
    assert.equal(g.polygons[0].length, 2);
  });

  it('makes an island inside a hole a polygon of its own', () => {
    const g = assembleMultipolygon([way('outer', 1, 2, 3, 4, 1), way('inner', 5, 6, 7, 8, 5), way('outer', 13, 14, 15, 16, 13)]);
    assert.ok(g);
    assert.equal(g.polygons.length, 2);
    assert.deepEqual(g.polygons.map((p) => p.length), [2, 1]);
  });

  it('keeps separate outers apart, each with its own holes', () => {
    const g = assembleMultipolygon([way('outer', 9, 10, 11, 12, 9), way('outer', 1, 2, 3, 4, 1), way('inner', 5, 6, 7, 8, 5)]);
    assert.ok(g);
    assert.equal(g.polygons.length, 2);
    const withHole = g.polygons.find((p) => p.length === 2);
    assert.ok(withHole);
    assert.deepEqual(pointSet(withHole[0]), ringPoints(1, 2, 3, 4));
  });

  it('splits two holes touching at a node into two rings', () => {
    // Holes 5-6-7-8 and 7-17-18-19 share node 7; each is drawn as two open ways.
    PTS[17] = [8, 6]; PTS[18] = [8, 8]; PTS[19] = [6, 8];
    const g = assembleMultipolygon([
      way('outer', 1, 2, 3, 4, 1),
      way('inner', 8, 5, 6, 7), way('inner', 7, 17, 18), way('inner', 7, 8), way('inner', 18, 19, 7),
    ]);
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
    const holes = g.polygons[0].slice(1).map(pointSet);
    assert.equal(holes.length, 2);
    assert.deepEqual(new Set(holes.map((h) => [...h].sort().join(' '))), new Set([
      [...ringPoints(5, 6, 7, 8)].sort().join(' '), [...ringPoints(7, 17, 18, 19)].sort().join(' '),
    ]));
  });

  it('counts an unclosable ring and keeps the rest', () => {
    const errors = new DataErrors();
    const g = assembleMultipolygon([way('outer', 9, 10, 11, 12, 9), way('outer', 1, 2, 3), way('outer', 3, 4)], { errors });
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
    assert.deepEqual(pointSet(g.polygons[0][0]), ringPoints(9, 10, 11, 12));
    assert.equal(errors.get('osm_unclosed_ring'), 1);
  });

  it('returns null when nothing closes', () => {
    const errors = new DataErrors();
    assert.equal(assembleMultipolygon([way('outer', 1, 2, 3)], { errors }), null);
    assert.equal(errors.get('osm_unclosed_ring'), 1);
  });

  it('removes consecutive duplicate points and drops degenerate rings', () => {
    const errors = new DataErrors();
    const g = assembleMultipolygon([way('outer', 1, 2, 2, 3, 4, 4, 1), way('outer', 9, 10, 9)], { errors });
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
    assert.equal(g.polygons[0][0].length, 10);
    assert.equal(errors.get('osm_degenerate_ring'), 1);
  });

  it('ignores members with non-area roles', () => {
    const g = assembleMultipolygon([way('outer', 1, 2, 3, 4, 1), way('subarea', 9, 10, 11, 12, 9)]);
    assert.ok(g);
    assert.equal(g.polygons.length, 1);
  });

  it('recognises multipolygon and boundary relations as areas', () => {
    assert.equal(isAreaRelation({ type: 'multipolygon' }), true);
    assert.equal(isAreaRelation({ type: 'boundary', boundary: 'administrative' }), true);
    assert.equal(isAreaRelation({ type: 'route' }), false);
  });
});
