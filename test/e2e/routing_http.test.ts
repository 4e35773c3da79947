/**
 * End-to-end: the OSRM v1 HTTP API on a graph built from the real Mulhouse extract,
 * answered by the routing router on an ephemeral 127.0.0.1 port.
 */
import assert from 'node:assert/strict';
import { polyline } from '../../src/routing/polyline.js';
import { serveRoutingGraph, type RoutingServer } from './routing_server.js';

// Points in the (small) central Mulhouse extract, ~1 km apart, and one far outside it.
const A = '7.3290,47.7520';
const B = '7.3410,47.7535';
const C = '7.3350,47.7525';
const FAR = '2.35,48.85';

describe('routing HTTP API (OSRM v1) on Mulhouse', function () {
  this.timeout(120000);
  let api: RoutingServer;
  const get = (p: string): Promise<{ status: number; body: any }> => api.get(p);

  before(async () => {
    api = await serveRoutingGraph('mulhouse.osm.pbf');
  });
  after(() => api?.close());

  it('answers a route with code, routes, legs and waypoints', async () => {
    const { status, body } = await get(`/route/v1/driving/${A};${B}`);
    assert.equal(status, 200);
    assert.equal(body.code, 'Ok');
    assert.equal(body.routes.length, 1);
    const r = body.routes[0];
    assert.ok(r.distance > 900 && r.distance < 5000, `distance ${r.distance}`);
    assert.ok(r.duration > 60, `duration ${r.duration}`);
    assert.equal(r.weight, r.duration);
    assert.equal(typeof r.geometry, 'string');
    assert.equal(r.legs.length, 1);
    assert.deepEqual(r.legs[0].steps, []);
    assert.equal(body.waypoints.length, 2);
    for (const w of body.waypoints) {
      assert.equal(w.location.length, 2);
      assert.equal(typeof w.name, 'string');
      assert.ok(w.distance >= 0);
    }
  });

  it('polyline geometry starts and ends at the snapped waypoints', async () => {
    const { body } = await get(`/route/v1/car/${A};${B}?overview=full`);
    const line = polyline.decode(body.routes[0].geometry, 5);
    const [w0, w1] = body.waypoints.map((w: { location: [number, number] }) => w.location);
    assert.ok(Math.abs(line[0][0] - w0[0]) < 2e-5 && Math.abs(line[0][1] - w0[1]) < 2e-5);
    assert.ok(Math.abs(line.at(-1)![0] - w1[0]) < 2e-5 && Math.abs(line.at(-1)![1] - w1[1]) < 2e-5);
  });

  it('polyline6 and geojson describe the same line', async () => {
    const p6 = (await get(`/route/v1/car/${A};${B}?overview=full&geometries=polyline6`)).body.routes[0].geometry;
    const gj = (await get(`/route/v1/car/${A};${B}?overview=full&geometries=geojson`)).body.routes[0].geometry;
    assert.equal(gj.type, 'LineString');
    const line = polyline.decode(p6, 6);
    assert.equal(line.length, gj.coordinates.length);
    line.forEach(([x, y], i) => {
      assert.ok(Math.abs(x - gj.coordinates[i][0]) < 2e-6);
      assert.ok(Math.abs(y - gj.coordinates[i][1]) < 2e-6);
    });
  });

  it('overview=simplified has no more points than full, overview=false has no geometry', async () => {
    const full = (await get(`/route/v1/car/${A};${B}?overview=full&geometries=geojson`)).body.routes[0].geometry.coordinates.length;
    const simp = (await get(`/route/v1/car/${A};${B}?overview=simplified&geometries=geojson`)).body.routes[0].geometry.coordinates.length;
    assert.ok(simp <= full && simp >= 2);
    const none = (await get(`/route/v1/car/${A};${B}?overview=false`)).body.routes[0];
    assert.equal(none.geometry, undefined);
  });

  it('steps carry maneuvers from depart to arrive, and their distances add up to the leg', async () => {
    const { body } = await get(`/route/v1/driving/${A};${B}?steps=true`);
    const leg = body.routes[0].legs[0];
    const steps = leg.steps;
    assert.equal(steps[0].maneuver.type, 'depart');
    assert.equal(steps.at(-1).maneuver.type, 'arrive');
    for (const s of steps) {
      assert.equal(s.maneuver.location.length, 2);
      assert.ok(s.maneuver.bearing_before >= 0 && s.maneuver.bearing_before < 360);
      assert.ok(s.maneuver.bearing_after >= 0 && s.maneuver.bearing_after < 360);
      assert.equal(s.mode, 'driving');
      assert.equal(typeof s.geometry, 'string');
    }
    const sum = steps.reduce((a: number, s: { distance: number }) => a + s.distance, 0);
    assert.ok(Math.abs(sum - leg.distance) < 1 + steps.length * 0.05, `${sum} vs ${leg.distance}`);
  });

  it('lang=fr and lang=de add readable instructions', async () => {
    const fr = (await get(`/route/v1/driving/${A};${B}?steps=true&lang=fr`)).body.routes[0].legs[0].steps;
    const de = (await get(`/route/v1/driving/${A};${B}?steps=true&lang=de`)).body.routes[0].legs[0].steps;
    assert.match(fr.at(-1).maneuver.instruction, /arrivé/);
    assert.match(de.at(-1).maneuver.instruction, /angekommen|Ziel/);
    assert.ok(fr.every((s: { maneuver: { instruction?: string } }) => typeof s.maneuver.instruction === 'string' && s.maneuver.instruction.length > 0));
  });

  it('annotations=distance,duration give one value per segment of the full geometry', async () => {
    const { body } = await get(`/route/v1/car/${A};${B}?overview=full&geometries=geojson&annotations=distance,duration`);
    const r = body.routes[0];
    const ann = r.legs[0].annotation;
    assert.equal(ann.distance.length, r.geometry.coordinates.length - 1);
    assert.equal(ann.duration.length, ann.distance.length);
    const total = ann.distance.reduce((a: number, b: number) => a + b, 0);
    assert.ok(Math.abs(total - r.distance) < 0.02 * r.distance + 2, `${total} vs ${r.distance}`);
  });

  it('a route through three points has two legs', async () => {
    const { body } = await get(`/route/v1/foot/${A};${C};${B}`);
    assert.equal(body.routes[0].legs.length, 2);
    assert.equal(body.waypoints.length, 3);
  });

  it('alternatives=true returns one or two routes, the first the fastest', async () => {
    const { body } = await get(`/route/v1/car/${A};${B}?alternatives=true`);
    assert.ok(body.routes.length >= 1 && body.routes.length <= 2);
    if (body.routes.length === 2) assert.ok(body.routes[1].duration >= body.routes[0].duration);
  });

  it('nearest returns `number` waypoints with their OSM nodes, nearest first', async () => {
    const { body } = await get(`/nearest/v1/walking/${A}?number=3`);
    assert.equal(body.code, 'Ok');
    assert.equal(body.waypoints.length, 3);
    assert.ok(body.waypoints[0].distance <= body.waypoints[2].distance);
    assert.equal(body.waypoints[0].nodes.length, 2);
  });

  it('table returns square durations and distances with zero diagonal', async () => {
    const { body } = await get(`/table/v1/driving/${A};${B};${C}?annotations=duration,distance`);
    assert.equal(body.code, 'Ok');
    assert.equal(body.durations.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.equal(body.durations[i].length, 3);
      assert.equal(body.durations[i][i], 0);
    }
    assert.ok(body.distances[0][1] > 900);
  });

  it('table durations agree with route durations', async () => {
    const t = (await get(`/table/v1/driving/${A};${B}`)).body;
    const r = (await get(`/route/v1/driving/${A};${B}`)).body;
    assert.ok(Math.abs(t.durations[0][1] - r.routes[0].duration) < 0.5, `${t.durations[0][1]} vs ${r.routes[0].duration}`);
  });

  it('table honours sources and destinations', async () => {
    const { body } = await get(`/table/v1/car/${A};${B};${C}?sources=0&destinations=1;2`);
    assert.equal(body.durations.length, 1);
    assert.equal(body.durations[0].length, 2);
    assert.equal(body.sources.length, 1);
    assert.equal(body.destinations.length, 2);
  });

  it('a point far from any road is NoSegment with status 400', async () => {
    const { status, body } = await get(`/route/v1/car/${A};${FAR}`);
    assert.equal(status, 400);
    assert.equal(body.code, 'NoSegment');
    assert.equal(typeof body.message, 'string');
  });

  it('malformed coordinates are InvalidUrl', async () => {
    const { status, body } = await get('/route/v1/car/7.33,abc;7.34,47.75');
    assert.equal(status, 400);
    assert.equal(body.code, 'InvalidUrl');
  });

  it('a single coordinate for a route is InvalidQuery', async () => {
    const { status, body } = await get(`/route/v1/car/${A}`);
    assert.equal(status, 400);
    assert.equal(body.code, 'InvalidQuery');
  });

  it('an unknown option value is InvalidOptions', async () => {
    const { status, body } = await get(`/route/v1/car/${A};${B}?geometries=wkt`);
    assert.equal(status, 400);
    assert.equal(body.code, 'InvalidOptions');
  });

  it('an unknown profile is InvalidQuery', async () => {
    const { status, body } = await get(`/route/v1/plane/${A};${B}`);
    assert.equal(status, 400);
    assert.equal(body.code, 'InvalidQuery');
  });

  it('a table past the size limit is TooBig', async () => {
    const many = Array.from({ length: 101 }, () => A).join(';');
    const { status, body } = await get(`/table/v1/car/${many}`);
    assert.equal(status, 400);
    assert.equal(body.code, 'TooBig');
  });

  it('serves the demo page at /routing', async () => {
    const res = await fetch(api.base + '/routing');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /maplibre-gl/);
    assert.match(html, /route\/v1\//);
  });
});
