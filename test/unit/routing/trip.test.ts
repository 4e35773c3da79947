import assert from 'node:assert/strict';
import type { OsrmService } from '../../../src/routing/osrm_service.js';
import { fixtureBlock, squareBlock } from './fixture_blocks.js';
import { coords, osrmCode, serviceFor } from './service_fixture.js';

interface TripBody {
  code: string;
  trips: Array<{ duration: number; distance: number; geometry?: unknown; legs: Array<{ duration: number; distance: number; steps: unknown[] }> }>;
  waypoints: Array<{ location: [number, number]; waypoint_index: number; trips_index: number; hint?: string }>;
}

const trip = (s: OsrmService, c: string, query: Record<string, string> = {}): TripBody => s.trip('car', c, query) as unknown as TripBody;

/**
 * Points just outside the square's sides, in order around it (anticlockwise from the
 * bottom left): a tour visits them in this order or the reverse.
 */
const RING: Array<[number, number]> = [[0.5, -0.1], [1.5, -0.1], [2.1, 0.7], [2.1, 1.4], [1.3, 2.1], [0.6, 2.1], [-0.1, 1.2]];

/** A straight two-way street, 8 grid steps long, along y = 0. */
function lineBlock() {
  const nodes = Array.from({ length: 9 }, (_, i) => ({ id: i + 1, x: i, y: 0 }));
  return fixtureBlock(nodes, [{ id: 1, refs: nodes.map((n) => n.id), tags: { highway: 'residential', name: 'Rue Droite' } }]);
}

/** The trip's stops, as input indices, in visiting order. */
function visitOrder(body: TripBody): number[] {
  const order = new Array<number>(body.waypoints.length);
  body.waypoints.forEach((w, i) => (order[w.waypoint_index] = i));
  return order;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('routing: OSRM trip service', () => {
  it('a roundtrip goes round the square in ring order from the first input, and comes back', async () => {
    const s = await serviceFor(squareBlock({}));
    const perm = [3, 0, 5, 1, 6, 2, 4]; // input i lies at RING[perm[i]]
    const body = trip(s, coords(...perm.map((k) => RING[k])));
    assert.equal(body.code, 'Ok');
    assert.equal(body.trips.length, 1);
    const t = body.trips[0];
    assert.equal(t.legs.length, RING.length);
    const ring = visitOrder(body).map((i) => perm[i]);
    assert.equal(ring[0], perm[0]);
    const n = RING.length;
    const up = ring.every((k, i) => k === (perm[0] + i) % n);
    const down = ring.every((k, i) => k === (perm[0] - i + n) % n);
    assert.ok(up || down, `ring positions visited: ${ring.join(',')}`);
    assert.ok(body.waypoints.every((w) => w.trips_index === 0));
    assert.ok(Math.abs(t.duration - sum(t.legs.map((l) => l.duration))) < 0.2, `${t.duration} vs legs`);
    assert.ok(Math.abs(t.distance - sum(t.legs.map((l) => l.distance))) < 0.2);
    // back at the start: the last leg's route ends where the first began
    const full = trip(s, coords(...perm.map((k) => RING[k])), { overview: 'full', geometries: 'geojson' });
    const line = (full.trips[0].geometry as { coordinates: Array<[number, number]> }).coordinates;
    assert.deepEqual(line[line.length - 1], line[0]);
    // the square's perimeter, 2 + 2 grid steps each way (≈ 74 m and ≈ 111 m a step)
    assert.ok(t.distance > 700 && t.distance < 780, `distance ${t.distance}`);
  });

  it('is no longer than the roundtrip route in input order', async () => {
    const s = await serviceFor(squareBlock({}));
    const pts = [RING[0], RING[4], RING[1], RING[5], RING[2]];
    const body = trip(s, coords(...pts));
    const asGiven = s.route('car', coords(...pts, pts[0]), {}) as { routes: Array<{ duration: number }> };
    assert.ok(body.trips[0].duration < asGiven.routes[0].duration, `${body.trips[0].duration} vs ${asGiven.routes[0].duration}`);
  });

  it('source=first, destination=last, roundtrip=false: an open path in line order', async () => {
    const s = await serviceFor(lineBlock());
    const xs = [0.3, 4.5, 2.2, 6.1, 1.4, 5.3, 3.6, 7.7]; // first at the west end, last at the east end
    const c = coords(...xs.map((x): [number, number] => [x, 0.1]));
    const body = trip(s, c, { source: 'first', destination: 'last', roundtrip: 'false' });
    const t = body.trips[0];
    assert.equal(t.legs.length, xs.length - 1);
    assert.deepEqual(visitOrder(body).map((i) => xs[i]), [...xs].sort((a, b) => a - b));
    assert.ok(Math.abs(t.duration - sum(t.legs.map((l) => l.duration))) < 0.2);
    const straight = s.route('car', coords([0.3, 0.1], [7.7, 0.1]), {}) as { routes: Array<{ distance: number }> };
    assert.ok(Math.abs(t.distance - straight.routes[0].distance) < 1, `${t.distance} vs ${straight.routes[0].distance}`);
  });

  it('uses farthest insertion from ten locations on, still in line order', async () => {
    const s = await serviceFor(lineBlock());
    const xs = [0.2, 3.4, 6.6, 1.1, 5.5, 2.7, 7.1, 4.2, 0.6, 3.9, 7.8];
    const body = trip(s, coords(...xs.map((x): [number, number] => [x, 0.1])), { source: 'first', destination: 'last', roundtrip: 'false' });
    assert.deepEqual(visitOrder(body).map((i) => xs[i]), [...xs].sort((a, b) => a - b));
  });

  it('destination=last on a roundtrip starts the trip at the last input, as OSRM', async () => {
    const s = await serviceFor(squareBlock({}));
    const body = trip(s, coords(RING[0], RING[3], RING[5], RING[1]), { destination: 'last' });
    assert.equal(body.waypoints[3].waypoint_index, 0);
    assert.equal(body.trips[0].legs.length, 4);
  });

  it('takes the route options and the general ones', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords(RING[0], RING[2], RING[4]);
    const body = trip(s, c, { steps: 'true', annotations: 'duration', overview: 'false', generate_hints: 'false' });
    assert.ok(body.trips[0].legs.every((l) => l.steps.length > 0 && 'annotation' in l));
    assert.ok(!('geometry' in body.trips[0]));
    assert.ok(body.waypoints.every((w) => !('hint' in w)));
    assert.ok(!('waypoints' in (s.trip('car', c, { skip_waypoints: 'true' }) as object)));
    assert.equal(osrmCode(() => trip(s, c, { radiuses: '5;5' })), 'InvalidOptions');
    assert.equal(osrmCode(() => trip(s, c, { exclude: 'motorway' })), 'Ok');
    assert.equal(osrmCode(() => trip(s, c, { exclude: 'tram' })), 'InvalidValue');
    assert.equal(osrmCode(() => trip(s, c, { geometries: 'wkt' })), 'InvalidOptions');
  });

  it('fails as OSRM does: too few or too many coordinates, unsupported combinations, bad values', async () => {
    const s = await serviceFor(squareBlock({}));
    const c = coords(RING[0], RING[2], RING[4]);
    assert.equal(osrmCode(() => trip(s, coords(RING[0]))), 'InvalidOptions');
    assert.equal(osrmCode(() => trip(s, c, { roundtrip: 'false' })), 'NotImplemented');
    assert.equal(osrmCode(() => trip(s, c, { roundtrip: 'false', source: 'first' })), 'NotImplemented');
    assert.equal(osrmCode(() => trip(s, c, { roundtrip: 'false', destination: 'last' })), 'NotImplemented');
    assert.equal(osrmCode(() => trip(s, c, { roundtrip: 'false', source: 'first', destination: 'last' })), 'Ok');
    assert.equal(osrmCode(() => trip(s, c, { source: 'last' })), 'InvalidOptions');
    assert.equal(osrmCode(() => trip(s, c, { roundtrip: 'maybe' })), 'InvalidOptions');
    const many = coords(...Array.from({ length: s.limits.maxTripCoordinates + 1 }, (_, i): [number, number] => [(i % 20) / 10, -0.1]));
    assert.equal(osrmCode(() => trip(s, many)), 'TooBig');
  });

  it('NoTrips when a location cannot be reached from the others', async () => {
    const res = { highway: 'residential' };
    const s = await serviceFor(fixtureBlock(
      [{ id: 1, x: 0, y: 0 }, { id: 2, x: 2, y: 0 }, { id: 3, x: 0, y: 3 }, { id: 4, x: 2, y: 3 }],
      [{ id: 1, refs: [1, 2], tags: { ...res, name: 'Rue A' } }, { id: 2, refs: [3, 4], tags: { ...res, name: 'Rue B' } }],
    ));
    const c = coords([0.5, 0.1], [1.5, 0.1], [1, 3.1]);
    assert.equal(osrmCode(() => trip(s, c, { snapping: 'any' })), 'NoTrips');
    assert.equal(osrmCode(() => trip(s, coords([0.5, 0.1], [1.5, 0.1]))), 'Ok');
  });
});
