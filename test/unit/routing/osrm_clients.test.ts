/** What OSRM clients rely on: usable hints, every annotation, rounded maneuver locations, steps that ignore ref flicker. */
import assert from 'node:assert/strict';
import { roadChanges } from '../../../src/routing/route_steps.js';
import { fixtureBlock, squareBlock, squareWithIslandBlock } from './fixture_blocks.js';
import { coords, route, serviceFor } from './service_fixture.js';


type Waypoint = { hint?: string; location: [number, number]; name: string };

describe('routing: what OSRM clients rely on', () => {
  it('waypoints carry a non-empty base64 hint; sending the hints back gives the same answer', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords([0, 0], [2, 2]);
    const first = s.route('car', c, {}) as { waypoints: Waypoint[]; routes: unknown[] };
    for (const w of first.waypoints) assert.match(w.hint ?? '', /^[A-Za-z0-9_-]{20,}$/);
    const again = s.route('car', c, { hints: first.waypoints.map((w) => w.hint).join(';') }) as { waypoints: Waypoint[]; routes: unknown[] };
    assert.deepEqual(again.routes, first.routes);
    assert.deepEqual(again.waypoints.map((w) => w.location), first.waypoints.map((w) => w.location));
  });

  it('a hint is used instead of snapping, for the coordinate it was made for only', async () => {
    const s = await serviceFor(squareWithIslandBlock());
    const c = coords([1, 1.05], [2, 2]);
    const near = c.split(';')[0];
    // nearest snaps to the island street; the table snaps to the connected network by default
    const island = (s.nearest('car', near, {}) as { waypoints: Waypoint[] }).waypoints[0];
    assert.equal(island.name, 'Impasse Isolée');
    const plain = s.table('car', c, {}) as { sources: Waypoint[] };
    assert.notEqual(plain.sources[0].name, 'Impasse Isolée');
    const hinted = s.table('car', c, { hints: `${island.hint};` }) as { sources: Waypoint[] };
    assert.deepEqual([hinted.sources[0].name, hinted.sources[0].location], ['Impasse Isolée', island.location]);
    // the same hint for a coordinate 50 m away, or a damaged hint, is ignored
    const moved = coords([1, 1.1], [2, 2]);
    assert.notEqual((s.table('car', moved, { hints: `${island.hint};` }) as { sources: Waypoint[] }).sources[0].name, 'Impasse Isolée');
    assert.notEqual((s.table('car', c, { hints: `${island.hint!.slice(0, -4)}AAAA;` }) as { sources: Waypoint[] }).sources[0].name, 'Impasse Isolée');
    assert.notEqual((s.table('car', c, { hints: 'not-a-hint;' }) as { sources: Waypoint[] }).sources[0].name, 'Impasse Isolée');
  });

  it('annotations=weight,datasources and annotations=true give one value per segment', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords([0, 0], [2, 2]);
    const some = route(s, 'car', c, { annotations: 'weight,datasources', overview: 'full', geometries: 'geojson' });
    const ann = some.routes[0].legs[0].annotation!;
    const segments = (some.routes[0].geometry as { coordinates: unknown[] }).coordinates.length - 1;
    assert.deepEqual([ann.weight.length, ann.datasources.length], [segments, segments]);
    assert.ok(ann.datasources.every((d) => d === 0));
    const all = route(s, 'car', c, { annotations: 'true' }).routes[0].legs[0].annotation!;
    assert.deepEqual(Object.keys(all).sort(), ['datasources', 'distance', 'duration', 'nodes', 'speed', 'weight']);
  });

  it('maneuver and intersection locations are rounded to 6 decimals, like waypoints', async () => {
    const s = await serviceFor(squareBlock({}));
    const body = route(s, 'car', coords([0, 0], [2, 2]), { steps: 'true' });
    const six = (v: number) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6;
    for (const st of body.routes[0].legs[0].steps) {
      assert.ok((st.maneuver.location as number[]).every(six), JSON.stringify(st.maneuver.location));
      for (const i of st.intersections as { location: number[] }[]) assert.ok(i.location.every(six));
    }
  });

  it('one named road whose ref comes and goes is one step (OSRM does not announce ref changes)', async () => {
    const t = { highway: 'secondary', name: 'Breisacher Straße' };
    const block = fixtureBlock(
      [0, 1, 2, 3, 4, 5].map((i) => ({ id: i + 1, x: i * 0.4, y: 0 })),
      [0, 1, 2, 3, 4].map((i) => ({ id: i + 1, refs: [i + 1, i + 2], tags: i % 2 ? { ...t, ref: 'K 9860' } : t })),
    );
    const s = await serviceFor(block);
    const steps = route(s, 'car', coords([0, 0], [2, 0]), { steps: 'true' }).routes[0].legs[0].steps;
    assert.deepEqual(steps.map((st) => st.maneuver.type), ['depart', 'arrive'], JSON.stringify(steps.map((st) => [st.name, st.ref])));
  });

  it('announces a new name, and a change between two refs of unnamed roads', () => {
    assert.equal(roadChanges({ name: 'A', ref: '' }, { name: 'B', ref: '' }), true);
    assert.equal(roadChanges({ name: 'A', ref: 'K 1' }, { name: 'A', ref: 'K 2' }), false);
    assert.equal(roadChanges({ name: '', ref: 'A 35' }, { name: '', ref: 'A 36' }), true);
    assert.equal(roadChanges({ name: '', ref: 'A 35' }, { name: '', ref: '' }), false);
  });
});
