import assert from 'node:assert/strict';
import { crossroadsBlock, fixtureBlock } from './fixture_blocks.js';
import { coords, route, serviceFor } from './service_fixture.js';

type Step = { maneuver: { type: string; modifier?: string; exit?: number; instruction?: string }; name: string };
const stepsOf = (body: ReturnType<typeof route>): Step[] => body.routes[0].legs[0].steps as unknown as Step[];

/** A four-arm roundabout (ring 20–23, drawn counter-clockwise as in right-hand traffic) with arms to the four sides. */
function roundaboutBlock() {
  return fixtureBlock(
    [
      { id: 20, x: 0, y: -1 }, { id: 21, x: 1, y: 0 }, { id: 22, x: 0, y: 1 }, { id: 23, x: -1, y: 0 },
      { id: 30, x: 0, y: -4 }, { id: 31, x: 4, y: 0 }, { id: 32, x: 0, y: 4 }, { id: 33, x: -4, y: 0 },
    ],
    [
      { id: 1, refs: [20, 21, 22, 23, 20], tags: { highway: 'primary', junction: 'roundabout', name: 'Place Ronde' } },
      { id: 2, refs: [30, 20], tags: { highway: 'primary', name: 'Rue Sud' } },
      { id: 3, refs: [31, 21], tags: { highway: 'primary', name: 'Rue Est' } },
      { id: 4, refs: [32, 22], tags: { highway: 'primary', name: 'Rue Nord' } },
      { id: 5, refs: [33, 23], tags: { highway: 'primary', name: 'Rue Ouest' } },
    ],
  );
}

describe('routing: steps and maneuvers', () => {
  it('a route starts with depart and ends with arrive', async () => {
    const s = await serviceFor(crossroadsBlock());
    const steps = stepsOf(route(s, 'car', coords([-0.5, 0], [0.5, 0]), { steps: 'true' }));
    assert.equal(steps[0].maneuver.type, 'depart');
    assert.equal(steps.at(-1)!.maneuver.type, 'arrive');
  });

  it('turning from west to north is a left turn onto the new name', async () => {
    const s = await serviceFor(crossroadsBlock());
    const steps = stepsOf(route(s, 'car', coords([-0.5, 0], [0, 0.5]), { steps: 'true' }));
    const turn = steps[1];
    assert.equal(turn.maneuver.type, 'turn');
    assert.equal(turn.maneuver.modifier, 'left');
    assert.equal(turn.name, 'Nord');
  });

  it('turning from west to south is a right turn', async () => {
    const s = await serviceFor(crossroadsBlock());
    const steps = stepsOf(route(s, 'car', coords([-0.5, 0], [0, -0.5]), { steps: 'true' }));
    assert.equal(steps[1].maneuver.modifier, 'right');
  });

  it('going straight across onto another name is "new name" straight', async () => {
    const s = await serviceFor(crossroadsBlock());
    const steps = stepsOf(route(s, 'car', coords([-0.5, 0], [0.5, 0]), { steps: 'true' }));
    assert.equal(steps[1].maneuver.type, 'new name');
    assert.equal(steps[1].maneuver.modifier, 'straight');
  });

  it('a roundabout is one maneuver with the exit number, then "exit roundabout"', async () => {
    const s = await serviceFor(roundaboutBlock());
    // From the south arm to the west arm: counter-clockwise, past the east and north exits → 3rd exit.
    const steps = stepsOf(route(s, 'car', coords([0, -3], [-3, 0]), { steps: 'true' }));
    const rb = steps.find((x) => x.maneuver.type === 'roundabout');
    assert.ok(rb, `types: ${steps.map((x) => x.maneuver.type).join(',')}`);
    assert.equal(rb.maneuver.exit, 3);
    assert.equal(rb.name, 'Rue Ouest');
    assert.ok(steps.some((x) => x.maneuver.type === 'exit roundabout'));
  });

  it('French and German instructions name the exit and the street', async () => {
    const s = await serviceFor(roundaboutBlock());
    const fr = stepsOf(route(s, 'car', coords([0, -3], [-3, 0]), { steps: 'true', lang: 'fr' })).find((x) => x.maneuver.type === 'roundabout')!;
    const de = stepsOf(route(s, 'car', coords([0, -3], [-3, 0]), { steps: 'true', lang: 'de' })).find((x) => x.maneuver.type === 'roundabout')!;
    assert.match(fr.maneuver.instruction!, /troisième sortie/);
    assert.match(fr.maneuver.instruction!, /rue Ouest/i);
    assert.match(de.maneuver.instruction!, /(3\.|dritte) Ausfahrt/);
  });
});
