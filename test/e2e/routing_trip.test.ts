/**
 * End-to-end: OSRM's trip service through the HTTP API on a graph built from the
 * real Heidelberg extract, six places of the city given in a zigzag order.
 */
import assert from 'node:assert/strict';
import { serveRoutingGraph, type RoutingServer } from './routing_server.js';

// Bismarckplatz, Rohrbach, Neuenheim, Kirchheim, Altstadt (Universitätsplatz), Hauptbahnhof.
const PLACES: Array<[number, number]> = [
  [8.6935, 49.4095], [8.685, 49.385], [8.693, 49.418], [8.665, 49.387], [8.706, 49.4105], [8.6756, 49.4035],
];
const text = (pts: Array<[number, number]>): string => pts.map(([x, y]) => `${x},${y}`).join(';');

describe('routing HTTP trip service on Heidelberg @slow', function () {
  this.timeout(180000);
  let api: RoutingServer;

  before(async () => {
    api = await serveRoutingGraph('heidelberg-routing.osm.pbf');
  });
  after(() => api?.close());

  it('a 6-point roundtrip: every place once, six legs, no longer than the input order', async () => {
    const res = await api.get(`/trip/v1/driving/${text(PLACES)}?steps=true`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body;
    assert.equal(body.code, 'Ok');
    assert.equal(body.trips.length, 1);
    assert.equal(body.waypoints.length, PLACES.length);
    const places = body.waypoints.map((w: any) => w.waypoint_index).sort((a: number, b: number) => a - b);
    assert.deepEqual(places, [0, 1, 2, 3, 4, 5]);
    assert.equal(body.waypoints[0].waypoint_index, 0);
    assert.ok(body.waypoints.every((w: any) => w.trips_index === 0 && Array.isArray(w.location)));
    const t = body.trips[0];
    assert.equal(t.legs.length, 6);
    const legSum = t.legs.reduce((a: number, l: any) => a + l.duration, 0);
    assert.ok(Math.abs(t.duration - legSum) < 0.5, `${t.duration} vs ${legSum}`);
    // each leg ends where the next stop in trip order was snapped
    const byPlace: any[] = [];
    for (const w of body.waypoints) byPlace[w.waypoint_index] = w;
    t.legs.forEach((l: any, k: number) => {
      const arrive = l.steps[l.steps.length - 1].maneuver.location;
      const at = byPlace[(k + 1) % 6].location;
      assert.ok(Math.abs(arrive[0] - at[0]) < 1e-5 && Math.abs(arrive[1] - at[1]) < 1e-5, `leg ${k}: ${arrive} vs ${at}`);
    });
    const inOrder = await api.get(`/route/v1/driving/${text([...PLACES, PLACES[0]])}`);
    assert.equal(inOrder.status, 200);
    assert.ok(t.duration <= inOrder.body.routes[0].duration + 0.5, `${t.duration} vs ${inOrder.body.routes[0].duration}`);
  });

  it('source=first&destination=last&roundtrip=false: five legs from the first place to the last', async () => {
    const res = await api.get(`/trip/v1/driving/${text(PLACES)}?source=first&destination=last&roundtrip=false`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.trips[0].legs.length, 5);
    assert.equal(res.body.waypoints[0].waypoint_index, 0);
    assert.equal(res.body.waypoints[5].waypoint_index, 5);
  });

  it('answers OSRM errors with status 400', async () => {
    const bad = await api.get(`/trip/v1/driving/${text(PLACES)}?roundtrip=false`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'NotImplemented');
    const one = await api.get(`/trip/v1/driving/${text(PLACES.slice(0, 1))}`);
    assert.equal(one.status, 400);
    assert.equal(one.body.code, 'InvalidOptions');
    const noCoords = await api.get('/trip/v1/driving');
    assert.equal(noCoords.body.code, 'InvalidUrl');
  });
});
