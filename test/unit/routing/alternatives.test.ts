import assert from 'node:assert/strict';
import { fixtureBlock } from './fixture_blocks.js';
import { coords, route, serviceFor } from './service_fixture.js';

/**
 * Two roads between S (0,0) and T (4,0): north (≈518 m) and south (≈540 m), with
 * stubs west and east, and a side street off each road's middle (parallel edges
 * between the same two junctions would keep only the faster one).
 */
function twoRoads(southDetour = 1.1) {
  return fixtureBlock(
    [
      { id: 1, x: -1, y: 0 }, { id: 2, x: 0, y: 0 }, { id: 3, x: 0, y: 1 }, { id: 4, x: 4, y: 1 }, { id: 5, x: 4, y: 0 },
      { id: 6, x: 0, y: -southDetour }, { id: 7, x: 4, y: -southDetour }, { id: 8, x: 5, y: 0 },
      { id: 9, x: 2, y: -southDetour }, { id: 10, x: 2, y: -southDetour - 1 }, { id: 11, x: 2, y: 1 }, { id: 12, x: 2, y: 2 },
    ],
    [
      { id: 1, refs: [1, 2], tags: { highway: 'tertiary', name: 'Ouest' } },
      { id: 2, refs: [2, 3, 11, 4, 5], tags: { highway: 'tertiary', name: 'Nord' } },
      { id: 3, refs: [2, 6, 9, 7, 5], tags: { highway: 'tertiary', name: 'Sud' } },
      { id: 5, refs: [9, 10], tags: { highway: 'residential', name: 'Impasse Sud' } },
      { id: 6, refs: [11, 12], tags: { highway: 'residential', name: 'Impasse Nord' } },
      { id: 4, refs: [5, 8], tags: { highway: 'tertiary', name: 'Est' } },
    ],
  );
}

describe('routing: alternatives', () => {
  it('alternatives=true adds the other road, slower than the first', async () => {
    const s = await serviceFor(twoRoads());
    const r = route(s, 'car', coords([-0.5, 0], [4.5, 0]), { alternatives: 'true', steps: 'true' });
    assert.equal(r.routes.length, 2);
    assert.ok(r.routes[1].duration > r.routes[0].duration);
    const names = r.routes.map((x) => x.legs[0].steps.map((st) => st.name).join(','));
    assert.match(names[0], /Nord/);
    assert.match(names[1], /Sud/);
  });

  it('no alternative when the other road is far longer than the fastest', async () => {
    const s = await serviceFor(twoRoads(4));
    const r = route(s, 'car', coords([-0.5, 0], [4.5, 0]), { alternatives: 'true' });
    assert.equal(r.routes.length, 1);
  });

  it('without the option there is one route', async () => {
    const s = await serviceFor(twoRoads());
    assert.equal(route(s, 'car', coords([-0.5, 0], [4.5, 0])).routes.length, 1);
  });
});
