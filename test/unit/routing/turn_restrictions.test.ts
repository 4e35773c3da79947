import assert from 'node:assert/strict';
import { crossroadsBlock, restriction } from './fixture_blocks.js';
import { coords, route, serviceFor } from './service_fixture.js';

// From the west arm to the north arm: a left turn at J. Direct ≈ 92 m.
const WEST_TO_NORTH = coords([-0.5, 0], [0, 0.5]);
const DIRECT = 120;

describe('routing: turn restrictions at a via node', () => {
  it('without a restriction the left turn is taken', async () => {
    const s = await serviceFor(crossroadsBlock());
    assert.ok(route(s, 'car', WEST_TO_NORTH).routes[0].distance < DIRECT);
  });

  it('no_left_turn makes cars avoid the turn', async () => {
    const s = await serviceFor(crossroadsBlock([restriction(1, 'no_left_turn', 1, 10, 3)]));
    assert.ok(route(s, 'car', WEST_TO_NORTH).routes[0].distance > DIRECT);
  });

  it('no_left_turn does not bind pedestrians', async () => {
    const s = await serviceFor(crossroadsBlock([restriction(1, 'no_left_turn', 1, 10, 3)]));
    assert.ok(route(s, 'foot', WEST_TO_NORTH).routes[0].distance < DIRECT);
  });

  it('except=bicycle exempts bicycles', async () => {
    const s = await serviceFor(crossroadsBlock([restriction(1, 'no_left_turn', 1, 10, 3, { except: 'bicycle' })]));
    assert.ok(route(s, 'bicycle', WEST_TO_NORTH).routes[0].distance < DIRECT);
    assert.ok(route(s, 'car', WEST_TO_NORTH).routes[0].distance > DIRECT);
  });

  it('only_straight_on forbids the left turn and keeps straight on open', async () => {
    const s = await serviceFor(crossroadsBlock([restriction(1, 'only_straight_on', 1, 10, 2)]));
    assert.ok(route(s, 'car', WEST_TO_NORTH).routes[0].distance > DIRECT);
    assert.ok(route(s, 'car', coords([-0.5, 0], [0.5, 0])).routes[0].distance < DIRECT);
  });

  it('a restriction binds only its from way: from the south the same turn target is allowed', async () => {
    const s = await serviceFor(crossroadsBlock([restriction(1, 'no_left_turn', 1, 10, 3)]));
    assert.ok(route(s, 'car', coords([0, -0.5], [0, 0.5])).routes[0].distance < 130);
  });

  it('restriction:bicycle binds bicycles and not cars', async () => {
    const rel = restriction(1, 'x', 1, 10, 3);
    delete rel.tags.restriction;
    rel.tags['restriction:bicycle'] = 'no_left_turn';
    const s = await serviceFor(crossroadsBlock([rel]));
    assert.ok(route(s, 'bicycle', WEST_TO_NORTH).routes[0].distance > DIRECT);
    assert.ok(route(s, 'car', WEST_TO_NORTH).routes[0].distance < DIRECT);
  });
});
