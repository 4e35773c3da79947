import assert from 'node:assert/strict';
import type { OsrmService } from '../../../src/routing/osrm_service.js';
import { CLASS_BITS, arcClasses, excludeMask, wayClasses } from '../../../src/routing/road_classes.js';
import { fixtureBlock } from './fixture_blocks.js';
import { coords, osrmCode, route, serviceFor, type RouteBody } from './service_fixture.js';

/**
 * West stub (x=-1) → junction W (0,0); two roads from W to E (10,0): "Rapide"
 * north (≈ 960 m, tags under test) and "Lente" south, residential, through
 * y = detourY; then the east stub to x=11.
 */
function twoRoads(rapide: Record<string, string>, detourY = -2) {
  return fixtureBlock(
    [
      { id: 10, x: -1, y: 0 }, { id: 1, x: 0, y: 0 }, { id: 3, x: 0, y: 1 }, { id: 4, x: 10, y: 1 }, { id: 2, x: 10, y: 0 },
      { id: 5, x: 0, y: detourY }, { id: 6, x: 10, y: detourY }, { id: 19, x: 11, y: 0 },
    ],
    [
      { id: 1, refs: [10, 1], tags: { highway: 'residential', name: 'Ouest' } },
      { id: 2, refs: [1, 3, 4, 2], tags: { name: 'Rapide', ...rapide } },
      { id: 3, refs: [1, 5, 6, 2], tags: { highway: 'residential', name: 'Lente' } },
      { id: 4, refs: [2, 19], tags: { highway: 'residential', name: 'Est' } },
    ],
  );
}

const MOTORWAY = { highway: 'motorway', oneway: 'no' };
const EASTWARD = coords([-0.5, 0], [10.5, 0]);
const WESTWARD = coords([10.5, 0], [-0.5, 0]);

const names = (r: RouteBody, i = 0): string[] => r.routes[i].legs.flatMap((l) => l.steps.map((s) => s.name));

describe('routing: road classes of ways', () => {
  const forward = (tags: Record<string, string>) => arcClasses(Uint8Array.of(wayClasses(tags)), 0);
  const backward = (tags: Record<string, string>) => arcClasses(Uint8Array.of(wayClasses(tags)), 1);

  it('motorways and their links are class motorway, trunks are not', () => {
    assert.equal(forward({ highway: 'motorway' }), CLASS_BITS.motorway);
    assert.equal(backward({ highway: 'motorway_link' }), CLASS_BITS.motorway);
    assert.equal(forward({ highway: 'trunk' }), 0);
  });

  it('toll applies per direction, the directional key winning', () => {
    assert.equal(forward({ highway: 'primary', toll: 'yes' }), CLASS_BITS.toll);
    assert.equal(backward({ highway: 'primary', toll: 'yes' }), CLASS_BITS.toll);
    assert.equal(forward({ highway: 'primary', 'toll:forward': 'yes' }), CLASS_BITS.toll);
    assert.equal(backward({ highway: 'primary', 'toll:forward': 'yes' }), 0);
    assert.equal(backward({ highway: 'primary', toll: 'yes', 'toll:backward': 'no' }), 0);
  });

  it('ferries are class ferry', () => {
    assert.equal(forward({ route: 'ferry' }), CLASS_BITS.ferry);
  });

  it('only the car profile can exclude, and only its classes', () => {
    assert.equal(excludeMask('car', ['motorway', 'toll']), CLASS_BITS.motorway | CLASS_BITS.toll);
    assert.equal(excludeMask('car', ['tunnel']), null);
    assert.equal(excludeMask('foot', ['ferry']), null);
    assert.equal(excludeMask('bicycle', []), 0);
  });
});

describe('routing: exclude', () => {
  it('exclude=motorway takes the other road: longer and slower', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const normal = route(s, 'car', EASTWARD, { steps: 'true' });
    const avoid = route(s, 'car', EASTWARD, { steps: 'true', exclude: 'motorway' });
    assert.ok(names(normal).includes('Rapide'));
    assert.ok(!names(avoid).includes('Rapide'));
    assert.ok(names(avoid).includes('Lente'));
    assert.ok(avoid.routes[0].duration > normal.routes[0].duration + 60, `${avoid.routes[0].duration} vs ${normal.routes[0].duration}`);
    assert.ok(avoid.routes[0].distance > normal.routes[0].distance + 150, `${avoid.routes[0].distance} vs ${normal.routes[0].distance}`);
  });

  it('steps name the classes of the road they take', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const steps = route(s, 'car', EASTWARD, { steps: 'true' }).routes[0].legs[0].steps;
    const onMotorway = steps.find((x) => x.name === 'Rapide')!;
    assert.deepEqual(onMotorway.intersections[0].classes, ['motorway']);
    assert.equal(steps.find((x) => x.name === 'Est')!.intersections[0].classes, undefined);
  });

  it('exclude=toll avoids a toll road', async () => {
    const s = await serviceFor(twoRoads({ highway: 'primary', toll: 'yes' }));
    assert.ok(names(route(s, 'car', EASTWARD, { steps: 'true' })).includes('Rapide'));
    assert.ok(!names(route(s, 'car', EASTWARD, { steps: 'true', exclude: 'toll' })).includes('Rapide'));
  });

  it('a toll in one direction only is avoided in that direction only', async () => {
    const s = await serviceFor(twoRoads({ highway: 'primary', 'toll:forward': 'yes' }));
    assert.ok(!names(route(s, 'car', EASTWARD, { steps: 'true', exclude: 'toll' })).includes('Rapide'));
    assert.ok(names(route(s, 'car', WESTWARD, { steps: 'true', exclude: 'toll' })).includes('Rapide'));
  });

  it('exclude=ferry drives around the water', async () => {
    const s = await serviceFor(twoRoads({ route: 'ferry', motorcar: 'yes' }, -20));
    const normal = route(s, 'car', EASTWARD, { steps: 'true' });
    assert.ok(normal.routes[0].legs[0].steps.some((x) => x.mode === 'ferry'));
    const avoid = route(s, 'car', EASTWARD, { steps: 'true', exclude: 'ferry' });
    assert.ok(avoid.routes[0].legs[0].steps.every((x) => x.mode !== 'ferry'));
    assert.ok(avoid.routes[0].distance > normal.routes[0].distance);
  });

  it('classes combine: exclude=motorway,toll', async () => {
    const s = await serviceFor(twoRoads({ ...MOTORWAY, toll: 'yes' }));
    assert.ok(!names(route(s, 'car', EASTWARD, { steps: 'true', exclude: 'motorway,toll' })).includes('Rapide'));
  });

  it('excluding a class the route does not use changes nothing', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const normal = route(s, 'car', EASTWARD);
    const same = route(s, 'car', EASTWARD, { exclude: 'ferry' });
    assert.equal(same.routes[0].duration, normal.routes[0].duration);
    assert.equal(same.routes[0].geometry, normal.routes[0].geometry);
  });

  it('a point on an excluded road snaps to another one', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const r = route(s, 'car', coords([5, 1], [10.5, 0]), { exclude: 'motorway' });
    assert.notEqual(r.waypoints[0].name, 'Rapide');
    assert.equal(route(s, 'car', coords([5, 1], [10.5, 0])).waypoints[0].name, 'Rapide');
  });

  it('every leg of a multi-point route avoids the class', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const r = route(s, 'car', coords([-0.5, 0], [10.5, 0], [-0.5, 0]), { steps: 'true', exclude: 'motorway' });
    assert.equal(r.routes[0].legs.length, 2);
    assert.ok(!names(r).includes('Rapide'));
  });

  it('alternatives never use the excluded class, even when the fastest path avoids it', async () => {
    // The fastest path (Directe) has no toll, so the hierarchy answers and its alternatives are filtered;
    // the toll road (Péage, ~20 % slower, a junction on it) is otherwise the alternative.
    const s = await serviceFor(fixtureBlock(
      [
        { id: 10, x: -1, y: 0 }, { id: 1, x: 0, y: 0 }, { id: 5, x: 5, y: -0.3 }, { id: 2, x: 10, y: 0 }, { id: 19, x: 11, y: 0 },
        { id: 3, x: 0, y: 0.8 }, { id: 6, x: 5, y: 0.8 }, { id: 4, x: 10, y: 0.8 }, { id: 30, x: 5, y: 2 },
      ],
      [
        { id: 1, refs: [10, 1], tags: { highway: 'residential', name: 'Ouest' } },
        { id: 2, refs: [1, 5, 2], tags: { highway: 'primary', name: 'Directe' } },
        { id: 3, refs: [1, 3, 6, 4, 2], tags: { highway: 'primary', name: 'Péage', toll: 'yes' } },
        { id: 5, refs: [6, 30], tags: { highway: 'residential', name: 'Nord' } },
        { id: 4, refs: [2, 19], tags: { highway: 'residential', name: 'Est' } },
      ],
    ));
    const free = route(s, 'car', EASTWARD, { steps: 'true', alternatives: 'true' });
    assert.deepEqual(free.routes.map((_, i) => names(free, i).includes('Péage')), [false, true], 'the toll road is the alternative');
    const r = route(s, 'car', EASTWARD, { steps: 'true', alternatives: 'true', exclude: 'toll' });
    assert.ok(names(r).includes('Directe'));
    for (let i = 0; i < r.routes.length; i++) assert.ok(!names(r, i).includes('Péage'), `route ${i}: ${names(r, i).join(' > ')}`);
  });

  it('a table avoids it too', async () => {
    const s = await serviceFor(twoRoads(MOTORWAY));
    const normal = s.table('car', EASTWARD, { annotations: 'duration,distance' }) as { durations: number[][]; distances: number[][] };
    const avoid = s.table('car', EASTWARD, { annotations: 'duration,distance', exclude: 'motorway' }) as { durations: number[][]; distances: number[][] };
    assert.ok(avoid.durations[0][1] > normal.durations[0][1] + 60);
    assert.ok(avoid.durations[1][0] > normal.durations[1][0] + 60);
    assert.equal(avoid.durations[0][0], 0);
    const r = route(s, 'car', EASTWARD, { exclude: 'motorway' });
    assert.ok(Math.abs(avoid.durations[0][1] - r.routes[0].duration) <= 0.2, `${avoid.durations[0][1]} vs ${r.routes[0].duration}`);
    assert.ok(Math.abs(avoid.distances[0][1] - r.routes[0].distance) <= 0.2, `${avoid.distances[0][1]} vs ${r.routes[0].distance}`);
  });

  describe('refusals with OSRM codes', () => {
    let s: OsrmService;
    before(async () => { s = await serviceFor(twoRoads(MOTORWAY)); });
    it('an unknown class: InvalidValue', () => assert.equal(osrmCode(() => s.route('car', EASTWARD, { exclude: 'highway' })), 'InvalidValue'));
    it('a class car.lua has but cannot exclude: InvalidValue', () => assert.equal(osrmCode(() => s.route('car', EASTWARD, { exclude: 'tunnel' })), 'InvalidValue'));
    it('any class on foot: InvalidValue', () => assert.equal(osrmCode(() => s.route('foot', EASTWARD, { exclude: 'ferry' })), 'InvalidValue'));
    it('an empty list: InvalidQuery', () => assert.equal(osrmCode(() => s.route('car', EASTWARD, { exclude: '' })), 'InvalidQuery'));
    it('a trailing comma: InvalidQuery', () => assert.equal(osrmCode(() => s.route('car', EASTWARD, { exclude: 'toll,' })), 'InvalidQuery'));
    it('nearest and table check it too', () => {
      assert.equal(osrmCode(() => s.nearest('car', coords([5, 1]), { exclude: 'bogus' })), 'InvalidValue');
      assert.equal(osrmCode(() => s.table('car', EASTWARD, { exclude: 'bogus' })), 'InvalidValue');
    });
  });
});
