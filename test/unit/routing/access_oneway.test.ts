import assert from 'node:assert/strict';
import { nodeLonLat, squareBlock } from './fixture_blocks.js';
import { coords, route, serviceFor } from './service_fixture.js';

// P and Q lie on the bottom side (way 1): P east of Q. Along it ≈ 74 m; around the square ≈ 590 m.
const P_TO_Q = coords([1.5, 0], [0.5, 0]);
const Q_TO_P = coords([0.5, 0], [1.5, 0]);
const SHORT = 100;

describe('routing: oneway and access on a hand-made square', () => {
  it('a car goes around a oneway rather than against it', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes' }));
    assert.ok(route(s, 'car', Q_TO_P).routes[0].distance < SHORT);
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance > 400);
  });

  it('oneway=-1 opens only the direction against the drawing order', async () => {
    const s = await serviceFor(squareBlock({ oneway: '-1' }));
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance < SHORT);
    assert.ok(route(s, 'car', Q_TO_P).routes[0].distance > 400);
  });

  it('junction=roundabout implies oneway for cars', async () => {
    const s = await serviceFor(squareBlock({ junction: 'roundabout' }));
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance > 400);
  });

  it('oneway=reversible is closed to cars in both directions', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'reversible' }));
    assert.notEqual(route(s, 'car', P_TO_Q).waypoints[0].name, 'Rue Test');
  });

  it('bicycles may ride against a oneway with oneway:bicycle=no', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes', 'oneway:bicycle': 'no' }));
    assert.ok(route(s, 'bicycle', P_TO_Q).routes[0].distance < SHORT);
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance > 400);
  });

  it('cycleway=opposite_lane opens the other direction to bicycles', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes', cycleway: 'opposite_lane' }));
    assert.ok(route(s, 'cycling', P_TO_Q).routes[0].distance < SHORT);
  });

  it('bicycles respect a plain oneway', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes' }));
    assert.ok(route(s, 'bicycle', P_TO_Q).routes[0].distance > 400);
  });

  it('pedestrians ignore a oneway for vehicles', async () => {
    const s = await serviceFor(squareBlock({ oneway: 'yes' }));
    assert.ok(route(s, 'walking', P_TO_Q).routes[0].distance < SHORT);
  });

  it('access=private keeps cars off the way but motor_vehicle=yes lets them back', async () => {
    const closed = await serviceFor(squareBlock({ access: 'private' }));
    assert.notEqual(route(closed, 'car', P_TO_Q).waypoints[0].name, 'Rue Test');
    const open = await serviceFor(squareBlock({ access: 'no', motor_vehicle: 'yes' }));
    assert.equal(route(open, 'car', P_TO_Q).waypoints[0].name, 'Rue Test');
  });

  it('motor_vehicle=no closes the way to cars, not to bicycles or pedestrians', async () => {
    const s = await serviceFor(squareBlock({ motor_vehicle: 'no' }));
    assert.notEqual(route(s, 'car', P_TO_Q).waypoints[0].name, 'Rue Test');
    assert.ok(route(s, 'bicycle', P_TO_Q).routes[0].distance < SHORT);
    assert.ok(route(s, 'foot', P_TO_Q).routes[0].distance < SHORT);
  });

  it('bicycle=no closes the way to bicycles only', async () => {
    const s = await serviceFor(squareBlock({ bicycle: 'no' }));
    assert.notEqual(route(s, 'bicycle', P_TO_Q).waypoints[0].name, 'Rue Test');
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance < SHORT);
  });

  it('a bollard stops cars but lets bicycles through', async () => {
    const s = await serviceFor(squareBlock({}, { barrier: 'bollard' }));
    assert.ok(route(s, 'car', P_TO_Q).routes[0].distance > 400);
    assert.ok(route(s, 'bicycle', P_TO_Q).routes[0].distance < SHORT);
  });

  it('a gate is passable unless its access says otherwise', async () => {
    const open = await serviceFor(squareBlock({}, { barrier: 'gate' }));
    assert.ok(route(open, 'car', P_TO_Q).routes[0].distance < SHORT);
    const closed = await serviceFor(squareBlock({}, { barrier: 'gate', access: 'private' }));
    assert.ok(route(closed, 'car', P_TO_Q).routes[0].distance > 400);
  });

  it('a car can still reach a point between a bollard and the next junction', async () => {
    const s = await serviceFor(squareBlock({}, { barrier: 'bollard' }));
    // From the east side to just east of the bollard: reachable, without passing it.
    const r = route(s, 'car', coords([2, 1], [1.2, 0]));
    assert.equal(r.code, 'Ok');
    assert.equal(r.waypoints[1].name, 'Rue Test');
    assert.ok(r.routes[0].distance < 200);
  });
});

describe('routing: snapping prefers the main network', () => {
  it('a point beside a small island snaps to the main network and gets a route', async () => {
    const block = squareBlock({});
    // An unconnected 2-node street just inside the square, near the start point.
    const [lon1, lat1] = nodeLonLat(1.3, 0.3);
    const [lon2, lat2] = nodeLonLat(1.7, 0.3);
    block.nodeIds = Float64Array.from([...block.nodeIds, 90, 91]);
    block.nodeLons = Float64Array.from([...block.nodeLons, lon1, lon2]);
    block.nodeLats = Float64Array.from([...block.nodeLats, lat1, lat2]);
    block.ways.push({ type: 'way', id: 90, refs: Float64Array.from([90, 91]), tags: { highway: 'service', name: 'Îlot' } });
    const s = await serviceFor(block);
    const r = route(s, 'car', coords([1.5, 0.28], [0.5, 2]));
    assert.equal(r.code, 'Ok');
    assert.notEqual(r.waypoints[0].name, 'Îlot');
    const nearest = s.nearest('car', coords([1.5, 0.28]), {}) as unknown as { waypoints: Array<{ name: string }> };
    assert.equal(nearest.waypoints[0].name, 'Îlot', 'nearest still reports the closest road');
  });
});
