import assert from 'node:assert/strict';
import type { OsrmService } from '../../../src/routing/osrm_service.js';
import { bearingMatches } from '../../../src/routing/snap_filter.js';
import { fixtureBlock, squareBlock } from './fixture_blocks.js';
import { coords, osrmCode, route, serviceFor } from './service_fixture.js';

/**
 * A straight two-way street drawn west → east, nodes 1 (x=0) to 3 (x=4), ≈ 295 m,
 * and a north–south street a little north of it that does not touch it. Going
 * west from x=1 and coming back (a U-turn at the dead end, x=0) costs ≈ 150 m more
 * than going east directly.
 */
function street() {
  return fixtureBlock(
    [{ id: 1, x: 0, y: 0 }, { id: 2, x: 2, y: 0 }, { id: 3, x: 4, y: 0 }, { id: 4, x: 1, y: 0.5 }, { id: 5, x: 1, y: 3 }],
    [
      { id: 1, refs: [1, 2, 3], tags: { highway: 'tertiary', name: 'Rue Longue' } },
      { id: 2, refs: [4, 5], tags: { highway: 'residential', name: 'Rue du Nord' } },
    ],
  );
}

const firstStep = (r: ReturnType<typeof route>) => r.routes[0].legs[0].steps[0];
const lastStep = (r: ReturnType<typeof route>) => r.routes[0].legs[0].steps.at(-1)!;

describe('routing: bearings', () => {
  it('matches headings as OSRM does: within range either side, modulo 360, rounded', () => {
    assert.ok(bearingMatches(355, { value: 5, range: 10 }));
    assert.ok(bearingMatches(14.6, { value: 5, range: 10 }));
    assert.ok(!bearingMatches(15.6, { value: 5, range: 10 }));
    assert.ok(bearingMatches(2, { value: 360, range: 5 }));
    assert.ok(!bearingMatches(180, { value: 0, range: 179 }));
    assert.ok(bearingMatches(180, { value: 0, range: 180 }));
  });

  it('a bearing picks the direction a two-way street is left in', async () => {
    const s = await serviceFor(street());
    const east = route(s, 'car', coords([1, 0], [3, 0]), { steps: 'true', bearings: '90,20;' });
    const west = route(s, 'car', coords([1, 0], [3, 0]), { steps: 'true', bearings: '270,20;' });
    assert.ok(Math.abs(firstStep(east).maneuver.bearing_after - 90) <= 2, `east departs ${firstStep(east).maneuver.bearing_after}`);
    assert.ok(Math.abs(firstStep(west).maneuver.bearing_after - 270) <= 2, `west departs ${firstStep(west).maneuver.bearing_after}`);
    assert.ok(west.routes[0].distance > east.routes[0].distance + 100, `${west.routes[0].distance} vs ${east.routes[0].distance}`);
  });

  it('a bearing at the destination sets the direction of arrival', async () => {
    const s = await serviceFor(street());
    const r = route(s, 'car', coords([1, 0], [3, 0]), { steps: 'true', bearings: ';270,20' });
    assert.ok(Math.abs(lastStep(r).maneuver.bearing_before - 270) <= 2, `arrives heading ${lastStep(r).maneuver.bearing_before}`);
  });

  it('nearest skips a closer road that runs the wrong way', async () => {
    const s = await serviceFor(street());
    const near = (bearings?: string) => (s.nearest('car', coords([1, 0.2]), bearings ? { bearings } : {}) as { waypoints: Array<{ name: string }> }).waypoints[0].name;
    assert.equal(near(), 'Rue Longue');
    assert.equal(near('90,20'), 'Rue Longue');
    assert.equal(near('0,20'), 'Rue du Nord');
  });

  it('a bearing against a one-way street makes it unusable: the snap moves, or fails within the radius', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes' }));
    const along = s.route('car', coords([0.5, 0], [1.5, 0]), { bearings: '90,20;' }) as { waypoints: Array<{ name: string; distance: number }> };
    assert.equal(along.waypoints[0].name, 'Rue Test');
    assert.ok(along.waypoints[0].distance < 1);
    const against = s.route('car', coords([0.5, 0], [1.5, 0]), { bearings: '270,20;' }) as { waypoints: Array<{ name: string; distance: number }> };
    assert.equal(against.waypoints[0].name, 'Rue Nord');
    assert.equal(osrmCode(() => s.route('car', coords([0.5, 0], [1.5, 0]), { bearings: '270,20;', radiuses: '50;' })), 'NoSegment');
  });

  it('an empty item leaves its coordinate free', async () => {
    const s = await serviceFor(street());
    const free = route(s, 'car', coords([1, 0], [3, 0]), { bearings: ';' });
    const none = route(s, 'car', coords([1, 0], [3, 0]));
    assert.equal(free.routes[0].distance, none.routes[0].distance);
  });

  describe('bad values are refused with OSRM codes', () => {
    let s: OsrmService;
    before(async () => { s = await serviceFor(street()); });
    const c = coords([1, 0], [3, 0]);
    it('a count other than the coordinates: InvalidOptions', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '90,20' })), 'InvalidOptions'));
    it('a value past 360: InvalidOptions', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '400,20;' })), 'InvalidOptions'));
    it('a range past 180: InvalidOptions', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '90,190;' })), 'InvalidOptions'));
    it('a negative value: InvalidOptions', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '-10,20;' })), 'InvalidOptions'));
    it('no range: InvalidQuery', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '90;' })), 'InvalidQuery'));
    it('a decimal: InvalidQuery', () => assert.equal(osrmCode(() => s.route('car', c, { bearings: '90.5,20;' })), 'InvalidQuery'));
    it('nearest takes one bearing', () => assert.equal(osrmCode(() => s.nearest('car', coords([1, 0]), { bearings: '90,20;90,20' })), 'InvalidOptions'));
    it('table checks them too', () => assert.equal(osrmCode(() => s.table('car', c, { bearings: '90,20' })), 'InvalidOptions'));
  });
});

describe('routing: approaches', () => {
  // ≈ 11 m north of the street: on the right of a car going west, on the left of one going east.
  const NORTH_OF_STREET: [number, number] = [1, 0.1];

  it('curb leaves a two-way street in the direction that has the point on its right', async () => {
    const s = await serviceFor(street());
    const free = route(s, 'car', coords(NORTH_OF_STREET, [3, 0]), { steps: 'true' });
    const curb = route(s, 'car', coords(NORTH_OF_STREET, [3, 0]), { steps: 'true', approaches: 'curb;' });
    assert.ok(Math.abs(firstStep(free).maneuver.bearing_after - 90) <= 2);
    assert.ok(Math.abs(firstStep(curb).maneuver.bearing_after - 270) <= 2, `curb departs ${firstStep(curb).maneuver.bearing_after}`);
    assert.ok(curb.routes[0].duration > free.routes[0].duration);
  });

  it('curb at the destination arrives with the point on the right', async () => {
    const s = await serviceFor(street());
    const free = route(s, 'car', coords([1, 0], [3, 0.1]), { steps: 'true' });
    const curb = route(s, 'car', coords([1, 0], [3, 0.1]), { steps: 'true', approaches: ';curb' });
    assert.ok(Math.abs(lastStep(free).maneuver.bearing_before - 90) <= 2);
    assert.ok(Math.abs(lastStep(curb).maneuver.bearing_before - 270) <= 2, `curb arrives heading ${lastStep(curb).maneuver.bearing_before}`);
  });

  it('curb changes nothing on a one-way street', async () => {
    // The square's bottom side, one way eastward; the point is north of it, on the left of the traffic.
    const s = await serviceFor(squareBlock({ oneway: 'yes' }));
    const free = route(s, 'car', coords([0.5, 0.1], [1.5, 0]));
    const curb = route(s, 'car', coords([0.5, 0.1], [1.5, 0]), { approaches: 'curb;curb' });
    assert.equal(curb.waypoints[0].name, 'Rue Test');
    assert.ok(free.routes[0].distance < 100);
    assert.equal(curb.routes[0].distance, free.routes[0].distance);
  });

  it('unrestricted and empty items change nothing', async () => {
    const s = await serviceFor(street());
    const free = route(s, 'car', coords(NORTH_OF_STREET, [3, 0]));
    assert.equal(route(s, 'car', coords(NORTH_OF_STREET, [3, 0]), { approaches: 'unrestricted;' }).routes[0].distance, free.routes[0].distance);
  });

  it('a table honours curb too', async () => {
    const s = await serviceFor(street());
    const c = coords(NORTH_OF_STREET, [3, 0]);
    const free = s.table('car', c, { sources: '0', destinations: '1' }) as { durations: number[][] };
    const curb = s.table('car', c, { sources: '0', destinations: '1', approaches: 'curb;' }) as { durations: number[][] };
    assert.ok(curb.durations[0][0] > free.durations[0][0], `${curb.durations[0][0]} vs ${free.durations[0][0]}`);
  });

  it('OSRM v5 knows curb and unrestricted only: opposite is a malformed query', async () => {
    const s = await serviceFor(street());
    assert.equal(osrmCode(() => s.route('car', coords([1, 0], [3, 0]), { approaches: 'opposite;' })), 'InvalidQuery');
    assert.equal(osrmCode(() => s.route('car', coords([1, 0], [3, 0]), { approaches: 'curb' })), 'InvalidOptions');
  });
});
