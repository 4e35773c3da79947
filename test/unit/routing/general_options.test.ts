import assert from 'node:assert/strict';
import { fixtureBlock, squareBlock, squareWithIslandBlock } from './fixture_blocks.js';
import { coords, osrmCode, route, serviceFor } from './service_fixture.js';


describe('routing: OSRM general options', () => {
  describe('waypoints (route)', () => {
    it('joins the legs between waypoints: via points get no arrival, totals are kept', async () => {
      const s = await serviceFor(squareBlock({}));
      const c = coords([0, 0], [2, 0], [2, 2]);
      const all = route(s, 'car', c, { steps: 'true' });
      const via = route(s, 'car', c, { steps: 'true', waypoints: '0;2' });
      assert.equal(all.routes[0].legs.length, 2);
      assert.equal(via.routes[0].legs.length, 1);
      assert.equal(via.waypoints.length, 2);
      assert.deepEqual(via.waypoints.map((w) => w.location), [all.waypoints[0].location, all.waypoints[2].location]);
      assert.ok(Math.abs(via.routes[0].distance - all.routes[0].distance) < 0.2, `${via.routes[0].distance} vs ${all.routes[0].distance}`);
      const types = via.routes[0].legs[0].steps.map((st) => st.maneuver.type);
      assert.equal(types.filter((t) => t === 'arrive').length, 1, types.join(','));
      assert.equal(types.filter((t) => t === 'depart').length, 1, types.join(','));
      assert.equal(types.at(-1), 'arrive');
    });

    it('a via point inside a street adds no junction to the nodes annotation', async () => {
      const s = await serviceFor(squareBlock({}));
      const direct = route(s, 'car', coords([0, 0], [2, 0]), { annotations: 'nodes' });
      const via = route(s, 'car', coords([0, 0], [1, 0], [2, 0]), { annotations: 'nodes', waypoints: '0;2' });
      assert.deepEqual(via.routes[0].legs[0].annotation?.nodes, direct.routes[0].legs[0].annotation?.nodes);
    });

    it('needs the first and the last coordinate, in increasing order', async () => {
      const s = await serviceFor(squareBlock({}));
      const c = coords([0, 0], [2, 0], [2, 2]);
      assert.equal(osrmCode(() => route(s, 'car', c, { waypoints: '1;2' })), 'InvalidValue');
      assert.equal(osrmCode(() => route(s, 'car', c, { waypoints: '0;1' })), 'InvalidValue');
      assert.equal(osrmCode(() => route(s, 'car', c, { waypoints: '0;1;1;2' })), 'InvalidValue');
      assert.equal(osrmCode(() => route(s, 'car', c, { waypoints: '0;7' })), 'InvalidOptions');
      assert.equal(osrmCode(() => route(s, 'car', c, { waypoints: '0;1;2' })), 'Ok');
    });
  });

  it('takes as many coordinates as OSRM by default (route 500), TooBig past that', async () => {
    const s = await serviceFor(squareBlock({}));
    const along = (n: number) => coords(...Array.from({ length: n }, (_, i): [number, number] => [(i % 20) / 10, 0]));
    assert.equal(s.limits.maxRouteCoordinates, 500);
    assert.equal(osrmCode(() => route(s, 'car', along(500), { overview: 'false' })), 'Ok');
    assert.equal(osrmCode(() => route(s, 'car', along(501))), 'TooBig');
  });

  it('skip_waypoints leaves out route waypoints and table sources/destinations', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords([0, 0], [2, 2]);
    assert.ok('waypoints' in (s.route('car', c, {}) as object));
    assert.ok(!('waypoints' in (s.route('car', c, { skip_waypoints: 'true' }) as object)));
    const t = s.table('car', c, { skip_waypoints: 'true' }) as Record<string, unknown>;
    assert.ok(!('sources' in t) && !('destinations' in t) && Array.isArray(t.durations));
    assert.ok('sources' in (s.table('car', c, {}) as object));
    assert.equal(osrmCode(() => s.route('car', c, { skip_waypoints: 'yes' })), 'InvalidOptions');
  });

  it('generate_hints=false leaves the hint out of every waypoint', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords([0, 0], [2, 2]);
    const withHints = s.route('car', c, {}) as { waypoints: object[] };
    const without = s.route('car', c, { generate_hints: 'false' }) as { waypoints: object[] };
    assert.ok(withHints.waypoints.every((w) => 'hint' in w));
    assert.ok(without.waypoints.every((w) => !('hint' in w)));
    const near = s.nearest('car', coords([0, 0]), { generate_hints: 'false' }) as { waypoints: object[] };
    assert.ok(near.waypoints.every((w) => !('hint' in w)));
  });

  it('snapping=any takes the nearest road even on an island; default prefers the connected network', async () => {
    const s = await serviceFor(squareWithIslandBlock());
    const c = coords([1.1, 1.05], [2, 0]);
    const main = route(s, 'car', c);
    assert.notEqual(main.waypoints[0].name, 'Impasse Isolée');
    assert.equal(osrmCode(() => route(s, 'car', c, { snapping: 'any' })), 'NoRoute');
    assert.equal(osrmCode(() => route(s, 'car', c, { snapping: 'nearest' })), 'InvalidOptions');
  });
});
