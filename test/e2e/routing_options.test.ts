/**
 * End-to-end: OSRM's bearings, approaches and exclude through the HTTP API on a
 * graph built from the real Heidelberg extract (motorways A 5 and A 656, one-way
 * streets, two-way streets). The streets under test are found in the graph itself
 * (the first that fits), the route under exclude is a fixed pair of points.
 */
import assert from 'node:assert/strict';
import { bearing, metresPerDegree } from '../../src/routing/geo_math.js';
import type { OsrmService } from '../../src/routing/osrm_service.js';
import { serveRoutingGraph, type RoutingServer } from './routing_server.js';

// East of Heidelberg → south-west near Walldorf: the fastest car route takes the A 5.
const VIA_MOTORWAY = '8.7805,49.4017;8.6410,49.3714';

interface Segment { edge: number; heading: number; lon: number; lat: number; len: number; ax: number; ay: number; bx: number; by: number }

/** The first straight piece of a named car street, ≥ `minLen` m, with the wanted directions open and no other road within `clear` m of its middle. */
function findSegment(s: OsrmService, oneway: boolean, minLen: number, clear: number): Segment {
  const net = s.router.data.network;
  const car = s.router.data.profiles.get('car')!;
  for (let e = 0; e < net.edgeCount; e++) {
    const fwd = car.geoTail[2 * e] >= 0;
    const bwd = car.geoTail[2 * e + 1] >= 0;
    if (!fwd || bwd !== !oneway || !car.mainEdge?.[e] || !net.strings[net.edgeName[e]] || net.edgeClasses[e]) continue;
    for (let i = net.geomStart[e]; i + 1 < net.geomStart[e + 1]; i++) {
      const [ax, ay, bx, by] = [net.coordLon[i], net.coordLat[i], net.coordLon[i + 1], net.coordLat[i + 1]];
      const m = metresPerDegree(ay);
      const len = Math.hypot((bx - ax) * m.x, (by - ay) * m.y);
      if (len < minLen) continue;
      const lon = (ax + bx) / 2;
      const lat = (ay + by) / 2;
      const near = s.router.snap('car', lon, lat, { count: 2 });
      if (near[0]?.edge !== e || (near[1] && near[1].distance < clear)) continue;
      return { edge: e, heading: bearing(ax, ay, bx, by), lon, lat, len, ax, ay, bx, by };
    }
  }
  throw new Error('no street fits');
}

const ll = (lon: number, lat: number): string => `${lon.toFixed(7)},${lat.toFixed(7)}`;

describe('routing HTTP options bearings, approaches, exclude on Heidelberg @slow', function () {
  this.timeout(180000);
  let api: RoutingServer;
  let service: OsrmService;
  const get = (p: string): Promise<{ status: number; body: any }> => api.get(p);
  const motorwaySteps = (r: any): string[] => r.legs[0].steps
    .filter((st: any) => st.intersections.some((i: any) => (i.classes ?? []).includes('motorway')))
    .map((st: any) => st.ref ?? st.name);

  before(async () => {
    api = await serveRoutingGraph('heidelberg-routing.osm.pbf');
    service = api.service;
  });
  after(() => api?.close());

  it('exclude=motorway: no step on a motorway, a slower route between the same waypoints', async () => {
    const normal = (await get(`/route/v1/driving/${VIA_MOTORWAY}?steps=true`)).body;
    const avoid = await get(`/route/v1/driving/${VIA_MOTORWAY}?steps=true&exclude=motorway`);
    assert.equal(avoid.status, 200);
    assert.ok(motorwaySteps(normal.routes[0]).length > 0, 'the reference route should take the motorway');
    assert.deepEqual(motorwaySteps(avoid.body.routes[0]), []);
    assert.ok(avoid.body.routes[0].legs[0].steps.every((st: any) => !/^A \d/.test(st.ref ?? '')));
    assert.ok(avoid.body.routes[0].duration > normal.routes[0].duration, `${avoid.body.routes[0].duration} vs ${normal.routes[0].duration}`);
    assert.deepEqual(avoid.body.waypoints.map((w: any) => w.location), normal.waypoints.map((w: any) => w.location));
  });

  it('exclude=motorway in a table: the same pair takes longer', async () => {
    const normal = (await get(`/table/v1/driving/${VIA_MOTORWAY}`)).body;
    const avoid = (await get(`/table/v1/driving/${VIA_MOTORWAY}?exclude=motorway`)).body;
    const route = (await get(`/route/v1/driving/${VIA_MOTORWAY}?exclude=motorway`)).body;
    assert.ok(avoid.durations[0][1] > normal.durations[0][1]);
    assert.ok(Math.abs(avoid.durations[0][1] - route.routes[0].duration) < 0.5, `${avoid.durations[0][1]} vs ${route.routes[0].duration}`);
  });

  it('a bearing against a one-way street moves the snap off it, or fails within a small radius', async () => {
    const seg = findSegment(service, true, 40, 15);
    const at = ll(seg.lon, seg.lat);
    const along = (await get(`/nearest/v1/driving/${at}?bearings=${Math.round(seg.heading)},20`)).body;
    assert.equal(along.code, 'Ok');
    assert.ok(along.waypoints[0].distance < 1, `snapped ${along.waypoints[0].distance} m away`);
    const back = Math.round((seg.heading + 180) % 360);
    const against = (await get(`/nearest/v1/driving/${at}?bearings=${back},20`)).body;
    assert.ok(against.waypoints[0].distance > 10, `snapped ${against.waypoints[0].distance} m away`);
    const tight = await get(`/route/v1/driving/${at};${VIA_MOTORWAY.split(';')[1]}?bearings=${back},20;&radiuses=10;`);
    assert.equal(tight.status, 400);
    assert.equal(tight.body.code, 'NoSegment');
  });

  it('approaches=curb on a two-way street departs the other way when the point is on the left', async () => {
    const seg = findSegment(service, false, 80, 25);
    // 6 m to the left of the drawing direction, and a destination further along it.
    const m = metresPerDegree(seg.lat);
    const left = ((seg.heading - 90) * Math.PI) / 180;
    const from = ll(seg.lon + (6 * Math.sin(left)) / m.x, seg.lat + (6 * Math.cos(left)) / m.y);
    const to = ll(seg.ax + 0.9 * (seg.bx - seg.ax), seg.ay + 0.9 * (seg.by - seg.ay));
    const free = (await get(`/route/v1/driving/${from};${to}?steps=true`)).body;
    const curb = (await get(`/route/v1/driving/${from};${to}?steps=true&approaches=curb;unrestricted`)).body;
    const turn = (b: number): number => Math.abs(((b - seg.heading + 540) % 360) - 180);
    assert.ok(turn(free.routes[0].legs[0].steps[0].maneuver.bearing_after) < 10, 'unrestricted departs along the street');
    assert.ok(turn(curb.routes[0].legs[0].steps[0].maneuver.bearing_after) > 170, 'curb departs the other way');
    assert.ok(curb.routes[0].duration > free.routes[0].duration);
  });

  it('refusals answer OSRM codes with status 400', async () => {
    const cases: Array<[string, string]> = [
      [`/route/v1/walking/${VIA_MOTORWAY}?exclude=toll`, 'InvalidValue'],
      [`/route/v1/driving/${VIA_MOTORWAY}?exclude=tunnel`, 'InvalidValue'],
      [`/route/v1/driving/${VIA_MOTORWAY}?approaches=opposite;curb`, 'InvalidQuery'],
      [`/route/v1/driving/${VIA_MOTORWAY}?bearings=90,20`, 'InvalidOptions'],
      [`/route/v1/driving/${VIA_MOTORWAY}?bearings=90,200;`, 'InvalidOptions'],
    ];
    for (const [url, code] of cases) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.equal(body.code, code, url);
    }
  });

  it('OSRM clients: no "new name" step that only repeats the road of the step before (ref flicker), across routes', async () => {
    const pts = ['8.6724,49.4093', '8.6930,49.3990', '8.7805,49.4017', '8.6410,49.3714', '8.7100,49.4200', '8.6500,49.4100'];
    let steps = 0;
    for (const a of pts) for (const b of pts) {
      if (a === b) continue;
      const { status, body } = await get(`/route/v1/driving/${a};${b}?steps=true`);
      if (status !== 200) continue;
      const list = body.routes[0].legs[0].steps;
      steps += list.length;
      for (let i = 1; i < list.length; i++) {
        if (list[i].maneuver.type !== 'new name') continue;
        assert.ok(list[i].name !== list[i - 1].name || list[i].name === '', `${a};${b}: step ${i} repeats ${list[i].name} (${list[i - 1].ref} → ${list[i].ref})`);
      }
      for (const st of list) assert.ok((st.maneuver.location as number[]).every((v) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6));
    }
    assert.ok(steps > 30, `${steps} steps checked`);
  });

  it('OSRM clients: hints from an answer are non-empty and, sent back, give the same route', async () => {
    const first = (await get(`/route/v1/driving/${VIA_MOTORWAY}?overview=false`)).body;
    assert.ok(first.waypoints.every((w: any) => typeof w.hint === 'string' && w.hint.length > 20));
    const again = (await get(`/route/v1/driving/${VIA_MOTORWAY}?overview=false&hints=${first.waypoints.map((w: any) => w.hint).join(';')}`)).body;
    assert.deepEqual(again.routes, first.routes);
  });

  it('OSRM clients: /match and /tile answer in OSRM\'s error shape', async () => {
    for (const url of [`/match/v1/driving/${VIA_MOTORWAY}`, '/tile/v1/driving/tile(1310,3166,13).mvt']) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
      assert.equal(body.code, 'NotImplemented', url);
    }
  });
});
